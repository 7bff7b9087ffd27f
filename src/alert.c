/* SPDX-License-Identifier: MIT */
/* alert.c - alerts in the store: schema (version 1), triage operations, their event appliers, and reads.
 * Intake and folding are in alert_fold.c. */
#include "alert_int.h"

#include "warroom/alert.h"
#include "warroom/clock.h"
#include "warroom/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

const char wr_schema_alert_v1[] =
    /* Current state, derived from the "alert.*" events (and declarations carrying an alert). */
    "CREATE TABLE alerts("
    "  id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,"
    "  severity TEXT NOT NULL, severity_raw TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
    "  labels TEXT NOT NULL DEFAULT '{}', annotations TEXT NOT NULL DEFAULT '{}', url TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '', rule TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL DEFAULT 1,"
    "  starts_at INTEGER NOT NULL DEFAULT 0, ends_at INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL, resolved_at INTEGER NOT NULL DEFAULT 0, triage TEXT NOT NULL DEFAULT 'new',"
    "  incident INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '', triaged_by TEXT NOT NULL DEFAULT '',"
    "  triaged_at INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, last_seq INTEGER NOT NULL);"
    /* At most one firing occurrence per fingerprint: repeats fold into it (per source since version 2). */
    "CREATE UNIQUE INDEX alerts_firing ON alerts(fingerprint) WHERE status = 'firing';"
    "CREATE INDEX alerts_fingerprint ON alerts(fingerprint, id);"
    "CREATE INDEX alerts_triage ON alerts(triage, last_seen);"
    "CREATE INDEX alerts_incident ON alerts(incident) WHERE incident != 0;"
    /* Not derived from events: alerts dropped by noise rules are counted, not stored. */
    "CREATE TABLE alert_drops(rule TEXT PRIMARY KEY, count INTEGER NOT NULL, last_at INTEGER NOT NULL);";

/* ---- helpers ---- */

static void put_time(wr_buf *b, const char *key, int64_t ms)
{
    char t[40];
    wr_json_kv_str(b, key, ms > 0 ? wr_time_iso(ms, t, sizeof t) : "");
}

/* ---- operations ---- */

/* The alert's details as JSON members (no braces), scalars first, for event payloads. */
static void alert_details(wr_buf *p, const wr_alert_row *a)
{
    wr_json_kv_int(p, "alert", a->id);
    wr_json_kv_str(p, "fingerprint", a->fingerprint);
    wr_json_kv_str(p, "title", a->title);
    wr_json_kv_str(p, "severity", a->severity);
    wr_json_kv_str(p, "source", a->source);
    wr_json_kv_str(p, "status", a->status);
    wr_json_kv_int(p, "count", a->count);
    wr_json_kv_str(p, "url", a->url);
    put_time(p, "starts_at", a->starts_at);
    put_time(p, "first_seen", a->first_seen);
    put_time(p, "last_seen", a->last_seen);
    wr_json_key(p, "labels");
    wr_buf_puts(p, a->labels && *a->labels ? a->labels : "{}");
    wr_json_key(p, "annotations");
    wr_buf_puts(p, a->annotations && *a->annotations ? a->annotations : "{}");
}

wr_status wr_op_alert_declare(const wr_opctx *c, const wr_alert_row *a, const char *severity, const char *type,
                              const char *kind, wr_write *w, wr_error *err)
{
    wr_status r = wr_op_declare(c, a->title, severity ? severity : a->severity, type, kind, w, err);
    if (r != WR_OK)
        return r;
    /* The declaration's payload is an object: add the alert to it. */
    wr_buf p = {0};
    size_t len = strlen(w->payload);
    wr_buf_append(&p, w->payload, len - 1);
    wr_json_key(&p, "alert");
    wr_buf_putc(&p, '{');
    alert_details(&p, a);
    wr_buf_puts(&p, "}}");
    free(w->payload);
    w->payload = wr_buf_steal(&p);
    free(w->describe);
    w->describe = wr_xasprintf("declaring from alert %.16s", a->fingerprint);
    return WR_OK;
}

