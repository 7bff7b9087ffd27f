/* SPDX-License-Identifier: MIT */
/* store.h - the shared incident store: one SQLite file, many operators, nothing lost.
 *
 * The append-only event log is the source of truth. A write is one event: the caller makes it (with a
 * unique id it keeps for retries), the store validates it against the current state and, in the same short
 * BEGIN IMMEDIATE transaction, inserts it and updates the current-state tables. Writing the same event id
 * twice changes nothing and reports the first result, so any write can be retried safely.
 *
 * Locking is done for a file shared by many processes, possibly on a network mount: rollback journal
 * (TRUNCATE, never WAL), synchronous=FULL, every write retried with jittered back-off up to a deadline. The
 * caller gets success or a status it can show; SQLite's "database is locked" never reaches a user.
 *
 * No SQLite type appears in this header: the callers would not change for another back end.
 */
#ifndef WARROOM_STORE_H
#define WARROOM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/actor.h"
#include "warroom/error.h"
#include "warroom/util.h"

/* The schema this warroom writes. A database with a higher user_version is refused untouched. */
#define WR_SCHEMA_VERSION 4


typedef struct wr_store wr_store;

enum {
    WR_OPEN_CREATE = 1 << 0,      /* create the file if missing (warroom init); never implied */
    WR_OPEN_READONLY = 1 << 1,    /* open for reading only */
    WR_OPEN_SINGLE_HOST = 1 << 2, /* the operator confirmed only one host uses this file */
};

typedef struct wr_store_model wr_store_model; /* below: what the domain layer gives the store */

/* Open (or with WR_OPEN_CREATE create) the database at path, for the model's event kinds and schema
 * (most callers use wr_store_open in warroom/model.h, which passes the whole model). A missing file without
 * CREATE is WR_E_MISSING, a newer schema WR_E_SCHEMA (the file is left byte-for-byte unchanged). A file found
 * in WAL mode is switched back to a rollback journal. Migrations run in one transaction. A read-only file
 * opens read-only (wr_store_readonly() says so). Opening (reading the schema, migrating) waits at most
 * wait_ms in all for other processes' locks, and so does each later read (0: one try). Writes take their own
 * wait (wr_store_append). */
wr_store *wr_store_open_model(const char *path, unsigned flags, int wait_ms, const wr_store_model *model,
                              wr_error *err);
/* How long wr_store_open waits for other processes' locks when opening and reading. */
#define WR_STORE_READ_WAIT_MS 15000
void wr_store_close(wr_store *st);
/* The file this store works on: the database, or for PostgreSQL this host's cache of it (drafts, pending
 * writes and the change watch are kept beside it). */
const char *wr_store_path(const wr_store *st);

/* ---- PostgreSQL (docs/store.md "PostgreSQL") ----
 * A target that is a postgresql:// or postgres:// URL, or a libpq key=value string, opens the war room on a
 * PostgreSQL server: the server holds the event log, this host a cache of the state derived from it. */
int wr_store_target_is_remote(const char *target);
int wr_store_is_remote(const wr_store *st);
/* PostgreSQL: the name warroom.operators maps this connection's login role to ("" if none, or a file). */
const char *wr_store_operator(const wr_store *st);
/* What the operator named: the file path, or the connection string (which never holds a password). */
const char *wr_store_name(const wr_store *st);
/* A descriptor to poll() for POLLIN when the server has news (then call wr_store_changed), or -1 (a file, or
 * disconnected). It changes when the store reconnects. */
int wr_store_notify_fd(wr_store *st);
/* 0 while a PostgreSQL store has lost its server (reads show this host's copy); 1 otherwise. */
int wr_store_connected(wr_store *st);
/* Try to reach a lost server again now (a few seconds at most) and catch up: WR_OK or WR_E_IO. */
wr_status wr_store_reconnect(wr_store *st, wr_error *err);
/* Who has a console open, kept on the server for a PostgreSQL war room (presence.c keeps it in files beside
 * an SQLite file): one row per session, its text presence.c's, beaten with one statement that wakes nobody.
 * wr_store_presence_put also reads back the other sessions not expired at `now`, which
 * wr_store_presence_each then gives without asking the server again for max_age_ms. */
