/* SPDX-License-Identifier: MIT */
/* store_pg_log.c - the PostgreSQL log and this host's cache of it: bringing the cache up to date (every event
 * applied through the same check and apply as a rebuild), appending (the server's append lock, then the
 * event's kind run in the cache, then its rows copied to the server in the same server transaction), and the
 * change feed (LISTEN/NOTIFY). docs/store.md "PostgreSQL". */
#include "store_int.h"

#ifdef WARROOM_POSTGRES

#include "store_pg_int.h"

#include "warroom/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENT_COLS "seq, uid, incident, occurred_at, recorded_at, actor, os_user, origin, source, kind, payload," \
                   " prev_hash, hash"

/* ---- bringing the cache up to date ---- */

static int64_t cache_max(wr_store *st)
{
    int64_t v = 0;
    if (wr_st_query_int(st, "SELECT coalesce(max(seq), 0) FROM events", &v) != SQLITE_OK)
        return -1;
    return v;
}

/* The cache's newest event is the server's event of that seq (1), or the two logs parted (0: the database
 * was made again or restored from an older backup), or the server could not be asked (-1). */
static int same_history(wr_store *st, int64_t last)
{
    if (last == 0)
        return 1;
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT uid FROM events WHERE seq = ?1");
    sqlite3_bind_int64(s, 1, last);
    char *mine = sqlite3_step(s) == SQLITE_ROW ? wr_st_col_text(s, 0) : NULL;
    sqlite3_reset(s);
    char a[24];
    snprintf(a, sizeof a, "%" PRId64, last);
    const char *p[] = {a};
    PGresult *res = wr_pg_exec(st->remote, "SELECT uid FROM warroom.events WHERE seq = $1", 1, p);
    int out;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* A read that failed on a connection that looks up (the server shutting down, in recovery): start the
         * connection again, so that the caller's retry reconnects and says why if it cannot. */
        char why[512];
        wr_pg_message(st->remote, res, why, sizeof why);
        wr_pg_drop(st->remote, why);
        out = -1;
    } else
        out = mine && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), mine) == 0;
    PQclear(res);
    free(mine);
    return out;
}

static const char *val(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Copy the server's events after seq `after` and their evidence into the cache's log, as they are. */
static wr_status copy_rows(wr_store *st, int64_t after, int64_t *n, wr_error *err)
{
    struct wr_remote *r = st->remote;
    char a[24], why[512];
    snprintf(a, sizeof a, "%" PRId64, after);
    const char *p[] = {a};
    PGresult *res = wr_pg_exec(r, "SELECT " EVENT_COLS " FROM warroom.events WHERE seq > $1 ORDER BY seq", 1, p);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        wr_pg_message(r, res, why, sizeof why);
        PQclear(res);
        wr_pg_drop(r, why);
        return wr_error_set(err, WR_E_IO, "cannot read the log from %.300s: %s", r->target, why);
    }
    int rows = PQntuples(res);
    sqlite3_stmt *s = wr_st_stmt(st, "INSERT INTO events(" EVENT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                                     " ?10, ?11, ?12, ?13)");
    for (int i = 0; i < rows; i++) {
        for (int c = 0; c < 13; c++) {
            const char *v = val(res, i, c);
            if (!v)
                sqlite3_bind_null(s, c + 1);
            else if (c == 0 || c == 2 || c == 3 || c == 4)
                sqlite3_bind_int64(s, c + 1, strtoll(v, NULL, 10));
            else
                sqlite3_bind_text(s, c + 1, v, PQgetlength(res, i, c), SQLITE_TRANSIENT);
        }
        int rc = wr_st_step(s);
        if (rc != SQLITE_OK) {
            PQclear(res);
            return wr_st_error(st, rc, err, "copying the log into this host's copy");
        }
    }
    PQclear(res);
    *n = rows;
    if (!rows)
        return WR_OK;
    res = wr_pg_exec(r, "SELECT seq, bytes FROM warroom.evidence WHERE seq > $1 ORDER BY seq", 1, p);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        wr_pg_message(r, res, why, sizeof why);
        PQclear(res);
        wr_pg_drop(r, why);
        return wr_error_set(err, WR_E_IO, "cannot read the evidence from %.300s: %s", r->target, why);
    }
    s = wr_st_stmt(st, "INSERT INTO evidence(seq, bytes) VALUES (?1, ?2)");
    for (int i = 0; i < PQntuples(res); i++) {
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(res, i, 1), &len);
        sqlite3_bind_int64(s, 1, strtoll(PQgetvalue(res, i, 0), NULL, 10));
        sqlite3_bind_blob64(s, 2, bytes ? (const void *)bytes : "", len, SQLITE_TRANSIENT);
        PQfreemem(bytes);
        int rc = wr_st_step(s);
        if (rc != SQLITE_OK) {
            PQclear(res);
            return wr_st_error(st, rc, err, "copying the evidence into this host's copy");
        }
    }
    PQclear(res);
    return WR_OK;
}

