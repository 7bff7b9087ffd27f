/* SPDX-License-Identifier: MIT */
/* cmd_alert.c - alerts on the command line: intake from stdin (one document per line, or pretty-printed),
 * triage (declare, attach, dismiss), noise rules, and `warroom alerts`. `alert --http` is in
 * cmd_alert_http.c. */
#include "cmd_alert.h"

#include "warroom/alert_intake.h"
#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/paths.h"
#include "warroom/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

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

int wr_cmd_alert_load_rules(wr_cmdctx *c, const char *file, int none, wr_alert_rules **out)
{
    *out = NULL;
    char *path = none ? NULL : file ? wr_xstrdup(file) : wr_alert_rules_default_path();
    if (!path)
        return 0;
    wr_buf err = {0};
    *out = wr_alert_rules_load_file(path, &err);
    free(path);
    if (!*out) {
        wr_buf_printf(&c->err, "alert: bad noise rules (nothing was read):\n%s", wr_buf_str(&err));
        wr_buf_free(&err);
        return wr_args_usage_code();
    }
    wr_buf_free(&err);
    return 0;
}

/* ---- intake from stdin ---- */

typedef struct intake {
    wr_cmdctx *c;
    wr_alert_parser *parser;
    wr_intake_opts opts;
    long docs, rejected_docs, alerts, rejected_alerts;
    wr_alert_outcome total;
    char **drop_rules;
    int64_t *drop_counts;
    size_t ndrops;
    int64_t dropped;
    wr_status fatal;
} intake;

static void reject_line(intake *in, long line, const char *why)
{
    in->rejected_docs++;
    wr_buf_printf(&in->c->err, "stdin:%ld: %s\n", line, why);
    wr_args_flush(in->c);
}

static void add_drops(intake *in, const wr_intake *t)
{
    for (size_t k = 0; k < t->ndrops; k++) {
        size_t i;
        for (i = 0; i < in->ndrops; i++)
            if (strcmp(in->drop_rules[i], t->drop_rules[k]) == 0)
                break;
        if (i == in->ndrops) {
            in->drop_rules = wr_xreallocarray(in->drop_rules, i + 1, sizeof *in->drop_rules);
            in->drop_counts = wr_xreallocarray(in->drop_counts, i + 1, sizeof *in->drop_counts);
            in->drop_rules[i] = wr_xstrdup(t->drop_rules[k]);
            in->drop_counts[i] = 0;
            in->ndrops++;
        }
        in->drop_counts[i] += t->drop_counts[k];
    }
    in->dropped += t->dropped;
}

static void on_doc(const char *doc, size_t len, long line, const char *error, void *ctx)
{
    intake *in = ctx;
    if (in->fatal != WR_OK)
        return;
    if (error) {
        reject_line(in, line, error);
        return;
    }
    in->docs++;
    wr_cmdctx *c = in->c;
    wr_opctx o = wr_args_opctx(c);
    wr_intake t;
    wr_status s = wr_intake_doc(&o, in->parser, doc, len, &in->opts, &t);
    if (t.doc_error) {
        reject_line(in, line, t.doc_error);
        wr_intake_free(&t);
        return;
    }
    in->alerts += t.received;
    in->rejected_alerts += t.rejected;
    in->total.new_ += t.outcome.new_;
    in->total.folded += t.outcome.folded;
    in->total.refired += t.outcome.refired;
    in->total.renotified += t.outcome.renotified;
    in->total.resolved += t.outcome.resolved;
    in->total.duplicate += t.outcome.duplicate;
    add_drops(in, &t);
    for (size_t i = 0; i < t.nrejects; i++)
        wr_buf_printf(&c->err, "stdin:%ld: %s (not stored; the others were)\n", line, t.rejects[i].text);
    if ((size_t)t.rejected > t.nrejects)
        wr_buf_printf(&c->err, "stdin:%ld: ... and %zu more alerts refused\n", line, (size_t)t.rejected - t.nrejects);
    for (size_t i = 0; i < t.nnotes; i++) {
        wr_buf_printf(&c->err, "stdin:%ld: alerts[%zu] stored with changes: ", line, t.notes[i].index);
        clean(&c->err, t.notes[i].text);
        wr_buf_putc(&c->err, '\n');
    }
    if (s == WR_E_BUSY || s == WR_E_INVALID) {
        wr_buf_printf(&c->err, "stdin:%ld: not stored: %s (%ld of its alerts were stored before)\n", line,
                      t.err.msg, t.landed);
        in->rejected_docs++;
    } else if (s != WR_OK) {
        wr_buf_printf(&c->err, "alert: stdin:%ld: %s; stopped reading (%ld of its alerts were stored)\n", line,
                      t.err.msg, t.landed);
        in->fatal = s;
    }
    wr_args_flush(c);
    wr_intake_free(&t);
}

