/* SPDX-License-Identifier: MIT */
/* tui_int.h - private to the console (the files of src/tui): the console state, panes and their ops tables.
 *
 * Shape (after tig/htop/tmux): the console owns the data of the shown incident and a set of panes. A pane
 * is a struct with a const ops table and private state defined in its own .c file; it draws only from the
 * console's data and asks for changes by command lines (the same ones the keys and the `:` prompt use).
 * Nothing draws outside the render pass: code that changes something marks panes dirty, and the main loop
 * redraws the dirty ones (werase + draw + wnoutrefresh) and calls doupdate() once.
 */
#ifndef WARROOM_TUI_INT_H
#define WARROOM_TUI_INT_H

#include <curses.h>
#include <poll.h>
#include <stdint.h>

#include "warroom/alert.h"
#include "warroom/checklist.h"
#include "warroom/compose.h"
#include "warroom/incident.h"
#include "warroom/model.h"
#include "warroom/keys.h"
#include "warroom/layout.h"
#include "warroom/pending.h"
#include "warroom/presence.h"
#include "warroom/runbook.h"
#include "warroom/store.h"
#include "warroom/theme.h"
#include "warroom/timeline.h"
#include "warroom/tui.h"
#include "warroom/update.h"
#include "warroom/update_run.h"

struct wr_oncall;

typedef struct console console;
typedef struct pane pane;

/* On a local disk with inotify: how often the database (data_version) and its path are looked at anyway, in
 * case a notice was missed (the mount table's notice covers a mount dropped under the file). */
#define TUI_IDLE_LOOK_MS 30000

/* Panes beyond the four of the war room. */
enum { PANE_LIST = WR_PANE_COUNT, PANE_TRIAGE, PANE_PAGER, PANE_COMPOSE, PANE_TOTAL };

typedef struct pane_ops {
    const char *name;
    void (*open)(pane *p);                            /* allocate the private state */
    void (*draw)(pane *p, console *c);                /* draw the inside of the frame (window cleared) */
    int (*act)(pane *p, console *c, wr_ui ui);        /* a console act (up, tick...): 1 if handled */
    int (*key)(pane *p, console *c, int key);         /* a key no table binds (the composer types it) */
    void (*click)(pane *p, console *c, int row);      /* a mouse click on inner row `row` */
    void (*resize)(pane *p, console *c);              /* the window changed size */
    void (*incident)(pane *p, console *c, int64_t from, int64_t to); /* switching incidents */
    void (*close)(pane *p);                           /* free the private state */
} pane_ops;

struct pane {
    const pane_ops *ops;
    int id;
    WINDOW *win;   /* NULL while not shown */
    wr_rect r;
    int dirty;
    void *priv;
};

extern const pane_ops wr_pane_incident_ops, wr_pane_roles_ops, wr_pane_checklist_ops, wr_pane_timeline_ops,
    wr_pane_list_ops, wr_pane_pager_ops, wr_pane_triage_ops, wr_pane_compose_ops;

enum { VIEW_ROOM, VIEW_LIST, VIEW_TRIAGE };
enum { LOST_NO, LOST_GONE, LOST_OTHER, LOST_SERVER };
enum { Q_NONE, Q_QUIT, Q_REPLAY, Q_COMPOSE_CLOSE, Q_COMPOSE_DISCARD };

/* Status line message kinds (theme elements). */
enum { MSG_INFO = WR_EL_STATUS, MSG_OK = WR_EL_OK, MSG_WARN = WR_EL_WARNING, MSG_ERROR = WR_EL_ERROR };

struct console {
    const wr_tui_opts *o;
    wr_store *st;
    const wr_actor *actor;
    char session[33];
    int readonly;

    /* What is shown. */
    int view;    /* VIEW_ROOM or VIEW_LIST */
    int64_t inc; /* the incident in the room (0: an empty war room) */
    int focus;   /* wr_pane_id of the focused pane in the room */
    wr_layout lay;
    pane panes[PANE_TOTAL];
    int pager_open;
    WINDOW *w_header, *w_banner, *w_tabs, *w_status, *w_hint;
    int header_dirty, status_dirty, chrome_dirty;

