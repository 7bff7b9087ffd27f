/* SPDX-License-Identifier: MIT */
/* presence.c - who has a console open, and on which incident: one small file per session in
 * `<database>.presence/`, its mtime the beat (see warroom/presence.h). Nothing here touches the database. */
#define _GNU_SOURCE /* O_NOFOLLOW, AT_SYMLINK_NOFOLLOW with -std=c11 */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/presence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The table of the first schema: no longer written or read (presence lives in files), kept so that the
 * schema stays the same for every version. */
const char wr_schema_presence_v1[] =
    "CREATE TABLE presence("
    "  session TEXT PRIMARY KEY, actor TEXT NOT NULL, os_user TEXT NOT NULL, origin TEXT NOT NULL,"
    "  host TEXT NOT NULL, incident INTEGER NOT NULL DEFAULT 0, since INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL);";

#define MAGIC "warroom-presence 1\n"
#define MAX_FILE 4096

int64_t wr_presence_beat_interval(void)
{
    const char *e = getenv("WARROOM_PRESENCE_TIMEOUT_MS");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (*end == '\0' && v >= 300 && v <= WR_PRESENCE_TIMEOUT_MS)
            return v / 3;
    }
    return WR_PRESENCE_BEAT_MS;
}

char *wr_presence_dir(const char *db_path)
{
    return wr_xasprintf("%s.presence", db_path);
}

static int session_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 32;
}

/* Values are one line each: control bytes, DEL and '%' are written as %XX. */
static void put_field(wr_buf *b, const char *key, const char *v)
{
    wr_buf_printf(b, "%s=", key);
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '%')
            wr_buf_printf(b, "%%%02X", *p);
        else
            wr_buf_putc(b, (char)*p);
    }
    wr_buf_putc(b, '\n');
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of `key` in a file's text (decoded, malloc'ed), or NULL. */
static char *get_field(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, key, kl) != 0 || p[kl] != '=')
            continue;
        const char *v = p + kl + 1, *e = strchr(v, '\n');
        size_t n = e ? (size_t)(e - v) : strlen(v);
        char *out = wr_xmalloc(n + 1), *o = out;
        for (size_t i = 0; i < n; i++) {
            int h, l;
            if (v[i] == '%' && i + 2 < n && (h = hexval(v[i + 1])) >= 0 && (l = hexval(v[i + 2])) >= 0) {
                *o++ = (char)(h * 16 + l);
                i += 2;
            } else {
                *o++ = v[i];
            }
        }
        *o = '\0';
        return out;
    }
    return NULL;
}

static int64_t get_int(const char *text, const char *key, int64_t dflt)
{
    char *v = get_field(text, key), *end;
    int64_t r = dflt;
    if (v && *v) {
        long long x = strtoll(v, &end, 10);
        if (*end == '\0')
            r = x;
    }
    free(v);
    return r;
}

/* Read a small regular file (not through a symlink) into buf; its stat in sb. -1 on any problem. */
static int read_small(int dirfd, const char *name, char *buf, size_t size, struct stat *sb)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    ssize_t n = -1;
    if (fstat(fd, sb) == 0 && S_ISREG(sb->st_mode) && sb->st_size < (off_t)size)
        n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return strncmp(buf, MAGIC, strlen(MAGIC)) == 0 ? 0 : -1;
}

static int64_t mtime_ms(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000 + sb->st_mtim.tv_nsec / 1000000;
}

static void set_times(struct timespec ts[2], int64_t ms)
{
    ts[0].tv_sec = ts[1].tv_sec = (time_t)(ms / 1000);
    ts[0].tv_nsec = ts[1].tv_nsec = (long)(ms % 1000) * 1000000L;
}

/* The side directory, made like the database's other files: 02770 (setgid: files get its group), with the
 * database's group. */
static int make_dir(const char *db_path, const char *dir)
{
    if (mkdir(dir, 02770) != 0)
        return errno == EEXIST ? 0 : -1;
    chmod(dir, 02770); /* mkdir applies the umask and drops setgid */
    struct stat db;
    if (stat(db_path, &db) == 0)
        (void)!chown(dir, (uid_t)-1, db.st_gid);
    return 0;
}

typedef struct fields {
    char *actor, *os_user, *origin, *host;
    int64_t incident, since, beat; /* since -1: not in the file (then its mtime) */
} fields;

typedef struct cache_entry {
    char name[40];
    uint64_t ino;
    int64_t btime_ns;
    int64_t size;
    int valid; /* a presence file (else remembered as not one, not read again) */
    fields f;
} cache_entry;

