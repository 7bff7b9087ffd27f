/* SPDX-License-Identifier: MIT */
/* hostlock.c - the host-local lock for databases on one-host-lock mounts: the lock file, and an SQLite VFS
 * that holds it around every transaction (see hostlock.h). */
#define _GNU_SOURCE /* statx */
#include "warroom/hostlock.h"

#include "warroom/share.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/sysmacros.h>
#endif

#define URI_PARAM "warroom_hostlock"

/* ---- the lock file ---- */

const char *wr_hostlock_dir(void)
{
    /* The same answer for every process and user of the host: the first that exists, writable or not. */
    static const char *const dirs[] = {"/run/lock", "/var/lock", "/dev/shm", "/tmp"};
    for (size_t i = 0; i < WR_ARRAY_LEN(dirs); i++) {
        struct stat sb;
        if (stat(dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return dirs[i];
    }
    return "/tmp";
}

/* The canonical path of the database: realpath of the file, or of its directory plus the name. */
static char *real_db_path(const char *db_path)
{
    char *real = realpath(db_path, NULL);
    if (real)
        return real;
    char *a = wr_xstrdup(db_path), *b = wr_xstrdup(db_path);
    char *dir = realpath(dirname(a), NULL);
    char *out = dir ? wr_xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, basename(b)) : NULL;
    free(dir);
    free(a);
    free(b);
    return out;
}

/* Open the lock file (creating it when missing): a regular file, never through a symlink. fd or -1. */
static int open_lock_file(const char *path, const char *key, char *why, size_t whysize)
{
    for (int tries = 0; tries < 3; tries++) {
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            /* Made by whoever comes first; 0644 whatever the umask: flock needs read access only. */
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd < 0 && errno == EEXIST)
                continue;
            if (fd >= 0) {
                if (fchmod(fd, 0644) != 0) {
                    /* still usable by this user */
                }
                char text[4400];
                int n = snprintf(text, sizeof text, "warroom host-local lock for %s\n", key);
                if (n > 0 && write(fd, text, (size_t)n) < 0) {
                    /* the text is for humans only */
                }
            }
        }
        if (fd < 0) {
            snprintf(why, whysize, "cannot open the host-local lock %s: %s", path, strerror(errno));
            return -1;
        }
        struct stat sb;
        if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            close(fd);
            snprintf(why, whysize, "the host-local lock %s is not a regular file", path);
            return -1;
        }
        return fd;
    }
    snprintf(why, whysize, "cannot create the host-local lock %s", path);
    return -1;
}

static int prepare(const char *db_path, const wr_fsinfo *fs, char *key, size_t keysize, char *lock,
                   size_t locksize, char *why, size_t whysize)
{
    char *real = real_db_path(db_path);
    if (!real) {
        snprintf(why, whysize, "cannot resolve %s: %s", db_path, strerror(errno));
        return -1;
    }
    int rc = wr_share_key(fs->source, *fs->root ? fs->root : "/", fs->mountpoint, real, key, keysize);
    free(real);
    if (rc != 0) {
        snprintf(why, whysize, "cannot tell which file of the share %s is", db_path);
        return -1;
    }
    wr_share_lock_name(wr_hostlock_dir(), key, lock, locksize);
    int fd = open_lock_file(lock, key, why, whysize);
    if (fd < 0)
        return -1;
    close(fd); /* the VFS opens it again; it holds no database lock */
    return 0;
}

size_t wr_hostlock_other_mounts(const char *key, const wr_fsinfo *fs, wr_buf *out)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return 0;
    wr_buf text = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        wr_buf_append(&text, chunk, got);
    fclose(f);
    unsigned maj = 0, min = 0;
#if defined(__linux__)
    struct stat sb;
    if (*fs->mountpoint && stat(fs->mountpoint, &sb) == 0) {
        maj = major(sb.st_dev);
        min = minor(sb.st_dev);
    }
#endif
    size_t n = wr_share_other_mounts(wr_buf_str(&text), key, fs->mountpoint, maj, min, out);
    wr_buf_free(&text);
    return n;
}

/* ---- the URI ---- */

static void uri_put(wr_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
            *p == '.' || *p == '-' || *p == '_' || *p == '~') {
            wr_buf_putc(b, (char)*p);
        } else {
            wr_buf_putc(b, '%');
            wr_buf_putc(b, hex[*p >> 4]);
            wr_buf_putc(b, hex[*p & 15]);
        }
    }
}

