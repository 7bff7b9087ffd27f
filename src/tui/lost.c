/* SPDX-License-Identifier: MIT */
/* lost.c - the database lost and found again, and the writes kept over it.
 *
 * A console can outlive its database file: the file deleted (rm -rf of its directory), moved away and back,
 * restored from a backup, or its network mount dropped and mounted again. Every second, and at once when a
 * write did not land, the console looks at the path (one stat): nothing there -> a banner says so, and
 * every write made meanwhile is kept; the same file again -> carry on; another file -> open it (as the first
 * one was opened) and carry on with that one. Kept writes are retried in order and land once each (the
 * store knows their ids).
 *
 * While the database is lost, or a write is kept for anything but a busy lock, the kept writes are also in a
 * file of this console's own (wr_pending_file, under $XDG_STATE_HOME/warroom), rewritten whenever the queue
 * changes and removed when it empties: a console that is killed, or that the operator quits anyway, leaves
 * them to the next start, which offers to write those of every console that is not running any more
 * (wr_pending_orphans). Quitting with writes not written asks first.
 */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOOK_MS 1000    /* how often the path is looked at while the database is lost */
#define IDLE_LOOK_PATH_MS 2000 /* and while all is well without the mount table's notice (a mount dropped
                                  lazily sends no inotify event); with it, with the look in case */
#define RECONNECT_MS 2000 /* how often a console tries to reach a lost PostgreSQL server again */
#define REOPEN_WAIT 500 /* how long opening the file found there may wait (the screen waits meanwhile) */

static int kept_for_more_than_busy(const wr_pending *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->v[i].last != WR_E_BUSY)
            return 1;
    return 0;
}

/* Keep this console's file in step with its queue; force: write it even if nothing asks for it yet. */
static void sync_file(console *c, int force)
{
    if (!c->pend_file)
        return;
    /* The file is written when it matters (the database is lost, or a write waits for more than a busy
     * lock) and then kept in step with the queue until it empties. */
    int want = c->pend.n && (force || c->lost != LOST_NO || kept_for_more_than_busy(&c->pend));
    if (!want && !c->pend_file_ours)
        return;
    wr_buf why = {0};
    if (!c->pend.n) {
        if (unlink(c->pend_file) != 0 && errno != ENOENT)
            tui_message(c, MSG_ERROR, "cannot remove %s: %s", c->pend_file, strerror(errno));
        c->pend_file_ours = 0;
    } else if (wr_pending_save(&c->pend, wr_store_path(c->st), c->pend_file, 1, &why) == 0) {
        c->pend_file_ours = 1;
    } else {
        tui_message(c, MSG_ERROR, "the changes not written yet are only in this console: %s", wr_buf_str(&why));
    }
    wr_buf_free(&why);
}

void tui_lost_queue_changed(console *c)
{
    sync_file(c, 0);
}

static void set_lost(console *c, int how, const char *why)
{
    int changed = c->lost != how || strcmp(c->lost_why, why) != 0;
    int relayout = (c->lost == LOST_NO) != (how == LOST_NO);
    c->lost = how;
    snprintf(c->lost_why, sizeof c->lost_why, "%s", why);
    if (relayout)
        tui_relayout(c); /* the banner comes or goes */
    else if (changed)
        c->chrome_dirty = 1;
    c->status_dirty = 1;
    if (how != LOST_NO)
        tui_lost_queue_changed(c);
}

/* The database is there again: write what was kept, read what changed meanwhile. */
static void found(console *c, const char *what)
{
    set_lost(c, LOST_NO, "");
    int64_t now = wr_clock_mono_ms();
    wr_pending_due_now(&c->pend, now);
    size_t kept = c->pend.n;
    tui_pending_run(c);
    /* One message for it all (the writes' own "done" messages would hide what happened). */
    if (!kept)
        tui_message(c, MSG_OK, "%s", what);
    else if (!c->pend.n)
        tui_message(c, MSG_OK, "%s: the %zu change%s kept meanwhile %s written", what, kept, kept == 1 ? "" : "s",
                    kept == 1 ? "is" : "are");
    else
        tui_message(c, MSG_WARN, "%s: %zu of the %zu changes kept meanwhile written, %zu still kept (%s)", what,
                    kept - c->pend.n, kept, c->pend.n, c->pend.v[0].why);
    c->need_refresh = 1;
    c->next_poll = 0;
    c->next_beat = 0;
}

