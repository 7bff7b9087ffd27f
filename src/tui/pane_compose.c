/* SPDX-License-Identifier: MIT */
/* pane_compose.c - the update composer: a popup editor pre-filled with the CAN template (wr_update_template),
 * or with the operator's draft for that incident and audience (draft.h). Its acts (the composer's key table:
 * arrows, Home/End, Backspace/Delete and readline's Ctrl-A/E/B/F/K/U/W/Y, Alt-B/F/D/Backspace edit, Enter
 * starts a new line, Ctrl-T switches the audience, Ctrl-D records the update and sends it through the
 * configured update command, run without blocking from the console's ppoll loop; Esc closes, asking first
 * when there is a draft, which is kept; Ctrl-X throws the draft away, asking first); a character no table
 * binds is typed. Long lines wrap. The text lives in c->ed (compose.h, no curses). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/draft.h"
#include "warroom/policy.h"
#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int top;     /* first row shown */
    char *path;  /* the draft's file (draft.h) for the incident and audience shown */
    char *saved; /* the text the draft file holds (NULL: none) */
    char *tmpl;  /* the CAN template the composer started from ("" when it could not be made) */
} priv;

static priv *get(console *c)
{
    return c->panes[PANE_COMPOSE].priv;
}

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void forget(priv *s)
{
    free(s->path);
    free(s->saved);
    free(s->tmpl);
    s->path = s->saved = s->tmpl = NULL;
}

static void close_(pane *p)
{
    forget(p->priv);
    free(p->priv);
    p->priv = NULL;
}

/* The text is worth keeping: not empty, and not the template as it came. */
static int edited(console *c)
{
    priv *s = get(c);
    const char *t = wr_buf_str(&c->ed.text);
    return t[strspn(t, " \t\n")] && (!s->tmpl || strcmp(t, s->tmpl) != 0);
}

/* Keep the draft's file in step with the text (after every change: drawn right after it). */
static void keep_draft(console *c)
{
    priv *s = get(c);
    if (!s->path)
        return;
    const char *t = wr_buf_str(&c->ed.text);
    if (!edited(c)) {
        if (s->saved) {
            wr_draft_remove(s->path);
            free(s->saved);
            s->saved = NULL;
        }
        return;
    }
    if (s->saved && strcmp(s->saved, t) == 0)
        return;
    wr_buf why = {0};
    if (wr_draft_save(s->path, t, &why) == 0) {
        free(s->saved);
        s->saved = wr_xstrdup(t);
    } else {
        tui_message(c, MSG_ERROR, "update: %s", wr_buf_str(&why));
    }
    wr_buf_free(&why);
}

static const char *key_hint(console *c, const char *act, char *buf, size_t size)
{
    const char *k = tui_key_for(c, act, buf, size);
    if (k && k[0] == 'C' && k[1] == '-' && k[2] >= 'a' && k[2] <= 'z' && !k[3]) {
        char ch = (char)(k[2] - 'a' + 'A');
        snprintf(buf, size, "Ctrl-%c", ch);
        return buf;
    }
    return k;
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    keep_draft(c);
    int h = tui_inner_h(p), w = tui_inner_w(p);
    char ref[32], title[96];
    wr_incident_ref(c->compose_inc, ref, sizeof ref);
    snprintf(title, sizeof title, "Update to %s on %s", c->compose_aud, ref);
    /* The keys of send, audience and back, as bound ("C-d" is shown Ctrl-D). */
    char k1[32], k2[32], k3[32], info[96] = "", foot[96] = "";
    const char *ks = key_hint(c, "send", k1, sizeof k1), *ka = key_hint(c, "audience", k2, sizeof k2);
    const char *kb = tui_key_for(c, "back", k3, sizeof k3);
    if (ks)
        snprintf(info, sizeof info, "%s: %s", ks, wr_policy_update_command() ? "record and send" : "record");
    if (ka && w >= 60)
        snprintf(info + strlen(info), sizeof info - strlen(info), "%s%s: audience", *info ? "  " : "", ka);
    if (kb)
        snprintf(foot, sizeof foot, "%s: close%s", kb, edited(c) ? " (the draft is kept)" : "");
    tui_frame(c, p, title, info, foot, 1);
    /* Long lines wrap (at a space where one fits); the cursor's row stays in view. */
    wr_edit_row *rows;
    size_t n = wr_edit_wrap(&c->ed, w, &rows), row;
    int col;
    wr_edit_cursor_at(&c->ed, rows, n, &row, &col);
    if ((int)row < s->top)
        s->top = (int)row;
    if ((int)row >= s->top + h)
        s->top = (int)row - h + 1;
    if (s->top > 0 && s->top + h > (int)n)
        s->top = (int)n > h ? (int)n - h : 0;
    const char *t = wr_buf_str(&c->ed.text);
    for (int y = 0; y < h && s->top + y < (int)n; y++) {
        const wr_edit_row *r = &rows[s->top + y];
        char *one = wr_xstrndup(t + r->start, r->end - r->start);
        tui_put(c, p->win, 1 + y, 1, WR_EL_POPUP, one, w);
        free(one);
    }
    free(rows);
    leaveok(p->win, FALSE);
    wmove(p->win, 1 + (int)row - s->top, 1 + (col < w ? col : w - 1));
}

