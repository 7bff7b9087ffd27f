/* presence.h - who is in the war room right now.
 *
 * Each open console is a session that beats every WR_PRESENCE_BEAT_MS; one not seen for
 * WR_PRESENCE_TIMEOUT_MS has left (its terminal died, its SSH connection dropped). Presence is not part of
 * the event log: it is a small table of sessions, written with the same retried transactions.
 */
#ifndef WARROOM_PRESENCE_H
#define WARROOM_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"

#define WR_PRESENCE_BEAT_MS 15000
#define WR_PRESENCE_TIMEOUT_MS 45000

typedef struct wr_presence {
    char *session, *actor, *os_user, *origin, *host;
    int64_t incident; /* what the console is looking at (0: the list) */
    int64_t since, last_seen;
} wr_presence;

/* Record that session (a wr_uid_new() id made when the console starts) is here, looking at incident.
 * wait_ms as for wr_store_append; WR_E_BUSY just means "beat again later". */
wr_status wr_presence_beat(wr_store *st, const char *session, const wr_actor *actor, int64_t incident,
                           int wait_ms, wr_error *err);
/* The console is closing. */
wr_status wr_presence_leave(wr_store *st, const char *session, int wait_ms, wr_error *err);
/* Sessions seen within WR_PRESENCE_TIMEOUT_MS of now (incident 0: all), oldest first. */
wr_status wr_presence_list(wr_store *st, int64_t incident, wr_presence **out, size_t *n, wr_error *err);
void wr_presence_free(wr_presence *v, size_t n);

#endif
