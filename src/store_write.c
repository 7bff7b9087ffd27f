/* SPDX-License-Identifier: MIT */
/* store_write.c - writing: the prepared event, the retried BEGIN IMMEDIATE transaction that records it (its
 * insert, its kind's apply, its seal), other short writes, and rebuilding the state from the log. */
#include "store_int.h"

#include "warroom/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

void wr_write_init(wr_write *w, const wr_actor *actor, const char *source, int64_t incident, const char *kind,
                   char *payload)
{
    memset(w, 0, sizeof *w);
    wr_uid_new(w->uid);
    w->incident = incident;
    w->actor = wr_xstrdup(actor->name);
    w->os_user = wr_xstrdup(actor->os_user);
    w->origin = wr_xstrdup(actor->origin);
    w->source = wr_xstrdup(source);
    w->kind = wr_xstrdup(kind);
    w->payload = payload;
}

void wr_write_clear(wr_write *w)
{
    free(w->actor);
    free(w->os_user);
    free(w->origin);
    free(w->source);
    free(w->kind);
    free(w->payload);
    free(w->describe);
    free(w->blob);
    memset(w, 0, sizeof *w);
}

void wr_st_rollback(wr_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        wr_st_exec(st, "ROLLBACK");
}

/* Inside a write transaction: record w (unless its uid is already in the log: then report the first result),
 * run its kind's apply, seal it. SQLITE_OK with *status set (WR_OK, or the apply's refusal: the caller rolls
 * back), or the SQLite error code that stopped it. */
