/* SPDX-License-Identifier: MIT */
/* alert_fold.c - recording alerts: the intake operation (one "alert.received" event per batch), its applier
 * that folds each alert into the `alerts` table inside the write transaction, and the schema step that
 * made folding count firings (version 2).
 *
 * An alert is known by its source and fingerprint together. What one received alert does (S its start
 * time, R the start time of the firing on record; 0 when not given):
 *
 *   received   on record                   outcome      change
 *   firing     nothing                     new          a new row
 *   firing     firing, S = R or S < R      renotified   last seen only (a re-notification, or late news)
 *   firing     firing, S = 0               folded       count + 1 (a sender without start times)
 *   firing     firing, S > R (or R = 0)    refired      count + 1, the new firing's details
 *   firing     resolved, S = R or S < R    renotified   last seen only (late news of a past firing)
 *   firing     resolved, otherwise         refired      count + 1, firing again; back to triage unless
 *                                                       linked to an incident still being worked
 *   resolved   firing, S < R               duplicate    last seen only (an old firing's end)
 *   resolved   firing, otherwise           resolved     resolved; count + 1 if S > R > 0 (a firing missed)
 *   resolved   resolved, S = 0 or S <= R   duplicate    last seen only
 *   resolved   resolved, S > R             resolved     count + 1: a whole firing that was missed
 *   resolved   nothing                     new          a new row, resolved
 */
#include "alert_int.h"

#include "warroom/alert.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char wr_schema_alert_v2[] =
    "ALTER TABLE alerts ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';"
    /* One firing row per source and fingerprint: two sources never fold into one row. */
    "DROP INDEX alerts_firing;"
    "CREATE UNIQUE INDEX alerts_firing ON alerts(source, fingerprint) WHERE status = 'firing';"
    "CREATE INDEX alerts_source_fingerprint ON alerts(source, fingerprint, id);";

static void put_time(wr_buf *b, const char *key, int64_t ms)
{
    char t[40];
    wr_json_kv_str(b, key, ms > 0 ? wr_time_iso(ms, t, sizeof t) : "");
}

static int64_t parse_time(const char *s)
{
    int64_t ms = 0;
    if (!s || !*s || wr_time_parse(s, &ms) != 0)
        return 0;
    return ms;
}

/* ---- the operation ---- */

