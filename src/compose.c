/* SPDX-License-Identifier: MIT */
/* compose.c - the update composer's text buffer and the header countdown (no curses). */
#include "warroom/compose.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOON_MS (5 * 60000)

static size_t word_left(const wr_edit *e, size_t i);
static size_t word_right(const wr_edit *e, size_t i);

void wr_edit_set(wr_edit *e, const char *text)
{
    wr_buf_reset(&e->text);
    if (text)
        wr_buf_puts(&e->text, text);
    e->cur = e->text.len;
}

void wr_edit_free(wr_edit *e)
{
    wr_buf_free(&e->text);
    wr_buf_free(&e->killed);
    e->cur = 0;
}

static const char *txt(const wr_edit *e)
{
    return wr_buf_str(&e->text);
}

static int cont(char ch)
{
    return ((unsigned char)ch & 0xC0) == 0x80;
}

/* Byte offset of the character before / after offset i. */
static size_t prev_char(const wr_edit *e, size_t i)
{
    const char *s = txt(e);
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && cont(s[i]))
        i--;
    return i;
}

static size_t next_char(const wr_edit *e, size_t i)
{
    const char *s = txt(e);
    if (i >= e->text.len)
        return e->text.len;
    i++;
    while (i < e->text.len && cont(s[i]))
        i++;
    return i;
}

void wr_edit_insert(wr_edit *e, uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp < 0x20 && cp != '\n' && cp != '\t'))
        return;
    wr_buf enc = {0};
    wr_utf8_put(&enc, cp);
    wr_buf nb = {0};
    wr_buf_append(&nb, txt(e), e->cur);
    wr_buf_append(&nb, wr_buf_str(&enc), enc.len);
    wr_buf_append(&nb, txt(e) + e->cur, e->text.len - e->cur);
    e->cur += enc.len;
    wr_buf_free(&e->text);
    e->text = nb;
    wr_buf_free(&enc);
}

static void cut(wr_edit *e, size_t from, size_t to)
{
    if (from >= to)
        return;
    memmove(e->text.s + from, e->text.s + to, e->text.len - to + 1);
    e->text.len -= to - from;
    e->cur = from;
}

int wr_edit_backspace(wr_edit *e)
{
    if (e->cur == 0)
        return 0;
    cut(e, prev_char(e, e->cur), e->cur);
    return 1;
}

int wr_edit_delete(wr_edit *e)
{
    if (e->cur >= e->text.len)
        return 0;
    size_t keep = e->cur;
    cut(e, e->cur, next_char(e, e->cur));
    e->cur = keep;
    return 1;
}

static size_t line_start(const wr_edit *e, size_t i)
{
    const char *s = txt(e);
    while (i > 0 && s[i - 1] != '\n')
        i--;
    return i;
}

static size_t line_end(const wr_edit *e, size_t i)
{
    const char *s = txt(e);
    while (i < e->text.len && s[i] != '\n')
        i++;
    return i;
}

static int chars_between(const wr_edit *e, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i = next_char(e, i))
        n++;
    return n;
}

/* The offset of character column col on the line starting at ls (clamped to its end). */
static size_t at_col(const wr_edit *e, size_t ls, int col)
{
    size_t le = line_end(e, ls), i = ls;
    for (int k = 0; k < col && i < le; k++)
        i = next_char(e, i);
    return i;
}

void wr_edit_move(wr_edit *e, wr_edit_move_t m)
{
    size_t ls = line_start(e, e->cur);
    int col = chars_between(e, ls, e->cur);
    switch (m) {
    case WR_EDIT_LEFT:
        e->cur = prev_char(e, e->cur);
        break;
    case WR_EDIT_RIGHT:
        e->cur = next_char(e, e->cur);
        break;
    case WR_EDIT_HOME:
        e->cur = ls;
        break;
    case WR_EDIT_END:
        e->cur = line_end(e, e->cur);
        break;
    case WR_EDIT_UP:
        if (ls > 0)
            e->cur = at_col(e, line_start(e, ls - 1), col);
        break;
    case WR_EDIT_DOWN: {
        size_t le = line_end(e, e->cur);
        if (le < e->text.len)
            e->cur = at_col(e, le + 1, col);
        break;
    }
    case WR_EDIT_WORD_LEFT:
        e->cur = word_left(e, e->cur);
        break;
    case WR_EDIT_WORD_RIGHT:
        e->cur = word_right(e, e->cur);
        break;
    }
}

