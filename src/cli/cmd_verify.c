/* SPDX-License-Identifier: MIT */
/* cmd_verify.c - `warroom verify`: recompute the timeline's tamper-evident chain (docs/store.md), report the first
 * break of each chain, and check that a head given out earlier (--against) is still part of it. */
#include "cmd_int.h"

#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

static void chain_name(wr_buf *o, int64_t inc)
{
    if (inc)
        wr_buf_printf(o, "INC-%lld", (long long)inc);
    else
        wr_buf_puts(o, "the events of no incident");
}

static void verify_json(wr_cmdctx *c, int64_t inc, const char *against, const wr_chain_report *r,
                        const char *head, int64_t head_seq)
{
    wr_buf *o = &c->out;
    wr_json_doc_begin(o);
    wr_json_key(o, "ok");
    wr_buf_puts(o, r->nbreaks || (against && !r->against_found) ? "false" : "true");
    if (inc > 0) {
        wr_json_kv_int(o, "incident", inc);
        wr_json_kv_str(o, "head", head);
        wr_json_kv_int(o, "head_seq", head_seq);
    }
    wr_json_kv_int(o, "entries", r->entries);
    wr_json_kv_int(o, "chains", r->chains);
    wr_json_key(o, "breaks");
    wr_buf_putc(o, '[');
    for (size_t i = 0; i < r->nbreaks; i++) {
        const wr_chain_break *b = &r->breaks[i];
        if (i)
            wr_buf_putc(o, ',');
        wr_buf_putc(o, '{');
        wr_json_kv_int(o, "incident", b->incident);
        wr_json_kv_str(o, "what", wr_chain_fault_names[b->fault]);
        wr_json_kv_int(o, "seq", b->seq);
        wr_json_kv_str(o, "uid", b->uid);
        if (b->other)
            wr_json_kv_int(o, "other", b->other);
        if (b->missing)
            wr_json_kv_int(o, "missing", b->missing);
        wr_json_kv_str(o, "message", b->msg);
        wr_buf_putc(o, '}');
    }
    wr_buf_putc(o, ']');
    if (against) {
        wr_json_key(o, "against");
        wr_buf_putc(o, '{');
        wr_json_kv_str(o, "hash", against);
        wr_json_key(o, "found");
        wr_buf_puts(o, r->against_found ? "true" : "false");
        if (r->against_found) {
            wr_json_kv_str(o, "full", r->against_hash);
            wr_json_kv_int(o, "incident", r->against_incident);
            wr_json_kv_int(o, "seq", r->against_seq);
            wr_json_kv_int(o, "later", r->against_later);
        }
        wr_buf_putc(o, '}');
    }
    wr_buf_puts(o, "}\n");
}

int wr_cmd_verify(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *against = wr_args_get(a, "--against");
    int64_t inc = -1; /* every chain */
    int r;
    if (a->argc || c->current) {
        if ((r = wr_args_incident(a, 0, &inc)) != 0)
            return r;
    }
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    char head[65] = "";
    int64_t head_seq = 0;
    if (inc > 0 && wr_store_chain_head(c->store, inc, head, &head_seq, &err) != WR_OK)
        return wr_args_fail(c, "verify", &err);
    wr_chain_report rep;
    wr_status s = wr_store_chain_verify(c->store, inc, against, &rep, &err);
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err.msg);
    if (s != WR_OK)
        return wr_args_fail(c, "verify", &err);
    int bad = rep.nbreaks || (against && !rep.against_found);
    if (c->json) {
        verify_json(c, inc, against, &rep, head, head_seq);
    } else {
        wr_buf *o = &c->out;
        for (size_t i = 0; i < rep.nbreaks; i++) {
            const wr_chain_break *b = &rep.breaks[i];
            char when[40];
            wr_buf_puts(o, "BROKEN ");
            chain_name(o, b->incident);
            wr_buf_printf(o, ": %s at #%lld (%s UTC): ", wr_chain_fault_names[b->fault], (long long)b->seq,
                          wr_lifecycle_time(b->occurred_at, when, sizeof when));
            wr_text_clean(o, b->msg, strlen(b->msg), 0);
            wr_buf_putc(o, '\n');
        }
        if (against) {
            if (rep.against_found) {
                wr_buf_printf(o, "%s is entry #%lld of ", against, (long long)rep.against_seq);
                chain_name(o, rep.against_incident);
                wr_buf_printf(o, "'s chain, with %lld later entr%s chained after it\n", (long long)rep.against_later,
                              rep.against_later == 1 ? "y" : "ies");
            } else if (rep.against_matches) {
                wr_buf_printf(o, "NOT VOUCHED FOR: %s is in the log, but after a break in its chain\n", against);
            } else {
                wr_buf_printf(o, "NOT FOUND: no entry of %s has the hash %s: the history it vouched for was "
                                 "rewritten since, or the hash is mistyped\n",
                              inc > 0 ? "this incident" : "the log", against);
            }
        }
        if (inc > 0)
            wr_buf_printf(o, "INC-%lld: %lld entries, head %s (#%lld)\n", (long long)inc, (long long)rep.entries,
                          *head ? head : "(none)", (long long)head_seq);
        else
            wr_buf_printf(o, "%lld entries in %lld chains\n", (long long)rep.entries, (long long)rep.chains);
        wr_buf_puts(o, bad ? "verdict: BROKEN (see above)\n" : "verdict: ok\n");
    }
    wr_chain_report_free(&rep);
    return bad ? WR_EXIT_CHECK_FAILED : 0;
}
