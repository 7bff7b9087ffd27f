/* SPDX-License-Identifier: MIT */
/* alert_intake.c - one alert document taken in alert by alert, in batches of one event each (see
 * alert_intake.h). */
#include "warroom/alert_intake.h"

#include "warroom/json.h"
#include "warroom/json_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run {
    const wr_opctx *c;
    wr_alert_parser *p;
    const wr_intake_opts *o;
    wr_intake *out;
    size_t batch_alerts, batch_bytes;
    /* the batch being gathered */
    wr_alert *v;
    size_t *idx;
    size_t n, cap, bytes;
    size_t first, last;
    int open;          /* it covers at least one position */
    wr_buf rejected;   /* JSON array of its refusals */
    size_t nrejected;
    int stopped;       /* a batch could not be written: nothing more is */
} run;

static void keep_item(wr_intake_item **v, size_t *n, size_t index, const char *text)
{
    if (*n >= WR_INTAKE_KEEP_ITEMS)
        return;
    *v = wr_xreallocarray(*v, *n + 1, sizeof **v);
    (*v)[*n].index = index;
    (*v)[*n].text = wr_xstrdup(text);
    (*n)++;
}

static void cover(run *r, size_t index)
{
    if (!r->open) {
        r->first = index;
        r->open = 1;
    }
    r->last = index;
}

static void drop_count(wr_intake *out, const char *rule)
{
    size_t i;
    for (i = 0; i < out->ndrops; i++)
        if (strcmp(out->drop_rules[i], rule) == 0)
            break;
    if (i == out->ndrops) {
        out->drop_rules = wr_xreallocarray(out->drop_rules, i + 1, sizeof *out->drop_rules);
        out->drop_counts = wr_xreallocarray(out->drop_counts, i + 1, sizeof *out->drop_counts);
        out->drop_rules[i] = wr_xstrdup(rule);
        out->drop_counts[i] = 0;
        out->ndrops++;
    }
    out->drop_counts[i]++;
    out->dropped++;
}

static void clear_batch(run *r)
{
    for (size_t i = 0; i < r->n; i++)
        wr_alert_clear(&r->v[i]);
    r->n = 0;
    r->bytes = 0;
    r->open = 0;
    r->nrejected = 0;
    wr_buf_reset(&r->rejected);
}

/* Write the batch gathered so far as one event (all of it or nothing). */
static void flush(run *r)
{
    wr_intake *out = r->out;
    if (r->stopped) {
        out->not_landed += (long)r->n;
        clear_batch(r);
        return;
    }
    if (r->n == 0 && r->nrejected == 0) {
        clear_batch(r);
        return;
    }
    wr_buf req = {0};
    const char *base = r->o->request;
    if (base && strlen(base) > 2 && base[0] == '{') {
        wr_buf_append(&req, base, strlen(base) - 1);
    } else {
        wr_buf_putc(&req, '{');
    }
    wr_json_kv_str(&req, "format", out->format);
    wr_json_kv_int(&req, "batch", (long long)out->nbatches + 1);
    wr_json_kv_int(&req, "first", (long long)r->first);
    wr_json_kv_int(&req, "last", (long long)r->last);
    if (out->truncated)
        wr_json_kv_int(&req, "truncated_alerts", out->truncated);
    wr_buf_putc(&req, '}');
    wr_buf_putc(&r->rejected, ']');
    wr_alert_batch_info info = {r->idx, r->nrejected ? wr_buf_str(&r->rejected) : NULL, r->nrejected,
                                wr_buf_str(&req)};
    wr_write w = {0};
    wr_error err = {0};
    wr_status s = wr_op_alert_intake_batch(r->c, r->v, r->n, &info, &w, &err);
    if (s == WR_OK)
        s = wr_store_append(r->c->store, &w, r->o->wait_ms, &err);
    out->batches = wr_xreallocarray(out->batches, out->nbatches + 1, sizeof *out->batches);
    wr_intake_batch *b = &out->batches[out->nbatches++];
    b->first = r->first;
    b->last = r->last;
    b->n = r->n;
    b->landed = s == WR_OK;
    b->seq = s == WR_OK ? w.seq : 0;
    if (s == WR_OK) {
        wr_alert_outcome oc;
        wr_alert_intake_outcome(r->c->store, w.payload, &oc);
        out->outcome.new_ += oc.new_;
        out->outcome.folded += oc.folded;
        out->outcome.refired += oc.refired;
        out->outcome.renotified += oc.renotified;
        out->outcome.resolved += oc.resolved;
        out->outcome.duplicate += oc.duplicate;
        out->landed += (long)r->n;
    } else {
        out->not_landed += (long)r->n;
        out->status = s;
        out->err = err;
        r->stopped = 1;
    }
    wr_write_clear(&w);
    wr_buf_free(&req);
    clear_batch(r);
}

