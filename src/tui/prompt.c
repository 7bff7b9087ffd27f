/* SPDX-License-Identifier: MIT */
/* prompt.c - the `:` command line: GNU readline inside curses, through its callback interface.
 *
 * Readline never touches the terminal: it gets its input one byte at a time from rl_getc_function (the
 * console feeds it the keys curses decoded, re-encoded as the bytes a terminal would send), it prepares no
 * terminal (prep/deprep NULL), catches no signal, changes no environment, writes to /dev/null, and its
 * redisplay function only marks the prompt dirty: the render pass draws rl_display_prompt + rl_line_buffer
 * into the status line with the cursor at the display width of the bytes before rl_point. The user's
 * ~/.inputrc is read as readline initialises (key bindings, editing mode). A lone Esc is caught here and
 * cancels the line. History lives in $XDG_STATE_HOME/warroom/history.
 */
#include "tui_int.h"

#include "warroom/complete.h"
#include "warroom/paths.h"
#include "warroom/policy.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#define HISTORY_MAX 1000

/* Readline's state is global; so is its glue. */
static console *con;
static int active, mode;
static unsigned char queue[64];
static size_t qhead, qtail;
static char *done_line;
static int got_line;
static char *history_path;
static FILE *devnull;
static char *saved_filter;
static char **hint;    /* completion matches on show */
static size_t nhint;
static int hint_shown; /* the hint window was drawn: the panes under it need a repaint when it goes */

/* Candidates for the completion generator. */
static char **cands;
static size_t ncands, icand;

static int getc_cb(FILE *f)
{
    (void)f;
    if (qhead == qtail)
        return EOF;
    return queue[qhead++];
}

static int input_available(void)
{
    return qhead != qtail;
}

static void redisplay(void)
{
    if (mode == PROMPT_FILTER && con)
        tui_list_set_filter(con, rl_line_buffer);
    if (con)
        con->status_dirty = 1;
}

static void line_cb(char *line)
{
    done_line = line;
    got_line = 1;
}

static int hint_sticky;     /* the hint is the gate's blocking steps: kept while the reason is typed */
static char *gate_steps;    /* ... to show when the gate's reason prompt opens */

static void clear_hint(void)
{
    hint_sticky = 0;
    for (size_t i = 0; i < nhint; i++)
        free(hint[i]);
    free(hint);
    hint = NULL;
    nhint = 0;
    if (hint_shown && con) {
        hint_shown = 0;
        if (con->w_hint) {
            delwin(con->w_hint);
            con->w_hint = NULL;
        }
        tui_dirty_all(con); /* repaint what the hint covered */
    }
}

static void display_matches(char **matches, int num, int max)
{
    (void)max;
    clear_hint();
    hint = wr_xcalloc((size_t)num + 1, sizeof *hint);
    for (int i = 1; i <= num; i++)
        hint[nhint++] = wr_xstrdup(matches[i]);
    if (con)
        con->status_dirty = 1;
}

/* ---- completion ---- */

static void add_words(const char *text, const char *const *words, size_t n)
{
    wr_complete_filter(text, words, n, &cands, &ncands);
}

