/* SPDX-License-Identifier: MIT */
/* keys.h - key names and the console's key table (no curses here).
 *
 * A key is an int: a Unicode code point for a character (control keys are their C0 code, so C-l is 12, Tab
 * is 9 and Enter is 13), or one of the WR_KEY_* codes above Unicode for the keys that have no character.
 * WR_KEY_META may be or'ed in (Alt/Meta held, "M-x"). The console maps curses' key codes to these; names
 * parse and print without a terminal, so key bindings from the config file are checked and tested here.
 *
 * Key names (the same spellings as tmux where they exist; named keys are case-insensitive):
 *   a single character              q  ?  G  :  é
 *   Tab BTab Enter Esc Space BSpace the keys with a control character (BTab is Shift-Tab; S-Tab works too)
 *   Up Down Left Right PgUp PgDn Home End IC DC F1..F12
 *                                   (also PageUp/PageDown/NPage/PPage, Insert, Delete, Return, Escape)
 *   C-x                             Control with a letter or one of @ [ \ ] ^ _ ("C-Space" is C-@);
 *                                   ^x means the same
 *   M-x                             Meta (Alt) with any other key: M-x, M-Enter, M-C-l
 */
#ifndef WARROOM_KEYS_H
#define WARROOM_KEYS_H

#include <stddef.h>

#include "warroom/cmd.h"
#include "warroom/util.h"

enum {
    WR_KEY_NONE = -1,
    WR_KEY_CTRL_SPACE = 0,
    WR_KEY_TAB = 9,
    WR_KEY_ENTER = 13,
    WR_KEY_ESC = 27,
    WR_KEY_SPACE = 32,
    WR_KEY_BSPACE = 127,
    WR_KEY_UP = 0x110000,
    WR_KEY_DOWN,
    WR_KEY_LEFT,
    WR_KEY_RIGHT,
    WR_KEY_PGUP,
    WR_KEY_PGDN,
    WR_KEY_HOME,
    WR_KEY_END,
    WR_KEY_BTAB,
    WR_KEY_IC,
    WR_KEY_DC,
    WR_KEY_F1,
    WR_KEY_F12 = WR_KEY_F1 + 11,
    WR_KEY_LAST = WR_KEY_F12,
};
#define WR_KEY_META 0x200000

/* Parse a key name. Returns the key, or WR_KEY_NONE when the name is not one. */
int wr_key_parse(const char *name);
/* The canonical name of key ("C-l", "Tab", "M-x", "é") into buf; returns buf. */
char *wr_key_name(int key, char *buf, size_t size);

/* The console's views: each has its own key table. A key is looked up in the table of the view shown (the
 * question's first while a yes/no question is asked), then, for the views that use it, in the global table.
 * The composer is text entry: a key neither it nor anything else binds is typed. */
typedef enum wr_view {
    WR_VIEW_GLOBAL,   /* "global": every view but the composer, unless the view binds the key itself */
    WR_VIEW_ROOM,     /* "room": the war room's panes */
    WR_VIEW_LIST,     /* "list": the incident list (L) */
    WR_VIEW_TRIAGE,   /* "triage": the alerts awaiting triage (T) */
    WR_VIEW_PAGER,    /* "pager": help and long output over the other views */
    WR_VIEW_COMPOSER, /* "composer": the update composer (U) */
    WR_VIEW_QUESTION, /* "question": a yes/no question in the status line, over any view */
    WR_VIEW_COUNT
} wr_view;
extern const char *const wr_view_names[WR_VIEW_COUNT];
/* What a view is, for headings ("in the triage view"). */
extern const char *const wr_view_titles[WR_VIEW_COUNT];
/* The view named name, or -1. */
int wr_view_parse(const char *name);
/* 1 when keys the view does not bind are looked up in the global table (all views but the composer and the
 * global table itself; the question falls back to the view under it, which the console looks up next). */
int wr_view_uses_global(wr_view v);

/* Default key bindings: in view, key name -> command line. "prompt TEXT" opens the `:` prompt holding TEXT. */
typedef struct wr_keybind {
    wr_view view;
    const char *key;     /* "n", "C-l", "Tab", "BTab", "Enter", "Space", "Up", "Down", "PgUp", "PgDn", ... */
    const char *command; /* "prompt note -- ", "focus-next", "tick" */
} wr_keybind;
extern const wr_keybind wr_default_keys[];
extern const size_t wr_ndefault_keys;

/* The keys bound to cmd by default, as a line "  keys: n, C-l (triage: d)\n" appended to out (nothing when
 * none). */
void wr_keys_of_cmd(wr_buf *out, const wr_cmd *cmd);

/* The key tables: per view, key -> command line, in the order bindings were first made. */
typedef struct wr_keymap {
    struct wr_keymap_entry {
        wr_view view;
        int key;
        char *command;
    } *v;
    size_t n;
} wr_keymap;

/* Bind key_name to command in view (replacing an earlier binding of that key there); an empty command,
 * "none" or "-" unbinds. The command line's first word must name a command usable in the console (`prompt`
 * takes any text after it). In the composer a printable key is text and cannot be bound. 0 ok; -1 with one
 * line "key 'x': why\n" appended to err (unknown key names and commands get a did-you-mean). */
int wr_keymap_bind(wr_keymap *m, wr_view view, const char *key_name, const char *command, wr_buf *err);
/* The defaults, then the overrides (parallel arrays, e.g. wr_config's keys:; views[i] NULL or "" is the
 * global table). A bad override (unknown view, key or act) is reported in err and changes nothing; the rest
 * still apply. Returns the number of bad entries. */
int wr_keymap_load(wr_keymap *m, const wr_keybind *defs, size_t ndefs, char *const *views, char *const *names,
                   char *const *commands, size_t n, wr_buf *err);
/* The command line bound to key in view's own table, or NULL. */
const char *wr_keymap_lookup(const wr_keymap *m, wr_view view, int key);
/* The same, then in the global table when the view uses it. */
const char *wr_keymap_find(const wr_keymap *m, wr_view view, int key);
void wr_keymap_free(wr_keymap *m);

/* What a command line does, in words: the act's summary, or "open the : command line with `note -- `
 * typed" for a prompt line; "" for an unknown act. */
void wr_keys_describe_line(wr_buf *out, const char *line);
/* The help screen's keys of one view's own table, generated: a heading, then a line per key. width is the
 * text width the screen has: when every key fits on one line ("  KEY  COMMAND  WHAT IT DOES"), so it is laid
 * out; otherwise the description goes on an indented line of its own. Nothing when the view binds nothing. */
void wr_keymap_help(wr_buf *out, const wr_keymap *m, wr_view view, int width);
/* The default key tables as a Markdown table (the README's and docs/console.md's, `warroom help --keys`). */
void wr_keys_markdown(wr_buf *out);

#endif