wr_status wr_op_alert_attach(const wr_opctx *c, const wr_alert_row *a, int64_t inc, wr_write *w, wr_error *err)
{
    if (inc <= 0)
        return wr_error_set(err, WR_E_INVALID, "name the incident to attach the alert to");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    alert_details(&p, a);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "alert.attached", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("attaching alert %.16s to INC-%lld", a->fingerprint, (long long)inc);
    return WR_OK;
}

wr_status wr_op_alert_dismiss(const wr_opctx *c, const wr_alert_row *a, const char *reason, wr_write *w,
                              wr_error *err)
{
    int blank = 1;
    for (const char *s = reason; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            blank = 0;
    if (blank)
        return wr_error_set(err, WR_E_INVALID, "dismissing needs a reason: add --reason TEXT");
    if (strlen(reason) > WR_REASON_MAX)
        return wr_error_set(err, WR_E_INVALID, "the reason is too long (%zu bytes; at most %d)", strlen(reason),
                            WR_REASON_MAX);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "alert", a->id);
    wr_json_kv_str(&p, "fingerprint", a->fingerprint);
    wr_json_kv_str(&p, "title", a->title);
    wr_json_kv_str(&p, "reason", reason);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, 0, "alert.dismissed", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("dismissing alert %.16s", a->fingerprint);
    return WR_OK;
}

/* ---- application (inside the write transaction) ---- */

/* "alert.received" is applied in alert_fold.c. */

/* The alert's triage state, for linking: NOTFOUND / CONFLICT when it cannot be linked (or dismissed). */
static wr_status check_triage(wr_store *st, int64_t id, int64_t inc, int dismissing, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT triage, incident, triaged_by, triaged_at, fingerprint, reason FROM"
                                     " alerts WHERE id = ?1");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return wr_error_set(err, WR_E_NOTFOUND, "there is no alert #%lld", (long long)id);
        return wr_st_fail(st, err, "reading an alert");
    }
    char *triage = wr_st_col_text(s, 0);
    int64_t linked = sqlite3_column_int64(s, 1);
    char *by = wr_st_col_text(s, 2);
    char t[16];
    wr_time_hms(sqlite3_column_int64(s, 3), t, sizeof t);
    char *fp = wr_st_col_text(s, 4);
    char *reason = wr_st_col_text(s, 5);
    sqlite3_reset(s);
    wr_status r = WR_OK;
    if (strcmp(triage, WR_ALERT_DECLARED) == 0 || strcmp(triage, WR_ALERT_ATTACHED) == 0) {
        if (dismissing)
            r = wr_error_set(err, WR_E_CONFLICT, "alert %.16s is part of INC-%lld (%s by %s at %s UTC); it was not "
                                                 "dismissed", fp, (long long)linked, triage, by, t);
        else if (linked == inc)
            r = wr_error_set(err, WR_E_CONFLICT, "alert %.16s is already part of INC-%lld (%s by %s at %s UTC)", fp,
                             (long long)linked, triage, by, t);
        else
            r = wr_error_set(err, WR_E_CONFLICT, "alert %.16s was already %s %s INC-%lld by %s at %s UTC; nothing "
                                                 "changed", fp, triage,
                             strcmp(triage, WR_ALERT_DECLARED) == 0 ? "as" : "to", (long long)linked, by, t);
    } else if (dismissing && strcmp(triage, WR_ALERT_DISMISSED) == 0) {
        r = wr_error_set(err, WR_E_CONFLICT, "alert %.16s was already dismissed by %s at %s UTC (\"%.200s\")", fp, by,
                         t, reason);
    }
    free(triage);
    free(by);
    free(fp);
    free(reason);
    return r;
}