struct wr_presence_cache {
    cache_entry *v;
    size_t n;
    unsigned reads;  /* files read (not served from the cache) so far: for tests */
    unsigned lists;  /* directory listings so far: for tests */
    char *own_text, *own_path; /* this process's own session file as it wrote it (the beat's short way) */
    int64_t own_beat;          /* PostgreSQL: when this process last beat (its own row, as it wrote it) */
};

/* The text of a session's file. since: when the session began. */
static void beat_text(wr_buf *b, const wr_actor *actor, int64_t incident, int64_t since)
{
    wr_buf_puts(b, MAGIC);
    put_field(b, "actor", actor->name);
    put_field(b, "os_user", actor->os_user);
    put_field(b, "origin", actor->origin);
    put_field(b, "host", actor->host);
    wr_buf_printf(b, "incident=%lld\nsince=%lld\nbeat_ms=%lld\n", (long long)incident, (long long)since,
                  (long long)wr_presence_beat_interval());
}

wr_status wr_presence_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                           int wait_ms, wr_error *err)
{
    (void)wait_ms;
    return wr_presence_beat_cached(st, session, actor, incident, NULL, err);
}

static void own_forget(wr_presence_cache *c)
{
    if (c) {
        free(c->own_text);
        c->own_text = NULL;
        free(c->own_path);
        c->own_path = NULL;
    }
}

/* On a PostgreSQL war room the session's text is a row on the server, beaten by one statement that wakes no
 * other console (no notification) and reads back who else is here. */
static wr_status remote_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                             wr_presence_cache *cache, int64_t now, wr_error *err)
{
    int64_t since = cache && cache->own_text ? get_int(cache->own_text, "since", now) : now;
    wr_buf b = {0};
    beat_text(&b, actor, incident, since);
    wr_status rc = wr_store_presence_put(st, session, wr_buf_str(&b), now, now + 3 * wr_presence_beat_interval(), err);
    if (cache && rc == WR_OK) {
        own_forget(cache);
        cache->own_text = wr_buf_steal(&b);
        cache->own_path = wr_xstrdup(session);
        cache->own_beat = now;
    }
    wr_buf_free(&b);
    return rc;
}

