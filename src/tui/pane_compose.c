/* SPDX-License-Identifier: MIT */
/* pane_compose.c - the update composer: a popup editor pre-filled with the CAN template (wr_update_template).
 * Its acts (the composer's key table: arrows, Home/End, Backspace/Delete edit, Enter starts a new line,
 * Ctrl-D sends: records the update and sends it through the configured update command, run without blocking
 * from the console's ppoll loop; Esc goes back, cancelling); a character no table binds is typed.
 * The text lives in c->ed (compose.h, no curses). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/policy.h"
#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int top; /* first line shown */
} priv;

static void open_(pane *p)
{
    p->priv = wr_xcalloc(1, sizeof(priv));
}

static void close_(pane *p)
{
    free(p->priv);
    p->priv = NULL;
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    char ref[32], title[96];
    wr_incident_ref(c->compose_inc, ref, sizeof ref);
    snprintf(title, sizeof title, "Update to %s on %s", c->compose_aud, ref);
    /* The keys of send and back, as bound ("C-d" is shown Ctrl-D). */
    char k1[32], k2[32], info[64] = "", foot[64] = "";
    const char *ks = tui_key_for(c, "send", k1, sizeof k1), *kb = tui_key_for(c, "back", k2, sizeof k2);
    if (ks && ks[0] == 'C' && ks[1] == '-' && ks[2] >= 'a' && ks[2] <= 'z' && !ks[3])
        snprintf(info, sizeof info, "Ctrl-%c: %s", ks[2] - 'a' + 'A',
                 wr_policy_update_command() ? "record and send" : "record");
    else if (ks)
        snprintf(info, sizeof info, "%s: %s", ks, wr_policy_update_command() ? "record and send" : "record");
    if (kb)
        snprintf(foot, sizeof foot, "%s: cancel", kb);
    tui_frame(c, p, title, info, foot, 1);
    int line, col;
    wr_edit_cursor(&c->ed, &line, &col);
    if (line < s->top)
        s->top = line;
    if (line >= s->top + h)
        s->top = line - h + 1;
    const char *t = wr_buf_str(&c->ed.text);
    int cy = 1, cx = 1;
    int k = 0;
    for (const char *l = t;; k++) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (k >= s->top && k < s->top + h) {
            char *one = wr_xstrndup(l, len);
            tui_put(c, p->win, 1 + k - s->top, 1, WR_EL_POPUP, one, w);
            free(one);
            if (k == line) {
                /* The cursor's display column: the width of the line's text before it, as drawn. */
                size_t ls = (size_t)(l - t);
                wr_buf pre = {0};
                wr_text_clean(&pre, l, c->ed.cur - ls, WR_TEXT_ONELINE);
                int x = (int)wr_text_width(wr_buf_str(&pre));
                wr_buf_free(&pre);
                cy = 1 + k - s->top;
                cx = 1 + (x < w ? x : w - 1);
            }
        }
        if (!nl)
            break;
        l = nl + 1;
    }
    leaveok(p->win, FALSE);
    wmove(p->win, cy, cx);
}

static void send(console *c)
{
    const char *text = wr_buf_str(&c->ed.text);
    size_t n = strspn(text, " \t\n");
    if (!text[n]) {
        tui_message(c, MSG_ERROR, "the update is empty: write it, or Esc to cancel");
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
    tui_compose_close(c);
    tui_submit(c, &w);
}

static int act(pane *p, console *c, wr_ui ui)
{
    switch (ui) {
    case WR_UI_BACK:
        tui_compose_close(c);
        tui_message(c, MSG_INFO, "update cancelled (nothing recorded)");
        return 1;
    case WR_UI_SEND:
        send(c);
        return 1;
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
    case WR_UI_UP:
        wr_edit_move(&c->ed, WR_EDIT_UP);
        break;
    case WR_UI_DOWN:
        wr_edit_move(&c->ed, WR_EDIT_DOWN);
        break;
    case WR_UI_LINE_START:
        wr_edit_move(&c->ed, WR_EDIT_HOME);
        break;
    case WR_UI_LINE_END:
        wr_edit_move(&c->ed, WR_EDIT_END);
        break;
    case WR_UI_PAGE_UP:
        for (int i = 0; i < tui_inner_h(p) - 1; i++)
            wr_edit_move(&c->ed, WR_EDIT_UP);
        break;
    case WR_UI_PAGE_DOWN:
        for (int i = 0; i < tui_inner_h(p) - 1; i++)
            wr_edit_move(&c->ed, WR_EDIT_DOWN);
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
    char *text = NULL;
    wr_error err = {0};
    if (wr_update_template(c->st, inc, audience, &text, &err) != WR_OK) {
        tui_message(c, MSG_ERROR, "update: %s", err.msg);
        return;
    }
    wr_edit_set(&c->ed, text);
    free(text);
    c->ed.cur = 0;
    snprintf(c->compose_aud, sizeof c->compose_aud, "%s", audience);
    c->compose_inc = inc;
    c->compose_open = 1;
    ((priv *)c->panes[PANE_COMPOSE].priv)->top = 0;
    tui_pager_close(c);
    tui_relayout(c);
}

void tui_compose_close(console *c)
{
    if (!c->compose_open)
        return;
    c->compose_open = 0;
    tui_relayout(c);
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
