/* SPDX-License-Identifier: MIT */
/* store_migrate.c - moving a war room between back ends (warroom/migrate.h; docs/store.md "Moving a war room"):
 * the event log copied row for row as it is (the readers: an SQLite log, a server's log; the writers: an
 * SQLite log, a server's log in its transaction), the state derived from the copy compared table by table
 * with the source's, the copy's chain verified. The raw copy of a server's log is also what `verify` checks
 * on a PostgreSQL war room. */
#include "store_int.h"

#include "warroom/clock.h"
#include "warroom/migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef WARROOM_POSTGRES
#include "store_pg_int.h"
#endif

/* The log's columns, as both back ends name them; 0, 2, 3 and 4 are integers. */
#define EVENT_COLS "seq, uid, incident, occurred_at, recorded_at, actor, os_user, origin, source, kind, payload," \
                   " prev_hash, hash"
#define NCOLS 13

/* Where copied rows go: an SQLite log (dst) or a server's (r, inside its transaction). 0, or -1 with err set. */
/* Events to a server go in batches of BATCH rows per INSERT (one round trip each): flush() sends what is
 * held, and must run before the evidence that refers to them. */
enum { BATCH = 250 };
typedef struct sink {
    int (*event)(struct sink *k, const char *const *v, const int *len);
    int (*flush)(struct sink *k);
    int (*blob)(struct sink *k, const char *seq, const void *bytes, size_t n);
    wr_store *dst;
    struct wr_remote *r;
    wr_error *err;
    int64_t events, evidence;
    char **held; /* BATCH * NCOLS values (NULL: SQL NULL) of the rows not sent yet */
    int nheld;
} sink;

static int int_col(int c)
{
    return c == 0 || c == 2 || c == 3 || c == 4;
}

/* ---- an SQLite log: reading and writing ---- */

static int sqlite_event(sink *k, const char *const *v, const int *len)
{
    sqlite3_stmt *s = wr_st_stmt(k->dst, "INSERT INTO events(" EVENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                         " ?8, ?9, ?10, ?11, ?12, ?13)");
    for (int c = 0; c < NCOLS; c++) {
        if (!v[c])
            sqlite3_bind_null(s, c + 1);
        else if (int_col(c))
            sqlite3_bind_int64(s, c + 1, strtoll(v[c], NULL, 10));
        else
            sqlite3_bind_text(s, c + 1, v[c], len[c], SQLITE_TRANSIENT);
    }
    int rc = wr_st_step(s);
    if (rc != SQLITE_OK) {
        wr_st_error(k->dst, rc, k->err, "copying the event log");
        return -1;
    }
    k->events++;
    return 0;
}

static int no_flush(sink *k)
{
    (void)k;
    return 0;
}

static int sqlite_blob(sink *k, const char *seq, const void *bytes, size_t n)
{
    sqlite3_stmt *s = wr_st_stmt(k->dst, "INSERT INTO evidence(seq, bytes) VALUES (?1, ?2)");
    sqlite3_bind_int64(s, 1, strtoll(seq, NULL, 10));
    sqlite3_bind_blob64(s, 2, bytes ? bytes : (const void *)"", n, SQLITE_TRANSIENT);
    int rc = wr_st_step(s);
    if (rc != SQLITE_OK) {
        wr_st_error(k->dst, rc, k->err, "copying the evidence");
        return -1;
    }
    k->evidence++;
    return 0;
}