static wr_status sync_in_txn(wr_store *st, int64_t *applied, wr_error *err)
{
    int64_t last = cache_max(st);
    if (last < 0)
        return wr_st_fail(st, err, "reading this host's copy of the war room");
    int same = same_history(st, last);
    if (same < 0)
        return wr_error_set(err, WR_E_IO, "lost the PostgreSQL server of %.300s: %s", st->remote->target,
                            st->remote->last_error);
    if (!same) {
        /* The server's log is not the one this copy was made from: start the copy again. */
        wr_st_model_reset(st);
        int rc = wr_st_exec(st, "DELETE FROM evidence; DELETE FROM events; DELETE FROM sqlite_sequence");
        if (rc != SQLITE_OK)
            return wr_st_error(st, rc, err, "starting this host's copy again");
        last = 0;
    }
    int64_t n = 0;
    wr_status s = copy_rows(st, last, &n, err);
    if (s == WR_OK && n)
        s = wr_st_replay(st, last, err);
    if (applied)
        *applied = s == WR_OK ? n : 0;
    return s;
}

wr_status wr_pg_sync(wr_store *st, int in_txn, int64_t *applied, wr_error *err)
{
    if (applied)
        *applied = 0;
    if (!wr_pg_up(st->remote))
        return wr_error_set(err, WR_E_IO, "the PostgreSQL server of %.300s cannot be reached: %s", st->remote->target,
                            st->remote->last_error);
    if (in_txn)
        return sync_in_txn(st, applied, err);
    st->deadline = wr_clock_mono_ms() + (st->read_wait_ms > 0 ? st->read_wait_ms : 1000);
    int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "bringing this host's copy up to date");
    wr_status s = sync_in_txn(st, applied, err);
    if (s == WR_OK) {
        rc = wr_st_exec(st, "COMMIT");
        while (rc == SQLITE_BUSY && wr_clock_mono_ms() < st->deadline)
            rc = wr_st_exec(st, "COMMIT");
        if (rc != SQLITE_OK)
            s = wr_st_error(st, rc, err, "bringing this host's copy up to date");
    }
    if (s != WR_OK) {
        wr_st_rollback(st);
        if (applied)
            *applied = 0;
    } else {
        st->remote->need_sync = 0;
    }
    return s;
}

/* ---- appending ---- */

static int command_ok(PGresult *res)
{
    int ok = res && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
    PQclear(res);
    return ok;
}

static void server_rollback(struct wr_remote *r)
{
    if (wr_pg_up(r) && PQtransactionStatus(r->conn) != PQTRANS_IDLE)
        PQclear(wr_pg_exec(r, "ROLLBACK", 0, NULL));
}

