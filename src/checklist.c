/* SPDX-License-Identifier: MIT */
/* checklist.c - attached runbooks and step states: operations, event application and reads. */
#include "kinds_int.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

const char wr_schema_checklist_v1[] =
    "CREATE TABLE attached("
    "  incident INTEGER NOT NULL, runbook TEXT NOT NULL, title TEXT NOT NULL, version INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL, content TEXT NOT NULL, attached_at INTEGER NOT NULL, attached_by TEXT NOT NULL,"
    "  seq INTEGER NOT NULL, PRIMARY KEY (incident, runbook));"
    "CREATE TABLE steps("
    "  incident INTEGER NOT NULL, runbook TEXT NOT NULL, step TEXT NOT NULL, title TEXT NOT NULL,"
    "  phase TEXT NOT NULL, phase_index INTEGER NOT NULL, ord INTEGER NOT NULL, mandatory INTEGER NOT NULL,"
    "  role TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'todo', owner TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL DEFAULT '', updated_by TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL,"
    "  notes INTEGER NOT NULL DEFAULT 0,"
    "  seq INTEGER NOT NULL, PRIMARY KEY (incident, runbook, step));";

/* ---- operations ---- */

wr_status wr_op_attach(const wr_opctx *c, int64_t inc, const wr_runbook *rb, wr_write *w, wr_error *err)
{
    (void)err;
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "runbook", rb->id);
    wr_json_kv_str(&p, "title", rb->title);
    wr_json_kv_int(&p, "version", rb->version);
    wr_json_kv_str(&p, "sha256", rb->sha256);
    wr_json_key(&p, "steps");
    wr_buf_putc(&p, '[');
    for (size_t i = 0; i < rb->nsteps; i++) {
        const wr_rb_step *s = &rb->steps[i];
        if (i)
            wr_buf_putc(&p, ',');
        wr_buf_putc(&p, '{');
        wr_json_kv_str(&p, "id", s->id);
        wr_json_kv_str(&p, "title", s->title);
        wr_json_kv_str(&p, "phase", wr_phase_name(s->phase));
        wr_json_kv_int(&p, "phase_index", (long long)s->phase);
        wr_json_kv_str(&p, "role", s->role ? s->role : "");
        wr_json_kv_int(&p, "mandatory", s->mandatory);
        wr_buf_putc(&p, '}');
    }
    wr_buf_putc(&p, ']');
    char *content = wr_runbook_to_json(rb);
    wr_json_key(&p, "content");
    wr_buf_puts(&p, content);
    free(content);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "runbook.attached", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("attaching %s to INC-%lld", rb->id, (long long)inc);
    return WR_OK;
}

const char *const wr_step_state_names[WR_STEP_NSTATES] = {WR_STEP_TODO, WR_STEP_IN_PROGRESS, WR_STEP_DONE,
                                                          WR_STEP_SKIPPED, WR_STEP_BLOCKED};

wr_step_state wr_step_state_of(const char *name)
{
    for (int i = 0; name && i < WR_STEP_NSTATES; i++)
        if (strcmp(name, wr_step_state_names[i]) == 0)
            return (wr_step_state)i;
    return WR_STEP_STATE_UNKNOWN;
}

int wr_step_state_finished(wr_step_state s)
{
    return s == WR_STEP_STATE_DONE || s == WR_STEP_STATE_SKIPPED;
}

static const struct {
    const char *action, *state;
    int needs_reason;
} actions[] = {
    {"done", WR_STEP_DONE, 0},     {"skip", WR_STEP_SKIPPED, 1}, {"block", WR_STEP_BLOCKED, 1},
    {"start", WR_STEP_IN_PROGRESS, 0}, {"todo", WR_STEP_TODO, 0},
};

