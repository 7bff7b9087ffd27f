/* cmd.c - the command table and the handlers shared by the CLI and the console's `:` prompt (the argument
 * helpers and the dispatcher are in cmd_args.c). */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"
#include "warroom/people.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/text.h"
#include "warroom/watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Print cleaned text: nothing another operator wrote can reach this terminal raw. */
static void put_clean(wr_buf *out, const char *s, unsigned flags)
{
    wr_text_clean(out, s, strlen(s), flags);
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
    char *end;
    long long seq = strtoll(n, &end, 10);
    if (*end || seq <= 0)
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

/* ---- read commands ---- */

static int cmd_list(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("list"), c};
    int all = wr_args_flag(&a, "--all", "-a");
    int r = wr_args_no_more_options(&a);
    if (r)
        return r;
    if (a.argc)
        return wr_args_usage(&a, "unexpected argument \"%s\"", a.argv[0]);
    wr_error err = {0};
    if (c->json) {
        char *json = NULL;
        wr_status s = wr_incident_list_json(c->store, !all, &json, &err);
        if (s != WR_OK)
            return wr_args_fail(c, "list", &err);
        wr_buf_printf(&c->out, "%s\n", json);
        free(json);
        return 0;
    }
    wr_incident *v;
    size_t n;
    if (wr_incident_list(c->store, !all, &v, &n, &err) != WR_OK)
        return wr_args_fail(c, "list", &err);
    if (!n)
        wr_buf_puts(&c->out, all ? "no incidents yet: declare one with `warroom declare TITLE`\n"
                                 : "no open incidents (`warroom list --all` shows closed ones)\n");
    int64_t now = wr_clock_now_ms();
    for (size_t i = 0; i < n; i++) {
        char ref[32], age[32];
        wr_buf_printf(&c->out, "%-8s %-4s %-15s %6s  ", wr_incident_ref(v[i].id, ref, sizeof ref),
                      v[i].severity, v[i].status, wr_duration(now - v[i].declared_at, age, sizeof age));
        if (strcmp(v[i].kind, "drill") == 0)
            wr_buf_puts(&c->out, "[DRILL] ");
        wr_text_fit(&c->out, v[i].title, strlen(v[i].title), 60, 1, 0);
        wr_buf_putc(&c->out, '\n');
    }
    wr_incidents_free(v, n);
    return 0;
}

static void event_line(wr_buf *out, const wr_event *ev, int with_incident)
{
    char t[16];
    char *d = wr_event_describe(ev);
    wr_buf_printf(out, "#%-5lld %s ", (long long)ev->seq, wr_time_hms(ev->occurred_at, t, sizeof t));
    if (with_incident)
        wr_buf_printf(out, "INC-%lld ", (long long)ev->incident);
    size_t w = wr_text_fit(out, ev->actor, strlen(ev->actor), 12, 1, 0);
    for (; w < 12; w++)
        wr_buf_putc(out, ' ');
    wr_buf_puts(out, ev->pinned ? " * " : "   ");
    if (strcmp(ev->kind, "note") != 0)
        wr_buf_printf(out, "[%s] ", ev->kind);
    put_clean(out, d, WR_TEXT_ONELINE);
    wr_buf_putc(out, '\n');
    free(d);
}

