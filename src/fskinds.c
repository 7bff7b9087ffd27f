/* SPDX-License-Identifier: MIT */
/* fskinds.c - what warroom knows about filesystem types: mountinfo names, statfs magic numbers, the family
 * each belongs to, and the FUSE subtypes by how they lock. The data behind fscheck.c's verdicts. */
#include "fskinds_int.h"

#include "warroom/fscheck.h"
#include "warroom/util.h"

#include <string.h>

struct fs_kind {
    const char *name;    /* fstype as in mountinfo */
    unsigned long magic; /* statfs f_type, 0 when not known here */
    fs_family fam;
};

/* A name may appear several times (one row per magic it can report). The first row of a magic gives its
 * display name for wr_fs_magic_name, hence "ext2/ext3/ext4" (never a mountinfo fstype) before "ext4". */
static const struct fs_kind fs_kinds[] = {
    {"ext2/ext3/ext4", 0xEF53UL, FAM_DISK},
    {"ext4", 0xEF53UL, FAM_DISK},
    {"ext3", 0xEF53UL, FAM_DISK},
    {"ext2", 0xEF53UL, FAM_DISK},
    {"xfs", 0x58465342UL, FAM_DISK},
    {"btrfs", 0x9123683EUL, FAM_DISK},
    {"zfs", 0x2FC12FC1UL, FAM_DISK},
    {"f2fs", 0xF2F52010UL, FAM_DISK},
    {"bcachefs", 0xCA451A4EUL, FAM_DISK},
    {"reiserfs", 0x52654973UL, FAM_DISK},
    {"jfs", 0x3153464AUL, FAM_DISK},
    {"nilfs2", 0x3434UL, FAM_DISK},
    {"vfat", 0x4D44UL, FAM_DISK},
    {"msdos", 0x4D44UL, FAM_DISK},
    {"exfat", 0x2011BAB0UL, FAM_DISK},
    {"ntfs", 0, FAM_DISK},
    {"ntfs3", 0, FAM_DISK},
    {"hfsplus", 0x482BUL, FAM_DISK},
    {"squashfs", 0x73717368UL, FAM_DISK},
    {"erofs", 0xE0F5E1E2UL, FAM_DISK},
    {"iso9660", 0x9660UL, FAM_DISK},
    {"udf", 0x15013346UL, FAM_DISK},
    {"tmpfs", 0x01021994UL, FAM_MEMORY},
    {"devtmpfs", 0x01021994UL, FAM_MEMORY},
    {"ramfs", 0x858458F6UL, FAM_MEMORY},
    {"overlay", 0x794C7630UL, FAM_OVERLAY},
    {"aufs", 0x61756673UL, FAM_OVERLAY},
    {"proc", 0x9FA0UL, FAM_PSEUDO},
    {"sysfs", 0x62656572UL, FAM_PSEUDO},
    {"devpts", 0x1CD1UL, FAM_PSEUDO},
    {"cgroup", 0x27E0EBUL, FAM_PSEUDO},
    {"cgroup2", 0x63677270UL, FAM_PSEUDO},
    {"nfs", 0x6969UL, FAM_NFS},
    {"nfs4", 0x6969UL, FAM_NFS},
    {"cifs", 0xFF534D42UL, FAM_SMB},
    {"cifs", 0xFE534D42UL, FAM_SMB},
    {"smb3", 0xFF534D42UL, FAM_SMB},
    {"smb3", 0xFE534D42UL, FAM_SMB},
    {"smbfs", 0x517BUL, FAM_SMB},
    {"fuse", 0x65735546UL, FAM_FUSE}, /* every "fuse.SUBTYPE" too */
    /* after "fuse", which names the FUSE magic: */
    {"fuseblk", 0x65735546UL, FAM_DISK}, /* ntfs-3g, exfat-fuse: FUSE over a local block device */
    {"9p", 0x01021997UL, FAM_9P},
    {"ceph", 0x00C36400UL, FAM_CEPH},
    {"afs", 0x6B414653UL, FAM_AFS},   /* kAFS */
    {"afs", 0x5346414FUL, FAM_AFS},   /* OpenAFS */
    {"gfs2", 0x01161970UL, FAM_GFS2},
    {"ocfs2", 0x7461636FUL, FAM_OCFS2},
    {"lustre", 0x0BD00BD0UL, FAM_LUSTRE},
    {"virtiofs", 0x65735546UL, FAM_VIRTIOFS},
    {"vboxsf", 0x786F4256UL, FAM_VMSHARE},
};

