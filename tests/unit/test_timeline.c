/* SPDX-License-Identifier: MIT */
/* The timeline window: bounded memory and keyset paging over a million-event incident, live polling with
 * pins, and the console's pending-write queue against a database another connection keeps locked. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/pending.h"
#include "warroom/store.h"
#include "warroom/timeline.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BULK 1000000

static char dir[256];
static wr_actor alice;

static int64_t commit(wr_store *st, wr_write *w)
{
    int64_t seq = 0, id = 0;
    wr_error err = {0};
    wr_status s = wr_op_commit(st, w, 2000, &seq, &id, &err);
    if (s != WR_OK)
        fprintf(stderr, "commit: %s\n", err.msg);
    CHECK_INT(s, WR_OK);
    return id ? id : seq;
}

static int64_t note(wr_store *st, int64_t inc, const char *text)
{
    wr_opctx o = {st, &alice, "cli", 0};
    wr_write w;
    wr_error err = {0};
    CHECK_INT(wr_op_note(&o, inc, text, &w, &err), WR_OK);
    return commit(st, &w);
}

/* Add n notes "n 1".."n N" to incident inc in one transaction, straight into the log (fast). */
static void bulk(const char *path, int64_t inc, int n)
{
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    char *sql = sqlite3_mprintf(
        "BEGIN;"
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
        " INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin, source, kind, payload)"
        " SELECT printf('bulk%%028d', i), %lld, 1700000000000 + i, 1700000000000 + i, 'bot', 'bot', '', 'cli',"
        " 'note', json_object('text', 'n ' || i) FROM c;"
        "COMMIT;",
        n, (long long)inc);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "bulk: %s\n", msg);
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_free(sql);
    sqlite3_close(db);
}

static int ordered(const wr_tlwin *w)
{
    for (size_t i = 1; i < w->n; i++)
        if (w->v[i].seq <= w->v[i - 1].seq)
            return 0;
    return 1;
}

