/* watch.h - waking up early when the database directory changes (inotify).
 *
 * inotify only sees writes made on this host; on a network mount other hosts' writes are found by the
 * polling of wr_store_changed(), which every watcher keeps doing on a timer. This only shortens the wait.
 */
#ifndef WARROOM_WATCH_H
#define WARROOM_WATCH_H

/* A descriptor to poll() for POLLIN when something in the database's directory is written, or -1 when
 * inotify is unavailable (then rely on the timer alone). Watches the directory, never the file itself. */
int wr_watch_open(const char *db_path);
/* Read and discard pending notifications (call after POLLIN). */
void wr_watch_drain(int fd);
void wr_watch_close(int fd);

#endif
