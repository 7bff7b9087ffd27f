/* SPDX-License-Identifier: MIT */
/* access.c - who may reach and write the database, its journal and its directory (see access.h). */
#include "warroom/access.h"

#include "warroom/fscheck.h"
#include "warroom/util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static const char *user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd *pw = getpwuid(uid);
    if (pw)
        snprintf(buf, size, "%s", pw->pw_name);
    else
        snprintf(buf, size, "uid %u", (unsigned)uid);
    return buf;
}

static const char *group_name(gid_t gid, char *buf, size_t size)
{
    struct group *gr = getgrgid(gid);
    if (gr)
        snprintf(buf, size, "%s", gr->gr_name);
    else
        snprintf(buf, size, "gid %u", (unsigned)gid);
    return buf;
}

static int in_group(gid_t gid)
{
    if (getegid() == gid)
        return 1;
    gid_t groups[256];
    int n = getgroups(256, groups);
    for (int i = 0; i < n; i++)
        if (groups[i] == gid)
            return 1;
    return 0;
}

const char *wr_access_describe(const char *path, char *buf, size_t size)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    char u[64], g[64];
    snprintf(buf, size, "owner %s, group %s, mode %04o", user_name(sb.st_uid, u, sizeof u),
             group_name(sb.st_gid, g, sizeof g), (unsigned)(sb.st_mode & 07777));
    return buf;
}

static void dir_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, size, ".");
    else if (slash == path)
        snprintf(out, size, "/");
    else
        snprintf(out, size, "%.*s", (int)(slash - path), path);
}

static int can(const char *path, int mode)
{
    return faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0;
}

/* Why this user may not `want` (R_OK, W_OK, X_OK, or W_OK|X_OK for a directory) path, whose stat is sb:
 * the owner's bits, the group's, or not in the group; and the command that fixes it. */
static void why_not(const char *what, const char *path, const struct stat *sb, int want, char *msg, size_t size)
{
    char desc[200], me[64], owner[64], group[64];
    wr_access_describe(path, desc, sizeof desc);
    user_name(geteuid(), me, sizeof me);
    user_name(sb->st_uid, owner, sizeof owner);
    group_name(sb->st_gid, group, sizeof group);
    int dir = S_ISDIR(sb->st_mode);
    const char *verb = want & W_OK ? "write" : want & R_OK ? "read" : "enter";
    const char *bits = dir ? (want & W_OK ? "rwx" : "x") : (want & W_OK ? "rw" : "r");
    if (sb->st_uid == geteuid())
        snprintf(msg, size, "%s %s (%s) does not let its owner %s it: run `chmod u+%s %s`", what, path, desc, verb,
                 bits, path);
    else if (in_group(sb->st_gid))
        snprintf(msg, size, "%s %s (%s) does not let its group %s %s it, so you (%s) cannot: run `chmod g+%s %s` "
                 "(as %s or root)", what, path, desc, group, verb, me, bits, path, owner);
    else
        snprintf(msg, size, "%s %s (%s) is not yours and you (%s) are not in its group %s, so you cannot %s it: "
                 "ask for `usermod -a -G %s %s` (then log in again)", what, path, desc, me, group, verb, group,
                 me);
}

int wr_access_readonly_fs(const char *path)
{
    struct statvfs vb;
    char dir[4096];
    if (statvfs(path, &vb) != 0) {
        dir_of(path, dir, sizeof dir);
        if (statvfs(dir, &vb) != 0)
            return 0;
    }
    return (vb.f_flag & ST_RDONLY) != 0;
}

static void readonly_fs_msg(const char *db_path, char *msg, size_t size)
{
    wr_fsinfo fs;
    if (wr_fs_inspect(db_path, &fs) == 0 && *fs.mountpoint)
        snprintf(msg, size, "the filesystem holding %.1000s is mounted read-only (%.64s on %.1000s): nobody can "
                 "write the database there; remount it read-write (`mount -o remount,rw %.1000s`) or point --db "
                 "elsewhere",
                 db_path, fs.fstype, fs.mountpoint, fs.mountpoint);
    else
        snprintf(msg, size, "the filesystem holding %s is mounted read-only: nobody can write the database "
                 "there; remount it read-write or point --db elsewhere", db_path);
}

