/* SPDX-License-Identifier: MIT */
/* bench_propagation - how long from one operator's write to another process (another "host") having it.
 *
 *   bench_propagation DB [EVENTS [INTERVAL_MS]]               (defaults 1000 and 5): the SQLite file DB
 *   bench_propagation --pg URL DIR [EVENTS [INTERVAL_MS]]     (defaults 1000 and 20): SQLite (DIR/prop.db),
 *                                                             then PostgreSQL (URL: an empty database)
 *
 * A writer process appends EVENTS notes, one every INTERVAL_MS; a follower process watches as `warroom tail -f`
 * and the console do, and reads each new event:
 *   - SQLite: inotify on the directory to wake early, PRAGMA data_version polled every 200 ms (wr_store_changed),
 *     then the events after the last seen;
 *   - PostgreSQL: the writer and the follower are two "hosts" (each its own cache, DIR/host-a and DIR/host-b:
 *     $WARROOM_CACHE_DIR); the follower blocks in poll() on wr_store_notify_fd (LISTEN/NOTIFY), calls
 *     wr_store_changed (which brings its cache up to date from the server) and reads the event from its cache.
 * Both processes stamp CLOCK_MONOTONIC (one clock for all processes of a machine) into a shared page: the writer
 * just before its write call and when the write is acknowledged (wr_op_commit returned), the follower when the
 * event is in its hands. Printed per back end, over all events: acknowledgement -> seen by the follower, and
 * write call -> seen (the first includes none of the writer's own commit; it is negative for an event the
 * follower had before the writer's call returned: the writer commits its own cache after the server's commit).
 * For PostgreSQL also server commit -> seen: the server's commit timestamp of the event's row
 * (pg_xact_commit_timestamp, needs track_commit_timestamp = on; taken as the commit record is written, before
 * its flush) against the follower's CLOCK_REALTIME. Median, p90, p99, max (and how many below 0). */
#include "stats.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/watch.h"
#include "warroom/model.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef WARROOM_POSTGRES
#include <libpq-fe.h>
#endif

/* The page both processes write: event i's times in microseconds of CLOCK_MONOTONIC (0: not yet). */
typedef struct stamps {
    int64_t *sent, *acked, *seen;
    int64_t *seen_rt, *committed_rt; /* CLOCK_REALTIME: the follower's, and the server's commit timestamp */
} stamps;

typedef struct follow {
    int64_t last;
    stamps *t;
    int n;
    int want;
} follow;

