/* SPDX-License-Identifier: MIT */
/* incident.c - incidents and roles: vocabularies, reads, JSON documents and operations. */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const wr_severities[WR_SEV_COUNT] = {"SEV1", "SEV2", "SEV3", "SEV4", "SEV5"};
const char *const wr_statuses[] = {"triage",         "containment", "eradication", "recovery",
                                   "resolved",       "lessons-learned", "closed", "declined",
                                   "merged",         "cancelled"};
const size_t wr_nstatuses = WR_ARRAY_LEN(wr_statuses);
_Static_assert(WR_ARRAY_LEN(wr_statuses) == WR_INC_NSTATUSES, "a name for every wr_inc_status");

const wr_role_def wr_default_roles[] = {
    {"incident-commander", "Incident commander", "IC", 1},
    {"deputy", "Deputy", "DEP", 1},
    {"scribe", "Scribe", "SCR", 1},
    {"communications-liaison", "Communications liaison", "COM", 1},
    {"operations-lead", "Operations lead", "OPS", 1},
    {"subject-matter-expert", "Subject-matter expert", "SME", 0},
    {"responder", "Responder", "RSP", 0},
    {"observer", "Observer", "OBS", 0},
};
const size_t wr_ndefault_roles = WR_ARRAY_LEN(wr_default_roles);

const char *const wr_incident_fields[] = {"severity", "status", "title", "summary", "impact", "type", "decision"};
const size_t wr_nincident_fields = WR_ARRAY_LEN(wr_incident_fields);

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* ---- the one place names and enums are mapped ---- */

static int index_in(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    return -1;
}

wr_inc_status wr_inc_status_of(const char *name)
{
    return (wr_inc_status)index_in(name, wr_statuses, wr_nstatuses);
}

const char *wr_inc_status_name(wr_inc_status s)
{
    return s >= 0 && s < WR_INC_NSTATUSES ? wr_statuses[s] : "?";
}

int wr_inc_status_active(wr_inc_status s)
{
    return s >= WR_INC_TRIAGE && s <= WR_INC_RECOVERY;
}

int wr_inc_status_open(wr_inc_status s)
{
    return s >= WR_INC_TRIAGE && s <= WR_INC_LESSONS_LEARNED;
}

wr_severity wr_severity_of(const char *name)
{
    return (wr_severity)index_in(name, wr_severities, WR_SEV_COUNT);
}

int wr_status_is_active(const char *status)
{
    return wr_inc_status_active(wr_inc_status_of(status));
}

int wr_status_is_open(const char *status)
{
    return wr_inc_status_open(wr_inc_status_of(status));
}

int wr_severity_valid(const char *s)
{
    return wr_severity_of(s) != WR_SEV_UNKNOWN;
}

int wr_incident_status_valid(const char *s)
{
    return wr_inc_status_of(s) != WR_INC_UNKNOWN;
}

static const char *const incident_kinds[] = {"real", "drill", "backfilled"};

int wr_incident_kind_valid(const char *s)
{
    return in_list(s, incident_kinds, 3);
}

int wr_incident_kind_is_drill(const char *kind)
{
    return kind && strcmp(kind, incident_kinds[1]) == 0;
}

const wr_role_def *wr_role_find(const char *id)
{
    size_t n;
    const wr_role_def *roles = wr_policy_roles(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(roles[i].id, id) == 0 || strcasecmp(roles[i].abbrev, id) == 0)
            return &roles[i];
    return NULL;
}

char *wr_incident_ref(int64_t id, char *buf, size_t size)
{
    snprintf(buf, size, "INC-%lld", (long long)id);
    return buf;
}

int wr_incident_parse_ref(const char *s, int64_t *id)
{
    if (strncasecmp(s, "INC-", 4) == 0)
        s += 4;
    if (!*s)
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v <= 0)
        return -2; /* never a number clamped to another incident's, or taken for text */
    *id = v;
    return 0;
}

void wr_incident_clear(wr_incident *inc)
{
    free(inc->title);
    free(inc->severity);
    free(inc->status);
    free(inc->type);
    free(inc->kind);
    free(inc->summary);
    free(inc->impact);
    free(inc->decision);
    memset(inc, 0, sizeof *inc);
}

