/* SPDX-License-Identifier: MIT */
/* fskinds_int.h - private to fscheck.c and fskinds.c: filesystem families and the lookups in the table of
 * known filesystem types. */
#ifndef WARROOM_FSKINDS_INT_H
#define WARROOM_FSKINDS_INT_H

typedef enum {
    FAM_UNKNOWN,
    FAM_DISK,     /* block-device filesystems */
    FAM_MEMORY,   /* tmpfs, ramfs */
    FAM_OVERLAY,  /* container layers */
    FAM_PSEUDO,   /* proc, sysfs: cannot hold a database */
    FAM_NFS,
    FAM_SMB,
    FAM_FUSE,
    FAM_9P,
    FAM_CEPH,
    FAM_AFS,
    FAM_GFS2,
    FAM_OCFS2,
    FAM_LUSTRE,
    FAM_VIRTIOFS,
    FAM_VMSHARE   /* hypervisor shared folders: vboxsf, vmhgfs */
} fs_family;

/* The family of a mountinfo fstype ("fuse.sshfs" is looked up as "fuse"), or of a statfs magic number. */
fs_family wr_fs_family_of_fstype(const char *fstype);
fs_family wr_fs_family_of_magic(unsigned long magic);
/* 1 if `fstype` may report `magic` (or we cannot tell), 0 if we know it does not. */
int wr_fs_magic_agrees(const char *fstype, unsigned long magic);

typedef enum {
    WR_FUSE_LOCKING, /* daemons that implement POSIX locks against their servers */
    WR_FUSE_OBJECT,  /* over object storage: no locks beyond this host, no in-place writes */
    WR_FUSE_VMSHARE, /* a folder of the hypervisor or of the desktop running the VM */
} wr_fuse_class;
/* Whether the FUSE subtype ("sshfs" of "fuse.sshfs") is of that class. */
int wr_fs_fuse_is(const char *subtype, wr_fuse_class c);

#endif
