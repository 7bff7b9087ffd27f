/* SPDX-License-Identifier: MIT */
/* notice.c - what the console tells its operator beyond the panes: notices in the status line for the events
 * that concern this operator (a role given to or taken from them, a step assigned to them, the shown
 * incident's severity changed, an incident declared elsewhere), the bell for those that need action, the
 * history of the status line's messages (`M`), the unread counts of panes not shown, and the offer of the
 * incident being worked when the shown one is over.
 *
 * Everything here comes from the events the console reads anyway (state.c's feed, incrementally, on a
 * change): no timer and no read of its own, so an idle console costs nothing more. Text from the database
 * (names, step ids) is kept raw and cleaned where it is drawn (the status line, the pager). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/evkind.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIST_MAX 50 /* messages kept for `M` */

void tui_history_add(console *c, int kind, const char *text)
{
    if (!text || !*text)
        return;
    if (c->nhist == HIST_MAX) {
        free(c->hist[0].text);
        memmove(c->hist, c->hist + 1, (HIST_MAX - 1) * sizeof *c->hist);
        c->nhist--;
    }
    if (!c->hist)
        c->hist = wr_xcalloc(HIST_MAX, sizeof *c->hist);
    tui_msg m = {wr_clock_now_ms(), kind, wr_xstrdup(text)};
    c->hist[c->nhist++] = m;
}

void tui_show_history(console *c)
{
    wr_buf b = {0};
    if (!c->nhist)
        wr_buf_puts(&b, "No messages yet.\n");
    for (size_t i = c->nhist; i-- > 0;) {
        char t[16];
        const char *mark = c->hist[i].kind == MSG_ERROR ? "error " : c->hist[i].kind == MSG_WARN ? "! " : "";
        wr_buf_printf(&b, "%s %s%s\n", wr_time_hms(c->hist[i].at, t, sizeof t), mark, c->hist[i].text);
    }
    tui_pager_show(c, "Messages, newest first (UTC)", wr_buf_str(&b));
    wr_buf_free(&b);
}

void tui_notice_free(console *c)
{
    for (size_t i = 0; i < c->nhist; i++)
        free(c->hist[i].text);
    free(c->hist);
    c->hist = NULL;
    c->nhist = 0;
}

/* ---- unread counts ---- */

/* Pane p of the room is on the screen (the compact layout's roles line counts: it shows the summary). */
static int shown(console *c, int p)
{
    return c->view == VIEW_ROOM && c->lay.mode != WR_LAYOUT_TOO_SMALL && c->lay.pane[p].h > 0 &&
           c->lay.pane[p].w > 0;
}

void tui_unread_clear_shown(console *c)
{
    for (int p = 0; p < WR_PANE_COUNT; p++)
        if (shown(c, p))
            c->unread[p] = 0;
}

/* The panes an event of the shown incident adds to: every event is a timeline entry. */
static void count_unread(console *c, const wr_event *ev)
{
    int to[WR_PANE_COUNT] = {0};
    to[WR_PANE_TIMELINE] = 1;
    switch (wr_evkind_of(ev->kind)) {
    case WR_EV_ROLE_ASSIGNED:
    case WR_EV_ROLE_REMOVED:
        to[WR_PANE_ROLES] = 1;
        break;
    case WR_EV_RUNBOOK_ATTACHED:
    case WR_EV_STEP_CHANGED:
    case WR_EV_STEP_ASSIGNED:
    case WR_EV_STEP_NOTE:
        to[WR_PANE_CHECKLIST] = 1;
        break;
    case WR_EV_INCIDENT_CHANGED:
    case WR_EV_INCIDENT_MERGED_IN:
    case WR_EV_MILESTONE_SET:
        to[WR_PANE_INCIDENT] = 1;
        break;
    default:
        break;
    }
    for (int p = 0; p < WR_PANE_COUNT; p++)
        if (to[p] && !shown(c, p)) {
            c->unread[p]++;
            c->chrome_dirty = 1; /* the zoom's tabs */
            c->panes[WR_PANE_ROLES].dirty = 1; /* the compact layout's roles line says what the incident missed */
        }
}

/* ---- notices ---- */

/* A notice: the status line (and the history); need_action: the bell too, unless the config says no. */
static void notice(console *c, int need_action, const char *fmt, ...) WR_PRINTF(3, 4);
static void notice(console *c, int need_action, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    tui_message(c, need_action ? MSG_WARN : MSG_INFO, "%s", text);
    if (need_action && !(c->o->config && c->o->config->bell == 0))
        c->bell_due = 1;
}