void wr_incidents_free(wr_incident *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wr_incident_clear(&v[i]);
    free(v);
}

#define INCIDENT_COLS                                                                                         \
    "id, title, severity, status, type, kind, summary, impact, declared_at, updated_at, version, last_seq, "      \
    "decision, merged_into "

static void row_incident(sqlite3_stmt *s, wr_incident *inc)
{
    inc->id = sqlite3_column_int64(s, 0);
    inc->title = wr_st_col_text(s, 1);
    inc->severity = wr_st_col_text(s, 2);
    inc->status = wr_st_col_text(s, 3);
    inc->type = wr_st_col_text(s, 4);
    inc->kind = wr_st_col_text(s, 5);
    inc->summary = wr_st_col_text(s, 6);
    inc->impact = wr_st_col_text(s, 7);
    inc->declared_at = sqlite3_column_int64(s, 8);
    inc->updated_at = sqlite3_column_int64(s, 9);
    inc->version = sqlite3_column_int64(s, 10);
    inc->last_seq = sqlite3_column_int64(s, 11);
    inc->decision = wr_st_col_text(s, 12);
    inc->merged_into = sqlite3_column_int64(s, 13);
    inc->sev = wr_severity_of(inc->severity);
    inc->state = wr_inc_status_of(inc->status);
}

wr_status wr_incident_get(wr_store *st, int64_t id, wr_incident *out, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " INCIDENT_COLS "FROM incidents WHERE id = ?1");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    memset(out, 0, sizeof *out);
    if (rc == SQLITE_ROW)
        row_incident(s, out);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return WR_OK;
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld (see `warroom list`)",
                            (long long)id);
    return wr_st_read_error(st, rc, err, "reading an incident");
}

/* Open first (active before resolved/lessons-learned), then newest first. */
#define OPEN_ORDER                                                                                            \
    "CASE WHEN status IN ('triage','containment','eradication','recovery') THEN 0"                            \
    " WHEN status IN ('resolved','lessons-learned') THEN 1 ELSE 2 END"

wr_status wr_incident_list(wr_store *st, int open_only, wr_incident **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " INCIDENT_COLS "FROM incidents WHERE ?1 = 0 OR " OPEN_ORDER
                                     " < 2 ORDER BY " OPEN_ORDER ", id DESC");
    sqlite3_bind_int(s, 1, open_only);
    wr_incident *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        row_incident(s, &v[cnt++]);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_incidents_free(v, cnt);
        return wr_st_read_error(st, rc, err, "listing incidents");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

wr_status wr_incident_resolve(wr_store *st, const char *ref, int64_t *id, wr_error *err)
{
    if (ref) {
        if (wr_incident_parse_ref(ref, id) != 0)
            return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an incident: write it as INC-42 or 42", ref);
        wr_incident inc;
        wr_status r = wr_incident_get(st, *id, &inc, err);
        wr_incident_clear(&inc);
        return r;
    }
    wr_incident *v;
    size_t n;
    wr_status r = wr_incident_list(st, 1, &v, &n, err);
    if (r != WR_OK)
        return r;
    size_t active = 0, open = n;
    int64_t active_id = 0;
    for (size_t i = 0; i < n; i++)
        if (wr_inc_status_active(v[i].state)) {
            active++;
            active_id = v[i].id;
        }
    if (active == 1)
        *id = active_id;
    else if (active == 0 && open == 1)
        *id = v[0].id;
    if (active == 1 || (active == 0 && open == 1)) {
        wr_incidents_free(v, n);
        return WR_OK;
    }
    wr_buf b = {0};
    for (size_t i = 0; i < n && i < 8; i++)
        wr_buf_printf(&b, "%sINC-%lld", i ? ", " : "", (long long)v[i].id);
    if (n == 0)
        r = wr_error_set(err, WR_E_NOTFOUND, "no incident is open: declare one with `warroom declare TITLE`, "
                                             "or name a closed one (INC-N)");
    else
        r = wr_error_set(err, WR_E_INVALID, "%zu incidents are open (%s%s): say which one, e.g. INC-%lld", n,
                         wr_buf_str(&b), n > 8 ? ", ..." : "", (long long)v[0].id);
    wr_buf_free(&b);
    wr_incidents_free(v, n);
    return r;
}

