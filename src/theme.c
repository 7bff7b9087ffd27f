/* SPDX-License-Identifier: MIT */
/* theme.c - console colour themes: schema, strict loader, built-ins and colour degradation (curses-free). */
#include "warroom/theme.h"

#include "warroom/text.h"
#include "warroom/yaml.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const el_names[WR_EL_COUNT] = {
    "normal",       "header",        "banner",       "status",       "pane-border",  "pane-title",
    "focus-border", "focus-title",   "selected",     "heading",      "muted",        "sev1",
    "sev2",         "sev3",          "sev4",         "sev5",         "drill",        "pinned",
    "step-done",    "step-progress", "step-blocked", "step-skipped", "mandatory",    "ok",
    "warning",      "error",         "prompt",       "popup",
};

const char *wr_theme_element_name(wr_theme_el e)
{
    return (unsigned)e < WR_EL_COUNT ? el_names[e] : NULL;
}

/* Colour names: the 16 ANSI colours, then "default". */
static const char *const color_names[] = {
    "black",        "red",        "green",        "yellow",        "blue",         "magenta",
    "cyan",         "white",      "bright-black", "bright-red",    "bright-green", "bright-yellow",
    "bright-blue",  "bright-magenta", "bright-cyan", "bright-white", "default",
};

static const char *const attr_names[] = {"bold", "dim", "reverse", "underline", "italic"};

#define D WR_COLOR_DEFAULT
#define B WR_ATTR_BOLD
#define R WR_ATTR_REVERSE
#define U WR_ATTR_UNDERLINE
#define M WR_ATTR_DIM

/* Keep in step with themes/default.yaml (a unit test compares them). */
static const wr_style builtin_default[WR_EL_COUNT] = {
    [WR_EL_NORMAL] = {D, D, 0},
    [WR_EL_HEADER] = {15, 18, B},
    [WR_EL_BANNER] = {15, 1, B},
    [WR_EL_STATUS] = {252, 236, 0},
    [WR_EL_PANE_BORDER] = {244, D, 0},
    [WR_EL_PANE_TITLE] = {D, D, B},
    [WR_EL_FOCUS_BORDER] = {6, D, B},
    [WR_EL_FOCUS_TITLE] = {0, 6, B},
    [WR_EL_SELECTED] = {D, D, R},
    [WR_EL_HEADING] = {3, D, B},
    [WR_EL_MUTED] = {245, D, 0},
    [WR_EL_SEV1] = {15, 1, B},
    [WR_EL_SEV2] = {1, D, B},
    [WR_EL_SEV3] = {3, D, B},
    [WR_EL_SEV4] = {6, D, 0},
    [WR_EL_SEV5] = {2, D, 0},
    [WR_EL_DRILL] = {0, 5, B},
    [WR_EL_PINNED] = {3, D, B},
    [WR_EL_STEP_DONE] = {2, D, 0},
    [WR_EL_STEP_PROGRESS] = {6, D, B},
    [WR_EL_STEP_BLOCKED] = {1, D, B},
    [WR_EL_STEP_SKIPPED] = {245, D, 0},
    [WR_EL_MANDATORY] = {1, D, B},
    [WR_EL_OK] = {2, D, B},
    [WR_EL_WARNING] = {3, D, B},
    [WR_EL_ERROR] = {15, 1, B},
    [WR_EL_PROMPT] = {D, D, B},
    [WR_EL_POPUP] = {D, D, 0},
};