typedef int (*wr_store_presence_cb)(const char *session, const char *text, int64_t beat_at, void *ctx);
wr_status wr_store_presence_put(wr_store *st, const char *session, const char *text, int64_t now, int64_t expires,
                                wr_error *err);
wr_status wr_store_presence_remove(wr_store *st, const char *session, wr_error *err);
wr_status wr_store_presence_each(wr_store *st, int64_t now, int64_t max_age_ms, wr_store_presence_cb cb, void *ctx,
                                 wr_error *err);
typedef struct wr_store_backend_info {
    char backend[16];        /* "sqlite" or "postgresql" */
    char cache[1024];        /* postgresql: this host's cache file */
    char server_version[32]; /* "15.20" */
    int tls;                 /* 1: the connection is encrypted */
    int local_socket;        /* 1: connected through a Unix socket (TLS does not apply) */
    char tls_detail[128];    /* protocol and cipher */
    double latency_ms;       /* one round trip */
    int schema_version;
    char role[128];          /* the server role connected as */
    char log_id[40];
    int64_t server_seq;      /* the newest event on the server */
} wr_store_backend_info;
/* What doctor shows of the back end (for PostgreSQL: connects if needed; WR_E_IO when it cannot). */
wr_status wr_store_backend(wr_store *st, wr_store_backend_info *out, wr_error *err);
int wr_store_readonly(const wr_store *st);
/* Why the store is read-only, or "" */
const char *wr_store_readonly_reason(const wr_store *st);
/* Warnings found on open (world-writable file, filesystem caveats), "" if none. */
const char *wr_store_warnings(const wr_store *st);
int wr_store_user_version(wr_store *st);

/* A fresh random event id: 32 lowercase hex characters. */
void wr_uid_new(char out[33]);

/* One event of the log. */
typedef struct wr_event {
    int64_t seq; /* position in the log, increasing; assigned by the store */
    char uid[33];
    int64_t incident; /* 0 if none */
    int64_t occurred_at;
    int64_t recorded_at;
    char *actor, *os_user, *origin, *source, *kind;
    char *payload; /* JSON object */
    int pinned;    /* marked as a key moment */
} wr_event;
void wr_event_clear(wr_event *ev);

/* A prepared write: an event the caller asks the store to record. Prepare it once per user act and keep
 * it until it is acknowledged: retrying the same wr_write is safe. */
typedef struct wr_write {
    char uid[33];
    int64_t incident;    /* target incident; 0 for a declaration */
    int64_t occurred_at; /* when it happened (backfill), 0 = when recorded */
    char *actor, *os_user, *origin, *source;
    char *kind;
    char *payload; /* JSON object text */
    char *describe; /* short human description for pending lists ("note on INC-4") */
    /* Evidence bytes recorded with the event, in the evidence table beside it (NULL: none; taken over, freed
     * by wr_write_clear). The payload then says {"evidence": {"bytes": N, "sha256": HEX}} of exactly these
     * bytes: the chain covers the payload, so verify finds the bytes changed (docs/store.md). */
    unsigned char *blob;
    size_t nblob;
    /* Results, set by wr_store_append on success: */
    int64_t seq;          /* the event's position */
    int64_t result_id;    /* declare: the new incident number */
    int duplicate;        /* 1 if this uid had already been recorded (a retry) */
} wr_write;
/* Fill uid, actor fields, source and kind; payload is taken over (freed by wr_write_clear). */
void wr_write_init(wr_write *w, const wr_actor *actor, const char *source, int64_t incident, const char *kind,
                   char *payload);
void wr_write_clear(wr_write *w);

/* ---- event kinds: the domain layer's, handed to the store at open ----
 * The store knows no kind itself: it inserts the event, then finds its kind in the model it was opened with
 * and runs the kind's check and apply, in the same transaction. Each domain module that owns event kinds
 * exports one wr_kind_module; src/model.c lists them (docs/HACKING.md: adding an event kind). */
