/* SPDX-License-Identifier: MIT */
/* pane_roles.c - the roles pane: each role (of the role set in force) and who holds it, then who is in the room right now (consoles
 * open on this incident) and where they are connected from. Enter on a role opens ":assign ROLE ". */
#include "tui_int.h"

#include "warroom/fmt.h"
#include "warroom/policy.h"

#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int sel, top;
    tui_posmap pos;
} priv;

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

/* The role set in force (the configuration's, else the defaults). */
static const wr_role_def *roles(size_t *n)
{
    return wr_policy_roles(n);
}

/* Rows: the roles, a heading, then the people here. */
static int nrows(console *c)
{
    size_t nr;
    roles(&nr);
    return (int)nr + 1 + (c->nhere ? (int)c->nhere : 1);
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int focused = c->focus == WR_PANE_ROLES;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    int n = nrows(c);
    tui_scroll_fix(&s->sel, &s->top, n, h);
    char info[32];
    snprintf(info, sizeof info, "%zu here", c->nhere);
    tui_frame(c, p, "Roles", c->inc ? info : NULL, NULL, focused);
    int title_w = w >= 48 ? 24 : w >= 36 ? 16 : 0;
    size_t nr;
    const wr_role_def *defs = roles(&nr);
    for (int row = s->top; row < n && row - s->top < h; row++) {
        int y = 1 + row - s->top;
        int selected = focused && row == s->sel;
        int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
        if (selected)
            tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
        wr_buf b = {0};
        if (row < (int)nr) {
            const wr_role_def *d = &defs[row];
            int x = 1;
            wr_fmt_cell(&b, d->abbrev, 4, 0);
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w);
            if (title_w) {
                wr_buf_reset(&b);
                wr_fmt_cell(&b, d->title, (size_t)title_w - 1, 0);
                x += tui_put_clean(c, p->win, y, x, base, wr_buf_str(&b), w - x + 1) + 1;
            }
            wr_buf_reset(&b);
            for (size_t k = 0; k < c->nroles; k++)
                if (strcmp(c->roles[k].role, d->id) == 0)
                    wr_buf_printf(&b, "%s%s", b.len ? ", " : "", c->roles[k].holder);
            int required = 0;
            for (size_t k = 0; k < c->nmissing; k++)
                required |= strcmp(c->missing[k], d->id) == 0;
            if (b.len)
                tui_put(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), w - x + 1);
            else if (required)
                tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_WARNING, "! required, empty", w - x + 1);
            else
                tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, "-", w - x + 1);
        } else if (row == (int)nr) {
            wr_buf_printf(&b, "In the room (%zu)", c->nhere);
            tui_put_clean(c, p->win, y, 1, selected ? base : WR_EL_HEADING, wr_buf_str(&b), w);
        } else if (!c->nhere) {
            tui_put_clean(c, p->win, y, 3, selected ? base : WR_EL_MUTED, c->inc ? "nobody" : "-", w - 2);
        } else {
            const wr_presence *pr = &c->here[row - (int)nr - 1];
            int x = 3;
            wr_fmt_cell(&b, pr->actor, 12, 0);
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), w - 2) + 1;
            wr_buf_reset(&b);
            wr_buf_printf(&b, "%s @%s", pr->origin, pr->host);
            x += tui_put(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w - x + 1);
            if (strcmp(pr->session, c->session) == 0 && w - x > 6)
                tui_put_clean(c, p->win, y, x + 1, selected ? base : WR_EL_MUTED, "(you)", w - x);
        }
        wr_buf_free(&b);
    }
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    int n = nrows(c);
    if (tui_motion(ui, &s->sel, n, tui_inner_h(p) - 1)) {
        tui_scroll_fix(&s->sel, &s->top, n, tui_inner_h(p));
        p->dirty = 1;
        return 1;
    }
    if (ui == WR_UI_SELECT || ui == WR_UI_TICK) {
        size_t nr;
        const wr_role_def *defs = roles(&nr);
        if (s->sel < (int)nr && c->inc) {
            char *t = wr_xasprintf("assign %s ", defs[s->sel].id);
            tui_prompt_open(c, PROMPT_CMD, ":", t);
            free(t);
        }
        return 1;
    }
    return 0;
}

static void click(pane *p, console *c, int row)
{
    priv *s = p->priv;
    s->sel = s->top + row;
    tui_scroll_fix(&s->sel, &s->top, nrows(c), tui_inner_h(p));
    p->dirty = 1;
}

static void incident(pane *p, console *c, int64_t from, int64_t to)
{
    (void)c;
    priv *s = p->priv;
    tui_pos_save(&s->pos, from, s->sel, s->top, 0);
    tui_pos pos;
    if (tui_pos_find(&s->pos, to, &pos)) {
        s->sel = pos.sel;
        s->top = pos.top;
    } else {
        s->sel = s->top = 0;
    }
}

const pane_ops wr_pane_roles_ops = {
    .name = "roles",
    .open = open_,
    .draw = draw,
    .act = act,
    .click = click,
    .incident = incident,
    .close = close_,
};
