/* SPDX-License-Identifier: MIT */
/* watch.h - waking up early when the database directory changes (inotify).
 *
 * inotify only sees writes made on this host; on a network mount other hosts' writes are found by the
 * polling of wr_store_changed(), which watchers there keep doing on a timer. On a local disk it is enough
 * (the console then does not poll: docs/console.md).
 */
#ifndef WARROOM_WATCH_H
#define WARROOM_WATCH_H

/* A descriptor to poll() for POLLIN when something in the database's directory is written, or -1 when
 * inotify is unavailable (then rely on the timer alone). Watches the directory, never the file itself. */
int wr_watch_open(const char *db_path);
/* Also watch another directory (the presence directory) on the same descriptor: files renamed into it or
 * removed (files written in place or only touched are not seen). Its watch descriptor, or -1. Not recursive: the database's watch never sees it. */
int wr_watch_add_dir(int fd, const char *dir);
/* Read and discard pending notifications (call after POLLIN). */
void wr_watch_drain(int fd);

enum {
    WR_WATCH_DATA = 1, /* the database or its journal was written: check data_version */
    WR_WATCH_PATH = 2, /* the file at the path may have gone or been replaced (or the directory did) */
    WR_WATCH_DIR = 4,  /* something happened in the directory of wr_watch_add_dir */
};
/* Read the pending notifications and say what they were about (WR_WATCH_* bits; all of them when the
 * kernel's queue overflowed). dir_wd: what wr_watch_add_dir returned, or -1. */
unsigned wr_watch_read(int fd, const char *db_path, int dir_wd);
/* 1 when a writer is inside its transaction now (the database's rollback journal is not empty): a reader
 * that looks now finds nothing new and makes the writer's commit wait for its shared lock. A stat, no lock. */
int wr_watch_writer_busy(const char *db_path);
/* A descriptor to poll() for POLLPRI when a file system is mounted or unmounted in this process's mount
 * namespace (a mount dropped lazily under an open database sends no inotify event), or -1. Close it with
 * wr_watch_close. */
int wr_watch_mounts_open(void);
void wr_watch_close(int fd);

#endif
