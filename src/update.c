/* SPDX-License-Identifier: MIT */
/* update.c - stakeholder updates: CAN template, cadence, the update event and the update command runner. */
#include "kinds_int.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *const wr_update_audiences[3] = {"internal", "executive", "customer"};

int wr_update_audience_valid(const char *audience)
{
    for (int i = 0; audience && i < 3; i++)
        if (strcmp(audience, wr_update_audiences[i]) == 0)
            return 1;
    return 0;
}

/* ---- the template ---- */

typedef struct notes {
    wr_buf *out;
    int n;
} notes;

static int note_cb(const wr_event *ev, void *ctx)
{
    notes *ns = ctx;
    if (!wr_ev_is(ev->kind, WR_EV_NOTE))
        return 0;
    char *text = wr_event_payload_str(ev->payload, "text");
    char t[16];
    wr_buf_printf(ns->out, "  - %s %s: %s\n", wr_time_hms(ev->occurred_at, t, sizeof t), ev->actor, text ? text : "");
    free(text);
    return ++ns->n >= 3;
}

/* A plain-language status for people outside the war room. */
static const char *plain_status(const char *status)
{
    static const struct {
        const char *status, *plain;
    } m[] = {
        {"triage", "We are investigating."},
        {"containment", "We have identified the problem and are working to limit its effect."},
        {"eradication", "The problem is contained; we are removing its cause."},
        {"recovery", "The cause is removed; we are restoring normal service."},
        {"resolved", "The problem is resolved; we are monitoring."},
        {"lessons-learned", "The problem is resolved."},
        {"closed", "The problem is resolved."},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(m); i++)
        if (strcmp(m[i].status, status) == 0)
            return m[i].plain;
    return "This incident is no longer being worked.";
}

wr_status wr_update_template(wr_store *st, int64_t inc, const char *audience, char **text, wr_error *err)
{
    if (!wr_update_audience_valid(audience))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an audience: internal, executive or customer",
                            audience ? audience : "");
    wr_incident i;
    wr_status r = wr_incident_get(st, inc, &i, err);
    if (r != WR_OK)
        return r;
    int64_t now = wr_clock_now_ms();
    int internal = strcmp(audience, "internal") == 0, customer = strcmp(audience, "customer") == 0;
    char when[40], decl[40], age[32], due[40];
    wr_buf b = {0};
    wr_buf_printf(&b, "[%s] INC-%lld %s: update for %s, %s UTC\n\n", i.severity, (long long)i.id, i.title,
                  customer ? "customers" : internal ? "the response team" : "executives",
                  wr_lifecycle_time(now, when, sizeof when));
    wr_buf_puts(&b, "CONDITIONS\n");
    if (customer) {
        wr_buf_printf(&b, "%s\n", plain_status(i.status));
    } else {
        const wr_severity_def *sev = wr_policy_severity(i.severity);
        wr_buf_printf(&b, "- Severity %s%s%s; status %s; declared %s UTC (%s ago).\n", i.severity,
                      sev ? ": " : "", sev ? sev->meaning : "", i.status,
                      wr_lifecycle_time(i.declared_at, decl, sizeof decl),
                      wr_lifecycle_duration(now - i.declared_at, age, sizeof age));
    }
    wr_buf_printf(&b, "%sImpact: %s\n", customer ? "" : "- ", *i.impact ? i.impact : "(not yet assessed)");
    if (!customer)
        wr_buf_printf(&b, "- Summary: %s\n", *i.summary ? i.summary : "(none yet)");

    wr_buf_puts(&b, "\nACTIONS\n");
    wr_step_row *steps = NULL;
    size_t nsteps = 0, ndone = 0;
    if (wr_checklist_get(st, inc, &steps, &nsteps, err) == WR_OK) {
        for (size_t k = 0; k < nsteps; k++)
            ndone += steps[k].st == WR_STEP_STATE_DONE;
        if (customer) {
            wr_buf_puts(&b, "Our engineers are working on it.\n");
        } else if (nsteps) {
            wr_buf_printf(&b, "- Runbook steps done: %zu of %zu.\n", ndone, nsteps);
            int shown = 0;
            for (size_t k = 0; k < nsteps; k++)
                if (steps[k].st == WR_STEP_STATE_DONE && (internal || shown < 3)) {
                    wr_buf_printf(&b, "  - done: %s\n", steps[k].title);
                    shown++;
                }
            shown = 0;
            for (size_t k = 0; k < nsteps && shown < (internal ? 5 : 3); k++)
                if (steps[k].st == WR_STEP_STATE_TODO || steps[k].st == WR_STEP_STATE_IN_PROGRESS ||
                    steps[k].st == WR_STEP_STATE_BLOCKED) {
                    wr_buf_printf(&b, "  - %s: %s\n", steps[k].st == WR_STEP_STATE_TODO ? "next" : steps[k].state,
                                  steps[k].title);
                    shown++;
                }
        } else {
            wr_buf_puts(&b, "- (describe what is being done)\n");
        }
        wr_checklist_free(steps, nsteps);
    }
    if (internal) {
        wr_role_holder *roles;
        size_t nroles;
        if (wr_roles_list(st, inc, &roles, &nroles, err) == WR_OK && nroles) {
            wr_buf_puts(&b, "- Roles:");
            for (size_t k = 0; k < nroles; k++) {
                const wr_role_def *d = wr_role_find(roles[k].role);
                wr_buf_printf(&b, "%s %s %s", k ? "," : "", d ? d->abbrev : roles[k].role, roles[k].holder);
            }
            wr_buf_puts(&b, ".\n");
            wr_roles_free(roles, nroles);
        }
        wr_buf_puts(&b, "- Latest notes:\n");
        size_t before = b.len;
        notes ns = {&b, 0};
        wr_store_events_before(st, inc, 0, 500, note_cb, &ns, err);
        if (b.len == before)
            wr_buf_puts(&b, "  (none)\n");
    }
    wr_buf_puts(&b, "\nNEEDS\n");
    wr_buf_puts(&b, customer ? "Nothing is needed from you at this time.\n"
                             : "- (what you need from this audience; \"nothing at this time\" if nothing)\n");
    wr_cadence cad;
    if (wr_update_cadence(st, inc, now, &cad, err) == WR_OK && cad.every_ms)
        wr_buf_printf(&b, "\nNext update by %s UTC.\n", wr_lifecycle_time(now + cad.every_ms, due, sizeof due));
    wr_incident_clear(&i);
    *text = wr_buf_steal(&b);
    return WR_OK;
}