/* The events (and evidence) of seq <= upto of an SQLite log, oldest first, into k. */
static wr_status read_sqlite(wr_store *src, int64_t upto, sink *k, wr_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(src->db, "SELECT " EVENT_COLS " FROM events WHERE seq <= ?1 ORDER BY seq", -1, &s,
                                NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(s, 1, upto);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[NCOLS];
        int len[NCOLS];
        for (int c = 0; c < NCOLS; c++) {
            v[c] = sqlite3_column_type(s, c) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(s, c);
            len[c] = sqlite3_column_bytes(s, c);
        }
        if (k->event(k, v, len) != 0) {
            sqlite3_finalize(s);
            return err->status;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return wr_st_read_error(src, rc, err, "reading the event log");
    if (k->flush(k) != 0)
        return err->status;
    s = NULL;
    rc = sqlite3_prepare_v2(src->db, "SELECT seq, bytes FROM evidence WHERE seq <= ?1 ORDER BY seq", -1, &s, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(s, 1, upto);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        char seq[24];
        snprintf(seq, sizeof seq, "%" PRId64, (int64_t)sqlite3_column_int64(s, 0));
        if (k->blob(k, seq, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1)) != 0) {
            sqlite3_finalize(s);
            return err->status;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return wr_st_read_error(src, rc, err, "reading the evidence");
    return WR_OK;
}

/* ---- comparing the derived state ---- */

/* The model's current-state tables: those each module's reset empties ("DELETE FROM name"). */
static size_t model_tables(const wr_store_model *m, char (*names)[64], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; m && i < m->nmodules; i++) {
        const char *p = m->modules[i]->reset_sql;
        while (p && (p = strstr(p, "DELETE FROM ")) != NULL) {
            p += 12;
            size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
            if (len && len < 64 && n < max) {
                memcpy(names[n], p, len);
                names[n++][len] = '\0';
            }
            p += len;
        }
    }
    return n;
}

static int64_t count_rows(wr_store *st, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    int64_t n = -1;
    if (wr_st_query_int(st, sql, &n) != SQLITE_OK)
        return -1;
    return n;
}

static int same_value(sqlite3_stmt *x, sqlite3_stmt *y, int c)
{
    int t = sqlite3_column_type(x, c);
    if (t != sqlite3_column_type(y, c))
        return 0;
    switch (t) {
    case SQLITE_NULL:
        return 1;
    case SQLITE_INTEGER:
        return sqlite3_column_int64(x, c) == sqlite3_column_int64(y, c);
    case SQLITE_FLOAT: {
        double a = sqlite3_column_double(x, c), b = sqlite3_column_double(y, c);
        return memcmp(&a, &b, sizeof a) == 0;
    }
    default: {
        const void *a = t == SQLITE_TEXT ? (const void *)sqlite3_column_text(x, c) : sqlite3_column_blob(x, c);
        const void *b = t == SQLITE_TEXT ? (const void *)sqlite3_column_text(y, c) : sqlite3_column_blob(y, c);
        int n = sqlite3_column_bytes(x, c);
        return n == sqlite3_column_bytes(y, c) && (n == 0 || memcmp(a, b, (size_t)n) == 0);
    }
    }
}

/* 0 the same, 1 different (detail says how), -1 an error (err). */
static int table_differs(wr_store *a, wr_store *b, const char *t, char *detail, size_t dsize, wr_error *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t);
    sqlite3_stmt *x = NULL, *y = NULL;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &x, NULL);
    if (rc != SQLITE_OK) {
        wr_st_fail(a, err, "reading the state to compare");
        return -1;
    }
    int n = sqlite3_column_count(x);
    sqlite3_finalize(x);
    x = NULL;
    /* Every column, ascending: a canonical order whatever the table's keys (role_history has none). */
    wr_buf q = {0};
    wr_buf_printf(&q, "SELECT * FROM \"%s\" ORDER BY ", t);
    for (int c = 1; c <= n; c++)
        wr_buf_printf(&q, "%s%d", c > 1 ? ", " : "", c);
    int out = 0;
    if (sqlite3_prepare_v2(a->db, wr_buf_str(&q), -1, &x, NULL) != SQLITE_OK) {
        wr_st_fail(a, err, "reading the state to compare");
        out = -1;
    } else if (sqlite3_prepare_v2(b->db, wr_buf_str(&q), -1, &y, NULL) != SQLITE_OK) {
        wr_st_fail(b, err, "reading the copy's state to compare");
        out = -1;
    } else if (sqlite3_column_count(y) != n) {
        snprintf(detail, dsize, "%d columns in the source, %d in the copy", n, sqlite3_column_count(y));
        out = 1;
    }
    wr_buf_free(&q);
    for (int64_t row = 1; out == 0; row++) {
        int rx = sqlite3_step(x), ry = sqlite3_step(y);
        if (rx == SQLITE_DONE && ry == SQLITE_DONE)
            break;
        if ((rx != SQLITE_ROW && rx != SQLITE_DONE) || (ry != SQLITE_ROW && ry != SQLITE_DONE)) {
            if (rx != SQLITE_ROW && rx != SQLITE_DONE)
                wr_st_read_error(a, rx, err, "reading the state to compare");
            else
                wr_st_read_error(b, ry, err, "reading the copy's state to compare");
            out = -1;
            break;
        }
        int col = -1;
        if (rx == SQLITE_ROW && ry == SQLITE_ROW)
            for (int c = 0; c < n && col < 0; c++)
                if (!same_value(x, y, c))
                    col = c;
        if (rx != ry || col >= 0) {
            int64_t na = count_rows(a, t), nb = count_rows(b, t);
            if (col >= 0)
                snprintf(detail, dsize, "row %" PRId64 " (in the order of every column) differs in column %s; rows in "
                         "the source: %" PRId64 ", in the copy: %" PRId64, row, sqlite3_column_name(x, col), na, nb);
            else
                snprintf(detail, dsize, "rows in the source: %" PRId64 ", in the copy: %" PRId64, na, nb);
            out = 1;
        }
    }
    sqlite3_finalize(x);
    sqlite3_finalize(y);
    return out;
}