wr_status wr_roles_list(wr_store *st, int64_t incident, wr_role_holder **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT role, holder, assigned_by, since FROM roles WHERE incident = ?1"
                                     " ORDER BY since, holder");
    sqlite3_bind_int64(s, 1, incident);
    wr_role_holder *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        v[cnt].role = wr_st_col_text(s, 0);
        v[cnt].holder = wr_st_col_text(s, 1);
        v[cnt].assigned_by = wr_st_col_text(s, 2);
        v[cnt].since = sqlite3_column_int64(s, 3);
        cnt++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_roles_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading roles");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_roles_free(wr_role_holder *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].role);
        free(v[i].holder);
        free(v[i].assigned_by);
    }
    free(v);
}

/* ---- JSON documents, built by SQLite's JSON functions ---- */

#define INCIDENT_JSON                                                                                         \
    "json_object('id', i.id, 'ref', 'INC-' || i.id, 'title', i.title, 'severity', i.severity,"              \
    " 'status', i.status, 'type', i.type, 'kind', i.kind, 'drill', json(CASE i.kind WHEN 'drill' THEN"       \
    " 'true' ELSE 'false' END), 'summary', i.summary, 'impact', i.impact,"                                   \
    " 'declared_at', strftime('%Y-%m-%dT%H:%M:%fZ', i.declared_at / 1000.0, 'unixepoch'),"                   \
    " 'updated_at', strftime('%Y-%m-%dT%H:%M:%fZ', i.updated_at / 1000.0, 'unixepoch'),"                     \
    " 'version', i.version, 'last_event', i.last_seq, 'decision', i.decision,"                                 \
    " 'merged_into', CASE WHEN i.merged_into > 0 THEN 'INC-' || i.merged_into END,"                           \
    " 'roles', (SELECT json_group_array(json_object('role', r.role, 'holder', r.holder, 'assigned_by',"       \
    " r.assigned_by, 'since', strftime('%Y-%m-%dT%H:%M:%fZ', r.since / 1000.0, 'unixepoch')))"              \
    " FROM roles r WHERE r.incident = i.id)"

#define EVENT_JSON(e)                                                                                         \
    "json_object('seq', " e ".seq, 'id', " e ".uid, 'incident', " e ".incident, 'occurred_at',"             \
    " strftime('%Y-%m-%dT%H:%M:%fZ', " e ".occurred_at / 1000.0, 'unixepoch'), 'recorded_at',"              \
    " strftime('%Y-%m-%dT%H:%M:%fZ', " e ".recorded_at / 1000.0, 'unixepoch'), 'actor', " e ".actor,"       \
    " 'os_user', " e ".os_user, 'origin', " e ".origin, 'source', " e ".source, 'kind', " e ".kind,"         \
    " 'pinned', json(CASE WHEN EXISTS (SELECT 1 FROM pins p WHERE p.event_seq = " e ".seq) THEN 'true'"     \
    " ELSE 'false' END), 'payload', json(" e ".payload))"

static wr_status json_query(wr_store *st, sqlite3_stmt *s, char **json, wr_error *err, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) /* through the one writer: valid UTF-8, terminal-safe strings */
        *json = wr_json_rewrite((const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return WR_OK;
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "%s: not found", what);
    return wr_st_read_error(st, rc, err, what);
}

