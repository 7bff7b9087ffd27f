/* SPDX-License-Identifier: MIT */
/* lifecycle.c - status transitions, milestones, decision framework, assets and indicators, required roles,
 * role history and metrics: operations, event application (with hooks called by the core appliers in
 * apply.c) and reads. */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/sha256.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

const char wr_schema_lifecycle_v1[] =
    "CREATE TABLE milestones("
    "  incident INTEGER NOT NULL, name TEXT NOT NULL, at INTEGER NOT NULL, source TEXT NOT NULL,"
    "  set_by TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,"
    "  PRIMARY KEY (incident, name));"
    "CREATE TABLE assets("
    "  incident INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, added_by TEXT NOT NULL,"
    "  added_at INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (incident, kind, name));"
    "CREATE TABLE indicators("
    "  incident INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
    "  added_by TEXT NOT NULL, added_at INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY (incident, type, value));"
    /* The latest stakeholder update, for the cadence countdown, without scanning a long timeline. */
    "CREATE INDEX events_updates ON events(incident, occurred_at) WHERE kind = 'update';";

/* ---- vocabularies ---- */

const char *const wr_milestone_names[WR_MS_COUNT] = {"started",      "detected",  "declared",  "acknowledged",
                                                     "contained",    "recovered", "resolved",  "closed"};
const char *const wr_metric_names[WR_MET_COUNT] = {"time to detect", "time to acknowledge", "time to contain",
                                                   "time to recover", "time to resolve"};
const char *const wr_metric_keys[WR_MET_COUNT] = {"detect", "acknowledge", "contain", "recover", "resolve"};
const char *const wr_decision_frames[4] = {"clear", "complicated", "complex", "chaotic"};
const char *const wr_note_tags[3] = {"went-well", "went-badly", "contributing-factor"};

static int index_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    return -1;
}

int wr_milestone_from_name(const char *name)
{
    return index_of(name, wr_milestone_names, WR_MS_COUNT);
}

int wr_decision_valid(const char *frame)
{
    return index_of(frame, wr_decision_frames, 4) >= 0;
}

const char *wr_decision_approach(const char *frame)
{
    static const char *const approach[4] = {
        "sense, categorise, respond: the cause is known, so follow the runbook",
        "sense, analyse, respond: bring in the experts and analyse before acting",
        "probe, sense, respond: run small safe-to-fail experiments and amplify what works",
        "act, sense, respond: act to stabilise first (stop the harm), then look for the cause",
    };
    int i = index_of(frame, wr_decision_frames, 4);
    return i < 0 ? NULL : approach[i];
}

/* ---- time helpers ---- */

char *wr_lifecycle_time(int64_t ms, char *buf, size_t size)
{
    char iso[40];
    wr_time_iso(ms, iso, sizeof iso); /* 2026-03-01T10:40:05.000Z */
    if (strncmp(iso + 17, "00", 2) == 0)
        snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
    else
        snprintf(buf, size, "%.10s %.8s", iso, iso + 11);
    return buf;
}

int wr_lifecycle_time_parse(const char *s, int64_t *ms)
{
    size_t n = strlen(s);
    if ((n == 5 || n == 8) && isdigit((unsigned char)s[0]) && s[2] == ':') {
        char iso[40], tmp[40];
        wr_time_iso(wr_clock_now_ms(), iso, sizeof iso);
        snprintf(tmp, sizeof tmp, "%.10sT%sZ", iso, s);
        return wr_time_parse(tmp, ms);
    }
    return wr_time_parse(s, ms);
}

