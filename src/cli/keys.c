/* SPDX-License-Identifier: MIT */
/* keys.c - key names and the key table (curses-free; see keys.h). */
#include "warroom/keys.h"

#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Named keys; the first name of each key is its canonical one. */
static const struct {
    const char *name;
    int key;
} names[] = {
    {"Tab", WR_KEY_TAB},     {"BTab", WR_KEY_BTAB},     {"S-Tab", WR_KEY_BTAB},   {"Enter", WR_KEY_ENTER},
    {"Return", WR_KEY_ENTER}, {"Esc", WR_KEY_ESC},       {"Escape", WR_KEY_ESC},   {"Space", WR_KEY_SPACE},
    {"BSpace", WR_KEY_BSPACE}, {"Backspace", WR_KEY_BSPACE}, {"Up", WR_KEY_UP},    {"Down", WR_KEY_DOWN},
    {"Left", WR_KEY_LEFT},   {"Right", WR_KEY_RIGHT},   {"PgUp", WR_KEY_PGUP},    {"PageUp", WR_KEY_PGUP},
    {"PPage", WR_KEY_PGUP},  {"PgDn", WR_KEY_PGDN},     {"PageDown", WR_KEY_PGDN}, {"NPage", WR_KEY_PGDN},
    {"Home", WR_KEY_HOME},   {"End", WR_KEY_END},       {"IC", WR_KEY_IC},        {"Insert", WR_KEY_IC},
    {"DC", WR_KEY_DC},       {"Delete", WR_KEY_DC},
};

static int parse_named(const char *s)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(names); i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].key;
    if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (!*end && n >= 1 && n <= 12 && !(s[1] == '0'))
            return WR_KEY_F1 + (int)n - 1;
    }
    return WR_KEY_NONE;
}

/* One printable character making up the whole of s, or WR_KEY_NONE. */
static int parse_char(const char *s)
{
    size_t len = strlen(s);
    if (!len)
        return WR_KEY_NONE;
    uint32_t cp;
    size_t n = wr_utf8_decode(s, len, &cp);
    if (n != len || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return WR_KEY_NONE;
    if (cp == 0xFFFD && (len != 3 || memcmp(s, "\xef\xbf\xbd", 3) != 0))
        return WR_KEY_NONE; /* invalid UTF-8 */
    return (int)cp;
}

static int apply_ctrl(int key)
{
    if (key >= 'a' && key <= 'z')
        return key - 'a' + 1;
    if (key >= 'A' && key <= 'Z')
        return key - 'A' + 1;
    switch (key) {
    case '@':
    case ' ':
        return 0;
    case '[':
        return 27;
    case '\\':
        return 28;
    case ']':
        return 29;
    case '^':
        return 30;
    case '_':
        return 31;
    case '?':
        return 127;
    default:
        return WR_KEY_NONE;
    }
}

int wr_key_parse(const char *name)
{
    if (!name || !*name)
        return WR_KEY_NONE;
    int meta = 0, ctrl = 0;
    const char *s = name;
    for (;;) {
        if ((s[0] == 'M' || s[0] == 'm') && s[1] == '-' && s[2] && !meta) {
            meta = 1;
            s += 2;
        } else if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && s[2] && !ctrl) {
            ctrl = 1;
            s += 2;
        } else if (s[0] == '^' && s[1] && !s[2] && !ctrl) {
            ctrl = 1;
            s += 1;
        } else {
            break;
        }
    }
    int key = parse_char(s);
    if (key == WR_KEY_NONE)
        key = parse_named(s);
    if (key == WR_KEY_NONE)
        return WR_KEY_NONE;
    if (ctrl) {
        /* C-Space is the only named key with a control form. */
        key = apply_ctrl(key);
        if (key == WR_KEY_NONE)
            return WR_KEY_NONE;
    }
    return meta ? key | WR_KEY_META : key;
}

char *wr_key_name(int key, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = '\0';
    if (key < 0) {
        snprintf(buf, size, "?");
        return buf;
    }
    const char *meta = "";
    if (key & WR_KEY_META) {
        meta = "M-";
        key &= ~WR_KEY_META;
    }
    for (size_t i = 0; i < WR_ARRAY_LEN(names); i++)
        if (names[i].key == key) {
            snprintf(buf, size, "%s%s", meta, names[i].name);
            return buf;
        }
    if (key >= WR_KEY_F1 && key <= WR_KEY_F12) {
        snprintf(buf, size, "%sF%d", meta, key - WR_KEY_F1 + 1);
    } else if (key == 0) {
        snprintf(buf, size, "%sC-Space", meta);
    } else if (key >= 1 && key <= 26) {
        snprintf(buf, size, "%sC-%c", meta, 'a' + key - 1);
    } else if (key >= 28 && key <= 31) {
        snprintf(buf, size, "%sC-%c", meta, "\\]^_"[key - 28]);
    } else if (key >= 0x7F && key <= 0x9F) {
        snprintf(buf, size, "%sU+%04X", meta, (unsigned)key); /* never a raw control in a name */
    } else if (key <= 0x10FFFF && !(key >= 0xD800 && key <= 0xDFFF)) {
        wr_buf b = {0};
        wr_utf8_put(&b, (uint32_t)key);
        snprintf(buf, size, "%s%s", meta, wr_buf_str(&b));
        wr_buf_free(&b);
    } else {
        snprintf(buf, size, "?");
    }
    return buf;
}

