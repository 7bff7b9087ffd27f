/* SPDX-License-Identifier: MIT */
/* compose.c - the update composer's text buffer and the header countdown (no curses). */
#include "warroom/compose.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <stdio.h>
#include <string.h>

#define SOON_MS (5 * 60000)

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
    }
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