/* Attributes only: what every theme turns into without colour. */
static const wr_style builtin_mono[WR_EL_COUNT] = {
    [WR_EL_NORMAL] = {D, D, 0},
    [WR_EL_HEADER] = {D, D, R | B},
    [WR_EL_BANNER] = {D, D, R | B},
    [WR_EL_STATUS] = {D, D, R},
    [WR_EL_PANE_BORDER] = {D, D, 0},
    [WR_EL_PANE_TITLE] = {D, D, B},
    [WR_EL_FOCUS_BORDER] = {D, D, B},
    [WR_EL_FOCUS_TITLE] = {D, D, R | B},
    [WR_EL_SELECTED] = {D, D, R},
    [WR_EL_HEADING] = {D, D, B | U},
    [WR_EL_MUTED] = {D, D, M},
    [WR_EL_SEV1] = {D, D, R | B},
    [WR_EL_SEV2] = {D, D, B | U},
    [WR_EL_SEV3] = {D, D, B},
    [WR_EL_SEV4] = {D, D, 0},
    [WR_EL_SEV5] = {D, D, 0},
    [WR_EL_DRILL] = {D, D, R},
    [WR_EL_PINNED] = {D, D, B},
    [WR_EL_STEP_DONE] = {D, D, M},
    [WR_EL_STEP_PROGRESS] = {D, D, B},
    [WR_EL_STEP_BLOCKED] = {D, D, B | U},
    [WR_EL_STEP_SKIPPED] = {D, D, M},
    [WR_EL_MANDATORY] = {D, D, B},
    [WR_EL_OK] = {D, D, B},
    [WR_EL_WARNING] = {D, D, B | U},
    [WR_EL_ERROR] = {D, D, R | B},
    [WR_EL_PROMPT] = {D, D, B},
    [WR_EL_POPUP] = {D, D, 0},
};

#undef D
#undef B
#undef R
#undef U
#undef M

void wr_theme_builtin(wr_theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    memcpy(t->el, builtin_default, sizeof t->el);
}

void wr_theme_builtin_mono(wr_theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "mono");
    memcpy(t->el, builtin_mono, sizeof t->el);
}

/* ---- loading ---- */

