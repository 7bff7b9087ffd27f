/* SPDX-License-Identifier: MIT */
/* alert_parse.c - the JSON shapes of alerts (warroom's own and Alertmanager's), read with SQLite's JSON
 * functions on an in-memory connection. The alert itself and the stream splitter are in alert_base.c. */
#include "warroom/alert.h"

#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/text.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const alert_states[] = {"firing", "resolved"};

wr_alert_state wr_alert_state_of(const char *status)
{
    for (int k = 0; status && k < 2; k++)
        if (strcmp(status, alert_states[k]) == 0)
            return (wr_alert_state)k;
    return WR_ALERT_UNKNOWN;
}

/* ---- the parser ---- */

struct wr_alert_parser {
    sqlite3 *db;
    sqlite3_stmt *check, *each, *each_sorted, *alerts;
};

wr_alert_parser *wr_alert_parser_new(void)
{
    wr_alert_parser *p = wr_xcalloc(1, sizeof *p);
    if (sqlite3_open_v2(":memory:", &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK)
        wr_die("cannot open an in-memory SQLite database: %s", sqlite3_errmsg(p->db));
    static const struct {
        size_t off;
        const char *sql;
    } stmts[] = {
        {offsetof(wr_alert_parser, check), "SELECT json_valid(?1), json_type(?1)"},
        /* An object's members in document order: key, JSON type, value (text unescaped; containers as
         * JSON text). */
        {offsetof(wr_alert_parser, each), "SELECT key, type, value FROM json_each(?1)"},
        {offsetof(wr_alert_parser, each_sorted), "SELECT key, type, value FROM json_each(?1) ORDER BY key"},
        {offsetof(wr_alert_parser, alerts), "SELECT type, value FROM json_each(?1, '$.alerts')"},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(stmts); i++) {
        sqlite3_stmt **slot = (sqlite3_stmt **)((char *)p + stmts[i].off);
        if (sqlite3_prepare_v2(p->db, stmts[i].sql, -1, slot, NULL) != SQLITE_OK)
            wr_die("cannot prepare SQL (%s): %s", sqlite3_errmsg(p->db), stmts[i].sql);
    }
    return p;
}

void wr_alert_parser_free(wr_alert_parser *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->check);
    sqlite3_finalize(p->each);
    sqlite3_finalize(p->each_sorted);
    sqlite3_finalize(p->alerts);
    sqlite3_close(p->db);
    free(p);
}

/* The members of one JSON object (a copy, so statements can be reused while walking). */
typedef struct member {
    char *key, *type, *value;
} member;
typedef struct members {
    member *v;
    size_t n;
} members;

static void members_free(members *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].key);
        free(m->v[i].type);
        free(m->v[i].value);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

static char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return wr_xstrndup(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(s, i));
}

/* Read an object's members; -1 with a reason on a repeated key. */
static int read_members(sqlite3_stmt *s, const char *json, members *out, const char *what, wr_buf *why)
{
    memset(out, 0, sizeof *out);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
    int rc = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 0);
        for (size_t i = 0; k && i < out->n; i++)
            if (strcmp(out->v[i].key, k) == 0) {
                wr_buf_printf(why, "%s has the key '", what);
                wr_text_fit(why, k, strlen(k), 40, 1, 0);
                wr_buf_puts(why, "' twice");
                rc = -1;
            }
        if (!rc && ((k && strlen(k) != (size_t)sqlite3_column_bytes(s, 0)) ||
                    (sqlite3_column_text(s, 2) &&
                     strlen((const char *)sqlite3_column_text(s, 2)) != (size_t)sqlite3_column_bytes(s, 2)))) {
            wr_buf_printf(why, "%s holds a NUL character (\\u0000)", what);
            rc = -1;
        }
        if (rc)
            break;
        out->v = wr_xreallocarray(out->v, out->n + 1, sizeof *out->v);
        member *m = &out->v[out->n++];
        m->key = col(s, 0);
        m->type = col(s, 1);
        m->value = col(s, 2);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc)
        members_free(out);
    return rc;
}

static const member *get(const members *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].key, key) == 0)
            return &m->v[i];
    return NULL;
}

static void quote_key(wr_buf *why, const char *k)
{
    wr_buf_putc(why, '\'');
    wr_text_fit(why, k, strlen(k), 40, 1, 0);
    wr_buf_putc(why, '\'');
}