static wr_status link_alert(wr_store *st, wr_write *w, int64_t id, const char *state, int64_t seq, int64_t at,
                            wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "UPDATE alerts SET triage = ?2, incident = ?3, triaged_by = ?4, triaged_at = ?5,"
                                     " reason = coalesce(json_extract(?6, '$.reason'), ''), last_seq = ?7"
                                     " WHERE id = ?1");
    sqlite3_bind_int64(s, 1, id);
    wr_st_bind_text(s, 2, state);
    sqlite3_bind_int64(s, 3, strcmp(state, WR_ALERT_DISMISSED) == 0 ? 0 : w->incident);
    wr_st_bind_text(s, 4, w->actor);
    sqlite3_bind_int64(s, 5, at);
    wr_st_bind_text(s, 6, w->payload);
    sqlite3_bind_int64(s, 7, seq);
    if (wr_st_step(s) != SQLITE_OK)
        return wr_st_fail(st, err, "triaging an alert");
    if (!w->incident || strcmp(state, WR_ALERT_DISMISSED) == 0)
        return WR_OK;
    s = wr_st_stmt(st, "UPDATE incidents SET last_seq = ?2, updated_at = max(updated_at, ?3) WHERE id = ?1");
    sqlite3_bind_int64(s, 1, w->incident);
    sqlite3_bind_int64(s, 2, seq);
    sqlite3_bind_int64(s, 3, at);
    return wr_st_step(s) == SQLITE_OK ? WR_OK : wr_st_fail(st, err, "triaging an alert");
}

/* Runs after the core applier of "incident.declared" has made the incident (w->incident is set). */
wr_status wr_alert_on_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    int64_t id = wr_st_json_int(st, w->payload, "$.alert.alert", 0);
    if (!id)
        return WR_OK; /* an ordinary declaration */
    wr_status r = check_triage(st, id, w->incident, 0, err);
    if (r != WR_OK)
        return r;
    return link_alert(st, w, id, WR_ALERT_DECLARED, seq, at, err);
}

static wr_status apply_attached(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT 1 FROM incidents WHERE id = ?1");
    sqlite3_bind_int64(s, 1, w->incident);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld",
                                                (long long)w->incident)
                                 : wr_st_fail(st, err, "attaching an alert");
    int64_t id = wr_st_json_int(st, w->payload, "$.alert", 0);
    wr_status r = check_triage(st, id, w->incident, 0, err);
    if (r != WR_OK)
        return r;
    return link_alert(st, w, id, WR_ALERT_ATTACHED, seq, at, err);
}

static wr_status apply_dismissed(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    int64_t id = wr_st_json_int(st, w->payload, "$.alert", 0);
    wr_status r = check_triage(st, id, 0, 1, err);
    if (r != WR_OK)
        return r;
    return link_alert(st, w, id, WR_ALERT_DISMISSED, seq, at, err);
}


/* ---- reads ---- */

