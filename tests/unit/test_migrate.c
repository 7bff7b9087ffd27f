/* SPDX-License-Identifier: MIT */
/* Moving a war room into a new file (warroom/migrate.h): the log copied as it is (seq, uid, hashes, evidence
 * bytes), the state compared table by table, a target that exists refused untouched, a state that does not
 * follow from the log and a broken chain refused with nothing left. The PostgreSQL side: tests/sh/pg_migrate.sh. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/migrate.h"
#include "warroom/model.h"
#include "warroom/sha256.h"
#include "warroom/store.h"
#include "warroom/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static wr_actor alice;

static char *path_in(const char *name)
{
    return wr_xasprintf("%s/%s", dir, name);
}

static void commit(wr_store *st, wr_write *w)
{
    wr_error err = {0};
    wr_status s = wr_op_commit(st, w, 1000, NULL, NULL, &err);
    CHECK_INT(s, WR_OK);
    if (s != WR_OK)
        fprintf(stderr, "commit: %s\n", err.msg);
}

/* One SQL text run on a file with its own connection (a hand edit, or a read for comparing). */
static char *sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    wr_buf out = {0};
    if (sqlite3_open(path, &db) == SQLITE_OK) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK)
            while (sqlite3_step(s) == SQLITE_ROW)
                for (int c = 0; c < sqlite3_column_count(s); c++)
                    wr_buf_printf(&out, "%s%c", sqlite3_column_text(s, c) ? (const char *)sqlite3_column_text(s, c)
                                                                          : "NULL",
                                  c + 1 < sqlite3_column_count(s) ? '|' : '\n');
        else
            wr_buf_printf(&out, "error: %s", sqlite3_errmsg(db));
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return wr_buf_steal(&out);
}

static void same_sql(const char *a, const char *b, const char *sql)
{
    char *x = sql_text(a, sql), *y = sql_text(b, sql);
    CHECK(x && *x);
    CHECK_STR(x, y);
    free(x);
    free(y);
}

static void test_to_file(void)
{
    char *src = path_in("src.db"), *dst = path_in("copy.db"), *again = path_in("copy2.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(src, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    wr_opctx c = {st, &alice, "cli", 0};
    wr_write w;
    CHECK_INT(wr_op_declare(&c, "Leaked key", "SEV2", "credential-leak", NULL, &w, &err), WR_OK);
    commit(st, &w);
    CHECK_INT(wr_op_declare(&c, "Other", NULL, NULL, NULL, &w, &err), WR_OK);
    commit(st, &w);
    CHECK_INT(wr_op_assign(&c, 1, "incident-commander", "alice", 0, &w, &err), WR_OK);
    commit(st, &w);
    CHECK_INT(wr_op_note(&c, 1, "a note", &w, &err), WR_OK);
    w.blob = (unsigned char *)wr_xstrdup("bytes\001\002");
    w.nblob = 7;
    char hex[65];
    wr_sha256_hex(w.blob, w.nblob, hex);
    free(w.payload);
    w.payload = wr_xasprintf("{\"text\":\"with bytes\",\"evidence\":{\"bytes\":7,\"sha256\":\"%s\"}}", hex);
    commit(st, &w);
    CHECK_INT(wr_op_pin(&c, 1, 4, 1, &w, &err), WR_OK);
    commit(st, &w);

    wr_migrate_result m;
    CHECK_INT(wr_migrate(st, dst, 1000, &m, &err), WR_OK);
    CHECK_INT(m.matches, 1);
    CHECK_INT(m.events, 5);
    CHECK_INT(m.evidence, 1);
    CHECK_INT(m.incidents, 2);
    CHECK_INT(m.nbreaks, 0);
    CHECK_STR(m.table, "");
    same_sql(src, dst, "SELECT seq, uid, incident, occurred_at, recorded_at, actor, os_user, origin, source, kind,"
                       " payload, prev_hash, hash FROM events ORDER BY seq");
    same_sql(src, dst, "SELECT seq, hex(bytes) FROM evidence ORDER BY seq");
    same_sql(src, dst, "SELECT * FROM incidents ORDER BY id");
    same_sql(src, dst, "SELECT * FROM pins");

    /* The two compare the same, and the copy is a war room of its own. */
    wr_store *cp = wr_store_open(dst, 0, &err);
    CHECK(cp != NULL);
    char table[64], detail[256];
    CHECK_INT(wr_store_state_compare(st, cp, table, detail, sizeof detail, &err), WR_OK);
    CHECK_STR(table, "");
    wr_store_close(cp);

    /* An existing file is refused and left as it was. */
    char *before = sql_text(dst, "SELECT count(*), max(seq) FROM events");
    CHECK_INT(wr_migrate(st, dst, 1000, &m, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "already exists") != NULL);
    char *after = sql_text(dst, "SELECT count(*), max(seq) FROM events");
    CHECK_STR(after, before);
    free(before);
    free(after);
    CHECK_INT(wr_migrate(st, src, 1000, &m, &err), WR_E_INVALID); /* the war room itself */

    /* A state that does not follow from the log: the table named, nothing left. */
    char *edit = sql_text(src, "UPDATE roles SET assigned_by = 'mallory'");
    free(edit);
    CHECK_INT(wr_migrate(st, again, 1000, &m, &err), WR_OK);
    CHECK_INT(m.matches, 0);
    CHECK_STR(m.table, "roles");
    CHECK(strstr(m.detail, "assigned_by") != NULL);
    struct stat sb;
    CHECK(stat(again, &sb) != 0);
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);

    /* A broken chain: not kept either. */
    edit = sql_text(src, "UPDATE events SET payload = '{\"text\":\"edited\"}' WHERE seq = 4 AND kind = 'note'");
    free(edit);
    edit = sql_text(src, "DELETE FROM evidence");
    free(edit);
    CHECK_INT(wr_migrate(st, again, 1000, &m, &err), WR_OK);
    CHECK_INT(m.matches, 0);
    CHECK_STR(m.table, "");
    CHECK(m.nbreaks >= 1);
    CHECK(stat(again, &sb) != 0);

    /* A store that is no server's has no server log to copy. */
    wr_store *snap = NULL;
    char *sp = NULL;
    CHECK_INT(wr_store_log_snapshot(st, &snap, &sp, &err), WR_E_INVALID);
    CHECK(snap == NULL && sp == NULL);
    wr_store_close(st);
    free(src);
    free(dst);
    free(again);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-migrate-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1767225600000LL, 1); /* 2026-01-01T00:00:00Z */
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    test_to_file();
    wr_actor_free(&alice);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
