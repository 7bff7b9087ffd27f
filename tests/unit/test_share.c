/* SPDX-License-Identifier: MIT */
/* test_share.c - the identity of a file on a share, the other mounts that show it, the host-local lock's
 * name and URI, and the lock held by the VFS around every transaction (reads too). */
#include "check.h"
#include "warroom/hostlock.h"
#include "warroom/share.h"
#include "warroom/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static char *load_fixture(const char *name)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/tests/data/mountinfo/%s", src ? src : ".", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        free(path);
        exit(2);
    }
    wr_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wr_buf_append(&b, chunk, n);
    fclose(f);
    free(path);
    return wr_buf_steal(&b);
}

static const char *key(const char *source, const char *root, const char *mp, const char *path)
{
    static char out[512];
    if (wr_share_key(source, root, mp, path, out, sizeof out) != 0)
        return "(error)";
    return out;
}

static void test_keys(void)
{
    /* sshfs: the user is left out, the host lower-cased, the source's directory, root and place joined. */
    CHECK_STR(key("ana@Files.example.com:/srv/ir", "/", "/home/ana/ir", "/home/ana/ir/war.db"),
              "files.example.com:/srv/ir/war.db");
    CHECK_STR(key("bob@files.example.com:/srv", "/", "/home/bob/share", "/home/bob/share/ir/war.db"),
              "files.example.com:/srv/ir/war.db");
    /* a bind mount of a subdirectory: the root counts */
    CHECK_STR(key("bob@files.example.com:/srv", "/ir", "/home/bob/ir-bind", "/home/bob/ir-bind/war.db"),
              "files.example.com:/srv/ir/war.db");
    /* NFS */
    CHECK_STR(key("files.example.com:/srv/ir", "/", "/mnt/ir nfs", "/mnt/ir nfs/war.db"),
              "files.example.com:/srv/ir/war.db");
    CHECK_STR(key("files.example.com:/srv/ir/", "/", "/mnt/x/", "/mnt/x//a/./war.db"),
              "files.example.com:/srv/ir/a/war.db");
    /* another host is another file */
    CHECK_STR(key("dee@files2.example.com:/srv/ir", "/", "/home/dee/ir", "/home/dee/ir/war.db"),
              "files2.example.com:/srv/ir/war.db");
    /* relative to the remote user's home: the user is part of it */
    CHECK_STR(key("eve@files.example.com:", "/", "/home/eve/home", "/home/eve/home/ir/war.db"),
              "eve@files.example.com:~/ir/war.db");
    CHECK_STR(key("eve@files.example.com:work", "/", "/m", "/m/war.db"), "eve@files.example.com:~/work/war.db");
    /* CIFS, IPv6 */
    CHECK_STR(key("//FS1/Ops", "/", "/mnt/ops", "/mnt/ops/ir/war.db"), "fs1:/Ops/ir/war.db");
    CHECK_STR(key("ana@[fd00::1]:/srv/ir", "/", "/m", "/m/war.db"), "[fd00::1]:/srv/ir/war.db");
    /* anything else: the source as written */
    CHECK_STR(key("C:\\", "/", "/mnt/c", "/mnt/c/ir/war.db"), "C:\\:/ir/war.db");
    CHECK_STR(key("sharetag", "/sub", "/mnt/9p", "/mnt/9p/war.db"), "sharetag:/sub/war.db");
    /* not under the mount point */
    char out[64];
    CHECK_INT(wr_share_key("h:/x", "/", "/mnt/a", "/mnt/ab/war.db", out, sizeof out), -1);
    CHECK_INT(wr_share_key("h:/x", "/", "/mnt/a", "/mnt/a/war.db", out, 5), -1); /* does not fit */
    CHECK_INT(wr_share_key("h:/x", "/", "/mnt/a", "war.db", out, sizeof out), -1); /* not absolute */
}

static void test_other_mounts(void)
{
    char *mi = load_fixture("two_sshfs.mountinfo");
    wr_buf out = {0};
    size_t n = wr_share_other_mounts(mi, "files.example.com:/srv/ir/war.db", "/home/ana/ir", 0, 55, &out);
    CHECK_INT(n, 3);
    CHECK_STR(wr_buf_str(&out), "/home/bob/share/ir/war.db (bob@files.example.com:/srv, fuse.sshfs)\n"
                                "/home/bob/ir-bind/war.db (bob@files.example.com:/srv, fuse.sshfs)\n"
                                "/mnt/ir nfs/war.db (files.example.com:/srv/ir, nfs)\n");
    /* from bob's side: ana's mount and the NFS one, and his own bind mount */
    wr_buf_reset(&out);
    n = wr_share_other_mounts(mi, "files.example.com:/srv/ir/war.db", "/home/bob/share", 0, 56, &out);
    CHECK_INT(n, 3);
    CHECK(strstr(wr_buf_str(&out), "/home/ana/ir/war.db (ana@Files.example.com:/srv/ir") != NULL);
    CHECK(strstr(wr_buf_str(&out), "/home/bob/ir-bind/war.db") != NULL);
    /* dee's file on the other host has no other mount */
    wr_buf_reset(&out);
    CHECK_INT(wr_share_other_mounts(mi, "files2.example.com:/srv/ir/war.db", "/home/dee/ir", 0, 58, &out), 0);
    CHECK_STR(wr_buf_str(&out), "");
    CHECK_INT(wr_share_other_mounts("garbage\n\n1 2 3\n", "h:/x", "/", 0, 0, &out), 0);
    wr_buf_free(&out);
    free(mi);
}

