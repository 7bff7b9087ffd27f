/* SPDX-License-Identifier: MIT */
/* store_pg.c - a war room on PostgreSQL: connecting, the server's schema (init, versions), this host's cache
 * and what doctor shows. The server holds the authoritative event log; each host keeps the derived state in a
 * local SQLite cache brought up to date from that log (store_pg_log.c), so every domain rule is the one the
 * SQLite back end runs (docs/store.md "PostgreSQL"). */
#include "store_int.h"

#include "warroom/clock.h"
#include "warroom/sha256.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int wr_store_target_is_remote(const char *target)
{
    if (!target)
        return 0;
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
        return 1;
    /* A libpq key=value string starts with a keyword and '=' ("host=... dbname=..."); a path never has '=' in
     * its first word unless it is written so (a file named a=b is ./a=b). */
    const char *p = target;
    while (*p == ' ')
        p++;
    const char *k = p;
    while (*p && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    if (p == k)
        return 0;
    while (*p == ' ')
        p++;
    return *p == '=';
}

int wr_store_is_remote(const wr_store *st)
{
    return st->remote != NULL;
}

#ifndef WARROOM_POSTGRES

wr_store *wr_remote_open(const char *target, unsigned flags, int wait_ms, const wr_store_model *model,
                         wr_error *err)
{
    (void)target, (void)flags, (void)wait_ms, (void)model;
    wr_error_set(err, WR_E_INVALID, "this warroom was built without PostgreSQL support (-DWARROOM_POSTGRES=OFF): "
                                    "use a database file, or a build with libpq");
    return NULL;
}
void wr_remote_close(struct wr_remote *r)
{
    (void)r;
}
wr_status wr_remote_append(wr_store *st, wr_write *w, int wait_ms, wr_error *err)
{
    (void)st, (void)w, (void)wait_ms;
    return wr_error_set(err, WR_E_INVALID, "no PostgreSQL support in this build");
}
int wr_remote_changed(wr_store *st)
{
    (void)st;
    return -1;
}
int wr_store_notify_fd(wr_store *st)
{
    (void)st;
    return -1;
}
int wr_store_connected(wr_store *st)
{
    (void)st;
    return 1;
}
wr_status wr_store_reconnect(wr_store *st, wr_error *err)
{
    (void)st, (void)err;
    return WR_OK;
}
wr_status wr_store_backend(wr_store *st, wr_store_backend_info *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->backend, sizeof out->backend, "sqlite");
    (void)st, (void)err;
    return WR_OK;
}
const char *wr_store_name(const wr_store *st)
{
    return wr_store_path(st);
}
const char *wr_store_operator(const wr_store *st)
{
    (void)st;
    return "";
}
int wr_store_presence_news(wr_store *st)
{
    (void)st;
    return 0;
}
wr_status wr_store_presence_put(wr_store *st, const char *session, const char *text, int64_t now, int64_t expires,
                                wr_error *err)
{
    (void)st, (void)session, (void)text, (void)now, (void)expires;
    return wr_error_set(err, WR_E_INVALID, "no PostgreSQL support in this build");
}
wr_status wr_store_presence_remove(wr_store *st, const char *session, wr_error *err)
{
    (void)st, (void)session;
    return wr_error_set(err, WR_E_INVALID, "no PostgreSQL support in this build");
}
wr_status wr_store_presence_each(wr_store *st, int64_t now, int64_t max_age_ms, wr_store_presence_cb cb, void *ctx,
                                 wr_error *err)
{
    (void)st, (void)now, (void)max_age_ms, (void)cb, (void)ctx;
    return wr_error_set(err, WR_E_INVALID, "no PostgreSQL support in this build");
}

#else

#include "store_pg_int.h"

/* ---- the connection ---- */

