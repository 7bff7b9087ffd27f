/* SPDX-License-Identifier: MIT */
/* fuzz_config - the configuration file loader (and the policy built from it). */
#include "warroom/config.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wr_config cfg;
    wr_config_init(&cfg);
    wr_buf err = {0};
    (void)wr_config_load_mem(&cfg, "fuzz.yaml", (const char *)data, size, &err);
    wr_config_free(&cfg);
    wr_buf_free(&err);
    return 0;
}
