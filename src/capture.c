/* SPDX-License-Identifier: MIT */
/* capture.c - an output taken in as evidence: hashed whole, kept up to a cap, redacted (capture.h). */
#include "warroom/capture.h"

#include "warroom/text.h"

#include <stdlib.h>
#include <string.h>

void wr_capture_init(wr_capture *c, size_t cap)
{
    memset(c, 0, sizeof *c);
    if (cap < WR_CAPTURE_MIN_CAP)
        cap = WR_CAPTURE_MIN_CAP;
    c->cap = cap;
    wr_sha256_init(&c->all);
    c->head_max = cap + WR_CAPTURE_MARGIN;
    c->ring_max = cap / 2 + WR_CAPTURE_MARGIN;
}

void wr_capture_feed(wr_capture *c, const void *data, size_t len)
{
    const char *p = data;
    if (!len)
        return;
    wr_sha256_update(&c->all, p, len);
    c->total += len;
    if (c->nhead < c->head_max) {
        size_t take = c->head_max - c->nhead < len ? c->head_max - c->nhead : len;
        if (!c->head)
            c->head = wr_xmalloc(c->head_max);
        memcpy(c->head + c->nhead, p, take);
        c->nhead += take;
    }
    if (c->total <= c->head_max)
        return; /* the head holds everything so far: the tail is cut from it */
    if (!c->ring) {
        c->ring = wr_xmalloc(c->ring_max);
        /* start it with the last bytes fed before this piece (all in the head: this is the first time the
         * total passes the head's size), then feed the piece: it is full from then on */
        size_t before = (size_t)(c->total - len);
        size_t k = before < c->ring_max ? before : c->ring_max;
        memcpy(c->ring, c->head + before - k, k);
        c->ring_at = k % c->ring_max;
    }
    if (len >= c->ring_max) {
        memcpy(c->ring, p + len - c->ring_max, c->ring_max);
        c->ring_at = 0;
        return;
    }
    size_t first = c->ring_max - c->ring_at < len ? c->ring_max - c->ring_at : len;
    memcpy(c->ring + c->ring_at, p, first);
    memcpy(c->ring, p + first, len - first);
    c->ring_at = (c->ring_at + len) % c->ring_max;
}

void wr_capture_free(wr_capture *c)
{
    free(c->head);
    free(c->ring);
    memset(c, 0, sizeof *c);
}

static void hex_of(const unsigned char d[32], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}

/* Redact window[0, n) and append its [from, to) to out. */
static void emit_window(const wr_redactor *r, const char *window, size_t n, size_t from, size_t to, wr_buf *out,
                        unsigned char *fired)
{
    wr_redact_hit *hits = NULL;
    size_t nh = r ? wr_redact_find(r, window, n, &hits) : 0;
    if (r)
        wr_redact_emit(r, window, from, to, hits, nh, out, fired);
    else
        wr_buf_append(out, window + from, to - from);
    free(hits);
}

void wr_capture_finish(wr_capture *c, const wr_redactor *r, wr_capture_result *out)
{
    memset(out, 0, sizeof *out);
    unsigned char d[32];
    wr_sha256_final(&c->all, d);
    hex_of(d, out->sha256);
    out->size = c->total;
    out->nrules = r ? r->n : 0;
    out->fired = wr_xcalloc(out->nrules + 1, 1);
    wr_buf kept = {0};
    wr_buf_puts(&kept, "");
    if (c->total <= c->cap) {
        emit_window(r, c->head, c->nhead, 0, c->nhead, &kept, out->fired);
    } else {
        size_t half = c->cap / 2;
        /* the head: raw [0, half), matches looked for up to MARGIN beyond the cut */
        size_t hwin = half + WR_CAPTURE_MARGIN < c->nhead ? half + WR_CAPTURE_MARGIN : c->nhead;
        emit_window(r, c->head, hwin, 0, half, &kept, out->fired);
        out->head = kept.len;
        /* the tail: raw [total - half, total), matches looked for from MARGIN before the cut */
        char *win;
        size_t wn;
        if (c->total <= c->head_max) {
            wn = c->nhead < c->ring_max ? c->nhead : c->ring_max;
            win = wr_xmalloc(wn);
            memcpy(win, c->head + c->nhead - wn, wn);
        } else {
            wn = c->ring_max;
            win = wr_xmalloc(wn);
            memcpy(win, c->ring + c->ring_at, c->ring_max - c->ring_at);
            memcpy(win + (c->ring_max - c->ring_at), c->ring, c->ring_at);
        }
        emit_window(r, win, wn, wn - half, wn, &kept, out->fired);
        free(win);
        out->truncated = 1;
        out->omitted = c->total - 2 * (uint64_t)half;
    }
    out->nstored = kept.len;
    out->stored = (unsigned char *)wr_buf_steal(&kept);
    wr_sha256_hex(out->stored, out->nstored, out->stored_sha256);
    out->binary = wr_capture_is_binary(out->stored, out->nstored);
}

