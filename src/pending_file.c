/* SPDX-License-Identifier: MIT */
/* pending_file.c - the writes the console still held when it ended, kept in a file for the next start (see
 * pending.h). One JSON object a line; read back with SQLite's JSON functions on an in-memory database. */
#include "warroom/pending.h"

#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/paths.h"
#include "warroom/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The database's path made absolute and tidied without looking at the filesystem (the database may be gone
 * when the file is written): the same spelling gives the same name at the next start. */
static char *db_key(const char *db_path)
{
    wr_buf b = {0};
    if (db_path[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd))
            wr_buf_printf(&b, "%s/", cwd);
    }
    wr_buf_puts(&b, db_path);
    /* drop "//" and "/./" */
    char *s = wr_buf_steal(&b);
    char *w = s;
    for (const char *r = s; *r;) {
        if (r[0] == '/' && r[1] == '/') {
            r++;
        } else if (r[0] == '/' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

void wr_pending_db_hash(const char *db_path, char out[17])
{
    char *key = db_key(db_path);
    char hex[65];
    wr_sha256_hex(key, strlen(key), hex);
    free(key);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static char *file_prefix(const char *db_path)
{
    char hex[17];
    wr_pending_db_hash(db_path, hex);
    char *dir = wr_paths_user_state_dir();
    char *f = wr_xasprintf("%s/pending-%s-", dir, hex);
    free(dir);
    return f;
}

char *wr_pending_file(const char *db_path, const char *session)
{
    char *prefix = file_prefix(db_path);
    char *f = wr_xasprintf("%s%s.jsonl", prefix, session);
    free(prefix);
    return f;
}

static void put_write(wr_buf *b, const char *key, int64_t now, const char *host, const wr_write *w,
                      const char *why)
{
    wr_buf_putc(b, '{');
    wr_json_kv_str(b, "db", key);
    wr_json_kv_int(b, "saved_at", now);
    wr_json_kv_int(b, "pid", (long long)getpid());
    wr_json_kv_str(b, "host", host);
    wr_json_kv_str(b, "uid", w->uid);
    wr_json_kv_int(b, "incident", w->incident);
    wr_json_kv_int(b, "occurred_at", w->occurred_at);
    wr_json_kv_str(b, "actor", w->actor ? w->actor : "");
    wr_json_kv_str(b, "os_user", w->os_user ? w->os_user : "");
    wr_json_kv_str(b, "origin", w->origin ? w->origin : "");
    wr_json_kv_str(b, "source", w->source ? w->source : "");
    wr_json_kv_str(b, "kind", w->kind ? w->kind : "");
    wr_json_kv_str(b, "describe", w->describe ? w->describe : "");
    if (why && *why)
        wr_json_kv_str(b, "why", why);
    if (w->blob) {
        /* its evidence bytes, in hex */
        static const char hex[] = "0123456789abcdef";
        wr_json_key(b, "blob");
        wr_buf_putc(b, '"');
        for (size_t i = 0; i < w->nblob; i++) {
            char two[2] = {hex[w->blob[i] >> 4], hex[w->blob[i] & 15]};
            wr_buf_append(b, two, 2);
        }
        wr_buf_putc(b, '"');
    }
    wr_json_key(b, "payload");
    wr_buf_puts(b, w->payload && *w->payload ? w->payload : "{}");
    wr_buf_puts(b, "}\n");
}

static int write_all(int fd, const wr_buf *b)
{
    size_t off = 0;
    while (off < b->len) {
        ssize_t n = write(fd, b->s + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return fsync(fd);
}

int wr_pending_save(const wr_pending *q, const char *db_path, const char *file, int replace, wr_buf *why)
{
    char *dir = wr_xstrdup(file);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (slash && wr_mkdir_p(dir, 0700) != 0) {
        wr_buf_printf(why, "cannot make %s: %s", dir, strerror(errno));
        free(dir);
        return -1;
    }
    char *key = db_key(db_path);
    wr_buf b = {0};
    int64_t now = wr_clock_now_ms();
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    for (size_t i = 0; q && i < q->n; i++)
        put_write(&b, key, now, host, &q->v[i].w, q->v[i].why);
    free(key);
    char *tmp = replace ? wr_xasprintf("%s.%ld.tmp", file, (long)getpid()) : NULL;
    int fd = open(tmp ? tmp : file, O_WRONLY | O_CREAT | O_CLOEXEC | (tmp ? O_TRUNC : O_APPEND), 0600);
    int rc = fd < 0 ? -1 : write_all(fd, &b);
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && tmp && rename(tmp, file) != 0)
        rc = -1;
    if (rc == 0 && slash) {
        /* the rename (or the new file) itself made durable */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            if (fsync(dfd) != 0) {
                /* the data is synced; a directory that cannot be synced is the filesystem's business */
            }
            close(dfd);
        }
    }
    if (rc != 0) {
        wr_buf_printf(why, "cannot write %s: %s", tmp ? tmp : file, strerror(errno));
        if (tmp)
            unlink(tmp);
    }
    free(tmp);
    free(dir);
    wr_buf_free(&b);
    return rc;
}

void wr_pending_writes_free(wr_write *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wr_write_clear(&v[i]);
    free(v);
}

static char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return wr_xstrdup(t ? (const char *)t : "");
}

/* The hex text of column i as w's evidence bytes: 0, or -1 when it is not hex. */
static int unhex(sqlite3_stmt *s, int i, wr_write *w)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (n % 2)
        return -1;
    w->blob = wr_xmalloc(n / 2 + 1);
    w->nblob = n / 2;
    for (size_t k = 0; k < n; k++) {
        char ch = t[k];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        w->blob[k / 2] = (unsigned char)(k % 2 ? (w->blob[k / 2] << 4) | v : v);
    }
    return 0;
}

int wr_pending_load(const char *file, const char *db_path, wr_write **out, size_t *n, int64_t *saved_at,
                    wr_buf *why)
{
    *out = NULL;
    *n = 0;
    *saved_at = 0;
    FILE *f = fopen(file, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        wr_buf_printf(why, "cannot read %s: %s", file, strerror(errno));
        return -1;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT json_valid(?1) AND json_type(?1, '$.payload') = 'object'"
                           " AND length(json_extract(?1, '$.uid')) = 32,"
                           " json_extract(?1, '$.db'), json_extract(?1, '$.uid'), json_extract(?1, '$.incident'),"
                           " json_extract(?1, '$.occurred_at'), json_extract(?1, '$.actor'),"
                           " json_extract(?1, '$.os_user'), json_extract(?1, '$.origin'),"
                           " json_extract(?1, '$.source'), json_extract(?1, '$.kind'),"
                           " json_extract(?1, '$.payload'), json_extract(?1, '$.describe'),"
                           " json_extract(?1, '$.saved_at'), json_extract(?1, '$.blob')",
                           -1, &s, NULL) != SQLITE_OK) {
        wr_buf_printf(why, "cannot read %s: %s", file, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_finalize(s);
        sqlite3_close(db);
        fclose(f);
        return -1;
    }
    char *key = db_key(db_path);
    wr_write *v = NULL;
    size_t cnt = 0;
    int rc = 0, lineno = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, line, (int)len, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != 1) {
            wr_buf_printf(why, "%s:%d: not a saved change (the file is damaged?)", file, lineno);
            rc = -1;
            break;
        }
        const unsigned char *dbp = sqlite3_column_text(s, 1);
        if (!dbp || strcmp((const char *)dbp, key) != 0)
            continue; /* another database's */
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_write *w = &v[cnt++];
        memset(w, 0, sizeof *w);
        snprintf(w->uid, sizeof w->uid, "%s", (const char *)sqlite3_column_text(s, 2));
        w->incident = sqlite3_column_int64(s, 3);
        w->occurred_at = sqlite3_column_int64(s, 4);
        w->actor = col(s, 5);
        w->os_user = col(s, 6);
        w->origin = col(s, 7);
        w->source = col(s, 8);
        w->kind = col(s, 9);
        w->payload = col(s, 10);
        w->describe = col(s, 11);
        if (sqlite3_column_type(s, 13) == SQLITE_TEXT && unhex(s, 13, w) != 0) {
            wr_buf_printf(why, "%s:%d: not a saved change (its evidence bytes are damaged)", file, lineno);
            rc = -1;
            break;
        }
        int64_t at = sqlite3_column_int64(s, 12);
        if (at > *saved_at)
            *saved_at = at;
    }
    if (rc == 0 && ferror(f)) {
        wr_buf_printf(why, "cannot read %s: %s", file, strerror(errno));
        rc = -1;
    }
    free(line);
    free(key);
    sqlite3_finalize(s);
    sqlite3_close(db);
    fclose(f);
    if (rc != 0) {
        wr_pending_writes_free(v, cnt);
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* 1 if the console that wrote file still runs: its first line names a process of this host that is alive. */
static int owner_alive(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    fclose(f);
    int alive = 0;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    if (len > 0 && sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$.pid'), json_extract(?1, '$.host') WHERE json_valid(?1)",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, line, (int)len, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            long long pid = sqlite3_column_int64(s, 0);
            const unsigned char *h = sqlite3_column_text(s, 1);
            char host[256] = "";
            gethostname(host, sizeof host - 1);
            alive = pid > 0 && h && strcmp((const char *)h, host) == 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    free(line);
    return alive;
}

static int by_mtime(const void *a, const void *b)
{
    struct stat sa, sb;
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (stat(x, &sa) != 0 || stat(y, &sb) != 0)
        return strcmp(x, y);
    if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
        return sa.st_mtim.tv_sec < sb.st_mtim.tv_sec ? -1 : 1;
    if (sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec)
        return sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec ? -1 : 1;
    return strcmp(x, y);
}

size_t wr_pending_orphans(const char *db_path, char ***files)
{
    *files = NULL;
    char *prefix = file_prefix(db_path);
    char *slash = strrchr(prefix, '/');
    char *dir = wr_xstrndup(prefix, slash ? (size_t)(slash - prefix) : 0);
    const char *base = slash ? slash + 1 : prefix;
    size_t n = 0;
    DIR *d = opendir(*dir ? dir : ".");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t bl = strlen(base), el = strlen(e->d_name);
        if (strncmp(e->d_name, base, bl) != 0 || el < bl + 6 || strcmp(e->d_name + el - 6, ".jsonl") != 0)
            continue;
        char *path = wr_xasprintf("%s/%s", dir, e->d_name);
        if (owner_alive(path)) {
            free(path);
            continue;
        }
        *files = wr_xreallocarray(*files, n + 1, sizeof **files);
        (*files)[n++] = path;
    }
    if (d)
        closedir(d);
    if (n)
        qsort(*files, n, sizeof **files, by_mtime);
    free(dir);
    free(prefix);
    return n;
}
