/* SPDX-License-Identifier: MIT */
/* cmd_prep.c - preparation and detection on the command line: oncall, alert intake and triage, alerts,
 * drills and replay. */
#include "cmd_int.h"

#include "warroom/alert.h"
#include "warroom/clock.h"
#include "warroom/drill.h"
#include "warroom/evkind.h"
#include "warroom/json.h"
#include "warroom/oncall.h"
#include "warroom/paths.h"
#include "warroom/runbook.h"
#include "warroom/text.h"
#include "warroom/tz.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- shared helpers ---- */

static void clean(wr_buf *out, const char *s)
{
    wr_text_clean(out, s ? s : "", s ? strlen(s) : 0, WR_TEXT_ONELINE);
}

static void fit(wr_buf *out, const char *s, size_t cols, int pad)
{
    size_t w = wr_text_fit(out, s ? s : "", s ? strlen(s) : 0, cols, 1, 0);
    for (; pad && w < cols; w++)
        wr_buf_putc(out, ' ');
}

static int parse_speed(wr_args *a, const char *s, double *speed)
{
    char *end;
    errno = 0;
    double v = s ? strtod(s, &end) : 1.0;
    if (s && (errno || *end || !isfinite(v) || v <= 0 || v > 1e9))
        return wr_args_usage(a, "--speed takes a number above 0 (N times faster), not \"%s\"", s);
    *speed = v;
    return 0;
}

static volatile sig_atomic_t prep_stop;
static void on_stop(int sig)
{
    (void)sig;
    prep_stop = 1;
}

typedef struct stop_guard {
    struct sigaction old_int, old_term, old_pipe;
} stop_guard;

static void stop_catch(stop_guard *g)
{
    prep_stop = 0;
    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g->old_int);
    sigaction(SIGTERM, &sa, &g->old_term);
    struct sigaction ign = {0};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &g->old_pipe);
}

static void stop_release(stop_guard *g)
{
    sigaction(SIGINT, &g->old_int, NULL);
    sigaction(SIGTERM, &g->old_term, NULL);
    sigaction(SIGPIPE, &g->old_pipe, NULL);
}

static char *offset_str(int64_t ms, char *buf, size_t size)
{
    int64_t s = ms / 1000;
    snprintf(buf, size, "+%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60),
             (long long)(s % 60));
    return buf;
}

/* ---- oncall ---- */

static void shift_text(const wr_oc_team *t, char *buf, size_t size)
{
    char d[32];
    if (strcmp(t->rot.shift, "custom") == 0)
        snprintf(buf, size, "every %s", wr_rb_duration_format((long)t->rot.length_s, d, sizeof d));
    else
        snprintf(buf, size, "%s", t->rot.shift);
}

static void target_text(wr_buf *o, const wr_oncall_reach *r)
{
    wr_buf_printf(o, "%s:", r->target->is_team ? "team" : "user");
    clean(o, r->target->name);
    if (r->target->is_team) {
        wr_buf_puts(o, " -> ");
        clean(o, r->user ? r->user : "(nobody)");
    }
}

