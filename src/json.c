/* SPDX-License-Identifier: MIT */
/* json.c - writing JSON strings and members. */
#include "warroom/json.h"

#include "warroom/json_scan.h"

#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void wr_json_strn(wr_buf *b, const char *s, size_t len)
{
    wr_buf_putc(b, '"');
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

void wr_json_str(wr_buf *b, const char *s)
{
    if (!s)
        wr_buf_puts(b, "null");
    else
        wr_json_strn(b, s, strlen(s));
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int hex4(const char *p, const char *end, uint32_t *out)
{
    uint32_t v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + (uint32_t)h;
    }
    *out = v;
    return 0;
}

/* The string literal s[0..len) (quotes included, already checked by the scanner) as its raw bytes: escapes
 * undone, a lone surrogate becomes U+FFFD; raw invalid bytes are kept for wr_json_strn to replace. */
static void unescape(const char *s, size_t len, wr_buf *raw)
{
    const char *p = s + 1, *end = s + len - 1;
    while (p < end) {
        if (*p != '\\') {
            wr_buf_putc(raw, *p++);
            continue;
        }
        p++;
        char e = p < end ? *p++ : 0;
        switch (e) {
        case 'n': wr_buf_putc(raw, '\n'); break;
        case 't': wr_buf_putc(raw, '\t'); break;
        case 'r': wr_buf_putc(raw, '\r'); break;
        case 'b': wr_buf_putc(raw, '\b'); break;
        case 'f': wr_buf_putc(raw, '\f'); break;
        case 'u': {
            uint32_t cp, lo;
            if (hex4(p, end, &cp) != 0) {
                wr_utf8_put(raw, 0xfffd);
                break;
            }
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2, end, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            } else if (cp >= 0xd800 && cp <= 0xdfff) {
                cp = 0xfffd;
            }
            wr_utf8_put(raw, cp);
            break;
        }
        default: wr_buf_putc(raw, e); break; /* \" \\ \/ */
        }
    }
}

void wr_json_value(wr_buf *b, const char *json)
{
    if (!json) {
        wr_buf_puts(b, "null");
        return;
    }
    size_t len = strlen(json), pos = 0;
    wr_buf why = {0};
    int ok = wr_jscan_value(json, len, &pos, NULL, NULL, &why) == 0 && wr_jscan_end(json, len, pos, &why) == 0;
    wr_buf_free(&why);
    if (!ok) {
        wr_json_strn(b, json, len); /* not JSON after all: kept whole, as a string */
        return;
    }
    wr_buf raw = {0};
    for (size_t i = 0; i < len;) {
        char ch = json[i];
        if (ch == '"') {
            size_t j = i + 1;
            while (j < len && json[j] != '"')
                j += json[j] == '\\' ? 2 : 1;
            wr_buf_reset(&raw);
            unescape(json + i, j + 1 - i, &raw);
            wr_json_strn(b, raw.s ? raw.s : "", raw.len);
            i = j + 1;
        } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            i++;
        } else {
            wr_buf_putc(b, ch);
            i++;
        }
    }
    wr_buf_free(&raw);
}

void wr_json_kv_value(wr_buf *b, const char *key, const char *json)
{
    wr_json_key(b, key);
    wr_json_value(b, json);
}

char *wr_json_rewrite(const char *json)
{
    wr_buf b = {0};
    wr_json_value(&b, json);
    return wr_buf_steal(&b);
}

void wr_json_doc_begin(wr_buf *b)
{
    wr_buf_putc(b, '{');
    wr_json_kv_int(b, "format", WR_JSON_FORMAT);
}

void wr_json_doc(wr_buf *b, const char *key, const char *json)
{
    wr_json_doc_begin(b);
    if (key) {
        wr_json_kv_value(b, key, json);
    } else {
        char *v = wr_json_rewrite(json);
        /* v is "{...}": its members follow ours ("{}" has none). */
        if (v[0] == '{' && v[1] && v[1] != '}') {
            wr_buf_putc(b, ',');
            wr_buf_puts(b, v + 1);
        } else {
            wr_buf_putc(b, '}');
        }
        free(v);
        wr_buf_putc(b, '\n');
        return;
    }
    wr_buf_puts(b, "}\n");
}
