/* SPDX-License-Identifier: MIT */
/* incident_kinds.c - the incident's own event kinds (declared, changed, note, role assigned/removed, pin and
 * unpin): how each is checked, applied to the current state and described on the timeline. Apply runs inside
 * the write transaction, after the event row is inserted; a non-OK status rolls the whole write back. The
 * same code rebuilds the state from the log (wr_store_rebuild), so it depends only on the event and the state
 * before it. */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Who last changed (incident, field), as "alice at 10:32:05", into buf. */
static void last_changer(wr_store *st, int64_t inc, const char *field, char *buf, size_t size)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT e.actor, e.recorded_at FROM field_changes f JOIN events e"
                                     " ON e.seq = f.seq WHERE f.incident = ?1 AND f.field = ?2");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, field);
    if (sqlite3_step(s) == SQLITE_ROW) {
        char t[16];
        snprintf(buf, size, "%s at %s UTC", (const char *)sqlite3_column_text(s, 0),
                 wr_time_hms(sqlite3_column_int64(s, 1), t, sizeof t));
    } else {
        snprintf(buf, size, "the declaration");
    }
    sqlite3_reset(s);
}

wr_status wr_incident_need(wr_store *st, int64_t inc, char **status, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT status FROM incidents WHERE id = ?1");
    sqlite3_bind_int64(s, 1, inc);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && status)
        *status = wr_st_col_text(s, 0);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return WR_OK;
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)inc);
    return wr_st_fail(st, err, "recording the change");
}

static wr_status apply_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    int64_t id = w->incident;
    if (!id) {
        sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(id), 0) + 1 FROM incidents");
        if (sqlite3_step(s) != SQLITE_ROW) {
            sqlite3_reset(s);
            return wr_st_fail(st, err, "recording the change");
        }
        id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    sqlite3_stmt *s = wr_st_stmt(st,
        "INSERT INTO incidents(id, uid, title, severity, status, type, kind, declared_at, updated_at, last_seq)"
        " VALUES (?1, ?2, json_extract(?3, '$.title'), json_extract(?3, '$.severity'),"
        " coalesce(json_extract(?3, '$.status'), 'triage'), coalesce(json_extract(?3, '$.type'), ''),"
        " coalesce(json_extract(?3, '$.kind'), 'real'), ?4, ?4, ?5)");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, w->uid, -1, SQLITE_STATIC);
    wr_st_bind_text(s, 3, w->payload);
    sqlite3_bind_int64(s, 4, at);
    sqlite3_bind_int64(s, 5, seq);
    if (wr_st_step(s) != SQLITE_OK)
        return wr_st_fail(st, err, "recording the change");
    w->incident = id;
    w->result_id = id;
    wr_status r = wr_lc_on_declared(st, w, seq, at, err);
    if (r == WR_OK)
        r = wr_alert_on_declared(st, w, seq, at, err); /* declared from an alert: link it */
    return r;
}

/* Who may make this change (the policy): ending the incident or another status move, the severity, other
 * fields; and, when the phase gate or the lifecycle rules are overridden, whether this operator may. */
static wr_status change_allowed(wr_store *st, wr_write *w, const char *col, const char *old, const char *value,
                                int gate, wr_error *err)
{
    if (strcmp(col, "status") != 0)
        return wr_policy_check(st, w, strcmp(col, "severity") == 0 ? WR_ACT_SEVERITY : WR_ACT_EDIT, 1, err);
    int ends = !wr_inc_status_active(wr_inc_status_of(value)); /* resolved, lessons-learned, closed or a side exit */
    wr_status r = wr_policy_check(st, w, ends ? WR_ACT_RESOLVE : WR_ACT_STATUS, 1, err);
    if (r == WR_OK && wr_st_json_int(st, w->payload, "$.override", 0) &&
        (gate > 0 || wr_status_transition_check(old, value, NULL) != WR_OK))
        r = wr_policy_check(st, w, WR_ACT_OVERRIDE, 0, err);
    return r;
}

/* Columns `incident.changed` may touch: the only names ever spliced into SQL, from this fixed list. */
static const char *const changeable[] = {"title", "severity", "status", "type", "summary", "impact", "decision"};