/* Show the draft kept for (inc, audience), else the template for that audience. */
static int load(console *c, int64_t inc, const char *audience)
{
    priv *s = get(c);
    char *text = NULL;
    wr_error err = {0};
    wr_status st = wr_update_template(c->st, inc, audience, &text, &err);
    char *path = wr_draft_path(wr_store_path(c->st), inc, audience);
    char *draft = wr_draft_load(path);
    if (st != WR_OK && !draft) {
        tui_message(c, MSG_ERROR, "update: %s", err.msg);
        free(path);
        free(text);
        return -1;
    }
    forget(s);
    s->path = path;
    s->tmpl = text ? text : wr_xstrdup("");
    s->saved = draft ? wr_xstrdup(draft) : NULL;
    wr_edit_set(&c->ed, draft ? draft : s->tmpl);
    c->ed.cur = 0; /* the top: where the operator's own words usually are */
    s->top = 0;
    snprintf(c->compose_aud, sizeof c->compose_aud, "%s", audience);
    c->compose_inc = inc;
    if (draft) {
        char k[32];
        const char *kd = key_hint(c, "discard", k, sizeof k);
        tui_message(c, MSG_INFO, "your draft of this update is back%s%s%s", kd ? " (" : "", kd ? kd : "",
                    kd ? " throws it away)" : "");
    }
    free(draft);
    return 0;
}

static void send(console *c)
{
    const char *text = wr_buf_str(&c->ed.text);
    size_t n = strspn(text, " \t\n");
    if (!text[n]) {
        tui_message(c, MSG_ERROR, "the update is empty: write it, or Esc to close");
        return;
    }
    const char *command = wr_policy_update_command();
    if (command && c->running) {
        tui_message(c, MSG_WARN, "the previous update is still being sent: wait for it, then Ctrl-D again");
        return;
    }
    wr_opctx o = {c->st, c->actor, "tui", 0};
    wr_write w;
    wr_error err = {0};
    if (wr_op_update(&o, c->compose_inc, c->compose_aud, text, &w, &err) != WR_OK) {
        tui_message(c, MSG_ERROR, "update: %s", err.msg);
        return;
    }
    if (command) {
        memcpy(c->send_uid, w.uid, sizeof c->send_uid);
        free(c->send_text);
        c->send_text = wr_xstrdup(text);
        snprintf(c->send_aud, sizeof c->send_aud, "%s", c->compose_aud);
        c->send_inc = c->compose_inc;
    }
    /* Recorded (or queued to be, never dropped: pending.h): the draft has done its work. */
    priv *s = get(c);
    if (s->path)
        wr_draft_remove(s->path);
    free(s->saved);
    s->saved = NULL;
    wr_edit_set(&c->ed, "");
    tui_compose_close(c);
    tui_submit(c, &w);
}

static void next_audience(console *c)
{
    static const char *const auds[] = {"internal", "executive", "customer"};
    size_t k = 0;
    while (k < 3 && strcmp(auds[k], c->compose_aud) != 0)
        k++;
    const char *to = auds[(k + 1) % 3];
    keep_draft(c);
    char from[16];
    snprintf(from, sizeof from, "%s", c->compose_aud);
    int kept = get(c)->saved != NULL;
    if (load(c, c->compose_inc, to) == 0 && !get(c)->saved)
        tui_message(c, MSG_INFO, "audience %s%s%s%s", to, kept ? " (the draft to " : "", kept ? from : "",
                    kept ? " is kept)" : "");
}

