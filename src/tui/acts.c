/* SPDX-License-Identifier: MIT */
/* acts.c - the console's own acts, carried out by the act table's `ui` (one switch, no names compared), and
 * the help screen generated from the act table and the key tables in force. */
#include "tui_int.h"

#include "warroom/cmd.h"
#include "warroom/keys.h"
#include "warroom/text.h"
#include "warroom/update.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wr_view tui_view(console *c)
{
    if (c->compose_open)
        return WR_VIEW_COMPOSER;
    if (c->pager_open)
        return WR_VIEW_PAGER;
    if (c->view == VIEW_LIST)
        return WR_VIEW_LIST;
    if (c->view == VIEW_TRIAGE)
        return WR_VIEW_TRIAGE;
    return WR_VIEW_ROOM;
}

int tui_asking(console *c)
{
    return c->question != Q_NONE || c->nask;
}

/* The pane the view's acts go to. */
static pane *target(console *c)
{
    switch (tui_view(c)) {
    case WR_VIEW_COMPOSER:
        return &c->panes[PANE_COMPOSE];
    case WR_VIEW_PAGER:
        return &c->panes[PANE_PAGER];
    case WR_VIEW_LIST:
        return &c->panes[PANE_LIST];
    case WR_VIEW_TRIAGE:
        return &c->panes[PANE_TRIAGE];
    default:
        return &c->panes[c->focus];
    }
}

/* ---- the help screen ---- */

typedef struct wrapout {
    wr_buf *out;
    int indent, first; /* first: the line starts where the caller left it */
} wrapout;

static void wrap_line(const char *line, size_t n, size_t w, void *ctx)
{
    (void)w;
    wrapout *o = ctx;
    if (!o->first)
        wr_buf_printf(o->out, "%*s", o->indent, "");
    o->first = 0;
    wr_buf_printf(o->out, "%.*s\n", (int)n, line);
}

/* text wrapped to width, every line but the first indented by `indent` (the first goes on where the caller
 * is: at column `indent` too). */
static void wrapped(wr_buf *out, const char *text, int indent, int width)
{
    wrapout o = {out, indent, 1};
    int cols = width - indent;
    wr_text_wrap(text, (size_t)(cols > 20 ? cols : 20), wrap_line, &o);
    if (o.first)
        wr_buf_putc(out, '\n');
}

/* The commands of the `:` line, laid out for the pager's width: "name  form  summary" on one line when they
 * fit (160 columns), else the name and its forms, then the summary on an indented line (80 columns). */
static void help_commands(wr_buf *out, int width)
{
    enum { NAME = 12, FORM = 44 };
    wr_buf_puts(out, "commands (type them after :)\n");
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (!(cmd->flags & WR_CMD_PROMPT))
            continue;
        wr_tpl t;
        wr_buf e = {0};
        if (wr_tpl_parse(cmd->args, &t, &e) != 0)
            t.nf = 0;
        wr_buf_free(&e);
        const char *first = t.nf ? t.f[0].text : "";
        int one_line = (int)strlen(first) <= FORM && 2 + NAME + FORM + 1 + (int)strlen(cmd->summary) <= width;
        wr_buf_printf(out, "  %-*s", NAME - 1, cmd->name);
        wr_buf_putc(out, ' ');
        if (one_line) {
            /* Wide: the first form and the summary share a line, the other forms follow under the first. */
            wr_buf_printf(out, "%-*s ", FORM, first);
            wrapped(out, cmd->summary, 2 + NAME + FORM + 1, width);
            for (int f = 1; f < t.nf; f++) {
                wr_buf_printf(out, "%*s", 2 + NAME, "");
                wrapped(out, t.f[f].text, 2 + NAME + 2, width);
            }
            continue;
        }
        if (!t.nf || !*first)
            wr_buf_putc(out, '\n');
        for (int f = 0; f < t.nf; f++) {
            if (!*t.f[f].text)
                continue;
            if (f)
                wr_buf_printf(out, "%*s", 2 + NAME, "");
            wrapped(out, t.f[f].text, 2 + NAME + 2, width);
        }
        wr_buf_printf(out, "%*s", 2 + NAME + 2, "");
        wrapped(out, cmd->summary, 2 + NAME + 2, width);
    }
}

