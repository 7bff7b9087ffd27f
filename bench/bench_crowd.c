/* SPDX-License-Identifier: MIT */
/* bench_crowd - a crowded war room: N consoles in pseudo-terminals (forkpty, no multiplexer) watching one
 * incident while W writer processes write notes through the command line.
 *
 *   bench_crowd WARROOM_BINARY DIR [N [W [IDLE_SECONDS [NOTES_PER_WRITER]]]]   (100 16 60 30)
 *
 * Prints:
 * (a) idle: CPU time (utime + stime from /proc/PID/stat, in clock ticks; and the exact time on a CPU from
 *     /proc/PID/schedstat) of 1 console, then of N consoles, over IDLE_SECONDS after a settling time
 *     (CROWD_SETTLE_S, 5 s), as a share of one core (all together and per console), and their resident
 *     memory (VmRSS);
 * (b) the write rate of W writers (each `warroom note` NOTES_PER_WRITER times, one process per note) with no
 *     console open, then with the N consoles watching, and the ratio;
 * (c) propagation: from an event's recorded_at (taken in its write transaction, just before the commit) to
 *     the moment the LAST of the N consoles had written a frame showing it to its terminal, p50/p99/max,
 *     for notes written one at a time (every 200 ms; also from the end of the writer's process, which is
 *     after its commit) and during (b). The consoles say when through
 *     WARROOM_TRACE_FD ("PID SEQ NS" after such a frame; CLOCK_REALTIME on both sides, one host). A binary
 *     without that hook (an older warroom) gets "n/a" there;
 * (d) whether an idle console's cost depends on N: per-console CPU with N consoles / with 1.
 * Also: how many consoles hold an inotify descriptor (the kernel's per-user limit, fs.inotify.
 * max_user_instances, may leave some polling), and the load average before and after.
 * The bench's own process (it drains every terminal) is not counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXC 512
#define MAXSEQ 100000

typedef struct con {
    pid_t pid;
    int fd;
    int ready;       /* its first screen is drawn */
    int dead;        /* its terminal was closed */
    char tail[16];   /* the last bytes read, to find "Timeline" across reads */
    int64_t shown;   /* the newest seq it said it showed */
} con;

static con cons[MAXC];
static int ncons;
static int trace_rd = -1, trace_wr = -1;
static char trace_buf[8192];
static size_t trace_len;
static int64_t *shown_at; /* per seq: ns when the last console showed it (max over consoles so far) */
static int *shown_by;     /* per seq: how many consoles showed it */
static int64_t *exited_at; /* per seq (one-at-a-time notes): ns when the writer process had ended */
static int traced;        /* any trace line came at all */
static const char *bin, *db;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static con *by_pid(pid_t pid)
{
    for (int i = 0; i < ncons; i++)
        if (cons[i].pid == pid)
            return &cons[i];
    return NULL;
}

static void trace_line(char *line)
{
    long pid;
    long long seq, ns;
    if (sscanf(line, "%ld %lld %lld", &pid, &seq, &ns) != 3)
        return;
    con *c = by_pid((pid_t)pid);
    if (!c)
        return;
    traced = 1;
    c->ready = 1;
    for (int64_t s = c->shown + 1; s <= seq && s < MAXSEQ; s++) {
        if (ns > shown_at[s])
            shown_at[s] = ns;
        shown_by[s]++;
    }
    if (seq > c->shown)
        c->shown = seq;
}

