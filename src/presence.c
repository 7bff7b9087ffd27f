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

wr_status wr_presence_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                           int wait_ms, wr_error *err)
{
    (void)wait_ms;
    const char *db = wr_store_path(st);
    if (!session_name(session))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a session id", session);
    char *dir = wr_presence_dir(db);
    wr_status rc = WR_OK;
    int dfd = -1;
    if (make_dir(db, dir) != 0 || (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc = wr_error_set(err, WR_E_READONLY, "cannot make or open %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    int64_t now = wr_clock_now_ms();
    char old[MAX_FILE];
    struct stat sb;
    int have = read_small(dfd, session, old, sizeof old, &sb) == 0;
    wr_buf b = {0};
    wr_buf_puts(&b, MAGIC);
    put_field(&b, "actor", actor->name);
    put_field(&b, "os_user", actor->os_user);
    put_field(&b, "origin", actor->origin);
    put_field(&b, "host", actor->host);
    wr_buf_printf(&b, "incident=%lld\nsince=%lld\nbeat_ms=%lld\n", (long long)incident,
                  (long long)(have ? get_int(old, "since", now) : now), (long long)wr_presence_beat_interval());
    struct timespec ts[2];
    set_times(ts, now);
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

wr_status wr_presence_list(wr_store *st, int64_t incident, wr_presence **out, size_t *n, wr_error *err)
{
    *out = NULL;
    *n = 0;
    char *dir = wr_presence_dir(wr_store_path(st));
    DIR *d = opendir(dir);
    if (!d) {
        wr_status rc = errno == ENOENT ? WR_OK
                                       : wr_error_set(err, WR_E_READONLY, "cannot read %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    int64_t now = wr_clock_now_ms();
    wr_presence *v = NULL;
    size_t cnt = 0;
    struct dirent *e;
    char text[MAX_FILE];
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.') {
            /* A temporary file its writer died before renaming: swept once it is old. */
            if (strstr(e->d_name, ".tmp") && fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISREG(sb.st_mode) && now - mtime_ms(&sb) > WR_PRESENCE_SWEEP_MS)
                unlinkat(dirfd(d), e->d_name, 0);
            continue;
        }
        if (!session_name(e->d_name) || read_small(dirfd(d), e->d_name, text, sizeof text, &sb) != 0)
            continue;
        int64_t seen = mtime_ms(&sb);
        int64_t beat = get_int(text, "beat_ms", WR_PRESENCE_BEAT_MS);
        if (beat <= 0 || beat > WR_PRESENCE_BEAT_MS)
            beat = WR_PRESENCE_BEAT_MS; /* a file never makes its session linger longer than the default */
        if (seen + 3 * beat < now) {
            if (now - seen > WR_PRESENCE_SWEEP_MS)
                unlinkat(dirfd(d), e->d_name, 0); /* long dead: nobody will beat it again */
            continue;
        }
        int64_t inc = get_int(text, "incident", 0);
        if (incident && inc != incident)
            continue;
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_presence *p = &v[cnt++];
        p->session = wr_xstrdup(e->d_name);
        p->actor = get_field(text, "actor");
        p->os_user = get_field(text, "os_user");
        p->origin = get_field(text, "origin");
        p->host = get_field(text, "host");
        if (!p->actor)
            p->actor = wr_xstrdup("");
        if (!p->os_user)
            p->os_user = wr_xstrdup("");
        if (!p->origin)
            p->origin = wr_xstrdup("");
        if (!p->host)
            p->host = wr_xstrdup("");
        p->incident = inc;
        p->since = get_int(text, "since", seen);
        p->last_seen = seen;
        p->expires = seen + 3 * beat;
    }
    closedir(d);
    free(dir);
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
