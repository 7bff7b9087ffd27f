/* SPDX-License-Identifier: MIT */
/* render.c - the console's render pass: the header, the banner, the pane tabs, the status line and the
 * dirty panes, drawn with wnoutrefresh and one doupdate() (see console.c for the loop that calls it). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the render pass ---- */

/* The elapsed time: since the declaration, or, once the incident is over, how long it ran ("resolved after
 * 5m", "declined after 3m"): that clock has stopped. */
static void elapsed(console *c, char *buf, size_t size)
{
    const wr_incident *i = &c->incident;
    char d[32];
    if (!c->stopped_at) {
        wr_duration(wr_clock_now_ms() - i->declared_at, buf, size);
        return;
    }
    const char *word = i->state == WR_INC_DECLINED ? "declined" : i->state == WR_INC_MERGED ? "merged"
                       : i->state == WR_INC_CANCELLED ? "cancelled" : "resolved";
    int64_t ran = c->stopped_at - i->declared_at;
    snprintf(buf, size, "%s after %s", word, wr_duration(ran > 0 ? ran : 0, d, sizeof d));
}

/* The incident's part of the header, left to right; returns the columns it used. With w == NULL it only
 * measures (with_title 0: all but the title), so draw_header can decide what gives way. */
static int header_incident(console *c, WINDOW *w, int x, int avail, int with_title)
{
    const wr_incident *i = &c->incident;
    char ref[32], ago[64], sev[16], cd[64], t[72];
    int level, x0 = x;
    wr_incident_ref(i->id, ref, sizeof ref);
    snprintf(sev, sizeof sev, " %.8s ", i->severity);
    elapsed(c, ago, sizeof ago);
    wr_update_countdown(c->cad.due_at, wr_clock_now_ms(), cd, sizeof cd, &level);
    snprintf(t, sizeof t, " %s ", cd);
    struct {
        int el;
        const char *text; /* ours, or (raw) from the database: cleaned, and cut with an ellipsis */
        int raw;
    } part[] = {
        {WR_EL_HEADER, " ", 0},
        {WR_EL_HEADER, ref, 0},
        {WR_EL_HEADER, " ", 0},
        {tui_sev_el(i->severity), sev, 1},
        {WR_EL_HEADER, " ", 0},
        {WR_EL_HEADER, i->status, 1},
        {WR_EL_HEADER, "  ", 0},
        {WR_EL_HEADER, ago, 0},
        {WR_EL_HEADER, level ? " " : "", 0},
        {level == 3 ? WR_EL_ERROR : level == 2 ? WR_EL_WARNING : WR_EL_HEADER, level ? t : "", 0},
        {WR_EL_HEADER, wr_incident_kind_is_drill(i->kind) ? "  " : "", 0},
        {WR_EL_DRILL, wr_incident_kind_is_drill(i->kind) ? " DRILL " : "", 0},
        {WR_EL_HEADER, "  ", 0},
        {WR_EL_HEADER, with_title ? i->title : "", 1},
    };
    for (size_t k = 0; k < sizeof part / sizeof part[0]; k++) {
        const char *s = part[k].text;
        if (!*s)
            continue;
        if (w && part[k].raw) {
            x += tui_put(c, w, 0, x, part[k].el, s, avail - x);
        } else if (w) {
            x += tui_put_clean(c, w, 0, x, part[k].el, s, avail - x);
        } else {
            wr_buf b = {0};
            wr_text_clean(&b, s, strlen(s), WR_TEXT_ONELINE);
            x += (int)wr_text_width(wr_buf_str(&b));
            wr_buf_free(&b);
        }
    }
    return x - x0;
}

/* The title's part of the header: kept whole while the line has room, else cut (with an ellipsis) down to
 * this many columns before the alert badge shortens. */
#define TITLE_MIN 12