wr_status wr_presence_beat_cached(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                                  wr_presence_cache *cache, wr_error *err)
{
    const char *db = wr_store_path(st);
    if (!session_name(session))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a session id", session);
    int64_t now = wr_clock_now_ms();
    if (wr_store_is_remote(st))
        return remote_beat(st, session, actor, incident, cache, now, err);
    struct timespec ts[2];
    set_times(ts, now);
    if (cache && cache->own_text) {
        /* This process wrote the file and nothing it says has changed: the beat is one utimensat. A file
         * gone (swept, the directory removed) takes the long way below. */
        wr_buf b = {0};
        beat_text(&b, actor, incident, get_int(cache->own_text, "since", now));
        int same = strcmp(cache->own_text, wr_buf_str(&b)) == 0 && strstr(cache->own_path, session);
        wr_buf_free(&b);
        if (same && utimensat(AT_FDCWD, cache->own_path, ts, AT_SYMLINK_NOFOLLOW) == 0)
            return WR_OK;
        own_forget(cache);
    }
    char *dir = wr_presence_dir(db);
    wr_status rc = WR_OK;
    int dfd = -1;
    if (make_dir(db, dir) != 0 || (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc = wr_error_set(err, WR_E_READONLY, "cannot make or open %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    char old[MAX_FILE];
    struct stat sb;
    int have = read_small(dfd, session, old, sizeof old, &sb) == 0;
    wr_buf b = {0};
    beat_text(&b, actor, incident, have ? get_int(old, "since", now) : now);
    if (have && strcmp(old, wr_buf_str(&b)) == 0) {
        /* Nothing changed but the time: the beat is the mtime. */
        if (utimensat(dfd, session, ts, AT_SYMLINK_NOFOLLOW) != 0)
            rc = wr_error_set(err, WR_E_READONLY, "cannot set the time of %s/%s: %s", dir, session, strerror(errno));
    } else {
        /* A new text: written aside and renamed over the old one, so a reader never sees half of it. */
        char tmp[64];
        snprintf(tmp, sizeof tmp, ".%s.tmp", session);
        int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0660);
        int ok = fd >= 0;
        if (ok) {
            fchmod(fd, 0660); /* whatever the umask: the group may sweep and read it */
            ok = write(fd, wr_buf_str(&b), b.len) == (ssize_t)b.len && futimens(fd, ts) == 0;
            ok = close(fd) == 0 && ok;
            ok = ok && renameat(dfd, tmp, dfd, session) == 0;
            if (!ok)
                unlinkat(dfd, tmp, 0);
        }
        if (!ok)
            rc = wr_error_set(err, WR_E_READONLY, "cannot write %s/%s: %s", dir, session, strerror(errno));
    }
    if (cache && rc == WR_OK) {
        cache->own_text = wr_buf_steal(&b);
        cache->own_path = wr_xasprintf("%s/%s", dir, session);
    }
    wr_buf_free(&b);
    close(dfd);
    free(dir);
    return rc;
}

wr_status wr_presence_leave(wr_store *st, const char *session, int wait_ms, wr_error *err)
{
    (void)wait_ms;
    if (!session_name(session))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a session id", session);
    if (wr_store_is_remote(st))
        return wr_store_presence_remove(st, session, err);
    char *dir = wr_presence_dir(wr_store_path(st));
    char *path = wr_xasprintf("%s/%s", dir, session);
    wr_status rc = WR_OK;
    if (unlink(path) != 0 && errno != ENOENT)
        rc = wr_error_set(err, WR_E_READONLY, "cannot remove %s: %s", path, strerror(errno));
    free(path);
    free(dir);
    return rc;
}

static int by_since(const void *a, const void *b)
{
    const wr_presence *x = a, *y = b;
    if (x->since != y->since)
        return x->since < y->since ? -1 : 1;
    return strcmp(x->session, y->session);
}

/* ---- the reader's cache: a file's text is read again only when it is a new file ----
 *
 * A file's text changes only by a rename over it (a new inode); a beat changes its times alone. So a reader
 * that keeps each file's fields with its inode number and birth time (statx: an inode number can be reused,
 * not with the same birth) needs one statx per file and listing, not an open, a read and a close. Where the
 * file system gives no birth time (NFS, FUSE), the file is read every time. And a reader told that nobody
 * came or left (inotify on the directory) need not list the directory: it looks at the files it knows. */
wr_presence_cache *wr_presence_cache_new(void)
{
    return wr_xcalloc(1, sizeof(wr_presence_cache));
}

static void fields_parse(fields *f, const char *text)
{
    f->actor = get_field(text, "actor");
    f->os_user = get_field(text, "os_user");
    f->origin = get_field(text, "origin");
    f->host = get_field(text, "host");
    f->incident = get_int(text, "incident", 0);
    f->since = get_int(text, "since", -1);
    f->beat = get_int(text, "beat_ms", WR_PRESENCE_BEAT_MS);
    if (f->beat <= 0 || f->beat > WR_PRESENCE_BEAT_MS)
        f->beat = WR_PRESENCE_BEAT_MS; /* a file never makes its session linger longer than the default */
}

static void fields_free(fields *f)
{
    free(f->actor);
    free(f->os_user);
    free(f->origin);
    free(f->host);
    memset(f, 0, sizeof *f);
}

void wr_presence_cache_free(wr_presence_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        fields_free(&c->v[i].f);
    free(c->v);
    own_forget(c);
    free(c);
}

unsigned wr_presence_cache_reads(const wr_presence_cache *c)
{
    return c ? c->reads : 0;
}

unsigned wr_presence_cache_lists(const wr_presence_cache *c)
{
    return c ? c->lists : 0;
}

/* The entry for name (at *hint first: a directory lists in the same order each time), or NULL. */
static cache_entry *cache_find(wr_presence_cache *c, const char *name, size_t *hint)
{
    if (*hint < c->n && strcmp(c->v[*hint].name, name) == 0)
        return &c->v[(*hint)++];
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].name, name) == 0) {
            *hint = i + 1;
            return &c->v[i];
        }
    return NULL;
}

/* The entry of the session file name, its modification time in *mtime: the cached one when the file is the
 * one read before, else read again. NULL when there is no such file. */