/* ---- words and kills (readline's) ---- */

/* A word character: a letter or digit, or any non-ASCII character (words in other scripts). */
static int word_at(const wr_edit *e, size_t i)
{
    unsigned char ch = (unsigned char)txt(e)[i];
    return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int space_at(const wr_edit *e, size_t i)
{
    char ch = txt(e)[i];
    return ch == ' ' || ch == '\t' || ch == '\n';
}

static size_t word_left(const wr_edit *e, size_t i)
{
    while (i > 0 && !word_at(e, prev_char(e, i)))
        i = prev_char(e, i);
    while (i > 0 && word_at(e, prev_char(e, i)))
        i = prev_char(e, i);
    return i;
}

static size_t word_right(const wr_edit *e, size_t i)
{
    while (i < e->text.len && !word_at(e, i))
        i = next_char(e, i);
    while (i < e->text.len && word_at(e, i))
        i = next_char(e, i);
    return i;
}

int wr_edit_kill(wr_edit *e, wr_edit_kill_t k)
{
    size_t from = e->cur, to = e->cur;
    switch (k) {
    case WR_KILL_LINE_END:
        to = line_end(e, e->cur);
        if (to == e->cur && to < e->text.len)
            to++; /* at the end of a line: join the next one */
        break;
    case WR_KILL_LINE_START:
        from = line_start(e, e->cur);
        break;
    case WR_KILL_BIGWORD:
        while (from > 0 && space_at(e, from - 1))
            from--;
        while (from > 0 && !space_at(e, from - 1))
            from = prev_char(e, from);
        break;
    case WR_KILL_WORD_BACK:
        from = word_left(e, e->cur);
        break;
    case WR_KILL_WORD_FWD:
        to = word_right(e, e->cur);
        break;
    }
    if (from >= to)
        return 0;
    wr_buf_reset(&e->killed);
    wr_buf_append(&e->killed, txt(e) + from, to - from);
    cut(e, from, to);
    return 1;
}

void wr_edit_yank(wr_edit *e)
{
    if (!e->killed.len)
        return;
    wr_buf nb = {0};
    wr_buf_append(&nb, txt(e), e->cur);
    wr_buf_append(&nb, wr_buf_str(&e->killed), e->killed.len);
    wr_buf_append(&nb, txt(e) + e->cur, e->text.len - e->cur);
    e->cur += e->killed.len;
    wr_buf_free(&e->text);
    e->text = nb;
}

/* ---- soft wrapping ---- */

/* The display width of the character at i, as drawn after cleaning (a tab shows as one symbol). */
static int cell_width(const wr_edit *e, size_t i)
{
    uint32_t cp;
    size_t n = wr_utf8_decode(txt(e) + i, e->text.len - i, &cp);
    if (!n)
        return 0;
    return wr_text_cp_width(cp);
}

static int width_between(const wr_edit *e, size_t a, size_t b)
{
    int w = 0;
    for (size_t i = a; i < b; i = next_char(e, i))
        w += cell_width(e, i);
    return w;
}

size_t wr_edit_wrap(const wr_edit *e, int width, wr_edit_row **rows)
{
    if (width < 1)
        width = 1;
    size_t n = 0, cap = 8;
    wr_edit_row *v = wr_xcalloc(cap, sizeof *v);
    size_t ls = 0;
    for (;;) {
        size_t le = line_end(e, ls), pos = ls;
        for (;;) {
            /* How far [pos, le) fits in width; the last space inside it. */
            size_t i = pos, space = 0;
            int w = 0, has_space = 0;
            while (i < le) {
                int cw = cell_width(e, i);
                if (w + cw > width && i > pos)
                    break;
                if (txt(e)[i] == ' ') {
                    space = i;
                    has_space = 1;
                }
                w += cw;
                i = next_char(e, i);
            }
            if (i < le && txt(e)[i] == ' ') {
                space = i; /* the space right after a word that fits */
                has_space = 1;
            }
            if (n == cap)
                v = wr_xreallocarray(v, cap *= 2, sizeof *v);
            if (i >= le) {
                v[n++] = (wr_edit_row){pos, le};
                break;
            }
            if (has_space && space > pos) {
                v[n++] = (wr_edit_row){pos, space};
                pos = space + 1;
            } else {
                v[n++] = (wr_edit_row){pos, i};
                pos = i;
            }
        }
        if (le >= e->text.len)
            break;
        ls = le + 1;
    }
    *rows = v;
    return n;
}

void wr_edit_cursor_at(const wr_edit *e, const wr_edit_row *rows, size_t n, size_t *row, int *col)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].start <= e->cur)
            r = i;
    *row = r;
    size_t to = e->cur < rows[r].end ? e->cur : rows[r].end;
    *col = width_between(e, rows[r].start, to);
}

