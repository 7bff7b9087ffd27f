/* SPDX-License-Identifier: MIT */
/* fuzz_drill.c - libFuzzer target for drill scenarios: the strict loader and the runbook checks against a
 * small runbook set. */
#include "warroom/drill.h"
#include "warroom/runbook.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wr_rb_set set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!set.n) {
        static const char rb[] = "id: rb\ntitle: R\nversion: 1\ndescription: d\nowner: o\n"
                                 "applies_to: {types: [security], assets: [database]}\nroles: [responder]\n"
                                 "phases:\n  detection:\n    - {id: look, title: Look, role: responder}\n"
                                 "  containment:\n    - {id: stop, title: Stop, role: responder}\n";
        wr_buf err = {0};
        wr_runbook *r = wr_runbook_load_mem("rb.yaml", rb, sizeof rb - 1, NULL, 0, &err);
        if (!r)
            abort();
        set.v = wr_xcalloc(1, sizeof *set.v);
        set.v[0] = r;
        set.n = 1;
        wr_buf_free(&err);
    }
    wr_buf err = {0};
    wr_drill *d = wr_drill_load_mem("drill.yaml", (const char *)data, size, &err);
    if (!d) {
        if (!err.len)
            abort();
        wr_buf_free(&err);
        return 0;
    }
    if (err.len || !d->nevents || !d->id || !d->inc_title || !d->inc_severity)
        abort();
    for (size_t i = 1; i < d->nevents; i++)
        if (d->events[i].at_ms < d->events[i - 1].at_ms)
            abort();
    if (d->duration_ms != d->events[d->nevents - 1].at_ms)
        abort();
    int rc = wr_drill_check_runbooks(d, &set, &err);
    if ((rc == 0) != (err.len == 0))
        abort();
    wr_buf_free(&err);
    wr_drill_free(d);
    return 0;
}