/* Copy the rows the append made in the cache (seq > last) to the server, in the server transaction. */
static wr_status push_rows(wr_store *st, int64_t last, wr_error *err)
{
    struct wr_remote *r = st->remote;
    char why[512];
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " EVENT_COLS " FROM events WHERE seq > ?1 ORDER BY seq");
    sqlite3_bind_int64(s, 1, last);
    int64_t want = last + 1;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char *v[13];
        for (int c = 0; c < 13; c++)
            v[c] = sqlite3_column_type(s, c) == SQLITE_NULL ? NULL : wr_st_col_text(s, c);
        int64_t seq = sqlite3_column_int64(s, 0);
        PGresult *res = seq == want ? wr_pg_exec(r, "INSERT INTO warroom.events(" EVENT_COLS ") VALUES ($1, $2, $3,"
                                                    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                                                 13, (const char *const *)v)
                                    : NULL;
        for (int c = 0; c < 13; c++)
            free(v[c]);
        if (seq != want) {
            sqlite3_reset(s);
            return wr_error_set(err, WR_E_CORRUPT, "this host's copy of the war room does not follow the server's "
                                "log (seq %" PRId64 " where %" PRId64 " was due): nothing was written; run `warroom "
                                "doctor --rebuild`", seq, want);
        }
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            int denied = strcmp(wr_pg_state(res), "42501") == 0;
            wr_pg_message(r, res, why, sizeof why);
            PQclear(res);
            sqlite3_reset(s);
            if (denied)
                return wr_error_set(err, WR_E_READONLY, "nothing was written: the PostgreSQL role of this connection "
                                    "may not add to the war room's log at %.300s (%s; docs/store.md lists the rights "
                                    "an operator needs)", r->target, why);
            wr_pg_drop(r, why); /* retried on a new connection until the deadline, then said */
            return wr_error_set(err, WR_E_IO, "recording the change on %.300s failed: %s", r->target, why);
        }
        PQclear(res);
        want++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return wr_st_fail(st, err, "reading the change to record");
    s = wr_st_stmt(st, "SELECT seq, bytes FROM evidence WHERE seq > ?1 ORDER BY seq");
    sqlite3_bind_int64(s, 1, last);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char seq[24];
        snprintf(seq, sizeof seq, "%lld", (long long)sqlite3_column_int64(s, 0));
        const char *pv[] = {seq, (const char *)sqlite3_column_blob(s, 1)};
        int len[] = {0, sqlite3_column_bytes(s, 1)};
        int fmt[] = {0, 1};
        if (!pv[1])
            pv[1] = "";
        PGresult *res = PQexecParams(r->conn, "INSERT INTO warroom.evidence(seq, bytes) VALUES ($1, $2)", 2, NULL, pv,
                                     len, fmt, 0);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
            wr_pg_message(r, res, why, sizeof why);
            PQclear(res);
            sqlite3_reset(s);
            if (PQstatus(r->conn) != CONNECTION_OK)
                wr_pg_drop(r, why);
            return wr_error_set(err, WR_E_IO, "recording the evidence on %.300s failed: %s", r->target, why);
        }
        PQclear(res);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? WR_OK : wr_st_fail(st, err, "reading the evidence to record");
}

enum { DONE, RETRY };

/* One attempt: DONE with the result in *status, or RETRY (the server is away, or the append lock or this host's
 * copy was busy past the attempt: nothing was written). */