void wr_capture_result_free(wr_capture_result *res)
{
    free(res->stored);
    free(res->fired);
    memset(res, 0, sizeof *res);
}

int wr_capture_is_binary(const void *data, size_t len)
{
    const char *p = data;
    size_t bad = 0, n = len < 65536 ? len : 65536;
    if (memchr(p, '\0', len))
        return 1;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = wr_utf8_decode(p + i, n - i, &cp);
        if (cp == 0xFFFD && !(k == 3 && (unsigned char)p[i] == 0xEF))
            bad += k;
        i += k;
    }
    return bad * 20 > n;
}

/* Terminal escape sequences out (CSI, OSC, other ESC x): colours are no evidence, and cleaning would mark each
 * one. */
static void strip_escapes(wr_buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] != '\x1b') {
            size_t j = i;
            while (j < n && s[j] != '\x1b')
                j++;
            wr_buf_append(out, s + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 >= n) {
            i++;
            continue;
        }
        char t = s[i + 1];
        if (t == '[') { /* CSI: parameters and intermediates, then a final byte 0x40..0x7e */
            size_t j = i + 2;
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x40)
                j++;
            i = j < n ? j + 1 : n;
        } else if (t == ']' || t == 'P' || t == '_' || t == '^' || t == 'X') { /* string: to BEL or ST */
            size_t j = i + 2;
            while (j < n && s[j] != '\a' && !(s[j] == '\x1b' && j + 1 < n && s[j + 1] == '\\') && s[j] != '\n')
                j++;
            i = j >= n ? n : s[j] == '\a' ? j + 1 : s[j] == '\n' ? j : j + 2;
        } else {
            i += 2;
        }
    }
}

void wr_capture_size(wr_buf *out, uint64_t n)
{
    if (n < 1024)
        wr_buf_printf(out, "%llu B", (unsigned long long)n);
    else if (n < 1024 * 1024)
        wr_buf_printf(out, "%.1f KiB", (double)n / 1024.0);
    else if (n < 1024ull * 1024 * 1024)
        wr_buf_printf(out, "%.1f MiB", (double)n / (1024.0 * 1024.0));
    else
        wr_buf_printf(out, "%.1f GiB", (double)n / (1024.0 * 1024.0 * 1024.0));
}

void wr_capture_display(wr_buf *out, const void *data, size_t len, int binary)
{
    const unsigned char *p = data;
    if (binary) {
        wr_buf_puts(out, "binary, ");
        wr_capture_size(out, len);
        wr_buf_puts(out, " kept");
        for (size_t off = 0; off < len && off < 256; off += 16) {
            wr_buf_printf(out, "\n%08zx ", off);
            for (size_t i = off; i < off + 16; i++) {
                if (i < len)
                    wr_buf_printf(out, " %02x", p[i]);
                else
                    wr_buf_puts(out, "   ");
            }
            wr_buf_puts(out, "  |");
            for (size_t i = off; i < off + 16 && i < len; i++)
                wr_buf_putc(out, p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
            wr_buf_putc(out, '|');
        }
        if (len > 256)
            wr_buf_printf(out, "\n... %zu more bytes (--raw prints them all)", len - 256);
        wr_buf_putc(out, '\n');
        return;
    }
    wr_buf plain = {0};
    strip_escapes(&plain, data, len);
    wr_text_clean(out, plain.s ? plain.s : "", plain.len, 0);
    wr_buf_free(&plain);
}

void wr_capture_tail_lines(wr_buf *out, const void *data, size_t len, int binary, int lines, size_t max_bytes)
{
    const char *p = data;
    if (binary) {
        wr_buf_puts(out, "binary, ");
        wr_capture_size(out, len);
        wr_buf_puts(out, ":");
        for (size_t i = 0; i < len && i < 16; i++)
            wr_buf_printf(out, " %02x", (unsigned char)p[i]);
        if (len > 16)
            wr_buf_puts(out, " ...");
        return;
    }
    size_t end = len;
    while (end > 0 && (p[end - 1] == '\n' || p[end - 1] == '\r'))
        end--;
    size_t start = end;
    int seen = 0;
    while (start > 0 && end - start < max_bytes) {
        if (p[start - 1] == '\n' && ++seen == lines)
            break;
        start--;
    }
    /* a cut inside a UTF-8 sequence: skip its continuation bytes */
    while (start < end && ((unsigned char)p[start] & 0xC0) == 0x80)
        start++;
    wr_buf clean = {0};
    wr_capture_display(&clean, p + start, end - start, 0);
    wr_buf_append(out, clean.s ? clean.s : "", clean.len);
    wr_buf_free(&clean);
}
