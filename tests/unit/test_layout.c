/* SPDX-License-Identifier: MIT */
/* Layout arithmetic: every size from the smallest up gives panes that tile the body exactly. */
#include "check.h"
#include "warroom/layout.h"

static int area(wr_rect r)
{
    return r.h > 0 && r.w > 0 ? r.h * r.w : 0;
}

static int overlap(wr_rect a, wr_rect b)
{
    if (!area(a) || !area(b))
        return 0;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(wr_rect in, wr_rect out)
{
    return in.y >= out.y && in.x >= out.x && in.y + in.h <= out.y + out.h && in.x + in.w <= out.x + out.w;
}

/* The shown panes lie in the body without overlapping, cover it exactly (zoom: below the tab strip), are
 * big enough to use, and the timeline (when shown) spans the full width. Returns 1 if all hold. */
static int sane(const wr_layout *l)
{
    int ok = 1, covered = 0, shown = 0;
    for (int p = 0; p < WR_PANE_COUNT; p++) {
        wr_rect r = l->pane[p];
        if (!area(r))
            continue;
        shown++;
        covered += area(r);
        int line = l->mode == WR_LAYOUT_COMPACT && p == WR_PANE_ROLES; /* the compact layout's roles line */
        if (!inside(r, l->body) || (line ? r.h != 1 : r.h < 5) || r.w < 24) {
            fprintf(stderr, "%dx%d: pane %d at %d,%d %dx%d is outside the body or too small\n", l->cols, l->lines,
                    p, r.y, r.x, r.w, r.h);
            ok = 0;
        }
        for (int q = p + 1; q < WR_PANE_COUNT; q++)
            if (overlap(r, l->pane[q])) {
                fprintf(stderr, "%dx%d: panes %d and %d overlap\n", l->cols, l->lines, p, q);
                ok = 0;
            }
    }
    if (area(l->pane[WR_PANE_TIMELINE]) && l->pane[WR_PANE_TIMELINE].w != l->cols)
        ok = 0;
    if (covered + area(l->tabs) != area(l->body)) {
        fprintf(stderr, "%dx%d: panes cover %d cells of %d\n", l->cols, l->lines, covered, area(l->body));
        ok = 0;
    }
    if (l->header.y != 0 || l->header.w != l->cols || l->status.y != l->lines - 1 || l->status.w != l->cols)
        ok = 0;
    if (l->body.y + l->body.h != l->status.y)
        ok = 0;
    int want = l->mode == WR_LAYOUT_ZOOM ? 1 : l->mode == WR_LAYOUT_COMPACT ? WR_PANE_COUNT - 1 : WR_PANE_COUNT;
    if (shown != want)
        ok = 0;
    /* The timeline shows at least 5 entries wherever it is shown. */
    if (area(l->pane[WR_PANE_TIMELINE]) && l->pane[WR_PANE_TIMELINE].h < 7)
        ok = 0;
    return ok;
}

static void test_too_small(void)
{
    wr_layout l;
    int sizes[][2] = {{79, 24}, {80, 23}, {60, 20}, {0, 0}, {1, 1}, {200, 10}, {40, 60}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        wr_layout_compute(&l, sizes[i][0], sizes[i][1], WR_PANE_CHECKLIST, 0, 0);
        CHECK_INT(l.mode, WR_LAYOUT_TOO_SMALL);
        for (int p = 0; p < WR_PANE_COUNT; p++)
            CHECK_INT(area(l.pane[p]), 0);
        CHECK_INT(wr_layout_hit(&l, 1, 1), -1);
    }
    char buf[64];
    CHECK_STR(wr_layout_too_small(60, 20, buf, sizeof buf), "terminal too small (need 80x24, have 60x20)");
}

static void test_80x24(void)
{
    /* Compact: the roles line, the checklist and the timeline, no key pressed. */
    wr_layout l;
    wr_layout_compute(&l, 80, 24, WR_PANE_CHECKLIST, 0, 0);
    CHECK_INT(l.mode, WR_LAYOUT_COMPACT);
    CHECK(sane(&l));
    CHECK_INT(l.tabs.h, 0);
    CHECK_INT(area(l.pane[WR_PANE_INCIDENT]), 0);
    wr_rect ro = l.pane[WR_PANE_ROLES], ck = l.pane[WR_PANE_CHECKLIST], tl = l.pane[WR_PANE_TIMELINE];
    CHECK_INT(ro.y, 1);
    CHECK_INT(ro.h, 1);
    CHECK_INT(ck.y, 2);
    CHECK_INT(ck.h, 10); /* 8 steps */
    CHECK_INT(tl.y, 12);
    CHECK_INT(tl.h, 11); /* 9 entries */
    CHECK_INT(tl.w, 80);
    CHECK(!wr_layout_framed(&l, WR_PANE_ROLES));
    CHECK(!wr_layout_framed(&l, WR_PANE_INCIDENT));
    CHECK(wr_layout_framed(&l, WR_PANE_CHECKLIST));
    CHECK_INT(wr_layout_hit(&l, 10, 10), WR_PANE_CHECKLIST);
    CHECK_INT(wr_layout_hit(&l, 20, 10), WR_PANE_TIMELINE);
    CHECK_INT(wr_layout_hit(&l, 0, 10), -1); /* the header */
    CHECK_INT(wr_layout_tab_hit(&l, 3, NULL), -1);
    /* Focus does not move panes. */
    wr_layout m;
    wr_layout_compute(&m, 80, 24, WR_PANE_TIMELINE, 0, 0);
    CHECK(memcmp(&l.pane, &m.pane, sizeof l.pane) == 0);
    /* A banner takes one line from the body: the timeline still shows 8 entries. */
    wr_layout_compute(&l, 80, 24, WR_PANE_TIMELINE, 1, 0);
    CHECK(sane(&l));
    CHECK_INT(l.banner.y, 1);
    CHECK_INT(l.pane[WR_PANE_ROLES].y, 2);
    CHECK_INT(l.pane[WR_PANE_TIMELINE].h, 10);

    /* Zoom: a tab strip and the focused pane alone. */
    wr_layout_compute(&l, 80, 24, WR_PANE_CHECKLIST, 0, 1);
    CHECK_INT(l.mode, WR_LAYOUT_ZOOM);
    CHECK(sane(&l));
    CHECK_INT(l.tabs.y, 1);
    CHECK_INT(l.tabs.h, 1);
    wr_rect r = l.pane[WR_PANE_CHECKLIST];
    CHECK_INT(r.y, 2);
    CHECK_INT(r.h, 21); /* 24 - header - tabs - status */
    CHECK_INT(r.w, 80);
    CHECK_INT(area(l.pane[WR_PANE_TIMELINE]), 0);
    CHECK_INT(wr_layout_hit(&l, 10, 10), WR_PANE_CHECKLIST);
    /* Tabs: " Incident " from column 1, then " Roles "... */
    CHECK_INT(wr_layout_tab_hit(&l, 1, NULL), WR_PANE_INCIDENT);
    CHECK_INT(wr_layout_tab_hit(&l, 10, NULL), WR_PANE_INCIDENT);
    CHECK_INT(wr_layout_tab_hit(&l, 12, NULL), WR_PANE_ROLES);
    CHECK_INT(wr_layout_tab_hit(&l, 20, NULL), WR_PANE_CHECKLIST);
    CHECK_INT(wr_layout_tab_hit(&l, 79, NULL), -1);
    /* An unread count widens its tab: " Incident +3 " then " Roles " at 15. */
    unsigned unread[WR_PANE_COUNT] = {3, 0, 0, 12};
    CHECK_INT(wr_layout_tab_hit(&l, 13, unread), WR_PANE_INCIDENT);
    CHECK_INT(wr_layout_tab_hit(&l, 15, unread), WR_PANE_ROLES);
    char t[48];
    CHECK_STR(wr_layout_tab_text(WR_PANE_TIMELINE, 12, t, sizeof t), "Timeline +12");
    CHECK_STR(wr_layout_tab_text(WR_PANE_ROLES, 0, t, sizeof t), "Roles");
    /* Focus moves the one shown pane. */
    wr_layout_compute(&l, 80, 24, WR_PANE_TIMELINE, 0, 1);
    CHECK(sane(&l));
    CHECK_INT(l.pane[WR_PANE_TIMELINE].h, 21);
    CHECK_INT(area(l.pane[WR_PANE_CHECKLIST]), 0);
    /* Zoom works at any size. */
    wr_layout_compute(&l, 200, 60, WR_PANE_INCIDENT, 1, 1);
    CHECK_INT(l.mode, WR_LAYOUT_ZOOM);
    CHECK(sane(&l));
    CHECK_INT(l.tabs.y, 2);
}

static void test_120x40(void)
{
    wr_layout l;
    wr_layout_compute(&l, 120, 40, WR_PANE_CHECKLIST, 0, 0);
    CHECK_INT(l.mode, WR_LAYOUT_NORMAL);
    CHECK(sane(&l));
    wr_rect inc = l.pane[WR_PANE_INCIDENT], roles = l.pane[WR_PANE_ROLES], chk = l.pane[WR_PANE_CHECKLIST],
            tl = l.pane[WR_PANE_TIMELINE];
    /* Incident and roles side by side on top, then the checklist, then the timeline. */
    CHECK_INT(inc.y, 1);
    CHECK_INT(roles.y, 1);
    CHECK_INT(inc.x, 0);
    CHECK_INT(roles.x, inc.w);
    CHECK_INT(inc.h, roles.h);
    CHECK_INT(inc.h, 12); /* 8 roles, a heading and a person fit */
    CHECK_INT(chk.y, inc.y + inc.h);
    CHECK_INT(chk.w, 120);
    CHECK_INT(tl.y, chk.y + chk.h);
    CHECK_INT(tl.y + tl.h, 39);
    CHECK(tl.h >= 12);
    CHECK(chk.h >= 10);
    CHECK_INT(wr_layout_hit(&l, 2, 1), WR_PANE_INCIDENT);
    CHECK_INT(wr_layout_hit(&l, 2, 119), WR_PANE_ROLES);
    CHECK_INT(wr_layout_hit(&l, 38, 50), WR_PANE_TIMELINE);
    CHECK_INT(wr_layout_hit(&l, 39, 50), -1); /* the status line */
    CHECK_INT(wr_layout_tab_hit(&l, 3, NULL), -1);
    /* Focus does not move panes outside the zoom. */
    wr_layout m;
    wr_layout_compute(&m, 120, 40, WR_PANE_TIMELINE, 0, 0);
    CHECK(memcmp(&l.pane, &m.pane, sizeof l.pane) == 0);
}

static void test_200x60(void)
{
    wr_layout l;
    wr_layout_compute(&l, 200, 60, WR_PANE_CHECKLIST, 0, 0);
    CHECK_INT(l.mode, WR_LAYOUT_WIDE);
    CHECK(sane(&l));
    wr_rect inc = l.pane[WR_PANE_INCIDENT], roles = l.pane[WR_PANE_ROLES], chk = l.pane[WR_PANE_CHECKLIST],
            tl = l.pane[WR_PANE_TIMELINE];
    CHECK_INT(inc.x, 0);
    CHECK_INT(roles.x, 0);
    CHECK_INT(roles.y, inc.y + inc.h);
    CHECK_INT(chk.x, inc.w);
    CHECK_INT(chk.h, inc.h + roles.h);
    CHECK(chk.w >= 100);
    CHECK_INT(tl.w, 200);
    CHECK(tl.h >= 20);
    /* Short and wide: three panes side by side over the timeline. */
    wr_layout_compute(&l, 160, 24, WR_PANE_CHECKLIST, 1, 0);
    CHECK_INT(l.mode, WR_LAYOUT_WIDE);
    CHECK(sane(&l));
    CHECK_INT(l.pane[WR_PANE_INCIDENT].y, l.pane[WR_PANE_CHECKLIST].y);
    CHECK_INT(l.pane[WR_PANE_ROLES].y, l.pane[WR_PANE_CHECKLIST].y);
}

static void test_every_size(void)
{
    /* Every size from 80x24 to 260x90 and every focus lays out sanely. */
    int bad = 0;
    for (int c = 80; c <= 260; c++)
        for (int r = 24; r <= 90; r++)
            for (int f = 0; f < WR_PANE_COUNT; f++)
                for (int b = 0; b < 4; b++) {
                    wr_layout l;
                    wr_layout_compute(&l, c, r, (wr_pane_id)f, b & 1, b >> 1);
                    if (!sane(&l) && bad++ < 5)
                        fprintf(stderr, "bad layout at %dx%d focus %d banner %d zoom %d\n", c, r, f, b & 1, b >> 1);
                }
    CHECK_INT(bad, 0);
}

int main(void)
{
    test_too_small();
    test_80x24();
    test_120x40();
    test_200x60();
    test_every_size();
    return check_done();
}
