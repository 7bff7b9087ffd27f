/* SPDX-License-Identifier: MIT */
/* util.h - memory, strings and small helpers shared by every module.
 *
 * Allocation failure is not recoverable in warroom: every allocation goes
 * through wr_x* which abort with a message in one place (wr_die).
 */
#ifndef WARROOM_UTIL_H
#define WARROOM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define WR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define WR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define WR_NORETURN __attribute__((noreturn))
#else
#define WR_PRINTF(f, a)
#define WR_NORETURN
#endif

/* Print "warroom: fatal: ..." to stderr and abort. */
WR_NORETURN void wr_die(const char *fmt, ...) WR_PRINTF(1, 2);

void *wr_xmalloc(size_t n);
void *wr_xcalloc(size_t n, size_t size);
void *wr_xrealloc(void *p, size_t n);
/* Grow an array of `size`-byte items to hold at least `need` items. */
void *wr_xreallocarray(void *p, size_t need, size_t size);
char *wr_xstrdup(const char *s);
char *wr_xstrndup(const char *s, size_t n);
char *wr_xasprintf(const char *fmt, ...) WR_PRINTF(1, 2);

/* A growable, always NUL-terminated byte string. Zero-initialise to start. */
typedef struct wr_buf {
    char *s;     /* NULL until something is appended; use wr_buf_str() */
    size_t len;
    size_t cap;
} wr_buf;

void wr_buf_append(wr_buf *b, const char *s, size_t n);
void wr_buf_puts(wr_buf *b, const char *s);
void wr_buf_putc(wr_buf *b, char c);
void wr_buf_printf(wr_buf *b, const char *fmt, ...) WR_PRINTF(2, 3);
void wr_buf_vprintf(wr_buf *b, const char *fmt, va_list ap);
const char *wr_buf_str(const wr_buf *b); /* "" when empty */
char *wr_buf_steal(wr_buf *b);            /* caller frees; buffer is reset */
void wr_buf_reset(wr_buf *b);             /* length 0, keeps memory */
void wr_buf_free(wr_buf *b);

/* Case-sensitive Levenshtein distance (for "did you mean" suggestions). */
size_t wr_edit_distance(const char *a, const char *b);
/* The candidate closest to `word` within a sensible distance, or NULL. */
const char *wr_suggest(const char *word, const char *const *candidates, size_t n);

/* True if s starts with prefix. */
int wr_startswith(const char *s, const char *prefix);

/* mkdir -p; directories it creates get exactly `mode` (setgid included). 0 or -1/errno. */
int wr_mkdir_p(const char *path, unsigned mode);

#endif