static cache_entry *session_entry(wr_presence_cache *c, size_t *hint, int dfd, const char *name, int64_t *mtime)
{
    struct statx sx;
    if (statx(dfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_INO | STATX_SIZE | STATX_MTIME | STATX_BTIME,
              &sx) != 0)
        return NULL;
    int64_t btime = (sx.stx_mask & STATX_BTIME) ? (int64_t)sx.stx_btime.tv_sec * 1000000000LL + sx.stx_btime.tv_nsec
                                               : -1;
    cache_entry *e = cache_find(c, name, hint);
    if (!e) {
        c->v = wr_xreallocarray(c->v, c->n + 1, sizeof *c->v);
        e = &c->v[c->n++];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%.39s", name);
        e->btime_ns = -2;
    }
    e->valid = e->valid && S_ISREG(sx.stx_mode);
    *mtime = (int64_t)sx.stx_mtime.tv_sec * 1000 + sx.stx_mtime.tv_nsec / 1000000;
    if (btime < 0 || e->ino != sx.stx_ino || e->btime_ns != btime || e->size != (int64_t)sx.stx_size) {
        c->reads++;
        char buf[MAX_FILE];
        struct stat sb;
        memset(&sb, 0, sizeof sb);
        fields_free(&e->f);
        e->valid = read_small(dfd, name, buf, sizeof buf, &sb) == 0;
        if (e->valid) {
            fields_parse(&e->f, buf);
            *mtime = mtime_ms(&sb);
        }
        if (!e->valid) {
            /* Not a presence file (or no longer there): remembered by what statx said, not read again. */
            sb.st_ino = (ino_t)sx.stx_ino;
            sb.st_size = (off_t)sx.stx_size;
        }
        /* What was read is what the stat of the open file said (the file may have been replaced between). */
        e->ino = (uint64_t)sb.st_ino;
        e->size = (int64_t)sb.st_size;
        e->btime_ns = btime >= 0 && (uint64_t)sb.st_ino == sx.stx_ino ? btime : -2;
    }
    return e;
}

/* One session for the list, or 0 when it has left (long dead: its file is swept) or is on another incident. */
static int take(const fields *f, const char *name, int64_t seen, int64_t now, int64_t incident, int dfd,
                wr_presence *p)
{
    if (seen + 3 * f->beat < now) {
        if (now - seen > WR_PRESENCE_SWEEP_MS && dfd >= 0)
            unlinkat(dfd, name, 0); /* long dead: nobody will beat it again */
        return 0;
    }
    if (incident && f->incident != incident)
        return 0;
    p->session = wr_xstrdup(name);
    p->actor = wr_xstrdup(f->actor ? f->actor : "");
    p->os_user = wr_xstrdup(f->os_user ? f->os_user : "");
    p->origin = wr_xstrdup(f->origin ? f->origin : "");
    p->host = wr_xstrdup(f->host ? f->host : "");
    p->incident = f->incident;
    p->since = f->since >= 0 ? f->since : seen;
    p->last_seen = seen;
    p->expires = seen + 3 * f->beat;
    return 1;
}

typedef struct remote_rows {
    wr_presence *v;
    size_t n;
    int64_t now, incident;
    const char *own; /* this process's session, as it last beat (NULL: none) */
    int own_seen;
} remote_rows;

static int remote_row(const char *session, const char *text, int64_t beat_at, void *ctx)
{
    remote_rows *r = ctx;
    if (!session_name(session))
        return 0;
    if (r->own && strcmp(session, r->own) == 0)
        r->own_seen = 1;
    fields f;
    fields_parse(&f, text);
    r->v = wr_xreallocarray(r->v, r->n + 1, sizeof *r->v);
    r->n += (size_t)take(&f, session, beat_at, r->now, r->incident, -1, &r->v[r->n]);
    fields_free(&f);
    return 0;
}

/* The rows the last beat read back (or, without a recent beat or when asked for a full read, the server's
 * rows now); this process's own session as it last beat it, when the snapshot was taken before its row. */
static wr_status remote_list(wr_store *st, int64_t incident, wr_presence_cache *cache, int full, int64_t now,
                             wr_presence **out, size_t *n, wr_error *err)
{
    remote_rows r = {NULL, 0, now, incident, cache && cache->own_text ? cache->own_path : NULL, 0};
    /* A console's own beat read the room back: as fresh as a listing (nobody comes or leaves unseen for longer
     * than a beat), so an idle console sends nothing but its beat. */
    (void)full;
    wr_status rc = wr_store_presence_each(st, now, cache ? wr_presence_beat_interval() : 0, remote_row, &r, err);
    if (rc == WR_OK && r.own && !r.own_seen) {
        fields f;
        fields_parse(&f, cache->own_text);
        r.v = wr_xreallocarray(r.v, r.n + 1, sizeof *r.v);
        r.n += (size_t)take(&f, r.own, cache->own_beat, now, incident, -1, &r.v[r.n]);
        fields_free(&f);
    }
    if (rc != WR_OK) {
        wr_presence_free(r.v, r.n);
        return rc;
    }
    if (cache)
        cache->lists++;
    if (r.n > 1)
        qsort(r.v, r.n, sizeof *r.v, by_since);
    *out = r.v;
    *n = r.n;
    return WR_OK;
}

