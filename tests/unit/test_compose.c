/* SPDX-License-Identifier: MIT */
/* test_compose.c - the update composer's text buffer and the header's update countdown. */
#include "warroom/compose.h"
#include "warroom/draft.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* readline's words and kills */
static void edit_readline(void)
{
    wr_edit e = {0};
    wr_edit_set(&e, "the db-01 host is down");
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    CHECK_INT((int)e.cur, 18); /* before "down" */
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    CHECK_INT((int)e.cur, 10); /* before "host" */
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    CHECK_INT((int)e.cur, 7); /* "01": '-' is not a word character */
    wr_edit_move(&e, WR_EDIT_WORD_RIGHT);
    CHECK_INT((int)e.cur, 9); /* after "01" */
    /* Alt-D: to the end of the next word; Ctrl-Y puts it back. */
    CHECK(wr_edit_kill(&e, WR_KILL_WORD_FWD));
    CHECK_STR(wr_buf_str(&e.text), "the db-01 is down");
    CHECK_STR(wr_buf_str(&e.killed), " host");
    wr_edit_yank(&e);
    CHECK_STR(wr_buf_str(&e.text), "the db-01 host is down");
    CHECK_INT((int)e.cur, 14);
    /* Ctrl-W: back to the whitespace (db-01 as one); Alt-Backspace: to the word's start. */
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    CHECK(wr_edit_kill(&e, WR_KILL_BIGWORD));
    CHECK_STR(wr_buf_str(&e.text), "the host is down");
    wr_edit_set(&e, "the db-01 x");
    wr_edit_move(&e, WR_EDIT_LEFT);
    wr_edit_move(&e, WR_EDIT_LEFT);
    CHECK(wr_edit_kill(&e, WR_KILL_WORD_BACK));
    CHECK_STR(wr_buf_str(&e.text), "the db- x");
    /* Ctrl-K to the line's end, then the line break; Ctrl-U to the line's start. */
    wr_edit_set(&e, "one two\nthree");
    e.cur = 3;
    CHECK(wr_edit_kill(&e, WR_KILL_LINE_END));
    CHECK_STR(wr_buf_str(&e.text), "one\nthree");
    CHECK(wr_edit_kill(&e, WR_KILL_LINE_END));
    CHECK_STR(wr_buf_str(&e.text), "onethree");
    e.cur = 5;
    CHECK(wr_edit_kill(&e, WR_KILL_LINE_START));
    CHECK_STR(wr_buf_str(&e.text), "ree");
    CHECK_INT((int)e.cur, 0);
    CHECK(!wr_edit_kill(&e, WR_KILL_LINE_START)); /* nothing before */
    CHECK_STR(wr_buf_str(&e.killed), "oneth");    /* the last kill is kept */
    /* Words in other scripts are words. */
    wr_edit_set(&e, "données perdues");
    wr_edit_move(&e, WR_EDIT_WORD_LEFT);
    CHECK_INT((int)e.cur, 9);
    wr_edit_free(&e);
}

static void edit_wrap(void)
{
    wr_edit e = {0};
    wr_edit_row *rows;
    /* At 10 columns: breaks at the last space that fits; a word longer than the row is cut. */
    wr_edit_set(&e, "alpha beta gamma\nabcdefghijklmno\n\nz");
    size_t n = wr_edit_wrap(&e, 10, &rows);
    CHECK_INT(n, 6);
    const char *t = wr_buf_str(&e.text);
    if (n == 6) {
        CHECK(rows[0].end - rows[0].start == 10 && strncmp(t + rows[0].start, "alpha beta", 10) == 0);
        CHECK(rows[1].end - rows[1].start == 5 && strncmp(t + rows[1].start, "gamma", 5) == 0);
        CHECK_INT((int)(rows[2].end - rows[2].start), 10); /* abcdefghij */
        CHECK(strncmp(t + rows[3].start, "klmno", 5) == 0);
        CHECK_INT((int)(rows[4].end - rows[4].start), 0); /* the empty line */
        CHECK(t[rows[5].start] == 'z');
    }
    /* The cursor at the end is on the last row; Up keeps the column where the row is long enough. */
    size_t r;
    int col;
    wr_edit_cursor_at(&e, rows, n, &r, &col);
    CHECK_INT((int)r, 5);
    CHECK_INT(col, 1);
    free(rows);
    wr_edit_move_rows(&e, 10, -2); /* up over the empty line */
    n = wr_edit_wrap(&e, 10, &rows);
    wr_edit_cursor_at(&e, rows, n, &r, &col);
    CHECK_INT((int)r, 3);
    CHECK_INT(col, 1);
    free(rows);
    wr_edit_move_rows(&e, 10, -3); /* to "alpha beta", column 1 */
    CHECK_INT((int)e.cur, 1);
    wr_edit_move_rows(&e, 10, -1); /* the first row: to its start */
    CHECK_INT((int)e.cur, 0);
    /* Wide characters take two columns. */
    wr_edit_set(&e, "日本語テキスト");
    n = wr_edit_wrap(&e, 6, &rows);
    CHECK_INT(n, 3);
    free(rows);
    wr_edit_free(&e);
}

/* Drafts: one file per database, incident and audience, in the user's state directory, mode 0600. */
static void drafts(void)
{
    char dir[] = "/tmp/wr-draft-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    setenv("XDG_STATE_HOME", dir, 1);
    char *a = wr_draft_path("/srv/ir/war.db", 3, "internal"), *b = wr_draft_path("/srv/ir/war.db", 3, "customer");
    char *c = wr_draft_path("/srv/ir//./war.db", 3, "internal"), *d = wr_draft_path("/srv/ir/other.db", 3, "internal");
    char *e = wr_draft_path("/srv/ir/war.db", 4, "internal");
    CHECK(strncmp(a, dir, strlen(dir)) == 0 && strstr(a, "/warroom/draft-") && strstr(a, "-INC-3-internal.txt"));
    CHECK(strcmp(a, b) != 0 && strcmp(a, d) != 0 && strcmp(a, e) != 0);
    CHECK_STR(a, c); /* the same database, spelled differently */
    CHECK(wr_draft_load(a) == NULL);
    wr_buf why = {0};
    CHECK_INT(wr_draft_save(a, "first words\nsecond line", &why), 0);
    struct stat sb;
    CHECK(stat(a, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    char *got = wr_draft_load(a);
    CHECK_STR(got ? got : "(none)", "first words\nsecond line");
    free(got);
    CHECK_INT(wr_draft_save(a, "replaced", &why), 0);
    got = wr_draft_load(a);
    CHECK_STR(got ? got : "(none)", "replaced");
    free(got);
    CHECK(wr_draft_load(b) == NULL); /* the other audience has none */
    wr_draft_remove(a);
    CHECK(wr_draft_load(a) == NULL);
    wr_draft_remove(a); /* none there: fine */
    CHECK_STR(wr_buf_str(&why), "");
    wr_buf_free(&why);
    char *wdir = wr_xasprintf("%s/warroom", dir);
    rmdir(wdir);
    rmdir(dir);
    free(wdir);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
    unsetenv("XDG_STATE_HOME");
}

int main(void)
{
    drafts();
    edit_readline();
    edit_wrap();
    edit_basics();
    countdown();
    return check_done();
}
