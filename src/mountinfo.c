/* SPDX-License-Identifier: MIT */
/* mountinfo.c - mountinfo lines and path comparison (see mountinfo.h). */
#include "warroom/mountinfo.h"

#include "warroom/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- paths ------------------------------------------------------------------------------------------ */

/* Normalise an absolute path: no repeated slashes, no "." components, no trailing slash ("/" stays "/").
 * Returns a new string, or NULL if the path is not absolute or has a ".." component. */
char *wr_path_normalize(const char *in)
{
    if (!in || in[0] != '/')
        return NULL;
    size_t n = strlen(in);
    char *out = wr_xmalloc(n + 2);
    size_t len = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t clen = (size_t)(p - start);
        if (clen == 0 || (clen == 1 && start[0] == '.'))
            continue;
        if (clen == 2 && start[0] == '.' && start[1] == '.') {
            free(out);
            return NULL;
        }
        out[len++] = '/';
        memcpy(out + len, start, clen);
        len += clen;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return out;
}

/* Length of mount point `mp` (normalised) if it contains `path` (normalised) on whole components, else -1.
 * "/" contains everything and has length 0 so that any other match is longer. */
long wr_mount_contains(const char *mp, const char *path)
{
    if (strcmp(mp, "/") == 0)
        return 0;
    size_t n = strlen(mp);
    if (strncmp(path, mp, n) == 0 && (path[n] == '\0' || path[n] == '/'))
        return (long)n;
    return -1;
}

/* ---- mountinfo lines -------------------------------------------------------------------------------- */


/* Decode the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
            r[3] <= '7') {
            int c = (r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0');
            if (c != 0) {
                *w++ = (char)c;
                r += 4;
                continue;
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* Next field separated by spaces or tabs, NUL-terminated in place; NULL at the end of the line. */
static char *next_field(char **cursor)
{
    char *p = *cursor;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0')
        return NULL;
    char *start = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = '\0';
    *cursor = p;
    return start;
}

/* Parse one line (modified in place):
 *   id parent major:minor root mountpoint mnt-opts [optional fields...] - fstype source [super-opts]
 * 0 on success, -1 if malformed. */
int wr_mountinfo_parse_line(char *line, wr_mount *m)
{
    char *cur = line;
    char *f[6];
    for (int i = 0; i < 6; i++)
        if (!(f[i] = next_field(&cur)))
            return -1;
    char *end;
    errno = 0;
    unsigned long maj = strtoul(f[2], &end, 10);
    if (end == f[2] || *end != ':')
        return -1;
    char *mstart = end + 1;
    unsigned long min = strtoul(mstart, &end, 10);
    if (end == mstart || *end != '\0' || errno)
        return -1;
    char *t;
    while ((t = next_field(&cur)) && strcmp(t, "-") != 0) {
    }
    if (!t)
        return -1;
    m->fstype = next_field(&cur);
    m->source = next_field(&cur);
    if (!m->fstype || !m->source)
        return -1;
    m->super_opts = next_field(&cur);
    if (!m->super_opts)
        m->super_opts = cur; /* "" */
    m->major = (unsigned)maj;
    m->minor = (unsigned)min;
    m->root = f[3];
    m->mountpoint = f[4];
    m->mnt_opts = f[5];
    unescape(m->root);
    unescape(m->mountpoint);
    unescape(m->fstype);
    unescape(m->source);
    return 0;
}