static void gather(const char *kind, const char *text)
{
    console *c = con;
    if (strcmp(kind, "command") == 0) {
        const char **v = wr_xcalloc(wr_ncmds + 1, sizeof *v);
        size_t n = 0;
        for (size_t i = 0; i < wr_ncmds; i++)
            if (wr_cmds[i].flags & WR_CMD_PROMPT)
                v[n++] = wr_cmds[i].name;
        add_words(text, v, n);
        free(v);
    } else if (strcmp(kind, "role") == 0) {
        size_t nr;
        const wr_role_def *defs = wr_policy_roles(&nr);
        const char **v = wr_xcalloc(nr + 1, sizeof *v);
        for (size_t i = 0; i < nr; i++)
            v[i] = defs[i].id;
        add_words(text, v, nr);
        free(v);
    } else if (strcmp(kind, "operator") == 0) {
        size_t n;
        const char **v = tui_operators(c, &n);
        add_words(text, v, n);
        free(v);
    } else if (strcmp(kind, "step") == 0) {
        const char **v = wr_xcalloc(2 * c->nsteps + 1, sizeof *v);
        char **qual = wr_xcalloc(c->nsteps + 1, sizeof *qual);
        size_t n = 0;
        for (size_t i = 0; i < c->nsteps; i++) {
            v[n++] = c->steps[i].step;
            qual[i] = wr_xasprintf("%s/%s", c->steps[i].runbook, c->steps[i].step);
            v[n++] = qual[i];
        }
        add_words(text, v, n);
        for (size_t i = 0; i < c->nsteps; i++)
            free(qual[i]);
        free(qual);
        free(v);
    } else if (strcmp(kind, "runbook") == 0) {
        const char **v = wr_xcalloc(c->rbset.n + 1, sizeof *v);
        for (size_t i = 0; i < c->rbset.n; i++)
            v[i] = c->rbset.v[i]->id;
        add_words(text, v, c->rbset.n);
        free(v);
    } else if (wr_complete_fixed(kind, text, &cands, &ncands)) {
        /* fields, statuses, severities, milestones, asset kinds, indicator types */
    } else if (strcmp(kind, "type") == 0) {
        wr_complete_types(c->st, &c->rbset, text, &cands, &ncands);
    } else if (strcmp(kind, "theme") == 0) {
        char **names;
        size_t n;
        wr_theme_names(c->o->theme_dirs, c->o->ntheme_dirs, &names, &n);
        add_words(text, (const char *const *)names, n);
        wr_theme_names_free(names, n);
    } else if (strcmp(kind, "incident") == 0) {
        wr_incident *v;
        size_t n;
        wr_error err = {0};
        if (wr_incident_list(c->st, 0, &v, &n, &err) == WR_OK) {
            char **refs = wr_xcalloc(n + 1, sizeof *refs);
            for (size_t i = 0; i < n; i++)
                refs[i] = wr_xasprintf("%s-%lld", strncmp(text, "inc-", 4) == 0 ? "inc" : "INC", (long long)v[i].id);
            add_words(text, (const char *const *)refs, n);
            for (size_t i = 0; i < n; i++)
                free(refs[i]);
            free(refs);
            wr_incidents_free(v, n);
        }
    }
}

static char *generator(const char *text, int state)
{
    (void)text;
    if (state == 0)
        icand = 0;
    return icand < ncands ? wr_xstrdup(cands[icand++]) : NULL;
}

static char **complete_cb(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1; /* never readline's file names, unless asked below */
    if (mode != PROMPT_CMD || !con)
        return NULL;
    char *head = wr_xstrndup(rl_line_buffer, (size_t)end);
    const char *kind = wr_complete_kind(head, (size_t)start);
    if (kind && strcmp(kind, "file") == 0) {
        free(head);
        rl_attempted_completion_over = 0;
        return NULL;
    }
    wr_complete_free(cands, ncands);
    cands = NULL;
    ncands = 0;
    /* The literal words the template offers here (step actions, audiences, action-item types, note tags,
     * subcommands, option names), then the words of the placeholder's kind. */
    wr_complete_literals(head, (size_t)start, &cands, &ncands);
    free(head);
    if (kind)
        gather(kind, text);
    if (!ncands)
        return NULL;
    char **all = cands;
    size_t nall = ncands;
    cands = NULL;
    ncands = 0;
    wr_complete_filter(text, (const char *const *)all, nall, &cands, &ncands);
    wr_complete_free(all, nall);
    return rl_completion_matches(text, generator);
}

/* ---- setup ---- */