wr_status wr_op_alert_intake_batch(const wr_opctx *c, const wr_alert *v, size_t n, const wr_alert_batch_info *info,
                                   wr_write *w, wr_error *err)
{
    int has_rejects = info && info->rejected && strcmp(info->rejected, "[]") != 0;
    if (n == 0 && !has_rejects)
        return wr_error_set(err, WR_E_INVALID, "no alert to record");
    wr_buf p = {0};
    /* Counts first (filled in by the store), so a flat reader finds them before any label. */
    wr_buf_printf(&p, "{\"n\":%zu,\"new\":0,\"folded\":0,\"refired\":0,\"renotified\":0,\"resolved\":0,"
                      "\"duplicate\":0", n);
    if (info && info->request) {
        wr_json_key(&p, "request");
        wr_buf_puts(&p, info->request);
    }
    if (has_rejects) {
        wr_json_kv_int(&p, "rejects", (long long)info->nrejected);
        wr_json_key(&p, "rejected");
        wr_buf_puts(&p, info->rejected);
    }
    wr_buf_puts(&p, ",\"alerts\":[");
    for (size_t i = 0; i < n; i++) {
        const wr_alert *a = &v[i];
        if (!a->fingerprint || !a->source || !a->title || !a->severity || !a->status) {
            wr_buf_free(&p);
            return wr_error_set(err, WR_E_INVALID, "internal error: incomplete alert");
        }
        wr_buf_puts(&p, i ? ",{" : "{");
        wr_json_kv_int(&p, "index", info && info->index ? (long long)info->index[i] : (long long)i);
        wr_json_kv_str(&p, "fingerprint", a->fingerprint);
        wr_json_kv_str(&p, "source", a->source);
        wr_json_kv_str(&p, "title", a->title);
        wr_json_kv_str(&p, "severity", a->severity);
        wr_json_kv_str(&p, "severity_raw", a->severity_raw ? a->severity_raw : "");
        wr_json_kv_str(&p, "status", a->status);
        put_time(&p, "starts_at", a->starts_at);
        put_time(&p, "ends_at", a->ends_at);
        wr_json_kv_str(&p, "url", a->url ? a->url : "");
        wr_json_kv_str(&p, "description", a->description ? a->description : "");
        wr_json_kv_str(&p, "rule", a->rule ? a->rule : "");
        char *labels = wr_alert_labels_json(a);
        wr_json_key(&p, "labels");
        wr_buf_puts(&p, labels);
        free(labels);
        wr_json_key(&p, "annotations");
        wr_buf_puts(&p, a->annotations && *a->annotations ? a->annotations : "{}");
        wr_json_key(&p, "notes");
        wr_buf_puts(&p, a->notes && *a->notes ? a->notes : "[]");
        wr_buf_putc(&p, '}');
    }
    wr_buf_puts(&p, "]}");
    wr_write_init(w, c->actor, c->source, 0, "alert.received", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = n == 1 ? wr_xasprintf("alert %.40s", v[0].title) : wr_xasprintf("%zu alerts", n);
    return WR_OK;
}

wr_status wr_op_alert_intake(const wr_opctx *c, const wr_alert *v, size_t n, wr_write *w, wr_error *err)
{
    return wr_op_alert_intake_batch(c, v, n, NULL, w, err);
}

void wr_alert_intake_outcome(wr_store *st, const char *payload, wr_alert_outcome *out)
{
    out->new_ = (int)wr_st_json_int(st, payload, "$.new", 0);
    out->folded = (int)wr_st_json_int(st, payload, "$.folded", 0);
    out->refired = (int)wr_st_json_int(st, payload, "$.refired", 0);
    out->renotified = (int)wr_st_json_int(st, payload, "$.renotified", 0);
    out->resolved = (int)wr_st_json_int(st, payload, "$.resolved", 0);
    out->duplicate = (int)wr_st_json_int(st, payload, "$.duplicate", 0);
}

/* ---- application (inside the write transaction) ---- */

typedef struct in_alert {
    char *fingerprint, *source, *title, *severity, *severity_raw, *status, *url, *description, *rule;
    char *labels, *annotations, *notes;
    int64_t starts_at, ends_at;
} in_alert;
#define IN_TEXT 12

static void in_alert_free(in_alert *a)
{
    char **f[IN_TEXT] = {&a->fingerprint, &a->source,      &a->title, &a->severity, &a->severity_raw, &a->status,
                         &a->url,         &a->description, &a->rule,  &a->labels,   &a->annotations,  &a->notes};
    for (int i = 0; i < IN_TEXT; i++)
        free(*f[i]);
}

typedef enum { O_NEW, O_FOLDED, O_REFIRED, O_RENOTIFIED, O_RESOLVED, O_DUPLICATE, O_COUNT } outcome;
static const char *const outcome_names[O_COUNT] = {"new",        "folded",   "refired",
                                                   "renotified", "resolved", "duplicate"};

typedef struct on_record {
    int64_t id, starts_at, incident;
    int firing;
    char *triage;
} on_record;

/* Only last seen changes. */
static wr_status touch(wr_store *st, int64_t id, int64_t seq, int64_t at, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "UPDATE alerts SET last_seen = max(last_seen, ?2), last_seq = ?3 WHERE id = ?1");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, at);
    sqlite3_bind_int64(s, 3, seq);
    return wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, "recording an alert");
}

/* A new firing of a known alert: its details are the new firing's. Back to triage unless it is linked to an
 * incident still being worked. */
static wr_status refire(wr_store *st, const in_alert *a, const on_record *r, int64_t seq, int64_t at, wr_error *err)
{
    int untriage = 0;
    if (strcmp(r->triage, WR_ALERT_DISMISSED) == 0) {
        untriage = 1;
    } else if (strcmp(r->triage, WR_ALERT_NEW) != 0) {
        sqlite3_stmt *s = wr_st_stmt(st, "SELECT status FROM incidents WHERE id = ?1");
        sqlite3_bind_int64(s, 1, r->incident);
        int rc = sqlite3_step(s);
        untriage = rc != SQLITE_ROW || !wr_status_is_active((const char *)sqlite3_column_text(s, 0));
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return wr_st_fail(st, err, "recording an alert");
    }
    sqlite3_stmt *s = wr_st_stmt(st,
        "UPDATE alerts SET status = 'firing', count = count + 1, starts_at = ?2,"
        " ends_at = ?3, resolved_at = 0, last_seen = max(last_seen, ?4), last_seq = ?5, title = ?6, severity = ?7,"
        " severity_raw = ?8, annotations = ?9, url = ?10, description = ?11, rule = ?12, notes = ?13,"
        " triage = CASE WHEN ?14 THEN 'new' ELSE triage END, incident = CASE WHEN ?14 THEN 0 ELSE incident END,"
        " reason = CASE WHEN ?14 THEN '' ELSE reason END, triaged_by = CASE WHEN ?14 THEN '' ELSE triaged_by END,"
        " triaged_at = CASE WHEN ?14 THEN 0 ELSE triaged_at END WHERE id = ?1");
    sqlite3_bind_int64(s, 1, r->id);
    sqlite3_bind_int64(s, 2, a->starts_at);
    sqlite3_bind_int64(s, 3, a->ends_at);
    sqlite3_bind_int64(s, 4, at);
    sqlite3_bind_int64(s, 5, seq);
    wr_st_bind_text(s, 6, a->title);
    wr_st_bind_text(s, 7, a->severity);
    wr_st_bind_text(s, 8, a->severity_raw);
    wr_st_bind_text(s, 9, a->annotations);
    wr_st_bind_text(s, 10, a->url);
    wr_st_bind_text(s, 11, a->description);
    wr_st_bind_text(s, 12, a->rule);
    wr_st_bind_text(s, 13, a->notes);
    sqlite3_bind_int(s, 14, untriage);
    return wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, "recording an alert");
}

