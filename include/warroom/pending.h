/* pending.h - writes the console could not record yet, retried without blocking the screen (no curses).
 *
 * The console never waits long for the database lock: a write is tried for a few tens of milliseconds and,
 * if other writers hold the lock (WR_E_BUSY), kept here and retried from the console's timer with growing
 * back-off, in the order the operator made them. Retrying a wr_write is safe (the store ignores a uid it
 * has already recorded), so a write lands exactly once however many tries it takes.
 */
#ifndef WARROOM_PENDING_H
#define WARROOM_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"
#include "warroom/util.h"

typedef struct wr_pending_item {
    wr_write w;
    int attempts;     /* tries that found the lock taken */
    int64_t since;    /* monotonic ms when it was first tried */
    int64_t next_at;  /* monotonic ms of the next try */
} wr_pending_item;

typedef struct wr_pending {
    wr_pending_item *v; /* oldest first: tried in this order */
    size_t n;
    unsigned rng;       /* jitter state */
} wr_pending;

/* Called once for each write that landed (s == WR_OK; w->seq, w->result_id set) or failed for good (the
 * store refused it: err says why). w is cleared after the call. */
typedef void (*wr_pending_cb)(void *ctx, wr_write *w, wr_status s, const wr_error *err);

void wr_pending_init(wr_pending *q, unsigned seed);
void wr_pending_free(wr_pending *q);

/* Take over *w (left zeroed). With nothing queued, try it now (waiting up to wait_ms for the lock); with
 * writes already queued it joins the end of the queue and the queue is run (see wr_pending_run), so writes
 * land in order. Returns WR_E_BUSY when w is queued, else the status cb was given for it. */
wr_status wr_pending_submit(wr_pending *q, wr_store *st, wr_write *w, int64_t now_ms, int wait_ms,
                            wr_pending_cb cb, void *ctx);
/* Retry the queue from the oldest write while they are due (next_at <= now_ms) and land; stops at the first
 * that is still busy (it is rescheduled with back-off) so that order is kept. Returns how many remain. */
size_t wr_pending_run(wr_pending *q, wr_store *st, int64_t now_ms, int wait_ms, wr_pending_cb cb, void *ctx);
/* When the next retry is due (monotonic ms), or -1 with nothing queued. */
int64_t wr_pending_next_at(const wr_pending *q);
/* Delay before the next try after `attempts` busy tries: 250 ms doubling to 4 s, plus up to a quarter of
 * jitter drawn from *rng (rng NULL: none). */
int64_t wr_pending_backoff(int attempts, unsigned *rng);
/* For the status line: "1 pending: note on INC-3", "3 pending: note on INC-3 (+2 more)"; "" if none. */
void wr_pending_summary(const wr_pending *q, wr_buf *out);

#endif
