/* SPDX-License-Identifier: MIT */
/* cmd_lifecycle.c - milestone, decision, asset, indicator, update and action commands, and the
 * lifecycle part of `show`. */
#include "cmd_int.h"

#include "warroom/paths.h"

#include "warroom/action.h"
#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/text.h"
#include "warroom/update.h"
#include "warroom/update_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void clean1(wr_buf *out, const char *s)
{
    wr_text_clean(out, s, strlen(s), WR_TEXT_ONELINE);
}

/* Pad to `cols` after text that took `used` columns. */
static void pad(wr_buf *out, size_t used, size_t cols)
{
    for (; used < cols; used++)
        wr_buf_putc(out, ' ');
}

static void fit(wr_buf *out, const char *s, size_t cols)
{
    pad(out, wr_text_fit(out, s, strlen(s), cols, 1, 0), cols);
}

/* Commit a prepared write and print the usual line. */
static int submit(wr_args *a, wr_status s, const wr_error *err, wr_write *w, int64_t inc, const char *what,
                  int64_t *seq_out)
{
    int r = wr_args_prepared(a, s, err);
    if (r)
        return r;
    int64_t seq = 0;
    if ((r = wr_args_submit(a, w, &seq, NULL)) == 0)
        wr_args_ok_line(a->c, inc, seq, what);
    if (seq_out)
        *seq_out = seq;
    return r;
}

/* ---- milestone ---- */

static void milestones_json(wr_buf *o, const wr_milestones *m)
{
    char t[40];
    int64_t met[WR_MET_COUNT];
    wr_metrics_compute(m, met);
    wr_buf_puts(o, "\"milestones\":{");
    for (int k = 0; k < WR_MS_COUNT; k++) {
        wr_json_key(o, wr_milestone_names[k]);
        if (m->at[k])
            wr_json_str(o, wr_time_iso(m->at[k], t, sizeof t));
        else
            wr_buf_puts(o, "null");
    }
    wr_buf_puts(o, "},\"metrics_seconds\":{");
    for (int k = 0; k < WR_MET_COUNT; k++) {
        wr_json_key(o, wr_metric_keys[k]);
        if (met[k] >= 0)
            wr_buf_printf(o, "%lld", (long long)((met[k] + 500) / 1000));
        else
            wr_buf_puts(o, "null");
    }
    wr_buf_putc(o, '}');
}

int wr_cmd_milestone(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *reason = wr_args_get(a, "--reason");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, a->argc >= 2 ? 2 : 0, &inc)) != 0)
        return r;
    wr_error err = {0};
    if (a->argc == 0) {
        wr_milestones m;
        if (wr_milestones_get(c->store, inc, &m, &err) != WR_OK)
            return wr_args_fail(c, "milestone", &err);
        if (c->json) {
            char ref[32];
            wr_json_doc_begin(&c->out);
            wr_json_kv_str(&c->out, "incident", wr_incident_ref(inc, ref, sizeof ref));
            wr_buf_putc(&c->out, ',');
            milestones_json(&c->out, &m);
            wr_buf_puts(&c->out, "}\n");
            return 0;
        }
        char t[40], d[32];
        wr_buf_printf(&c->out, "INC-%lld milestones (UTC):\n", (long long)inc);
        for (int k = 0; k < WR_MS_COUNT; k++) {
            wr_buf_printf(&c->out, "  %-13s ", wr_milestone_names[k]);
            if (m.at[k] && strcmp(m.source[k], "manual") == 0)
                wr_buf_printf(&c->out, "%-20s (corrected by hand)\n", wr_lifecycle_time(m.at[k], t, sizeof t));
            else if (m.at[k])
                wr_buf_printf(&c->out, "%s\n", wr_lifecycle_time(m.at[k], t, sizeof t));
            else
                wr_buf_puts(&c->out, "-\n");
        }
        int64_t met[WR_MET_COUNT];
        wr_metrics_compute(&m, met);
        wr_buf_puts(&c->out, "metrics:\n");
        for (int k = 0; k < WR_MET_COUNT; k++)
            wr_buf_printf(&c->out, "  %-20s %s\n", wr_metric_names[k],
                          met[k] >= 0 ? wr_lifecycle_duration(met[k], d, sizeof d) : "-");
        return 0;
    }
    if (a->argc != 2)
        return wr_args_usage(a, "give a milestone and its time (- clears it)");
    int64_t at = 0;
    if (strcmp(a->argv[1], "-") != 0 && strcmp(a->argv[1], "none") != 0 && wr_lifecycle_time_parse(a->argv[1], &at) != 0)
        return wr_args_usage(a, "\"%s\" is not a time: write 2026-03-01T10:40Z, 10:40 (today, UTC) or -15m",
                             a->argv[1]);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_milestone(&o, inc, a->argv[0], at, reason, &w, &err);
    char what[120], t[40];
    snprintf(what, sizeof what, "%s %s%s", a->argv[0], at ? "set to " : "cleared", at ? wr_lifecycle_time(at, t, sizeof t) : "");
    return submit(a, s, &err, &w, inc, what, NULL);
}

