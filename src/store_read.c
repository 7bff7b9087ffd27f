/* SPDX-License-Identifier: MIT */
/* store_read.c - reading the shared database: the change feed, the event log, and what SQLite reported
 * about damage and I/O errors even where a caller did not pass it on. */
#include "store_int.h"

#include "warroom/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- what SQLite met ---- */

/* SQLite logs every damage it detects (SQLITE_CORRUPT, at the line that found it) and every I/O error, also
 * where a caller then drops the error on the floor. Counting them lets a command check, once it is done,
 * that nothing it read came from a broken page (wr_store_faults_get). Only counters: the log callback may
 * not call SQLite. */
static unsigned long n_damaged, n_io;

static void on_sqlite_log(void *ctx, int code, const char *msg)
{
    (void)ctx;
    (void)msg;
    switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        n_damaged++;
        break;
    case SQLITE_IOERR:
        n_io++;
        break;
    default:
        break;
    }
}

void wr_st_log_init(void)
{
    static int done;
    if (!done) {
        done = 1;
        /* Only possible before SQLite initialises: hence also the constructor below. */
        sqlite3_config(SQLITE_CONFIG_LOG, on_sqlite_log, (void *)NULL);
    }
}

#if defined(__GNUC__)
__attribute__((constructor)) static void log_at_start(void)
{
    wr_st_log_init();
}
#endif

void wr_store_faults_get(wr_store_faults *out)
{
    out->damaged = n_damaged;
    out->io = n_io;
}

wr_status wr_store_damaged_error(const char *path, wr_error *err, const char *doing)
{
    return wr_error_set(err, WR_E_CORRUPT,
                        "%s is damaged: a broken page was met while %s, so nothing read from it is shown as if "
                        "it were whole. Run `warroom doctor --full` to see the damage, and restore the last "
                        "good copy from a backup",
                        path, doing);
}

wr_status wr_st_read_error(wr_store *st, int rc, wr_error *err, const char *doing)
{
    int code = rc & 0xff;
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : "";
    /* (SQLITE_NOTADB, a file that is no database at all, keeps wr_st_error's "not a warroom database".) */
    if (code == SQLITE_CORRUPT || (code == SQLITE_ERROR && strstr(msg, "malformed JSON")))
        return wr_store_damaged_error(st ? st->path : "the database", err, doing);
    return wr_st_error(st, rc, err, doing);
}

/* ---- the file behind the path ---- */

int wr_store_same_file(wr_store *st)
{
    struct stat sb;
    if (stat(st->path, &sb) != 0)
        return -1;
    return (unsigned long long)sb.st_dev == st->file_dev && (unsigned long long)sb.st_ino == st->file_ino;
}

/* ---- change feed ---- */

int wr_store_changed(wr_store *st)
{
    return st->remote ? wr_remote_changed(st) : wr_st_data_version_changed(st);
}

int wr_st_data_version_changed(wr_store *st)
{
    int64_t dv = 0;
    st->deadline = wr_clock_mono_ms() + 1000;
    sqlite3_stmt *s = wr_st_stmt(st, "PRAGMA data_version");
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_BUSY ? 0 : -1;
    }
    dv = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (dv != st->data_version) {
        st->data_version = dv;
        return 1;
    }
    return 0;
}

int64_t wr_store_last_seq(wr_store *st, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(seq), 0) FROM events");
    int rc = sqlite3_step(s);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        wr_st_read_error(st, rc, err, "reading the event log");
    return v;
}

void wr_event_clear(wr_event *ev)
{
    free(ev->actor);
    free(ev->os_user);
    free(ev->origin);
    free(ev->source);
    free(ev->kind);
    free(ev->payload);
    memset(ev, 0, sizeof *ev);
}

int wr_event_list_add(const wr_event *ev, void *list)
{
    wr_event_list *l = list;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = wr_xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    wr_event *e = &l->v[l->n++];
    *e = *ev;
    e->actor = wr_xstrdup(ev->actor);
    e->os_user = wr_xstrdup(ev->os_user);
    e->origin = wr_xstrdup(ev->origin);
    e->source = wr_xstrdup(ev->source);
    e->kind = wr_xstrdup(ev->kind);
    e->payload = wr_xstrdup(ev->payload);
    return 0;
}

