/* SPDX-License-Identifier: MIT */
/* access.h - can this operator reach and write the database, its journal and its directory? Who owns them,
 * with which modes, and the exact command that fixes what is wrong.
 *
 * A war room is several Unix users in one group, each with their own umask, sharing one file. SQLite needs,
 * for every writer: the database file writable, its `-journal` writable (or, while there is none, the
 * directory writable to make it), and each directory on the way enterable. One file left 0644 by one
 * operator makes every other operator's writes fail, so these checks name the file, its owner, group and
 * mode, and say what to run. Plain system calls (stat, faccessat with the effective ids, statvfs); no SQLite.
 */
#ifndef WARROOM_ACCESS_H
#define WARROOM_ACCESS_H

#include <stddef.h>

#include "warroom/error.h"

/* "owner alice, group ir, mode 0644" for path into buf ("" when it cannot be stat'ed); returns buf. */
const char *wr_access_describe(const char *path, char *buf, size_t size);

/* What keeps this user from using the database at db_path: a directory on the way it cannot enter, the
 * file it cannot read, or (for_write) the file, its journal or its directory it cannot write, or a
 * filesystem mounted read-only. One or two sentences in msg naming the file, its owner, group and mode and
 * what to run. WR_OK when nothing is in the way, else WR_E_READONLY with that in err. */
wr_status wr_access_problem(const char *db_path, int for_write, wr_error *err);

/* The same after a failed system call: err_no is the errno SQLite saw (EACCES, EPERM, EROFS).
 * WR_E_READONLY with the explanation when permissions or a read-only mount explain the failure, else WR_OK. */
wr_status wr_access_explain(const char *db_path, int err_no, wr_error *err);

/* 1 if the filesystem holding path (or its directory, when path does not exist) is mounted read-only. */
int wr_access_readonly_fs(const char *path);

/* `warroom doctor`'s checks for a team: the database, its journal and its directory as every operator of
 * the group needs them (group-readable and -writable, the same group, a setgid directory, nothing
 * world-writable) and whether this user can write each. Each finding goes to `line` (key, text) and each
 * problem, with the command that fixes it, to `problem` (key: the problem's code, a stable short name such as
 * "group-cannot-write", listed in docs/json.md). Returns the number of problems. */
typedef void (*wr_access_line_fn)(void *ctx, const char *key, const char *text);
int wr_access_doctor(const char *db_path, wr_access_line_fn line, wr_access_line_fn problem, void *ctx);

/* Files warroom makes next to the database: the mode and group they must have (0660, the directory's
 * group). Call after creating path. WR_OK, or WR_E_READONLY with a warning sentence when it could not. */
wr_status wr_access_share_file(const char *path, wr_error *err);

/* At open for writing: a journal this user owns that is narrower than the database (left by an older
 * warroom or another umask) gets the database's mode and group back. db is the database's stat. */
struct stat;
void wr_access_heal_journal(const char *db_path, const struct stat *db);

#endif