static int append_once(wr_store *st, wr_write *w, int64_t deadline, const char *inflight, wr_status *status,
                       wr_error *err)
{
    struct wr_remote *r = st->remote;
    int64_t left = deadline - wr_clock_mono_ms();
    if (!wr_pg_up(r) && wr_store_reconnect(st, NULL) != WR_OK)
        return RETRY; /* (reconnected: the schema checked, the copy claimed and brought up to date) */
    /* An operator connected as their own login role acts under the name warroom.operators gives it, unless a
     * name was given (--as: the actor is then not the OS user), whichever command or console made the write. */
    if (r->operator_name[0] && w->actor && w->os_user && strcmp(w->actor, w->os_user) == 0) {
        free(w->actor);
        w->actor = wr_xstrdup(r->operator_name);
    }
    /* This host's copy first, then the server's append lock (every writer takes them in this order): a writer
     * waits for the others of its own host outside the lock that all hosts share. */
    st->deadline = deadline;
    int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            return RETRY;
        *status = wr_st_error(st, rc, err, "starting a write");
        return DONE;
    }
    left = deadline - wr_clock_mono_ms();
    char sql[96];
    snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %lld", (long long)(left > 1 ? left : 1));
    if (!command_ok(wr_pg_exec(r, "BEGIN", 0, NULL)) || !command_ok(wr_pg_exec(r, sql, 0, NULL)))
        goto retry;
    PGresult *res = wr_pg_exec(r, "SELECT pg_advisory_xact_lock(" WR_PG_LOCK_KEY ")", 0, NULL);
    if (!command_ok(res))
        goto retry; /* lock_timeout (55P03) or the connection: nothing written */
    /* A retry of an event already recorded (its acknowledgement was lost, or it landed just as the connection
     * went): report its first result. */
    const char *p[] = {w->uid};
    res = wr_pg_exec(r, "SELECT seq, coalesce(incident, 0) FROM warroom.events WHERE uid = $1", 1, p);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        goto retry;
    }
    if (PQntuples(res) == 1) {
        w->seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        w->result_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
        w->duplicate = !inflight || strcmp(inflight, w->uid) != 0;
        PQclear(res);
        server_rollback(r);
        wr_st_rollback(st);
        wr_pg_sync(st, 0, NULL, NULL); /* best effort: the next read catches up anyway */
        *status = WR_OK;
        return DONE;
    }
    PQclear(res);

    wr_status s = wr_pg_sync(st, 1, NULL, err);
    int64_t last = s == WR_OK ? cache_max(st) : -1;
    if (s == WR_OK && last < 0)
        s = wr_st_fail(st, err, "reading this host's copy of the war room");
    /* The next seq is the server's last + 1: AUTOINCREMENT's counter may be past it (an insert that met its
     * uid already there, as a replayed merge's does, still counts). */
    if (s == WR_OK && (rc = wr_st_exec(st, "UPDATE sqlite_sequence SET seq = (SELECT coalesce(max(seq), 0) FROM "
                                           "events) WHERE name = 'events'")) != SQLITE_OK)
        s = wr_st_error(st, rc, err, "preparing this host's copy of the war room");
    if (s == WR_OK) {
        rc = wr_st_append_body(st, w, &s, err);
        if (rc != SQLITE_OK) {
            wr_st_rollback(st);
            server_rollback(r);
            w->seq = 0;
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                return RETRY;
            *status = wr_st_error(st, rc, err, "recording the change");
            return DONE;
        }
        if (s == WR_OK && w->duplicate)
            s = wr_error_set(err, WR_E_CORRUPT, "this host's copy of the war room holds a change the server does "
                             "not: run `warroom doctor --rebuild`");
    }
    if (s == WR_OK)
        s = push_rows(st, last, err);
    if (s == WR_OK) {
        char seq[24];
        snprintf(seq, sizeof seq, "%" PRId64, w->seq);
        const char *np[] = {seq};
        if (!command_ok(wr_pg_exec(r, "SELECT pg_notify('" WR_PG_CHANNEL "', $1)", 1, np)))
            s = wr_error_set(err, WR_E_IO, "lost the server while recording the change");
    }
    if (s != WR_OK) {
        wr_st_rollback(st);
        server_rollback(r);
        w->seq = 0;
        if (s == WR_E_IO && !wr_pg_up(r)) /* the server went in the middle: nothing was written there */
            return RETRY;
        *status = s;
        return DONE;
    }
    res = wr_pg_exec(r, "COMMIT", 0, NULL);
    int committed = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!committed) {
        /* Lost at the commit: whether it landed is not known here. The retry finds out (the uid check above):
         * the same event is never recorded twice. */
        wr_st_rollback(st);
        server_rollback(r);
        w->seq = 0;
        return RETRY;
    }
    /* The server has it: the change is acknowledged. The cache's commit can only make a later read faster. */
    rc = wr_st_exec(st, "COMMIT");
    while (rc == SQLITE_BUSY && wr_clock_mono_ms() < deadline + 1000)
        rc = wr_st_exec(st, "COMMIT");
    if (rc != SQLITE_OK)
        wr_st_rollback(st);
    *status = WR_OK;
    return DONE;