/* ---- views ---- */

const char *const wr_view_names[WR_VIEW_COUNT] = {"global", "room", "list", "triage", "pager", "composer",
                                                  "question"};
const char *const wr_view_titles[WR_VIEW_COUNT] = {
    "everywhere (but the composer), unless the view binds the key",
    "in the war room",
    "in the incident list",
    "in the triage view",
    "in the pager (help, long output)",
    "in the update composer (other printable keys are typed)",
    "while a yes/no question is asked (other keys act as usual)",
};

int wr_view_parse(const char *name)
{
    for (int v = 0; v < WR_VIEW_COUNT; v++)
        if (strcmp(name, wr_view_names[v]) == 0)
            return v;
    return -1;
}

int wr_view_uses_global(wr_view v)
{
    return v != WR_VIEW_GLOBAL && v != WR_VIEW_COMPOSER;
}

/* ---- the default bindings ---- */

#define G WR_VIEW_GLOBAL
#define R WR_VIEW_ROOM
#define L WR_VIEW_LIST
#define T WR_VIEW_TRIAGE
#define P WR_VIEW_PAGER
#define C WR_VIEW_COMPOSER
#define Q WR_VIEW_QUESTION
const wr_keybind wr_default_keys[] = {
    {G, ":", "prompt"},
    {G, "?", "help"},
    {G, "q", "quit"},
    {G, "k", "up"},
    {G, "Up", "up"},
    {G, "j", "down"},
    {G, "Down", "down"},
    {G, "PgUp", "page-up"},
    {G, "PgDn", "page-down"},
    {G, "Home", "top"},
    {G, "g", "top"},
    {G, "End", "bottom"},
    {G, "G", "bottom"},
    {G, "Enter", "select"},
    {G, "n", "prompt note -- "},
    {G, "a", "prompt assign "},
    {G, "s", "prompt severity "},
    {G, "S", "prompt status "},
    {G, "D", "prompt declare "},
    {G, "L", "incidents"},
    {G, "T", "triage"},
    {G, "U", "update"},
    {G, "C-l", "redraw"},
    {G, "M", "messages"},

    {R, "Tab", "focus-next"},
    {R, "BTab", "focus-prev"},
    {R, "Space", "tick"},
    {R, "p", "toggle-pin"},
    {R, "Esc", "back"},
    {R, "z", "zoom"},

    {L, "/", "filter"},
    {L, "Space", "select"},
    {L, "Esc", "back"},

    {T, "d", "alert-declare"},
    {T, "a", "alert-attach"},
    {T, "x", "alert-dismiss"},
    {T, "Esc", "back"},

    {P, "q", "back"},
    {P, "Esc", "back"},
    {P, "Space", "page-down"},

    {C, "C-d", "send"},
    {C, "Esc", "back"},
    {C, "Enter", "newline"},
    {C, "Tab", "insert-tab"},
    {C, "BSpace", "backspace"},
    {C, "C-h", "backspace"},
    {C, "DC", "delete"},
    {C, "Left", "left"},
    {C, "Right", "right"},
    {C, "Up", "up"},
    {C, "Down", "down"},
    {C, "Home", "line-start"},
    {C, "End", "line-end"},
    {C, "PgUp", "page-up"},
    {C, "PgDn", "page-down"},
    {C, "C-a", "line-start"},
    {C, "C-e", "line-end"},
    {C, "C-b", "left"},
    {C, "C-f", "right"},
    {C, "M-b", "word-left"},
    {C, "M-f", "word-right"},
    {C, "C-k", "kill-line"},
    {C, "C-u", "kill-line-start"},
    {C, "C-w", "rubout-word"},
    {C, "M-BSpace", "kill-word-back"},
    {C, "M-d", "kill-word"},
    {C, "C-y", "yank"},
    {C, "C-t", "audience"},
    {C, "C-x", "discard"},

    {Q, "y", "answer-yes"},
    {Q, "Y", "answer-yes"},
    {Q, "n", "answer-no"},
    {Q, "N", "answer-no"},
    {Q, "Esc", "answer-no"},
};
#undef G
#undef R
#undef L
#undef T
#undef P
#undef C
#undef Q
const size_t wr_ndefault_keys = WR_ARRAY_LEN(wr_default_keys);