char *wr_hostlock_uri(const char *db_path, const char *lock_path)
{
    wr_buf b = {0};
    wr_buf_puts(&b, "file:");
    if (db_path[0] == '/' && db_path[1] == '/')
        wr_buf_puts(&b, "//localhost"); /* "file://x" would name an authority */
    uri_put(&b, db_path);
    wr_buf_puts(&b, "?" URI_PARAM "=");
    uri_put(&b, lock_path);
    return wr_buf_steal(&b);
}

/* ---- the per-process lock table ---- */

/* One per lock file in this process, shared by every connection that uses it (the program is
 * single-threaded: no mutex). */
typedef struct hl_lock {
    char *path;
    int fd;          /* the lock file */
    int users;       /* open database files using it */
    int holders;     /* of those, the ones SQLite holds a lock on: the flock is held while > 0 */
    int *closing;    /* descriptors of the database to close once nobody holds a lock (closing one while
                        SQLite holds a POSIX lock of this process would drop that lock) */
    size_t nclosing;
    int have_counter; /* counter: the database's change counter when this process last let the lock go */
    unsigned long counter;
    struct hl_lock *next;
} hl_lock;

static hl_lock *locks;

static hl_lock *lock_get(const char *path)
{
    for (hl_lock *l = locks; l; l = l->next)
        if (strcmp(l->path, path) == 0) {
            l->users++;
            return l;
        }
    char why[512];
    int fd = open_lock_file(path, "(made by a reader)", why, sizeof why);
    if (fd < 0)
        return NULL;
    hl_lock *l = wr_xcalloc(1, sizeof *l);
    l->path = wr_xstrdup(path);
    l->fd = fd;
    l->users = 1;
    l->next = locks;
    locks = l;
    return l;
}

static void lock_put(hl_lock *l)
{
    if (--l->users > 0 || l->holders > 0)
        return;
    for (hl_lock **p = &locks; *p; p = &(*p)->next)
        if (*p == l) {
            *p = l->next;
            break;
        }
    close(l->fd); /* a lock file: no database lock rides on it */
    free(l->closing);
    free(l->path);
    free(l);
}

/* ---- the VFS ---- */

typedef struct hl_file {
    sqlite3_file base; /* pMethods = &hl_methods */
    hl_lock *lock;
    int held;          /* this file counts among lock->holders */
    int cache_fd;      /* our own read-only descriptor of the database, to refresh the kernel's view; -1 */
    char *journal;     /* the journal's path */
    sqlite3_file *real; /* the base VFS's file, right after this struct */
} hl_file;

/* sizeof(hl_file) rounded up so that the real file after it is aligned */
#define HL_SIZE ((sizeof(hl_file) + 15) & ~(size_t)15)

static sqlite3_vfs *base_vfs;