void tui_prompt_init(console *c)
{
    con = c;
    devnull = fopen("/dev/null", "w");
    rl_readline_name = "warroom";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = getc_cb;
    rl_input_available_hook = input_available;
    rl_redisplay_function = redisplay;
    rl_outstream = devnull ? devnull : stderr;
    rl_instream = stdin;
    rl_attempted_completion_function = complete_cb;
    rl_completion_display_matches_hook = display_matches;
    /* Defaults suited to a one-line prompt; ~/.inputrc, read when readline initialises, may override. */
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("enable-bracketed-paste", "off");
    using_history();
    stifle_history(HISTORY_MAX);
    char *dir = wr_paths_user_state_dir();
    if (dir && wr_mkdir_p(dir, 0700) == 0) {
        history_path = wr_xasprintf("%s/history", dir);
        read_history(history_path);
    }
    free(dir);
}

void tui_prompt_done(console *c)
{
    (void)c;
    if (active) {
        rl_callback_handler_remove();
        active = 0;
    }
    if (history_path) {
        write_history(history_path);
        history_truncate_file(history_path, HISTORY_MAX);
    }
    free(history_path);
    history_path = NULL;
    clear_history();
    clear_hint();
    wr_complete_free(cands, ncands);
    cands = NULL;
    ncands = 0;
    free(saved_filter);
    saved_filter = NULL;
    if (devnull)
        fclose(devnull);
    devnull = NULL;
    rl_outstream = NULL;
    con = NULL;
}

int tui_prompt_active(void)
{
    return active;
}

void tui_prompt_open(console *c, int m, const char *prompt, const char *text)
{
    if (active)
        tui_prompt_cancel(c);
    mode = m;
    active = 1;
    qhead = qtail = 0;
    got_line = 0;
    if (m == PROMPT_FILTER) {
        free(saved_filter);
        saved_filter = wr_xstrdup(tui_list_filter(c));
    }
    rl_callback_handler_install(prompt, line_cb);
    if (text && *text)
        rl_insert_text(text);
    rl_point = rl_end;
    if (m == PROMPT_REASON && gate_steps) {
        /* The phase gate's question: the steps that block it, above the prompt while the reason is typed. */
        clear_hint();
        size_t cap = 2;
        for (const char *p = gate_steps; *p; p++)
            cap += *p == ',';
        hint = wr_xcalloc(cap + 1, sizeof *hint);
        hint[nhint++] = wr_xstrdup("blocking:");
        for (const char *p = gate_steps; *p && nhint < cap;) {
            size_t n = strcspn(p, ",");
            hint[nhint++] = wr_xstrndup(p, n);
            p += n;
            p += strspn(p, ", ");
        }
        hint_sticky = 1;
        free(gate_steps);
        gate_steps = NULL;
    }
    c->status_dirty = 1;
}

void tui_prompt_gate_steps(const char *steps)
{
    free(gate_steps);
    gate_steps = steps && *steps ? wr_xstrdup(steps) : NULL;
}

static void finish(console *c)
{
    char *line = done_line;
    int m = mode;
    done_line = NULL;
    got_line = 0;
    rl_callback_handler_remove();
    active = 0;
    clear_hint();
    c->status_dirty = 1;
    if (!line) { /* end of input (C-d on an empty line): as Esc */
        if (m == PROMPT_FILTER)
            tui_list_set_filter(c, saved_filter);
        else if (m == PROMPT_REASON)
            tui_gate_answer(c, "");
        else if (m == PROMPT_DISMISS)
            tui_triage_dismiss(c, "");
        return;
    }
    if (m == PROMPT_CMD) {
        if (*line) {
            /* The history file holds a line per entry: a pasted line break goes in as a space there. */
            char *h = wr_xstrdup(line);
            for (char *q = h; *q; q++)
                if (*q == '\n')
                    *q = ' ';
            HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
            if (!last || strcmp(last->line, h) != 0)
                add_history(h);
            free(h);
            tui_run_line(c, line);
        }
    } else if (m == PROMPT_FILTER) {
        tui_list_set_filter(c, line);
    } else if (m == PROMPT_REASON) {
        tui_gate_answer(c, line);
    } else if (m == PROMPT_DISMISS) {
        tui_triage_dismiss(c, line);
    }
    free(line);
}

