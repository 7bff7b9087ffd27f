/* SPDX-License-Identifier: MIT */
/* watch.c - inotify on the database directory, to notice local writers without waiting for the timer. */
#include "warroom/watch.h"

#include "warroom/util.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

int wr_watch_open(const char *db_path)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return -1;
    char *copy = wr_xstrdup(db_path);
    /* The journal is created, written and truncated on every commit: IN_MODIFY/IN_CLOSE_WRITE catch it. The
     * file going away or being replaced (deleted, moved, restored, the directory removed or unmounted):
     * IN_DELETE, IN_MOVED_FROM/TO, IN_CREATE and the *_SELF events. */
    int wd = inotify_add_watch(fd, dirname(copy), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO |
                                                      IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF);
    free(copy);
    if (wd < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int wr_watch_add_dir(int fd, const char *dir)
{
    if (fd < 0)
        return -1;
    /* Files arrive by rename (written aside first) and leave by unlink: the temporary file's own events
     * (created, written, renamed away) would only wake the watcher more often. */
    return inotify_add_watch(fd, dir, IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF);
}

void wr_watch_drain(int fd)
{
    char buf[4096];
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0) {
    }
}

unsigned wr_watch_read(int fd, const char *db_path, int dir_wd)
{
    unsigned flags = 0;
    const char *slash = strrchr(db_path, '/');
    const char *base = slash ? slash + 1 : db_path;
    size_t bl = strlen(base);
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            p += sizeof *e + e->len;
            if (e->mask & IN_Q_OVERFLOW) {
                flags |= WR_WATCH_DATA | WR_WATCH_PATH | WR_WATCH_DIR; /* lost count: look at everything */
                continue;
            }
            if (dir_wd >= 0 && e->wd == dir_wd) {
                flags |= WR_WATCH_DIR;
                continue;
            }
            if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
                flags |= WR_WATCH_PATH;
                continue;
            }
            /* Only the database and its journal matter; other files of the directory wake nobody. */
            if (!e->len || strncmp(e->name, base, bl) != 0 || (e->name[bl] && strcmp(e->name + bl, "-journal") != 0))
                continue;
            if (!e->name[bl] && (e->mask & (IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE)))
                flags |= WR_WATCH_PATH;
            flags |= WR_WATCH_DATA;
        }
    }
    return flags;
}

int wr_watch_writer_busy(const char *db_path)
{
    /* The rollback journal (TRUNCATE mode) is empty between transactions and written by a writer before
     * it changes the database; a hot journal left by a dead writer is not empty either (the next reader
     * rolls it back: the MAX_GAP_MS bound of the caller lets it). */
    char *j = wr_xasprintf("%s-journal", db_path);
    struct stat sb;
    int busy = stat(j, &sb) == 0 && sb.st_size > 0;
    free(j);
    return busy;
}

int wr_watch_mounts_open(void)
{
    /* The kernel marks this file POLLPRI (and POLLERR) when the mount table of our namespace changes; the
     * poll itself takes the notice, nothing has to be read (proc(5), /proc/pid/mounts). */
    return open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
}

void wr_watch_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