static void clean_line(const char *in, char *out, size_t size)
{
    size_t j = 0;
    for (const char *p = in ? in : ""; *p && j + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\n' && !p[1])
            break;
        out[j++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg, (void)message;
}

int wr_pg_up(const struct wr_remote *r)
{
    return r->conn && PQstatus(r->conn) == CONNECTION_OK;
}

void wr_pg_drop(struct wr_remote *r, const char *why)
{
    if (why && *why)
        clean_line(why, r->last_error, sizeof r->last_error);
    if (r->conn)
        PQfinish(r->conn);
    r->conn = NULL;
    if (!r->down_since)
        r->down_since = wr_clock_mono_ms();
}

wr_status wr_pg_connect(struct wr_remote *r, int timeout_s, wr_error *err)
{
    if (r->conn)
        wr_pg_drop(r, NULL);
    char tmo[16];
    snprintf(tmo, sizeof tmo, "%d", timeout_s > 0 ? timeout_s : 2);
    /* The target may set connect_timeout and everything else; UTF-8 is not negotiable (payloads are UTF-8). */
    const char *kw[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", NULL};
    const char *val[] = {tmo, "warroom", r->target, "UTF8", NULL};
    r->conn = PQconnectdbParams(kw, val, 1);
    if (!r->conn || PQstatus(r->conn) != CONNECTION_OK) {
        char why[512];
        clean_line(r->conn ? PQerrorMessage(r->conn) : "out of memory", why, sizeof why);
        wr_pg_drop(r, why);
        if (strstr(why, "FATAL:") && strstr(why, "does not exist")) /* the database or role: not the network */
            return wr_error_set(err, WR_E_MISSING, "no warroom database at %.300s: %s", r->target, why);
        return wr_error_set(err, WR_E_IO, "cannot reach the PostgreSQL server of %.300s: %s", r->target, why);
    }
    /* The server's notices ("terminating connection...") must never reach the terminal: libpq would print them
     * on stderr, over the console. Errors are read from the results instead. */
    PQsetNoticeProcessor(r->conn, quiet_notice, NULL);
    PGresult *res = PQexec(r->conn, "SET search_path = warroom; LISTEN " WR_PG_CHANNEL "; LISTEN " WR_PG_PRESENCE);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        char why[512];
        clean_line(PQerrorMessage(r->conn), why, sizeof why);
        wr_pg_drop(r, why);
        return wr_error_set(err, WR_E_IO, "cannot listen for changes on %.300s: %s", r->target, why);
    }
    r->down_since = 0;
    r->need_sync = 1;
    r->last_error[0] = '\0';
    return WR_OK;
}

PGresult *wr_pg_exec(struct wr_remote *r, const char *sql, int n, const char *const *params)
{
    if (!wr_pg_up(r))
        return NULL;
    PGresult *res = PQexecParams(r->conn, sql, n, NULL, params, NULL, NULL, 0);
    if (PQstatus(r->conn) != CONNECTION_OK) {
        char why[512];
        clean_line(PQerrorMessage(r->conn), why, sizeof why);
        PQclear(res);
        wr_pg_drop(r, why);
        return NULL;
    }
    return res;
}

const char *wr_pg_state(const PGresult *res)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

void wr_pg_message(struct wr_remote *r, const PGresult *res, char *out, size_t size)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m || !*m)
        m = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
            : r->conn                         ? PQerrorMessage(r->conn)
                                              : r->last_error;
    clean_line(m, out, size);
}

/* ---- the server's schema ---- */

/* Version 4 of the model (WR_SCHEMA_VERSION) on the server: the log's tables only; every derived table lives
 * in each host's cache. Rights: docs/store.md (the role warroom_operators, when it exists, gets them). */