/* The first directory on the way to path that this user cannot enter. */
static int unreachable(const char *path, char *msg, size_t size)
{
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    size_t n = strlen(dir);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && dir[i] != '/')
            continue;
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%.*s", (int)(i == 1 && dir[0] == '/' ? 1 : i), dir);
        struct stat sb;
        if (stat(prefix, &sb) != 0)
            return 0; /* missing: another error */
        if (S_ISDIR(sb.st_mode) && !can(prefix, X_OK)) {
            why_not("the directory", prefix, &sb, X_OK, msg, size);
            return 1;
        }
    }
    return 0;
}

static int access_problem(const char *db_path, int for_write, char *msg, size_t size)
{
    msg[0] = '\0';
    if (!db_path || !*db_path)
        return 0;
    if (unreachable(db_path, msg, size))
        return 1;
    char dir[4096], journal[4200];
    dir_of(db_path, dir, sizeof dir);
    snprintf(journal, sizeof journal, "%s-journal", db_path);
    struct stat sb, jb, dbst;
    if (stat(db_path, &sb) != 0) {
        if (!for_write || stat(dir, &dbst) != 0)
            return 0;
        if (wr_access_readonly_fs(dir)) {
            readonly_fs_msg(db_path, msg, size);
            return 1;
        }
        if (!can(dir, W_OK | X_OK)) {
            why_not("the directory", dir, &dbst, W_OK | X_OK, msg, size);
            return 1;
        }
        return 0;
    }
    if (!can(db_path, R_OK)) {
        why_not("the database", db_path, &sb, R_OK, msg, size);
        return 1;
    }
    if (!for_write)
        return 0;
    if (wr_access_readonly_fs(db_path)) {
        readonly_fs_msg(db_path, msg, size);
        return 1;
    }
    if (!can(db_path, W_OK)) {
        why_not("the database", db_path, &sb, W_OK, msg, size);
        return 1;
    }
    if (stat(journal, &jb) == 0) {
        if (!can(journal, W_OK)) {
            why_not("its journal", journal, &jb, W_OK, msg, size);
            return 1;
        }
    } else if (stat(dir, &dbst) == 0 && !can(dir, W_OK | X_OK)) {
        char tmp[1200];
        why_not("the directory", dir, &dbst, W_OK | X_OK, tmp, sizeof tmp);
        snprintf(msg, size, "%.1200s (SQLite makes the journal %.1000s there at the first write)", tmp, journal);
        return 1;
    }
    return 0;
}

static int explain(const char *db_path, int err_no, char *msg, size_t size)
{
    msg[0] = '\0';
    if (err_no == EROFS) {
        readonly_fs_msg(db_path, msg, size);
        return 1;
    }
    if (err_no != EACCES && err_no != EPERM)
        return 0;
    if (access_problem(db_path, 1, msg, size))
        return 1;
    char d1[200], d2[200], journal[4200];
    snprintf(journal, sizeof journal, "%s-journal", db_path);
    wr_access_describe(db_path, d1, sizeof d1);
    wr_access_describe(journal, d2, sizeof d2);
    snprintf(msg, size, "permission denied on %s (%s) or its journal%s%s%s: run `warroom doctor` to see which",
             db_path, *d1 ? d1 : "missing", *d2 ? " (" : "", d2, *d2 ? ")" : "");
    return 1;
}

static int share_file(const char *path, char *warn, size_t size)
{
    warn[0] = '\0';
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    struct stat sb, db;
    if (stat(path, &sb) != 0 || stat(dir, &db) != 0) {
        snprintf(warn, size, "cannot look at %s: %s", path, strerror(errno));
        return -1;
    }
    /* Never open() the database ourselves (closing a descriptor would drop SQLite's locks): path calls. */
    if (sb.st_gid != db.st_gid && chown(path, (uid_t)-1, db.st_gid) != 0) {
        char g[64];
        snprintf(warn, size, "could not give %s the group %s of its directory (%s): run `chgrp %s %s`", path,
                 group_name(db.st_gid, g, sizeof g), strerror(errno), g, path);
    }
    if ((sb.st_mode & 07777) != 0660 && chmod(path, 0660) != 0) {
        snprintf(warn, size, "could not set mode 0660 on %s: %s", path, strerror(errno));
        return -1;
    }
    return *warn ? -1 : 0;
}

