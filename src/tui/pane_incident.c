/* SPDX-License-Identifier: MIT */
/* pane_incident.c - the incident pane: title, severity, status and phase, type, drill marker, elapsed time,
 * summary and impact. Scrolls by line when the text is longer than the pane. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/lifecycle.h"
#include "warroom/oncall.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int top;   /* first row shown */
    int total; /* rows the last draw produced */
    tui_posmap pos;
} priv;

/* Rows are produced in order; only those inside the window are drawn. */
typedef struct rows {
    console *c;
    pane *p;
    int row, top, h, w;
} rows;

static int at(rows *r, int *y)
{
    *y = r->row - r->top;
    return *y >= 0 && *y < r->h;
}

static void line_clean(rows *r, int el, const char *clean)
{
    int y;
    if (at(r, &y))
        tui_put(r->c, r->p->win, 1 + y, 1, el, clean, r->w); /* cut with an ellipsis */
    r->row++;
}

/* One segment of a line at *x (raw text is cleaned; our own is clean already and cleaning it again changes
 * nothing). A segment that does not fit whole is cut with an ellipsis and ends the line: returns 0 then. */
static int seg(rows *r, int y, int *x, int el, const char *text)
{
    int avail = r->w - (*x - 1);
    if (avail <= 0)
        return 0;
    wr_buf b = {0};
    wr_text_clean(&b, text, strlen(text), WR_TEXT_ONELINE);
    int tw = (int)wr_text_width(wr_buf_str(&b));
    wr_buf_free(&b);
    *x += tui_put(r->c, r->p->win, 1 + y, *x, el, text, avail);
    return tw <= avail;
}

typedef struct wrapctx {
    rows *r;
    int el;
    int indent;
} wrapctx;

static void wrap_cb(const char *line, size_t n, size_t w, void *ctx)
{
    (void)w;
    wrapctx *x = ctx;
    int y;
    if (at(x->r, &y)) {
        char *s = wr_xstrndup(line, n);
        tui_put(x->r->c, x->r->p->win, 1 + y, 1 + x->indent, x->el, s, x->r->w - x->indent);
        free(s);
    }
    x->r->row++;
}

/* Raw text, cleaned (line breaks kept) and word-wrapped. */
static void para(rows *r, int el, const char *raw, int indent)
{
    wr_buf b = {0};
    wr_text_clean(&b, raw, strlen(raw), 0);
    wrapctx x = {r, el, indent};
    if (!b.len)
        wrap_cb("-", 1, 1, &x);
    else
        wr_text_wrap(wr_buf_str(&b), (size_t)(r->w - indent > 1 ? r->w - indent : 1), wrap_cb, &x);
    wr_buf_free(&b);
}

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void close_(pane *p)
{
    priv *s = p->priv;
    tui_pos_free(&s->pos);
    free(s);
    p->priv = NULL;
}