void wr_alert_row_clear(wr_alert_row *r)
{
    free(r->fingerprint);
    free(r->source);
    free(r->title);
    free(r->severity);
    free(r->severity_raw);
    free(r->status);
    free(r->labels);
    free(r->annotations);
    free(r->url);
    free(r->rule);
    free(r->triage);
    free(r->reason);
    free(r->triaged_by);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

void wr_alert_rows_free(wr_alert_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wr_alert_row_clear(&v[i]);
    free(v);
}

#define ALERT_COLS                                                                                            \
    "id, fingerprint, source, title, severity, severity_raw, status, labels, annotations, url, rule, count,"  \
    " starts_at, ends_at, first_seen, last_seen, resolved_at, triage, incident, reason, triaged_by,"         \
    " triaged_at, notes "

static void row_alert(sqlite3_stmt *s, wr_alert_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->fingerprint = wr_st_col_text(s, 1);
    r->source = wr_st_col_text(s, 2);
    r->title = wr_st_col_text(s, 3);
    r->severity = wr_st_col_text(s, 4);
    r->severity_raw = wr_st_col_text(s, 5);
    r->status = wr_st_col_text(s, 6);
    r->labels = wr_st_col_text(s, 7);
    r->annotations = wr_st_col_text(s, 8);
    r->url = wr_st_col_text(s, 9);
    r->rule = wr_st_col_text(s, 10);
    r->count = sqlite3_column_int64(s, 11);
    r->starts_at = sqlite3_column_int64(s, 12);
    r->ends_at = sqlite3_column_int64(s, 13);
    r->first_seen = sqlite3_column_int64(s, 14);
    r->last_seen = sqlite3_column_int64(s, 15);
    r->resolved_at = sqlite3_column_int64(s, 16);
    r->triage = wr_st_col_text(s, 17);
    r->incident = sqlite3_column_int64(s, 18);
    r->reason = wr_st_col_text(s, 19);
    r->triaged_by = wr_st_col_text(s, 20);
    r->triaged_at = sqlite3_column_int64(s, 21);
    r->notes = wr_st_col_text(s, 22);
}

#define LIST_WHERE "WHERE (?1 OR ?2 != 0 OR triage = 'new') AND (?2 = 0 OR incident = ?2) ORDER BY last_seen DESC, id DESC"

wr_status wr_alert_list(wr_store *st, unsigned flags, int64_t incident, wr_alert_row **out, size_t *n,
                        wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " ALERT_COLS "FROM alerts " LIST_WHERE);
    sqlite3_bind_int(s, 1, (flags & WR_ALERTS_ALL) ? 1 : 0);
    sqlite3_bind_int64(s, 2, incident);
    wr_alert_row *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        row_alert(s, &v[cnt++]);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_alert_rows_free(v, cnt);
        return wr_st_read_error(st, rc, err, "listing alerts");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

#define ISO(x) "CASE WHEN " x " > 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', " x " / 1000.0, 'unixepoch') END"

wr_status wr_alert_list_json(wr_store *st, unsigned flags, int64_t incident, char **json, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st,
        "SELECT coalesce(json_group_array(json(j)), json('[]')) FROM (SELECT json_object('id', id,"
        " 'fingerprint', fingerprint, 'source', source, 'title', title, 'severity', severity, 'severity_raw',"
        " severity_raw, 'status', status, 'triage', triage, 'incident', CASE WHEN incident > 0 THEN 'INC-' ||"
        " incident END, 'count', count, 'labels', json(labels), 'annotations', json(annotations), 'url', url,"
        " 'description', description, 'rule', nullif(rule, ''), 'starts_at', " ISO("starts_at") ", 'ends_at', "
        ISO("ends_at") ", 'first_seen', " ISO("first_seen") ", 'last_seen', " ISO("last_seen") ", 'resolved_at', "
        ISO("resolved_at") ", 'triaged_by', nullif(triaged_by, ''), 'triaged_at', " ISO("triaged_at")
        ", 'reason', nullif(reason, ''), 'notes', CASE WHEN notes != '[]' THEN json(notes) END) AS j FROM alerts "
        LIST_WHERE ")");
    sqlite3_bind_int(s, 1, (flags & WR_ALERTS_ALL) ? 1 : 0);
    sqlite3_bind_int64(s, 2, incident);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) /* through the one writer: valid UTF-8, terminal-safe strings */
        *json = wr_json_rewrite((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? WR_OK : wr_st_read_error(st, rc, err, "listing alerts");
}

static wr_status get_by_id(wr_store *st, int64_t id, wr_alert_row *out, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " ALERT_COLS "FROM alerts WHERE id = ?1");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        row_alert(s, out);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return WR_OK;
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no alert #%lld (`warroom alerts --all` lists them)",
                            (long long)id);
    return wr_st_read_error(st, rc, err, "reading an alert");
}

wr_status wr_alert_find(wr_store *st, const char *ref, wr_alert_row *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    wr_st_read_begin(st);
    if (!ref || !*ref)
        return wr_error_set(err, WR_E_INVALID, "name the alert by its fingerprint (or #ID)");
    if (ref[0] == '#') {
        char *end;
        long long id = strtoll(ref + 1, &end, 10);
        if (*end || id <= 0)
            return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an alert number", ref);
        return get_by_id(st, id, out, err);
    }
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT DISTINCT fingerprint FROM alerts WHERE fingerprint = ?1 OR"
                                     " substr(fingerprint, 1, length(?1)) = ?1 ORDER BY fingerprint != ?1,"
                                     " fingerprint LIMIT 6");
    wr_st_bind_text(s, 1, ref);
    char *fps[6];
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fps[n++] = wr_st_col_text(s, 0);
    sqlite3_reset(s);
    wr_status r = WR_OK;
    if (rc != SQLITE_DONE)
        r = wr_st_read_error(st, rc, err, "finding an alert");
    else if (n == 0)
        r = wr_error_set(err, WR_E_NOTFOUND, "no alert has the fingerprint \"%.64s\" (`warroom alerts --all` lists "
                                             "them)", ref);
    else if (n > 1 && strcmp(fps[0], ref) != 0) {
        wr_buf all = {0};
        for (int i = 0; i < n && i < 5; i++)
            wr_buf_printf(&all, "%s%.16s", i ? ", " : "", fps[i]);
        r = wr_error_set(err, WR_E_INVALID, "\"%.64s\" matches several alerts (%s%s): give more of the fingerprint",
                         ref, wr_buf_str(&all), n > 5 ? ", ..." : "");
        wr_buf_free(&all);
    } else {
        /* The newest occurrence of each source's alert with this fingerprint: more than one is ambiguous. */
        s = wr_st_stmt(st, "SELECT max(id), source FROM alerts WHERE fingerprint = ?1 GROUP BY source"
                           " ORDER BY max(id) DESC LIMIT 6");
        wr_st_bind_text(s, 1, fps[0]);
        int64_t id = 0;
        int nsrc = 0;
        wr_buf all = {0};
        while (sqlite3_step(s) == SQLITE_ROW) {
            if (!nsrc++)
                id = sqlite3_column_int64(s, 0);
            if (nsrc <= 5)
                wr_buf_printf(&all, "%s#%lld from %.40s", nsrc > 1 ? ", " : "", (long long)sqlite3_column_int64(s, 0),
                              (const char *)sqlite3_column_text(s, 1));
        }
        sqlite3_reset(s);
        if (nsrc > 1)
            r = wr_error_set(err, WR_E_INVALID, "several sources sent an alert with the fingerprint %.16s (%s%s): "
                                                "name one by its #ID", fps[0], wr_buf_str(&all), nsrc > 5 ? ", ..." : "");
        else
            r = get_by_id(st, id, out, err);
        wr_buf_free(&all);
    }
    for (int i = 0; i < n; i++)
        free(fps[i]);
    return r;
}