char *wr_lifecycle_duration(int64_t ms, char *buf, size_t size)
{
    const char *sign = ms < 0 ? "-" : "";
    int64_t s = ((ms < 0 ? -ms : ms) + 500) / 1000;
    if (s < 60)
        snprintf(buf, size, "%s%llds", sign, (long long)s);
    else if (s < 3600 && s % 60 == 0)
        snprintf(buf, size, "%s%lldm", sign, (long long)(s / 60));
    else if (s < 3600)
        snprintf(buf, size, "%s%lldm%02llds", sign, (long long)(s / 60), (long long)(s % 60));
    else if (s < 86400 && s % 3600 / 60 == 0)
        snprintf(buf, size, "%s%lldh", sign, (long long)(s / 3600));
    else if (s < 86400)
        snprintf(buf, size, "%s%lldh%02lldm", sign, (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(buf, size, "%s%lldd%02lldh", sign, (long long)(s / 86400), (long long)(s % 86400 / 3600));
    return buf;
}

/* "10:40" when both times share a date, else "2026-03-01 10:40". */
static void clash_time(int64_t ms, int64_t other, char *buf, size_t size)
{
    char a[40], b[40];
    wr_lifecycle_time(ms, a, sizeof a);
    wr_lifecycle_time(other, b, sizeof b);
    snprintf(buf, size, "%s", strncmp(a, b, 10) == 0 ? a + 11 : a);
}

/* The first clash, looking at `focus` first (-1: any). */
static int check_order(const int64_t at[WR_MS_COUNT], int focus, char *msg, size_t size)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < WR_MS_COUNT; i++)
            for (int j = i + 1; j < WR_MS_COUNT; j++) {
                if (pass == 0 && focus >= 0 && i != focus && j != focus)
                    continue;
                if (at[i] && at[j] && at[j] < at[i]) {
                    char ti[40], tj[40];
                    clash_time(at[j], at[i], tj, sizeof tj);
                    clash_time(at[i], at[j], ti, sizeof ti);
                    if (msg)
                        snprintf(msg, size, "%s %s is before %s %s", wr_milestone_names[j], tj,
                                 wr_milestone_names[i], ti);
                    return -1;
                }
            }
    return 0;
}

wr_status wr_milestones_check(const int64_t at[WR_MS_COUNT], wr_error *err)
{
    char msg[200];
    if (check_order(at, -1, msg, sizeof msg) != 0)
        return wr_error_set(err, WR_E_INVALID, "%s", msg);
    return WR_OK;
}

void wr_metrics_compute(const wr_milestones *m, int64_t out[WR_MET_COUNT])
{
    const int64_t *a = m->at;
    int64_t base = a[WR_MS_DETECTED] ? a[WR_MS_DETECTED] : a[WR_MS_DECLARED];
    out[WR_MET_DETECT] = a[WR_MS_STARTED] && a[WR_MS_DETECTED] ? a[WR_MS_DETECTED] - a[WR_MS_STARTED] : -1;
    static const int to[] = {WR_MS_ACKNOWLEDGED, WR_MS_CONTAINED, WR_MS_RECOVERED, WR_MS_RESOLVED};
    for (int k = 0; k < 4; k++)
        out[WR_MET_ACKNOWLEDGE + k] = base && a[to[k]] ? a[to[k]] - base : -1;
}

/* ---- status transitions ---- */

wr_status wr_status_transition_check(const char *from, const char *to, wr_error *err)
{
    wr_inc_status f = wr_inc_status_of(from), t = wr_inc_status_of(to);
    const char *reason = NULL;
    char tmp[200];
    if (f < 0 || t < 0) {
        reason = "unknown status";
    } else if (f == t) {
        snprintf(tmp, sizeof tmp, "the status is already %s", to);
        reason = tmp;
    } else if (f >= WR_INC_CLOSED) {
        snprintf(tmp, sizeof tmp, "the incident is %s: reopening it needs --force with a reason", from);
        reason = tmp;
    } else if (t == WR_INC_CLOSED && f != WR_INC_RESOLVED && f != WR_INC_LESSONS_LEARNED) {
        snprintf(tmp, sizeof tmp, "close an incident from resolved or lessons-learned (it is %s): resolve it "
                                  "first, or use --force with a reason", from);
        reason = tmp;
    } else if (t == WR_INC_LESSONS_LEARNED && f != WR_INC_RESOLVED) {
        snprintf(tmp, sizeof tmp, "lessons-learned follows resolved (it is %s): resolve it first, or use "
                                  "--force with a reason", from);
        reason = tmp;
    } else if (t == WR_INC_DECLINED && f != WR_INC_TRIAGE) {
        snprintf(tmp, sizeof tmp, "only an incident still in triage can be declined (it is %s); cancel it, or "
                                  "use --force with a reason", from);
        reason = tmp;
    } else if (t == WR_INC_CANCELLED && f > WR_INC_RECOVERY) {
        snprintf(tmp, sizeof tmp, "the incident is already %s: close it instead, or use --force with a "
                                  "reason", from);
        reason = tmp;
    }
    if (reason)
        return wr_error_set(err, WR_E_INVALID, "%s", reason);
    return WR_OK;
}

