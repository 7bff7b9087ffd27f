/* SPDX-License-Identifier: MIT */
/* Presence: one file per console session next to the database (warroom/presence.h). Beats, the timeout, the
 * beat interval a file declares (capped), leaving, sweeping long-dead and foreign files, modes for a group
 * under umask 022, and that a beat neither changes the database nor wakes its watchers. */
#define _GNU_SOURCE
#include "check.h"
#include "warroom/clock.h"
#include "warroom/model.h"
#include "warroom/presence.h"
#include "warroom/store.h"
#include "warroom/watch.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 1772355600000LL /* 2026-03-01T09:00:00Z */

static char dir[256], db[300], pdir[320];
static wr_store *st;
static wr_actor alice, bob;
static const char S_ALICE[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", S_BOB[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static size_t count(int64_t inc)
{
    wr_presence *v;
    size_t n;
    wr_error err = {0};
    CHECK_INT(wr_presence_list(st, inc, &v, &n, &err), WR_OK);
    wr_presence_free(v, n);
    return n;
}

static void test_beats(void)
{
    wr_error err = {0};
    CHECK_INT(count(0), 0); /* no directory yet: nobody */
    wr_clock_set_fixed(T0, 0);
    CHECK_INT(wr_presence_beat(st, S_ALICE, &alice, 1, 0, &err), WR_OK);
    wr_clock_set_fixed(T0 + 20000, 0);
    CHECK_INT(wr_presence_beat(st, S_BOB, &bob, 2, 0, &err), WR_OK);
    wr_presence *v;
    size_t n;
    CHECK_INT(wr_presence_list(st, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].actor, "alice");
        CHECK_STR(v[0].origin, "tty pts/1");
        CHECK_STR(v[0].host, "bastion");
        CHECK(v[0].since == T0 && v[0].last_seen == T0 && v[0].expires == T0 + WR_PRESENCE_TIMEOUT_MS);
        CHECK_STR(v[1].origin, "ssh 10.0.0.7 pts/2\n%x");
    }
    wr_presence_free(v, n);
    CHECK_INT(wr_presence_list(st, 2, &v, &n, &err), WR_OK);
    CHECK(n == 1 && strcmp(v[0].actor, "bob") == 0 && v[0].incident == 2);
    wr_presence_free(v, n);
    /* 46 s after alice's last beat she has left; bob (26 s) is still here. */
    wr_clock_set_fixed(T0 + WR_PRESENCE_TIMEOUT_MS + 1000, 0);
    wr_presence_list(st, 0, &v, &n, &err);
    CHECK(n == 1 && strcmp(v[0].actor, "bob") == 0);
    wr_presence_free(v, n);
    /* A beat brings her back with her first `since`; another incident rewrites her file; leaving removes bob. */
    CHECK_INT(wr_presence_beat(st, S_ALICE, &alice, 3, 0, &err), WR_OK);
    CHECK_INT(wr_presence_leave(st, S_BOB, 0, &err), WR_OK);
    CHECK_INT(wr_presence_leave(st, S_BOB, 0, &err), WR_OK); /* twice: nothing to do */
    wr_presence_list(st, 0, &v, &n, &err);
    CHECK(n == 1 && strcmp(v[0].actor, "alice") == 0 && v[0].since == T0 && v[0].incident == 3);
    wr_presence_free(v, n);
    CHECK_INT(wr_presence_beat(st, "../../etc/x", &alice, 3, 0, &err), WR_E_INVALID);
    wr_presence_leave(st, S_ALICE, 0, &err);
}

static void test_modes_and_quiet(void)
{
    wr_error err = {0};
    wr_clock_set_fixed(-1, 0);
    /* A second connection, as another console would have: a beat must not change its data_version. */
    wr_store *other = wr_store_open(db, 0, &err);
    CHECK(other != NULL);
    if (!other)
        return;
    wr_store_changed(other);
    struct stat before, after;
    CHECK(stat(db, &before) == 0);
    int wfd = wr_watch_open(db);
    CHECK(wfd >= 0);
    mode_t old = umask(022);
    CHECK_INT(wr_presence_beat(st, S_ALICE, &alice, 1, 0, &err), WR_OK); /* a new file */
    CHECK_INT(wr_presence_beat(st, S_ALICE, &alice, 1, 0, &err), WR_OK); /* the same: only its time */
    CHECK_INT(wr_presence_beat(st, S_ALICE, &alice, 2, 0, &err), WR_OK); /* rewritten */
    umask(old);
    struct stat sb;
    CHECK(stat(pdir, &sb) == 0 && (sb.st_mode & 07777) == 02770);
    char f[400];
    snprintf(f, sizeof f, "%s/%s", pdir, S_ALICE);
    CHECK(stat(f, &sb) == 0 && (sb.st_mode & 07777) == 0660);
    CHECK_INT(wr_store_changed(other), 0);
    CHECK(stat(db, &after) == 0 && after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
          after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && after.st_size == before.st_size);
    /* inotify on the database's directory is not recursive: the side directory's files never wake it. */
    struct pollfd p = {wfd, POLLIN, 0};
    CHECK_INT(poll(&p, 1, 0), 0);
    wr_watch_close(wfd);
    wr_store_close(other);
    wr_presence_leave(st, S_ALICE, 0, &err);
}