/* A string member (absent or null: *out NULL, 0). -1 with a reason for another type or a longer text. */
static int get_str(const members *m, const char *key, size_t max, const char **out, wr_buf *why)
{
    const member *v = get(m, key);
    *out = NULL;
    if (!v || strcmp(v->type, "null") == 0)
        return 0;
    if (strcmp(v->type, "text") != 0) {
        wr_buf_printf(why, "'%s' must be a string, not %s", key, v->type);
        return -1;
    }
    if (strlen(v->value) > max) {
        wr_buf_printf(why, "'%s' is too long (%zu bytes; at most %zu)", key, strlen(v->value), max);
        return -1;
    }
    *out = v->value;
    return 0;
}

static char *cut_title(const char *s)
{
    return wr_alert_cut(s, WR_ALERT_TITLE_MAX, NULL);
}

/* A copy of s cut to max bytes (with a note on the alert when cut). */
static char *cut_noted(wr_alert *a, const char *what, const char *s, size_t max)
{
    int cut = 0;
    char *c = wr_alert_cut(s, max, &cut);
    if (cut)
        wr_alert_note(a, "%s cut from %zu to %zu bytes", what, strlen(s), max);
    return c;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static int parse_time(const char *key, const char *s, int64_t *ms, wr_buf *why)
{
    *ms = 0;
    if (!s || !*s)
        return 0;
    int64_t v;
    if (wr_time_parse(s, &v) != 0 || strcmp(s, "now") == 0 || s[0] == '-') {
        wr_buf_printf(why, "'%s' is not a time: expected ISO 8601 such as 2026-03-01T09:00:00Z, found \"", key);
        wr_text_fit(why, s, strlen(s), 40, 1, 0);
        wr_buf_putc(why, '"');
        return -1;
    }
    *ms = v > 0 ? v : 0; /* Go's zero time (0001-01-01) means "not set" */
    return 0;
}

/* Labels: an object of strings. Fills the alert (sorted) and its fingerprint when it has none, over all the
 * labels: wr_alert_trim cuts them to the limits later, after the noise rules have seen them whole. */
static int take_labels(wr_alert_parser *p, const char *json, wr_alert *a, const char *what, wr_buf *why)
{
    members m;
    if (read_members(p->each_sorted, json, &m, what, why) != 0)
        return -1;
    int rc = 0;
    const char **k = wr_xcalloc(m.n + 1, sizeof *k), **v = wr_xcalloc(m.n + 1, sizeof *v);
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        if (strcmp(m.v[i].type, "text") != 0) {
            wr_buf_printf(why, "label ");
            quote_key(why, m.v[i].key);
            wr_buf_printf(why, " must be a string, not %s", m.v[i].type);
            rc = -1;
        }
        k[i] = m.v[i].key;
        v[i] = m.v[i].value;
    }
    if (rc == 0)
        wr_alert_set_labels(a, k, v, m.n);
    free(k);
    free(v);
    members_free(&m);
    return rc;
}

static int check_object(wr_alert_parser *p, const char *json, const char *what, wr_buf *why)
{
    sqlite3_reset(p->check);
    sqlite3_bind_text(p->check, 1, json, -1, SQLITE_STATIC);
    int ok = sqlite3_step(p->check) == SQLITE_ROW && sqlite3_column_int(p->check, 0) == 1 &&
             sqlite3_column_text(p->check, 1) && strcmp((const char *)sqlite3_column_text(p->check, 1), "object") == 0;
    sqlite3_reset(p->check);
    sqlite3_clear_bindings(p->check);
    if (!ok)
        wr_buf_printf(why, "%s must be a JSON object", what);
    return ok ? 0 : -1;
}

static const char *const own_keys[] = {"source", "fingerprint", "title", "severity", "labels",
                                       "status", "starts_at", "ends_at", "url", "description"};

