/* SPDX-License-Identifier: MIT */
/* Fault injection: SQLite's unix VFS lets a test replace its system calls (xSetSystemCall). A write or an
 * fsync that fails (disk full, I/O error) must give a clear status, lose nothing already acknowledged, leave
 * the file intact, and writing must work again once the fault is gone. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static sqlite3_syscall_ptr real_write, real_pwrite, real_pwrite64, real_ftruncate;
static int fail_after = -1; /* number of calls to let through before failing; -1 = never */
static int fail_errno = ENOSPC;

static int should_fail(void)
{
    if (fail_after < 0)
        return 0;
    if (fail_after == 0)
        return 1;
    fail_after--;
    return 0;
}

static ssize_t fake_write(int fd, const void *buf, size_t n)
{
    if (should_fail()) {
        errno = fail_errno;
        return -1;
    }
    return ((ssize_t(*)(int, const void *, size_t))real_write)(fd, buf, n);
}

static ssize_t fake_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (should_fail()) {
        errno = fail_errno;
        return -1;
    }
    return ((ssize_t(*)(int, const void *, size_t, off_t))real_pwrite)(fd, buf, n, off);
}

static ssize_t fake_pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    if (should_fail()) {
        errno = fail_errno;
        return -1;
    }
    return ((ssize_t(*)(int, const void *, size_t, off_t))real_pwrite64)(fd, buf, n, off);
}

static int fake_ftruncate(int fd, off_t len)
{
    if (should_fail()) {
        errno = EIO;
        return -1;
    }
    return ((int (*)(int, off_t))real_ftruncate)(fd, len);
}

/* SQLite's unix VFS writes through write/pwrite/pwrite64 and truncates the journal with ftruncate
 * (fsync itself cannot be replaced: SQLite calls it directly). */
static void install(void)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    real_write = vfs->xGetSystemCall(vfs, "write");
    real_pwrite = vfs->xGetSystemCall(vfs, "pwrite");
    real_pwrite64 = vfs->xGetSystemCall(vfs, "pwrite64");
    real_ftruncate = vfs->xGetSystemCall(vfs, "ftruncate");
    if (real_write)
        vfs->xSetSystemCall(vfs, "write", (sqlite3_syscall_ptr)fake_write);
    if (real_pwrite)
        vfs->xSetSystemCall(vfs, "pwrite", (sqlite3_syscall_ptr)fake_pwrite);
    if (real_pwrite64)
        vfs->xSetSystemCall(vfs, "pwrite64", (sqlite3_syscall_ptr)fake_pwrite64);
    if (real_ftruncate)
        vfs->xSetSystemCall(vfs, "ftruncate", (sqlite3_syscall_ptr)fake_ftruncate);
}

static void restore(void)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    vfs->xSetSystemCall(vfs, NULL, NULL); /* all back to the defaults */
    fail_after = -1;
}

static int count_notes(const char *path)
{
    sqlite3 *db;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE kind = 'note'", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
}

static void run(const char *dir, int err_no, wr_status expected, const char *label)
{
    char *path = wr_xasprintf("%s/%s.db", dir, label);
    wr_error err = {0};
    wr_actor me;
    wr_actor_set(&me, "tester", "tester", "local", "host");
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_opctx c = {st, &me, "test", 0};
    wr_write w;
    wr_op_declare(&c, "Faults", NULL, NULL, NULL, &w, &err);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    int acked = 0;
    for (int i = 0; i < 5; i++) {
        wr_op_note(&c, 1, "before the fault", &w, &err);
        acked += wr_op_commit(st, &w, 1000, NULL, NULL, &err) == WR_OK;
    }
    CHECK_INT(acked, 5);

    /* Fail at every point of the write path in turn: the first write/fsync, the second, ... */
    int failures = 0, landed = 0;
    for (int k = 0; k < 12; k++) {
        install();
        fail_errno = err_no;
        fail_after = k;
        wr_op_note(&c, 1, "during the fault", &w, &err);
        char uid[33];
        memcpy(uid, w.uid, sizeof uid);
        wr_status s = wr_store_append(st, &w, 200, &err);
        restore();
        if (s == WR_OK) {
            landed++;
        } else {
            failures++;
            CHECK_INT(s, expected); /* disk full is told as disk full, whichever call met it */
            CHECK(strstr(err.msg, "locked") == NULL);
            /* The same write, retried once the fault is gone, lands exactly once. */
            CHECK_INT(wr_store_append(st, &w, 1000, &err), WR_OK);
            landed++;
        }
        wr_write_clear(&w);
    }
    CHECK(failures > 0);
    char *chk = wr_store_check(st, 1);
    CHECK_STR(chk, "ok");
    free(chk);
    wr_store_close(st);
    CHECK_INT(count_notes(path), 5 + landed);
    /* Reopened, it still writes. */
    st = wr_store_open(path, 0, &err);
    CHECK(st != NULL);
    c.store = st;
    wr_op_note(&c, 1, "after the fault", &w, &err);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    wr_store_close(st);
    CHECK_INT(count_notes(path), 6 + landed);
    wr_actor_free(&me);
    free(path);
    printf("%s: %d of 12 injected faults failed a write (each retried and landed once)\n", label, failures);
}

int main(void)
{
    char dir[] = "/tmp/wr-test-faults-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    run(dir, ENOSPC, WR_E_FULL, "full");
    run(dir, EIO, WR_E_IO, "eio");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