void tui_show_help(console *c)
{
    wr_buf b = {0}, h = {0};
    /* The pager's text width at this terminal's size (tui_pager_rect: the frame, two margins). */
    int width = c->lay.cols - 6 - 4;
    wr_view v = tui_view(c);
    if (tui_asking(c)) {
        wr_keymap_help(&b, &c->keys, WR_VIEW_QUESTION, width);
        wr_buf_putc(&b, '\n');
    }
    wr_keymap_help(&b, &c->keys, v, width);
    if (wr_view_uses_global(v)) {
        wr_buf_putc(&b, '\n');
        wr_keymap_help(&b, &c->keys, WR_VIEW_GLOBAL, width);
    }
    wr_buf_puts(&b, "\nthe other views' keys: warroom(1), KEYS, or ? in them; the config file's keys: rebinds them\n"
                    "at the : prompt (GNU readline): Tab completes, Up/Down walk the history, Esc cancels, "
                    "Enter runs\n"
                    "Ctrl-C (a signal): at the prompt drops the line, in the composer closes (the draft kept), elsewhere quits; "
                    "Ctrl-Z suspends\n\n");
    help_commands(&h, width);
    wr_buf_puts(&b, wr_buf_str(&h));
    wr_buf_puts(&b, "\nchecklist   [ ] to do   [~] in progress   [x] done   [-] skipped   [!] blocked   * mandatory\n"
                    "timeline    * pinned entry (a key moment for the postmortem)\n");
    tui_pager_show(c, "Help", wr_buf_str(&b));
    wr_buf_free(&h);
    wr_buf_free(&b);
}

/* ---- acts with arguments ---- */

static void open_incident(console *c, int argc, char **argv)
{
    int64_t id;
    wr_incident i;
    wr_error err = {0};
    if (argc != 2 || wr_incident_parse_ref(argv[1], &id) != 0) {
        tui_message(c, MSG_ERROR, "open: name one incident, e.g. :open INC-3");
    } else if (wr_incident_get(c->st, id, &i, &err) != WR_OK) {
        tui_message(c, MSG_ERROR, "open: %s", err.msg);
    } else {
        wr_incident_clear(&i);
        tui_pager_close(c);
        tui_open_incident(c, id);
    }
}

static void theme(console *c, int argc, char **argv)
{
    if (argc != 2) {
        char **names;
        size_t n;
        wr_buf b = {0};
        wr_theme_names(c->o->theme_dirs, c->o->ntheme_dirs, &names, &n);
        for (size_t i = 0; i < n; i++)
            wr_buf_printf(&b, " %s", names[i]);
        tui_message(c, MSG_INFO, "theme %s in use; themes:%s", c->theme.name, wr_buf_str(&b));
        wr_theme_names_free(names, n);
        wr_buf_free(&b);
        return;
    }
    wr_buf err = {0};
    if (wr_theme_load(&c->theme, argv[1], c->o->theme_dirs, c->o->ntheme_dirs, &err) == 0)
        tui_message(c, MSG_OK, "theme %s", c->theme.name);
    else
        tui_message(c, MSG_ERROR, "%s (using the built-in default)", wr_buf_str(&err));
    wr_buf_free(&err);
    tui_theme_apply(c);
    tui_relayout(c);
}

/* `update` with no text ([INC] [--audience A]): open the composer. 0 when the line has text (or asks for the
 * JSON template): the act's handler runs, as on the command line. */
static int compose_update(console *c, int argc, char **argv)
{
    const char *audience = "internal";
    int64_t inc = c->view == VIEW_ROOM ? c->inc : 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--audience") == 0 && i + 1 < argc) {
            audience = argv[++i];
        } else if (strncmp(argv[i], "--audience=", 11) == 0) {
            audience = argv[i] + 11;
        } else if (i == 1 && wr_incident_parse_ref(argv[i], &inc) == 0) {
            continue;
        } else {
            return 0;
        }
    }
    if (!wr_update_audience_valid(audience)) {
        tui_message(c, MSG_ERROR, "update: \"%.40s\" is not an audience: internal, executive or customer", audience);
        return 1;
    }
    if (!inc) {
        tui_message(c, MSG_ERROR, "update: open an incident first (or name one: :update INC-3)");
        return 1;
    }
    if (c->readonly) {
        tui_message(c, MSG_ERROR, "update: %s", *wr_store_readonly_reason(c->st) ? wr_store_readonly_reason(c->st)
                                                                               : "this database cannot be written");
        return 1;
    }
    tui_compose_open(c, inc, audience);
    return 1;
}

/* `replay [INC] [--speed N]`: in the timeline pane. */
static void replay(console *c, int argc, char **argv)
{
    int64_t inc = c->inc;
    double speed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--speed") == 0 && i + 1 < argc)
            v = argv[++i];
        else if (strncmp(argv[i], "--speed=", 8) == 0)
            v = argv[i] + 8;
        if (v) {
            char *end;
            speed = strtod(v, &end);
            if (*end || !(speed > 0) || speed > 1e6) {
                tui_message(c, MSG_ERROR, "replay: --speed takes a number above 0 (N times faster)");
                return;
            }
        } else if (wr_incident_parse_ref(argv[i], &inc) != 0) {
            tui_message(c, MSG_ERROR, "replay: usage: :replay [INC] [--speed N]");
            return;
        }
    }
    if (!inc) {
        tui_message(c, MSG_ERROR, "replay: name an incident (:replay INC-3)");
        return;
    }
    tui_replay_start(c, inc, speed);
}

static void answer(console *c, int yes)
{
    if (c->question != Q_NONE)
        tui_question_answer(c, yes);
    else if (c->nask)
        tui_ask_answer(c, yes);
    else
        tui_message(c, MSG_INFO, "no question is asked");
}

