/* SPDX-License-Identifier: MIT */
/* bench_write - write throughput with many writers at once.
 *
 *   bench_write DIR [PROCS [EVENTS_PER_PROC]]     (defaults 16 and 200)
 *
 * Runs PROCS processes at once, each appending EVENTS_PER_PROC notes, twice:
 *   1. through warroom's store (wr_op_note + wr_store_append: BEGIN IMMEDIATE, idempotency lookup, insert,
 *      apply, commit, jittered retries);
 *   2. "raw": the same transactions issued straight through the sqlite3 library with the same pragmas
 *      (journal_mode=TRUNCATE, synchronous=FULL) and a plain busy_timeout: BEGIN IMMEDIATE; INSERT the event;
 *      UPDATE the incident row; COMMIT.
 * Prints events per second for each and the ratio. */
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int warroom_writer(const char *db, int n, int id)
{
    wr_error err = {0};
    wr_store *st = wr_store_open(db, WR_OPEN_SINGLE_HOST, &err); /* the bench may run on an sshfs mount */
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    wr_actor me;
    char name[32];
    snprintf(name, sizeof name, "w%d", id);
    wr_actor_set(&me, name, "bench", "local", "localhost");
    wr_opctx c = {st, &me, "bench", 0};
    for (int i = 0; i < n; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s note %d", name, i);
        wr_write w;
        wr_op_note(&c, 1, text, &w, &err);
        if (wr_op_commit(st, &w, 120000, NULL, NULL, &err) != WR_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    wr_actor_free(&me);
    wr_store_close(st);
    return 0;
}

static int raw_writer(const char *db, int n, int id)
{
    sqlite3 *h;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return 1;
    sqlite3_busy_timeout(h, 120000);
    sqlite3_exec(h, "PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_stmt *ins, *upd;
    sqlite3_prepare_v2(h, "INSERT INTO events(uid, incident, occurred_at, recorded_at, actor, os_user, origin, source,"
                          " kind, payload) VALUES (?1, 1, ?2, ?2, ?3, 'bench', 'local', 'bench', 'note', ?4)",
                       -1, &ins, NULL);
    sqlite3_prepare_v2(h, "UPDATE incidents SET last_seq = ?1, updated_at = ?2 WHERE id = 1", -1, &upd, NULL);
    for (int i = 0; i < n; i++) {
        char uid[33], name[32], payload[96];
        wr_uid_new(uid);
        snprintf(name, sizeof name, "r%d", id);
        snprintf(payload, sizeof payload, "{\"text\":\"%s note %d\"}", name, i);
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
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    sqlite3_close(h);
    return 0;
}

static double run(const char *db, int procs, int n, int raw)
{
    int64_t t0 = wr_clock_mono_ms();
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(raw ? raw_writer(db, n, p) : warroom_writer(db, n, p));
    }
    int failed = 0, status;
    while (wait(&status) > 0)
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    int64_t ms = wr_clock_mono_ms() - t0;
    if (failed)
        fprintf(stderr, "%d writers failed\n", failed);
    return (double)procs * n / ((double)ms / 1000.0);
}

static char *fresh_db(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    unlink(path);
    wr_error err = {0};
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
    wr_op_commit(st, &w, 10000, NULL, NULL, &err);
    wr_actor_free(&me);
    wr_store_close(st);
    return path;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_write DIR [PROCS [EVENTS_PER_PROC]]\n");
        return 2;
    }
    int procs = argc > 2 ? atoi(argv[2]) : 16;
    int n = argc > 3 ? atoi(argv[3]) : 200;
    char *a = fresh_db(argv[1], "bench-warroom.db");
    char *b = fresh_db(argv[1], "bench-raw.db");
    double raw = run(b, procs, n, 1);
    double wr = run(a, procs, n, 0);
    printf("write throughput, %d processes x %d events, %s\n", procs, n, argv[1]);
    printf("  raw sqlite3 (same pragmas, same transactions): %8.0f events/s\n", raw);
    printf("  warroom store:                                 %8.0f events/s\n", wr);
    printf("  warroom / raw: %.0f%%\n", 100.0 * wr / raw);
    free(a);
    free(b);
    return 0;
}
