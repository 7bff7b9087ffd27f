/* SPDX-License-Identifier: MIT */
/* fscheck.c - filesystem of the database and how far its locks reach. See fscheck.h. */
#include "warroom/fscheck.h"

#include "warroom/mountinfo.h"
#include "fskinds_int.h"
#include "warroom/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#if defined(__linux__)
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#endif

/* ---- small string helpers --------------------------------------------------------------------------- */

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void set_verdict(wr_fsinfo *out, const char *fmt, ...) WR_PRINTF(2, 3);
static void set_verdict(wr_fsinfo *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->verdict, sizeof out->verdict, fmt, ap);
    va_end(ap);
}

static void append_verdict(wr_fsinfo *out, const char *fmt, ...) WR_PRINTF(2, 3);
static void append_verdict(wr_fsinfo *out, const char *fmt, ...)
{
    size_t len = strlen(out->verdict);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->verdict + len, sizeof out->verdict - len, fmt, ap);
    va_end(ap);
}

/* Advice is a list of sentences separated by one space. */
static void add_advice(wr_fsinfo *out, const char *fmt, ...) WR_PRINTF(2, 3);
static void add_advice(wr_fsinfo *out, const char *fmt, ...)
{
    size_t len = strlen(out->advice);
    if (len > 0 && len + 1 < sizeof out->advice) {
        out->advice[len++] = ' ';
        out->advice[len] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->advice + len, sizeof out->advice - len, fmt, ap);
    va_end(ap);
}

/* Is `name` one of the comma-separated options, bare ("nolock") or with a value ("vers=3")? If so and val
 * is given, copies the value there ("" for a bare option). The first occurrence counts. */
static int opt_find(const char *opts, const char *name, char *val, size_t valsize)
{
    size_t nlen = strlen(name);
    const char *p = opts;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= nlen && strncmp(p, name, nlen) == 0 && (len == nlen || p[nlen] == '=')) {
            if (val && valsize > 0) {
                size_t vlen = len > nlen ? len - nlen - 1 : 0;
                if (vlen >= valsize)
                    vlen = valsize - 1;
                memcpy(val, len > nlen ? p + nlen + 1 : "", vlen);
                val[vlen] = '\0';
            }
            return 1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* The options of one mount: the per-mount ones and the superblock ones, searched together. */
struct opts {
    const char *mnt;
    const char *super;
};

static int has_opt(const struct opts *o, const char *name)
{
    return opt_find(o->super, name, NULL, 0) || opt_find(o->mnt, name, NULL, 0);
}

static int opt_value(const struct opts *o, const char *name, char *val, size_t valsize)
{
    return opt_find(o->super, name, val, valsize) || opt_find(o->mnt, name, val, valsize);
}

/* Is the exact option text p[0..n) one of the comma-separated options of `list`? */
static int list_has_token(const char *list, const char *p, size_t n)
{
    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t m = end ? (size_t)(end - list) : strlen(list);
        if (m == n && strncmp(list, p, n) == 0)
            return 1;
        list = end ? end + 1 : NULL;
    }
    return 0;
}

/* out->options = mnt opts, then the super opts not already listed verbatim; never cut inside an option. */
static void join_options(wr_fsinfo *out, const char *mnt, const char *super)
{
    size_t len = 0;
    out->options[0] = '\0';
    const char *lists[2] = {mnt, super};
    for (int l = 0; l < 2; l++) {
        const char *p = lists[l];
        while (p && *p) {
            const char *end = strchr(p, ',');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n > 0 && !(l == 1 && list_has_token(mnt, p, n))) {
                size_t need = n + (len ? 1 : 0);
                if (len + need >= sizeof out->options)
                    return;
                if (len)
                    out->options[len++] = ',';
                memcpy(out->options + len, p, n);
                len += n;
                out->options[len] = '\0';
            }
            p = end ? end + 1 : NULL;
        }
    }
}

/* "host:/path", "//host/share", "user@host:..." look like network sources; "/dev/..." does not. */
static int source_looks_remote(const char *source)
{
    if (wr_startswith(source, "/dev/"))
        return 0;
    if (wr_startswith(source, "//"))
        return 1;
    return strchr(source, ':') != NULL || strchr(source, '@') != NULL;
}

