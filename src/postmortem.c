/* SPDX-License-Identifier: MIT */
/* postmortem.c - the blameless postmortem (Markdown and JSON from one gathered model) and the metrics
 * report across incidents. */
#include "warroom/evkind.h"
#include "warroom/postmortem.h"

#include "warroom/action.h"
#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/exhibit.h"
#include "warroom/json.h"
#include "warroom/policy.h"
#include "warroom/text.h"
#include "warroom/update.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Markdown escaping ---- */

/* Characters that make markup wherever they stand. (# and > only matter where a block starts.) */
static int md_special(char ch)
{
    return strchr("\\`*_[]<|~&", ch) != NULL;
}

/* One line of clean text, escaped; at_start: it begins a block (a line, or a list item's text). */
static void md_line(wr_buf *out, const char *s, size_t n, int at_start)
{
    size_t i = 0;
    if (at_start) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (i < n && strchr("-+=#>", s[i])) {
            wr_buf_putc(out, '\\');
        } else {
            size_t d = i;
            while (d < n && s[d] >= '0' && s[d] <= '9')
                d++;
            if (d > i && d < n && (s[d] == '.' || s[d] == ')')) {
                wr_buf_append(out, s + i, d - i);
                wr_buf_putc(out, '\\');
                i = d;
            }
        }
    }
    for (; i < n; i++) {
        if (md_special(s[i]))
            wr_buf_putc(out, '\\');
        wr_buf_putc(out, s[i]);
    }
}

/* Does text appended now start a block: the start of a line, or right after a list marker "- "? */
static int at_block_start(const wr_buf *out)
{
    const char *s = wr_buf_str(out);
    size_t n = out->len;
    if (n == 0 || s[n - 1] == '\n')
        return 1;
    return n >= 2 && s[n - 1] == ' ' && s[n - 2] == '-' && (n == 2 || s[n - 3] == '\n');
}

void wr_md_escape(wr_buf *out, const char *s, int oneline)
{
    wr_buf clean = {0};
    wr_text_clean(&clean, s, strlen(s), oneline ? WR_TEXT_ONELINE : 0);
    const char *c = wr_buf_str(&clean);
    if (oneline) {
        md_line(out, c, strlen(c), at_block_start(out));
    } else {
        int first = 1;
        while (*c) {
            size_t n = strcspn(c, "\n");
            if (!first)
                wr_buf_putc(out, '\n');
            md_line(out, c, n, first ? at_block_start(out) : 1);
            first = 0;
            c += n;
            if (*c == '\n')
                c++;
        }
    }
    wr_buf_free(&clean);
}

/* Text inside a list item, its line breaks kept as written: each further line is a hard break ("  " at the
 * end of the line before) indented to stay in the item. */
static void md_item_text(wr_buf *out, const char *s)
{
    wr_buf clean = {0};
    wr_text_clean(&clean, s, strlen(s), 0);
    const char *c = wr_buf_str(&clean);
    size_t len = strlen(c);
    while (len && c[len - 1] == '\n')
        len--;
    size_t at = 0;
    for (int first = 1;; first = 0) {
        size_t n = strcspn(c + at, "\n");
        if (at + n > len)
            n = len - at;
        if (!first)
            wr_buf_puts(out, "  \n  ");
        md_line(out, c + at, n, first ? at_block_start(out) : 1);
        at += n;
        if (at >= len)
            break;
        at++;
    }
    wr_buf_free(&clean);
}

/* ---- gathering ---- */

typedef struct pm {
    wr_incident inc;
    int64_t now;
    wr_milestones ms;
    int64_t met[WR_MET_COUNT];
    wr_event_list ev;
    wr_role_span *hist;
    size_t nhist;
    wr_attached *att;
    size_t natt;
    wr_step_row *steps;
    size_t nsteps;
    wr_asset *assets;
    size_t nassets;
    wr_indicator *ind;
    size_t nind;
    wr_action *actions;
    size_t nactions;
} pm;