/* Which milestones a status implies (a status at or past their phase). */
static int implies(wr_inc_status status, int ms)
{
    switch (ms) {
    case WR_MS_ACKNOWLEDGED: return status >= WR_INC_CONTAINMENT && status <= WR_INC_CLOSED;
    case WR_MS_CONTAINED: return status >= WR_INC_ERADICATION && status <= WR_INC_CLOSED;
    case WR_MS_RECOVERED:
    case WR_MS_RESOLVED: return status >= WR_INC_RESOLVED && status <= WR_INC_CLOSED;
    case WR_MS_CLOSED: return status >= WR_INC_CLOSED;
    default: return 0;
    }
}

/* ---- operations ---- */

#define MAX_TEXT 16384

static wr_status check_text(const char *what, const char *s, size_t max, wr_error *err)
{
    if (!s || !*s)
        return wr_error_set(err, WR_E_INVALID, "%s must not be empty", what);
    size_t n = strlen(s);
    if (n > max)
        return wr_error_set(err, WR_E_INVALID, "%s is too long (%zu bytes; at most %zu)", what, n, max);
    for (const char *p = s; *p; p++)
        if (!isspace((unsigned char)*p))
            return WR_OK;
    return wr_error_set(err, WR_E_INVALID, "%s must not be blank", what);
}


static void prepare(const wr_opctx *c, wr_write *w, int64_t inc, const char *kind, wr_buf *payload, char *describe)
{
    wr_write_init(w, c->actor, c->source, inc, kind, wr_buf_steal(payload));
    w->occurred_at = c->occurred_at;
    w->describe = describe;
}

wr_status wr_op_status(const wr_opctx *c, int64_t inc, const char *status, int64_t into, const char *reason,
                       int force, wr_write *w, wr_error *err)
{
    if (!wr_incident_status_valid(status)) {
        const char *s = wr_suggest(status, wr_statuses, wr_nstatuses);
        return wr_error_set(err, WR_E_INVALID,
                            "\"%s\" is not a status%s%s%s; statuses: triage, containment, eradication, recovery, "
                            "resolved, lessons-learned, closed, declined, merged, cancelled",
                            status, s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
    }
    int merged = wr_inc_status_of(status) == WR_INC_MERGED;
    if (merged && into <= 0)
        return wr_error_set(err, WR_E_INVALID, "merged needs the incident it is merged into: --into INC-N");
    if (!merged && into)
        return wr_error_set(err, WR_E_INVALID, "--into goes with the status merged only");
    if (merged && into == inc)
        return wr_error_set(err, WR_E_INVALID, "an incident cannot be merged into itself");
    if (force && (!reason || !*reason))
        return wr_error_set(err, WR_E_INVALID, "an override needs a reason: add --reason TEXT");
    wr_status r;
    if (reason && *reason && (r = check_text("the reason", reason, WR_REASON_MAX, err)) != WR_OK)
        return r;
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "field", "status");
    wr_json_kv_str(&p, "new", status);
    if (reason && *reason)
        wr_json_kv_str(&p, "reason", reason);
    if (merged)
        wr_json_kv_int(&p, "into", into);
    if (force)
        wr_json_kv_int(&p, "override", 1);
    wr_buf_putc(&p, '}');
    prepare(c, w, inc, "incident.changed", &p, wr_xasprintf("status change on INC-%lld", (long long)inc));
    return WR_OK;
}

