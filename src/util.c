/* SPDX-License-Identifier: MIT */
/* util.c - allocation that aborts in one place, growable strings, suggestions. */
#include "warroom/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void wr_die(const char *fmt, ...)
{
    va_list ap;
    fputs("warroom: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *wr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        wr_die("out of memory (%zu bytes)", n);
    return p;
}

void *wr_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        wr_die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *wr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        wr_die("out of memory (%zu bytes)", n);
    return q;
}

void *wr_xreallocarray(void *p, size_t need, size_t size)
{
    if (size && need > SIZE_MAX / size)
        wr_die("allocation overflow (%zu x %zu)", need, size);
    return wr_xrealloc(p, need * size);
}

char *wr_xstrdup(const char *s)
{
    return wr_xstrndup(s, strlen(s));
}

char *wr_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = wr_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *wr_xasprintf(const char *fmt, ...)
{
    wr_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return wr_buf_steal(&b);
}

static void buf_reserve(wr_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            wr_die("string too long");
        cap *= 2;
    }
    b->s = wr_xrealloc(b->s, cap);
    b->cap = cap;
}

void wr_buf_append(wr_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void wr_buf_puts(wr_buf *b, const char *s)
{
    wr_buf_append(b, s, strlen(s));
}

void wr_buf_putc(wr_buf *b, char c)
{
    wr_buf_append(b, &c, 1);
}

void wr_buf_vprintf(wr_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        wr_die("bad format string");
    buf_reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void wr_buf_printf(wr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *wr_buf_str(const wr_buf *b)
{
    return b->s ? b->s : "";
}

char *wr_buf_steal(wr_buf *b)
{
    char *s = b->s ? b->s : wr_xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void wr_buf_reset(wr_buf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

void wr_buf_free(wr_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

size_t wr_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = wr_xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *wr_suggest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t limit = strlen(word) / 3 + 1;
    if (limit > 3)
        limit = 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = wr_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

int wr_startswith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int wr_mkdir_p(const char *path, unsigned mode)
{
    char *p = wr_xstrdup(path);
    int rc = 0;
    for (char *q = p + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, (mode_t)mode) == 0) {
                /* mkdir ignores the setgid bit and applies the umask: set the mode we mean. */
                chmod(p, (mode_t)mode);
            } else if (errno != EEXIST) {
                rc = -1;
                break;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    int saved = errno;
    free(p);
    errno = saved;
    return rc;
}
