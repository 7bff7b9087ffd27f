/* cmd.c - the command table and the handlers shared by the CLI and the console's `:` prompt. */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"
#include "warroom/pending.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- argument helpers ---- */



int wr_args_usage(wr_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wr_buf_printf(&a->c->err, "%s: ", a->cmd->name);
    wr_buf_vprintf(&a->c->err, fmt, ap);
    va_end(ap);
    wr_buf_printf(&a->c->err, "\nusage: %s%s %s\n", strcmp(a->c->source, "cli") == 0 ? "warroom " : ":",
                  a->cmd->name, a->cmd->args);
    return 2;
}

void wr_args_drop(wr_args *a, int i, int n)
{
    memmove(&a->argv[i], &a->argv[i + n], (size_t)(a->argc - i - n) * sizeof(char *));
    a->argc -= n;
}

int wr_args_flag(wr_args *a, const char *flag, const char *alias)
{
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0)
            break;
        if (strcmp(a->argv[i], flag) == 0 || (alias && strcmp(a->argv[i], alias) == 0)) {
            wr_args_drop(a, i, 1);
            return 1;
        }
    }
    return 0;
}

/* --name VALUE or --name=VALUE. 1 found, 0 absent, -1 missing value (usage error written). */
int wr_args_opt(wr_args *a, const char *name, const char **val)
{
    size_t n = strlen(name);
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0)
            break;
        if (strncmp(a->argv[i], name, n) == 0 && a->argv[i][n] == '=') {
            *val = a->argv[i] + n + 1;
            wr_args_drop(a, i, 1);
            return 1;
        }
        if (strcmp(a->argv[i], name) == 0) {
            if (i + 1 >= a->argc) {
                wr_args_usage(a, "%s needs a value", name);
                return -1;
            }
            *val = a->argv[i + 1];
            wr_args_drop(a, i, 2);
            return 1;
        }
    }
    return 0;
}

/* After options are taken: refuse unknown ones, drop a "--" separator. 0 ok, 2 usage error. */
int wr_args_no_more_options(wr_args *a)
{
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0) {
            wr_args_drop(a, i, 1);
            return 0;
        }
        if (a->argv[i][0] == '-' && a->argv[i][1] == '-')
            return wr_args_usage(a, "unknown option %s", a->argv[i]);
    }
    return 0;
}

static int looks_like_ref(const char *s)
{
    int64_t id;
    return wr_incident_parse_ref(s, &id) == 0;
}

/* Resolve the incident: an explicit INC first argument when more than `need` arguments are given, else the
 * console's current incident, else the one open incident. 0 ok, else an exit code. */
int wr_args_incident(wr_args *a, int need, int64_t *id)
{
    const char *ref = NULL;
    int64_t probe;
    if (a->argc > need && wr_incident_parse_ref(a->argv[0], &probe) == -2)
        return wr_args_usage(a, "\"%s\" is not an incident: incident numbers go from 1 to 9223372036854775807",
                             a->argv[0]);
    if (a->argc > need && looks_like_ref(a->argv[0])) {
        ref = a->argv[0];
        wr_args_drop(a, 0, 1);
    }
    if (!ref && a->c->current) {
        *id = a->c->current;
        return 0;
    }
    wr_error err = {0};
    wr_status s = wr_incident_resolve(a->c->store, ref, id, &err);
    if (s != WR_OK && ref && a->c->submit && wr_pending_keeps(s) && wr_incident_parse_ref(ref, id) == 0) {
        /* The console cannot reach the database just now: what the operator typed is kept as written (the
         * store checks the incident when the write lands). */
        return 0;
    }
    if (s != WR_OK) {
        wr_buf_printf(&a->c->err, "%s: %s\n", a->cmd->name, err.msg);
        return wr_status_exit_code(s);
    }
    return 0;
}

int wr_args_number(const char *s, long long max, long long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s))
        return -1; /* no sign, no space: strtoll would take them */
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v <= 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

char *wr_args_join(int argc, char **argv)
{
    wr_buf b = {0};
    for (int i = 0; i < argc; i++) {
        if (i)
            wr_buf_putc(&b, ' ');
        wr_buf_puts(&b, argv[i]);
    }
    return wr_buf_steal(&b);
}

int wr_args_fail(wr_cmdctx *c, const char *name, const wr_error *err)
{
    wr_buf_printf(&c->err, "%s: %s\n", name, err->msg);
    return wr_status_exit_code(err->status);
}

