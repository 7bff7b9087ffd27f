/* SPDX-License-Identifier: MIT */
/* bench_timeline - paging through a very large incident reads only the rows on screen.
 *
 *   bench_timeline DB [EVENTS]     (default 1000000)
 *
 * Builds (once, if DB does not exist) an incident with EVENTS notes, then times keyset pages of 50 entries
 * (wr_store_events_before / _after, as the console's timeline does) at the newest end, the middle and the
 * oldest end, and a full scroll from the newest to 10,000 entries back. Prints milliseconds per page; then
 * what a per-incident entry number costs (wr_store_entry_number, wr_store_entry_seq) at both ends and the
 * middle. */
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

typedef struct page {
    int n;
    int64_t first, last;
} page;

static int on_event(const wr_event *ev, void *ctx)
{
    page *p = ctx;
    if (!p->n)
        p->first = ev->seq;
    p->last = ev->seq;
    p->n++;
    return 0;
}

static void build(const char *db, int events)
{
    wr_error err = {0};
    wr_store *st = wr_store_open(db, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, &err);
    wr_actor me;
    wr_actor_set(&me, "bench", "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    wr_write w;
    wr_op_declare(&c, "A very long incident", NULL, NULL, NULL, &w, &err);
    wr_op_commit(st, &w, 10000, NULL, NULL, &err);
    wr_store_close(st);
    wr_actor_free(&me);
    /* Bulk-load the notes in one transaction (the store's per-event transactions would take an hour). */
    sqlite3 *h;
    sqlite3_open(db, &h);
    sqlite3_exec(h, "PRAGMA journal_mode=TRUNCATE; BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(h, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin, source,"
                          " kind, payload) VALUES (?1, 1, ?2, ?2, 'bench', 'bench', 'local', 'bench', 'note',"
                          " json_object('text', 'timeline entry ' || ?3))",
                       -1, &s, NULL);
    int64_t t0 = wr_clock_now_ms();
    for (int i = 0; i < events; i++) {
        char uid[33];
        wr_uid_new(uid);
        sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, t0 + i);
        sqlite3_bind_int(s, 3, i);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    sqlite3_exec(h, "UPDATE incidents SET last_seq = (SELECT max(seq) FROM events); COMMIT", NULL, NULL, NULL);
    sqlite3_close(h);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_timeline DB [EVENTS]\n");
        return 2;
    }
    int events = argc > 2 ? atoi(argv[2]) : 1000000;
    struct stat sb;
    if (stat(argv[1], &sb) != 0) {
        int64_t t = now_us();
        build(argv[1], events);
        printf("built %d events in %.1f s\n", events, (double)(now_us() - t) / 1e6);
    }
    wr_error err = {0};
    wr_store *st = wr_store_open(argv[1], WR_OPEN_SINGLE_HOST | WR_OPEN_READONLY, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    int64_t count = 0;
    wr_store_event_count(st, 1, &count, &err);
    int64_t last = wr_store_last_seq(st, &err);
    printf("timeline paging, incident of %lld events, pages of 50\n", (long long)count);
    struct {
        const char *name;
        int64_t before;
    } at[] = {{"newest page", 0}, {"middle page", last / 2}, {"oldest page", 60}};
    for (size_t i = 0; i < 3; i++) {
        page p = {0};
        int64_t t = now_us();
        for (int k = 0; k < 100; k++) {
            p.n = 0;
            wr_store_events_before(st, 1, at[i].before, 50, on_event, &p, &err);
        }
        printf("  %-12s %.3f ms per page (%d rows)\n", at[i].name, (double)(now_us() - t) / 100.0 / 1000.0, p.n);
    }
    /* Scroll from the newest entry 10,000 entries back, a page at a time. */
    page p = {0};
    int64_t before = 0, t = now_us();
    int pages = 0;
    for (; pages < 200; pages++) {
        p.n = 0;
        wr_store_events_before(st, 1, before, 50, on_event, &p, &err);
        if (!p.n)
            break;
        before = p.last;
    }
    printf("  scrolling %d pages back: %.3f ms per page\n", pages, (double)(now_us() - t) / pages / 1000.0);
    /* Entry numbers are derived (docs/store.md): one count of the incident's events up to an entry, paid when
     * the console opens a window onto the timeline and when a command names or answers with an entry. */
    struct {
        const char *name;
        int64_t seq;
    } nat[] = {{"the newest", last}, {"the middle", last / 2}, {"the oldest", 2}};
    printf("entry numbers (one count per number, 10 runs each)\n");
    for (size_t i = 0; i < 3; i++) {
        int64_t n = 0, seq = 0;
        t = now_us();
        for (int k = 0; k < 10; k++)
            wr_store_entry_number(st, 1, nat[i].seq, &n, &err);
        double num = (double)(now_us() - t) / 10.0 / 1000.0;
        t = now_us();
        for (int k = 0; k < 10; k++)
            wr_store_entry_seq(st, 1, n, &seq, &err);
        printf("  %-12s #%-9lld number %.2f ms, back to its event %.2f ms\n", nat[i].name, (long long)n, num,
               (double)(now_us() - t) / 10.0 / 1000.0);
    }
    wr_store_close(st);
    return 0;
}
