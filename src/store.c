/* SPDX-License-Identifier: MIT */
/* store.c - the SQLite connection: opening safely, migrations, the retried write transaction, the change
 * feed and reading the event log. */
#include "store_int.h"

#include "warroom/access.h"
#include "warroom/clock.h"
#include "warroom/fscheck.h"
#include "warroom/hostlock.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WR_APPLICATION_ID 0x57524f4d /* "WROM" */

/* ---- small helpers ---- */

void wr_uid_new(char out[33])
{
    unsigned char b[16];
    ssize_t got = getrandom(b, sizeof b, 0);
    if (got != (ssize_t)sizeof b)
        wr_die("getrandom failed: %s", strerror(errno));
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[32] = '\0';
}

sqlite3_stmt *wr_st_stmt(wr_store *st, const char *sql)
{
    for (size_t i = 0; i < st->ncache; i++) {
        if (st->cache[i].sql == sql) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            return st->cache[i].stmt;
        }
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        /* The schema could not be read (busy past the deadline, I/O error, damage, or changed by a newer
         * warroom). Not cached: the SQLite calls on a NULL statement fail harmlessly (SQLITE_MISUSE), the
         * caller reports an error, and the next call prepares again. */
        sqlite3_finalize(s);
        return NULL;
    }
    st->cache = wr_xreallocarray(st->cache, st->ncache + 1, sizeof *st->cache);
    st->cache[st->ncache].sql = sql;
    st->cache[st->ncache].stmt = s;
    st->ncache++;
    return s;
}

void wr_st_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

char *wr_st_col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return wr_xstrndup(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(s, i));
}

char *wr_st_json_get(wr_store *st, const char *json, const char *path)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT json_extract(?1, ?2)");
    wr_st_bind_text(s, 1, json);
    wr_st_bind_text(s, 2, path);
    char *out = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        out = wr_st_col_text(s, 0);
    sqlite3_reset(s);
    return out;
}

int64_t wr_st_json_int(wr_store *st, const char *json, const char *path, int64_t dflt)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT json_extract(?1, ?2)");
    wr_st_bind_text(s, 1, json);
    wr_st_bind_text(s, 2, path);
    int64_t v = dflt;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return v;
}

static unsigned store_rand(wr_store *st)
{
    st->rng = st->rng * 1103515245u + 12345u;
    return (st->rng >> 8) & 0xffffff;
}

void wr_st_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Jittered exponential back-off: 1..2^n ms, capped at 50 ms and at the deadline. */
int64_t wr_st_backoff_ms(wr_store *st, int attempt)
{
    int64_t cap = attempt < 6 ? (1 << attempt) : 50;
    if (cap > 50)
        cap = 50;
    return 1 + (int64_t)(store_rand(st) % (unsigned)cap);
}

static int busy_handler(void *ctx, int attempt)
{
    wr_store *st = ctx;
    int64_t left = st->deadline - wr_clock_mono_ms();
    if (left <= 0)
        return 0;
    int64_t nap = wr_st_backoff_ms(st, attempt);
    wr_st_sleep_ms(nap < left ? nap : left);
    return 1;
}

void wr_st_read_begin(wr_store *st)
{
    st->deadline = wr_clock_mono_ms() + st->read_wait_ms;
}