wr_status wr_store_state_compare(wr_store *a, wr_store *b, char table[64], char *detail, size_t dsize,
                                 wr_error *err)
{
    table[0] = '\0';
    if (dsize)
        detail[0] = '\0';
    char names[64][64];
    size_t n = model_tables(a->model, names, 64);
    wr_st_read_begin(a);
    wr_st_read_begin(b);
    for (size_t i = 0; i < n; i++) {
        int d = table_differs(a, b, names[i], detail, dsize, err);
        if (d < 0)
            return err->status;
        if (d > 0) {
            snprintf(table, 64, "%s", names[i]);
            return WR_OK;
        }
    }
    return WR_OK;
}

/* ---- a private temporary SQLite log ---- */

static void remove_db(const char *path, int and_dir)
{
    char *j = wr_xasprintf("%s-journal", path);
    unlink(path);
    unlink(j);
    free(j);
    if (and_dir) {
        char *dir = wr_xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            rmdir(dir);
        }
        free(dir);
    }
}

#ifdef WARROOM_POSTGRES
/* A new, empty war room file in a directory of its own (mode 0700) under $TMPDIR. */
static wr_status temp_store(const wr_store_model *model, wr_store **out, char **path, wr_error *err)
{
    *out = NULL;
    *path = NULL;
    const char *tmp = getenv("TMPDIR");
    char *dir = wr_xasprintf("%s/warroom-copy.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        wr_status s = wr_error_set(err, errno == ENOSPC ? WR_E_FULL : WR_E_IO, "cannot make a temporary directory "
                                   "for a copy of the log (%s): %s; set $TMPDIR to another", dir, strerror(errno));
        free(dir);
        return s;
    }
    char *p = wr_xasprintf("%s/log.db", dir);
    free(dir);
    *out = wr_store_open_model(p, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, 15000, model, err);
    if (!*out) {
        remove_db(p, 1);
        free(p);
        return err->status;
    }
    *path = p;
    return WR_OK;
}
#endif

void wr_store_log_snapshot_drop(wr_store *snap, char *path)
{
    wr_store_close(snap);
    if (path)
        remove_db(path, 1);
    free(path);
}

/* ---- checking a copy ---- */