/* ---- verdicts ---------------------------------------------------------------------------------------- */

#define ONE_HOST_TAIL "two hosts writing this database will corrupt it"
#define CONFIRM_ONE_HOST "set `single_host: true` in the config to confirm"
#define NFS_WITH_LOCKING "NFS mounted with locking (no `nolock`, no `local_lock=all`)"
#define NOT_WAL "safe for SQLite's rollback journal (not WAL)"

/* What the verdict calls the mount: "nfs4 on server:/export" (source cut to stay readable). */
static void mount_label(const wr_fsinfo *out, char *buf, size_t size)
{
    if (strcmp(out->fstype, "unknown") == 0)
        snprintf(buf, size, "this filesystem");
    else if (out->source[0] && strcmp(out->source, out->fstype) != 0 && strcmp(out->source, "none") != 0)
        snprintf(buf, size, "%s on %.200s", out->fstype, out->source);
    else
        snprintf(buf, size, "%s", out->fstype);
}

static void cannot_confirm(wr_fsinfo *out, const char *what)
{
    out->scope = WR_LOCKS_ONE_HOST;
    set_verdict(out,
                "%s is a network filesystem, but its mount options could not be read: cannot confirm that "
                "its locks work across hosts",
                what);
    add_advice(out,
               "Make sure /proc/self/mountinfo is readable so warroom can check the mount, or use the "
               "database from one host only (" CONFIRM_ONE_HOST ").");
}

static void classify_nfs(wr_fsinfo *out, const struct opts *o, const char *label, int have_opts)
{
    out->is_network = 1;
    if (!have_opts) {
        cannot_confirm(out, "NFS");
        return;
    }
    char vers[32] = "";
    if (!opt_value(o, "vers", vers, sizeof vers))
        opt_value(o, "nfsvers", vers, sizeof vers);
    int v4 = strcmp(out->fstype, "nfs4") == 0 || vers[0] == '4';
    char ver_label[48];
    if (vers[0])
        snprintf(ver_label, sizeof ver_label, "NFSv%s", vers);
    else
        snprintf(ver_label, sizeof ver_label, v4 ? "NFSv4" : "NFS");

    char local_lock[32] = "";
    opt_value(o, "local_lock", local_lock, sizeof local_lock);
    int nolock = has_opt(o, "nolock");
    int local_posix = nolock || strcmp(local_lock, "all") == 0 || strcmp(local_lock, "posix") == 0;
    out->soft_mount = has_opt(o, "soft") || has_opt(o, "softerr");

    if (local_posix) {
        char culprit[48];
        if (nolock)
            snprintf(culprit, sizeof culprit, "`nolock`");
        else
            snprintf(culprit, sizeof culprit, "`local_lock=%s`", local_lock);
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s (%s) is mounted with %s: file locks stay on this host and never reach the server: "
                    ONE_HOST_TAIL,
                    label, ver_label, culprit);
        add_advice(out,
                   "Remount without `nolock` and with `local_lock=none` (or `local_lock=flock`) so locks go "
                   "to the server, or use the database from one host only (" CONFIRM_ONE_HOST ").");
    } else {
        out->scope = WR_LOCKS_NETWORK_OK;
        if (v4)
            set_verdict(out,
                        "%s (%s): byte-range locks go to the server (built into NFSv4) and work across "
                        "hosts: " NOT_WAL,
                        label, ver_label);
        else
            set_verdict(out,
                        "%s (%s): byte-range locks go to the server through the NLM lock manager "
                        "(lockd/statd) and work across hosts: " NOT_WAL,
                        label, ver_label);
        if (strcmp(local_lock, "flock") == 0)
            append_verdict(out, "; `local_lock=flock` keeps only flock() locks local, SQLite uses POSIX locks");
        if (!v4 && vers[0])
            add_advice(out,
                       "Keep rpc.statd running on this host and lockd/statd on the server: without them "
                       "every lock fails (ENOLCK) and the database reports itself locked.");
    }
    if (out->soft_mount) {
        append_verdict(out, "; mounted `soft`: a slow server can make writes fail halfway");
        add_advice(out,
                   "Remount with `hard` (the NFS default): with `soft` a slow or unreachable server makes "
                   "writes give up halfway, which can silently corrupt the database.");
    }
}

