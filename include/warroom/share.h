/* SPDX-License-Identifier: MIT */
/* share.h - which file on a network share the database is, whichever mount shows it (pure: no system calls).
 *
 * Two mounts of one share on one host (each operator of a bastion mounting it with sshfs for themselves) show
 * the same file under two paths, and FUSE keeps file locks per mount: SQLite's locks taken through one mount
 * are not seen through the other. The host-local lock (hostlock.h) is named after the file's identity on the
 * share, so every mount of it on the host finds the same lock:
 *
 *   host:/absolute/path/on/the/server       for "user@host:/dir" (sshfs) and "server:/export" (NFS) sources:
 *                                           the user is left out (each operator logs in as themselves), the
 *                                           host is lower-cased, the path is the source's directory, the
 *                                           mount's root and the file's place under the mount point;
 *   user@host:~/path                        when the source's directory is relative (the remote user's home);
 *   server:/share/path                      for "//server/share" (CIFS);
 *   SOURCE:/path                            for anything else (the source verbatim).
 *
 * Host names are compared as written: mounting one share as "fs1" and as "fs1.example.com" or by address
 * gives two identities. */
#ifndef WARROOM_SHARE_H
#define WARROOM_SHARE_H

#include <stddef.h>

#include "warroom/util.h"

/* The identity of the file at `path` (absolute) under `mountpoint`, where the mount shows directory `root`
 * of the filesystem `source` (as in mountinfo). 0, or -1 when path is not under mountpoint or does not fit
 * in size. */
int wr_share_key(const char *source, const char *root, const char *mountpoint, const char *path, char *out,
                 size_t size);

/* The other mounts in mountinfo_text through which the file `key` is visible, skipping the mount at
 * own_mountpoint with device own_major:own_minor: one line each appended to out,
 * "PATH (SOURCE, FSTYPE)\n" where PATH is where the file shows there. Returns how many. */
size_t wr_share_other_mounts(const char *mountinfo_text, const char *key, const char *own_mountpoint,
                             unsigned own_major, unsigned own_minor, wr_buf *out);

/* The lock file for key in dir: "DIR/warroom-HASH.lock", HASH the first 32 hex digits of the key's SHA-256. */
void wr_share_lock_name(const char *dir, const char *key, char *out, size_t size);

#endif
