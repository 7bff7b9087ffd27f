/* SPDX-License-Identifier: MIT */
/* test_compose.c - the update composer's text buffer and the header's update countdown. */
#include "warroom/compose.h"

#include "check.h"

#include <stdlib.h>

static void edit_basics(void)
{
    wr_edit e = {0};
    wr_edit_set(&e, "ab\ncdé\nx");
    CHECK_INT(wr_edit_lines(&e), 3);
    int l, c;
    wr_edit_cursor(&e, &l, &c);
    CHECK_INT(l, 2);
    CHECK_INT(c, 1);
    /* Up keeps the column; the line above is longer. */
    wr_edit_move(&e, WR_EDIT_UP);
    wr_edit_cursor(&e, &l, &c);
    CHECK_INT(l, 1);
    CHECK_INT(c, 1);
    wr_edit_move(&e, WR_EDIT_END);
    wr_edit_cursor(&e, &l, &c);
    CHECK_INT(c, 3); /* é is one character */
    /* Backspace removes the whole é. */
    CHECK(wr_edit_backspace(&e));
    CHECK_STR(wr_buf_str(&e.text), "ab\ncd\nx");
    wr_edit_insert(&e, 0x20AC);
    wr_edit_insert(&e, '\n');
    wr_edit_insert(&e, 'z');
    CHECK_STR(wr_buf_str(&e.text), "ab\ncd€\nz\nx");
    wr_edit_cursor(&e, &l, &c);
    CHECK_INT(l, 2);
    CHECK_INT(c, 1);
    /* Control characters other than newline and tab are refused. */
    wr_edit_insert(&e, 0x1B);
    CHECK_STR(wr_buf_str(&e.text), "ab\ncd€\nz\nx");
    /* Down from a long column onto a short line clamps to its end. */
    wr_edit_move(&e, WR_EDIT_UP);
    wr_edit_move(&e, WR_EDIT_END);
    wr_edit_move(&e, WR_EDIT_DOWN);
    wr_edit_cursor(&e, &l, &c);
    CHECK_INT(l, 2);
    CHECK_INT(c, 1);
    /* Home, delete, left at the start, right at the end. */
    wr_edit_move(&e, WR_EDIT_HOME);
    CHECK(wr_edit_delete(&e));
    CHECK_STR(wr_buf_str(&e.text), "ab\ncd€\n\nx");
    wr_edit_set(&e, "");
    CHECK(!wr_edit_backspace(&e));
    CHECK(!wr_edit_delete(&e));
    wr_edit_move(&e, WR_EDIT_LEFT);
    wr_edit_move(&e, WR_EDIT_UP);
    CHECK_INT((int)e.cur, 0);
    CHECK_INT(wr_edit_lines(&e), 1);
    wr_edit_free(&e);
}

static void countdown(void)
{
    char b[64];
    int lv;
    CHECK_INT((int)wr_update_countdown(0, 1000, b, sizeof b, &lv), 0);
    CHECK_STR(b, "");
    CHECK_INT(lv, 0);
    /* 12m30s left: rounds up to 13m, changes in 30 s. */
    int64_t now = 1000000000;
    int64_t n = wr_update_countdown(now + 750000, now, b, sizeof b, &lv);
    CHECK_STR(b, "update in 13m");
    CHECK_INT(lv, 1);
    CHECK_INT((int)n, 30000);
    /* 5m20s left: next change is when it becomes "soon" (5 minutes). */
    n = wr_update_countdown(now + 320000, now, b, sizeof b, &lv);
    CHECK_INT((int)n, 20000);
    n = wr_update_countdown(now + 1200000, now, b, sizeof b, &lv);
    CHECK_STR(b, "update in 20m");
    CHECK_INT((int)n, 60000);
    n = wr_update_countdown(now + 1199999, now, b, sizeof b, &lv);
    CHECK_STR(b, "update in 20m");
    n = wr_update_countdown(now + 299500, now, b, sizeof b, &lv);
    CHECK_STR(b, "update in 5m");
    CHECK_INT(lv, 2);
    CHECK_INT((int)n, 59500);
    n = wr_update_countdown(now + 42500, now, b, sizeof b, &lv);
    CHECK_STR(b, "update in 43s");
    CHECK_INT((int)n, 500);
    n = wr_update_countdown(now - 125000, now, b, sizeof b, &lv);
    CHECK_STR(b, "update overdue 2m");
    CHECK_INT(lv, 3);
    CHECK_INT((int)n, 55000);
    n = wr_update_countdown(now, now, b, sizeof b, &lv);
    CHECK_STR(b, "update overdue 0s");
    CHECK_INT(lv, 3);
    CHECK(n >= 1);
}

int main(void)
{
    edit_basics();
    countdown();
    return check_done();
}