static void classify_smb(wr_fsinfo *out, const struct opts *o, const char *label, int have_opts)
{
    out->is_network = 1;
    if (!have_opts) {
        cannot_confirm(out, "SMB/CIFS");
        return;
    }
    if (has_opt(o, "nobrl")) {
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s is mounted with `nobrl`: byte-range locks are not sent to the server and hold on "
                    "this host only: " ONE_HOST_TAIL,
                    label);
        add_advice(out,
                   "Remount without `nobrl` so locks go to the SMB server, or use the database from one "
                   "host only (" CONFIRM_ONE_HOST ").");
    } else {
        out->scope = WR_LOCKS_NETWORK_OK;
        set_verdict(out, "%s: byte-range locks are sent to the SMB server and work across hosts: " NOT_WAL,
                    label);
    }
}

static void classify_fuse(wr_fsinfo *out, const char *label)
{
    const char *sub = wr_startswith(out->fstype, "fuse.") ? out->fstype + 5 : "";
    if (strcmp(sub, "sshfs") == 0) {
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out, "sshfs (FUSE) keeps file locks on this host only: " ONE_HOST_TAIL);
        add_advice(out,
                   "Use it from one host only (" CONFIRM_ONE_HOST "), or put the database on a local disk "
                   "of the bastion, or on " NFS_WITH_LOCKING ".");
    } else if (wr_fs_fuse_is(sub, WR_FUSE_LOCKING)) {
        out->is_network = 1;
        out->scope = WR_LOCKS_NETWORK_OK;
        set_verdict(out, "%s (FUSE) passes POSIX locks to its servers, so they work across hosts: " NOT_WAL,
                    label);
    } else if (wr_fs_fuse_is(sub, WR_FUSE_OBJECT)) {
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s (FUSE over object storage) keeps file locks on this host only and does not write "
                    "files in place: " ONE_HOST_TAIL,
                    label);
        add_advice(out,
                   "Put the database on a local disk, or on " NFS_WITH_LOCKING
                   "; object storage is no place for a live SQLite file.");
    } else if (wr_fs_fuse_is(sub, WR_FUSE_VMSHARE)) {
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s (FUSE) shares a folder of the machine running this VM: file locks hold inside this "
                    "VM only: the host or another VM writing this database at the same time will corrupt it",
                    label);
        add_advice(out,
                   "Use the database from this VM only (" CONFIRM_ONE_HOST "), or put it on a local disk "
                   "of the VM.");
    } else {
        out->is_network = source_looks_remote(out->source);
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s (FUSE) keeps file locks on this host unless the filesystem implements locking "
                    "itself: if other hosts reach the same files, " ONE_HOST_TAIL,
                    label);
        add_advice(out,
                   "Use it from one host only (" CONFIRM_ONE_HOST "), or put the database on a local disk, "
                   "or on " NFS_WITH_LOCKING ".");
    }
}

/* Fill scope, is_network, soft_mount, verdict and advice from out->fstype/source and the options.
 * `fam` is the family to judge by; have_opts is 0 when only the statfs magic is known. */
