/* cmd.c - the command table and the handlers shared by the CLI and the console's `:` prompt (the argument
 * helpers and the dispatcher are in cmd_args.c). */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"
#include "warroom/people.h"
#include "warroom/pending.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- write commands ---- */

static int cmd_declare(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("declare"), c};
    const char *sev = NULL, *type = NULL, *started_s = NULL, *detected_s = NULL;
    if (wr_args_opt(&a, "--severity", &sev) < 0 || wr_args_opt(&a, "--type", &type) < 0 ||
        wr_args_opt(&a, "--started", &started_s) < 0 || wr_args_opt(&a, "--detected", &detected_s) < 0)
        return 2;
    int64_t started = 0, detected = 0;
    if (started_s && wr_lifecycle_time_parse(started_s, &started) != 0)
        return wr_args_usage(&a, "--started \"%s\" is not a time (2026-03-01T08:30Z, 08:30 or -2h)", started_s);
    if (detected_s && wr_lifecycle_time_parse(detected_s, &detected) != 0)
        return wr_args_usage(&a, "--detected \"%s\" is not a time (2026-03-01T08:50Z, 08:50 or -1h)", detected_s);
    int drill = wr_args_flag(&a, "--drill", NULL);
    int r = wr_args_no_more_options(&a);
    if (r)
        return r;
    if (a.argc < 1)
        return wr_args_usage(&a, "give the incident a title");
    char *title = wr_args_join(a.argc, a.argv);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_declare_at(&o, title, sev, type, drill ? "drill" : "real", started, detected, &w, &err);
    free(title);
    if ((r = wr_args_prepared(&a, s, &err)) != 0)
        return r;
    int64_t seq = 0, id = 0;
    r = wr_args_submit(&a, &w, &seq, &id);
    if (r == 0 && !c->submit) {
        if (c->json)
            wr_buf_printf(&c->out, "{\"ok\":true,\"incident\":%lld,\"ref\":\"INC-%lld\",\"seq\":%lld}\n",
                          (long long)id, (long long)id, (long long)seq);
        else
            wr_buf_printf(&c->out, "INC-%lld declared (%s%s)\n", (long long)id, sev ? sev : "SEV3",
                          drill ? ", drill" : "");
    }
    return r;
}

static int cmd_note(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("note"), c};
    const char *tag = NULL;
    if (wr_args_opt(&a, "--tag", &tag) < 0)
        return 2;
    int r = wr_args_no_more_options(&a);
    int64_t inc;
    if (r || (r = wr_args_incident(&a, 1, &inc)) != 0)
        return r;
    if (a.argc < 1)
        return wr_args_usage(&a, "write the note's text");
    char *text = wr_args_join(a.argc, a.argv);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_note_tagged(&o, inc, text, tag, &w, &err);
    free(text);
    if ((r = wr_args_prepared(&a, s, &err)) != 0)
        return r;
    int64_t seq = 0;
    if ((r = wr_args_submit(&a, &w, &seq, NULL)) == 0)
        wr_args_ok_line(c, inc, seq, "noted");
    return r;
}