wr_status wr_incident_json(wr_store *st, int64_t id, int with_events, char **json, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT json_set(" INCIDENT_JSON "), '$.events', CASE WHEN ?2 THEN"
                                     " (SELECT json_group_array(json_set(" EVENT_JSON("e") ", '$.prev_hash',"
                                     " e.prev_hash, '$.hash', e.hash)) FROM"
                                     " (SELECT * FROM events NOT INDEXED WHERE incident = i.id ORDER BY seq) e)"
                                     " ELSE json('[]') END,"
                                     /* the head of its tamper-evident chain (docs/store.md) */
                                     " '$.chain', (SELECT json_object('head', c.hash, 'seq', c.seq) FROM events c"
                                     " WHERE c.incident = i.id ORDER BY c.seq DESC LIMIT 1),"
                                     " '$.role_history', (SELECT json_group_array(json_object('role', h.role,"
                                     " 'holder', h.holder, 'from', strftime('%Y-%m-%dT%H:%M:%fZ', h.from_at /"
                                     " 1000.0, 'unixepoch'), 'to', CASE WHEN h.to_at IS NULL THEN NULL ELSE"
                                     " strftime('%Y-%m-%dT%H:%M:%fZ', h.to_at / 1000.0, 'unixepoch') END,"
                                     " 'assigned_by', h.assigned_by, 'ended_by', h.ended_by)) FROM"
                                     " (SELECT * FROM role_history WHERE incident = i.id ORDER BY start_seq) h),"
                                     " '$.milestones', (SELECT json_group_object(m.name, json_object('at',"
                                     " strftime('%Y-%m-%dT%H:%M:%fZ', m.at / 1000.0, 'unixepoch'), 'source',"
                                     " m.source, 'set_by', m.set_by, 'reason', m.reason)) FROM (SELECT * FROM"
                                     " milestones WHERE incident = i.id ORDER BY at, name) m),"
                                     " '$.assets', (SELECT json_group_array(json_object('kind', a.kind, 'name',"
                                     " a.name, 'added_by', a.added_by, 'added_at', strftime('%Y-%m-%dT%H:%M:%fZ',"
                                     " a.added_at / 1000.0, 'unixepoch'))) FROM (SELECT * FROM assets WHERE"
                                     " incident = i.id ORDER BY kind, name) a),"
                                     " '$.indicators', (SELECT json_group_array(json_object('type', x.type,"
                                     " 'value', x.value, 'note', x.note, 'added_by', x.added_by, 'added_at',"
                                     " strftime('%Y-%m-%dT%H:%M:%fZ', x.added_at / 1000.0, 'unixepoch'))) FROM"
                                     " (SELECT * FROM indicators WHERE incident = i.id ORDER BY type, value) x),"
                                     " '$.actions', (SELECT json_group_array(json_object('n', t.n, 'title', t.title,"
                                     " 'owner', t.owner, 'due', t.due, 'type', t.type, 'state', t.state, 'reason',"
                                     " t.reason)) FROM (SELECT * FROM actions WHERE incident = i.id ORDER BY n) t))"
                                     " FROM incidents i WHERE i.id = ?1");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, with_events);
    wr_status r = json_query(st, s, json, err, "exporting the incident");
    if (r == WR_E_NOTFOUND)
        wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)id);
    return r;
}

wr_status wr_incident_list_json(wr_store *st, int open_only, char **json, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(json_group_array(json(j)), json('[]')) FROM (SELECT "
                                     INCIDENT_JSON ") AS j FROM incidents i WHERE ?1 = 0 OR "
                                     OPEN_ORDER " < 2 ORDER BY " OPEN_ORDER ", id DESC)");
    sqlite3_bind_int(s, 1, open_only);
    return json_query(st, s, json, err, "listing incidents");
}

wr_status wr_event_json(const wr_event *ev, char **json)
{
    char oc[32], rc[32];
    wr_buf b = {0};
    wr_buf_putc(&b, '{');
    wr_json_kv_int(&b, "seq", ev->seq);
    wr_json_kv_str(&b, "id", ev->uid);
    wr_json_kv_int(&b, "incident", ev->incident);
    wr_json_kv_str(&b, "occurred_at", wr_time_iso(ev->occurred_at, oc, sizeof oc));
    wr_json_kv_str(&b, "recorded_at", wr_time_iso(ev->recorded_at, rc, sizeof rc));
    wr_json_kv_str(&b, "actor", ev->actor);
    wr_json_kv_str(&b, "os_user", ev->os_user);
    wr_json_kv_str(&b, "origin", ev->origin);
    wr_json_kv_str(&b, "source", ev->source);
    wr_json_kv_str(&b, "kind", ev->kind);
    wr_json_key(&b, "pinned");
    wr_buf_puts(&b, ev->pinned ? "true" : "false");
    wr_json_kv_value(&b, "payload", ev->payload);
    wr_buf_putc(&b, '}');
    *json = wr_buf_steal(&b);
    return WR_OK;
}

/* ---- describing events (model-level; no store access, so it works on any event) ---- */

/* Minimal JSON member reader for payloads warroom itself wrote: the string value of "key" (unescaped), or
 * NULL. Payloads are flat objects of strings and numbers. */