static void pm_free(pm *p)
{
    wr_incident_clear(&p->inc);
    wr_event_list_free(&p->ev);
    wr_role_history_free(p->hist, p->nhist);
    wr_attached_free(p->att, p->natt);
    wr_checklist_free(p->steps, p->nsteps);
    wr_assets_free(p->assets, p->nassets);
    wr_indicators_free(p->ind, p->nind);
    wr_actions_free(p->actions, p->nactions);
}

static wr_status pm_load(wr_store *st, int64_t inc, pm *p, wr_error *err)
{
    memset(p, 0, sizeof *p);
    p->now = wr_clock_now_ms();
    wr_status r = wr_incident_get(st, inc, &p->inc, err);
    if (r == WR_OK)
        r = wr_milestones_get(st, inc, &p->ms, err);
    if (r == WR_OK)
        r = wr_store_events_after(st, inc, 0, 0, wr_event_list_add, &p->ev, err);
    if (r == WR_OK)
        r = wr_role_history(st, inc, &p->hist, &p->nhist, err);
    if (r == WR_OK)
        r = wr_attached_list(st, inc, &p->att, &p->natt, err);
    if (r == WR_OK)
        r = wr_checklist_get(st, inc, &p->steps, &p->nsteps, err);
    if (r == WR_OK)
        r = wr_assets_list(st, inc, &p->assets, &p->nassets, err);
    if (r == WR_OK)
        r = wr_indicators_list(st, inc, &p->ind, &p->nind, err);
    if (r == WR_OK)
        r = wr_actions_list(st, inc, &p->actions, &p->nactions, err);
    if (r != WR_OK) {
        pm_free(p);
        return r;
    }
    wr_metrics_compute(&p->ms, p->met);
    return WR_OK;
}

/* "2026-03-01 09:12:05" */
/* The chain's head as of the newest event the document was made from: its seq (0: none) and hash. */
static int64_t pm_head(wr_store *st, const pm *p, char head[65])
{
    head[0] = '\0';
    if (!p->ev.n || wr_store_chain_entry(st, p->ev.v[p->ev.n - 1].seq, head) != WR_OK || !*head)
        return 0;
    return p->ev.v[p->ev.n - 1].seq;
}

static char *stamp(int64_t ms, char *buf, size_t size)
{
    char iso[40];
    wr_time_iso(ms, iso, sizeof iso);
    snprintf(buf, size, "%.10s %.8s", iso, iso + 11);
    return buf;
}

static char *pstr(const wr_event *ev, const char *key)
{
    return wr_event_payload_str(ev->payload, key);
}

/* The update.sent result for update seq: "sent", "NOT sent: ..." or NULL if it was not sent. */
static char *update_result(const pm *p, int64_t seq)
{
    char *res = NULL;
    for (size_t i = 0; i < p->ev.n; i++) {
        const wr_event *e = &p->ev.v[i];
        if (!wr_ev_is(e->kind, WR_EV_UPDATE_SENT))
            continue;
        char *of = pstr(e, "update");
        if (of && strtoll(of, NULL, 10) == seq) {
            free(res);
            /* "update #12 sent (exit 0)" -> "sent (exit 0)" */
            char *desc = wr_event_describe(e);
            const char *rest = wr_startswith(desc, "update #") ? strchr(desc + 8, ' ') : NULL;
            res = wr_xstrdup(rest ? rest + 1 : desc);
            free(desc);
        }
        free(of);
    }
    return res;
}

static const char *tag_title(int t)
{
    static const char *const titles[3] = {"What went well", "What went badly", "Contributing factors"};
    return titles[t];
}

/* ---- Markdown ---- */

static void md_cell(wr_buf *o, const char *s)
{
    if (!s || !*s)
        wr_buf_puts(o, "-");
    else
        wr_md_escape(o, s, 1);
}

static void md_para(wr_buf *o, const char *s, const char *placeholder)
{
    if (s && *s)
        wr_md_escape(o, s, 0);
    else
        wr_buf_puts(o, placeholder);
    wr_buf_puts(o, "\n\n");
}