static void draw_header(console *c)
{
    WINDOW *w = c->w_header;
    int width = c->lay.cols;
    wbkgdset(w, ' ' | tui_attr(c, WR_EL_HEADER));
    werase(w);
    int incident = c->view != VIEW_TRIAGE && c->view != VIEW_LIST && c->inc && c->have_incident;
    /* What the line holds, and what gives way when it is too short (docs/console.md), first to last: the word
     * warroom, who I am, the clock, then the title is cut (to TITLE_MIN), then the alert badge shortens to
     * "3 alerts", then it goes. */
    int fixed = 0, title = 0;
    if (incident) {
        fixed = header_incident(c, NULL, 0, width, 0);
        title = header_incident(c, NULL, 0, width, 1) - fixed;
    }
    char clock[32], right[160];
    time_t now = (time_t)(wr_clock_now_ms() / 1000);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(clock, sizeof clock, "%H:%M UTC", &tm);
    wr_buf me = {0};
    wr_text_fit(&me, c->actor->name, strlen(c->actor->name), 24, 1, WR_TEXT_ONELINE);
    static const char brand_text[] = " warroom ";
    int brand = (int)strlen(brand_text), mew = (int)wr_text_width(wr_buf_str(&me)) + 2;
    int clockw = (int)strlen(clock) + 1;
    char badge[64] = "", badge_short[32] = "";
    if (c->alerts_waiting) {
        snprintf(badge, sizeof badge, " %lld alert%s (%lld firing) ", (long long)c->alerts_waiting,
                 c->alerts_waiting == 1 ? "" : "s", (long long)c->alerts_firing);
        snprintf(badge_short, sizeof badge_short, " %lld alert%s ", (long long)c->alerts_waiting,
                 c->alerts_waiting == 1 ? "" : "s");
    }
    if (!incident) {
        fixed = 40; /* "incidents: 12, 3 open", "triage: alerts awaiting a decision" */
        title = 0;
    }
    int show_brand = 1, show_me = 1, show_clock = 1, bw = (int)strlen(badge), tw = title;
#define NEED()                                                                                                   \
    ((show_brand ? brand : 0) + fixed + tw + (bw ? bw + 1 : 0) + (show_me ? mew : 0) + (show_clock ? clockw : 0) + 1)
    if (NEED() > width)
        show_brand = 0;
    if (NEED() > width)
        show_me = 0;
    if (NEED() > width)
        show_clock = 0;
    if (NEED() > width && tw > TITLE_MIN)
        tw = TITLE_MIN;
    if (NEED() > width && bw)
        bw = (int)strlen(badge_short);
    if (NEED() > width)
        bw = 0;
#undef NEED
    const char *badge_text = bw == (int)strlen(badge) ? badge : badge_short;
    snprintf(right, sizeof right, "%s%s%s%s", show_me ? wr_buf_str(&me) : "", show_me ? "  " : "",
             show_clock ? clock : "", show_me || show_clock ? " " : "");
    wr_buf_free(&me);
    int x = show_brand ? tui_put_clean(c, w, 0, 0, WR_EL_HEADER, brand_text, width) : 0;
    int rw = (int)wr_text_width(right);
    int avail = width - rw - (bw ? bw + 1 : 0) - 1;
    if (c->view == VIEW_TRIAGE) {
        x += tui_put_clean(c, w, 0, x, WR_EL_HEADER, " triage: alerts awaiting a decision", avail - x);
    } else if (c->view == VIEW_LIST) {
        char t[96];
        size_t open = 0;
        for (size_t i = 0; i < c->nlist; i++)
            open += wr_status_is_open(c->list[i].status);
        snprintf(t, sizeof t, " incidents: %zu, %zu open", c->nlist, open);
        x += tui_put_clean(c, w, 0, x, WR_EL_HEADER, t, avail - x);
    } else if (!incident) {
        x += tui_put_clean(c, w, 0, x, WR_EL_HEADER, " no incident open", avail - x);
    } else {
        x += header_incident(c, w, x, avail, 1);
    }
    if (bw)
        tui_put_clean(c, w, 0, width - rw - bw - 1, c->alerts_firing ? WR_EL_WARNING : WR_EL_HEADER, badge_text, bw);
    if (rw && rw < width)
        tui_put_clean(c, w, 0, width - rw, WR_EL_HEADER, right, rw);
    wnoutrefresh(w);
}

static void draw_banner(console *c)
{
    WINDOW *w = c->w_banner;
    wbkgdset(w, ' ' | tui_attr(c, WR_EL_BANNER));
    werase(w);
    wr_buf b = {0};
    if (c->lost == LOST_SERVER)
        wr_buf_printf(&b, " %s", c->lost_why); /* "disconnected from the database: reconnecting. ..." */
    else if (c->lost != LOST_NO)
        wr_buf_printf(&b, " DATABASE LOST: %s", c->lost_why);
    else
        wr_buf_printf(&b, " READ-ONLY: %s", *wr_store_readonly_reason(c->st) ? wr_store_readonly_reason(c->st)
                                                                             : "this database cannot be written");
    tui_put(c, w, 0, 0, WR_EL_BANNER, wr_buf_str(&b), c->lay.cols);
    wr_buf_free(&b);
    wnoutrefresh(w);
}

