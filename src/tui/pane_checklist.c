/* SPDX-License-Identifier: MIT */
/* pane_checklist.c - the checklist pane: the steps of the attached runbooks grouped by phase, with their
 * state ([ ] todo, [~] in progress, [x] done, [-] skipped, [!] blocked), a mark for mandatory ones, the owner,
 * and a warning when a runbook file on disk differs from the copy attached. Enter/Space ticks a step. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"

#include <stdlib.h>
#include <string.h>

/* A tick within this long of another operator's change of the same step arriving on screen was pressed at
 * the state before it (the eye and the key lag the screen). */
#define TICK_GRACE_MS 1500

typedef struct priv {
    int sel; /* the selected step (index into c->steps) */
    int top; /* first row shown */
    tui_posmap pos;
} priv;

enum { ROW_NEWER, ROW_PHASE, ROW_FOLDED, ROW_STEP };
typedef struct row {
    int kind, idx; /* NEWER: attached index; PHASE: first step of the phase; FOLDED: first step of the first
                      finished phase folded into the line; STEP: step index */
} row;

static int finished(const wr_step_row *st)
{
    return strcmp(st->state, WR_STEP_DONE) == 0 || strcmp(st->state, WR_STEP_SKIPPED) == 0;
}

/* Whether the phase that starts at step i is finished (every step done or skipped). */
static int phase_finished(console *c, size_t i)
{
    for (size_t k = i; k < c->nsteps && c->steps[k].phase_index == c->steps[i].phase_index; k++)
        if (!finished(&c->steps[k]))
            return 0;
    return 1;
}

/* The rows shown. Outside the zoom the checklist opens at the current phase: a finished phase is folded to
 * its heading with its counts; the compact layout (80x24) folds all finished phases into one line and shows
 * only the steps still open, so the current phase's open steps are on the first screen. The zoom shows every
 * step. The selected step (sel) stays shown, and so does its phase, even once finished: a tick does not pull
 * the line away under the operator's hand (j then moves to the next step, and the finished one folds). */
static row *build(console *c, int sel, int *n)
{
    row *v = wr_xcalloc(c->natt + 2 * c->nsteps + 2, sizeof *v);
    int k = 0;
    int fold = c->lay.mode != WR_LAYOUT_ZOOM, compact = c->lay.mode == WR_LAYOUT_COMPACT;
    for (size_t i = 0; i < c->natt; i++)
        if (c->att_newer && c->att_newer[i])
            v[k++] = (row){ROW_NEWER, (int)i};
    int phase = -1, folded_line = 0, hide = 0;
    for (size_t i = 0; i < c->nsteps; i++) {
        if (c->steps[i].phase_index != phase) {
            phase = c->steps[i].phase_index;
            int has_sel = sel >= (int)i && sel < (int)c->nsteps && c->steps[sel].phase_index == phase;
            hide = fold && phase_finished(c, i) && !has_sel;
            if (hide && compact) {
                if (!folded_line)
                    v[k++] = (row){ROW_FOLDED, (int)i};
                folded_line = 1;
            } else {
                v[k++] = (row){ROW_PHASE, (int)i};
            }
        }
        if (hide || (compact && finished(&c->steps[i]) && (int)i != sel))
            continue;
        v[k++] = (row){ROW_STEP, (int)i};
    }
    *n = k;
    return v;
}

static int row_of_step(const row *v, int n, int step)
{
    for (int i = 0; i < n; i++)
        if (v[i].kind == ROW_STEP && v[i].idx == step)
            return i;
    return 0;
}

/* The steps shown, in order (the selection moves among them). */
static int shown_steps(const row *v, int n, int *out)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (v[i].kind == ROW_STEP)
            out[k++] = v[i].idx;
    return k;
}

static int state_el(const char *state)
{
    if (strcmp(state, WR_STEP_DONE) == 0)
        return WR_EL_STEP_DONE;
    if (strcmp(state, WR_STEP_IN_PROGRESS) == 0)
        return WR_EL_STEP_PROGRESS;
    if (strcmp(state, WR_STEP_BLOCKED) == 0)
        return WR_EL_STEP_BLOCKED;
    if (strcmp(state, WR_STEP_SKIPPED) == 0)
        return WR_EL_STEP_SKIPPED;
    return WR_EL_NORMAL;
}

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void close_(pane *p)
{
    priv *s = p->priv;
    tui_pos_free(&s->pos);
    free(s);
    p->priv = NULL;
}

static void fix(pane *p, console *c, const row *v, int n)
{
    priv *s = p->priv;
    if (s->sel >= (int)c->nsteps)
        s->sel = c->nsteps ? (int)c->nsteps - 1 : 0;
    if (s->sel < 0)
        s->sel = 0;
    /* A step not shown (folded, or finished in the compact layout): the next one shown, else the last. */
    int *ids = wr_xcalloc((size_t)n + 1, sizeof *ids), m = shown_steps(v, n, ids);
    int found = 0;
    for (int i = 0; i < m && !found; i++)
        if (ids[i] >= s->sel) {
            found = ids[i] == s->sel;
            if (!found)
                s->sel = ids[i], found = 1;
        }
    if (!found && m)
        s->sel = ids[m - 1];
    free(ids);
    int r = row_of_step(v, n, s->sel);
    /* Show the phase heading above the first step of a phase too. */
    int h = tui_inner_h(p);
    tui_scroll_fix(&r, &s->top, n, h);
    if (r > 0 && r == s->top && v[r - 1].kind == ROW_PHASE)
        s->top = r - 1;
}

