/* SPDX-License-Identifier: MIT */
/* bench_write - write throughput with many writers at once.
 *
 *   bench_write DIR [PROCS [EVENTS_PER_PROC]]              (defaults 16 and 200)
 *   bench_write --pg URL DIR [PROCS [EVENTS_PER_PROC [HOSTS]]]       the same, then PostgreSQL (URL: an empty
 *                                                                    database); HOSTS defaults to 2
 *   bench_write --pg-only URL DIR [PROCS [EVENTS_PER_PROC [HOSTS]]]  PostgreSQL alone (bench/pg.sh --costs)
 *
 * Runs PROCS processes at once, each appending EVENTS_PER_PROC notes:
 *   1. "raw": the same transactions issued straight through the sqlite3 library with the same pragmas
 *      (journal_mode=TRUNCATE, synchronous=FULL) and a plain busy_timeout: BEGIN IMMEDIATE; INSERT the event;
 *      UPDATE the incident row; COMMIT;
 *   2. through warroom's store on a SQLite file in DIR (wr_op_note + wr_store_append: BEGIN IMMEDIATE,
 *      idempotency lookup, insert, apply, commit, jittered retries);
 *   3. with --pg, through warroom's store on PostgreSQL, as HOSTS "hosts": the first half of the processes keep
 *      their cache in DIR/host-a, the other half in DIR/host-b ($WARROOM_CACHE_DIR; with HOSTS other than 2,
 *      PROCS/HOSTS processes per cache, DIR/host-a, host-b, ...). Each append takes the
 *      server's append lock, brings its host's cache up to date, checks and applies there, copies the rows to the
 *      server, NOTIFY, commits.
 * Every process opens its store first; all start writing together (a pipe is the starting gun); the time runs
 * from the start to the last process's last acknowledgement. Prints events per second, each write call's
 * latency (median, p90, p99, max: CLOCK_MONOTONIC around wr_op_commit, or BEGIN..COMMIT for raw) and the
 * ratios. */
#include "stats.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { RAW, STORE };

/* What every writer process shares with the parent (MAP_SHARED): its end time and each write's latency. */
typedef struct shared {
    int64_t *end_us; /* per process */
    double *lat_ms;  /* procs x n, NaN-free: 0 until written */
} shared;

typedef struct job {
    const char *target;
    const char *cache_dir; /* PostgreSQL: the hosts' caches are cache_dir/host-a, host-b...; NULL for a file */
    int hosts;
    int procs, n, kind;
    int go; /* read end of the starting gun */
    int ready;
    shared *sh;
} job;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int signalled; /* this process told the parent it is ready (or gave up) */

/* Tell the parent this process is ready, and wait for the start. */
static int ready_wait(const job *j)
{
    char b = 'r';
    signalled = 1;
    if (write(j->ready, &b, 1) != 1)
        return -1;
    return read(j->go, &b, 1) < 0 ? -1 : 0; /* EOF: the parent closed it, go */
}

