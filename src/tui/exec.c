/* SPDX-License-Identifier: MIT */
/* exec.c - running command lines: the key tables, the `:` prompt and the panes all come here. Acts of the
 * table with a handler run through wr_cmd_run (the same code as the CLI) with writes handed to the console's
 * submit hook; the console's own acts (a row's `ui`) are carried out by acts.c. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/evkind.h"
#include "warroom/fmt.h"
#include "warroom/policy.h"
#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- writes ---- */

/* May this operator override the phase gate (the policy's `override` roles, or nobody holds them)? The
 * store checks it again; this only saves asking for a reason that would be refused. */
static int may_override(console *c)
{
    size_t n;
    const char *const *may = wr_policy_may(WR_ACT_OVERRIDE, &n);
    int held = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < c->nroles; k++)
            if (strcmp(c->roles[k].role, may[i]) == 0) {
                held = 1;
                if (strcmp(c->roles[k].holder, c->actor->name) == 0 ||
                    (c->actor->os_user && strcmp(c->roles[k].holder, c->actor->os_user) == 0))
                    return 1;
            }
    return !n || !held;
}

static void on_result(void *ctx, wr_write *w, wr_status s, const wr_error *err)
{
    console *c = ctx;
    if (s == WR_OK) {
        tui_message(c, MSG_OK, "done: %s", w->describe && *w->describe ? w->describe : w->kind);
        c->need_refresh = 1; /* our own commit does not change our data_version: look now */
        c->next_poll = 0;
        if (wr_ev_is(w->kind, WR_EV_INCIDENT_DECLARED) && w->result_id) {
            c->open_after = w->result_id;
            tui_suggest_oncall(c, w->result_id);
        }
        if (wr_ev_is(w->kind, WR_EV_UPDATE))
            tui_update_landed(c, w);
        return;
    }
    if (s == WR_E_GATE && wr_ev_is(w->kind, WR_EV_INCIDENT_CHANGED) && !may_override(c)) {
        size_t n;
        const char *const *may = wr_policy_may(WR_ACT_OVERRIDE, &n);
        wr_buf who = {0};
        for (size_t i = 0; i < n; i++) {
            const wr_role_def *d = wr_role_find(may[i]);
            wr_buf_printf(&who, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", d ? d->title : may[i]);
        }
        tui_message(c, MSG_ERROR, "only the %s may override the phase gate: %s", wr_buf_str(&who), err->msg);
        wr_buf_free(&who);
        return;
    }
    if (s == WR_E_GATE && wr_ev_is(w->kind, WR_EV_INCIDENT_CHANGED)) {
        char *value = wr_event_payload_str(w->payload, "new");
        if (value) {
            free(c->gate_status);
            c->gate_status = value;
            c->gate_inc = w->incident;
            const char *from = c->have_incident && c->incident.id == w->incident ? c->incident.status : "this phase";
            char q[256], steps[512];
            wr_fmt_gate_question(from, wr_fmt_gate_count(err->msg), q, sizeof q);
            /* The steps that block the move, named above the question as the command line's refusal names them. */
            tui_prompt_gate_steps(wr_fmt_gate_steps(err->msg, steps, sizeof steps));
            free(c->gate_question);
            c->gate_question = wr_xstrdup(q);
            tui_message(c, MSG_WARN, "%s", err->msg);
            return;
        }
    }
    tui_message(c, MSG_ERROR, "%s", err && *err->msg ? err->msg : wr_status_name(s));
}

int tui_submit(console *c, wr_write *w)
{
    if (c->readonly && c->lost == LOST_NO) {
        /* Opened read-only (on request, or the file is not writable here): this store never takes it. */
        wr_error err = {0};
        wr_status s = wr_error_set(&err, WR_E_READONLY, "nothing was written: %s",
                                   *wr_store_readonly_reason(c->st) ? wr_store_readonly_reason(c->st)
                                                                    : "the database is read-only");
        on_result(c, w, s, &err);
        wr_write_clear(w);
        return s;
    }
    /* While the database is lost every write joins the queue untried. */
    wr_status s = wr_pending_submit(&c->pend, c->lost == LOST_NO ? c->st : NULL, w, wr_clock_mono_ms(), 50,
                                    on_result, c);
    c->status_dirty = 1;
    if (s == WR_E_BUSY) {
        const wr_pending_item *head = &c->pend.v[0];
        wr_buf b = {0};
        wr_pending_summary(&c->pend, &b);
        if (c->lost != LOST_NO)
            tui_message(c, MSG_WARN, "%s: kept until the database is back", wr_buf_str(&b));
        else if (head->last == WR_E_BUSY)
            tui_message(c, MSG_WARN, "the database is busy: %s (kept, retrying)", wr_buf_str(&b));
        else
            tui_message(c, MSG_WARN, "not written yet (%s): %s (kept, retrying)", head->why, wr_buf_str(&b));
        wr_buf_free(&b);
        if (head->last != WR_E_BUSY)
            c->next_look = 0; /* is the file still there? */
        tui_lost_queue_changed(c);
        return WR_OK; /* accepted: it will land */
    }
    tui_lost_queue_changed(c);
    return s;
}

void tui_pending_run(console *c)
{
    size_t before = c->pend.n;
    wr_pending_run(&c->pend, c->st, wr_clock_mono_ms(), 50, on_result, c);
    if (c->pend.n && c->pend.v[0].last != WR_E_BUSY)
        c->next_look = 0; /* not busy: the file gone or replaced? look at once */
    if (c->pend.n != before) {
        c->status_dirty = 1;
        tui_lost_queue_changed(c);
    }
}

static int submit_hook(wr_cmdctx *x, wr_write *w)
{
    return tui_submit(x->ui, w);
}

static void confirm_hook(wr_cmdctx *x, const char *question, wr_write *w)
{
    tui_ask_write(x->ui, question, w);
}

void tui_gate_answer(console *c, const char *reason)
{
    if (!c->gate_status)
        return;
    if (!reason || !*reason) {
        tui_message(c, MSG_WARN, "status not changed (an override needs a reason)");
    } else {
        wr_opctx o = {c->st, c->actor, "tui", 0};
        wr_write w;
        wr_error err = {0};
        if (wr_op_set(&o, c->gate_inc, "status", c->gate_status, reason, 0, 1, &w, &err) == WR_OK) {
            if (c->have_incident && c->incident.id == c->gate_inc)
                wr_op_expect(&w, c->incident.status); /* the phase the operator was asked about leaving */
            tui_submit(c, &w);
        }
        else
            tui_message(c, MSG_ERROR, "%s", err.msg);
    }
    free(c->gate_status);
    c->gate_status = NULL;
}

/* ---- output ---- */

void tui_pager_show(console *c, const char *title, const char *text)
{
    pane *p = &c->panes[PANE_PAGER];
    tui_pager_set(p, title, text, &c->pager_want_h, &c->pager_want_w);
    c->pager_open = 1;
    tui_relayout(c);
}

void tui_pager_close(console *c)
{
    if (!c->pager_open)
        return;
    c->pager_open = 0;
    tui_relayout(c);
}

/* Short output to the status line, long output to the pager. */
static void show_output(console *c, const char *title, int rc, const wr_buf *out, const wr_buf *err)
{
    wr_buf all = {0};
    wr_buf_puts(&all, wr_buf_str(out));
    wr_buf_puts(&all, wr_buf_str(err));
    const char *s = wr_buf_str(&all);
    size_t len = all.len;
    while (len && s[len - 1] == '\n')
        len--;
    if (!len) {
        wr_buf_free(&all);
        return;
    }
    int lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += s[i] == '\n';
    wr_buf one = {0};
    wr_text_clean(&one, s, len, WR_TEXT_ONELINE);
    if (lines <= 2 && (int)wr_text_width(wr_buf_str(&one)) <= c->lay.cols - 30) {
        /* "note: write the note's text" + "usage: ..." fit on one line. */
        tui_message(c, rc ? MSG_ERROR : MSG_INFO, "%s", wr_buf_str(&one));
    } else {
        wr_buf t = {0};
        wr_buf_append(&t, s, len);
        tui_pager_show(c, title, wr_buf_str(&t));
        wr_buf_free(&t);
        if (rc)
            tui_message(c, MSG_ERROR, "%s failed: see the text", title);
    }
    wr_buf_free(&one);
    wr_buf_free(&all);
}

/* A free-text command whose line has an unpaired quote ("it's down"): take the quotes literally. */
static char *literal_quotes(const char *line)
{
    wr_buf b = {0};
    for (const char *p = line; *p; p++) {
        if (*p == '\'' || *p == '"' || *p == '\\')
            wr_buf_putc(&b, '\\');
        wr_buf_putc(&b, *p);
    }
    return wr_buf_steal(&b);
}

int tui_run_argv(console *c, const char *title, int argc, char **argv)
{
    wr_cmdctx x = {0};
    x.store = c->st;
    x.db_path = wr_store_path(c->st);
    x.actor = c->actor;
    x.source = "tui";
    x.wait_ms = 50;
    x.current = c->view == VIEW_ROOM ? c->inc : 0;
    x.submit = submit_hook;
    x.confirm = confirm_hook;
    x.ui = c;
    /* What the room shows: acts derived from it expect it still to be so. */
    wr_seen seen = {c->have_incident && c->view == VIEW_ROOM ? &c->incident : NULL, c->roles, c->nroles, c->steps,
                    c->nsteps};
    x.seen = &seen;
    x.runbook_dirs = c->o->runbook_dirs;
    x.nrunbook_dirs = c->o->nrunbook_dirs;
    int rc = wr_cmd_run(&x, argc, argv);
    show_output(c, title, rc, &x.out, &x.err);
    if (x.store != c->st)
        wr_store_close(x.store);
    wr_buf_free(&x.out);
    wr_buf_free(&x.err);
    return rc;
}

void tui_run_line(console *c, const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line)
        return;
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(line, " \t"), line);
    const wr_cmd *cmd = wr_cmd_find(word);
    /* "prompt TEXT": open the prompt with TEXT typed, spaces kept. */
    if (cmd && cmd->ui == WR_UI_PROMPT) {
        const char *text = line + strlen(word);
        tui_prompt_open(c, PROMPT_CMD, ":", *text ? text + 1 : "");
        return;
    }
    int argc;
    char **argv;
    wr_buf err = {0};
    if (wr_cmd_split_line(line, &argc, &argv, &err) != 0) {
        wr_tpl t;
        wr_buf te = {0};
        int text = cmd && wr_tpl_parse(cmd->args, &t, &te) == 0 && wr_tpl_has_text(&t);
        wr_buf_free(&te);
        char *lit = text ? literal_quotes(line) : NULL;
        wr_buf e2 = {0};
        if (!lit || wr_cmd_split(lit, &argc, &argv, &e2) != 0) {
            tui_message(c, MSG_ERROR, "%s", wr_buf_str(&err));
            free(lit);
            wr_buf_free(&e2);
            wr_buf_free(&err);
            return;
        }
        free(lit);
        wr_buf_free(&e2);
    }
    wr_buf_free(&err);
    if (argc == 0) {
        wr_cmd_free_argv(argc, argv);
        return;
    }
    cmd = wr_cmd_find(argv[0]);
    /* The console's own acts first (by the row's `ui`); a row with a handler as well may hand it on. */
    if (cmd && cmd->ui != WR_UI_NONE && tui_act(c, cmd, argc, argv)) {
        /* done */
    } else if (cmd && !cmd->fn) {
        tui_message(c, MSG_INFO, "%s does nothing here", cmd->name);
    } else {
        tui_run_argv(c, line, argc, argv);
    }
    wr_cmd_free_argv(argc, argv);
}
