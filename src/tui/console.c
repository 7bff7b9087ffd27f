/* SPDX-License-Identifier: MIT */
/* console.c - the war-room console: terminal set-up and restore, signals, the main loop, layout, the render
 * pass, and keys.
 *
 * The main loop waits in ONE ppoll() on the terminal, the inotify descriptor of the database's directory (and
 * of the presence directory) and a timeout: the time to the next timer (the presence beat, the clock tick of
 * a visible elapsed time, a pending write's retry, a message expiring; the data_version check only where
 * inotify cannot see every writer: a network mount, or no inotify). Signals are blocked except inside
 * that ppoll, and their handlers only set flags. On a change it reads only new events and the small state
 * of the incident, marks the panes that show them dirty, and the render pass redraws only those and calls
 * doupdate() once. A console with nothing to do sleeps; one that wakes with nothing changed draws nothing.
 */
#define _GNU_SOURCE /* ppoll */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/compose.h"
#include "warroom/fmt.h"
#include "warroom/fscheck.h"
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
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>


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

/* Whether the terminal can address the cursor (terminfo `cup`): 1 yes, 0 no (TERM=dumb, an editor's shell
 * buffer: curses would leave a blank or garbled screen), -1 a terminal type unknown here. */
static int term_addressable(void)
{
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
        return -1;
    char *cup = tigetstr("cup");
    int ok = cup && cup != (char *)-1;
    del_curterm(cur_term);
    return ok;
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
    tui_history_add(c, kind, c->msg);
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
    wr_layout_compute(&c->lay, COLS, LINES, (wr_pane_id)c->focus, c->readonly || c->lost != LOST_NO, c->zoom);
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
    tui_unread_clear_shown(c);
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
    if (c->lay.mode == WR_LAYOUT_ZOOM) {
        tui_relayout(c); /* the zoom shows the focused pane only */
    } else {
        c->panes[old].dirty = 1;
        c->panes[id].dirty = 1;
    }
}

const char *tui_key_for(console *c, const char *command, char *buf, size_t size)
{
    size_t n = strlen(command);
    int views[3] = {tui_view(c), WR_VIEW_GLOBAL, -1}; /* then any */
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < c->keys.n; i++) {
            const char *line = c->keys.v[i].command;
            /* The line itself, or with the space a prompt line ends in ("prompt declare "). */
            if ((views[k] < 0 || (int)c->keys.v[i].view == views[k]) && strncmp(line, command, n) == 0 &&
                (!line[n] || (line[n] == ' ' && !line[n + 1])))
                return wr_key_name(c->keys.v[i].key, buf, size);
        }
    return NULL;
}

/* ---- timers ---- */

/* WARROOM_TRACE_FD (bench/bench_crowd): after the frame that shows newer events went to the terminal,
 * "PID SEQ NS\n": the newest event's seq and the wall clock (CLOCK_REALTIME, the clock of the events'
 * recorded_at) in nanoseconds. */
