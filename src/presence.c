/* presence.c - who has a console open, and on which incident. */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/presence.h"

#include <stdlib.h>
#include <string.h>

/* Presence is not history: who has a console open now. */
const char wr_schema_presence_v1[] =
    "CREATE TABLE presence("
    "  session TEXT PRIMARY KEY, actor TEXT NOT NULL, os_user TEXT NOT NULL, origin TEXT NOT NULL,"
    "  host TEXT NOT NULL, incident INTEGER NOT NULL DEFAULT 0, since INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL);";

typedef struct beat {
    const char *session;
    const wr_actor *actor;
    int64_t incident;
    int64_t now;
} beat;

static int beat_body(wr_store *st, void *ctx)
{
    beat *b = ctx;
    sqlite3_stmt *s = wr_st_stmt(st, "INSERT INTO presence(session, actor, os_user, origin, host, incident, since,"
                                     " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT(session) DO"
                                     " UPDATE SET incident = excluded.incident, last_seen = excluded.last_seen");
    sqlite3_bind_text(s, 1, b->session, -1, SQLITE_STATIC);
    wr_st_bind_text(s, 2, b->actor->name);
    wr_st_bind_text(s, 3, b->actor->os_user);
    wr_st_bind_text(s, 4, b->actor->origin);
    wr_st_bind_text(s, 5, b->actor->host);
    sqlite3_bind_int64(s, 6, b->incident);
    sqlite3_bind_int64(s, 7, b->now);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return rc;
    /* Sweep sessions long gone so the table stays small. */
    s = wr_st_stmt(st, "DELETE FROM presence WHERE last_seen < ?1");
    sqlite3_bind_int64(s, 1, b->now - 24 * 3600 * 1000LL);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

wr_status wr_presence_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                           int wait_ms, wr_error *err)
{
    beat b = {session, actor, incident, wr_clock_now_ms()};
    return wr_st_write(st, wait_ms, beat_body, &b, err, "recording presence");
}

static int leave_body(wr_store *st, void *ctx)
{
    sqlite3_stmt *s = wr_st_stmt(st, "DELETE FROM presence WHERE session = ?1");
    sqlite3_bind_text(s, 1, ctx, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

wr_status wr_presence_leave(wr_store *st, const char *session, int wait_ms, wr_error *err)
{
    return wr_st_write(st, wait_ms, leave_body, (void *)session, err, "leaving the war room");
}

wr_status wr_presence_list(wr_store *st, int64_t incident, wr_presence **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT session, actor, os_user, origin, host, incident, since, last_seen"
                                     " FROM presence WHERE last_seen >= ?1 AND (?2 = 0 OR incident = ?2)"
                                     " ORDER BY since");
    sqlite3_bind_int64(s, 1, wr_clock_now_ms() - WR_PRESENCE_TIMEOUT_MS);
    sqlite3_bind_int64(s, 2, incident);
    wr_presence *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_presence *p = &v[cnt++];
        p->session = wr_st_col_text(s, 0);
        p->actor = wr_st_col_text(s, 1);
        p->os_user = wr_st_col_text(s, 2);
        p->origin = wr_st_col_text(s, 3);
        p->host = wr_st_col_text(s, 4);
        p->incident = sqlite3_column_int64(s, 5);
        p->since = sqlite3_column_int64(s, 6);
        p->last_seen = sqlite3_column_int64(s, 7);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_presence_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading who is here");
    }
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