static int alert_intake(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *source = wr_args_get(a, "--source"), *rules_file = wr_args_get(a, "--rules");
    const char *timeout = wr_args_get(a, "--timeout"), *max_body = wr_args_get(a, "--max-body");
    const char *token = wr_args_get(a, "--token-file"), *batch = wr_args_get(a, "--batch");
    int no_rules = wr_args_has(a, "--no-rules");
    int http = wr_args_has(a, "--http");
    int r;
    if (a->argc)
        return wr_args_usage(a, "\"%s\" is not an alert action: declare, attach, dismiss or rules (alerts "
                                "themselves come on stdin)", a->argv[0]);
    if (!wr_args_is_cli(c))
        return wr_args_usage(a, "alerts are read from stdin on the command line: `warroom alert < alerts.json`");
    if (source && (!*source || strlen(source) > 200))
        return wr_args_usage(a, "--source takes a name (1-200 bytes)");
    long nbatch = 0;
    if (batch) {
        char *end;
        nbatch = strtol(batch, &end, 10);
        if (*end || nbatch < 1 || nbatch > 100000)
            return wr_args_usage(a, "--batch takes a number of alerts per transaction (1-100000)");
    }
    if (!http && (timeout || max_body || token))
        return wr_args_usage(a, "--timeout, --max-body and --token-file go with --http");
    wr_alert_rules *rules = NULL;
    if (http) {
        wr_cmd_alert_http_opts h = {source, rules_file, no_rules, timeout, max_body, token, (size_t)nbatch};
        return wr_cmd_alert_http(a, &h);
    }
    if ((r = wr_cmd_alert_load_rules(c, rules_file, no_rules, &rules)) != 0)
        return r;
    if ((r = wr_args_need_store(c, "alert")) != 0) {
        wr_alert_rules_free(rules);
        return r;
    }
    intake in = {0};
    in.c = c;
    in.parser = wr_alert_parser_new();
    in.opts.source = source;
    in.opts.rules = rules;
    in.opts.batch_alerts = (size_t)nbatch;
    in.opts.wait_ms = c->wait_ms;
    in.opts.request = "{\"via\":\"stdin\"}";
    if (isatty(STDIN_FILENO)) {
        wr_buf_puts(&c->err, "alert: reading alerts (JSON, one per line) from the terminal; end with Ctrl-D\n");
        wr_args_flush(c);
    }
    wr_alert_splitter sp;
    wr_alert_split_init(&sp, on_doc, &in);
    char buf[65536];
    for (;;) {
        ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || in.fatal != WR_OK)
            break;
        wr_alert_split_feed(&sp, buf, (size_t)got);
    }
    wr_alert_split_finish(&sp);
    wr_buf *o = &c->out;
    wr_alert_outcome *t = &in.total;
    if (c->json) {
        wr_json_doc_begin(o);
        wr_json_kv_int(o, "documents", in.docs);
        wr_json_kv_int(o, "alerts", in.alerts);
        wr_json_kv_int(o, "new", t->new_);
        wr_json_kv_int(o, "folded", t->folded);
        wr_json_kv_int(o, "refired", t->refired);
        wr_json_kv_int(o, "resolved", t->resolved);
        wr_json_kv_int(o, "repeated", t->renotified + t->duplicate);
        wr_json_kv_int(o, "dropped", in.dropped);
        wr_json_kv_int(o, "rejected", in.rejected_docs);
        wr_json_kv_int(o, "alerts_rejected", in.rejected_alerts);
        wr_json_key(o, "dropped_by");
        wr_buf_putc(o, '{');
        for (size_t i = 0; i < in.ndrops; i++)
            wr_json_kv_int(o, in.drop_rules[i], in.drop_counts[i]);
        wr_buf_puts(o, "}}\n");
    } else {
        wr_buf_printf(o, "alerts: %ld received: %d new, %d folded, %d fired again, %d resolved, %d repeated",
                      in.alerts, t->new_, t->folded, t->refired, t->resolved, t->renotified + t->duplicate);
        if (in.dropped) {
            wr_buf_printf(o, "; %lld dropped (", (long long)in.dropped);
            for (size_t i = 0; i < in.ndrops; i++)
                wr_buf_printf(o, "%s%s %lld", i ? ", " : "", in.drop_rules[i], (long long)in.drop_counts[i]);
            wr_buf_putc(o, ')');
        }
        if (in.rejected_alerts)
            wr_buf_printf(o, "; %ld alert%s rejected", in.rejected_alerts, in.rejected_alerts == 1 ? "" : "s");
        if (in.rejected_docs)
            wr_buf_printf(o, "; %ld line%s rejected", in.rejected_docs, in.rejected_docs == 1 ? "" : "s");
        wr_buf_putc(o, '\n');
    }
    for (size_t i = 0; i < in.ndrops; i++)
        free(in.drop_rules[i]);
    free(in.drop_rules);
    free(in.drop_counts);
    wr_alert_parser_free(in.parser);
    wr_alert_rules_free(rules);
    if (in.fatal != WR_OK)
        return wr_status_exit_code(in.fatal);
    return in.rejected_docs || in.rejected_alerts ? WR_EXIT_CHECK_FAILED : 0;
}

