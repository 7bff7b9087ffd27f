/* SPDX-License-Identifier: MIT */
/* draw.c - drawing helpers: theme to curses attributes, safe text, frames, scrolling arithmetic. */
#include "tui_int.h"

#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

static attr_t attrs_of(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & WR_ATTR_BOLD)
        r |= A_BOLD;
    if (a & WR_ATTR_DIM)
        r |= A_DIM;
    if (a & WR_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & WR_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
#ifdef A_ITALIC
    if (a & WR_ATTR_ITALIC)
        r |= A_ITALIC;
#endif
    return r;
}

void tui_theme_apply(console *c)
{
    for (int e = 0; e < WR_EL_COUNT; e++) {
        wr_style s = wr_theme_effective(&c->theme, (wr_theme_el)e, c->ncolors);
        attr_t a = attrs_of(s.attrs);
        if (c->ncolors >= 8 && e + 1 < COLOR_PAIRS) {
            init_pair((short)(e + 1), s.fg, s.bg);
            a |= (attr_t)COLOR_PAIR(e + 1);
        }
        c->attr[e] = a;
    }
}

attr_t tui_attr(console *c, int el)
{
    return (unsigned)el < WR_EL_COUNT ? c->attr[el] : A_NORMAL;
}

/* Non-UTF-8 locale: every non-ASCII character becomes '?' per column it takes. */
static void to_ascii(wr_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        if (cp < 0x80) {
            wr_buf_putc(out, (char)cp);
        } else {
            int w = wr_text_cp_width(cp);
            for (int k = 0; k < w; k++)
                wr_buf_putc(out, '?');
        }
        i += n;
    }
}

int tui_put_clean(console *c, WINDOW *w, int y, int x, int el, const char *clean, int maxw)
{
    if (!w || maxw <= 0)
        return 0;
    wr_buf b = {0};
    /* Our own text is clean already; fitting it again is harmless and cuts it by display width. */
    size_t cols = wr_text_fit(&b, clean, strlen(clean), (size_t)maxw, 0, WR_TEXT_ONELINE);
    if (c->ascii) {
        wr_buf a = {0};
        to_ascii(&a, wr_buf_str(&b), b.len);
        wr_buf_free(&b);
        b = a;
    }
    wattrset(w, tui_attr(c, el));
    mvwaddnstr(w, y, x, wr_buf_str(&b), (int)b.len);
    wattrset(w, A_NORMAL);
    wr_buf_free(&b);
    return (int)cols;
}

int tui_put(console *c, WINDOW *w, int y, int x, int el, const char *raw, int maxw)
{
    if (!w || maxw <= 0)
        return 0;
    wr_buf b = {0};
    size_t cols = wr_text_fit(&b, raw ? raw : "", raw ? strlen(raw) : 0, (size_t)maxw, 1, WR_TEXT_ONELINE);
    if (c->ascii) {
        wr_buf a = {0};
        to_ascii(&a, wr_buf_str(&b), b.len);
        wr_buf_free(&b);
        b = a;
    }
    wattrset(w, tui_attr(c, el));
    mvwaddnstr(w, y, x, wr_buf_str(&b), (int)b.len);
    wattrset(w, A_NORMAL);
    wr_buf_free(&b);
    return (int)cols;
}

void tui_fill(console *c, WINDOW *win, int y, int x, int w, int el)
{
    if (!win || w <= 0)
        return;
    wattrset(win, tui_attr(c, el));
    mvwhline(win, y, x, ' ', w);
    wattrset(win, A_NORMAL);
}

int tui_inner_h(const pane *p)
{
    return p->r.h > 2 ? p->r.h - 2 : 0;
}

int tui_inner_w(const pane *p)
{
    return p->r.w > 2 ? p->r.w - 2 : 0;
}

void tui_frame(console *c, pane *p, const char *title, const char *info, const char *foot, int focused)
{
    WINDOW *w = p->win;
    if (!w)
        return;
    wattrset(w, tui_attr(c, focused ? WR_EL_FOCUS_BORDER : WR_EL_PANE_BORDER));
    wborder_set(w, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL); /* Unicode lines in a UTF-8 locale */
    wattrset(w, A_NORMAL);
    int width = p->r.w;
    if (title) {
        wr_buf t = {0};
        wr_buf_printf(&t, " %s ", title);
        tui_put_clean(c, w, 0, 2, focused ? WR_EL_FOCUS_TITLE : WR_EL_PANE_TITLE, wr_buf_str(&t), width - 4);
        wr_buf_free(&t);
    }
    if (info && *info) {
        size_t iw = wr_text_width(info) + 2;
        if ((int)iw < width - 20) {
            wr_buf t = {0};
            wr_buf_printf(&t, " %s ", info);
            tui_put_clean(c, w, 0, width - 2 - (int)iw, WR_EL_MUTED, wr_buf_str(&t), (int)iw);
            wr_buf_free(&t);
        }
    }
    if (foot && *foot) {
        size_t fw = wr_text_width(foot) + 2;
        if ((int)fw < width - 4) {
            wr_buf t = {0};
            wr_buf_printf(&t, " %s ", foot);
            tui_put_clean(c, w, p->r.h - 1, width - 2 - (int)fw, WR_EL_WARNING, wr_buf_str(&t), (int)fw);
            wr_buf_free(&t);
        }
    }
}

void tui_scroll_fix(int *sel, int *top, int n, int h)
{
    if (h < 1)
        h = 1;
    if (n <= 0) {
        *sel = 0;
        *top = 0;
        return;
    }
    if (*sel < 0)
        *sel = 0;
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < *top)
        *top = *sel;
    if (*sel >= *top + h)
        *top = *sel - h + 1;
    if (*top > n - h)
        *top = n - h;
    if (*top < 0)
        *top = 0;
}

int tui_motion(wr_ui ui, int *sel, int n, int page)
{
    if (page < 1)
        page = 1;
    switch (ui) {
    case WR_UI_UP:
        (*sel)--;
        break;
    case WR_UI_DOWN:
        (*sel)++;
        break;
    case WR_UI_PAGE_UP:
        *sel -= page;
        break;
    case WR_UI_PAGE_DOWN:
        *sel += page;
        break;
    case WR_UI_TOP:
        *sel = 0;
        break;
    case WR_UI_BOTTOM:
        *sel = n - 1;
        break;
    default:
        return 0;
    }
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < 0)
        *sel = 0;
    return 1;
}

int tui_sev_el(const char *sev)
{
    if (sev && strncmp(sev, "SEV", 3) == 0 && sev[3] >= '1' && sev[3] <= '5' && !sev[4])
        return WR_EL_SEV1 + (sev[3] - '1');
    return WR_EL_NORMAL;
}

void tui_pos_save(tui_posmap *m, int64_t inc, int sel, int top, int64_t anchor)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].inc == inc) {
            m->v[i].sel = sel;
            m->v[i].top = top;
            m->v[i].anchor = anchor;
            return;
        }
    m->v = wr_xreallocarray(m->v, m->n + 1, sizeof *m->v);
    tui_pos p = {inc, sel, top, anchor};
    m->v[m->n++] = p;
}

int tui_pos_find(const tui_posmap *m, int64_t inc, tui_pos *out)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].inc == inc) {
            *out = m->v[i];
            return 1;
        }
    return 0;
}

void tui_pos_free(tui_posmap *m)
{
    free(m->v);
    m->v = NULL;
    m->n = 0;
}