/* Drain every terminal and the trace pipe for ms milliseconds (0: what is there now). */
static void pump(int ms)
{
    static struct pollfd pf[MAXC + 1];
    int64_t end = mono_ms() + ms;
    for (;;) {
        int n = 0;
        for (int i = 0; i < ncons; i++)
            pf[n++] = (struct pollfd){cons[i].dead ? -1 : cons[i].fd, POLLIN, 0};
        pf[n++] = (struct pollfd){trace_rd, POLLIN, 0};
        int64_t left = end - mono_ms();
        int r = poll(pf, (nfds_t)n, left > 0 ? (int)left : 0);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            if (left <= 0 || r < 0)
                return;
            continue;
        }
        char buf[65536];
        for (int i = 0; i < ncons; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t k = read(cons[i].fd, buf, sizeof buf - 1);
            if (k < 0 && errno == EIO)
                cons[i].dead = 1; /* its terminal closed: the console ended */
            if (k <= 0)
                continue;
            if (!cons[i].ready) {
                char two[sizeof cons[i].tail + 64];
                size_t tl = strlen(cons[i].tail);
                memcpy(two, cons[i].tail, tl);
                size_t m = (size_t)k < 63 ? (size_t)k : 63;
                memcpy(two + tl, buf, m);
                two[tl + m] = '\0';
                buf[k] = '\0';
                if (memmem(buf, (size_t)k, "Timeline", 8) || strstr(two, "Timeline"))
                    cons[i].ready = 1;
                size_t keep = (size_t)k < sizeof cons[i].tail - 1 ? (size_t)k : sizeof cons[i].tail - 1;
                memcpy(cons[i].tail, buf + k - keep, keep);
                cons[i].tail[keep] = '\0';
            }
        }
        if (pf[ncons].revents & POLLIN) {
            ssize_t k = read(trace_rd, trace_buf + trace_len, sizeof trace_buf - trace_len - 1);
            if (k > 0) {
                trace_len += (size_t)k;
                trace_buf[trace_len] = '\0';
                char *p = trace_buf, *nl;
                while ((nl = strchr(p, '\n')) != NULL) {
                    *nl = '\0';
                    trace_line(p);
                    p = nl + 1;
                }
                trace_len -= (size_t)(p - trace_buf);
                memmove(trace_buf, p, trace_len);
            }
        }
        if (ms == 0 || mono_ms() >= end)
            return;
    }
}

static void start_console(void)
{
    con *c = &cons[ncons];
    memset(c, 0, sizeof *c);
    struct winsize ws = {40, 120, 0, 0};
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    if (c->pid < 0) {
        perror("forkpty");
        exit(1);
    }
    if (c->pid == 0) {
        dup2(trace_wr, 3);
        setenv("WARROOM_TRACE_FD", "3", 1);
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        execl(bin, bin, "--db", db, (char *)NULL);
        _exit(127);
    }
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    fcntl(c->fd, F_SETFD, FD_CLOEXEC); /* the next consoles and writers do not hold it */
    ncons++;
}

static int all_ready(void)
{
    for (int i = 0; i < ncons; i++)
        if (!cons[i].ready)
            return 0;
    return 1;
}

static void stop_consoles(void)
{
    for (int i = 0; i < ncons; i++)
        kill(cons[i].pid, SIGTERM);
    int64_t end = mono_ms() + 10000;
    for (int i = 0; i < ncons; i++) {
        while (waitpid(cons[i].pid, NULL, WNOHANG) == 0) {
            pump(20);
            if (mono_ms() > end) {
                kill(cons[i].pid, SIGKILL);
                waitpid(cons[i].pid, NULL, 0);
            }
        }
        close(cons[i].fd);
    }
    ncons = 0;
}

static double cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (p)
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The same from /proc/PID/schedstat (time on a CPU in ns: exact, where stat counts clock ticks). */
static double sched_s(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    unsigned long long ns = 0;
    if (f) {
        if (fscanf(f, "%llu", &ns) != 1)
            ns = 0;
        fclose(f);
    }
    return (double)ns / 1e9;
}

static double rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb / 1024.0;
}

static int has_inotify(pid_t pid)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ls -l /proc/%d/fd 2>/dev/null | grep -q inotify", (int)pid);
    return system(cmd) == 0;
}

static void run(char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        int nul = open("/dev/null", O_RDWR);
        dup2(nul, 1);
        dup2(nul, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_crowd: %s %s failed\n", argv[0], argv[3] ? argv[3] : "");
        exit(1);
    }
}

static void note(const char *text)
{
    char *argv[] = {(char *)bin, "--db", (char *)db, "note", (char *)text, NULL};
    run(argv);
}

/* W writer processes, each writing `per` notes one process at a time; the consoles' terminals drained
 * meanwhile. Events per second. */
static double writers(int w, int per, const char *tag)
{
    int64_t t0 = mono_ms();
    pid_t *kids = calloc((size_t)w, sizeof *kids);
    for (int i = 0; i < w; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            for (int k = 0; k < per; k++) {
                char text[64];
                snprintf(text, sizeof text, "%s writer %d note %d", tag, i, k);
                note(text);
            }
            _exit(0);
        }
    }
    int left = w;
    while (left) {
        pid_t p = waitpid(-1, NULL, WNOHANG);
        if (p > 0) {
            for (int i = 0; i < w; i++)
                if (kids[i] == p)
                    kids[i] = 0, left--;
            continue;
        }
        pump(ncons ? 10 : 0);
        if (!ncons)
            usleep(10000);
    }
    free(kids);
    return (double)w * per * 1000.0 / (double)(mono_ms() - t0);
}