static int parse_color(const wr_ydoc *doc, const wr_ynode *node, const char *what, short *out, wr_buf *err)
{
    if (node->kind == WR_Y_SCALAR && !node->quoted && node->value[0] && isdigit((unsigned char)node->value[0])) {
        long long v;
        if (wr_yaml_as_int(doc, node, what, 0, 255, &v, err) != 0)
            return -1;
        *out = (short)v;
        return 0;
    }
    const char *s;
    if (wr_yaml_as_str(doc, node, what, &s, err) != 0)
        return -1;
    for (size_t i = 0; i < WR_ARRAY_LEN(color_names); i++)
        if (strcasecmp(s, color_names[i]) == 0) {
            *out = i < 16 ? (short)i : WR_COLOR_DEFAULT;
            return 0;
        }
    const char *sug = wr_suggest(s, color_names, WR_ARRAY_LEN(color_names));
    wr_buf q = {0};
    wr_yaml_describe(node, &q);
    wr_yaml_error(doc, node, err,
                  "%s is not a colour for %s%s%s%s; use a number 0-255 or one of: default, black, red, green, "
                  "yellow, blue, magenta, cyan, white, bright-black .. bright-white",
                  wr_buf_str(&q), what, sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
    wr_buf_free(&q);
    return -1;
}

static int parse_attr(const wr_ydoc *doc, const wr_ynode *node, unsigned *attrs, wr_buf *err)
{
    const char *s;
    if (wr_yaml_as_str(doc, node, "an attribute", &s, err) != 0)
        return -1;
    for (size_t i = 0; i < WR_ARRAY_LEN(attr_names); i++)
        if (strcmp(s, attr_names[i]) == 0) {
            *attrs |= 1u << i;
            return 0;
        }
    const char *sug = wr_suggest(s, attr_names, WR_ARRAY_LEN(attr_names));
    wr_buf q = {0};
    wr_text_fit(&q, s, strlen(s), 40, 1, 0);
    wr_yaml_error(doc, node, err, "unknown attribute '%s'%s%s%s; attributes: bold, dim, reverse, underline, italic",
                  wr_buf_str(&q), sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
    wr_buf_free(&q);
    return -1;
}

static int parse_style(const wr_ydoc *doc, const wr_ynode *key, const wr_ynode *node, wr_style *st, wr_buf *err)
{
    static const char *const keys[] = {"fg", "bg", "attrs"};
    char what[80];
    snprintf(what, sizeof what, "element '%s'", key->value);
    if (wr_yaml_as_map(doc, node, what, err) != 0 || wr_yaml_check_keys(doc, node, keys, 3, err) != 0)
        return -1;
    wr_style s = {WR_COLOR_DEFAULT, WR_COLOR_DEFAULT, 0};
    const wr_ynode *v;
    if ((v = wr_yaml_get(node, "fg")) && !wr_yaml_is_null(v) && parse_color(doc, v, "'fg'", &s.fg, err) != 0)
        return -1;
    if ((v = wr_yaml_get(node, "bg")) && !wr_yaml_is_null(v) && parse_color(doc, v, "'bg'", &s.bg, err) != 0)
        return -1;
    if ((v = wr_yaml_get(node, "attrs")) && !wr_yaml_is_null(v)) {
        if (v->kind == WR_Y_SEQ) {
            /* Each item a known word first: the uniqueness check takes scalars only. */
            for (size_t i = 0; i < v->n; i++)
                if (parse_attr(doc, v->items[i], &s.attrs, err) != 0)
                    return -1;
            if (wr_yaml_check_unique(doc, (const wr_ynode *const *)v->items, v->n, "attribute", err) != 0)
                return -1;
        } else if (parse_attr(doc, v, &s.attrs, err) != 0) {
            return -1;
        }
    }
    *st = s;
    return 0;
}

static int load_doc(wr_theme *t, const wr_ydoc *doc, wr_buf *err)
{
    static const char *const top[] = {"name", "description", "elements"};
    const wr_ynode *root = doc->root;
    if (wr_yaml_as_map(doc, root, "a theme", err) != 0 || wr_yaml_check_keys(doc, root, top, 3, err) != 0)
        return -1;
    const char *name = NULL, *desc = NULL;
    if (wr_yaml_str(doc, root, "name", 0, &name, err) < 0 || wr_yaml_str(doc, root, "description", 0, &desc, err) < 0)
        return -1;
    const wr_ynode *els;
    if (wr_yaml_map(doc, root, "elements", 1, &els, err) != 0)
        return -1;
    if (wr_yaml_check_keys_as(doc, els, el_names, WR_EL_COUNT, "element", err) != 0)
        return -1;
    for (size_t i = 0; i < els->n; i++) {
        const wr_ynode *k = els->keys[i];
        for (int e = 0; e < WR_EL_COUNT; e++)
            if (strcmp(k->value, el_names[e]) == 0 && parse_style(doc, k, els->items[i], &t->el[e], err) != 0)
                return -1;
    }
    if (name)
        snprintf(t->name, sizeof t->name, "%s", name);
    return 0;
}

/* The file name without directory and .yaml, as a default theme name. */
static void name_from(char *out, size_t size, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    snprintf(out, size, "%.*s", (int)n, base);
}

int wr_theme_load_mem(wr_theme *t, const char *name, const char *data, size_t len, wr_buf *err)
{
    wr_theme_builtin(t);
    if (len > WR_THEME_MAX_BYTES) {
        wr_buf_printf(err, "%s:1:1: file too large: %zu bytes (a theme is at most %d)\n", name, len,
                      WR_THEME_MAX_BYTES);
        return -1;
    }
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return -1;
    name_from(t->name, sizeof t->name, name);
    int rc = load_doc(t, doc, err);
    wr_yaml_free(doc);
    if (rc != 0)
        wr_theme_builtin(t);
    return rc;
}

int wr_theme_load_file(wr_theme *t, const char *path, wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, WR_THEME_MAX_BYTES, &len, err);
    if (!data) {
        wr_theme_builtin(t);
        return -1;
    }
    int rc = wr_theme_load_mem(t, path, data, len, err);
    free(data);
    return rc;
}

static int is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
            return 0;
    return 1;
}

