/* console.c - the war-room console: terminal set-up and restore, signals, the main loop, layout, the render
 * pass, and keys.
 *
 * The main loop waits in ONE ppoll() on the terminal, the inotify descriptor of the database's directory and
 * a timeout: the time to the next timer (the 250 ms data_version check, the presence beat, the clock tick of
 * a visible elapsed time, a pending write's retry, a message expiring). Signals are blocked except inside
 * that ppoll, and their handlers only set flags. On a change it reads only new events and the small state
 * of the incident, marks the panes that show them dirty, and the render pass redraws only those and calls
 * doupdate() once. A console with nothing to do sleeps; one that wakes with nothing changed draws nothing.
 */
#define _GNU_SOURCE /* ppoll */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/compose.h"
#include "warroom/fmt.h"
#include "warroom/text.h"
#include "warroom/watch.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 250      /* data_version check */
#define RBCHECK_MS 60000 /* runbook files on disk */

/* ---- signals: handlers only set flags ---- */

static volatile sig_atomic_t sig_term, sig_int, sig_hup, sig_winch, sig_tstp;

static void on_signal(int sig)
{
    switch (sig) {
    case SIGINT:
        sig_int = 1;
        break;
    case SIGHUP:
        sig_hup = 1;
        break;
    case SIGWINCH:
        sig_winch = 1;
        break;
    case SIGTSTP:
        sig_tstp = 1;
        break;
    default:
        sig_term = sig;
        break;
    }
}

/* A crash must not leave the operator's terminal in raw mode with the alternate screen up: the fatal
 * handlers write a precomputed restore sequence and put the saved terminal modes back (write() and
 * tcsetattr() are async-signal-safe), then die of the same signal. */
static struct termios saved_tio;
static int saved_tio_ok;
static char restore_seq[256];
static size_t restore_len;

