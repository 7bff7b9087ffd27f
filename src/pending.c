/* SPDX-License-Identifier: MIT */
/* pending.c - the console's queue of writes waiting for the database lock (see pending.h). */
#include "warroom/pending.h"

#include "warroom/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wr_pending_init(wr_pending *q, unsigned seed)
{
    memset(q, 0, sizeof *q);
    q->rng = seed ? seed : 0x9E3779B9u;
}

void wr_pending_free(wr_pending *q)
{
    for (size_t i = 0; i < q->n; i++)
        wr_write_clear(&q->v[i].w);
    free(q->v);
    q->v = NULL;
    q->n = 0;
}

int64_t wr_pending_backoff(int attempts, unsigned *rng)
{
    int64_t d = 250;
    for (int i = 1; i < attempts && d < 4000; i++)
        d *= 2;
    if (d > 4000)
        d = 4000;
    if (rng) {
        *rng = *rng * 1103515245u + 12345u;
        d += (int64_t)((*rng >> 8) % (unsigned)(d / 4 + 1));
    }
    return d;
}

int wr_pending_keeps(wr_status s)
{
    switch (s) {
    case WR_E_BUSY:
    case WR_E_READONLY:
    case WR_E_FULL:
    case WR_E_IO:
    case WR_E_CORRUPT:
    case WR_E_SCHEMA:
    case WR_E_MISSING:
    case WR_E_UNSAFE:
        return 1;
    default:
        return 0;
    }
}

/* Keep item it for another try after status s. */
static void keep(wr_pending *q, wr_pending_item *it, wr_status s, const wr_error *err, int64_t now_ms)
{
    if (!it->w.occurred_at)
        it->w.occurred_at = wr_clock_now_ms(); /* it happened when the operator did it, not when it lands */
    it->attempts++;
    it->last = s;
    const char *why = err && *err->msg ? err->msg : wr_status_name(s);
    size_t n = strlen(why);
    if (n >= sizeof it->why)
        n = sizeof it->why - 1;
    memcpy(it->why, why, n);
    it->why[n] = '\0';
    int64_t d = wr_pending_backoff(it->attempts, &q->rng);
    if (s != WR_E_BUSY)
        d *= 2;
    it->next_at = now_ms > INT64_MAX - d ? INT64_MAX : now_ms + d; /* now_ms may be INT64_MAX: "every one" */
}

/* Try one write; returns its status (the caller decides what to do with it). */
static wr_status try_one(wr_store *st, wr_write *w, int wait_ms, wr_error *err)
{
    memset(err, 0, sizeof *err);
    return wr_store_append(st, w, wait_ms, err);
}

static void finish(wr_write *w, wr_status s, const wr_error *err, wr_pending_cb cb, void *ctx)
{
    if (cb)
        cb(ctx, w, s, err);
    wr_write_clear(w);
}

size_t wr_pending_run(wr_pending *q, wr_store *st, int64_t now_ms, int wait_ms, wr_pending_cb cb, void *ctx)
{
    while (q->n) {
        wr_pending_item *it = &q->v[0];
        if (it->next_at > now_ms)
            break;
        wr_error err;
        wr_status s = st ? try_one(st, &it->w, wait_ms, &err)
                         : wr_error_set(&err, WR_E_MISSING, "the database is not open");
        if (wr_pending_keeps(s)) {
            keep(q, it, s, &err, now_ms);
            break;
        }
        wr_write w = it->w;
        memmove(q->v, q->v + 1, (q->n - 1) * sizeof *q->v);
        q->n--;
        finish(&w, s, &err, cb, ctx);
        /* The lock was free for this one: the next may go at once. */
        if (q->n && q->v[0].next_at > now_ms)
            q->v[0].next_at = now_ms;
    }
    return q->n;
}

/* Passes every result on, noting the status of one write (by uid). */
typedef struct watch {
    wr_pending_cb cb;
    void *ctx;
    const char *uid;
    wr_status status;
    int seen;
} watch;

static void watch_cb(void *ctx, wr_write *w, wr_status s, const wr_error *err)
{
    watch *wt = ctx;
    if (strcmp(w->uid, wt->uid) == 0) {
        wt->seen = 1;
        wt->status = s;
    }
    if (wt->cb)
        wt->cb(wt->ctx, w, s, err);
}

wr_status wr_pending_submit(wr_pending *q, wr_store *st, wr_write *w, int64_t now_ms, int wait_ms,
                            wr_pending_cb cb, void *ctx)
{
    wr_write mine = *w;
    memset(w, 0, sizeof *w);
    wr_status first = WR_OK;
    wr_error ferr = {0};
    if (!q->n) {
        first = st ? try_one(st, &mine, wait_ms, &ferr)
                   : wr_error_set(&ferr, WR_E_MISSING, "the database is not open");
        if (!wr_pending_keeps(first)) {
            finish(&mine, first, &ferr, cb, ctx);
            return first;
        }
    }
    char uid[sizeof mine.uid];
    memcpy(uid, mine.uid, sizeof uid);
    q->v = wr_xreallocarray(q->v, q->n + 1, sizeof *q->v);
    wr_pending_item *it = &q->v[q->n++];
    memset(it, 0, sizeof *it);
    it->w = mine;
    it->since = now_ms;
    if (q->n == 1) {
        keep(q, it, first, &ferr, now_ms);
        return WR_E_BUSY;
    }
    /* Behind others: keep the order and give the queue a try now (its head decides whether it is due). */
    it->next_at = now_ms;
    watch wt = {cb, ctx, uid, WR_E_BUSY, 0};
    wr_pending_run(q, st, now_ms, wait_ms, watch_cb, &wt);
    return wt.seen ? wt.status : WR_E_BUSY;
}

int64_t wr_pending_next_at(const wr_pending *q)
{
    return q->n ? q->v[0].next_at : -1;
}

void wr_pending_due_now(wr_pending *q, int64_t now_ms)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->v[i].next_at > now_ms)
            q->v[i].next_at = now_ms;
}

void wr_pending_summary(const wr_pending *q, wr_buf *out)
{
    if (!q->n)
        return;
    const char *d = q->v[0].w.describe && *q->v[0].w.describe ? q->v[0].w.describe : q->v[0].w.kind;
    wr_buf_printf(out, "%zu pending: %s", q->n, d ? d : "write");
    if (q->n > 1)
        wr_buf_printf(out, " (+%zu more)", q->n - 1);
}
