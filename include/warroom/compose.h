/* SPDX-License-Identifier: MIT */
/* compose.h - curses-free helpers of the console's update composer and header countdown.
 *
 * wr_edit is a small multi-line text editor's buffer (UTF-8 text and a cursor as a byte offset, always on a
 * character boundary); the console maps keys onto it and draws its lines. wr_update_countdown words the
 * time left to the next stakeholder update for the header.
 */
#ifndef WARROOM_COMPOSE_H
#define WARROOM_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/util.h"

typedef struct wr_edit {
    wr_buf text;
    size_t cur;    /* byte offset of the cursor */
    wr_buf killed; /* the text the last kill took (Ctrl-Y puts it back) */
} wr_edit;

typedef enum {
    WR_EDIT_LEFT,
    WR_EDIT_RIGHT,
    WR_EDIT_UP,
    WR_EDIT_DOWN,
    WR_EDIT_HOME,
    WR_EDIT_END,
    WR_EDIT_WORD_LEFT, /* to the start of the word before (Alt-B) */
    WR_EDIT_WORD_RIGHT /* to the end of the word after (Alt-F) */
} wr_edit_move_t;

/* The kills, as readline does them; the text taken goes to e->killed. */
typedef enum {
    WR_KILL_LINE_END,   /* to the end of the line; at its end, the line break (Ctrl-K) */
    WR_KILL_LINE_START, /* to the start of the line (Ctrl-U) */
    WR_KILL_BIGWORD,    /* back to the whitespace before (Ctrl-W) */
    WR_KILL_WORD_BACK,  /* back to the start of the word (Alt-Backspace) */
    WR_KILL_WORD_FWD    /* on to the end of the word (Alt-D) */
} wr_edit_kill_t;

/* Replace the text (NULL: empty) and put the cursor at its end. */
void wr_edit_set(wr_edit *e, const char *text);
void wr_edit_free(wr_edit *e);
/* Insert a character (cp '\n' starts a new line); invalid code points are ignored. */
void wr_edit_insert(wr_edit *e, uint32_t cp);
/* Delete the character before (backspace) or under (delete) the cursor; 1 if something was deleted. */
int wr_edit_backspace(wr_edit *e);
int wr_edit_delete(wr_edit *e);
/* Move the cursor; up and down keep the character column where the line is long enough. */
void wr_edit_move(wr_edit *e, wr_edit_move_t m);
/* Kill (delete, keeping the text in e->killed); 1 if something was taken. */
int wr_edit_kill(wr_edit *e, wr_edit_kill_t k);
/* Insert the last killed text at the cursor (Ctrl-Y). */
void wr_edit_yank(wr_edit *e);

/* Soft wrapping: the text laid out in rows of at most `width` columns (as drawn: wide characters take two).
 * A line breaks at its last space that fits (the space is not shown), else at the width; every line break of
 * the text starts a row. Rows hold byte offsets [start, end) into the text. */
typedef struct wr_edit_row {
    size_t start, end;
} wr_edit_row;
/* The rows (caller frees *rows); returns how many (at least 1). */
size_t wr_edit_wrap(const wr_edit *e, int width, wr_edit_row **rows);
/* The cursor's row in rows and its column (display columns from the row's start). */
void wr_edit_cursor_at(const wr_edit *e, const wr_edit_row *rows, size_t n, size_t *row, int *col);
/* Move the cursor delta rows up (negative) or down, keeping its display column where the row is long
 * enough (the composer's Up, Down, PgUp, PgDn). */
void wr_edit_move_rows(wr_edit *e, int width, int delta);

/* The cursor's line (0-based) and its column counted in characters. */
void wr_edit_cursor(const wr_edit *e, int *line, int *col);
/* How many lines the text has (1 for an empty text). */
int wr_edit_lines(const wr_edit *e);

/* The header's countdown to the next update: "update in 12m", "update due now", "update overdue 5m".
 * due_at 0 (no cadence) gives "" and level 0. *level: 0 nothing, 1 not yet due, 2 due within 5 minutes,
 * 3 overdue. Returns the ms until the text or level changes (>= 1; 0 with no cadence). */
int64_t wr_update_countdown(int64_t due_at, int64_t now, char *buf, size_t size, int *level);

#endif
