/* SPDX-License-Identifier: MIT */
/* test_pending.c - the console's queue of writes not written yet: what is kept and what is refused, order,
 * the time of the act, and the file that carries them to the next start (round trip, other databases,
 * damage, a retry that lands once). */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/pending.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int landed, refused;
static void count_cb(void *ctx, wr_write *w, wr_status s, const wr_error *err)
{
    (void)ctx;
    (void)w;
    (void)err;
    if (s == WR_OK)
        landed++;
    else
        refused++;
}

static void test_keeps(void)
{
    /* the database could not be reached or written: kept */
    wr_status kept[] = {WR_E_BUSY, WR_E_READONLY, WR_E_FULL, WR_E_IO, WR_E_CORRUPT, WR_E_SCHEMA, WR_E_MISSING,
                        WR_E_UNSAFE};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        CHECK_INT(wr_pending_keeps(kept[i]), 1);
    /* the change itself refused: told, not kept */
    wr_status told[] = {WR_OK, WR_E_INVALID, WR_E_NOTFOUND, WR_E_CONFLICT, WR_E_GATE};
    for (size_t i = 0; i < sizeof told / sizeof told[0]; i++)
        CHECK_INT(wr_pending_keeps(told[i]), 0);
}

static void test_queue_and_file(void)
{
    char dir[] = "/tmp/wr-pending-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char *db = wr_xasprintf("%s/war.db", dir), *file = wr_xasprintf("%s/state/pending.jsonl", dir);
    int64_t t0 = 0;
    CHECK_INT(wr_time_parse("2026-03-01T09:00:00Z", &t0), 0);
    wr_clock_set_fixed(t0, 0);
    wr_actor me;
    wr_actor_set(&me, "ana", "ana", "tty pts/1", "bastion");
    wr_opctx o = {NULL, &me, "tui", 0};
    wr_pending q;
    wr_pending_init(&q, 1);
    wr_error err = {0};
    char uids[3][33];
    /* No database (it is gone): each write is kept, in order, stamped with the time it was made. */
    for (int i = 0; i < 3; i++) {
        wr_write w;
        char text[32];
        snprintf(text, sizeof text, "while gone %d", i + 1);
        CHECK_INT(wr_op_note(&o, 1, text, &w, &err), WR_OK);
        memcpy(uids[i], w.uid, 33);
        CHECK_INT(wr_pending_submit(&q, NULL, &w, 1000 + i, 50, count_cb, NULL), WR_E_BUSY);
    }
    CHECK_INT(q.n, 3);
    CHECK_INT(landed + refused, 0);
    CHECK_INT(q.v[0].last, WR_E_MISSING);
    CHECK(q.v[0].w.occurred_at == t0);
    CHECK_INT(wr_pending_run(&q, NULL, INT64_MAX, 50, count_cb, NULL), 3); /* still nothing to write to */

    /* Saved to the file (its directory made), 0600, and read back whole. */
    wr_buf why = {0};
    CHECK_INT(wr_pending_save(&q, db, file, 1, &why), 0);
    struct stat sb;
    CHECK(stat(file, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    wr_write *v = NULL;
    size_t n = 0;
    int64_t at = 0;
    CHECK_INT(wr_pending_load(file, db, &v, &n, &at, &why), 0);
    CHECK_INT(n, 3);
    CHECK(at == t0);
    for (size_t i = 0; i < n && i < 3; i++) {
        CHECK_STR(v[i].uid, uids[i]);
        CHECK_STR(v[i].kind, "note");
        CHECK_STR(v[i].actor, "ana");
        CHECK_STR(v[i].origin, "tty pts/1");
        CHECK_STR(v[i].source, "tui");
        CHECK_INT(v[i].incident, 1);
        CHECK(v[i].occurred_at == q.v[i].w.occurred_at);
        CHECK_STR(v[i].payload, q.v[i].w.payload);
    }
    wr_pending_writes_free(v, n);
    /* Another database's file holds nothing for this one; the same path written another way finds them. */
    char *other = wr_xasprintf("%s/other.db", dir), *spelled = wr_xasprintf("%s//./war.db", dir);
    CHECK_INT(wr_pending_load(file, other, &v, &n, &at, &why), 0);
    CHECK_INT(n, 0);
    wr_pending_writes_free(v, n);
    CHECK_INT(wr_pending_load(file, spelled, &v, &n, &at, &why), 0);
    CHECK_INT(n, 3);
    wr_pending_writes_free(v, n);
    char *f1 = wr_pending_file(db, "s1"), *f2 = wr_pending_file(spelled, "s1"), *f3 = wr_pending_file(other, "s1"),
         *f4 = wr_pending_file(db, "s2");
    CHECK_STR(f1, f2);
    CHECK(strcmp(f1, f3) != 0);
    CHECK(strcmp(f1, f4) != 0); /* one file per console */
    free(f1);
    free(f2);
    free(f3);
    free(f4);
    /* Appending adds; replacing starts over. */
    CHECK_INT(wr_pending_save(&q, db, file, 0, &why), 0);
    CHECK_INT(wr_pending_load(file, db, &v, &n, &at, &why), 0);
    CHECK_INT(n, 6);
    wr_pending_writes_free(v, n);
    CHECK_INT(wr_pending_save(&q, db, file, 1, &why), 0);
    CHECK_INT(wr_pending_load(file, db, &v, &n, &at, &why), 0);
    CHECK_INT(n, 3);
    /* No file: nothing, no error. A damaged line: an error, nothing taken. */
    char *none = wr_xasprintf("%s/none.jsonl", dir);
    wr_write *v2 = NULL;
    size_t n2 = 9;
    CHECK_INT(wr_pending_load(none, db, &v2, &n2, &at, &why), 0);
    CHECK_INT(n2, 0);
    char *bad = wr_xasprintf("%s/bad.jsonl", dir);
    FILE *f = fopen(bad, "w");
    fputs("{\"db\":\"x\",\"uid\":\"short\"}\n", f);
    fclose(f);
    CHECK_INT(wr_pending_load(bad, db, &v2, &n2, &at, &why), -1);
    CHECK(strstr(wr_buf_str(&why), "bad.jsonl:1") != NULL);

    /* Files left by consoles: those of running consoles are not offered, those of ended ones (or of another
     * host) are, oldest first. */
    setenv("XDG_STATE_HOME", dir, 1);
    char *mine = wr_pending_file(db, "live");
    CHECK_INT(wr_pending_save(&q, db, mine, 1, &why), 0); /* written by this (running) process */
    char **orph = NULL;
    CHECK_INT(wr_pending_orphans(db, &orph), 0);
    free(orph);
    char *dead = wr_pending_file(db, "dead"), *away = wr_pending_file(db, "away");
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0); /* a pid that ran and ended */
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    f = fopen(dead, "w");
    fprintf(f, "{\"db\":\"x\",\"pid\":%ld,\"host\":\"%s\"}\n", (long)child, host);
    fclose(f);
    f = fopen(away, "w");
    fprintf(f, "{\"db\":\"x\",\"pid\":%ld,\"host\":\"another-%s\"}\n", (long)getpid(), host);
    fclose(f);
    size_t norph = wr_pending_orphans(db, &orph);
    CHECK_INT(norph, 2);
    for (size_t i = 0; i < norph; i++) {
        CHECK(strcmp(orph[i], dead) == 0 || strcmp(orph[i], away) == 0);
        free(orph[i]);
    }
    free(orph);
    CHECK_INT(wr_pending_orphans(other, &orph), 0); /* another database's: none */
    free(orph);
    unlink(mine);
    unlink(dead);
    unlink(away);
    free(mine);
    free(dead);
    free(away);

    /* The database comes back: the queue lands in order, once; the saved copies then land as no-ops. */
    wr_store *st = wr_store_open(db, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    o.store = st;
    wr_write d;
    CHECK_INT(wr_op_declare(&o, "Back", "SEV3", NULL, NULL, &d, &err), WR_OK);
    CHECK_INT(wr_store_append(st, &d, 1000, &err), WR_OK);
    wr_write_clear(&d);
    wr_pending_due_now(&q, 5000);
    CHECK_INT(wr_pending_run(&q, st, 5000, 1000, count_cb, NULL), 0);
    CHECK_INT(landed, 3);
    int64_t count = 0;
    CHECK_INT(wr_store_event_count(st, 1, &count, &err), WR_OK);
    CHECK_INT(count, 4);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(wr_store_append(st, &v[i], 1000, &err), WR_OK);
        CHECK_INT(v[i].duplicate, 1);
    }
    CHECK_INT(wr_store_event_count(st, 1, &count, &err), WR_OK);
    CHECK_INT(count, 4);
    wr_pending_writes_free(v, n);
    wr_store_close(st);

    wr_pending_free(&q);
    wr_buf_free(&why);
    wr_actor_free(&me);
    char *cmd = wr_xasprintf("rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
    free(cmd);
    free(db);
    free(file);
    free(other);
    free(spelled);
    free(none);
    free(bad);
}

int main(void)
{
    test_keeps();
    test_queue_and_file();
    return check_done();
}