static void reject(run *r, size_t index, const char *why)
{
    r->out->rejected++;
    keep_item(&r->out->rejects, &r->out->nrejects, index, why);
    cover(r, index);
    wr_buf_puts(&r->rejected, r->nrejected ? ",{" : "[{");
    wr_json_kv_int(&r->rejected, "index", (long long)index);
    wr_json_kv_str(&r->rejected, "reason", why);
    wr_buf_putc(&r->rejected, '}');
    r->nrejected++;
    if (r->nrejected >= r->batch_alerts || r->rejected.len >= r->batch_bytes)
        flush(r);
}

static void fix_notes(wr_alert *a, const wr_json_fixes *fx)
{
    if (fx->nul)
        wr_alert_note(a, "%ld NUL character%s replaced with U+FFFD", fx->nul, fx->nul == 1 ? "" : "s");
    if (fx->bad_utf8)
        wr_alert_note(a, "%ld invalid UTF-8 sequence%s replaced with U+FFFD", fx->bad_utf8,
                      fx->bad_utf8 == 1 ? "" : "s");
}

/* An alert that parsed: the noise rules, the limits, then into the batch (taken over). */
static void accept(run *r, size_t index, wr_alert *a, size_t bytes)
{
    cover(r, index);
    const wr_alert_rule *m = NULL;
    if (wr_alert_rules_apply(r->o->rules, a, &m)) {
        drop_count(r->out, m->name);
        wr_alert_clear(a);
        return;
    }
    wr_alert_trim(a);
    if (a->notes) {
        r->out->noted++;
        keep_item(&r->out->notes, &r->out->nnotes, index, a->notes);
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = wr_xreallocarray(r->v, r->cap, sizeof *r->v);
        r->idx = wr_xreallocarray(r->idx, r->cap, sizeof *r->idx);
    }
    r->v[r->n] = *a;
    r->idx[r->n++] = index;
    memset(a, 0, sizeof *a);
    r->bytes += bytes;
    if (r->n >= r->batch_alerts || r->bytes >= r->batch_bytes)
        flush(r);
}

static const char *type_name(char t)
{
    switch (t) {
    case '{': return "object";
    case '[': return "array";
    case '"': return "text";
    case '0': return "a number";
    case 'n': return "null";
    default: return t == 't' ? "true" : "false";
    }
}

static void alertmanager(run *r, const char *doc, size_t len, const wr_jscan_val *alerts)
{
    wr_intake *out = r->out;
    size_t pos = alerts->off, index = 0;
    wr_jscan_val e;
    wr_buf clean = {0}, why = {0};
    int rc;
    while ((rc = wr_jscan_element(doc, len, &pos, &e, &why)) == 1) {
        out->received++;
        if (e.type != '{') {
            char msg[64];
            snprintf(msg, sizeof msg, "alerts[%zu] must be a JSON object", index);
            reject(r, index++, msg);
            continue;
        }
        wr_buf_reset(&clean);
        wr_json_fixes fx = {0};
        wr_json_clean(doc + e.off, e.len, &clean, &fx);
        wr_alert a = {0};
        wr_buf_reset(&why);
        if (wr_alert_parse_am_alert(r->p, wr_buf_str(&clean), r->o->source, index, &a, &why) != 0) {
            wr_alert_clear(&a);
            char pre[48];
            snprintf(pre, sizeof pre, "alerts[%zu]", index);
            if (strncmp(wr_buf_str(&why), pre, strlen(pre)) != 0) {
                wr_buf full = {0};
                wr_buf_printf(&full, "%s: %s", pre, wr_buf_str(&why));
                reject(r, index, wr_buf_str(&full));
                wr_buf_free(&full);
            } else {
                reject(r, index, wr_buf_str(&why));
            }
        } else {
            fix_notes(&a, &fx);
            accept(r, index, &a, clean.len);
        }
        index++;
    }
    flush(r);
    wr_buf_free(&clean);
    wr_buf_free(&why);
}

static wr_status refuse(wr_intake *out, const char *why)
{
    out->doc_error = wr_xstrdup(why);
    out->format = NULL;
    out->status = WR_E_INVALID;
    return wr_error_set(&out->err, WR_E_INVALID, "%s", why);
}