const char wr_pg_schema[] =
    "CREATE SCHEMA IF NOT EXISTS warroom;"
    "SET search_path = warroom;"
    "CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE events(seq bigint PRIMARY KEY CHECK (seq > 0), uid text NOT NULL UNIQUE, incident bigint,"
    " occurred_at bigint NOT NULL, recorded_at bigint NOT NULL, actor text NOT NULL, os_user text NOT NULL,"
    " origin text NOT NULL DEFAULT '', source text NOT NULL, kind text NOT NULL, payload text NOT NULL,"
    " prev_hash text, hash text);"
    "CREATE INDEX events_incident ON events(incident, seq);"
    "CREATE TABLE evidence(seq bigint PRIMARY KEY REFERENCES events(seq), bytes bytea NOT NULL);"
    "CREATE TABLE presence(session text PRIMARY KEY, body text NOT NULL, beat_at bigint NOT NULL,"
    " expires bigint NOT NULL);"
    "CREATE TABLE operators(login text PRIMARY KEY, name text NOT NULL);"
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'warroom_operators') THEN"
    " GRANT USAGE ON SCHEMA warroom TO warroom_operators;"
    " GRANT SELECT, INSERT ON events, evidence TO warroom_operators;"
    " GRANT SELECT ON meta, operators TO warroom_operators;"
    " GRANT SELECT, INSERT, UPDATE, DELETE ON presence TO warroom_operators;"
    " END IF; END $$;";

/* Read (and with create, make) the server's schema: its version and log id into r. */
static wr_status server_schema(struct wr_remote *r, int create, int readonly, wr_error *err)
{
    PGresult *res = wr_pg_exec(r, "SELECT (SELECT value FROM warroom.meta WHERE key = 'schema_version'),"
                                  " (SELECT value FROM warroom.meta WHERE key = 'log_id')", 0, NULL);
    char why[512];
    if (!res)
        return wr_error_set(err, WR_E_IO, "lost the PostgreSQL server of %.300s: %s", r->target, r->last_error);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        int missing = strcmp(wr_pg_state(res), "42P01") == 0 || strcmp(wr_pg_state(res), "3F000") == 0;
        int denied = strcmp(wr_pg_state(res), "42501") == 0;
        wr_pg_message(r, res, why, sizeof why);
        PQclear(res);
        if (denied)
            return wr_error_set(err, WR_E_READONLY, "the PostgreSQL role of this connection may not read the war "
                                "room at %.300s: %s (docs/store.md lists the rights it needs)", r->target, why);
        if (!missing)
            return wr_error_set(err, WR_E_IO, "cannot read the war room at %.300s: %s", r->target, why);
        if (!create)
            return wr_error_set(err, WR_E_MISSING, "no warroom database at %.300s (no warroom schema there); to "
                                "start one, run `warroom init` on it (the same --db or $WARROOM_DB)", r->target);
        /* init: the schema, its version and a fresh log id, in one transaction. */
        char id[33], ver[16];
        wr_uid_new(id);
        snprintf(ver, sizeof ver, "%d", WR_SCHEMA_VERSION);
        PGresult *b = wr_pg_exec(r, "BEGIN", 0, NULL);
        PQclear(b);
        res = PQexec(r->conn, wr_pg_schema);
        int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        if (ok) {
            PQclear(res);
            const char *p[] = {ver, id};
            res = wr_pg_exec(r, "INSERT INTO warroom.meta(key, value) VALUES ('schema_version', $1), ('log_id', $2)",
                             2, p);
            ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        }
        if (ok) {
            PQclear(res);
            res = wr_pg_exec(r, "COMMIT", 0, NULL);
            ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        }
        if (!ok) {
            wr_pg_message(r, res, why, sizeof why);
            PQclear(res);
            PQclear(wr_pg_exec(r, "ROLLBACK", 0, NULL));
            return wr_error_set(err, strstr(why, "permission") ? WR_E_READONLY : WR_E_IO,
                                "cannot create the war room's schema in %.300s: %s", r->target, why);
        }
        PQclear(res);
        snprintf(r->log_id, sizeof r->log_id, "%s", id);
        return WR_OK;
    }
    int version = PQgetisnull(res, 0, 0) ? 0 : atoi(PQgetvalue(res, 0, 0));
    snprintf(r->log_id, sizeof r->log_id, "%s", PQgetisnull(res, 0, 1) ? "" : PQgetvalue(res, 0, 1));
    PQclear(res);
    if (version <= 0 || !r->log_id[0])
        return wr_error_set(err, WR_E_CORRUPT, "%.300s has a warroom schema without its version or log id: not "
                            "a war room this warroom made", r->target);
    if (version > WR_SCHEMA_VERSION)
        return wr_error_set(err, WR_E_SCHEMA, "%.300s was made by a newer warroom (schema version %d; this warroom "
                            "knows version %d). It was not changed. Upgrade warroom to use it.",
                            r->target, version, WR_SCHEMA_VERSION);
    if (version < WR_SCHEMA_VERSION) {
        /* The server keeps the log only: an older version's log is this version's log. Raising the number (in
         * one transaction, only if nobody did meanwhile) keeps older warrooms from appending events they do
         * not know how to apply. */
        if (readonly)
            return wr_error_set(err, WR_E_READONLY, "%.300s needs a schema upgrade but was opened read-only",
                                r->target);
        char ver[16], old[16];
        snprintf(ver, sizeof ver, "%d", WR_SCHEMA_VERSION);
        snprintf(old, sizeof old, "%d", version);
        const char *p[] = {ver, old};
        res = wr_pg_exec(r, "UPDATE warroom.meta SET value = $1 WHERE key = 'schema_version' AND value = $2", 2, p);
        int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (!ok)
            return wr_error_set(err, WR_E_IO, "cannot upgrade the war room's schema in %.300s", r->target);
    }
    res = wr_pg_exec(r, "SELECT name FROM warroom.operators WHERE login = session_user", 0, NULL);
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        clean_line(PQgetvalue(res, 0, 0), r->operator_name, sizeof r->operator_name);
    PQclear(res);
    return WR_OK;
}