static wr_status apply_changed(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    char *field = wr_st_json_get(st, w->payload, "$.field");
    char *value = wr_st_json_get(st, w->payload, "$.new");
    int64_t expect_v = wr_st_json_int(st, w->payload, "$.expect_version", 0);
    const char *col = NULL;
    for (size_t i = 0; field && i < WR_ARRAY_LEN(changeable); i++)
        if (strcmp(field, changeable[i]) == 0)
            col = changeable[i];
    if (!col || !value) {
        r = wr_error_set(err, WR_E_INVALID, "malformed change event (field %s)", field ? field : "?");
        goto out;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT %s, version FROM incidents WHERE id = ?1", col);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        r = wr_st_fail(st, err, "recording the change");
        goto out;
    }
    sqlite3_bind_int64(s, 1, w->incident);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        r = wr_st_fail(st, err, "recording the change");
        goto out;
    }
    char *old = wr_st_col_text(s, 0);
    int64_t version = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);

    char who[128];
    wr_buf open = {0};
    int gate = 0;
    /* Intent: the value the operator saw must still be there (else someone changed it first). */
    char *expect = wr_st_json_get(st, w->payload, "$.expect");
    int moved = expect && strcmp(old, expect) != 0 && strcmp(old, value) != 0;
    int override = (int)wr_st_json_int(st, w->payload, "$.override", 0);
    if (strcmp(col, "status") == 0 && !moved) {
        /* Leaving a phase forward with mandatory steps open needs an override with a reason. */
        /* the runbook phase each status of the lifecycle order is in (triage .. closed) */
        static const int phase_of[] = {1, 2, 3, 4, 4, 5, 5};
        wr_inc_status from = wr_inc_status_of(old), to = wr_inc_status_of(value);
        if (from >= 0 && from <= WR_INC_CLOSED && to <= WR_INC_CLOSED && to > from)
            gate = wr_checklist_open_mandatory(st, w->incident, phase_of[from], &open);
    }
    if (moved) {
        last_changer(st, w->incident, field, who, sizeof who);
        r = wr_error_set(err, WR_E_CONFLICT,
                         "INC-%lld %s is now \"%.200s\" (set by %s), not \"%.200s\" as you saw it; nothing "
                         "changed: look again and redo it if it still makes sense",
                         (long long)w->incident, field, old, who, expect);
    } else if (expect_v && expect_v != version) {
        last_changer(st, w->incident, field, who, sizeof who);
        r = wr_error_set(err, WR_E_CONFLICT,
                         "INC-%lld changed while you were editing (its %s is now \"%.200s\", set by %s); "
                         "your edit was not applied: look again and redo it if it still makes sense",
                         (long long)w->incident, field, old, who);
    } else if (strcmp(old, value) == 0) {
        last_changer(st, w->incident, field, who, sizeof who);
        r = wr_error_set(err, WR_E_CONFLICT, "INC-%lld %s is already \"%.200s\" (set by %s); nothing changed",
                         (long long)w->incident, field, old, who);
    } else if ((r = change_allowed(st, w, col, old, value, gate, err)) != WR_OK) {
        /* not this operator's to do (the policy) */
    } else if (gate > 0 && !override) {
        r = wr_error_set(err, WR_E_GATE,
                         "INC-%lld has %d mandatory runbook step%s still open in %s or before (%s): finish or skip "
                         "them, or override with a reason (--force --reason TEXT)",
                         (long long)w->incident, gate, gate == 1 ? "" : "s", old, wr_buf_str(&open));
    } else if (strcmp(col, "status") == 0 && (r = wr_lc_status_check(st, w, old, value, err)) != WR_OK) {
        /* refused by the transition rules */
    } else {
        snprintf(sql, sizeof sql, "UPDATE incidents SET %s = ?2 WHERE id = ?1", col);
        if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
            r = wr_st_fail(st, err, "recording the change");
        } else {
            sqlite3_bind_int64(s, 1, w->incident);
            wr_st_bind_text(s, 2, value);
            int rc = sqlite3_step(s);
            sqlite3_finalize(s);
            sqlite3_stmt *fc = wr_st_stmt(st, "INSERT INTO field_changes(incident, field, seq) VALUES (?1, ?2, ?3)"
                                              " ON CONFLICT(incident, field) DO UPDATE SET seq = excluded.seq");
            sqlite3_bind_int64(fc, 1, w->incident);
            wr_st_bind_text(fc, 2, col);
            sqlite3_bind_int64(fc, 3, seq);
            if (rc != SQLITE_DONE || wr_st_step(fc) != SQLITE_OK ||
                wr_incident_touch(st, w->incident, seq, at, 1) != SQLITE_OK) {
                r = wr_st_fail(st, err, "recording the change");
            } else {
                /* Record the old value in the event itself: the log alone tells old -> new. */
                wr_st_payload_set(st, w, "$.old", old);
                if (strcmp(col, "status") == 0)
                    r = wr_lc_status_applied(st, w, seq, at, old, value, err);
            }
        }
    }
    wr_buf_free(&open);
    free(old);
    free(expect);