static void on_fatal(int sig)
{
    if (saved_tio_ok)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    if (restore_len) {
        ssize_t r = write(STDOUT_FILENO, restore_seq, restore_len);
        (void)r;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void add_cap(const char *name)
{
    char *s = tigetstr((char *)name);
    if (s && s != (char *)-1 && restore_len + strlen(s) < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, strlen(s));
        restore_len += strlen(s);
    }
}

/* Ask the terminal to mark pastes (when its terminfo entry says how). */
static void paste_mode(int on)
{
    char *s = tigetstr(on ? "BE" : "BD");
    if (s && s != (char *)-1) {
        putp(s);
        fflush(stdout); /* putp goes through stdio, curses writes the descriptor itself */
    }
}

static const int flag_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP};
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void signals_setup(sigset_t *wait_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < WR_ARRAY_LEN(flag_signals); i++) {
        sigaction(flag_signals[i], &sa, NULL);
        sigaddset(&block, flag_signals[i]);
    }
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < WR_ARRAY_LEN(fatal_signals); i++)
        sigaction(fatal_signals[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Blocked except while waiting in ppoll (which gets the mask from before). */
    sigprocmask(SIG_BLOCK, &block, wait_mask);
    for (size_t i = 0; i < WR_ARRAY_LEN(flag_signals); i++)
        sigdelset(wait_mask, flag_signals[i]);
}

static void signals_restore(const sigset_t *wait_mask)
{
    (void)wait_mask;
    signal(SIGWINCH, SIG_DFL);
    signal(SIGTSTP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    for (size_t i = 0; i < WR_ARRAY_LEN(fatal_signals); i++)
        signal(fatal_signals[i], SIG_DFL);
    /* SIGINT/TERM/HUP keep their flag-only handlers until the process ends: nothing is left to interrupt. */
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < WR_ARRAY_LEN(flag_signals); i++)
        sigaddset(&block, flag_signals[i]);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

/* ---- messages ---- */

void tui_message(console *c, int kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(c->msg);
    while (n && c->msg[n - 1] == '\n')
        c->msg[--n] = '\0';
    c->msg_kind = kind;
    int64_t keep = kind == MSG_OK ? 6000 : kind == MSG_INFO ? 10000 : 30000;
    c->msg_until = wr_clock_mono_ms() + keep;
    c->status_dirty = 1;
}

/* ---- layout and windows ---- */

void tui_dirty_all(console *c)
{
    for (int i = 0; i < PANE_TOTAL; i++)
        c->panes[i].dirty = 1;
    c->header_dirty = c->status_dirty = c->chrome_dirty = 1;
}

static void del(WINDOW **w)
{
    if (*w)
        delwin(*w);
    *w = NULL;
}

static WINDOW *make(wr_rect r)
{
    if (r.h <= 0 || r.w <= 0)
        return NULL;
    WINDOW *w = newwin(r.h, r.w, r.y, r.x);
    if (w) {
        leaveok(w, TRUE);
        idlok(w, TRUE); /* let doupdate scroll full-width regions instead of repainting them */
    }
    return w;
}

void tui_relayout(console *c)
{
    wr_layout_compute(&c->lay, COLS, LINES, (wr_pane_id)c->focus, c->readonly);
    del(&c->w_header);
    del(&c->w_banner);
    del(&c->w_tabs);
    del(&c->w_status);
    del(&c->w_hint);
    for (int i = 0; i < PANE_TOTAL; i++)
        del(&c->panes[i].win);
    tui_dirty_all(c);
    if (c->lay.mode == WR_LAYOUT_TOO_SMALL)
        return;
    c->w_header = make(c->lay.header);
    c->w_banner = make(c->lay.banner);
    c->w_status = make(c->lay.status);
    if (c->w_status) {
        leaveok(c->w_status, FALSE); /* the prompt's cursor */
        keypad(c->w_status, TRUE);
        nodelay(c->w_status, TRUE);
    }
    if (c->view == VIEW_ROOM) {
        c->w_tabs = make(c->lay.tabs);
        for (int i = 0; i < WR_PANE_COUNT; i++) {
            c->panes[i].r = c->lay.pane[i];
            c->panes[i].win = make(c->lay.pane[i]);
        }
    } else {
        for (int i = 0; i < WR_PANE_COUNT; i++)
            memset(&c->panes[i].r, 0, sizeof c->panes[i].r);
        int id = c->view == VIEW_TRIAGE ? PANE_TRIAGE : PANE_LIST;
        c->panes[id].r = c->lay.body;
        c->panes[id].win = make(c->lay.body);
    }
    if (c->compose_open) {
        int h = c->lay.body.h - 2, w = c->lay.cols - 8;
        if (h > 30)
            h = 30;
        if (w > 100)
            w = 100;
        wr_rect r = {c->lay.body.y + (c->lay.body.h - h) / 2, (c->lay.cols - w) / 2, h, w};
        c->panes[PANE_COMPOSE].r = r;
        c->panes[PANE_COMPOSE].win = make(r);
    }
    if (c->pager_open) {
        c->panes[PANE_PAGER].r = tui_pager_rect(c);
        c->panes[PANE_PAGER].win = make(c->panes[PANE_PAGER].r);
    }
    for (int i = 0; i < PANE_TOTAL; i++) {
        pane *p = &c->panes[i];
        if (p->win)
            wbkgdset(p->win, ' ' | tui_attr(c, i == PANE_PAGER || i == PANE_COMPOSE ? WR_EL_POPUP : WR_EL_NORMAL));
        if (p->win && p->ops->resize)
            p->ops->resize(p, c);
    }
}

void tui_set_focus(console *c, int id)
{
    if (id == c->focus)
        return;
    int old = c->focus;
    c->focus = id;
    if (c->lay.mode == WR_LAYOUT_NARROW) {
        tui_relayout(c); /* the narrow layout shows the focused pane only */
    } else {
        c->panes[old].dirty = 1;
        c->panes[id].dirty = 1;
    }
}

const char *tui_key_for(console *c, const char *command, char *buf, size_t size)
{
    size_t n = strlen(command);
    for (size_t i = 0; i < c->keys.n; i++)
        if (strncmp(c->keys.v[i].command, command, n) == 0)
            return wr_key_name(c->keys.v[i].key, buf, size);
    return NULL;
}

/* ---- the render pass ---- */

/* The incident's part of the header, left to right; returns the columns it used. With w == NULL it only
 * measures, so draw_header can decide what to leave out on a narrow terminal. */
static int header_incident(console *c, WINDOW *w, int x, int avail)
{
    const wr_incident *i = &c->incident;
    char ref[32], ago[32], sev[16], cd[64], t[72];
    int level, x0 = x;
    wr_incident_ref(i->id, ref, sizeof ref);
    snprintf(sev, sizeof sev, " %.8s ", i->severity);
    wr_duration(wr_clock_now_ms() - i->declared_at, ago, sizeof ago);
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
        {WR_EL_HEADER, strcmp(i->kind, "drill") == 0 ? "  " : "", 0},
        {WR_EL_DRILL, strcmp(i->kind, "drill") == 0 ? " DRILL " : "", 0},
        {WR_EL_HEADER, "  ", 0},
        {WR_EL_HEADER, i->title, 1},
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

static void draw_header(console *c)
{
    WINDOW *w = c->w_header;
    int width = c->lay.cols;
    wbkgdset(w, ' ' | tui_attr(c, WR_EL_HEADER));
    werase(w);
    int incident = c->view != VIEW_TRIAGE && c->view != VIEW_LIST && c->inc && c->have_incident;
    /* What the incident line needs; on a narrow terminal the title wins over the brand, who I am and the
     * clock, dropped in that order. */
    int need = incident ? header_incident(c, NULL, 0, width) : 0;
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
    int show_brand = 1, show_me = 1, show_clock = 1;
    if (incident && brand + need + mew + clockw + 1 > width)
        show_brand = 0;
    if (incident && need + mew + clockw + 1 > width)
        show_me = 0;
    if (incident && need + clockw + 1 > width)
        show_clock = 0;
    snprintf(right, sizeof right, "%s%s%s%s", show_me ? wr_buf_str(&me) : "", show_me ? "  " : "",
             show_clock ? clock : "", show_me || show_clock ? " " : "");
    wr_buf_free(&me);
    int x = show_brand ? tui_put_clean(c, w, 0, 0, WR_EL_HEADER, brand_text, width) : 0;
    int rw = (int)wr_text_width(right);
    int avail = width - rw - 1;
    /* The badge of alerts awaiting triage, left of who I am. */
    char badge[64] = "";
    if (c->alerts_waiting)
        snprintf(badge, sizeof badge, " %lld alert%s (%lld firing) ", (long long)c->alerts_waiting,
                 c->alerts_waiting == 1 ? "" : "s", (long long)c->alerts_firing);
    int bw = (int)strlen(badge);
    if (bw && avail - bw > 30 && (!incident || x + need + bw + 1 <= avail))
        avail -= bw + 1;
    else
        bw = 0;
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
        x += header_incident(c, w, x, avail);
    }
    if (bw)
        tui_put_clean(c, w, 0, width - rw - bw - 1, c->alerts_firing ? WR_EL_WARNING : WR_EL_HEADER, badge, bw);
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
        char t[32];
        snprintf(t, sizeof t, " %s ", wr_layout_pane_title((wr_pane_id)p));
        x += tui_put_clean(c, w, 0, x, p == c->focus ? WR_EL_FOCUS_TITLE : WR_EL_MUTED, t, c->lay.cols - x) + 1;
    }
    char k[32];
    const char *tab = tui_key_for(c, "focus-next", k, sizeof k);
    if (tab && x + 24 < c->lay.cols) {
        char hint[64];
        snprintf(hint, sizeof hint, "%s: next pane", tab);
        tui_put_clean(c, w, 0, c->lay.cols - (int)strlen(hint) - 1, WR_EL_MUTED, hint, 40);
    }
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
    if (c->nask) {
        wr_buf q = {0};
        wr_buf_printf(&q, " %s", c->ask_text[0]);
        tui_put(c, w, 0, 0, MSG_WARN, wr_buf_str(&q), avail);
        wr_buf_free(&q);
    } else if (c->running) {
        tui_put_clean(c, w, 0, 0, MSG_INFO, " sending the update (the update command is running)...", avail);
    } else if (c->msg[0]) {
        tui_put(c, w, 0, 0, c->msg_kind, c->msg, avail);
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

static void render(console *c)
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
}

/* ---- keys ---- */

static int map_key(int r, wint_t ch)
{
    if (r == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            return WR_KEY_UP;
        case KEY_DOWN:
            return WR_KEY_DOWN;
        case KEY_LEFT:
            return WR_KEY_LEFT;
        case KEY_RIGHT:
            return WR_KEY_RIGHT;
        case KEY_PPAGE:
            return WR_KEY_PGUP;
        case KEY_NPAGE:
            return WR_KEY_PGDN;
        case KEY_HOME:
            return WR_KEY_HOME;
        case KEY_END:
            return WR_KEY_END;
        case KEY_BTAB:
            return WR_KEY_BTAB;
        case KEY_IC:
            return WR_KEY_IC;
        case KEY_DC:
            return WR_KEY_DC;
        case KEY_ENTER:
            return WR_KEY_ENTER;
        case KEY_BACKSPACE:
            return WR_KEY_BSPACE;
        default:
            if (ch >= KEY_F(1) && ch <= KEY_F(12))
                return WR_KEY_F1 + (int)(ch - KEY_F(1));
            return WR_KEY_NONE;
        }
    }
    if (ch == '\n' || ch == '\r')
        return WR_KEY_ENTER;
    return (int)ch;
}

static void on_mouse(console *c)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || c->lay.mode == WR_LAYOUT_TOO_SMALL || tui_prompt_active())
        return;
    int wheel = (ev.bstate & BUTTON4_PRESSED) ? -1 : (ev.bstate & BUTTON5_PRESSED) ? 1 : 0;
    if (c->pager_open) {
        if (wheel)
            c->panes[PANE_PAGER].ops->command(&c->panes[PANE_PAGER], c, wheel < 0 ? "up" : "down");
        return;
    }
    if (c->compose_open)
        return;
    if (c->view == VIEW_LIST || c->view == VIEW_TRIAGE) {
        pane *p = &c->panes[c->view == VIEW_LIST ? PANE_LIST : PANE_TRIAGE];
        if (wheel)
            p->ops->command(p, c, wheel < 0 ? "up" : "down");
        else if (ev.y > p->r.y && ev.y < p->r.y + p->r.h - 1)
            p->ops->click(p, c, ev.y - p->r.y - 1);
        return;
    }
    if (ev.y == c->lay.tabs.y && c->lay.tabs.h) {
        int t = wr_layout_tab_hit(&c->lay, ev.x);
        if (t >= 0)
            tui_set_focus(c, t);
        return;
    }
    int id = wr_layout_hit(&c->lay, ev.y, ev.x);
    if (id < 0)
        return;
    tui_set_focus(c, id);
    pane *p = &c->panes[id];
    for (int k = 0; wheel && k < 3; k++)
        p->ops->command(p, c, wheel < 0 ? "up" : "down");
    if (!wheel && p->ops->click && ev.y > p->r.y && ev.y < p->r.y + p->r.h - 1)
        p->ops->click(p, c, ev.y - p->r.y - 1);
}

