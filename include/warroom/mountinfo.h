/* SPDX-License-Identifier: MIT */
/* mountinfo.h - reading /proc/self/mountinfo lines and comparing paths with mount points (pure: no system
 * calls). Used by fscheck (which mount holds the database, and what it promises) and share (which other
 * mounts show the same file). */
#ifndef WARROOM_MOUNTINFO_H
#define WARROOM_MOUNTINFO_H

/* One line of mountinfo, its fields pointing into the line (which parsing modified in place). */
typedef struct wr_mount {
    unsigned major, minor; /* the device ("major:minor") */
    char *root;            /* the directory of the filesystem mounted here ("/" for a whole filesystem) */
    char *mountpoint;
    char *mnt_opts;        /* per-mount options */
    char *fstype;          /* "ext4", "fuse.sshfs", ... */
    char *source;          /* "server:/export", "user@host:/dir", "/dev/sda1" */
    char *super_opts;      /* per-superblock options ("" when absent) */
} wr_mount;

/* Parse one line (modified in place):
 *   id parent major:minor root mountpoint mnt-opts [optional fields...] - fstype source [super-opts]
 * Root, mount point, fstype and source are unescaped (\040 space, \011 tab, \012 newline, \134 backslash).
 * 0 on success, -1 if malformed. */
int wr_mountinfo_parse_line(char *line, wr_mount *m);

/* Normalise an absolute path: no repeated slashes, no "." components, no trailing slash ("/" stays "/").
 * Returns a new string, or NULL if the path is not absolute or has a ".." component. */
char *wr_path_normalize(const char *in);

/* Length of mount point `mp` (normalised) if it contains `path` (normalised) on whole components, else -1.
 * "/" contains everything and has length 0 so that any other match is longer. */
long wr_mount_contains(const char *mp, const char *path);

#endif