/* dst holds the copied log and the state derived from it: compare it with src's, verify its chain. */
static wr_status check_copy(wr_store *src, wr_store *dst, const sink *k, wr_migrate_result *out, wr_error *err)
{
    out->events = k->events;
    out->evidence = k->evidence;
    int64_t have = 0;
    if (wr_st_query_int(dst, "SELECT count(*) FROM events", &have) != SQLITE_OK)
        return wr_st_fail(dst, err, "counting the copy's events");
    if (have != k->events) {
        /* Deriving the state added an event the log should have held (a merge's notice to its target). */
        snprintf(out->table, sizeof out->table, "events");
        snprintf(out->detail, sizeof out->detail, "%" PRId64 " events copied, %" PRId64 " after deriving the "
                 "state: the source's log is not complete", k->events, have);
        return WR_OK;
    }
    wr_status s = wr_store_state_compare(src, dst, out->table, out->detail, sizeof out->detail, err);
    if (s != WR_OK || out->table[0])
        return s;
    wr_st_query_int(dst, "SELECT count(*) FROM incidents", &out->incidents);
    wr_chain_report rep;
    s = wr_store_chain_verify(dst, -1, NULL, &rep, err);
    if (s != WR_OK)
        return s;
    out->entries = rep.entries;
    out->chains = rep.chains;
    out->nbreaks = rep.nbreaks;
    if (rep.nbreaks)
        snprintf(out->detail, sizeof out->detail, "%.250s", rep.breaks[0].msg);
    wr_chain_report_free(&rep);
    out->matches = out->nbreaks == 0;
    return WR_OK;
}

#ifdef WARROOM_POSTGRES

/* ---- a server's log: reading and writing ---- */

static int command_ok(PGresult *res)
{
    int ok = res && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
    PQclear(res);
    return ok;
}

static int pg_failed(struct wr_remote *r, PGresult *res, wr_error *err, const char *doing)
{
    char why[512];
    wr_pg_message(r, res, why, sizeof why);
    PQclear(res);
    wr_error_set(err, WR_E_IO, "%s on %.300s failed: %s", doing, r->target, why);
    return -1;
}

static void drop_held(sink *k)
{
    for (int i = 0; k->held && i < k->nheld * NCOLS; i++)
        free(k->held[i]);
    free(k->held);
    k->held = NULL;
    k->nheld = 0;
}

static int server_flush(sink *k)
{
    if (!k->nheld)
        return 0;
    wr_buf q = {0};
    wr_buf_puts(&q, "INSERT INTO warroom.events(" EVENT_COLS ") VALUES ");
    for (int i = 0; i < k->nheld; i++) {
        wr_buf_puts(&q, i ? ", (" : "(");
        for (int c = 0; c < NCOLS; c++)
            wr_buf_printf(&q, "%s$%d", c ? ", " : "", i * NCOLS + c + 1);
        wr_buf_putc(&q, ')');
    }
    PGresult *res = wr_pg_exec(k->r, wr_buf_str(&q), k->nheld * NCOLS, (const char *const *)k->held);
    wr_buf_free(&q);
    int n = k->nheld;
    drop_held(k);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        return pg_failed(k->r, res, k->err, "copying the event log");
    PQclear(res);
    k->events += n;
    return 0;
}

static int server_event(sink *k, const char *const *v, const int *len)
{
    if (!k->held)
        k->held = wr_xcalloc(BATCH * NCOLS, sizeof *k->held);
    for (int c = 0; c < NCOLS; c++) {
        char *copy = NULL;
        if (v[c]) {
            copy = wr_xcalloc(1, (size_t)len[c] + 1);
            memcpy(copy, v[c], (size_t)len[c]);
        }
        k->held[k->nheld * NCOLS + c] = copy;
    }
    return ++k->nheld == BATCH ? server_flush(k) : 0;
}