static void oncall_team_text(wr_buf *o, const wr_oncall *oc, const wr_oncall_slot *s, int64_t at)
{
    const wr_oc_team *t = s->team;
    char sh[48], a[48], b[48], d[32];
    shift_text(t, sh, sizeof sh);
    clean(o, t->id);
    if (strcmp(t->name, t->id) != 0) {
        wr_buf_puts(o, "  ");
        clean(o, t->name);
    }
    wr_buf_printf(o, "  (%s, %s)\n  on call    ", sh, t->rot.zone);
    clean(o, s->user);
    if (s->override) {
        wr_buf_puts(o, "  (override: covering ");
        clean(o, s->scheduled);
        wr_buf_puts(o, ")");
    }
    wr_buf_printf(o, "\n  since      %s\n  until      %s (in %s)\n", wr_tz_format(t->rot.zone, s->since, a, sizeof a),
                  wr_tz_format(t->rot.zone, s->until, b, sizeof b), wr_duration(s->until - at, d, sizeof d));
    if (s->override)
        wr_buf_printf(o, "  shift      %s .. %s\n", wr_tz_format(t->rot.zone, s->shift_start, a, sizeof a),
                      wr_tz_format(t->rot.zone, s->shift_end, b, sizeof b));
    wr_buf_puts(o, "  next       ");
    clean(o, s->next);
    wr_buf_putc(o, '\n');
    const wr_oc_policy *p = t->escalation ? wr_oncall_policy(oc, t->escalation) : NULL;
    if (!p)
        return;
    wr_buf_puts(o, "  escalation ");
    clean(o, p->id);
    wr_buf_puts(o, ":\n");
    for (size_t i = 0; i < p->nsteps; i++) {
        wr_oncall_due due = {0};
        wr_oncall_resolve_step(oc, &p->steps[i], at, &due);
        wr_buf_printf(o, "    %-6s ", p->steps[i].after_ms ? wr_rb_duration_format((long)(p->steps[i].after_ms / 1000),
                                                                                  d, sizeof d)
                                                        : "0m");
        for (size_t k = 0; k < due.nreach; k++) {
            if (k)
                wr_buf_puts(o, ", ");
            target_text(o, &due.reach[k]);
        }
        wr_buf_putc(o, '\n');
        wr_oncall_due_free(&due);
    }
}

static void oncall_team_json(wr_buf *o, const wr_oncall *oc, const wr_oncall_slot *s, int64_t at)
{
    const wr_oc_team *t = s->team;
    char a[40];
    wr_buf_putc(o, '{');
    wr_json_kv_str(o, "team", t->id);
    wr_json_kv_str(o, "name", t->name);
    wr_json_kv_str(o, "timezone", t->rot.zone);
    wr_json_kv_str(o, "shift", t->rot.shift);
    wr_json_kv_int(o, "shift_seconds", t->rot.length_s);
    wr_json_kv_str(o, "oncall", s->user);
    wr_json_kv_str(o, "scheduled", s->scheduled);
    wr_json_kv_str(o, "next", s->next);
    wr_json_kv_str(o, "since", wr_time_iso(s->since, a, sizeof a));
    wr_json_kv_str(o, "until", wr_time_iso(s->until, a, sizeof a));
    wr_json_kv_str(o, "shift_start", wr_time_iso(s->shift_start, a, sizeof a));
    wr_json_kv_str(o, "shift_end", wr_time_iso(s->shift_end, a, sizeof a));
    wr_json_key(o, "override");
    if (s->override) {
        wr_buf_putc(o, '{');
        wr_json_kv_str(o, "user", s->override->user);
        wr_json_kv_str(o, "for", s->override->covers);
        wr_json_kv_str(o, "team", s->override->team);
        wr_json_kv_str(o, "from", wr_time_iso(s->override->from, a, sizeof a));
        wr_json_kv_str(o, "to", wr_time_iso(s->override->to, a, sizeof a));
        wr_buf_putc(o, '}');
    } else {
        wr_buf_puts(o, "null");
    }
    const wr_oc_policy *p = t->escalation ? wr_oncall_policy(oc, t->escalation) : NULL;
    wr_json_key(o, "escalation");
    if (!p) {
        wr_buf_puts(o, "null}");
        return;
    }
    wr_buf_putc(o, '{');
    wr_json_kv_str(o, "policy", p->id);
    wr_json_key(o, "steps");
    wr_buf_putc(o, '[');
    for (size_t i = 0; i < p->nsteps; i++) {
        wr_oncall_due due = {0};
        wr_oncall_resolve_step(oc, &p->steps[i], at, &due);
        wr_buf_puts(o, i ? ",{" : "{");
        wr_json_kv_int(o, "after_seconds", p->steps[i].after_ms / 1000);
        wr_json_key(o, "reach");
        wr_buf_putc(o, '[');
        for (size_t k = 0; k < due.nreach; k++) {
            wr_buf_puts(o, k ? ",{" : "{");
            wr_json_kv_str(o, due.reach[k].target->is_team ? "team" : "user", due.reach[k].target->name);
            wr_json_kv_str(o, "person", due.reach[k].user);
            wr_buf_putc(o, '}');
        }
        wr_buf_puts(o, "]}");
        wr_oncall_due_free(&due);
    }
    wr_buf_puts(o, "]}}");
}