wr_status wr_op_milestone(const wr_opctx *c, int64_t inc, const char *name, int64_t at, const char *reason,
                          wr_write *w, wr_error *err)
{
    int m = wr_milestone_from_name(name);
    if (m < 0) {
        const char *s = wr_suggest(name, wr_milestone_names, WR_MS_COUNT);
        return wr_error_set(err, WR_E_INVALID,
                            "\"%s\" is not a milestone%s%s%s; milestones: started, detected, declared, "
                            "acknowledged, contained, recovered, resolved, closed",
                            name, s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
    }
    wr_status r = check_text("the reason", reason, WR_REASON_MAX, err);
    if (r != WR_OK && reason && strlen(reason) > WR_REASON_MAX)
        return r; /* too long: says so */
    if (r != WR_OK)
        return wr_error_set(err, WR_E_INVALID, "correcting a milestone needs a reason: add --reason TEXT");
    if (at < 0)
        return wr_error_set(err, WR_E_INVALID, "not a time");
    if (at == 0 && m == WR_MS_DECLARED)
        return wr_error_set(err, WR_E_INVALID, "the declaration time cannot be cleared, only corrected");
    int64_t now = c->occurred_at ? c->occurred_at : wr_clock_now_ms();
    if (at > now) {
        char t[40];
        return wr_error_set(err, WR_E_INVALID, "%s %s UTC is in the future: milestones record what happened",
                            name, wr_lifecycle_time(at, t, sizeof t));
    }
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "name", name);
    wr_json_kv_int(&p, "at", at);
    wr_json_kv_str(&p, "reason", reason);
    wr_buf_putc(&p, '}');
    prepare(c, w, inc, "milestone.set", &p, wr_xasprintf("%s time on INC-%lld", name, (long long)inc));
    return WR_OK;
}

wr_status wr_op_note_tagged(const wr_opctx *c, int64_t inc, const char *text, const char *tag, wr_write *w,
                            wr_error *err)
{
    if (!tag || !*tag)
        return wr_op_note(c, inc, text, w, err);
    if (index_of(tag, wr_note_tags, 3) < 0) {
        const char *s = wr_suggest(tag, wr_note_tags, 3);
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a note tag%s%s%s; tags: went-well, went-badly, "
                                               "contributing-factor", tag, s ? " (did you mean " : "", s ? s : "",
                            s ? "?)" : "");
    }
    wr_status r = check_text("a note", text, MAX_TEXT, err);
    if (r != WR_OK)
        return r;
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "text", text);
    wr_json_kv_str(&p, "tag", tag);
    wr_buf_putc(&p, '}');
    prepare(c, w, inc, "note", &p, wr_xasprintf("note on INC-%lld", (long long)inc));
    return WR_OK;
}

/* ---- application (inside the write transaction) ---- */

static int touch(wr_store *st, int64_t inc, int64_t seq, int64_t at)
{
    return wr_incident_touch(st, inc, seq, at, 0);
}

static void ms_load(wr_store *st, int64_t inc, wr_milestones *m)
{
    memset(m, 0, sizeof *m);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT name, at, source FROM milestones WHERE incident = ?1");
    sqlite3_bind_int64(s, 1, inc);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int k = wr_milestone_from_name((const char *)sqlite3_column_text(s, 0));
        if (k >= 0) {
            m->at[k] = sqlite3_column_int64(s, 1);
            snprintf(m->source[k], sizeof m->source[k], "%s", (const char *)sqlite3_column_text(s, 2));
        }
    }
    sqlite3_reset(s);
}