static int server_blob(sink *k, const char *seq, const void *bytes, size_t n)
{
    if (n > 0x7fffffff)
        return wr_error_set(k->err, WR_E_INVALID, "the evidence of entry seq %s is too large to copy", seq), -1;
    const char *pv[] = {seq, bytes ? (const char *)bytes : ""};
    int lens[] = {0, (int)n};
    int fmt[] = {0, 1};
    PGresult *res = PQexecParams(k->r->conn, "INSERT INTO warroom.evidence(seq, bytes) VALUES ($1, $2)", 2, NULL, pv,
                                 lens, fmt, 0);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        return pg_failed(k->r, res, k->err, "copying the evidence");
    PQclear(res);
    k->evidence++;
    return 0;
}

/* The server's events and evidence of seq <= upto, as they are, oldest first, into k: in pages, inside one
 * read-only snapshot of the server (an append meanwhile is wholly in it or wholly not). */
static wr_status read_server(struct wr_remote *r, int64_t upto, sink *k, wr_error *err)
{
    if (!command_ok(wr_pg_exec(r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL)))
        return wr_error_set(err, WR_E_IO, "cannot read the log on %.300s: %s", r->target, r->last_error);
    char a[24], u[24];
    snprintf(u, sizeof u, "%" PRId64, upto);
    int64_t after = 0;
    int failed = 0;
    for (;;) {
        enum { PAGE = 2000 };
        snprintf(a, sizeof a, "%" PRId64, after);
        const char *p[] = {a, u};
        PGresult *res = wr_pg_exec(r, "SELECT " EVENT_COLS " FROM warroom.events WHERE seq > $1 AND seq <= $2"
                                      " ORDER BY seq LIMIT 2000", 2, p);
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            failed = pg_failed(r, res, err, "reading the event log");
            break;
        }
        int rows = PQntuples(res);
        for (int i = 0; i < rows && !failed; i++) {
            const char *v[NCOLS];
            int len[NCOLS];
            for (int c = 0; c < NCOLS; c++) {
                v[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
                len[c] = PQgetlength(res, i, c);
            }
            failed = k->event(k, v, len);
            after = strtoll(v[0], NULL, 10);
        }
        PQclear(res);
        if (failed || rows < PAGE)
            break;
    }
    if (!failed)
        failed = k->flush(k);
    for (after = INT64_MIN; !failed;) {
        snprintf(a, sizeof a, "%" PRId64, after);
        const char *p[] = {a, u};
        /* Binary results: the bytes as they are (seq as text, to stay readable). A page holds at most 64 rows
         * and, past its first row, 16 MiB (one row may be up to evidence_cap's 256 MiB). */
        PGresult *res = PQexecParams(r->conn, "SELECT seq::text, bytes FROM (SELECT seq, bytes, sum(octet_length(bytes))"
                                              " OVER (ORDER BY seq) AS upto FROM warroom.evidence WHERE seq > $1 AND"
                                              " seq <= $2) x WHERE upto - octet_length(bytes) < 16777216 ORDER BY seq"
                                              " LIMIT 64", 2, NULL, p, NULL, NULL, 1);
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            if (PQstatus(r->conn) != CONNECTION_OK)
                wr_pg_drop(r, PQerrorMessage(r->conn));
            failed = pg_failed(r, res, err, "reading the evidence");
            break;
        }
        int rows = PQntuples(res);
        for (int i = 0; i < rows && !failed; i++) {
            const char *seq = PQgetvalue(res, i, 0);
            failed = k->blob(k, seq, PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1));
            after = strtoll(seq, NULL, 10);
        }
        PQclear(res);
        if (rows == 0)
            break;
    }
    if (wr_pg_up(r))
        PQclear(wr_pg_exec(r, failed ? "ROLLBACK" : "COMMIT", 0, NULL));
    return failed ? err->status : WR_OK;
}

/* Inside the target's transaction, under the append lock: 1 when the database has no warroom schema (*fresh),
 * 0 when it holds an empty war room of this version (made by `init`); else WR_E_CONFLICT. */