wr_status wr_postmortem_markdown(wr_store *st, int64_t inc, char **md, wr_error *err)
{
    pm p;
    wr_status r = pm_load(st, inc, &p, err);
    if (r != WR_OK)
        return r;
    wr_buf b = {0}, *o = &b;
    char t[40], t2[40], d[32];
    const wr_incident *i = &p.inc;

    wr_buf_printf(o, "# Postmortem: INC-%lld ", (long long)i->id);
    wr_md_escape(o, i->title, 1);
    wr_buf_puts(o, "\n\n*Blameless: this looks at what happened and how the response worked, so that it works "
                   "better next time; not at who is to blame.*\n\n");
    wr_buf_puts(o, "| | |\n|---|---|\n");
    wr_buf_printf(o, "| Incident | INC-%lld |\n", (long long)i->id);
    wr_buf_printf(o, "| Severity | %s |\n| Status | %s |\n| Type | ", i->severity, i->status);
    md_cell(o, i->type);
    wr_buf_printf(o, " |\n| Kind | %s |\n", i->kind);
    if (i->merged_into)
        wr_buf_printf(o, "| Merged into | INC-%lld |\n", (long long)i->merged_into);
    wr_buf_printf(o, "| Declared | %s UTC |\n", wr_lifecycle_time(i->declared_at, t, sizeof t));
    const char *ap = wr_decision_approach(i->decision);
    if (ap)
        wr_buf_printf(o, "| Decision frame | %s: %s |\n", i->decision, ap);
    wr_buf_printf(o, "| Generated | %s UTC |\n\n", wr_lifecycle_time(p.now, t, sizeof t));

    wr_buf_puts(o, "## Summary\n\n");
    md_para(o, i->summary, "_Not written yet: `warroom set summary TEXT`._");
    wr_buf_puts(o, "## Impact\n\n");
    md_para(o, i->impact, "_Not written yet: `warroom set impact TEXT`._");

    wr_buf_puts(o, "## Severity\n\n");
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        if (wr_ev_is(e->kind, WR_EV_INCIDENT_DECLARED)) {
            char *sev = pstr(e, "severity");
            wr_buf_printf(o, "- %s declared %s by ", stamp(e->occurred_at, t, sizeof t), sev ? sev : "?");
            wr_md_escape(o, e->actor, 1);
            wr_buf_putc(o, '\n');
            free(sev);
        } else if (wr_ev_is(e->kind, WR_EV_INCIDENT_CHANGED)) {
            char *field = pstr(e, "field");
            if (field && strcmp(field, "severity") == 0) {
                char *old = pstr(e, "old"), *nw = pstr(e, "new"), *why = pstr(e, "reason");
                wr_buf_printf(o, "- %s %s to %s by ", stamp(e->occurred_at, t, sizeof t), old ? old : "?",
                              nw ? nw : "?");
                wr_md_escape(o, e->actor, 1);
                if (why && *why) {
                    wr_buf_puts(o, ": ");
                    wr_md_escape(o, why, 1);
                }
                wr_buf_putc(o, '\n');
                free(old);
                free(nw);
                free(why);
            }
            free(field);
        }
    }
    const wr_severity_def *sd = wr_policy_severity(i->severity);
    if (sd)
        wr_buf_printf(o, "\n%s: %s.\n", i->severity, sd->meaning);
    wr_buf_putc(o, '\n');

    wr_buf_puts(o, "## Roles\n\n");
    if (!p.nhist) {
        wr_buf_puts(o, "_Nobody held a role._\n\n");
    } else {
        wr_buf_puts(o, "| Role | Held by | From (UTC) | To (UTC) | Assigned by |\n|---|---|---|---|---|\n");
        for (size_t k = 0; k < p.nhist; k++) {
            const wr_role_span *h = &p.hist[k];
            const wr_role_def *rd = wr_role_find(h->role);
            wr_buf_puts(o, "| ");
            md_cell(o, rd ? rd->title : h->role);
            wr_buf_puts(o, " | ");
            md_cell(o, h->holder);
            wr_buf_printf(o, " | %s | %s | ", wr_lifecycle_time(h->from, t, sizeof t),
                          h->to ? wr_lifecycle_time(h->to, t2, sizeof t2) : "-");
            md_cell(o, h->assigned_by);
            wr_buf_puts(o, " |\n");
        }
        wr_buf_putc(o, '\n');
    }

    wr_buf_puts(o, "## Milestones\n\n| Milestone | Time (UTC) | Recorded |\n|---|---|---|\n");
    for (int k = 0; k < WR_MS_COUNT; k++) {
        const char *src = p.ms.source[k];
        const char *how = !p.ms.at[k] ? "-" : strcmp(src, "manual") == 0 ? "corrected by hand"
                        : strcmp(src, "declare") == 0 ? "at declaration" : strcmp(src, "role") == 0
                        ? "first incident commander" : "status change";
        wr_buf_printf(o, "| %s | %s | %s |\n", wr_milestone_names[k],
                      p.ms.at[k] ? wr_lifecycle_time(p.ms.at[k], t, sizeof t) : "-", how);
    }
    wr_buf_puts(o, "\n## Metrics\n\n| Metric | Duration |\n|---|---|\n");
    for (int k = 0; k < WR_MET_COUNT; k++)
        wr_buf_printf(o, "| %s | %s |\n", wr_metric_names[k],
                      p.met[k] >= 0 ? wr_lifecycle_duration(p.met[k], d, sizeof d) : "-");
    wr_buf_printf(o, "\nTime to detect runs from the start to detection; the others from %s.\n\n",
                  p.ms.at[WR_MS_DETECTED] ? "detection" : "the declaration (detection was not recorded)");

    wr_buf_puts(o, "## Key moments\n\n");
    int any = 0;
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        if (!e->pinned)
            continue;
        char *desc = wr_event_describe(e);
        wr_buf_printf(o, "- #%zu %s ", k + 1, stamp(e->occurred_at, t, sizeof t));
        wr_md_escape(o, e->actor, 1);
        wr_buf_puts(o, ": ");
        md_item_text(o, desc);
        wr_buf_putc(o, '\n');
        free(desc);
        any = 1;
    }
    wr_buf_puts(o, any ? "\n" : "_None pinned: `warroom pin N` marks a timeline entry as a key moment._\n\n");

    wr_buf_puts(o, "## Timeline\n\nAll times UTC; entry numbers as in `warroom tail`.\n\n");
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        char *desc = wr_event_describe(e);
        wr_buf_printf(o, "- #%zu %s ", k + 1, stamp(e->occurred_at, t, sizeof t));
        wr_md_escape(o, e->actor, 1);
        wr_buf_puts(o, ": ");
        md_item_text(o, desc);
        if (e->pinned)
            wr_buf_puts(o, " (key moment)");
        wr_buf_putc(o, '\n');
        free(desc);
    }
    wr_buf_putc(o, '\n');
    char head[65];
    int64_t hseq = pm_head(st, &p, head);
    if (hseq)
        wr_buf_printf(o, "Chain head: `%s` (entry #%zu). The timeline is sealed in a tamper-evident chain: `warroom "
                         "verify INC-%lld --against %.12s` shows whether it still holds what this document was made "
                         "from.\n\n", head, p.ev.n, (long long)i->id, head);

    wr_buf_puts(o, "## Runbook progress\n\n");
    if (!p.natt)
        wr_buf_puts(o, "_No runbook was attached._\n\n");
    for (size_t a = 0; a < p.natt; a++) {
        size_t total = 0, done = 0, skipped = 0;
        for (size_t k = 0; k < p.nsteps; k++)
            if (strcmp(p.steps[k].runbook, p.att[a].runbook) == 0) {
                total++;
                done += p.steps[k].st == WR_STEP_STATE_DONE;
                skipped += p.steps[k].st == WR_STEP_STATE_SKIPPED;
            }
        wr_buf_printf(o, "### %s v%ld: ", p.att[a].runbook, p.att[a].version);
        wr_md_escape(o, p.att[a].title, 1);
        wr_buf_printf(o, "\n\n%zu of %zu steps done, %zu skipped.\n\n", done, total, skipped);
        for (size_t k = 0; k < p.nsteps; k++) {
            const wr_step_row *s = &p.steps[k];
            if (strcmp(s->runbook, p.att[a].runbook) != 0)
                continue;
            wr_buf_printf(o, "- [%c] ", s->st == WR_STEP_STATE_DONE ? 'x' : ' ');
            wr_md_escape(o, s->title, 1);
            wr_buf_printf(o, " (%s%s; %s", s->phase, s->mandatory ? ", mandatory" : "", s->state);
            if (*s->owner) {
                wr_buf_puts(o, "; owner ");
                wr_md_escape(o, s->owner, 1);
            }
            if (*s->reason) {
                wr_buf_puts(o, ": ");
                wr_md_escape(o, s->reason, 1);
            }
            wr_buf_puts(o, ")\n");
        }
        wr_buf_putc(o, '\n');
    }

    wr_buf_puts(o, "## Stakeholder updates\n\n");
    any = 0;
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        if (!wr_ev_is(e->kind, WR_EV_UPDATE))
            continue;
        char *aud = pstr(e, "audience"), *text = pstr(e, "text");
        char *res = update_result(&p, e->seq);
        wr_buf_printf(o, "- %s to %s by ", stamp(e->occurred_at, t, sizeof t), aud ? aud : "?");
        wr_md_escape(o, e->actor, 1);
        wr_buf_puts(o, ": ");
        md_item_text(o, text ? text : "");
        wr_buf_puts(o, " (");
        wr_md_escape(o, res ? res : "recorded, not sent", 1);
        wr_buf_puts(o, ")\n");
        free(aud);
        free(text);
        free(res);
        any = 1;
    }
    wr_buf_puts(o, any ? "\n" : "_No update was recorded._\n\n");
    wr_exhibit_postmortem_md(o, p.ev.v, p.ev.n);

    wr_buf_puts(o, "## Affected assets and indicators\n\n");
    for (size_t k = 0; k < p.nassets; k++) {
        wr_buf_printf(o, "- %s: ", p.assets[k].kind);
        wr_md_escape(o, p.assets[k].name, 1);
        wr_buf_putc(o, '\n');
    }
    for (size_t k = 0; k < p.nind; k++) {
        wr_buf_printf(o, "- indicator %s: ", p.ind[k].type);
        wr_md_escape(o, p.ind[k].value, 1);
        if (*p.ind[k].note) {
            wr_buf_puts(o, " (");
            wr_md_escape(o, p.ind[k].note, 1);
            wr_buf_putc(o, ')');
        }
        wr_buf_putc(o, '\n');
    }
    wr_buf_puts(o, p.nassets || p.nind ? "\n" : "_None recorded._\n\n");

    for (int tg = 0; tg < 3; tg++) {
        wr_buf_printf(o, "## %s\n\n", tag_title(tg));
        any = 0;
        for (size_t k = 0; k < p.ev.n; k++) {
            const wr_event *e = &p.ev.v[k];
            if (!wr_ev_is(e->kind, WR_EV_NOTE))
                continue;
            char *tag = pstr(e, "tag");
            if (tag && strcmp(tag, wr_note_tags[tg]) == 0) {
                char *text = pstr(e, "text");
                wr_buf_puts(o, "- ");
                md_item_text(o, text ? text : "");
                wr_buf_puts(o, " (");
                wr_md_escape(o, e->actor, 1);
                wr_buf_puts(o, ")\n");
                free(text);
                any = 1;
            }
            free(tag);
        }
        if (any)
            wr_buf_putc(o, '\n');
        else
            wr_buf_printf(o, "_To fill in (or record them as they come: `warroom note --tag %s TEXT`)._\n\n",
                          wr_note_tags[tg]);
    }

    wr_buf_puts(o, "## Action items\n\n");
    if (!p.nactions) {
        wr_buf_puts(o, "_None yet: `warroom action add TITLE --owner U --due DATE --type T`._\n");
    } else {
        wr_buf_puts(o, "| # | Action | Type | Owner | Due | State |\n|---|---|---|---|---|---|\n");
        for (size_t k = 0; k < p.nactions; k++) {
            const wr_action *a = &p.actions[k];
            wr_buf_printf(o, "| %lld | ", (long long)a->n);
            md_cell(o, a->title);
            wr_buf_printf(o, " | %s | ", a->type);
            md_cell(o, a->owner);
            wr_buf_printf(o, " | %s | %s", *a->due ? a->due : "-", a->state);
            if (*a->reason) {
                wr_buf_puts(o, ": ");
                wr_md_escape(o, a->reason, 1);
            }
            wr_buf_puts(o, " |\n");
        }
    }
    pm_free(&p);
    *md = wr_buf_steal(&b);
    return WR_OK;
}