/* Another file is at the path: open it as the first one was, and carry on with it. */
static int reopen(console *c)
{
    const char *path = wr_store_path(c->st);
    wr_error err = {0};
    int wait = c->o->wait_ms < REOPEN_WAIT ? c->o->wait_ms : REOPEN_WAIT;
    wr_store *st = wr_store_open_wait(path, c->o->open_flags, wait, &err);
    if (!st) {
        char why[1024];
        snprintf(why, sizeof why, "another file is at %.300s now and it cannot be used: %.400s. Changes made here "
                                  "are kept", path, err.msg);
        set_lost(c, LOST_OTHER, why);
        return -1;
    }
    wr_store *old = c->st;
    c->st = st;
    wr_store_close(old);
    c->readonly = wr_store_readonly(st);
    wr_watch_close(c->watch_fd);
    c->watch_fd = wr_watch_open(wr_store_path(st));
    c->presence_wd = -1; /* watched again at the next read of who is here */
    c->next_presence = 0;
    wr_store_changed(st); /* its data_version as seen */
    wr_error lerr = {0};
    c->feed_seq = wr_store_last_seq(st, &lerr); /* the refresh below reads it all */
    if (c->feed_seq < 0)
        c->feed_seq = 0;
    found(c, "the database was opened again (a new file at its path: restored, or its mount is back)");
    if (c->view == VIEW_ROOM)
        tui_open_incident(c, c->inc); /* its timeline may differ from the one shown */
    else
        tui_refresh(c, 1);
    tui_relayout(c); /* read-only or not */
    return 0;
}

/* A war room on PostgreSQL: the server, not a path. Lost, the console keeps showing this host's copy and
 * keeps the writes made meanwhile; every RECONNECT_MS it tries again (a few seconds at most per try). */
static int server_check(console *c, int64_t now)
{
    if (wr_store_connected(c->st) && c->lost == LOST_NO) {
        c->next_look = now + TUI_IDLE_LOOK_MS;
        return 0;
    }
    wr_error err = {0};
    if (wr_store_connected(c->st) || wr_store_reconnect(c->st, &err) == WR_OK) {
        found(c, "reconnected to the database");
        tui_refresh(c, 1);
        c->next_look = now + TUI_IDLE_LOOK_MS;
        return 0;
    }
    c->next_look = wr_clock_mono_ms() + RECONNECT_MS;
    char why[1200];
    snprintf(why, sizeof why, "disconnected from the database: reconnecting. What is shown is this host's copy; "
                              "changes made here are kept and written when the server is back (%.900s)", err.msg);
    set_lost(c, LOST_SERVER, why);
    return 1;
}

int tui_lost_check(console *c, int64_t now)
{
    if (now < c->next_look)
        return c->lost != LOST_NO;
    if (wr_store_is_remote(c->st))
        return server_check(c, now);
    c->next_look = now + LOOK_MS;
    errno = 0;
    int same = wr_store_same_file(c->st);
    if (same == 1) {
        if (c->lost != LOST_NO)
            found(c, "the database is back");
        c->next_look = now + (c->mounts_fd >= 0 && !c->poll_ms ? TUI_IDLE_LOOK_MS : IDLE_LOOK_PATH_MS);
        return 0;
    }
    if (same < 0) {
        if (c->lost != LOST_GONE) {
            char why[1024];
            snprintf(why, sizeof why, "%.300s is gone (%.100s): deleted, moved away, or its mount dropped. Changes "
                                      "made here are kept, and written when it is back",
                     wr_store_path(c->st), strerror(errno ? errno : ENOENT));
            set_lost(c, LOST_GONE, why);
        }
        return 1;
    }
    return reopen(c) != 0;
}