static wr_status target_empty(struct wr_remote *r, int *fresh, wr_error *err)
{
    PGresult *res = wr_pg_exec(r, "SELECT to_regnamespace('warroom') IS NOT NULL, to_regclass('warroom.events') IS NOT"
                                  " NULL, to_regclass('warroom.evidence') IS NOT NULL, to_regclass('warroom.meta') IS"
                                  " NOT NULL", 0, NULL);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
        return pg_failed(r, res, err, "looking at the target"), err->status;
    int ns = *PQgetvalue(res, 0, 0) == 't', tables = *PQgetvalue(res, 0, 1) == 't' &&
                                                   *PQgetvalue(res, 0, 2) == 't' && *PQgetvalue(res, 0, 3) == 't';
    PQclear(res);
    *fresh = !ns;
    if (!ns)
        return WR_OK;
    if (!tables)
        return wr_error_set(err, WR_E_CONFLICT, "%.300s has a schema named warroom that is not a war room: nothing "
                            "was changed; migrate into an empty database", r->target);
    res = wr_pg_exec(r, "SELECT (SELECT count(*) FROM warroom.events), (SELECT count(*) FROM warroom.evidence),"
                        " (SELECT value FROM warroom.meta WHERE key = 'schema_version')", 0, NULL);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
        return pg_failed(r, res, err, "looking at the target"), err->status;
    long long events = atoll(PQgetvalue(res, 0, 0)), evidence = atoll(PQgetvalue(res, 0, 1));
    int version = PQgetisnull(res, 0, 2) ? 0 : atoi(PQgetvalue(res, 0, 2));
    PQclear(res);
    if (events || evidence)
        return wr_error_set(err, WR_E_CONFLICT, "%.300s already holds a war room (%lld events): nothing was "
                            "changed; migrate copies into an empty database only", r->target, events);
    if (version != WR_SCHEMA_VERSION)
        return wr_error_set(err, WR_E_CONFLICT, "%.300s holds an empty war room of schema version %d (this warroom "
                            "writes %d): nothing was changed; migrate into an empty database", r->target, version,
                            WR_SCHEMA_VERSION);
    return WR_OK;
}

static wr_status read_log(wr_store *src, int64_t upto, sink *k, wr_error *err)
{
    return src->remote ? read_server(src->remote, upto, k, err) : read_sqlite(src, upto, k, err);
}

/* Into an empty PostgreSQL database: everything in one server transaction, committed only when the check
 * passes. */