/* ---- JSON ---- */

static void js_time(wr_buf *o, const char *key, int64_t ms)
{
    char t[40];
    wr_json_key(o, key);
    if (ms)
        wr_json_str(o, wr_time_iso(ms, t, sizeof t));
    else
        wr_buf_puts(o, "null");
}

static void js_event(wr_buf *o, const wr_event *e, size_t n)
{
    char *desc = wr_event_describe(e);
    wr_buf_putc(o, '{');
    wr_json_kv_int(o, "n", (long long)n);
    wr_json_kv_int(o, "seq", e->seq);
    js_time(o, "at", e->occurred_at);
    wr_json_kv_str(o, "actor", e->actor);
    wr_json_kv_str(o, "kind", e->kind);
    wr_json_kv_str(o, "text", desc);
    wr_json_key(o, "pinned");
    wr_buf_puts(o, e->pinned ? "true" : "false");
    wr_buf_putc(o, '}');
    free(desc);
}

wr_status wr_postmortem_json(wr_store *st, int64_t inc, char **json, wr_error *err)
{
    pm p;
    wr_status r = pm_load(st, inc, &p, err);
    if (r != WR_OK)
        return r;
    wr_buf b = {0}, *o = &b;
    const wr_incident *i = &p.inc;
    char ref[32];
    wr_buf_puts(o, "{\"incident\":{");
    wr_json_kv_int(o, "id", i->id);
    wr_json_kv_str(o, "ref", wr_incident_ref(i->id, ref, sizeof ref));
    wr_json_kv_str(o, "title", i->title);
    wr_json_kv_str(o, "severity", i->severity);
    const wr_severity_def *sd = wr_policy_severity(i->severity);
    wr_json_kv_str(o, "severity_meaning", sd ? sd->meaning : NULL);
    wr_json_kv_str(o, "status", i->status);
    wr_json_kv_str(o, "type", i->type);
    wr_json_kv_str(o, "kind", i->kind);
    wr_json_kv_str(o, "summary", i->summary);
    wr_json_kv_str(o, "impact", i->impact);
    wr_json_kv_str(o, "decision", *i->decision ? i->decision : NULL);
    wr_json_kv_str(o, "approach", wr_decision_approach(i->decision));
    wr_json_key(o, "merged_into");
    if (i->merged_into)
        wr_buf_printf(o, "\"INC-%lld\"", (long long)i->merged_into);
    else
        wr_buf_puts(o, "null");
    js_time(o, "declared_at", i->declared_at);
    wr_buf_putc(o, '}');
    js_time(o, "generated_at", p.now);
    char head[65];
    int64_t hseq = pm_head(st, &p, head);
    wr_json_key(o, "chain");
    if (hseq) {
        wr_buf_putc(o, '{');
        wr_json_kv_str(o, "head", head);
        wr_json_kv_int(o, "n", (long long)p.ev.n);
        wr_json_kv_int(o, "seq", hseq);
        wr_buf_putc(o, '}');
    } else {
        wr_buf_puts(o, "null");
    }

    wr_json_key(o, "severity_changes");
    wr_buf_putc(o, '[');
    int first = 1;
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        char *field = wr_ev_is(e->kind, WR_EV_INCIDENT_CHANGED) ? pstr(e, "field") : NULL;
        int declared = wr_ev_is(e->kind, WR_EV_INCIDENT_DECLARED);
        if (declared || (field && strcmp(field, "severity") == 0)) {
            char *old = declared ? NULL : pstr(e, "old");
            char *nw = pstr(e, declared ? "severity" : "new");
            char *why = declared ? NULL : pstr(e, "reason");
            wr_buf_puts(o, first ? "{" : ",{");
            first = 0;
            js_time(o, "at", e->occurred_at);
            wr_json_kv_str(o, "from", old);
            wr_json_kv_str(o, "to", nw);
            wr_json_kv_str(o, "by", e->actor);
            wr_json_kv_str(o, "reason", why);
            wr_buf_putc(o, '}');
            free(old);
            free(nw);
            free(why);
        }
        free(field);
    }
    wr_buf_putc(o, ']');

    wr_json_key(o, "roles");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < p.nhist; k++) {
        const wr_role_span *h = &p.hist[k];
        const wr_role_def *rd = wr_role_find(h->role);
        wr_buf_puts(o, k ? ",{" : "{");
        wr_json_kv_str(o, "role", h->role);
        wr_json_kv_str(o, "title", rd ? rd->title : h->role);
        wr_json_kv_str(o, "holder", h->holder);
        js_time(o, "from", h->from);
        js_time(o, "to", h->to);
        wr_json_kv_str(o, "assigned_by", h->assigned_by);
        wr_json_kv_str(o, "ended_by", *h->ended_by ? h->ended_by : NULL);
        wr_buf_putc(o, '}');
    }
    wr_buf_putc(o, ']');

    wr_json_key(o, "milestones");
    wr_buf_putc(o, '{');
    for (int k = 0; k < WR_MS_COUNT; k++)
        js_time(o, wr_milestone_names[k], p.ms.at[k]);
    wr_buf_putc(o, '}');
    wr_json_key(o, "metrics_seconds");
    wr_buf_putc(o, '{');
    for (int k = 0; k < WR_MET_COUNT; k++) {
        wr_json_key(o, wr_metric_keys[k]);
        if (p.met[k] >= 0)
            wr_buf_printf(o, "%lld", (long long)((p.met[k] + 500) / 1000));
        else
            wr_buf_puts(o, "null");
    }
    wr_buf_putc(o, '}');

    wr_json_key(o, "key_moments");
    wr_buf_putc(o, '[');
    first = 1;
    for (size_t k = 0; k < p.ev.n; k++)
        if (p.ev.v[k].pinned) {
            if (!first)
                wr_buf_putc(o, ',');
            first = 0;
            js_event(o, &p.ev.v[k], k + 1);
        }
    wr_buf_putc(o, ']');
    wr_json_key(o, "timeline");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < p.ev.n; k++) {
        if (k)
            wr_buf_putc(o, ',');
        js_event(o, &p.ev.v[k], k + 1);
    }
    wr_buf_putc(o, ']');

    wr_json_key(o, "runbooks");
    wr_buf_putc(o, '[');
    for (size_t a = 0; a < p.natt; a++) {
        wr_buf_puts(o, a ? ",{" : "{");
        wr_json_kv_str(o, "id", p.att[a].runbook);
        wr_json_kv_str(o, "title", p.att[a].title);
        wr_json_kv_int(o, "version", p.att[a].version);
        wr_json_key(o, "steps");
        wr_buf_putc(o, '[');
        first = 1;
        for (size_t k = 0; k < p.nsteps; k++) {
            const wr_step_row *s = &p.steps[k];
            if (strcmp(s->runbook, p.att[a].runbook) != 0)
                continue;
            wr_buf_puts(o, first ? "{" : ",{");
            first = 0;
            wr_json_kv_str(o, "id", s->step);
            wr_json_kv_str(o, "title", s->title);
            wr_json_kv_str(o, "phase", s->phase);
            wr_json_key(o, "mandatory");
            wr_buf_puts(o, s->mandatory ? "true" : "false");
            wr_json_kv_str(o, "state", s->state);
            wr_json_kv_str(o, "owner", s->owner);
            wr_json_kv_str(o, "reason", s->reason);
            wr_buf_putc(o, '}');
        }
        wr_buf_puts(o, "]}");
    }
    wr_buf_putc(o, ']');

    wr_json_key(o, "updates");
    wr_buf_putc(o, '[');
    first = 1;
    for (size_t k = 0; k < p.ev.n; k++) {
        const wr_event *e = &p.ev.v[k];
        if (!wr_ev_is(e->kind, WR_EV_UPDATE))
            continue;
        char *aud = pstr(e, "audience"), *text = pstr(e, "text");
        char *res = update_result(&p, e->seq);
        wr_buf_puts(o, first ? "{" : ",{");
        first = 0;
        wr_json_kv_int(o, "seq", e->seq);
        js_time(o, "at", e->occurred_at);
        wr_json_kv_str(o, "audience", aud);
        wr_json_kv_str(o, "by", e->actor);
        wr_json_kv_str(o, "text", text);
        wr_json_kv_str(o, "sent", res);
        wr_buf_putc(o, '}');
        free(aud);
        free(text);
        free(res);
    }
    wr_buf_putc(o, ']');
    wr_exhibit_postmortem_json(o, p.ev.v, p.ev.n);

    wr_json_key(o, "assets");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < p.nassets; k++) {
        wr_buf_puts(o, k ? ",{" : "{");
        wr_json_kv_str(o, "kind", p.assets[k].kind);
        wr_json_kv_str(o, "name", p.assets[k].name);
        wr_buf_putc(o, '}');
    }
    wr_buf_putc(o, ']');
    wr_json_key(o, "indicators");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < p.nind; k++) {
        wr_buf_puts(o, k ? ",{" : "{");
        wr_json_kv_str(o, "type", p.ind[k].type);
        wr_json_kv_str(o, "value", p.ind[k].value);
        wr_json_kv_str(o, "note", p.ind[k].note);
        wr_buf_putc(o, '}');
    }
    wr_buf_putc(o, ']');

    static const char *const keys[3] = {"went_well", "went_badly", "contributing_factors"};
    for (int tg = 0; tg < 3; tg++) {
        wr_json_key(o, keys[tg]);
        wr_buf_putc(o, '[');
        first = 1;
        for (size_t k = 0; k < p.ev.n; k++) {
            const wr_event *e = &p.ev.v[k];
            if (!wr_ev_is(e->kind, WR_EV_NOTE))
                continue;
            char *tag = pstr(e, "tag");
            if (tag && strcmp(tag, wr_note_tags[tg]) == 0) {
                char *text = pstr(e, "text");
                wr_buf_puts(o, first ? "{" : ",{");
                first = 0;
                wr_json_kv_str(o, "text", text);
                wr_json_kv_str(o, "by", e->actor);
                js_time(o, "at", e->occurred_at);
                wr_buf_putc(o, '}');
                free(text);
            }
            free(tag);
        }
        wr_buf_putc(o, ']');
    }

    wr_json_key(o, "action_items");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < p.nactions; k++) {
        const wr_action *a = &p.actions[k];
        wr_buf_puts(o, k ? ",{" : "{");
        wr_json_kv_int(o, "n", a->n);
        wr_json_kv_str(o, "title", a->title);
        wr_json_kv_str(o, "type", a->type);
        wr_json_kv_str(o, "owner", a->owner);
        wr_json_kv_str(o, "due", a->due);
        wr_json_kv_str(o, "state", a->state);
        wr_json_kv_str(o, "reason", a->reason);
        wr_buf_putc(o, '}');
    }
    wr_buf_puts(o, "]}");
    pm_free(&p);
    *json = wr_buf_steal(&b);
    return WR_OK;
}