static int ms_put(wr_store *st, int64_t inc, int k, int64_t at, const char *source, const char *by,
                  const char *reason, int64_t seq)
{
    sqlite3_stmt *s;
    if (!at) {
        s = wr_st_stmt(st, "DELETE FROM milestones WHERE incident = ?1 AND name = ?2");
        sqlite3_bind_int64(s, 1, inc);
        wr_st_bind_text(s, 2, wr_milestone_names[k]);
        return wr_st_step(s);
    }
    s = wr_st_stmt(st, "INSERT INTO milestones(incident, name, at, source, set_by, reason, seq)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(incident, name) DO UPDATE SET"
                       " at = excluded.at, source = excluded.source, set_by = excluded.set_by,"
                       " reason = excluded.reason, seq = excluded.seq");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, wr_milestone_names[k]);
    sqlite3_bind_int64(s, 3, at);
    wr_st_bind_text(s, 4, source);
    wr_st_bind_text(s, 5, by ? by : "");
    wr_st_bind_text(s, 6, reason ? reason : "");
    sqlite3_bind_int64(s, 7, seq);
    return wr_st_step(s);
}

/* Rewrite w->payload with json_set(payload, path, json(value)). */
static void payload_set_json(wr_store *st, wr_write *w, const char *path, const char *json)
{
    sqlite3_stmt *js = wr_st_stmt(st, "SELECT json_set(?1, ?2, json(?3))");
    wr_st_bind_text(js, 1, w->payload);
    wr_st_bind_text(js, 2, path);
    wr_st_bind_text(js, 3, json);
    if (sqlite3_step(js) == SQLITE_ROW) {
        free(w->payload);
        w->payload = wr_st_col_text(js, 0);
    }
    sqlite3_reset(js);
}

wr_status wr_lc_on_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_milestones m;
    memset(&m, 0, sizeof m);
    m.at[WR_MS_STARTED] = wr_st_json_int(st, w->payload, "$.started", 0);
    m.at[WR_MS_DETECTED] = wr_st_json_int(st, w->payload, "$.detected", 0);
    m.at[WR_MS_DECLARED] = at;
    char msg[200];
    if (check_order(m.at, -1, msg, sizeof msg) != 0)
        return wr_error_set(err, WR_E_INVALID, "refused: %s (declared is when the incident is declared)", msg);
    for (int k = WR_MS_STARTED; k <= WR_MS_DECLARED; k++)
        if (m.at[k] && ms_put(st, w->incident, k, m.at[k], "declare", w->actor, "", seq) != SQLITE_OK)
            return wr_st_fail(st, err, "recording the change");
    return WR_OK;
}

wr_status wr_lc_status_check(wr_store *st, wr_write *w, const char *old, const char *status, wr_error *err)
{
    int override = (int)wr_st_json_int(st, w->payload, "$.override", 0);
    int64_t into = wr_st_json_int(st, w->payload, "$.into", 0);
    wr_error why;
    if (!override && wr_status_transition_check(old, status, &why) != WR_OK)
        return wr_error_set(err, WR_E_INVALID, "INC-%lld cannot go from %s to %s: %s", (long long)w->incident, old,
                            status, why.msg);
    if (wr_inc_status_of(status) == WR_INC_MERGED) {
        if (into <= 0 || into == w->incident)
            return wr_error_set(err, WR_E_INVALID, "merged needs another incident to merge into (--into INC-N)");
        char *target = NULL;
        wr_status r = wr_incident_need(st, into, &target, err);
        if (r != WR_OK)
            return r;
        if (wr_inc_status_of(target) == WR_INC_MERGED)
            r = wr_error_set(err, WR_E_INVALID, "INC-%lld is itself merged into another incident: merge into "
                                                "that one", (long long)into);
        free(target);
        return r;
    }
    return WR_OK;
}

/* The event that tells the target of a merge: its uid derives from the merge event's, so replaying the log
 * (wr_store_rebuild, a PostgreSQL cache filled from the server) finds it already there instead of making a
 * second one. Not inserted at all then (NOT EXISTS): an INSERT that ON CONFLICT drops still takes a number from
 * AUTOINCREMENT, and a cache's next append would skip a seq the server's log expects. */
