/* SPDX-License-Identifier: MIT */
/* evidence.c - what an incident touched and left behind: affected assets and indicators of compromise (their
 * vocabularies, operations, event kinds and reads). Split out of lifecycle.c. */
#include "kinds_int.h"

#include "warroom/evidence.h"
#include "warroom/evkind.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/runbook.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- vocabularies ---- */

static int index_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    return -1;
}

const char *const wr_indicator_types[] = {"ip",   "cidr",    "domain", "url",  "email",
                                          "hash", "account", "file",   "other"};
const size_t wr_nindicator_types = WR_ARRAY_LEN(wr_indicator_types);

int wr_asset_kind_valid(const char *kind)
{
    return index_of(kind, wr_rb_asset_kinds, WR_RB_NASSET_KINDS) >= 0;
}


/* ---- operations ---- */

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

/* No control characters at all (names, values shown on one line). */
static int one_line(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static void prepare(const wr_opctx *c, wr_write *w, int64_t inc, const char *kind, wr_buf *payload, char *describe)
{
    wr_write_init(w, c->actor, c->source, inc, kind, wr_buf_steal(payload));
    w->occurred_at = c->occurred_at;
    w->describe = describe;
}

static int is_hex(const char *s)
{
    for (; *s; s++)
        if (!isxdigit((unsigned char)*s))
            return 0;
    return 1;
}

static int domain_ok(const char *s)
{
    size_t n = strlen(s), label = 0, labels = 1;
    if (n == 0 || n > 253)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '.') {
            if (label == 0 || s[i - 1] == '-')
                return 0;
            label = 0;
            labels++;
        } else if (isalnum((unsigned char)ch) || ch == '-' || ch == '_') {
            if (label == 0 && ch == '-')
                return 0;
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0 && s[n - 1] != '-' && labels >= 2;
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

wr_status wr_indicator_normalize(const char *type, const char *value, char **out, wr_error *err)
{
    char tmp[64];
#define BAD(...) return wr_error_set(err, WR_E_INVALID, __VA_ARGS__)
    if (index_of(type, wr_indicator_types, wr_nindicator_types) < 0) {
        const char *s = wr_suggest(type, wr_indicator_types, wr_nindicator_types);
        BAD("\"%s\" is not an indicator type%s%s%s; types: ip, cidr, domain, url, email, hash, account, file, "
            "other", type, s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
    }
    size_t n = strlen(value);
    if (n == 0)
        BAD("the %s is empty", type);
    if (n > 2048)
        BAD("the %s is too long (%zu bytes; at most 2048)", type, n);
    if (!one_line(value))
        BAD("the %s contains control characters", type);
    if (strcmp(type, "ip") == 0 || strcmp(type, "cidr") == 0) {
        char addr[64];
        const char *slash = strchr(value, '/');
        int cidr = strcmp(type, "cidr") == 0;
        if (cidr != (slash != NULL))
            BAD(cidr ? "a cidr is ADDRESS/PREFIX, e.g. 203.0.113.0/24" : "an ip is one address (use cidr for a "
                                                                         "range)");
        size_t alen = slash ? (size_t)(slash - value) : n;
        if (alen >= sizeof addr)
            BAD("\"%.64s\" is not an IP address", value);
        memcpy(addr, value, alen);
        addr[alen] = '\0';
        unsigned char bin[16];
        int fam = inet_pton(AF_INET, addr, bin) == 1 ? AF_INET : inet_pton(AF_INET6, addr, bin) == 1 ? AF_INET6 : 0;
        if (!fam)
            BAD("\"%.64s\" is not an IPv4 or IPv6 address", addr);
        char canon[INET6_ADDRSTRLEN];
        inet_ntop(fam, bin, canon, sizeof canon);
        if (slash) {
            char *end;
            long pfx = strtol(slash + 1, &end, 10);
            if (!slash[1] || *end || pfx < 0 || pfx > (fam == AF_INET ? 32 : 128))
                BAD("\"%.64s\" is not a prefix length for %s", slash + 1, fam == AF_INET ? "IPv4" : "IPv6");
            *out = wr_xasprintf("%s/%ld", canon, pfx);
        } else {
            *out = wr_xstrdup(canon);
        }
        return WR_OK;
    }
    if (strcmp(type, "domain") == 0) {
        char *d = wr_xstrdup(value);
        size_t dl = strlen(d);
        if (dl > 1 && d[dl - 1] == '.')
            d[dl - 1] = '\0';
        lower(d);
        if (!domain_ok(d)) {
            free(d);
            BAD("\"%.64s\" is not a domain name (labels of letters, digits and '-', at least two)", value);
        }
        *out = d;
        return WR_OK;
    }
    if (strcmp(type, "url") == 0) {
        const char *p = value;
        if (!isalpha((unsigned char)*p))
            BAD("a url starts with a scheme, e.g. https://");
        while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
            p++;
        if (strncmp(p, "://", 3) != 0 || !p[3] || p[3] == '/')
            BAD("\"%.64s\" is not a url (SCHEME://HOST/...)", value);
        for (const char *q = value; *q; q++)
            if (*q == ' ')
                BAD("a url has no spaces (encode them as %%20)");
        *out = wr_xstrdup(value);
        return WR_OK;
    }
    if (strcmp(type, "email") == 0) {
        const char *at = strrchr(value, '@');
        if (!at || at == value || (size_t)(at - value) > 64 || strchr(value, ' '))
            BAD("\"%.64s\" is not an email address (LOCAL@DOMAIN)", value);
        char *d = wr_xstrdup(at + 1);
        lower(d);
        if (!domain_ok(d) || memchr(value, '@', (size_t)(at - value))) {
            free(d);
            BAD("\"%.64s\" is not an email address (LOCAL@DOMAIN)", value);
        }
        *out = wr_xasprintf("%.*s@%s", (int)(at - value), value, d);
        free(d);
        return WR_OK;
    }
    if (strcmp(type, "hash") == 0) {
        if (!is_hex(value) || (n != 32 && n != 40 && n != 64 && n != 128))
            BAD("a hash is hexadecimal MD5, SHA-1, SHA-256 or SHA-512 (32, 40, 64 or 128 digits), not %zu "
                "characters", n);
        *out = wr_xstrdup(value);
        lower(*out);
        return WR_OK;
    }
    if (strcmp(type, "account") == 0) {
        if (n > 256 || strchr(value, ' '))
            BAD("an account is one word (at most 256 characters): a user name, key id or ARN");
    } else if (strcmp(type, "file") == 0 && n > 1024) {
        BAD("a file path is at most 1024 characters");
    }
    for (const char *q = value; *q; q++)
        if (!isspace((unsigned char)*q)) {
            *out = wr_xstrdup(value);
            return WR_OK;
        }
    snprintf(tmp, sizeof tmp, "the %s is blank", type);
    BAD("%s", tmp);
#undef BAD
}

wr_status wr_op_asset(const wr_opctx *c, int64_t inc, const char *kind, const char *name, int remove,
                      wr_write *w, wr_error *err)
{
    if (!wr_asset_kind_valid(kind)) {
        const char *s = wr_suggest(kind, wr_rb_asset_kinds, WR_RB_NASSET_KINDS);
        wr_buf all = {0};
        for (size_t i = 0; i < WR_RB_NASSET_KINDS; i++)
            wr_buf_printf(&all, "%s%s", i ? ", " : "", wr_rb_asset_kinds[i]);
        wr_error_set(err, WR_E_INVALID, "\"%s\" is not an asset kind%s%s%s; kinds: %s", kind,
                     s ? " (did you mean " : "", s ? s : "", s ? "?)" : "", wr_buf_str(&all));
        wr_buf_free(&all);
        return WR_E_INVALID;
    }
    wr_status r = check_text("the asset name", name, 200, err);
    if (r != WR_OK)
        return r;
    if (!one_line(name))
        return wr_error_set(err, WR_E_INVALID, "the asset name contains control characters");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "kind", kind);
    wr_json_kv_str(&p, "name", name);
    wr_buf_putc(&p, '}');
    prepare(c, w, inc, remove ? "asset.removed" : "asset.added", &p,
            wr_xasprintf("asset %s on INC-%lld", kind, (long long)inc));
    return WR_OK;
}

wr_status wr_op_indicator(const wr_opctx *c, int64_t inc, const char *type, const char *value, const char *note,
                          int remove, wr_write *w, wr_error *err)
{
    char *norm = NULL;
    if (wr_indicator_normalize(type, value ? value : "", &norm, err) != WR_OK)
        return WR_E_INVALID;
    wr_status r;
    if (note && *note && (r = check_text("the note", note, 1000, err)) != WR_OK) {
        free(norm);
        return r;
    }
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "type", type);
    wr_json_kv_str(&p, "value", norm);
    if (note && *note && !remove)
        wr_json_kv_str(&p, "note", note);
    wr_buf_putc(&p, '}');
    free(norm);
    prepare(c, w, inc, remove ? "indicator.removed" : "indicator.added", &p,
            wr_xasprintf("indicator %s on INC-%lld", type, (long long)inc));
    return WR_OK;
}

/* ---- application (inside the write transaction) ---- */

static int touch(wr_store *st, int64_t inc, int64_t seq, int64_t at)
{
    return wr_incident_touch(st, inc, seq, at, 0);
}

static wr_status apply_asset(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    int remove = wr_ev_is(w->kind, WR_EV_ASSET_REMOVED);
    char *kind = wr_st_json_get(st, w->payload, "$.kind");
    char *name = wr_st_json_get(st, w->payload, "$.name");
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT added_by, added_at FROM assets WHERE incident = ?1 AND kind = ?2"
                                     " AND name = ?3");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, kind);
    wr_st_bind_text(s, 3, name);
    int there = sqlite3_step(s) == SQLITE_ROW;
    char *by = there ? wr_st_col_text(s, 0) : NULL;
    int64_t when = there ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    char t[40];
    if (!kind || !name)
        r = wr_error_set(err, WR_E_INVALID, "malformed asset event");
    else if (remove && !there)
        r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no %s asset \"%.200s\"; nothing changed",
                         (long long)w->incident, kind, name);
    else if (!remove && there)
        r = wr_error_set(err, WR_E_CONFLICT, "%s \"%.200s\" is already an affected asset of INC-%lld (added by %s "
                                             "at %s UTC)", kind, name, (long long)w->incident, by,
                         wr_lifecycle_time(when, t, sizeof t));
    if (r == WR_OK) {
        if (remove) {
            s = wr_st_stmt(st, "DELETE FROM assets WHERE incident = ?1 AND kind = ?2 AND name = ?3");
        } else {
            s = wr_st_stmt(st, "INSERT INTO assets(incident, kind, name, added_by, added_at, seq)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            wr_st_bind_text(s, 4, w->actor);
            sqlite3_bind_int64(s, 5, at);
            sqlite3_bind_int64(s, 6, seq);
        }
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, kind);
        wr_st_bind_text(s, 3, name);
        if (wr_st_step(s) != SQLITE_OK || touch(st, w->incident, seq, at) != SQLITE_OK)
            r = wr_st_fail(st, err, "recording the change");
    }
    free(by);
    free(kind);
    free(name);
    return r;
}