void tui_prompt_cancel(console *c)
{
    if (!active)
        return;
    rl_callback_sigcleanup();
    rl_replace_line("", 1);
    rl_callback_handler_remove();
    active = 0;
    qhead = qtail = 0;
    got_line = 0;
    free(done_line);
    done_line = NULL;
    clear_hint();
    if (mode == PROMPT_FILTER)
        tui_list_set_filter(c, saved_filter);
    else if (mode == PROMPT_REASON)
        tui_gate_answer(c, "");
    else if (mode == PROMPT_DISMISS)
        tui_triage_dismiss(c, "");
    c->status_dirty = 1;
}

int tui_prompt_takes_lines(void)
{
    return active && mode == PROMPT_CMD;
}

void tui_prompt_insert(console *c, const char *text)
{
    if (!active || !text || !*text)
        return;
    if (nhint && !hint_sticky)
        clear_hint();
    rl_insert_text(text);
    c->status_dirty = 1;
}

/* The bytes a terminal sends for a key. */
static size_t encode(int key, unsigned char *out)
{
    size_t n = 0;
    if (key & WR_KEY_META) {
        out[n++] = 27;
        key &= ~WR_KEY_META;
    }
    static const struct {
        int key;
        const char *seq;
    } seqs[] = {
        {WR_KEY_UP, "\033[A"},    {WR_KEY_DOWN, "\033[B"}, {WR_KEY_RIGHT, "\033[C"}, {WR_KEY_LEFT, "\033[D"},
        {WR_KEY_HOME, "\033[H"},  {WR_KEY_END, "\033[F"},  {WR_KEY_DC, "\033[3~"},   {WR_KEY_IC, "\033[2~"},
        {WR_KEY_PGUP, "\033[5~"}, {WR_KEY_PGDN, "\033[6~"}, {WR_KEY_BTAB, "\033[Z"},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(seqs); i++)
        if (seqs[i].key == key) {
            size_t l = strlen(seqs[i].seq);
            memcpy(out + n, seqs[i].seq, l);
            return n + l;
        }
    if (key >= WR_KEY_UP)
        return 0; /* a key readline has no use for */
    if (key == WR_KEY_ENTER)
        key = '\r';
    wr_buf b = {0};
    wr_utf8_put(&b, (uint32_t)key);
    memcpy(out + n, wr_buf_str(&b), b.len);
    n += b.len;
    wr_buf_free(&b);
    return n;
}

void tui_prompt_key(console *c, int key)
{
    if (!active)
        return;
    if (key == WR_KEY_ESC) {
        tui_prompt_cancel(c);
        return;
    }
    if (nhint && !hint_sticky)
        clear_hint();
    unsigned char bytes[16];
    size_t n = encode(key, bytes);
    if (!n)
        return;
    qhead = 0;
    qtail = n;
    memcpy(queue, bytes, n);
    while (active && !got_line && qhead != qtail)
        rl_callback_read_char();
    qhead = qtail = 0;
    c->status_dirty = 1;
    if (got_line)
        finish(c);
}

/* Columns of clean text to skip from the left (horizontal scrolling): a pointer into s. */
static const char *skip_cols(const char *s, size_t cols)
{
    size_t w = 0, len = strlen(s), i = 0;
    while (i < len && w < cols) {
        uint32_t cp;
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        w += (size_t)wr_text_cp_width(cp);
        i += n;
    }
    return s + i;
}

