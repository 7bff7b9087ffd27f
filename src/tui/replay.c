/* SPDX-License-Identifier: MIT */
/* replay.c - `:replay [INC] [--speed N]`: a past incident's timeline replayed in the timeline pane at the
 * pace it happened (N times faster), from wr_replay_load. Entries are revealed by the console's timers (no
 * thread, no sleep); Esc returns to the live timeline. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/drill.h"
#include "warroom/evkind.h"
#include "warroom/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tui_replay {
    wr_replay r;
    char **text; /* wr_replay_describe of each event (raw) */
    size_t shown;
    int64_t start; /* monotonic ms */
    double speed;
    int64_t inc;
    int done_said;
};

void tui_replay_stop(console *c)
{
    struct tui_replay *rp = c->rp;
    if (!rp)
        return;
    for (size_t i = 0; i < rp->r.n; i++)
        free(rp->text[i]);
    free(rp->text);
    wr_replay_free(&rp->r);
    free(rp);
    c->rp = NULL;
    c->panes[WR_PANE_TIMELINE].dirty = 1;
}

void tui_replay_start(console *c, int64_t inc, double speed)
{
    struct tui_replay *rp = wr_xcalloc(1, sizeof *rp);
    wr_error err = {0};
    if (wr_replay_load(c->st, inc, &rp->r, &err) != WR_OK) {
        tui_message(c, MSG_ERROR, "replay: %s", err.msg);
        free(rp);
        return;
    }
    tui_replay_stop(c);
    rp->text = wr_xcalloc(rp->r.n + 1, sizeof *rp->text);
    for (size_t i = 0; i < rp->r.n; i++)
        rp->text[i] = wr_replay_describe(&rp->r.v[i]);
    rp->speed = speed;
    rp->inc = inc;
    rp->start = wr_clock_mono_ms();
    c->rp = rp;
    if (c->view != VIEW_ROOM)
        tui_open_incident(c, c->inc);
    tui_set_focus(c, WR_PANE_TIMELINE);
    char ref[32], span[32];
    tui_message(c, MSG_INFO, "replaying %s: %zu events over %s at %gx; Esc returns to the live timeline",
                wr_incident_ref(inc, ref, sizeof ref), rp->r.n, wr_duration(rp->r.span_ms, span, sizeof span), speed);
    tui_replay_tick(c, rp->start);
    c->panes[WR_PANE_TIMELINE].dirty = 1;
}

static int64_t due(const struct tui_replay *rp, size_t i)
{
    return rp->start + (int64_t)((double)rp->r.offset_ms[i] / rp->speed);
}

int64_t tui_replay_tick(console *c, int64_t now)
{
    struct tui_replay *rp = c->rp;
    if (!rp)
        return 0;
    size_t before = rp->shown;
    while (rp->shown < rp->r.n && due(rp, rp->shown) <= now)
        rp->shown++;
    if (rp->shown != before)
        c->panes[WR_PANE_TIMELINE].dirty = 1;
    if (rp->shown < rp->r.n)
        return due(rp, rp->shown);
    if (!rp->done_said) {
        rp->done_said = 1;
        tui_message(c, MSG_OK, "replay finished: Esc returns to the live timeline");
    }
    return 0;
}

void tui_replay_draw(pane *p, console *c)
{
    struct tui_replay *rp = c->rp;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    char ref[32], title[64], info[48];
    snprintf(title, sizeof title, "Replay of %s at %gx", wr_incident_ref(rp->inc, ref, sizeof ref), rp->speed);
    snprintf(info, sizeof info, "%zu of %zu", rp->shown, rp->r.n);
    tui_frame(c, p, title, info, "Esc: back to live", c->focus == WR_PANE_TIMELINE);
    size_t first = rp->shown > (size_t)h ? rp->shown - (size_t)h : 0;
    for (size_t i = first; i < rp->shown; i++) {
        const wr_event *ev = &rp->r.v[i];
        int y = 1 + (int)(i - first), x = 1;
        char off[32], t[48];
        snprintf(t, sizeof t, "+%s", wr_duration(rp->r.offset_ms[i], off, sizeof off));
        wr_buf b = {0};
        wr_fmt_cell(&b, t, 8, 0);
        x += tui_put_clean(c, p->win, y, x, WR_EL_MUTED, wr_buf_str(&b), w) + 1;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, ev->actor, 12, 0);
        x += tui_put(c, p->win, y, x, WR_EL_PANE_TITLE, wr_buf_str(&b), w - x + 1) + 1;
        tui_put(c, p->win, y, x, wr_ev_is(ev->kind, WR_EV_NOTE) ? WR_EL_NORMAL : WR_EL_MUTED,
                rp->text[i] ? rp->text[i] : ev->kind, w - x + 1);
        wr_buf_free(&b);
    }
    if (!rp->shown)
        tui_put_clean(c, p->win, 1, 1, WR_EL_MUTED, "...", w);
}