static wr_status apply_indicator(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    int remove = wr_ev_is(w->kind, WR_EV_INDICATOR_REMOVED);
    char *type = wr_st_json_get(st, w->payload, "$.type");
    char *value = wr_st_json_get(st, w->payload, "$.value");
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT added_by, added_at FROM indicators WHERE incident = ?1 AND type = ?2"
                                     " AND value = ?3");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, type);
    wr_st_bind_text(s, 3, value);
    int there = sqlite3_step(s) == SQLITE_ROW;
    char *by = there ? wr_st_col_text(s, 0) : NULL;
    int64_t when = there ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    char t[40];
    if (!type || !value)
        r = wr_error_set(err, WR_E_INVALID, "malformed indicator event");
    else if (remove && !there)
        r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no %s indicator \"%.200s\"; nothing changed",
                         (long long)w->incident, type, value);
    else if (!remove && there)
        r = wr_error_set(err, WR_E_CONFLICT, "%s %.200s is already an indicator of INC-%lld (added by %s at %s "
                                             "UTC)", type, value, (long long)w->incident, by,
                         wr_lifecycle_time(when, t, sizeof t));
    if (r == WR_OK) {
        if (remove) {
            s = wr_st_stmt(st, "DELETE FROM indicators WHERE incident = ?1 AND type = ?2 AND value = ?3");
        } else {
            s = wr_st_stmt(st, "INSERT INTO indicators(incident, type, value, note, added_by, added_at, seq)"
                               " VALUES (?1, ?2, ?3, coalesce(json_extract(?4, '$.note'), ''), ?5, ?6, ?7)");
            wr_st_bind_text(s, 4, w->payload);
            wr_st_bind_text(s, 5, w->actor);
            sqlite3_bind_int64(s, 6, at);
            sqlite3_bind_int64(s, 7, seq);
        }
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, type);
        wr_st_bind_text(s, 3, value);
        if (wr_st_step(s) != SQLITE_OK || touch(st, w->incident, seq, at) != SQLITE_OK)
            r = wr_st_fail(st, err, "recording the change");
    }
    free(by);
    free(type);
    free(value);
    return r;
}