out:
    free(field);
    free(value);
    return r;
}

wr_status wr_kind_apply_timeline_only(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    if (wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
        return wr_st_fail(st, err, "recording the change");
    return WR_OK;
}

static int end_role(wr_store *st, int64_t inc, const char *role, const char *holder, int64_t seq, int64_t at,
                    const char *by)
{
    sqlite3_stmt *s = wr_st_stmt(st, "DELETE FROM roles WHERE incident = ?1 AND role = ?2 AND holder = ?3");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, role);
    wr_st_bind_text(s, 3, holder);
    int rc = wr_st_step(s);
    if (rc != SQLITE_OK)
        return rc;
    s = wr_st_stmt(st, "UPDATE role_history SET to_at = ?4, ended_by = ?5, end_seq = ?6 WHERE incident = ?1"
                       " AND role = ?2 AND holder = ?3 AND to_at IS NULL");
    sqlite3_bind_int64(s, 1, inc);
    wr_st_bind_text(s, 2, role);
    wr_st_bind_text(s, 3, holder);
    sqlite3_bind_int64(s, 4, at);
    wr_st_bind_text(s, 5, by);
    sqlite3_bind_int64(s, 6, seq);
    return wr_st_step(s);
}

/* Intent for a single-holder role: whoever the operator saw holding it ("" nobody) still does. */
static wr_status holder_as_seen(wr_store *st, wr_write *w, const char *role, wr_error *err)
{
    char *expect = wr_st_json_get(st, w->payload, "$.expect");
    if (!expect)
        return WR_OK;
    wr_status r = WR_OK;
    char t[16];
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT holder, assigned_by, since FROM roles WHERE incident = ?1 AND"
                                     " role = ?2 ORDER BY since LIMIT 1");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, role);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *cur = (const char *)sqlite3_column_text(s, 0);
        if (strcmp(cur, expect) != 0)
            r = wr_error_set(err, WR_E_CONFLICT, "%s of INC-%lld is now held by %s (assigned by %s at %s UTC), "
                             "not %s as you saw it; nothing changed: look again and redo it if it still makes "
                             "sense", role, (long long)w->incident, cur, (const char *)sqlite3_column_text(s, 1),
                             wr_time_hms(sqlite3_column_int64(s, 2), t, sizeof t), *expect ? expect : "nobody");
        sqlite3_reset(s);
    } else if (*expect) {
        sqlite3_reset(s);
        s = wr_st_stmt(st, "SELECT ended_by, to_at FROM role_history WHERE incident = ?1 AND role = ?2 AND"
                           " holder = ?3 AND to_at IS NOT NULL ORDER BY to_at DESC LIMIT 1");
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, role);
        wr_st_bind_text(s, 3, expect);
        if (sqlite3_step(s) == SQLITE_ROW)
            r = wr_error_set(err, WR_E_CONFLICT, "nobody holds %s of INC-%lld now (%s took %s off it at %s UTC), "
                             "not %s as you saw it; nothing changed: look again", role, (long long)w->incident,
                             (const char *)sqlite3_column_text(s, 0), expect,
                             wr_time_hms(sqlite3_column_int64(s, 1), t, sizeof t), expect);
        else
            r = wr_error_set(err, WR_E_CONFLICT, "nobody holds %s of INC-%lld, not %s as you saw it; nothing "
                             "changed: look again", role, (long long)w->incident, expect);
        sqlite3_reset(s);
    } else {
        sqlite3_reset(s);
    }
    free(expect);
    return r;
}

/* The policy for a role change: taking the incident commander role from whoever holds it (handing it to
 * someone else, or removing its holder) is `hand-over-ic`, unless the holder does it; the rest `assign`. */
