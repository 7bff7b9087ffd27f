/* SPDX-License-Identifier: MIT */
/* pane_triage.c - the triage view: alerts awaiting triage, newest first (wr_alert_list), with source,
 * severity, count and last seen. On the selected alert the acts alert-declare, alert-attach and alert-dismiss
 * (d, a, x by default; the reason for a dismissal is asked at the prompt) run the `alert` act of the table,
 * the same code as `warroom alert declare|attach|dismiss`; back (Esc) goes back. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct priv {
    int sel, top;
    int64_t sel_id;     /* the selected alert: kept selected when the list changes */
    int64_t dismiss_id; /* the alert whose dismissal reason is being asked */
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

static void follow(console *c, priv *s)
{
    /* Keep the selection on the same alert when new ones arrive above it. */
    for (size_t i = 0; s->sel_id && i < c->nalerts; i++)
        if (c->alerts[i].id == s->sel_id) {
            s->sel = (int)i;
            break;
        }
    if (s->sel >= (int)c->nalerts)
        s->sel = c->nalerts ? (int)c->nalerts - 1 : 0;
    s->sel_id = c->nalerts ? c->alerts[s->sel].id : 0;
}

static void draw(pane *p, console *c)
{
    priv *s = p->priv;
    int h = tui_inner_h(p), w = tui_inner_w(p);
    follow(c, s);
    tui_scroll_fix(&s->sel, &s->top, (int)c->nalerts, h - 1);
    char info[96];
    snprintf(info, sizeof info, "%zu awaiting triage, %lld firing", c->nalerts, (long long)c->alerts_firing);
    tui_frame(c, p, "Triage", info, NULL, 1);
    /* The keys of the acts, as bound. */
    static const struct {
        const char *act, *what;
    } hints[] = {{"alert-declare", "declare"}, {"alert-attach", "attach"}, {"alert-dismiss", "dismiss"}, {"back", "back"}};
    wr_buf head = {0};
    wr_buf_puts(&head, "#ID    SEV   SOURCE          COUNT  LAST SEEN  TITLE");
    int any = 0;
    for (size_t i = 0; i < WR_ARRAY_LEN(hints); i++) {
        char k[32];
        if (tui_key_for(c, hints[i].act, k, sizeof k))
            wr_buf_printf(&head, "%s%s %s", any++ ? ", " : "   (", k, hints[i].what);
    }
    if (any)
        wr_buf_putc(&head, ')');
    tui_put_clean(c, p->win, 1, 1, WR_EL_MUTED, wr_buf_str(&head), w);
    wr_buf_free(&head);
    int64_t now = wr_clock_now_ms();
    for (int r = s->top; r < (int)c->nalerts && r - s->top < h - 1; r++) {
        const wr_alert_row *a = &c->alerts[r];
        int y = 2 + r - s->top, x = 1;
        int selected = r == s->sel;
        int base = selected ? WR_EL_SELECTED : WR_EL_NORMAL;
        if (selected)
            tui_fill(c, p->win, y, 1, w, WR_EL_SELECTED);
        wr_buf b = {0};
        char t[48];
        snprintf(t, sizeof t, "#%lld", (long long)a->id);
        wr_fmt_cell(&b, t, 6, 0);
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w) + 1;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, a->severity, 4, 0);
        x += tui_put(c, p->win, y, x, selected ? base : tui_sev_el(a->severity), wr_buf_str(&b), w - x + 1) + 2;
        wr_buf_reset(&b);
        wr_fmt_cell(&b, a->source, 15, 0);
        x += tui_put(c, p->win, y, x, base, wr_buf_str(&b), w - x + 1) + 1;
        wr_buf_reset(&b);
        snprintf(t, sizeof t, "x%lld", (long long)a->count);
        wr_fmt_cell(&b, t, 6, 1);
        x += tui_put_clean(c, p->win, y, x, base, wr_buf_str(&b), w - x + 1) + 1;
        char ago[32];
        wr_buf_reset(&b);
        snprintf(t, sizeof t, "%s ago", wr_duration(now - a->last_seen, ago, sizeof ago));
        wr_fmt_cell(&b, t, 10, 0);
        x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_MUTED, wr_buf_str(&b), w - x + 1) + 1;
        if (wr_alert_state_of(a->status) == WR_ALERT_RESOLVED)
            x += tui_put_clean(c, p->win, y, x, selected ? base : WR_EL_OK, "resolved ", w - x + 1);
        tui_put(c, p->win, y, x, base, a->title, w - x + 1);
        wr_buf_free(&b);
    }
    if (!c->nalerts)
        tui_put_clean(c, p->win, 2, 1, WR_EL_MUTED, "No alert is waiting for triage.", w);
}

