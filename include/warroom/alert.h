/* SPDX-License-Identifier: MIT */
/* alert.h - alert intake, noise rules and triage (docs/alerts.md).
 *
 * Intake: `warroom alert` reads JSON documents on stdin, one per line, or a pretty-printed document that
 * starts with a line holding only "{" and ends with a line holding only "}" (what jq, python -m json.tool
 * and Go's MarshalIndent print). Two shapes are understood, told apart by their keys:
 *   - warroom's own: {"source", "title", "severity", "labels", "status", "starts_at", "ends_at", "url",
 *     "description", "fingerprint"}: an object with "title";
 *   - the Prometheus Alertmanager webhook payload as it is (version "4"): an object with "alerts".
 * JSON is read with SQLite's JSON functions (an in-memory connection), never by hand.
 *
 * Every alert has a fingerprint: given, or the first 16 hex digits of SHA-256 over its source and sorted
 * labels; an alert is known by its source and fingerprint together (one row per alert). Folding counts
 * firings: the same start time again is a re-notification (last seen only), a new start time is a new
 * firing (count + 1), a resolved one marks it resolved (docs/alerts.md has the whole table). Intake is one
 * event per batch ("alert.received", no incident), so folding happens inside the store's write
 * transaction: two intakes at once never lose a count. warroom/alert_intake.h takes whole payloads.
 *
 * Triage: declare an incident from an alert, attach it to an incident, or dismiss it with a reason; each
 * is one event, first one wins (WR_E_CONFLICT names who triaged it and how).
 */
#ifndef WARROOM_ALERT_H
#define WARROOM_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"
#include "warroom/util.h"

#define WR_ALERT_MAX_DOC (32 * 1024 * 1024) /* bytes in one document (line, pretty-printed block, HTTP body) */
/* Limits of what is stored; longer parts are cut (at a character boundary, ending in "…") and more labels
 * or annotations than these are dropped, with a note on the alert saying so. */
#define WR_ALERT_MAX_LABELS 64
#define WR_ALERT_MAX_ANNOTATIONS 64
#define WR_ALERT_NAME_MAX 128   /* label and annotation names: longer ones are dropped */
#define WR_ALERT_VALUE_MAX 1024 /* label values */
#define WR_ALERT_TEXT_MAX 16384 /* annotation values, description */
#define WR_ALERT_URL_MAX 4096
#define WR_ALERT_TITLE_MAX 200

/* One alert as taken in. */
/* An alert's status: firing or resolved (the names as stored and as Alertmanager sends them). */
typedef enum wr_alert_state { WR_ALERT_UNKNOWN = -1, WR_ALERT_FIRING, WR_ALERT_RESOLVED } wr_alert_state;
/* The state a status name is (WR_ALERT_UNKNOWN for anything else, NULL included). */
wr_alert_state wr_alert_state_of(const char *status);

typedef struct wr_alert {
    char *source, *fingerprint, *title;
    char *severity;     /* SEV1..SEV5 */
    char *severity_raw; /* as the sender wrote it ("critical"), "" if none */
    char *status;       /* "firing" or "resolved" */
    char **label_keys, **label_values; /* sorted by key (bytewise), unique */
    size_t nlabels;
    char *annotations;  /* JSON object text, "{}" if none */
    char *url, *description;
    int64_t starts_at, ends_at; /* UTC ms, 0 when not given */
    char *rule;         /* the noise rule that lowered it, NULL if none */
    char *notes;        /* what was cut or replaced on the way in: a JSON array of strings, NULL if none */
} wr_alert;
void wr_alert_clear(wr_alert *a);
/* The value of label key, or NULL. */
const char *wr_alert_label(const wr_alert *a, const char *key);
/* Labels as a canonical JSON object (keys sorted). Caller frees. */
char *wr_alert_labels_json(const wr_alert *a);
/* Set labels from parallel arrays (copied, sorted; later duplicates replace earlier ones) and, when the
 * alert has no fingerprint, compute it. */
void wr_alert_set_labels(wr_alert *a, const char *const *keys, const char *const *values, size_t n);
/* The computed fingerprint of source + labels (16 hex digits + NUL). */
void wr_alert_fingerprint(const wr_alert *a, char out[17]);
/* Add a note (what was cut or replaced) to a->notes. */
void wr_alert_note(wr_alert *a, const char *fmt, ...) WR_PRINTF(2, 3);
/* A copy of s cut to at most max bytes (max >= 4) at a UTF-8 character boundary, ending in "…" when cut;
 * *was_cut (may be NULL) says whether it was. */
char *wr_alert_cut(const char *s, size_t max, int *was_cut);
/* Cut an alert to the limits above, with notes: at most WR_ALERT_MAX_LABELS labels (alertname and severity
 * are always kept, then the first by name), names of 1..WR_ALERT_NAME_MAX bytes, values cut to
 * WR_ALERT_VALUE_MAX. The fingerprint stays the one computed over all the labels. */