/* The file change counter (bytes 24..27 of the header), read through fd. 0, or -1. */
static int read_counter(int fd, unsigned long *out)
{
    unsigned char b[4];
    if (fd < 0 || pread(fd, b, sizeof b, 24) != (ssize_t)sizeof b)
        return -1;
    *out = (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
    return 0;
}

/* Just after taking the lock: what this kernel knows of the file is made fresh from the server. The size
 * and the journal's attributes always (one round trip each: SQLite judges the file by them); the cached
 * header page always, to read the change counter as it is; and the whole page cache when that counter is
 * not what it was when this process let the lock go (another process wrote: through another mount, its
 * pages in this mount's cache are stale). Writes through this mount keep its cache right, so a process
 * that finds the counter unchanged keeps the cache. */
static void refresh_view(hl_file *f)
{
    hl_lock *l = f->lock;
#if defined(__linux__) && defined(STATX_SIZE)
    struct statx sx;
    if (f->cache_fd >= 0 &&
        statx(f->cache_fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, STATX_SIZE | STATX_MTIME, &sx) != 0) {
        /* the lock still serialises; SQLite reports what it finds */
    }
    if (f->journal && statx(AT_FDCWD, f->journal, AT_STATX_FORCE_SYNC, STATX_SIZE, &sx) != 0) {
        /* no journal: nothing to refresh */
    }
#endif
    if (f->cache_fd < 0)
        return;
    /* The header's page: whole pages only (the kernel keeps a page that is only partly in the range). */
    long page = sysconf(_SC_PAGESIZE);
    posix_fadvise(f->cache_fd, 0, page > 0 ? page : 4096, POSIX_FADV_DONTNEED);
    unsigned long now;
    if (read_counter(f->cache_fd, &now) != 0 || !l->have_counter || now != l->counter)
        posix_fadvise(f->cache_fd, 0, 0, POSIX_FADV_DONTNEED);
}

/* Take the flock, trying every millisecond for up to HL_WAIT_MS: lock holders on such a mount hold it for a
 * whole transaction (several round trips to the server), so a waiter that only came back after the busy
 * handler's longer naps would keep missing the moments it is free. Past that, busy: SQLite's busy handler
 * and the caller's deadline take over. */
#define HL_WAIT_MS 20
static int take_flock(int fd)
{
    for (int i = 0;; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return SQLITE_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return SQLITE_IOERR_LOCK;
        if (i >= HL_WAIT_MS)
            return SQLITE_BUSY;
        struct timespec ms = {0, 1000000L};
        nanosleep(&ms, NULL);
    }
}

static int acquire(hl_file *f)
{
    hl_lock *l = f->lock;
    if (l->holders == 0) {
        int rc = take_flock(l->fd);
        if (rc != SQLITE_OK)
            return rc;
    }
    l->holders++;
    f->held = 1;
    if (l->holders == 1)
        refresh_view(f);
    return SQLITE_OK;
}

static void release(hl_file *f)
{
    hl_lock *l = f->lock;
    f->held = 0;
    if (--l->holders > 0)
        return;
    /* The counter as this process leaves it (its own commits included): still holding the lock, so nobody
     * else can have changed it. */
    l->have_counter = read_counter(f->cache_fd, &l->counter) == 0;
    for (size_t i = 0; i < l->nclosing; i++)
        close(l->closing[i]);
    l->nclosing = 0;
    flock(l->fd, LOCK_UN);
}

static int hl_close(sqlite3_file *pf)
{
    hl_file *f = (hl_file *)pf;
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    if (f->held)
        release(f);
    if (f->cache_fd >= 0) {
        if (f->lock->holders == 0) {
            close(f->cache_fd);
        } else {
            f->lock->closing = wr_xreallocarray(f->lock->closing, f->lock->nclosing + 1, sizeof(int));
            f->lock->closing[f->lock->nclosing++] = f->cache_fd;
        }
    }
    lock_put(f->lock);
    free(f->journal);
    f->base.pMethods = NULL;
    return rc;
}

static int hl_lock_(sqlite3_file *pf, int level)
{
    hl_file *f = (hl_file *)pf;
    int had = f->held;
    if (level > SQLITE_LOCK_NONE && !had) {
        int rc = acquire(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    int rc = f->real->pMethods->xLock(f->real, level);
    if (rc != SQLITE_OK && !had)
        release(f); /* the first lock failed: SQLite holds none */
    return rc;
}

static int hl_unlock(sqlite3_file *pf, int level)
{
    hl_file *f = (hl_file *)pf;
    int rc = f->real->pMethods->xUnlock(f->real, level);
    if (level == SQLITE_LOCK_NONE && f->held)
        release(f);
    return rc;
}

#define FWD(f) (((hl_file *)(f))->real)

static int hl_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return FWD(f)->pMethods->xRead(FWD(f), b, n, o);
}
static int hl_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return FWD(f)->pMethods->xWrite(FWD(f), b, n, o);
}
static int hl_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return FWD(f)->pMethods->xTruncate(FWD(f), size);
}
static int hl_sync(sqlite3_file *f, int flags)
{
    return FWD(f)->pMethods->xSync(FWD(f), flags);
}
static int hl_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return FWD(f)->pMethods->xFileSize(FWD(f), size);
}
static int hl_check_reserved(sqlite3_file *f, int *out)
{
    return FWD(f)->pMethods->xCheckReservedLock(FWD(f), out);
}
static int hl_file_control(sqlite3_file *f, int op, void *arg)
{
    return FWD(f)->pMethods->xFileControl(FWD(f), op, arg);
}
static int hl_sector_size(sqlite3_file *f)
{
    return FWD(f)->pMethods->xSectorSize(FWD(f));
}
static int hl_device_chars(sqlite3_file *f)
{
    return FWD(f)->pMethods->xDeviceCharacteristics(FWD(f));
}
static int hl_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return FWD(f)->pMethods->iVersion >= 2 ? FWD(f)->pMethods->xShmMap(FWD(f), pg, pgsz, extend, pp)
                                           : SQLITE_IOERR;
}
static int hl_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return FWD(f)->pMethods->iVersion >= 2 ? FWD(f)->pMethods->xShmLock(FWD(f), offset, n, flags) : SQLITE_IOERR;
}
static void hl_shm_barrier(sqlite3_file *f)
{
    if (FWD(f)->pMethods->iVersion >= 2)
        FWD(f)->pMethods->xShmBarrier(FWD(f));
}
static int hl_shm_unmap(sqlite3_file *f, int del)
{
    return FWD(f)->pMethods->iVersion >= 2 ? FWD(f)->pMethods->xShmUnmap(FWD(f), del) : SQLITE_OK;
}
static int hl_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
    if (FWD(f)->pMethods->iVersion >= 3)
        return FWD(f)->pMethods->xFetch(FWD(f), o, n, pp);
    *pp = NULL;
    return SQLITE_OK;
}
static int hl_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return FWD(f)->pMethods->iVersion >= 3 ? FWD(f)->pMethods->xUnfetch(FWD(f), o, p) : SQLITE_OK;
}