static wr_status insert(wr_store *st, const in_alert *a, int firing, int64_t seq, int64_t at, int64_t *id,
                        wr_error *err)
{
    const char *doing = "recording an alert";
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(id), 0) + 1 FROM alerts");
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return wr_st_fail(st, err, doing);
    }
    *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    s = wr_st_stmt(st, "INSERT INTO alerts(id, fingerprint, source, title, severity, severity_raw, status, labels,"
                       " annotations, url, description, rule, starts_at, ends_at, first_seen, last_seen,"
                       " resolved_at, seq, last_seq, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                       " ?12, ?13, ?14, ?15, ?15, ?16, ?17, ?17, ?18)");
    sqlite3_bind_int64(s, 1, *id);
    wr_st_bind_text(s, 2, a->fingerprint);
    wr_st_bind_text(s, 3, a->source);
    wr_st_bind_text(s, 4, a->title);
    wr_st_bind_text(s, 5, a->severity);
    wr_st_bind_text(s, 6, a->severity_raw);
    wr_st_bind_text(s, 7, firing ? "firing" : "resolved");
    wr_st_bind_text(s, 8, a->labels);
    wr_st_bind_text(s, 9, a->annotations);
    wr_st_bind_text(s, 10, a->url);
    wr_st_bind_text(s, 11, a->description);
    wr_st_bind_text(s, 12, a->rule);
    sqlite3_bind_int64(s, 13, a->starts_at);
    sqlite3_bind_int64(s, 14, a->ends_at);
    sqlite3_bind_int64(s, 15, at);
    sqlite3_bind_int64(s, 16, firing ? 0 : (a->ends_at ? a->ends_at : at));
    sqlite3_bind_int64(s, 17, seq);
    wr_st_bind_text(s, 18, a->notes);
    return wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, doing);
}

static wr_status fold_one(wr_store *st, const in_alert *a, int64_t seq, int64_t at, int64_t *id, outcome *oc,
                          wr_error *err)
{
    const char *doing = "recording an alert";
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT id, status, starts_at, triage, incident FROM alerts WHERE source = ?1"
                                     " AND fingerprint = ?2 ORDER BY status = 'firing' DESC, id DESC LIMIT 1");
    wr_st_bind_text(s, 1, a->source);
    wr_st_bind_text(s, 2, a->fingerprint);
    int rc = sqlite3_step(s);
    on_record r = {0};
    if (rc == SQLITE_ROW) {
        r.id = sqlite3_column_int64(s, 0);
        r.firing = strcmp((const char *)sqlite3_column_text(s, 1), "firing") == 0;
        r.starts_at = sqlite3_column_int64(s, 2);
        r.triage = wr_st_col_text(s, 3);
        r.incident = sqlite3_column_int64(s, 4);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return wr_st_fail(st, err, doing);
    int firing = wr_alert_state_of(a->status) == WR_ALERT_FIRING;
    int64_t S = a->starts_at, R = r.starts_at;
    wr_status res;
    if (!r.id) {
        *oc = O_NEW;
        return insert(st, a, firing, seq, at, id, err);
    }
    *id = r.id;
    if (firing && ((S && S == R) || (S && R && S < R))) {
        *oc = O_RENOTIFIED;
        res = touch(st, r.id, seq, at, err);
    } else if (firing && r.firing && !S) {
        *oc = O_FOLDED;
        s = wr_st_stmt(st, "UPDATE alerts SET count = count + 1, last_seen = max(last_seen, ?2), last_seq = ?3,"
                           " severity = min(severity, ?4), ends_at = ?5 WHERE id = ?1");
        sqlite3_bind_int64(s, 1, r.id);
        sqlite3_bind_int64(s, 2, at);
        sqlite3_bind_int64(s, 3, seq);
        wr_st_bind_text(s, 4, a->severity);
        sqlite3_bind_int64(s, 5, a->ends_at);
        res = wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, doing);
    } else if (firing) {
        *oc = O_REFIRED;
        res = refire(st, a, &r, seq, at, err);
    } else if ((r.firing && S && R && S < R) || (!r.firing && (!S || S <= R))) {
        *oc = O_DUPLICATE;
        res = touch(st, r.id, seq, at, err);
    } else {
        /* Resolved: this firing, or one that was never seen starting (counted). */
        *oc = O_RESOLVED;
        int missed = S && S > R && (R || !r.firing);
        s = wr_st_stmt(st, "UPDATE alerts SET status = 'resolved', resolved_at = ?2, ends_at = ?4, last_seen ="
                           " max(last_seen, ?5), last_seq = ?3, count = count + ?6,"
                           " starts_at = CASE WHEN ?6 THEN ?7 ELSE starts_at END WHERE id = ?1");
        sqlite3_bind_int64(s, 1, r.id);
        sqlite3_bind_int64(s, 2, a->ends_at ? a->ends_at : at);
        sqlite3_bind_int64(s, 3, seq);
        sqlite3_bind_int64(s, 4, a->ends_at);
        sqlite3_bind_int64(s, 5, at);
        sqlite3_bind_int(s, 6, missed);
        sqlite3_bind_int64(s, 7, S);
        res = wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, doing);
    }
    free(r.triage);
    return res;
}