/* ---- this host's cache ---- */

/* $WARROOM_CACHE_DIR, else $XDG_CACHE_HOME/warroom, else ~/.cache/warroom; the file is named after the target,
 * so a host can read its copy while the server is away. */
static char *cache_path(const char *target)
{
    const char *dir = getenv("WARROOM_CACHE_DIR");
    char *base;
    if (dir && *dir) {
        base = wr_xstrdup(dir);
    } else if ((dir = getenv("XDG_CACHE_HOME")) && *dir) {
        base = wr_xasprintf("%s/warroom", dir);
    } else {
        const char *home = getenv("HOME");
        base = wr_xasprintf("%s/.cache/warroom", home && *home ? home : ".");
    }
    char hex[65];
    wr_sha256_hex(target, strlen(target), hex);
    hex[24] = '\0';
    /* The host's name too: a home directory shared by several hosts (NFS) holds one cache per host, never one
     * file written from two hosts. */
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    for (char *h = host; *h; h++)
        if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.')
            *h = '_';
    char *path = wr_xasprintf("%s/pg-%s%s%s.db", base, hex, *host ? "-" : "", host);
    free(base);
    return path;
}

int wr_pg_has_password(const char *target)
{
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &why);
    PQfreemem(why);
    int found = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            found = 1;
    PQconninfoFree(opts);
    return found;
}

/* The cache belongs to one server log: a cache made for another (the database made again, restored from a
 * backup) is emptied and filled again. */