static const sqlite3_io_methods hl_methods = {
    3,           hl_close,         hl_read,         hl_write,       hl_truncate,     hl_sync,
    hl_file_size, hl_lock_,        hl_unlock,       hl_check_reserved, hl_file_control, hl_sector_size,
    hl_device_chars, hl_shm_map,   hl_shm_lock,     hl_shm_barrier, hl_shm_unmap,    hl_fetch,
    hl_unfetch,
};

static int hl_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *pf, int flags, int *out_flags)
{
    (void)vfs;
    const char *lock_path = name ? sqlite3_uri_parameter(name, URI_PARAM) : NULL;
    if (!(flags & SQLITE_OPEN_MAIN_DB) || !lock_path || !*lock_path)
        return base_vfs->xOpen(base_vfs, name, pf, flags, out_flags); /* journals and the rest: as they are */
    hl_file *f = (hl_file *)pf;
    memset(f, 0, sizeof *f);
    f->cache_fd = -1;
    f->real = (sqlite3_file *)((char *)pf + HL_SIZE);
    f->lock = lock_get(lock_path);
    if (!f->lock)
        return SQLITE_CANTOPEN;
    int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        lock_put(f->lock);
        f->base.pMethods = NULL;
        return rc;
    }
    /* Opening a descriptor never drops a lock (only closing one does). */
    f->cache_fd = open(name, O_RDONLY | O_CLOEXEC);
    f->journal = wr_xasprintf("%s-journal", name);
    f->base.pMethods = &hl_methods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *v, const char *n, int sync)
{
    (void)v;
    return base_vfs->xDelete(base_vfs, n, sync);
}
static int v_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
    (void)v;
    return base_vfs->xAccess(base_vfs, n, flags, out);
}
static int v_full(sqlite3_vfs *v, const char *n, int size, char *out)
{
    (void)v;
    return base_vfs->xFullPathname(base_vfs, n, size, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *n)
{
    (void)v;
    return base_vfs->xDlOpen(base_vfs, n);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    base_vfs->xDlError(base_vfs, n, out);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
    (void)v;
    return base_vfs->xDlSym(base_vfs, h, s);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    base_vfs->xDlClose(base_vfs, h);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xRandomness(base_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return base_vfs->xSleep(base_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return base_vfs->xCurrentTime(base_vfs, out);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static sqlite3_vfs hl_vfs;

const char *wr_hostlock_vfs(void)
{
    if (!base_vfs) {
        base_vfs = sqlite3_vfs_find("unix");
        if (!base_vfs)
            base_vfs = sqlite3_vfs_find(NULL);
        hl_vfs.iVersion = 2;
        hl_vfs.szOsFile = (int)(HL_SIZE + (size_t)base_vfs->szOsFile);
        hl_vfs.mxPathname = base_vfs->mxPathname;
        hl_vfs.zName = "warroom-hostlock";
        hl_vfs.xOpen = hl_open;
        hl_vfs.xDelete = v_delete;
        hl_vfs.xAccess = v_access;
        hl_vfs.xFullPathname = v_full;
        hl_vfs.xDlOpen = v_dlopen;
        hl_vfs.xDlError = v_dlerror;
        hl_vfs.xDlSym = v_dlsym;
        hl_vfs.xDlClose = v_dlclose;
        hl_vfs.xRandomness = v_random;
        hl_vfs.xSleep = v_sleep;
        hl_vfs.xCurrentTime = v_time;
        hl_vfs.xGetLastError = v_lasterr;
        hl_vfs.xCurrentTimeInt64 = v_time64;
        sqlite3_vfs_register(&hl_vfs, 0);
    }
    return hl_vfs.zName;
}

wr_status wr_hostlock_prepare(const char *db_path, const wr_fsinfo *fs, char *key, size_t keysize, char *lock,
                              size_t locksize, wr_error *err)
{
    char why[4400];
    if (prepare(db_path, fs, key, keysize, lock, locksize, why, sizeof why) == 0)
        return WR_OK;
    return wr_error_set(err, WR_E_UNSAFE, "%s", why);
}
