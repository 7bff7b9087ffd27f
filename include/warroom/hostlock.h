/* SPDX-License-Identifier: MIT */
/* hostlock.h - one lock per host for a database on a mount whose locks hold on one host only.
 *
 * FUSE (sshfs), 9p and NFS `nolock`/`local_lock` mounts keep POSIX locks inside one kernel, and FUSE even
 * keeps them inside one mount: two sshfs mounts of the same share on one host do not see each other's
 * locks, so SQLite's locking cannot keep their writers apart. Every process that opens a database on such a
 * mount therefore also holds an flock(2) on a lock file named after the file's identity on the share
 * (share.h), for as long as SQLite holds any lock on the database (every read and every write transaction).
 * All processes of the host serialise on it, whichever mount they came through. After taking it, the
 * process refreshes what its kernel knows of the file (attributes re-read from the server, cached pages
 * dropped), so pages written through another mount are never read stale.
 *
 * The lock files live in the first of /run/lock, /var/lock, /dev/shm and /tmp that exists (every user of
 * the host can create files there): "warroom-HASH.lock", mode 0644 (flock needs only read access, so every
 * operator can take the lock whoever made the file), holding the identity as text for humans. Within one
 * process the lock is shared by all its connections (SQLite's own locks order those).
 */
#ifndef WARROOM_HOSTLOCK_H
#define WARROOM_HOSTLOCK_H

#include <stddef.h>

#include "warroom/error.h"
#include "warroom/fscheck.h"
#include "warroom/util.h"

/* The directory of the lock files (see above). */
const char *wr_hostlock_dir(void);

/* The identity (key) of the database at db_path on the mount fs describes, and its lock file (lock),
 * created if missing. WR_OK, or WR_E_UNSAFE with why it cannot be had in err. */
wr_status wr_hostlock_prepare(const char *db_path, const wr_fsinfo *fs, char *key, size_t keysize, char *lock,
                              size_t locksize, wr_error *err);

/* Other mounts of this host that show the same file (for doctor): lines appended to out; returns how many. */
size_t wr_hostlock_other_mounts(const char *key, const wr_fsinfo *fs, wr_buf *out);

/* The name of the SQLite VFS that takes the lock (registered on the first call); open the database through
 * it with the URI from wr_hostlock_uri. */
const char *wr_hostlock_vfs(void);
/* "file:PATH?warroom_hostlock=LOCK" (percent-encoded) for sqlite3_open_v2 with SQLITE_OPEN_URI; caller frees. */
char *wr_hostlock_uri(const char *db_path, const char *lock_path);

#endif