wr_status wr_intake_doc(const wr_opctx *c, wr_alert_parser *p, const char *doc, size_t len,
                        const wr_intake_opts *o, wr_intake *out)
{
    memset(out, 0, sizeof *out);
    run r = {0};
    r.c = c;
    r.p = p;
    r.o = o;
    r.out = out;
    r.batch_alerts = o->batch_alerts ? o->batch_alerts : WR_INTAKE_BATCH_ALERTS;
    r.batch_bytes = o->batch_bytes ? o->batch_bytes : WR_INTAKE_BATCH_BYTES;
    wr_buf why = {0};
    size_t pos = 0;
    wr_jscan_val root, k, v, alerts = {0}, version = {0}, truncated = {0};
    int has_title = 0;
    if (wr_jscan_value(doc, len, &pos, &root, NULL, &why) != 0 || wr_jscan_end(doc, len, pos, &why) != 0) {
        wr_buf b = {0};
        wr_buf_printf(&b, "not valid JSON (%s)", wr_buf_str(&why));
        refuse(out, wr_buf_str(&b));
        wr_buf_free(&b);
        wr_buf_free(&why);
        return out->status;
    }
    if (root.type != '{') {
        wr_buf_free(&why);
        return refuse(out, "expected a JSON object with 'alerts' or 'title'");
    }
    pos = root.off;
    int rc;
    while ((rc = wr_jscan_member(doc, len, &pos, &k, &v, &why)) == 1) {
        wr_jscan_val *slot = wr_jscan_is(doc, &k, "alerts")            ? &alerts
                             : wr_jscan_is(doc, &k, "version")         ? &version
                             : wr_jscan_is(doc, &k, "truncatedAlerts") ? &truncated
                                                                       : NULL;
        if (wr_jscan_is(doc, &k, "title"))
            has_title = 1;
        if (slot && slot->len) {
            wr_buf_free(&why);
            return refuse(out, "the document has a key twice ('alerts', 'version' or 'truncatedAlerts')");
        }
        if (slot)
            *slot = v;
    }
    wr_buf_free(&why);
    if (alerts.len) {
        if (alerts.type != '[') {
            char msg[80];
            snprintf(msg, sizeof msg, "'alerts' must be a list of alerts, not %s", type_name(alerts.type));
            return refuse(out, msg);
        }
        if (version.len && !wr_jscan_is(doc, &version, "4"))
            return refuse(out, "unsupported Alertmanager payload version (expected \"4\")");
        if (truncated.len && truncated.type == '0')
            out->truncated = strtol(doc + truncated.off, NULL, 10);
        out->format = "alertmanager";
        alertmanager(&r, doc, len, &alerts);
    } else if (has_title) {
        /* warroom's own shape: one alert, refused whole when bad. */
        wr_buf clean = {0}, bad = {0};
        wr_json_fixes fx = {0};
        wr_json_clean(doc, len, &clean, &fx);
        wr_alert_batch b;
        if (wr_alert_parse(p, clean.s, clean.len, o->source, &b, &bad) != 0) {
            refuse(out, wr_buf_str(&bad));
        } else {
            out->format = "warroom";
            out->received = 1;
            fix_notes(&b.v[0], &fx);
            accept(&r, 0, &b.v[0], clean.len);
            flush(&r);
            wr_alert_batch_free(&b);
        }
        wr_buf_free(&clean);
        wr_buf_free(&bad);
    } else {
        refuse(out, "expected a JSON object with 'alerts' or 'title'");
    }
    clear_batch(&r);
    free(r.v);
    free(r.idx);
    wr_buf_free(&r.rejected);
    if (out->status == WR_OK && out->ndrops) {
        wr_error err = {0};
        wr_status s = wr_alert_count_drops(c->store, (const char *const *)out->drop_rules, out->drop_counts,
                                           out->ndrops, o->wait_ms, &err);
        if (s != WR_OK) {
            out->status = s;
            out->err = err;
        }
    }
    return out->status;
}

void wr_intake_free(wr_intake *t)
{
    free(t->doc_error);
    for (size_t i = 0; i < t->nrejects; i++)
        free(t->rejects[i].text);
    free(t->rejects);
    for (size_t i = 0; i < t->nnotes; i++)
        free(t->notes[i].text);
    free(t->notes);
    free(t->batches);
    for (size_t i = 0; i < t->ndrops; i++)
        free(t->drop_rules[i]);
    free(t->drop_rules);
    free(t->drop_counts);
    memset(t, 0, sizeof *t);
}
