/* SPDX-License-Identifier: MIT */
/* json_scan.c - checking and splitting a JSON text in one pass and constant memory (see json_scan.h). */
#include "warroom/json_scan.h"

#include <ctype.h>
#include <string.h>

static size_t ws(const char *s, size_t len, size_t p)
{
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
        p++;
    return p;
}

static int fail(wr_buf *why, size_t at, const char *what)
{
    if (why)
        wr_buf_printf(why, "at byte %zu: %s", at, what);
    return -1;
}

/* The length of the valid UTF-8 sequence at s (n bytes available), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        k = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return k;
}

static int hex4(const char *s, size_t len, size_t p, unsigned *out)
{
    if (p + 4 > len)
        return -1;
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)s[p + i];
        if (!isxdigit(c))
            return -1;
        v = v * 16 + (unsigned)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
    }
    *out = v;
    return 0;
}

static int scan_string(const char *s, size_t len, size_t *pos, int *dirty, wr_buf *why)
{
    size_t p = *pos + 1;
    for (;;) {
        if (p >= len)
            return fail(why, *pos, "unterminated string");
        unsigned char c = (unsigned char)s[p];
        if (c == '"') {
            *pos = p + 1;
            return 0;
        }
        if (c == '\\') {
            if (p + 1 >= len)
                return fail(why, *pos, "unterminated string");
            char e = s[p + 1];
            unsigned u;
            if (e && strchr("\"\\/bfnrt", e))
                p += 2;
            else if (e == 'u' && hex4(s, len, p + 2, &u) == 0)
                p += 6;
            else
                return fail(why, p, "invalid escape in a string");
        } else if (c < 0x20) {
            if (dirty)
                *dirty = 1;
            p++;
        } else if (c >= 0x80) {
            size_t k = utf8_seq((const unsigned char *)s + p, len - p);
            if (k == 0) {
                if (dirty)
                    *dirty = 1;
                k = 1;
            }
            p += k;
        } else {
            p++;
        }
    }
}

static int scan_number(const char *s, size_t len, size_t *pos, wr_buf *why)
{
    size_t p = *pos;
    if (p < len && s[p] == '-')
        p++;
    if (p < len && s[p] == '0')
        p++;
    else if (p < len && s[p] >= '1' && s[p] <= '9')
        while (p < len && isdigit((unsigned char)s[p]))
            p++;
    else
        return fail(why, *pos, "malformed number");
    if (p < len && s[p] == '.') {
        p++;
        if (p >= len || !isdigit((unsigned char)s[p]))
            return fail(why, *pos, "malformed number");
        while (p < len && isdigit((unsigned char)s[p]))
            p++;
    }
    if (p < len && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        if (p < len && (s[p] == '+' || s[p] == '-'))
            p++;
        if (p >= len || !isdigit((unsigned char)s[p]))
            return fail(why, *pos, "malformed number");
        while (p < len && isdigit((unsigned char)s[p]))
            p++;
    }
    *pos = p;
    return 0;
}

static int scan_literal(const char *s, size_t len, size_t *pos, wr_buf *why)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i]);
        if (len - *pos >= n && memcmp(s + *pos, lits[i], n) == 0) {
            *pos += n;
            return 0;
        }
    }
    return fail(why, *pos, "expected a value");
}

enum { VALUE, KEY_OR_END, KEY, VALUE_OR_END, AFTER_VALUE };

int wr_jscan_value(const char *s, size_t len, size_t *pos, wr_jscan_val *out, int *dirty, wr_buf *why)
{
    char stack[WR_JSCAN_MAX_DEPTH];
    int depth = 0, state = VALUE;
    size_t p = ws(s, len, *pos);
    size_t start = p;
    for (;;) {
        if (state == AFTER_VALUE && depth == 0)
            break;
        p = ws(s, len, p);
        if (p >= len)
            return fail(why, p, depth ? "the text ends inside an object or array" : "expected a value");
        char c = s[p];
        switch (state) {
        case VALUE:
            if (c == '{' || c == '[') {
                if (depth == WR_JSCAN_MAX_DEPTH)
                    return fail(why, p, "nested too deeply");
                stack[depth++] = c;
                p++;
                state = c == '{' ? KEY_OR_END : VALUE_OR_END;
                continue;
            }
            if (c == '"') {
                if (scan_string(s, len, &p, dirty, why) != 0)
                    return -1;
            } else if (c == '-' || isdigit((unsigned char)c)) {
                if (scan_number(s, len, &p, why) != 0)
                    return -1;
            } else if (scan_literal(s, len, &p, why) != 0) {
                return -1;
            }
            state = AFTER_VALUE;
            break;
        case KEY_OR_END:
            if (c == '}') {
                depth--;
                p++;
                state = AFTER_VALUE;
                break;
            }
            /* fall through */
        case KEY:
            if (c != '"')
                return fail(why, p, "expected a member name (a string)");
            if (scan_string(s, len, &p, dirty, why) != 0)
                return -1;
            p = ws(s, len, p);
            if (p >= len || s[p] != ':')
                return fail(why, p, "expected ':' after a member name");
            p++;
            state = VALUE;
            break;
        case VALUE_OR_END:
            if (c == ']') {
                depth--;
                p++;
                state = AFTER_VALUE;
            } else {
                state = VALUE;
            }
            break;
        case AFTER_VALUE: {
            char top = stack[depth - 1];
            if (c == ',') {
                p++;
                state = top == '{' ? KEY : VALUE;
            } else if (c == (top == '{' ? '}' : ']')) {
                depth--;
                p++;
            } else {
                return fail(why, p, top == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
            }
            break;
        }
        }
    }
    if (out) {
        out->off = start;
        out->len = p - start;
        char c = s[start];
        out->type = c == '{' || c == '[' || c == '"' ? c : c == '-' || isdigit((unsigned char)c) ? '0' : c;
    }
    *pos = p;
    return 0;
}