static wr_status merged_in(wr_store *st, wr_write *w, int64_t seq, int64_t at, int64_t into, wr_error *err)
{
    char key[64], hex[65];
    snprintf(key, sizeof key, "%s/merged-in", w->uid);
    wr_sha256_hex(key, strlen(key), hex);
    hex[32] = '\0';
    char *payload = wr_xasprintf("{\"from\":%lld,\"event\":%lld}", (long long)w->incident, (long long)seq);
    sqlite3_stmt *s = wr_st_stmt(st, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user,"
                                     " origin, source, kind, payload) SELECT ?1, ?2, ?3, e.recorded_at, e.actor,"
                                     " e.os_user, e.origin, e.source, 'incident.merged-in', ?4 FROM events e"
                                     " WHERE e.seq = ?5 AND NOT EXISTS (SELECT 1 FROM events WHERE uid = ?1)"
                                     " ON CONFLICT(uid) DO NOTHING");
    sqlite3_bind_text(s, 1, hex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, into);
    sqlite3_bind_int64(s, 3, at);
    wr_st_bind_text(s, 4, payload);
    sqlite3_bind_int64(s, 5, seq);
    int rc = wr_st_step(s);
    free(payload);
    if (rc != SQLITE_OK)
        return wr_st_fail(st, err, "recording the change");
    s = wr_st_stmt(st, "SELECT seq FROM events WHERE uid = ?1");
    sqlite3_bind_text(s, 1, hex, -1, SQLITE_TRANSIENT);
    int64_t dseq = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (!dseq || touch(st, into, dseq, at) != SQLITE_OK)
        return wr_st_fail(st, err, "recording the change");
    return WR_OK;
}

wr_status wr_lc_status_applied(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *old,
                               const char *status, wr_error *err)
{
    wr_inc_status to = wr_inc_status_of(status);
    wr_milestones m;
    ms_load(st, w->incident, &m);
    wr_buf set = {0}, cleared = {0};
    /* Moving back: what the status set automatically is no longer true. Hand-set times stay. */
    for (int k = WR_MS_CONTAINED; k < WR_MS_COUNT; k++)
        if (m.at[k] && strcmp(m.source[k], "status") == 0 && !implies(to, k)) {
            m.at[k] = 0;
            if (ms_put(st, w->incident, k, 0, NULL, NULL, NULL, seq) != SQLITE_OK)
                goto fail;
            wr_buf_printf(&cleared, "%s\"%s\"", cleared.len ? "," : "[", wr_milestone_names[k]);
        }
    for (int k = WR_MS_ACKNOWLEDGED; k < WR_MS_COUNT; k++) {
        if (m.at[k] || !implies(to, k))
            continue;
        m.at[k] = at;
        if (check_order(m.at, k, NULL, 0) != 0) {
            m.at[k] = 0; /* would break the order (a later milestone was set by hand earlier): left unset */
            continue;
        }
        if (ms_put(st, w->incident, k, at, "status", w->actor, "", seq) != SQLITE_OK)
            goto fail;
        wr_buf_printf(&set, "%s\"%s\":%lld", set.len ? "," : "{", wr_milestone_names[k], (long long)at);
    }
    if (set.len) {
        wr_buf_putc(&set, '}');
        payload_set_json(st, w, "$.milestones", wr_buf_str(&set));
    }
    if (cleared.len) {
        wr_buf_putc(&cleared, ']');
        payload_set_json(st, w, "$.cleared", wr_buf_str(&cleared));
    }
    wr_buf_free(&set);
    wr_buf_free(&cleared);
    int64_t into = to == WR_INC_MERGED ? wr_st_json_int(st, w->payload, "$.into", 0) : 0;
    if (into || wr_inc_status_of(old) == WR_INC_MERGED) {
        sqlite3_stmt *s = wr_st_stmt(st, "UPDATE incidents SET merged_into = ?2 WHERE id = ?1");
        sqlite3_bind_int64(s, 1, w->incident);
        sqlite3_bind_int64(s, 2, into);
        if (wr_st_step(s) != SQLITE_OK)
            return wr_st_fail(st, err, "recording the change");
    }
    if (into)
        return merged_in(st, w, seq, at, into, err);
    return WR_OK;
fail:
    wr_buf_free(&set);
    wr_buf_free(&cleared);
    return wr_st_fail(st, err, "recording the change");
}

