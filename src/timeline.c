/* SPDX-License-Identifier: MIT */
/* timeline.c - a bounded window onto an incident's timeline, paged with keyset queries (see timeline.h). */
#include "warroom/evkind.h"
#include "warroom/timeline.h"

#include "warroom/incident.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <stdlib.h>
#include <string.h>

#define POLL_CHUNK 256

static void entry_clear(wr_tl_entry *e)
{
    free(e->actor);
    free(e->kind);
    free(e->source);
    free(e->text);
    memset(e, 0, sizeof *e);
}

static void entry_from(wr_tl_entry *e, const wr_event *ev)
{
    e->seq = ev->seq;
    e->at = ev->occurred_at;
    e->actor = wr_xstrdup(ev->actor ? ev->actor : "");
    e->kind = wr_xstrdup(ev->kind ? ev->kind : "");
    e->source = wr_xstrdup(ev->source ? ev->source : "");
    e->text = wr_event_describe(ev);
    e->pinned = ev->pinned;
    e->target = 0;
    if (wr_ev_is(e->kind, WR_EV_PIN) || wr_ev_is(e->kind, WR_EV_UNPIN)) {
        char *t = wr_event_payload_str(ev->payload, "event");
        e->target = t ? strtoll(t, NULL, 10) : 0;
        free(t);
    }
}

/* A growable list of entries filled by the store's callbacks. */
typedef struct batch {
    wr_tl_entry *v;
    size_t n;
} batch;

static int batch_cb(const wr_event *ev, void *ctx)
{
    batch *b = ctx;
    b->v = wr_xreallocarray(b->v, b->n + 1, sizeof *b->v);
    entry_from(&b->v[b->n++], ev);
    return 0;
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        entry_clear(&b->v[i]);
    free(b->v);
    b->v = NULL;
    b->n = 0;
}

static void reverse(wr_tl_entry *v, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        wr_tl_entry t = v[i];
        v[i] = v[n - 1 - i];
        v[n - 1 - i] = t;
    }
}

/* Number the entries held from first_n (the window is a contiguous run of the incident's events). */
static void renumber(wr_tlwin *w)
{
    for (size_t i = 0; i < w->n; i++)
        w->v[i].n = w->first_n + (int64_t)i;
}

/* After a load: the number of v[0], from the store (one count of the incident's events up to it). */
static wr_status number_from_store(wr_tlwin *w, wr_store *st, wr_error *err)
{
    w->first_n = 1;
    if (w->n && !w->at_start) {
        int64_t n = 0;
        wr_status s = wr_store_entry_number(st, w->incident, w->v[0].seq, &n, err);
        if (s != WR_OK)
            return s;
        w->first_n = n > 0 ? n : 1;
    }
    renumber(w);
    return WR_OK;
}

static void drop_front(wr_tlwin *w, size_t k)
{
    for (size_t i = 0; i < k; i++)
        entry_clear(&w->v[i]);
    memmove(w->v, w->v + k, (w->n - k) * sizeof *w->v);
    w->n -= k;
    w->first_n += (int64_t)k;
    if (k)
        w->at_start = 0;
}

static void drop_back(wr_tlwin *w, size_t k)
{
    for (size_t i = w->n - k; i < w->n; i++)
        entry_clear(&w->v[i]);
    w->n -= k;
    if (k)
        w->at_end = 0;
}

static void clear_all(wr_tlwin *w)
{
    for (size_t i = 0; i < w->n; i++)
        entry_clear(&w->v[i]);
    w->n = 0;
}

void wr_tlwin_init(wr_tlwin *w, int64_t incident, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->incident = incident;
    w->cap = cap < 16 ? 16 : cap;
    w->v = wr_xcalloc(w->cap + 1, sizeof *w->v);
    w->at_start = w->at_end = 1;
}

void wr_tlwin_free(wr_tlwin *w)
{
    clear_all(w);
    free(w->v);
    memset(w, 0, sizeof *w);
}

/* Make room for `extra` more entries beyond n (temporarily above cap). */
static void reserve(wr_tlwin *w, size_t extra)
{
    w->v = wr_xreallocarray(w->v, w->n + extra + 1, sizeof *w->v);
}

static size_t clamp_want(const wr_tlwin *w, size_t want)
{
    return want == 0 ? 1 : want > w->cap ? w->cap : want;
}

/* The incident's newest seq (0 if none). */
static wr_status newest_seq(wr_tlwin *w, wr_store *st, int64_t *seq, wr_error *err)
{
    batch b = {0};
    wr_status s = wr_store_events_before(st, w->incident, 0, 1, batch_cb, &b, err);
    *seq = s == WR_OK && b.n ? b.v[0].seq : 0;
    batch_free(&b);
    return s;
}

static void take(wr_tlwin *w, batch *b)
{
    reserve(w, b->n);
    memcpy(w->v + w->n, b->v, b->n * sizeof *b->v);
    w->n += b->n;
    free(b->v);
    b->v = NULL;
    b->n = 0;
}

wr_status wr_tlwin_load_end(wr_tlwin *w, wr_store *st, size_t want, wr_error *err)
{
    want = clamp_want(w, want);
    batch b = {0};
    wr_status s = wr_store_events_before(st, w->incident, 0, (int)want, batch_cb, &b, err);
    if (s != WR_OK) {
        batch_free(&b);
        return s;
    }
    reverse(b.v, b.n);
    clear_all(w);
    w->at_start = b.n < want;
    w->at_end = 1;
    w->unseen = 0;
    take(w, &b);
    if (w->n && w->v[w->n - 1].seq > w->tail_seq)
        w->tail_seq = w->v[w->n - 1].seq;
    return number_from_store(w, st, err);
}