static wr_status cache_claim(wr_store *st, wr_error *err)
{
    struct wr_remote *r = st->remote;
    int rc = wr_st_exec(st, "CREATE TABLE IF NOT EXISTS remote_log(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "preparing this host's copy of the war room");
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT value FROM remote_log WHERE key = 'log_id'");
    char *have = sqlite3_step(s) == SQLITE_ROW ? wr_st_col_text(s, 0) : NULL;
    sqlite3_reset(s);
    if (!r->log_id[0] || (have && strcmp(have, r->log_id) == 0)) {
        free(have);
        return WR_OK;
    }
    free(have);
    st->deadline = wr_clock_mono_ms() + st->read_wait_ms;
    rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK) {
        wr_st_model_reset(st);
        rc = wr_st_exec(st, "DELETE FROM evidence; DELETE FROM events; DELETE FROM sqlite_sequence");
    }
    if (rc == SQLITE_OK) {
        s = wr_st_stmt(st, "INSERT OR REPLACE INTO remote_log(key, value) VALUES ('log_id', ?1)");
        wr_st_bind_text(s, 1, r->log_id);
        rc = wr_st_step(s);
    }
    if (rc == SQLITE_OK)
        rc = wr_st_exec(st, "COMMIT");
    if (rc != SQLITE_OK) {
        wr_st_rollback(st);
        return wr_st_error(st, rc, err, "preparing this host's copy of the war room");
    }
    return WR_OK;
}

wr_store *wr_remote_open(const char *target, unsigned flags, int wait_ms, const wr_store_model *model,
                         wr_error *err)
{
    if (wr_pg_has_password(target)) {
        wr_error_set(err, WR_E_INVALID, "the database string holds a password: everyone on this host can read a "
                     "command line. Put it in ~/.pgpass (or $PGPASSFILE, or a service file) and leave it out here");
        return NULL;
    }
    struct wr_remote *r = wr_xcalloc(1, sizeof *r);
    r->target = wr_xstrdup(target);
    int timeout = wait_ms >= 2000 ? (wait_ms > 30000 ? 10 : wait_ms / 3000 + 2) : 2;
    char *path = cache_path(target);
    int have_cache = access(path, R_OK) == 0 && !(flags & WR_OPEN_CREATE);
    /* The server away (restarting, a failover): with a copy on this host, open it (reads show it, a write waits
     * for the server); without one, wait for the server as a write would, up to wait_ms. */
    int64_t deadline = wr_clock_mono_ms() + (wait_ms > 0 ? wait_ms : 0);
    wr_error cerr = {0};
    wr_status cs;
    for (;;) {
        cs = wr_pg_connect(r, timeout, &cerr);
        if (cs == WR_OK)
            cs = server_schema(r, (flags & WR_OPEN_CREATE) != 0, (flags & WR_OPEN_READONLY) != 0, &cerr);
        if (cs != WR_E_IO || have_cache || wr_clock_mono_ms() >= deadline)
            break;
        wr_st_sleep_ms(200);
    }
    int offline = cs == WR_E_IO && have_cache;
    if (offline)
        wr_pg_drop(r, cerr.msg); /* a connection that failed a read starts again at the next write */
    if (cs != WR_OK && !offline) {
        wr_error_set(err, cerr.status, "%s", cerr.msg);
        free(path);
        wr_remote_close(r);
        return NULL;
    }
    char *dir = wr_xstrdup(path);
    *strrchr(dir, '/') = '\0';
    if (wr_mkdir_p(dir, 0700) != 0) {
        wr_error_set(err, WR_E_READONLY, "cannot make the directory for this host's copy of the war room, %s: %s "
                     "(set $WARROOM_CACHE_DIR to another)", dir, strerror(errno));
        free(dir);
        free(path);
        wr_remote_close(r);
        return NULL;
    }
    free(dir);
    wr_store *st = wr_store_open_model(path, (flags & ~(unsigned)WR_OPEN_READONLY) | WR_OPEN_CREATE |
                                                 WR_OPEN_SINGLE_HOST, wait_ms, model, err);
    free(path);
    if (!st) {
        wr_remote_close(r);
        return NULL;
    }
    st->remote = r;
    if (offline) {
        wr_buf_printf(&st->warnings, "the database server cannot be reached (%s): showing this host's copy, which "
                      "may be behind; nothing can be written until it is back\n", r->last_error);
    } else {
        wr_error serr = {0};
        wr_status s = cache_claim(st, &serr);
        if (s == WR_OK)
            s = wr_pg_sync(st, 0, NULL, &serr);
        if (s == WR_E_IO) {
            wr_pg_drop(r, serr.msg);
            /* Lost just now: the copy as it is (the next write waits for the server and catches up first). */
            wr_buf_printf(&st->warnings, "the database server went away while this host's copy was brought up to "
                          "date (%s): it may be behind; a write waits for the server\n", r->last_error);
        } else if (s != WR_OK) {
            wr_error_set(err, serr.status, "%s", serr.msg);
            wr_store_close(st);
            return NULL;
        }
    }
    if (flags & WR_OPEN_READONLY) {
        st->readonly = 1;
        snprintf(st->readonly_reason, sizeof st->readonly_reason, "opened read-only on request");
    }
    return st;
}

