/* SPDX-License-Identifier: MIT */
/* fuzz_theme.c - libFuzzer target for the theme loader: any input either loads into a theme whose every
 * colour and attribute is in range, or fails with a positioned message and leaves the built-in default. */
#include "warroom/theme.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wr_theme t, builtin;
    wr_buf err = {0};
    wr_theme_builtin(&builtin);
    int rc = wr_theme_load_mem(&t, "fuzz.yaml", (const char *)data, size, &err);
    if (rc == 0) {
        if (err.len)
            abort();
        for (int e = 0; e < WR_EL_COUNT; e++) {
            wr_style s = t.el[e];
            if (s.fg < -1 || s.fg > 255 || s.bg < -1 || s.bg > 255 || (s.attrs & ~0x1Fu))
                abort();
            for (int n = 0; n <= 256; n = n ? n * 2 : 1) {
                wr_style d = wr_theme_effective(&t, (wr_theme_el)e, n);
                if (d.fg < -1 || d.bg < -1 || (n >= 8 && (d.fg >= n || d.bg >= n)) || (n < 8 && (d.fg != -1 || d.bg != -1)))
                    abort();
            }
        }
        if (!memchr(t.name, 0, sizeof t.name))
            abort();
    } else {
        /* "fuzz.yaml:L:C: ..." and the default theme. */
        if (rc != -1 || strncmp(wr_buf_str(&err), "fuzz.yaml:", 10) != 0 || memcmp(t.el, builtin.el, sizeof t.el) != 0)
            abort();
    }
    wr_buf_free(&err);
    return 0;
}
