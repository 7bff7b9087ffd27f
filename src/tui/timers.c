/* SPDX-License-Identifier: MIT */
/* timers.c - the console's clock: when it looks at the database, its path and who is here, beats, ticks the
 * times shown, retries pending writes; what inotify's notices mean for those; how long the main loop may
 * sleep in its poll(). An idle console wakes a few times a minute (docs/console.md, "Live updates"). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/fscheck.h"
#include "warroom/watch.h"

#define NET_POLL_MS 500    /* data_version check on a network mount (other hosts' writes), or without inotify */
#define IDLE_LOOK_MS TUI_IDLE_LOOK_MS /* with inotify: the path and data_version looked at anyway */
#define LOST_LOOK_MS 1000  /* while the database is lost: the path looked at */
#define MIN_GAP_MS 50      /* after a look that found a change, before the next; doubled while every look finds
                              one (others write fast: their commits are read together), up to MAX_GAP_MS */
#define MAX_GAP_MS 400
#define SHORT_GAP_MS 5     /* after a look that found none (the writer was still in its transaction) */

static void tick_times(console *c, int64_t now_mono)
{
    /* When the next visible time changes: the header's clock (minutes) and elapsed times. */
    int64_t wall = wr_clock_now_ms();
    int64_t next = 60000 - wall % 60000;
    if (c->view == VIEW_ROOM && c->have_incident) {
        int64_t d = c->stopped_at ? next : wr_fmt_duration_next(wall - c->incident.declared_at);
        if (d < next)
            next = d;
        char cd[64];
        int level;
        d = wr_update_countdown(c->cad.due_at, wall, cd, sizeof cd, &level);
        if (d > 0 && d < next)
            next = d;
        /* "IC empty 31m: escalate ..." counts from when each required role became empty. */
        for (size_t k = 0; c->oncall && k < c->nmissing; k++) {
            d = wr_fmt_duration_next(wall - c->missing_since[k]);
            if (d < next)
                next = d;
        }
    } else if (c->view == VIEW_TRIAGE) {
        for (size_t i = 0; i < c->nalerts; i++) {
            int64_t d = wr_fmt_duration_next(wall - c->alerts[i].last_seen);
            if (d < next)
                next = d;
        }
    } else if (c->view == VIEW_LIST) {
        for (size_t i = 0; i < c->nlist; i++) {
            int64_t d = wr_fmt_duration_next(wall - c->list[i].declared_at);
            if (d < next)
                next = d;
        }
    }
    c->next_tick = now_mono + (next > 0 ? next : 1000);
}

/* Periodic work that may run a little early is done with the wake-up at hand when it is due within a fifth of
 * its period: the look in case, the look at the path and the read of who is here then ride along with the
 * beat (on the wall clock's multiples of its interval: state.c) and the clock's tick, a few wake-ups a
 * minute, instead of each waking the console on its own. */
static int due_soon(int64_t now, int64_t at, int64_t period)
{
    return at <= now + period / 5;
}

void tui_run_timers(console *c)
{
    int64_t now = wr_clock_mono_ms();
    if (c->lost == LOST_NO && !c->poll_soon && !c->poll_ms && due_soon(now, c->next_poll, IDLE_LOOK_MS))
        c->next_poll = now; /* the idle look in case */
    if (c->lost == LOST_NO && c->next_look > now && due_soon(now, c->next_look, IDLE_LOOK_MS) &&
        c->mounts_fd >= 0 && !c->poll_ms)
        c->next_look = now;
    if (c->lost == LOST_NO && !c->poll_ms && c->next_presence > now &&
        due_soon(now, c->next_presence, wr_presence_beat_interval()))
        c->next_presence = now;
    /* The path, between looks at the database: a stat, no lock. A mount dropped lazily (umount -l) sends no
     * inotify event while the console still holds the file open, so this is how it is noticed in time. */
    if (now >= c->next_look && now < c->next_poll && c->lost == LOST_NO && tui_lost_check(c, now)) {
        c->poll_soon = 0;
        c->next_poll = now;
    }
    if (now >= c->next_poll && tui_lost_check(c, now)) {
        c->poll_soon = 0;
        c->next_poll = now + LOST_LOOK_MS; /* lost: nothing to read, the banner says why */
    } else if (now >= c->next_poll && c->poll_soon && !c->poll_ms && now - c->soon_since < MAX_GAP_MS &&
               !wr_store_is_remote(c->st) && wr_watch_writer_busy(wr_store_path(c->st))) {
        /* A writer is in its transaction (its journal is not empty): a look now would find nothing and hold a
         * shared lock its commit must wait for. Listen again: the end of the commit (the journal truncated)
         * is an inotify event; at most MAX_GAP_MS of this, in case a burst of writers never leaves a gap. */
        c->poll_soon = 0;
        c->next_poll = c->soon_since + MAX_GAP_MS;
    } else if (now >= c->next_poll) {
        c->poll_soon = 0;
        c->soon_since = 0;
        c->last_check = now;
        c->next_poll = now + (c->poll_ms ? c->poll_ms : IDLE_LOOK_MS);
        int ch = wr_store_changed(c->st);
        if (ch > 0) {
            c->gap = c->gap ? (c->gap * 2 > MAX_GAP_MS ? MAX_GAP_MS : c->gap * 2) : MIN_GAP_MS;
            c->last_change = now;
        } else if (ch == 0 && !c->need_refresh) {
            c->gap = 0; /* quiet again: the next change is read at once */
        }
        if (ch > 0 || c->need_refresh) {
            c->need_refresh = 0;
            tui_refresh(c, 0);
        } else if (ch < 0 && wr_store_is_remote(c->st)) {
            c->next_look = 0;
            tui_lost_check(c, now); /* the server went: the banner, and writes kept until it is back */
        } else if (ch < 0) {
            tui_message(c, MSG_ERROR, "cannot read the database %s (gone? unmounted?): retrying", wr_store_path(c->st));
        }
    }
    /* While the database is lost these wait (and must not leave a timer in the past: the loop would spin). */
    if (now >= c->next_beat) {
        if (c->lost == LOST_NO)
            tui_presence_beat_only(c);
        else
            c->next_beat = now + LOST_LOOK_MS;
    }
    if (now >= c->next_presence) {
        if (c->lost == LOST_NO)
            tui_presence_load(c);
        else
            c->next_presence = now + LOST_LOOK_MS;
    }
    if (c->next_tick && now >= c->next_tick) {
        c->header_dirty = 1;
        if (c->view == VIEW_ROOM)
            c->panes[WR_PANE_INCIDENT].dirty = 1;
        else
            c->panes[c->view == VIEW_LIST ? PANE_LIST : PANE_TRIAGE].dirty = 1;
        tick_times(c, now);
    } else if (!c->next_tick) {
        tick_times(c, now);
    }
    int64_t due = wr_pending_next_at(&c->pend);
    if (due >= 0 && now >= due && c->lost == LOST_NO)
        tui_pending_run(c);
    if (now >= c->next_rbcheck) {
        c->next_rbcheck = now + TUI_RBCHECK_MS;
        if (c->natt)
            tui_check_runbooks(c);
    }
    if (c->rp)
        tui_replay_tick(c, now);
    if (c->pasting && now >= c->paste_until)
        tui_paste_done(c); /* the end of the paste never came: take what arrived */
    if (c->msg_until && now >= c->msg_until) {
        c->msg[0] = '\0';
        c->msg_until = 0;
        c->status_dirty = 1;
    }
}

