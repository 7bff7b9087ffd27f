/* SPDX-License-Identifier: MIT */
/* bench_alert_http.c - alerts per second through `warroom alert --http`, one process per request as systemd
 * (Accept=yes), xinetd or socat run it: the request is written to the process's stdin, the answer read from
 * its stdout, and the time runs from starting the process to its exit. Payloads of 1, 100 and 5000 alerts
 * (Alertmanager's webhook shape, version 4); first as new alerts, then the same payloads again (a
 * re-notification: only last seen changes). For the ratio, new payloads of the same size also go as plain
 * JSON to `warroom alert` on stdin (no HTTP), taking turns with the --http ones.
 *
 *   bench_alert_http WARROOM_BIN DIR   (DIR: where the database goes)
 */
#include "stats.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* An HTTP request with n alerts named "<tag>-<i>" (realistic size: 6 labels, 3 annotations). */
static char *request(const char *tag, int n, size_t *len)
{
    size_t cap = 1024 + (size_t)n * 700, off = 0;
    char *body = malloc(cap);
    off += (size_t)snprintf(body + off, cap - off, "{\"receiver\":\"warroom\",\"status\":\"firing\",\"alerts\":[");
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(body + off, cap - off,
            "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"%s\",\"cluster\":\"prod-eu-1\",\"namespace\":"
            "\"payments\",\"pod\":\"api-%d\",\"severity\":\"warning\",\"job\":\"kube-state-metrics\"},"
            "\"annotations\":{\"summary\":\"Pod api-%d is crash looping\",\"description\":\"Pod payments/api-%d is "
            "in waiting state (reason: CrashLoopBackOff).\",\"runbook_url\":\"https://runbooks.example/"
            "kubepodcrashlooping\"},\"startsAt\":\"2026-03-01T08:52:31.862Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
            "\"generatorURL\":\"https://prometheus.example/graph?g0.expr=x\"}",
            i ? "," : "", tag, i, i, i);
    off += (size_t)snprintf(body + off, cap - off, "],\"groupLabels\":{},\"commonLabels\":{},\"externalURL\":"
                                                   "\"http://am\",\"version\":\"4\",\"groupKey\":\"{}:{}\"}");
    char *req = malloc(off + 256);
    int h = snprintf(req, 256, "POST /alerts/bench HTTP/1.1\r\nHost: 127.0.0.1:9097\r\nContent-Type: "
                               "application/json\r\nContent-Length: %zu\r\n\r\n", off);
    memcpy(req + h, body, off);
    free(body);
    *len = (size_t)h + off;
    return req;
}

/* One request through one process; the time in ms, or -1 unless it answered 200 (--http) or exited 0. */
static double one(const char *bin, const char *db, const char *req, size_t len, int http)
{
    if (!http) { /* the body alone, on one line */
        const char *b = strstr(req, "\r\n\r\n") + 4;
        len -= (size_t)(b - req);
        req = b;
    }
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        if (!freopen("/dev/null", "w", stderr))
            _exit(127);
        if (http)
            execl(bin, bin, "--db", db, "alert", "--http", (char *)NULL);
        else
            execl(bin, bin, "--db", db, "alert", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(in[1], req + off, len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(in[1]);
    char buf[65536], head[16] = "";
    ssize_t n;
    size_t got = 0;
    while ((n = read(out[0], buf, sizeof buf)) > 0) {
        if (got < sizeof head - 1) {
            size_t k = (size_t)n < sizeof head - 1 - got ? (size_t)n : sizeof head - 1 - got;
            memcpy(head + got, buf, k);
        }
        got += (size_t)n;
    }
    close(out[0]);
    int st;
    waitpid(pid, &st, 0);
    double t = now_ms() - t0;
    if (!http)
        return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
    return strncmp(head, "HTTP/1.1 200", 12) == 0 ? t : -1;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, int n, double *t, int rounds, double total)
{
    qsort(t, (size_t)rounds, sizeof *t, cmp);
    printf("  %4d alert%s per request, %-13s %3d requests: median %7.1f ms per request, %8.0f alerts/s\n", n,
           n == 1 ? " " : "s", what, rounds, bench_median(t, (size_t)rounds), n * rounds / (total / 1000.0));
}

/* One timed request: mode 0 new alerts through --http, 1 new alerts on stdin, 2 the --http ones of round r
 * again (re-notified). 0 ok. */
static int take(const char *bin, const char *db, int n, int r, int mode, double *t, double *total)
{
    char tag[32];
    snprintf(tag, sizeof tag, "%s%d-%d", mode == 1 ? "Stdin" : "Http", n, r);
    size_t len;
    char *req = request(tag, n, &len);
    double ms = one(bin, db, req, len, mode != 1);
    free(req);
    if (ms < 0) {
        fprintf(stderr, "bench_alert_http: a request of %d alerts was not taken\n", n);
        return 1;
    }
    t[r] = ms;
    *total += ms;
    return 0;
}

/* rounds requests of n alerts: new ones through --http and on stdin, taking turns (so both see the same
 * database size), then the --http ones again (re-notified). Fills the alerts/s of each; 0 ok. */
static int run(const char *bin, const char *db, int n, int rounds, double rate[3])
{
    double *t[3], total[3] = {0, 0, 0};
    for (int m = 0; m < 3; m++)
        t[m] = calloc((size_t)rounds, sizeof *t[m]);
    int rc = 0;
    for (int r = 0; r < rounds && !rc; r++)
        for (int m = 0; m < 2 && !rc; m++)
            rc = take(bin, db, n, r, m, t[m], &total[m]);
    for (int r = 0; r < rounds && !rc; r++)
        rc = take(bin, db, n, r, 2, t[2], &total[2]);
    if (!rc) {
        report("new,", n, t[0], rounds, total[0]);
        report("new, stdin,", n, t[1], rounds, total[1]);
        report("re-notified,", n, t[2], rounds, total[2]);
        for (int m = 0; m < 3; m++)
            rate[m] = n * rounds / (total[m] / 1000.0);
    }
    for (int m = 0; m < 3; m++)
        free(t[m]);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_alert_http WARROOM_BIN DIR\n");
        return 2;
    }
    char db[4096];
    snprintf(db, sizeof db, "%s/alert-http.db", argv[2]);
    unlink(db);
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' init >/dev/null", argv[1], db);
    if (system(cmd) != 0)
        return 1;
    printf("alerts through `warroom alert --http`, one process per request (start to exit)\n");
    static const int sizes[3] = {1, 100, 5000}, rounds[3] = {40, 20, 5};
    double rate[3][3];
    for (int i = 0; i < 3; i++)
        if (run(argv[1], db, sizes[i], rounds[i], rate[i]) != 0)
            return 1;
    printf("--http / stdin, new alerts: %.0f%% (1), %.0f%% (100), %.0f%% (5000)\n", 100 * rate[0][0] / rate[0][1],
           100 * rate[1][0] / rate[1][1], 100 * rate[2][0] / rate[2][1]);
    return 0;
}