void wr_event_list_free(wr_event_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        wr_event_clear(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

#define EVENT_COLS                                                                                            \
    "e.seq, e.uid, coalesce(e.incident, 0), e.occurred_at, e.recorded_at, e.actor, e.os_user, e.origin, "     \
    "e.source, e.kind, e.payload, EXISTS (SELECT 1 FROM pins p WHERE p.event_seq = e.seq), "                 \
    SOUND_ROW " "
/* 1 if the row is as warroom writes every event: damage inside a row that leaves the page readable (bytes of
 * a payload or of the record's header overwritten) mostly shows here, since SQLite keeps no checksums. Times
 * are milliseconds between 1970 and 2109 (2^42): random bytes in a time column rarely are. A payload that is
 * no longer JSON at all makes json_type fail the statement ("malformed JSON": damage, wr_st_read_error). */
#define SOUND_ROW                                                                                             \
    "(json_type(e.payload) = 'object' AND length(e.uid) = 32 "                                               \
    "AND typeof(e.occurred_at) = 'integer' AND typeof(e.recorded_at) = 'integer' AND typeof(e.kind) = 'text' " \
    "AND e.occurred_at BETWEEN 0 AND 4398046511104 AND e.recorded_at BETWEEN 0 AND 4398046511104)"

/* Runs an event query; *n counts the events handed to cb, *stopped says cb ended it early. The query gives
 * the events of `incident` (0: any) in strictly rising seq order (`dir` 1) or strictly falling (-1): an event
 * out of that order or of another incident came from a damaged index key, not from the log. */
static wr_status run_events(wr_store *st, sqlite3_stmt *s, int64_t incident, int dir, wr_event_cb cb, void *ctx,
                            long *n, int *stopped, wr_error *err)
{
    int rc;
    int64_t prev = 0;
    *n = 0;
    *stopped = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(s, 0);
        int in_order = !*n || (dir > 0 ? seq > prev : seq < prev);
        prev = seq;
        if (sqlite3_column_int(s, 12) != 1 || !in_order || (incident && sqlite3_column_int64(s, 2) != incident)) {
            char doing[96];
            snprintf(doing, sizeof doing, "reading event #%lld of the log", (long long)sqlite3_column_int64(s, 0));
            sqlite3_reset(s);
            return wr_store_damaged_error(st->path, err, doing);
        }
        wr_event ev = {0};
        ev.seq = sqlite3_column_int64(s, 0);
        snprintf(ev.uid, sizeof ev.uid, "%s", (const char *)sqlite3_column_text(s, 1));
        ev.incident = sqlite3_column_int64(s, 2);
        ev.occurred_at = sqlite3_column_int64(s, 3);
        ev.recorded_at = sqlite3_column_int64(s, 4);
        ev.actor = wr_st_col_text(s, 5);
        ev.os_user = wr_st_col_text(s, 6);
        ev.origin = wr_st_col_text(s, 7);
        ev.source = wr_st_col_text(s, 8);
        ev.kind = wr_st_col_text(s, 9);
        ev.payload = wr_st_col_text(s, 10);
        ev.pinned = sqlite3_column_int(s, 11);
        (*n)++;
        int stop = cb(&ev, ctx);
        wr_event_clear(&ev);
        if (stop) {
            *stopped = 1;
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return wr_st_read_error(st, rc, err, "reading the event log");
    return WR_OK;
}

/* An incident's events are read through the index events_incident. A damaged key inside that index can end,
 * start or bend an index scan with no error from SQLite (an index keeps whole keys in its interior pages, and
 * a key overwritten with another plausible one sends the scan elsewhere), so a timeline would come out short
 * or start at the wrong place and look whole. So the events of the range a read covered are counted a second
 * way, through the table itself (NOT INDEXED: the rowid b-tree, a range scan over seq), in the same read
 * transaction: a different count is damage. The range is what the read saw: from its start to its last event,
 * or to the end of the log when it came to its natural end. Its cost is the part of the log it covered. */
static wr_status check_whole(wr_store *st, int64_t incident, int64_t lo, int64_t hi, long n, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT count(*) FROM events NOT INDEXED WHERE incident = ?1"
                                     " AND seq >= ?2 AND seq <= ?3");
    sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, lo);
    sqlite3_bind_int64(s, 3, hi);
    int rc = sqlite3_step(s);
    int64_t count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return wr_st_read_error(st, rc, err, "counting the events of an incident");
    if (count != n) {
        char doing[128];
        snprintf(doing, sizeof doing, "reading the log of incident %lld (%ld events found by its index, %lld in "
                 "the log)", (long long)incident, n, (long long)count);
        return wr_store_damaged_error(st->path, err, doing);
    }
    return WR_OK;
}

/* Hands the events on to the caller's callback, noting the last seq seen. */
typedef struct seen {
    wr_event_cb cb;
    void *ctx;
    int64_t last;
} seen;

static int seen_cb(const wr_event *ev, void *ctx)
{
    seen *v = ctx;
    v->last = ev->seq;
    return v->cb(ev, v->ctx);
}

/* A read and its check see one snapshot: inside the caller's transaction, or in one of their own (1: commit it
 * after). */
static int read_snapshot(wr_store *st)
{
    return sqlite3_get_autocommit(st->db) && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

/* One incident's events after `from` (dir 1, rising seq) or before it (dir -1, falling), checked whole. */
static wr_status incident_events(wr_store *st, sqlite3_stmt *s, int64_t incident, int dir, int64_t from,
                                 int limit, wr_event_cb cb, void *ctx, wr_error *err)
{
    int own = read_snapshot(st);
    long n = 0;
    int stopped = 0;
    seen v = {cb, ctx, 0};
    wr_status r = run_events(st, s, incident, dir, seen_cb, &v, &n, &stopped, err);
    if (r == WR_OK) {
        int ended = !stopped && (limit <= 0 || n < limit); /* it met the end of the incident's events */
        int64_t reached = ended || !n ? (dir > 0 ? INT64_MAX : INT64_MIN) : v.last;
        r = dir > 0 ? check_whole(st, incident, from + 1, reached, n, err)
                    : check_whole(st, incident, reached, from - 1, n, err);
    }
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return r;
}

wr_status wr_store_events_after(wr_store *st, int64_t incident, int64_t after_seq, int limit, wr_event_cb cb,
                                void *ctx, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s;
    if (!incident) {
        s = wr_st_stmt(st, "SELECT " EVENT_COLS "FROM events e WHERE e.seq > ?2 ORDER BY e.seq LIMIT ?3");
        sqlite3_bind_int64(s, 2, after_seq);
        sqlite3_bind_int(s, 3, limit > 0 ? limit : -1);
        long n;
        int stopped;
        return run_events(st, s, 0, 1, cb, ctx, &n, &stopped, err);
    }
    s = wr_st_stmt(st, "SELECT " EVENT_COLS "FROM events e WHERE e.incident = ?1 AND e.seq > ?2 "
                       "ORDER BY e.seq LIMIT ?3");
    sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, after_seq);
    sqlite3_bind_int(s, 3, limit > 0 ? limit : -1);
    return incident_events(st, s, incident, 1, after_seq, limit, cb, ctx, err);
}

wr_status wr_store_events_before(wr_store *st, int64_t incident, int64_t before_seq, int limit, wr_event_cb cb,
                                 void *ctx, wr_error *err)
{
    wr_st_read_begin(st);
    int64_t hi = before_seq > 0 ? before_seq : INT64_MAX;
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT " EVENT_COLS "FROM events e WHERE e.incident = ?1 AND e.seq < ?2 "
                                     "ORDER BY e.seq DESC LIMIT ?3");
    sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, hi);
    sqlite3_bind_int(s, 3, limit > 0 ? limit : -1);
    return incident_events(st, s, incident, -1, hi, limit, cb, ctx, err);
}

