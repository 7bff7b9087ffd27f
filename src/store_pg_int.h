/* SPDX-License-Identifier: MIT */
/* store_pg_int.h - the PostgreSQL back end's insides, shared by store_pg.c (connecting, the server's schema,
 * what doctor and presence need) and store_pg_log.c (bringing the cache up to date, appending, the change
 * feed). Private to those two files. */
#ifndef WARROOM_STORE_PG_INT_H
#define WARROOM_STORE_PG_INT_H

#include "store_int.h"

#include <libpq-fe.h>

/* Every append takes this transaction-level advisory lock first: appends are serialised until their commit,
 * so the seq each one takes (the last + 1) is gap-free and in commit order. Advisory locks are per database:
 * two warroom databases on one server do not meet. */
#define WR_PG_LOCK_KEY "1465012045" /* 0x57524f4d, "WROM" */
/* The channel every append notifies (its payload: the newest seq), listened to by consoles and tail -f. */
#define WR_PG_CHANNEL "warroom_events"
/* The channel a console's beat notifies when its session is new or says something new (came, moved to another
 * incident) and a leaving console notifies: who is here is read again then, not at every beat. */
#define WR_PG_PRESENCE "warroom_presence"

struct wr_remote {
    PGconn *conn;         /* NULL or not CONNECTION_OK: disconnected */
    char *target;         /* the connection string as given (never holds a password: refused) */
    char log_id[40];      /* the server log's identity (warroom.meta), as last seen */
    int64_t down_since;   /* monotonic ms of the first failure of the current outage (0: connected) */
    int64_t next_try;     /* monotonic ms before which no reconnect is attempted (change feed) */
    int need_sync;        /* (re)connected or notified: the cache may be behind */
    int presence_news;    /* a session came, moved or left (WR_PG_PRESENCE): read the room again */
    char last_error[512]; /* why the connection was lost, cleaned for display */
    char operator_name[128]; /* warroom.operators' name for this login role ("" if none) */
    PGresult *room;       /* the presence rows the last beat read back (NULL: none) */
    int64_t room_at;      /* monotonic ms when they were read */
};

/* The server's schema as `init` makes it (store_pg.c): SQL text of several statements, for PQexec inside the
 * caller's transaction (also `migrate` into an empty database, store_migrate.c). */
extern const char wr_pg_schema[];

/* Connect (again) to r->target and LISTEN: WR_OK, or WR_E_IO saying why (cleaned of control characters). */
wr_status wr_pg_connect(struct wr_remote *r, int timeout_s, wr_error *err);
/* Forget a broken connection (remember why); later calls reconnect. */
void wr_pg_drop(struct wr_remote *r, const char *why);
/* 1 when r has a working connection. */
int wr_pg_up(const struct wr_remote *r);
/* PQexecParams with text parameters; NULL on a lost connection (then dropped). The caller PQclear()s. */
PGresult *wr_pg_exec(struct wr_remote *r, const char *sql, int n, const char *const *params);
/* 1 when a connection string holds a password (refused: a command line is visible to every user). */
int wr_pg_has_password(const char *target);
/* The SQLSTATE of a failed result ("" if none). */
const char *wr_pg_state(const PGresult *res);
/* The server's message of a failed result or the connection's, one line, control characters replaced. */
void wr_pg_message(struct wr_remote *r, const PGresult *res, char *out, size_t size);

/* Bring the cache up to date from the server's log (store_pg_log.c): its own short local transaction, unless
 * in_txn (the caller holds BEGIN IMMEDIATE on the cache and the append lock on the server). *applied: how
 * many events arrived. WR_OK, WR_E_IO (server gone: the cache is as it was) or another status. */
wr_status wr_pg_sync(wr_store *st, int in_txn, int64_t *applied, wr_error *err);

#endif