void wr_remote_close(struct wr_remote *r)
{
    if (!r)
        return;
    PQclear(r->room);
    if (r->conn)
        PQfinish(r->conn);
    free(r->target);
    free(r);
}

const char *wr_store_name(const wr_store *st)
{
    return st->remote ? st->remote->target : st->path;
}

const char *wr_store_operator(const wr_store *st)
{
    return st->remote ? st->remote->operator_name : "";
}

int wr_store_notify_fd(wr_store *st)
{
    return st->remote && wr_pg_up(st->remote) ? PQsocket(st->remote->conn) : -1;
}

int wr_store_connected(wr_store *st)
{
    return !st->remote || wr_pg_up(st->remote);
}

wr_status wr_store_reconnect(wr_store *st, wr_error *err)
{
    if (!st->remote || wr_pg_up(st->remote))
        return WR_OK;
    wr_status s = wr_pg_connect(st->remote, 2, err);
    if (s == WR_OK)
        s = server_schema(st->remote, 0, st->readonly, err);
    if (s == WR_OK)
        s = cache_claim(st, err);
    if (s == WR_OK)
        s = wr_pg_sync(st, 0, NULL, err);
    return s;
}

wr_status wr_store_backend(wr_store *st, wr_store_backend_info *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!st->remote) {
        snprintf(out->backend, sizeof out->backend, "sqlite");
        return WR_OK;
    }
    struct wr_remote *r = st->remote;
    snprintf(out->backend, sizeof out->backend, "postgresql");
    snprintf(out->cache, sizeof out->cache, "%s", st->path);
    if (!wr_pg_up(r) && wr_store_reconnect(st, err) != WR_OK)
        return err ? err->status : WR_E_IO;
    int v = PQserverVersion(r->conn);
    snprintf(out->server_version, sizeof out->server_version, "%d.%d", v / 10000, v % 10000);
    out->tls = PQsslInUse(r->conn);
    const char *host = PQhost(r->conn);
    out->local_socket = host && host[0] == '/';
    if (out->tls) {
        const char *proto = PQsslAttribute(r->conn, "protocol"), *cipher = PQsslAttribute(r->conn, "cipher");
        snprintf(out->tls_detail, sizeof out->tls_detail, "%s %s", proto ? proto : "", cipher ? cipher : "");
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    PGresult *res = wr_pg_exec(r, "SELECT (SELECT value FROM warroom.meta WHERE key = 'schema_version'),"
                                  " current_user, (SELECT coalesce(max(seq), 0) FROM warroom.events)", 0, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        char why[512];
        wr_pg_message(r, res, why, sizeof why);
        PQclear(res);
        return wr_error_set(err, WR_E_IO, "cannot read the war room at %.300s: %s", r->target, why);
    }
    out->latency_ms = (double)(b.tv_sec - a.tv_sec) * 1000.0 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    out->schema_version = atoi(PQgetvalue(res, 0, 0));
    snprintf(out->role, sizeof out->role, "%s", PQgetvalue(res, 0, 1));
    out->server_seq = atoll(PQgetvalue(res, 0, 2));
    PQclear(res);
    snprintf(out->log_id, sizeof out->log_id, "%s", r->log_id);
    return WR_OK;
}