static void write_file(const char *name, const char *text, int64_t mtime_ms)
{
    char f[400];
    snprintf(f, sizeof f, "%s/%s", pdir, name);
    FILE *fp = fopen(f, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs(text, fp);
    fclose(fp);
    struct timespec ts[2] = {{mtime_ms / 1000, (mtime_ms % 1000) * 1000000L}, {0, 0}};
    ts[1] = ts[0];
    CHECK(utimensat(AT_FDCWD, f, ts, 0) == 0);
}

static void test_files_of_others(void)
{
    wr_error err = {0};
    wr_clock_set_fixed(T0 + 3 * 86400000LL, 0);
    int64_t now = wr_clock_now_ms();
    const char *good = "warroom-presence 1\nactor=c%41rol\nos_user=carol\norigin=local\nhost=h2\nincident=7\n"
                       "since=1\nbeat_ms=86400000\n";
    write_file("cccccccccccccccccccccccccccccccc", good, now - 40000);                /* here */
    write_file("dddddddddddddddddddddddddddddddd", good, now - 50000);                /* beat_ms capped: gone */
    write_file("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", good, now - 2 * 86400000LL);       /* long dead: swept */
    write_file("ffffffffffffffffffffffffffffffff", "not a presence file\n", now);     /* ignored */
    write_file("not-a-session", good, now);                                          /* ignored */
    write_file(".0123456789abcdef0123456789abcdef.tmp", "x", now - 2 * 86400000LL);  /* swept */
    char lnk[400];
    snprintf(lnk, sizeof lnk, "%s/99999999999999999999999999999999", pdir);
    CHECK(symlink("cccccccccccccccccccccccccccccccc", lnk) == 0); /* never followed */
    wr_presence *v;
    size_t n;
    CHECK_INT(wr_presence_list(st, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].actor, "cArol");
        CHECK(v[0].incident == 7 && v[0].expires == now - 40000 + WR_PRESENCE_TIMEOUT_MS);
    }
    wr_presence_free(v, n);
    char f[400];
    snprintf(f, sizeof f, "%s/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", pdir);
    CHECK(access(f, F_OK) != 0);
    snprintf(f, sizeof f, "%s/.0123456789abcdef0123456789abcdef.tmp", pdir);
    CHECK(access(f, F_OK) != 0);
    snprintf(f, sizeof f, "%s/dddddddddddddddddddddddddddddddd", pdir);
    CHECK(access(f, F_OK) == 0); /* gone from the room, but not a day old: left alone */
}

/* The console's cache: a beat is a statx, not a read; a new text (a rename over the file) is read; without
 * `full` the directory is not listed (a newcomer waits for the next full listing) and a file removed leaves the
 * cache. Where the file system gives no birth time every listing reads every file. And the cached beat: one
 * utimensat while nothing changed, the file written again when it is gone. */
