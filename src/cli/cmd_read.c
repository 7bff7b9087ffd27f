/* SPDX-License-Identifier: MIT */
/* cmd_read.c - the commands that read: list, show, export and tail (-f follows the log as it grows). A read
 * that fails part-way (the database damaged, a mount gone) reports the failure and prints nothing as if it
 * were the whole answer. */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/incident.h"
#include "warroom/json.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/text.h"
#include "warroom/watch.h"

#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Print cleaned text: nothing another operator wrote can reach this terminal raw. */
static void put_clean(wr_buf *out, const char *s, unsigned flags)
{
    wr_text_clean(out, s, strlen(s), flags);
}

int wr_cmd_list(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int all = wr_args_has(a, "--all");
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    if (c->json) {
        char *json = NULL;
        wr_status s = wr_incident_list_json(c->store, !all, &json, &err);
        if (s != WR_OK)
            return wr_args_fail(c, "list", &err);
        wr_json_doc(&c->out, "incidents", json);
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
        if (wr_incident_kind_is_drill(v[i].kind))
            wr_buf_puts(&c->out, "[DRILL] ");
        wr_text_fit(&c->out, v[i].title, strlen(v[i].title), 60, 1, 0);
        wr_buf_putc(&c->out, '\n');
    }
    wr_incidents_free(v, n);
    return 0;
}

/* One timeline line: "#N" is the entry's number in its incident (docs/store.md). A text of several lines
 * (a note or an update written so) shows its first line and a marker: `tail --json` and the postmortem
 * have the whole of it. */
static void event_line(wr_buf *out, const wr_event *ev, int64_t n, int with_incident)
{
    char t[16];
    char *d = wr_event_describe(ev);
    wr_buf_printf(out, "#%-5lld %s ", (long long)n, wr_time_hms(ev->occurred_at, t, sizeof t));
    if (with_incident)
        wr_buf_printf(out, "INC-%lld ", (long long)ev->incident);
    size_t w = wr_text_fit(out, ev->actor, strlen(ev->actor), 12, 1, 0);
    for (; w < 12; w++)
        wr_buf_putc(out, ' ');
    wr_buf_puts(out, ev->pinned ? " * " : "   ");
    if (!wr_ev_is(ev->kind, WR_EV_NOTE))
        wr_buf_printf(out, "[%s] ", ev->kind);
    size_t first = strcspn(d, "\n");
    int more = wr_text_more_lines(d);
    d[first] = '\0';
    put_clean(out, d, WR_TEXT_ONELINE);
    if (more)
        wr_buf_printf(out, " [+%d line%s]", more, more == 1 ? "" : "s");
    wr_buf_putc(out, '\n');
    free(d);
}