static int parse_own(wr_alert_parser *p, const members *m, const char *source, wr_alert *a, wr_buf *why)
{
    for (size_t i = 0; i < m->n; i++) {
        size_t k = 0;
        while (k < WR_ARRAY_LEN(own_keys) && strcmp(own_keys[k], m->v[i].key) != 0)
            k++;
        if (k == WR_ARRAY_LEN(own_keys)) {
            const char *s = wr_suggest(m->v[i].key, own_keys, WR_ARRAY_LEN(own_keys));
            wr_buf_puts(why, "unknown key ");
            quote_key(why, m->v[i].key);
            if (s)
                wr_buf_printf(why, " (did you mean '%s'?)", s);
            wr_buf_puts(why, "; an alert has: source, title, severity, labels, status, starts_at, ends_at, url, "
                             "description, fingerprint");
            return -1;
        }
    }
    const char *title, *src, *fp, *sev, *status, *url, *desc, *sa, *ea;
    if (get_str(m, "title", WR_ALERT_MAX_DOC, &title, why) || get_str(m, "source", 200, &src, why) ||
        get_str(m, "fingerprint", 1000, &fp, why) || get_str(m, "severity", 100, &sev, why) ||
        get_str(m, "status", 100, &status, why) || get_str(m, "url", WR_ALERT_MAX_DOC, &url, why) ||
        get_str(m, "description", WR_ALERT_MAX_DOC, &desc, why) || get_str(m, "starts_at", 100, &sa, why) ||
        get_str(m, "ends_at", 100, &ea, why))
        return -1;
    if (!title || blank(title)) {
        wr_buf_puts(why, "'title' must not be empty");
        return -1;
    }
    if (!src)
        src = source;
    if (!src || blank(src)) {
        wr_buf_puts(why, "missing 'source' (who sent the alert; or give `--source NAME`)");
        return -1;
    }
    if (fp && !wr_alert_fingerprint_valid(fp)) {
        wr_buf_puts(why, "'fingerprint' must be 1-128 of A-Z a-z 0-9 . _ : / -");
        return -1;
    }
    const char *mapped = sev ? wr_alert_severity(sev) : "SEV3";
    if (!mapped) {
        wr_buf_puts(why, "unknown 'severity' \"");
        wr_text_fit(why, sev, strlen(sev), 30, 1, 0);
        wr_buf_puts(why, "\": use SEV1..SEV5, critical, high, warning, low or info");
        return -1;
    }
    if (status && wr_alert_state_of(status) == WR_ALERT_UNKNOWN) {
        wr_buf_puts(why, "'status' must be \"firing\" or \"resolved\"");
        return -1;
    }
    if (parse_time("starts_at", sa, &a->starts_at, why) || parse_time("ends_at", ea, &a->ends_at, why))
        return -1;
    a->source = wr_xstrdup(src);
    a->title = cut_title(title);
    a->fingerprint = fp ? wr_xstrdup(fp) : NULL;
    a->severity = wr_xstrdup(mapped);
    a->severity_raw = wr_xstrdup(sev ? sev : "");
    a->status = wr_xstrdup(status ? status : "firing");
    a->url = cut_noted(a, "url", url ? url : "", WR_ALERT_URL_MAX);
    a->description = cut_noted(a, "description", desc ? desc : "", WR_ALERT_TEXT_MAX);
    a->annotations = wr_xstrdup("{}");
    const member *labels = get(m, "labels");
    if (labels && strcmp(labels->type, "null") != 0) {
        if (strcmp(labels->type, "object") != 0) {
            wr_buf_printf(why, "'labels' must be an object of strings, not %s", labels->type);
            return -1;
        }
        return take_labels(p, labels->value, a, "'labels'", why);
    }
    wr_alert_set_labels(a, NULL, NULL, 0);
    return 0;
}