static char *payload_str(const char *json, const char *key)
{
    size_t klen = strlen(key);
    const char *p = json;
    while ((p = strchr(p, '"')) != NULL) {
        const char *k = p + 1;
        const char *q = k;
        while (*q && *q != '"') {
            if (*q == '\\' && q[1])
                q++;
            q++;
        }
        if (!*q)
            return NULL;
        const char *after = q + 1;
        while (*after == ' ')
            after++;
        if (*after == ':' && (size_t)(q - k) == klen && strncmp(k, key, klen) == 0) {
            after++;
            while (*after == ' ')
                after++;
            if (*after != '"') {
                size_t n = strcspn(after, ",}");
                return wr_xstrndup(after, n);
            }
            wr_buf b = {0};
            for (const char *v = after + 1; *v && *v != '"'; v++) {
                if (*v == '\\' && v[1]) {
                    v++;
                    switch (*v) {
                    case 'n': wr_buf_putc(&b, '\n'); break;
                    case 't': wr_buf_putc(&b, '\t'); break;
                    case 'r': wr_buf_putc(&b, '\r'); break;
                    case 'u': {
                        unsigned cp = 0;
                        int ok = 1;
                        for (int i = 1; i <= 4; i++) {
                            char c = v[i];
                            if (!isxdigit((unsigned char)c)) {
                                ok = 0;
                                break;
                            }
                            cp = cp * 16 + (unsigned)(isdigit((unsigned char)c) ? c - '0' : (tolower(c) - 'a' + 10));
                        }
                        if (!ok)
                            break;
                        v += 4;
                        if (cp < 0x80) {
                            wr_buf_putc(&b, (char)cp);
                        } else if (cp < 0x800) {
                            wr_buf_putc(&b, (char)(0xc0 | (cp >> 6)));
                            wr_buf_putc(&b, (char)(0x80 | (cp & 0x3f)));
                        } else {
                            wr_buf_putc(&b, (char)(0xe0 | (cp >> 12)));
                            wr_buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
                            wr_buf_putc(&b, (char)(0x80 | (cp & 0x3f)));
                        }
                        break;
                    }
                    default: wr_buf_putc(&b, *v);
                    }
                } else {
                    wr_buf_putc(&b, *v);
                }
            }
            return wr_buf_steal(&b);
        }
        p = q + 1;
    }
    return NULL;
}

char *wr_event_payload_str(const char *payload, const char *key)
{
    return payload_str(payload, key);
}

/* ---- shared by the kinds' appliers (kinds_int.h) ---- */