/* "incident commander" for a role id (the role set in force), else the id. */
static void role_name(const char *id, char *buf, size_t size)
{
    const wr_role_def *d = id ? wr_role_find(id) : NULL;
    snprintf(buf, size, "%s", d ? d->title : id ? id : "?");
    if (d && buf[0] && buf[1] && !isupper((unsigned char)buf[1]))
        buf[0] = (char)tolower((unsigned char)buf[0]); /* "Incident commander" -> "incident commander"; "SME" stays */
}

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void tui_notice_event(console *c, const wr_event *ev)
{
    const char *me = c->actor->name;
    if (is(ev->actor, me))
        return; /* this operator's own acts (here or in another session) are no news to them */
    if (ev->incident && ev->incident == c->inc)
        count_unread(c, ev);
    char ref[32], of[40], role[64];
    wr_incident_ref(ev->incident, ref, sizeof ref);
    /* "of INC-3" only for another incident than the one shown. */
    snprintf(of, sizeof of, "%s%s", ev->incident == c->inc ? "" : " of ", ev->incident == c->inc ? "" : ref);
    const char *who = ev->actor ? ev->actor : "?";
    switch (wr_evkind_of(ev->kind)) {
    case WR_EV_ROLE_ASSIGNED: {
        char *r = wr_event_payload_str(ev->payload, "role"), *u = wr_event_payload_str(ev->payload, "user");
        char *prev = wr_event_payload_str(ev->payload, "previous");
        role_name(r, role, sizeof role);
        if (is(u, me))
            notice(c, 1, "you are now %s%s (%s by %s)", role, of, prev && *prev ? "handed over" : "assigned", who);
        else if (is(prev, me))
            notice(c, 0, "you are no longer %s%s (%s took over, by %s)", role, of, u ? u : "?", who);
        free(r);
        free(u);
        free(prev);
        break;
    }
    case WR_EV_ROLE_REMOVED: {
        char *r = wr_event_payload_str(ev->payload, "role"), *u = wr_event_payload_str(ev->payload, "user");
        role_name(r, role, sizeof role);
        if (is(u, me))
            notice(c, 0, "you are no longer %s%s (taken off by %s)", role, of, who);
        free(r);
        free(u);
        break;
    }
    case WR_EV_STEP_ASSIGNED: {
        char *step = wr_event_payload_str(ev->payload, "step"), *o = wr_event_payload_str(ev->payload, "owner");
        if (is(o, me))
            notice(c, 1, "step %s%s assigned to you by %s", step ? step : "?", of, who);
        free(step);
        free(o);
        break;
    }
    case WR_EV_INCIDENT_CHANGED: {
        char *f = wr_event_payload_str(ev->payload, "field");
        if (is(f, "severity") && ev->incident == c->inc) {
            char *o = wr_event_payload_str(ev->payload, "old"), *n = wr_event_payload_str(ev->payload, "new");
            notice(c, 0, "%s %s -> %s by %s", ref, o && *o ? o : "?", n ? n : "?", who);
            free(o);
            free(n);
        }
        free(f);
        break;
    }
    case WR_EV_INCIDENT_DECLARED: {
        if (c->view == VIEW_ROOM && c->inc == 0)
            break; /* the empty war room opens it by itself (state.c) */
        char *sev = wr_event_payload_str(ev->payload, "severity"), *kind = wr_event_payload_str(ev->payload, "kind");
        char k[32];
        const char *l = tui_key_for(c, "incidents", k, sizeof k);
        c->announce_inc = ev->incident;
        if (l)
            notice(c, 1, "%s declared %s%s by %s: press %s to open", ref, sev ? sev : "?",
                   wr_incident_kind_is_drill(kind) ? " DRILL" : "", who, l);
        else
            notice(c, 1, "%s declared %s%s by %s: :open %s to open", ref, sev ? sev : "?",
                   wr_incident_kind_is_drill(kind) ? " DRILL" : "", who, ref);
        free(sev);
        free(kind);
        break;
    }
    default:
        break;
    }
}

/* ---- the shown incident is over: offer the one being worked ---- */

void tui_offer_check(console *c)
{
    int64_t offer = 0;
    if (c->inc && c->have_incident && !wr_status_is_open(c->incident.status)) {
        int64_t id = 0;
        wr_error err = {0};
        wr_status s = wr_incident_resolve(c->st, NULL, &id, &err);
        if (s == WR_E_BUSY)
            return; /* the next change looks again */
        if (s == WR_OK && id != c->inc)
            offer = id;
        else if (s == WR_E_INVALID)
            offer = -1; /* several open: the list */
    }
    if (offer != c->offer_inc) {
        c->offer_inc = offer;
        c->status_dirty = 1;
        if (!offer && c->msg_kind == MSG_WARN && strstr(c->msg, " is being worked: "))
            c->msg[0] = '\0'; /* the offer's message is out of date */
        if (offer) {
            /* Said once as a message (it outranks an older notice), then kept in the idle status line. */
            char k[16], me[32], ref[32];
            const char *l = tui_key_for(c, "incidents", k, sizeof k);
            wr_incident_ref(c->inc, me, sizeof me);
            if (offer > 0)
                tui_message(c, MSG_WARN, "%s is %s; %s is being worked: %s%s%s", me, c->incident.status,
                            wr_incident_ref(offer, ref, sizeof ref), l ? "press " : ":open ", l ? l : ref,
                            l ? " to open it" : "");
            else
                tui_message(c, MSG_WARN, "%s is %s; several incidents are open: %s%s to pick one", me,
                            c->incident.status, l ? "press " : ":", l ? l : "incidents");
        }
    }
}