int wr_cmd_alert_source_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("._-", *s)))
            return 0;
    return 1;
}

/* ---- alert triage ---- */

static int find_alert(wr_args *a, const char *ref, wr_alert_row *row)
{
    wr_error err = {0};
    wr_status s = wr_alert_find(a->c->store, ref, row, &err);
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err.msg);
    if (s != WR_OK)
        return wr_args_fail(a->c, "alert", &err);
    return 0;
}

static int alert_declare(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *sev = wr_args_get(a, "--severity"), *type = wr_args_get(a, "--type");
    int drill = wr_args_has(a, "--drill");
    int r;
    if ((r = wr_args_need_store(c, "alert")) != 0)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "name one alert by its fingerprint (`warroom alerts` lists them)");
    wr_alert_row row;
    if ((r = find_alert(a, a->argv[0], &row)) != 0)
        return r;
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_alert_declare(&o, &row, sev, type, drill ? "drill" : "real", &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) == 0) {
        int64_t seq = 0, id = 0;
        r = wr_args_submit(a, &w, &seq, &id);
        if (r == 0 && !c->submit) {
            if (c->json) {
                wr_args_json_ok(&c->out, id, seq);
                wr_json_kv_int(&c->out, "alert", row.id);
                wr_args_json_end(&c->out);
            } else
                wr_buf_printf(&c->out, "INC-%lld declared (%s%s) from alert %.16s\n", (long long)id,
                              sev ? sev : row.severity, drill ? ", drill" : "", row.fingerprint);
        }
    }
    wr_alert_row_clear(&row);
    return r;
}

static int alert_attach(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int r;
    if ((r = wr_args_need_store(c, "alert")) != 0)
        return r;
    if (a->argc != 2)
        return wr_args_usage(a, "name an alert (fingerprint) and an incident");
    int64_t inc;
    wr_error err = {0};
    if (wr_incident_resolve(c->store, a->argv[1], &inc, &err) != WR_OK)
        return err.status == WR_E_INVALID ? wr_args_usage(a, "%s", err.msg) : wr_args_fail(c, "alert", &err);
    wr_alert_row row;
    if ((r = find_alert(a, a->argv[0], &row)) != 0)
        return r;
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_status s = wr_op_alert_attach(&o, &row, inc, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) == 0) {
        int64_t seq = 0;
        char what[64];
        snprintf(what, sizeof what, "alert %.16s attached", row.fingerprint);
        if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
            wr_args_ok_line(c, inc, seq, what);
    }
    wr_alert_row_clear(&row);
    return r;
}

static int alert_dismiss(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *reason = wr_args_get(a, "--reason");
    int r;
    if ((r = wr_args_need_store(c, "alert")) != 0)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "name one alert by its fingerprint, and say why with --reason TEXT");
    wr_alert_row row;
    if ((r = find_alert(a, a->argv[0], &row)) != 0)
        return r;
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_alert_dismiss(&o, &row, reason, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) == 0) {
        int64_t seq = 0;
        if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0 && !c->submit) {
            if (c->json) {
                wr_json_doc_begin(&c->out);
                wr_json_key(&c->out, "ok");
                wr_buf_puts(&c->out, "true");
                wr_json_kv_int(&c->out, "alert", row.id);
                wr_json_kv_int(&c->out, "seq", seq);
                wr_buf_puts(&c->out, "}\n");
            } else
                wr_buf_printf(&c->out, "alert %.16s dismissed (#%lld)\n", row.fingerprint, (long long)seq);
        }
    }
    wr_alert_row_clear(&row);
    return r;
}