retry:
    server_rollback(r);
    wr_st_rollback(st);
    return RETRY;
}

wr_status wr_remote_append(wr_store *st, wr_write *w, int wait_ms, wr_error *err)
{
    struct wr_remote *r = st->remote;
    int64_t start = wr_clock_mono_ms();
    int64_t deadline = start + (wait_ms > 0 ? wait_ms : 0);
    const char *inflight = NULL; /* set once an attempt reached its commit */
    for (int attempt = 0;; attempt++) {
        wr_status status = WR_OK;
        int was_up = wr_pg_up(r);
        if (append_once(st, w, deadline, inflight, &status, err) == DONE)
            return status;
        if (was_up && !wr_pg_up(r))
            inflight = w->uid; /* it may have landed: a later attempt that finds it there is not a duplicate */
        int64_t now = wr_clock_mono_ms();
        if (now >= deadline) {
            if (inflight)
                return wr_error_set(err, WR_E_IO, "the connection to the PostgreSQL server of %.300s was lost while "
                                    "your change (%s) was being committed, and the server did not answer again in "
                                    "time: it may or may not have been recorded. Look (`warroom tail`) before "
                                    "making it again", r->target, w->describe ? w->describe : w->kind);
            if (!wr_pg_up(r))
                return wr_error_set(err, WR_E_IO, "the PostgreSQL server of %.300s cannot be reached (%s): your "
                                    "change (%s) was not written; retrying it is safe", r->target, r->last_error,
                                    w->describe ? w->describe : w->kind);
            return wr_error_set(err, WR_E_BUSY, "the database is busy: other operators' writes kept the war room "
                                "at %.300s occupied for %.1f s; your change (%s) is not written yet and retrying it "
                                "is safe", r->target, (double)(now - start) / 1000.0,
                                w->describe ? w->describe : w->kind);
        }
        int64_t nap = wr_pg_up(r) ? wr_st_backoff_ms(st, attempt + 2) : 200;
        wr_st_sleep_ms(nap < deadline - now ? nap : deadline - now);
    }
}

/* ---- the change feed ---- */

int wr_remote_changed(wr_store *st)
{
    struct wr_remote *r = st->remote;
    int64_t now = wr_clock_mono_ms();
    int changed = 0;
    if (!wr_pg_up(r)) {
        if (now < r->next_try)
            return -1;
        r->next_try = now + 2000;
        if (wr_store_reconnect(st, NULL) != WR_OK)
            return -1;
        changed = 1;
    }
    if (!PQconsumeInput(r->conn)) {
        wr_pg_drop(r, PQerrorMessage(r->conn));
        r->next_try = now + 1000;
        return -1;
    }
    PGnotify *n;
    while ((n = PQnotifies(r->conn)) != NULL) {
        if (strcmp(n->relname, WR_PG_PRESENCE) == 0)
            r->presence_news = 1;
        else
            r->need_sync = 1;
        PQfreemem(n);
    }
    if (r->need_sync) {
        int64_t applied = 0;
        wr_status s = wr_pg_sync(st, 0, &applied, NULL);
        if (s == WR_E_IO && !wr_pg_up(r))
            return -1;
        changed |= applied > 0;
    }
    int local = wr_st_data_version_changed(st);
    return changed || local == 1 ? 1 : 0;
}

#endif