int wr_st_exec(wr_store *st, const char *sql)
{
    return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

/* ---- opening ---- */

int wr_st_query_int(wr_store *st, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

static char *query_text(wr_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        out = wr_st_col_text(s, 0);
    sqlite3_finalize(s);
    return out ? out : wr_xstrdup("");
}

static int dir_of(const char *path, char *out, size_t size)
{
    char *copy = wr_xstrdup(path);
    int n = snprintf(out, size, "%s", dirname(copy));
    free(copy);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Within the deadline of the open (set by wr_store_open_wait). */
static wr_status migrate(wr_store *st, int from, wr_error *err)
{
    int rc = wr_st_exec(st, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "upgrading the database schema");
    int64_t v = 0;
    rc = wr_st_query_int(st, "PRAGMA user_version", &v);
    if (rc == SQLITE_OK && v != from) {
        /* Someone else migrated meanwhile. */
        wr_st_exec(st, "ROLLBACK");
        return v > WR_SCHEMA_VERSION ? wr_error_set(err, WR_E_SCHEMA, "schema changed under us") : WR_OK;
    }
    for (int i = from; rc == SQLITE_OK && i < st->model->nmigrations; i++)
        for (const char *const *part = st->model->migrations[i]; rc == SQLITE_OK && *part; part++)
            rc = wr_st_exec(st, *part);
    if (rc == SQLITE_OK)
        rc = wr_st_chain_seal(st, 0); /* the events already there (2 -> 3); the chain vouches from now on */
    if (rc == SQLITE_OK) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d", WR_SCHEMA_VERSION,
                 WR_APPLICATION_ID);
        rc = wr_st_exec(st, sql);
    }
    if (rc == SQLITE_OK) {
        rc = wr_st_exec(st, "COMMIT");
        while (rc == SQLITE_BUSY && wr_clock_mono_ms() < st->deadline) {
            wr_st_sleep_ms(wr_st_backoff_ms(st, 5));
            rc = wr_st_exec(st, "COMMIT");
        }
    }
    if (rc != SQLITE_OK) {
        wr_status s = wr_st_error(st, rc, err, "upgrading the database schema");
        if (!sqlite3_get_autocommit(st->db))
            wr_st_exec(st, "ROLLBACK");
        return s;
    }
    return WR_OK;
}

static void open_fail(wr_store *st)
{
    if (st->db)
        sqlite3_close_v2(st->db);
    wr_buf_free(&st->warnings);
    free(st->path);
    free(st);
}

wr_store *wr_store_open_model(const char *path, unsigned flags, int wait_ms, const wr_store_model *model,
                              wr_error *err)
{
    if (!model || WR_SCHEMA_VERSION != model->nmigrations)
        wr_die("schema version %d does not match the model's migrations", WR_SCHEMA_VERSION);
    if (!path || !*path) {
        wr_error_set(err, WR_E_INVALID, "the database path is empty: give one with --db PATH (or $WARROOM_DB)");
        return NULL;
    }
    if (wr_store_target_is_remote(path))
        return wr_remote_open(path, flags, wait_ms, model, err);
    wr_st_log_init();
    wr_store *st = wr_xcalloc(1, sizeof *st);
    st->path = wr_xstrdup(path);
    st->model = model;
    st->read_wait_ms = wait_ms > 0 ? wait_ms : 0;
    st->rng = (unsigned)getpid() ^ (unsigned)wr_clock_mono_ms();

    char dir[4096];
    if (dir_of(path, dir, sizeof dir) != 0) {
        wr_error_set(err, WR_E_INVALID, "database path too long: %s", path);
        open_fail(st);
        return NULL;
    }
    struct stat sb;
    int exists = stat(path, &sb) == 0, serr = errno;
    char why[1400];
    wr_error ae = {0};
    if ((!exists && serr != ENOENT) || (exists && wr_error_took(wr_access_problem(path, 0, &ae), &ae, why, sizeof why))) {
        /* A directory on the way this user cannot enter, or a file it cannot read: not "missing". */
        int perm = exists || serr == EACCES || serr == EPERM;
        if (!exists && !wr_error_took(wr_access_problem(path, 0, &ae), &ae, why, sizeof why))
            snprintf(why, sizeof why, "cannot look at %s: %s", path, strerror(serr));
        wr_error_set(err, perm ? WR_E_READONLY : WR_E_MISSING, "%s", why);
        open_fail(st);
        return NULL;
    }
    if (exists && !S_ISREG(sb.st_mode)) {
        wr_error_set(err, WR_E_CORRUPT, "%s is not a regular file, so it cannot be a warroom database", path);
        open_fail(st);
        return NULL;
    }
    int creating = 0;
    if (exists && sb.st_size == 0 && (flags & WR_OPEN_CREATE) && !(flags & WR_OPEN_READONLY)) {
        creating = 1; /* an empty file someone made for us (e.g. to set its group first) */
    } else if (!exists) {
        if (!(flags & WR_OPEN_CREATE)) {
            struct stat db;
            int dir_there = stat(dir, &db) == 0;
            wr_error_set(err, WR_E_MISSING,
                         "no warroom database at %s%s. If it lives on a network mount, check that the mount "
                         "is there; to start a new one, run `warroom init` (or `warroom --db PATH init`)",
                         path, dir_there ? "" : " (its directory does not exist either)");
            open_fail(st);
            return NULL;
        }
        if (flags & WR_OPEN_READONLY) {
            wr_error_set(err, WR_E_INVALID, "cannot create a database read-only");
            open_fail(st);
            return NULL;
        }
        if (wr_mkdir_p(dir, 02770) != 0) {
            int e = errno;
            if (!wr_error_took(wr_access_explain(path, e, &ae), &ae, why, sizeof why))
                snprintf(why, sizeof why, "cannot create the directory %.1000s: %s", dir, strerror(e));
            wr_error_set(err, e == EACCES || e == EPERM || e == EROFS ? WR_E_READONLY : WR_E_IO, "%s", why);
            open_fail(st);
            return NULL;
        }
        if (wr_error_took(wr_access_problem(path, 1, &ae), &ae, why, sizeof why)) {
            wr_error_set(err, WR_E_READONLY, "cannot create the database: %s", why);
            open_fail(st);
            return NULL;
        }
        creating = 1;
    } else if (sb.st_mode & S_IWOTH) {
        wr_buf_printf(&st->warnings,
                      "%s is world-writable: any local user can change or destroy incidents; run "
                      "`chmod o-w %s` and share it through a group instead.\n",
                      path, path);
    }

    /* Locks that hold on one host only (sshfs, NFS nolock, CIFS nobrl...) corrupt a database written from two
     * hosts: such a file opens read-only unless the operator confirmed that only one host uses it. */
    wr_fsinfo fs;
    int unsafe = 0;
    int fs_ok = wr_fs_inspect(path, &fs) == 0;
    if (fs_ok) {
        if (fs.scope == WR_LOCKS_BROKEN ||
            (fs.scope == WR_LOCKS_ONE_HOST && !(flags & WR_OPEN_SINGLE_HOST))) {
            unsafe = 1;
            snprintf(st->readonly_reason, sizeof st->readonly_reason,
                     "%.400s. Writing is refused: %.500s", fs.verdict, fs.advice);
        } else if (fs.soft_mount) {
            wr_buf_printf(&st->warnings, "%s\n", fs.advice);
        }
    }
    /* On such a mount every process of this host also takes one host-local lock around each transaction,
     * whichever mount it came through: two mounts of one share on one host do not see each other's locks. */
    char lock_path[4096] = "";
    if (fs_ok && fs.scope == WR_LOCKS_ONE_HOST) {
        char key[4200];
        if (wr_error_took(wr_hostlock_prepare(path, &fs, key, sizeof key, lock_path, sizeof lock_path, &ae), &ae, why, sizeof why)) {
            lock_path[0] = '\0';
            if (!unsafe) {
                unsafe = 1;
                snprintf(st->readonly_reason, sizeof st->readonly_reason,
                         "%.600s, so the processes of this host cannot be kept apart. Writing is refused", why);
            }
        }
    }
    if (unsafe && creating) {
        wr_error_set(err, WR_E_UNSAFE, "will not create %s: %s", path, st->readonly_reason);
        open_fail(st);
        return NULL;
    }
    int readonly = (flags & WR_OPEN_READONLY) != 0 || unsafe;
    st->unsafe_fs = unsafe;
    if (unsafe) {
        /* reason already set */
    } else if (!readonly && exists) {
        /* The file, its journal (or the directory to make one) and the mount must all let this user write. */
        wr_access_heal_journal(path, &sb);
        if (wr_error_took(wr_access_problem(path, 1, &ae), &ae, why, sizeof why)) {
            readonly = 1;
            snprintf(st->readonly_reason, sizeof st->readonly_reason, "%.1000s", why);
        }
    } else if (readonly) {
        snprintf(st->readonly_reason, sizeof st->readonly_reason, "opened read-only on request");
    }
    st->readonly = readonly;

    int oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (creating)
        oflags |= SQLITE_OPEN_CREATE;
    int rc;
    if (*lock_path) {
        char *uri = wr_hostlock_uri(path, lock_path);
        rc = sqlite3_open_v2(uri, &st->db, oflags | SQLITE_OPEN_URI, wr_hostlock_vfs());
        free(uri);
    } else {
        rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    }
    if (rc != SQLITE_OK) {
        wr_st_error(st, rc, err, "opening the database");
        open_fail(st);
        return NULL;
    }
    if (creating && wr_error_took(wr_access_share_file(path, &ae), &ae, why, sizeof why))
        wr_buf_printf(&st->warnings, "%s\n", why); /* 0660 and the directory's group before any journal */
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_handler(st->db, busy_handler, st);
    /* Check each page's cells as it is read: damage is found at once instead of read as data. */
    wr_st_exec(st, "PRAGMA cell_size_check=ON");
    wr_st_read_begin(st);

    /* Read the schema version before anything that could write: a newer database stays untouched. */
    int64_t version = 0, appid = 0;
    rc = wr_st_query_int(st, "PRAGMA user_version", &version);
    if (rc == SQLITE_OK)
        rc = wr_st_query_int(st, "PRAGMA application_id", &appid);
    if (rc != SQLITE_OK) {
        wr_st_read_error(st, rc, err, "reading the schema version");
        open_fail(st);
        return NULL;
    }
    if (version > WR_SCHEMA_VERSION) {
        wr_error_set(err, WR_E_SCHEMA,
                     "%s was made by a newer warroom (schema version %lld; this warroom knows version %d). It "
                     "was not changed. Upgrade warroom to use it.",
                     path, (long long)version, WR_SCHEMA_VERSION);
        open_fail(st);
        return NULL;
    }
    if (rc == SQLITE_OK) {
        /* Read the whole schema now, so damage there is found at open, not in the middle of a write. */
        int64_t nobj = 0;
        rc = wr_st_query_int(st, "SELECT count(*) FROM sqlite_schema", &nobj);
        if (rc != SQLITE_OK) {
            wr_st_read_error(st, rc, err, "reading the database schema");
            open_fail(st);
            return NULL;
        }
    }
    if (version > 0 && appid != WR_APPLICATION_ID) {
        wr_error_set(err, WR_E_CORRUPT, "%s is an SQLite database of another program, not warroom's", path);
        open_fail(st);
        return NULL;
    }
    if (version == 0 && !creating) {
        /* Only `warroom init` turns a file into a warroom database: an empty file or another program's
         * database is never taken over. */
        int64_t ntables = 0;
        rc = wr_st_query_int(st, "SELECT count(*) FROM sqlite_schema", &ntables);
        if (rc != SQLITE_OK)
            wr_st_error(st, rc, err, "reading the database");
        else if (ntables > 0)
            wr_error_set(err, WR_E_CORRUPT, "%s is an SQLite database of another program, not warroom's", path);
        else
            wr_error_set(err, WR_E_CORRUPT,
                         "%s is empty, not a warroom database; run `warroom init` to make it one", path);
        open_fail(st);
        return NULL;
    }

    if (!readonly) {
        /* Rollback journal, never WAL: WAL needs shared memory on one host and loses commits over NFS. */
        char *mode = query_text(st, "PRAGMA journal_mode=TRUNCATE");
        int ok = strcmp(mode, "truncate") == 0;
        free(mode);
        if (!ok) {
            wr_error_set(err, WR_E_BUSY,
                         "could not switch %s to a rollback journal (another program has it open in WAL "
                         "mode?); close other programs using it and retry",
                         path);
            open_fail(st);
            return NULL;
        }
        wr_st_exec(st, "PRAGMA synchronous=FULL");
    }
    wr_st_exec(st, "PRAGMA trusted_schema=OFF");

    if (version < WR_SCHEMA_VERSION) {
        if (readonly) {
            wr_error_set(err, version == 0 ? WR_E_CORRUPT : WR_E_READONLY,
                         version == 0 ? "%s is empty and read-only: not a warroom database"
                                      : "%s needs a schema upgrade but is read-only for this user",
                         path);
            open_fail(st);
            return NULL;
        }
        if (migrate(st, (int)version, err) != WR_OK) {
            open_fail(st);
            return NULL;
        }
    }
    if (creating) {
        /* The journal the migration left (TRUNCATE keeps it) is shared like the database. */
        char journal[4200];
        snprintf(journal, sizeof journal, "%s-journal", path);
        struct stat jb;
        if (stat(journal, &jb) == 0 && wr_error_took(wr_access_share_file(journal, &ae), &ae, why, sizeof why))
            wr_buf_printf(&st->warnings, "%s\n", why);
    }
    int64_t dv = 0;
    wr_st_query_int(st, "PRAGMA data_version", &dv);
    st->data_version = dv;
    struct stat now;
    if (stat(path, &now) == 0) {
        st->file_dev = (unsigned long long)now.st_dev;
        st->file_ino = (unsigned long long)now.st_ino;
    }
    return st;
}

void wr_store_close(wr_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->ncache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    free(st->cache);
    sqlite3_close_v2(st->db);
    wr_remote_close(st->remote);
    wr_buf_free(&st->warnings);
    free(st->path);
    free(st);
}

const char *wr_store_path(const wr_store *st)
{
    return st->path;
}

int wr_store_readonly(const wr_store *st)
{
    return st->readonly;
}

const char *wr_store_readonly_reason(const wr_store *st)
{
    return st->readonly_reason;
}

const char *wr_store_warnings(const wr_store *st)
{
    return wr_buf_str(&st->warnings);
}

int wr_store_user_version(wr_store *st)
{
    int64_t v = 0;
    wr_st_read_begin(st);
    wr_st_query_int(st, "PRAGMA user_version", &v);
    return (int)v;
}

char *wr_store_check(wr_store *st, int full)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = NULL;
    wr_buf out = {0};
    int rc = sqlite3_prepare_v2(st->db, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", -1, &s, NULL);
    while (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        if (out.len)
            wr_buf_putc(&out, '\n');
        wr_buf_puts(&out, (const char *)sqlite3_column_text(s, 0));
    }
    if (rc != SQLITE_OK || (!out.len && sqlite3_errcode(st->db) != SQLITE_DONE))
        wr_buf_printf(&out, "%s%s", out.len ? "\n" : "", sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    return wr_buf_steal(&out);
}

char *wr_store_journal_mode(wr_store *st)
{
    wr_st_read_begin(st);
    return query_text(st, "PRAGMA journal_mode");
}

