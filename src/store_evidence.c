/* SPDX-License-Identifier: MIT */
/* store_evidence.c - evidence bytes beside the events that record them (docs/store.md, "Evidence"): a command's
 * output, a file. They live in their own table, keyed by the event's seq, so that reading the timeline never
 * reads them; the event's payload carries {"evidence": {"bytes": N, "sha256": HEX}} of exactly the stored bytes,
 * and the chain covers the payload, so a change to the bytes is found by verify. The store knows no event kind:
 * any event may carry bytes this way. */
#include "store_int.h"

#include "warroom/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wr_status wr_st_evidence_check(wr_store *st, const wr_write *w, wr_error *err)
{
    char hex[65];
    wr_sha256_hex(w->blob, w->nblob, hex);
    sqlite3_stmt *e = wr_st_stmt(st, "SELECT json_extract(?1, '$.evidence.sha256') = ?2"
                                     " AND json_extract(?1, '$.evidence.bytes') = ?3");
    wr_st_bind_text(e, 1, w->payload);
    sqlite3_bind_text(e, 2, hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(e, 3, (sqlite3_int64)w->nblob);
    int same = sqlite3_step(e) == SQLITE_ROW && sqlite3_column_int(e, 0) == 1;
    sqlite3_reset(e);
    if (!same)
        return wr_error_set(err, WR_E_INVALID, "internal error: the evidence bytes are not the ones the event's "
                            "payload names; nothing changed");
    return WR_OK;
}

int wr_st_evidence_insert(wr_store *st, const wr_write *w, int64_t seq)
{
    sqlite3_stmt *s = wr_st_stmt(st, "INSERT INTO evidence(seq, bytes) VALUES (?1, ?2)");
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_blob64(s, 2, w->nblob ? (const void *)w->blob : "", w->nblob, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc;
}

wr_status wr_store_evidence(wr_store *st, int64_t seq, unsigned char **data, size_t *n, wr_error *err)
{
    *data = NULL;
    *n = 0;
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT bytes FROM evidence WHERE seq = ?1");
    sqlite3_bind_int64(s, 1, seq);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(s, 0);
        const void *p = sqlite3_column_blob(s, 0);
        *data = wr_xmalloc(len + 1);
        if (len)
            memcpy(*data, p, len);
        (*data)[len] = 0;
        *n = len;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return wr_error_set(err, WR_E_NOTFOUND, "entry #%lld has no evidence bytes", (long long)seq);
    if (rc != SQLITE_ROW)
        return wr_st_read_error(st, rc, err, "reading evidence");
    return WR_OK;
}

static void add(wr_chain_report *out, int64_t seq, int64_t inc, int64_t at, const char *uid, const char *msg)
{
    out->breaks = wr_xrealloc(out->breaks, (out->nbreaks + 1) * sizeof *out->breaks);
    wr_chain_break *b = &out->breaks[out->nbreaks++];
    memset(b, 0, sizeof *b);
    b->incident = inc;
    b->fault = WR_CHAIN_EVIDENCE;
    b->seq = seq;
    b->occurred_at = at;
    snprintf(b->uid, sizeof b->uid, "%s", uid ? uid : "");
    snprintf(b->msg, sizeof b->msg, "%s", msg);
}

wr_status wr_st_evidence_verify(wr_store *st, int64_t incident, wr_chain_report *out, wr_error *err)
{
    /* Every entry that names evidence, with what is stored for it; then every stored row no entry names. Both by
     * the evidence table and the events' primary key: entries with evidence are found through the table, plus
     * the entries whose payload names evidence that is gone (instr on the payload), read in pages. */
#define EV_COLS                                                                                               \
    "SELECT ev.seq, coalesce(ev.incident, 0), ev.occurred_at, ev.uid, ev.kind, ev.actor,"                     \
    " json_extract(ev.payload, '$.evidence.sha256'), json_extract(ev.payload, '$.evidence.bytes'),"           \
    " x.seq IS NOT NULL, length(x.bytes), x.bytes FROM events ev LEFT JOIN evidence x ON x.seq = ev.seq WHERE "
#define EV_WHERE " AND (x.seq IS NOT NULL OR instr(ev.payload, '\"evidence\":{') > 0) ORDER BY ev.seq LIMIT 256"
    /* one incident by its index (incident, seq); the events of no incident; or all of them by seq */
    sqlite3_stmt *s = incident > 0 ? wr_st_stmt(st, EV_COLS "ev.incident = ?1 AND ev.seq > ?2" EV_WHERE)
                      : incident == 0 ? wr_st_stmt(st, EV_COLS "ev.incident IS NULL AND ev.seq > ?2 AND ?1 = 0" EV_WHERE)
                                      : wr_st_stmt(st, EV_COLS "ev.seq > ?2 AND ?1 < 0" EV_WHERE);
    int64_t after = 0;
    for (;;) {
        sqlite3_bind_int64(s, 1, incident);
        sqlite3_bind_int64(s, 2, after);
        wr_st_read_begin(st);
        int rc, n = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            n++;
            int64_t seq = sqlite3_column_int64(s, 0);
            after = seq;
            const char *want = (const char *)sqlite3_column_text(s, 6);
            int64_t want_n = sqlite3_column_int64(s, 7);
            int have = sqlite3_column_int(s, 8);
            const char *kind = (const char *)sqlite3_column_text(s, 4), *actor = (const char *)sqlite3_column_text(s, 5);
            char me[160], msg[512];
            snprintf(me, sizeof me, "#%lld (%.60s by %.60s)", (long long)seq, kind ? kind : "?", actor ? actor : "?");
            msg[0] = '\0';
            if (!want) {
                snprintf(msg, sizeof msg, "evidence was put in beside entry %s, which names none", me);
            } else if (!have) {
                snprintf(msg, sizeof msg, "the evidence of entry %s was deleted: its payload names %lld bytes with "
                         "SHA-256 %.12s, none are stored", me, (long long)want_n, want);
            } else {
                size_t len = (size_t)sqlite3_column_bytes(s, 10);
                const void *p = sqlite3_column_blob(s, 10);
                char got[65];
                wr_sha256_hex(len ? p : "", len, got);
                if (strcmp(got, want) != 0 || (int64_t)len != want_n)
                    snprintf(msg, sizeof msg, "the evidence of entry %s was changed: %zu bytes with SHA-256 %.12s are "
                             "stored, its payload names %lld with %.12s", me, len, got, (long long)want_n, want);
            }
            if (msg[0])
                add(out, seq, sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                    (const char *)sqlite3_column_text(s, 3), msg);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return wr_st_read_error(st, rc, err, "verifying the evidence");
        if (n < 256)
            break;
    }
    /* rows of no entry at all (its event deleted: the chain names that too) */
    if (incident < 0) {
        sqlite3_stmt *o = wr_st_stmt(st, "SELECT x.seq FROM evidence x LEFT JOIN events ev ON ev.seq = x.seq"
                                         " WHERE ev.seq IS NULL ORDER BY x.seq LIMIT 100");
        wr_st_read_begin(st);
        int rc;
        while ((rc = sqlite3_step(o)) == SQLITE_ROW) {
            char msg[200];
            snprintf(msg, sizeof msg, "evidence is stored for entry #%lld, which is not in the log",
                     (long long)sqlite3_column_int64(o, 0));
            add(out, sqlite3_column_int64(o, 0), 0, 0, "", msg);
        }
        sqlite3_reset(o);
        if (rc != SQLITE_DONE)
            return wr_st_read_error(st, rc, err, "verifying the evidence");
    }
    return WR_OK;
}
