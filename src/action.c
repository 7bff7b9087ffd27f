/* SPDX-License-Identifier: MIT */
/* action.c - action items: operations, event application, reads. */
#include "kinds_int.h"

#include "warroom/action.h"
#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char wr_schema_action_v1[] =
    "CREATE TABLE actions("
    "  incident INTEGER NOT NULL, n INTEGER NOT NULL, title TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '',"
    "  due TEXT NOT NULL DEFAULT '', type TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open',"
    "  reason TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY (incident, n));";

const char *const wr_action_types[3] = {"detective", "preventive", "corrective"};
const char *const wr_action_states[3] = {"open", "done", "wont-do"};

static int in3(const char *s, const char *const *v)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, v[i]) == 0)
            return 1;
    return 0;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

wr_status wr_op_action_add(const wr_opctx *c, int64_t inc, const char *title, const char *owner, const char *due,
                           const char *type, wr_write *w, wr_error *err)
{
    if (!title || blank(title))
        return wr_error_set(err, WR_E_INVALID, "an action item needs a title");
    if (strlen(title) > 500)
        return wr_error_set(err, WR_E_INVALID, "the title is too long (at most 500 bytes)");
    if (owner && *owner && !wr_actor_valid_name(owner))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a valid operator name (1-64 printable characters)",
                            owner);
    int64_t ms;
    if (due && *due && (strlen(due) != 10 || wr_time_parse(due, &ms) != 0))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a due date: write it as YYYY-MM-DD", due);
    if (!type)
        type = "corrective";
    if (!in3(type, wr_action_types)) {
        const char *s = wr_suggest(type, wr_action_types, 3);
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an action type%s%s%s: detective, preventive or "
                                               "corrective", type, s ? " (did you mean " : "", s ? s : "",
                            s ? "?)" : "");
    }
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "title", title);
    wr_json_kv_str(&p, "owner", owner ? owner : "");
    wr_json_kv_str(&p, "due", due ? due : "");
    wr_json_kv_str(&p, "type", type);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "action.added", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("action item on INC-%lld", (long long)inc);
    return WR_OK;
}

wr_status wr_op_action_state(const wr_opctx *c, int64_t inc, int64_t n, const char *verb, const char *reason,
                             wr_write *w, wr_error *err)
{
    const char *state = NULL;
    if (verb && strcmp(verb, "done") == 0)
        state = "done";
    else if (verb && (strcmp(verb, "wontdo") == 0 || strcmp(verb, "wont-do") == 0))
        state = "wont-do";
    else if (verb && strcmp(verb, "reopen") == 0)
        state = "open";
    if (!state)
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an action change: done, wontdo or reopen",
                            verb ? verb : "");
    if (n <= 0)
        return wr_error_set(err, WR_E_INVALID, "name the action item by its number (as `action list` shows)");
    if (strcmp(state, "wont-do") == 0 && (!reason || blank(reason)))
        return wr_error_set(err, WR_E_INVALID, "won't do needs a reason: add --reason TEXT");
    if (reason && strlen(reason) > WR_REASON_MAX)
        return wr_error_set(err, WR_E_INVALID, "the reason is too long (%zu bytes; at most %d)", strlen(reason),
                            WR_REASON_MAX);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "n", n);
    wr_json_kv_str(&p, "new", state);
    if (reason && *reason)
        wr_json_kv_str(&p, "reason", reason);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "action.changed", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("action item %lld on INC-%lld", (long long)n, (long long)inc);
    return WR_OK;
}

/* ---- application ---- */

static wr_status fail(wr_store *st, wr_error *err)
{
    return wr_st_error(st, sqlite3_errcode(st->db), err, "recording an action item");
}

static wr_status touch(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    if (wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
        return fail(st, err);
    if (sqlite3_changes(st->db) == 0)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)w->incident);
    return WR_OK;
}

static void payload_set(wr_store *st, wr_write *w, const char *path, sqlite3_int64 num, const char *text)
{
    sqlite3_stmt *js = wr_st_stmt(st, "SELECT json_set(?1, ?2, coalesce(?4, ?3))");
    wr_st_bind_text(js, 1, w->payload);
    wr_st_bind_text(js, 2, path);
    sqlite3_bind_int64(js, 3, num);
    wr_st_bind_text(js, 4, text);
    if (sqlite3_step(js) == SQLITE_ROW) {
        free(w->payload);
        w->payload = wr_st_col_text(js, 0);
    }
    sqlite3_reset(js);
}