/* ---- decision ---- */

int wr_cmd_decision(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *reason = wr_args_get(a, "--reason");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    wr_error err = {0};
    if (a->argc == 0) {
        wr_incident i;
        if (wr_incident_get(c->store, inc, &i, &err) != WR_OK)
            return wr_args_fail(c, "decision", &err);
        const char *ap = wr_decision_approach(i.decision);
        if (c->json) {
            char ref[32];
            wr_json_doc_begin(&c->out);
            wr_json_kv_str(&c->out, "incident", wr_incident_ref(inc, ref, sizeof ref));
            wr_json_kv_str(&c->out, "decision", *i.decision ? i.decision : NULL);
            wr_json_kv_str(&c->out, "approach", ap);
            wr_buf_puts(&c->out, "}\n");
        } else if (ap) {
            wr_buf_printf(&c->out, "INC-%lld decision frame: %s (%s)\n", (long long)inc, i.decision, ap);
        } else {
            wr_buf_printf(&c->out, "INC-%lld has no decision frame yet: clear, complicated, complex or chaotic\n",
                          (long long)inc);
        }
        wr_incident_clear(&i);
        return 0;
    }
    if (a->argc != 1)
        return wr_args_usage(a, "give one frame: clear, complicated, complex or chaotic");
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_set(&o, inc, "decision", a->argv[0], reason, 0, 0, &w, &err);
    char what[300];
    const char *ap = wr_decision_approach(a->argv[0]);
    snprintf(what, sizeof what, "decision %s: %s", a->argv[0], ap ? ap : "");
    return submit(a, s, &err, &w, inc, what, NULL);
}

/* ---- assets and indicators ---- */

int wr_cmd_asset(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    wr_error err = {0};
    const char *sub = a->argc ? a->argv[0] : "list";
    if (strcmp(sub, "list") == 0) {
        if (a->argc > 1)
            return wr_args_usage(a, "list takes nothing more");
        wr_asset *v;
        size_t n;
        if (wr_assets_list(c->store, inc, &v, &n, &err) != WR_OK)
            return wr_args_fail(c, "asset", &err);
        if (c->json) {
            wr_json_doc_begin(&c->out);
            wr_json_key(&c->out, "assets");
            wr_buf_putc(&c->out, '[');
            char t[40];
            for (size_t i = 0; i < n; i++) {
                wr_buf_puts(&c->out, i ? ",{" : "{");
                wr_json_kv_str(&c->out, "kind", v[i].kind);
                wr_json_kv_str(&c->out, "name", v[i].name);
                wr_json_kv_str(&c->out, "added_by", v[i].added_by);
                wr_json_kv_str(&c->out, "added_at", wr_time_iso(v[i].added_at, t, sizeof t));
                wr_buf_putc(&c->out, '}');
            }
            wr_buf_puts(&c->out, "]}\n");
        } else {
            if (!n)
                wr_buf_printf(&c->out, "INC-%lld has no affected assets (`asset add KIND NAME`)\n", (long long)inc);
            for (size_t i = 0; i < n; i++) {
                wr_buf_printf(&c->out, "%-20s ", v[i].kind);
                clean1(&c->out, v[i].name);
                wr_buf_putc(&c->out, '\n');
            }
        }
        wr_assets_free(v, n);
        return 0;
    }
    int remove = strcmp(sub, "remove") == 0 || strcmp(sub, "rm") == 0;
    if (!remove && strcmp(sub, "add") != 0)
        return wr_args_usage(a, "\"%s\" is not an asset action: add, remove or list", sub);
    if (a->argc < 3)
        return wr_args_usage(a, "give the asset's kind and name, e.g. database prod-orders");
    char *name = wr_args_join(a->argc - 2, a->argv + 2);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_asset(&o, inc, a->argv[1], name, remove, &w, &err);
    char what[300];
    snprintf(what, sizeof what, "%s %s %.200s", remove ? "no longer affected:" : "affected asset", a->argv[1], name);
    free(name);
    return submit(a, s, &err, &w, inc, what, NULL);
}