static void test_cache(void)
{
    wr_error err = {0};
    wr_clock_set_fixed(T0 + 4 * 86400000LL, 0);
    wr_presence_cache *own = wr_presence_cache_new();
    CHECK_INT(wr_presence_beat_cached(st, S_ALICE, &alice, 1, own, &err), WR_OK);
    CHECK_INT(wr_presence_beat(st, S_BOB, &bob, 2, 0, &err), WR_OK);
    char f[400];
    snprintf(f, sizeof f, "%s/%s", pdir, S_ALICE);
    struct statx sx;
    int btime = statx(AT_FDCWD, f, 0, STATX_BTIME, &sx) == 0 && (sx.stx_mask & STATX_BTIME);
    wr_presence_cache *c = wr_presence_cache_new();
    wr_presence *v;
    size_t n;
    CHECK_INT(wr_presence_list_cached(st, 0, c, 1, &v, &n, &err), WR_OK);
    wr_presence_free(v, n);
    unsigned first = wr_presence_cache_reads(c);
    CHECK(first >= 2); /* alice, bob (and any file an earlier test left) */
    CHECK_INT(wr_presence_cache_lists(c), 1);
    wr_clock_set_fixed(T0 + 4 * 86400000LL + 15000, 0);
    CHECK_INT(wr_presence_beat_cached(st, S_ALICE, &alice, 1, own, &err), WR_OK); /* the time alone */
    CHECK_INT(wr_presence_list_cached(st, 0, c, 0, &v, &n, &err), WR_OK);
    int64_t alice_seen = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].session, S_ALICE) == 0) {
            alice_seen = v[i].last_seen;
            CHECK_STR(v[i].origin, "tty pts/1");
            CHECK(v[i].since == T0 + 4 * 86400000LL);
        }
    CHECK(alice_seen == T0 + 4 * 86400000LL + 15000); /* the beat is seen, from the stat */
    wr_presence_free(v, n);
    CHECK_INT(wr_presence_cache_lists(c), 1); /* not listed again */
    CHECK_INT(wr_presence_cache_reads(c), btime ? first : 2 * first);
    unsigned before = wr_presence_cache_reads(c);
    CHECK_INT(wr_presence_beat_cached(st, S_ALICE, &alice, 5, own, &err), WR_OK); /* another incident: a new text */
    CHECK_INT(wr_presence_leave(st, S_BOB, 0, &err), WR_OK);
    CHECK_INT(wr_presence_list_cached(st, 5, c, 0, &v, &n, &err), WR_OK);
    CHECK(n == 1 && strcmp(v[0].session, S_ALICE) == 0 && v[0].incident == 5);
    wr_presence_free(v, n);
    if (btime)
        CHECK_INT(wr_presence_cache_reads(c), before + 1); /* alice's new file alone */
    CHECK_INT(wr_presence_list_cached(st, 2, c, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 0); /* bob left: not served from the cache */
    wr_presence_free(v, n);
    /* A newcomer: seen at the next full listing only. */
    CHECK_INT(wr_presence_beat(st, S_BOB, &bob, 5, 0, &err), WR_OK);
    CHECK_INT(wr_presence_list_cached(st, 5, c, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 1);
    wr_presence_free(v, n);
    CHECK_INT(wr_presence_list_cached(st, 5, c, 1, &v, &n, &err), WR_OK);
    CHECK_INT(n, 2);
    wr_presence_free(v, n);
    /* Alice's file swept away under her: her next cached beat writes it again, with the same `since`. */
    CHECK(unlink(f) == 0);
    CHECK_INT(wr_presence_beat_cached(st, S_ALICE, &alice, 5, own, &err), WR_OK);
    CHECK_INT(wr_presence_list_cached(st, 5, c, 1, &v, &n, &err), WR_OK);
    CHECK_INT(n, 2);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].session, S_ALICE) == 0)
            CHECK(v[i].since == T0 + 4 * 86400000LL + 15000 || v[i].since == T0 + 4 * 86400000LL);
    wr_presence_free(v, n);
    wr_presence_cache_free(c);
    wr_presence_cache_free(own);
    wr_presence_leave(st, S_ALICE, 0, &err);
    wr_presence_leave(st, S_BOB, 0, &err);
}

static void test_short_timeout(void)
{
    wr_error err = {0};
    setenv("WARROOM_PRESENCE_TIMEOUT_MS", "3000", 1);
    CHECK_INT(wr_presence_beat_interval(), 1000);
    wr_clock_set_fixed(T0 + 5 * 86400000LL, 0);
    CHECK_INT(wr_presence_beat(st, S_BOB, &bob, 1, 0, &err), WR_OK);
    unsetenv("WARROOM_PRESENCE_TIMEOUT_MS"); /* readers judge by the interval the file declares */
    CHECK_INT(wr_presence_beat_interval(), WR_PRESENCE_BEAT_MS);
    wr_clock_set_fixed(T0 + 5 * 86400000LL + 2900, 0);
    CHECK_INT(count(1), 1);
    wr_clock_set_fixed(T0 + 5 * 86400000LL + 3100, 0);
    CHECK_INT(count(1), 0);
    setenv("WARROOM_PRESENCE_TIMEOUT_MS", "10", 1); /* out of range: the default */
    CHECK_INT(wr_presence_beat_interval(), WR_PRESENCE_BEAT_MS);
    unsetenv("WARROOM_PRESENCE_TIMEOUT_MS");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-presence-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/p.db", dir);
    snprintf(pdir, sizeof pdir, "%s.presence", db);
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    wr_actor_set(&bob, "bob", "bob", "ssh 10.0.0.7 pts/2\n%x", "bastion");
    wr_error err = {0};
    st = wr_store_open(db, WR_OPEN_CREATE, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_beats();
    test_modes_and_quiet();
    test_files_of_others();
    test_cache();
    test_short_timeout();
    wr_store_close(st);
    wr_actor_free(&alice);
    wr_actor_free(&bob);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
