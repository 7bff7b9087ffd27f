/* SPDX-License-Identifier: MIT */
/* pane_roles.c - the roles pane: each role (of the role set in force) and who holds it, then who is in the room right now (consoles
 * open on this incident) and where they are connected from. Enter on a role opens ":assign ROLE ". */
#include "tui_int.h"

#include "warroom/fmt.h"
#include "warroom/policy.h"
#include "warroom/text.h"

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

/* Rows: the roles, a heading, then the people here. When they do not all fit, the roles nobody holds and
 * none requires fold into one line ("empty: DEP OPS SME OBS"), so the people in the room stay in view. */
enum { ROW_ROLE, ROW_HELD, ROW_EMPTY, ROW_HEADING, ROW_PERSON, ROW_NOBODY };
typedef struct row {
    int kind, idx;
} row;

static int held(console *c, const char *id)
{
    for (size_t k = 0; k < c->nroles; k++)
        if (strcmp(c->roles[k].role, id) == 0)
            return 1;
    return 0;
}

static int required_empty(console *c, const char *id)
{
    for (size_t k = 0; k < c->nmissing; k++)
        if (strcmp(c->missing[k], id) == 0)
            return 1;
    return 0;
}

static row *build(console *c, int h, int *n)
{
    size_t nr;
    const wr_role_def *defs = roles(&nr);
    size_t people = c->nhere ? c->nhere : 1;
    row *v = wr_xcalloc(nr + people + 3, sizeof *v);
    /* Fold 1: the empty roles none requires, into one line. Fold 2 (still too long): the holders of the
     * roles after the first (the incident commander) too, into one line: "DEP dev  SCR sam  RSP ana, raj". */
    int fold = h > 0 && (int)(nr + 1 + people) > h, folded = 0, nheld = 0, nkept = 0;
    for (size_t i = 0; i < nr; i++) {
        int is_held = held(c, defs[i].id), req = required_empty(c, defs[i].id);
        nkept += is_held || req;
        nheld += is_held && i > 0;
    }
    int fold2 = fold && nheld > 1 && nkept + 1 + 1 + (int)people > h;
    int k = 0, held_line = 0;
    for (size_t i = 0; i < nr; i++) {
        int is_held = held(c, defs[i].id), req = required_empty(c, defs[i].id);
        if (fold && !is_held && !req) {
            folded++;
            continue;
        }
        if (fold2 && i > 0 && is_held) {
            if (!held_line)
                v[k++] = (row){ROW_HELD, 0};
            held_line = 1;
            continue;
        }
        v[k++] = (row){ROW_ROLE, (int)i};
    }
    if (folded)
        v[k++] = (row){ROW_EMPTY, 0};
    v[k++] = (row){ROW_HEADING, 0};
    if (!c->nhere)
        v[k++] = (row){ROW_NOBODY, 0};
    for (size_t i = 0; i < c->nhere; i++)
        v[k++] = (row){ROW_PERSON, (int)i};
    *n = k;
    return v;
}

/* The holders of role id, "ana, raj" ("" when none). */
static void holders(console *c, const char *id, wr_buf *b)
{
    for (size_t k = 0; k < c->nroles; k++)
        if (strcmp(c->roles[k].role, id) == 0)
            wr_buf_printf(b, "%s%s", b->len ? ", " : "", c->roles[k].holder);
}

/* Segments of a line, drawn left to right; the one that does not fit is cut with an ellipsis. */
static int seg(console *c, WINDOW *w, int x, int end, int el, const char *raw)
{
    if (x >= end)
        return x;
    return x + tui_put(c, w, 0, x, el, raw, end - x);
}

/* The compact layout's roles line: the incident commander, the required roles nobody holds, the other
 * holders as far as they fit; at the right how many are here and what the hidden incident pane missed. */
