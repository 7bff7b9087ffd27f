/* SPDX-License-Identifier: MIT */
/* pane_timeline.c - the timeline pane: newest at the bottom, each entry with time, actor and text; pinned
 * entries marked. It draws from the console's window onto the log (timeline.h) and pages it with keyset
 * queries as the selection moves, so only entries near the screen are ever read. */
#include "tui_int.h"

#include "warroom/exhibit.h"

#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/fmt.h"

#include <stdlib.h>
#include <string.h>

#define LOAD 200  /* entries read when (re)opening */
#define CHUNK 100 /* entries read when scrolling past the window */

typedef struct priv {
    int sel, top;
    int follow; /* stay on the newest entry */
    size_t fresh; /* entries that came in below while the operator was scrolled up (the window held them) */
    tui_posmap pos;
} priv;

static priv *get(console *c)
{
    return c->panes[WR_PANE_TIMELINE].priv;
}

static void open_(pane *p)
{
    priv *s = wr_xcalloc(1, sizeof(priv));
    s->follow = 1;
    p->priv = s;
}

static void close_(pane *p)
{
    priv *s = p->priv;
    tui_pos_free(&s->pos);
    free(s);
    p->priv = NULL;
}

static int page(const pane *p)
{
    int h = tui_inner_h(p);
    return h > 2 ? h - 1 : 1;
}

static void fix(pane *p, console *c)
{
    priv *s = p->priv;
    int n = (int)c->tl.n, h = tui_inner_h(p);
    if (s->follow && c->tl.at_end) {
        s->sel = n - 1;
        s->top = n - h;
    }
    tui_scroll_fix(&s->sel, &s->top, n, h);
    s->follow = c->tl.at_end && (n == 0 || s->sel == n - 1);
    if (s->follow || s->top + h >= n)
        s->fresh = 0; /* the newest are in view again */
}

static void draw(pane *p, console *c)
{
    if (c->rp) {
        tui_replay_draw(p, c);
        return;
    }
    priv *s = p->priv;
    int focused = c->focus == WR_PANE_TIMELINE;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    fix(p, c);
    const wr_tlwin *tl = &c->tl;
    char info[48] = "", foot[64] = "";
    if (focused && tl->n)
        snprintf(info, sizeof info, "#%lld", (long long)tl->v[s->sel].n);
    char k[16];
    const char *end = tui_key_for(c, "bottom", k, sizeof k);
    if (tl->unseen + s->fresh)
        snprintf(foot, sizeof foot, "%zu new below: %s to jump", tl->unseen + s->fresh, end ? end : ":bottom");
    else if (!tl->at_end || s->top + h < (int)tl->n)
        snprintf(foot, sizeof foot, "more below");
    tui_frame(c, p, "Timeline", info, foot, focused);
    if (!tl->n) {
        tui_put_clean(c, p->win, 1, 1, WR_EL_MUTED, c->inc ? "No entries yet." : "-", w);
        return;
    }
    int show_seq = w >= 100;
    for (int i = s->top; i < (int)tl->n && i - s->top < h; i++) {
        const wr_tl_entry *e = &tl->v[i];
        int y = 1 + i - s->top, x = 1;
        int selected = focused && i == s->sel;
        int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
        if (selected)
            tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
        char t[16];
        wr_buf b = {0};
        if (show_seq) {
            wr_buf_printf(&b, "#%-6lld", (long long)e->n);
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w) + 1;
        }
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_time_hms(e->at, t, sizeof t), w - x + 1);
        x++;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, e->actor, 12, 0);
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), w - x + 1);
        x++;
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_PINNED, e->pinned ? "*" : " ", w - x + 1);
        x++;
        int el = wr_ev_is(e->kind, WR_EV_NOTE) ? WR_EL_NORMAL : WR_EL_MUTED;
        if (e->pinned)
            el = WR_EL_PINNED;
        tui_put_entry_text(c, p->win, y, x, selected ? base : el, e->text, w - x + 1);
        wr_buf_free(&b);
    }
}

/* Move the selection by delta entries, reading older or newer ones as it passes the window's ends. */
static void move_sel(pane *p, console *c, int delta)
{
    priv *s = p->priv;
    wr_error err = {0};
    int target = s->sel + delta;
    while (target < 0 && !c->tl.at_start) {
        size_t added = 0;
        if (wr_tlwin_older(&c->tl, c->st, CHUNK, &added, &err) != WR_OK || !added)
            break;
        target += (int)added;
        s->sel += (int)added;
        s->top += (int)added;
    }
    while (target >= (int)c->tl.n && !c->tl.at_end) {
        size_t added = 0, dropped = 0;
        if (wr_tlwin_newer(&c->tl, c->st, CHUNK, &added, &dropped, &err) != WR_OK || (!added && !dropped))
            break;
        target -= (int)dropped;
        s->sel -= (int)dropped;
        s->top -= (int)dropped;
    }
    if (err.status != WR_OK)
        tui_message(c, MSG_WARN, "timeline: %s", err.msg);
    s->sel = target;
    s->follow = 0;
    tui_scroll_fix(&s->sel, &s->top, (int)c->tl.n, tui_inner_h(p));
    s->follow = c->tl.at_end && s->sel == (int)c->tl.n - 1;
    p->dirty = 1;
}