/* ---- doctor ---- */

typedef struct dctx {
    wr_access_line_fn line, problem;
    void *ctx;
    int problems;
} dctx;

static void say(dctx *d, const char *key, const char *fmt, ...) WR_PRINTF(3, 4);
static void say(dctx *d, const char *key, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->line(d->ctx, key, buf);
}

/* code: a short name for the problem that stays the same from release to release (doctor --json). */
static void bad(dctx *d, const char *code, const char *fmt, ...) WR_PRINTF(3, 4);
static void bad(dctx *d, const char *code, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->problem(d->ctx, code, buf);
    d->problems++;
}

/* A file every operator of the group writes: rw for the group, not for the world, the database's group. */
static void shared_file(dctx *d, const char *what, const char *path, const struct stat *sb, gid_t want_gid,
                        const char *want_group, int rofs)
{
    char owner[64], group[64];
    user_name(sb->st_uid, owner, sizeof owner);
    group_name(sb->st_gid, group, sizeof group);
    unsigned mode = sb->st_mode & 07777;
    if (sb->st_mode & S_IWOTH)
        bad(d, "world-writable", "%s %s is world-writable (mode %04o): any local user can change or destroy incidents: run `chmod "
               "o-rwx %s`", what, path, mode, path);
    int group_bad = (sb->st_mode & (S_IRGRP | S_IWGRP)) != (S_IRGRP | S_IWGRP);
    if (group_bad)
        bad(d, "group-cannot-write", "%s %s has mode %04o (owner %s): the group %s cannot read and write it, so every other operator's "
               "writes fail: run `chmod g+rw %s` (as %s or root)", what, path, mode, owner, group, path, owner);
    if (want_group && sb->st_gid != want_gid)
        bad(d, "wrong-group", "%s %s belongs to the group %s, the database to %s: operators outside %s cannot write it: run "
               "`chgrp %s %s` (as %s or root)", what, path, group, want_group, group, want_group, path, owner);
    char msg[1400];
    /* This user's own access, unless the group's problem above is already why (same fix). */
    int same = group_bad && sb->st_uid != geteuid() && in_group(sb->st_gid);
    if (!rofs && !same && !can(path, W_OK | R_OK)) {
        why_not(what, path, sb, can(path, R_OK) ? W_OK : R_OK, msg, sizeof msg);
        bad(d, "no-access", "%s", msg);
    }
}

