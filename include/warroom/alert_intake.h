/* SPDX-License-Identifier: MIT */
/* alert_intake.h - taking in one whole alert document (a line on stdin, or an HTTP request's body), alert by
 * alert, in batches (docs/alerts.md, "Nothing dropped").
 *
 * The document is checked and split by the one-pass scanner (json_scan.h), so a 16 MiB Alertmanager payload
 * with 10,000 alerts is never built in memory: each alert's text is cleaned (NUL and invalid UTF-8 replaced,
 * with a note), parsed on its own (alert.h), passed through the noise rules, cut to the limits (with notes)
 * and added to the current batch; a batch (at most batch_alerts alerts or about batch_bytes of JSON) is one
 * "alert.received" event in one write transaction: all of it lands or none of it. A bad alert is refused
 * on its own (its index and reason are kept here and in its batch's event); the others land. The first
 * batch that cannot be written stops the intake: what landed before it stays, and the result says which.
 */
#ifndef WARROOM_ALERT_INTAKE_H
#define WARROOM_ALERT_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/alert.h"

#define WR_INTAKE_BATCH_ALERTS 500
#define WR_INTAKE_BATCH_BYTES (1024 * 1024) /* of alert JSON: memory is a few times this */
#define WR_INTAKE_KEEP_ITEMS 1000 /* refusals and notes kept in the result (the counts are exact) */

typedef struct wr_intake_opts {
    const char *source;          /* for Alertmanager payloads and own-shape alerts naming none (NULL: see
                                  * wr_alert_parse) */
    const wr_alert_rules *rules; /* noise rules, may be NULL */
    size_t batch_alerts, batch_bytes; /* 0: the defaults above */
    int wait_ms;                 /* how long each batch may wait for the write lock */
    const char *request;         /* JSON object text added to each event's "request" (may be NULL) */
} wr_intake_opts;

typedef struct wr_intake_item {
    size_t index;  /* position in the payload's "alerts" (0 for an own-shape document) */
    char *text;    /* the reason it was refused, or a note on what was cut or replaced */
} wr_intake_item;

typedef struct wr_intake_batch {
    size_t first, last; /* the payload positions it covers (refused and dropped alerts included) */
    size_t n;           /* alerts in it */
    int landed;         /* 1 committed, 0 not written */
    int64_t seq;        /* its event, when landed */
} wr_intake_batch;

typedef struct wr_intake {
    const char *format;   /* "alertmanager", "warroom", or NULL when the document was refused whole */
    char *doc_error;      /* the document was refused whole (nothing recorded): why */
    long received;        /* alerts in the document */
    long landed;          /* recorded, in batches that were written */
    long not_landed;      /* accepted, but in a batch that could not be written */
    long rejected;        /* refused one by one */
    long noted;           /* alerts with something cut or replaced */
    long dropped;         /* dropped by noise rules (counted in alert_drops, not recorded) */
    long truncated;       /* Alertmanager's truncatedAlerts: cut by its max_alerts before sending */
    wr_alert_outcome outcome; /* of the landed ones */
    wr_intake_item *rejects, *notes; /* the first WR_INTAKE_KEEP_ITEMS of each */
    size_t nrejects, nnotes;
    wr_intake_batch *batches;
    size_t nbatches;
    char **drop_rules;    /* noise rules that dropped something, and how many */
    int64_t *drop_counts;
    size_t ndrops;
    wr_status status;     /* WR_OK, WR_E_INVALID (doc_error), or the store failure that stopped it */
    wr_error err;
} wr_intake;

/* Take one document. c->store is written to. Returns out->status. */
wr_status wr_intake_doc(const wr_opctx *c, wr_alert_parser *p, const char *doc, size_t len,
                        const wr_intake_opts *o, wr_intake *out);
void wr_intake_free(wr_intake *t);

#endif