static wr_status to_server(wr_store *src, const char *target, int wait_ms, wr_migrate_result *out, wr_error *err)
{
    if (wr_pg_has_password(target))
        return wr_error_set(err, WR_E_INVALID, "the target holds a password: everyone on this host can read a "
                            "command line. Put it in ~/.pgpass (or $PGPASSFILE, or a service file) and leave it out "
                            "here");
    struct wr_remote *r = wr_xcalloc(1, sizeof *r);
    r->target = wr_xstrdup(target);
    wr_store *tmp = NULL;
    char *tpath = NULL;
    int timeout = wait_ms >= 2000 ? (wait_ms > 30000 ? 10 : wait_ms / 3000 + 2) : 2;
    wr_status s = wr_pg_connect(r, timeout, err);
    if (s != WR_OK)
        goto done;
    char lock[64];
    snprintf(lock, sizeof lock, "SET LOCAL lock_timeout = %d", wait_ms > 0 ? wait_ms : 1);
    if (!command_ok(wr_pg_exec(r, "BEGIN", 0, NULL)) || !command_ok(wr_pg_exec(r, lock, 0, NULL)) ||
        !command_ok(wr_pg_exec(r, "SELECT pg_advisory_xact_lock(" WR_PG_LOCK_KEY ")", 0, NULL))) {
        s = wr_error_set(err, WR_E_BUSY, "cannot take the war room's append lock on %.300s: %s", target,
                         r->last_error[0] ? r->last_error : PQerrorMessage(r->conn));
        goto done;
    }
    int fresh = 0;
    if ((s = target_empty(r, &fresh, err)) != WR_OK)
        goto done;
    if (fresh) {
        /* The schema as `init` makes it, with a log id of its own. */
        PGresult *res = PQexec(r->conn, wr_pg_schema);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            pg_failed(r, res, err, "creating the war room's schema");
            s = err->status;
            goto done;
        }
        PQclear(res);
        char id[33], ver[16];
        wr_uid_new(id);
        snprintf(ver, sizeof ver, "%d", WR_SCHEMA_VERSION);
        const char *p[] = {ver, id};
        res = wr_pg_exec(r, "INSERT INTO warroom.meta(key, value) VALUES ('schema_version', $1), ('log_id', $2)", 2,
                         p);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            pg_failed(r, res, err, "creating the war room's schema");
            s = err->status;
            goto done;
        }
        PQclear(res);
    }
    sink k = {server_event, server_flush, server_blob, NULL, r, err, 0, 0, NULL, 0};
    s = read_log(src, out->upto, &k, err);
    drop_held(&k); /* rows not sent when the copy stopped early */
    if (s != WR_OK)
        goto done;
    /* A fresh cache filled from the server's rows (this transaction sees them) as every host fills its own. */
    if ((s = temp_store(src->model, &tmp, &tpath, err)) != WR_OK)
        goto done;
    tmp->remote = r;
    s = wr_pg_sync(tmp, 0, NULL, err);
    tmp->remote = NULL;
    if (s == WR_OK)
        s = check_copy(src, tmp, &k, out, err);
    if (s == WR_OK && out->matches) {
        PGresult *res = wr_pg_exec(r, "COMMIT", 0, NULL);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            out->matches = 0;
            pg_failed(r, res, err, "committing the copy");
            s = err->status;
        } else {
            PQclear(res);
        }
    }
done:
    if (wr_pg_up(r) && PQtransactionStatus(r->conn) != PQTRANS_IDLE)
        PQclear(wr_pg_exec(r, "ROLLBACK", 0, NULL));
    if (tmp)
        wr_store_log_snapshot_drop(tmp, tpath);
    wr_remote_close(r);
    return s;
}

#else

static wr_status read_log(wr_store *src, int64_t upto, sink *k, wr_error *err)
{
    return read_sqlite(src, upto, k, err);
}

#endif

/* ---- into a new SQLite file ---- */

static wr_status to_file(wr_store *src, const char *path, int wait_ms, wr_migrate_result *out, wr_error *err)
{
    /* Made here, exclusively: an existing file is never written to. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
    if (fd < 0) {
        int e = errno;
        if (e == EEXIST)
            return wr_error_set(err, WR_E_CONFLICT, "%s already exists: nothing was changed (migrate --to PATH makes "
                                "a new file)", path);
        return wr_error_set(err, e == ENOENT ? WR_E_MISSING : e == ENOSPC ? WR_E_FULL
                                 : e == EACCES || e == EPERM || e == EROFS ? WR_E_READONLY : WR_E_IO,
                            "cannot create %s: %s", path, strerror(e));
    }
    close(fd);
    wr_store *dst = wr_store_open_model(path, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, wait_ms, src->model, err);
    wr_status s = dst ? WR_OK : err->status;
    sink k = {sqlite_event, no_flush, sqlite_blob, dst, NULL, err, 0, 0, NULL, 0};
    if (s == WR_OK) {
        dst->deadline = wr_clock_mono_ms() + (wait_ms > 0 ? wait_ms : 1000);
        int rc = wr_st_exec(dst, "BEGIN IMMEDIATE");
        s = rc == SQLITE_OK ? read_log(src, out->upto, &k, err) : wr_st_error(dst, rc, err, "writing the copy");
        if (s == WR_OK && (rc = wr_st_exec(dst, "COMMIT")) != SQLITE_OK)
            s = wr_st_error(dst, rc, err, "writing the copy");
        if (s != WR_OK)
            wr_st_rollback(dst);
    }
    if (s == WR_OK)
        s = wr_store_rebuild(dst, err);
    if (s == WR_OK)
        s = check_copy(src, dst, &k, out, err);
    wr_store_close(dst);
    if (s != WR_OK || !out->matches)
        remove_db(path, 0); /* a copy that is not checked whole is not left behind */
    return s;
}

