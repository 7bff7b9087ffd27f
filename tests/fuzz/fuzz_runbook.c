/* SPDX-License-Identifier: MIT */
/* fuzz_runbook.c - libFuzzer target: any bytes through the runbook loader,
 * and every runbook that loads through the JSON copy and back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warroom/runbook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wr_buf err = {0};
    wr_runbook *rb = wr_runbook_load_mem("fuzz.yaml", (const char *)data, size, NULL, 0, &err);
    if (rb) {
        /* a loaded runbook must survive its JSON copy unchanged */
        char *json = wr_runbook_to_json(rb);
        wr_buf_reset(&err);
        wr_runbook *back = wr_runbook_from_json("copy", json, strlen(json), &err);
        if (!back)
            abort();
        char *json2 = wr_runbook_to_json(back);
        if (strcmp(json, json2) != 0)
            abort();
        free(json2);
        free(json);
        wr_runbook_free(back);
        wr_runbook_free(rb);
    } else if (err.len == 0 || err.s[err.len - 1] != '\n') {
        abort(); /* a refusal always says why */
    }
    wr_buf_free(&err);
    return 0;
}
