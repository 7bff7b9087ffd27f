/* SPDX-License-Identifier: MIT */
/* update_run.h - running the update command in its own process, without ever blocking (front ends only:
 * the model has no process control). The run's result is turned into the "update.sent" event by
 * wr_update_finish (update.h). */
#ifndef WARROOM_UPDATE_RUN_H
#define WARROOM_UPDATE_RUN_H

#include <poll.h>

#include "warroom/update.h"

/* Start command. Never blocks and never fails outright: a command that cannot be started gives a finished
 * run with `error` set, recorded like any failure. */
void wr_update_start(wr_update_run *r, const char *command, const char *incident_ref, const char *audience,
                     const char *severity, const char *text, int timeout_ms);
/* The descriptors to poll (0..2 of fds[]), for the caller's poll() loop. */
int wr_update_pollfds(const wr_update_run *r, struct pollfd fds[2]);
/* How long the caller may sleep in poll() before pumping again (ms; 0 when finished). */
int wr_update_wait_ms(const wr_update_run *r);
/* Do what can be done now without blocking: feed stdin, read output, kill at the deadline, reap. Returns 1
 * once finished. */
int wr_update_pump(wr_update_run *r);
/* Run to the end, waiting (the CLI). */
void wr_update_wait(wr_update_run *r);
/* Kill it if still running (process group, SIGKILL), reap, and free everything. Call once per started run. */
void wr_update_free(wr_update_run *r);

#endif