wr_status wr_op_step(const wr_opctx *c, int64_t inc, const char *runbook, const char *step, const char *action,
                     const char *reason, wr_write *w, wr_error *err)
{
    size_t i;
    for (i = 0; i < WR_ARRAY_LEN(actions); i++)
        if (strcmp(actions[i].action, action) == 0)
            break;
    if (i == WR_ARRAY_LEN(actions))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a step action: use done, skip, block, start or todo",
                            action);
    if (actions[i].needs_reason && (!reason || !*reason))
        return wr_error_set(err, WR_E_INVALID, "%s needs a reason: add --reason TEXT", action);
    if (reason && strlen(reason) > WR_REASON_MAX)
        return wr_error_set(err, WR_E_INVALID, "the reason is too long (%zu bytes; at most %d)", strlen(reason),
                            WR_REASON_MAX);
    if (!step || !*step)
        return wr_error_set(err, WR_E_INVALID, "name the step by its id");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    if (runbook)
        wr_json_kv_str(&p, "runbook", runbook);
    wr_json_kv_str(&p, "step", step);
    wr_json_kv_str(&p, "new", actions[i].state);
    if (reason && *reason)
        wr_json_kv_str(&p, "reason", reason);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "step.changed", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("step %.64s %s on INC-%lld", step, action, (long long)inc);
    return WR_OK;
}

wr_status wr_op_step_assign(const wr_opctx *c, int64_t inc, const char *runbook, const char *step,
                            const char *user, wr_write *w, wr_error *err)
{
    int clear = !user || !*user || strcmp(user, "-") == 0;
    if (!clear && !wr_actor_valid_name(user))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not a valid operator name", user);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    if (runbook)
        wr_json_kv_str(&p, "runbook", runbook);
    wr_json_kv_str(&p, "step", step);
    wr_json_kv_str(&p, "owner", clear ? "" : user);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "step.assigned", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("step %.64s owner on INC-%lld", step, (long long)inc);
    return WR_OK;
}

wr_status wr_op_step_note(const wr_opctx *c, int64_t inc, const char *runbook, const char *step, const char *text,
                          wr_write *w, wr_error *err)
{
    if (!text || !*text)
        return wr_error_set(err, WR_E_INVALID, "write the note's text");
    if (strlen(text) > 16384)
        return wr_error_set(err, WR_E_INVALID, "the note is too long (at most 16384 bytes)");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    if (runbook)
        wr_json_kv_str(&p, "runbook", runbook);
    wr_json_kv_str(&p, "step", step);
    wr_json_kv_str(&p, "text", text);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "step.note", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("note on step %.64s of INC-%lld", step, (long long)inc);
    return WR_OK;
}

/* ---- application (inside the write transaction) ---- */

static wr_status apply_attach(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    char *rb = wr_st_json_get(st, w->payload, "$.runbook");
    wr_status r = WR_OK;
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT a.version, a.sha256, e.actor FROM attached a JOIN events e ON"
                                     " e.seq = a.seq WHERE a.incident = ?1 AND a.runbook = ?2");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, rb);
    if (sqlite3_step(s) == SQLITE_ROW) {
        r = wr_error_set(err, WR_E_CONFLICT, "runbook %s (version %lld) is already attached to INC-%lld (by %s)",
                         rb, (long long)sqlite3_column_int64(s, 0), (long long)w->incident,
                         (const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_reset(s);
    if (r == WR_OK) {
        s = wr_st_stmt(st, "INSERT INTO attached(incident, runbook, title, version, sha256, content, attached_at,"
                           " attached_by, seq) SELECT ?1, json_extract(?2, '$.runbook'), json_extract(?2,"
                           " '$.title'), json_extract(?2, '$.version'), json_extract(?2, '$.sha256'),"
                           " json_extract(?2, '$.content'), ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM incidents"
                           " WHERE id = ?1)");
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, w->payload);
        sqlite3_bind_int64(s, 3, at);
        wr_st_bind_text(s, 4, w->actor);
        sqlite3_bind_int64(s, 5, seq);
        if (wr_st_step(s) != SQLITE_OK)
            r = wr_st_error(st, sqlite3_errcode(st->db), err, "attaching a runbook");
        else if (sqlite3_changes(st->db) == 0)
            r = wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)w->incident);
    }
    if (r == WR_OK) {
        s = wr_st_stmt(st, "INSERT INTO steps(incident, runbook, step, title, phase, phase_index, ord, mandatory,"
                           " role, updated_at, seq) SELECT ?1, ?2, json_extract(j.value, '$.id'),"
                           " json_extract(j.value, '$.title'), json_extract(j.value, '$.phase'),"
                           " json_extract(j.value, '$.phase_index'), j.key, json_extract(j.value, '$.mandatory'),"
                           " json_extract(j.value, '$.role'), ?3, ?4 FROM json_each(?5, '$.steps') j");
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, rb);
        sqlite3_bind_int64(s, 3, at);
        sqlite3_bind_int64(s, 4, seq);
        wr_st_bind_text(s, 5, w->payload);
        if (wr_st_step(s) != SQLITE_OK)
            r = wr_st_error(st, sqlite3_errcode(st->db), err, "attaching a runbook");
    }
    if (r == WR_OK && wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
        r = wr_st_error(st, sqlite3_errcode(st->db), err, "attaching a runbook");
    free(rb);
    return r;
}