int wr_cmd_oncall(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *at_s = wr_args_get(a, "--at"), *team = wr_args_get(a, "--team"), *file = wr_args_get(a, "--oncall");
    int r = 0;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    int64_t at = wr_clock_now_ms();
    if (at_s && wr_time_parse(at_s, &at) != 0)
        return wr_args_usage(a, "--at takes a time such as 2026-03-29T09:00Z, 2026-03-29 09:00+02:00, -2h or now, "
                                 "not \"%s\"", at_s);
    char *path = file ? wr_xstrdup(file) : wr_oncall_default_path();
    if (!path) {
        char *dir = wr_paths_user_config_dir(), *doc = wr_paths_doc("oncall.example.yaml");
        wr_buf_printf(&c->err, "oncall: no on-call file: write %s/oncall.yaml or /etc/warroom/oncall.yaml "
                               "(%s is an example), or name one with --oncall FILE\n", dir, doc);
        free(dir);
        free(doc);
        return wr_status_exit_code(WR_E_NOTFOUND);
    }
    wr_buf err = {0};
    wr_oncall *oc = wr_oncall_load_file(path, &err);
    if (!oc) {
        wr_buf_printf(&c->err, "oncall: %s", wr_buf_str(&err));
        wr_buf_free(&err);
        free(path);
        return wr_args_usage_code();
    }
    wr_buf_free(&err);
    if (team && !wr_oncall_team(oc, team)) {
        const char **ids = wr_xcalloc(oc->nteams + 1, sizeof *ids);
        for (size_t i = 0; i < oc->nteams; i++)
            ids[i] = oc->teams[i].id;
        const char *s = wr_suggest(team, ids, oc->nteams);
        r = wr_args_usage(a, "no team \"%s\" in %s%s%s%s", team, path, s ? " (did you mean " : "", s ? s : "",
                          s ? "?)" : "");
        free(ids);
        wr_oncall_free(oc);
        free(path);
        return r;
    }
    wr_buf *o = &c->out;
    char when[40];
    if (c->json) {
        wr_json_doc_begin(o);
        wr_json_kv_str(o, "at", wr_time_iso(at, when, sizeof when));
        wr_json_kv_str(o, "file", path);
        wr_json_key(o, "teams");
        wr_buf_putc(o, '[');
    } else {
        wr_buf_printf(o, "on call at %s UTC (%s)\n", wr_time_short(at, when, sizeof when), path);
    }
    int n = 0;
    for (size_t i = 0; i < oc->nteams; i++) {
        if (team && strcmp(team, oc->teams[i].id) != 0)
            continue;
        wr_oncall_slot s;
        if (wr_oncall_at(oc, oc->teams[i].id, at, &s) != 0) {
            wr_buf_printf(&c->err, "oncall: cannot compute team %s at that time (out of range)\n", oc->teams[i].id);
            r = wr_args_usage_code();
            continue;
        }
        if (c->json) {
            if (n)
                wr_buf_putc(o, ',');
            oncall_team_json(o, oc, &s, at);
        } else {
            wr_buf_putc(o, '\n');
            oncall_team_text(o, oc, &s, at);
        }
        n++;
    }
    if (c->json) {
        wr_buf_putc(o, ']');
        wr_json_key(o, "roles");
        wr_buf_putc(o, '[');
    } else if (!team && oc->nroles) {
        wr_buf_puts(o, "\nroles (suggested people, on-call first)\n");
    }
    int nroles = 0;
    for (size_t i = 0; !team && i < oc->nroles; i++) {
        wr_oncall_pick p;
        if (wr_oncall_suggest(oc, oc->role_ids[i], at, &p) != 0)
            continue;
        if (c->json) {
            wr_buf_puts(o, nroles++ ? ",{" : "{");
            wr_json_kv_str(o, "role", p.role);
            wr_json_kv_str(o, "team", p.team);
            wr_json_key(o, "people");
            wr_buf_putc(o, '[');
            for (size_t k = 0; k < p.n; k++) {
                if (k)
                    wr_buf_putc(o, ',');
                wr_json_str(o, p.people[k]);
            }
            wr_buf_puts(o, "]}");
        } else {
            wr_buf_printf(o, "  %-24s %-14s ", p.role, p.team);
            for (size_t k = 0; k < p.n; k++) {
                wr_buf_puts(o, k ? ", " : "");
                clean(o, p.people[k]);
            }
            wr_buf_putc(o, '\n');
        }
        wr_oncall_pick_free(&p);
    }
    if (c->json)
        wr_buf_puts(o, "]}\n");
    wr_oncall_free(oc);
    free(path);
    return r;
}

