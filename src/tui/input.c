/* SPDX-License-Identifier: MIT */
/* input.c - keys, the mouse and bracketed pastes: what the terminal sends, turned into console acts. */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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
    wr_ui w = wheel < 0 ? WR_UI_UP : WR_UI_DOWN;
    if (c->pager_open) {
        if (wheel)
            c->panes[PANE_PAGER].ops->act(&c->panes[PANE_PAGER], c, w);
        return;
    }
    if (c->compose_open)
        return;
    if (c->view == VIEW_LIST || c->view == VIEW_TRIAGE) {
        pane *p = &c->panes[c->view == VIEW_LIST ? PANE_LIST : PANE_TRIAGE];
        if (wheel)
            p->ops->act(p, c, w);
        else if (ev.y > p->r.y && ev.y < p->r.y + p->r.h - 1)
            p->ops->click(p, c, ev.y - p->r.y - 1);
        return;
    }
    if (ev.y == c->lay.tabs.y && c->lay.tabs.h) {
        int t = wr_layout_tab_hit(&c->lay, ev.x, c->unread);
        if (t >= 0)
            tui_set_focus(c, t);
        return;
    }
    int id = wr_layout_hit(&c->lay, ev.y, ev.x);
    if (id < 0)
        return;
    if (!wr_layout_framed(&c->lay, (wr_pane_id)id)) {
        /* The compact layout's roles line: a click zooms the roles pane. */
        c->focus = id;
        c->zoom = 1;
        tui_relayout(c);
        return;
    }
    tui_set_focus(c, id);
    pane *p = &c->panes[id];
    for (int k = 0; wheel && k < 3; k++)
        p->ops->act(p, c, w);
    if (!wheel && p->ops->click && ev.y > p->r.y && ev.y < p->r.y + p->r.h - 1)
        p->ops->click(p, c, ev.y - p->r.y - 1);
}

void tui_check_size(console *c)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS))
        resizeterm(ws.ws_row, ws.ws_col);
    if (COLS != c->lay.cols || LINES != c->lay.lines)
        tui_relayout(c);
}

/* A key: the prompt (readline) takes it while open; else the key tables say which act it runs: the
 * question's while one is asked, then the view's own, then the global one (not in the composer, where a key
 * no table binds is typed). */
static void on_key(console *c, int key)
{
    if (tui_prompt_active()) {
        tui_prompt_key(c, key);
        return;
    }
    wr_view v = tui_view(c);
    const char *cmd = tui_asking(c) ? wr_keymap_lookup(&c->keys, WR_VIEW_QUESTION, key) : NULL;
    if (!cmd)
        cmd = wr_keymap_find(&c->keys, v, key);
    if (c->lay.mode == WR_LAYOUT_TOO_SMALL) {
        /* Nothing is shown: only quitting and answering work. */
        char word[32];
        snprintf(word, sizeof word, "%.*s", cmd ? (int)strcspn(cmd, " ") : 0, cmd ? cmd : "");
        const wr_cmd *row = cmd ? wr_cmd_find(word) : NULL;
        if (!row || (row->ui != WR_UI_QUIT && row->ui != WR_UI_YES && row->ui != WR_UI_NO))
            return;
    }
    if (!cmd) {
        pane *p = &c->panes[c->focus];
        if (v == WR_VIEW_COMPOSER)
            p = &c->panes[PANE_COMPOSE];
        if (p->ops->key && p->ops->key(p, c, key))
            return;
        if (key != WR_KEY_ESC && v != WR_VIEW_COMPOSER) {
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
void tui_paste_done(console *c)
{
    c->pasting = 0;
    c->paste_until = 0;
    wr_buf flat = {0};
    const char *s = wr_buf_str(&c->paste);
    int space = 0, lines = tui_prompt_takes_lines();
    for (size_t i = 0; i < c->paste.len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (lines && (ch == '\n' || ch == '\r')) {
            /* At the `:` line a paste keeps its line breaks (CR LF and a lone CR as LF): a note of several
             * lines stays one; the free text of a command is kept byte for byte (cmdline.c). */
            if (ch == '\r' && i + 1 < c->paste.len && s[i + 1] == '\n')
                continue;
            if (flat.len)
                wr_buf_putc(&flat, '\n');
            space = 0;
            continue;
        }
        if (ch < 0x20 || ch == 0x7F) {
            space = flat.len > 0;
            continue;
        }
        if (space)
            wr_buf_putc(&flat, ' ');
        space = 0;
        wr_buf_putc(&flat, (char)ch);
    }
    while (flat.len && flat.s[flat.len - 1] == '\n')
        flat.s[--flat.len] = '\0'; /* a paste's last line break: not part of the text */
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
        tui_paste_done(c);
    } else if (c->paste.len > PASTE_MAX) {
        tui_paste_done(c);
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

void tui_read_keys(console *c)
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
            tui_check_size(c);
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
                    tui_check_size(c);
            }
        }
        if (key != WR_KEY_NONE)
            on_key(c, key);
        if (c->quit)
            break;
    }
}