int wr_access_doctor(const char *db_path, wr_access_line_fn line, wr_access_line_fn problem, void *ctx)
{
    dctx d = {line, problem, ctx, 0};
    char me[64], gname[64], dir[4096], journal[4200], msg[1400];
    user_name(geteuid(), me, sizeof me);
    wr_buf groups = {0};
    gid_t gv[256];
    int ng = getgroups(256, gv);
    wr_buf_puts(&groups, group_name(getegid(), gname, sizeof gname));
    for (int i = 0; i < ng; i++)
        if (gv[i] != getegid())
            wr_buf_printf(&groups, ", %s", group_name(gv[i], gname, sizeof gname));
    mode_t um = umask(0);
    umask(um);
    say(&d, "operator", "%s (groups %s; umask %04o: warroom makes its files 0660 whatever the umask)", me,
        wr_buf_str(&groups), (unsigned)um);
    wr_buf_free(&groups);

    if (unreachable(db_path, msg, sizeof msg)) {
        bad(&d, "unreachable", "%s", msg);
        return d.problems;
    }
    dir_of(db_path, dir, sizeof dir);
    snprintf(journal, sizeof journal, "%s-journal", db_path);
    struct stat sb, jb, db;
    int have_db = stat(db_path, &sb) == 0, have_j = stat(journal, &jb) == 0, have_dir = stat(dir, &db) == 0;
    int rofs = have_dir && wr_access_readonly_fs(dir);
    if (rofs) {
        readonly_fs_msg(db_path, msg, sizeof msg);
        bad(&d, "read-only-filesystem", "%s", msg);
    }
    if (!have_db)
        return d.problems;
    char gdb[64];
    group_name(sb.st_gid, gdb, sizeof gdb);
    shared_file(&d, "the database", db_path, &sb, sb.st_gid, NULL, rofs);
    if (have_j) {
        char desc[200];
        say(&d, "journal", "%s, %s", journal, wr_access_describe(journal, desc, sizeof desc));
        shared_file(&d, "the journal", journal, &jb, sb.st_gid, gdb, rofs);
    } else {
        say(&d, "journal", "%s: none yet (SQLite makes it at the first write, with the database's mode)", journal);
    }
    if (have_dir) {
        char owner[64], group[64];
        user_name(db.st_uid, owner, sizeof owner);
        group_name(db.st_gid, group, sizeof group);
        struct passwd *pw = getpwuid(sb.st_uid);
        int team = pw && pw->pw_gid != sb.st_gid; /* the database is shared through a group of its own */
        if (!(db.st_mode & S_ISGID) && team)
            bad(&d, "directory-not-setgid", "the directory %s is not setgid (mode %04o, group %s): a journal made in it gets its "
                    "maker's own group instead of %s, and the others' writes fail: run `chmod g+s %s` (as %s or "
                    "root)", dir, (unsigned)(db.st_mode & 07777), group, gdb, dir, owner);
        else if ((db.st_mode & S_ISGID) && db.st_gid != sb.st_gid)
            bad(&d, "directory-group-differs", "the directory %s gives new files its group %s, but the database belongs to %s: run `chgrp "
                    "%s %s` or `chgrp %s %s` so that both agree", dir, group, gdb, gdb, dir, group, db_path);
        if (team && (db.st_mode & (S_IWGRP | S_IXGRP)) != (S_IWGRP | S_IXGRP) && !have_j)
            bad(&d, "directory-group-cannot-create", "the directory %s (mode %04o) does not let the group %s create the journal: run `chmod g+rwx "
                    "%s` (as %s or root)", dir, (unsigned)(db.st_mode & 07777), group, dir, owner);
        if (!have_j && !rofs && !can(dir, W_OK | X_OK)) {
            why_not("the directory", dir, &db, W_OK | X_OK, msg, sizeof msg);
            bad(&d, "directory-no-access", "%s (needed to make the journal at the first write)", msg);
        }
    }
    say(&d, "writable", "%s %s", me,
        access_problem(db_path, 1, msg, sizeof msg) ? "cannot write the database (see the problems)"
                                                       : "can read and write the database and its journal");
    return d.problems;
}

void wr_access_heal_journal(const char *db_path, const struct stat *db)
{
    char journal[4200];
    snprintf(journal, sizeof journal, "%s-journal", db_path);
    struct stat jb;
    if (stat(journal, &jb) != 0 || jb.st_uid != geteuid())
        return;
    /* Ours, but left narrower than the database (an older warroom, or a umask): give the group its share. */
    mode_t want = db->st_mode & 0666;
    if ((jb.st_mode & 0666) != want && (want & S_IWGRP))
        chmod(journal, want);
    if (jb.st_gid != db->st_gid)
        (void)!chown(journal, (uid_t)-1, db->st_gid);
}

/* ---- the public face: the one error convention ---- */

wr_status wr_access_problem(const char *db_path, int for_write, wr_error *err)
{
    char msg[4400];
    if (!access_problem(db_path, for_write, msg, sizeof msg))
        return WR_OK;
    return wr_error_set(err, WR_E_READONLY, "%s", msg);
}

wr_status wr_access_explain(const char *db_path, int err_no, wr_error *err)
{
    char msg[4400];
    if (!explain(db_path, err_no, msg, sizeof msg))
        return WR_OK;
    return wr_error_set(err, WR_E_READONLY, "%s", msg);
}

wr_status wr_access_share_file(const char *path, wr_error *err)
{
    char warn[4400];
    if (share_file(path, warn, sizeof warn) == 0)
        return WR_OK;
    return wr_error_set(err, WR_E_READONLY, "%s", warn);
}