/* ---- drills ---- */

static void drill_dirs(char ***dirs, size_t *n)
{
    wr_paths_search("drills", dirs, n);
}

static void load_runbooks(wr_cmdctx *c, wr_rb_set *set)
{
    wr_buf err = {0};
    memset(set, 0, sizeof *set);
    wr_rb_set_load_dirs(set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, &err);
    wr_buf_free(&err);
}

static int drill_list(wr_args *a)
{
    char **dirs;
    size_t nd;
    drill_dirs(&dirs, &nd);
    wr_drill_set set = {0};
    wr_buf err = {0};
    wr_drill_set_load_dirs(&set, (const char *const *)dirs, nd, &err);
    wr_buf *o = &a->c->out;
    if (a->c->json) {
        wr_json_doc_begin(o);
        wr_json_key(o, "drills");
        wr_buf_putc(o, '[');
        for (size_t i = 0; i < set.n; i++) {
            const wr_drill *x = set.v[i];
            wr_buf_puts(o, i ? ",{" : "{");
            wr_json_key(o, "id");
            wr_json_str(o, x->id);
            wr_json_kv_str(o, "title", x->title);
            wr_json_kv_int(o, "events", (long long)x->nevents);
            wr_json_kv_int(o, "duration_seconds", (long long)(x->duration_ms / 1000));
            wr_buf_putc(o, '}');
        }
        wr_buf_puts(o, "]}\n");
    } else if (!set.n) {
        char *doc = wr_paths_doc("drills.md");
        wr_buf_printf(o, "no drill scenarios found (looked in the drills/ folders; see %s)\n", doc);
        free(doc);
    }
    for (size_t i = 0; !a->c->json && i < set.n; i++) {
        char d[32];
        const wr_drill *x = set.v[i];
        wr_buf_printf(o, "%-32s %3zu events %8s  ", x->id, x->nevents,
                      wr_rb_duration_format((long)(x->duration_ms / 1000), d, sizeof d));
        fit(o, x->title, 60, 0);
        wr_buf_putc(o, '\n');
    }
    if (err.len)
        wr_buf_printf(&a->c->err, "some drill files were not loaded:\n%s", wr_buf_str(&err));
    wr_buf_free(&err);
    wr_drill_set_free(&set);
    wr_paths_free(dirs, nd);
    return 0;
}

static int drill_lint(wr_args *a)
{
    if (a->argc < 1)
        return wr_args_usage(a, "name the scenario files to check");
    wr_rb_set rbs;
    load_runbooks(a->c, &rbs);
    int bad = 0;
    for (int i = 0; i < a->argc; i++) {
        wr_buf err = {0};
        wr_drill *d = wr_drill_load_file(a->argv[i], &err);
        if (d && wr_drill_check_runbooks(d, &rbs, &err) == 0) {
            char dur[32];
            wr_buf_printf(&a->c->out, "%s: ok (%s, %zu events over %s)\n", a->argv[i], d->id, d->nevents,
                          wr_rb_duration_format((long)(d->duration_ms / 1000), dur, sizeof dur));
        } else {
            bad++;
            wr_buf_puts(&a->c->err, wr_buf_str(&err));
        }
        wr_drill_free(d);
        wr_buf_free(&err);
    }
    wr_rb_set_free(&rbs);
    if (bad)
        wr_buf_printf(&a->c->err, "%d of %d file%s failed\n", bad, a->argc, a->argc == 1 ? "" : "s");
    return bad ? WR_EXIT_CHECK_FAILED : 0;
}