    /* The shown incident's small state, re-read on every change. */
    int have_incident;
    wr_incident incident;
    wr_role_holder *roles;
    size_t nroles;
    wr_step_row *steps;
    size_t nsteps;
    int64_t *step_seen;    /* per step: monotonic ms when this console first showed its current state */
    wr_attached *att;
    size_t natt;
    int *att_newer;        /* per attached runbook: 1 if the file on disk differs (natt entries) */
    wr_presence *here;     /* consoles on this incident */
    size_t nhere;
    size_t nonline;        /* consoles open on this database */
    wr_tlwin tl;           /* the timeline window */
    wr_incident *list;     /* the incident list view */
    size_t nlist;
    wr_rb_set rbset;       /* runbooks on disk, for "newer version available" and completion */
    wr_cadence cad;        /* the next stakeholder update (cad.due_at 0: none needed) */
    char **missing;        /* required roles nobody holds (wr_roles_missing) */
    size_t nmissing;
    int64_t *missing_since; /* per missing role: since when it is empty (UTC ms) */
    struct wr_oncall *oncall; /* oncall.yaml, when one exists */
    wr_alert_row *alerts;  /* the triage view: alerts awaiting triage, newest first */
    size_t nalerts;
    int64_t alerts_waiting, alerts_firing; /* the badge */

    /* The update composer (a popup editor) and the update command it started. */
    int compose_open;
    wr_edit ed;
    char compose_aud[16];
    int64_t compose_inc;
    char send_uid[33];     /* the update event being recorded, to send when it lands */
    char *send_text;
    char send_aud[16];
    int64_t send_inc;
    int running;           /* an update command is running */
    wr_update_run run;
    int64_t run_inc, run_seq;

    /* A replay shown in the timeline pane (:replay): the events revealed at their pace. */
    struct tui_replay *rp;

    /* Yes/no questions, one at a time: after a declaration ("assign IC to alice? y/n"), and before a write
     * that needs a confirmation (ask_write[i] non-NULL: submitted on y). */
    char **ask_role, **ask_user, **ask_text;
    wr_write **ask_write;
    size_t nask;
    int64_t ask_inc;

    /* Keys, theme. */
    wr_keymap keys;
    wr_theme theme;
    int ncolors;           /* 0: no colour (mono attributes) */
    int ascii;             /* the locale is not UTF-8: draw non-ASCII as '?' */
    attr_t attr[WR_EL_COUNT];

    /* Writes waiting for the lock, or for the database to come back. */
    wr_pending pend;
    /* The database lost and found again (lost.c). */
    int lost;              /* LOST_NO, LOST_GONE (nothing at the path), LOST_OTHER (a file there that cannot
                              be opened) */
    char lost_why[1024];   /* what is wrong, for the banner */
    int64_t next_look;     /* monotonic ms of the next look at the path */
    char *pend_file;       /* where this console keeps its writes not yet written (wr_pending_file) */
    int pend_file_ours;    /* that file exists and holds the queue */
    int question;          /* Q_NONE, Q_QUIT, Q_REPLAY: a yes/no question in the status line */
    wr_write *saved;       /* Q_REPLAY: the writes earlier sessions left */
    size_t nsaved;
    int64_t saved_at;
    char **orphans;        /* ... and the files they are in (removed once they are in this console's file) */
    size_t norphans;
    /* A status change refused by the phase gate, waiting for a reason. */
    int64_t gate_inc;
    char *gate_status;
    char *gate_question; /* set: ask it as soon as the prompt is free */
    int64_t open_after;  /* an incident to open (declared here) on the next pass */
    int pager_want_h, pager_want_w;

    /* The status line. */
    char msg[1024];
    int msg_kind;
    int64_t msg_until; /* monotonic ms; 0 = until replaced */

    /* A bracketed paste being received (the terminal marks pastes: they are text, never keys). */
    int pasting;
    wr_buf paste;
    int64_t paste_until;

    /* Timers (monotonic ms). */
    int64_t next_poll, next_beat, next_tick, next_rbcheck;
    int watch_fd;
    int mounts_fd;         /* /proc/self/mountinfo: POLLPRI when something is mounted or unmounted (-1: none) */
    int poll_ms;           /* data_version checked this often (network mount, no inotify); 0: on inotify only */
    int poll_soon;         /* inotify said the database changed: a look is due at next_poll, stop listening */
    int64_t soon_since;    /* monotonic ms of the first such notice not yet followed by a look (0: none) */
    int64_t last_check;    /* monotonic ms of the last look at data_version */
    int64_t last_change;   /* ... and of the last one that found a change */
    int gap;               /* ms from last_change before the next look (0: at once; see console.c) */
    int presence_wd;       /* the presence directory's inotify watch (-1: none, read on the timer) */
    int64_t next_presence, presence_read_at; /* when who is here is read next / was read */
    wr_presence_cache *pcache; /* the presence files read before (a beat is a stat, not a read) */
    int presence_full;         /* someone came or left (inotify): list the directory at the next read */
    int64_t presence_listed_at;
    int64_t feed_seq;      /* the newest event looked at (all incidents) */
    unsigned want;         /* parts to read again that a busy read left (state.c W_*) */
    int trace_fd;          /* WARROOM_TRACE_FD: "PID SEQ NS" after each frame showing newer events */
    int64_t traced_seq;
    int need_refresh; /* re-read at the next poll even if data_version did not change (our own writes,
                       * a read that found the database busy) */
    int quit;
    int exit_code;

