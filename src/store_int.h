/* SPDX-License-Identifier: MIT */
/* store_int.h - the store layer's SQLite details: private to the store (store*.c, schema.c) and to the domain
 * modules that keep tables in it (their event kinds' check and apply, their reads). Front ends never see it.
 * It declares nothing of a domain module: those contracts are in kinds_int.h. */
#ifndef WARROOM_STORE_INT_H
#define WARROOM_STORE_INT_H

#include <sqlite3.h>

#include "warroom/store.h"
#include "warroom/util.h"

struct wr_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int unsafe_fs; /* read-only because the filesystem's locks cannot be trusted (WR_E_UNSAFE on writes) */
    char readonly_reason[1024];
    wr_buf warnings;
    const wr_store_model *model; /* the event kinds and schema it was opened with */
    int rebuilding;   /* replaying the log (wr_store_rebuild): the policy is not checked again */
    int64_t deadline; /* monotonic ms until which the busy handler keeps waiting */
    int read_wait_ms; /* how long opening, and each read, waits for other processes' locks */
    unsigned long long file_dev, file_ino; /* the file opened (wr_store_same_file) */
    int64_t data_version;
    unsigned rng;
    struct wr_stmt_slot {
        const char *sql; /* identity: callers pass string literals */
        sqlite3_stmt *stmt;
    } *cache;            /* grows; statements are never evicted (one per distinct SQL text) */
    size_t ncache;
    struct wr_remote *remote; /* a PostgreSQL log this store is the local cache of (store_pg.c), or NULL */
};

/* A cached prepared statement for a string-literal SQL text, reset and unbound; NULL when it cannot be
 * prepared (SQLite's calls on a NULL statement return SQLITE_MISUSE, so callers just see an error). */
sqlite3_stmt *wr_st_stmt(wr_store *st, const char *sql);
/* Map an SQLite result code to a status with a human message (never "database is locked"). */
wr_status wr_st_error(wr_store *st, int rc, wr_error *err, const char *doing);
/* wr_st_error for the connection's last error (a statement that just failed). */
wr_status wr_st_fail(wr_store *st, wr_error *err, const char *doing);
/* Steps a write (or a one-row read whose row is not needed) and resets it: SQLITE_OK, or the error code. */
int wr_st_step(sqlite3_stmt *s);
/* The same for a read that failed: damage (a broken page, a payload that is no longer JSON) says so and what
 * to do (store_read.c). */
wr_status wr_st_read_error(wr_store *st, int rc, wr_error *err, const char *doing);
/* Count what SQLite logs (damage, I/O errors) from now on (store_read.c; also done at program start). */
void wr_st_log_init(void);
/* Let the reads that follow wait for other processes' locks until the store's read deadline (from now). */
void wr_st_read_begin(wr_store *st);
/* Bind helpers (text may be NULL -> NULL). */
void wr_st_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Copy of column i as a malloc'd string ("" for NULL). */
char *wr_st_col_text(sqlite3_stmt *s, int i);
/* json_extract(payload, path) as a malloc'd string, or NULL if absent. */
char *wr_st_json_get(wr_store *st, const char *json, const char *path);
int64_t wr_st_json_int(wr_store *st, const char *json, const char *path, int64_t dflt);

/* Small shared helpers (store.c): a sleep, the jittered back-off step, one SQL text run or read. */
void wr_st_sleep_ms(int64_t ms);
int64_t wr_st_backoff_ms(wr_store *st, int attempt);
int wr_st_exec(wr_store *st, const char *sql);
int wr_st_query_int(wr_store *st, const char *sql, int64_t *out);
void wr_st_rollback(wr_store *st);
/* Inside a write transaction: record w (a uid already in the log reports its first result: w->duplicate),
 * run its kind's apply and seal it (store_write.c). SQLITE_OK with *status set (a refusal: roll back), or the
 * SQLite error code that stopped it. */
int wr_st_append_body(wr_store *st, wr_write *w, wr_status *status, wr_error *err);
/* Apply the log's events after seq `after` to the state, in order, inside the caller's write transaction, as
 * a rebuild does (the policy is not checked again: each event was allowed when it was written). Used by
 * wr_store_rebuild (after 0, the state emptied first) and by a PostgreSQL cache catching up (store_write.c). */
wr_status wr_st_replay(wr_store *st, int64_t after, wr_error *err);

/* ---- a PostgreSQL log (store_pg.c; docs/store.md "PostgreSQL") ----
 * The store is then this host's SQLite cache of the derived state, brought up to date from the server's log.
 * Without PostgreSQL support compiled in, opening one says so. */
wr_store *wr_remote_open(const char *target, unsigned flags, int wait_ms, const wr_store_model *model,
                         wr_error *err);
void wr_remote_close(struct wr_remote *r);
wr_status wr_remote_append(wr_store *st, wr_write *w, int wait_ms, wr_error *err);
int wr_remote_changed(wr_store *st);
/* 1 when another connection to the SQLite file committed since the last call (PRAGMA data_version), 0 if not,
 * -1 on error (store_read.c). */
int wr_st_data_version_changed(wr_store *st);

/* Run body inside one short BEGIN IMMEDIATE transaction, retried with jittered back-off for up to wait_ms
 * while other writers hold the lock. body returns an SQLite result code (SQLITE_OK to commit). */
wr_status wr_st_write(wr_store *st, int wait_ms, int (*body)(wr_store *st, void *ctx), void *ctx, wr_error *err,
                      const char *doing);

/* Set one member of w->payload (json_set), e.g. to record the value an event replaced (store_event.c). */
void wr_st_payload_set(wr_store *st, wr_write *w, const char *path, const char *value);
/* A kind's check: WR_OK when the payload has each member of the NULL-terminated list (JSON paths "$.role"),
 * else WR_E_INVALID naming the first one missing (store_event.c). */
wr_status wr_st_require(wr_store *st, const wr_write *w, const char *const *members, wr_error *err);
/* Run the kind's check and apply for w (inserted as seq), through the model (store_event.c). */
wr_status wr_st_apply_event(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
/* Empty every module's current-state tables (for rebuild). */
void wr_st_model_reset(wr_store *st);

/* The event log's schema and the incident core's tables (schema.c); the migrations are assembled with the
 * modules' parts in src/model.c. */
extern const char wr_schema_core_v1[];
/* 2 -> 3: the chain's columns (schema.c); existing events are chained when it runs. */
extern const char wr_schema_chain_v3[];
/* Seal every event from seq from_seq on that has no hash yet, oldest first, each chained to the newest sealed
 * event of its incident (store_chain.c). Inside a write transaction. An SQLite result code. */
int wr_st_chain_seal(wr_store *st, int64_t from_seq);
/* 3 -> 4: the evidence table (schema.c): bytes recorded with an event, keyed by its seq. */
extern const char wr_schema_evidence_v4[];
/* Evidence bytes (store_evidence.c): w->blob is what its payload names (WR_OK, or WR_E_INVALID); insert it
 * for event seq inside the write (SQLITE_DONE, or the error code; wr_st_apply_event does both after the
 * kind's apply); the checks verify adds for the entries of
 * one incident (or all: < 0), as breaks of fault WR_CHAIN_EVIDENCE appended to out. */
wr_status wr_st_evidence_check(wr_store *st, const wr_write *w, wr_error *err);
int wr_st_evidence_insert(wr_store *st, const wr_write *w, int64_t seq);
wr_status wr_st_evidence_verify(wr_store *st, int64_t incident, wr_chain_report *out, wr_error *err);

#endif