int wr_cmd_indicator(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *note = wr_args_get(a, "--note");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    wr_error err = {0};
    const char *sub = a->argc ? a->argv[0] : "list";
    if (strcmp(sub, "list") == 0) {
        if (a->argc > 1)
            return wr_args_usage(a, "list takes nothing more");
        wr_indicator *v;
        size_t n;
        if (wr_indicators_list(c->store, inc, &v, &n, &err) != WR_OK)
            return wr_args_fail(c, "indicator", &err);
        if (c->json) {
            wr_json_doc_begin(&c->out);
            wr_json_key(&c->out, "indicators");
            wr_buf_putc(&c->out, '[');
            char t[40];
            for (size_t i = 0; i < n; i++) {
                wr_buf_puts(&c->out, i ? ",{" : "{");
                wr_json_kv_str(&c->out, "type", v[i].type);
                wr_json_kv_str(&c->out, "value", v[i].value);
                wr_json_kv_str(&c->out, "note", v[i].note);
                wr_json_kv_str(&c->out, "added_by", v[i].added_by);
                wr_json_kv_str(&c->out, "added_at", wr_time_iso(v[i].added_at, t, sizeof t));
                wr_buf_putc(&c->out, '}');
            }
            wr_buf_puts(&c->out, "]}\n");
        } else {
            if (!n)
                wr_buf_printf(&c->out, "INC-%lld has no indicators (`indicator add TYPE VALUE`)\n", (long long)inc);
            for (size_t i = 0; i < n; i++) {
                wr_buf_printf(&c->out, "%-8s ", v[i].type);
                clean1(&c->out, v[i].value);
                if (*v[i].note) {
                    wr_buf_puts(&c->out, "  (");
                    clean1(&c->out, v[i].note);
                    wr_buf_putc(&c->out, ')');
                }
                wr_buf_putc(&c->out, '\n');
            }
        }
        wr_indicators_free(v, n);
        return 0;
    }
    int remove = strcmp(sub, "remove") == 0 || strcmp(sub, "rm") == 0;
    if (!remove && strcmp(sub, "add") != 0)
        return wr_args_usage(a, "\"%s\" is not an indicator action: add, remove or list", sub);
    if (a->argc != 3)
        return wr_args_usage(a, "give the indicator's type and value, e.g. ip 203.0.113.7 (quote a value with "
                                 "spaces)");
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_indicator(&o, inc, a->argv[1], a->argv[2], note, remove, &w, &err);
    char what[300];
    snprintf(what, sizeof what, "indicator %s %s %.200s", remove ? "removed:" : "added:", a->argv[1], a->argv[2]);
    return submit(a, s, &err, &w, inc, what, NULL);
}

/* ---- stakeholder updates ---- */

static char *read_stdin(size_t max, int *too_long)
{
    wr_buf b = {0};
    char tmp[4096];
    size_t got;
    *too_long = 0;
    while ((got = fread(tmp, 1, sizeof tmp, stdin)) > 0) {
        wr_buf_append(&b, tmp, got);
        if (b.len > max) {
            *too_long = 1;
            break;
        }
    }
    return wr_buf_steal(&b);
}