/* FUSE subtypes ("fuse.NAME") whose daemons implement POSIX locks against their servers. */
static const char *const fuse_locking[] = {"glusterfs", "ceph-fuse", "ceph", "juicefs"};
/* FUSE subtypes over object storage: no locks beyond this host, no in-place writes. */
static const char *const fuse_object[] = {"s3fs", "rclone", "gcsfuse", "goofys", "mountpoint-s3", "blobfuse",
                                          "blobfuse2", "s3backer", "geesefs"};
/* FUSE subtypes that share a folder of the hypervisor or of the desktop running the VM. */
static const char *const fuse_vmshare[] = {"vmhgfs-fuse", "grpcfuse", "osxfs"};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

int wr_fs_fuse_is(const char *subtype, wr_fuse_class c)
{
    switch (c) {
    case WR_FUSE_LOCKING: return in_list(subtype, fuse_locking, WR_ARRAY_LEN(fuse_locking));
    case WR_FUSE_OBJECT: return in_list(subtype, fuse_object, WR_ARRAY_LEN(fuse_object));
    case WR_FUSE_VMSHARE: return in_list(subtype, fuse_vmshare, WR_ARRAY_LEN(fuse_vmshare));
    }
    return 0;
}

/* The table name to look a mountinfo fstype up under: "fuse.sshfs" -> "fuse". */
static const char *kind_key(const char *fstype)
{
    return wr_startswith(fstype, "fuse.") ? "fuse" : fstype;
}

fs_family wr_fs_family_of_fstype(const char *fstype)
{
    const char *key = kind_key(fstype);
    for (size_t i = 0; i < WR_ARRAY_LEN(fs_kinds); i++)
        if (strcmp(fs_kinds[i].name, key) == 0)
            return fs_kinds[i].fam;
    return FAM_UNKNOWN;
}

fs_family wr_fs_family_of_magic(unsigned long magic)
{
    if (magic == 0)
        return FAM_UNKNOWN;
    for (size_t i = 0; i < WR_ARRAY_LEN(fs_kinds); i++)
        if (fs_kinds[i].magic == magic)
            return fs_kinds[i].fam;
    return FAM_UNKNOWN;
}

const char *wr_fs_magic_name(unsigned long magic)
{
    if (magic == 0)
        return NULL;
    for (size_t i = 0; i < WR_ARRAY_LEN(fs_kinds); i++)
        if (fs_kinds[i].magic == magic)
            return fs_kinds[i].name;
    return NULL;
}

/* 1 if `fstype` may report `magic` (or we cannot tell), 0 if we know it does not. */
int wr_fs_magic_agrees(const char *fstype, unsigned long magic)
{
    if (magic == 0)
        return 1;
    const char *key = kind_key(fstype);
    int known = 0;
    for (size_t i = 0; i < WR_ARRAY_LEN(fs_kinds); i++) {
        if (strcmp(fs_kinds[i].name, key) != 0 || fs_kinds[i].magic == 0)
            continue;
        known = 1;
        if (fs_kinds[i].magic == magic)
            return 1;
    }
    return !known;
}

const char *wr_lock_scope_name(wr_lock_scope scope)
{
    switch (scope) {
    case WR_LOCKS_LOCAL: return "local";
    case WR_LOCKS_NETWORK_OK: return "network";
    case WR_LOCKS_ONE_HOST: return "one-host";
    case WR_LOCKS_BROKEN: return "broken";
    }
    return "unknown";
}