static void check_size(console *c)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    if (COLS != c->lay.cols || LINES != c->lay.lines)
        tui_relayout(c);
}

static void on_key(console *c, int key)
{
    if (tui_prompt_active()) {
        tui_prompt_key(c, key);
        return;
    }
    if (c->lay.mode == WR_LAYOUT_TOO_SMALL) {
        const char *cmd = wr_keymap_lookup(&c->keys, key);
        if (cmd && strcmp(cmd, "quit") == 0)
            c->quit = 1;
        return;
    }
    if (c->nask) {
        /* A yes/no question (an on-call suggestion): y assigns, n or Esc skips; other keys act as usual. */
        if (key == 'y' || key == 'Y' || key == 'n' || key == 'N' || key == WR_KEY_ESC) {
            tui_ask_answer(c, key == 'y' || key == 'Y');
            return;
        }
    }
    if (c->rp && key == WR_KEY_ESC && !c->pager_open) {
        tui_replay_stop(c);
        tui_message(c, MSG_INFO, "back to the live timeline");
        return;
    }
    if (c->compose_open) {
        pane *cp = &c->panes[PANE_COMPOSE];
        cp->ops->key(cp, c, key);
        return;
    }
    pane *p = c->pager_open         ? &c->panes[PANE_PAGER]
              : c->view == VIEW_LIST   ? &c->panes[PANE_LIST]
              : c->view == VIEW_TRIAGE ? &c->panes[PANE_TRIAGE]
                                       : &c->panes[c->focus];
    if (p->ops->key && p->ops->key(p, c, key))
        return;
    const char *cmd = wr_keymap_lookup(&c->keys, key);
    if (!cmd) {
        if (key != WR_KEY_ESC) {
            char name[32], k[16];
            const char *h = tui_key_for(c, "help", k, sizeof k);
            tui_message(c, MSG_INFO, "%s is not bound to anything%s%s%s", wr_key_name(key, name, sizeof name),
                        h ? " (" : "", h ? h : "", h ? " lists the keys)" : "");
        }
        return;
    }
    char *line = wr_xstrdup(cmd); /* running it may rebind keys */
    tui_run_line(c, line);
    free(line);
}