static void classify(wr_fsinfo *out, fs_family fam, const struct opts *o, int have_opts)
{
    char label[320];
    mount_label(out, label, sizeof label);
    out->is_network = 0;
    out->scope = WR_LOCKS_LOCAL;
    out->soft_mount = 0;
    out->verdict[0] = out->advice[0] = '\0';

    switch (fam) {
    case FAM_DISK:
        set_verdict(out, "%s is a local filesystem: SQLite's locks work for every process on this host",
                    out->fstype);
        break;
    case FAM_MEMORY:
        set_verdict(out,
                    "%s is memory-backed and local: SQLite's locks work for every process on this host, but "
                    "the database is lost at reboot",
                    out->fstype);
        add_advice(out, "Put the database on a persistent local disk if the incident record must survive a "
                        "reboot.");
        break;
    case FAM_OVERLAY:
        set_verdict(out,
                    "%s is a local filesystem (a container's writable layer): SQLite's locks work for every "
                    "process on this host",
                    out->fstype);
        add_advice(out, "The writable layer is lost when the container is removed: mount a volume for the "
                        "database.");
        break;
    case FAM_PSEUDO:
        set_verdict(out, "%s is a kernel pseudo-filesystem: it cannot hold a database", out->fstype);
        add_advice(out, "Choose a directory on a real disk.");
        break;
    case FAM_NFS:
        classify_nfs(out, o, label, have_opts);
        break;
    case FAM_SMB:
        classify_smb(out, o, label, have_opts);
        break;
    case FAM_FUSE:
        classify_fuse(out, label);
        break;
    case FAM_9P:
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s (a VM or WSL share) does not carry file locks to the other side: locks hold on this "
                    "machine only: " ONE_HOST_TAIL,
                    label);
        add_advice(out, "Use the database from this machine only (" CONFIRM_ONE_HOST "), or put it on a "
                        "local disk.");
        break;
    case FAM_VIRTIOFS:
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s shares a directory of the VM host; locks reach the host only if virtiofsd runs with "
                    "POSIX lock support: the host or another VM writing this database will corrupt it",
                    label);
        add_advice(out, "Use the database from this VM only (" CONFIRM_ONE_HOST "), or put it on a local "
                        "disk of the VM.");
        break;
    case FAM_VMSHARE:
        out->is_network = 1;
        out->scope = WR_LOCKS_ONE_HOST;
        set_verdict(out,
                    "%s is a hypervisor shared folder: file locks hold inside this VM only: the host or "
                    "another VM writing this database at the same time will corrupt it",
                    label);
        add_advice(out, "Use the database from this VM only (" CONFIRM_ONE_HOST "), or put it on a local "
                        "disk of the VM.");
        break;
    case FAM_CEPH:
        out->is_network = 1;
        out->scope = WR_LOCKS_NETWORK_OK;
        set_verdict(out,
                    "%s (CephFS) coordinates POSIX locks through its metadata servers, so they work across "
                    "hosts: " NOT_WAL,
                    label);
        break;
    case FAM_AFS: {
        out->is_network = 1;
        char mode[32] = "";
        opt_value(o, "flock", mode, sizeof mode);
        if (strcmp(mode, "strict") == 0 || strcmp(mode, "write") == 0) {
            out->scope = WR_LOCKS_NETWORK_OK;
            set_verdict(out,
                        "%s (flock=%s): byte-range locks become whole-file locks on the AFS server and work "
                        "across hosts: " NOT_WAL,
                        label, mode);
        } else {
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out,
                        "%s: AFS grants byte-range locks on this host only (the server knows whole-file "
                        "locks only): " ONE_HOST_TAIL,
                        label);
            add_advice(out, "Use the database from one host only (" CONFIRM_ONE_HOST "), or put it on a "
                            "local disk, or on " NFS_WITH_LOCKING ".");
        }
        break;
    }
    case FAM_GFS2:
        out->is_network = 1;
        if (!have_opts) {
            cannot_confirm(out, "GFS2");
        } else if (has_opt(o, "localflocks")) {
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out, "%s is mounted with `localflocks`: locks stay on this node: " ONE_HOST_TAIL,
                        label);
            add_advice(out, "Remount without `localflocks`, or use the database from one node only "
                            "(" CONFIRM_ONE_HOST ").");
        } else {
            char proto[32] = "";
            opt_value(o, "lockproto", proto, sizeof proto);
            if (strcmp(proto, "lock_nolock") == 0) {
                out->scope = WR_LOCKS_ONE_HOST;
                set_verdict(out, "%s uses `lock_nolock` (single-node mount): locks stay on this node: "
                            ONE_HOST_TAIL, label);
                add_advice(out, "Mount it with `lock_dlm` on a cluster, or use the database from one node "
                                "only (" CONFIRM_ONE_HOST ").");
            } else {
                out->scope = WR_LOCKS_NETWORK_OK;
                set_verdict(out, "%s: POSIX locks are coordinated across the cluster (DLM): " NOT_WAL, label);
            }
        }
        break;
    case FAM_OCFS2: {
        out->is_network = 1;
        char stack[32] = "";
        opt_value(o, "cluster_stack", stack, sizeof stack);
        if (!have_opts) {
            cannot_confirm(out, "OCFS2");
        } else if (has_opt(o, "localflocks")) {
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out, "%s is mounted with `localflocks`: locks stay on this node: " ONE_HOST_TAIL,
                        label);
            add_advice(out, "Remount without `localflocks`, or use the database from one node only "
                            "(" CONFIRM_ONE_HOST ").");
        } else if (stack[0] && strcmp(stack, "o2cb") != 0) {
            out->scope = WR_LOCKS_NETWORK_OK;
            set_verdict(out, "%s (cluster_stack=%s): POSIX locks are coordinated across the cluster: " NOT_WAL,
                        label, stack);
        } else {
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out,
                        "%s with the o2cb cluster stack keeps POSIX (fcntl) locks on each node: " ONE_HOST_TAIL,
                        label);
            add_advice(out, "Use the database from one node only (" CONFIRM_ONE_HOST "), or use the "
                            "pacemaker cluster stack, whose POSIX locks are cluster-wide.");
        }
        break;
    }
    case FAM_LUSTRE:
        out->is_network = 1;
        if (!have_opts) {
            cannot_confirm(out, "Lustre");
        } else if (has_opt(o, "flock")) {
            out->scope = WR_LOCKS_NETWORK_OK;
            set_verdict(out, "%s (flock): POSIX locks are coherent across the cluster: " NOT_WAL, label);
        } else if (has_opt(o, "localflock")) {
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out, "%s is mounted with `localflock`: locks stay on this client: " ONE_HOST_TAIL,
                        label);
            add_advice(out, "Remount with `flock`, or use the database from one host only "
                            "(" CONFIRM_ONE_HOST ").");
        } else {
            out->scope = WR_LOCKS_BROKEN;
            set_verdict(out,
                        "%s is mounted without `flock`: fcntl locks fail (ENOSYS), so SQLite cannot lock the "
                        "database even on this host",
                        label);
            add_advice(out, "Remount with `-o flock` (cluster-wide locks), or put the database on a local "
                            "disk.");
        }
        break;
    case FAM_UNKNOWN:
    default:
        if (out->source[0] && wr_startswith(out->source, "/dev/")) {
            set_verdict(out,
                        "%s (not a filesystem warroom knows) is on the local device %.200s: assuming SQLite's "
                        "locks work for every process on this host",
                        out->fstype, out->source);
        } else {
            out->is_network = source_looks_remote(out->source);
            out->scope = WR_LOCKS_ONE_HOST;
            set_verdict(out,
                        "%s is not a filesystem warroom knows: cannot confirm that its locks work across hosts",
                        label);
            add_advice(out, "If only this host uses the database, " CONFIRM_ONE_HOST "; otherwise put it on "
                            "a local disk or on " NFS_WITH_LOCKING ".");
        }
        break;
    }
}