/* The act a command line runs ("prompt note -- " runs note), as the word's length at *word. */
static size_t line_act(const char *line, const char **word)
{
    if (strncmp(line, "prompt ", 7) == 0)
        line += 7;
    *word = line;
    return strcspn(line, " ");
}

void wr_keys_of_cmd(wr_buf *out, const wr_cmd *cmd)
{
    int groups = 0;
    for (int v = 0; v < WR_VIEW_COUNT; v++) {
        int inview = 0;
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            if (wr_default_keys[i].view != (wr_view)v)
                continue;
            const char *word;
            size_t n = line_act(wr_default_keys[i].command, &word);
            if (strlen(cmd->name) != n || strncmp(word, cmd->name, n) != 0)
                continue;
            if (!inview++) {
                wr_buf_puts(out, groups++ ? "; " : "  keys: ");
                if (v != WR_VIEW_GLOBAL)
                    wr_buf_printf(out, "%s: ", wr_view_names[v]);
            } else {
                wr_buf_puts(out, ", ");
            }
            wr_buf_puts(out, wr_default_keys[i].key);
        }
    }
    if (groups)
        wr_buf_putc(out, '\n');
}

/* ---- the key table ---- */

static void suggest_key(const char *bad, wr_buf *err)
{
    const char *cands[WR_ARRAY_LEN(names)];
    for (size_t i = 0; i < WR_ARRAY_LEN(names); i++)
        cands[i] = names[i].name;
    const char *s = wr_suggest(bad, cands, WR_ARRAY_LEN(names));
    if (s)
        wr_buf_printf(err, " (did you mean %s?)", s);
}

/* The command line must start with a command the console can run. 0 or -1 with the reason in err. */
static int check_command(const char *name, const char *line, wr_buf *err)
{
    size_t n = strcspn(line, " \t");
    char *word = wr_xstrndup(line, n);
    const wr_cmd *cmd = wr_cmd_find(word);
    int ok = cmd && (cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI));
    if (!ok) {
        const char *cands[128];
        size_t nc = 0;
        for (size_t i = 0; i < wr_ncmds && nc < 128; i++)
            if (wr_cmds[i].flags & (WR_CMD_PROMPT | WR_CMD_UI))
                cands[nc++] = wr_cmds[i].name;
        const char *s = wr_suggest(word, cands, nc);
        wr_buf_printf(err, "key '%s': \"%s\" is not a console command%s%s%s\n", name, word,
                      s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
    }
    free(word);
    return ok ? 0 : -1;
}

int wr_keymap_bind(wr_keymap *m, wr_view view, const char *key_name, const char *command, wr_buf *err)
{
    int key = wr_key_parse(key_name);
    if (key == WR_KEY_NONE) {
        wr_buf_printf(err, "key '%s': not a key name", key_name);
        suggest_key(key_name, err);
        wr_buf_puts(err, "; the key names are in warroom(1), KEYS\n");
        return -1;
    }
    while (*command == ' ' || *command == '\t')
        command++;
    int unbind = !*command || strcmp(command, "none") == 0 || strcmp(command, "-") == 0;
    if (!unbind && view == WR_VIEW_COMPOSER && key >= 0x20 && !(key & WR_KEY_META) && key <= 0x10FFFF &&
        key != WR_KEY_BSPACE) {
        wr_buf_printf(err, "key '%s': in the composer a character is text; bind a control key (C-x), M-x or a "
                           "named key there\n", key_name);
        return -1;
    }
    if (!unbind && check_command(key_name, command, err) != 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].key != key || m->v[i].view != view)
            continue;
        free(m->v[i].command);
        if (unbind) {
            memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof *m->v);
            m->n--;
        } else {
            m->v[i].command = wr_xstrdup(command);
        }
        return 0;
    }
    if (unbind)
        return 0;
    m->v = wr_xreallocarray(m->v, m->n + 1, sizeof *m->v);
    m->v[m->n].view = view;
    m->v[m->n].key = key;
    m->v[m->n].command = wr_xstrdup(command);
    m->n++;
    return 0;
}

int wr_keymap_load(wr_keymap *m, const wr_keybind *defs, size_t ndefs, char *const *views, char *const *knames,
                   char *const *commands, size_t n, wr_buf *err)
{
    for (size_t i = 0; i < ndefs; i++)
        if (wr_keymap_bind(m, defs[i].view, defs[i].key, defs[i].command, err) != 0)
            wr_die("bad default key binding %s -> %s", defs[i].key, defs[i].command);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        int v = views && views[i] && *views[i] ? wr_view_parse(views[i]) : WR_VIEW_GLOBAL;
        if (v < 0) {
            const char *s = wr_suggest(views[i], wr_view_names, WR_VIEW_COUNT);
            wr_buf_printf(err, "keys: \"%s\" is not a view%s%s%s (views: global, room, list, triage, pager, "
                               "composer, question)\n", views[i], s ? " (did you mean " : "", s ? s : "",
                          s ? "?)" : "");
            bad++;
            continue;
        }
        if (wr_keymap_bind(m, (wr_view)v, knames[i], commands[i], err) != 0)
            bad++;
    }
    return bad;
}