/* ---- bracketed paste ---- */

#define PASTE_END "\033[201~"
#define PASTE_MAX (64 * 1024)

/* A paste is text: at the prompt it is inserted (line breaks and other controls as spaces), anywhere else
 * it is refused, so pasted lines can never run as key commands. */
static void paste_done(console *c)
{
    c->pasting = 0;
    c->paste_until = 0;
    wr_buf flat = {0};
    const char *s = wr_buf_str(&c->paste);
    int space = 0;
    for (size_t i = 0; i < c->paste.len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7F) {
            space = flat.len > 0;
            continue;
        }
        if (space)
            wr_buf_putc(&flat, ' ');
        space = 0;
        wr_buf_putc(&flat, (char)ch);
    }
    if (c->compose_open && !tui_prompt_active()) {
        /* The composer takes pasted text as text, line breaks kept. */
        const char *ps = wr_buf_str(&c->paste);
        for (size_t i = 0; i < c->paste.len;) {
            uint32_t cp;
            size_t k = wr_utf8_decode(ps + i, c->paste.len - i, &cp);
            if (!k)
                break;
            if (cp == '\r')
                cp = '\n';
            wr_edit_insert(&c->ed, cp);
            i += k;
        }
        c->panes[PANE_COMPOSE].dirty = 1;
    } else if (tui_prompt_active())
        tui_prompt_insert(c, wr_buf_str(&flat));
    else if (flat.len)
        tui_message(c, MSG_WARN, "pasted text ignored: paste at the : prompt (n starts a note)");
    wr_buf_free(&flat);
    wr_buf_reset(&c->paste);
}