/* The rules as a document: {"format":1,"file":..,"rules":[{"name","action","severity","source","match":[..]}],
 * "dropped":[{"rule","count","last_at"}]} ("file" null and no rules when there is no rule file). */
static void rules_json(wr_buf *o, const char *path, const wr_alert_rules *rules)
{
    wr_json_doc_begin(o);
    wr_json_kv_str(o, "file", path);
    wr_json_key(o, "rules");
    wr_buf_putc(o, '[');
    for (size_t i = 0; rules && i < rules->n; i++) {
        const wr_alert_rule *x = &rules->v[i];
        wr_buf_puts(o, i ? ",{" : "{");
        wr_json_kv_str(o, "name", x->name);
        wr_json_kv_str(o, "action", x->drop ? "drop" : "lower");
        wr_json_kv_str(o, "severity", x->drop ? NULL : x->severity);
        wr_json_kv_str(o, "source", x->source);
        wr_json_key(o, "match");
        wr_buf_putc(o, '[');
        for (size_t m = 0; m < x->nm; m++) {
            wr_buf_puts(o, m ? ",{" : "{");
            wr_json_kv_str(o, "label", x->m[m].label);
            wr_json_kv_str(o, "op", x->m[m].is_regex ? "~" : "=");
            wr_json_kv_str(o, "value", x->m[m].value);
            wr_buf_putc(o, '}');
        }
        wr_buf_puts(o, "]}");
    }
    wr_buf_putc(o, ']');
}

static void rules_text(wr_buf *o, const char *path, const wr_alert_rules *rules)
{
    wr_buf_printf(o, "%s: %zu rule%s, first match wins\n", path, rules->n, rules->n == 1 ? "" : "s");
    for (size_t i = 0; i < rules->n; i++) {
        const wr_alert_rule *x = &rules->v[i];
        char act[32];
        if (x->drop)
            snprintf(act, sizeof act, "drop");
        else
            snprintf(act, sizeof act, "lower to %s", x->severity);
        wr_buf_printf(o, "  %2zu %-28s %-13s when ", i + 1, x->name, act);
        size_t k = 0;
        if (x->source) {
            wr_buf_puts(o, "source=");
            clean(o, x->source);
            k++;
        }
        for (size_t m = 0; m < x->nm; m++, k++) {
            wr_buf_puts(o, k ? ", " : "");
            clean(o, x->m[m].label);
            wr_buf_puts(o, x->m[m].is_regex ? "~" : "=");
            clean(o, x->m[m].value);
        }
        wr_buf_putc(o, '\n');
    }
}

/* What the rules dropped so far, when there is a database to ask. */
static void rules_dropped(wr_cmdctx *c, wr_buf *o)
{
    wr_error e = {0};
    wr_store *st = c->store ? c->store : wr_store_open_wait(c->db_path, WR_OPEN_READONLY, c->wait_ms, &e);
    if (c->json) {
        wr_json_key(o, "dropped");
        wr_buf_putc(o, '[');
    }
    if (st) {
        wr_alert_drop *v;
        size_t n;
        if (wr_alert_drops(st, &v, &n, &e) == WR_OK) {
            if (n && !c->json)
                wr_buf_puts(o, "dropped so far:\n");
            for (size_t i = 0; i < n; i++) {
                char t[40];
                if (c->json) {
                    wr_buf_puts(o, i ? ",{" : "{");
                    wr_json_kv_str(o, "rule", v[i].rule);
                    wr_json_kv_int(o, "count", v[i].count);
                    wr_json_kv_str(o, "last_at", wr_time_iso(v[i].last_at, t, sizeof t));
                    wr_buf_putc(o, '}');
                } else {
                    wr_buf_printf(o, "  %-28s %8lld  (last %s UTC)\n", v[i].rule, (long long)v[i].count,
                                  wr_time_short(v[i].last_at, t, sizeof t));
                }
            }
            wr_alert_drops_free(v, n);
        }
        if (st != c->store)
            wr_store_close(st);
    }
    if (c->json)
        wr_buf_puts(o, "]}\n");
}