int tui_prompt_draw(console *c)
{
    if (!active || !c->w_status)
        return 0;
    WINDOW *w = c->w_status;
    int width = c->lay.cols;
    wbkgdset(w, ' ' | tui_attr(c, WR_EL_PROMPT));
    werase(w);
    /* The prompt may hold database text (a status name): it is cleaned like everything else. */
    const char *pr = rl_display_prompt ? rl_display_prompt : "";
    wr_buf pb = {0};
    size_t pw = wr_text_fit(&pb, pr, strlen(pr), (size_t)(width / 2), 1, WR_TEXT_ONELINE);
    tui_put_clean(c, w, 0, 0, WR_EL_PROMPT, wr_buf_str(&pb), width);
    wr_buf_free(&pb);
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    size_t point = rl_point > 0 ? (size_t)rl_point : 0;
    if (point > strlen(line))
        point = strlen(line);
    /* A pasted line break (kept in a note's text) shows as "↵", so the operator sees where it is. */
    wr_buf lb = {0}, pb2 = {0};
    for (size_t i = 0; line[i]; i++) {
        if (i == point)
            wr_buf_append(&pb2, wr_buf_str(&lb), lb.len);
        if (line[i] == '\n')
            wr_buf_puts(&lb, "\xe2\x86\xb5");
        else
            wr_buf_putc(&lb, line[i]);
    }
    if (point >= strlen(line))
        wr_buf_append(&pb2, wr_buf_str(&lb), lb.len);
    wr_buf before = {0}, all = {0};
    size_t cw = wr_text_clean(&before, wr_buf_str(&pb2), pb2.len, WR_TEXT_ONELINE);
    wr_text_clean(&all, wr_buf_str(&lb), lb.len, WR_TEXT_ONELINE);
    wr_buf_free(&lb);
    wr_buf_free(&pb2);
    size_t avail = (size_t)width > pw + 1 ? (size_t)width - pw - 1 : 1;
    size_t shift = cw >= avail ? cw - avail + 1 : 0;
    const char *vis = skip_cols(wr_buf_str(&all), shift);
    tui_put_clean(c, w, 0, (int)pw, WR_EL_NORMAL, vis, (int)avail);
    wmove(w, 0, (int)(pw + cw - shift));
    wr_buf_free(&before);
    wr_buf_free(&all);
    return 1;
}

int tui_prompt_draw_hint(console *c)
{
    if (!active || !nhint || c->lay.mode == WR_LAYOUT_TOO_SMALL)
        return 0;
    int width = c->lay.cols;
    /* Lay the matches out in rows of at most 4 lines above the prompt. */
    wr_buf all = {0};
    int lines = 1, col = 0;
    for (size_t i = 0; i < nhint; i++) {
        wr_buf one = {0};
        size_t w = wr_text_fit(&one, hint[i], strlen(hint[i]), 40, 1, WR_TEXT_ONELINE);
        if (col && col + (int)w + 2 > width - 2) {
            if (lines == 4) {
                wr_buf_puts(&all, " ...");
                wr_buf_free(&one);
                break;
            }
            wr_buf_putc(&all, '\n');
            lines++;
            col = 0;
        }
        if (col) {
            wr_buf_puts(&all, "  ");
            col += 2;
        }
        wr_buf_puts(&all, wr_buf_str(&one));
        col += (int)w;
        wr_buf_free(&one);
    }
    if (c->w_hint)
        delwin(c->w_hint);
    c->w_hint = newwin(lines, width, c->lay.status.y - lines, 0);
    if (!c->w_hint) {
        wr_buf_free(&all);
        return 0;
    }
    leaveok(c->w_hint, TRUE);
    wbkgdset(c->w_hint, ' ' | tui_attr(c, WR_EL_POPUP));
    werase(c->w_hint);
    const char *p = wr_buf_str(&all);
    for (int y = 0; y < lines; y++) {
        size_t len = strcspn(p, "\n");
        char *row = wr_xstrndup(p, len);
        tui_put_clean(c, c->w_hint, y, 1, WR_EL_POPUP, row, width - 2);
        free(row);
        p += len + (p[len] ? 1 : 0);
    }
    wr_buf_free(&all);
    hint_shown = 1;
    wnoutrefresh(c->w_hint);
    return 1;
}