static void test_lock_name_and_uri(void)
{
    char a[256], b[256], c[256];
    wr_share_lock_name("/run/lock", "files.example.com:/srv/ir/war.db", a, sizeof a);
    wr_share_lock_name("/run/lock", "files.example.com:/srv/ir/war.db", b, sizeof b);
    wr_share_lock_name("/run/lock", "files.example.com:/srv/ir/war2.db", c, sizeof c);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    CHECK(strncmp(a, "/run/lock/warroom-", 18) == 0);
    CHECK_INT(strlen(a), strlen("/run/lock/warroom-") + 32 + strlen(".lock"));
    char *uri = wr_hostlock_uri("/mnt/war room/a?b#c%d.db", "/run/lock/warroom-x.lock");
    CHECK_STR(uri, "file:/mnt/war%20room/a%3Fb%23c%25d.db?warroom_hostlock=/run/lock/warroom-x.lock");
    free(uri);
}

/* 1 if someone holds an flock on path (tried from a descriptor of our own). */
static int flock_taken(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int taken = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (!taken)
        flock(fd, LOCK_UN);
    close(fd);
    return taken;
}

static void test_vfs(void)
{
    char dir[] = "/tmp/wr-share-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char *db = wr_xasprintf("%s/war db.sqlite", dir), *lock = wr_xasprintf("%s/test.lock", dir);
    int fd = open(lock, O_RDWR | O_CREAT, 0644);
    close(fd);
    char *uri = wr_hostlock_uri(db, lock);
    sqlite3 *a = NULL, *b = NULL;
    CHECK_INT(sqlite3_open_v2(uri, &a, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                              wr_hostlock_vfs()), SQLITE_OK);
    CHECK_INT(sqlite3_exec(a, "PRAGMA journal_mode=TRUNCATE; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)",
                           NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(flock_taken(lock), 0); /* nothing held between transactions */

    /* A read holds it while its statement runs, and lets it go when the statement is reset. */
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(a, "SELECT x FROM t", -1, &s, NULL);
    CHECK_INT(sqlite3_step(s), SQLITE_ROW);
    CHECK_INT(flock_taken(lock), 1);
    sqlite3_reset(s);
    CHECK_INT(flock_taken(lock), 0);

    /* A write transaction holds it until the commit. */
    CHECK_INT(sqlite3_exec(a, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(flock_taken(lock), 1);
    CHECK_INT(sqlite3_exec(a, "INSERT INTO t VALUES (3); COMMIT", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(flock_taken(lock), 0);

    /* Another process's holder of the lock keeps this connection's reads and writes out: busy, not wrong. */
    int other = open(lock, O_RDONLY | O_CLOEXEC);
    CHECK_INT(flock(other, LOCK_EX | LOCK_NB), 0);
    CHECK_INT(sqlite3_step(s), SQLITE_BUSY);
    sqlite3_reset(s);
    CHECK_INT(sqlite3_exec(a, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_BUSY);
    flock(other, LOCK_UN);
    close(other);
    CHECK_INT(sqlite3_step(s), SQLITE_ROW);
    sqlite3_reset(s);

    /* Two connections of one process share the lock (SQLite's own locks order them): a read on one while
     * the other reads is not a deadlock. */
    CHECK_INT(sqlite3_open_v2(uri, &b, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, wr_hostlock_vfs()), SQLITE_OK);
    CHECK_INT(sqlite3_step(s), SQLITE_ROW);
    sqlite3_stmt *s2 = NULL;
    sqlite3_prepare_v2(b, "SELECT count(*) FROM t", -1, &s2, NULL);
    CHECK_INT(sqlite3_step(s2), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(s2, 0), 3);
    sqlite3_finalize(s2);
    CHECK_INT(flock_taken(lock), 1); /* a still holds */
    sqlite3_reset(s);
    CHECK_INT(flock_taken(lock), 0);
    CHECK_INT(sqlite3_close(b), SQLITE_OK);
    sqlite3_finalize(s);
    CHECK_INT(sqlite3_close(a), SQLITE_OK);

    /* Without the parameter the VFS is the plain one. */
    CHECK_INT(sqlite3_open_v2(db, &a, SQLITE_OPEN_READWRITE, wr_hostlock_vfs()), SQLITE_OK);
    CHECK_INT(sqlite3_exec(a, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(flock_taken(lock), 0);
    sqlite3_exec(a, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(a);

    free(uri);
    char *j = wr_xasprintf("%s-journal", db);
    unlink(j);
    free(j);
    unlink(db);
    unlink(lock);
    rmdir(dir);
    free(db);
    free(lock);
}

int main(void)
{
    test_keys();
    test_other_mounts();
    test_lock_name_and_uri();
    test_vfs();
    return check_done();
}