/* ---- presence ---- */

static wr_status presence_fail(struct wr_remote *r, PGresult *res, wr_error *err)
{
    char why[512];
    wr_pg_message(r, res, why, sizeof why);
    PQclear(res);
    return wr_error_set(err, WR_E_IO, "cannot tell the server of %.300s who is here: %s", r->target, why);
}

wr_status wr_store_presence_put(wr_store *st, const char *session, const char *text, int64_t now, int64_t expires,
                                wr_error *err)
{
    struct wr_remote *r = st->remote;
    if (!wr_pg_up(r))
        return wr_error_set(err, WR_E_IO, "the PostgreSQL server of %.300s cannot be reached: %s", r->target,
                            r->last_error);
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", (long long)now);
    snprintf(b, sizeof b, "%lld", (long long)expires);
    const char *p[] = {session, text, a, b};
    /* One round trip: the beat, and the others who are here (the statement's snapshot does not hold its own
     * row; the caller knows itself). Rows dead for a day go on the way. */
    PGresult *res = wr_pg_exec(r, "WITH old AS (SELECT body FROM warroom.presence WHERE session = $1 AND expires > $3::bigint),"
                                  " beat AS (INSERT INTO warroom.presence(session, body, beat_at, expires)"
                                  " VALUES ($1, $2, $3, $4) ON CONFLICT (session) DO UPDATE SET body = excluded.body,"
                                  " beat_at = excluded.beat_at, expires = excluded.expires RETURNING 1),"
                                  " swept AS (DELETE FROM warroom.presence WHERE expires < $3::bigint - 86400000),"
                                  " told AS (SELECT pg_notify('" WR_PG_PRESENCE "', $1) FROM (SELECT 1) one"
                                  " WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.body = $2))"
                                  " SELECT session, body, beat_at FROM warroom.presence, (SELECT count(*) FROM told) t"
                                  " WHERE expires > $3::bigint ORDER BY session",
                             4, p);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
        return presence_fail(r, res, err);
    PQclear(r->room);
    r->room = res;
    r->room_at = wr_clock_mono_ms();
    return WR_OK;
}

wr_status wr_store_presence_remove(wr_store *st, const char *session, wr_error *err)
{
    struct wr_remote *r = st->remote;
    const char *p[] = {session};
    PGresult *res = wr_pg_exec(r, "WITH gone AS (DELETE FROM warroom.presence WHERE session = $1 RETURNING 1)"
                                  " SELECT pg_notify('" WR_PG_PRESENCE "', $1) FROM gone", 1, p);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
        return presence_fail(r, res, err);
    PQclear(res);
    return WR_OK;
}

int wr_store_presence_news(wr_store *st)
{
    if (!st->remote || !st->remote->presence_news)
        return 0;
    st->remote->presence_news = 0;
    return 1;
}

wr_status wr_store_presence_each(wr_store *st, int64_t now, int64_t max_age_ms, wr_store_presence_cb cb, void *ctx,
                                 wr_error *err)
{
    struct wr_remote *r = st->remote;
    PGresult *res = r->room;
    int fresh = res && wr_clock_mono_ms() - r->room_at <= max_age_ms;
    if (!fresh) {
        char a[24];
        snprintf(a, sizeof a, "%lld", (long long)now);
        const char *p[] = {a};
        res = wr_pg_exec(r, "SELECT session, body, beat_at FROM warroom.presence WHERE expires > $1::bigint"
                            " ORDER BY session", 1, p);
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
            return presence_fail(r, res, err);
    }
    for (int i = 0; i < PQntuples(res); i++)
        if (cb(PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), strtoll(PQgetvalue(res, i, 2), NULL, 10), ctx))
            break;
    if (!fresh)
        PQclear(res);
    return WR_OK;
}

#endif