int wr_incident_touch(wr_store *st, int64_t inc, int64_t seq, int64_t at, int bump_version)
{
    sqlite3_stmt *s = wr_st_stmt(st, "UPDATE incidents SET last_seq = ?2, updated_at = max(updated_at, ?3),"
                                     " version = version + ?4 WHERE id = ?1");
    sqlite3_bind_int64(s, 1, inc);
    sqlite3_bind_int64(s, 2, seq);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_int(s, 4, bump_version);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* ---- operations ---- */

#define WR_MAX_TITLE 200
#define WR_MAX_TEXT 16384

static wr_status check_text(const char *what, const char *s, size_t max, int allow_empty, wr_error *err)
{
    if (!s || (!allow_empty && !*s))
        return wr_error_set(err, WR_E_INVALID, "%s must not be empty", what);
    size_t n = strlen(s);
    if (n > max)
        return wr_error_set(err, WR_E_INVALID, "%s is too long (%zu bytes; at most %zu)", what, n, max);
    int blank = 1;
    for (const char *p = s; *p; p++)
        if (!isspace((unsigned char)*p))
            blank = 0;
    if (blank && !allow_empty)
        return wr_error_set(err, WR_E_INVALID, "%s must not be blank", what);
    return WR_OK;
}

static void start(const wr_opctx *c, wr_write *w, int64_t inc, const char *kind, wr_buf *payload,
                  const char *describe_fmt, const char *describe_arg)
{
    wr_write_init(w, c->actor, c->source, inc, kind, wr_buf_steal(payload));
    w->occurred_at = c->occurred_at;
    char ref[32];
    if (inc)
        w->describe = wr_xasprintf(describe_fmt, describe_arg, wr_incident_ref(inc, ref, sizeof ref));
    else
        w->describe = wr_xasprintf(describe_fmt, describe_arg, "");
}

wr_status wr_op_declare(const wr_opctx *c, const char *title, const char *severity, const char *type,
                        const char *kind, wr_write *w, wr_error *err)
{
    return wr_op_declare_at(c, title, severity, type, kind, 0, 0, w, err);
}

wr_status wr_op_declare_at(const wr_opctx *c, const char *title, const char *severity, const char *type,
                           const char *kind, int64_t started, int64_t detected, wr_write *w, wr_error *err)
{
    wr_status r = check_text("the title", title, WR_MAX_TITLE, 0, err);
    if (r != WR_OK)
        return r;
    if (!severity)
        severity = "SEV3";
    if (!wr_severity_valid(severity))
        return wr_error_set(err, WR_E_INVALID,
                            "\"%s\" is not a severity: use SEV1 (worst) .. SEV5; if unsure, pick the higher",
                            severity);
    if (!kind)
        kind = "real";
    if (!wr_incident_kind_valid(kind))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an incident kind: real, drill or backfilled", kind);
    if (type && (r = check_text("the type", type, 64, 1, err)) != WR_OK)
        return r;
    int64_t now = c->occurred_at ? c->occurred_at : wr_clock_now_ms();
    int64_t at[WR_MS_COUNT] = {started, detected, now};
    if (started < 0 || detected < 0)
        return wr_error_set(err, WR_E_INVALID, "not a time");
    wr_error order;
    if (wr_milestones_check(at, &order) != WR_OK)
        return wr_error_set(err, WR_E_INVALID, "%s (declared is now)", order.msg);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "title", title);
    wr_json_kv_str(&p, "severity", severity);
    wr_json_kv_str(&p, "type", type ? type : "");
    wr_json_kv_str(&p, "kind", kind);
    wr_json_kv_str(&p, "status", "triage");
    if (started)
        wr_json_kv_int(&p, "started", started);
    if (detected)
        wr_json_kv_int(&p, "detected", detected);
    wr_buf_putc(&p, '}');
    start(c, w, 0, "incident.declared", &p, "declaring \"%.40s\"%s", title);
    return WR_OK;
}

wr_status wr_op_note(const wr_opctx *c, int64_t inc, const char *text, wr_write *w, wr_error *err)
{
    wr_status r = check_text("a note", text, WR_MAX_TEXT, 0, err);
    if (r != WR_OK)
        return r;
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "text", text);
    wr_buf_putc(&p, '}');
    start(c, w, inc, "note", &p, "note%.0s on %s", "");
    return WR_OK;
}

wr_status wr_op_set(const wr_opctx *c, int64_t inc, const char *field, const char *value, const char *reason,
                    int64_t expect_version, int force, wr_write *w, wr_error *err)
{
    if (force && (!reason || !*reason))
        return wr_error_set(err, WR_E_INVALID, "an override needs a reason: add --reason TEXT");
    if (!in_list(field, wr_incident_fields, wr_nincident_fields)) {
        const char *s = wr_suggest(field, wr_incident_fields, wr_nincident_fields);
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a field you can set%s%s%s; fields: severity, "
                                               "status, title, summary, impact, type, decision",
                            field, s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
    }
    wr_status r;
    if (strcmp(field, "severity") == 0) {
        if (!wr_severity_valid(value))
            return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a severity: use SEV1 (worst) .. SEV5", value);
    } else if (strcmp(field, "status") == 0) {
        if (!wr_incident_status_valid(value)) {
            const char *s = wr_suggest(value, wr_statuses, wr_nstatuses);
            return wr_error_set(err, WR_E_INVALID,
                                "\"%s\" is not a status%s%s%s; statuses: triage, containment, eradication, "
                                "recovery, resolved, lessons-learned, closed, declined, merged, cancelled",
                                value, s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
        }
        if (wr_inc_status_of(value) == WR_INC_MERGED)
            return wr_error_set(err, WR_E_INVALID, "merged needs the incident it is merged into: `status merged "
                                                   "--into INC-N`");
    } else if (strcmp(field, "decision") == 0) {
        if (!wr_decision_valid(value))
            return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a decision frame: clear, complicated, complex or "
                                                   "chaotic (Cynefin)", value);
    } else if (strcmp(field, "title") == 0) {
        if ((r = check_text("the title", value, WR_MAX_TITLE, 0, err)) != WR_OK)
            return r;
    } else if ((r = check_text(field, value, WR_MAX_TEXT, 1, err)) != WR_OK) {
        return r;
    }
    if (reason && (r = check_text("the reason", reason, WR_REASON_MAX, 1, err)) != WR_OK)
        return r;
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "field", field);
    wr_json_kv_str(&p, "new", value);
    if (reason && *reason)
        wr_json_kv_str(&p, "reason", reason);
    if (expect_version > 0)
        wr_json_kv_int(&p, "expect_version", expect_version);
    if (force)
        wr_json_kv_int(&p, "override", 1);
    wr_buf_putc(&p, '}');
    start(c, w, inc, "incident.changed", &p, "%s change on %s", field);
    return WR_OK;
}

