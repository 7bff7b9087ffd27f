/* SPDX-License-Identifier: MIT */
/* fuzz_text.c - libFuzzer target: clean / fit / wrap any bytes and check the
 * safety property (valid UTF-8, no controls but LF, no C1, no bidi). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "warroom/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const char *s, size_t len, int allow_lf)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0))
            abort();
        if ((cp < 0x20 && !(cp == '\n' && allow_lf)) || (cp >= 0x7F && cp <= 0x9F))
            abort();
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
            cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF ||
            cp == 0x2060 || cp == 0xAD)
            abort();
        i += n;
    }
}

static size_t wrapped;

static void on_line(const char *line, size_t n, size_t w, void *ctx)
{
    size_t cols = *(size_t *)ctx ? *(size_t *)ctx : 1; /* wrap treats 0 as 1 */
    if (w > cols && !(n > 0 && w == 2 && cols == 1)) /* a lone wide char may exceed 1 column */
        abort();
    (void)line;
    wrapped += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t cols = size ? data[0] % 40 : 10;
    wr_buf b = {0};
    size_t w = wr_text_clean(&b, in, size, 0);
    check_safe(b.s, b.len, 1);
    if (w != wr_text_width(b.s) || strlen(b.s) != b.len)
        abort();
    wrapped = 0;
    wr_text_wrap(b.s, cols, on_line, &cols);
    if (wrapped > b.len)
        abort();
    wr_buf_reset(&b);
    w = wr_text_clean(&b, in, size, WR_TEXT_ONELINE);
    check_safe(b.s, b.len, 0);
    wr_buf_reset(&b);
    w = wr_text_fit(&b, in, size, cols, size & 1, 0);
    check_safe(b.s, b.len, 0);
    if (w > cols || w != wr_text_width(b.s))
        abort();
    wr_buf_free(&b);
    return 0;
}
