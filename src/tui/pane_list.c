/* SPDX-License-Identifier: MIT */
/* pane_list.c - the incident list view: every incident, open ones first, with ref, severity, status, age,
 * drill marker and title. `/` filters by substring, Enter opens one, Esc goes back to the war room. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int sel, top;
    char *filter;
} priv;

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void close_(pane *p)
{
    priv *s = p->priv;
    free(s->filter);
    free(s);
    p->priv = NULL;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 1;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int matches(const wr_incident *i, const char *filter)
{
    if (!filter || !*filter)
        return 1;
    char ref[32];
    wr_incident_ref(i->id, ref, sizeof ref);
    return contains_ci(ref, filter) || contains_ci(i->title, filter) || contains_ci(i->status, filter) ||
           contains_ci(i->severity, filter) || contains_ci(i->type, filter) ||
           (wr_incident_kind_is_drill(i->kind) && contains_ci("drill", filter));
}

/* Indices of the incidents the filter lets through. */
static int *shown(console *c, priv *s, int *n)
{
    int *v = wr_xcalloc(c->nlist + 1, sizeof *v);
    int k = 0;
    for (size_t i = 0; i < c->nlist; i++)
        if (matches(&c->list[i], s->filter))
            v[k++] = (int)i;
    *n = k;
    return v;
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    int n;
    int *v = shown(c, s, &n);
    tui_scroll_fix(&s->sel, &s->top, n, h - 1);
    char info[128];
    if (s->filter && *s->filter) {
        wr_buf f = {0};
        wr_text_fit(&f, s->filter, strlen(s->filter), 40, 1, WR_TEXT_ONELINE);
        snprintf(info, sizeof info, "%d of %zu match \"%s\"", n, c->nlist, wr_buf_str(&f));
        wr_buf_free(&f);
    } else {
        snprintf(info, sizeof info, "%zu incidents", c->nlist);
    }
    tui_frame(c, p, "Incidents", info, NULL, 1);
    tui_put_clean(c, p->win, 1, 1, WR_EL_MUTED,
                  "REF       SEV   STATUS           AGE     TITLE            (Enter opens, / filters, Esc back)", w);
    int64_t now = wr_clock_now_ms();
    for (int r = s->top; r < n && r - s->top < h - 1; r++) {
        const wr_incident *i = &c->list[v[r]];
        int y = 2 + r - s->top, x = 1;
        int selected = r == s->sel;
        int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
        int open = wr_status_is_open(i->status);
        if (selected)
            tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
        char ref[32], age[32];
        wr_buf b = {0};
        wr_fmt_cell(&b, wr_incident_ref(i->id, ref, sizeof ref), 9, 0);
        x += tui_put_clean(c, p->win, y, x, selected ? base : open ? WR_EL_PANE_TITLE : WR_EL_MUTED, wr_buf_str(&b), w);
        x++;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, i->severity, 4, 0);
        x += tui_put(c, p->win, y, x, selected ? base : tui_sev_el(i->severity), wr_buf_str(&b), w - x + 1) + 2;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, i->status, 16, 0);
        x += tui_put(c, p->win, y, x, selected ? base : open ? WR_EL_NORMAL : WR_EL_MUTED, wr_buf_str(&b), w - x + 1) + 1;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, wr_duration(now - i->declared_at, age, sizeof age), 6, 1);
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w - x + 1) + 2;
        if (wr_incident_kind_is_drill(i->kind))
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_DRILL, "DRILL", w - x + 1) + 1;
        if (i->id == c->inc && w - x > 12)
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_HEADING, "(shown)", w - x + 1) + 1;
        tui_put(c, p->win, y, x, selected ? base : open ? WR_EL_NORMAL : WR_EL_MUTED, i->title, w - x + 1);
        wr_buf_free(&b);
    }
    if (!n)
        tui_put_clean(c, p->win, 2, 1, WR_EL_MUTED,
                      c->nlist ? "No incident matches." : "No incidents yet: D declares one.", w);
    free(v);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    if (ui == WR_UI_FILTER) {
        tui_prompt_open(c, PROMPT_FILTER, "/", s->filter ? s->filter : "");
        return 1;
    }
    if (ui == WR_UI_BACK) {
        /* The filter first, then the room (when one is open). */
        if (s->filter && *s->filter)
            tui_list_set_filter(c, "");
        else if (c->inc)
            tui_open_incident(c, c->inc);
        return 1;
    }
    int n;
    int *v = shown(c, s, &n);
    int handled = 1;
    if (tui_motion(ui, &s->sel, n, tui_inner_h(p) - 2)) {
        tui_scroll_fix(&s->sel, &s->top, n, tui_inner_h(p) - 1);
        p->dirty = 1;
    } else if (ui == WR_UI_SELECT || ui == WR_UI_TICK) {
        if (n && s->sel < n)
            tui_open_incident(c, c->list[v[s->sel]].id);
    } else {
        handled = 0;
    }
    free(v);
    return handled;
}

static void click(pane *p, console *c, int row)
{
    priv *s = p->priv;
    (void)c;
    if (row >= 1) {
        s->sel = s->top + row - 1;
        p->dirty = 1;
    }
}

void tui_list_set_filter(console *c, const char *filter)
{
    priv *s = c->panes[PANE_LIST].priv;
    free(s->filter);
    s->filter = wr_xstrdup(filter ? filter : "");
    s->sel = s->top = 0;
    c->panes[PANE_LIST].dirty = 1;
}

void tui_list_select(console *c, int64_t id)
{
    priv *s = c->panes[PANE_LIST].priv;
    int n;
    int *v = shown(c, s, &n);
    for (int i = 0; i < n; i++)
        if (c->list[v[i]].id == id)
            s->sel = i;
    free(v);
    c->panes[PANE_LIST].dirty = 1;
}

const char *tui_list_filter(console *c)
{
    priv *s = c->panes[PANE_LIST].priv;
    return s->filter ? s->filter : "";
}

const pane_ops wr_pane_list_ops = {
    .name = "incidents",
    .open = open_,
    .draw = draw,
    .act = act,
    .click = click,
    .close = close_,
};