static wr_status role_allowed(wr_store *st, wr_write *w, const char *role, const char *user, int remove,
                              wr_error *err)
{
    int handover = 0;
    if (strcmp(role, "incident-commander") == 0) {
        sqlite3_stmt *s = wr_st_stmt(st, "SELECT holder FROM roles WHERE incident = ?1 AND role = ?2");
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, role);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *h = (const char *)sqlite3_column_text(s, 0);
            int me = (w->actor && strcmp(h, w->actor) == 0) || (w->os_user && strcmp(h, w->os_user) == 0);
            if (remove ? strcmp(h, user) == 0 && !me : strcmp(h, user) != 0)
                handover = 1;
        }
        sqlite3_reset(s);
    }
    return wr_policy_check(st, w, handover ? WR_ACT_HAND_OVER_IC : WR_ACT_ASSIGN, 1, err);
}

static wr_status apply_role(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    char *role = wr_st_json_get(st, w->payload, "$.role");
    char *user = wr_st_json_get(st, w->payload, "$.user");
    int single = (int)wr_st_json_int(st, w->payload, "$.single", 0);
    int remove = wr_ev_is(w->kind, WR_EV_ROLE_REMOVED);
    if (!role || !user) {
        r = wr_error_set(err, WR_E_INVALID, "malformed role event");
        goto out;
    }
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT assigned_by, since FROM roles WHERE incident = ?1 AND role = ?2"
                                     " AND holder = ?3");
    sqlite3_bind_int64(s, 1, w->incident);
    wr_st_bind_text(s, 2, role);
    wr_st_bind_text(s, 3, user);
    int held = sqlite3_step(s) == SQLITE_ROW;
    char *by = held ? wr_st_col_text(s, 0) : NULL;
    char t[16];
    if (held)
        wr_time_hms(sqlite3_column_int64(s, 1), t, sizeof t);
    sqlite3_reset(s);
    if (remove) {
        if (!held)
            r = wr_error_set(err, WR_E_NOTFOUND, "%s does not hold the role %s in INC-%lld; nothing changed",
                             user, role, (long long)w->incident);
        else if ((r = role_allowed(st, w, role, user, 1, err)) != WR_OK)
            ; /* not this operator's to do */
        else if (end_role(st, w->incident, role, user, seq, at, w->actor) != SQLITE_OK)
            r = wr_st_fail(st, err, "recording the change");
    } else if (held) {
        r = wr_error_set(err, WR_E_CONFLICT, "%s already holds %s in INC-%lld (assigned by %s at %s UTC)", user,
                         role, (long long)w->incident, by, t);
    } else if (single && (r = holder_as_seen(st, w, role, err)) != WR_OK) {
        /* someone handed the role over (or it was left) since the operator looked */
    } else if ((r = role_allowed(st, w, role, user, 0, err)) != WR_OK) {
        /* not this operator's to do (the policy) */
    } else {
        wr_buf prev = {0};
        if (single) {
            /* Hand over: whoever holds a single-holder role steps down, and the event says who it was. */
            s = wr_st_stmt(st, "SELECT holder FROM roles WHERE incident = ?1 AND role = ?2 ORDER BY since");
            sqlite3_bind_int64(s, 1, w->incident);
            wr_st_bind_text(s, 2, role);
            char *holders[16];
            int nh = 0;
            while (nh < 16 && sqlite3_step(s) == SQLITE_ROW)
                holders[nh++] = wr_st_col_text(s, 0);
            sqlite3_reset(s);
            for (int i = 0; i < nh; i++) {
                if (r == WR_OK && end_role(st, w->incident, role, holders[i], seq, at, w->actor) != SQLITE_OK)
                    r = wr_st_fail(st, err, "recording the change");
                if (i == 0)
                    wr_buf_puts(&prev, holders[i]);
                free(holders[i]);
            }
        }
        if (r == WR_OK) {
            s = wr_st_stmt(st, "INSERT INTO roles(incident, role, holder, since, assigned_by, seq)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            sqlite3_bind_int64(s, 1, w->incident);
            wr_st_bind_text(s, 2, role);
            wr_st_bind_text(s, 3, user);
            sqlite3_bind_int64(s, 4, at);
            wr_st_bind_text(s, 5, w->actor);
            sqlite3_bind_int64(s, 6, seq);
            int rc = wr_st_step(s);
            s = wr_st_stmt(st, "INSERT INTO role_history(incident, role, holder, from_at, assigned_by, start_seq)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            sqlite3_bind_int64(s, 1, w->incident);
            wr_st_bind_text(s, 2, role);
            wr_st_bind_text(s, 3, user);
            sqlite3_bind_int64(s, 4, at);
            wr_st_bind_text(s, 5, w->actor);
            sqlite3_bind_int64(s, 6, seq);
            if (rc != SQLITE_OK || wr_st_step(s) != SQLITE_OK)
                r = wr_st_fail(st, err, "recording the change");
        }
        if (r == WR_OK && prev.len)
            wr_st_payload_set(st, w, "$.previous", wr_buf_str(&prev));
        wr_buf_free(&prev);
        if (r == WR_OK)
            r = wr_lc_on_role(st, w, seq, at, role, err);
    }
    if (r == WR_OK && wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
        r = wr_st_fail(st, err, "recording the change");
    free(by);
out:
    free(role);
    free(user);
    return r;
}

static wr_status apply_pin(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    wr_status r = wr_incident_need(st, w->incident, NULL, err);
    if (r != WR_OK)
        return r;
    int64_t target = wr_st_json_int(st, w->payload, "$.event", 0);
    int pin = wr_ev_is(w->kind, WR_EV_PIN);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT EXISTS (SELECT 1 FROM events WHERE seq = ?1 AND incident = ?2),"
                                     " (SELECT pinned_by FROM pins WHERE event_seq = ?1)");
    sqlite3_bind_int64(s, 1, target);
    sqlite3_bind_int64(s, 2, w->incident);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return wr_st_fail(st, err, "recording the change");
    }
    int exists = sqlite3_column_int(s, 0);
    int pinned = sqlite3_column_type(s, 1) != SQLITE_NULL;
    char *by = pinned ? wr_st_col_text(s, 1) : NULL;
    sqlite3_reset(s);
    /* The entry's number in the incident (docs/store.md), kept in the event for its description. */
    int64_t n = 0;
    if (exists && wr_store_entry_number(st, w->incident, target, &n, err) != WR_OK) {
        free(by);
        return err->status;
    }
    if (!exists)
        r = wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no such timeline entry (log seq %lld)",
                         (long long)w->incident, (long long)target);
    else if (pin && pinned)
        r = wr_error_set(err, WR_E_CONFLICT, "entry #%lld is already pinned (by %s)", (long long)n, by);
    else if (!pin && !pinned)
        r = wr_error_set(err, WR_E_CONFLICT, "entry #%lld is not pinned", (long long)n);
    if (r == WR_OK) {
        sqlite3_stmt *js = wr_st_stmt(st, "SELECT json_set(?1, '$.n', ?2)");
        wr_st_bind_text(js, 1, w->payload);
        sqlite3_bind_int64(js, 2, n);
        if (sqlite3_step(js) == SQLITE_ROW) {
            free(w->payload);
            w->payload = wr_st_col_text(js, 0);
        }
        sqlite3_reset(js);
    }
    if (r == WR_OK) {
        s = pin ? wr_st_stmt(st, "INSERT INTO pins(incident, event_seq, pinned_by) VALUES (?1, ?2, ?3)")
                : wr_st_stmt(st, "DELETE FROM pins WHERE incident = ?1 AND event_seq = ?2 AND ?3 IS NOT NULL");
        sqlite3_bind_int64(s, 1, w->incident);
        sqlite3_bind_int64(s, 2, target);
        wr_st_bind_text(s, 3, w->actor);
        if (wr_st_step(s) != SQLITE_OK || wr_incident_touch(st, w->incident, seq, at, 0) != SQLITE_OK)
            r = wr_st_fail(st, err, "recording the change");
    }
    free(by);
    return r;
}