static wr_status apply_added(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = touch(st, w, seq, at, err);
    if (r != WR_OK)
        return r;
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(n), 0) + 1 FROM actions WHERE incident = ?1");
    sqlite3_bind_int64(s, 1, w->incident);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (!n)
        return fail(st, err);
    s = wr_st_stmt(st, "INSERT INTO actions(incident, n, title, owner, due, type, created_by, created_at,"
                       " updated_by, updated_at, seq) VALUES (?1, ?2, json_extract(?3, '$.title'),"
                       " coalesce(json_extract(?3, '$.owner'), ''), coalesce(json_extract(?3, '$.due'), ''),"
                       " coalesce(json_extract(?3, '$.type'), 'corrective'), ?4, ?5, ?4, ?5, ?6)");
    sqlite3_bind_int64(s, 1, w->incident);
    sqlite3_bind_int64(s, 2, n);
    wr_st_bind_text(s, 3, w->payload);
    wr_st_bind_text(s, 4, w->actor);
    sqlite3_bind_int64(s, 5, at);
    sqlite3_bind_int64(s, 6, seq);
    if (wr_st_step(s) != SQLITE_OK)
        return fail(st, err);
    payload_set(st, w, "$.n", n, NULL);
    w->result_id = n;
    return WR_OK;
}

static wr_status apply_changed(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = touch(st, w, seq, at, err);
    if (r != WR_OK)
        return r;
    int64_t n = wr_st_json_int(st, w->payload, "$.n", 0);
    char *state = wr_st_json_get(st, w->payload, "$.new");
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT state, updated_by, updated_at FROM actions WHERE incident = ?1 AND"
                                     " n = ?2");
    sqlite3_bind_int64(s, 1, w->incident);
    sqlite3_bind_int64(s, 2, n);
    int found = sqlite3_step(s) == SQLITE_ROW;
    char *old = found ? wr_st_col_text(s, 0) : NULL;
    char *by = found ? wr_st_col_text(s, 1) : NULL;
    char t[16];
    if (found)
        wr_time_hms(sqlite3_column_int64(s, 2), t, sizeof t);
    sqlite3_reset(s);
    if (!state || !in3(state, wr_action_states))
        r = wr_error_set(err, WR_E_INVALID, "malformed action event");
    else if (!found)
        r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no action item %lld (`action list` shows them)",
                         (long long)w->incident, (long long)n);
    else if (strcmp(old, state) == 0)
        r = wr_error_set(err, WR_E_CONFLICT, "action item %lld is already %s (%s at %s UTC); nothing changed",
                         (long long)n, state, by, t);
    if (r == WR_OK) {
        s = wr_st_stmt(st, "UPDATE actions SET state = ?3, reason = coalesce(json_extract(?4, '$.reason'), ''),"
                           " updated_by = ?5, updated_at = ?6, seq = ?7 WHERE incident = ?1 AND n = ?2");
        sqlite3_bind_int64(s, 1, w->incident);
        sqlite3_bind_int64(s, 2, n);
        wr_st_bind_text(s, 3, state);
        wr_st_bind_text(s, 4, w->payload);
        wr_st_bind_text(s, 5, w->actor);
        sqlite3_bind_int64(s, 6, at);
        sqlite3_bind_int64(s, 7, seq);
        if (wr_st_step(s) != SQLITE_OK)
            r = fail(st, err);
        else
            wr_st_payload_set(st, w, "$.old", old);
    }
    free(state);
    free(old);
    free(by);
    return r;
}


/* ---- reads ---- */

