/* SPDX-License-Identifier: MIT */
/* error.h - the one error convention: a function that can fail returns a wr_status and, when given a
 * wr_error, fills it with the status and one or two sentences for a human (what happened, what to do). Exit
 * codes come only from wr_status_exit_code. Util-level: every layer uses it. */
#ifndef WARROOM_ERROR_H
#define WARROOM_ERROR_H

typedef enum wr_status {
    WR_OK = 0,
    WR_E_INVALID,  /* the request is wrong; nothing was written */
    WR_E_NOTFOUND, /* no such incident, role, step, ... */
    WR_E_CONFLICT, /* someone else changed it first; the message says who and when */
    WR_E_BUSY,     /* the write lock was not had before the deadline; nothing written; retrying is safe */
    WR_E_READONLY, /* the file or its directory is read-only for this user */
    WR_E_FULL,     /* the disk is full; nothing written */
    WR_E_IO,       /* an I/O error (network mount gone?) */
    WR_E_CORRUPT,  /* not a warroom database, or damaged */
    WR_E_SCHEMA,   /* made by a newer warroom */
    WR_E_MISSING,  /* the database file is not where it is expected */
    WR_E_UNSAFE,   /* the filesystem's locks cannot be trusted for writing */
    WR_E_GATE,     /* leaving a phase with mandatory steps open: needs an override with a reason */
    WR_E_DENIED,   /* not allowed by the policy: the message names the role needed and who holds it */
} wr_status;

typedef struct wr_error {
    wr_status status;
    char msg[1024]; /* one or two sentences for a human: what happened and what to do */
} wr_error;

const char *wr_status_name(wr_status s);
/* Process exit code for a status (documented in the README): 0 ok, 2 invalid, 3 not found, 4 conflict,
 * 5 busy, 6 read-only, 7 disk full, 8 I/O, 9 corrupt, 10 newer schema, 11 missing, 12 unsafe filesystem,
 * 13 phase gate (mandatory steps open), 14 not allowed (the policy: who may do what). */
int wr_status_exit_code(wr_status s);
/* Set err (if not NULL) and return status. */
wr_status wr_error_set(wr_error *err, wr_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* For code that keeps a message buffer: 1 when st is a failure, with err's message copied into buf. */
int wr_error_took(wr_status st, const wr_error *err, char *buf, unsigned long size);

#endif
