/* json.c - writing JSON strings and members. */
#include "warroom/json.h"

#include "warroom/text.h"

#include <stdio.h>
#include <string.h>

void wr_json_str(wr_buf *b, const char *s)
{
    if (!s) {
        wr_buf_puts(b, "null");
        return;
    }
    wr_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': wr_buf_puts(b, "\\\""); break;
        case '\\': wr_buf_puts(b, "\\\\"); break;
        case '\n': wr_buf_puts(b, "\\n"); break;
        case '\r': wr_buf_puts(b, "\\r"); break;
        case '\t': wr_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                wr_buf_printf(b, "\\u%04x", *p);
            else
                wr_buf_putc(b, (char)*p);
        }
    }
    wr_buf_putc(b, '"');
}

void wr_json_key(wr_buf *b, const char *key)
{
    if (b->len && b->s[b->len - 1] != '{' && b->s[b->len - 1] != '[')
        wr_buf_putc(b, ',');
    wr_json_str(b, key);
    wr_buf_putc(b, ':');
}

void wr_json_kv_str(wr_buf *b, const char *key, const char *value)
{
    wr_json_key(b, key);
    wr_json_str(b, value);
}

void wr_json_kv_int(wr_buf *b, const char *key, long long value)
{
    wr_json_key(b, key);
    wr_buf_printf(b, "%lld", value);
}

/* Invisible or reordering characters that must not reach a terminal raw. */
static int invisible(uint32_t cp)
{
    return cp == 0xad || cp == 0x61c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
           (cp & 0xfffe) == 0xfffe;
}

void wr_json_str_safe(wr_buf *b, const char *s)
{
    if (!s) {
        wr_buf_puts(b, "null");
        return;
    }
    wr_buf_putc(b, '"');
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        i += n;
        switch (cp) {
        case '"': wr_buf_puts(b, "\\\""); break;
        case '\\': wr_buf_puts(b, "\\\\"); break;
        case '\n': wr_buf_puts(b, "\\n"); break;
        case '\r': wr_buf_puts(b, "\\r"); break;
        case '\t': wr_buf_puts(b, "\\t"); break;
        default:
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp < 0x10000 && invisible(cp)))
                wr_buf_printf(b, "\\u%04x", (unsigned)cp);
            else if (invisible(cp)) /* beyond the BMP: a surrogate pair */
                wr_buf_printf(b, "\\u%04x\\u%04x", (unsigned)(0xd800 + ((cp - 0x10000) >> 10)),
                              (unsigned)(0xdc00 + ((cp - 0x10000) & 0x3ff)));
            else
                wr_utf8_put(b, cp);
        }
    }
    wr_buf_putc(b, '"');
}

void wr_json_kv_safe(wr_buf *b, const char *key, const char *value)
{
    wr_json_key(b, key);
    wr_json_str_safe(b, value);
}
