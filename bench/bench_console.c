/* SPDX-License-Identifier: MIT */
/* bench_console - the console's start-up time, idle cost, memory and terminal traffic, measured on the real
 * binary in a pseudo-terminal (120x40, TERM=xterm-256color).
 *
 *   bench_console WARROOM_BINARY DIR [IDLE_SECONDS]      (default 60)
 *
 * 1. Builds DIR/console.db: 1,000 incidents (999 closed) and one open incident with 100,000 timeline events.
 * 2. Start-up: time from exec to the first complete screen (the output holds both the open incident's title and
 *    its newest timeline entry), over 10 runs: median and worst.
 * 3. Idle: CPU time (utime + stime) of a console doing nothing for IDLE_SECONDS, as a share of one core; its
 *    resident memory (VmRSS) with the 100,000-event incident open.
 * 4. Terminal traffic: bytes written to the terminal for one incoming timeline entry (another process writes a
 *    note) on an otherwise idle screen, and for a full repaint (C-l).
 */
#include "stats.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TITLE "Checkout latency regression"

static void build(const char *db)
{
    wr_error err = {0};
    unlink(db);
    wr_store *st = wr_store_open(db, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    wr_store_close(st);
    sqlite3 *h;
    sqlite3_open(db, &h);
    sqlite3_exec(h, "PRAGMA journal_mode=TRUNCATE; BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *inc, *ev;
    sqlite3_prepare_v2(h, "INSERT INTO incidents(id, uid, title, severity, status, type, kind, declared_at, updated_at,"
                          " last_seq) VALUES (?1, ?2, ?3, 'SEV3', ?4, 'outage', 'real', ?5, ?5, 0)", -1, &inc, NULL);
    sqlite3_prepare_v2(h, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin, source,"
                          " kind, payload) VALUES (?1, ?2, ?3, ?3, 'bench', 'bench', 'local', 'bench', ?4, ?5)",
                       -1, &ev, NULL);
    int64_t t0 = wr_clock_now_ms() - 86400000LL * 30;
    for (int i = 1; i <= 1000; i++) {
        char uid[33], title[64];
        wr_uid_new(uid);
        snprintf(title, sizeof title, i == 1000 ? TITLE : "Old incident %d", i);
        sqlite3_bind_int(inc, 1, i);
        sqlite3_bind_text(inc, 2, uid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(inc, 3, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(inc, 4, i == 1000 ? "containment" : "closed", -1, SQLITE_STATIC);
        sqlite3_bind_int64(inc, 5, t0 + i * 1000);
        sqlite3_step(inc);
        sqlite3_reset(inc);
        char payload[160];
        snprintf(payload, sizeof payload, "{\"title\":\"%s\",\"severity\":\"SEV3\",\"type\":\"outage\",\"kind\":\"real\","
                 "\"status\":\"triage\"}", title);
        sqlite3_bind_text(ev, 1, uid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ev, 2, i);
        sqlite3_bind_int64(ev, 3, t0 + i * 1000);
        sqlite3_bind_text(ev, 4, "incident.declared", -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 5, payload, -1, SQLITE_TRANSIENT);
        sqlite3_step(ev);
        sqlite3_reset(ev);
    }
    for (int i = 0; i < 100000; i++) {
        char uid[33], payload[96];
        wr_uid_new(uid);
        snprintf(payload, sizeof payload, "{\"text\":\"timeline entry %d\"}", i);
        sqlite3_bind_text(ev, 1, uid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ev, 2, 1000);
        sqlite3_bind_int64(ev, 3, t0 + 2000000 + i);
        sqlite3_bind_text(ev, 4, "note", -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 5, payload, -1, SQLITE_TRANSIENT);
        sqlite3_step(ev);
        sqlite3_reset(ev);
    }
    sqlite3_finalize(inc);
    sqlite3_finalize(ev);
    sqlite3_exec(h, "UPDATE incidents SET last_seq = (SELECT max(seq) FROM events e WHERE e.incident = incidents.id);"
                    " COMMIT", NULL, NULL, NULL);
    sqlite3_close(h);
}

typedef struct child {
    pid_t pid;
    int fd;
    char *out;
    size_t len, cap;
} child;

static void spawn(child *c, const char *bin, const char *db)
{
    struct winsize ws = {40, 120, 0, 0};
    memset(c, 0, sizeof *c);
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    if (c->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        execl(bin, bin, "--db", db, (char *)NULL);
        _exit(127);
    }
}

/* Read what the child wrote within ms; returns bytes read. */
static size_t pump(child *c, int ms)
{
    size_t got = 0;
    int64_t end = wr_clock_mono_ms() + ms;
    for (;;) {
        int64_t left = end - wr_clock_mono_ms();
        if (left <= 0)
            break;
        struct pollfd p = {c->fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0)
            break;
        char buf[65536];
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        if (c->len + (size_t)n + 1 > c->cap) {
            c->cap = (c->len + (size_t)n + 1) * 2;
            c->out = realloc(c->out, c->cap);
        }
        memcpy(c->out + c->len, buf, (size_t)n);
        c->len += (size_t)n;
        c->out[c->len] = '\0';
        got += (size_t)n;
    }
    return got;
}

/* Read until the output stays quiet for quiet_ms; returns bytes read. */
static size_t drain(child *c, int quiet_ms)
{
    size_t total = 0, n;
    while ((n = pump(c, quiet_ms)) > 0)
        total += n;
    return total;
}

static void stop(child *c)
{
    kill(c->pid, SIGTERM);
    drain(c, 100);
    waitpid(c->pid, NULL, 0);
    close(c->fd);
    free(c->out);
}

static long cpu_ticks(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    long utime = 0, stime = 0;
    /* fields after ')': state(3) ... utime(14) stime(15) */
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &utime, &stime) == 2)
        return utime + stime;
    return -1;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_console WARROOM_BINARY DIR [IDLE_SECONDS]\n");
        return 2;
    }
    const char *bin = argv[1];
    int idle_s = argc > 3 ? atoi(argv[3]) : 60;
    char db[4096];
    snprintf(db, sizeof db, "%s/console.db", argv[2]);
    build(db);
    printf("console, 1,000 incidents and an open one with 100,000 events, 120x40 pty\n");

    double ms[10];
    for (int r = 0; r < 10; r++) {
        child c;
        int64_t t0 = wr_clock_mono_ms();
        spawn(&c, bin, db);
        ms[r] = -1;
        while (wr_clock_mono_ms() - t0 < 10000) {
            if (!pump(&c, 20) && c.len == 0)
                continue;
            if (c.out && strstr(c.out, TITLE) && strstr(c.out, "timeline entry 99999")) {
                ms[r] = (double)(wr_clock_mono_ms() - t0);
                break;
            }
        }
        stop(&c);
    }
    qsort(ms, 10, sizeof ms[0], cmpd);
    printf("  start-up to the first complete screen: median %.0f ms, worst %.0f ms (10 runs)\n", bench_median(ms, 10), ms[9]);

    child c;
    spawn(&c, bin, db);
    drain(&c, 1500);
    long hz = sysconf(_SC_CLK_TCK);
    long before = cpu_ticks(c.pid);
    int64_t t0 = wr_clock_mono_ms();
    size_t idle_bytes = 0;
    while (wr_clock_mono_ms() - t0 < (int64_t)idle_s * 1000)
        idle_bytes += pump(&c, 1000);
    long after = cpu_ticks(c.pid);
    double wall = (double)(wr_clock_mono_ms() - t0) / 1000.0;
    printf("  idle for %.0f s: %.3f s of CPU = %.3f%% of one core; %zu bytes written to the terminal meanwhile\n",
           wall, (double)(after - before) / (double)hz, 100.0 * (double)(after - before) / (double)hz / wall,
           idle_bytes);
    printf("  resident memory with the 100,000-event incident open: %.1f MB\n", (double)rss_kb(c.pid) / 1024.0);

    /* One incoming timeline entry. */
    wr_error err = {0};
    wr_store *st = wr_store_open(db, WR_OPEN_SINGLE_HOST, &err);
    wr_actor me;
    wr_actor_set(&me, "other", "other", "local", "localhost");
    wr_opctx oc = {st, &me, "cli", 0};
    size_t sum = 0;
    for (int k = 0; k < 5; k++) {
        drain(&c, 1200);
        wr_write w;
        wr_op_note(&oc, 1000, "Rolled back the 14:02 deploy; p99 back to 180 ms", &w, &err);
        wr_op_commit(st, &w, 10000, NULL, NULL, &err);
        sum += drain(&c, 1200);
    }
    printf("  one incoming timeline entry: %zu bytes to the terminal (mean of 5)\n", sum / 5);
    drain(&c, 500);
    if (write(c.fd, "\x0c", 1) == 1) /* C-l: full repaint */
        printf("  full repaint (C-l): %zu bytes\n", drain(&c, 800));
    wr_store_close(st);
    wr_actor_free(&me);
    stop(&c);
    return 0;
}