/* ---- describing (no store access: works on any event) ---- */

static char *pstr(const wr_event *ev, const char *key)
{
    return wr_event_payload_str(ev->payload, key);
}

/* An act forced past the policy says so, with the reason. */
static void forced_note(const wr_event *ev, wr_buf *b)
{
    char *f = pstr(ev, "forced"), *r = f ? pstr(ev, "reason") : NULL;
    if (f)
        wr_buf_printf(b, " (forced past the policy: %s)", r ? r : "");
    free(f);
    free(r);
}

static void describe_declared(const wr_event *ev, wr_buf *b)
{
    char *a = pstr(ev, "title"), *c = pstr(ev, "severity"), *d = pstr(ev, "kind");
    wr_buf_printf(b, "declared %s%s: %s", c ? c : "?", wr_incident_kind_is_drill(d) ? " DRILL" : "", a ? a : "");
    free(a);
    free(c);
    free(d);
    wr_lc_describe_more(ev, b);
}

static void describe_changed(const wr_event *ev, wr_buf *b)
{
    char *a = pstr(ev, "field"), *c = pstr(ev, "old"), *d = pstr(ev, "new");
    char *reason = pstr(ev, "reason"), *over = pstr(ev, "override"), *forced = pstr(ev, "forced");
    wr_buf_printf(b, "%s %s -> %s", a ? a : "?", c && *c ? c : "(empty)", d ? d : "");
    if (reason && *reason)
        wr_buf_printf(b, " (%s: %s)", forced ? "forced past the policy" : over ? "override" : "reason", reason);
    free(forced);
    free(over);
    free(reason);
    free(a);
    free(c);
    free(d);
    wr_lc_describe_more(ev, b);
}