const char *wr_keymap_lookup(const wr_keymap *m, wr_view view, int key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].key == key && m->v[i].view == view)
            return m->v[i].command;
    return NULL;
}

const char *wr_keymap_find(const wr_keymap *m, wr_view view, int key)
{
    const char *line = wr_keymap_lookup(m, view, key);
    if (!line && wr_view_uses_global(view))
        line = wr_keymap_lookup(m, WR_VIEW_GLOBAL, key);
    return line;
}

void wr_keymap_free(wr_keymap *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].command);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

/* ---- keys described: the help screen, the README ---- */

void wr_keys_describe_line(wr_buf *out, const char *line)
{
    if (strncmp(line, "prompt ", 7) == 0 && line[7]) {
        wr_buf_printf(out, "open the : command line with \"%s\" typed", line + 7);
        return;
    }
    const char *word;
    size_t n = line_act(line, &word);
    char *name = wr_xstrndup(word, n);
    const wr_cmd *cmd = wr_cmd_find(name);
    free(name);
    if (cmd)
        wr_buf_puts(out, cmd->summary);
}

enum { KEYCOL = 8, CMDCOL = 22 };

static void indented_line(const char *line, size_t n, size_t w, void *ctx)
{
    (void)w;
    wr_buf_printf(ctx, "  %-*s %.*s\n", KEYCOL, "", (int)n, line);
}

void wr_keymap_help(wr_buf *out, const wr_keymap *m, wr_view view, int width)
{
    /* One line per key when the longest fits. */
    size_t widest = 0, count = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].view != view)
            continue;
        wr_buf d = {0};
        wr_keys_describe_line(&d, m->v[i].command);
        size_t cmdw = wr_text_width(m->v[i].command);
        size_t w = 2 + KEYCOL + 1 + (cmdw > CMDCOL ? cmdw : CMDCOL) + 1 + wr_text_width(wr_buf_str(&d));
        if (w > widest)
            widest = w;
        count++;
        wr_buf_free(&d);
    }
    if (!count)
        return;
    int one_line = (int)widest <= width;
    wr_buf_printf(out, "keys %s (%s)\n", wr_view_titles[view], wr_view_names[view]);
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].view != view)
            continue;
        char name[32];
        wr_key_name(m->v[i].key, name, sizeof name);
        wr_buf d = {0};
        wr_keys_describe_line(&d, m->v[i].command);
        if (one_line)
            wr_buf_printf(out, "  %-*s %-*s %s\n", KEYCOL, name, CMDCOL, m->v[i].command, wr_buf_str(&d));
        else {
            /* The description under the command, wrapped to the width left. */
            wr_buf_printf(out, "  %-*s %s\n", KEYCOL, name, m->v[i].command);
            int cols = width - (2 + KEYCOL + 1);
            wr_text_wrap(wr_buf_str(&d), (size_t)(cols > 20 ? cols : 20), indented_line, out);
        }
        wr_buf_free(&d);
    }
}

/* Markdown cell text: backticks around code, pipes escaped. */
static void md_code(wr_buf *out, const char *s)
{
    int tick = strchr(s, '`') != NULL;
    wr_buf_puts(out, tick ? "`` " : "`");
    for (; *s; s++) {
        if (*s == '|')
            wr_buf_putc(out, '\\');
        wr_buf_putc(out, *s);
    }
    wr_buf_puts(out, tick ? " ``" : "`");
}

void wr_keys_markdown(wr_buf *out)
{
    wr_buf_puts(out, "| view | key | command | what it does |\n| --- | --- | --- | --- |\n");
    for (int v = 0; v < WR_VIEW_COUNT; v++)
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            const wr_keybind *k = &wr_default_keys[i];
            if (k->view != (wr_view)v)
                continue;
            wr_buf_printf(out, "| %s | ", wr_view_names[v]);
            md_code(out, k->key);
            wr_buf_puts(out, " | ");
            md_code(out, k->command);
            wr_buf_puts(out, " | ");
            wr_buf d = {0};
            wr_keys_describe_line(&d, k->command);
            for (const char *p = wr_buf_str(&d); *p; p++) {
                if (*p == '|')
                    wr_buf_putc(out, '\\');
                wr_buf_putc(out, *p);
            }
            wr_buf_free(&d);
            wr_buf_puts(out, " |\n");
        }
}