static int do_set(wr_args *a, const char *field)
{
    wr_cmdctx *c = a->c;
    const char *reason = NULL, *into_s = NULL, *expect = NULL;
    if (wr_args_opt(a, "--reason", &reason) < 0 || wr_args_opt(a, "--expect", &expect) < 0)
        return 2;
    int is_status = field && strcmp(field, "status") == 0;
    if (is_status && wr_args_opt(a, "--into", &into_s) < 0)
        return 2;
    int64_t into = 0;
    if (into_s && wr_incident_parse_ref(into_s, &into) != 0)
        return wr_args_usage(a, "--into \"%s\" is not an incident: write it as INC-42", into_s);
    int force = wr_args_flag(a, "--force", NULL);
    int r = wr_args_no_more_options(a);
    int64_t inc;
    int need = field ? 1 : 2;
    if (r || (r = wr_args_incident(a, need, &inc)) != 0)
        return r;
    if (a->argc < need)
        return wr_args_usage(a, field ? "give the new %s" : "give a field and its new value%s", field ? field : "");
    if (!field) {
        field = a->argv[0];
        wr_args_drop(a, 0, 1);
    }
    char *value = wr_args_join(a->argc, a->argv);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = is_status ? wr_op_status(&o, inc, value, into, reason, force, &w, &err)
                            : wr_op_set(&o, inc, field, value, reason, 0, force, &w, &err);
    if (s == WR_OK) /* intent: the value as the operator saw it (--expect, or the console's screen) */
        wr_op_expect(&w, wr_args_expect_field(c, inc, field, expect));
    if ((r = wr_args_prepared(a, s, &err)) == 0) {
        int64_t seq = 0;
        char what[300];
        if (into)
            snprintf(what, sizeof what, "merged into INC-%lld", (long long)into);
        else
            snprintf(what, sizeof what, "%s set", field);
        if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
            wr_args_ok_line(c, inc, seq, what);
    }
    free(value);
    return r;
}

static int cmd_set(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("set"), c};
    return do_set(&a, NULL);
}

static int cmd_severity(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("severity"), c};
    return do_set(&a, "severity");
}

static int cmd_status(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("status"), c};
    return do_set(&a, "status");
}

static int do_assign(wr_args *a, int remove)
{
    const char *expect = NULL, *reason = NULL;
    if (wr_args_opt(a, "--expect", &expect) < 0 || wr_args_opt(a, "--reason", &reason) < 0)
        return 2;
    int force = wr_args_flag(a, "--force", NULL), new_user = wr_args_flag(a, "--new-user", NULL);
    int r = wr_args_no_more_options(a);
    int64_t inc;
    if (r || (r = wr_args_incident(a, 2, &inc)) != 0)
        return r;
    if (a->argc != 2)
        return wr_args_usage(a, "give a role and an operator");
    if (force && (!reason || !*reason))
        return wr_args_usage(a, "forcing a role change past the policy needs a reason: add --reason TEXT");
    wr_opctx o = wr_args_opctx(a->c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_assign(&o, inc, a->argv[0], a->argv[1], remove, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    if (force)
        wr_op_force(&w, reason);
    if (!remove) /* intent: who held the role when the operator looked */
        wr_op_expect(&w, wr_args_expect_holder(a->c, inc, a->argv[0], expect));
    if (!remove && !new_user && wr_person_known(a->c->store, a->argv[1], NULL) == WR_PERSON_UNKNOWN) {
        /* Not a user of this host, not on call, never seen here: a typo hands the incident to nobody. */
        char q[300];
        snprintf(q, sizeof q, "%.64s is not a user of this host, not on call and new to this war room: assign %.64s "
                 "to %.64s anyway? y/n", a->argv[1], a->argv[0], a->argv[1]);
        if (a->c->confirm) {
            a->c->confirm(a->c, q, &w);
            return 0;
        }
        wr_write_clear(&w);
        return wr_args_usage(a, "\"%s\" is not a user of this host, not on the on-call file and never seen in this "
                             "war room: check the name, or add --new-user to assign it anyway", a->argv[1]);
    }
    int64_t seq = 0;
    char what[200];
    snprintf(what, sizeof what, "%s %s %.64s", remove ? "removed from" : "assigned", a->argv[0], a->argv[1]);
    if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
        wr_args_ok_line(a->c, inc, seq, what);
    return r;
}

static int cmd_assign(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("assign"), c};
    return do_assign(&a, 0);
}

static int cmd_unassign(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("unassign"), c};
    return do_assign(&a, 1);
}