    /* Awareness (notice.c): the zoomed tab view, what hidden panes missed, news that concerns this operator. */
    int zoom;                      /* `z`: the focused pane alone under a tab strip */
    unsigned unread[WR_PANE_COUNT]; /* entries a pane got while it was not shown (its tab: "Timeline +3") */
    struct tui_msg *hist;          /* the status line's messages and notices, oldest first (`M`) */
    size_t nhist;
    int bell_due;                  /* a notice that needs action: ring (or flash) after the next frame */
    int64_t offer_inc;             /* the shown incident is over: the one being worked (-1: several open) */
    int64_t announce_inc;          /* the newest incident declared elsewhere: the list selects it */
    int64_t stopped_at;            /* the shown incident's clock stopped (resolved, or ended): UTC ms; 0 runs */
};

/* ---- console.c ---- */
void tui_message(console *c, int kind, const char *fmt, ...) WR_PRINTF(3, 4);
void tui_dirty_all(console *c);
void tui_relayout(console *c);
void tui_set_focus(console *c, int pane_id);
/* The name of the first key bound to the command line `command` ("prompt declare" finds "prompt declare "): in the
 * view shown, else in the global table, else in any; NULL when none is. */
const char *tui_key_for(console *c, const char *command, char *buf, size_t size);

/* ---- lost.c: the database lost and found again; writes kept over it and across sessions ---- */
/* At start: where the kept writes go, and the question whether to write those an earlier session saved. */
void tui_lost_start(console *c);
/* From the timer: look at the path (every second, or at once after a write was kept): gone, back, or another
 * file there to open. Returns 1 while the database is lost. */
int tui_lost_check(console *c, int64_t now);
/* A write was kept or landed: keep the file of kept writes in step with the queue. */
void tui_lost_queue_changed(console *c);
/* q / :quit / Ctrl-C: quits, or first asks when writes are not written yet. */
void tui_request_quit(console *c);
/* A question is asked in the status line (Q_QUIT, Q_REPLAY): the answer (1 yes, 0 no). */
void tui_question_answer(console *c, int yes);
/* The question's text for the status line ("" when none). */
void tui_question_text(console *c, wr_buf *out);
/* At the end: the writes still kept go to the file; a line for stderr says so (empty when none). */
void tui_lost_end(console *c, wr_buf *note);

/* ---- input.c ---- */
/* Read and act on every key waiting on the terminal. */
void tui_read_keys(console *c);
/* The terminal's size changed (or may have): resize and lay out again. */
void tui_check_size(console *c);
/* A bracketed paste ended (or its end never came): insert it where text goes. */
void tui_paste_done(console *c);

/* ---- render.c ---- */
/* Draw what is dirty (wnoutrefresh each, then one doupdate). */
void tui_render(console *c);
/* timers.c: the loop's timers, inotify's notices, the time it may sleep, how changes are found. */
#define TUI_RBCHECK_MS 60000 /* runbook files on disk looked at */
void tui_run_timers(console *c);
int tui_next_timeout(console *c);
void tui_watch_events(console *c);
void tui_notified(console *c); /* the server notified a change (PostgreSQL) */
void tui_choose_poll(console *c);

/* ---- state.c: the data ---- */
void tui_state_free(console *c);
/* Re-read what changed (force: everything) and mark the panes that show it dirty. */
void tui_refresh(console *c, int force);
/* Show incident id in the room (0: the empty war room); keeps each pane's position per incident. */
void tui_open_incident(console *c, int64_t id);
void tui_show_list(console *c);
void tui_presence_beat(console *c);      /* beat and read who is here (a view change) */
void tui_presence_beat_only(console *c); /* the timer's beat */
void tui_presence_load(console *c);      /* read who is here */
void tui_check_runbooks(console *c);
/* Operators known here (role holders, people in the room, me), for completion. Caller frees the array only. */
const char **tui_operators(console *c, size_t *n);

