/* SPDX-License-Identifier: MIT */
/* migrate.h - moving a war room between back ends (docs/store.md "Moving a war room"): the event log copied
 * as it is (every event in order with its seq, uid and hashes, and its evidence bytes), the state derived from
 * the copy compared table by table with the source's, and the copy's chain verified.
 *
 *   SQLite (or PostgreSQL) -> an empty PostgreSQL database: one server transaction, committed only when the
 *                             state matches and the chain verifies (else rolled back: nothing is left there).
 *   PostgreSQL (or SQLite) -> a new SQLite file: an offline copy; removed again when the check fails.
 *
 * The same raw copy of a server's log into a private temporary SQLite file is what `verify` checks on a
 * PostgreSQL war room (wr_store_chain_verify): the server's rows, not this host's cache of them. */
#ifndef WARROOM_MIGRATE_H
#define WARROOM_MIGRATE_H

#include "warroom/store.h"

typedef struct wr_migrate_result {
    int64_t events;    /* events copied (seq 1..upto as the source has them) */
    int64_t evidence;  /* evidence rows copied */
    int64_t incidents; /* incidents in the state derived from the copy */
    int64_t upto;      /* the newest event copied: the source's state the copy was compared with */
    int matches;       /* 1: every current-state table matched and the chain verified: the copy was kept */
    char table[64];    /* matches == 0 because of the state: the first table that differs */
    char detail[256];  /* what differs (its row, or the chain's first break); raw text: clean it when shown */
    size_t nbreaks;    /* breaks verify found in the copy's chain (the copy is then not kept) */
    int64_t entries, chains; /* what verify walked in the copy */
} wr_migrate_result;

/* Copy the war room open in src to target: a PostgreSQL connection string (an empty database, or one holding
 * only an empty war room made by `init`) or the path of a new SQLite file. WR_OK when the copy was made and
 * checked (out->matches says whether it was kept); WR_E_CONFLICT when the target already holds a war room or
 * the file exists (nothing changed); another status when the copy could not be made (nothing left behind).
 * Writers of the source wait while it is read (a consistent snapshot). */
wr_status wr_migrate(wr_store *src, const char *target, int wait_ms, wr_migrate_result *out, wr_error *err);

/* Compare the current-state tables of the model (each module's, as its reset empties them) of two stores,
 * rows in a canonical order (every column, ascending). WR_OK with table[0] == '\0' when they are the same, or
 * the first table that differs in table and what differs in detail. */
wr_status wr_store_state_compare(wr_store *a, wr_store *b, char table[64], char *detail, size_t dsize,
                                 wr_error *err);

/* For a PostgreSQL store: the server's events and evidence copied as they are (no state derived, nothing
 * checked) into a new SQLite file in a private temporary directory. *snap to read it, *path to remove it with
 * wr_store_log_snapshot_drop. WR_E_IO when the server cannot be reached; WR_E_INVALID for a file store. */
wr_status wr_store_log_snapshot(wr_store *st, wr_store **snap, char **path, wr_error *err);
/* Close snap and remove its file and temporary directory; frees path. */
void wr_store_log_snapshot_drop(wr_store *snap, char *path);

#endif