/* Find the step: (runbook, step) or a step id unique in the incident. Sets *runbook (malloc'd). */
static wr_status find_step(wr_store *st, int64_t inc, const char *runbook, const char *step, char **rb_out,
                           wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT runbook FROM steps WHERE incident = ?1 AND step = ?2 AND"
                                     " (?3 IS NULL OR runbook = ?3) ORDER BY runbook");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, step);
    wr_st_bind_text(s, 3, runbook);
    int n = 0;
    wr_buf all = {0};
    char *first = NULL;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (!n)
            first = wr_st_col_text(s, 0);
        wr_buf_printf(&all, "%s%s/%s", n ? ", " : "", (const char *)sqlite3_column_text(s, 0), step);
        n++;
    }
    sqlite3_reset(s);
    wr_status r = WR_OK;
    if (n == 0) {
        sqlite3_stmt *any = wr_st_stmt(st, "SELECT count(*) FROM attached WHERE incident = ?1");
        sqlite3_bind_int64(any, 1, inc);
        int attached = sqlite3_step(any) == SQLITE_ROW ? sqlite3_column_int(any, 0) : 0;
        sqlite3_reset(any);
        if (!attached)
            r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no runbook attached: attach one with "
                                                 "`runbook attach RUNBOOK`", (long long)inc);
        else
            r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no step \"%s\"%s%s (`warroom show` lists the "
                                                 "checklist)", (long long)inc, step, runbook ? " in runbook " : "",
                             runbook ? runbook : "");
        free(first);
    } else if (n > 1) {
        r = wr_error_set(err, WR_E_INVALID, "step \"%s\" is in several runbooks (%s): write RUNBOOK/STEP", step,
                         wr_buf_str(&all));
        free(first);
    } else {
        *rb_out = first;
    }
    wr_buf_free(&all);
    return r;
}