wr_status wr_store_event_count(wr_store *st, int64_t incident, int64_t *count, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT count(*) FROM events WHERE incident = ?1");
    sqlite3_bind_int64(s, 1, incident);
    int rc = sqlite3_step(s);
    *count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? WR_OK : wr_st_read_error(st, rc, err, "counting events");
}

/* Per-incident entry numbers, derived: events are append-only and seq grows with every commit (the write lock
 * orders them), so an event's rank among its incident's events never changes once it is written. The rank is
 * counted two ways in one snapshot, as check_whole does for a read: through the index events_incident (a
 * damaged key in one of its leaves changes that count with no error from SQLite, and every number printed
 * from it would be wrong and look right: `pin N` would pin another entry) and through the table itself (NOT
 * INDEXED: a rowid range scan from the incident's declaration, found through the uid index, to the event).
 * Different counts are damage. The second count costs a scan of the log from the incident's start to the
 * event, once per read (callers count on from there): docs/BENCHMARKS.md, "Per-incident entry numbers". */
static wr_status rank_checked(wr_store *st, int64_t incident, int64_t seq, int64_t *n, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st,
        "SELECT EXISTS (SELECT 1 FROM events WHERE seq = ?2 AND incident = ?1),"
        " (SELECT count(*) FROM events WHERE incident = ?1 AND seq <= ?2),"
        " (SELECT count(*) FROM events NOT INDEXED WHERE incident = ?1 AND seq <= ?2 AND seq >= coalesce("
        "   (SELECT e.seq FROM incidents i JOIN events e ON e.uid = i.uid WHERE i.id = ?1 AND e.incident = ?1), 0))");
    sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, seq);
    int rc = sqlite3_step(s);
    int exists = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
    int64_t by_index = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
    int64_t by_table = rc == SQLITE_ROW ? sqlite3_column_int64(s, 2) : 0;
    sqlite3_reset(s);
    *n = 0;
    if (rc != SQLITE_ROW)
        return wr_st_read_error(st, rc, err, "numbering the timeline");
    if (!exists)
        return WR_OK;
    if (by_index != by_table) {
        char doing[160];
        snprintf(doing, sizeof doing, "numbering event #%lld of incident %lld (entry #%lld by its index, #%lld in "
                 "the log)", (long long)seq, (long long)incident, (long long)by_index, (long long)by_table);
        return wr_store_damaged_error(st->path, err, doing);
    }
    *n = by_table;
    return WR_OK;
}