wr_status wr_op_assign(const wr_opctx *c, int64_t inc, const char *role, const char *user, int remove,
                       wr_write *w, wr_error *err)
{
    const wr_role_def *def = wr_role_find(role);
    if (!def) {
        const char *ids[64];
        size_t n = 0, nroles;
        const wr_role_def *roles = wr_policy_roles(&nroles);
        wr_buf all = {0};
        for (size_t i = 0; i < nroles && n < 64; i++) {
            ids[n++] = roles[i].id;
            wr_buf_printf(&all, "%s%s", i ? ", " : "", roles[i].id);
        }
        const char *s = wr_suggest(role, ids, n);
        wr_error_set(err, WR_E_INVALID, "\"%s\" is not a role%s%s%s; roles: %s", role, s ? " (did you mean " : "",
                     s ? s : "", s ? "?)" : "", wr_buf_str(&all));
        wr_buf_free(&all);
        return WR_E_INVALID;
    }
    if (!user || !wr_actor_valid_name(user))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a valid operator name (1-64 printable characters)",
                            user ? user : "");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "role", def->id);
    wr_json_kv_str(&p, "user", user);
    wr_json_kv_int(&p, "single", def->single);
    wr_buf_putc(&p, '}');
    start(c, w, inc, remove ? "role.removed" : "role.assigned", &p, "%s role change on %s", def->id);
    return WR_OK;
}

wr_status wr_op_pin(const wr_opctx *c, int64_t inc, int64_t event_seq, int pin, wr_write *w, wr_error *err)
{
    if (event_seq <= 0)
        return wr_error_set(err, WR_E_INVALID, "name the timeline entry by its number (#N)");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "event", event_seq);
    wr_buf_putc(&p, '}');
    start(c, w, inc, pin ? "pin" : "unpin", &p, pin ? "pin%.0s on %s" : "unpin%.0s on %s", "");
    return WR_OK;
}

/* Add members to a prepared payload (a JSON object written by warroom, so it ends with its '}'). */
static void payload_add(wr_write *w, const char *key, const char *str, long long num)
{
    size_t n = w->payload ? strlen(w->payload) : 0;
    if (n < 2 || w->payload[n - 1] != '}')
        return;
    wr_buf b = {0};
    wr_buf_append(&b, w->payload, n - 1);
    if (str)
        wr_json_kv_str(&b, key, str);
    else
        wr_json_kv_int(&b, key, num);
    wr_buf_putc(&b, '}');
    free(w->payload);
    w->payload = wr_buf_steal(&b);
}

void wr_op_expect(wr_write *w, const char *seen)
{
    if (seen)
        payload_add(w, "expect", seen, 0);
}

void wr_op_force(wr_write *w, const char *reason)
{
    if (!reason || !*reason || strstr(w->payload, "\"override\":"))
        return;
    payload_add(w, "override", NULL, 1);
    if (!strstr(w->payload, "\"reason\":"))
        payload_add(w, "reason", reason, 0);
}

wr_status wr_op_commit(wr_store *st, wr_write *w, int wait_ms, int64_t *seq, int64_t *result_id, wr_error *err)
{
    wr_status r = wr_store_append(st, w, wait_ms, err);
    if (r == WR_OK) {
        if (seq)
            *seq = w->seq;
        if (result_id)
            *result_id = w->result_id;
    }
    wr_write_clear(w);
    return r;
}