/* ---- pane_timeline.c ---- */
/* The timeline window got new entries (wr_tlwin_poll's results): keep the selection where it belongs. */
void tui_timeline_polled(console *c, size_t added, size_t dropped, int changed);

/* ---- pane_list.c ---- */
/* The incident list's filter (substring, any case): set live while typing after `/`. */
void tui_list_set_filter(console *c, const char *filter);
/* Put the selection on incident id (when the list shows it). */
void tui_list_select(console *c, int64_t id);
const char *tui_list_filter(console *c);

/* ---- pane_triage.c ---- */
void tui_show_triage(console *c);
/* The reason for dismissing the alert x was pressed on was given ("" gives up). */
void tui_triage_dismiss(console *c, const char *reason);

/* ---- pane_compose.c: the update composer ---- */
/* Open the composer on incident inc for audience (pre-filled with the CAN template). */
void tui_compose_open(console *c, int64_t inc, const char *audience);
void tui_compose_close(console *c);
/* The composer's yes/no questions (Q_COMPOSE_*): their text for the status line, and the answer. */
void tui_compose_question(console *c, wr_buf *out);
void tui_compose_answer(console *c, int yes);
/* An update event landed: start the update command when it is the one we sent. */
void tui_update_landed(console *c, const wr_write *w);
/* Poll descriptors of a running update command (0..2), how long the loop may sleep (-1: no limit). */
int tui_update_pollfds(console *c, struct pollfd *fds);
int tui_update_wait_ms(console *c);
/* After ppoll: move the command on, record its result when it ends. */
void tui_update_pump(console *c);

/* ---- state.c: on-call ---- */
void tui_oncall_load(console *c);
/* After declaring inc from here: queue "assign ROLE to USER?" questions from the on-call rota. */
void tui_suggest_oncall(console *c, int64_t inc);
/* The answer to the current question (1 yes, 0 no). */
void tui_ask_answer(console *c, int yes);
/* Ask a yes/no question before a write (taken over; submitted on y, dropped on n). */
void tui_ask_write(console *c, const char *question, wr_write *w);

/* ---- replay.c: :replay in the timeline pane ---- */
void tui_replay_start(console *c, int64_t inc, double speed);
void tui_replay_stop(console *c);
/* Reveal the entries that are due; returns the monotonic ms of the next one (0: none). */
int64_t tui_replay_tick(console *c, int64_t now_mono);
/* Draw the replay in the timeline pane (instead of the live timeline). */
void tui_replay_draw(pane *p, console *c);

/* ---- pane_pager.c ---- */
/* Give the pager its title and (raw) text; *want_h, *want_w: the size the text would like. */
void tui_pager_set(pane *p, const char *title, const char *text, int *want_h, int *want_w);
/* Where the pager goes: sized to its text (wrapped lines included), centred in the body. */
wr_rect tui_pager_rect(console *c);
/* A timeline entry's text on one row: the first line, then "[+N lines]" for a text of several lines. */
int tui_put_entry_text(console *c, WINDOW *w, int y, int x, int el, const char *raw, int maxw);

/* ---- acts.c: the console's own acts, by the act table's `ui` ---- */
/* The view shown (WR_VIEW_ROOM, _LIST, _TRIAGE, _PAGER, _COMPOSER): whose key table applies. */
wr_view tui_view(console *c);
/* 1 while a yes/no question is asked in the status line (its key table comes first). */
int tui_asking(console *c);
/* Carry out the console act of row cmd (argv[0] is its name). 1 when done; 0 when a row with a handler as
 * well (help COMMAND, update TEXT) is to run its handler instead. */
int tui_act(console *c, const wr_cmd *cmd, int argc, char **argv);

/* ---- exec.c: commands ---- */
/* Run one command line (from a key binding or the prompt). */
void tui_run_line(console *c, const char *line);
/* Run an act of the table with a handler on these words (argv[0] is its name), as the command line and the
 * `:` line do; title names it in the output. Returns its exit code. */
int tui_run_argv(console *c, const char *title, int argc, char **argv);
/* Carry out a write made by the console itself (tick, pin) or by a command: see pending.h. */
int tui_submit(console *c, wr_write *w);
void tui_show_help(console *c);
/* The operator answered the phase gate's question with a reason ("" gives up). */
void tui_gate_answer(console *c, const char *reason);
void tui_pending_run(console *c);
/* Show text in the pager (title shown in its frame). */
void tui_pager_show(console *c, const char *title, const char *text);
void tui_pager_close(console *c);

