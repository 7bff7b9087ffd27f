/* SPDX-License-Identifier: MIT */
/* store_chain.c - the tamper-evident chain of the event log (docs/store.md, "A tamper-evident timeline").
 *
 * Each event carries prev_hash (the hash of the event before it in its incident's chain, "" for the first) and
 * hash = SHA-256 of a canonical serialisation of its own fields and prev_hash. One chain per incident (the
 * events of no incident form chain 0). Events are sealed inside the write transaction that inserted them,
 * after their kind's apply (which may still change the payload or the incident, or insert an event of its
 * own), so the previous hash is read and written under the write lock. */
#include "store_int.h"

#include "warroom/migrate.h"
#include "warroom/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_COLS                                                                                              \
    "seq, uid, coalesce(incident, 0), occurred_at, recorded_at, actor, os_user, origin, source, kind, payload, " \
    "prev_hash, hash "

static void put_field(wr_sha256 *h, const void *p, size_t n)
{
    char len[32];
    int k = snprintf(len, sizeof len, "%zu:", n);
    wr_sha256_update(h, len, (size_t)k);
    if (n)
        wr_sha256_update(h, p, n);
    wr_sha256_update(h, "\n", 1);
}

static void put_int(wr_sha256 *h, int64_t v)
{
    char num[32];
    int k = snprintf(num, sizeof num, "%lld", (long long)v);
    put_field(h, num, (size_t)k);
}

static void put_col(wr_sha256 *h, sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    put_field(h, t ? (const char *)t : "", t ? (size_t)sqlite3_column_bytes(s, i) : 0);
}

/* The hash of the row s is on (columns as ROW_COLS), chained to prev. */
static void row_hash(sqlite3_stmt *s, const char *prev, char out[65])
{
    wr_sha256 h;
    wr_sha256_init(&h);
    wr_sha256_update(&h, "warroom-chain-1\n", 16);
    put_field(&h, prev, strlen(prev));
    put_col(&h, s, 1);                          /* uid */
    put_int(&h, sqlite3_column_int64(s, 2));    /* incident, 0 for none */
    put_int(&h, sqlite3_column_int64(s, 3));    /* occurred_at */
    put_int(&h, sqlite3_column_int64(s, 4));    /* recorded_at */
    for (int i = 5; i <= 10; i++)               /* actor, os_user, origin, source, kind, payload */
        put_col(&h, s, i);
    unsigned char d[32];
    wr_sha256_final(&h, d);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}

static void copy_hash(char out[65], const unsigned char *t)
{
    snprintf(out, 65, "%s", t ? (const char *)t : "");
}