wr_status wr_alert_apply_received(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    /* Read the batch first: folding runs statements of its own. */
    sqlite3_stmt *s = wr_st_stmt(st,
        "SELECT json_extract(value, '$.fingerprint'), json_extract(value, '$.source'),"
        " json_extract(value, '$.title'), json_extract(value, '$.severity'),"
        " coalesce(json_extract(value, '$.severity_raw'), ''), json_extract(value, '$.status'),"
        " coalesce(json_extract(value, '$.url'), ''), coalesce(json_extract(value, '$.description'), ''),"
        " coalesce(json_extract(value, '$.rule'), ''), coalesce(json_extract(value, '$.labels'), '{}'),"
        " coalesce(json_extract(value, '$.annotations'), '{}'), coalesce(json_extract(value, '$.notes'), '[]'),"
        " json_extract(value, '$.starts_at'), json_extract(value, '$.ends_at') FROM json_each(?1, '$.alerts')");
    wr_st_bind_text(s, 1, w->payload);
    in_alert *v = NULL;
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, n + 1, sizeof *v);
        in_alert *a = &v[n++];
        char **f[IN_TEXT] = {&a->fingerprint, &a->source, &a->title, &a->severity, &a->severity_raw, &a->status,
                             &a->url, &a->description, &a->rule, &a->labels, &a->annotations, &a->notes};
        for (int i = 0; i < IN_TEXT; i++)
            *f[i] = sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : wr_st_col_text(s, i);
        a->starts_at = parse_time((const char *)sqlite3_column_text(s, IN_TEXT));
        a->ends_at = parse_time((const char *)sqlite3_column_text(s, IN_TEXT + 1));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s); /* a cached statement would keep its copy of the payload */
    wr_status r = WR_OK;
    if (rc != SQLITE_DONE)
        r = wr_st_fail(st, err, "reading alerts");
    int counts[O_COUNT] = {0};
    wr_buf outcomes = {0};
    wr_buf_putc(&outcomes, '[');
    for (size_t i = 0; r == WR_OK && i < n; i++) {
        in_alert *a = &v[i];
        if (!a->fingerprint || !a->source || !a->title || !a->severity || !a->status ||
            wr_alert_state_of(a->status) == WR_ALERT_UNKNOWN) {
            r = wr_error_set(err, WR_E_INVALID, "malformed alert event");
            break;
        }
        int64_t id = 0;
        outcome oc = O_NEW;
        r = fold_one(st, a, seq, at, &id, &oc, err);
        if (r != WR_OK)
            break;
        counts[oc]++;
        wr_buf_printf(&outcomes, "%s{\"alert\":%lld,\"outcome\":\"%s\"}", i ? "," : "", (long long)id,
                      outcome_names[oc]);
    }
    wr_buf_putc(&outcomes, ']');
    if (r == WR_OK && n == 0 && wr_st_json_int(st, w->payload, "$.rejected[0].index", -1) < 0)
        r = wr_error_set(err, WR_E_INVALID, "malformed alert event (no alerts)");
    if (r == WR_OK) {
        s = wr_st_stmt(st, "SELECT json_set(?1, '$.new', ?2, '$.folded', ?3, '$.refired', ?4, '$.renotified', ?5,"
                           " '$.resolved', ?6, '$.duplicate', ?7, '$.outcomes', json(?8))");
        wr_st_bind_text(s, 1, w->payload);
        for (int i = 0; i < O_COUNT; i++)
            sqlite3_bind_int(s, 2 + i, counts[i]);
        wr_st_bind_text(s, 8, wr_buf_str(&outcomes));
        if (sqlite3_step(s) == SQLITE_ROW) {
            free(w->payload);
            w->payload = wr_st_col_text(s, 0);
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    wr_buf_free(&outcomes);
    for (size_t i = 0; i < n; i++)
        in_alert_free(&v[i]);
    free(v);
    return r;
}