static int warroom_writer(const job *j, int id)
{
    wr_error err = {0};
    if (j->cache_dir) {
        char cache[4096];
        snprintf(cache, sizeof cache, "%s/host-%c", j->cache_dir, 'a' + id * j->hosts / j->procs);
        setenv("WARROOM_CACHE_DIR", cache, 1);
    }
    wr_store *st = wr_store_open(j->target, WR_OPEN_SINGLE_HOST, &err); /* the bench may run on an sshfs mount */
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    wr_actor me;
    char name[32];
    snprintf(name, sizeof name, "w%d", id);
    wr_actor_set(&me, name, "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    if (ready_wait(j) != 0)
        return 1;
    double *lat = j->sh->lat_ms + (size_t)id * (size_t)j->n;
    for (int i = 0; i < j->n; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s note %d", name, i);
        wr_write w;
        wr_op_note(&c, 1, text, &w, &err);
        int64_t t0 = now_us();
        if (wr_op_commit(st, &w, 120000, NULL, NULL, &err) != WR_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        lat[i] = (double)(now_us() - t0) / 1000.0;
    }
    j->sh->end_us[id] = now_us();
    wr_actor_free(&me);
    wr_store_close(st);
    return 0;
}

static int raw_writer(const job *j, int id)
{
    sqlite3 *h;
    if (sqlite3_open_v2(j->target, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return 1;
    sqlite3_busy_timeout(h, 120000);
    sqlite3_exec(h, "PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_stmt *ins, *upd;
    sqlite3_prepare_v2(h, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin, source,"
                          " kind, payload) VALUES (?1, 1, ?2, ?2, ?3, 'bench', 'local', 'bench', 'note', ?4)",
                       -1, &ins, NULL);
    sqlite3_prepare_v2(h, "UPDATE incidents SET last_seq = ?1, updated_at = ?2 WHERE id = 1", -1, &upd, NULL);
    if (ready_wait(j) != 0)
        return 1;
    double *lat = j->sh->lat_ms + (size_t)id * (size_t)j->n;
    for (int i = 0; i < j->n; i++) {
        char uid[33], name[32], payload[96];
        wr_uid_new(uid);
        snprintf(name, sizeof name, "r%d", id);
        snprintf(payload, sizeof payload, "{\"text\":\"%s note %d\"}", name, i);
        int64_t t0 = now_us();
        int rc;
        while ((rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) == SQLITE_BUSY) {
        }
        if (rc != SQLITE_OK)
            return 1;
        int64_t now = wr_clock_now_ms();
        sqlite3_bind_text(ins, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, now);
        sqlite3_bind_text(ins, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, payload, -1, SQLITE_STATIC);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        sqlite3_bind_int64(upd, 1, sqlite3_last_insert_rowid(h));
        sqlite3_bind_int64(upd, 2, now);
        sqlite3_step(upd);
        sqlite3_reset(upd);
        while ((rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL)) == SQLITE_BUSY) {
        }
        if (rc != SQLITE_OK)
            return 1;
        lat[i] = (double)(now_us() - t0) / 1000.0;
    }
    j->sh->end_us[id] = now_us();
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    sqlite3_close(h);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct result {
    double rate;                     /* events per second */
    double median, p90, p99, max;    /* per write call, ms */
    int failed;
} result;

static result run(const char *target, const char *cache_dir, int hosts, int procs, int n, int kind)
{
    result out = {0};
    size_t size = (size_t)procs * sizeof(int64_t) + (size_t)procs * (size_t)n * sizeof(double);
    void *page = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        out.failed = procs;
        return out;
    }
    shared sh = {page, (double *)((int64_t *)page + procs)};
    int go[2], ready[2];
    if (pipe(go) != 0 || pipe(ready) != 0) {
        out.failed = procs;
        return out;
    }
    job j = {target, cache_dir, hosts, procs, n, kind, go[0], ready[1], &sh};
    int started = 0;
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(go[1]);
            close(ready[0]);
            int rc = kind == RAW ? raw_writer(&j, p) : warroom_writer(&j, p);
            if (!signalled && write(ready[1], "x", 1) != 1) /* failed before the start: do not hold it up */
                rc = 1;
            _exit(rc);
        }
        started += pid > 0;
    }
    close(go[0]);
    close(ready[1]);
    char b;
    int readied = 0;
    while (readied < started && read(ready[0], &b, 1) == 1)
        readied++;
    int64_t t0 = now_us();
    close(go[1]); /* go */
    int failed = 0, status;
    while (wait(&status) > 0)
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    close(ready[0]);
    int64_t end = t0;
    for (int p = 0; p < procs; p++)
        if (sh.end_us[p] > end)
            end = sh.end_us[p];
    size_t total = (size_t)procs * (size_t)n, k = 0;
    double *lat = malloc(total * sizeof *lat);
    for (size_t i = 0; i < total; i++)
        if (sh.lat_ms[i] > 0)
            lat[k++] = sh.lat_ms[i];
    qsort(lat, k, sizeof *lat, cmp);
    out.failed = failed + (procs - started);
    out.rate = end > t0 ? (double)k / ((double)(end - t0) / 1e6) : 0;
    if (k) {
        out.median = bench_median(lat, k);
        out.p90 = lat[k * 9 / 10];
        out.p99 = lat[k * 99 / 100];
        out.max = lat[k - 1];
    }
    if (failed)
        fprintf(stderr, "%d writers failed\n", failed);
    free(lat);
    munmap(page, size);
    return out;
}

/* A fresh war room with one incident: a file in dir, or the empty PostgreSQL database url (then each host's
 * cache is made and brought up to date here, before the clock runs). */
static char *fresh_db(const char *dir, const char *name, const char *url, int hosts)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    if (url) {
        free(path);
        path = strdup(url);
    } else {
        unlink(path);
    }
    wr_error err = {0};
    char cache[4096];
    if (url) {
        snprintf(cache, sizeof cache, "%s/host-a", dir);
        mkdir(cache, 0700);
        setenv("WARROOM_CACHE_DIR", cache, 1);
    }
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    wr_actor me;
    wr_actor_set(&me, "bench", "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    wr_write w;
    wr_op_declare(&c, "Benchmark", NULL, NULL, NULL, &w, &err);
    if (wr_op_commit(st, &w, 10000, NULL, NULL, &err) != WR_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    wr_actor_free(&me);
    wr_store_close(st);
    for (int h = 1; url && h < hosts; h++) {
        snprintf(cache, sizeof cache, "%s/host-%c", dir, 'a' + h);
        mkdir(cache, 0700);
        setenv("WARROOM_CACHE_DIR", cache, 1);
        st = wr_store_open(path, WR_OPEN_SINGLE_HOST, &err);
        if (!st) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        wr_store_close(st);
    }
    return path;
}

static void print_result(const char *label, const result *r)
{
    printf("  %-47s %8.0f events/s; per write: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%s\n", label,
           r->rate, r->median, r->p90, r->p99, r->max, r->failed ? " (WRITERS FAILED)" : "");
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    int pg_only = argc > 1 && strcmp(argv[1], "--pg-only") == 0;
    if (argc > 1 && (strcmp(argv[1], "--pg") == 0 || pg_only)) {
        if (argc < 4) {
            fprintf(stderr, "usage: bench_write %s URL DIR [PROCS [EVENTS_PER_PROC]]\n", argv[1]);
            return 2;
        }
        url = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: bench_write DIR [PROCS [EVENTS_PER_PROC]]\n"
                        "       bench_write --pg|--pg-only URL DIR [PROCS [EVENTS_PER_PROC]]\n");
        return 2;
    }
    int procs = argc > 2 ? atoi(argv[2]) : 16;
    int n = argc > 3 ? atoi(argv[3]) : 200;
    int hosts = argc > 4 ? atoi(argv[4]) : 2;
    if (procs <= 0 || n <= 0 || hosts <= 0 || hosts > 26 || hosts > procs) {
        fprintf(stderr, "PROCS and EVENTS_PER_PROC must be positive, HOSTS 1 to 26 and at most PROCS\n");
        return 2;
    }
    const char *dir = argv[1];
    printf("write throughput, %d processes x %d events, %s\n", procs, n, dir);
    result wr = {0};
    int failed = 0;
    if (!pg_only) {
        char *a = fresh_db(dir, "bench-warroom.db", NULL, 0);
        char *b = fresh_db(dir, "bench-raw.db", NULL, 0);
        result raw = run(b, NULL, 0, procs, n, RAW);
        wr = run(a, NULL, 0, procs, n, STORE);
        print_result("raw sqlite3 (same pragmas, same transactions):", &raw);
        print_result("warroom store:", &wr);
        printf("  warroom / raw: %.0f%%\n", 100.0 * wr.rate / raw.rate);
        failed = raw.failed + wr.failed;
        free(a);
        free(b);
    }
    if (url) {
        char *pg = fresh_db(dir, "", url, hosts);
        result r = run(pg, dir, hosts, procs, n, STORE);
        if (hosts == 2)
            printf("  on PostgreSQL, %d + %d processes on two hosts (caches host-a, host-b)\n", procs / 2,
                   procs - procs / 2);
        else
            printf("  on PostgreSQL, %d processes on %d host%s (caches host-a...)\n", procs, hosts, hosts > 1 ? "s" : "");
        print_result("warroom store, PostgreSQL:", &r);
        if (!pg_only)
            printf("  postgresql / sqlite (warroom store): %.0f%% of the events/s, median write %.1fx, p99 %.1fx\n",
                   100.0 * r.rate / wr.rate, wr.median > 0 ? r.median / wr.median : 0,
                   wr.p99 > 0 ? r.p99 / wr.p99 : 0);
        failed += r.failed;
        free(pg);
    }
    return failed ? 1 : 0;
}