wr_status wr_alert_pending(wr_store *st, int64_t *waiting, int64_t *firing, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT count(*), count(*) FILTER (WHERE status = 'firing') FROM alerts"
                                     " WHERE triage = 'new'");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *waiting = sqlite3_column_int64(s, 0);
        *firing = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? WR_OK : wr_st_read_error(st, rc, err, "counting alerts");
}

wr_status wr_alert_drops(wr_store *st, wr_alert_drop **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT rule, count, last_at FROM alert_drops ORDER BY count DESC, rule");
    wr_alert_drop *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        v[cnt].rule = wr_st_col_text(s, 0);
        v[cnt].count = sqlite3_column_int64(s, 1);
        v[cnt].last_at = sqlite3_column_int64(s, 2);
        cnt++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_alert_drops_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading dropped-alert counts");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_alert_drops_free(wr_alert_drop *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].rule);
    free(v);
}

typedef struct drops_ctx {
    const char *const *rules;
    const int64_t *counts;
    size_t n;
    int64_t now;
} drops_ctx;

static int drops_body(wr_store *st, void *ctx)
{
    drops_ctx *d = ctx;
    for (size_t i = 0; i < d->n; i++) {
        if (d->counts[i] <= 0)
            continue;
        sqlite3_stmt *s = wr_st_stmt(st, "INSERT INTO alert_drops(rule, count, last_at) VALUES (?1, ?2, ?3)"
                                         " ON CONFLICT(rule) DO UPDATE SET count = count + excluded.count,"
                                         " last_at = max(last_at, excluded.last_at)");
        wr_st_bind_text(s, 1, d->rules[i]);
        sqlite3_bind_int64(s, 2, d->counts[i]);
        sqlite3_bind_int64(s, 3, d->now);
        int rc = wr_st_step(s);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

wr_status wr_alert_count_drops(wr_store *st, const char *const *rules, const int64_t *counts, size_t n,
                               int wait_ms, wr_error *err)
{
    drops_ctx d = {rules, counts, n, wr_clock_now_ms()};
    return wr_st_write(st, wait_ms, drops_body, &d, err, "counting dropped alerts");
}

/* ---- describing the module's events (no store access) ---- */

static void describe_received(const wr_event *ev, wr_buf *out)
{
    {
        static const char *const keys[] = {"n", "new", "folded", "refired", "renotified", "resolved", "duplicate",
                                           "rejects"};
        long long v[8];
        for (int i = 0; i < 8; i++) {
            char *x = wr_event_payload_str(ev->payload, keys[i]);
            v[i] = x ? atoll(x) : 0;
            free(x);
        }
        wr_buf_printf(out, "%lld alert%s received: %lld new, %lld folded, %lld fired again, %lld resolved, %lld "
                      "repeated", v[0], v[0] == 1 ? "" : "s", v[1], v[2], v[3], v[5], v[4] + v[6]);
        if (v[7])
            wr_buf_printf(out, "; %lld rejected", v[7]);
    }
}

static void describe_attached(const wr_event *ev, wr_buf *out)
{
    {
        char *t = wr_event_payload_str(ev->payload, "title"), *sev = wr_event_payload_str(ev->payload, "severity"),
             *src = wr_event_payload_str(ev->payload, "source"),
             *fp = wr_event_payload_str(ev->payload, "fingerprint"), *c = wr_event_payload_str(ev->payload, "count");
        wr_buf_printf(out, "alert attached: [%s] %s (%s, %.16s, seen %s time%s)", sev ? sev : "?", t ? t : "",
                      src ? src : "?", fp ? fp : "?", c ? c : "1", c && strcmp(c, "1") == 0 ? "" : "s");
        free(t);
        free(sev);
        free(src);
        free(fp);
        free(c);
    }
}

static void describe_dismissed(const wr_event *ev, wr_buf *out)
{
    {
        char *t = wr_event_payload_str(ev->payload, "title"), *r = wr_event_payload_str(ev->payload, "reason"),
             *fp = wr_event_payload_str(ev->payload, "fingerprint");
        wr_buf_printf(out, "alert dismissed: %s (%.16s): %s", t ? t : "", fp ? fp : "?", r ? r : "");
        free(t);
        free(r);
        free(fp);
    }
}

/* ---- the kinds ---- */

WR_KIND_REQUIRE(check_received, "$.n", "$.alerts")
WR_KIND_REQUIRE(check_link, "$.alert", "$.fingerprint")

const wr_kind_module wr_kinds_alert = {
    "alert",
    (const wr_event_kind[]){
        {"alert.received", check_received, wr_alert_apply_received, describe_received},
        {"alert.attached", check_link, apply_attached, describe_attached},
        {"alert.dismissed", check_link, apply_dismissed, describe_dismissed},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM alerts;",
};