/* ---- cadence ---- */

wr_status wr_update_cadence(wr_store *st, int64_t inc, int64_t now, wr_cadence *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    wr_incident i;
    wr_status r = wr_incident_get(st, inc, &i, err);
    if (r != WR_OK)
        return r;
    const wr_severity_def *sev = wr_policy_severity(i.severity);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(occurred_at), 0) FROM events WHERE incident = ?1"
                                     " AND kind = 'update'");
    sqlite3_bind_int64(s, 1, inc);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        out->last_at = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        r = wr_st_read_error(st, rc, err, "reading updates");
    else if (sev && sev->update_every_ms > 0 && wr_inc_status_active(i.state)) {
        out->every_ms = sev->update_every_ms;
        out->due_at = (out->last_at ? out->last_at : i.declared_at) + out->every_ms;
        out->left_ms = out->due_at - now;
        out->overdue = out->left_ms < 0;
    }
    wr_incident_clear(&i);
    return r;
}

/* ---- the update event ---- */

wr_status wr_op_update(const wr_opctx *c, int64_t inc, const char *audience, const char *text, wr_write *w,
                       wr_error *err)
{
    if (!wr_update_audience_valid(audience))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an audience: internal, executive or customer",
                            audience ? audience : "");
    size_t n = text ? strlen(text) : 0;
    int blank = 1;
    for (size_t k = 0; k < n; k++)
        if (text[k] != ' ' && text[k] != '\n' && text[k] != '\t' && text[k] != '\r')
            blank = 0;
    if (blank)
        return wr_error_set(err, WR_E_INVALID, "the update is empty: write its text (or - to read it from stdin)");
    if (n > 16384)
        return wr_error_set(err, WR_E_INVALID, "the update is too long (%zu bytes; at most 16384)", n);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "audience", audience);
    wr_json_kv_str(&p, "text", text);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "update", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("%s update on INC-%lld", audience, (long long)inc);
    return WR_OK;
}

static wr_status apply_update(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    int rc = wr_incident_touch(st, w->incident, seq, at, 0);
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "recording an update");
    sqlite3_stmt *s;
    if (sqlite3_changes(st->db) == 0)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)w->incident);
    if (wr_ev_is(w->kind, WR_EV_UPDATE_SENT)) {
        int64_t of = wr_st_json_int(st, w->payload, "$.update", 0);
        s = wr_st_stmt(st, "SELECT 1 FROM events WHERE seq = ?1 AND incident = ?2 AND kind = 'update'");
        sqlite3_bind_int64(s, 1, of);
        sqlite3_bind_int64(s, 2, w->incident);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW)
            return wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no update at log seq %lld", (long long)w->incident,
                                (long long)of);
        /* The update's entry number in the incident (docs/store.md), for the description. */
        int64_t n = 0;
        if (wr_store_entry_number(st, w->incident, of, &n, err) != WR_OK)
            return err->status;
        s = wr_st_stmt(st, "SELECT json_set(?1, '$.n', ?2)");
        wr_st_bind_text(s, 1, w->payload);
        sqlite3_bind_int64(s, 2, n);
        if (sqlite3_step(s) == SQLITE_ROW) {
            free(w->payload);
            w->payload = wr_st_col_text(s, 0);
        }
        sqlite3_reset(s);
    }
    return WR_OK;
}