static void describe_note(const wr_event *ev, wr_buf *b)
{
    char *a = pstr(ev, "text"), *c = pstr(ev, "tag");
    if (c)
        wr_buf_printf(b, "[%s] ", c);
    wr_buf_puts(b, a ? a : "");
    free(a);
    free(c);
}

static void describe_assigned(const wr_event *ev, wr_buf *b)
{
    char *a = pstr(ev, "role"), *c = pstr(ev, "user"), *d = pstr(ev, "previous");
    wr_buf_printf(b, "%s: %s", a ? a : "?", c ? c : "?");
    if (d)
        wr_buf_printf(b, " (handed over from %s)", d);
    forced_note(ev, b);
    free(a);
    free(c);
    free(d);
    wr_lc_describe_more(ev, b);
}

static void describe_removed(const wr_event *ev, wr_buf *b)
{
    char *a = pstr(ev, "role"), *c = pstr(ev, "user");
    wr_buf_printf(b, "%s stepped down as %s", c ? c : "?", a ? a : "?");
    forced_note(ev, b);
    free(a);
    free(c);
}

static void describe_pin(const wr_event *ev, wr_buf *b)
{
    /* $.n: the entry's number in the incident, filled in when it was applied; pins recorded before entries
     * were numbered per incident name the log's seq instead. */
    char *n = pstr(ev, "n"), *a = n ? NULL : pstr(ev, "event");
    if (n)
        wr_buf_printf(b, "%s entry #%s", wr_ev_is(ev->kind, WR_EV_PIN) ? "pinned" : "unpinned", n);
    else
        wr_buf_printf(b, "%s an entry (log seq %s)", wr_ev_is(ev->kind, WR_EV_PIN) ? "pinned" : "unpinned",
                      a ? a : "?");
    free(n);
    free(a);
}

/* ---- the kinds ---- */

WR_KIND_REQUIRE(check_declared, "$.title", "$.severity")
WR_KIND_REQUIRE(check_changed, "$.field", "$.new")
WR_KIND_REQUIRE(check_note, "$.text")
WR_KIND_REQUIRE(check_role, "$.role", "$.user")
WR_KIND_REQUIRE(check_pin, "$.event")

const wr_kind_module wr_kinds_incident = {
    "incident",
    (const wr_event_kind[]){
        {"incident.declared", check_declared, apply_declared, describe_declared},
        {"incident.changed", check_changed, apply_changed, describe_changed},
        {"note", check_note, wr_kind_apply_timeline_only, describe_note},
        {"role.assigned", check_role, apply_role, describe_assigned},
        {"role.removed", check_role, apply_role, describe_removed},
        {"pin", check_pin, apply_pin, describe_pin},
        {"unpin", check_pin, apply_pin, describe_pin},
        {NULL, NULL, NULL, NULL},
    },
    "DELETE FROM incidents; DELETE FROM field_changes; DELETE FROM roles; DELETE FROM role_history;"
    " DELETE FROM pins;",
};
