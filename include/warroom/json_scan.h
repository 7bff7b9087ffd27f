/* SPDX-License-Identifier: MIT */
/* json_scan.h - finding the parts of a large JSON text without building it in memory.
 *
 * Values are still read with SQLite's JSON functions (warroom/alert.h), but one alert at a time: a 16 MiB
 * Alertmanager payload is checked and split into its alerts here, in one pass and constant memory, so
 * only one alert's text is ever handed to SQLite. The syntax is RFC 8259's, strictly (no comments, no
 * trailing commas, no JSON5), with one leniency that the callers repair: a string may hold raw control
 * bytes and invalid UTF-8 ("dirty" strings), which wr_json_clean then replaces.
 */
#ifndef WARROOM_JSON_SCAN_H
#define WARROOM_JSON_SCAN_H

#include <stddef.h>

#include "warroom/util.h"

#define WR_JSCAN_MAX_DEPTH 256

typedef struct wr_jscan_val {
    size_t off, len; /* the value's bytes (strings: with their quotes) */
    char type;       /* '{' object, '[' array, '"' string, '0' number, 't' true, 'f' false, 'n' null */
} wr_jscan_val;

/* Check the value that starts at *pos (after white space) and step over it: 0 with *pos after it and its
 * span in *out (may be NULL), or -1 with a reason ("at byte N: ...") in why. *dirty (may be NULL) is set
 * when a string in it holds a raw control byte or invalid UTF-8. */
int wr_jscan_value(const char *s, size_t len, size_t *pos, wr_jscan_val *out, int *dirty, wr_buf *why);
/* Check that only white space remains from pos: 0, or -1 with a reason. */
int wr_jscan_end(const char *s, size_t len, size_t pos, wr_buf *why);

/* Walking a container whose value was checked: start with *pos at its '{' or '['. Each call gives the
 * next member (key span and value span) or element: 1, or 0 at the end (*pos after the bracket), or -1
 * with a reason. */
int wr_jscan_member(const char *s, size_t len, size_t *pos, wr_jscan_val *key, wr_jscan_val *val, wr_buf *why);
int wr_jscan_element(const char *s, size_t len, size_t *pos, wr_jscan_val *val, wr_buf *why);
/* 1 if the string span v is exactly "name" (written without escapes). */
int wr_jscan_is(const char *s, const wr_jscan_val *v, const char *name);

/* What wr_json_clean replaced. */
typedef struct wr_json_fixes {
    long nul;      /* NUL characters (\u0000 or a raw NUL byte) -> U+FFFD */
    long bad_utf8; /* invalid UTF-8 sequences and lone surrogate escapes -> U+FFFD */
    long control;  /* other raw control bytes in strings -> \u00XX escapes (nothing lost) */
} wr_json_fixes;
/* Append a copy of the JSON text s[0..len) to out with, inside strings, NUL characters and invalid UTF-8
 * replaced by U+FFFD and raw control bytes escaped, so that SQLite reads it whole and as valid UTF-8.
 * Counts what was replaced into fixes (added to). */
void wr_json_clean(const char *s, size_t len, wr_buf *out, wr_json_fixes *fixes);

#endif
