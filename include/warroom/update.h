/* SPDX-License-Identifier: MIT */
/* update.h - stakeholder updates: the CAN report template, the cadence each severity needs, recording an
 * update on the timeline, and sending it through the configured update command without ever blocking.
 *
 * An update is an event ("update": audience and text). Sending is separate: the update command (config
 * `update_command`, run by /bin/sh -c in its own process group) reads the text on stdin, with
 * WARROOM_INCIDENT, WARROOM_AUDIENCE and WARROOM_SEVERITY in its environment; its exit status and first
 * WR_UPDATE_OUTPUT_MAX bytes of output (stdout and stderr) become an "update.sent" event, whatever happened.
 * A command that runs past its timeout is killed (the whole process group) and recorded as such.
 *
 * Running the command is the front ends' (warroom/update_run.h, src/cli/update_run.c: the model has no
 * process control). The console drives a send from its poll() loop:
 *
 *     wr_update_run run;
 *     wr_update_start(&run, cmd, "INC-7", "executive", "SEV2", text, timeout_ms);   // never blocks
 *     loop: n = wr_update_pollfds(&run, fds); poll(fds, n, wr_update_wait_ms(&run)) with its own fds;
 *           if (wr_update_pump(&run)) -> finished
 *     wr_update_finish(&run, &opctx, inc, update_seq, &w, &err);   // prepares the update.sent event
 *     then submit w like any other write.
 */
#ifndef WARROOM_UPDATE_H
#define WARROOM_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"

extern const char *const wr_update_audiences[3]; /* internal, executive, customer */
int wr_update_audience_valid(const char *audience);

/* The CAN report (Conditions, Actions, Needs) for an audience, pre-filled from the incident: severity, status,
 * impact, summary, done and open runbook steps, roles and the latest notes (internal), a plainer version
 * for executives and customers (no names, no internal notes). Raw text from the database: clean it before
 * drawing. Caller frees. */
wr_status wr_update_template(wr_store *st, int64_t inc, const char *audience, char **text, wr_error *err);

/* When the next stakeholder update is due. */
typedef struct wr_cadence {
    int64_t every_ms; /* the severity's cadence; 0: none needed (or the incident is not being worked) */
    int64_t last_at;  /* the latest update (any audience), 0 if none yet */
    int64_t due_at;   /* (latest update, else the declaration) + every_ms; 0 when every_ms is 0 */
    int64_t left_ms;  /* due_at - now: negative when overdue */
    int overdue;      /* 1 when now is past due_at */
} wr_cadence;
wr_status wr_update_cadence(wr_store *st, int64_t inc, int64_t now, wr_cadence *out, wr_error *err);

/* Record an update (text 1..16 KiB). */
wr_status wr_op_update(const wr_opctx *c, int64_t inc, const char *audience, const char *text, wr_write *w,
                       wr_error *err);

/* The text an update recorded as update_seq is sent with: as recorded, then a last line carrying the short hash
 * (12 hex digits) of its own timeline entry, the head of the incident's tamper-evident chain when it was
 * recorded (docs/store.md): "[warroom INC-4 #12 chain 1a2b3c4d5e6f]". `warroom verify --against` checks it
 * later. Without a hash (the entry cannot be read) the text goes as recorded. Caller frees. */
char *wr_update_send_text(wr_store *st, int64_t inc, int64_t update_seq, const char *text);

#define WR_UPDATE_OUTPUT_MAX 4096

/* One run of the update command (run by update_run.h). Treat as opaque apart from the documented fields. */
typedef struct wr_update_run {
    int pid;          /* the command (leader of its own process group); 0 once reaped */
    int in_fd;        /* our end of its stdin, -1 once all text is written: poll for POLLOUT */
    int out_fd;       /* our end of its stdout+stderr, -1 at end of file: poll for POLLIN */
    int64_t deadline; /* wr_clock_mono_ms() when it is killed */
    int timeout_ms;
    int finished;     /* 1: the fields below are final */
    int exit_code;    /* -1 unless it exited */
    int signal;       /* the signal that ended it, 0 if none */
    int timed_out;
    char error[256];  /* it could not be started: why ("" if it was) */
    wr_buf output;    /* at most WR_UPDATE_OUTPUT_MAX bytes */
    int truncated;
    char *text;
    size_t text_len, text_off;
} wr_update_run;

/* Prepare the "update.sent" event for the update recorded as update_seq, from a finished run. */
wr_status wr_update_finish(const wr_update_run *r, const wr_opctx *c, int64_t inc, int64_t update_seq,
                           wr_write *w, wr_error *err);


#endif