/* Record a prepared write: handed to the console, or committed now (waiting up to wait_ms). */
int wr_args_submit(wr_args *a, wr_write *w, int64_t *seq, int64_t *result)
{
    wr_cmdctx *c = a->c;
    if (c->submit)
        return wr_status_exit_code((wr_status)c->submit(c, w));
    wr_error err = {0};
    wr_status s = wr_op_commit(c->store, w, c->wait_ms, seq, result, &err);
    if (s != WR_OK)
        return wr_args_fail(c, a->cmd->name, &err);
    return 0;
}

int wr_args_prepared(wr_args *a, wr_status s, const wr_error *err)
{
    if (s == WR_OK)
        return 0;
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err->msg);
    return wr_args_fail(a->c, a->cmd->name, err);
}

wr_opctx wr_args_opctx(wr_cmdctx *c)
{
    wr_opctx o = {c->store, c->actor, c->source, 0};
    return o;
}

void wr_args_ok_line(wr_cmdctx *c, int64_t inc, int64_t seq, const char *what)
{
    if (c->json)
        wr_buf_printf(&c->out, "{\"ok\":true,\"incident\":%lld,\"ref\":\"INC-%lld\",\"seq\":%lld}\n",
                      (long long)inc, (long long)inc, (long long)seq);
    else if (!c->submit)
        wr_buf_printf(&c->out, "INC-%lld: %s (#%lld)\n", (long long)inc, what, (long long)seq);
}

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
    const char *reason = NULL, *into_s = NULL;
    if (wr_args_opt(a, "--reason", &reason) < 0)
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
    int r = wr_args_no_more_options(a);
    int64_t inc;
    if (r || (r = wr_args_incident(a, 2, &inc)) != 0)
        return r;
    if (a->argc != 2)
        return wr_args_usage(a, "give a role and an operator");
    wr_opctx o = wr_args_opctx(a->c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_assign(&o, inc, a->argv[0], a->argv[1], remove, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
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
    {"declare", "TITLE... [--severity SEV1..SEV5] [--type TYPE] [--drill] [--started TIME] [--detected TIME]",
     "declare a new incident",
     CLI | PROMPT | WRITES, cmd_declare, "text ..."},
    {"list", "[--all]", "list incidents, open ones first", CLI, wr_cmd_list, ""},
    {"show", "[INC]", "show an incident: fields, roles, latest timeline", CLI, wr_cmd_show, "incident"},
    {"note", "[INC] TEXT... [--tag went-well|went-badly|contributing-factor]",
     "add a note to the timeline (tagged notes feed the postmortem)", CLI | PROMPT | WRITES, cmd_note, "text ..."},
    {"set", "[INC] FIELD VALUE... [--reason TEXT]",
     "change a field: severity, status, title, summary, impact, type, decision", CLI | PROMPT | WRITES, cmd_set,
     "field text ..."},
    {"severity", "[INC] SEV1..SEV5 [--reason TEXT]", "change the severity (SEV1 is the worst)",
     CLI | PROMPT | WRITES, cmd_severity, "severity"},
    {"status", "[INC] STATUS [--into INC] [--reason TEXT] [--force]",
     "move the incident to a status (triage ... closed; merged --into INC)", CLI | PROMPT | WRITES, cmd_status,
     "status incident"},
    {"milestone", "[INC] [NAME TIME|- --reason TEXT]", "show milestones and metrics, or correct (backfill) one",
     CLI | PROMPT | WRITES, wr_cmd_milestone, "text text"},
    {"decision", "[INC] [clear|complicated|complex|chaotic]", "set the decision frame (Cynefin) and see its approach",
     CLI | PROMPT | WRITES, wr_cmd_decision, "text"},
    {"asset", "[INC] add|remove KIND NAME... | list", "affected assets (database prod-orders, ...)",
     CLI | PROMPT | WRITES, wr_cmd_asset, "text text text ..."},
    {"indicator", "[INC] add|remove TYPE VALUE [--note TEXT] | list",
     "indicators of compromise (ip, cidr, domain, url, email, hash, account, file, other)", CLI | PROMPT | WRITES,
     wr_cmd_indicator, "text text text"},
    {"roles", "[INC] [--history]", "who holds which role, what the severity requires, and the handovers",
     CLI | PROMPT, wr_cmd_roles, "incident"},
    {"who", "[INC]", "who is in the war room now", CLI | PROMPT, wr_cmd_who, "incident"},
    {"update", "[INC] --audience internal|executive|customer [--send] [TEXT... | -]",
     "print a CAN update template, or record (and --send) a stakeholder update", CLI | PROMPT | WRITES,
     wr_cmd_update, "text ..."},
    {"action", "[INC] add TITLE... [--owner U] [--due DATE] [--type T] | done|wontdo|reopen N | list",
     "follow-up action items (detective, preventive, corrective)", CLI | PROMPT | WRITES, wr_cmd_action,
     "text text ..."},
    {"postmortem", "[INC] [--json]", "write the blameless postmortem (Markdown, or --json data)", CLI,
     wr_cmd_postmortem, "incident"},
    {"report", "[--since DATE] [--drills] [--json]", "response metrics across incidents (median, p90)", CLI,
     wr_cmd_report, ""},
    {"assign", "[INC] ROLE USER", "give a role to an operator (a single-holder role is handed over)",
     CLI | PROMPT | WRITES, cmd_assign, "role operator"},
    {"unassign", "[INC] ROLE USER", "take an operator off a role", CLI | PROMPT | WRITES, cmd_unassign,
     "role operator"},
    {"pin", "[INC] N", "mark timeline entry #N as a key moment", CLI | PROMPT | WRITES, cmd_pin, "text"},
    {"unpin", "[INC] N", "unmark timeline entry #N", CLI | PROMPT | WRITES, cmd_unpin, "text"},
    {"tail", "[INC] [-f] [--lines N] [--all]", "print the timeline; -f keeps printing new entries", CLI,
     wr_cmd_tail, "incident"},
    {"export", "[INC] [--json]", "the whole incident with every event, as JSON", CLI, wr_cmd_export, "incident"},
    {"runbook", "lint FILE... | list | show ID | attach [INC] ID | suggest [INC]",
     "check, list, read, attach or suggest runbooks", CLI | PROMPT | NODB, wr_cmd_runbook, "runbook runbook"},
    {"step", "[INC] [RUNBOOK/]STEP done|skip|block|start|todo [--reason TEXT] | STEP assign USER | STEP note TEXT",
     "change a checklist step (skip and block need a reason)", CLI | PROMPT | WRITES, wr_cmd_step,
     "step text operator"},
    {"oncall", "[--at TIME] [--team TEAM] [--oncall FILE]", "who is on call now (or then), shifts, escalation",
     CLI | PROMPT | NODB, wr_cmd_oncall, ""},
    {"alert", "[--source NAME] [--rules FILE|--no-rules] < JSON | declare FP [--severity SEV] [--type T] [--drill]"
     " | attach FP INC | dismiss FP --reason TEXT | rules [FILE]",
     "take in alerts on stdin, or triage one", CLI | PROMPT | WRITES | NODB, wr_cmd_alert, "text text incident"},
    {"alerts", "[--all] [--incident INC]", "alerts awaiting triage, newest first", CLI, wr_cmd_alerts, ""},
    {"drill", "list | lint FILE... | run SCENARIO [--speed N]", "practise runbooks: list, check or run a drill",
     CLI | NODB, wr_cmd_drill, "text"},
    {"replay", "[INC] [--speed N]", "replay an incident's timeline as it happened", CLI | PROMPT, wr_cmd_replay,
     "incident"},
    {"init", "", "create a new, empty database at the configured place", CLI | NODB, wr_cmd_init, ""},
    {"doctor", "[--full] [--rebuild]", "check the database, its filesystem and its locks (--rebuild: re-derive the state from the event log)", CLI | NODB, wr_cmd_doctor, ""},
    {"demo", "[--reset]", "open the console on a ready demo war room (its own database)", CLI | NODB, NULL, ""},
    {"help", "[COMMAND]", "list commands, or explain one", CLI | PROMPT | NODB, cmd_help, "command"},
    {"version", "", "print the version", CLI | NODB, cmd_version, ""},
    /* Console acts (the console carries them out; listed here for keys, completion and help). */
    {"quit", "", "leave the console", PROMPT | UI, NULL, ""},
    {"focus-next", "", "move to the next pane", UI, NULL, ""},
    {"focus-prev", "", "move to the previous pane", UI, NULL, ""},
    {"up", "", "select the previous line", UI, NULL, ""},
    {"down", "", "select the next line", UI, NULL, ""},
    {"page-up", "", "scroll a page up", UI, NULL, ""},
    {"page-down", "", "scroll a page down", UI, NULL, ""},
    {"top", "", "go to the first line", UI, NULL, ""},
    {"bottom", "", "go to the last line", UI, NULL, ""},
    {"select", "", "act on the selected line (tick a step, open an incident)", UI, NULL, ""},
    {"tick", "", "mark the selected runbook step done (or back to to-do)", UI, NULL, ""},
    {"toggle-pin", "", "pin or unpin the selected timeline entry", UI, NULL, ""},
    {"incidents", "", "show the incident list", PROMPT | UI, NULL, ""},
    {"triage", "", "show the alerts awaiting triage (d declare, a attach, x dismiss)", PROMPT | UI, NULL, ""},
    {"open", "INC", "open an incident in the console", PROMPT | UI, NULL, "incident"},
    {"theme", "NAME", "switch the colour theme", PROMPT | UI, NULL, "theme"},
    {"redraw", "", "repaint the whole screen", PROMPT | UI, NULL, ""},
    {"prompt", "[TEXT]", "open the : command line", UI, NULL, ""},
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
    {"n", "prompt note "},
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

const wr_cmd *wr_cmd_find(const char *name)
{
    const wr_cmd *found = NULL;
    size_t n = strlen(name);
    if (!n)
        return NULL;
    for (size_t i = 0; i < wr_ncmds; i++) {
        if (strcmp(wr_cmds[i].name, name) == 0)
            return &wr_cmds[i];
        if (strncmp(wr_cmds[i].name, name, n) == 0) {
            if (found)
                return NULL; /* ambiguous prefix */
            found = &wr_cmds[i];
        }
    }
    return found;
}

int wr_cmd_split(const char *line, int *argc, char ***argv, wr_buf *err)
{
    int n = 0;
    char **v = NULL;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        wr_buf word = {0};
        wr_buf_puts(&word, "");
        char quote = 0;
        for (; *p; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
                else if (*p == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\'))
                    wr_buf_putc(&word, *++p);
                else
                    wr_buf_putc(&word, *p);
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == '\\' && p[1]) {
                wr_buf_putc(&word, *++p);
            } else if (*p == ' ' || *p == '\t') {
                break;
            } else {
                wr_buf_putc(&word, *p);
            }
        }
        if (quote) {
            wr_buf_printf(err, "unclosed %c quote: close it, or escape it with a backslash", quote);
            wr_buf_free(&word);
            wr_cmd_free_argv(n, v);
            return -1;
        }
        v = wr_xreallocarray(v, (size_t)n + 2, sizeof *v);
        v[n++] = wr_buf_steal(&word);
        v[n] = NULL;
    }
    if (!v) {
        v = wr_xcalloc(1, sizeof *v);
    }
    *argc = n;
    *argv = v;
    return 0;
}

void wr_cmd_free_argv(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* A command during which SQLite met a broken page (or an I/O error) may have read part of what it shows, even
 * if the code that read it dropped the error; one that failed because of damage may have printed part of its
 * answer before it found it. Either way nothing it printed is shown as if it were whole: it fails with the
 * damaged status (9; 8 for an I/O error) and one sentence says what to do. doctor reports damage itself. */
static int damage_guard(wr_cmdctx *c, const wr_cmd *cmd, const wr_store_faults *before,
                        const wr_store_faults *after, int r)
{
    if (strcmp(cmd->name, "doctor") == 0 || ((cmd->flags & WR_CMD_WRITES) && c->submit))
        return r; /* the console's writes: the pending queue says what became of them */
    int damaged = after->damaged != before->damaged || r == wr_status_exit_code(WR_E_CORRUPT);
    int io = after->io != before->io && r == 0;
    if (!damaged && !io)
        return r;
    wr_error err = {0};
    if (damaged && (cmd->flags & WR_CMD_WRITES) && r == 0) {
        /* The change itself was committed: keep its acknowledgement, and say what was found. */
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
        wr_buf_printf(&c->err, "%s: the change was recorded, but %s\n", cmd->name, err.msg);
        return wr_status_exit_code(WR_E_CORRUPT);
    }
    wr_buf_reset(&c->out);
    if (r == wr_status_exit_code(WR_E_CORRUPT))
        return r; /* it said so itself (wr_store_damaged_error) */
    wr_buf_reset(&c->err);
    if (damaged) {
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
    } else {
        wr_error_set(&err, WR_E_IO, "an I/O error on %s while reading it, so nothing read is shown as if it were "
                                    "whole: is a network mount gone? retrying is safe",
                     c->db_path ? c->db_path : "the database");
    }
    return wr_args_fail(c, cmd->name, &err);
}

int wr_cmd_run(wr_cmdctx *c, int argc, char **argv)
{
    if (argc < 1) {
        wr_buf_puts(&c->err, "no command given: `help` lists them\n");
        return 2;
    }
    const wr_cmd *cmd = wr_cmd_find(argv[0]);
    int cli = strcmp(c->source, "cli") == 0;
    if (!cmd || (cli && !(cmd->flags & WR_CMD_CLI)) || (!cli && !(cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI)))) {
        const char *names[128];
        size_t n = 0;
        for (size_t i = 0; i < wr_ncmds && n < 128; i++)
            if (wr_cmds[i].flags & (cli ? WR_CMD_CLI : (WR_CMD_PROMPT | WR_CMD_UI)))
                names[n++] = wr_cmds[i].name;
        const char *s = wr_suggest(argv[0], names, n);
        wr_buf_printf(&c->err, "\"%s\" is not a command%s%s%s; `%shelp` lists them\n", argv[0],
                      s ? " (did you mean " : "", s ? s : "", s ? "?)" : "", cli ? "warroom " : ":");
        return 2;
    }
    if (!cmd->fn) {
        wr_buf_printf(&c->err, "%s is an act of the console: open `warroom` and use it there\n", cmd->name);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            wr_cmd_help(&c->out, cmd->name, !cli);
            return 0;
        }
    /* Handlers may reorder and drop their arguments: give them a copy of the vector. */
    char **copy = wr_xcalloc((size_t)argc + 1, sizeof *copy);
    memcpy(copy, argv + 1, (size_t)(argc - 1) * sizeof *copy);
    wr_store_faults before, after;
    wr_store_faults_get(&before);
    int r = cmd->fn(c, argc - 1, copy);
    free(copy);
    wr_store_faults_get(&after);
    return damage_guard(c, cmd, &before, &after, r);
}

void wr_cmd_help(wr_buf *out, const char *name, int ui)
{
    if (name) {
        const wr_cmd *cmd = wr_cmd_find(name);
        if (!cmd)
            return;
        wr_buf_printf(out, "%s%s %s\n  %s\n", ui ? ":" : "warroom ", cmd->name, cmd->args, cmd->summary);
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            size_t n = strlen(cmd->name);
            const char *kc = wr_default_keys[i].command;
            if (strcmp(kc, cmd->name) == 0 || (wr_startswith(kc, "prompt ") && strncmp(kc + 7, cmd->name, n) == 0 &&
                                               (kc[7 + n] == ' ' || !kc[7 + n])))
                wr_buf_printf(out, "  key: %s\n", wr_default_keys[i].key);
        }
        return;
    }
    if (!ui)
        wr_buf_puts(out, "usage: warroom [--db PATH] [--as NAME] [--json] [--wait SECONDS] COMMAND [ARGS]\n"
                         "       warroom            open the console\n\ncommands:\n");
    else
        wr_buf_puts(out, "commands (type them after :)\n");
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (ui ? !(cmd->flags & WR_CMD_PROMPT) : !(cmd->flags & WR_CMD_CLI))
            continue;
        if (strlen(cmd->args) <= 40)
            wr_buf_printf(out, "  %-10s %-40s %s\n", cmd->name, cmd->args, cmd->summary);
        else
            wr_buf_printf(out, "  %-10s %s\n  %-10s %-40s %s\n", cmd->name, cmd->args, "", "", cmd->summary);
    }
    if (ui) {
        wr_buf_puts(out, "\nkeys\n");
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            const char *kc = wr_default_keys[i].command;
            char word[32];
            snprintf(word, sizeof word, "%s", wr_startswith(kc, "prompt ") ? kc + 7 : kc);
            word[strcspn(word, " ")] = '\0';
            const wr_cmd *cmd = wr_cmd_find(word);
            wr_buf_printf(out, "  %-6s %-16s %s\n", wr_default_keys[i].key, kc,
                          cmd ? cmd->summary : "");
        }
    }
}