wr_status wr_presence_list(wr_store *st, int64_t incident, wr_presence **out, size_t *n, wr_error *err)
{
    return wr_presence_list_cached(st, incident, NULL, 1, out, n, err);
}

wr_status wr_presence_list_cached(wr_store *st, int64_t incident, wr_presence_cache *cache, int full,
                                  wr_presence **out, size_t *n, wr_error *err)
{
    *out = NULL;
    *n = 0;
    int64_t now = wr_clock_now_ms();
    if (wr_store_is_remote(st))
        return remote_list(st, incident, cache, full, now, out, n, err);
    char *dir = wr_presence_dir(wr_store_path(st));
    wr_presence *v = NULL;
    size_t cnt = 0;
    if (cache && !full && cache->lists) {
        /* Nobody came or left since the last listing: the files known, one statx each. */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) {
            wr_status rc = errno == ENOENT
                               ? WR_OK
                               : wr_error_set(err, WR_E_READONLY, "cannot read %s: %s", dir, strerror(errno));
            free(dir);
            return rc;
        }
        size_t k = 0;
        for (size_t i = 0; i < cache->n; i++) {
            size_t hint = i;
            int64_t seen = 0;
            char name[40];
            memcpy(name, cache->v[i].name, sizeof name);
            cache_entry *e = session_entry(cache, &hint, dfd, name, &seen);
            if (!e) {
                fields_free(&cache->v[i].f); /* gone */
                continue;
            }
            if (e->valid) {
                v = wr_xreallocarray(v, cnt + 1, sizeof *v);
                cnt += (size_t)take(&e->f, e->name, seen, now, incident, dfd, &v[cnt]);
            }
            cache->v[k++] = cache->v[i];
        }
        cache->n = k;
        close(dfd);
        free(dir);
        goto done;
    }
    DIR *d = opendir(dir);
    if (!d) {
        wr_status rc = errno == ENOENT ? WR_OK
                                       : wr_error_set(err, WR_E_READONLY, "cannot read %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    if (cache)
        cache->lists++;
    size_t hint = 0;
    struct dirent *de;
    char buf[MAX_FILE];
    unsigned char *listed = NULL;
    size_t nlisted = 0;
    while ((de = readdir(d)) != NULL) {
        struct stat sb;
        if (de->d_name[0] == '.') {
            /* A temporary file its writer died before renaming: swept once it is old. */
            if (strstr(de->d_name, ".tmp") && fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISREG(sb.st_mode) && now - mtime_ms(&sb) > WR_PRESENCE_SWEEP_MS)
                unlinkat(dirfd(d), de->d_name, 0);
            continue;
        }
        if (!session_name(de->d_name))
            continue;
        int64_t seen = 0;
        if (cache) {
            cache_entry *e = session_entry(cache, &hint, dirfd(d), de->d_name, &seen);
            if (!e)
                continue;
            size_t idx = (size_t)(e - cache->v);
            if (idx >= nlisted) {
                listed = wr_xrealloc(listed, idx + 1);
                memset(listed + nlisted, 0, idx + 1 - nlisted);
                nlisted = idx + 1;
            }
            listed[idx] = 1;
            if (!e->valid)
                continue;
            v = wr_xreallocarray(v, cnt + 1, sizeof *v);
            cnt += (size_t)take(&e->f, e->name, seen, now, incident, dirfd(d), &v[cnt]);
        } else {
            if (read_small(dirfd(d), de->d_name, buf, sizeof buf, &sb) != 0)
                continue;
            fields f;
            fields_parse(&f, buf);
            v = wr_xreallocarray(v, cnt + 1, sizeof *v);
            cnt += (size_t)take(&f, de->d_name, mtime_ms(&sb), now, incident, dirfd(d), &v[cnt]);
            fields_free(&f);
        }
    }
    closedir(d);
    free(dir);
    if (cache) {
        /* Entries whose file was not listed this time are dropped. */
        size_t k = 0;
        for (size_t i = 0; i < cache->n; i++) {
            if (i < nlisted && listed[i])
                cache->v[k++] = cache->v[i];
            else
                fields_free(&cache->v[i].f);
        }
        cache->n = k;
    }
    free(listed);
done:
    if (cnt > 1)
        qsort(v, cnt, sizeof *v, by_since);
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_presence_free(wr_presence *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].session);
        free(v[i].actor);
        free(v[i].os_user);
        free(v[i].origin);
        free(v[i].host);
    }
    free(v);
}