int wr_cmd_update(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *audience = wr_args_get(a, "--audience");
    int send = wr_args_has(a, "--send");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (!audience)
        return wr_args_usage(a, "say who it is for: --audience internal, executive or customer");
    if (!wr_update_audience_valid(audience))
        return wr_args_usage(a, "\"%s\" is not an audience: internal, executive or customer", audience);
    wr_error err = {0};
    if (a->argc == 0) {
        if (send)
            return wr_args_usage(a, "write the update's text (or - to read it from stdin) to send it");
        char *text = NULL;
        if (wr_update_template(c->store, inc, audience, &text, &err) != WR_OK)
            return wr_args_fail(c, "update", &err);
        if (c->json) {
            char ref[32];
            wr_json_doc_begin(&c->out);
            wr_json_kv_str(&c->out, "incident", wr_incident_ref(inc, ref, sizeof ref));
            wr_json_kv_str(&c->out, "audience", audience);
            wr_json_kv_str(&c->out, "template", text);
            wr_buf_puts(&c->out, "}\n");
        } else {
            wr_text_clean(&c->out, text, strlen(text), 0);
        }
        free(text);
        return 0;
    }
    const char *command = wr_policy_update_command();
    if (send && !command) {
        char *doc = wr_paths_doc("lifecycle.md");
        int rc = wr_args_usage(a, "--send needs an update_command in the configuration (%s)", doc);
        free(doc);
        return rc;
    }
    if (send && c->submit)
        return wr_args_usage(a, "send from the console's update composer; here the update is only recorded");
    char *text;
    if (a->argc == 1 && strcmp(a->argv[0], "-") == 0) {
        if (c->submit)
            return wr_args_usage(a, "- reads standard input: use it from the command line");
        int too_long;
        text = read_stdin(16384, &too_long);
        if (too_long) {
            free(text);
            return wr_args_usage(a, "the update on stdin is too long (at most 16384 bytes)");
        }
        size_t len = strlen(text);
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0'; /* the final newline of a file or here-document */
    } else {
        text = wr_args_join(a->argc, a->argv);
    }
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_update(&o, inc, audience, text, &w, &err);
    char what[100];
    snprintf(what, sizeof what, "update to %s recorded", audience);
    int64_t seq = 0;
    wr_incident i = {0};
    if (!send) {
        free(text);
        return submit(a, s, &err, &w, inc, what, NULL);
    }
    if ((r = wr_args_prepared(a, s, &err)) != 0 || (r = wr_args_submit(a, &w, &seq, NULL)) != 0 || !seq ||
        wr_incident_get(c->store, inc, &i, &err) != WR_OK) {
        free(text);
        wr_incident_clear(&i);
        return r;
    }
    /* Send it: the command's result is recorded whatever it is; its failure is not ours. */
    char ref[32];
    wr_update_run run;
    char *sent = wr_update_send_text(c->store, inc, seq, text); /* carries the chain's head (docs/store.md) */
    wr_update_start(&run, command, wr_incident_ref(inc, ref, sizeof ref), audience, i.severity, sent,
                    wr_policy_update_timeout_ms());
    free(sent);
    wr_update_wait(&run);
    s = wr_update_finish(&run, &o, inc, seq, &w, &err);
    int64_t rseq = 0;
    if (s == WR_OK)
        s = wr_op_commit(c->store, &w, c->wait_ms, &rseq, NULL, &err);
    if (s != WR_OK) {
        r = wr_args_fail(c, "update", &err);
    } else {
        int ok = !run.error[0] && !run.timed_out && run.exit_code == 0;
        if (c->json)
        {
            wr_args_json_ok(&c->out, inc, seq);
            wr_json_key(&c->out, "sent");
            wr_buf_puts(&c->out, ok ? "true" : "false");
            wr_json_kv_int(&c->out, "result_seq", rseq);
            wr_args_json_end(&c->out);
        }
        /* Entry numbers in the incident (docs/store.md), as `tail` shows them. */
        int64_t n = 0, rn = 0;
        wr_error nerr = {0};
        wr_store_entry_number(c->store, inc, seq, &n, &nerr);
        wr_store_entry_number(c->store, inc, rseq, &rn, &nerr);
        if (!c->json)
            wr_buf_printf(&c->out, "INC-%lld: update to %s recorded (#%lld); %s (#%lld)\n", (long long)inc, audience,
                          (long long)n, ok ? "sent" : "NOT sent", (long long)rn);
        if (!ok) {
            wr_buf_printf(&c->err, "update: warning: update #%lld was recorded but NOT sent: ", (long long)n);
            if (run.error[0])
                wr_buf_puts(&c->err, run.error);
            else if (run.timed_out)
                wr_buf_printf(&c->err, "the update command ran longer than %d s and was stopped", run.timeout_ms / 1000);
            else if (run.signal)
                wr_buf_printf(&c->err, "the update command was killed by signal %d", run.signal);
            else
                wr_buf_printf(&c->err, "the update command exited with %d", run.exit_code);
            wr_buf_printf(&c->err, " (recorded as #%lld; see `warroom tail`)\n", (long long)rn);
        }
    }
    wr_update_free(&run);
    wr_incident_clear(&i);
    free(text);
    return r;
}

/* ---- action items ---- */