void wr_alert_trim(wr_alert *a);
/* A severity word as SEV1..SEV5: SEVn itself, critical/emergency/page/p1 -> SEV1, high/error/major/p2 ->
 * SEV2, warning/medium/minor/p3 -> SEV3, low/p4 -> SEV4, info/informational/notice/none/p5 -> SEV5
 * (case-insensitive). NULL if unknown. */
const char *wr_alert_severity(const char *word);
/* 1 if s is an acceptable fingerprint: 1-128 of [A-Za-z0-9._:/-]. */
int wr_alert_fingerprint_valid(const char *s);

typedef struct wr_alert_batch {
    wr_alert *v;
    size_t n;
    const char *format; /* "warroom" or "alertmanager" */
} wr_alert_batch;
void wr_alert_batch_free(wr_alert_batch *b);

/* The parser holds an in-memory SQLite connection for the JSON functions. */
typedef struct wr_alert_parser wr_alert_parser;
wr_alert_parser *wr_alert_parser_new(void);
void wr_alert_parser_free(wr_alert_parser *p);
/* Parse one document whole, all or nothing (at most 10,000 alerts; a NUL refused): for small documents and
 * tests. Intake goes through warroom/alert_intake.h, which takes a payload alert by alert, repairs NUL and
 * invalid UTF-8 and cuts to the limits. source: the source for Alertmanager payloads and for own-shape
 * alerts without "source" (NULL: Alertmanager's is "alertmanager", own-shape ones must name theirs). 0 ok
 * (out filled, untrimmed; an Alertmanager payload may hold no alert), -1 with one line of reason in why
 * (nothing in out). */
int wr_alert_parse(wr_alert_parser *p, const char *doc, size_t len, const char *source, wr_alert_batch *out,
                   wr_buf *why);

/* One element of an Alertmanager payload's "alerts" (a JSON object text, NUL-terminated; idx is its
 * position, for reasons "alerts[3]: ..."). 0 with a filled (untrimmed) alert, or -1 with a reason. */
int wr_alert_parse_am_alert(wr_alert_parser *p, const char *json, const char *source, size_t idx, wr_alert *a,
                            wr_buf *why);

/* Splitting a byte stream into documents. Feed it any chunks; it calls fn for every document (error
 * NULL) or rejected line (doc NULL, error set), with the line number where it starts. */
typedef void (*wr_alert_doc_fn)(const char *doc, size_t len, long line, const char *error, void *ctx);
typedef struct wr_alert_splitter {
    wr_alert_doc_fn fn;
    void *ctx;
    wr_buf line, doc;
    long lineno, doc_line;
    int line_too_long, multi, doc_too_big;
} wr_alert_splitter;
void wr_alert_split_init(wr_alert_splitter *s, wr_alert_doc_fn fn, void *ctx);
void wr_alert_split_feed(wr_alert_splitter *s, const char *data, size_t len);
/* End of input: a last line without newline is a line; an unterminated pretty-printed document is an
 * error. Frees the buffers. */
void wr_alert_split_finish(wr_alert_splitter *s);

/* ---- noise rules (alert-rules.yaml) ---- */

typedef struct wr_alert_matcher {
    char *label, *value;
    int is_regex;
    void *re; /* regex_t, when is_regex */
} wr_alert_matcher;
typedef struct wr_alert_rule {
    char *name;
    char *source;   /* NULL: any */
    wr_alert_matcher *m;
    size_t nm;
    int drop;       /* 1 drop, 0 lower */
    char *severity; /* lower: at most this severe (SEV1..SEV5) */
    int line;
} wr_alert_rule;
typedef struct wr_alert_rules {
    char *path;
    wr_alert_rule *v;
    size_t n;
} wr_alert_rules;
wr_alert_rules *wr_alert_rules_load_file(const char *path, wr_buf *err);
wr_alert_rules *wr_alert_rules_load_mem(const char *name, const char *data, size_t len, wr_buf *err);
void wr_alert_rules_free(wr_alert_rules *r);
/* $XDG_CONFIG_HOME/warroom/alert-rules.yaml, else /etc/warroom/alert-rules.yaml; NULL if neither. */
char *wr_alert_rules_default_path(void);
/* The first rule matching a (all its matchers; a missing label reads as ""), or NULL. */
const wr_alert_rule *wr_alert_rules_match(const wr_alert_rules *r, const wr_alert *a);
/* Apply the first matching rule: 1 = drop it, 0 = keep it (severity lowered and a->rule set if a lower
 * rule matched). *matched (may be NULL) gets the rule or NULL. */
int wr_alert_rules_apply(const wr_alert_rules *r, wr_alert *a, const wr_alert_rule **matched);

/* ---- the store ---- */