static const wr_alert_row *selected(console *c, priv *s)
{
    follow(c, s);
    return c->nalerts ? &c->alerts[s->sel] : NULL;
}

/* Run the `alert` act's subcommand on alert #id, as `:alert ...` and `warroom alert ...` do: the store
 * applies it only while the alert is still untriaged, as the operator saw it (else it says who was first). */
static void run_alert(console *c, const char *sub, int64_t id, const char *arg, const char *value)
{
    char ref[32], title[64];
    snprintf(ref, sizeof ref, "#%lld", (long long)id);
    snprintf(title, sizeof title, "alert %s %s", sub, ref);
    char *argv[] = {"alert", (char *)sub, ref, (char *)arg, (char *)value, NULL};
    int argc = 3 + (arg != NULL) + (value != NULL);
    tui_run_argv(c, title, argc, argv);
}

static int act(pane *p, console *c, wr_ui ui)
{
    priv *s = p->priv;
    int n = (int)c->nalerts;
    if (tui_motion(ui, &s->sel, n, tui_inner_h(p) - 2)) {
        tui_scroll_fix(&s->sel, &s->top, n, tui_inner_h(p) - 1);
        s->sel_id = n ? c->alerts[s->sel].id : 0;
        p->dirty = 1;
        return 1;
    }
    if (ui == WR_UI_BACK) {
        tui_open_incident(c, c->inc);
        return 1;
    }
    if (ui != WR_UI_ALERT_DECLARE && ui != WR_UI_ALERT_ATTACH && ui != WR_UI_ALERT_DISMISS)
        return 0;
    const wr_alert_row *a = selected(c, s);
    if (!a) {
        tui_message(c, MSG_INFO, "no alert selected");
        return 1;
    }
    if (ui == WR_UI_ALERT_DECLARE) {
        run_alert(c, "declare", a->id, NULL, NULL);
    } else if (ui == WR_UI_ALERT_ATTACH) {
        if (!c->inc) {
            tui_message(c, MSG_ERROR, "no incident is shown to attach it to: open one first (L), or d declares");
            return 1;
        }
        char inc[32];
        wr_incident_ref(c->inc, inc, sizeof inc);
        run_alert(c, "attach", a->id, inc, NULL);
    } else {
        s->dismiss_id = a->id;
        wr_buf q = {0}, t = {0};
        wr_text_fit(&t, a->title, strlen(a->title), 40, 1, WR_TEXT_ONELINE);
        wr_buf_printf(&q, "Dismiss #%lld (%s)? Reason: ", (long long)a->id, wr_buf_str(&t));
        tui_prompt_open(c, PROMPT_DISMISS, wr_buf_str(&q), "");
        wr_buf_free(&q);
        wr_buf_free(&t);
    }
    return 1;
}

void tui_triage_dismiss(console *c, const char *reason)
{
    priv *s = c->panes[PANE_TRIAGE].priv;
    int64_t id = s->dismiss_id;
    s->dismiss_id = 0;
    if (!id)
        return;
    if (!reason || !*reason) {
        tui_message(c, MSG_WARN, "not dismissed (a dismissal needs a reason)");
        return;
    }
    run_alert(c, "dismiss", id, "--reason", reason);
}

static void click(pane *p, console *c, int row)
{
    priv *s = p->priv;
    if (row >= 1 && s->top + row - 1 < (int)c->nalerts) {
        s->sel = s->top + row - 1;
        s->sel_id = c->alerts[s->sel].id;
        p->dirty = 1;
    }
}

const pane_ops wr_pane_triage_ops = {
    .name = "triage",
    .open = open_,
    .draw = draw,
    .act = act,
    .click = click,
    .close = close_,
};