/* ---- the dispatch ---- */

int tui_act(console *c, const wr_cmd *cmd, int argc, char **argv)
{
    pane *t = target(c);
    switch (cmd->ui) {
    case WR_UI_NONE:
    case WR_UI_COUNT:
        return 0;
    case WR_UI_QUIT:
        if (c->pager_open)
            tui_pager_close(c); /* q closes the help first */
        else
            tui_request_quit(c); /* asks first when changes are not written yet; a second q quits */
        return 1;
    case WR_UI_REDRAW:
        clearok(curscr, TRUE);
        tui_relayout(c);
        return 1;
    case WR_UI_PROMPT:
        tui_prompt_open(c, PROMPT_CMD, ":", "");
        return 1;
    case WR_UI_HELP:
        if (argc > 1)
            return 0; /* help COMMAND: the act's handler */
        tui_show_help(c);
        return 1;
    case WR_UI_UPDATE:
        return compose_update(c, argc, argv);
    case WR_UI_REPLAY:
        replay(c, argc, argv);
        return 1;
    case WR_UI_INCIDENTS:
        tui_pager_close(c);
        tui_show_list(c);
        return 1;
    case WR_UI_TRIAGE:
        tui_pager_close(c);
        tui_show_triage(c);
        return 1;
    case WR_UI_OPEN:
        open_incident(c, argc, argv);
        return 1;
    case WR_UI_THEME:
        theme(c, argc, argv);
        return 1;
    case WR_UI_YES:
    case WR_UI_NO:
        answer(c, cmd->ui == WR_UI_YES);
        return 1;
    case WR_UI_FOCUS_NEXT:
    case WR_UI_FOCUS_PREV:
        if (tui_view(c) == WR_VIEW_ROOM) {
            int step = cmd->ui == WR_UI_FOCUS_NEXT ? 1 : WR_PANE_COUNT - 1, f = c->focus;
            /* The panes shown with a frame (the compact layout's roles line and hidden incident pane are
             * passed over; the zoom's tabs name all four). */
            for (int k = 0; k < WR_PANE_COUNT; k++) {
                f = (f + step) % WR_PANE_COUNT;
                if (c->lay.mode == WR_LAYOUT_ZOOM || wr_layout_framed(&c->lay, (wr_pane_id)f))
                    break;
            }
            tui_set_focus(c, f);
            return 1;
        }
        break;
    case WR_UI_ZOOM:
        if (tui_view(c) == WR_VIEW_ROOM) {
            c->zoom = !c->zoom;
            tui_relayout(c);
            if (!c->zoom && c->lay.mode != WR_LAYOUT_TOO_SMALL &&
                !wr_layout_framed(&c->lay, (wr_pane_id)c->focus)) {
                c->focus = WR_PANE_CHECKLIST; /* the compact layout has no frame for it */
                tui_relayout(c);
            }
            return 1;
        }
        break;
    case WR_UI_MESSAGES:
        tui_show_history(c);
        return 1;
    case WR_UI_BACK:
        if (t->ops->act && t->ops->act(t, c, WR_UI_BACK))
            return 1;
        if (c->rp) {
            tui_replay_stop(c);
            tui_message(c, MSG_INFO, "back to the live timeline");
        }
        return 1; /* nothing to go back from: nothing happens */
    case WR_UI_UP:
    case WR_UI_DOWN:
    case WR_UI_PAGE_UP:
    case WR_UI_PAGE_DOWN:
    case WR_UI_TOP:
    case WR_UI_BOTTOM:
    case WR_UI_LEFT:
    case WR_UI_RIGHT:
    case WR_UI_LINE_START:
    case WR_UI_LINE_END:
    case WR_UI_SELECT:
    case WR_UI_TICK:
    case WR_UI_TOGGLE_PIN:
    case WR_UI_FILTER:
    case WR_UI_ALERT_DECLARE:
    case WR_UI_ALERT_ATTACH:
    case WR_UI_ALERT_DISMISS:
    case WR_UI_SEND:
    case WR_UI_NEWLINE:
    case WR_UI_INSERT_TAB:
    case WR_UI_BACKSPACE:
    case WR_UI_DELETE:
    case WR_UI_WORD_LEFT:
    case WR_UI_WORD_RIGHT:
    case WR_UI_KILL_LINE:
    case WR_UI_KILL_LINE_START:
    case WR_UI_RUBOUT_WORD:
    case WR_UI_KILL_WORD_BACK:
    case WR_UI_KILL_WORD:
    case WR_UI_YANK:
    case WR_UI_AUDIENCE:
    case WR_UI_DISCARD:
        /* Acts on what the view shows: its pane (the focused one in the room) carries them out. */
        if (t->ops->act && t->ops->act(t, c, cmd->ui))
            return 1;
        break;
    }
    tui_message(c, MSG_INFO, "%s does nothing here", cmd->name);
    return 1;
}