static void paste_feed(console *c, int r, wint_t ch)
{
    if (r == KEY_CODE_YES)
        return; /* a key code inside a paste: not text */
    wr_utf8_put(&c->paste, ch <= 0x10FFFF && !(ch >= 0xD800 && ch <= 0xDFFF) ? (uint32_t)ch : 0xFFFD);
    c->paste_until = wr_clock_mono_ms() + 1000;
    size_t n = strlen(PASTE_END);
    if (c->paste.len >= n && memcmp(c->paste.s + c->paste.len - n, PASTE_END, n) == 0) {
        c->paste.len -= n;
        c->paste.s[c->paste.len] = '\0';
        paste_done(c);
    } else if (c->paste.len > PASTE_MAX) {
        paste_done(c);
    }
}

static int get(console *c, wint_t *ch)
{
    return wget_wch(c->w_status ? c->w_status : stdscr, ch);
}

/* ESC [ was read and curses knew no key for what follows: read the sequence whole. "200~" starts a
 * bracketed paste; any other unknown sequence is dropped rather than taken for keys. */
static void csi_after_esc(console *c)
{
    char params[24];
    size_t n = 0;
    wint_t ch;
    int r;
    while ((r = get(c, &ch)) == OK && ch >= 0x20 && ch <= 0x3F) {
        if (n + 1 < sizeof params)
            params[n++] = (char)ch;
    }
    params[n] = '\0';
    if (r == OK && ch == '~' && strcmp(params, "200") == 0) {
        c->pasting = 1;
        c->paste_until = wr_clock_mono_ms() + 1000;
        wr_buf_reset(&c->paste);
    }
}

static void read_keys(console *c)
{
    for (;;) {
        wint_t ch;
        int r = get(c, &ch);
        if (r == ERR)
            break;
        if (c->pasting) {
            paste_feed(c, r, ch);
            continue;
        }
        if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
            check_size(c);
            continue;
        }
        if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
            on_mouse(c);
            continue;
        }
        int key = map_key(r, ch);
        if (key == WR_KEY_ESC) {
            /* Esc and a key at once: Meta (Alt) with that key; Esc alone cancels. */
            wint_t next;
            int r2 = get(c, &next);
            if (r2 == OK && next == '[') {
                csi_after_esc(c);
                continue;
            }
            if (r2 != ERR) {
                int k2 = map_key(r2, next);
                if (k2 != WR_KEY_NONE && !(r2 == KEY_CODE_YES && (next == KEY_RESIZE || next == KEY_MOUSE)))
                    key = k2 | WR_KEY_META;
                else if (r2 == KEY_CODE_YES && next == KEY_RESIZE)
                    check_size(c);
            }
        }
        if (key != WR_KEY_NONE)
            on_key(c, key);
        if (c->quit)
            break;
    }
}

/* ---- timers ---- */