static void detail(console *c, const wr_tl_entry *e)
{
    char iso[40], title[64];
    wr_buf b = {0};
    wr_buf_printf(&b, "Entry #%lld%s\nWhen:   %s\nWho:    %s (%s)\nKind:   %s\n\n%s\n", (long long)e->n,
                  e->pinned ? "  (pinned)" : "", wr_time_iso(e->at, iso, sizeof iso), e->actor, e->source, e->kind,
                  e->text);
    snprintf(title, sizeof title, "Timeline entry #%lld", (long long)e->n);
    /* A command run or a file attached: its evidence (the output, the file) follows the entry. */
    wr_buf ex = {0};
    wr_error err = {0};
    wr_status st = wr_exhibit_has(e->kind) ? wr_exhibit_pager_text(c->st, e->seq, &ex, &err) : WR_E_NOTFOUND;
    if (st == WR_OK) {
        wr_buf_puts(&b, "\n");
        wr_buf_puts(&b, wr_buf_str(&ex));
    } else if (st != WR_E_NOTFOUND) {
        tui_message(c, MSG_WARN, "entry #%lld: %s", (long long)e->n, err.msg);
    }
    wr_buf_free(&ex);
    tui_pager_show(c, title, wr_buf_str(&b));
    wr_buf_free(&b);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    wr_error err = {0};
    switch (ui) {
    case WR_UI_UP:
        move_sel(p, c, -1);
        break;
    case WR_UI_DOWN:
        move_sel(p, c, 1);
        break;
    case WR_UI_PAGE_UP:
        move_sel(p, c, -page(p));
        break;
    case WR_UI_PAGE_DOWN:
        move_sel(p, c, page(p));
        break;
    case WR_UI_TOP:
        if (wr_tlwin_load_start(&c->tl, c->st, LOAD, &err) == WR_OK) {
            s->sel = s->top = 0;
            s->follow = c->tl.at_end && c->tl.n <= 1;
        }
        p->dirty = 1;
        break;
    case WR_UI_BOTTOM:
        if (wr_tlwin_load_end(&c->tl, c->st, LOAD, &err) == WR_OK)
            s->follow = 1;
        p->dirty = 1;
        break;
    case WR_UI_SELECT:
        if (c->tl.n)
            detail(c, &c->tl.v[s->sel]);
        break;
    case WR_UI_TOGGLE_PIN:
        if (c->tl.n) {
            const wr_tl_entry *e = &c->tl.v[s->sel];
            char line[64];
            snprintf(line, sizeof line, "%s %lld", e->pinned ? "unpin" : "pin", (long long)e->n);
            tui_run_line(c, line);
        }
        break;
    default:
        return 0;
    }
    if (err.status != WR_OK)
        tui_message(c, MSG_WARN, "timeline: %s", err.msg);
    fix(p, c);
    return 1;
}

static void click(pane *p, console *c, int row)
{
    priv *s = p->priv;
    s->sel = s->top + row;
    s->follow = 0;
    tui_scroll_fix(&s->sel, &s->top, (int)c->tl.n, tui_inner_h(p));
    s->follow = c->tl.at_end && s->sel == (int)c->tl.n - 1;
    p->dirty = 1;
}

static void resize(pane *p, console *c)
{
    fix(p, c);
}

/* Remember where we were in the incident we leave; open the new one where we left it (or at its end). */
static void incident(pane *p, console *c, int64_t from, int64_t to)
{
    priv *s = p->priv;
    if (from && c->tl.incident == from)
        tui_pos_save(&s->pos, from, s->sel, s->top,
                     s->follow || !c->tl.n ? 0 : c->tl.v[s->sel < (int)c->tl.n ? s->sel : 0].seq);
    wr_tlwin_free(&c->tl);
    wr_tlwin_init(&c->tl, to, 400);
    s->sel = s->top = 0;
    s->fresh = 0;
    s->follow = 1;
    if (!to)
        return;
    wr_error err = {0};
    tui_pos pos;
    if (tui_pos_find(&s->pos, to, &pos) && pos.anchor) {
        if (wr_tlwin_load_at(&c->tl, c->st, pos.anchor, LOAD, &err) == WR_OK) {
            s->sel = (int)wr_tlwin_lower_bound(&c->tl, pos.anchor);
            s->top = s->sel - (pos.sel - pos.top);
            s->follow = 0;
        }
    } else {
        wr_tlwin_load_end(&c->tl, c->st, LOAD, &err);
    }
    if (err.status != WR_OK)
        tui_message(c, MSG_WARN, "timeline: %s", err.msg);
    tui_scroll_fix(&s->sel, &s->top, (int)c->tl.n, tui_inner_h(p) > 0 ? tui_inner_h(p) : 10);
    if (!s->follow)
        s->follow = c->tl.at_end && s->sel == (int)c->tl.n - 1;
}

void tui_timeline_polled(console *c, size_t added, size_t dropped, int changed)
{
    pane *p = &c->panes[WR_PANE_TIMELINE];
    priv *s = get(c);
    if (!changed && !dropped && !added) {
        if (c->tl.unseen)
            p->dirty = 1; /* the "new below" count */
        return;
    }
    if (!s->follow) {
        s->fresh += added;
        s->sel -= (int)dropped;
        s->top -= (int)dropped;
        if (s->sel < 0)
            s->sel = 0;
        if (s->top < 0)
            s->top = 0;
    }
    p->dirty = 1;
}

const pane_ops wr_pane_timeline_ops = {
    .name = "timeline",
    .open = open_,
    .draw = draw,
    .act = act,
    .click = click,
    .resize = resize,
    .incident = incident,
    .close = close_,
};