static void draw_step(pane *p, console *c, int y, const wr_step_row *st, int selected, int w)
{
    int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
    if (selected)
        tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
    int x = 1;
    x += tui_put_clean(c, p->win, y, x, selected ? base : state_el(st->state), wr_fmt_step_marker(st->state), w);
    x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MANDATORY, st->mandatory ? "*" : " ", w - x + 1);
    x++;
    int show_id = w >= 90;
    int right = 14 + (show_id ? 26 : 0);
    int title_w = w - x + 1 - right;
    wr_buf b = {0};
    wr_buf_puts(&b, st->title);
    if ((strcmp(st->state, WR_STEP_BLOCKED) == 0 || strcmp(st->state, WR_STEP_SKIPPED) == 0) && *st->reason)
        wr_buf_printf(&b, " - %s", st->reason);
    int strike = strcmp(st->state, WR_STEP_DONE) == 0 || strcmp(st->state, WR_STEP_SKIPPED) == 0;
    tui_put(c, p->win, y, x, selected ? base : strike ? WR_EL_MUTED : WR_EL_NORMAL, wr_buf_str(&b), title_w - 1);
    x += title_w;
    if (show_id) {
        wr_buf_reset(&b);
        wr_fmt_cell(&b, st->step, 25, 0);
        tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), 25);
        x += 26;
    }
    /* The owner: the person, or who holds the step's role ("ana +1" for several), or "no RSP" when nobody. */
    wr_buf_reset(&b);
    wr_buf who = {0};
    int person = 1;
    if (*st->owner) {
        wr_buf_puts(&who, st->owner);
    } else if (*st->role) {
        size_t nh = 0;
        for (size_t k = 0; k < c->nroles; k++)
            if (strcmp(c->roles[k].role, st->role) == 0 && nh++ == 0)
                wr_buf_puts(&who, c->roles[k].holder);
        if (nh > 1)
            wr_buf_printf(&who, " +%zu", nh - 1);
        if (!nh) {
            const wr_role_def *d = wr_role_find(st->role);
            wr_buf_printf(&who, "no %s", d ? d->abbrev : st->role);
            person = 0;
        }
    }
    wr_fmt_cell(&b, wr_buf_str(&who), 13, 1);
    wr_buf_free(&who);
    tui_put(c, p->win, y, x, selected ? base : person ? WR_EL_PANE_TITLE : WR_EL_WARNING, wr_buf_str(&b),
            w - x + 1);
    wr_buf_free(&b);
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int focused = c->focus == WR_PANE_CHECKLIST;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    int n;
    row *v = build(c, s->sel, &n);
    fix(p, c, v, n);
    size_t done = 0, open_mandatory = 0;
    for (size_t i = 0; i < c->nsteps; i++) {
        done += strcmp(c->steps[i].state, WR_STEP_DONE) == 0;
        open_mandatory += c->steps[i].mandatory && !finished(&c->steps[i]);
    }
    char info[64] = "";
    if (c->nsteps)
        snprintf(info, sizeof info, "%zu/%zu done, %zu mandatory open", done, c->nsteps, open_mandatory);
    char more[32] = "";
    if (s->top + h < n)
        snprintf(more, sizeof more, "%d more below", n - s->top - h);
    tui_frame(c, p, "Checklist", info, more, focused);
    if (!c->nsteps) {
        tui_put_clean(c, p->win, 1, 1, WR_EL_MUTED,
                      c->inc ? "No runbook attached: :runbook suggest, then :runbook attach ID" : "-", w);
        free(v);
        return;
    }
    for (int r = s->top; r < n && r - s->top < h; r++) {
        int y = 1 + r - s->top;
        if (v[r].kind == ROW_NEWER) {
            const wr_attached *a = &c->att[v[r].idx];
            const wr_runbook *rb = wr_rb_set_find(&c->rbset, a->runbook);
            wr_buf b = {0};
            wr_buf_printf(&b, "! newer version available: %s v%ld is attached, the file on disk is v%ld "
                              "(:runbook show %s)",
                          a->runbook, a->version, rb ? rb->version : 0L, a->runbook);
            tui_put(c, p->win, y, 1, WR_EL_WARNING, wr_buf_str(&b), w);
            wr_buf_free(&b);
        } else if (v[r].kind == ROW_FOLDED) {
            /* The finished phases, one line: "Done: Detection 2/2, Containment 3/3". */
            wr_buf b = {0};
            int phase = -1;
            for (size_t i = 0; i < c->nsteps; i++) {
                if (c->steps[i].phase_index == phase || !phase_finished(c, i) ||
                    (s->sel < (int)c->nsteps && c->steps[s->sel].phase_index == c->steps[i].phase_index))
                    continue; /* (the selected step's phase is shown whole) */
                phase = c->steps[i].phase_index;
                size_t total = 0, fin = 0;
                for (size_t k = i; k < c->nsteps && c->steps[k].phase_index == phase; k++)
                    total++, fin += strcmp(c->steps[k].state, WR_STEP_DONE) == 0;
                const char *title = phase >= 0 && phase < WR_PHASE_COUNT ? wr_phase_title((wr_phase)phase)
                                                                          : c->steps[i].phase;
                wr_buf_printf(&b, "%s%s %zu/%zu", b.len ? ", " : "finished: ", title, fin, total);
            }
            tui_put(c, p->win, y, 1, WR_EL_MUTED, wr_buf_str(&b), w);
            wr_buf_free(&b);
        } else if (v[r].kind == ROW_PHASE) {
            const wr_step_row *st = &c->steps[v[r].idx];
            size_t total = 0, fin = 0;
            for (size_t i = (size_t)v[r].idx; i < c->nsteps && c->steps[i].phase_index == st->phase_index; i++) {
                total++;
                fin += strcmp(c->steps[i].state, WR_STEP_DONE) == 0 || strcmp(c->steps[i].state, WR_STEP_SKIPPED) == 0;
            }
            const char *title = st->phase_index >= 0 && st->phase_index < WR_PHASE_COUNT
                                    ? wr_phase_title((wr_phase)st->phase_index) : st->phase;
            wr_buf b = {0};
            int folded = fin == total && c->lay.mode != WR_LAYOUT_ZOOM;
            wr_buf_printf(&b, "%s  %zu/%zu%s", title, fin, total, folded ? " finished" : "");
            tui_put(c, p->win, y, 1, folded ? WR_EL_MUTED : WR_EL_HEADING, wr_buf_str(&b), w);
            wr_buf_free(&b);
        } else {
            draw_step(p, c, y, &c->steps[v[r].idx], focused && v[r].idx == s->sel, w);
        }
    }
    free(v);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    int n;
    row *v = build(c, s->sel, &n);
    int handled = 1;
    int *ids = wr_xcalloc((size_t)n + 1, sizeof *ids), m = shown_steps(v, n, ids), at = 0;
    for (int i = 0; i < m; i++)
        if (ids[i] == s->sel)
            at = i;
    if (tui_motion(ui, &at, m, tui_inner_h(p) - 2)) {
        if (m)
            s->sel = ids[at];
        fix(p, c, v, n);
        p->dirty = 1;
    } else if (ui == WR_UI_SELECT || ui == WR_UI_TICK) {
        if (c->nsteps && s->sel < (int)c->nsteps) {
            const wr_step_row *st = &c->steps[s->sel];
            int64_t since = c->step_seen ? wr_clock_mono_ms() - c->step_seen[s->sel] : TICK_GRACE_MS;
            if (since < TICK_GRACE_MS && *st->updated_by && strcmp(st->updated_by, c->actor->name) != 0) {
                /* Another operator's change of this very step arrived as the key was pressed: the key was
                 * meant for the state before, which is gone. Say who was first; a second press acts. */
                char t[16];
                tui_message(c, MSG_ERROR, "step %s is already %s: %s did it at %s UTC", st->step, st->state,
                            st->updated_by, wr_time_hms(st->updated_at, t, sizeof t));
                c->step_seen[s->sel] -= TICK_GRACE_MS;
            } else {
                /* Intent, not a toggle: "todo -> done" as shown, refused if someone changed it first. */
                char *line = wr_xasprintf("step %s/%s %s --expect %s", st->runbook, st->step,
                                          wr_fmt_tick_action(st->state), st->state);
                tui_run_line(c, line);
                free(line);
            }
        }
    } else {
        handled = 0;
    }
    free(ids);
    free(v);
    return handled;
}

static void click(pane *p, console *c, int r)
{
    priv *s = p->priv;
    int n;
    row *v = build(c, s->sel, &n);
    int at = s->top + r;
    if (at >= 0 && at < n && v[at].kind == ROW_STEP) {
        s->sel = v[at].idx;
        p->dirty = 1;
    }
    free(v);
}

static void incident(pane *p, console *c, int64_t from, int64_t to)
{
    priv *s = p->priv;
    tui_pos_save(&s->pos, from, s->sel, s->top, 0);
    tui_pos pos;
    if (tui_pos_find(&s->pos, to, &pos)) {
        s->sel = pos.sel;
        s->top = pos.top;
        return;
    }
    /* First time here: the first step still to do. */
    s->sel = s->top = 0;
    for (size_t i = 0; i < c->nsteps; i++)
        if (strcmp(c->steps[i].state, WR_STEP_DONE) != 0 && strcmp(c->steps[i].state, WR_STEP_SKIPPED) != 0) {
            s->sel = (int)i;
            break;
        }
}

const pane_ops wr_pane_checklist_ops = {
    .name = "checklist",
    .open = open_,
    .draw = draw,
    .act = act,
    .click = click,
    .incident = incident,
    .close = close_,
};