static void draw_empty(console *c, rows *r)
{
    char k1[32], k2[32];
    const char *d = tui_key_for(c, "prompt declare", k1, sizeof k1);
    const char *l = tui_key_for(c, "incidents", k2, sizeof k2);
    line_clean(r, WR_EL_HEADING, "No incident is open.");
    r->row++;
    wr_buf b = {0};
    if (d)
        wr_buf_printf(&b, "Press %s to declare one, or type :declare TITLE", d);
    else
        wr_buf_puts(&b, "Type :declare TITLE to declare one.");
    line_clean(r, WR_EL_NORMAL, wr_buf_str(&b));
    if (l) {
        wr_buf_reset(&b);
        wr_buf_printf(&b, "%s lists all incidents, closed ones too.", l);
        line_clean(r, WR_EL_MUTED, wr_buf_str(&b));
    }
    wr_buf_free(&b);
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int focused = c->focus == WR_PANE_INCIDENT;
    rows r = {c, p, 0, s->top, tui_inner_h(p), tui_inner_w(p)};
    if (!c->inc || !c->have_incident) {
        tui_frame(c, p, "Incident", NULL, NULL, focused);
        draw_empty(c, &r);
        s->total = r.row;
        return;
    }
    const wr_incident *i = &c->incident;
    char ref[32];
    wr_incident_ref(i->id, ref, sizeof ref);
    tui_frame(c, p, "Incident", ref, NULL, focused);
    int y;
    /* INC-4  SEV1  containment  DRILL */
    if (at(&r, &y)) {
        int x = 1;
        wr_buf sev = {0};
        wr_buf_printf(&sev, " %s ", i->severity);
        (void)(seg(&r, y, &x, WR_EL_PANE_TITLE, ref) && seg(&r, y, &x, WR_EL_NORMAL, "  ") &&
               seg(&r, y, &x, tui_sev_el(i->severity), wr_buf_str(&sev)) && seg(&r, y, &x, WR_EL_NORMAL, "  ") &&
               seg(&r, y, &x, WR_EL_HEADING, i->status) &&
               (!wr_incident_kind_is_drill(i->kind) ||
                (seg(&r, y, &x, WR_EL_NORMAL, "  ") && seg(&r, y, &x, WR_EL_DRILL, " DRILL "))));
        wr_buf_free(&sev);
    }
    r.row++;
    para(&r, WR_EL_PANE_TITLE, i->title, 0);
    /* Type and time (and how long it ran, once it is over). */
    if (at(&r, &y)) {
        char when[32], ago[32], ran[32];
        wr_buf b = {0};
        wr_buf_printf(&b, "declared %s UTC, %s ago", wr_time_short(i->declared_at, when, sizeof when),
                      wr_duration(wr_clock_now_ms() - i->declared_at, ago, sizeof ago));
        if (c->stopped_at)
            wr_buf_printf(&b, ", over after %s",
                          wr_duration(c->stopped_at > i->declared_at ? c->stopped_at - i->declared_at : 0, ran,
                                      sizeof ran));
        int x = 1;
        (void)(seg(&r, y, &x, WR_EL_MUTED, "type ") && seg(&r, y, &x, WR_EL_NORMAL, *i->type ? i->type : "-") &&
               seg(&r, y, &x, WR_EL_NORMAL, "  ") && seg(&r, y, &x, WR_EL_MUTED, wr_buf_str(&b)));
        wr_buf_free(&b);
    }
    r.row++;
    /* The lifecycle, the current phase marked. */
    if (at(&r, &y)) {
        int x = 1, found = 0, more = 1;
        for (size_t k = 0; k < 6 && more; k++) {
            int cur = strcmp(i->status, wr_statuses[k]) == 0;
            found |= cur;
            if (k)
                more = seg(&r, y, &x, WR_EL_MUTED, " > ");
            if (more)
                more = seg(&r, y, &x, cur ? WR_EL_SELECTED : WR_EL_MUTED, wr_statuses[k]);
        }
        if (!found && more)
            (void)(seg(&r, y, &x, WR_EL_MUTED, "  now: ") && seg(&r, y, &x, WR_EL_SELECTED, i->status));
    }
    r.row++;
    /* Required roles nobody holds, and the escalation step due for them (oncall.yaml). */
    if (c->nmissing) {
        wr_buf b = {0};
        wr_buf_puts(&b, "! Required role");
        wr_buf_puts(&b, c->nmissing > 1 ? "s" : "");
        wr_buf_puts(&b, " empty: ");
        for (size_t k = 0; k < c->nmissing; k++) {
            const wr_role_def *d = wr_role_find(c->missing[k]);
            wr_buf_printf(&b, "%s%s", k ? ", " : "", d ? d->title : c->missing[k]);
        }
        para(&r, WR_EL_WARNING, wr_buf_str(&b), 0);
        int64_t now = wr_clock_now_ms();
        for (size_t k = 0; c->oncall && k < c->nmissing; k++) {
            wr_oncall_due due;
            int64_t empty = now - c->missing_since[k];
            if (empty < 0)
                empty = 0;
            if (wr_oncall_escalation_due(c->oncall, c->missing[k], empty, now, &due) != 0)
                continue;
            if (due.step >= 0) {
                const wr_role_def *d = wr_role_find(c->missing[k]);
                char ago[32];
                wr_buf_reset(&b);
                wr_buf_printf(&b, "! %s empty %s: escalate (%s step %d): ", d ? d->abbrev : c->missing[k],
                              wr_duration(empty, ago, sizeof ago), due.policy->id, due.step + 1);
                for (size_t j = 0; j < due.nreach; j++)
                    wr_buf_printf(&b, "%s%s", j ? ", " : "", due.reach[j].user ? due.reach[j].user : "nobody");
                para(&r, WR_EL_WARNING, wr_buf_str(&b), 0);
            }
            wr_oncall_due_free(&due);
        }
        wr_buf_free(&b);
    }
    /* The decision frame and how to act in it. */
    if (i->decision && *i->decision) {
        const char *how = wr_decision_approach(i->decision);
        wr_buf b = {0};
        wr_buf_printf(&b, "Decision: %s", i->decision);
        if (how)
            wr_buf_printf(&b, " - %s", how);
        para(&r, WR_EL_NORMAL, wr_buf_str(&b), 0);
        wr_buf_free(&b);
    }
    line_clean(&r, WR_EL_HEADING, "Summary");
    para(&r, WR_EL_NORMAL, i->summary, 2);
    line_clean(&r, WR_EL_HEADING, "Impact");
    para(&r, WR_EL_NORMAL, i->impact, 2);
    s->total = r.row;
    if (s->total > s->top + r.h) {
        char more[32];
        snprintf(more, sizeof more, "%d more below", s->total - s->top - r.h);
        tui_frame(c, p, "Incident", ref, more, focused); /* the rows are drawn: only the border again */
    }
}

static int act(pane *p, console *c, wr_ui ui)
{
    (void)c;
    priv *s = p->priv;
    int h = tui_inner_h(p);
    int max = s->total - h > 0 ? s->total - h : 0;
    int top = s->top;
    if (!tui_motion(ui, &top, max + 1, h > 1 ? h - 1 : 1))
        return 0;
    if (top != s->top) {
        s->top = top;
        p->dirty = 1;
    }
    return 1;
}

static void incident(pane *p, console *c, int64_t from, int64_t to)
{
    (void)c;
    priv *s = p->priv;
    tui_pos_save(&s->pos, from, 0, s->top, 0);
    tui_pos pos;
    s->top = tui_pos_find(&s->pos, to, &pos) ? pos.top : 0;
}

const pane_ops wr_pane_incident_ops = {
    .name = "incident",
    .open = open_,
    .draw = draw,
    .act = act,
    .incident = incident,
    .close = close_,
};