static void drill_say(void *ctx, int64_t at_ms, int64_t incident, const char *line, int failed)
{
    wr_cmdctx *c = ctx;
    char off[32];
    wr_buf *b = failed ? &c->err : &c->out;
    wr_buf_printf(b, "[%s] INC-%lld ", offset_str(at_ms, off, sizeof off), (long long)incident);
    clean(b, line);
    wr_buf_putc(b, '\n');
    wr_args_flush(c);
}

static int drill_run(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *speed_s = wr_args_get(a, "--speed");
    int r = 0;
    double speed;
    if ((r = parse_speed(a, speed_s, &speed)) != 0)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "name one scenario (`warroom drill list` shows them) or a scenario file");
    if (!wr_args_is_cli(c))
        return wr_args_usage(a, "drills run from the command line: `warroom drill run SCENARIO`");
    const char *name = a->argv[0];
    wr_buf err = {0};
    wr_drill *file = NULL;
    wr_drill_set set = {0};
    const wr_drill *d = NULL;
    size_t n = strlen(name);
    if (strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0)) {
        d = file = wr_drill_load_file(name, &err);
    } else {
        char **dirs;
        size_t nd;
        drill_dirs(&dirs, &nd);
        wr_buf ignored = {0};
        wr_drill_set_load_dirs(&set, (const char *const *)dirs, nd, &ignored);
        wr_buf_free(&ignored);
        wr_paths_free(dirs, nd);
        d = wr_drill_set_find(&set, name);
        if (!d) {
            const char **ids = wr_xcalloc(set.n + 1, sizeof *ids);
            for (size_t i = 0; i < set.n; i++)
                ids[i] = set.v[i]->id;
            const char *s = wr_suggest(name, ids, set.n);
            r = wr_args_usage(a, "no drill scenario \"%s\"%s%s%s (`warroom drill list` shows them)", name,
                              s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
            free(ids);
        }
    }
    wr_rb_set rbs;
    load_runbooks(c, &rbs);
    if (!d && !r) {
        wr_buf_printf(&c->err, "drill: %s", wr_buf_str(&err));
        r = wr_args_usage_code();
    } else if (d && wr_drill_check_runbooks(d, &rbs, &err) != 0) {
        wr_buf_printf(&c->err, "drill: the scenario names runbooks or steps that are not there:\n%s",
                      wr_buf_str(&err));
        r = wr_args_usage_code();
    }
    if (!r)
        r = wr_args_need_store(c, "drill");
    if (!r) {
        char dur[32];
        wr_buf_printf(&c->err, "drill %s: %zu events over %s at %gx speed; Ctrl-C stops\n", d->id, d->nevents,
                      wr_rb_duration_format((long)(d->duration_ms / 1000), dur, sizeof dur), speed);
        wr_args_flush(c);
        stop_guard g;
        stop_catch(&g);
        wr_drill_runner run = {c->store, c->actor, &rbs, speed, c->wait_ms, &prep_stop, drill_say, c};
        wr_drill_result res;
        wr_error e = {0};
        wr_status s = wr_drill_run(d, &run, &res, &e);
        stop_release(&g);
        if (s != WR_OK) {
            r = wr_args_fail(c, "drill", &e);
        } else {
            if (res.stopped)
                wr_buf_printf(&c->err, "drill stopped: INC-%lld stays open (%zu events written)\n",
                              (long long)res.incident, res.written);
            else
                wr_buf_printf(&c->out, "drill INC-%lld done: %zu events written, %zu refused\n",
                              (long long)res.incident, res.written, res.failed);
            r = res.stopped ? WR_EXIT_STOPPED : res.failed ? WR_EXIT_CHECK_FAILED : 0;
        }
    }
    wr_rb_set_free(&rbs);
    wr_drill_free(file);
    wr_drill_set_free(&set);
    wr_buf_free(&err);
    return r;
}

int wr_cmd_drill(wr_args *a)
{
    if (!a->argc)
        return wr_args_usage(a, "say what to do: list, lint or run");
    const char *sub = a->argv[0];
    wr_args_drop(a, 0, 1);
    if (strcmp(sub, "list") == 0) {
        if (a->argc)
            return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
        return drill_list(a);
    }
    if (strcmp(sub, "lint") == 0)
        return drill_lint(a);
    if (strcmp(sub, "run") == 0)
        return drill_run(a);
    return wr_args_usage(a, "\"%s\" is not a drill action: list, lint or run", sub);
}

