/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/fscheck.h"
#include "warroom/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *load_fixture(const char *name)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/tests/data/mountinfo/%s", src ? src : ".", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        free(path);
        exit(2);
    }
    wr_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wr_buf_append(&b, chunk, n);
    fclose(f);
    free(path);
    return wr_buf_steal(&b);
}

/* Classify `path` against fixture `name`; returns the function's result. */
static int classify(const char *name, const char *path, unsigned long magic, wr_fsinfo *fi)
{
    char *text = load_fixture(name);
    int rc = wr_fs_classify_mountinfo(text, path, magic, fi);
    free(text);
    return rc;
}

#define CONTAINS(hay, needle) CHECK(strstr((hay), (needle)) != NULL)

static void test_local(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("local_ext4_xfs.mountinfo", "/var/lib/warroom/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "ext4");
    CHECK_STR(fi.mountpoint, "/");
    CHECK_STR(fi.source, "/dev/mapper/vg0-root");
    CHECK_STR(fi.options, "rw,relatime,errors=remount-ro"); /* "rw" listed once */
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_INT(fi.is_network, 0);
    CHECK_INT(fi.soft_mount, 0);
    CONTAINS(fi.verdict, "ext4 is a local filesystem");
    CHECK_STR(fi.advice, "");

    CHECK_INT(classify("local_ext4_xfs.mountinfo", "/home/ops/war.db", WR_FS_MAGIC_XFS, &fi), 0);
    CHECK_STR(fi.fstype, "xfs");
    CHECK_STR(fi.mountpoint, "/home");
    CHECK_INT(fi.magic, WR_FS_MAGIC_XFS);
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_STR(fi.advice, "");

    /* the mount point itself, with a trailing slash and doubled slashes */
    CHECK_INT(classify("local_ext4_xfs.mountinfo", "//home/", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/home");
    CHECK_INT(classify("local_ext4_xfs.mountinfo", "/boot/./x", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/boot");
    CHECK_STR(fi.source, "/dev/sda1");
    /* /homework is not under /home */
    CHECK_INT(classify("local_ext4_xfs.mountinfo", "/homework/war.db", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
}

static void test_nfs(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("nfs4_hard.mountinfo", "/mnt/warroom/war.db", WR_FS_MAGIC_NFS, &fi), 0);
    CHECK_STR(fi.fstype, "nfs4");
    CHECK_STR(fi.mountpoint, "/mnt/warroom");
    CHECK_STR(fi.source, "nfs.example.internal:/export/warroom");
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK);
    CHECK_INT(fi.is_network, 1);
    CHECK_INT(fi.soft_mount, 0);
    CONTAINS(fi.verdict, "NFSv4.2");
    CONTAINS(fi.verdict, "not WAL");
    CHECK_STR(fi.advice, "");
    CONTAINS(fi.options, "local_lock=none");
    CHECK(strncmp(fi.options, "rw,relatime,vers=4.2,", 21) == 0);

    CHECK_INT(classify("nfs3_nolock.mountinfo", "/srv/shared/ops/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "nfs");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(fi.is_network, 1);
    CONTAINS(fi.verdict, "`nolock`");
    CONTAINS(fi.verdict, "two hosts writing this database will corrupt it");
    CONTAINS(fi.advice, "without `nolock`");
    CONTAINS(fi.advice, "single_host: true");

    CHECK_INT(classify("nfs_local_lock_all.mountinfo", "/srv/warroom/war.db", 0, &fi), 0);
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CONTAINS(fi.verdict, "`local_lock=all`");
    CONTAINS(fi.advice, "local_lock=none");

    CHECK_INT(classify("nfs_local_lock_flock.mountinfo", "/srv/warroom/war.db", 0, &fi), 0);
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK);
    CONTAINS(fi.verdict, "NFSv3");
    CONTAINS(fi.verdict, "lockd/statd");
    CONTAINS(fi.verdict, "local_lock=flock");
    CONTAINS(fi.advice, "rpc.statd"); /* v3 needs statd */

    CHECK_INT(classify("nfs_soft.mountinfo", "/mnt/warroom/war.db", 0, &fi), 0);
    CHECK_INT(fi.soft_mount, 1);
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK); /* locks work; the data is what is at risk */
    CONTAINS(fi.verdict, "`soft`");
    CONTAINS(fi.advice, "`hard`");
    CONTAINS(fi.advice, "corrupt");

    /* "local_lock=none" must not be read as a soft mount or as nolock; healthy mount is not soft */
    CHECK_INT(classify("nfs4_hard.mountinfo", "/mnt/warroom", 0, &fi), 0);
    CHECK_INT(fi.soft_mount, 0);
}

static void test_smb(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("cifs_nobrl.mountinfo", "/mnt/ops/war.db", WR_FS_MAGIC_SMB2, &fi), 0);
    CHECK_STR(fi.fstype, "cifs");
    CHECK_STR(fi.source, "//fileserver.corp.example/ops");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(fi.is_network, 1);
    CONTAINS(fi.verdict, "`nobrl`");
    CONTAINS(fi.advice, "without `nobrl`");

    CHECK_INT(classify("cifs.mountinfo", "/mnt/ops/war.db", WR_FS_MAGIC_CIFS, &fi), 0);
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK);
    CHECK_INT(fi.is_network, 1);
    CHECK_INT(fi.soft_mount, 0); /* soft_mount is about NFS */
    CONTAINS(fi.verdict, "SMB server");
    CHECK_STR(fi.advice, "");
}

static void test_sshfs_9p(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("sshfs.mountinfo", "/home/ops/bastion/war.db", WR_FS_MAGIC_FUSE, &fi), 0);
    CHECK_STR(fi.fstype, "fuse.sshfs");
    CHECK_STR(fi.mountpoint, "/home/ops/bastion");
    CHECK_STR(fi.source, "ops@bastion.example.com:/var/lib/warroom");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(fi.is_network, 1);
    CHECK_STR(fi.verdict,
              "sshfs (FUSE) keeps file locks on this host only: two hosts writing this database will corrupt it");
    CHECK_STR(fi.advice,
              "Use it from one host only (set `single_host: true` in the config to confirm), or put the database "
              "on a local disk of the bastion, or on NFS mounted with locking (no `nolock`, no `local_lock=all`).");
    /* next to it, on /home (xfs) */
    CHECK_INT(classify("sshfs.mountinfo", "/home/ops/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "xfs");

    CHECK_INT(classify("9p_wsl.mountinfo", "/mnt/c/Users/ops/war.db", WR_FS_MAGIC_9P, &fi), 0);
    CHECK_STR(fi.fstype, "9p");
    CHECK_STR(fi.source, "C:\\");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(fi.is_network, 1);
    CONTAINS(fi.verdict, "two hosts writing this database will corrupt it");
    CONTAINS(fi.advice, "single_host: true");
    CONTAINS(fi.options, "trans=fd"); /* no optional fields on this line: still parsed */
}

static void test_tmpfs_overlay(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("tmpfs.mountinfo", "/tmp/war.db", WR_FS_MAGIC_TMPFS, &fi), 0);
    CHECK_STR(fi.fstype, "tmpfs");
    CHECK_STR(fi.mountpoint, "/tmp");
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_INT(fi.is_network, 0);
    CONTAINS(fi.verdict, "lost at reboot");
    CONTAINS(fi.advice, "persistent local disk");

    CHECK_INT(classify("overlay_container.mountinfo", "/app/war.db", WR_FS_MAGIC_OVERLAY, &fi), 0);
    CHECK_STR(fi.fstype, "overlay");
    CHECK_STR(fi.mountpoint, "/");
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_INT(fi.is_network, 0);
    CONTAINS(fi.advice, "volume");
    /* the volume bind-mounted from the host's ext4 */
    CHECK_INT(classify("overlay_container.mountinfo", "/data/war.db", WR_FS_MAGIC_EXT4, &fi), 0);
    CHECK_STR(fi.fstype, "ext4");
    CHECK_STR(fi.mountpoint, "/data");
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_STR(fi.advice, "");
}

static void test_nested_and_prefixes(void)
{
    wr_fsinfo fi;
    /* longest prefix: sshfs mounted inside the NFS mount */
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/sub/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "fuse.sshfs");
    CHECK_STR(fi.mountpoint, "/mnt/nfs/sub");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "nfs4");
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK);
    /* component boundaries: /mnt/nfs/subdir is not under /mnt/nfs/sub, /mnt/nfs2 not under /mnt/nfs */
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/subdir/war.db", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/mnt/nfs");
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs2/war.db", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
    CHECK_STR(fi.fstype, "ext4");
    CHECK_INT(classify("nested.mountinfo", "/mnt/nf", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
    /* normalisation of the asked path */
    CHECK_INT(classify("nested.mountinfo", "/mnt//nfs/./sub/", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/mnt/nfs/sub");
    /* same mount point twice: the last line (mounted on top) wins */
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/scratch/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "tmpfs");
    /* ...unless statfs says otherwise: the magic picks the entry it agrees with */
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/scratch/war.db", WR_FS_MAGIC_EXT4, &fi), 0);
    CHECK_STR(fi.fstype, "ext4");
    CHECK_STR(fi.source, "/dev/sdb1");
    /* a hidden longer mount: statfs says NFS, so the sshfs entry is not the one in use */
    CHECK_INT(classify("nested.mountinfo", "/mnt/nfs/sub/war.db", WR_FS_MAGIC_NFS, &fi), 0);
    CHECK_STR(fi.fstype, "nfs4");
    CHECK_STR(fi.mountpoint, "/mnt/nfs");
    /* the device number is the strongest hint */
    char *text = load_fixture("nested.mountinfo");
    CHECK_INT(wr_fs_classify_mountinfo_dev(text, "/mnt/nfs/scratch/x", 0, 8, 17, &fi), 0);
    CHECK_STR(fi.fstype, "ext4");
    CHECK_INT(wr_fs_classify_mountinfo_dev(text, "/mnt/nfs/scratch/x", 0, 0, 62, &fi), 0);
    CHECK_STR(fi.fstype, "tmpfs");
    /* a device no entry has: falls back to longest/last */
    CHECK_INT(wr_fs_classify_mountinfo_dev(text, "/mnt/nfs/sub/x", 0, 9, 99, &fi), 0);
    CHECK_STR(fi.fstype, "fuse.sshfs");
    /* relative paths and ".." are refused */
    CHECK_INT(wr_fs_classify_mountinfo(text, "mnt/nfs/x", 0, &fi), -1);
    CHECK_INT(wr_fs_classify_mountinfo(text, "/mnt/nfs/../x", 0, &fi), -1);
    CHECK_INT(wr_fs_classify_mountinfo(text, "", 0, &fi), -1);
    CHECK_INT(wr_fs_classify_mountinfo(text, NULL, 0, &fi), -1);
    free(text);
}

static void test_escapes(void)
{
    wr_fsinfo fi;
    CHECK_INT(classify("space.mountinfo", "/mnt/war room/war.db", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/mnt/war room");
    CHECK_STR(fi.source, "nas01:/export/war room");
    CHECK_STR(fi.fstype, "nfs4");
    CHECK_INT(fi.scope, WR_LOCKS_NETWORK_OK);
    /* /mnt/war is its own mount, and "/mnt/war room" is not under it */
    CHECK_INT(classify("space.mountinfo", "/mnt/war/war.db", 0, &fi), 0);
    CHECK_STR(fi.fstype, "tmpfs");
    CHECK_STR(fi.mountpoint, "/mnt/war");
    CHECK_INT(classify("space.mountinfo", "/mnt/war\\040room/war.db", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/"); /* the escaped spelling is not the path */
    CHECK_INT(classify("space.mountinfo", "/mnt/tab\tand\\slash/x", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/mnt/tab\tand\\slash");
}

static void test_cluster_misc(void)
{
    static const struct {
        const char *path;
        const char *fstype;
        wr_lock_scope scope;
        int is_network;
        const char *in_verdict;
    } cases[] = {
        {"/mnt/cephfs/war.db", "ceph", WR_LOCKS_NETWORK_OK, 1, "CephFS"},
        {"/mnt/gluster/war.db", "fuse.glusterfs", WR_LOCKS_NETWORK_OK, 1, "passes POSIX locks"},
        {"/mnt/lustre/war.db", "lustre", WR_LOCKS_NETWORK_OK, 1, "(flock)"},
        {"/mnt/lustre-local/war.db", "lustre", WR_LOCKS_ONE_HOST, 1, "`localflock`"},
        {"/mnt/lustre-old/war.db", "lustre", WR_LOCKS_BROKEN, 1, "ENOSYS"},
        {"/mnt/gfs2/war.db", "gfs2", WR_LOCKS_ONE_HOST, 1, "`localflocks`"},
        {"/mnt/gfs2-dlm/war.db", "gfs2", WR_LOCKS_NETWORK_OK, 1, "DLM"},
        {"/mnt/ocfs2/war.db", "ocfs2", WR_LOCKS_ONE_HOST, 1, "o2cb"},
        {"/mnt/ocfs2-pcmk/war.db", "ocfs2", WR_LOCKS_NETWORK_OK, 1, "cluster_stack=pcmk"},
        {"/afs/example.com/war.db", "afs", WR_LOCKS_ONE_HOST, 1, "whole-file"},
        {"/mnt/s3/war.db", "fuse.s3fs", WR_LOCKS_ONE_HOST, 1, "object storage"},
        {"/mnt/host/war.db", "virtiofs", WR_LOCKS_ONE_HOST, 1, "virtiofsd"},
        {"/media/sf_ops/war.db", "vboxsf", WR_LOCKS_ONE_HOST, 1, "shared folder"},
        {"/mnt/usb/war.db", "fuseblk", WR_LOCKS_LOCAL, 0, "local filesystem"},
        {"/mnt/odd/war.db", "weirdfs", WR_LOCKS_ONE_HOST, 1, "cannot confirm"},
        {"/mnt/odd-disk/war.db", "weirdfs", WR_LOCKS_LOCAL, 0, "/dev/sdf1"},
        {"/mnt/mystery/war.db", "fuse.mysteryfs", WR_LOCKS_ONE_HOST, 0, "unless the filesystem implements"},
    };
    char *text = load_fixture("cluster_misc.mountinfo");
    for (size_t i = 0; i < WR_ARRAY_LEN(cases); i++) {
        wr_fsinfo fi;
        CHECK_INT(wr_fs_classify_mountinfo(text, cases[i].path, 0, &fi), 0);
        CHECK_STR(fi.fstype, cases[i].fstype);
        CHECK_INT(fi.scope, cases[i].scope);
        CHECK_INT(fi.is_network, cases[i].is_network);
        if (!strstr(fi.verdict, cases[i].in_verdict))
            fprintf(stderr, "%s: verdict \"%s\" lacks \"%s\"\n", cases[i].path, fi.verdict, cases[i].in_verdict);
        CONTAINS(fi.verdict, cases[i].in_verdict);
        /* every verdict that is not plainly fine comes with advice */
        if (fi.scope == WR_LOCKS_ONE_HOST || fi.scope == WR_LOCKS_BROKEN)
            CHECK(fi.advice[0] != '\0');
    }
    free(text);
}

static void test_magic_only_and_malformed(void)
{
    wr_fsinfo fi;
    /* no mount table: judged by the magic alone, -1 because nothing matched */
    CHECK_INT(wr_fs_classify_mountinfo("", "/var/lib/war.db", WR_FS_MAGIC_EXT4, &fi), -1);
    CHECK_STR(fi.fstype, "ext2/ext3/ext4");
    CHECK_STR(fi.mountpoint, "");
    CHECK_INT(fi.scope, WR_LOCKS_LOCAL);
    CHECK_INT(wr_fs_classify_mountinfo(NULL, "/var/lib/war.db", WR_FS_MAGIC_NFS, &fi), -1);
    CHECK_STR(fi.fstype, "nfs");
    CHECK_INT(fi.is_network, 1);
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST); /* cannot see nolock: do not vouch */
    CONTAINS(fi.verdict, "could not be read");
    CHECK_INT(wr_fs_classify_mountinfo("", "/x", WR_FS_MAGIC_FUSE, &fi), -1);
    CHECK_STR(fi.fstype, "fuse");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(wr_fs_classify_mountinfo("", "/x", 0x12345678UL, &fi), -1);
    CHECK_STR(fi.fstype, "0x12345678");
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CHECK_INT(wr_fs_classify_mountinfo("", "/x", 0, &fi), -1);
    CHECK_STR(fi.fstype, "unknown");

    /* the mount table says ext4 but statfs says CIFS: statfs is trusted */
    char *text = load_fixture("local_ext4_xfs.mountinfo");
    CHECK_INT(wr_fs_classify_mountinfo(text, "/var/war.db", WR_FS_MAGIC_CIFS, &fi), 0);
    CHECK_STR(fi.fstype, "cifs");
    CHECK_STR(fi.mountpoint, "/");
    CHECK_INT(fi.is_network, 1);
    CHECK_INT(fi.scope, WR_LOCKS_ONE_HOST);
    CONTAINS(fi.verdict, "trusting statfs");
    free(text);

    /* garbage, short lines, a line without "-", CRLF, no final newline */
    const char *messy = "\n"
                        "garbage\n"
                        "1 2 3:4 / /mnt/a rw - \n"
                        "5 6 7:8 / /mnt/b rw shared:1 ext4 /dev/sdz rw\n"
                        "9 1 x:y / /mnt/c rw - ext4 /dev/sdy rw\n"
                        "20 1 8:1 / / rw,relatime shared:1 master:2 propagate_from:3 unbindable - ext4 /dev/sda1 rw\r\n"
                        "21 20 0:40 / /mnt/d rw - tmpfs tmpfs";
    CHECK_INT(wr_fs_classify_mountinfo(messy, "/mnt/a/x", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
    CHECK_STR(fi.source, "/dev/sda1");
    CHECK_STR(fi.options, "rw,relatime"); /* the \r is not part of the options */
    CHECK_INT(wr_fs_classify_mountinfo(messy, "/mnt/b/x", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
    CHECK_INT(wr_fs_classify_mountinfo(messy, "/mnt/c/x", 0, &fi), 0);
    CHECK_STR(fi.mountpoint, "/");
    CHECK_INT(wr_fs_classify_mountinfo(messy, "/mnt/d/x", 0, &fi), 0);
    CHECK_STR(fi.fstype, "tmpfs"); /* super options missing altogether */
    CHECK_STR(fi.options, "rw");
    CHECK_INT(wr_fs_classify_mountinfo("garbage\n", "/x", 0, &fi), -1);
}

static void test_names(void)
{
    CHECK_STR(wr_lock_scope_name(WR_LOCKS_LOCAL), "local");
    CHECK_STR(wr_lock_scope_name(WR_LOCKS_NETWORK_OK), "network");
    CHECK_STR(wr_lock_scope_name(WR_LOCKS_ONE_HOST), "one-host");
    CHECK_STR(wr_lock_scope_name(WR_LOCKS_BROKEN), "broken");
    CHECK_STR(wr_lock_scope_name((wr_lock_scope)42), "unknown");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_SMB2), "cifs");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_SMB), "smbfs");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_9P), "9p");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_CEPH), "ceph");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_BTRFS), "btrfs");
    CHECK_STR(wr_fs_magic_name(WR_FS_MAGIC_ZFS), "zfs");
    CHECK(wr_fs_magic_name(0) == NULL);
    CHECK(wr_fs_magic_name(0xDEADBEEFUL) == NULL);
}

static void test_inspect(void)
{
    const char *tmp = getenv("TMPDIR");
    char *tmpl = wr_xasprintf("%s/wr-fscheck-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir) {
        free(tmpl);
        return;
    }
    char *real = realpath(dir, NULL);
    char *db = wr_xasprintf("%s/war.db", dir);

    wr_fsinfo fi;
    CHECK_INT(wr_fs_inspect(db, &fi), 0);
    CHECK(fi.fstype[0] != '\0');
    CHECK(fi.verdict[0] != '\0');
    CHECK(fi.magic != 0);
    if (fi.mountpoint[0]) { /* found in the mount table: it must contain the directory */
        size_t n = strlen(fi.mountpoint);
        CHECK(strcmp(fi.mountpoint, "/") == 0 ||
              (strncmp(real, fi.mountpoint, n) == 0 && (real[n] == '\0' || real[n] == '/')));
    }
    printf("inspect %s: %s on %s (%s), magic 0x%lx: %s\n", dir, fi.fstype, fi.mountpoint,
           wr_lock_scope_name(fi.scope), fi.magic, fi.verdict);
    /* the database file was not created */
    CHECK(access(db, F_OK) != 0 && errno == ENOENT);

    /* an existing database and the directory itself give the same answer */
    FILE *f = fopen(db, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    wr_fsinfo fi2;
    CHECK_INT(wr_fs_inspect(db, &fi2), 0);
    CHECK_STR(fi2.fstype, fi.fstype);
    CHECK_STR(fi2.mountpoint, fi.mountpoint);
    CHECK_INT(fi2.scope, fi.scope);
    CHECK_INT(wr_fs_inspect(dir, &fi2), 0);
    CHECK_STR(fi2.mountpoint, fi.mountpoint);
    /* a symlinked database is judged where it lives */
    char *sub = wr_xasprintf("%s/sub", dir);
    char *link = wr_xasprintf("%s/link.db", sub);
    CHECK_INT(mkdir(sub, 0700), 0);
    CHECK_INT(symlink(db, link), 0);
    CHECK_INT(wr_fs_inspect(link, &fi2), 0);
    CHECK_STR(fi2.fstype, fi.fstype);

    /* a relative path works from the current directory */
    char *cwd = getcwd(NULL, 0);
    CHECK(cwd && chdir(dir) == 0);
    CHECK_INT(wr_fs_inspect("war.db", &fi2), 0);
    CHECK_STR(fi2.mountpoint, fi.mountpoint);
    CHECK(cwd && chdir(cwd) == 0);
    free(cwd);

    /* errors */
    char *missing = wr_xasprintf("%s/no/such/dir/war.db", dir);
    errno = 0;
    CHECK_INT(wr_fs_inspect(missing, &fi2), -1);
    CHECK_INT(errno, ENOENT);
    errno = 0;
    CHECK_INT(wr_fs_inspect("", &fi2), -1);
    CHECK_INT(errno, EINVAL);

    unlink(link);
    rmdir(sub);
    unlink(db);
    rmdir(dir);
    free(missing);
    free(link);
    free(sub);
    free(db);
    free(real);
    free(tmpl);
}

int main(void)
{
    test_local();
    test_nfs();
    test_smb();
    test_sshfs_9p();
    test_tmpfs_overlay();
    test_nested_and_prefixes();
    test_escapes();
    test_cluster_misc();
    test_magic_only_and_malformed();
    test_names();
    test_inspect();
    return check_done();
}