static void tick_times(console *c, int64_t now_mono)
{
    /* When the next visible time changes: the header's clock (minutes) and elapsed times. */
    int64_t wall = wr_clock_now_ms();
    int64_t next = 60000 - wall % 60000;
    if (c->view == VIEW_ROOM && c->have_incident) {
        int64_t d = wr_fmt_duration_next(wall - c->incident.declared_at);
        if (d < next)
            next = d;
        char cd[64];
        int level;
        d = wr_update_countdown(c->cad.due_at, wall, cd, sizeof cd, &level);
        if (d > 0 && d < next)
            next = d;
        /* "IC empty 31m: escalate ..." counts from when each required role became empty. */
        for (size_t k = 0; c->oncall && k < c->nmissing; k++) {
            d = wr_fmt_duration_next(wall - c->missing_since[k]);
            if (d < next)
                next = d;
        }
    } else if (c->view == VIEW_TRIAGE) {
        for (size_t i = 0; i < c->nalerts; i++) {
            int64_t d = wr_fmt_duration_next(wall - c->alerts[i].last_seen);
            if (d < next)
                next = d;
        }
    } else if (c->view == VIEW_LIST) {
        for (size_t i = 0; i < c->nlist; i++) {
            int64_t d = wr_fmt_duration_next(wall - c->list[i].declared_at);
            if (d < next)
                next = d;
        }
    }
    c->next_tick = now_mono + (next > 0 ? next : 1000);
}

static void run_timers(console *c)
{
    int64_t now = wr_clock_mono_ms();
    if (now >= c->next_poll) {
        c->next_poll = now + POLL_MS;
        int ch = wr_store_changed(c->st);
        if (ch > 0 || c->need_refresh) {
            c->need_refresh = 0;
            tui_refresh(c, 0);
        } else if (ch < 0) {
            tui_message(c, MSG_ERROR, "cannot read the database %s (gone? unmounted?): retrying", wr_store_path(c->st));
        }
    }
    if (now >= c->next_beat)
        tui_presence_beat(c);
    if (c->next_tick && now >= c->next_tick) {
        c->header_dirty = 1;
        if (c->view == VIEW_ROOM)
            c->panes[WR_PANE_INCIDENT].dirty = 1;
        else
            c->panes[c->view == VIEW_LIST ? PANE_LIST : PANE_TRIAGE].dirty = 1;
        tick_times(c, now);
    } else if (!c->next_tick) {
        tick_times(c, now);
    }
    int64_t due = wr_pending_next_at(&c->pend);
    if (due >= 0 && now >= due)
        tui_pending_run(c);
    if (now >= c->next_rbcheck) {
        c->next_rbcheck = now + RBCHECK_MS;
        if (c->natt)
            tui_check_runbooks(c);
    }
    if (c->rp)
        tui_replay_tick(c, now);
    if (c->pasting && now >= c->paste_until)
        paste_done(c); /* the end of the paste never came: take what arrived */
    if (c->msg_until && now >= c->msg_until) {
        c->msg[0] = '\0';
        c->msg_until = 0;
        c->status_dirty = 1;
    }
}

static int next_timeout(console *c)
{
    int64_t now = wr_clock_mono_ms();
    int64_t next = c->next_poll;
    int64_t cands[] = {c->next_beat, c->next_tick, wr_pending_next_at(&c->pend), c->next_rbcheck, c->msg_until,
                       c->paste_until, c->running ? now + tui_update_wait_ms(c) : 0, tui_replay_tick(c, now)};
    for (size_t i = 0; i < WR_ARRAY_LEN(cands); i++)
        if (cands[i] > 0 && cands[i] < next)
            next = cands[i];
    int64_t t = next - now;
    return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
}

/* Deferred acts: things asked from inside callbacks, done between passes. */
static void run_deferred(console *c)
{
    if (c->open_after) {
        int64_t id = c->open_after;
        c->open_after = 0;
        tui_open_incident(c, id);
    }
    if (c->gate_question && !tui_prompt_active() && c->lay.mode != WR_LAYOUT_TOO_SMALL) {
        char *q = c->gate_question;
        c->gate_question = NULL;
        tui_prompt_open(c, PROMPT_REASON, q, "");
        free(q);
    }
}