/* Judge by the statfs magic alone (no usable mount table entry). Keeps mountpoint/source as they are. */
static void classify_magic_only(wr_fsinfo *out, unsigned long magic)
{
    const char *name = wr_fs_magic_name(magic);
    if (name)
        copy_str(out->fstype, sizeof out->fstype, name);
    else if (magic)
        snprintf(out->fstype, sizeof out->fstype, "0x%lx", magic);
    else
        copy_str(out->fstype, sizeof out->fstype, "unknown");
    out->options[0] = '\0';
    struct opts none = {"", ""};
    classify(out, wr_fs_family_of_magic(magic), &none, 0);
}

/* ---- the pure entry points ------------------------------------------------------------------------- */

int wr_fs_classify_mountinfo_dev(const char *mountinfo_text, const char *path, unsigned long magic,
                                 unsigned dev_major, unsigned dev_minor, wr_fsinfo *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    out->magic = magic;
    int have_dev = dev_major != 0 || dev_minor != 0;

    char *norm = wr_path_normalize(path);
    char *best = NULL; /* a raw copy of the winning line */
    int best_dev = -1, best_magic = -1;
    long best_len = -1;

    const char *p = mountinfo_text ? mountinfo_text : "";
    while (norm && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = wr_xstrndup(p, n);
        char *raw = wr_xstrndup(p, n);
        p = nl ? nl + 1 : p + n;
        if (n > 0 && line[n - 1] == '\r')
            line[n - 1] = raw[n - 1] = '\0';

        wr_mount m;
        char *mp = NULL;
        long len = -1;
        if (wr_mountinfo_parse_line(line, &m) == 0 && (mp = wr_path_normalize(m.mountpoint)) != NULL)
            len = wr_mount_contains(mp, norm);
        if (len >= 0) {
            int dev_ok = have_dev && m.major == dev_major && m.minor == dev_minor;
            int magic_ok = wr_fs_magic_agrees(m.fstype, magic);
            /* Later lines win ties: they are mounted on top. */
            int better = dev_ok != best_dev ? dev_ok > best_dev
                         : magic_ok != best_magic ? magic_ok > best_magic
                                                  : len >= best_len;
            if (better) {
                free(best);
                best = raw;
                raw = NULL;
                best_dev = dev_ok;
                best_magic = magic_ok;
                best_len = len;
            }
        }
        free(mp);
        free(line);
        free(raw);
    }
    free(norm);

    if (!best) {
        classify_magic_only(out, magic);
        return -1;
    }

    wr_mount m;
    if (wr_mountinfo_parse_line(best, &m) != 0) { /* cannot happen: it parsed before */
        free(best);
        classify_magic_only(out, magic);
        return -1;
    }
    copy_str(out->fstype, sizeof out->fstype, m.fstype);
    copy_str(out->mountpoint, sizeof out->mountpoint, m.mountpoint);
    copy_str(out->source, sizeof out->source, m.source);
    copy_str(out->root, sizeof out->root, m.root);
    join_options(out, m.mnt_opts, m.super_opts);

    if (!wr_fs_magic_agrees(m.fstype, magic)) {
        char listed[64];
        copy_str(listed, sizeof listed, m.fstype);
        classify_magic_only(out, magic);
        append_verdict(out, " (the mount table lists %s on %.200s here; trusting statfs)", listed,
                       out->mountpoint);
    } else {
        struct opts o = {m.mnt_opts, m.super_opts};
        classify(out, wr_fs_family_of_fstype(m.fstype), &o, 1);
    }
    free(best);
    return 0;
}