int wr_cmd_action(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *owner = wr_args_get(a, "--owner"), *due = wr_args_get(a, "--due");
    const char *type = wr_args_get(a, "--type"), *reason = wr_args_get(a, "--reason");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    wr_error err = {0};
    const char *sub = a->argc ? a->argv[0] : "list";
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    if (strcmp(sub, "list") == 0) {
        if (a->argc > 1)
            return wr_args_usage(a, "list takes nothing more");
        if (c->json) {
            char *json;
            if (wr_actions_json(c->store, inc, &json, &err) != WR_OK)
                return wr_args_fail(c, "action", &err);
            wr_json_doc(&c->out, "actions", json);
            free(json);
            return 0;
        }
        wr_action *v;
        size_t n;
        if (wr_actions_list(c->store, inc, &v, &n, &err) != WR_OK)
            return wr_args_fail(c, "action", &err);
        if (!n)
            wr_buf_printf(&c->out, "INC-%lld has no action items (`action add TITLE --owner U --due DATE --type T`)\n",
                          (long long)inc);
        for (size_t i = 0; i < n; i++) {
            wr_buf_printf(&c->out, "%3lld  %-8s %-11s %-10s ", (long long)v[i].n, v[i].state, v[i].type,
                          *v[i].due ? v[i].due : "-");
            fit(&c->out, *v[i].owner ? v[i].owner : "-", 12);
            wr_buf_putc(&c->out, ' ');
            clean1(&c->out, v[i].title);
            if (*v[i].reason) {
                wr_buf_puts(&c->out, "  (");
                clean1(&c->out, v[i].reason);
                wr_buf_putc(&c->out, ')');
            }
            wr_buf_putc(&c->out, '\n');
        }
        wr_actions_free(v, n);
        return 0;
    }
    if (strcmp(sub, "add") == 0) {
        if (reason)
            return wr_args_usage(a, "--reason goes with wontdo and reopen");
        if (a->argc < 2)
            return wr_args_usage(a, "give the action item's title");
        char *title = wr_args_join(a->argc - 1, a->argv + 1);
        wr_status s = wr_op_action_add(&o, inc, title, owner, due, type, &w, &err);
        free(title);
        r = wr_args_prepared(a, s, &err);
        if (r)
            return r;
        int64_t seq = 0;
        wr_cmdctx *cc = a->c;
        if (cc->submit)
            return wr_args_submit(a, &w, &seq, NULL);
        s = wr_store_append(cc->store, &w, cc->wait_ms, &err);
        int64_t n = w.result_id;
        seq = w.seq;
        wr_write_clear(&w);
        if (s != WR_OK)
            return wr_args_fail(cc, "action", &err);
        if (cc->json)
        {
            wr_args_json_ok(&cc->out, inc, seq);
            wr_json_kv_int(&cc->out, "action", n);
            wr_args_json_end(&cc->out);
        }
        else
            wr_buf_printf(&cc->out, "INC-%lld: action item %lld added (#%lld)\n", (long long)inc, (long long)n,
                          (long long)seq);
        return 0;
    }
    if (strcmp(sub, "done") == 0 || strcmp(sub, "wontdo") == 0 || strcmp(sub, "wont-do") == 0 ||
        strcmp(sub, "reopen") == 0) {
        if (owner || due || type)
            return wr_args_usage(a, "--owner, --due and --type go with add");
        if (a->argc != 2)
            return wr_args_usage(a, "give the action item's number");
        long long n;
        if (wr_args_number(a->argv[1], INT64_MAX, &n) != 0)
            return wr_args_usage(a, "\"%s\" is not an action item number", a->argv[1]);
        wr_status s = wr_op_action_state(&o, inc, n, sub, reason, &w, &err);
        char what[80];
        snprintf(what, sizeof what, "action item %lld %s", n, strcmp(sub, "reopen") == 0 ? "reopened" :
                 strcmp(sub, "done") == 0 ? "done" : "won't be done");
        return submit(a, s, &err, &w, inc, what, NULL);
    }
    return wr_args_usage(a, "\"%s\" is not an action command: add, done, wontdo, reopen or list", sub);
}

/* ---- the lifecycle part of `show` ---- */

