/* SPDX-License-Identifier: MIT */
/* share.c - the identity of a file on a network share, and the other mounts that show it (see share.h). */
#include "warroom/share.h"

#include "warroom/mountinfo.h"
#include "warroom/sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split a mount source into the host (lower-cased, user left out) and the directory on it.
 * 1 for a "host:dir" or "//host/share" form, 0 otherwise. */
static int split_source(const char *source, wr_buf *host, wr_buf *dir, int *relative)
{
    *relative = 0;
    if (source[0] == '/' && source[1] == '/') {
        const char *h = source + 2, *slash = strchr(h, '/');
        if (!slash || slash == h)
            return 0;
        for (const char *p = h; p < slash; p++)
            wr_buf_putc(host, (char)tolower((unsigned char)*p));
        wr_buf_puts(dir, slash);
        return 1;
    }
    if (source[0] == '/')
        return 0; /* a device or a local path */
    const char *start = source, *colon;
    const char *at = NULL;
    if (source[0] == '[' || strchr(source, '@')) {
        /* user@host:dir, [v6]:dir, user@[v6]:dir */
        const char *p = source;
        const char *brk = strchr(p, '[');
        colon = NULL;
        at = NULL;
        for (const char *q = p; *q; q++) {
            if (*q == '@' && (!brk || q < brk))
                at = q;
        }
        const char *hs = at ? at + 1 : source;
        if (*hs == '[') {
            const char *end = strchr(hs, ']');
            if (!end || end[1] != ':')
                return 0;
            colon = end + 1;
        } else {
            colon = strchr(hs, ':');
        }
        if (!colon)
            return 0;
        start = hs;
    } else {
        colon = strchr(source, ':');
        if (!colon)
            return 0;
        const char *slash = strchr(source, '/');
        if (slash && slash < colon)
            return 0;
    }
    if (colon == start)
        return 0;
    const char *d = colon + 1;
    if (*d == '\\')
        return 0; /* a Windows drive ("C:\\" over 9p), not a host */
    if (*d != '/') {
        /* Relative to the remote user's home: that user is part of the identity. */
        *relative = 1;
        for (const char *p = source; p < start; p++)
            wr_buf_putc(host, *p);
    }
    for (const char *p = start; p < colon; p++)
        wr_buf_putc(host, (char)tolower((unsigned char)*p));
    if (*relative)
        wr_buf_printf(dir, "/~/%s", d);
    else
        wr_buf_puts(dir, d);
    return 1;
}

int wr_share_key(const char *source, const char *root, const char *mountpoint, const char *path, char *out,
                 size_t size)
{
    if (!source || !root || !mountpoint || !path || !out || !size)
        return -1;
    char *mp = wr_path_normalize(mountpoint), *p = wr_path_normalize(path);
    long len = mp && p ? wr_mount_contains(mp, p) : -1;
    if (len < 0) {
        free(mp);
        free(p);
        return -1;
    }
    wr_buf host = {0}, dir = {0}, joined = {0};
    int relative = 0;
    int hosted = split_source(source, &host, &dir, &relative);
    wr_buf_printf(&joined, "%s/%s/%s", hosted ? wr_buf_str(&dir) : "", root, p + len);
    char *norm = wr_path_normalize(*wr_buf_str(&joined) == '/' ? wr_buf_str(&joined) : "/");
    const char *inner = norm ? norm : wr_buf_str(&joined); /* ".." in the source: kept as written */
    int n;
    if (hosted && relative) /* "/~/x" -> "~/x" */
        n = snprintf(out, size, "%s:%s", wr_buf_str(&host), inner + 1);
    else if (hosted)
        n = snprintf(out, size, "%s:%s", wr_buf_str(&host), inner);
    else
        n = snprintf(out, size, "%s:%s", source, inner);
    free(norm);
    free(mp);
    free(p);
    wr_buf_free(&host);
    wr_buf_free(&dir);
    wr_buf_free(&joined);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

size_t wr_share_other_mounts(const char *mountinfo_text, const char *key, const char *own_mountpoint,
                             unsigned own_major, unsigned own_minor, wr_buf *out)
{
    size_t found = 0;
    const char *t = mountinfo_text ? mountinfo_text : "";
    size_t klen = strlen(key);
    while (*t) {
        const char *nl = strchr(t, '\n');
        size_t n = nl ? (size_t)(nl - t) : strlen(t);
        char *line = wr_xstrndup(t, n);
        t = nl ? nl + 1 : t + n;
        wr_mount m;
        if (wr_mountinfo_parse_line(line, &m) != 0 || m.mountpoint[0] != '/') {
            free(line);
            continue;
        }
        if (m.major == own_major && m.minor == own_minor && strcmp(m.mountpoint, own_mountpoint) == 0) {
            free(line);
            continue;
        }
        /* The identity of this mount's top: the file is visible here when that is a prefix of the key. */
        char top[4200];
        if (wr_share_key(m.source, m.root, m.mountpoint, m.mountpoint, top, sizeof top) == 0) {
            size_t tl = strlen(top);
            if (tl && top[tl - 1] == '/')
                tl--; /* "host:/" */
            if (tl <= klen && strncmp(top, key, tl) == 0 && (key[tl] == '/' || key[tl] == '\0')) {
                const char *rest = key + tl;
                int slash = m.mountpoint[strlen(m.mountpoint) - 1] == '/';
                wr_buf_printf(out, "%s%s (%s, %s)\n", m.mountpoint, slash && *rest == '/' ? rest + 1 : rest,
                              m.source, m.fstype);
                found++;
            }
        }
        free(line);
    }
    return found;
}

void wr_share_lock_name(const char *dir, const char *key, char *out, size_t size)
{
    char hex[65];
    wr_sha256_hex(key, strlen(key), hex);
    hex[32] = '\0';
    snprintf(out, size, "%s/warroom-%s.lock", dir, hex);
}