static int64_t clock_us(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_us(void)
{
    return clock_us(CLOCK_MONOTONIC);
}

static int on_event(const wr_event *ev, void *ctx)
{
    follow *f = ctx;
    int64_t at = now_us(), at_rt = clock_us(CLOCK_REALTIME);
    f->last = ev->seq;
    char *t = wr_event_payload_str(ev->payload, "text");
    if (t && strncmp(t, "bench ", 6) == 0) {
        int i = atoi(t + 6);
        if (i >= 0 && i < f->want && !f->t->seen[i]) {
            f->t->seen[i] = at;
            f->t->seen_rt[i] = at_rt;
            f->n++;
        }
    }
    free(t);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void print_dist(const char *what, const int64_t *from, const int64_t *to, int events)
{
    double *v = calloc((size_t)events, sizeof *v);
    int n = 0;
    for (int i = 0; i < events; i++)
        if (from[i] && to[i])
            v[n++] = (double)(to[i] - from[i]) / 1000.0;
    qsort(v, (size_t)n, sizeof *v, cmp);
    int below = 0;
    while (below < n && v[below] < 0)
        below++;
    if (n)
        printf("  %-28s median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", what, bench_median(v, (size_t)n),
               v[n * 9 / 10], v[n * 99 / 100], v[n - 1]);
    if (n && below)
        printf("; %d below 0 (min %.2f ms)", below, v[0]);
    if (n)
        printf("\n");
    free(v);
}

/* Open target (a file or a URL) as this process's "host": cache_dir (NULL for a file) is its cache. */
static wr_store *open_as(const char *target, const char *cache_dir, unsigned flags, wr_error *err)
{
    if (cache_dir)
        setenv("WARROOM_CACHE_DIR", cache_dir, 1);
    return wr_store_open(target, flags | WR_OPEN_SINGLE_HOST, err);
}

/* One measurement: target is a fresh SQLite path or an empty PostgreSQL database (then cache_a, cache_b are the
 * two hosts' cache directories). Returns the number of events the follower saw; the stamps stay in *t. */
static int measure(const char *target, const char *cache_a, const char *cache_b, int events, int interval,
                   stamps *t)
{
    int remote = wr_store_target_is_remote(target);
    wr_error err = {0};
    if (!remote)
        unlink(target);
    wr_store *st = open_as(target, cache_a, WR_OPEN_CREATE, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    wr_actor me;
    wr_actor_set(&me, "bench", "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    wr_write w;
    wr_op_declare(&c, "Propagation", NULL, NULL, NULL, &w, &err);
    if (wr_op_commit(st, &w, 10000, NULL, NULL, &err) != WR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        wr_store_close(st);
        return -1;
    }
    wr_store_close(st);

    int ready[2];
    if (pipe(ready) != 0)
        return -1;
    pid_t writer = fork();
    if (writer == 0) {
        char b;
        if (read(ready[0], &b, 1) != 1)
            _exit(1);
        wr_store *ws = open_as(target, cache_a, 0, &err);
        if (!ws) {
            fprintf(stderr, "%s\n", err.msg);
            _exit(1);
        }
        wr_opctx wc = {ws, &me, "bench", 0};
        for (int i = 0; i < events; i++) {
            struct timespec nap = {interval / 1000, (long)(interval % 1000) * 1000000L};
            nanosleep(&nap, NULL);
            char text[64];
            snprintf(text, sizeof text, "bench %d", i);
            wr_op_note(&wc, 1, text, &w, &err);
            t->sent[i] = now_us();
            if (wr_op_commit(ws, &w, 60000, NULL, NULL, &err) != WR_OK) {
                fprintf(stderr, "%s\n", err.msg);
                _exit(1);
            }
            t->acked[i] = now_us();
        }
        wr_store_close(ws);
        _exit(0);
    }
    close(ready[0]);
    follow f = {0, t, 0, events};
    wr_store *fs = open_as(target, cache_b, WR_OPEN_READONLY, &err);
    if (!fs) {
        fprintf(stderr, "%s\n", err.msg);
        kill(writer, SIGKILL);
        waitpid(writer, NULL, 0);
        return -1;
    }
    f.last = wr_store_last_seq(fs, &err);
    int wfd = remote ? -1 : wr_watch_open(target);
    if (write(ready[1], "g", 1) != 1)
        return -1;
    close(ready[1]);
    int64_t deadline = wr_clock_mono_ms() + (int64_t)events * (interval + 50) + 30000;
    while (f.n < events && wr_clock_mono_ms() < deadline) {
        /* PostgreSQL: the connection's socket (it changes when the store reconnects: ask every time). */
        int fd = remote ? wr_store_notify_fd(fs) : wfd;
        struct pollfd p = {fd, POLLIN, 0};
        int ready_n = poll(&p, fd >= 0 ? 1 : 0, 200);
        if (!remote && ready_n > 0)
            wr_watch_drain(wfd);
        if (wr_store_changed(fs) == 1)
            wr_store_events_after(fs, 1, f.last, 0, on_event, &f, &err);
    }
    int status;
    waitpid(writer, &status, 0);
    if (wfd >= 0)
        wr_watch_close(wfd);
    wr_store_close(fs);
    wr_actor_free(&me);
    return f.n;
}

static stamps *stamps_new(int events)
{
    /* Shared with the writer (fork): MAP_SHARED. */
    size_t size = sizeof(stamps) + 5 * (size_t)events * sizeof(int64_t);
    void *page = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return NULL;
    stamps *t = page;
    t->sent = (int64_t *)(t + 1);
    t->acked = t->sent + events;
    t->seen = t->acked + events;
    t->seen_rt = t->seen + events;
    t->committed_rt = t->seen_rt + events;
    return t;
}

static double median_of(const int64_t *from, const int64_t *to, int events)
{
    double *v = calloc((size_t)events, sizeof *v);
    int n = 0;
    for (int i = 0; i < events; i++)
        if (from[i] && to[i])
            v[n++] = (double)(to[i] - from[i]) / 1000.0;
    qsort(v, (size_t)n, sizeof *v, cmp);
    double m = bench_median(v, (size_t)n);
    free(v);
    return m;
}

/* PostgreSQL: each bench event's commit time on the server (pg_xact_commit_timestamp of its row: taken as the
 * commit record is written, before its flush; CLOCK_REALTIME of this machine) into t->committed_rt. Needs the
 * server's track_commit_timestamp = on (bench/pg.sh sets it): 0 when read, else -1 with why. */
static int commit_times(const char *url, int events, stamps *t, char *why, size_t whysize)
{
#ifdef WARROOM_POSTGRES
    PGconn *c = PQconnectdb(url);
    PGresult *res = NULL;
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK)
        res = PQexec(c, "SELECT payload, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint"
                        " FROM warroom.events WHERE kind = 'note' ORDER BY seq");
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
        for (int r = 0; r < PQntuples(res); r++) {
            char *text = wr_event_payload_str(PQgetvalue(res, r, 0), "text");
            if (text && strncmp(text, "bench ", 6) == 0 && !PQgetisnull(res, r, 1)) {
                int i = atoi(text + 6);
                if (i >= 0 && i < events)
                    t->committed_rt[i] = strtoll(PQgetvalue(res, r, 1), NULL, 10);
            }
            free(text);
        }
        rc = 0;
    } else {
        const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c);
        snprintf(why, whysize, "%s", m ? m : "?");
        why[strcspn(why, "\n")] = '\0';
    }
    PQclear(res);
    PQfinish(c);
    return rc;
#else
    (void)url, (void)events, (void)t;
    snprintf(why, whysize, "built without PostgreSQL");
    return -1;
#endif
}

static int report(const char *label, const char *target, int seen, int events, int interval, stamps *t)
{
    printf("%s: propagation over %d events (one every %d ms), %s\n", label, seen < 0 ? 0 : seen, interval, target);
    if (seen > 0) {
        print_dist("acknowledged -> seen:", t->acked, t->seen, events);
        print_dist("write call -> seen:", t->sent, t->seen, events);
        print_dist("the write call itself:", t->sent, t->acked, events);
        print_dist("server commit -> seen:", t->committed_rt, t->seen_rt, events);
    }
    if (seen < events)
        printf("  only %d of %d events seen before the deadline\n", seen < 0 ? 0 : seen, events);
    return seen == events;
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    if (argc > 1 && strcmp(argv[1], "--pg") == 0) {
        if (argc < 4) {
            fprintf(stderr, "usage: bench_propagation --pg URL DIR [EVENTS [INTERVAL_MS]]\n");
            return 2;
        }
        url = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: bench_propagation DB [EVENTS [INTERVAL_MS]]\n"
                        "       bench_propagation --pg URL DIR [EVENTS [INTERVAL_MS]]\n");
        return 2;
    }
    int events = argc > 2 ? atoi(argv[2]) : 1000;
    int interval = argc > 3 ? atoi(argv[3]) : url ? 20 : 5;
    if (events <= 0 || interval < 0) {
        fprintf(stderr, "EVENTS must be positive, INTERVAL_MS not negative\n");
        return 2;
    }
    stamps *t = stamps_new(events);
    if (!t)
        return 1;
    if (!url) {
        /* The SQLite file alone, as before (its figures in docs/BENCHMARKS.md). */
        int seen = measure(argv[1], NULL, NULL, events, interval, t);
        printf("propagation over %d events (one every %d ms), %s\n", seen < 0 ? 0 : seen, interval, argv[1]);
        if (seen > 0) {
            print_dist("acknowledged -> seen:", t->acked, t->seen, events);
            print_dist("write call -> seen:", t->sent, t->seen, events);
        }
        if (seen < events)
            printf("  only %d of %d events seen before the deadline\n", seen < 0 ? 0 : seen, events);
        return seen == events ? 0 : 1;
    }

    const char *dir = argv[1];
    size_t dl = strlen(dir) + 16;
    char *file = malloc(dl), *a = malloc(dl), *b = malloc(dl);
    snprintf(file, dl, "%s/prop.db", dir);
    snprintf(a, dl, "%s/host-a", dir);
    snprintf(b, dl, "%s/host-b", dir);
    mkdir(a, 0700);
    mkdir(b, 0700);
    int ok = 1;
    int seen = measure(file, NULL, NULL, events, interval, t);
    ok &= report("sqlite", file, seen, events, interval, t);
    double sq_ack = median_of(t->acked, t->seen, events), sq_call = median_of(t->sent, t->seen, events);
    memset(t->sent, 0, 5 * (size_t)events * sizeof(int64_t));
    seen = measure(url, a, b, events, interval, t);
    char why[256];
    if (seen > 0 && commit_times(url, events, t, why, sizeof why) != 0)
        fprintf(stderr, "no server commit times (%s): set track_commit_timestamp = on\n", why);
    ok &= report("postgresql (two hosts: caches host-a, host-b)", url, seen, events, interval, t);
    double pg_ack = median_of(t->acked, t->seen, events), pg_call = median_of(t->sent, t->seen, events);
    if (seen > 0 && sq_call > 0)
        printf("postgresql / sqlite, medians: acknowledged -> seen %.2fx (%.2f vs %.2f ms), write call -> seen %.2fx "
               "(%.2f vs %.2f ms)\n", sq_ack > 0 ? pg_ack / sq_ack : 0, pg_ack, sq_ack, pg_call / sq_call, pg_call,
               sq_call);
    free(file);
    free(a);
    free(b);
    return ok ? 0 : 1;
}
