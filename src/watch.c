/* watch.c - inotify on the database directory, to notice local writers without waiting for the timer. */
#include "warroom/watch.h"

#include "warroom/util.h"

#include <libgen.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

int wr_watch_open(const char *db_path)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return -1;
    char *copy = wr_xstrdup(db_path);
    /* The journal is created, written and truncated on every commit: IN_MODIFY/IN_CLOSE_WRITE catch it. */
    int wd = inotify_add_watch(fd, dirname(copy), IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO);
    free(copy);
    if (wd < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void wr_watch_drain(int fd)
{
    char buf[4096];
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0) {
    }
}

void wr_watch_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