static wr_status apply_step(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    char *given = wr_st_json_get(st, w->payload, "$.runbook");
    char *step = wr_st_json_get(st, w->payload, "$.step");
    char *rb = NULL;
    int assign = wr_ev_is(w->kind, WR_EV_STEP_ASSIGNED);
    wr_status r = step ? find_step(st, w->incident, given, step, &rb, err)
                       : wr_error_set(err, WR_E_INVALID, "malformed step event");
    if (r != WR_OK)
        goto out;
    if (wr_ev_is(w->kind, WR_EV_STEP_NOTE)) {
        sqlite3_stmt *n = wr_st_stmt(st, "UPDATE steps SET notes = notes + 1 WHERE incident = ?1 AND runbook = ?2"
                                         " AND step = ?3");
        sqlite3_bind_int64(n, 1, w->incident);
        wr_st_bind_text(n, 2, rb);
        wr_st_bind_text(n, 3, step);
        if (wr_st_step(n) != SQLITE_OK || wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
            r = wr_st_error(st, sqlite3_errcode(st->db), err, "writing a step note");
        else
            wr_st_payload_set(st, w, "$.runbook", rb);
        goto out;
    }
    const char *col_new = assign ? "$.owner" : "$.new";
    char *value = wr_st_json_get(st, w->payload, col_new);
    if (!value)
        value = wr_xstrdup("");
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT state, owner, updated_by, updated_at FROM steps WHERE incident = ?1"
                                     " AND runbook = ?2 AND step = ?3");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, rb);
    wr_st_bind_text(s, 3, step);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        free(value);
        r = wr_st_read_error(st, sqlite3_errcode(st->db), err, "reading a step");
        goto out;
    }
    char *old = wr_st_col_text(s, assign ? 1 : 0);
    char *by = wr_st_col_text(s, 2);
    char t[16];
    wr_time_hms(sqlite3_column_int64(s, 3), t, sizeof t);
    sqlite3_reset(s);
    /* Intent: the state the operator saw (a tick sends "todo -> done", not "toggle"). */
    char *expect = assign ? NULL : wr_st_json_get(st, w->payload, "$.expect");
    if (strcmp(old, value) == 0) {
        if (assign)
            r = wr_error_set(err, WR_E_CONFLICT, "step %s is already %s%s", step, *value ? "owned by " : "without owner",
                             value);
        else
            r = wr_error_set(err, WR_E_CONFLICT, "step %s is already %s: %s did it at %s UTC", step, value,
                             *by ? by : "someone", t);
    } else if (expect && strcmp(old, expect) != 0) {
        r = wr_error_set(err, WR_E_CONFLICT, "step %s is now %s (%s changed it at %s UTC), not %s as you saw it; "
                         "nothing changed: look again", step, old, *by ? by : "someone", t, expect);
    } else if ((r = wr_policy_check(st, w, WR_ACT_STEP, 1, err)) != WR_OK) {
        /* not this operator's to do (the policy) */
    } else {
        s = assign ? wr_st_stmt(st, "UPDATE steps SET owner = ?4, seq = ?5 WHERE incident = ?1 AND runbook = ?2"
                                    " AND step = ?3")
                   : wr_st_stmt(st, "UPDATE steps SET state = ?4, reason = coalesce(json_extract(?6, '$.reason'),"
                                    " ''), updated_by = ?7, updated_at = ?8, seq = ?5 WHERE incident = ?1 AND"
                                    " runbook = ?2 AND step = ?3");
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, rb);
        wr_st_bind_text(s, 3, step);
        wr_st_bind_text(s, 4, value);
        sqlite3_bind_int64(s, 5, seq);
        if (!assign) {
            wr_st_bind_text(s, 6, w->payload);
            wr_st_bind_text(s, 7, w->actor);
            sqlite3_bind_int64(s, 8, at);
        }
        int rc = wr_st_step(s);
        if (rc != SQLITE_OK || wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK) {
            r = wr_st_error(st, sqlite3_errcode(st->db), err, "changing a step");
        } else {
            /* Record which runbook and the old value in the event itself. */
            wr_st_payload_set(st, w, "$.runbook", rb);
            wr_st_payload_set(st, w, "$.old", old);
        }
    }
    free(old);
    free(by);
    free(value);
    free(expect);
out:
    free(given);
    free(step);
    free(rb);
    return r;
}

/* Mandatory steps still open in phases up to and including `phase_index`: a list "runbook/step, ..." in
 * out, returns how many. Used by the status gate. */
int wr_checklist_open_mandatory(wr_store *st, int64_t inc, int phase_index, wr_buf *out)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT step FROM steps WHERE incident = ?1 AND mandatory AND phase_index <= ?2"
                                     " AND state NOT IN ('done', 'skipped') ORDER BY phase_index, runbook, ord");
    sqlite3_bind_int64(s, 1, inc);
    sqlite3_bind_int(s, 2, phase_index);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n < 6)
            wr_buf_printf(out, "%s%s", n ? ", " : "", (const char *)sqlite3_column_text(s, 0));
        n++;
    }
    sqlite3_reset(s);
    if (n > 6)
        wr_buf_printf(out, " and %d more", n - 6);
    return n;
}

/* ---- describing ---- */

static void describe_attach(const wr_event *ev, wr_buf *b)
{
    char *a = wr_event_payload_str(ev->payload, "runbook"), *c = wr_event_payload_str(ev->payload, "version");
    wr_buf_printf(b, "attached runbook %s v%s", a ? a : "?", c ? c : "?");
    free(a);
    free(c);
}

static void describe_step(const wr_event *ev, wr_buf *b)
{
    char *a = wr_event_payload_str(ev->payload, "step"), *c = wr_event_payload_str(ev->payload, "new");
    char *d = wr_event_payload_str(ev->payload, "reason"), *old = wr_event_payload_str(ev->payload, "old");
    char *forced = wr_event_payload_str(ev->payload, "forced");
    wr_buf_printf(b, "step %s: %s -> %s", a ? a : "?", old ? old : "?", c ? c : "?");
    if (d && *d)
        wr_buf_printf(b, " (%s%s)", forced ? "forced past the policy: " : "", d);
    free(forced);
    free(old);
    free(a);
    free(c);
    free(d);
}

static void describe_step_note(const wr_event *ev, wr_buf *b)
{
    char *a = wr_event_payload_str(ev->payload, "step"), *c = wr_event_payload_str(ev->payload, "text");
    wr_buf_printf(b, "on step %s: %s", a ? a : "?", c ? c : "");
    free(a);
    free(c);
}