wr_status wr_lc_on_role(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *role, wr_error *err)
{
    if (strcmp(role, "incident-commander") != 0)
        return WR_OK;
    wr_milestones m;
    ms_load(st, w->incident, &m);
    if (m.at[WR_MS_ACKNOWLEDGED])
        return WR_OK;
    m.at[WR_MS_ACKNOWLEDGED] = at;
    if (check_order(m.at, WR_MS_ACKNOWLEDGED, NULL, 0) != 0)
        return WR_OK;
    if (ms_put(st, w->incident, WR_MS_ACKNOWLEDGED, at, "role", w->actor, "", seq) != SQLITE_OK)
        return wr_st_fail(st, err, "recording the change");
    char json[64];
    snprintf(json, sizeof json, "{\"acknowledged\":%lld}", (long long)at);
    payload_set_json(st, w, "$.milestones", json);
    return WR_OK;
}

static wr_status apply_milestone(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    char *name = wr_st_json_get(st, w->payload, "$.name");
    char *reason = wr_st_json_get(st, w->payload, "$.reason");
    int64_t when = wr_st_json_int(st, w->payload, "$.at", -1);
    int k = wr_milestone_from_name(name);
    wr_milestones m;
    ms_load(st, w->incident, &m);
    int64_t old = k >= 0 ? m.at[k] : 0;
    char msg[200], t[40];
    if (k < 0 || when < 0 || (when == 0 && k == WR_MS_DECLARED)) {
        r = wr_error_set(err, WR_E_INVALID, "malformed milestone event");
    } else if (when == old) {
        r = wr_error_set(err, WR_E_CONFLICT, old ? "INC-%lld %s is already %s UTC; nothing changed"
                                                 : "INC-%lld %s is not set; nothing changed",
                         (long long)w->incident, name, wr_lifecycle_time(old, t, sizeof t));
    } else {
        m.at[k] = when;
        if (check_order(m.at, k, msg, sizeof msg) != 0)
            r = wr_error_set(err, WR_E_INVALID, "refused: %s; milestones must stay in order (started, detected, "
                                                "declared, acknowledged, contained, recovered, resolved, closed)",
                             msg);
        else if (ms_put(st, w->incident, k, when, "manual", w->actor, reason, seq) != SQLITE_OK ||
                 touch(st, w->incident, seq, at) != SQLITE_OK)
            r = wr_st_fail(st, err, "recording the change");
        else if (old) {
            char json[32];
            snprintf(json, sizeof json, "%lld", (long long)old);
            payload_set_json(st, w, "$.old", json);
        }
    }
    free(name);
    free(reason);
    return r;
}

static wr_status apply_merged_in(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r == WR_OK && touch(st, w->incident, seq, at) != SQLITE_OK)
        r = wr_st_fail(st, err, "recording the change");
    return r;
}

/* ---- reads ---- */

