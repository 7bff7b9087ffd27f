/* SPDX-License-Identifier: MIT */
/* theme.h - colour themes for the console: a small YAML schema, strict loading, colour degradation.
 * No curses here: the console turns a wr_style into a colour pair and attributes (docs/themes.md).
 *
 *   name: high-contrast          # optional, for people
 *   description: ...             # optional
 *   elements:                    # required mapping: element -> style
 *     header:   {fg: black, bg: 45, attrs: [bold]}
 *     selected: {attrs: reverse}
 *
 * A style has fg and bg (a colour name: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-black .. bright-white; or a number 0-255) and attrs (bold, dim, reverse, underline, italic; a
 * list or one word). Elements left out keep the built-in default's style. Anything else (unknown keys,
 * elements, colours or attributes, wrong types) is refused with "file:line:col: message" and a did-you-mean.
 *
 * Degradation: a terminal with 256 colours gets the numbers as written; one with 8 or 16 gets the nearest
 * of its colours; one with fewer, or NO_COLOR set, gets no colour at all and the attributes of the built-in
 * mono theme, which keeps every element distinguishable by attributes alone.
 */
#ifndef WARROOM_THEME_H
#define WARROOM_THEME_H

#include <stddef.h>

#include "warroom/util.h"

#define WR_THEME_MAX_BYTES (64 * 1024)

typedef enum {
    WR_EL_NORMAL,       /* text in panes */
    WR_EL_HEADER,       /* the top line */
    WR_EL_BANNER,       /* the READ-ONLY banner */
    WR_EL_STATUS,       /* the bottom line */
    WR_EL_PANE_BORDER,
    WR_EL_PANE_TITLE,
    WR_EL_FOCUS_BORDER, /* the border of the focused pane */
    WR_EL_FOCUS_TITLE,
    WR_EL_SELECTED,     /* the selected line of the focused pane */
    WR_EL_HEADING,      /* phase headings, "In the room" */
    WR_EL_MUTED,        /* secondary text: times, ids, automatic entries */
    WR_EL_SEV1,
    WR_EL_SEV2,
    WR_EL_SEV3,
    WR_EL_SEV4,
    WR_EL_SEV5,
    WR_EL_DRILL,
    WR_EL_PINNED,
    WR_EL_STEP_DONE,
    WR_EL_STEP_PROGRESS,
    WR_EL_STEP_BLOCKED,
    WR_EL_STEP_SKIPPED,
    WR_EL_MANDATORY,
    WR_EL_OK,           /* "done" messages */
    WR_EL_WARNING,      /* pending writes, newer runbook on disk */
    WR_EL_ERROR,
    WR_EL_PROMPT,       /* the : command line */
    WR_EL_POPUP,        /* help and output pagers */
    WR_EL_COUNT
} wr_theme_el;

enum {
    WR_ATTR_BOLD = 1u << 0,
    WR_ATTR_DIM = 1u << 1,
    WR_ATTR_REVERSE = 1u << 2,
    WR_ATTR_UNDERLINE = 1u << 3,
    WR_ATTR_ITALIC = 1u << 4,
};

#define WR_COLOR_DEFAULT (-1)

typedef struct wr_style {
    short fg, bg;   /* 0-255, or WR_COLOR_DEFAULT */
    unsigned attrs; /* WR_ATTR_* */
} wr_style;

typedef struct wr_theme {
    char name[64]; /* "default", or the file's name: key, else its file name */
    wr_style el[WR_EL_COUNT];
} wr_theme;

/* "pane-border" for WR_EL_PANE_BORDER; NULL when out of range. */
const char *wr_theme_element_name(wr_theme_el e);
/* The built-in themes: "default" (the same as the shipped themes/default.yaml) and "mono". */
void wr_theme_builtin(wr_theme *t);
void wr_theme_builtin_mono(wr_theme *t);

/* Load a theme from YAML text. On error returns -1, appends "name:line:col: message\n" to err and leaves
 * t holding the built-in default. */
int wr_theme_load_mem(wr_theme *t, const char *name, const char *data, size_t len, wr_buf *err);
int wr_theme_load_file(wr_theme *t, const char *path, wr_buf *err);
/* Load by name or path: a name ([a-z0-9-]+) is NAME.yaml in the first of dirs that has it ("default" and
 * "mono" fall back to the built-ins when no file has them); anything else is a path. -1 with an error
 * (and t the built-in default) when not found or bad. */
int wr_theme_load(wr_theme *t, const char *name_or_path, const char *const *dirs, size_t ndirs, wr_buf *err);
/* Theme names found in dirs (NAME.yaml files) plus the built-ins, sorted, unique. Free with wr_theme_names_free. */
void wr_theme_names(const char *const *dirs, size_t ndirs, char ***names, size_t *n);
void wr_theme_names_free(char **names, size_t n);

/* A colour for a terminal with ncolors colours: itself when it fits, else the nearest (by RGB distance, in
 * xterm's palette) of the first 8 or 16; WR_COLOR_DEFAULT stays; with fewer than 8 colours,
 * WR_COLOR_DEFAULT. */
int wr_theme_degrade(int color, int ncolors);
/* The style to draw element e with on a terminal of ncolors colours (0: no colour, or NO_COLOR): colours
 * degraded, or without colour the mono theme's attributes. */
wr_style wr_theme_effective(const wr_theme *t, wr_theme_el e, int ncolors);

#endif