static int alert_rules(wr_args *a)
{
    wr_cmdctx *c = a->c;
    if (a->argc > 1)
        return wr_args_usage(a, "one rule file at a time");
    char *path = a->argc ? wr_xstrdup(a->argv[0]) : wr_alert_rules_default_path();
    wr_buf *o = &c->out;
    if (!path) {
        if (c->json) {
            rules_json(o, NULL, NULL);
            rules_dropped(c, o);
            return 0;
        }
        char *dir = wr_paths_user_config_dir(), *doc = wr_paths_doc("alerts.md");
        wr_buf_printf(o, "no noise rules: every alert is kept (write %s/alert-rules.yaml; see %s)\n", dir, doc);
        free(dir);
        free(doc);
        return 0;
    }
    wr_buf err = {0};
    wr_alert_rules *rules = wr_alert_rules_load_file(path, &err);
    if (!rules) {
        wr_buf_printf(&c->err, "alert: %s", wr_buf_str(&err));
        wr_buf_free(&err);
        free(path);
        return wr_args_usage_code();
    }
    wr_buf_free(&err);
    if (c->json)
        rules_json(o, path, rules);
    else
        rules_text(o, path, rules);
    wr_alert_rules_free(rules);
    free(path);
    rules_dropped(c, o);
    return 0;
}

int wr_cmd_alert(wr_args *a)
{
    if (!a->argc)
        return alert_intake(a);
    const char *sub = a->argv[0];
    wr_args_drop(a, 0, 1);
    if (strcmp(sub, "declare") == 0)
        return alert_declare(a);
    if (strcmp(sub, "attach") == 0)
        return alert_attach(a);
    if (strcmp(sub, "dismiss") == 0)
        return alert_dismiss(a);
    if (strcmp(sub, "rules") == 0)
        return alert_rules(a);
    return wr_args_usage(a, "\"%s\" is not an alert action: declare, attach, dismiss or rules (alerts themselves "
                             "come on stdin)", sub);
}

/* ---- alerts ---- */

int wr_cmd_alerts(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int all = wr_args_has(a, "--all");
    const char *inc_s = wr_args_get(a, "--incident");
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    int64_t inc = 0;
    wr_error err = {0};
    if (inc_s && wr_incident_resolve(c->store, inc_s, &inc, &err) != WR_OK)
        return err.status == WR_E_INVALID ? wr_args_usage(a, "%s", err.msg) : wr_args_fail(c, "alerts", &err);
    unsigned flags = all || inc ? WR_ALERTS_ALL : 0;
    if (c->json) {
        char *json = NULL;
        if (wr_alert_list_json(c->store, flags, inc, &json, &err) != WR_OK)
            return wr_args_fail(c, "alerts", &err);
        wr_json_doc(&c->out, "alerts", json);
        free(json);
        return 0;
    }
    wr_alert_row *v;
    size_t n;
    if (wr_alert_list(c->store, flags, inc, &v, &n, &err) != WR_OK)
        return wr_args_fail(c, "alerts", &err);
    wr_buf *o = &c->out;
    if (!n)
        wr_buf_puts(o, inc ? "no alert is part of that incident\n"
                       : all ? "no alerts yet: feed them with `warroom alert < alerts.json`\n"
                             : "no alerts await triage (`warroom alerts --all` shows every alert)\n");
    else
        wr_buf_puts(o, "   #ID FINGERPRINT      SEV  STATUS   COUNT LAST SEEN (UTC)  TRIAGE     SOURCE         TITLE\n");
    for (size_t i = 0; i < n; i++) {
        const wr_alert_row *x = &v[i];
        char t[32], tri[32];
        if (x->incident)
            snprintf(tri, sizeof tri, "INC-%lld", (long long)x->incident);
        else
            snprintf(tri, sizeof tri, "%s", x->triage);
        wr_buf_printf(o, "%6lld ", (long long)x->id);
        fit(o, x->fingerprint, 16, 1);
        wr_buf_printf(o, " %-4s %-8s %5lld %s %-10s ", x->severity, x->status, (long long)x->count,
                      wr_time_short(x->last_seen, t, sizeof t), tri);
        fit(o, x->source, 14, 1);
        wr_buf_putc(o, ' ');
        fit(o, x->title, 60, 0);
        wr_buf_putc(o, '\n');
    }
    wr_alert_rows_free(v, n);
    wr_alert_drop *d;
    size_t nd;
    if (!inc && wr_alert_drops(c->store, &d, &nd, &err) == WR_OK) {
        if (nd) {
            wr_buf_puts(o, "dropped by noise rules:");
            for (size_t i = 0; i < nd; i++)
                wr_buf_printf(o, "%s %s %lld", i ? "," : "", d[i].rule, (long long)d[i].count);
            wr_buf_putc(o, '\n');
        }
        wr_alert_drops_free(d, nd);
    }
    return 0;
}