static void handle_signals(console *c)
{
    if (sig_term) {
        c->quit = 1;
        c->exit_code = 128 + (int)sig_term;
    }
    if (sig_hup) {
        c->quit = 1;
        c->exit_code = 128 + SIGHUP;
    }
    if (sig_int) {
        sig_int = 0;
        if (tui_prompt_active())
            tui_prompt_cancel(c); /* Ctrl-C at the prompt drops the line, like a shell */
        else if (c->compose_open)
            tui_compose_close(c); /* and in the composer drops the text */
        else
            c->quit = 1;
    }
    if (sig_winch) {
        sig_winch = 0;
        check_size(c);
    }
    if (sig_tstp) {
        sig_tstp = 0;
        paste_mode(0);
        endwin();
        kill(getpid(), SIGSTOP); /* resumed here by SIGCONT */
        clearok(curscr, TRUE);
        paste_mode(1);
        check_size(c);
        tui_dirty_all(c);
    }
}

/* ---- set-up and the loop ---- */

static void start_terminal(console *c)
{
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    const char *nc = getenv("NO_COLOR");
    if (has_colors() && !(nc && *nc)) {
        start_color();
        use_default_colors();
        c->ncolors = COLORS;
    }
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    /* What the crash handler writes: leave mouse mode, normal attributes and cursor, the normal screen. */
    if (has_mouse() || tigetstr("kmous"))
        memcpy(restore_seq, "\033[?1000l", 8), restore_len = 8;
    add_cap("BD");
    add_cap("sgr0");
    add_cap("cnorm");
    add_cap("rmcup");
    paste_mode(1);
}

static void load_keys(console *c)
{
    wr_buf err = {0};
    const wr_config *cfg = c->o->config;
    int bad = wr_keymap_load(&c->keys, wr_default_keys, wr_ndefault_keys, cfg ? cfg->key_names : NULL,
                             cfg ? cfg->key_commands : NULL, cfg ? cfg->nkeys : 0, &err);
    if (bad)
        tui_message(c, MSG_ERROR, "config keys: %s", wr_buf_str(&err));
    wr_buf_free(&err);
}

static void load_theme(console *c)
{
    wr_buf err = {0};
    const char *name = c->o->theme ? c->o->theme : c->o->config && c->o->config->theme ? c->o->config->theme : NULL;
    if (wr_theme_load(&c->theme, name, c->o->theme_dirs, c->o->ntheme_dirs, &err) != 0)
        tui_message(c, MSG_ERROR, "%s (using the built-in default theme)", wr_buf_str(&err));
    wr_buf_free(&err);
}

static void open_first(console *c)
{
    wr_error err = {0};
    int64_t id = c->o->incident;
    if (id) {
        wr_incident i;
        if (wr_incident_get(c->st, id, &i, &err) == WR_OK) {
            wr_incident_clear(&i);
            tui_open_incident(c, id);
            return;
        }
        tui_message(c, MSG_ERROR, "%s", err.msg);
    }
    wr_status s = wr_incident_resolve(c->st, NULL, &id, &err);
    if (s == WR_OK) {
        tui_open_incident(c, id);
    } else if (s == WR_E_INVALID) {
        tui_show_list(c); /* several open: pick one */
        tui_message(c, MSG_INFO, "%s", err.msg);
    } else {
        tui_open_incident(c, 0); /* an empty war room */
        if (s != WR_E_NOTFOUND)
            tui_message(c, MSG_ERROR, "%s", err.msg);
    }
}