/* The hash of the newest sealed event of incident's chain before seq ("" if none). */
static int prev_of(wr_store *st, int64_t incident, int64_t seq, char out[65])
{
    sqlite3_stmt *s = incident
                          ? wr_st_stmt(st, "SELECT hash FROM events WHERE incident = ?1 AND seq < ?2"
                                           " AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1")
                          : wr_st_stmt(st, "SELECT hash FROM events WHERE incident IS NULL AND seq < ?2"
                                           " AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1");
    if (incident)
        sqlite3_bind_int64(s, 1, incident);
    sqlite3_bind_int64(s, 2, seq);
    int rc = sqlite3_step(s);
    out[0] = '\0';
    if (rc == SQLITE_ROW)
        copy_hash(out, sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int wr_st_chain_seal(wr_store *st, int64_t from_seq)
{
    int64_t after = from_seq - 1;
    for (;;) {
        sqlite3_stmt *s = wr_st_stmt(st, "SELECT " ROW_COLS "FROM events WHERE seq > ?1 AND hash IS NULL"
                                         " ORDER BY seq LIMIT 1");
        sqlite3_bind_int64(s, 1, after);
        int rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(s);
            return rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
        int64_t seq = sqlite3_column_int64(s, 0), inc = sqlite3_column_int64(s, 2);
        char prev[65], hash[65];
        rc = prev_of(st, inc, seq, prev);
        if (rc == SQLITE_OK)
            row_hash(s, prev, hash);
        sqlite3_reset(s);
        if (rc != SQLITE_OK)
            return rc;
        sqlite3_stmt *u = wr_st_stmt(st, "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3");
        sqlite3_bind_text(u, 1, prev, -1, SQLITE_STATIC);
        sqlite3_bind_text(u, 2, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(u, 3, seq);
        rc = sqlite3_step(u);
        sqlite3_reset(u);
        if (rc != SQLITE_DONE)
            return rc;
        after = seq;
    }
}

/* ---- reading the chain ---- */

const char *const wr_chain_fault_names[] = {"ok", "edited", "deleted", "inserted", "reordered", "evidence"};

wr_status wr_store_chain_head(wr_store *st, int64_t incident, char head[65], int64_t *seq, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = incident ? wr_st_stmt(st, "SELECT hash, seq FROM events WHERE incident = ?1"
                                                " ORDER BY seq DESC LIMIT 1")
                               : wr_st_stmt(st, "SELECT hash, seq FROM events WHERE incident IS NULL"
                                                " ORDER BY seq DESC LIMIT 1");
    if (incident)
        sqlite3_bind_int64(s, 1, incident);
    int rc = sqlite3_step(s);
    head[0] = '\0';
    if (seq)
        *seq = 0;
    if (rc == SQLITE_ROW) {
        copy_hash(head, sqlite3_column_text(s, 0));
        if (seq)
            *seq = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return wr_st_read_error(st, rc, err, "reading the chain's head");
    return WR_OK;
}

wr_status wr_store_chain_entry(wr_store *st, int64_t seq, char hash[65])
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT hash FROM events WHERE seq = ?1");
    sqlite3_bind_int64(s, 1, seq);
    int rc = sqlite3_step(s);
    hash[0] = '\0';
    if (rc == SQLITE_ROW)
        copy_hash(hash, sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WR_OK : wr_st_read_error(st, rc, NULL, "reading the chain");
}

typedef struct walk {
    wr_store *st;
    wr_chain_report *out;
    int64_t inc;          /* the chain being walked */
    char expect[65];      /* the hash the next entry must link to */
    int64_t last_good;    /* the last entry that verified (0: none yet) */
} walk;

/* "#12 (note by alice)" of the row s is on */
static void name_row(sqlite3_stmt *s, char *out, size_t size)
{
    const unsigned char *kind = sqlite3_column_text(s, 9), *actor = sqlite3_column_text(s, 5);
    snprintf(out, size, "#%lld (%.60s by %.60s)", (long long)sqlite3_column_int64(s, 0),
             kind ? (const char *)kind : "?", actor ? (const char *)actor : "?");
}

static wr_chain_break *add_break(walk *w, sqlite3_stmt *s, wr_chain_fault fault)
{
    wr_chain_report *r = w->out;
    r->breaks = wr_xrealloc(r->breaks, (r->nbreaks + 1) * sizeof *r->breaks);
    wr_chain_break *b = &r->breaks[r->nbreaks++];
    memset(b, 0, sizeof *b);
    b->incident = w->inc;
    b->fault = fault;
    b->seq = sqlite3_column_int64(s, 0);
    b->occurred_at = sqlite3_column_int64(s, 3);
    const unsigned char *uid = sqlite3_column_text(s, 1);
    snprintf(b->uid, sizeof b->uid, "%s", uid ? (const char *)uid : "");
    return b;
}

/* The entry after seq in the walked chain: its seq and prev_hash (0 if none). */
static int64_t next_in_chain(walk *w, int64_t seq, char prev[65])
{
    sqlite3_stmt *s = w->inc ? wr_st_stmt(w->st, "SELECT seq, prev_hash FROM events WHERE incident = ?1"
                                                 " AND seq > ?2 ORDER BY seq LIMIT 1")
                             : wr_st_stmt(w->st, "SELECT seq, prev_hash FROM events WHERE incident IS NULL"
                                                 " AND seq > ?2 ORDER BY seq LIMIT 1");
    if (w->inc)
        sqlite3_bind_int64(s, 1, w->inc);
    sqlite3_bind_int64(s, 2, seq);
    int64_t n = 0;
    prev[0] = '\0';
    if (sqlite3_step(s) == SQLITE_ROW) {
        n = sqlite3_column_int64(s, 0);
        copy_hash(prev, sqlite3_column_text(s, 1));
    }
    sqlite3_reset(s);
    return n;
}

/* Hash does not match the fields: edited, unless the next entry links straight past it (inserted). */
static void bad_hash(walk *w, sqlite3_stmt *s)
{
    char me[160], prev[65];
    name_row(s, me, sizeof me);
    int64_t next = next_in_chain(w, sqlite3_column_int64(s, 0), prev);
    if (next && strcmp(prev, w->expect) == 0) {
        wr_chain_break *b = add_break(w, s, WR_CHAIN_INSERTED);
        b->other = next;
        snprintf(b->msg, sizeof b->msg, "entry %s was inserted: the entry after it, #%lld, links straight to %s%lld",
                 me, (long long)next, w->last_good ? "#" : "the chain's start before #", (long long)(w->last_good ? w->last_good : next));
        return;
    }
    wr_chain_break *b = add_break(w, s, WR_CHAIN_EDITED);
    b->other = w->last_good;
    snprintf(b->msg, sizeof b->msg, "entry %s was edited: its fields no longer match the hash it was sealed with",
             me);
}

/* The fields match the hash but the link is not to the entry before: reordered, inserted or deleted. */
static void bad_link(walk *w, sqlite3_stmt *s)
{
    char me[160];
    name_row(s, me, sizeof me);
    int64_t seq = sqlite3_column_int64(s, 0);
    const unsigned char *prev = sqlite3_column_text(s, 11);
    sqlite3_stmt *f = wr_st_stmt(w->st, "SELECT seq, coalesce(incident, 0) FROM events WHERE hash = ?1 LIMIT 1");
    sqlite3_bind_text(f, 1, (const char *)prev, -1, SQLITE_TRANSIENT);
    int64_t pseq = 0, pinc = 0;
    if (*prev && sqlite3_step(f) == SQLITE_ROW) {
        pseq = sqlite3_column_int64(f, 0);
        pinc = sqlite3_column_int64(f, 1);
    }
    sqlite3_reset(f);
    if (pseq && pinc == w->inc && pseq > seq) {
        wr_chain_break *b = add_break(w, s, WR_CHAIN_REORDERED);
        b->other = pseq;
        snprintf(b->msg, sizeof b->msg, "entry %s is out of order: it was sealed after #%lld, which now comes after it",
                 me, (long long)pseq);
        return;
    }
    if (pseq && pinc == w->inc) {
        /* It links to an earlier entry: what lies between was put there. */
        char nprev[65];
        int64_t first = next_in_chain(w, pseq, nprev);
        sqlite3_stmt *q = wr_st_stmt(w->st, "SELECT " ROW_COLS "FROM events WHERE seq = ?1");
        sqlite3_bind_int64(q, 1, first);
        if (sqlite3_step(q) == SQLITE_ROW) {
            char ins[160];
            name_row(q, ins, sizeof ins);
            wr_chain_break *b = add_break(w, q, WR_CHAIN_INSERTED);
            b->other = seq;
            snprintf(b->msg, sizeof b->msg, "entry %s was inserted: #%lld links straight to #%lld, before it", ins,
                     (long long)seq, (long long)pseq);
        }
        sqlite3_reset(q);
        return;
    }
    if (pseq) {
        wr_chain_break *b = add_break(w, s, WR_CHAIN_EDITED);
        b->other = pseq;
        snprintf(b->msg, sizeof b->msg, "entry %s was moved: it links to #%lld of %s%lld", me, (long long)pseq,
                 pinc ? "INC-" : "the log outside incidents, ", (long long)pinc);
        return;
    }
    /* Linked to a hash no entry has: what it followed was deleted. Name a missing entry number if there is one. */
    wr_chain_break *b = add_break(w, s, WR_CHAIN_DELETED);
    b->other = w->last_good;
    sqlite3_stmt *g = wr_st_stmt(w->st, "SELECT seq FROM events WHERE seq > ?1 AND seq < ?2 ORDER BY seq");
    sqlite3_bind_int64(g, 1, w->last_good);
    sqlite3_bind_int64(g, 2, seq);
    int64_t want = w->last_good + 1;
    while (sqlite3_step(g) == SQLITE_ROW && sqlite3_column_int64(g, 0) == want)
        want++;
    sqlite3_reset(g);
    if (want < seq)
        b->missing = want;
    char gap[80] = "";
    if (b->missing)
        snprintf(gap, sizeof gap, " (entry #%lld is no longer in the log)", (long long)b->missing);
    if (w->last_good)
        snprintf(b->msg, sizeof b->msg, "an entry between #%lld and #%lld was deleted%s: %s links to a hash no "
                 "entry has", (long long)w->last_good, (long long)seq, gap, me);
    else
        snprintf(b->msg, sizeof b->msg, "an entry before %s, the first of its chain now, was deleted%s: it links to a "
                 "hash no entry has", me, gap);
}

static int prefix_of(const char *against, const char *hash)
{
    size_t n = strlen(against);
    return n && strncmp(against, hash, n) == 0;
}

wr_status wr_store_chain_verify(wr_store *st, int64_t incident, const char *against, wr_chain_report *out,
                                wr_error *err)
{
    memset(out, 0, sizeof *out);
    if (st->remote) {
        /* A PostgreSQL war room: the server's log is checked, as it is there (someone with rights on the server
         * could have changed it), not this host's cache of it: a raw copy into a private temporary file. */
        wr_store *snap = NULL;
        char *path = NULL;
        wr_status s = wr_store_log_snapshot(st, &snap, &path, err);
        if (s != WR_OK)
            return s;
        s = wr_store_chain_verify(snap, incident, against, out, err);
        wr_store_log_snapshot_drop(snap, path);
        return s;
    }
    char want[65] = "";
    if (against) {
        size_t n = strlen(against);
        if (n < 8 || n > 64)
            return wr_error_set(err, WR_E_INVALID, "a chain hash is 8 to 64 hex digits (the short head an update "
                                "carries has 12); \"%.80s\" is not", against);
        for (size_t i = 0; i < n; i++) {
            char ch = against[i];
            if (ch >= 'A' && ch <= 'F')
                ch = (char)(ch - 'A' + 'a');
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
                return wr_error_set(err, WR_E_INVALID, "a chain hash is hex digits; \"%.80s\" is not", against);
            want[i] = ch;
        }
        want[n] = '\0';
    }
    /* In pages of PAGE entries, each its own short read: writers are never held up for a whole walk.
     * Appends meanwhile only add at the ends of chains, which the walk reaches or not. */
    enum { PAGE = 512 };
    walk w = {st, out, 0, "", 0};
    int started = 0, broken = 0;
    int64_t key_seq = 0;
    /* The chains one at a time: chain 0 (no incident) first, then each incident in order, found by index. */
    int64_t chain = incident < 0 ? 0 : incident;
    for (;;) {
        key_seq = 0;
        for (;;) {
            sqlite3_stmt *s = chain ? wr_st_stmt(st, "SELECT " ROW_COLS "FROM events WHERE incident = ?1 AND seq > ?2"
                                                     " ORDER BY seq LIMIT ?3")
                                    : wr_st_stmt(st, "SELECT " ROW_COLS "FROM events WHERE incident IS NULL AND"
                                                     " seq > ?2 ORDER BY seq LIMIT ?3");
            if (chain)
                sqlite3_bind_int64(s, 1, chain);
            sqlite3_bind_int64(s, 2, key_seq);
            sqlite3_bind_int(s, 3, PAGE);
            wr_st_read_begin(st);
            int rc, n = 0;
            while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                n++;
                int64_t seq = sqlite3_column_int64(s, 0), inc = sqlite3_column_int64(s, 2);
                key_seq = seq;
                if (!started || inc != w.inc) {
                    started = 1;
                    w.inc = inc;
                    w.expect[0] = '\0';
                    w.last_good = 0;
                    broken = 0;
                    out->chains++;
                }
                out->entries++;
                const unsigned char *prev = sqlite3_column_text(s, 11), *hash = sqlite3_column_text(s, 12);
                if (*want && hash && prefix_of(want, (const char *)hash))
                    out->against_matches++;
                if (broken)
                    continue;
                if (!prev || !hash) {
                    char me[160];
                    name_row(s, me, sizeof me);
                    wr_chain_break *b = add_break(&w, s, WR_CHAIN_INSERTED);
                    b->other = w.last_good;
                    snprintf(b->msg, sizeof b->msg, "entry %s was inserted: it carries no chain hash, so warroom "
                             "did not write it", me);
                    broken = 1;
                    continue;
                }
                char own[65];
                row_hash(s, (const char *)prev, own);
                if (strcmp(own, (const char *)hash) != 0) {
                    bad_hash(&w, s);
                    broken = 1;
                    continue;
                }
                if (strcmp((const char *)prev, w.expect) != 0) {
                    bad_link(&w, s);
                    broken = 1;
                    continue;
                }
                snprintf(w.expect, sizeof w.expect, "%s", (const char *)hash);
                w.last_good = seq;
                if (out->against_found && out->against_incident == inc)
                    out->against_later++;
                if (*want && !out->against_found && prefix_of(want, w.expect)) {
                    out->against_found = 1;
                    out->against_seq = seq;
                    out->against_incident = inc;
                    out->against_later = 0;
                    snprintf(out->against_hash, sizeof out->against_hash, "%s", w.expect);
                }
            }
            sqlite3_reset(s);
            if (rc != SQLITE_DONE)
                return wr_st_read_error(st, rc, err, "verifying the chain");
            if (n < PAGE)
                break;
        }
        if (incident >= 0)
            return wr_st_evidence_verify(st, incident, out, err);
        sqlite3_stmt *nx = wr_st_stmt(st, "SELECT min(incident) FROM events WHERE incident > ?1");
        sqlite3_bind_int64(nx, 1, chain);
        wr_st_read_begin(st);
        int rc = sqlite3_step(nx);
        int more = rc == SQLITE_ROW && sqlite3_column_type(nx, 0) != SQLITE_NULL;
        int64_t next = more ? sqlite3_column_int64(nx, 0) : 0;
        sqlite3_reset(nx);
        if (rc != SQLITE_ROW)
            return wr_st_read_error(st, rc, err, "verifying the chain");
        if (!more)
            return wr_st_evidence_verify(st, -1, out, err);
        chain = next;
    }
}

void wr_chain_report_free(wr_chain_report *r)
{
    free(r->breaks);
    memset(r, 0, sizeof *r);
}
