/* SPDX-License-Identifier: MIT */
/* timeline.h - a window onto one incident's timeline (no curses here).
 *
 * The console never reads a whole timeline: it holds at most `cap` entries around what is on screen and
 * pages with keyset queries (wr_store_events_before/after), so an incident of a million events costs what
 * one of a hundred does. New events are read with wr_store_events_after(tail_seq): appended when the window
 * reaches the end, otherwise only counted (`unseen`); pin and unpin events always update the entries held.
 *
 * Entries are in log order (oldest first). Operations that add or drop entries at the front report how far
 * the indices moved, so the caller can keep its selection on the same entry.
 */
#ifndef WARROOM_TIMELINE_H
#define WARROOM_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"

typedef struct wr_tl_entry {
    int64_t seq;
    int64_t n;    /* the entry's number in its incident (1 for the first; wr_store_entry_number) */
    int64_t at;   /* occurred_at */
    char *actor;  /* raw: clean before drawing */
    char *kind;
    char *source;
    char *text;   /* wr_event_describe(): raw */
    int pinned;
    int64_t target; /* pin and unpin entries: the seq of the entry they mark; else 0 */
} wr_tl_entry;

typedef struct wr_tlwin {
    int64_t incident;
    wr_tl_entry *v; /* oldest first */
    size_t n;
    size_t cap;       /* most entries held (at least 16) */
    int at_start;     /* nothing older than v[0] */
    int at_end;       /* nothing newer than v[n-1] (as of the last read) */
    int64_t tail_seq; /* the newest event of the incident seen so far */
    size_t unseen;    /* events that arrived while the window did not reach the end */
    int64_t first_n;  /* the number of v[0] (entries are contiguous: v[i].n = first_n + i) */
} wr_tlwin;

void wr_tlwin_init(wr_tlwin *w, int64_t incident, size_t cap);
void wr_tlwin_free(wr_tlwin *w);

/* Replace the window with the newest `want` entries (want <= cap). */
wr_status wr_tlwin_load_end(wr_tlwin *w, wr_store *st, size_t want, wr_error *err);
/* Replace the window with the oldest `want` entries. */
wr_status wr_tlwin_load_start(wr_tlwin *w, wr_store *st, size_t want, wr_error *err);
/* Replace the window with about want/2 entries before seq and want/2 from seq on. */
wr_status wr_tlwin_load_at(wr_tlwin *w, wr_store *st, int64_t seq, size_t want, wr_error *err);

/* Read up to `more` entries older than v[0] into the front; entries past cap are dropped from the end.
 * *added: how many were put at the front (every index moved up by it). */
wr_status wr_tlwin_older(wr_tlwin *w, wr_store *st, size_t more, size_t *added, wr_error *err);
/* Read up to `more` entries newer than v[n-1] onto the end; entries past cap are dropped from the front
 * (*dropped: every index moved down by it). */
wr_status wr_tlwin_newer(wr_tlwin *w, wr_store *st, size_t more, size_t *added, size_t *dropped, wr_error *err);
/* Read the events recorded since tail_seq. *added: appended (only when at_end); *dropped: removed from the
 * front to stay within cap; *changed: 1 if anything held changed (appended, or a pin flag). */
wr_status wr_tlwin_poll(wr_tlwin *w, wr_store *st, size_t *added, size_t *dropped, int *changed, wr_error *err);

/* Index of the entry with seq, or of the first one after it (n if none). */
size_t wr_tlwin_lower_bound(const wr_tlwin *w, int64_t seq);

#endif
