/* SPDX-License-Identifier: MIT */
/* pending.h - writes the console could not record yet, retried without blocking the screen (no curses).
 *
 * The console never waits long for the database lock: a write is tried for a few tens of milliseconds and,
 * if other writers hold the lock (WR_E_BUSY), kept here and retried from the console's timer with growing
 * back-off, in the order the operator made them. The same for every failure that says the database could
 * not be reached or written rather than that the change is wrong (wr_pending_keeps: the file gone or
 * replaced, its mount dropped, the disk full, ...): the write is kept, never dropped, until it lands or the
 * store refuses it for what it is (invalid, not found, a conflict, the phase gate). Retrying a wr_write is
 * safe (the store ignores a uid it has already recorded), so a write lands exactly once however many tries
 * it takes. What is still queued when the console ends is saved to a file (wr_pending_save) that the next
 * start offers to write.
 */
#ifndef WARROOM_PENDING_H
#define WARROOM_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"
#include "warroom/util.h"

typedef struct wr_pending_item {
    wr_write w;
    int attempts;     /* tries that did not land */
    int64_t since;    /* monotonic ms when it was first tried */
    int64_t next_at;  /* monotonic ms of the next try */
    wr_status last;   /* why the last try did not land (WR_E_BUSY, WR_E_IO, ...) */
    char why[1024];   /* its message */
} wr_pending_item;

typedef struct wr_pending {
    wr_pending_item *v; /* oldest first: tried in this order */
    size_t n;
    unsigned rng;       /* jitter state */
} wr_pending;

/* 1 when a write that failed with s is kept to be tried again (the database was busy, gone, replaced,
 * unreachable, full, read-only, damaged or too new for now), 0 when the store refused the change itself
 * (invalid, not found, conflict, phase gate): then the operator is told, and it is not kept. */
int wr_pending_keeps(wr_status s);

/* Called once for each write that landed (s == WR_OK; w->seq, w->result_id set) or was refused for good
 * (err says why). w is cleared after the call. */
typedef void (*wr_pending_cb)(void *ctx, wr_write *w, wr_status s, const wr_error *err);

void wr_pending_init(wr_pending *q, unsigned seed);
void wr_pending_free(wr_pending *q);

/* Take over *w (left zeroed). With nothing queued, try it now (waiting up to wait_ms for the lock); with
 * writes already queued it joins the end of the queue and the queue is run (see wr_pending_run), so writes
 * land in order. Returns WR_E_BUSY when w is queued (whatever kept it: see the item's `last`), else the
 * status cb was given for it. */
wr_status wr_pending_submit(wr_pending *q, wr_store *st, wr_write *w, int64_t now_ms, int wait_ms,
                            wr_pending_cb cb, void *ctx);
/* Retry the queue from the oldest write while they are due (next_at <= now_ms) and land; stops at the first
 * that is kept again (it is rescheduled with back-off) so that order is kept. Returns how many remain. */
size_t wr_pending_run(wr_pending *q, wr_store *st, int64_t now_ms, int wait_ms, wr_pending_cb cb, void *ctx);
/* When the next retry is due (monotonic ms), or -1 with nothing queued. */
int64_t wr_pending_next_at(const wr_pending *q);
/* Make every queued write due now (the database came back). */
void wr_pending_due_now(wr_pending *q, int64_t now_ms);
/* Delay before the next try after `attempts` busy tries: 250 ms doubling to 4 s, plus up to a quarter of
 * jitter drawn from *rng (rng NULL: none). Other kept failures wait twice as long. */
int64_t wr_pending_backoff(int attempts, unsigned *rng);
/* For the status line: "1 pending: note on INC-3", "3 pending: note on INC-3 (+2 more)"; "" if none. */
void wr_pending_summary(const wr_pending *q, wr_buf *out);


/* ---- the files of writes a console keeps (pending_file.c) ---- */

/* Where the console with session id `session` keeps its writes for the database at db_path:
 * $XDG_STATE_HOME/warroom/pending-HASH-SESSION.jsonl, HASH from the database's path as given (made absolute,
 * "//" and "/./" dropped). One file per console, so two consoles of one operator never overwrite each other's.
 * Caller frees. */
char *wr_pending_file(const char *db_path, const char *session);
/* The 16 hex digits that name the database at db_path in those file names (and the composer's drafts'). */
void wr_pending_db_hash(const char *db_path, char out[17]);
/* Write every write queued in q to file (created 0600 with its directory), one JSON object a line holding all
 * of the event (its id too, so writing it again later is safe; its evidence bytes, if any, in hex), db_path, and this process's pid and host
 * name; synced before returning. With replace the file is replaced whole (written beside it, then renamed
 * over it), else the lines are appended. 0, or -1 with why. */
int wr_pending_save(const wr_pending *q, const char *db_path, const char *file, int replace, wr_buf *why);
/* The files consoles left for db_path that no running console owns any more (their process is gone, or they
 * were written on another host: a shared home), oldest first. Returns how many; caller frees each and the
 * array. */
size_t wr_pending_orphans(const char *db_path, char ***files);
/* The writes saved in file for db_path, oldest first, ready to append (the same ids); *saved_at: when the
 * newest was saved (UTC ms). 0 (with *n == 0 when there is no file), or -1 with why (the file unreadable or
 * a line damaged: nothing is taken, the file is left alone). */
int wr_pending_load(const char *file, const char *db_path, wr_write **out, size_t *n, int64_t *saved_at,
                    wr_buf *why);
void wr_pending_writes_free(wr_write *v, size_t n);

#endif