int wr_alert_parse_am_alert(wr_alert_parser *p, const char *json, const char *source, size_t idx, wr_alert *a,
                             wr_buf *why)
{
    char what[64];
    snprintf(what, sizeof what, "alerts[%zu]", idx);
    if (check_object(p, json, what, why) != 0)
        return -1;
    members m;
    if (read_members(p->each, json, &m, what, why) != 0)
        return -1;
    int rc = -1;
    const char *status, *sa, *ea, *url, *fp;
    wr_buf sub = {0};
    if (get_str(&m, "status", 100, &status, &sub) || get_str(&m, "startsAt", 100, &sa, &sub) ||
        get_str(&m, "endsAt", 100, &ea, &sub) || get_str(&m, "generatorURL", WR_ALERT_MAX_DOC, &url, &sub) ||
        get_str(&m, "fingerprint", 1000, &fp, &sub)) {
        wr_buf_printf(why, "%s: %s", what, wr_buf_str(&sub));
        goto out;
    }
    if (wr_alert_state_of(status) == WR_ALERT_UNKNOWN) {
        wr_buf_printf(why, "%s: 'status' must be \"firing\" or \"resolved\"", what);
        goto out;
    }
    if (parse_time("startsAt", sa, &a->starts_at, &sub) || parse_time("endsAt", ea, &a->ends_at, &sub)) {
        wr_buf_printf(why, "%s: %s", what, wr_buf_str(&sub));
        goto out;
    }
    const member *labels = get(&m, "labels"), *ann = get(&m, "annotations");
    if (!labels || strcmp(labels->type, "object") != 0) {
        wr_buf_printf(why, "%s: 'labels' must be an object of strings", what);
        goto out;
    }
    if (ann && strcmp(ann->type, "null") != 0 && strcmp(ann->type, "object") != 0) {
        wr_buf_printf(why, "%s: 'annotations' must be an object of strings", what);
        goto out;
    }
    a->source = wr_xstrdup(source ? source : "alertmanager");
    if (fp && wr_alert_fingerprint_valid(fp))
        a->fingerprint = wr_xstrdup(fp);
    char lw[80];
    snprintf(lw, sizeof lw, "%s.labels", what);
    if (take_labels(p, labels->value, a, lw, why) != 0)
        goto out;
    /* Annotations: kept as a canonical object of strings. */
    members an = {0};
    wr_buf aj = {0};
    wr_buf_putc(&aj, '{');
    if (ann && strcmp(ann->type, "object") == 0) {
        snprintf(lw, sizeof lw, "%s.annotations", what);
        if (read_members(p->each_sorted, ann->value, &an, lw, why) != 0) {
            wr_buf_free(&aj);
            goto out;
        }
        size_t kept = 0;
        for (size_t i = 0; i < an.n; i++) {
            if (strcmp(an.v[i].type, "text") != 0) {
                wr_buf_printf(why, "%s: annotation ", what);
                quote_key(why, an.v[i].key);
                wr_buf_printf(why, " must be a string, not %s", an.v[i].type);
                members_free(&an);
                wr_buf_free(&aj);
                goto out;
            }
            if (kept == WR_ALERT_MAX_ANNOTATIONS || !*an.v[i].key || strlen(an.v[i].key) > WR_ALERT_NAME_MAX)
                continue;
            char note[WR_ALERT_NAME_MAX + 16];
            snprintf(note, sizeof note, "annotation %s", an.v[i].key);
            char *v = cut_noted(a, note, an.v[i].value, WR_ALERT_TEXT_MAX);
            wr_json_kv_str(&aj, an.v[i].key, v);
            free(v);
            kept++;
        }
        if (kept < an.n)
            wr_alert_note(a, "%zu of %zu annotations dropped (at most %d, names of 1-%d bytes)", an.n - kept, an.n,
                          WR_ALERT_MAX_ANNOTATIONS, WR_ALERT_NAME_MAX);
    }
    wr_buf_putc(&aj, '}');
    a->annotations = wr_buf_steal(&aj);
    const member *summary = get(&an, "summary"), *atitle = get(&an, "title");
    const char *name = wr_alert_label(a, "alertname");
    const char *t = summary && !blank(summary->value) ? summary->value
                    : atitle && !blank(atitle->value) ? atitle->value
                    : name && !blank(name) ? name : "alert";
    a->title = cut_title(t);
    const member *d = get(&an, "description");
    if (!d)
        d = get(&an, "message");
    a->description = wr_alert_cut(d ? d->value : "", WR_ALERT_TEXT_MAX, NULL);
    members_free(&an);
    const char *sev = wr_alert_label(a, "severity");
    const char *mapped = sev ? wr_alert_severity(sev) : NULL;
    a->severity = wr_xstrdup(mapped ? mapped : "SEV3");
    a->severity_raw = wr_xstrdup(sev ? sev : "");
    a->status = wr_xstrdup(status);
    a->url = cut_noted(a, "generatorURL", url ? url : "", WR_ALERT_URL_MAX);
    rc = 0;
out:
    wr_buf_free(&sub);
    members_free(&m);
    return rc;
}