int tui_next_timeout(console *c)
{
    int64_t now = wr_clock_mono_ms();
    int64_t next = c->next_poll;
    int64_t cands[] = {c->next_beat,   c->next_presence, c->next_tick, c->lost == LOST_NO ? c->next_look : 0,
                       wr_pending_next_at(&c->pend), c->next_rbcheck, c->msg_until,
                       c->paste_until, c->running ? now + tui_update_wait_ms(c) : 0, tui_replay_tick(c, now)};
    for (size_t i = 0; i < WR_ARRAY_LEN(cands); i++)
        if (cands[i] > 0 && cands[i] < next)
            next = cands[i];
    int64_t t = next - now;
    return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
}

/* inotify: what changed. The database: a look at it now, or a gap after the last look that found a change
 * (50 ms, doubling to 400 ms while every look finds one: under a burst of writers their commits are read
 * together, a few times a second), or SHORT_GAP_MS after one that found none (a writer's transaction makes
 * several events before its commit); the descriptor is left out of the wait until then. Someone came or left:
 * who is here, at most once a second. */
void tui_watch_events(console *c)
{
    unsigned f = wr_watch_read(c->watch_fd, wr_store_path(c->st), c->presence_wd);
    int64_t now = wr_clock_mono_ms();
    if (f & WR_WATCH_PATH)
        c->next_look = 0; /* the file may have gone: look at the path at the next check */
    if (f & (WR_WATCH_DATA | WR_WATCH_PATH)) {
        int64_t at = c->last_change + c->gap;
        if (at < c->last_check + SHORT_GAP_MS)
            at = c->last_check + SHORT_GAP_MS;
        if (at < now)
            at = now;
        if (at < c->next_poll)
            c->next_poll = at;
        c->poll_soon = 1;
        if (!c->soon_since)
            c->soon_since = now;
    }
    if (f & WR_WATCH_DIR) {
        c->presence_full = 1;
        int64_t at = c->presence_read_at + 1000;
        if (at < c->next_presence)
            c->next_presence = at;
    }
}

/* The server notified (PostgreSQL): look now, or after the gap a burst of changes leaves between looks. */
void tui_notified(console *c)
{
    int64_t now = wr_clock_mono_ms();
    int64_t at = c->last_change + c->gap;
    if (at < now)
        at = now;
    if (at < c->next_poll)
        c->next_poll = at;
    c->poll_soon = 1;
    c->soon_since = now;
}

/* How the database's changes are found: inotify alone on a local disk, a timer too where other hosts write;
 * the server's notifications on PostgreSQL. */
void tui_choose_poll(console *c)
{
    if (wr_store_is_remote(c->st)) {
        c->poll_ms = 0;
        return;
    }
    wr_fsinfo fs;
    int local = wr_fs_inspect(wr_store_path(c->st), &fs) == 0 && !fs.is_network && fs.scope == WR_LOCKS_LOCAL;
    c->poll_ms = local && c->watch_fd >= 0 ? 0 : NET_POLL_MS;
}