int wr_theme_load(wr_theme *t, const char *name_or_path, const char *const *dirs, size_t ndirs, wr_buf *err)
{
    if (!name_or_path || !*name_or_path)
        name_or_path = "default";
    if (!is_name(name_or_path))
        return wr_theme_load_file(t, name_or_path, err);
    for (size_t i = 0; i < ndirs; i++) {
        char *p = wr_xasprintf("%s/%s.yaml", dirs[i], name_or_path);
        struct stat sb;
        if (stat(p, &sb) == 0) {
            int rc = wr_theme_load_file(t, p, err);
            free(p);
            return rc;
        }
        free(p);
    }
    if (strcmp(name_or_path, "default") == 0) {
        wr_theme_builtin(t);
        return 0;
    }
    if (strcmp(name_or_path, "mono") == 0) {
        wr_theme_builtin_mono(t);
        return 0;
    }
    wr_theme_builtin(t);
    char **names;
    size_t n;
    wr_theme_names(dirs, ndirs, &names, &n);
    const char *sug = wr_suggest(name_or_path, (const char *const *)names, n);
    wr_buf_printf(err, "no theme \"%s\"%s%s%s; themes:", name_or_path, sug ? " (did you mean " : "", sug ? sug : "",
                  sug ? "?)" : "");
    for (size_t i = 0; i < n; i++)
        wr_buf_printf(err, " %s", names[i]);
    wr_buf_putc(err, '\n');
    wr_theme_names_free(names, n);
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void wr_theme_names(const char *const *dirs, size_t ndirs, char ***names, size_t *n)
{
    char **v = NULL;
    size_t cnt = 0;
    v = wr_xreallocarray(v, 2, sizeof *v);
    v[cnt++] = wr_xstrdup("default");
    v[cnt++] = wr_xstrdup("mono");
    for (size_t i = 0; i < ndirs; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            size_t len = strlen(de->d_name);
            if (len <= 5 || de->d_name[0] == '.' || strcmp(de->d_name + len - 5, ".yaml") != 0)
                continue;
            char *nm = wr_xstrndup(de->d_name, len - 5);
            if (!is_name(nm)) {
                free(nm);
                continue;
            }
            v = wr_xreallocarray(v, cnt + 1, sizeof *v);
            v[cnt++] = nm;
        }
        closedir(d);
    }
    qsort(v, cnt, sizeof *v, cmp_str);
    size_t out = 0;
    for (size_t i = 0; i < cnt; i++) {
        if (out && strcmp(v[out - 1], v[i]) == 0) {
            free(v[i]);
            continue;
        }
        v[out++] = v[i];
    }
    *names = v;
    *n = out;
}

void wr_theme_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- degradation ---- */

/* xterm's default palette for the 16 ANSI colours. */
static const unsigned char ansi_rgb[16][3] = {
    {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},   {0, 0, 238},     {205, 0, 205},
    {0, 205, 205},   {229, 229, 229}, {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
    {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

static void rgb_of(int c, int rgb[3])
{
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (c < 16) {
        for (int i = 0; i < 3; i++)
            rgb[i] = ansi_rgb[c][i];
    } else if (c < 232) {
        c -= 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[c / 6 % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
    }
}

int wr_theme_degrade(int color, int ncolors)
{
    if (color < 0 || color > 255 || ncolors < 8)
        return WR_COLOR_DEFAULT;
    if (color < ncolors)
        return color;
    int among = ncolors >= 16 ? 16 : 8;
    int rgb[3];
    rgb_of(color, rgb);
    int best = 0;
    long best_d = -1;
    for (int i = 0; i < among; i++) {
        long d = 0;
        for (int k = 0; k < 3; k++) {
            long diff = rgb[k] - ansi_rgb[i][k];
            d += diff * diff;
        }
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

wr_style wr_theme_effective(const wr_theme *t, wr_theme_el e, int ncolors)
{
    if ((unsigned)e >= WR_EL_COUNT)
        e = WR_EL_NORMAL;
    if (ncolors < 8)
        return builtin_mono[e];
    wr_style s = t->el[e];
    s.fg = (short)wr_theme_degrade(s.fg, ncolors);
    s.bg = (short)wr_theme_degrade(s.bg, ncolors);
    /* Two colours that degrade to the same one would hide the text: keep it readable with reverse. */
    if (s.fg != WR_COLOR_DEFAULT && s.fg == s.bg) {
        s.bg = WR_COLOR_DEFAULT;
        s.attrs |= WR_ATTR_REVERSE;
    }
    return s;
}
