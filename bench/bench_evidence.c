/* SPDX-License-Identifier: MIT */
/* bench_evidence - what keeping command output as evidence costs (docs/evidence.md).
 *
 *   bench_evidence DIR [RECORDS [NOTES]]     (defaults 100 and 5000)
 *
 * 1. Capture: MiB/s of feeding output to a capture and finishing it (the whole hashed, 1 MiB kept, the shipped
 *    redaction rules run over the kept part), for text lines and for one long line.
 * 2. Timeline reads: an incident of NOTES notes and RECORDS command records of 1 MiB of evidence each; the
 *    median time of reading the newest 40 entries (the console's page) and of reading every entry (`tail`,
 *    `export`), then the same after the evidence table is emptied: the ratio is what the bytes beside the
 *    events cost a timeline read (1.0: nothing). */
#include "warroom/capture.h"
#include "warroom/clock.h"
#include "warroom/exhibit.h"
#include "warroom/incident.h"
#include "warroom/model.h"
#include "warroom/store.h"

#include "stats.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double capture_mib_s(const char *chunk, size_t n, size_t total)
{
    wr_redactor r;
    wr_redactor_init(&r, 1);
    int64_t t0 = wr_clock_mono_ms();
    wr_capture c;
    wr_capture_init(&c, WR_CAPTURE_DEFAULT_CAP);
    for (size_t done = 0; done < total; done += n)
        wr_capture_feed(&c, chunk, n);
    wr_capture_result res;
    wr_capture_finish(&c, &r, &res);
    int64_t ms = wr_clock_mono_ms() - t0;
    wr_capture_free(&c);
    wr_capture_result_free(&res);
    wr_redactor_free(&r);
    return (double)total / (1024.0 * 1024.0) / ((double)(ms ? ms : 1) / 1000.0);
}

static int count_cb(const wr_event *ev, void *ctx)
{
    (void)ev;
    (*(long *)ctx)++;
    return 0;
}

/* median ms of `rounds` reads: the newest 40 (page) or all (whole) */
static double read_ms(wr_store *st, int64_t inc, int whole, int rounds)
{
    double *v = calloc((size_t)rounds, sizeof *v);
    for (int i = 0; i < rounds; i++) {
        long n = 0;
        wr_error err = {0};
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (whole)
            wr_store_events_after(st, inc, 0, 0, count_cb, &n, &err);
        else
            wr_store_events_before(st, inc, 0, 40, count_cb, &n, &err);
        clock_gettime(CLOCK_MONOTONIC, &b);
        v[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(v, (size_t)rounds, sizeof *v, cmp_d);
    double m = bench_median(v, (size_t)rounds);
    free(v);
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_evidence DIR [RECORDS [NOTES]]\n");
        return 2;
    }
    int records = argc > 2 ? atoi(argv[2]) : 100, notes = argc > 3 ? atoi(argv[3]) : 5000;
    /* 1. capture */
    char line[4096];
    size_t ln = 0;
    while (ln + 81 < sizeof line) {
        memcpy(line + ln, "pod/web-7d9f8c6b5-x2k4q   1/1   Running   0   3h12m   10.0.3.17   ip-10-0-3-1   <none>\n", 81);
        ln += 81;
    }
    char *longline = malloc(1 << 20);
    for (size_t i = 0; i < (1u << 20); i++)
        longline[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"[i % 64];
    printf("capture, text lines, 100 MiB: %.0f MiB/s\n", capture_mib_s(line, ln, 100u << 20));
    printf("capture, one long line, 100 MiB: %.0f MiB/s\n", capture_mib_s(longline, 1u << 20, 100u << 20));

    /* 2. timeline reads */
    char *path = wr_xasprintf("%s/bench-evidence.db", argv[1]);
    remove(path);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE | WR_OPEN_SINGLE_HOST, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    wr_actor me;
    wr_actor_set(&me, "bench", "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    wr_write w;
    int64_t inc = 0;
    wr_op_declare(&c, "Evidence bench", "SEV2", NULL, "real", &w, &err);
    wr_op_commit(st, &w, 5000, NULL, &inc, &err);
    wr_redactor r;
    wr_redactor_init(&r, 1);
    char *argv_run[] = {"kubectl", "get", "pods", "-A", NULL};
    int every = records ? notes / records + 1 : notes + 1;
    int made = 0;
    for (int i = 0; i < notes + records; i++) {
        if (made < records && i % every == every - 1) {
            wr_capture cap;
            wr_capture_init(&cap, WR_CAPTURE_DEFAULT_CAP);
            for (size_t done = 0; done < (1u << 20); done += ln)
                wr_capture_feed(&cap, line, ln);
            wr_capture_result res;
            wr_capture_finish(&cap, &r, &res);
            wr_capture_free(&cap);
            wr_run_record run = {.argc = 4, .argv = argv_run, .cwd = "/srv", .host = "bastion", .duration_ms = 1200,
                                 .exited = 1};
            wr_op_command_run(&c, inc, &run, &r, &res, &w, &err);
            wr_capture_result_free(&res);
            made++;
        } else {
            char text[64];
            snprintf(text, sizeof text, "note %d", i);
            wr_op_note(&c, inc, text, &w, &err);
        }
        if (wr_op_commit(st, &w, 5000, NULL, NULL, &err) != WR_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    wr_redactor_free(&r);
    double page_with = read_ms(st, inc, 0, 200), all_with = read_ms(st, inc, 1, 20);
    wr_store_close(st);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_int64 bytes = 0;
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT sum(length(bytes)) FROM evidence", -1, &s, NULL);
    if (sqlite3_step(s) == SQLITE_ROW)
        bytes = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_exec(db, "DELETE FROM evidence; VACUUM", NULL, NULL, NULL);
    sqlite3_close(db);
    st = wr_store_open(path, WR_OPEN_SINGLE_HOST, &err);
    double page_without = read_ms(st, inc, 0, 200), all_without = read_ms(st, inc, 1, 20);
    wr_store_close(st);
    printf("incident: %d notes, %d command records, %.0f MiB of evidence\n", notes, made,
           (double)bytes / (1024.0 * 1024.0));
    printf("newest 40 entries: %.2f ms with the evidence, %.2f ms without (ratio %.2f)\n", page_with,
           page_without, page_without > 0 ? page_with / page_without : 0);
    printf("all %d entries: %.1f ms with the evidence, %.1f ms without (ratio %.2f)\n", notes + made + 1, all_with,
           all_without, all_without > 0 ? all_with / all_without : 0);
    remove(path);
    free(path);
    free(longline);
    wr_actor_free(&me);
    return 0;
}