wr_status wr_actions_list(wr_store *st, int64_t inc, wr_action **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT n, title, owner, due, type, state, reason, created_by, updated_by,"
                                     " created_at, updated_at FROM actions WHERE incident = ?1 ORDER BY n");
    sqlite3_bind_int64(s, 1, inc);
    wr_action *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_action *a = &v[cnt++];
        a->n = sqlite3_column_int64(s, 0);
        a->title = wr_st_col_text(s, 1);
        a->owner = wr_st_col_text(s, 2);
        a->due = wr_st_col_text(s, 3);
        a->type = wr_st_col_text(s, 4);
        a->state = wr_st_col_text(s, 5);
        a->reason = wr_st_col_text(s, 6);
        a->created_by = wr_st_col_text(s, 7);
        a->updated_by = wr_st_col_text(s, 8);
        a->created_at = sqlite3_column_int64(s, 9);
        a->updated_at = sqlite3_column_int64(s, 10);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_actions_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading action items");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_actions_free(wr_action *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].title);
        free(v[i].owner);
        free(v[i].due);
        free(v[i].type);
        free(v[i].state);
        free(v[i].reason);
        free(v[i].created_by);
        free(v[i].updated_by);
    }
    free(v);
}

wr_status wr_actions_json(wr_store *st, int64_t inc, char **json, wr_error *err)
{
    wr_action *v;
    size_t n;
    wr_status r = wr_actions_list(st, inc, &v, &n, err);
    if (r != WR_OK)
        return r;
    wr_buf b = {0};
    wr_buf_putc(&b, '[');
    char t1[40], t2[40];
    for (size_t i = 0; i < n; i++) {
        if (i)
            wr_buf_putc(&b, ',');
        wr_buf_putc(&b, '{');
        wr_json_kv_int(&b, "n", v[i].n);
        wr_json_kv_str(&b, "title", v[i].title);
        wr_json_kv_str(&b, "owner", v[i].owner);
        wr_json_kv_str(&b, "due", v[i].due);
        wr_json_kv_str(&b, "type", v[i].type);
        wr_json_kv_str(&b, "state", v[i].state);
        wr_json_kv_str(&b, "reason", v[i].reason);
        wr_json_kv_str(&b, "created_by", v[i].created_by);
        wr_json_kv_str(&b, "created_at", wr_time_iso(v[i].created_at, t1, sizeof t1));
        wr_json_kv_str(&b, "updated_by", v[i].updated_by);
        wr_json_kv_str(&b, "updated_at", wr_time_iso(v[i].updated_at, t2, sizeof t2));
        wr_buf_putc(&b, '}');
    }
    wr_buf_putc(&b, ']');
    wr_actions_free(v, n);
    *json = wr_buf_steal(&b);
    return WR_OK;
}

static void describe_action(const wr_event *ev, wr_buf *out)
{
    int added = wr_ev_is(ev->kind, WR_EV_ACTION_ADDED);
    char *n = wr_event_payload_str(ev->payload, "n");
    if (added) {
        char *title = wr_event_payload_str(ev->payload, "title");
        char *type = wr_event_payload_str(ev->payload, "type");
        char *owner = wr_event_payload_str(ev->payload, "owner");
        char *due = wr_event_payload_str(ev->payload, "due");
        wr_buf_printf(out, "action item %s (%s): %s", n ? n : "?", type ? type : "?", title ? title : "");
        if (owner && *owner)
            wr_buf_printf(out, "; owner %s", owner);
        if (due && *due)
            wr_buf_printf(out, "; due %s", due);
        free(title);
        free(type);
        free(owner);
        free(due);
    } else {
        char *nw = wr_event_payload_str(ev->payload, "new");
        char *old = wr_event_payload_str(ev->payload, "old");
        char *reason = wr_event_payload_str(ev->payload, "reason");
        wr_buf_printf(out, "action item %s: %s -> %s", n ? n : "?", old ? old : "?", nw ? nw : "?");
        if (reason && *reason)
            wr_buf_printf(out, " (%s)", reason);
        free(nw);
        free(old);
        free(reason);
    }
    free(n);
}

WR_KIND_REQUIRE(check_added, "$.title")
WR_KIND_REQUIRE(check_changed, "$.n", "$.new")

const wr_kind_module wr_kinds_action = {
    "action",
    (const wr_event_kind[]){
        {"action.added", check_added, apply_added, describe_action},
        {"action.changed", check_changed, apply_changed, describe_action},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM actions;",
};
