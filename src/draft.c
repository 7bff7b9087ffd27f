/* SPDX-License-Identifier: MIT */
/* draft.c - the update composer's drafts in files of the operator's own (see draft.h). */
#include "warroom/draft.h"

#include "warroom/paths.h"
#include "warroom/pending.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DRAFT_MAX (1024 * 1024)

char *wr_draft_path(const char *db_path, int64_t inc, const char *audience)
{
    char hex[17];
    wr_pending_db_hash(db_path, hex);
    char *dir = wr_paths_user_state_dir();
    /* The audience is one of three fixed words; anything else is named safely all the same. */
    char aud[24];
    size_t k = 0;
    for (const char *p = audience; *p && k < sizeof aud - 1; p++)
        aud[k++] = (*p >= 'a' && *p <= 'z') ? *p : '_';
    aud[k] = '\0';
    char *f = wr_xasprintf("%s/draft-%s-INC-%lld-%s.txt", dir, hex, (long long)inc, aud);
    free(dir);
    return f;
}

char *wr_draft_load(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    wr_buf b = {0};
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || b.len + (size_t)n > DRAFT_MAX)
            break;
        wr_buf_append(&b, chunk, (size_t)n);
    }
    close(fd);
    if (!b.len) {
        wr_buf_free(&b);
        return NULL;
    }
    return wr_buf_steal(&b);
}

int wr_draft_save(const char *path, const char *text, wr_buf *why)
{
    char *dir = wr_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (wr_mkdir_p(dir, 0700) != 0) {
            wr_buf_printf(why, "cannot make %s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
    }
    free(dir);
    char *tmp = wr_xasprintf("%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    int rc = fd < 0 ? -1 : 0;
    size_t len = strlen(text), off = 0;
    while (rc == 0 && off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            rc = -1;
        else
            off += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    /* Renamed over the old draft: a console killed at any moment leaves one whole draft, old or new. */
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        wr_buf_printf(why, "cannot keep the draft in %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

void wr_draft_remove(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        /* a draft that cannot be removed stays; it is offered again next time, which loses nothing */
    }
}