static void test_window(void)
{
    char *path = wr_xasprintf("%s/tl.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_opctx o = {st, &alice, "cli", 0};
    wr_write w;
    CHECK_INT(wr_op_declare(&o, "Big one", "SEV2", NULL, "real", &w, &err), WR_OK);
    int64_t inc = commit(st, &w);
    CHECK_INT(wr_op_declare(&o, "Other", "SEV4", NULL, "real", &w, &err), WR_OK);
    int64_t other = commit(st, &w);
    int64_t t0 = wr_clock_mono_ms();
    bulk(path, inc, BULK);
    fprintf(stderr, "bulk insert of %d events: %lld ms\n", BULK, (long long)(wr_clock_mono_ms() - t0));
    note(st, other, "elsewhere");

    /* The newest 40 of a million (how fast: bench/bench_timeline; tests do not assert times). */
    wr_tlwin tl;
    wr_tlwin_init(&tl, inc, 120);
    CHECK_INT(wr_tlwin_load_end(&tl, st, 40, &err), WR_OK);
    CHECK_INT(tl.n, 40);
    CHECK(tl.at_end);
    CHECK(!tl.at_start);
    CHECK_STR(tl.v[39].text, "n 1000000");
    CHECK_STR(tl.v[0].text, "n 999961");
    CHECK(ordered(&tl));
    int64_t newest = tl.v[39].seq;
    CHECK_INT(tl.tail_seq, newest);
    /* Entry numbers are per incident: the declaration is #1, so the millionth note is #1000001. */
    CHECK_INT(tl.v[39].n, BULK + 1);
    CHECK_INT(tl.v[0].n, BULK + 1 - 39);
    {
        int64_t n = 0, seq = 0;
        t0 = wr_clock_mono_ms();
        CHECK_INT(wr_store_entry_number(st, inc, newest, &n, &err), WR_OK);
        fprintf(stderr, "numbering the newest of %d entries (one count): %lld ms\n", BULK + 1,
                (long long)(wr_clock_mono_ms() - t0));
        CHECK_INT(n, BULK + 1);
        CHECK_INT(wr_store_entry_seq(st, inc, BULK + 1, &seq, &err), WR_OK);
        CHECK_INT(seq, newest);
        CHECK_INT(wr_store_entry_seq(st, inc, BULK + 2, &seq, &err), WR_OK);
        CHECK_INT(seq, 0); /* no such entry */
        CHECK_INT(wr_store_entry_number(st, other, newest, &n, &err), WR_OK);
        CHECK_INT(n, 0); /* not an entry of that incident */
        CHECK_INT(wr_store_entry_seq(st, other, 2, &seq, &err), WR_OK);
        CHECK_INT(wr_store_entry_number(st, other, seq, &n, &err), WR_OK);
        CHECK_INT(n, 2); /* INC-2's own count: its declaration, then "elsewhere" */
    }

    /* Paging back: the window never holds more than cap, and leaves the end. */
    size_t added = 0, dropped = 0;
    CHECK_INT(wr_tlwin_older(&tl, st, 60, &added, &err), WR_OK);
    CHECK_INT(added, 60);
    CHECK_INT(tl.n, 100);
    CHECK(tl.at_end);
    CHECK_INT(wr_tlwin_older(&tl, st, 60, &added, &err), WR_OK);
    CHECK_INT(added, 60);
    CHECK_INT(tl.n, 120);
    CHECK(!tl.at_end);
    CHECK_STR(tl.v[0].text, "n 999841");
    CHECK_INT(tl.v[0].n, 999842);
    CHECK_INT(tl.v[119].n, 999842 + 119);
    CHECK(ordered(&tl));
    /* And forward again to the end. */
    CHECK_INT(wr_tlwin_newer(&tl, st, 60, &added, &dropped, &err), WR_OK);
    CHECK_INT(added, 40);
    CHECK_INT(dropped, 40);
    CHECK(tl.at_end);
    CHECK_INT(tl.v[tl.n - 1].seq, newest);
    CHECK_INT(tl.v[tl.n - 1].n, BULK + 1);
    CHECK_INT(tl.n, 120);

    /* The start: the declaration first, a million newer ones not read. */
    CHECK_INT(wr_tlwin_load_start(&tl, st, 30, &err), WR_OK);
    CHECK_INT(tl.n, 30);
    CHECK(tl.at_start);
    CHECK(!tl.at_end);
    CHECK(strncmp(tl.v[0].text, "declared SEV2", 13) == 0);
    CHECK_STR(tl.v[1].text, "n 1");
    CHECK_INT(tl.v[0].n, 1);
    CHECK_INT(tl.v[29].n, 30);
    CHECK_INT(tl.tail_seq, newest); /* polling goes on from the real end */
    CHECK_INT(wr_tlwin_older(&tl, st, 10, &added, &err), WR_OK);
    CHECK_INT(added, 0);

    /* Around an entry in the middle. */
    int64_t mid = tl.v[10].seq + 500000;
    CHECK_INT(wr_tlwin_load_at(&tl, st, mid, 50, &err), WR_OK);
    CHECK_INT(tl.n, 50);
    size_t at = wr_tlwin_lower_bound(&tl, mid);
    CHECK(at < tl.n && tl.v[at].seq == mid);
    CHECK_INT(at, 25);
    CHECK(!tl.at_start && !tl.at_end);
    {
        int64_t n = 0;
        CHECK_INT(wr_store_entry_number(st, inc, mid, &n, &err), WR_OK);
        CHECK_INT(tl.v[at].n, n);
        CHECK_INT(tl.v[0].n, n - 25);
    }

    /* Live: while scrolled away new events are only counted; pins still reach entries held. */
    int64_t held = tl.v[5].seq;
    wr_write pw;
    CHECK_INT(wr_op_pin(&o, inc, held, 1, &pw, &err), WR_OK);
    commit(st, &pw);
    note(st, inc, "live 1");
    note(st, other, "not ours");
    int changed = 0;
    CHECK_INT(wr_tlwin_poll(&tl, st, &added, &dropped, &changed, &err), WR_OK);
    CHECK_INT(added, 0);
    CHECK_INT(tl.unseen, 2); /* the pin and the note */
    CHECK(changed);
    CHECK(tl.v[5].pinned);
    CHECK_INT(tl.n, 50);
    /* Back at the end: appended as they come; the front trimmed to cap. */
    CHECK_INT(wr_tlwin_load_end(&tl, st, 118, &err), WR_OK);
    CHECK_INT(tl.unseen, 0);
    CHECK_STR(tl.v[tl.n - 1].text, "live 1");
    note(st, inc, "live 2");
    note(st, inc, "live 3");
    note(st, inc, "live 4");
    CHECK_INT(wr_tlwin_poll(&tl, st, &added, &dropped, &changed, &err), WR_OK);
    CHECK_INT(added, 3);
    CHECK_INT(dropped, 1);
    CHECK_INT(tl.n, 120);
    CHECK_STR(tl.v[tl.n - 1].text, "live 4");
    /* declaration + a million + the pin + live 1..4: the numbers follow on as entries arrive and go */
    CHECK_INT(tl.v[tl.n - 1].n, BULK + 1 + 5);
    CHECK_INT(tl.v[0].n, BULK + 1 + 5 - 119);
    CHECK(ordered(&tl));
    /* Nothing new: nothing changes. */
    CHECK_INT(wr_tlwin_poll(&tl, st, &added, &dropped, &changed, &err), WR_OK);
    CHECK_INT(added, 0);
    CHECK(!changed);
    /* Unpinning an entry on screen clears its mark. */
    int64_t last = tl.v[tl.n - 1].seq;
    CHECK_INT(wr_op_pin(&o, inc, last, 1, &pw, &err), WR_OK);
    commit(st, &pw);
    CHECK_INT(wr_tlwin_poll(&tl, st, &added, &dropped, &changed, &err), WR_OK);
    CHECK(tl.v[tl.n - 2].pinned);
    CHECK_INT(tl.v[tl.n - 1].target, last);
    CHECK_INT(wr_op_pin(&o, inc, last, 0, &pw, &err), WR_OK);
    commit(st, &pw);
    CHECK_INT(wr_tlwin_poll(&tl, st, &added, &dropped, &changed, &err), WR_OK);
    CHECK(!tl.v[tl.n - 3].pinned);
    wr_tlwin_free(&tl);
    wr_store_close(st);
    unlink(path);
    free(path);
}

/* ---- pending writes ---- */

typedef struct seen {
    char what[8][64];
    wr_status status[8];
    int n;
} seen;

static void on_result(void *ctx, wr_write *w, wr_status s, const wr_error *err)
{
    seen *sn = ctx;
    (void)err;
    if (sn->n < 8) {
        char *t = wr_event_payload_str(w->payload, "text");
        snprintf(sn->what[sn->n], sizeof sn->what[0], "%s", t ? t : w->kind);
        free(t);
        sn->status[sn->n++] = s;
    }
}

static void test_pending(void)
{
    char *path = wr_xasprintf("%s/pending.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_opctx o = {st, &alice, "tui", 0};
    wr_write w;
    CHECK_INT(wr_op_declare(&o, "Pending", "SEV3", NULL, "real", &w, &err), WR_OK);
    int64_t inc = commit(st, &w);

    wr_pending q;
    wr_pending_init(&q, 1);
    seen sn = {0};
    wr_buf sum = {0};
    /* Free lock: lands at once. */
    CHECK_INT(wr_op_note(&o, inc, "first", &w, &err), WR_OK);
    CHECK_INT(wr_pending_submit(&q, st, &w, 0, 50, on_result, &sn), WR_OK);
    CHECK_INT(sn.n, 1);
    CHECK_STR(sn.what[0], "first");
    CHECK_INT(q.n, 0);
    CHECK_INT(wr_pending_next_at(&q), -1);

    /* Another connection holds the write lock: the write is queued, not lost, and not blocking. */
    sqlite3 *other;
    CHECK_INT(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(wr_op_note(&o, inc, "second", &w, &err), WR_OK);
    /* (It returns at all while this very thread's other connection holds the lock: it did not block.) */
    CHECK_INT(wr_pending_submit(&q, st, &w, 1000, 50, on_result, &sn), WR_E_BUSY);
    CHECK_INT(q.n, 1);
    CHECK_INT(sn.n, 1);
    int64_t next = wr_pending_next_at(&q);
    CHECK(next >= 1250 && next <= 1250 + 63);
    wr_pending_summary(&q, &sum);
    CHECK_STR(wr_buf_str(&sum), "1 pending: note on INC-1");
    /* A second one queues behind it (order kept). */
    CHECK_INT(wr_op_note(&o, inc, "third", &w, &err), WR_OK);
    CHECK_INT(wr_pending_submit(&q, st, &w, 1010, 50, on_result, &sn), WR_E_BUSY);
    CHECK_INT(q.n, 2);
    wr_buf_reset(&sum);
    wr_pending_summary(&q, &sum);
    CHECK_STR(wr_buf_str(&sum), "2 pending: note on INC-1 (+1 more)");
    /* Not due yet: nothing is tried. */
    CHECK_INT(wr_pending_run(&q, st, 1100, 50, on_result, &sn), 2);
    /* Due, still locked: backs off further. */
    CHECK_INT(wr_pending_run(&q, st, next, 50, on_result, &sn), 2);
    CHECK_INT(q.v[0].attempts, 2);
    CHECK(wr_pending_next_at(&q) >= next + 500);
    /* The lock goes: both land, in order. */
    CHECK_INT(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(wr_pending_run(&q, st, wr_pending_next_at(&q), 50, on_result, &sn), 0);
    CHECK_INT(sn.n, 3);
    CHECK_STR(sn.what[1], "second");
    CHECK_STR(sn.what[2], "third");
    CHECK_INT(sn.status[1], WR_OK);
    wr_buf_reset(&sum);
    wr_pending_summary(&q, &sum);
    CHECK_STR(wr_buf_str(&sum), "");
    /* Each landed exactly once. */
    int64_t count = 0;
    CHECK_INT(wr_store_event_count(st, inc, &count, &err), WR_OK);
    CHECK_INT(count, 4);
    /* A refusal is reported, not retried. */
    CHECK_INT(wr_op_pin(&o, inc, 999, 1, &w, &err), WR_OK);
    wr_status s = wr_pending_submit(&q, st, &w, 5000, 50, on_result, &sn);
    CHECK(s != WR_OK && s != WR_E_BUSY);
    CHECK_INT(sn.n, 4);
    CHECK_INT(sn.status[3], s);
    CHECK_INT(q.n, 0);
    /* Back-off: 250 ms doubling to 4 s; jitter within a quarter. */
    CHECK_INT(wr_pending_backoff(1, NULL), 250);
    CHECK_INT(wr_pending_backoff(2, NULL), 500);
    CHECK_INT(wr_pending_backoff(5, NULL), 4000);
    CHECK_INT(wr_pending_backoff(50, NULL), 4000);
    unsigned rng = 7;
    for (int i = 0; i < 100; i++) {
        int64_t d = wr_pending_backoff(3, &rng);
        CHECK(d >= 1000 && d <= 1250);
    }
    /* Freeing a queue with writes in it. */
    CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(wr_op_note(&o, inc, "left", &w, &err), WR_OK);
    CHECK_INT(wr_pending_submit(&q, st, &w, 6000, 10, on_result, &sn), WR_E_BUSY);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    wr_pending_free(&q);
    wr_buf_free(&sum);
    wr_store_close(st);
    unlink(path);
    free(path);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/wr-tl-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    wr_actor_set(&alice, "alice", "alice", "local", "h");
    test_pending();
    test_window();
    wr_actor_free(&alice);
    char *cmd = wr_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
    return check_done();
}