static int cmd_show(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("show"), c};
    int r = wr_args_no_more_options(&a);
    int64_t inc;
    if (r || (r = wr_args_incident(&a, 0, &inc)) != 0)
        return r;
    if (a.argc)
        return wr_args_usage(&a, "unexpected argument \"%s\"", a.argv[0]);
    wr_error err = {0};
    if (c->json) {
        char *json = NULL;
        if (wr_incident_json(c->store, inc, 0, &json, &err) != WR_OK)
            return wr_args_fail(c, "show", &err);
        wr_buf_printf(&c->out, "%s\n", json);
        free(json);
        return 0;
    }
    wr_incident i;
    if (wr_incident_get(c->store, inc, &i, &err) != WR_OK)
        return wr_args_fail(c, "show", &err);
    char ref[32], when[32], age[32];
    wr_buf *o = &c->out;
    wr_buf_printf(o, "%s  %s  %s%s\n", wr_incident_ref(i.id, ref, sizeof ref), i.severity, i.status,
                  strcmp(i.kind, "drill") == 0 ? "  [DRILL]" : "");
    wr_buf_puts(o, "title:    ");
    put_clean(o, i.title, WR_TEXT_ONELINE);
    wr_buf_puts(o, "\ntype:     ");
    put_clean(o, *i.type ? i.type : "-", WR_TEXT_ONELINE);
    wr_buf_printf(o, "\ndeclared: %s UTC (%s ago)\n", wr_time_short(i.declared_at, when, sizeof when),
                  wr_duration(wr_clock_now_ms() - i.declared_at, age, sizeof age));
    wr_buf_puts(o, "summary:  ");
    put_clean(o, *i.summary ? i.summary : "-", WR_TEXT_ONELINE);
    wr_buf_puts(o, "\nimpact:   ");
    put_clean(o, *i.impact ? i.impact : "-", WR_TEXT_ONELINE);
    wr_buf_putc(o, '\n');
    wr_cmd_show_lifecycle(c, &i);
    wr_buf_puts(o, "roles:\n");
    wr_role_holder *roles;
    size_t nroles;
    size_t ndefs;
    const wr_role_def *defs = wr_policy_roles(&ndefs);
    if (wr_roles_list(c->store, inc, &roles, &nroles, &err) == WR_OK) {
        for (size_t k = 0; k < ndefs; k++) {
            const wr_role_def *d = &defs[k];
            wr_buf_printf(o, "  %-24s ", d->title);
            int any = 0;
            for (size_t j = 0; j < nroles; j++)
                if (strcmp(roles[j].role, d->id) == 0) {
                    if (any++)
                        wr_buf_puts(o, ", ");
                    put_clean(o, roles[j].holder, WR_TEXT_ONELINE);
                }
            wr_buf_puts(o, any ? "\n" : "-\n");
        }
        wr_roles_free(roles, nroles);
    }
    wr_attached *att;
    size_t natt;
    if (wr_attached_list(c->store, inc, &att, &natt, &err) == WR_OK && natt) {
        wr_rb_set set = {0};
        wr_buf rberr = {0};
        wr_rb_set_load_dirs(&set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, &rberr);
        wr_buf_puts(o, "runbooks:\n");
        for (size_t k = 0; k < natt; k++) {
            wr_buf_printf(o, "  %s v%ld (sha256 %.12s)", att[k].runbook, att[k].version, att[k].sha256);
            const wr_runbook *now = wr_rb_set_find(&set, att[k].runbook);
            if (now && strcmp(now->sha256, att[k].sha256) != 0)
                wr_buf_printf(o, "  - a newer version is on disk (v%ld, %s); this incident keeps its copy",
                              now->version, now->path);
            wr_buf_putc(o, '\n');
        }
        wr_rb_set_free(&set);
        wr_buf_free(&rberr);
        wr_attached_free(att, natt);
    }
    wr_step_row *steps;
    size_t nsteps;
    if (wr_checklist_get(c->store, inc, &steps, &nsteps, &err) == WR_OK && nsteps) {
        size_t done = 0;
        for (size_t k = 0; k < nsteps; k++)
            done += strcmp(steps[k].state, "done") == 0 || strcmp(steps[k].state, "skipped") == 0;
        wr_buf_printf(o, "checklist (%zu of %zu steps done or skipped):\n", done, nsteps);
        const char *phase = "";
        for (size_t k = 0; k < nsteps; k++) {
            const wr_step_row *row = &steps[k];
            if (strcmp(row->phase, phase) != 0) {
                phase = row->phase;
                wr_buf_printf(o, "  %s\n", phase);
            }
            const char *mark = strcmp(row->state, "done") == 0 ? "[x]" : strcmp(row->state, "skipped") == 0 ? "[-]"
                             : strcmp(row->state, "blocked") == 0 ? "[!]" : strcmp(row->state, "in-progress") == 0 ? "[~]"
                             : "[ ]";
            wr_buf_printf(o, "    %s%s %-32s ", mark, row->mandatory ? "*" : " ", row->step);
            wr_text_fit(o, row->title, strlen(row->title), 50, 1, 0);
            if (*row->owner) {
                wr_buf_puts(o, "  @");
                put_clean(o, row->owner, WR_TEXT_ONELINE);
            }
            if (row->notes)
                wr_buf_printf(o, "  [%d note%s]", row->notes, row->notes == 1 ? "" : "s");
            if (*row->reason) {
                wr_buf_puts(o, "  (");
                put_clean(o, row->reason, WR_TEXT_ONELINE);
                wr_buf_putc(o, ')');
            }
            wr_buf_putc(o, '\n');
        }
        wr_checklist_free(steps, nsteps);
    }
    wr_event_list col = {0};
    wr_store_events_before(c->store, inc, 0, 10, wr_event_list_add, &col, &err);
    wr_buf_printf(o, "timeline (latest %zu; `warroom tail %s` for all):\n", col.n, ref);
    for (size_t k = col.n; k > 0; k--)
        event_line(o, &col.v[k - 1], 0);
    wr_event_list_free(&col);
    wr_incident_clear(&i);
    return 0;
}

static int cmd_export(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("export"), c};
    wr_args_flag(&a, "--json", NULL); /* JSON is the export format; the flag is accepted for clarity */
    int r = wr_args_no_more_options(&a);
    int64_t inc;
    if (r || (r = wr_args_incident(&a, 0, &inc)) != 0)
        return r;
    if (a.argc)
        return wr_args_usage(&a, "unexpected argument \"%s\"", a.argv[0]);
    wr_error err = {0};
    char *json = NULL;
    if (wr_incident_json(c->store, inc, 1, &json, &err) != WR_OK)
        return wr_args_fail(c, "export", &err);
    wr_buf_printf(&c->out, "%s\n", json);
    free(json);
    return 0;
}

