/* SPDX-License-Identifier: MIT */
/* fuzz_oncall.c - libFuzzer target for the on-call file: strict loader, then rotation arithmetic, overrides,
 * suggestions and escalation at a few instants derived from the input. */
#include "warroom/oncall.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wr_buf err = {0};
    wr_oncall *oc = wr_oncall_load_mem("oncall.yaml", (const char *)data, size, &err);
    if (!oc) {
        if (!err.len)
            abort();
        wr_buf_free(&err);
        return 0;
    }
    if (err.len)
        abort();
    /* 2026-03-29T01:30Z (Berlin DST change) and a spread around it. */
    int64_t base = 1774747800000LL;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    int64_t ats[4] = {base, base + (int64_t)(h % 86400000ULL), base - (int64_t)((h >> 20) % (400LL * 86400000)),
                      base + (int64_t)((h >> 7) % (3000LL * 86400000))};
    for (size_t t = 0; t < oc->nteams; t++) {
        for (int k = 0; k < 4; k++) {
            wr_oncall_slot s;
            if (wr_oncall_at(oc, oc->teams[t].id, ats[k], &s) != 0)
                continue;
            if (!s.user || !s.scheduled || !s.next || s.shift_start > ats[k] || s.shift_end <= ats[k] ||
                s.since > ats[k] || s.until <= ats[k])
                abort();
        }
    }
    for (size_t r = 0; r < oc->nroles; r++) {
        wr_oncall_pick p;
        if (wr_oncall_suggest(oc, oc->role_ids[r], ats[1], &p) == 0) {
            if (!p.n || p.people[0] != p.oncall)
                abort();
            wr_oncall_pick_free(&p);
        }
        wr_oncall_due d;
        if (wr_oncall_escalation_due(oc, oc->role_ids[r], (int64_t)(h % 7200000ULL), ats[0], &d) == 0 &&
            d.step >= 0 && d.nreach == 0)
            abort();
        wr_oncall_due_free(&d);
    }
    wr_oncall_free(oc);
    return 0;
}