/* ---- describing ---- */

static void describe_asset(const wr_event *ev, wr_buf *out)
{
    char *a = wr_event_payload_str(ev->payload, "kind"), *b = wr_event_payload_str(ev->payload, "name");
    wr_buf_printf(out, "%s asset %s %s", wr_ev_is(ev->kind, WR_EV_ASSET_ADDED) ? "affected" : "no longer affected:",
                  a ? a : "?", b ? b : "?");
    free(a);
    free(b);
}

static void describe_indicator(const wr_event *ev, wr_buf *out)
{
    char *a = wr_event_payload_str(ev->payload, "type"), *b = wr_event_payload_str(ev->payload, "value");
    char *c = wr_event_payload_str(ev->payload, "note");
    wr_buf_printf(out, "indicator %s %s %s", wr_ev_is(ev->kind, WR_EV_INDICATOR_ADDED) ? "added:" : "removed:",
                  a ? a : "?", b ? b : "?");
    if (c && *c)
        wr_buf_printf(out, " (%s)", c);
    free(a);
    free(b);
    free(c);
}

/* ---- the kinds ---- */

WR_KIND_REQUIRE(check_asset, "$.kind", "$.name")
WR_KIND_REQUIRE(check_indicator, "$.type", "$.value")

const wr_kind_module wr_kinds_evidence = {
    "evidence",
    (const wr_event_kind[]){
        {"asset.added", check_asset, apply_asset, describe_asset},
        {"asset.removed", check_asset, apply_asset, describe_asset},
        {"indicator.added", check_indicator, apply_indicator, describe_indicator},
        {"indicator.removed", check_indicator, apply_indicator, describe_indicator},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM assets; DELETE FROM indicators;",
};

/* ---- reads ---- */

wr_status wr_assets_list(wr_store *st, int64_t inc, wr_asset **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT kind, name, added_by, added_at FROM assets WHERE incident = ?1"
                                     " ORDER BY kind, name");
    sqlite3_bind_int64(s, 1, inc);
    wr_asset *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        v[cnt].kind = wr_st_col_text(s, 0);
        v[cnt].name = wr_st_col_text(s, 1);
        v[cnt].added_by = wr_st_col_text(s, 2);
        v[cnt].added_at = sqlite3_column_int64(s, 3);
        cnt++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_assets_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading assets");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_assets_free(wr_asset *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].kind);
        free(v[i].name);
        free(v[i].added_by);
    }
    free(v);
}

wr_status wr_indicators_list(wr_store *st, int64_t inc, wr_indicator **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT type, value, note, added_by, added_at FROM indicators"
                                     " WHERE incident = ?1 ORDER BY type, value");
    sqlite3_bind_int64(s, 1, inc);
    wr_indicator *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        v[cnt].type = wr_st_col_text(s, 0);
        v[cnt].value = wr_st_col_text(s, 1);
        v[cnt].note = wr_st_col_text(s, 2);
        v[cnt].added_by = wr_st_col_text(s, 3);
        v[cnt].added_at = sqlite3_column_int64(s, 4);
        cnt++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_indicators_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading indicators");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_indicators_free(wr_indicator *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].type);
        free(v[i].value);
        free(v[i].note);
        free(v[i].added_by);
    }
    free(v);
}