int wr_fs_classify_mountinfo(const char *mountinfo_text, const char *path, unsigned long magic, wr_fsinfo *out)
{
    return wr_fs_classify_mountinfo_dev(mountinfo_text, path, magic, 0, 0, out);
}

/* ---- the real system ------------------------------------------------------------------------------- */

/* Directory part of a path: "a/b" -> "a", "b" -> ".", "/b" -> "/", "a/b/" -> "a". */
static char *dir_of(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    if (n == 0)
        return wr_xstrdup(".");
    while (n > 1 && path[n - 1] == '/')
        n--;
    return wr_xstrndup(path, n);
}

static char *read_all(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    wr_buf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        wr_buf_append(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        wr_buf_free(&b);
        return NULL;
    }
    return b.s ? wr_buf_steal(&b) : wr_xstrdup("");
}

int wr_fs_inspect(const char *db_path, wr_fsinfo *out)
{
    if (!db_path || !*db_path || !out) {
        errno = EINVAL;
        return -1;
    }
    memset(out, 0, sizeof *out);
#if defined(__linux__)
    /* realpath() and stat() never open the database file. */
    char *dir = NULL;
    char *real = realpath(db_path, NULL);
    if (real) {
        struct stat st;
        if (stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
            dir = real;
        } else {
            dir = dir_of(real);
            free(real);
        }
    } else {
        if (errno != ENOENT)
            return -1;
        char *d = dir_of(db_path);
        dir = realpath(d, NULL);
        int e = errno;
        free(d);
        if (!dir) {
            errno = e;
            return -1;
        }
    }

    struct statfs sfs;
    struct stat st;
    if (statfs(dir, &sfs) != 0 || stat(dir, &st) != 0) {
        int e = errno;
        free(dir);
        errno = e;
        return -1;
    }
    unsigned long magic = (unsigned long)sfs.f_type & 0xFFFFFFFFUL;
    char *text = read_all("/proc/self/mountinfo");
    /* A -1 here still leaves `out` filled from the magic alone. */
    wr_fs_classify_mountinfo_dev(text, dir, magic, major(st.st_dev), minor(st.st_dev), out);
    free(text);
    free(dir);
    return 0;
#else
    errno = ENOSYS;
    return -1;
#endif
}