int wr_cmd_show(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    if (c->json) {
        char *json = NULL;
        if (wr_incident_json(c->store, inc, 0, &json, &err) != WR_OK)
            return wr_args_fail(c, "show", &err);
        wr_json_doc(&c->out, NULL, json);
        free(json);
        return 0;
    }
    wr_incident i;
    if (wr_incident_get(c->store, inc, &i, &err) != WR_OK)
        return wr_args_fail(c, "show", &err);
    char ref[32], when[32], age[32];
    wr_buf *o = &c->out;
    wr_buf_printf(o, "%s  %s  %s%s\n", wr_incident_ref(i.id, ref, sizeof ref), i.severity, i.status,
                  wr_incident_kind_is_drill(i.kind) ? "  [DRILL]" : "");
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
    if (wr_roles_list(c->store, inc, &roles, &nroles, &err) != WR_OK) {
        wr_incident_clear(&i);
        return wr_args_fail(c, "show", &err);
    }
    {
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
    if (wr_attached_list(c->store, inc, &att, &natt, &err) != WR_OK) {
        wr_incident_clear(&i);
        return wr_args_fail(c, "show", &err);
    }
    if (natt) {
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
    if (wr_checklist_get(c->store, inc, &steps, &nsteps, &err) != WR_OK) {
        wr_incident_clear(&i);
        return wr_args_fail(c, "show", &err);
    }
    if (nsteps) {
        size_t done = 0;
        for (size_t k = 0; k < nsteps; k++)
            done += steps[k].st == WR_STEP_STATE_DONE || steps[k].st == WR_STEP_STATE_SKIPPED;
        wr_buf_printf(o, "checklist (%zu of %zu steps done or skipped):\n", done, nsteps);
        const char *phase = "";
        for (size_t k = 0; k < nsteps; k++) {
            const wr_step_row *row = &steps[k];
            if (strcmp(row->phase, phase) != 0) {
                phase = row->phase;
                wr_buf_printf(o, "  %s\n", phase);
            }
            const char *mark = row->st == WR_STEP_STATE_DONE      ? "[x]"
                             : row->st == WR_STEP_STATE_SKIPPED   ? "[-]"
                             : row->st == WR_STEP_STATE_BLOCKED   ? "[!]"
                             : row->st == WR_STEP_STATE_IN_PROGRESS ? "[~]"
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
    if (wr_store_events_before(c->store, inc, 0, 10, wr_event_list_add, &col, &err) != WR_OK) {
        wr_event_list_free(&col);
        wr_incident_clear(&i);
        return wr_args_fail(c, "show", &err);
    }
    wr_buf_printf(o, "timeline (latest %zu; `warroom tail %s` for all):\n", col.n, ref);
    int64_t first = 0;
    if (col.n && wr_store_entry_number(c->store, inc, col.v[col.n - 1].seq, &first, &err) != WR_OK) {
        wr_event_list_free(&col);
        wr_incident_clear(&i);
        return wr_args_fail(c, "show", &err);
    }
    for (size_t k = col.n; k > 0; k--)
        event_line(o, &col.v[k - 1], first + (int64_t)(col.n - k), 0);
    wr_event_list_free(&col);
    wr_incident_clear(&i);
    return 0;
}

int wr_cmd_export(wr_args *a)
{
    wr_cmdctx *c = a->c;
    /* JSON is the export format; --json is accepted for clarity */
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    char *json = NULL;
    if (wr_incident_json(c->store, inc, 1, &json, &err) != WR_OK)
        return wr_args_fail(c, "export", &err);
    wr_json_doc(&c->out, NULL, json);
    free(json);
    return 0;
}

/* The number of the last entry printed, per incident (tail --all prints several). */
typedef struct tail_num {
    int64_t inc, n;
} tail_num;

typedef struct tail_state {
    wr_cmdctx *c;
    int64_t last;
    int all;
    tail_num *nums;
    size_t nnums;
    int failed;
    wr_error err;
} tail_state;

/* The entry's number in its incident: counted once per incident, then one more per entry printed. */
static int64_t tail_number(tail_state *t, const wr_event *ev)
{
    for (size_t i = 0; i < t->nnums; i++)
        if (t->nums[i].inc == ev->incident)
            return ++t->nums[i].n;
    int64_t n = 0;
    if (wr_store_entry_number(t->c->store, ev->incident, ev->seq, &n, &t->err) != WR_OK)
        t->failed = 1;
    t->nums = wr_xreallocarray(t->nums, t->nnums + 1, sizeof *t->nums);
    t->nums[t->nnums++] = (tail_num){ev->incident, n};
    return n;
}

static int tail_cb(const wr_event *ev, void *ctx)
{
    tail_state *t = ctx;
    int64_t n = tail_number(t, ev);
    if (t->failed)
        return 1;
    t->last = ev->seq;
    if (t->c->json) {
        char *json;
        wr_event_json(ev, &json);
        /* The entry's number joins the event's members ({...} as the model wrote it). */
        size_t len = strlen(json);
        if (n && len >= 2 && json[len - 1] == '}') {
            json[len - 1] = '\0';
            wr_buf j = {0};
            wr_buf_puts(&j, json);
            wr_json_kv_int(&j, "n", n);
            wr_buf_putc(&j, '}');
            free(json);
            json = wr_buf_steal(&j);
        }
        wr_json_doc(&t->c->out, NULL, json);
        free(json);
    } else {
        event_line(&t->c->out, ev, n, t->all);
    }
    return 0;
}

/* Print the events after t->last; a failure to number them is the read's failure. */
static wr_status tail_read(wr_cmdctx *c, int64_t inc, tail_state *t, wr_error *err)
{
    wr_status s = wr_store_events_after(c->store, inc, t->last, 0, tail_cb, t, err);
    if (s == WR_OK && t->failed) {
        *err = t->err;
        t->failed = 0;
        t->nnums = 0; /* count again next time */
        return err->status;
    }
    return s;
}

static volatile sig_atomic_t tail_stop;
static void tail_on_signal(int sig)
{
    (void)sig;
    tail_stop = 1;
}

int wr_cmd_tail(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int follow = wr_args_has(a, "--follow");
    int all = wr_args_has(a, "--all");
    const char *nstr = wr_args_get(a, "--lines");
    int r;
    if (follow && !c->submit && strcmp(c->source, "cli") != 0)
        return wr_args_usage(a, "-f works from the command line only");
    int64_t inc = 0;
    if (!all && (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    long long lines = 0;
    if (nstr && strcmp(nstr, "0") != 0 && wr_args_number(nstr, INT_MAX, &lines) != 0)
        return wr_args_usage(a, "--lines takes a number of entries (0 to %d), not \"%s\"", INT_MAX, nstr);
    wr_error err = {0};
    tail_state t = {c, 0, all, NULL, 0, 0, {0}};
    if (nstr && lines == 0) {
        /* --lines 0: nothing of the past (with -f: only what comes). */
        int64_t last = wr_store_last_seq(c->store, &err);
        if (last < 0)
            return wr_args_fail(c, "tail", &err);
        t.last = last;
    } else if (lines > 0) {
        /* Start `lines` events before the end. */
        wr_event_list col = {0};
        wr_status s = all ? wr_store_events_after(c->store, 0, 0, 0, wr_event_list_add, &col, &err)
                          : wr_store_events_before(c->store, inc, 0, (int)lines, wr_event_list_add, &col, &err);
        if (s != WR_OK) {
            wr_event_list_free(&col);
            return wr_args_fail(c, "tail", &err);
        }
        if (col.n) {
            int64_t first = all ? col.v[col.n > (size_t)lines ? col.n - (size_t)lines : 0].seq
                                : col.v[col.n - 1].seq;
            t.last = first - 1;
        }
        wr_event_list_free(&col);
    }
    if (tail_read(c, inc, &t, &err) != WR_OK) {
        free(t.nums);
        return wr_args_fail(c, "tail", &err);
    }
    if (!follow) {
        free(t.nums);
        return 0;
    }
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
    int rc = 0, remote = wr_store_is_remote(c->store), down = 0;
    int64_t next_stat = 0;
    while (!tail_stop) {
        /* On PostgreSQL the server's notifications wake us (and the 200 ms timer reconnects after a loss: the
         * events written meanwhile are read from where we were, none missed). */
        struct pollfd p[2] = {{wfd, POLLIN, 0}, {wr_store_notify_fd(c->store), POLLIN, 0}};
        int n = poll(p, 2, 200);
        if (n > 0 && (p[0].revents & POLLIN))
            wr_watch_drain(wfd);
        int changed = wr_store_changed(c->store);
        struct stat sb;
        if (remote) {
            if (changed < 0 && !down)
                fprintf(stderr, "tail: disconnected from the database: reconnecting\n");
            else if (changed >= 0 && down)
                fprintf(stderr, "tail: reconnected to the database\n");
            down = changed < 0;
            if (down)
                continue;
        } else if (changed >= 0 && wr_clock_mono_ms() >= next_stat) {
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
        if (tail_read(c, inc, &t, &err) != WR_OK) {
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
    free(t.nums);
    return rc;
}