static int parse_am(wr_alert_parser *p, const char *doc, const members *m, const char *source,
                    wr_alert_batch *out, wr_buf *why)
{
    const member *version = get(m, "version"), *alerts = get(m, "alerts");
    if (version && (strcmp(version->type, "text") != 0 || strcmp(version->value, "4") != 0)) {
        wr_buf_puts(why, "unsupported Alertmanager payload version (expected \"4\")");
        return -1;
    }
    if (strcmp(alerts->type, "array") != 0) {
        wr_buf_printf(why, "'alerts' must be a list of alerts, not %s", alerts->type);
        return -1;
    }
    /* Collect the elements first: parsing each one reuses the statements. */
    char **items = NULL;
    size_t n = 0;
    int bad_type = 0;
    sqlite3_reset(p->alerts);
    sqlite3_bind_text(p->alerts, 1, doc, -1, SQLITE_STATIC);
    while (sqlite3_step(p->alerts) == SQLITE_ROW) {
        if (strcmp((const char *)sqlite3_column_text(p->alerts, 0), "object") != 0 && !bad_type)
            bad_type = (int)n + 1;
        items = wr_xreallocarray(items, n + 1, sizeof *items);
        items[n++] = col(p->alerts, 1);
        if (n > 10000)
            break;
    }
    sqlite3_reset(p->alerts);
    sqlite3_clear_bindings(p->alerts);
    int rc = 0;
    if (n > 10000) {
        wr_buf_puts(why, "more than 10000 alerts in one payload");
        rc = -1;
    } else if (bad_type) {
        wr_buf_printf(why, "alerts[%d] must be a JSON object", bad_type - 1);
        rc = -1;
    }
    out->v = wr_xcalloc(n + 1, sizeof *out->v);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = wr_alert_parse_am_alert(p, items[i], source, i, &out->v[i], why);
        out->n = i + 1;
    }
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    out->format = "alertmanager";
    return rc;
}

int wr_alert_parse(wr_alert_parser *p, const char *doc, size_t len, const char *source, wr_alert_batch *out,
                   wr_buf *why)
{
    memset(out, 0, sizeof *out);
    if (memchr(doc, '\0', len)) {
        wr_buf_puts(why, "contains a NUL byte");
        return -1;
    }
    /* SQLite's JSON functions end a string at \u0000: refuse it rather than read a shortened text. */
    for (size_t i = 0; i + 1 < len; i++) {
        if (doc[i] != '\\')
            continue;
        if (doc[i + 1] == 'u' && i + 5 < len && memcmp(doc + i + 2, "0000", 4) == 0) {
            wr_buf_puts(why, "contains a NUL character (\\u0000)");
            return -1;
        }
        i++; /* skip the escaped character */
    }
    char *text = wr_xstrndup(doc, len);
    members m = {0};
    int rc = -1;
    sqlite3_reset(p->check);
    sqlite3_bind_text(p->check, 1, text, -1, SQLITE_STATIC);
    int valid = 0;
    char type[16] = "";
    if (sqlite3_step(p->check) == SQLITE_ROW) {
        valid = sqlite3_column_int(p->check, 0);
        if (sqlite3_column_text(p->check, 1))
            snprintf(type, sizeof type, "%s", (const char *)sqlite3_column_text(p->check, 1));
    }
    sqlite3_reset(p->check);
    sqlite3_clear_bindings(p->check);
    if (!valid) {
        wr_buf_puts(why, "not valid JSON");
        goto out;
    }
    if (strcmp(type, "object") != 0 || read_members(p->each, text, &m, "the document", why) != 0) {
        if (strcmp(type, "object") != 0)
            wr_buf_puts(why, "expected a JSON object with 'alerts' or 'title'");
        goto out;
    }
    if (get(&m, "alerts")) {
        rc = parse_am(p, text, &m, source, out, why);
    } else if (get(&m, "title")) {
        out->v = wr_xcalloc(1, sizeof *out->v);
        out->n = 1;
        out->format = "warroom";
        rc = parse_own(p, &m, source, &out->v[0], why);
    } else {
        wr_buf_puts(why, "expected a JSON object with 'alerts' or 'title'");
    }
out:
    if (rc != 0)
        wr_alert_batch_free(out);
    members_free(&m);
    free(text);
    return rc;
}