static int act(pane *p, console *c, wr_ui ui)
{
    int w = tui_inner_w(p);
    switch (ui) {
    case WR_UI_BACK:
    case WR_UI_DISCARD:
        if (c->question != Q_NONE) {
            /* another question is waiting (an earlier session's writes): it is answered first */
            tui_message(c, MSG_WARN, "answer the question in the status line first (y/n)");
            return 1;
        }
        break;
    default:
        break;
    }
    switch (ui) {
    case WR_UI_BACK:
        if (!edited(c)) {
            tui_compose_close(c);
            tui_message(c, MSG_INFO, "update cancelled (nothing recorded)");
        } else {
            c->question = Q_COMPOSE_CLOSE;
            c->status_dirty = 1;
        }
        return 1;
    case WR_UI_DISCARD:
        if (edited(c)) {
            c->question = Q_COMPOSE_DISCARD;
            c->status_dirty = 1;
        } else {
            tui_message(c, MSG_INFO, "no draft: the template as it came");
        }
        return 1;
    case WR_UI_SEND:
        send(c);
        return 1;
    case WR_UI_AUDIENCE:
        next_audience(c);
        break;
    case WR_UI_NEWLINE:
        wr_edit_insert(&c->ed, '\n');
        break;
    case WR_UI_INSERT_TAB: /* text as typed: a tab is kept */
        wr_edit_insert(&c->ed, '\t');
        break;
    case WR_UI_BACKSPACE:
        wr_edit_backspace(&c->ed);
        break;
    case WR_UI_DELETE:
        wr_edit_delete(&c->ed);
        break;
    case WR_UI_LEFT:
        wr_edit_move(&c->ed, WR_EDIT_LEFT);
        break;
    case WR_UI_RIGHT:
        wr_edit_move(&c->ed, WR_EDIT_RIGHT);
        break;
    case WR_UI_WORD_LEFT:
        wr_edit_move(&c->ed, WR_EDIT_WORD_LEFT);
        break;
    case WR_UI_WORD_RIGHT:
        wr_edit_move(&c->ed, WR_EDIT_WORD_RIGHT);
        break;
    case WR_UI_UP:
        wr_edit_move_rows(&c->ed, w, -1);
        break;
    case WR_UI_DOWN:
        wr_edit_move_rows(&c->ed, w, 1);
        break;
    case WR_UI_LINE_START:
        wr_edit_move(&c->ed, WR_EDIT_HOME);
        break;
    case WR_UI_LINE_END:
        wr_edit_move(&c->ed, WR_EDIT_END);
        break;
    case WR_UI_PAGE_UP:
        wr_edit_move_rows(&c->ed, w, -(tui_inner_h(p) > 2 ? tui_inner_h(p) - 1 : 1));
        break;
    case WR_UI_PAGE_DOWN:
        wr_edit_move_rows(&c->ed, w, tui_inner_h(p) > 2 ? tui_inner_h(p) - 1 : 1);
        break;
    case WR_UI_KILL_LINE:
        wr_edit_kill(&c->ed, WR_KILL_LINE_END);
        break;
    case WR_UI_KILL_LINE_START:
        wr_edit_kill(&c->ed, WR_KILL_LINE_START);
        break;
    case WR_UI_RUBOUT_WORD:
        wr_edit_kill(&c->ed, WR_KILL_BIGWORD);
        break;
    case WR_UI_KILL_WORD_BACK:
        wr_edit_kill(&c->ed, WR_KILL_WORD_BACK);
        break;
    case WR_UI_KILL_WORD:
        wr_edit_kill(&c->ed, WR_KILL_WORD_FWD);
        break;
    case WR_UI_YANK:
        wr_edit_yank(&c->ed);
        break;
    default:
        return 0;
    }
    p->dirty = 1;
    return 1;
}

/* A key the composer's table does not bind: a character is typed; other keys do nothing here. */
static int key(pane *p, console *c, int k)
{
    if (k < 0x20 || k > 0x10FFFF || k == 0x7F || (k >= 0x80 && k <= 0x9F) || (k >= 0xD800 && k <= 0xDFFF))
        return 0;
    wr_edit_insert(&c->ed, (uint32_t)k);
    p->dirty = 1;
    return 1;
}

const pane_ops wr_pane_compose_ops = {
    .name = "compose",
    .open = open_,
    .draw = draw,
    .act = act,
    .key = key,
    .close = close_,
};

void tui_compose_open(console *c, int64_t inc, const char *audience)
{
    if (c->compose_open)
        keep_draft(c);
    if (load(c, inc, audience) != 0)
        return;
    c->compose_open = 1;
    tui_pager_close(c);
    tui_relayout(c);
}

/* Closing keeps the draft (Esc asked first; Ctrl-C and a recorded update do not ask). */
void tui_compose_close(console *c)
{
    if (!c->compose_open)
        return;
    keep_draft(c);
    if (c->question == Q_COMPOSE_CLOSE || c->question == Q_COMPOSE_DISCARD)
        c->question = Q_NONE;
    if (get(c)->saved) {
        char ref[32];
        tui_message(c, MSG_INFO, "update closed: your draft to %s on %s is kept (U or :update --audience %s "
                                 "opens it again)",
                    c->compose_aud, wr_incident_ref(c->compose_inc, ref, sizeof ref), c->compose_aud);
    }
    c->compose_open = 0;
    tui_relayout(c);
}