char *wr_update_send_text(wr_store *st, int64_t inc, int64_t update_seq, const char *text)
{
    char hash[65];
    int64_t n = 0;
    wr_error err = {0};
    if (wr_store_chain_entry(st, update_seq, hash) != WR_OK || !*hash ||
        wr_store_entry_number(st, inc, update_seq, &n, &err) != WR_OK || !n)
        return wr_xstrdup(text);
    return wr_xasprintf("%s\n\n[warroom INC-%lld #%lld chain %.12s]", text, (long long)inc, (long long)n, hash);
}

wr_status wr_update_finish(const wr_update_run *r, const wr_opctx *c, int64_t inc, int64_t update_seq,
                           wr_write *w, wr_error *err)
{
    if (!r->finished)
        return wr_error_set(err, WR_E_INVALID, "the update command has not finished yet");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "update", update_seq);
    int ok = !r->error[0] && !r->timed_out && r->exit_code == 0;
    wr_json_kv_str(&p, "result", ok ? "sent" : r->error[0] ? "error" : r->timed_out ? "timeout" : "failed");
    if (r->error[0])
        wr_json_kv_str(&p, "error", r->error);
    if (r->exit_code >= 0)
        wr_json_kv_int(&p, "exit", r->exit_code);
    if (r->signal && !r->timed_out)
        wr_json_kv_int(&p, "signal", r->signal);
    if (r->timed_out)
        wr_json_kv_int(&p, "timeout_ms", r->timeout_ms);
    /* The output is recorded as text: invalid UTF-8 is kept byte for byte by the JSON writer and cleaned
     * whenever it is shown. */
    wr_json_kv_str(&p, "output", wr_buf_str(&r->output));
    if (r->truncated)
        wr_json_kv_int(&p, "truncated", 1);
    wr_buf_putc(&p, '}');
    (void)err;
    wr_write_init(w, c->actor, c->source, inc, "update.sent", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("result of the update on INC-%lld", (long long)inc);
    return WR_OK;
}


/* ---- describing ---- */

static void describe_update(const wr_event *ev, wr_buf *out)
{
    {
        char *aud = wr_event_payload_str(ev->payload, "audience");
        char *text = wr_event_payload_str(ev->payload, "text");
        wr_buf_printf(out, "update to %s: %s", aud ? aud : "?", text ? text : "");
        free(aud);
        free(text);
    }
}

static void describe_sent(const wr_event *ev, wr_buf *out)
{
    /* $.n: the update's entry number, filled in when applied; results recorded before numbers were per
     * incident give the log's seq. */
    char *num = wr_event_payload_str(ev->payload, "n");
    char *seq = num ? NULL : wr_event_payload_str(ev->payload, "update");
    char *of = num ? wr_xasprintf("#%s", num) : wr_xasprintf("(log seq %s)", seq ? seq : "?");
    free(num);
    free(seq);
    char *result = wr_event_payload_str(ev->payload, "result");
    char *code = wr_event_payload_str(ev->payload, "exit");
    char *sig = wr_event_payload_str(ev->payload, "signal");
    char *tmo = wr_event_payload_str(ev->payload, "timeout_ms");
    char *error = wr_event_payload_str(ev->payload, "error");
    char *output = wr_event_payload_str(ev->payload, "output");
    if (result && strcmp(result, "sent") == 0) {
        wr_buf_printf(out, "update %s sent (exit 0)", of);
    } else {
        wr_buf_printf(out, "update %s NOT sent: ", of);
        if (error)
            wr_buf_puts(out, error);
        else if (tmo)
            wr_buf_printf(out, "the update command was stopped after %llds (update_timeout)",
                          (strtoll(tmo, NULL, 10) + 999) / 1000);
        else if (sig)
            wr_buf_printf(out, "the update command was killed by signal %s", sig);
        else
            wr_buf_printf(out, "the update command exited with %s", code ? code : "?");
    }
    if (output) {
        size_t len = strlen(output);
        while (len && (output[len - 1] == '\n' || output[len - 1] == ' ' || output[len - 1] == '\r'))
            output[--len] = '\0';
        size_t n = strcspn(output, "\n");
        if (len)
            wr_buf_printf(out, ": %.*s%s", (int)(n > 200 ? 200 : n), output, n < len || n > 200 ? " ..." : "");
    }
    free(of);
    free(result);
    free(code);
    free(sig);
    free(tmo);
    free(error);
    free(output);
}

WR_KIND_REQUIRE(check_update, "$.audience", "$.text")
WR_KIND_REQUIRE(check_sent, "$.update", "$.result")

const wr_kind_module wr_kinds_update = {
    "update",
    (const wr_event_kind[]){
        {"update", check_update, apply_update, describe_update},
        {"update.sent", check_sent, apply_update, describe_sent},
        {NULL, NULL, NULL, NULL},
    },
    "",
};