static void draw_tabs(console *c)
{
    WINDOW *w = c->w_tabs;
    werase(w);
    int x = 1;
    for (int p = 0; p < WR_PANE_COUNT; p++) {
        char t[48], name[40];
        /* "Timeline +3": what the pane got while it was not shown (cleared when it is). */
        snprintf(t, sizeof t, " %s ", wr_layout_tab_text((wr_pane_id)p, c->unread[p], name, sizeof name));
        x += tui_put_clean(c, w, 0, x, p == c->focus ? WR_EL_FOCUS_TITLE : c->unread[p] ? WR_EL_WARNING : WR_EL_MUTED,
                           t, c->lay.cols - x) + 1;
    }
    char k[32], z[32];
    const char *tab = tui_key_for(c, "focus-next", k, sizeof k);
    const char *zoom = tui_key_for(c, "zoom", z, sizeof z);
    char hint[96] = "";
    if (tab && zoom)
        snprintf(hint, sizeof hint, "%s: next pane  %s: all panes", tab, zoom);
    else if (tab)
        snprintf(hint, sizeof hint, "%s: next pane", tab);
    if (*hint && x + (int)strlen(hint) + 2 < c->lay.cols)
        tui_put_clean(c, w, 0, c->lay.cols - (int)strlen(hint) - 1, WR_EL_MUTED, hint, (int)strlen(hint));
    wnoutrefresh(w);
}

static void draw_status(console *c)
{
    WINDOW *w = c->w_status;
    int width = c->lay.cols;
    wbkgdset(w, ' ' | tui_attr(c, WR_EL_STATUS));
    werase(w);
    /* Right: pending writes, who is connected. */
    wr_buf right = {0}, pend = {0};
    wr_pending_summary(&c->pend, &pend);
    if (c->view == VIEW_ROOM && c->inc)
        wr_buf_printf(&right, " %zu here, %zu online ", c->nhere, c->nonline);
    else
        wr_buf_printf(&right, " %zu online ", c->nonline);
    int rw = (int)wr_text_width(wr_buf_str(&right));
    int pw = pend.len ? (int)wr_text_width(wr_buf_str(&pend)) + 2 : 0;
    if (pw > width / 2)
        pw = width / 2;
    int avail = width - rw - pw - 1;
    if (c->question != Q_NONE) {
        wr_buf q = {0};
        tui_question_text(c, &q);
        tui_put(c, w, 0, 0, MSG_WARN, wr_buf_str(&q), avail);
        wr_buf_free(&q);
    } else if (c->nask) {
        wr_buf q = {0};
        wr_buf_printf(&q, " %s", c->ask_text[0]);
        tui_put(c, w, 0, 0, MSG_WARN, wr_buf_str(&q), avail);
        wr_buf_free(&q);
    } else if (c->running) {
        tui_put_clean(c, w, 0, 0, MSG_INFO, " sending the update (the update command is running)...", avail);
    } else if (c->msg[0]) {
        tui_put(c, w, 0, 0, c->msg_kind, c->msg, avail);
    } else if (c->offer_inc && c->view == VIEW_ROOM) {
        /* The shown incident is over; another is being worked. */
        char k[16], ref[32], me[32], t[160];
        const char *l = tui_key_for(c, "incidents", k, sizeof k);
        wr_incident_ref(c->inc, me, sizeof me);
        if (c->offer_inc > 0)
            snprintf(t, sizeof t, " %s is %.20s; %s is being worked: %s%s%s", me, c->incident.status,
                     wr_incident_ref(c->offer_inc, ref, sizeof ref), l ? "press " : ":open ", l ? l : ref,
                     l ? " to open it" : "");
        else
            snprintf(t, sizeof t, " %s is %.20s; several incidents are open: %s%s to pick one", me,
                     c->incident.status, l ? "press " : ":", l ? l : "incidents");
        tui_put(c, w, 0, 0, MSG_WARN, t, avail);
    } else {
        char k1[16], k2[16], k3[16], t[96];
        const char *h = tui_key_for(c, "help", k1, sizeof k1);
        const char *p = tui_key_for(c, "prompt", k2, sizeof k2);
        const char *q = tui_key_for(c, "quit", k3, sizeof k3);
        snprintf(t, sizeof t, " %s%s%s%s%s%s", h ? h : "", h ? " help  " : "", p ? p : "", p ? " command  " : "",
                 q ? q : "", q ? " quit" : "");
        tui_put_clean(c, w, 0, 0, WR_EL_STATUS, t, avail);
    }
    if (pw) {
        wr_buf t = {0};
        wr_buf_printf(&t, " %s ", wr_buf_str(&pend));
        tui_put(c, w, 0, width - rw - pw, WR_EL_WARNING, wr_buf_str(&t), pw);
        wr_buf_free(&t);
    }
    tui_put_clean(c, w, 0, width - rw, WR_EL_STATUS, wr_buf_str(&right), rw);
    wr_buf_free(&right);
    wr_buf_free(&pend);
}