/* ---- questions: quitting with writes not written, writes an earlier session kept ---- */

static const char *kept_reason(console *c)
{
    if (c->lost != LOST_NO)
        return c->lost == LOST_GONE     ? "the database is gone"
               : c->lost == LOST_SERVER ? "the database server cannot be reached"
                                        : "the database cannot be opened";
    if (!c->pend.n)
        return "";
    switch (c->pend.v[0].last) {
    case WR_E_BUSY:
        return "the database is busy";
    case WR_E_FULL:
        return "the disk is full";
    case WR_E_READONLY:
        return "the database cannot be written";
    default:
        return "the database cannot be reached";
    }
}

void tui_request_quit(console *c)
{
    if (!c->pend.n || c->question == Q_QUIT) {
        c->quit = 1; /* asked already: q again (or y) quits */
        return;
    }
    c->question = Q_QUIT;
    c->status_dirty = 1;
}

void tui_question_text(console *c, wr_buf *out)
{
    if (c->question == Q_COMPOSE_CLOSE || c->question == Q_COMPOSE_DISCARD) {
        tui_compose_question(c, out);
    } else if (c->question == Q_QUIT) {
        wr_buf_printf(out, " %zu change%s not written yet (%s): quit anyway? y/n (y keeps %s in %s for the next "
                           "start)",
                      c->pend.n, c->pend.n == 1 ? "" : "s", kept_reason(c), c->pend.n == 1 ? "it" : "them",
                      c->pend_file ? c->pend_file : "a file");
    } else if (c->question == Q_REPLAY) {
        char when[32] = "";
        time_t t = (time_t)(c->saved_at / 1000);
        struct tm tm;
        if (c->saved_at && gmtime_r(&t, &tm))
            strftime(when, sizeof when, " at %Y-%m-%d %H:%M UTC", &tm);
        wr_buf_printf(out, " %zu change%s from an earlier session%s %s not written yet: write %s now? y/n (n keeps "
                           "%s for later)",
                      c->nsaved, c->nsaved == 1 ? "" : "s", when, c->nsaved == 1 ? "is" : "are",
                      c->nsaved == 1 ? "it" : "them", c->nsaved == 1 ? "it" : "them");
    }
}

static void free_orphans(console *c)
{
    for (size_t i = 0; i < c->norphans; i++)
        free(c->orphans[i]);
    free(c->orphans);
    c->orphans = NULL;
    c->norphans = 0;
}

static void replay_saved(console *c)
{
    /* They are queued in the order they were made; each lands once (the store knows their ids). Once they
     * are in this console's own file, the files they came from go. */
    size_t n = c->nsaved;
    wr_write *v = c->saved;
    c->saved = NULL;
    c->nsaved = 0;
    for (size_t i = 0; i < n; i++)
        tui_submit(c, &v[i]);
    free(v);
    sync_file(c, 1);
    if (!c->pend.n || c->pend_file_ours)
        for (size_t i = 0; i < c->norphans; i++)
            if (unlink(c->orphans[i]) != 0 && errno != ENOENT)
                tui_message(c, MSG_ERROR, "cannot remove %s: %s", c->orphans[i], strerror(errno));
    free_orphans(c);
    if (c->pend.n)
        tui_message(c, MSG_WARN, "%zu of %zu saved change%s not written yet (%s): kept, retrying", c->pend.n, n,
                    n == 1 ? "" : "s", kept_reason(c));
}