int wr_tui_run(const wr_tui_opts *o)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "warroom: the console needs a terminal (for scripts: `warroom show`, `warroom tail -f`)\n");
        return 2;
    }
    console *c = wr_xcalloc(1, sizeof *c);
    c->o = o;
    c->st = o->store;
    c->actor = o->actor;
    c->readonly = wr_store_readonly(o->store);
    c->focus = WR_PANE_CHECKLIST;
    c->watch_fd = -1;
    wr_uid_new(c->session);
    wr_pending_init(&c->pend, (unsigned)wr_clock_mono_ms() ^ (unsigned)getpid());
    wr_tlwin_init(&c->tl, 0, 400);
    static const pane_ops *const ops[PANE_TOTAL] = {&wr_pane_incident_ops, &wr_pane_roles_ops,
                                                    &wr_pane_checklist_ops, &wr_pane_timeline_ops,
                                                    &wr_pane_list_ops, &wr_pane_triage_ops,
                                                    &wr_pane_pager_ops, &wr_pane_compose_ops};
    for (int i = 0; i < PANE_TOTAL; i++) {
        c->panes[i].ops = ops[i];
        c->panes[i].id = i;
        ops[i]->open(&c->panes[i]);
    }
    load_keys(c);
    load_theme(c);
    const char *cs = nl_langinfo(CODESET);
    c->ascii = !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));

    saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    sigset_t wait_mask;
    signals_setup(&wait_mask);
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        signals_restore(&wait_mask);
        fprintf(stderr, "warroom: cannot start the console: the terminal type \"%s\" is unknown here "
                        "(try TERM=xterm-256color)\n", getenv("TERM") ? getenv("TERM") : "");
        for (int i = 0; i < PANE_TOTAL; i++)
            ops[i]->close(&c->panes[i]);
        wr_keymap_free(&c->keys);
        wr_tlwin_free(&c->tl);
        free(c);
        return 2;
    }
    set_term(scr);
    start_terminal(c);
    tui_theme_apply(c);
    tui_prompt_init(c);
    tui_relayout(c);
    c->watch_fd = wr_watch_open(wr_store_path(c->st));
    wr_store_changed(c->st); /* take the current data_version as seen */
    tui_check_runbooks(c);
    tui_oncall_load(c);
    open_first(c);
    c->need_refresh = 1; /* the first poll reads what the room does not (the alert badge) */
    c->next_rbcheck = wr_clock_mono_ms() + RBCHECK_MS;

    while (!c->quit) {
        handle_signals(c);
        if (c->quit)
            break;
        run_timers(c);
        run_deferred(c);
        render(c);
        struct pollfd fds[4] = {{STDIN_FILENO, POLLIN, 0}, {c->watch_fd, POLLIN, 0}, {-1, 0, 0}, {-1, 0, 0}};
        /* A running update command's pipes join the wait (fds 2, 3; -1 entries are ignored by ppoll). */
        int nupd = c->running ? tui_update_pollfds(c, fds + 2) : 0;
        (void)nupd;
        int timeout = next_timeout(c);
        struct timespec ts = {timeout / 1000, (long)(timeout % 1000) * 1000000L};
        int n = ppoll(fds, 4, &ts, &wait_mask);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            /* The terminal went away (an SSH connection dropped): leave quietly, as for SIGHUP. */
            sig_hup = 1;
            c->quit = 1;
            c->exit_code = 128 + SIGHUP;
            break;
        }
        if (c->running)
            tui_update_pump(c);
        if (fds[0].revents & POLLIN)
            read_keys(c);
        if (c->watch_fd >= 0 && (fds[1].revents & POLLIN)) {
            wr_watch_drain(c->watch_fd);
            c->next_poll = 0; /* someone on this host wrote: look now */
        }
    }

    /* Leave the room, then give the terminal back. Wait a little for the lock (another console's beat or
     * read may hold it at this very moment) so others do not see a ghost until the presence timeout; never
     * long: if it still fails, the timeout takes this console out. */
    wr_error err = {0};
    wr_presence_leave(c->st, c->session, 500, &err);
    if (c->pend.n && !sig_hup) {
        /* A last short try for writes still waiting. */
        wr_pending_run(&c->pend, c->st, INT64_MAX, 1000, NULL, NULL);
    }
    int killed = c->running;
    if (c->running) {
        wr_update_free(&c->run); /* kills the command: the update itself is recorded, its sending is not */
        c->running = 0;
    }
    size_t lost = c->pend.n;
    tui_prompt_done(c);
    for (int i = 0; i < PANE_TOTAL; i++)
        del(&c->panes[i].win);
    del(&c->w_header);
    del(&c->w_banner);
    del(&c->w_tabs);
    del(&c->w_status);
    del(&c->w_hint);
    paste_mode(0);
    endwin();
    delscreen(scr);
    restore_len = 0;
    signals_restore(&wait_mask);
    if (killed && !sig_hup)
        fprintf(stderr, "warroom: the update command was still running and was stopped (the update is recorded, "
                        "not sent)\n");
    if (lost && !sig_hup)
        fprintf(stderr, "warroom: %zu change%s could not be saved (the database stayed busy)\n", lost,
                lost == 1 ? "" : "s");
    int rc = c->exit_code;
    wr_watch_close(c->watch_fd);
    for (int i = 0; i < PANE_TOTAL; i++)
        ops[i]->close(&c->panes[i]);
    tui_replay_stop(c);
    tui_state_free(c);
    wr_pending_free(&c->pend);
    wr_keymap_free(&c->keys);
    wr_buf_free(&c->paste);
    wr_edit_free(&c->ed);
    free(c->send_text);
    free(c);
    return rc;
}