typedef struct tail_state {
    wr_cmdctx *c;
    int64_t last;
    int all;
} tail_state;

static int tail_cb(const wr_event *ev, void *ctx)
{
    tail_state *t = ctx;
    t->last = ev->seq;
    if (t->c->json) {
        char *json;
        wr_event_json(ev, &json);
        wr_buf_printf(&t->c->out, "%s\n", json);
        free(json);
    } else {
        event_line(&t->c->out, ev, t->all);
    }
    return 0;
}

static volatile sig_atomic_t tail_stop;
static void tail_on_signal(int sig)
{
    (void)sig;
    tail_stop = 1;
}

static int cmd_tail(wr_cmdctx *c, int argc, char **argv)
{
    wr_args a = {argc, argv, wr_cmd_find("tail"), c};
    int follow = wr_args_flag(&a, "--follow", "-f");
    int all = wr_args_flag(&a, "--all", NULL);
    const char *nstr = NULL;
    if (wr_args_opt(&a, "--lines", &nstr) < 0)
        return 2;
    int r = wr_args_no_more_options(&a);
    if (r)
        return r;
    if (follow && !c->submit && strcmp(c->source, "cli") != 0)
        return wr_args_usage(&a, "-f works from the command line only");
    int64_t inc = 0;
    if (!all && (r = wr_args_incident(&a, 0, &inc)) != 0)
        return r;
    if (a.argc)
        return wr_args_usage(&a, "unexpected argument \"%s\"", a.argv[0]);
    long lines = 0;
    if (nstr) {
        char *end;
        lines = strtol(nstr, &end, 10);
        if (*end || lines < 0)
            return wr_args_usage(&a, "--lines takes a number");
    }
    wr_error err = {0};
    tail_state t = {c, 0, all};
    if (lines > 0) {
        /* Start `lines` events before the end. */
        wr_event_list col = {0};
        if (all)
            wr_store_events_after(c->store, 0, 0, 0, wr_event_list_add, &col, &err);
        else
            wr_store_events_before(c->store, inc, 0, (int)lines, wr_event_list_add, &col, &err);
        if (col.n) {
            int64_t first = all ? col.v[col.n > (size_t)lines ? col.n - (size_t)lines : 0].seq
                                : col.v[col.n - 1].seq;
            t.last = first - 1;
        }
        wr_event_list_free(&col);
    }
    if (wr_store_events_after(c->store, inc, t.last, 0, tail_cb, &t, &err) != WR_OK)
        return wr_args_fail(c, "tail", &err);
    if (!follow)
        return 0;
    /* Follow: print as events arrive. inotify wakes us early for writers on this host; the 200 ms timer
     * finds other hosts' writes through PRAGMA data_version. */
    fputs(wr_buf_str(&c->out), stdout);
    fflush(stdout);
    wr_buf_reset(&c->out);
    struct sigaction sa = {0};
    sa.sa_handler = tail_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int wfd = wr_watch_open(wr_store_path(c->store));
    int rc = 0;
    int64_t next_stat = 0;
    while (!tail_stop) {
        struct pollfd p = {wfd, POLLIN, 0};
        int n = poll(&p, wfd >= 0 ? 1 : 0, 200);
        if (n > 0)
            wr_watch_drain(wfd);
        int changed = wr_store_changed(c->store);
        struct stat sb;
        if (changed >= 0 && wr_clock_mono_ms() >= next_stat) {
            /* A database that vanished (deleted, or its network mount dropped) gives no error through the
             * open descriptor: look at the path now and then. */
            next_stat = wr_clock_mono_ms() + 2000;
            if (stat(wr_store_path(c->store), &sb) != 0)
                changed = -1;
        }
        if (changed < 0) {
            wr_buf_printf(&c->err, "tail: lost the database %s\n", wr_store_path(c->store));
            rc = wr_status_exit_code(WR_E_IO);
            break;
        }
        if (!changed)
            continue;
        if (wr_store_events_after(c->store, inc, t.last, 0, tail_cb, &t, &err) != WR_OK) {
            if (err.status == WR_E_BUSY)
                continue;
            rc = wr_args_fail(c, "tail", &err);
            break;
        }
        if (c->out.len) {
            if (fputs(wr_buf_str(&c->out), stdout) < 0 || fflush(stdout) != 0)
                break; /* reader went away */
            wr_buf_reset(&c->out);
        }
    }
    wr_watch_close(wfd);
    return rc;
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
    {"list", "[--all]", "list incidents, open ones first", CLI, cmd_list, "", NULL},
    {"show", "[INC]", "show an incident: fields, roles, latest timeline", CLI, cmd_show, "incident", NULL},
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
     cmd_tail, "incident", NULL},
    {"export", "[INC] [--json]", "the whole incident with every event, as JSON", CLI, cmd_export, "incident", NULL},
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