static int do_pin(wr_args *a, int pin)
{
    int r = wr_args_no_more_options(a);
    int64_t inc;
    if (r || (r = wr_args_incident(a, 1, &inc)) != 0)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "give the timeline entry number (as shown by `warroom tail`)");
    const char *n = a->argv[0][0] == '#' ? a->argv[0] + 1 : a->argv[0];
    long long seq;
    if (wr_args_number(n, INT64_MAX, &seq) != 0)
        return wr_args_usage(a, "\"%s\" is not an entry number", a->argv[0]);
    wr_opctx o = wr_args_opctx(a->c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_pin(&o, inc, seq, pin, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    int64_t eseq = 0;
    if ((r = wr_args_submit(a, &w, &eseq, NULL)) == 0)
        wr_args_ok_line(a->c, inc, eseq, pin ? "pinned" : "unpinned");
    return r;
}

static int cmd_pin(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("pin"), c};
    return do_pin(&a, 1);
}

static int cmd_unpin(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("unpin"), c};
    return do_pin(&a, 0);
}

static int cmd_help(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("help"), c};
    if (a.argc > 1)
        return wr_args_usage(&a, "one command at a time");
    if (a.argc == 1 && !wr_cmd_find(a.argv[0]))
        return wr_args_usage(&a, "no command \"%s\"", a.argv[0]);
    wr_cmd_help(&c->out, a.argc ? a.argv[0] : NULL, strcmp(c->source, "cli") != 0);
    return 0;
}

static int cmd_version(wr_cmdctx *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    wr_buf_printf(&c->out, "warroom %s (schema %d)\n", WARROOM_VERSION, WR_SCHEMA_VERSION);
    return 0;
}

/* ---- the table ---- */

#define CLI WR_CMD_CLI
#define PROMPT WR_CMD_PROMPT
#define UI WR_CMD_UI
#define WRITES WR_CMD_WRITES
#define NODB WR_CMD_NODB

