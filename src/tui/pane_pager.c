/* SPDX-License-Identifier: MIT */
/* pane_pager.c - a scrollable popup for long text: help, command output, a timeline entry in full. */
#include "tui_int.h"

#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct priv {
    char *title;
    char *text;   /* clean */
    char **lines; /* wrapped to the window width */
    size_t n;
    int top;
    int wrapped_at;
} priv;

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void free_lines(priv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    s->lines = NULL;
    s->n = 0;
}

static void close_(pane *p)
{
    priv *s = p->priv;
    free_lines(s);
    free(s->title);
    free(s->text);
    free(s);
    p->priv = NULL;
}

static void add_line(const char *line, size_t n, size_t w, void *ctx)
{
    (void)w;
    priv *s = ctx;
    s->lines = wr_xreallocarray(s->lines, s->n + 1, sizeof *s->lines);
    s->lines[s->n++] = wr_xstrndup(line, n);
}

static void wrap(priv *s, int width)
{
    free_lines(s);
    /* Keep empty lines: wrap each line on its own. */
    const char *p = s->text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!len) {
            add_line("", 0, 0, s);
        } else {
            char *one = wr_xstrndup(p, len);
            wr_text_wrap(one, (size_t)(width > 1 ? width : 1), add_line, s);
            free(one);
        }
        p += len + (nl ? 1 : 0);
    }
    s->wrapped_at = width;
}

/* How many rows the text takes wrapped at width columns. */
static int rows_at(pane *p, int width)
{
    priv *s = p->priv;
    if (s->wrapped_at != width)
        wrap(s, width);
    return (int)s->n;
}

wr_rect tui_pager_rect(console *c)
{
    int h = c->pager_want_h + 2, w = c->pager_want_w + 6;
    int maxh = c->lay.body.h - 2, maxw = c->lay.cols - 6;
    if (h > maxh)
        h = maxh;
    if (w > maxw)
        w = maxw;
    if (w < 40)
        w = maxw < 40 ? maxw : 40;
    int rows = rows_at(&c->panes[PANE_PAGER], w - 4) + 2; /* long lines wrap: give them their rows */
    if (rows > h)
        h = rows < maxh ? rows : maxh;
    wr_rect r = {c->lay.body.y + (c->lay.body.h - h) / 2, (c->lay.cols - w) / 2, h, w};
    return r;
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    if (s->wrapped_at != w - 2)
        wrap(s, w - 2);
    int max = (int)s->n - h > 0 ? (int)s->n - h : 0;
    if (s->top > max)
        s->top = max;
    char foot[96], k[32], closes[48] = "";
    if (tui_key_for(c, "back", k, sizeof k))
        snprintf(closes, sizeof closes, "%s%s closes", (int)s->n > h ? "  " : "", k);
    if ((int)s->n > h)
        snprintf(foot, sizeof foot, "%d-%d of %zu%s", s->top + 1, s->top + h < (int)s->n ? s->top + h : (int)s->n,
                 s->n, closes);
    else
        snprintf(foot, sizeof foot, "%s", closes);
    for (int y = 1; y <= h; y++)
        tui_fill(c, p->win, y, 1, w, WR_EL_POPUP);
    tui_frame(c, p, s->title, NULL, foot, 1);
    for (int i = s->top; i < (int)s->n && i - s->top < h; i++)
        tui_put_clean(c, p->win, 1 + i - s->top, 2, WR_EL_POPUP, s->lines[i], w - 2);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    int h = tui_inner_h(p);
    if (ui == WR_UI_QUIT || ui == WR_UI_SELECT || ui == WR_UI_BACK) {
        tui_pager_close(c);
        return 1;
    }
    int max = (int)s->n - h > 0 ? (int)s->n - h : 0;
    int top = s->top;
    switch (ui) {
    case WR_UI_UP:
        top--;
        break;
    case WR_UI_DOWN:
        top++;
        break;
    case WR_UI_PAGE_UP:
        top -= h > 1 ? h - 1 : 1;
        break;
    case WR_UI_PAGE_DOWN:
        top += h > 1 ? h - 1 : 1;
        break;
    case WR_UI_TOP:
        top = 0;
        break;
    case WR_UI_BOTTOM:
        top = max;
        break;
    default:
        return 1; /* modal: other acts on panes do nothing while it is open */
    }
    s->top = top < 0 ? 0 : top > max ? max : top;
    p->dirty = 1;
    return 1;
}

/* Set the text (raw: cleaned here) and title; returns the size it would like (lines, widest line). */
void tui_pager_set(pane *p, const char *title, const char *text, int *want_h, int *want_w)
{
    priv *s = p->priv;
    free(s->title);
    free(s->text);
    free_lines(s);
    wr_buf t = {0};
    wr_text_fit(&t, title, strlen(title), 60, 1, WR_TEXT_ONELINE);
    s->title = wr_buf_steal(&t);
    wr_buf b = {0};
    size_t widest = wr_text_clean(&b, text, strlen(text), 0);
    s->text = wr_buf_steal(&b);
    if (!s->text)
        s->text = wr_xstrdup("");
    s->top = 0;
    s->wrapped_at = -1;
    int lines = 1;
    for (const char *q = s->text; *q; q++)
        lines += *q == '\n';
    *want_h = lines;
    *want_w = (int)widest;
}

const pane_ops wr_pane_pager_ops = {
    .name = "pager",
    .open = open_,
    .draw = draw,
    .act = act,
    .close = close_,
};

/* A timeline entry's text on one row: its first line, and for a text of several lines a marker saying how
 * many more there are ("[+2 lines]", in the muted colour, kept visible when the line is cut); Enter on the
 * entry shows the whole of it in the pager. Returns the columns used. */
int tui_put_entry_text(console *c, WINDOW *w, int y, int x, int el, const char *raw, int maxw)
{
    if (!raw)
        raw = "";
    int more = wr_text_more_lines(raw);
    if (!more)
        return tui_put(c, w, y, x, el, raw, maxw);
    char mark[32];
    snprintf(mark, sizeof mark, " [+%d line%s]", more, more == 1 ? "" : "s");
    int mw = (int)strlen(mark);
    char *first = wr_xstrndup(raw, strcspn(raw, "\n"));
    int used = tui_put(c, w, y, x, el, first, maxw > mw + 8 ? maxw - mw : maxw);
    free(first);
    if (maxw - used >= mw)
        used += tui_put_clean(c, w, y, x + used, WR_EL_MUTED, mark, mw);
    return used;
}
