/* SPDX-License-Identifier: MIT */
/* presence.h - who is in the war room right now.
 *
 * Each open console is a session with one small file in a side directory next to the database,
 * `<database>.presence/<session>` (never in the database itself: a beat there would wake every other
 * console and take the write lock). The file holds who and where (actor, OS user, origin, host, the incident
 * shown, since when, the beat interval) and is rewritten atomically (a temporary file renamed over it) only
 * when that changes; the beat is the file's modification time, set every beat interval (futimens). A session
 * whose file was not beaten for 3 beat intervals (WR_PRESENCE_TIMEOUT_MS by default) has left (its terminal
 * died, its SSH connection dropped, it was killed). Files a day old are swept by whoever lists.
 *
 * The directory is made 02770 with the database's group and the files 0660, whatever the umask, like the
 * database's other files. Times are the injectable clock's (warroom/clock.h), written explicitly as the
 * mtime, so readers on other hosts compare them with their own clocks (see docs/store.md: clock skew).
 * The old `presence` table stays in the schema, unused.
 */
#ifndef WARROOM_PRESENCE_H
#define WARROOM_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"

#define WR_PRESENCE_BEAT_MS 15000
#define WR_PRESENCE_TIMEOUT_MS 45000
#define WR_PRESENCE_SWEEP_MS (24 * 3600 * 1000LL) /* files older than this are removed */

typedef struct wr_presence {
    char *session, *actor, *os_user, *origin, *host;
    int64_t incident; /* what the console is looking at (0: the list) */
    int64_t since, last_seen;
    int64_t expires;  /* when it counts as gone if it does not beat again (last_seen + its timeout) */
} wr_presence;

/* This process's beat interval: WR_PRESENCE_BEAT_MS, or a third of WARROOM_PRESENCE_TIMEOUT_MS (ms, from
 * 300 to 45000; for tests that must see a killed console leave quickly). */
int64_t wr_presence_beat_interval(void);
/* The side directory of the database at db_path: "<db_path>.presence" (malloc'ed). */
char *wr_presence_dir(const char *db_path);

/* Record that session (a wr_uid_new() id made when the console starts) is here, looking at incident: its
 * file is written when new or changed, else only its time is set. wait_ms is unused (kept for the API).
 * WR_E_READONLY when the directory or file cannot be made or written (err says which and why). */
wr_status wr_presence_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                           int wait_ms, wr_error *err);
/* The console is closing: its file is removed. */
wr_status wr_presence_leave(wr_store *st, const char *session, int wait_ms, wr_error *err);
/* Sessions whose timeout has not passed (incident 0: all), oldest first. A missing directory is nobody. */
wr_status wr_presence_list(wr_store *st, int64_t incident, wr_presence **out, size_t *n, wr_error *err);
/* The same for a process that beats and lists again and again (the console), with a cache of what it read
 * and wrote: a file whose inode and birth time are those read before is not read again, only its time
 * looked at (one statx per file); with full 0 (nobody came or left: inotify on the directory said nothing)
 * the directory is not listed again, only the files known looked at. And a beat that changes nothing but
 * the time is one utimensat of the file it wrote before. */
typedef struct wr_presence_cache wr_presence_cache;
wr_presence_cache *wr_presence_cache_new(void);
void wr_presence_cache_free(wr_presence_cache *c);
/* How many files the cache had to read, and how many times it listed the directory, so far (tests). */
unsigned wr_presence_cache_reads(const wr_presence_cache *c);
unsigned wr_presence_cache_lists(const wr_presence_cache *c);
wr_status wr_presence_list_cached(wr_store *st, int64_t incident, wr_presence_cache *cache, int full,
                                  wr_presence **out, size_t *n, wr_error *err);
wr_status wr_presence_beat_cached(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                                  wr_presence_cache *cache, wr_error *err);
void wr_presence_free(wr_presence *v, size_t n);

#endif
