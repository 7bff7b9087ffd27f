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
    size_t cur; /* byte offset of the cursor */
} wr_edit;

typedef enum { WR_EDIT_LEFT, WR_EDIT_RIGHT, WR_EDIT_UP, WR_EDIT_DOWN, WR_EDIT_HOME, WR_EDIT_END } wr_edit_move_t;

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
/* The cursor's line (0-based) and its column counted in characters. */
void wr_edit_cursor(const wr_edit *e, int *line, int *col);
/* How many lines the text has (1 for an empty text). */
int wr_edit_lines(const wr_edit *e);

/* The header's countdown to the next update: "update in 12m", "update due now", "update overdue 5m".
 * due_at 0 (no cadence) gives "" and level 0. *level: 0 nothing, 1 not yet due, 2 due within 5 minutes,
 * 3 overdue. Returns the ms until the text or level changes (>= 1; 0 with no cadence). */
int64_t wr_update_countdown(int64_t due_at, int64_t now, char *buf, size_t size, int *level);

#endif
