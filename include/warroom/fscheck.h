/* SPDX-License-Identifier: MIT */
/* fscheck.h - which filesystem holds the database, and can SQLite's POSIX locks be trusted there?
 *
 * SQLite's rollback journal keeps many writers safe only while fcntl() byte-range locks are honoured by
 * everyone who opens the file. On a local disk that is always true. On a network filesystem it is true only
 * if the locks travel to the server (NFS with locking, SMB without `nobrl`, CephFS...); FUSE filesystems such
 * as sshfs, 9p shares and NFS mounted `nolock` keep the locks inside one kernel, so two hosts writing the
 * same file will corrupt it (sqlite.org FAQ #5, "How To Corrupt", "SQLite Over a Network"). WAL mode needs
 * shared memory and never works across hosts.
 *
 * The classification is pure (wr_fs_classify_mountinfo*: a mountinfo text in, a verdict out) so that it is
 * tested with fixtures; wr_fs_inspect is the thin layer that asks the running system.
 */
#ifndef WARROOM_FSCHECK_H
#define WARROOM_FSCHECK_H

/* statfs(2) f_type values warroom knows by name (see also wr_fs_magic_name). */
#define WR_FS_MAGIC_EXT4 0xEF53UL /* ext2, ext3 and ext4 share it */
#define WR_FS_MAGIC_XFS 0x58465342UL
#define WR_FS_MAGIC_BTRFS 0x9123683EUL
#define WR_FS_MAGIC_ZFS 0x2FC12FC1UL
#define WR_FS_MAGIC_TMPFS 0x01021994UL
#define WR_FS_MAGIC_OVERLAY 0x794C7630UL
#define WR_FS_MAGIC_NFS 0x6969UL
#define WR_FS_MAGIC_SMB 0x517BUL
#define WR_FS_MAGIC_CIFS 0xFF534D42UL
#define WR_FS_MAGIC_SMB2 0xFE534D42UL
#define WR_FS_MAGIC_FUSE 0x65735546UL
#define WR_FS_MAGIC_9P 0x01021997UL
#define WR_FS_MAGIC_CEPH 0x00C36400UL

typedef enum {
    WR_LOCKS_LOCAL,      /* local filesystem: locks fine for every process on this host */
    WR_LOCKS_NETWORK_OK, /* network fs whose locks work across hosts (e.g. NFS with locking) */
    WR_LOCKS_ONE_HOST,   /* locks hold only among processes of this host (FUSE/sshfs, 9p, nolock-like
                            settings): safe only if only one host ever uses the file */
    WR_LOCKS_BROKEN      /* locks that do not even work locally (Lustre mounted without `flock`: fcntl
                            locks fail with ENOSYS) */
} wr_lock_scope;

typedef struct wr_fsinfo {
    char fstype[64];        /* "ext4", "nfs4", "fuse.sshfs", ... from mountinfo; or from f_type if not found
                               ("ext2/ext3/ext4", "nfs", or "0x1234abcd" when the magic is unknown too) */
    unsigned long magic;    /* statfs f_type (0 if unknown) */
    char mountpoint[4096];  /* unescaped ("/mnt/war room"); "" if no mount table entry was used */
    char source[1024];      /* mount source, e.g. server:/export (unescaped) */
    char root[4096];        /* the directory of the mounted filesystem shown at mountpoint ("/": all of it) */
    char options[2048];     /* per-mount options then super options, comma-separated, verbatim; an option
                               present in both is listed once; cut at an option boundary if too long */
    int is_network;         /* NFS/SMB/CIFS/9p/FUSE-network/ceph/cluster fs/VM shares */
    wr_lock_scope scope;
    int soft_mount;         /* NFS mounted `soft` (or `softerr`) */
    char verdict[512];      /* one human line: what this means */
    char advice[1024];      /* what to do about it (empty when nothing to do) */
} wr_fsinfo;

/* Parse one /proc/self/mountinfo text (fixture or real) and fill `out` for the mount that contains `path`.
 *
 * `path` must be absolute and should be canonical (from realpath); repeated slashes, "." components and a
 * trailing slash are ignored, ".." is not resolved (a relative path or one with ".." returns -1). A mount
 * contains the path when its mount point is a prefix of it on whole components (/mnt/nfs contains
 * /mnt/nfs/a but not /mnt/nfs2). Among those, the longest mount point wins and, on equal mount points, the
 * LAST line wins (it is the one mounted on top). When `magic` (statfs f_type, 0 if unknown) is given,
 * entries whose filesystem type is known NOT to have that magic are passed over if any other entry fits:
 * that picks the right entry when a later mount hides a longer one. Mount points, roots and sources are
 * unescaped (\040 space, \011 tab, \012 newline, \134 backslash); malformed lines are skipped.
 *
 * Returns 0 when a mount matched. If none matched, `out` is still filled from `magic` alone (fstype from
 * the magic, empty mount point, conservative scope) and -1 is returned. If the matched entry's type
 * contradicts a known `magic`, statfs is trusted: the verdict is made from the magic and says so.
 * Pure: no system calls. */
int wr_fs_classify_mountinfo(const char *mountinfo_text, const char *path, unsigned long magic, wr_fsinfo *out);

/* The same, with the device number of `path` (st_dev from stat(2), the "major:minor" column of mountinfo)
 * as the strongest hint: entries of that device are preferred over all others. dev_major == dev_minor == 0
 * means unknown (no mounted filesystem has device 0:0). Pure. */
int wr_fs_classify_mountinfo_dev(const char *mountinfo_text, const char *path, unsigned long magic,
                                 unsigned dev_major, unsigned dev_minor, wr_fsinfo *out);

/* Real system: realpath() of the database file if it exists (so a symlinked database is judged where it
 * really lives), else of its directory; statfs() and stat() on that DIRECTORY (the database file is never
 * opened: closing any descriptor of it would drop SQLite's locks), then /proc/self/mountinfo and
 * wr_fs_classify_mountinfo_dev. If mountinfo cannot be read or has no entry, `out` is filled from the
 * statfs magic alone. Returns 0, or -1 with errno (EINVAL for NULL/empty arguments, or the errno of
 * realpath/statfs, e.g. ENOENT when the directory does not exist). */
int wr_fs_inspect(const char *db_path, wr_fsinfo *out);

/* "local", "network", "one-host", "broken" ("unknown" for any other value). */
const char *wr_lock_scope_name(wr_lock_scope scope);

/* The usual name of a statfs magic ("ext2/ext3/ext4", "nfs", "cifs", "fuse", "9p", ...) or NULL. */
const char *wr_fs_magic_name(unsigned long magic);

#endif