/* Triage states. */
#define WR_ALERT_NEW "new"
#define WR_ALERT_DECLARED "declared"
#define WR_ALERT_ATTACHED "attached"
#define WR_ALERT_DISMISSED "dismissed"

typedef struct wr_alert_row {
    int64_t id; /* local number, "#12" */
    char *fingerprint, *source, *title, *severity, *severity_raw, *status;
    char *labels, *annotations; /* JSON objects */
    char *url, *rule;
    char *notes;       /* JSON array: what was cut or replaced on the way in */
    int64_t count;     /* firings (see docs/alerts.md) */
    int64_t starts_at, ends_at, first_seen, last_seen, resolved_at;
    char *triage;      /* new, declared, attached, dismissed */
    int64_t incident;  /* when declared or attached */
    char *reason;      /* dismissal reason */
    char *triaged_by;
    int64_t triaged_at;
} wr_alert_row;
void wr_alert_row_clear(wr_alert_row *r);
void wr_alert_rows_free(wr_alert_row *v, size_t n);

enum {
    WR_ALERTS_ALL = 1 << 0, /* every alert, not only those awaiting triage */
};
/* Alerts awaiting triage (triage "new"), or all (WR_ALERTS_ALL); all those of one incident when
 * incident != 0.
 * Newest first (last seen, then id). */
wr_status wr_alert_list(wr_store *st, unsigned flags, int64_t incident, wr_alert_row **out, size_t *n,
                        wr_error *err);
wr_status wr_alert_list_json(wr_store *st, unsigned flags, int64_t incident, char **json, wr_error *err);
/* An alert by "#ID" or by fingerprint or a unique prefix of one (the newest occurrence). */
wr_status wr_alert_find(wr_store *st, const char *ref, wr_alert_row *out, wr_error *err);
/* How many alerts await triage, and how many of those are firing (for a badge). */
wr_status wr_alert_pending(wr_store *st, int64_t *waiting, int64_t *firing, wr_error *err);
/* Alerts dropped by each noise rule (not stored; counted). */
typedef struct wr_alert_drop {
    char *rule;
    int64_t count, last_at;
} wr_alert_drop;
wr_status wr_alert_drops(wr_store *st, wr_alert_drop **out, size_t *n, wr_error *err);
void wr_alert_drops_free(wr_alert_drop *v, size_t n);
/* Add counts of dropped alerts (one short write, not an event). */
wr_status wr_alert_count_drops(wr_store *st, const char *const *rules, const int64_t *counts, size_t n,
                               int wait_ms, wr_error *err);

/* Intake of a batch (n >= 1): one "alert.received" event. After wr_store_append, w->payload tells what
 * happened; wr_alert_intake_outcome reads it. */
wr_status wr_op_alert_intake(const wr_opctx *c, const wr_alert *v, size_t n, wr_write *w, wr_error *err);
/* What a batch of a larger payload carries besides its alerts (every member may be NULL/0). */
typedef struct wr_alert_batch_info {
    const size_t *index;  /* each alert's position in its payload (NULL: 0..n-1) */
    const char *rejected; /* JSON array of {"index":N,"reason":"..."}: the payload's alerts refused in this
                           * batch's range; a batch may then hold no alert at all */
    size_t nrejected;     /* how many that array holds */
    const char *request;  /* JSON object about the request (format, source, batch i of n, ...) */
} wr_alert_batch_info;
wr_status wr_op_alert_intake_batch(const wr_opctx *c, const wr_alert *v, size_t n, const wr_alert_batch_info *info,
                                   wr_write *w, wr_error *err);
typedef struct wr_alert_outcome {
    int new_;       /* a new alert */
    int folded;     /* a repeat of a firing alert sent without a start time: count + 1 */
    int refired;    /* a new firing (new start time) of a known alert: count + 1 */
    int renotified; /* the same firing again (same start time): last seen only */
    int resolved;
    int duplicate;  /* a resolution already recorded: last seen only */
} wr_alert_outcome;
void wr_alert_intake_outcome(wr_store *st, const char *payload, wr_alert_outcome *out);

/* Declare an incident from an alert: an "incident.declared" event whose payload carries the alert (its
 * title and severity unless given), which is linked in the same transaction. kind: "real" or "drill". */
wr_status wr_op_alert_declare(const wr_opctx *c, const wr_alert_row *a, const char *severity, const char *type,
                              const char *kind, wr_write *w, wr_error *err);
/* Attach an alert to an incident: an "alert.attached" event in its timeline, with the alert's details. */
wr_status wr_op_alert_attach(const wr_opctx *c, const wr_alert_row *a, int64_t inc, wr_write *w, wr_error *err);
/* Dismiss an alert (reason required). */
wr_status wr_op_alert_dismiss(const wr_opctx *c, const wr_alert_row *a, const char *reason, wr_write *w,
                              wr_error *err);


#endif