typedef struct wr_event_kind {
    const char *name; /* as stored in events.kind: "note", "incident.changed" */
    /* The payload has what apply and describe rely on: WR_OK, or WR_E_INVALID saying what is missing. */
    wr_status (*check)(wr_store *st, const wr_write *w, wr_error *err);
    /* How the event changes the current-state tables (inside the write transaction, after the event row is
     * inserted as seq; also replayed by wr_store_rebuild, so it depends only on the event and the state
     * before it). May record old values in w->payload and set w->incident / w->result_id. A non-OK status
     * rolls the whole write back. */
    wr_status (*apply)(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
    /* One line of human text for the timeline (raw: cleaned when drawn). No store access. */
    void (*describe)(const wr_event *ev, wr_buf *out);
} wr_event_kind;

typedef struct wr_kind_module {
    const char *name;           /* "checklist" */
    const wr_event_kind *kinds; /* ended by a row with name NULL */
    const char *reset_sql;      /* empties the module's current-state tables (for rebuild) */
} wr_kind_module;

struct wr_store_model {
    const wr_kind_module *const *modules;
    size_t nmodules;
    /* Migration i takes user_version i to i+1: a NULL-terminated list of SQL scripts (each module keeps its
     * tables beside its code). There must be WR_SCHEMA_VERSION of them. */
    const char *const *const *migrations;
    int nmigrations;
};

/* The row for kind in model, or NULL. */
const wr_event_kind *wr_store_model_kind(const wr_store_model *model, const char *kind);

/* Record w. wait_ms is how long to keep retrying while other writers hold the lock (0: one try).
 * WR_E_BUSY means nothing was written and the same w may be appended again later. */
wr_status wr_store_append(wr_store *st, wr_write *w, int wait_ms, wr_error *err);

/* Whether the path still leads to the file this store opened: 1 yes; 0 another file is there now (deleted
 * and restored, copied back from a backup, its mount dropped and mounted again): open the path again to
 * see it; -1 nothing is there or it cannot be reached (errno: ENOENT, ENOTCONN, EIO...). One stat(). */
int wr_store_same_file(wr_store *st);

/* Change feed. 1 if another connection committed since the last call (PRAGMA data_version), 0 if not,
 * -1 on error (e.g. the file went away). Cheap: call it from a timer. */
int wr_store_changed(wr_store *st);
/* The highest event seq in the log (0 if empty). */
int64_t wr_store_last_seq(wr_store *st, wr_error *err);

typedef int (*wr_event_cb)(const wr_event *ev, void *ctx); /* return non-zero to stop */
/* Events of one incident (0 = all) with seq > after_seq, oldest first, at most limit (0 = no limit). */
wr_status wr_store_events_after(wr_store *st, int64_t incident, int64_t after_seq, int limit, wr_event_cb cb,
                                void *ctx, wr_error *err);
/* Events of one incident with seq < before_seq (0 = from the newest), newest first, at most limit:
 * keyset paging for long timelines. */
wr_status wr_store_events_before(wr_store *st, int64_t incident, int64_t before_seq, int limit, wr_event_cb cb,
                                 void *ctx, wr_error *err);
/* A list of events gathered from the feed: pass wr_event_list_add and the list as cb and ctx. */
typedef struct wr_event_list {
    wr_event *v;
    size_t n, cap;
} wr_event_list;
int wr_event_list_add(const wr_event *ev, void *list); /* a wr_event_cb: keeps a copy of ev */
void wr_event_list_free(wr_event_list *l);
wr_status wr_store_event_count(wr_store *st, int64_t incident, int64_t *count, wr_error *err);
/* Timeline entry numbers are per incident (INC-2's first entry is #1): an event's rank among its incident's
 * events by seq, derived, never stored (docs/store.md). wr_store_entry_number: the number of event seq
 * (0 when seq is not an event of incident). wr_store_entry_seq: the seq of entry n (0 when there is none). */
wr_status wr_store_entry_number(wr_store *st, int64_t incident, int64_t seq, int64_t *n, wr_error *err);
wr_status wr_store_entry_seq(wr_store *st, int64_t incident, int64_t n, int64_t *seq, wr_error *err);

/* What SQLite met in this process so far, counted even where a caller dropped the error: damage (a broken
 * page: SQLITE_CORRUPT) and I/O errors. A command compares the counts from before and after it ran, so no
 * result read from a broken page is shown as whole. */
typedef struct wr_store_faults {
    unsigned long damaged, io;
} wr_store_faults;
void wr_store_faults_get(wr_store_faults *out);
/* Set err to WR_E_CORRUPT with the sentence for a damaged database (what to run, restore from a backup). */
wr_status wr_store_damaged_error(const char *path, wr_error *err, const char *doing);

/* PRAGMA quick_check (or integrity_check when full): "ok" or the problems, caller frees. */
char *wr_store_check(wr_store *st, int full);
/* journal_mode currently in force ("truncate"). Caller frees. */
char *wr_store_journal_mode(wr_store *st);

/* Rebuild every current-state table from the event log (proof that the log is the truth; used by tests
 * and by `warroom doctor --rebuild`). */
wr_status wr_store_rebuild(wr_store *st, wr_error *err);

/* ---- the chain: a tamper-evident timeline (docs/store.md) ----
 * Every event is sealed, in the transaction that records it, with the SHA-256 of its fields and of the
 * previous event of its incident's chain (the events of no incident form chain 0). */
/* The head of an incident's chain: the hash of its newest event (64 hex digits; "" when it has none) and
 * that event's seq. */
wr_status wr_store_chain_head(wr_store *st, int64_t incident, char head[65], int64_t *seq, wr_error *err);
/* The hash entry seq was sealed with ("" if there is no such entry). */
wr_status wr_store_chain_entry(wr_store *st, int64_t seq, char hash[65]);

typedef enum wr_chain_fault {
    WR_CHAIN_OK,
    WR_CHAIN_EDITED,    /* an entry's fields no longer match the hash it was sealed with */
    WR_CHAIN_DELETED,   /* an entry is gone: the next one links to a hash no entry has */
    WR_CHAIN_INSERTED,  /* an entry warroom did not seal there (no hash, or the next one links past it) */
    WR_CHAIN_REORDERED, /* an entry links to one that now comes after it */
    WR_CHAIN_EVIDENCE,  /* an entry's evidence bytes changed, gone, or put there without an entry for them */
} wr_chain_fault;
/* "ok", "edited", "deleted", "inserted", "reordered", "evidence" */
extern const char *const wr_chain_fault_names[];

typedef struct wr_chain_break {
    int64_t incident;     /* its chain (0: events of no incident) */
    wr_chain_fault fault;
    int64_t seq;          /* the entry named: edited, inserted, out of order, or the first after a gap */
    int64_t other;        /* edited/deleted/inserted: the last good entry before it (0: none); reordered: the
                           * entry it was sealed after */
    int64_t missing;      /* deleted: an entry number no longer in the log (0: cannot tell) */
    int64_t occurred_at;  /* of seq */
    char uid[33];         /* of seq */
    char msg[512];        /* one sentence naming the entry (raw text: clean it when shown) */
} wr_chain_break;

typedef struct wr_chain_report {
    int64_t entries, chains;   /* how many were walked */
    wr_chain_break *breaks;    /* the first break of each broken chain */
    size_t nbreaks;
    /* verify --against HASH: */
    int against_found;         /* 1: an entry of an intact part of its chain has that hash (prefix) */
    int against_matches;       /* entries whose hash starts with it, anywhere */
    int64_t against_seq, against_incident, against_later; /* later entries of its chain */
    char against_hash[65];
} wr_chain_report;

/* The evidence bytes recorded with event seq (wr_write.blob): WR_OK with *data (malloc'd; caller frees) and
 * *n, WR_E_NOTFOUND when it has none. */
wr_status wr_store_evidence(wr_store *st, int64_t seq, unsigned char **data, size_t *n, wr_error *err);

/* Recompute the chain of one incident (incident > 0), of the events of no incident (0) or all (< 0), and
 * report the first break of each chain, and
 * every entry whose evidence bytes no longer match the hash its payload carries (and evidence rows no entry
 * claims). against (NULL: none) is a hash or its first 8+ hex digits to look
 * for. Reads in short pages, never holding writers up for the whole walk. */
wr_status wr_store_chain_verify(wr_store *st, int64_t incident, const char *against, wr_chain_report *out,
                                wr_error *err);
void wr_chain_report_free(wr_chain_report *r);

#endif