wr_status wr_store_entry_number(wr_store *st, int64_t incident, int64_t seq, int64_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    int own = read_snapshot(st);
    wr_status r = rank_checked(st, incident, seq, n, err);
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return r;
}

/* Entry n's seq: found through the index (fast), then its rank checked both ways in the same snapshot, so a
 * damaged index key never turns `pin 5` into a pin of another entry. */
wr_status wr_store_entry_seq(wr_store *st, int64_t incident, int64_t n, int64_t *seq, wr_error *err)
{
    *seq = 0;
    if (n <= 0)
        return WR_OK;
    wr_st_read_begin(st);
    int own = read_snapshot(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT seq FROM events WHERE incident = ?1 ORDER BY seq LIMIT 1 OFFSET ?2");
    sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, n - 1);
    int rc = sqlite3_step(s);
    int64_t found = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    wr_status r = WR_OK;
    int64_t rank = 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = wr_st_read_error(st, rc, err, "numbering the timeline");
    else if (found && (r = rank_checked(st, incident, found, &rank, err)) == WR_OK && rank != n) {
        char doing[128];
        snprintf(doing, sizeof doing, "finding entry #%lld of incident %lld (its index gives event #%lld, entry "
                 "#%lld in the log)", (long long)n, (long long)incident, (long long)found, (long long)rank);
        r = wr_store_damaged_error(st->path, err, doing);
    }
    if (r == WR_OK)
        *seq = found;
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return r;
}