wr_status wr_tlwin_load_start(wr_tlwin *w, wr_store *st, size_t want, wr_error *err)
{
    want = clamp_want(w, want);
    batch b = {0};
    wr_status s = wr_store_events_after(st, w->incident, 0, (int)want, batch_cb, &b, err);
    int64_t newest = 0;
    if (s == WR_OK)
        s = newest_seq(w, st, &newest, err);
    if (s != WR_OK) {
        batch_free(&b);
        return s;
    }
    clear_all(w);
    w->at_start = 1;
    w->at_end = b.n < want;
    take(w, &b);
    if (newest > w->tail_seq)
        w->tail_seq = newest;
    if (w->at_end)
        w->unseen = 0;
    w->first_n = 1;
    renumber(w);
    return WR_OK;
}

wr_status wr_tlwin_load_at(wr_tlwin *w, wr_store *st, int64_t seq, size_t want, wr_error *err)
{
    want = clamp_want(w, want);
    size_t before = want / 2, after = want - before;
    batch b = {0}, a = {0};
    wr_status s = wr_store_events_before(st, w->incident, seq, (int)before, batch_cb, &b, err);
    if (s == WR_OK)
        s = wr_store_events_after(st, w->incident, seq - 1, (int)after, batch_cb, &a, err);
    int64_t newest = 0;
    if (s == WR_OK)
        s = newest_seq(w, st, &newest, err);
    if (s != WR_OK) {
        batch_free(&b);
        batch_free(&a);
        return s;
    }
    reverse(b.v, b.n);
    clear_all(w);
    w->at_start = b.n < before;
    w->at_end = a.n < after;
    take(w, &b);
    take(w, &a);
    if (newest > w->tail_seq)
        w->tail_seq = newest;
    if (w->at_end)
        w->unseen = 0;
    return number_from_store(w, st, err);
}

wr_status wr_tlwin_older(wr_tlwin *w, wr_store *st, size_t more, size_t *added, wr_error *err)
{
    *added = 0;
    if (w->at_start || !w->n || !more)
        return WR_OK;
    more = clamp_want(w, more);
    batch b = {0};
    wr_status s = wr_store_events_before(st, w->incident, w->v[0].seq, (int)more, batch_cb, &b, err);
    if (s != WR_OK) {
        batch_free(&b);
        return s;
    }
    reverse(b.v, b.n);
    if (b.n < more)
        w->at_start = 1;
    reserve(w, b.n);
    memmove(w->v + b.n, w->v, w->n * sizeof *w->v);
    memcpy(w->v, b.v, b.n * sizeof *b.v);
    w->n += b.n;
    *added = b.n;
    free(b.v);
    w->first_n -= (int64_t)b.n;
    if (w->first_n < 1 || w->at_start)
        w->first_n = 1;
    if (w->n > w->cap)
        drop_back(w, w->n - w->cap);
    renumber(w);
    return WR_OK;
}

wr_status wr_tlwin_newer(wr_tlwin *w, wr_store *st, size_t more, size_t *added, size_t *dropped, wr_error *err)
{
    *added = *dropped = 0;
    if (w->at_end || !w->n || !more)
        return WR_OK;
    more = clamp_want(w, more);
    batch b = {0};
    wr_status s = wr_store_events_after(st, w->incident, w->v[w->n - 1].seq, (int)more, batch_cb, &b, err);
    if (s != WR_OK) {
        batch_free(&b);
        return s;
    }
    *added = b.n;
    int end = b.n < more;
    take(w, &b);
    if (end) {
        w->at_end = 1;
        w->unseen = 0;
        if (w->n && w->v[w->n - 1].seq > w->tail_seq)
            w->tail_seq = w->v[w->n - 1].seq;
    }
    if (w->n > w->cap) {
        *dropped = w->n - w->cap;
        drop_front(w, *dropped);
    }
    renumber(w);
    return WR_OK;
}

size_t wr_tlwin_lower_bound(const wr_tlwin *w, int64_t seq)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->v[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

wr_status wr_tlwin_poll(wr_tlwin *w, wr_store *st, size_t *added, size_t *dropped, int *changed, wr_error *err)
{
    *added = *dropped = 0;
    *changed = 0;
    for (;;) {
        batch b = {0};
        wr_status s = wr_store_events_after(st, w->incident, w->tail_seq, POLL_CHUNK, batch_cb, &b, err);
        if (s != WR_OK) {
            batch_free(&b);
            return s;
        }
        for (size_t i = 0; i < b.n; i++) {
            wr_tl_entry *e = &b.v[i];
            w->tail_seq = e->seq;
            int pin = wr_ev_is(e->kind, WR_EV_PIN), unpin = wr_ev_is(e->kind, WR_EV_UNPIN);
            if (pin || unpin) {
                int64_t target = e->target;
                size_t at = wr_tlwin_lower_bound(w, target);
                if (target && at < w->n && w->v[at].seq == target && w->v[at].pinned != pin) {
                    w->v[at].pinned = pin;
                    *changed = 1;
                }
            }
            if (w->at_end) {
                reserve(w, 1);
                w->v[w->n++] = *e;
                memset(e, 0, sizeof *e);
                (*added)++;
                *changed = 1;
            } else {
                w->unseen++;
            }
        }
        size_t got = b.n;
        batch_free(&b);
        if (w->n > w->cap) {
            size_t k = w->n - w->cap;
            drop_front(w, k);
            *dropped += k;
        }
        if (got < POLL_CHUNK)
            break;
    }
    if (!w->n || w->first_n < 1)
        w->first_n = 1;
    renumber(w);
    return WR_OK;
}