static void draw_line(pane *p, console *c)
{
    WINDOW *w = p->win;
    int width = p->r.w;
    wr_buf right = {0}, b = {0};
    char k[16];
    const char *z = tui_key_for(c, "zoom", k, sizeof k);
    if (c->unread[WR_PANE_INCIDENT])
        wr_buf_printf(&right, "Incident +%u%s%s  ", c->unread[WR_PANE_INCIDENT], z ? ": " : "", z ? z : "");
    if (c->inc)
        wr_buf_printf(&right, "%zu here ", c->nhere);
    int rw = (int)wr_buf_str(&right)[0] ? (int)strlen(wr_buf_str(&right)) : 0;
    if (rw > width / 2)
        rw = 0;
    if (rw) {
        int ux = width - rw;
        if (c->unread[WR_PANE_INCIDENT]) {
            char t[48];
            snprintf(t, sizeof t, "Incident +%u%s%s", c->unread[WR_PANE_INCIDENT], z ? ": " : "", z ? z : "");
            ux += tui_put_clean(c, w, 0, ux, WR_EL_WARNING, t, width - ux) + 2;
        }
        if (c->inc) {
            char t[32];
            snprintf(t, sizeof t, "%zu here", c->nhere);
            tui_put_clean(c, w, 0, ux, WR_EL_MUTED, t, width - ux);
        }
    }
    int end = width - rw - 1, x = 1;
    if (!c->inc) {
        tui_put_clean(c, w, 0, 1, WR_EL_MUTED, "Roles: no incident open", end - 1);
        wr_buf_free(&right);
        return;
    }
    size_t nr;
    const wr_role_def *defs = roles(&nr);
    /* The incident commander first (the first role of the set), then the required roles nobody holds. */
    if (nr) {
        holders(c, defs[0].id, &b);
        x = seg(c, w, x, end, WR_EL_MUTED, defs[0].abbrev);
        x = seg(c, w, x, end, WR_EL_NORMAL, " ");
        x = b.len ? seg(c, w, x, end, WR_EL_PANE_TITLE, wr_buf_str(&b))
                  : seg(c, w, x, end, required_empty(c, defs[0].id) ? WR_EL_WARNING : WR_EL_MUTED, "nobody");
    }
    wr_buf_reset(&b);
    for (size_t i = 1; i < nr; i++)
        if (required_empty(c, defs[i].id))
            wr_buf_printf(&b, "%s%s", b.len ? ", " : "", defs[i].title);
    if (b.len) {
        x = seg(c, w, x, end, WR_EL_NORMAL, "   ");
        x = seg(c, w, x, end, WR_EL_WARNING, "! empty: ");
        x = seg(c, w, x, end, WR_EL_WARNING, wr_buf_str(&b));
    }
    /* The other holders, as far as they fit whole. */
    for (size_t i = 1; i < nr; i++) {
        wr_buf_reset(&b);
        holders(c, defs[i].id, &b);
        if (!b.len)
            continue;
        int need = 3 + (int)strlen(defs[i].abbrev) + 1 + (int)wr_text_width(wr_buf_str(&b));
        if (x + need > end)
            break;
        x = seg(c, w, x, end, WR_EL_NORMAL, "   ");
        x = seg(c, w, x, end, WR_EL_MUTED, defs[i].abbrev);
        x = seg(c, w, x, end, WR_EL_NORMAL, " ");
        x = seg(c, w, x, end, WR_EL_PANE_TITLE, wr_buf_str(&b));
    }
    wr_buf_free(&b);
    wr_buf_free(&right);
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    if (p->r.h < 3) {
        draw_line(p, c);
        return;
    }
    int focused = c->focus == WR_PANE_ROLES;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    int n;
    row *v = build(c, h, &n);
    tui_scroll_fix(&s->sel, &s->top, n, h);
    char info[32];
    snprintf(info, sizeof info, "%zu here", c->nhere);
    tui_frame(c, p, "Roles", c->inc ? info : NULL, NULL, focused);
    int title_w = w >= 48 ? 24 : w >= 36 ? 16 : 0;
    size_t nr;
    const wr_role_def *defs = roles(&nr);
    for (int r = s->top; r < n && r - s->top < h; r++) {
        int y = 1 + r - s->top;
        int selected = focused && r == s->sel;
        int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
        if (selected)
            tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
        wr_buf b = {0};
        if (v[r].kind == ROW_ROLE) {
            const wr_role_def *d = &defs[v[r].idx];
            int x = 1;
            wr_fmt_cell(&b, d->abbrev, 4, 0);
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w);
            if (title_w) {
                wr_buf_reset(&b);
                wr_fmt_cell(&b, d->title, (size_t)title_w - 1, 0);
                x += tui_put_clean(c, p->win, y, x, base, wr_buf_str(&b), w - x + 1) + 1;
            }
            wr_buf_reset(&b);
            holders(c, d->id, &b);
            if (b.len)
                tui_put(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), w - x + 1);
            else if (required_empty(c, d->id))
                tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_WARNING, "! required, empty", w - x + 1);
            else
                tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, "-", w - x + 1);
        } else if (v[r].kind == ROW_HELD) {
            int x = 1;
            for (size_t i = 1; i < nr && x < w; i++) {
                wr_buf_reset(&b);
                holders(c, defs[i].id, &b);
                if (!b.len)
                    continue;
                if (x > 1)
                    x += tui_put_clean(c, p->win, y, x, base, "  ", w - x + 1);
                x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, defs[i].abbrev, w - x + 1);
                x += tui_put_clean(c, p->win, y, x, base, " ", w - x + 1);
                int room = w - x + 1, bw = (int)wr_text_width(wr_buf_str(&b));
                x += tui_put(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), room);
                if (bw > room)
                    break; /* cut with an ellipsis */
            }
        } else if (v[r].kind == ROW_EMPTY) {
            wr_buf_puts(&b, "empty:");
            for (size_t i = 0; i < nr; i++)
                if (!held(c, defs[i].id) && !required_empty(c, defs[i].id))
                    wr_buf_printf(&b, " %s", defs[i].abbrev);
            tui_put(c, p->win, y, 1, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w);
        } else if (v[r].kind == ROW_HEADING) {
            wr_buf_printf(&b, "In the room (%zu)", c->nhere);
            tui_put_clean(c, p->win, y, 1, selected ? base : WR_EL_HEADING, wr_buf_str(&b), w);
        } else if (v[r].kind == ROW_NOBODY) {
            tui_put_clean(c, p->win, y, 3, selected ? base : WR_EL_MUTED, c->inc ? "nobody" : "-", w - 2);
        } else {
            const wr_presence *pr = &c->here[v[r].idx];
            int x = 3;
            wr_fmt_cell(&b, pr->actor, 12, 0);
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_PANE_TITLE, wr_buf_str(&b), w - 2) + 1;
            wr_buf_reset(&b);
            wr_buf_printf(&b, "%s @%s", pr->origin, pr->host);
            int mine = strcmp(pr->session, c->session) == 0;
            int room = w - x + 1 - (mine ? 6 : 0);
            x += tui_put(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), room);
            if (mine && w - x > 4)
                tui_put_clean(c, p->win, y, x + 1, selected ? base : WR_EL_MUTED, "(you)", w - x);
        }
        wr_buf_free(&b);
    }
    free(v);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    int n;
    row *v = build(c, tui_inner_h(p), &n);
    int done = 1;
    if (tui_motion(ui, &s->sel, n, tui_inner_h(p) - 1)) {
        tui_scroll_fix(&s->sel, &s->top, n, tui_inner_h(p));
        p->dirty = 1;
    } else if (ui == WR_UI_SELECT || ui == WR_UI_TICK) {
        size_t nr;
        const wr_role_def *defs = roles(&nr);
        if (c->inc && s->sel < n && v[s->sel].kind == ROW_ROLE) {
            char *t = wr_xasprintf("assign %s ", defs[v[s->sel].idx].id);
            tui_prompt_open(c, PROMPT_CMD, ":", t);
            free(t);
        } else if (c->inc && s->sel < n && (v[s->sel].kind == ROW_EMPTY || v[s->sel].kind == ROW_HELD)) {
            tui_prompt_open(c, PROMPT_CMD, ":", "assign ");
        }
    } else {
        done = 0;
    }
    free(v);
    return done;
}

static void click(pane *p, console *c, int r)
{
    priv *s = p->priv;
    int n;
    free(build(c, tui_inner_h(p), &n));
    s->sel = s->top + r;
    tui_scroll_fix(&s->sel, &s->top, n, tui_inner_h(p));
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