void tui_question_answer(console *c, int yes)
{
    if (c->question == Q_NONE)
        return;
    if (c->question == Q_COMPOSE_CLOSE || c->question == Q_COMPOSE_DISCARD) {
        tui_compose_answer(c, yes);
        return;
    }
    int q = c->question;
    c->question = Q_NONE;
    c->status_dirty = 1;
    if (q == Q_QUIT) {
        if (yes)
            c->quit = 1;
        else
            tui_message(c, MSG_INFO, "staying: %zu change%s still to write", c->pend.n, c->pend.n == 1 ? "" : "s");
    } else if (yes) {
        replay_saved(c);
    } else {
        /* Declined: they stay in their files, offered again at the next start. */
        wr_pending_writes_free(c->saved, c->nsaved);
        c->saved = NULL;
        c->nsaved = 0;
        tui_message(c, MSG_INFO, "not written now: offered again when warroom starts (kept in %s%s)",
                    c->norphans ? c->orphans[0] : "", c->norphans > 1 ? " and others" : "");
        free_orphans(c);
    }
}

void tui_lost_start(console *c)
{
    const char *path = wr_store_path(c->st);
    c->pend_file = wr_pending_file(path, c->session);
    char **files = NULL;
    size_t nfiles = wr_pending_orphans(path, &files);
    for (size_t k = 0; k < nfiles; k++) {
        wr_write *v = NULL;
        size_t n = 0;
        int64_t at = 0;
        wr_buf why = {0};
        if (wr_pending_load(files[k], path, &v, &n, &at, &why) != 0) {
            /* left alone, and said */
            tui_message(c, MSG_ERROR, "changes an earlier session kept cannot be read: %s", wr_buf_str(&why));
            wr_buf_free(&why);
            free(files[k]);
            continue;
        }
        wr_buf_free(&why);
        c->saved = wr_xreallocarray(c->saved, c->nsaved + n + 1, sizeof *c->saved);
        memcpy(c->saved + c->nsaved, v, n * sizeof *v);
        c->nsaved += n;
        free(v);
        if (at > c->saved_at)
            c->saved_at = at;
        c->orphans = wr_xreallocarray(c->orphans, c->norphans + 1, sizeof *c->orphans);
        c->orphans[c->norphans++] = files[k];
    }
    free(files);
    if (!c->nsaved) {
        free_orphans(c);
        return;
    }
    if (c->readonly) {
        tui_message(c, MSG_WARN, "%zu change%s from an earlier session wait in %s (this console cannot write)",
                    c->nsaved, c->nsaved == 1 ? "" : "s", c->orphans[0]);
        wr_pending_writes_free(c->saved, c->nsaved);
        c->saved = NULL;
        c->nsaved = 0;
        free_orphans(c);
        return;
    }
    c->question = Q_REPLAY;
    c->status_dirty = 1;
}

void tui_lost_end(console *c, wr_buf *note)
{
    /* An offer never answered: those changes stay where they are. */
    wr_pending_writes_free(c->saved, c->nsaved);
    c->saved = NULL;
    c->nsaved = 0;
    free_orphans(c);
    if (c->pend.n && c->pend_file) {
        wr_buf why = {0};
        if (wr_pending_save(&c->pend, wr_store_path(c->st), c->pend_file, 1, &why) == 0) {
            wr_buf_printf(note, "warroom: %zu change%s not written yet (%s) %s kept in %s: warroom offers to "
                                "write %s when it starts again\n",
                          c->pend.n, c->pend.n == 1 ? "" : "s", kept_reason(c), c->pend.n == 1 ? "is" : "are",
                          c->pend_file, c->pend.n == 1 ? "it" : "them");
        } else {
            /* The last place left: the terminal. */
            wr_buf_printf(note, "warroom: %zu change%s could not be written nor kept (%s); here %s:\n", c->pend.n,
                          c->pend.n == 1 ? "" : "s", wr_buf_str(&why), c->pend.n == 1 ? "it is" : "they are");
            for (size_t i = 0; i < c->pend.n; i++)
                wr_buf_printf(note, "  %s: %s\n", c->pend.v[i].w.describe ? c->pend.v[i].w.describe : "",
                              c->pend.v[i].w.payload ? c->pend.v[i].w.payload : "");
        }
        wr_buf_free(&why);
    } else {
        sync_file(c, 0); /* all written: this console's file goes */
    }
    free(c->pend_file);
    c->pend_file = NULL;
}
