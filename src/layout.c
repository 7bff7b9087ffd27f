/* SPDX-License-Identifier: MIT */
/* layout.c - the console's layout arithmetic (curses-free; see layout.h). */
#include "warroom/layout.h"

#include <stdio.h>
#include <string.h>

static const char *const titles[WR_PANE_COUNT] = {"Incident", "Roles", "Checklist", "Timeline"};

const char *wr_layout_pane_title(wr_pane_id p)
{
    return (unsigned)p < WR_PANE_COUNT ? titles[p] : "?";
}

static wr_rect rect(int y, int x, int h, int w)
{
    wr_rect r = {y, x, h, w};
    return r;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void wr_layout_compute(wr_layout *l, int cols, int lines, wr_pane_id focus, int banner, int zoom)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->lines = lines;
    if (cols < WR_LAYOUT_MIN_COLS || lines < WR_LAYOUT_MIN_LINES) {
        l->mode = WR_LAYOUT_TOO_SMALL;
        return;
    }
    l->header = rect(0, 0, 1, cols);
    int top = 1;
    if (banner) {
        l->banner = rect(1, 0, 1, cols);
        top = 2;
    }
    l->status = rect(lines - 1, 0, 1, cols);
    l->body = rect(top, 0, lines - 1 - top, cols);
    int y = l->body.y, h = l->body.h;

    if (zoom) {
        /* Zoom: a tab strip and the focused pane. */
        l->mode = WR_LAYOUT_ZOOM;
        if ((unsigned)focus >= WR_PANE_COUNT)
            focus = WR_PANE_INCIDENT;
        l->tabs = rect(y, 0, 1, cols);
        l->pane[focus] = rect(y + 1, 0, h - 1, cols);
    } else if (cols >= WR_LAYOUT_WIDE_COLS) {
        /* Incident over roles on the left, the checklist beside them, the timeline below at full width. */
        l->mode = WR_LAYOUT_WIDE;
        int upper = clamp(h * 11 / 20, 14, h - 7);
        int timeline = h - upper;
        int left = clamp(cols * 2 / 5, 60, cols - 80);
        int inc_h = clamp(upper / 2, 8, upper - 6);
        if (upper < 16) {
            /* Short and wide: incident, roles and checklist side by side. */
            int third = cols * 3 / 10;
            l->pane[WR_PANE_INCIDENT] = rect(y, 0, upper, third);
            l->pane[WR_PANE_ROLES] = rect(y, third, upper, third);
            l->pane[WR_PANE_CHECKLIST] = rect(y, 2 * third, upper, cols - 2 * third);
        } else {
            l->pane[WR_PANE_INCIDENT] = rect(y, 0, inc_h, left);
            l->pane[WR_PANE_ROLES] = rect(y + inc_h, 0, upper - inc_h, left);
            l->pane[WR_PANE_CHECKLIST] = rect(y, left, upper, cols - left);
        }
        l->pane[WR_PANE_TIMELINE] = rect(y + upper, 0, timeline, cols);
    } else if (lines >= WR_LAYOUT_TALL_LINES) {
        /* Incident | roles, then the checklist, then the timeline, each at full width. */
        l->mode = WR_LAYOUT_NORMAL;
        int top_h = clamp(h / 3, 8, 13);
        int rest = h - top_h;
        int check_h = rest * 9 / 20;
        int inc_w = cols * 11 / 20;
        l->pane[WR_PANE_INCIDENT] = rect(y, 0, top_h, inc_w);
        l->pane[WR_PANE_ROLES] = rect(y, inc_w, top_h, cols - inc_w);
        l->pane[WR_PANE_CHECKLIST] = rect(y + top_h, 0, check_h, cols);
        l->pane[WR_PANE_TIMELINE] = rect(y + top_h + check_h, 0, rest - check_h, cols);
    } else {
        /* Compact: the header is the incident line; the roles in one line, then the checklist and the
         * timeline (at 80x24: 8 steps and 9 entries). */
        l->mode = WR_LAYOUT_COMPACT;
        int rest = h - 1;
        int check_h = rest / 2;
        l->pane[WR_PANE_ROLES] = rect(y, 0, 1, cols);
        l->pane[WR_PANE_CHECKLIST] = rect(y + 1, 0, check_h, cols);
        l->pane[WR_PANE_TIMELINE] = rect(y + 1 + check_h, 0, rest - check_h, cols);
    }
}

int wr_layout_framed(const wr_layout *l, wr_pane_id p)
{
    return (unsigned)p < WR_PANE_COUNT && l->pane[p].h >= 3 && l->pane[p].w > 0;
}

int wr_layout_hit(const wr_layout *l, int y, int x)
{
    for (int p = 0; p < WR_PANE_COUNT; p++) {
        const wr_rect *r = &l->pane[p];
        if (r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w)
            return p;
    }
    return -1;
}

char *wr_layout_tab_text(wr_pane_id p, unsigned unread, char *buf, size_t size)
{
    if (unread)
        snprintf(buf, size, "%s +%u", wr_layout_pane_title(p), unread);
    else
        snprintf(buf, size, "%s", wr_layout_pane_title(p));
    return buf;
}

int wr_layout_tab_hit(const wr_layout *l, int x, const unsigned *unread)
{
    if (l->mode != WR_LAYOUT_ZOOM)
        return -1;
    int at = 1;
    for (int p = 0; p < WR_PANE_COUNT; p++) {
        char t[48];
        int w = (int)strlen(wr_layout_tab_text((wr_pane_id)p, unread ? unread[p] : 0, t, sizeof t)) + 2;
        if (x >= at && x < at + w)
            return p;
        at += w + 1;
    }
    return -1;
}

char *wr_layout_too_small(int cols, int lines, char *buf, size_t size)
{
    snprintf(buf, size, "terminal too small (need %dx%d, have %dx%d)", WR_LAYOUT_MIN_COLS, WR_LAYOUT_MIN_LINES,
             cols, lines);
    return buf;
}