void wr_cmd_show_lifecycle(wr_cmdctx *c, const wr_incident *i)
{
    wr_buf *o = &c->out;
    wr_error err = {0};
    char t[40], d[32];
    int64_t now = wr_clock_now_ms();
    if (i->merged_into)
        wr_buf_printf(o, "merged into: INC-%lld\n", (long long)i->merged_into);
    const wr_severity_def *sev = wr_policy_severity(i->severity);
    if (sev)
        wr_buf_printf(o, "severity: %s: %s\n", i->severity, sev->meaning);
    const char *ap = wr_decision_approach(i->decision);
    if (ap)
        wr_buf_printf(o, "decision: %s: %s\n", i->decision, ap);
    else if (wr_status_is_active(i->status))
        wr_buf_puts(o, "decision: - (`warroom decision clear|complicated|complex|chaotic`)\n");
    wr_milestones m;
    if (wr_milestones_get(c->store, i->id, &m, &err) == WR_OK) {
        wr_buf_puts(o, "milestones:");
        int any = 0;
        char day[40];
        wr_lifecycle_time(i->declared_at, day, sizeof day);
        for (int k = 0; k < WR_MS_COUNT; k++)
            if (m.at[k]) {
                /* the time alone on the declaration's day */
                wr_lifecycle_time(m.at[k], t, sizeof t);
                wr_buf_printf(o, "%s %s %s", any++ ? "," : "", wr_milestone_names[k],
                              strncmp(t, day, 10) == 0 ? t + 11 : t);
            }
        wr_buf_puts(o, any ? " (UTC)\n" : " -\n");
        int64_t met[WR_MET_COUNT];
        wr_metrics_compute(&m, met);
        any = 0;
        for (int k = 0; k < WR_MET_COUNT; k++)
            if (met[k] >= 0)
                wr_buf_printf(o, "%s%s %s", any++ ? ", " : "metrics:  ", wr_metric_names[k],
                              wr_lifecycle_duration(met[k], d, sizeof d));
        if (any)
            wr_buf_putc(o, '\n');
    }
    wr_cadence cad;
    if (wr_update_cadence(c->store, i->id, now, &cad, &err) == WR_OK && cad.every_ms) {
        char every[32];
        wr_lifecycle_duration(cad.every_ms, every, sizeof every);
        if (cad.overdue)
            wr_buf_printf(o, "updates:  OVERDUE by %s (due %s UTC; %s needs one every %s)\n",
                          wr_lifecycle_duration(-cad.left_ms, d, sizeof d), wr_lifecycle_time(cad.due_at, t, sizeof t),
                          i->severity, every);
        else
            wr_buf_printf(o, "updates:  next due %s UTC (in %s; every %s)\n", wr_lifecycle_time(cad.due_at, t, sizeof t),
                          wr_lifecycle_duration(cad.left_ms, d, sizeof d), every);
    }
    char **miss;
    size_t nmiss;
    if (wr_roles_missing(c->store, i->id, &miss, &nmiss, &err) == WR_OK) {
        if (nmiss)
            wr_cmd_missing_line(o, i->severity, miss, nmiss);
        wr_strv_free(miss, nmiss);
    }
    wr_asset *as;
    size_t nas;
    if (wr_assets_list(c->store, i->id, &as, &nas, &err) == WR_OK) {
        if (nas) {
            wr_buf_puts(o, "assets:  ");
            for (size_t k = 0; k < nas; k++) {
                wr_buf_printf(o, "%s %s ", k ? "," : "", as[k].kind);
                clean1(o, as[k].name);
            }
            wr_buf_putc(o, '\n');
        }
        wr_assets_free(as, nas);
    }
    wr_indicator *ind;
    size_t nind;
    if (wr_indicators_list(c->store, i->id, &ind, &nind, &err) == WR_OK) {
        if (nind) {
            wr_buf_puts(o, "indicators:");
            for (size_t k = 0; k < nind; k++) {
                wr_buf_printf(o, "%s %s ", k ? "," : "", ind[k].type);
                clean1(o, ind[k].value);
            }
            wr_buf_putc(o, '\n');
        }
        wr_indicators_free(ind, nind);
    }
    wr_action *ac;
    size_t nac;
    if (wr_actions_list(c->store, i->id, &ac, &nac, &err) == WR_OK) {
        if (nac) {
            size_t open = 0, done = 0;
            for (size_t k = 0; k < nac; k++) {
                open += strcmp(ac[k].state, "open") == 0;
                done += strcmp(ac[k].state, "done") == 0;
            }
            wr_buf_printf(o, "actions:  %zu open, %zu done, %zu won't do (`warroom action list`)\n", open, done,
                          nac - open - done);
        }
        wr_actions_free(ac, nac);
    }
}
