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

/* ---- the default bindings ---- */

const wr_keybind wr_default_keys[] = {
    {":", "prompt"},
    {"?", "help"},
    {"q", "quit"},
    {"Tab", "focus-next"},
    {"BTab", "focus-prev"},
    {"k", "up"},
    {"Up", "up"},
    {"j", "down"},
    {"Down", "down"},
    {"PgUp", "page-up"},
    {"PgDn", "page-down"},
    {"Home", "top"},
    {"g", "top"},
    {"End", "bottom"},
    {"G", "bottom"},
    {"Enter", "select"},
    {"Space", "tick"},
    {"p", "toggle-pin"},
    {"n", "prompt note -- "},
    {"a", "prompt assign "},
    {"s", "prompt severity "},
    {"S", "prompt status "},
    {"D", "prompt declare "},
    {"L", "incidents"},
    {"T", "triage"},
    {"U", "update"},
    {"C-l", "redraw"},
};
const size_t wr_ndefault_keys = WR_ARRAY_LEN(wr_default_keys);

void wr_keys_of_cmd(wr_buf *out, const wr_cmd *cmd)
{
    int any = 0;
    for (size_t i = 0; i < wr_ndefault_keys; i++) {
        const char *line = wr_default_keys[i].command;
        size_t n = strcspn(line, " ");
        if (strncmp(line, "prompt ", 7) == 0) {
            line += 7;
            n = strcspn(line, " ");
        }
        if (strlen(cmd->name) != n || strncmp(line, cmd->name, n) != 0)
            continue;
        wr_buf_printf(out, "%s%s", any++ ? ", " : "  keys: ", wr_default_keys[i].key);
    }
    if (any)
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

int wr_keymap_bind(wr_keymap *m, const char *key_name, const char *command, wr_buf *err)
{
    int key = wr_key_parse(key_name);
    if (key == WR_KEY_NONE) {
        wr_buf_printf(err, "key '%s': not a key name", key_name);
        suggest_key(key_name, err);
        wr_buf_puts(err, "; see docs/console.md for key names\n");
        return -1;
    }
    while (*command == ' ' || *command == '\t')
        command++;
    int unbind = !*command || strcmp(command, "none") == 0 || strcmp(command, "-") == 0;
    if (!unbind && check_command(key_name, command, err) != 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        if (m->v[i].key != key)
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
    m->v[m->n].key = key;
    m->v[m->n].command = wr_xstrdup(command);
    m->n++;
    return 0;
}

int wr_keymap_load(wr_keymap *m, const wr_keybind *defs, size_t ndefs, char *const *knames,
                   char *const *commands, size_t n, wr_buf *err)
{
    for (size_t i = 0; i < ndefs; i++)
        if (wr_keymap_bind(m, defs[i].key, defs[i].command, err) != 0)
            wr_die("bad default key binding %s -> %s", defs[i].key, defs[i].command);
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        if (wr_keymap_bind(m, knames[i], commands[i], err) != 0)
            bad++;
    return bad;
}

const char *wr_keymap_lookup(const wr_keymap *m, int key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].key == key)
            return m->v[i].command;
    return NULL;
}

void wr_keymap_free(wr_keymap *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].command);
    free(m->v);
    m->v = NULL;
    m->n = 0;
}
