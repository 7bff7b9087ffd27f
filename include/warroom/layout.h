/* SPDX-License-Identifier: MIT */
/* layout.h - where the console's panes go for a terminal size (no curses here).
 *
 *   too small  below 80x24: nothing but a centred "terminal too small (need 80x24, have WxH)"
 *   narrow     80-159 columns and fewer than 30 lines: a tab strip naming the panes, and the focused pane
 *              filling the rest
 *   normal     80-159 columns, 30 lines or more: incident | roles on top, the checklist below them, the
 *              timeline at the bottom
 *   wide       160 columns or more: incident over roles on the left, the checklist beside them, the
 *              timeline at the bottom
 *
 * Every layout has a header line at the top, the status line (which the `:` prompt takes over) at the
 * bottom and, for a read-only store, a banner line under the header. The timeline always spans the whole
 * width of the terminal: a new entry then scrolls it with the terminal's own scroll region, which costs a
 * few bytes over SSH instead of repainting the pane.
 */
#ifndef WARROOM_LAYOUT_H
#define WARROOM_LAYOUT_H

#include <stddef.h>

#define WR_LAYOUT_MIN_COLS 80
#define WR_LAYOUT_MIN_LINES 24
#define WR_LAYOUT_WIDE_COLS 160
#define WR_LAYOUT_TALL_LINES 30

typedef enum { WR_PANE_INCIDENT, WR_PANE_ROLES, WR_PANE_CHECKLIST, WR_PANE_TIMELINE, WR_PANE_COUNT } wr_pane_id;

typedef enum { WR_LAYOUT_TOO_SMALL, WR_LAYOUT_NARROW, WR_LAYOUT_NORMAL, WR_LAYOUT_WIDE } wr_layout_mode;

/* A rectangle of cells; h == 0 or w == 0 means not shown. */
typedef struct wr_rect {
    int y, x, h, w;
} wr_rect;

typedef struct wr_layout {
    wr_layout_mode mode;
    int cols, lines;
    wr_rect header; /* line 0 */
    wr_rect banner; /* the read-only banner, under the header (h 0 when none) */
    wr_rect tabs;   /* narrow: the tab strip (h 0 otherwise) */
    wr_rect body;   /* everything between the header (banner) and the status line */
    wr_rect status; /* the last line */
    wr_rect pane[WR_PANE_COUNT];
} wr_layout;

/* Lay out a cols x lines terminal with `focus` the focused pane; banner: reserve the banner line. */
void wr_layout_compute(wr_layout *l, int cols, int lines, wr_pane_id focus, int banner);
/* The pane shown at cell (y, x), or -1. */
int wr_layout_hit(const wr_layout *l, int y, int x);
/* The tab strip of the narrow layout: the tab at column x, or -1. Tabs are the pane titles, each followed
 * by two spaces, starting at column 1. */
int wr_layout_tab_hit(const wr_layout *l, int x);
/* The text shown by a terminal that is too small: "terminal too small (need 80x24, have 60x20)". */
char *wr_layout_too_small(int cols, int lines, char *buf, size_t size);
/* Pane titles: "Incident", "Roles", "Checklist", "Timeline". */
const char *wr_layout_pane_title(wr_pane_id p);

#endif