static void describe_step_owner(const wr_event *ev, wr_buf *b)
{
    char *a = wr_event_payload_str(ev->payload, "step"), *c = wr_event_payload_str(ev->payload, "owner");
    wr_buf_printf(b, "step %s owner: %s", a ? a : "?", c && *c ? c : "(none)");
    free(a);
    free(c);
}

/* ---- the kinds ---- */

WR_KIND_REQUIRE(check_attach, "$.runbook", "$.steps")
WR_KIND_REQUIRE(check_step, "$.step", "$.new")
WR_KIND_REQUIRE(check_step_owner, "$.step", "$.owner")
WR_KIND_REQUIRE(check_step_note, "$.step", "$.text")

const wr_kind_module wr_kinds_checklist = {
    "checklist",
    (const wr_event_kind[]){
        {"runbook.attached", check_attach, apply_attach, describe_attach},
        {"step.changed", check_step, apply_step, describe_step},
        {"step.assigned", check_step_owner, apply_step, describe_step_owner},
        {"step.note", check_step_note, apply_step, describe_step_note},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM attached; DELETE FROM steps;",
};

/* ---- reads ---- */

wr_status wr_checklist_get(wr_store *st, int64_t inc, wr_step_row **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT s.runbook, s.step, s.title, s.phase, s.phase_index, s.ord, s.mandatory,"
                                     " s.role, s.state, s.owner, s.reason, s.updated_by, s.updated_at, s.notes FROM steps s"
                                     " JOIN attached a ON a.incident = s.incident AND a.runbook = s.runbook"
                                     " WHERE s.incident = ?1 ORDER BY s.phase_index, a.seq, s.ord");
    sqlite3_bind_int64(s, 1, inc);
    wr_step_row *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_step_row *r = &v[cnt++];
        r->runbook = wr_st_col_text(s, 0);
        r->step = wr_st_col_text(s, 1);
        r->title = wr_st_col_text(s, 2);
        r->phase = wr_st_col_text(s, 3);
        r->phase_index = sqlite3_column_int(s, 4);
        r->ord = sqlite3_column_int(s, 5);
        r->mandatory = sqlite3_column_int(s, 6);
        r->role = wr_st_col_text(s, 7);
        r->state = wr_st_col_text(s, 8);
        r->st = wr_step_state_of(r->state);
        r->owner = wr_st_col_text(s, 9);
        r->reason = wr_st_col_text(s, 10);
        r->updated_by = wr_st_col_text(s, 11);
        r->updated_at = sqlite3_column_int64(s, 12);
        r->notes = sqlite3_column_int(s, 13);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_checklist_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading the checklist");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_checklist_free(wr_step_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].runbook);
        free(v[i].step);
        free(v[i].title);
        free(v[i].phase);
        free(v[i].role);
        free(v[i].state);
        free(v[i].owner);
        free(v[i].reason);
        free(v[i].updated_by);
    }
    free(v);
}

wr_status wr_attached_list(wr_store *st, int64_t inc, wr_attached **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT runbook, title, sha256, version, attached_at, attached_by FROM attached"
                                     " WHERE incident = ?1 ORDER BY seq");
    sqlite3_bind_int64(s, 1, inc);
    wr_attached *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        wr_attached *a = &v[cnt++];
        a->runbook = wr_st_col_text(s, 0);
        a->title = wr_st_col_text(s, 1);
        a->sha256 = wr_st_col_text(s, 2);
        a->version = (long)sqlite3_column_int64(s, 3);
        a->attached_at = sqlite3_column_int64(s, 4);
        a->attached_by = wr_st_col_text(s, 5);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_attached_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading attached runbooks");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_attached_free(wr_attached *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].runbook);
        free(v[i].title);
        free(v[i].sha256);
        free(v[i].attached_by);
    }
    free(v);
}

wr_status wr_attached_json(wr_store *st, int64_t inc, const char *runbook, char **json, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT content FROM attached WHERE incident = ?1 AND runbook = ?2");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, runbook);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *json = wr_st_col_text(s, 0);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return WR_OK;
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "runbook %s is not attached to INC-%lld", runbook, (long long)inc);
    return wr_st_read_error(st, rc, err, "reading an attached runbook");
}