/* ---- prompt.c: the `:` command line (readline) ---- */
enum { PROMPT_CMD, PROMPT_FILTER, PROMPT_REASON, PROMPT_DISMISS };
void tui_prompt_init(console *c);
void tui_prompt_done(console *c);
/* Open the prompt in a mode with a prompt string and text already typed. */
void tui_prompt_open(console *c, int mode, const char *prompt, const char *text);
int tui_prompt_active(void);
/* The `:` command line is open: a paste keeps its line breaks there (a note's text keeps them). */
int tui_prompt_takes_lines(void);
/* Feed one key to readline (Esc cancels). */
void tui_prompt_key(console *c, int key);
/* Insert pasted text at the cursor. */
void tui_prompt_insert(console *c, const char *text);
/* Cancel the line (Esc, Ctrl-C). */
void tui_prompt_cancel(console *c);
/* Draw the prompt into the status window and place the cursor; returns 1 when it drew. */
int tui_prompt_draw(console *c);
/* The steps that block a status change ("a, b and 2 more"): shown above the phase gate's question (the next
 * reason prompt) until it is answered. */
void tui_prompt_gate_steps(const char *steps);
/* Draw completion matches above the prompt when there are some; 1 when shown. */
int tui_prompt_draw_hint(console *c);

/* ---- draw.c: drawing helpers ---- */
void tui_theme_apply(console *c);
attr_t tui_attr(console *c, int el);
/* Draw raw (untrusted) text cleaned and cut to maxw columns at (y, x) of w; returns the columns used. */
int tui_put(console *c, WINDOW *w, int y, int x, int el, const char *raw, int maxw);
/* The same for text already clean (our own), cut to maxw columns. */
int tui_put_clean(console *c, WINDOW *w, int y, int x, int el, const char *clean, int maxw);
/* Fill a row from x with spaces in an element's style up to width w. */
void tui_fill(console *c, WINDOW *win, int y, int x, int w, int el);
/* The frame of a pane: border and title (focused or not); info is drawn at the right of the top border,
 * foot at the right of the bottom border (either may be NULL). */
void tui_frame(console *c, pane *p, const char *title, const char *info, const char *foot, int focused);
/* Keep sel within [0, n) and top so that sel is visible in h rows. */
void tui_scroll_fix(int *sel, int *top, int n, int h);
/* Move sel for a motion act (up, down, page-up, page-down, top, bottom); 1 if ui was one. */
int tui_motion(wr_ui ui, int *sel, int n, int page);
/* The element of a severity ("SEV1" -> WR_EL_SEV1). */
int tui_sev_el(const char *sev);
/* Inner size of a pane's frame. */
int tui_inner_h(const pane *p);
int tui_inner_w(const pane *p);

/* Saved positions per incident, shared by the panes. */
typedef struct tui_pos {
    int64_t inc;
    int sel, top;
    int64_t anchor; /* timeline: the selected entry's seq (0: follow the end) */
} tui_pos;
typedef struct tui_posmap {
    tui_pos *v;
    size_t n;
} tui_posmap;
void tui_pos_save(tui_posmap *m, int64_t inc, int sel, int top, int64_t anchor);
/* 1 and *out if a position was saved for inc. */
int tui_pos_find(const tui_posmap *m, int64_t inc, tui_pos *out);
void tui_pos_free(tui_posmap *m);

/* ---- notice.c: news that concerns this operator, the message history, unread counts ---- */
typedef struct tui_msg {
    int64_t at; /* UTC ms */
    int kind;   /* MSG_* */
    char *text; /* raw: cleaned when drawn */
} tui_msg;
/* Keep a status-line message in the history (tui_message does). */
void tui_history_add(console *c, int kind, const char *text);
/* `M`: the history in the pager, newest first. */
void tui_show_history(console *c);
/* An event read by the feed (state.c): notices for this operator, unread counts of hidden panes. */
void tui_notice_event(console *c, const wr_event *ev);
/* The panes now shown have nothing unread. */
void tui_unread_clear_shown(console *c);
/* Whether the shown incident is over and another is being worked (offer_inc); after the incident or the list
 * changed. */
void tui_offer_check(console *c);
void tui_notice_free(console *c);

#endif
