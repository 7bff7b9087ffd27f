/* SPDX-License-Identifier: MIT */
/* store_err.c - statuses, exit codes, and SQLite errors told as what they mean for an operator: a busy
 * database, a full disk, a permission (naming the file, its owner and mode), a read-only mount, damage. */
#include "store_int.h"

#include "warroom/access.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* SQLite's words for rc: the connection's message when it is about this very error, else the generic one
 * (a connection whose last call succeeded says "not an error", which must never reach an operator). */
static const char *detail_of(wr_store *st, int rc)
{
    if (st && st->db && (sqlite3_errcode(st->db) & 0xff) == (rc & 0xff))
        return sqlite3_errmsg(st->db);
    return sqlite3_errstr(rc);
}

wr_status wr_st_error(wr_store *st, int rc, wr_error *err, const char *doing)
{
    const char *path = st ? st->path : "the database";
    const char *detail = detail_of(st, rc);
    int sys = st && st->db ? sqlite3_system_errno(st->db) : 0;
    char why[1400];
    wr_error ae = {0};
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return wr_error_set(err, WR_E_BUSY,
                            "the database is busy: another warroom is writing to %s and did not finish in "
                            "time; nothing was written while %s, and retrying is safe",
                            path, doing);
    case SQLITE_FULL:
        return wr_error_set(err, WR_E_FULL,
                            "the disk holding %s is full: nothing was written while %s; free some space and "
                            "try again (everything already recorded is safe)",
                            path, doing);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        if (st && wr_error_took(wr_access_problem(st->path, 1, &ae), &ae, why, sizeof why))
            return wr_error_set(err, WR_E_READONLY, "%s; nothing was written while %s", why, doing);
        return wr_error_set(err, WR_E_READONLY, "%s cannot be written by this user (%s): nothing was written "
                            "while %s; `warroom doctor` shows why", path, detail, doing);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return wr_error_set(err, WR_E_CORRUPT,
                            "%s is not a warroom database or is damaged (%s) while %s; restore it from a "
                            "backup, or point --db elsewhere",
                            path, detail, doing);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
        /* A permission or a read-only mount is not a lost network mount: say which file and why. (A journal
         * SQLite could not open for writing it opens read-only, and the write then fails with EBADF: so the
         * files themselves are looked at, whatever the errno.) */
        if (st && (((sys == EACCES || sys == EPERM || sys == EROFS) && wr_error_took(wr_access_explain(st->path, sys, &ae), &ae, why, sizeof why)) ||
                   wr_error_took(wr_access_problem(st->path, 1, &ae), &ae, why, sizeof why)))
            return wr_error_set(err, WR_E_READONLY, "%s; nothing was written while %s", why, doing);
        if ((rc & 0xff) == SQLITE_CANTOPEN)
            return wr_error_set(err, WR_E_IO,
                                "cannot open %s while %s (%s%s%s): is its directory there and mounted?", path,
                                doing, detail, sys ? ": " : "", sys ? strerror(sys) : "");
        return wr_error_set(err, WR_E_IO,
                            "an I/O error on %s while %s (%s%s%s): is a network mount gone? nothing was "
                            "acknowledged that is not on disk",
                            path, doing, detail, sys ? ": " : "", sys ? strerror(sys) : "");
    case SQLITE_CONSTRAINT:
        return wr_error_set(err, WR_E_INVALID, "the database refused the change while %s (%s)", doing, detail);
    default:
        return wr_error_set(err, WR_E_IO, "database error while %s on %s: %s", doing, path, detail);
    }
}

wr_status wr_st_fail(wr_store *st, wr_error *err, const char *doing)
{
    return wr_st_error(st, sqlite3_errcode(st->db), err, doing);
}

int wr_st_step(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}
