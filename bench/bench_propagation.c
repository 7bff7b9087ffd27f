/* SPDX-License-Identifier: MIT */
/* bench_propagation - how long from one operator's write to another process noticing it.
 *
 *   bench_propagation DB [EVENTS [INTERVAL_MS]]     (defaults 1000 and 5)
 *
 * A follower process watches the database exactly as `warroom tail -f` and the console do (inotify on the
 * directory to wake early, PRAGMA data_version polled every 200 ms, then the events after the last seen).
 * A writer appends EVENTS notes, one every INTERVAL_MS, each carrying its commit time. The follower records
 * (time noticed - time committed) for each; prints the median, 90th and 99th percentiles and the maximum. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct follow {
    int64_t last;
    double *lat;
    int n;
    int want;
} follow;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int on_event(const wr_event *ev, void *ctx)
{
    follow *f = ctx;
    f->last = ev->seq;
    char *t = wr_event_payload_str(ev->payload, "text");
    if (t && strncmp(t, "bench ", 6) == 0 && f->n < f->want) {
        long long sent = atoll(t + 6);
        f->lat[f->n++] = (double)(now_us() - sent) / 1000.0;
    }
    free(t);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_propagation DB [EVENTS [INTERVAL_MS]]\n");
        return 2;
    }
    const char *db = argv[1];
    int events = argc > 2 ? atoi(argv[2]) : 1000;
    int interval = argc > 3 ? atoi(argv[3]) : 5;
    wr_error err = {0};
    unlink(db);
    wr_store *st = wr_store_open(db, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    wr_actor me;
    wr_actor_set(&me, "bench", "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    wr_write w;
    wr_op_declare(&c, "Propagation", NULL, NULL, NULL, &w, &err);
    wr_op_commit(st, &w, 10000, NULL, NULL, &err);
    wr_store_close(st);

    int ready[2];
    if (pipe(ready) != 0)
        return 1;
    pid_t writer = fork();
    if (writer == 0) {
        char b;
        if (read(ready[0], &b, 1) != 1)
            _exit(1);
        wr_store *ws = wr_store_open(db, WR_OPEN_SINGLE_HOST, &err);
        wr_opctx wc = {ws, &me, "bench", 0};
        for (int i = 0; i < events; i++) {
            struct timespec nap = {0, (long)interval * 1000000L};
            nanosleep(&nap, NULL);
            char text[64];
            /* The time goes in just before the commit: the follower measures commit -> noticed. */
            snprintf(text, sizeof text, "bench %lld", (long long)now_us());
            wr_op_note(&wc, 1, text, &w, &err);
            if (wr_op_commit(ws, &w, 60000, NULL, NULL, &err) != WR_OK)
                _exit(1);
        }
        wr_store_close(ws);
        _exit(0);
    }
    follow f = {0, calloc((size_t)events, sizeof(double)), 0, events};
    wr_store *fs = wr_store_open(db, WR_OPEN_SINGLE_HOST | WR_OPEN_READONLY, &err);
    f.last = wr_store_last_seq(fs, &err);
    int wfd = wr_watch_open(db);
    if (write(ready[1], "g", 1) != 1)
        return 1;
    int64_t deadline = wr_clock_mono_ms() + (int64_t)events * (interval + 50) + 30000;
    while (f.n < events && wr_clock_mono_ms() < deadline) {
        struct pollfd p = {wfd, POLLIN, 0};
        if (poll(&p, wfd >= 0 ? 1 : 0, 200) > 0)
            wr_watch_drain(wfd);
        if (wr_store_changed(fs) == 1)
            wr_store_events_after(fs, 1, f.last, 0, on_event, &f, &err);
    }
    int status;
    waitpid(writer, &status, 0);
    qsort(f.lat, (size_t)f.n, sizeof(double), cmp);
    printf("propagation over %d events (one every %d ms), %s\n", f.n, interval, db);
    if (f.n) {
        printf("  median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", bench_median(f.lat, (size_t)f.n), f.lat[f.n * 9 / 10],
               f.lat[f.n * 99 / 100], f.lat[f.n - 1]);
    }
    if (f.n < events)
        printf("  only %d of %d events seen before the deadline\n", f.n, events);
    wr_watch_close(wfd);
    wr_store_close(fs);
    wr_actor_free(&me);
    free(f.lat);
    return f.n == events ? 0 : 1;
}