wr_status wr_migrate(wr_store *src, const char *target, int wait_ms, wr_migrate_result *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!target || !*target)
        return wr_error_set(err, WR_E_INVALID, "migrate needs a target: --to PATH or --to postgresql://...");
    if (strcmp(target, wr_store_name(src)) == 0 || strcmp(target, wr_store_path(src)) == 0)
        return wr_error_set(err, WR_E_INVALID, "the target is the war room itself: nothing was changed");
    int remote = wr_store_target_is_remote(target);
#ifndef WARROOM_POSTGRES
    if (remote)
        return wr_error_set(err, WR_E_INVALID, "this warroom was built without PostgreSQL support "
                            "(-DWARROOM_POSTGRES=OFF): it can copy a war room into a new file only");
#else
    if (src->remote && !wr_pg_up(src->remote) && wr_store_reconnect(src, err) != WR_OK)
        return err->status;
#endif
    /* One consistent picture of the source: its log up to its newest event and the state derived from it, held
     * by a read transaction (the source's writers wait meanwhile). */
    wr_st_read_begin(src);
    int rc = wr_st_exec(src, "BEGIN");
    if (rc == SQLITE_OK)
        rc = wr_st_query_int(src, "SELECT coalesce(max(seq), 0) FROM events", &out->upto);
    if (rc != SQLITE_OK) {
        wr_status s = wr_st_read_error(src, rc, err, "reading the war room to copy");
        wr_st_rollback(src);
        return s;
    }
    wr_status s;
#ifdef WARROOM_POSTGRES
    s = remote ? to_server(src, target, wait_ms, out, err) : to_file(src, target, wait_ms, out, err);
#else
    s = to_file(src, target, wait_ms, out, err);
#endif
    wr_st_exec(src, "COMMIT");
    return s;
}

/* ---- verify on a PostgreSQL war room ---- */

wr_status wr_store_log_snapshot(wr_store *st, wr_store **snap, char **path, wr_error *err)
{
    *snap = NULL;
    *path = NULL;
#ifndef WARROOM_POSTGRES
    (void)st;
    return wr_error_set(err, WR_E_INVALID, "this warroom was built without PostgreSQL support");
#else
    if (!st->remote)
        return wr_error_set(err, WR_E_INVALID, "%s is not a war room on a PostgreSQL server", wr_store_name(st));
    if (!wr_pg_up(st->remote) && wr_store_reconnect(st, err) != WR_OK)
        return wr_error_set(err, WR_E_IO, "cannot check the server's log: %s", err->msg);
    wr_status s = temp_store(st->model, snap, path, err);
    if (s != WR_OK)
        return s;
    sink k = {sqlite_event, no_flush, sqlite_blob, *snap, NULL, err, 0, 0, NULL, 0};
    (*snap)->deadline = wr_clock_mono_ms() + 15000;
    int rc = wr_st_exec(*snap, "BEGIN IMMEDIATE");
    s = rc == SQLITE_OK ? read_server(st->remote, INT64_MAX, &k, err)
                        : wr_st_error(*snap, rc, err, "copying the server's log");
    if (s == WR_OK && (rc = wr_st_exec(*snap, "COMMIT")) != SQLITE_OK)
        s = wr_st_error(*snap, rc, err, "copying the server's log");
    if (s != WR_OK) {
        wr_st_rollback(*snap);
        wr_store_log_snapshot_drop(*snap, *path);
        *snap = NULL;
        *path = NULL;
    }
    return s;
#endif
}