int wr_jscan_end(const char *s, size_t len, size_t pos, wr_buf *why)
{
    pos = ws(s, len, pos);
    return pos == len ? 0 : fail(why, pos, "more text after the JSON value");
}

static int next_item(const char *s, size_t len, size_t *pos, char open, wr_jscan_val *key, wr_jscan_val *val,
                     wr_buf *why)
{
    char close = open == '{' ? '}' : ']';
    size_t p = ws(s, len, *pos);
    if (p >= len)
        return fail(why, p, "the text ends inside an object or array");
    if (s[p] == open) {
        p = ws(s, len, p + 1);
        if (p < len && s[p] == close) {
            *pos = p + 1;
            return 0;
        }
    } else if (s[p] == ',') {
        p = ws(s, len, p + 1);
    } else if (s[p] == close) {
        *pos = p + 1;
        return 0;
    } else {
        return fail(why, p, "expected ',' or the end of the object or array");
    }
    if (key) {
        key->off = p;
        if (p >= len || s[p] != '"' || scan_string(s, len, &p, NULL, why) != 0)
            return why && why->len ? -1 : fail(why, p, "expected a member name (a string)");
        key->len = p - key->off;
        key->type = '"';
        p = ws(s, len, p);
        if (p >= len || s[p] != ':')
            return fail(why, p, "expected ':' after a member name");
        p++;
    }
    if (wr_jscan_value(s, len, &p, val, NULL, why) != 0)
        return -1;
    *pos = p;
    return 1;
}

int wr_jscan_member(const char *s, size_t len, size_t *pos, wr_jscan_val *key, wr_jscan_val *val, wr_buf *why)
{
    return next_item(s, len, pos, '{', key, val, why);
}

int wr_jscan_element(const char *s, size_t len, size_t *pos, wr_jscan_val *val, wr_buf *why)
{
    return next_item(s, len, pos, '[', NULL, val, why);
}

int wr_jscan_is(const char *s, const wr_jscan_val *v, const char *name)
{
    size_t n = strlen(name);
    return v->type == '"' && v->len == n + 2 && memcmp(s + v->off + 1, name, n) == 0;
}

void wr_json_clean(const char *s, size_t len, wr_buf *out, wr_json_fixes *fixes)
{
    static const char repl[] = "\xef\xbf\xbd";
    int in_str = 0;
    size_t i = 0, run = 0; /* bytes [run, i) are copied as they are */
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (!in_str) {
            if (c == '"')
                in_str = 1;
            i++;
            continue;
        }
        if (c == '"') {
            in_str = 0;
            i++;
        } else if (c == '\\' && i + 1 < len && s[i + 1] == 'u') {
            unsigned u = 0, u2 = 0;
            if (hex4(s, len, i + 2, &u) != 0) {
                i += 2; /* not valid JSON: left for the reader to refuse */
                continue;
            }
            int lone = 0;
            if (u >= 0xd800 && u <= 0xdbff)
                lone = !(i + 11 < len && s[i + 6] == '\\' && s[i + 7] == 'u' && hex4(s, len, i + 8, &u2) == 0 &&
                         u2 >= 0xdc00 && u2 <= 0xdfff);
            else if (u >= 0xdc00 && u <= 0xdfff)
                lone = 1;
            if (u == 0 || lone) {
                wr_buf_append(out, s + run, i - run);
                wr_buf_puts(out, "\\ufffd");
                if (u == 0)
                    fixes->nul++;
                else
                    fixes->bad_utf8++;
                i += 6;
                run = i;
            } else {
                i += (u >= 0xd800 && u <= 0xdbff) ? 12 : 6;
            }
        } else if (c == '\\') {
            i += 2;
        } else if (c < 0x20) {
            wr_buf_append(out, s + run, i - run);
            if (c == 0) {
                wr_buf_puts(out, "\\ufffd");
                fixes->nul++;
            } else {
                wr_buf_printf(out, "\\u%04x", c);
                fixes->control++;
            }
            i++;
            run = i;
        } else if (c >= 0x80) {
            size_t k = utf8_seq((const unsigned char *)s + i, len - i);
            if (k) {
                i += k;
            } else {
                wr_buf_append(out, s + run, i - run);
                wr_buf_puts(out, repl);
                fixes->bad_utf8++;
                i++;
                run = i;
            }
        } else {
            i++;
        }
    }
    if (i > len)
        i = len;
    wr_buf_append(out, s + run, i - run);
}