wr_status wr_milestones_get(wr_store *st, int64_t inc, wr_milestones *out, wr_error *err)
{
    wr_st_read_begin(st);
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT name, at, source FROM milestones WHERE incident = ?1");
    sqlite3_bind_int64(s, 1, inc);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int k = wr_milestone_from_name((const char *)sqlite3_column_text(s, 0));
        if (k >= 0) {
            out->at[k] = sqlite3_column_int64(s, 1);
            snprintf(out->source[k], sizeof out->source[k], "%s", (const char *)sqlite3_column_text(s, 2));
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? WR_OK : wr_st_read_error(st, rc, err, "reading milestones");
}

/* ---- describing events ---- */

/* The milestones object a core event's payload carries: "; contained 10:40, resolved 10:40". Payloads are
 * flat except for this object, which warroom writes as {"name":ms,...}. */
static void describe_milestones(const char *payload, wr_buf *out)
{
    const char *p = strstr(payload, "\"milestones\":{");
    if (p) {
        p += strlen("\"milestones\":{");
        int first = 1;
        while (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q || q[1] != ':')
                break;
            long long ms = strtoll(q + 2, NULL, 10);
            char t[40];
            wr_buf_printf(out, "%s%.*s %s", first ? "; " : ", ", (int)(q - p - 1), p + 1,
                          wr_lifecycle_time(ms, t, sizeof t));
            first = 0;
            p = q + 2;
            while (*p && *p != ',' && *p != '}')
                p++;
            if (*p == ',')
                p++;
        }
    }
    const char *c = strstr(payload, "\"cleared\":[");
    if (c) {
        c += strlen("\"cleared\":[");
        const char *end = strchr(c, ']');
        if (end) {
            wr_buf_puts(out, "; cleared ");
            for (const char *q = c; q < end; q++)
                if (*q != '"')
                    wr_buf_putc(out, *q == ',' ? ' ' : *q);
        }
    }
}

void wr_lc_describe_more(const wr_event *ev, wr_buf *out)
{
    if (wr_ev_is(ev->kind, WR_EV_INCIDENT_CHANGED)) {
        char *into = wr_event_payload_str(ev->payload, "into");
        if (into)
            wr_buf_printf(out, " into INC-%s", into);
        free(into);
    }
    if (wr_ev_is(ev->kind, WR_EV_INCIDENT_DECLARED)) {
        char *s = wr_event_payload_str(ev->payload, "started");
        char *d = wr_event_payload_str(ev->payload, "detected");
        char t[40];
        if (s)
            wr_buf_printf(out, "; started %s", wr_lifecycle_time(strtoll(s, NULL, 10), t, sizeof t));
        if (d)
            wr_buf_printf(out, "; detected %s", wr_lifecycle_time(strtoll(d, NULL, 10), t, sizeof t));
        free(s);
        free(d);
    }
    if (wr_ev_is(ev->kind, WR_EV_INCIDENT_CHANGED) || wr_ev_is(ev->kind, WR_EV_ROLE_ASSIGNED))
        describe_milestones(ev->payload, out);
}

static void describe_milestone(const wr_event *ev, wr_buf *out)
{
    char *a = wr_event_payload_str(ev->payload, "name");
    char *b = wr_event_payload_str(ev->payload, "at");
    char *c = wr_event_payload_str(ev->payload, "old");
    char t[40], t2[40];
    long long at = b ? strtoll(b, NULL, 10) : 0;
    if (at)
        wr_buf_printf(out, "milestone %s set to %s", a ? a : "?", wr_lifecycle_time(at, t, sizeof t));
    else
        wr_buf_printf(out, "milestone %s cleared", a ? a : "?");
    if (c)
        wr_buf_printf(out, " (was %s)", wr_lifecycle_time(strtoll(c, NULL, 10), t2, sizeof t2));
    free(c);
    c = wr_event_payload_str(ev->payload, "reason");
    if (c && *c)
        wr_buf_printf(out, ": %s", c);
    free(a);
    free(b);
    free(c);
}

static void describe_merged_in(const wr_event *ev, wr_buf *out)
{
    char *a = wr_event_payload_str(ev->payload, "from");
    wr_buf_printf(out, "INC-%s was merged into this incident", a ? a : "?");
    free(a);
}

/* ---- the kinds ---- */

WR_KIND_REQUIRE(check_milestone, "$.name")
WR_KIND_REQUIRE(check_merged_in, "$.from")

const wr_kind_module wr_kinds_lifecycle = {
    "lifecycle",
    (const wr_event_kind[]){
        {"milestone.set", check_milestone, apply_milestone, describe_milestone},
        {"incident.merged-in", check_merged_in, apply_merged_in, describe_merged_in},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM milestones;",
};