void wr_edit_move_rows(wr_edit *e, int width, int delta)
{
    wr_edit_row *rows;
    size_t n = wr_edit_wrap(e, width, &rows), r;
    int col;
    wr_edit_cursor_at(e, rows, n, &r, &col);
    long t = (long)r + delta;
    if (t < 0)
        t = 0;
    if (t >= (long)n)
        t = (long)n - 1;
    if (t != (long)r) {
        const wr_edit_row *to = &rows[t];
        size_t i = to->start;
        int w = 0;
        while (i < to->end) {
            int cw = cell_width(e, i);
            if (w + cw > col)
                break;
            w += cw;
            i = next_char(e, i);
        }
        e->cur = i;
    } else if (delta < 0) {
        e->cur = rows[r].start; /* the first row: to its start */
    } else if (delta > 0) {
        e->cur = rows[r].end; /* the last row: to its end */
    }
    free(rows);
}

void wr_edit_cursor(const wr_edit *e, int *line, int *col)
{
    const char *s = txt(e);
    int l = 0;
    for (size_t i = 0; i < e->cur; i++)
        l += s[i] == '\n';
    *line = l;
    *col = chars_between(e, line_start(e, e->cur), e->cur);
}

int wr_edit_lines(const wr_edit *e)
{
    const char *s = txt(e);
    int n = 1;
    for (size_t i = 0; i < e->text.len; i++)
        n += s[i] == '\n';
    return n;
}

int64_t wr_update_countdown(int64_t due_at, int64_t now, char *buf, size_t size, int *level)
{
    if (size)
        buf[0] = '\0';
    *level = 0;
    if (!due_at)
        return 0;
    int64_t left = due_at - now;
    char d[32];
    int64_t next;
    if (left > 0) {
        /* Counting down rounds up (20m00s..19m00.001s reads "20m"), to the unit wr_duration shows. */
        int64_t unit = left <= 60000 ? 1000 : left <= 86400000 ? 60000 : 3600000;
        int64_t shown = (left + unit - 1) / unit * unit;
        wr_duration(shown, d, sizeof d);
        snprintf(buf, size, "update in %s", d);
        *level = left <= SOON_MS ? 2 : 1;
        next = left - (shown - unit); /* when it reads one unit less */
        if (left > SOON_MS && left - next < SOON_MS)
            next = left - SOON_MS; /* becomes "soon" */
    } else {
        wr_duration(-left, d, sizeof d);
        snprintf(buf, size, "update overdue %s", d);
        *level = 3;
        next = wr_fmt_duration_next(-left);
    }
    return next > 0 ? next : 1;
}