static int64_t last_seq(void)
{
    sqlite3 *h;
    int64_t v = 0;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 5000);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(h, "SELECT coalesce(max(seq), 0) FROM events", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return v;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Propagation of the events with seq in (from, to] to all consoles. */
static void propagation(const char *what, int64_t from, int64_t to)
{
    if (!traced) {
        printf("  propagation %s: n/a (this binary has no WARROOM_TRACE_FD)\n", what);
        return;
    }
    int64_t deadline = mono_ms() + 10000;
    while (mono_ms() < deadline) { /* every console shows the last one (or 10 s pass) */
        int done = 1;
        for (int i = 0; i < ncons; i++)
            if (cons[i].shown < to)
                done = 0;
        if (done)
            break;
        pump(50);
    }
    sqlite3 *h;
    sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(h, "SELECT seq, recorded_at FROM events WHERE seq > ?1 AND seq <= ?2", -1, &s, NULL);
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    double *d = calloc((size_t)(to - from + 1), sizeof *d), *e = calloc((size_t)(to - from + 1), sizeof *e);
    int n = 0, ne = 0, missing = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(s, 0), rec = sqlite3_column_int64(s, 1);
        if (seq >= MAXSEQ || shown_by[seq] < ncons) {
            missing++;
            continue;
        }
        d[n] = (double)(shown_at[seq] - rec * 1000000LL) / 1e6;
        if (exited_at[seq])
            e[ne++] = (double)(shown_at[seq] - exited_at[seq]) / 1e6;
        n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    qsort(d, (size_t)n, sizeof *d, cmp_d);
    if (n)
        printf("  propagation %s, to the last of %d consoles: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d events%s)\n",
               what, ncons, d[n / 2], d[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], d[n - 1], n,
               missing ? ", some not shown by every console within 10 s" : "");
    if (ne) {
        qsort(e, (size_t)ne, sizeof *e, cmp_d);
        printf("  ... the same from the end of the writer's process (after its commit): p50 %.1f ms, p99 %.1f ms, "
               "max %.1f ms\n", e[ne / 2], e[(ne * 99) / 100 < ne ? (ne * 99) / 100 : ne - 1], e[ne - 1]);
    }
    if (missing)
        printf("  propagation %s: %d events not shown by every console within 10 s\n", what, missing);
    free(d);
    free(e);
}

/* Idle CPU of the open consoles over secs seconds: the share of one core of all of them together. */
static double idle(int secs, double *max_rss, double *mean_rss, int *inotify, double *exact)
{
    const char *e = getenv("CROWD_SETTLE_S");
    pump((e ? atoi(e) : 5) * 1000); /* let start-up settle (every console reads who came) */
    double *c0 = calloc((size_t)ncons, sizeof *c0), *x0 = calloc((size_t)ncons, sizeof *x0), total = 0, xt = 0;
    for (int i = 0; i < ncons; i++) {
        c0[i] = cpu_s(cons[i].pid);
        x0[i] = sched_s(cons[i].pid);
    }
    int64_t t0 = mono_ms();
    pump(secs * 1000);
    double wall = (double)(mono_ms() - t0) / 1000.0;
    *max_rss = *mean_rss = 0;
    *inotify = 0;
    for (int i = 0; i < ncons; i++) {
        total += cpu_s(cons[i].pid) - c0[i];
        xt += sched_s(cons[i].pid) - x0[i];
        double r = rss_mb(cons[i].pid);
        *mean_rss += r / ncons;
        if (r > *max_rss)
            *max_rss = r;
        *inotify += has_inotify(cons[i].pid);
    }
    free(c0);
    free(x0);
    *exact = xt / wall * 100.0;
    return total / wall * 100.0;
}

static void open_consoles(int n)
{
    for (int i = 0; i < n; i++)
        start_console();
    int64_t deadline = mono_ms() + 60000;
    while (!all_ready() && mono_ms() < deadline)
        pump(50);
    for (int i = 0; i < ncons; i++) {
        int st;
        if (waitpid(cons[i].pid, &st, WNOHANG) == cons[i].pid) {
            fprintf(stderr, "bench_crowd: a console ended at start-up (status 0x%x)\n", st);
            exit(1);
        }
    }
    if (!all_ready()) {
        fprintf(stderr, "bench_crowd: not every console drew its screen within 60 s\n");
        exit(1);
    }
}

static void loadavg(const char *when)
{
    double l[3] = {0, 0, 0};
    getloadavg(l, 3);
    printf("  load average %s: %.2f %.2f %.2f\n", when, l[0], l[1], l[2]);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_crowd WARROOM_BINARY DIR [N [W [IDLE_SECONDS [NOTES_PER_WRITER]]]]\n");
        return 2;
    }
    bin = argv[1];
    int n = argc > 3 ? atoi(argv[3]) : 100, w = argc > 4 ? atoi(argv[4]) : 16;
    int secs = argc > 5 ? atoi(argv[5]) : 60, per = argc > 6 ? atoi(argv[6]) : 30;
    if (n < 1 || n > MAXC || w < 1 || secs < 1 || per < 1) {
        fprintf(stderr, "bench_crowd: N 1..%d, W >= 1, IDLE_SECONDS >= 1, NOTES_PER_WRITER >= 1\n", MAXC);
        return 2;
    }
    static char dbp[4096];
    snprintf(dbp, sizeof dbp, "%s/crowd.db", argv[2]);
    db = dbp;
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    shown_at = calloc(MAXSEQ, sizeof *shown_at);
    shown_by = calloc(MAXSEQ, sizeof *shown_by);
    exited_at = calloc(MAXSEQ, sizeof *exited_at);
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return 1;
    trace_rd = pfd[0];
    trace_wr = pfd[1];
    fcntl(trace_rd, F_SETFL, O_NONBLOCK);
    unlink(db);
    char *init[] = {(char *)bin, "--db", (char *)db, "init", NULL};
    run(init);
    char *decl[] = {(char *)bin, "--db", (char *)db, "declare", "Checkout down for everyone", NULL};
    run(decl);
    for (int i = 0; i < 20; i++)
        note("warm-up note");

    printf("crowd: %d consoles (120x40 ptys) on one incident, %d writers x %d notes, %s\n", n, w, per, bin);
    loadavg("at the start");
    double rate0 = writers(w, per, "alone");
    printf("  (b) write rate, no console open:     %6.1f events/s\n", rate0);

    double maxr, meanr, one_x, all_x;
    int ino;
    open_consoles(1);
    double one = idle(secs, &maxr, &meanr, &ino, &one_x);
    printf("  (a) idle, 1 console, %d s:   %.3f%% of one core (schedstat: %.4f%%); resident %.1f MB\n", secs, one,
           one_x, maxr);
    stop_consoles();

    open_consoles(n);
    double all = idle(secs, &maxr, &meanr, &ino, &all_x);
    printf("  (a) idle, %d consoles, %d s: %.3f%% of one core together (%.4f%% each; schedstat: %.3f%%, %.4f%% "
           "each); resident %.1f MB mean, %.1f MB max; %d of %d with inotify\n", n, secs, all, all / n, all_x,
           all_x / n, meanr, maxr, ino, n);
    printf("  (d) idle cost per console, %d consoles / 1 console: %.2f (schedstat: %.2f)\n", n,
           one > 0 ? all / n / one : 0.0, one_x > 0 ? all_x / n / one_x : 0.0);

    int64_t s0 = last_seq();
    for (int i = 0; i < 50; i++) {
        char text[64];
        snprintf(text, sizeof text, "one at a time %d", i);
        note(text);
        if (s0 + i + 1 < MAXSEQ)
            exited_at[s0 + i + 1] = now_ns(); /* nobody else writes meanwhile: its seq is the next one */
        pump(200);
    }
    propagation("one note every 200 ms", s0, last_seq());

    s0 = last_seq();
    double rate = writers(w, per, "watched");
    printf("  (b) write rate, %d consoles watching: %6.1f events/s = %.0f%% of the rate with no console\n", n, rate,
           rate / rate0 * 100.0);
    propagation("during (b)", s0, last_seq());
    stop_consoles();
    loadavg("at the end");
    return 0;
}