const wr_cmd wr_cmds[] = {
    {"declare", "[--severity SEV1..SEV5] [--type TYPE] [--drill] [--started TIME] [--detected TIME] TITLE...",
     "declare a new incident",
     CLI | PROMPT | WRITES, cmd_declare, "text ...", ""},
    {"list", "[--all]", "list incidents, open ones first", CLI, wr_cmd_list, "", NULL},
    {"show", "[INC]", "show an incident: fields, roles, latest timeline", CLI, wr_cmd_show, "incident", NULL},
    {"note", "[INC] [--tag went-well|went-badly|contributing-factor] TEXT...",
     "add a note to the timeline (tagged notes feed the postmortem)", CLI | PROMPT | WRITES, cmd_note, "text ...", ""},
    {"set", "[INC] [--expect OLD] [--reason TEXT] FIELD VALUE...",
     "change a field: severity, status, title, summary, impact, type, decision", CLI | PROMPT | WRITES, cmd_set,
     "field text ...", "title|summary|impact|type"},
    {"severity", "[INC] SEV1..SEV5 [--expect SEVn] [--reason TEXT]", "change the severity (SEV1 is the worst)",
     CLI | PROMPT | WRITES, cmd_severity, "severity", NULL},
    {"status", "[INC] STATUS [--into INC] [--expect STATUS] [--force] [--reason TEXT]",
     "move the incident to a status (triage ... closed; merged --into INC)", CLI | PROMPT | WRITES, cmd_status,
     "status incident", NULL},
    {"milestone", "[INC] [NAME TIME|- --reason TEXT]", "show milestones and metrics, or correct (backfill) one",
     CLI | PROMPT | WRITES, wr_cmd_milestone, "text text", NULL},
    {"decision", "[INC] [clear|complicated|complex|chaotic]", "set the decision frame (Cynefin) and see its approach",
     CLI | PROMPT | WRITES, wr_cmd_decision, "text", NULL},
    {"asset", "[INC] add|remove KIND NAME... | list", "affected assets (database prod-orders, ...)",
     CLI | PROMPT | WRITES, wr_cmd_asset, "text text text ...", "add *|remove *"},
    {"indicator", "[INC] add|remove TYPE VALUE [--note TEXT] | list",
     "indicators of compromise (ip, cidr, domain, url, email, hash, account, file, other)", CLI | PROMPT | WRITES,
     wr_cmd_indicator, "text text text", NULL},
    {"roles", "[INC] [--history]", "who holds which role, what the severity requires, and the handovers",
     CLI | PROMPT, wr_cmd_roles, "incident", NULL},
    {"who", "[INC]", "who is in the war room now", CLI | PROMPT, wr_cmd_who, "incident", NULL},
    {"update", "[INC] --audience internal|executive|customer [--send] [TEXT... | -]",
     "print a CAN update template, or record (and --send) a stakeholder update", CLI | PROMPT | WRITES,
     wr_cmd_update, "text ...", ""},
    {"action", "[INC] add [--owner U] [--due DATE] [--type T] TITLE... | done|wontdo|reopen N [--reason TEXT] | list",
     "follow-up action items (detective, preventive, corrective)", CLI | PROMPT | WRITES, wr_cmd_action,
     "text text ...", "add"},
    {"postmortem", "[INC] [--json]", "write the blameless postmortem (Markdown, or --json data)", CLI,
     wr_cmd_postmortem, "incident", NULL},
    {"report", "[--since DATE] [--drills] [--json]", "response metrics across incidents (median, p90)", CLI,
     wr_cmd_report, "", NULL},
    {"assign", "[INC] ROLE USER [--expect HOLDER|-] [--new-user] [--force --reason TEXT]",
     "give a role to an operator (a single-holder role is handed over)",
     CLI | PROMPT | WRITES, cmd_assign, "role operator", NULL},
    {"unassign", "[INC] ROLE USER [--force --reason TEXT]", "take an operator off a role", CLI | PROMPT | WRITES,
     cmd_unassign,
     "role operator", NULL},
    {"pin", "[INC] N", "mark timeline entry #N as a key moment", CLI | PROMPT | WRITES, cmd_pin, "text", NULL},
    {"unpin", "[INC] N", "unmark timeline entry #N", CLI | PROMPT | WRITES, cmd_unpin, "text", NULL},
    {"tail", "[INC] [-f] [--lines N] [--all]", "print the timeline; -f keeps printing new entries", CLI,
     wr_cmd_tail, "incident", NULL},
    {"export", "[INC] [--json]", "the whole incident with every event, as JSON", CLI, wr_cmd_export, "incident", NULL},
    {"runbook", "lint FILE... | list | show ID | attach [INC] ID | suggest [INC]",
     "check, list, read, attach or suggest runbooks", CLI | PROMPT | NODB, wr_cmd_runbook, "runbook runbook", NULL},
    {"step", "[INC] [RUNBOOK/]STEP done|skip|block|start|todo [--expect STATE] [--force] [--reason TEXT] | STEP "
     "assign USER | STEP note TEXT",
     "change a checklist step (skip and block need a reason)", CLI | PROMPT | WRITES, wr_cmd_step,
     "step text operator", "* note"},
    {"oncall", "[--at TIME] [--team TEAM] [--oncall FILE]", "who is on call now (or then), shifts, escalation",
     CLI | PROMPT | NODB, wr_cmd_oncall, "", NULL},
    {"alert", "[--source NAME] [--rules FILE|--no-rules] [--batch N] < JSON | --http [--source NAME] [--timeout S]"
     " [--max-body MIB] [--token-file FILE] | declare FP [--severity SEV] [--type T] [--drill] | attach FP INC"
     " | dismiss FP --reason TEXT | rules [FILE]",
     "take in alerts on stdin or as one HTTP request (--http), or triage one", CLI | PROMPT | WRITES | NODB,
     wr_cmd_alert, "text text incident", NULL},
    {"alerts", "[--all] [--incident INC]", "alerts awaiting triage, newest first", CLI, wr_cmd_alerts, "", NULL},
    {"drill", "list | lint FILE... | run SCENARIO [--speed N]", "practise runbooks: list, check or run a drill",
     CLI | NODB, wr_cmd_drill, "text", NULL},
    {"replay", "[INC] [--speed N]", "replay an incident's timeline as it happened", CLI | PROMPT, wr_cmd_replay,
     "incident", NULL},
    {"init", "", "create a new, empty database at the configured place", CLI | NODB, wr_cmd_init, "", NULL},
    {"doctor", "[--full] [--rebuild]", "check the database, its filesystem and its locks (--rebuild: re-derive the state from the event log)", CLI | NODB, wr_cmd_doctor, "", NULL},
    {"demo", "[--reset]", "open the console on a ready demo war room (its own database)", CLI | NODB, NULL, "", NULL},
    {"help", "[COMMAND]", "list commands, or explain one", CLI | PROMPT | NODB, cmd_help, "command", NULL},
    {"version", "", "print the version", CLI | NODB, cmd_version, "", NULL},
    /* Console acts (the console carries them out; listed here for keys, completion and help). */
    {"quit", "", "leave the console", PROMPT | UI, NULL, "", NULL},
    {"focus-next", "", "move to the next pane", UI, NULL, "", NULL},
    {"focus-prev", "", "move to the previous pane", UI, NULL, "", NULL},
    {"up", "", "select the previous line", UI, NULL, "", NULL},
    {"down", "", "select the next line", UI, NULL, "", NULL},
    {"page-up", "", "scroll a page up", UI, NULL, "", NULL},
    {"page-down", "", "scroll a page down", UI, NULL, "", NULL},
    {"top", "", "go to the first line", UI, NULL, "", NULL},
    {"bottom", "", "go to the last line", UI, NULL, "", NULL},
    {"select", "", "act on the selected line (tick a step, open an incident)", UI, NULL, "", NULL},
    {"tick", "", "mark the selected runbook step done (or back to to-do)", UI, NULL, "", NULL},
    {"toggle-pin", "", "pin or unpin the selected timeline entry", UI, NULL, "", NULL},
    {"incidents", "", "show the incident list", PROMPT | UI, NULL, "", NULL},
    {"triage", "", "show the alerts awaiting triage (d declare, a attach, x dismiss)", PROMPT | UI, NULL, "", NULL},
    {"open", "INC", "open an incident in the console", PROMPT | UI, NULL, "incident", NULL},
    {"theme", "NAME", "switch the colour theme", PROMPT | UI, NULL, "theme", NULL},
    {"redraw", "", "repaint the whole screen", PROMPT | UI, NULL, "", NULL},
    {"prompt", "[TEXT]", "open the : command line", UI, NULL, "", NULL},
};
const size_t wr_ncmds = WR_ARRAY_LEN(wr_cmds);

const wr_keybind wr_default_keys[] = {
    {":", "prompt"},
    {"?", "help"},
    {"q", "quit"},
    {"Tab", "focus-next"},
    {"BTab", "focus-prev"},
    {"k", "up"},
    {"Up", "up"},
    {"j", "down"},
    {"Down", "down"},
    {"PgUp", "page-up"},
    {"PgDn", "page-down"},
    {"Home", "top"},
    {"g", "top"},
    {"End", "bottom"},
    {"G", "bottom"},
    {"Enter", "select"},
    {"Space", "tick"},
    {"p", "toggle-pin"},
    {"n", "prompt note -- "},
    {"a", "prompt assign "},
    {"s", "prompt severity "},
    {"S", "prompt status "},
    {"D", "prompt declare "},
    {"L", "incidents"},
    {"T", "triage"},
    {"U", "update"},
    {"C-l", "redraw"},
};
const size_t wr_ndefault_keys = WR_ARRAY_LEN(wr_default_keys);
