/* store_int.h - private to the store layer (store.c, apply*.c, incident.c): the SQLite details that
 * callers never see. */
#ifndef WARROOM_STORE_INT_H
#define WARROOM_STORE_INT_H

#include <sqlite3.h>

#include "warroom/policy.h"
#include "warroom/store.h"
#include "warroom/util.h"

struct wr_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int unsafe_fs; /* read-only because the filesystem's locks cannot be trusted (WR_E_UNSAFE on writes) */
    char readonly_reason[1024];
    wr_buf warnings;
    int rebuilding;   /* replaying the log (wr_store_rebuild): the policy is not checked again */
    int64_t deadline; /* monotonic ms until which the busy handler keeps waiting */
    int read_wait_ms; /* how long opening, and each read, waits for other processes' locks */
    unsigned long long file_dev, file_ino; /* the file opened (wr_store_same_file) */
    int64_t data_version;
    unsigned rng;
    struct wr_stmt_slot {
        const char *sql; /* identity: callers pass string literals */
        sqlite3_stmt *stmt;
    } *cache;            /* grows; statements are never evicted (one per distinct SQL text) */
    size_t ncache;
};

/* A cached prepared statement for a string-literal SQL text, reset and unbound; NULL when it cannot be
 * prepared (SQLite's calls on a NULL statement return SQLITE_MISUSE, so callers just see an error). */
sqlite3_stmt *wr_st_stmt(wr_store *st, const char *sql);
/* Map an SQLite result code to a status with a human message (never "database is locked"). */
wr_status wr_st_error(wr_store *st, int rc, wr_error *err, const char *doing);
/* The same for a read that failed: damage (a broken page, a payload that is no longer JSON) says so and what
 * to do (store_read.c). */
wr_status wr_st_read_error(wr_store *st, int rc, wr_error *err, const char *doing);
/* Count what SQLite logs (damage, I/O errors) from now on (store_read.c; also done at program start). */
void wr_st_log_init(void);
/* Let the reads that follow wait for other processes' locks until the store's read deadline (from now). */
void wr_st_read_begin(wr_store *st);
/* Bind helpers (text may be NULL -> NULL). */
void wr_st_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Copy of column i as a malloc'd string ("" for NULL). */
char *wr_st_col_text(sqlite3_stmt *s, int i);
/* json_extract(payload, path) as a malloc'd string, or NULL if absent. */
char *wr_st_json_get(wr_store *st, const char *json, const char *path);
int64_t wr_st_json_int(wr_store *st, const char *json, const char *path, int64_t dflt);

/* Run body inside one short BEGIN IMMEDIATE transaction, retried with jittered back-off for up to wait_ms
 * while other writers hold the lock. body returns an SQLite result code (SQLITE_OK to commit). */
wr_status wr_st_write(wr_store *st, int wait_ms, int (*body)(wr_store *st, void *ctx), void *ctx, wr_error *err,
                      const char *doing);

/* Set one member of w->payload (json_set), e.g. to record the value an event replaced. */
void wr_st_payload_set(wr_store *st, wr_write *w, const char *path, const char *value);
/* Note that event seq (at time `at`) touched incident inc; bump_version for field changes. SQLite code. */
int wr_st_touch_incident(wr_store *st, int64_t inc, int64_t seq, int64_t at, int bump_version);

/* Event application (apply.c). Called inside the write transaction after the event row is inserted as
 * `seq`. May rewrite w->payload (to record old values) and set w->incident / w->result_id. */
wr_status wr_apply_event(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
/* How one kind of event changes the state. Each module that owns event kinds exports a table of these,
 * ended by {NULL, NULL}, and lists it in apply.c's `modules`. Every applier of a kind runs, in module
 * order. */
typedef wr_status (*wr_apply_fn)(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
typedef struct wr_applier {
    const char *kind;
    wr_apply_fn fn;
} wr_applier;
typedef struct wr_apply_module {
    const wr_applier *appliers;
    const char *reset_sql; /* empties the module's current-state tables (for rebuild) */
} wr_apply_module;

extern const wr_apply_module wr_apply_checklist; /* checklist.c */
extern const wr_apply_module wr_apply_lifecycle; /* lifecycle.c */
extern const wr_apply_module wr_apply_update;    /* update.c */
extern const wr_apply_module wr_apply_action;    /* action.c */
/* Lifecycle hooks the core appliers call (lifecycle.c), inside the write transaction: */
/* after an incident is inserted: the declared milestone, and started/detected given at declaration */
wr_status wr_lc_on_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
/* before a status change: the transition rules (unless overridden) and a merge target */
wr_status wr_lc_status_check(wr_store *st, wr_write *w, const char *old, const char *status, wr_error *err);
/* after it: milestones set or cleared (recorded in the payload), merged_into, the target's timeline entry */
wr_status wr_lc_status_applied(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *old,
                               const char *status, wr_error *err);
/* after a role is assigned: the first incident commander acknowledges the incident */
wr_status wr_lc_on_role(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *role, wr_error *err);
extern const wr_apply_module wr_apply_alert;     /* alert.c */
int wr_st_open_mandatory(wr_store *st, int64_t inc, int phase_index, wr_buf *out);
/* Who may do what (policy_check.c): WR_OK, or WR_E_DENIED naming the roles needed and who holds them. A
 * forceable act with "override" and a reason in the payload passes and is marked "forced" (act). */
wr_status wr_st_policy(wr_store *st, wr_write *w, wr_act act, int forceable, wr_error *err);
/* Empty the current-state tables (for rebuild). */
void wr_apply_reset(wr_store *st);

/* The schema migrations (schema.c): migration i takes user_version i to i+1. Each is a NULL-terminated
 * list of SQL scripts, so each module keeps its tables beside its code (schema parts are `wr_schema_*`). */
extern const char *const *const wr_migrations[];
extern const int wr_nmigrations;
extern const char wr_schema_core_v1[];      /* schema.c */
extern const char wr_schema_checklist_v1[]; /* checklist.c */
extern const char wr_schema_presence_v1[];  /* presence.c */
extern const char wr_schema_lifecycle_v1[]; /* lifecycle.c */
extern const char wr_schema_action_v1[];    /* action.c */
extern const char wr_schema_alert_v1[];     /* alert.c */
extern const char wr_schema_alert_v2[];     /* alert_fold.c: firings, deliveries, notes, sources */

#endif