void tui_render(console *c)
{
    static int cursor = -1;
    int want_cursor = (tui_prompt_active() || c->compose_open) && c->lay.mode != WR_LAYOUT_TOO_SMALL;
    if (want_cursor != cursor) {
        curs_set(want_cursor ? 1 : 0);
        cursor = want_cursor;
    }
    if (c->lay.mode == WR_LAYOUT_TOO_SMALL) {
        if (!c->chrome_dirty)
            return;
        char msg[96];
        wr_layout_too_small(c->lay.cols, c->lay.lines, msg, sizeof msg);
        werase(stdscr);
        int len = (int)strlen(msg);
        int x = c->lay.cols > len ? (c->lay.cols - len) / 2 : 0;
        mvwaddnstr(stdscr, c->lay.lines / 2, x, msg, c->lay.cols > 0 ? c->lay.cols : 0);
        wnoutrefresh(stdscr);
        doupdate();
        c->chrome_dirty = 0;
        return;
    }
    int any = 0, panes_drawn = 0;
    if (c->header_dirty && c->w_header) {
        draw_header(c);
        any = 1;
    }
    if (c->chrome_dirty) {
        if (c->w_banner)
            draw_banner(c);
        any = 1;
    }
    if ((c->chrome_dirty || c->panes[c->focus].dirty) && c->w_tabs) {
        draw_tabs(c);
        any = 1;
    }
    for (int i = 0; i < PANE_TOTAL; i++) {
        pane *p = &c->panes[i];
        if (i == PANE_PAGER || i == PANE_COMPOSE || !p->win || !p->dirty)
            continue;
        werase(p->win);
        p->ops->draw(p, c);
        wnoutrefresh(p->win);
        p->dirty = 0;
        panes_drawn = any = 1;
    }
    pane *pg = &c->panes[PANE_PAGER];
    if (c->pager_open && pg->win && (pg->dirty || panes_drawn)) {
        werase(pg->win);
        pg->ops->draw(pg, c);
        touchwin(pg->win);
        wnoutrefresh(pg->win);
        pg->dirty = 0;
        any = 1;
    }
    pane *cp = &c->panes[PANE_COMPOSE];
    if (c->compose_open && cp->win && (cp->dirty || panes_drawn || pg->dirty)) {
        werase(cp->win);
        cp->ops->draw(cp, c);
        touchwin(cp->win);
        wnoutrefresh(cp->win);
        cp->dirty = 0;
        any = 1;
    }
    if (c->w_status && (c->status_dirty || (want_cursor && any))) {
        if (want_cursor && (c->status_dirty || panes_drawn))
            tui_prompt_draw_hint(c);
        if (!tui_prompt_draw(c))
            draw_status(c);
        wnoutrefresh(c->w_status); /* last: its cursor is the one the terminal shows */
        any = 1;
    }
    if (c->compose_open && cp->win && any)
        wnoutrefresh(cp->win); /* last: the composer's cursor is the one shown */
    c->header_dirty = c->status_dirty = c->chrome_dirty = 0;
    if (any)
        doupdate();
    if (c->bell_due) {
        /* A notice that needs action: the terminal's bell, or its flash (`bell: flash`); `bell: false` never
         * sets bell_due. */
        c->bell_due = 0;
        if (c->o->config && c->o->config->bell == 2)
            flash();
        else
            beep();
    }
}
