/* SPDX-License-Identifier: MIT */
/* yaml.h - a strict YAML document tree (on libyaml) with typed, positioned errors.
 *
 * All warroom YAML (runbooks, themes, config, on-call, drills) loads through
 * this. A document is refused, with "name:line:col: message" (1-based, the
 * column counted in characters), when it has:
 *   - a libyaml syntax error (reader, scanner or parser; at its problem mark),
 *     including invalid UTF-8 and control characters (UTF-16 is refused too);
 *   - more than one document ("more than one document in the file"), or no
 *     content at all ("empty file: expected a mapping", at 1:1);
 *   - a duplicate key in a mapping (at the second one, naming the line of the
 *     first), a key that is a mapping or a list, or an empty key;
 *   - any anchor or alias ("anchors and aliases are not allowed"), any tag;
 *   - nesting deeper than WR_YAML_MAX_DEPTH mappings/lists;
 *   - a scalar containing NUL (from a "\0" escape);
 *   - more than max_bytes bytes (wr_yaml_load_file).
 * Errors are appended to an err buffer, one line each ending in "\n"; the
 * functions stop at the first error.
 *
 * Scalar values are not resolved: every scalar keeps its text and whether it
 * was quoted; the typed getters below decide what is an integer or a boolean
 * (plain scalars only: a quoted "3" is a string).
 */
#ifndef WARROOM_YAML_H
#define WARROOM_YAML_H

#include <stddef.h>

#include "warroom/util.h"

#define WR_YAML_MAX_DEPTH 64

typedef enum { WR_Y_SCALAR, WR_Y_SEQ, WR_Y_MAP } wr_ykind;

typedef struct wr_ynode {
    wr_ykind kind;
    int line, col;            /* 1-based start of the node in the file */
    char *value;              /* SCALAR: the text, NUL-terminated (never contains NUL) */
    int quoted;               /* SCALAR: 1 if quoted or block (| >), 0 if plain */
    size_t n;                 /* SEQ: items; MAP: pairs */
    struct wr_ynode **items;  /* SEQ items, or MAP values (in file order) */
    struct wr_ynode **keys;   /* MAP keys (scalars only, unique) */
} wr_ynode;

typedef struct wr_ydoc {
    char *name; /* as given to the loader: used in every error message */
    wr_ynode *root;
} wr_ydoc;

/* Load a whole file of at most max_bytes bytes (regular files only). NULL and
 * an error in err on failure; an I/O error reads "path: cannot read: why". */
wr_ydoc *wr_yaml_load_file(const char *path, size_t max_bytes, wr_buf *err);
/* The whole content of a regular file of at most max_bytes bytes, NUL-terminated
 * (the NUL not counted in *len), for the caller to free; NULL and an error in
 * err ("path: cannot read: why" or "path:1:1: file too large: ...") on failure. */
char *wr_yaml_read_file(const char *path, size_t max_bytes, size_t *len, wr_buf *err);
/* Parse len bytes of data; `name` names the document in error messages. */
wr_ydoc *wr_yaml_load_mem(const char *name, const char *data, size_t len, wr_buf *err);
void wr_yaml_free(wr_ydoc *doc);

/* Append "name:line:col: message\n" to err, the position from node (or 1:1 if
 * node is NULL). Returns -1. */
int wr_yaml_error(const wr_ydoc *doc, const wr_ynode *node, wr_buf *err, const char *fmt, ...)
    WR_PRINTF(4, 5);

/* The value of `key` in map: NULL if absent or if map is NULL or not a map. */
const wr_ynode *wr_yaml_get(const wr_ynode *map, const char *key);
/* The key node of `key` in map (for positions), NULL if absent. */
const wr_ynode *wr_yaml_get_key(const wr_ynode *map, const char *key);

/* Every key of map must be in allowed[]; the first one that is not gives an
 * error at that key: "unknown key 'x' (did you mean 'y'?); expected one of: a, b, c".
 * Returns 0 or -1. */
int wr_yaml_check_keys(const wr_ydoc *doc, const wr_ynode *map, const char *const *allowed,
                       size_t n, wr_buf *err);
/* The same, naming the keys `noun` instead of "key" ("unknown phase 'x'..."). */
int wr_yaml_check_keys_as(const wr_ydoc *doc, const wr_ynode *map, const char *const *allowed,
                          size_t n, const char *noun, wr_buf *err);

/* Among the scalar nodes[0..n) find the first (in file order) whose value
 * repeats an earlier one: error at it, "duplicate <what> 'x' (first defined at
 * line N)". O(n log n). 0 or -1. */
int wr_yaml_check_unique(const wr_ydoc *doc, const wr_ynode *const *nodes, size_t n,
                         const char *what, wr_buf *err);

/* 1 if node is a null scalar: plain and empty, "~" or "null"/"Null"/"NULL". */
int wr_yaml_is_null(const wr_ynode *node);
/* Append how node reads in a message: "a mapping", "a list", "an empty value",
 * "null", "an integer 3", "a boolean true", "a string \"...\"" (the text made
 * safe and cut to 40 columns). */
void wr_yaml_describe(const wr_ynode *node, wr_buf *out);

/* Typed getters for map[key]. They return 0 when found and valid, 1 when the
 * key is absent or null and !required (*out untouched), -1 with an error in err
 * otherwise: "missing required key 'key'" (at the map), "expected a string for
 * 'key', found a mapping" (at the value)... `map` must be a mapping (else an
 * error at map). */
int wr_yaml_str(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const char **out, wr_buf *err);
/* A plain decimal integer ([-+]?[0-9]+) in [min, max]. */
int wr_yaml_int(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                long long min, long long max, long long *out, wr_buf *err);
/* Plain true/false/yes/no only. */
int wr_yaml_bool(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                 int *out, wr_buf *err);
int wr_yaml_seq(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const wr_ynode **out, wr_buf *err);
int wr_yaml_map(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const wr_ynode **out, wr_buf *err);

/* The same checks on a node itself (a list item...): `what` completes the
 * message "expected a string for <what>, found ...", e.g. "an item of 'types'"
 * (what == NULL: "expected a string, found ...").
 * A null node is an error here. 0 or -1. */
int wr_yaml_as_str(const wr_ydoc *doc, const wr_ynode *node, const char *what, const char **out,
                   wr_buf *err);
int wr_yaml_as_int(const wr_ydoc *doc, const wr_ynode *node, const char *what, long long min,
                   long long max, long long *out, wr_buf *err);
int wr_yaml_as_bool(const wr_ydoc *doc, const wr_ynode *node, const char *what, int *out,
                    wr_buf *err);
int wr_yaml_as_seq(const wr_ydoc *doc, const wr_ynode *node, const char *what, wr_buf *err);
int wr_yaml_as_map(const wr_ydoc *doc, const wr_ynode *node, const char *what, wr_buf *err);

#endif