static void trace_frame(console *c)
{
    if (c->trace_fd < 0 || c->tl.tail_seq <= c->traced_seq)
        return;
    c->traced_seq = c->tl.tail_seq;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char line[96];
    int n = snprintf(line, sizeof line, "%ld %lld %lld\n", (long)getpid(), (long long)c->traced_seq,
                     (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    if (write(c->trace_fd, line, (size_t)n) != n)
        c->trace_fd = -1;
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
            tui_request_quit(c); /* asks first when changes are not written yet */
    }
    if (sig_winch) {
        sig_winch = 0;
        tui_check_size(c);
    }
    if (sig_tstp) {
        sig_tstp = 0;
        paste_mode(0);
        endwin();
        kill(getpid(), SIGSTOP); /* resumed here by SIGCONT */
        clearok(curscr, TRUE);
        paste_mode(1);
        tui_check_size(c);
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
    /* `mouse: false` in the config leaves the mouse to the terminal (plain drag selects text). */
    int mouse = !c->o->config || c->o->config->mouse != 0;
    if (mouse) {
        mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);
    }
    /* What the crash handler writes: leave mouse mode, normal attributes and cursor, the normal screen. */
    if (mouse && (has_mouse() || tigetstr("kmous")))
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
    int bad = wr_keymap_load(&c->keys, wr_default_keys, wr_ndefault_keys, cfg ? cfg->key_views : NULL,
                             cfg ? cfg->key_names : NULL, cfg ? cfg->key_commands : NULL, cfg ? cfg->nkeys : 0,
                             &err);
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
        wr_store_close(o->store);
        return 2;
    }
    console *c = wr_xcalloc(1, sizeof *c);
    c->o = o;
    c->st = o->store;
    c->actor = o->actor;
    c->readonly = wr_store_readonly(o->store);
    c->focus = WR_PANE_CHECKLIST;
    c->watch_fd = -1;
    c->mounts_fd = -1;
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
    int addressable = term_addressable();
    SCREEN *scr = addressable ? newterm(NULL, stdout, stdin) : NULL;
    if (!scr) {
        signals_restore(&wait_mask);
        wr_buf m = {0}, clean = {0};
        const char *term = getenv("TERM") ? getenv("TERM") : "";
        if (addressable == 0)
            wr_buf_printf(&m, "warroom: cannot start the console: the terminal type \"%s\" cannot move the "
                              "cursor (a dumb terminal or an editor's shell buffer). Run it in a full terminal "
                              "(xterm, tmux, screen: TERM=xterm-256color), or use the command line: `warroom "
                              "show`, `warroom tail -f`\n", term);
        else
            wr_buf_printf(&m, "warroom: cannot start the console: the terminal type \"%s\" is unknown here "
                              "(try TERM=xterm-256color)\n", term);
        wr_text_clean_message(&clean, wr_buf_str(&m), !c->ascii);
        fputs(wr_buf_str(&clean), stderr);
        wr_buf_free(&m);
        wr_buf_free(&clean);
        wr_store_close(o->store);
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
    c->mounts_fd = wr_watch_mounts_open();
    c->presence_wd = -1;
    tui_choose_poll(c);
    const char *tfd = getenv("WARROOM_TRACE_FD");
    c->trace_fd = tfd && atoi(tfd) > 2 ? atoi(tfd) : -1; /* never the terminal's own descriptors */
    wr_store_changed(c->st); /* take the current data_version as seen */
    wr_error ferr = {0};
    c->feed_seq = wr_store_last_seq(c->st, &ferr); /* what the first screen shows: changes are after it */
    if (c->feed_seq < 0)
        c->feed_seq = 0;
    tui_check_runbooks(c);
    tui_oncall_load(c);
    open_first(c);
    tui_lost_start(c); /* changes an earlier session could not write: offered */
    c->need_refresh = 1; /* the first poll reads what the room does not (the alert badge) */
    c->next_rbcheck = wr_clock_mono_ms() + TUI_RBCHECK_MS;

    while (!c->quit) {
        handle_signals(c);
        if (c->quit)
            break;
        tui_run_timers(c);
        run_deferred(c);
        tui_render(c);
        trace_frame(c);
        /* A look at the database is already due: more events would only wake the loop for nothing. */
        /* On PostgreSQL the server's notifications (fd 5) wake it: no polling. */
        struct pollfd fds[6] = {{STDIN_FILENO, POLLIN, 0}, {c->poll_soon ? -1 : c->watch_fd, POLLIN, 0}, {-1, 0, 0},
                                {-1, 0, 0}, {c->mounts_fd, POLLPRI, 0},
                                {c->poll_soon || c->lost != LOST_NO ? -1 : wr_store_notify_fd(c->st), POLLIN, 0}};
        /* A running update command's pipes join the wait (fds 2, 3; -1 entries are ignored by ppoll). */
        int nupd = c->running ? tui_update_pollfds(c, fds + 2) : 0;
        (void)nupd;
        int timeout = tui_next_timeout(c);
        struct timespec ts = {timeout / 1000, (long)(timeout % 1000) * 1000000L};
        int n = ppoll(fds, 6, &ts, &wait_mask);
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
            tui_read_keys(c);
        if (fds[1].fd >= 0 && (fds[1].revents & POLLIN))
            tui_watch_events(c);
        if (fds[5].fd >= 0 && (fds[5].revents & (POLLIN | POLLERR | POLLHUP)))
            tui_notified(c);
        if (fds[4].fd >= 0 && (fds[4].revents & (POLLPRI | POLLERR)))
            c->next_look = 0; /* something was mounted or unmounted: is the database's file still there? */
    }

    /* Leave the room, then give the terminal back. Wait a little for the lock (another console's beat or
     * read may hold it at this very moment) so others do not see a ghost until the presence timeout; never
     * long: if it still fails, the timeout takes this console out. */
    wr_error err = {0};
    if (c->lost == LOST_NO)
        wr_presence_leave(c->st, c->session, 500, &err);
    if (c->pend.n && !sig_hup && c->lost == LOST_NO) {
        /* A last short try for writes still waiting. */
        wr_pending_run(&c->pend, c->st, INT64_MAX, 1000, NULL, NULL);
    }
    /* What is still not written is kept in the file for the next start (and said so below). */
    wr_status kept = c->pend.n ? c->pend.v[0].last : WR_OK;
    wr_buf note = {0};
    tui_lost_end(c, &note);
    int killed = c->running;
    if (c->running) {
        wr_update_free(&c->run); /* kills the command: the update itself is recorded, its sending is not */
        c->running = 0;
    }
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
    if (note.len && !sig_hup) {
        wr_buf clean = {0};
        wr_text_clean_message(&clean, wr_buf_str(&note), !c->ascii);
        fputs(wr_buf_str(&clean), stderr);
        wr_buf_free(&clean);
    }
    wr_buf_free(&note);
    int rc = c->exit_code;
    if (!rc && kept != WR_OK)
        rc = wr_status_exit_code(kept); /* quit with changes kept, not written */
    wr_watch_close(c->watch_fd);
    wr_watch_close(c->mounts_fd);
    for (int i = 0; i < PANE_TOTAL; i++)
        ops[i]->close(&c->panes[i]);
    tui_replay_stop(c);
    tui_state_free(c);
    tui_notice_free(c);
    wr_pending_free(&c->pend);
    wr_keymap_free(&c->keys);
    wr_buf_free(&c->paste);
    wr_edit_free(&c->ed);
    free(c->send_text);
    wr_store_close(c->st);
    free(c);
    return rc;
}
