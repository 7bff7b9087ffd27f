/* SPDX-License-Identifier: MIT */
/* layout.h - where the console's panes go for a terminal size (no curses here).
 *
 *   too small  below 80x24: nothing but a centred "terminal too small (need 80x24, have WxH)"
 *   compact    80-159 columns and fewer than 30 lines: the roles as one summary line under the header (which
 *              carries the incident line), the checklist, the timeline; the incident pane is not shown
 *   normal     80-159 columns, 30 lines or more: incident | roles on top, the checklist below them, the
 *              timeline at the bottom
 *   wide       160 columns or more: incident over roles on the left, the checklist beside them, the
 *              timeline at the bottom
 *   zoom       any size from 80x24, when asked for (`z`): a tab strip naming the panes, and the focused pane
 *              filling the rest
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

typedef enum {
    WR_LAYOUT_TOO_SMALL,
    WR_LAYOUT_ZOOM,
    WR_LAYOUT_NORMAL,
    WR_LAYOUT_WIDE,
    WR_LAYOUT_COMPACT
} wr_layout_mode;

/* A rectangle of cells; h == 0 or w == 0 means not shown. */
typedef struct wr_rect {
    int y, x, h, w;
} wr_rect;

typedef struct wr_layout {
    wr_layout_mode mode;
    int cols, lines;
    wr_rect header; /* line 0 */
    wr_rect banner; /* the read-only banner, under the header (h 0 when none) */
    wr_rect tabs;   /* zoom: the tab strip (h 0 otherwise) */
    wr_rect body;   /* everything between the header (banner) and the status line */
    wr_rect status; /* the last line */
    wr_rect pane[WR_PANE_COUNT];
} wr_layout;

/* Lay out a cols x lines terminal with `focus` the focused pane; banner: reserve the banner line; zoom: the
 * focused pane alone under a tab strip. In the compact layout the roles pane is one line high (no frame) and
 * the incident pane is not shown. */
void wr_layout_compute(wr_layout *l, int cols, int lines, wr_pane_id focus, int banner, int zoom);
/* 1 if pane p is shown with its frame (the whole of it can be looked at); 0 for a hidden pane or the compact
 * layout's roles line. */
int wr_layout_framed(const wr_layout *l, wr_pane_id p);
/* The pane shown at cell (y, x), or -1. */
int wr_layout_hit(const wr_layout *l, int y, int x);
/* The tab strip of the zoom layout: the tab at column x, or -1. Tabs are " Title " (with " +N" before the
 * closing space when the pane has unread[p] entries; unread may be NULL), one column apart, from column 1. */
int wr_layout_tab_hit(const wr_layout *l, int x, const unsigned *unread);
/* The text of pane p's tab: "Timeline" or "Timeline +3". */
char *wr_layout_tab_text(wr_pane_id p, unsigned unread, char *buf, size_t size);
/* The text shown by a terminal that is too small: "terminal too small (need 80x24, have 60x20)". */
char *wr_layout_too_small(int cols, int lines, char *buf, size_t size);
/* Pane titles: "Incident", "Roles", "Checklist", "Timeline". */
const char *wr_layout_pane_title(wr_pane_id p);

#endif