int wr_st_append_body(wr_store *st, wr_write *w, wr_status *status, wr_error *err)
{
    /* A retry of an event that was already recorded: report its first result. */
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT seq, incident FROM events WHERE uid = ?1");
    sqlite3_bind_text(s, 1, w->uid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        w->seq = sqlite3_column_int64(s, 0);
        w->result_id = sqlite3_column_int64(s, 1);
        w->duplicate = 1;
        sqlite3_reset(s);
        *status = WR_OK;
        return SQLITE_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sqlite3_errcode(st->db);

    int64_t now = wr_clock_now_ms();
    int64_t occurred = w->occurred_at ? w->occurred_at : now;
    s = wr_st_stmt(st, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin,"
                       " source, kind, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                       " ON CONFLICT(uid) DO NOTHING");
    sqlite3_bind_text(s, 1, w->uid, -1, SQLITE_STATIC);
    if (w->incident)
        sqlite3_bind_int64(s, 2, w->incident);
    sqlite3_bind_int64(s, 3, occurred);
    sqlite3_bind_int64(s, 4, now);
    wr_st_bind_text(s, 5, w->actor);
    wr_st_bind_text(s, 6, w->os_user);
    wr_st_bind_text(s, 7, w->origin);
    wr_st_bind_text(s, 8, w->source);
    wr_st_bind_text(s, 9, w->kind);
    wr_st_bind_text(s, 10, w->payload);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sqlite3_errcode(st->db);
    int64_t seq = sqlite3_last_insert_rowid(st->db);

    char *before = wr_xstrdup(w->payload);
    int64_t before_inc = w->incident;
    wr_status ast = wr_st_apply_event(st, w, seq, occurred, err);
    if (ast != WR_OK) {
        free(before);
        *status = ast;
        return SQLITE_OK;
    }
    if (strcmp(before, w->payload) != 0 || before_inc != w->incident) {
        s = wr_st_stmt(st, "UPDATE events SET payload = ?1, incident = ?2 WHERE seq = ?3");
        wr_st_bind_text(s, 1, w->payload);
        if (w->incident)
            sqlite3_bind_int64(s, 2, w->incident);
        else
            sqlite3_bind_null(s, 2);
        sqlite3_bind_int64(s, 3, seq);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
    }
    free(before);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return sqlite3_errcode(st->db);
    /* Seal it (and what its apply inserted) last: the payload and incident are final now. */
    rc = wr_st_chain_seal(st, seq);
    if (rc != SQLITE_OK)
        return rc;
    w->seq = seq;
    w->duplicate = 0;
    *status = WR_OK;
    return SQLITE_OK;
}

/* One attempt. Returns SQLITE_BUSY for "try again", or SQLITE_OK with *status set. */
static int append_once(wr_store *st, wr_write *w, wr_status *status, wr_error *err)
{
    int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            return SQLITE_BUSY;
        *status = wr_st_error(st, rc, err, "starting a write");
        return SQLITE_OK;
    }
    rc = wr_st_append_body(st, w, status, err);
    if (rc == SQLITE_OK && (*status != WR_OK || w->duplicate)) {
        wr_st_rollback(st);
        return SQLITE_OK;
    }
    if (rc == SQLITE_OK) {
        rc = wr_st_exec(st, "COMMIT");
        while (rc == SQLITE_BUSY && wr_clock_mono_ms() < st->deadline) {
            /* Readers still hold shared locks: the busy handler has waited; keep the transaction and retry. */
            rc = wr_st_exec(st, "COMMIT");
        }
        if (rc == SQLITE_OK)
            return SQLITE_OK;
        if (rc == SQLITE_BUSY) {
            wr_st_rollback(st);
            w->seq = 0;
            return SQLITE_BUSY;
        }
    }
    rc = sqlite3_errcode(st->db);
    wr_st_rollback(st);
    w->seq = 0;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return SQLITE_BUSY;
    *status = wr_st_error(st, rc, err, "recording the change");
    return SQLITE_OK;
}

wr_status wr_store_append(wr_store *st, wr_write *w, int wait_ms, wr_error *err)
{
    if (st->readonly)
        return wr_error_set(err, st->unsafe_fs ? WR_E_UNSAFE : WR_E_READONLY, "nothing was written: %s",
                            st->readonly_reason);
    int64_t start = wr_clock_mono_ms();
    st->deadline = start + (wait_ms > 0 ? wait_ms : 0);
    /* The payload must be a JSON object: everything that reads the log relies on it. */
    sqlite3_stmt *v = wr_st_stmt(st, "SELECT json_valid(?1) AND json_type(?1) = 'object'");
    wr_st_bind_text(v, 1, w->payload);
    int valid = sqlite3_step(v) == SQLITE_ROW && sqlite3_column_int(v, 0) == 1;
    sqlite3_reset(v);
    if (!valid)
        return wr_error_set(err, WR_E_INVALID, "internal error: event payload is not a JSON object");
    if (st->remote)
        return wr_remote_append(st, w, wait_ms, err);
    for (int attempt = 0;; attempt++) {
        wr_status status = WR_OK;
        int rc = append_once(st, w, &status, err);
        if (rc == SQLITE_OK)
            return status;
        int64_t now = wr_clock_mono_ms();
        if (now >= st->deadline) {
            return wr_error_set(err, WR_E_BUSY,
                                "the database is busy: other operators' writes kept %s occupied for %.1f s; "
                                "your change (%s) is not written yet and retrying it is safe",
                                st->path, (double)(now - start) / 1000.0, w->describe ? w->describe : w->kind);
        }
        int64_t nap = wr_st_backoff_ms(st, attempt + 2);
        wr_st_sleep_ms(nap < st->deadline - now ? nap : st->deadline - now);
    }
}

wr_status wr_st_write(wr_store *st, int wait_ms, int (*body)(wr_store *st, void *ctx), void *ctx, wr_error *err,
                      const char *doing)
{
    if (st->readonly)
        return wr_error_set(err, st->unsafe_fs ? WR_E_UNSAFE : WR_E_READONLY, "nothing was written: %s",
                            st->readonly_reason);
    int64_t start = wr_clock_mono_ms();
    st->deadline = start + (wait_ms > 0 ? wait_ms : 0);
    for (int attempt = 0;; attempt++) {
        int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
        if (rc == SQLITE_OK) {
            rc = body(st, ctx);
            if (rc == SQLITE_OK || rc == SQLITE_DONE) {
                rc = wr_st_exec(st, "COMMIT");
                while (rc == SQLITE_BUSY && wr_clock_mono_ms() < st->deadline)
                    rc = wr_st_exec(st, "COMMIT");
            }
            if (rc != SQLITE_OK)
                wr_st_rollback(st);
        }
        if (rc == SQLITE_OK)
            return WR_OK;
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            return wr_st_error(st, rc, err, doing);
        int64_t now = wr_clock_mono_ms();
        if (now >= st->deadline)
            return wr_st_error(st, SQLITE_BUSY, err, doing);
        int64_t nap = wr_st_backoff_ms(st, attempt + 2);
        wr_st_sleep_ms(nap < st->deadline - now ? nap : st->deadline - now);
    }
}

/* ---- rebuild ---- */

wr_status wr_st_replay(wr_store *st, int64_t after, wr_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT seq, coalesce(incident, 0), occurred_at, kind, payload, actor, uid,"
                                        " os_user, origin, source FROM events WHERE seq > ?1 ORDER BY seq",
                                -1, &s, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(s, 1, after);
    wr_status status = WR_OK;
    st->rebuilding = 1;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        wr_write w = {0};
        w.seq = sqlite3_column_int64(s, 0);
        w.incident = sqlite3_column_int64(s, 1);
        w.kind = wr_st_col_text(s, 3);
        w.payload = wr_st_col_text(s, 4);
        w.actor = wr_st_col_text(s, 5);
        snprintf(w.uid, sizeof w.uid, "%s", (const char *)sqlite3_column_text(s, 6));
        w.os_user = wr_st_col_text(s, 7);
        w.origin = wr_st_col_text(s, 8);
        w.source = wr_st_col_text(s, 9);
        status = wr_st_apply_event(st, &w, w.seq, sqlite3_column_int64(s, 2), err);
        wr_write_clear(&w);
        if (status != WR_OK)
            break;
        rc = SQLITE_OK;
    }
    st->rebuilding = 0;
    sqlite3_finalize(s);
    if (status == WR_OK && rc != SQLITE_DONE)
        status = wr_st_error(st, rc, err, "replaying the event log");
    return status;
}

wr_status wr_store_rebuild(wr_store *st, wr_error *err)
{
    if (st->readonly)
        return wr_error_set(err, WR_E_READONLY, "cannot rebuild: %s", st->readonly_reason);
    st->deadline = wr_clock_mono_ms() + 30000;
    int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "starting the rebuild");
    int64_t before_max = 0;
    wr_st_query_int(st, "SELECT coalesce(max(seq), 0) FROM events", &before_max);
    wr_st_model_reset(st);
    wr_status status = wr_st_replay(st, 0, err);
    /* Only what the replay itself inserted (an event a kind derives, gone from the log) is sealed: a row
     * put in the log by hand stays unsealed, for verify to find. */
    if (status == WR_OK && (rc = wr_st_chain_seal(st, before_max + 1)) != SQLITE_OK)
        status = wr_st_error(st, rc, err, "sealing the rebuilt events");
    if (status == WR_OK) {
        rc = wr_st_exec(st, "COMMIT");
        if (rc != SQLITE_OK)
            status = wr_st_error(st, rc, err, "committing the rebuild");
    }
    if (status != WR_OK)
        wr_st_rollback(st);
    return status;
}