void tui_compose_question(console *c, wr_buf *out)
{
    char ref[32], k[32];
    wr_incident_ref(c->compose_inc, ref, sizeof ref);
    if (c->question == Q_COMPOSE_CLOSE) {
        const char *kd = key_hint(c, "discard", k, sizeof k);
        wr_buf_printf(out, " close the update? y/n (your draft is kept until recorded%s%s", kd ? "; " : "",
                      kd ? kd : "");
        if (kd)
            wr_buf_puts(out, " discards it)");
        else
            wr_buf_putc(out, ')');
    } else if (c->question == Q_COMPOSE_DISCARD) {
        wr_buf_printf(out, " throw away your draft to %s on %s and start again from the template? y/n",
                      c->compose_aud, ref);
    }
}

void tui_compose_answer(console *c, int yes)
{
    int q = c->question;
    c->question = Q_NONE;
    c->status_dirty = 1;
    if (q == Q_COMPOSE_CLOSE) {
        if (yes)
            tui_compose_close(c);
        else
            tui_message(c, MSG_INFO, "back to the update");
    } else if (q == Q_COMPOSE_DISCARD) {
        priv *s = get(c);
        if (!yes) {
            tui_message(c, MSG_INFO, "the draft stays");
            return;
        }
        if (s->path)
            wr_draft_remove(s->path);
        free(s->saved);
        s->saved = NULL;
        wr_edit_set(&c->ed, s->tmpl ? s->tmpl : "");
        c->ed.cur = 0;
        s->top = 0;
        c->panes[PANE_COMPOSE].dirty = 1;
        tui_message(c, MSG_INFO, "draft thrown away: the %s template again", c->compose_aud);
    }
}

/* ---- sending: the update command, driven from the main loop ---- */

void tui_update_landed(console *c, const wr_write *w)
{
    if (!c->send_text || strcmp(w->uid, c->send_uid) != 0)
        return;
    const char *command = wr_policy_update_command();
    char *text = c->send_text;
    c->send_text = NULL;
    c->send_uid[0] = '\0';
    if (!command || c->running) {
        free(text);
        return;
    }
    wr_incident i;
    wr_error err = {0};
    char sev[16] = "";
    if (wr_incident_get(c->st, c->send_inc, &i, &err) == WR_OK) {
        snprintf(sev, sizeof sev, "%s", i.severity);
        wr_incident_clear(&i);
    } else if (c->have_incident && c->incident.id == c->send_inc) {
        snprintf(sev, sizeof sev, "%s", c->incident.severity);
    }
    char ref[32];
    char *sent = wr_update_send_text(c->st, c->send_inc, w->seq, text); /* carries the chain's head */
    wr_update_start(&c->run, command, wr_incident_ref(c->send_inc, ref, sizeof ref), c->send_aud, sev, sent,
                    wr_policy_update_timeout_ms());
    free(sent);
    free(text);
    c->running = 1;
    c->run_inc = c->send_inc;
    c->run_seq = w->seq;
    c->status_dirty = 1;
    tui_update_pump(c); /* a command that could not start is finished already */
}

int tui_update_pollfds(console *c, struct pollfd *fds)
{
    return c->running ? wr_update_pollfds(&c->run, fds) : 0;
}

int tui_update_wait_ms(console *c)
{
    return c->running ? wr_update_wait_ms(&c->run) : -1;
}

void tui_update_pump(console *c)
{
    if (!c->running || !wr_update_pump(&c->run))
        return;
    wr_opctx o = {c->st, c->actor, "tui", 0};
    wr_write w;
    wr_error err = {0};
    const wr_update_run *r = &c->run;
    int ok = !r->error[0] && !r->timed_out && r->exit_code == 0;
    char why[320];
    if (r->error[0])
        snprintf(why, sizeof why, "%s", r->error);
    else if (r->timed_out)
        snprintf(why, sizeof why, "the update command ran longer than %d s and was stopped", r->timeout_ms / 1000);
    else if (r->signal)
        snprintf(why, sizeof why, "the update command was killed by signal %d", r->signal);
    else
        snprintf(why, sizeof why, "the update command exited with %d", r->exit_code);
    wr_status s = wr_update_finish(r, &o, c->run_inc, c->run_seq, &w, &err);
    if (s == WR_OK)
        tui_submit(c, &w);
    wr_update_free(&c->run);
    c->running = 0;
    if (s != WR_OK)
        tui_message(c, MSG_ERROR, "update: %s", err.msg);
    else if (ok)
        tui_message(c, MSG_OK, "update sent (update command exited 0)");
    else
        tui_message(c, MSG_ERROR, "update recorded but NOT sent: %s", why);
    c->status_dirty = 1;
}