/* ---- replay ---- */

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* The entry number of ev in incident inc (its rank by seq among the replay's entries of inc, all of them:
 * docs/store.md), or 0 for an entry of no incident (an alert before triage). */
static int64_t replay_number(const int64_t *seqs, size_t n, const wr_event *ev, int64_t inc)
{
    if (ev->incident != inc)
        return 0;
    const int64_t *at = bsearch(&ev->seq, seqs, n, sizeof *seqs, cmp_i64);
    return at ? (int64_t)(at - seqs) + 1 : 0;
}

int wr_cmd_replay(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *speed_s = wr_args_get(a, "--speed");
    int r;
    double speed;
    int64_t inc;
    if ((r = parse_speed(a, speed_s, &speed)) != 0 || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    if (!wr_args_is_cli(c))
        return wr_args_usage(a, "replay runs from the command line: `warroom replay INC-N`");
    wr_replay rp;
    wr_error err = {0};
    if (wr_replay_load(c->store, inc, &rp, &err) != WR_OK)
        return wr_args_fail(c, "replay", &err);
    char span[32], took[32];
    wr_buf_printf(&c->err, "replaying INC-%lld: %zu entries over %s at %gx speed (about %s); Ctrl-C stops\n",
                  (long long)inc, rp.n, wr_duration(rp.span_ms, span, sizeof span), speed,
                  wr_duration((int64_t)((double)rp.span_ms / speed), took, sizeof took));
    wr_args_flush(c);
    int64_t *seqs = wr_xcalloc(rp.n + 1, sizeof *seqs);
    size_t nseqs = 0;
    for (size_t k = 0; k < rp.n; k++)
        if (rp.v[k].incident == inc)
            seqs[nseqs++] = rp.v[k].seq;
    qsort(seqs, nseqs, sizeof *seqs, cmp_i64);
    stop_guard g;
    stop_catch(&g);
    int64_t start = wr_clock_mono_ms();
    size_t i;
    for (i = 0; i < rp.n; i++) {
        if (wr_drill_sleep_until(start + (int64_t)((double)rp.offset_ms[i] / speed), &prep_stop))
            break;
        const wr_event *ev = &rp.v[i];
        char off[32], t[16];
        if (c->json) {
            char *json;
            wr_event_json(ev, &json);
            wr_json_doc_begin(&c->out);
            wr_json_kv_int(&c->out, "offset_ms", rp.offset_ms[i]);
            wr_json_kv_value(&c->out, "event", json);
            wr_buf_puts(&c->out, "}\n");
            free(json);
        } else {
            char *d = wr_replay_describe(ev);
            int64_t num = replay_number(seqs, nseqs, ev, inc);
            char nb[24] = "-";
            if (num)
                snprintf(nb, sizeof nb, "%lld", (long long)num);
            wr_buf_printf(&c->out, "%s #%-5s %s ", offset_str(rp.offset_ms[i], off, sizeof off), nb,
                          wr_time_hms(ev->occurred_at, t, sizeof t));
            fit(&c->out, ev->actor, 12, 1);
            if (!wr_ev_is(ev->kind, WR_EV_NOTE))
                wr_buf_printf(&c->out, " [%s]", ev->kind);
            wr_buf_putc(&c->out, ' ');
            clean(&c->out, d);
            wr_buf_putc(&c->out, '\n');
            free(d);
        }
        if (wr_args_is_cli(c)) {
            if (fputs(wr_buf_str(&c->out), stdout) < 0 || fflush(stdout) != 0) {
                wr_buf_reset(&c->out);
                break; /* the reader went away */
            }
            wr_buf_reset(&c->out);
        }
    }
    stop_release(&g);
    int stopped = i < rp.n && prep_stop;
    if (stopped)
        wr_buf_printf(&c->err, "replay stopped after %zu of %zu entries\n", i, rp.n);
    wr_replay_free(&rp);
    free(seqs);
    return stopped ? WR_EXIT_STOPPED : 0;
}
