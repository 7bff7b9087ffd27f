/* SPDX-License-Identifier: MIT */
/* text.c - neutralise untrusted text for display: strict UTF-8, no escape
 * sequences, no controls, no bidi or invisible characters, known widths. */
#include "warroom/text.h"

#include <langinfo.h>
#include <string.h>

/* What a code point is, where it is not "drawn as itself in one column". */
enum {
    WR_CP_ONE = 0,    /* not in the table */
    WR_CP_UNASSIGNED, /* General_Category Cn: drawn as U+FFFD */
    WR_CP_FORMAT,     /* General_Category Cf: dropped */
    WR_CP_ZERO,       /* combining: 0 columns */
    WR_CP_WIDE        /* 2 columns */
};

struct wr_cp_range {
    uint32_t lo, hi;
    int cls;
};

#include "text_tables.h"

#define CP_REPLACEMENT 0xFFFDu
#define CP_ESC_MARKER 0x241Bu

/* The class of cp: a binary search of the generated table. */
static int cp_class(uint32_t cp)
{
    const struct wr_cp_range *t = wr_cp_table;
    size_t lo = 0, hi = WR_ARRAY_LEN(wr_cp_table);
    if (cp < t[0].lo || cp > t[hi - 1].hi)
        return WR_CP_ONE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return t[mid].cls;
    }
    return WR_CP_ONE;
}

int wr_text_cp_width(uint32_t cp)
{
    if (cp < 0xAD)
        return 1; /* ASCII and most of Latin-1: the fast path */
    switch (cp_class(cp)) {
    case WR_CP_FORMAT:
    case WR_CP_ZERO:
        return 0;
    case WR_CP_WIDE:
        return 2;
    default: /* WR_CP_UNASSIGNED is drawn as U+FFFD: one column */
        return 1;
    }
}

size_t wr_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0) {
        *cp = CP_REPLACEMENT;
        return 0;
    }
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC0 && c <= 0xDF) {
        need = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF7) {
        need = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else { /* stray continuation byte or F8..FF */
        *cp = CP_REPLACEMENT;
        return 1;
    }
    size_t i = 1;
    while (i < need && i < len && (s[i] & 0xC0) == 0x80) {
        v = (v << 6) | (s[i] & 0x3Fu);
        i++;
    }
    if (i < need || v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = CP_REPLACEMENT;
        return i;
    }
    *cp = v;
    return i;
}

void wr_utf8_put(wr_buf *b, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = CP_REPLACEMENT;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    wr_buf_append(b, t, n);
}

/* ---- escape sequences ------------------------------------------------- */

/* After a CSI introducer at j: parameter and intermediate bytes up to a final
 * byte 0x40..0x7E (consumed). Any other byte ends the sequence unconsumed,
 * except CAN/SUB which abort it and are consumed. */
static size_t skip_csi(const unsigned char *s, size_t len, size_t j)
{
    while (j < len) {
        unsigned char c = s[j];
        if (c >= 0x40 && c <= 0x7E)
            return j + 1;
        if (c >= 0x20 && c <= 0x3F) {
            j++;
            continue;
        }
        if (c == 0x18 || c == 0x1A)
            return j + 1;
        return j;
    }
    return j;
}

/* After an OSC/DCS/SOS/PM/APC introducer at j: everything up to BEL, ST
 * (ESC \ or U+009C) or CAN/SUB, all consumed. Another ESC or a LF ends the
 * string unconsumed (the ESC then starts its own sequence). */
static size_t skip_string(const unsigned char *s, size_t len, size_t j)
{
    while (j < len) {
        unsigned char c = s[j];
        if (c == 0x07 || c == 0x18 || c == 0x1A)
            return j + 1;
        if (c == 0x1B)
            return (j + 1 < len && s[j + 1] == '\\') ? j + 2 : j;
        if (c == '\n')
            return j;
        if (c == 0xC2 && j + 1 < len && s[j + 1] == 0x9C)
            return j + 2;
        j++;
    }
    return j;
}

/* ESC at i: the end of the whole sequence it starts. */
static size_t skip_escape(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    if (j >= len)
        return j;
    unsigned char c = s[j];
    if (c == '[')
        return skip_csi(s, len, j + 1);
    if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
        return skip_string(s, len, j + 1);
    if (c >= 0x20 && c <= 0x2F) { /* nF: intermediates then a final byte */
        while (j < len && s[j] >= 0x20 && s[j] <= 0x2F)
            j++;
        if (j < len && s[j] >= 0x30 && s[j] <= 0x7E)
            j++;
        return j;
    }
    if (c >= 0x30 && c <= 0x7E) /* two-byte ESC x (Fp, Fe, Fs) */
        return j + 1;
    return j; /* a lone ESC */
}

/* ---- cleaning ---------------------------------------------------------- */

struct cleaner {
    wr_buf *out;
    unsigned flags;
    size_t col, maxw;
    int in_break; /* ONELINE: the last thing written was a line break's space */
};

static void put_cols(struct cleaner *c, uint32_t cp, size_t w)
{
    wr_utf8_put(c->out, cp);
    c->col += w;
    if (c->col > c->maxw)
        c->maxw = c->col;
    c->in_break = 0;
}

static void put_break(struct cleaner *c)
{
    if (c->flags & WR_TEXT_ONELINE) {
        if (!c->in_break)
            put_cols(c, ' ', 1);
        c->in_break = 1;
    } else {
        wr_buf_putc(c->out, '\n');
        c->col = 0;
    }
}

size_t wr_text_clean(wr_buf *out, const char *in, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)in;
    struct cleaner c = {out, flags, 0, 0, 0};
    if (!out->s)
        wr_buf_append(out, "", 0); /* so out->s is never NULL afterwards */
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b >= 0x20 && b < 0x7F) { /* printable ASCII: copy the whole run */
            size_t j = i + 1;
            while (j < len && s[j] >= 0x20 && s[j] < 0x7F)
                j++;
            wr_buf_append(out, in + i, j - i);
            c.col += j - i;
            if (c.col > c.maxw)
                c.maxw = c.col;
            c.in_break = 0;
            i = j;
            continue;
        }
        if (b == 0x1B) {
            i = skip_escape(s, len, i);
            put_cols(&c, CP_ESC_MARKER, 1);
            continue;
        }
        uint32_t cp;
        size_t n = wr_utf8_decode(in + i, len - i, &cp);
        i += n;
        switch (cp) {
        case '\t':
            if (flags & WR_TEXT_ONELINE) {
                put_cols(&c, ' ', 1);
            } else {
                size_t spaces = 8 - c.col % 8;
                while (spaces--)
                    put_cols(&c, ' ', 1);
            }
            continue;
        case '\n':
        case 0x2028:
        case 0x2029:
            put_break(&c);
            continue;
        case '\r':
            if (flags & WR_TEXT_ONELINE)
                put_break(&c);
            else if (!(i < len && s[i] == '\n')) /* CR LF: the LF does the break */
                put_cols(&c, 0x2400 + '\r', 1);
            continue;
        case 0x7F:
            put_cols(&c, 0x2421, 1);
            continue;
        case 0x9B: /* C1 CSI */
            i = skip_csi(s, len, i);
            put_cols(&c, CP_ESC_MARKER, 1);
            continue;
        case 0x90: /* C1 DCS, SOS, OSC, PM, APC */
        case 0x98:
        case 0x9D:
        case 0x9E:
        case 0x9F:
            i = skip_string(s, len, i);
            put_cols(&c, CP_ESC_MARKER, 1);
            continue;
        default:
            break;
        }
        if (cp < 0x20) {
            put_cols(&c, 0x2400 + cp, 1);
        } else if (cp >= 0x80 && cp <= 0x9F) {
            put_cols(&c, CP_REPLACEMENT, 1);
        } else if (cp < 0xAD) {
            put_cols(&c, cp, 1);
        } else {
            switch (cp_class(cp)) {
            case WR_CP_FORMAT: /* dropped: invisible */
                break;
            case WR_CP_UNASSIGNED: /* glibc's wcwidth() says -1: see text.h */
                put_cols(&c, CP_REPLACEMENT, 1);
                break;
            case WR_CP_ZERO:
                put_cols(&c, cp, 0);
                break;
            case WR_CP_WIDE:
                put_cols(&c, cp, 2);
                break;
            default:
                put_cols(&c, cp, 1);
                break;
            }
        }
    }
    return c.maxw;
}

size_t wr_text_fit(wr_buf *out, const char *in, size_t len, size_t cols, int ellipsis,
                   unsigned flags)
{
    wr_buf tmp = {0};
    size_t total = wr_text_clean(&tmp, in, len, flags | WR_TEXT_ONELINE);
    if (!out->s)
        wr_buf_append(out, "", 0);
    if (total <= cols) {
        wr_buf_append(out, tmp.s, tmp.len);
        wr_buf_free(&tmp);
        return total;
    }
    size_t limit = (ellipsis && cols > 0) ? cols - 1 : cols;
    size_t w = 0, i = 0;
    while (i < tmp.len) {
        uint32_t cp;
        size_t n = wr_utf8_decode(tmp.s + i, tmp.len - i, &cp);
        size_t cw = (size_t)wr_text_cp_width(cp);
        if (w + cw > limit)
            break;
        w += cw;
        i += n;
    }
    wr_buf_append(out, tmp.s, i);
    if (ellipsis && cols > 0) {
        wr_buf_puts(out, "\xe2\x80\xa6");
        w++;
    }
    wr_buf_free(&tmp);
    return w;
}

size_t wr_text_width(const char *clean)
{
    size_t len = strlen(clean), i = 0, col = 0, maxw = 0;
    while (i < len) {
        uint32_t cp;
        i += wr_utf8_decode(clean + i, len - i, &cp);
        if (cp == '\n') {
            col = 0;
            continue;
        }
        col += (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) ? 1 : (size_t)wr_text_cp_width(cp);
        if (col > maxw)
            maxw = col;
    }
    return maxw;
}

/* ---- wrapping ---------------------------------------------------------- */

static void wrap_line(const char *s, size_t start, size_t end, size_t cols,
                      void (*cb)(const char *, size_t, size_t, void *), void *ctx)
{
    size_t pos = start;
    if (pos == end) {
        cb(s + pos, 0, 0, ctx);
        return;
    }
    while (pos < end) {
        size_t line = pos, i = pos, w = 0;
        size_t brk = 0, brk_w = 0;
        int have_brk = 0, prev_space = 0;
        int overflow = 0;
        while (i < end) {
            uint32_t cp;
            size_t n = wr_utf8_decode(s + i, end - i, &cp);
            size_t cw = (size_t)wr_text_cp_width(cp);
            if (cp == ' ') {
                if (!prev_space && i > line) {
                    brk = i;
                    brk_w = w;
                    have_brk = 1;
                }
                prev_space = 1;
            } else {
                prev_space = 0;
            }
            if (w + cw > cols) {
                overflow = 1;
                break;
            }
            w += cw;
            i += n;
        }
        if (!overflow) {
            cb(s + line, end - line, w, ctx);
            return;
        }
        if (have_brk) {
            cb(s + line, brk - line, brk_w, ctx);
            pos = brk;
        } else {
            if (i == line) { /* not even one character fits: take it alone */
                uint32_t cp;
                i += wr_utf8_decode(s + i, end - i, &cp);
                w = (size_t)wr_text_cp_width(cp);
                /* and the zero-width marks that belong to it */
                while (i < end) {
                    size_t n = wr_utf8_decode(s + i, end - i, &cp);
                    if (wr_text_cp_width(cp) != 0)
                        break;
                    i += n;
                }
            }
            cb(s + line, i - line, w, ctx);
            pos = i;
        }
        while (pos < end && s[pos] == ' ')
            pos++;
    }
}

void wr_text_wrap(const char *clean, size_t cols,
                  void (*cb)(const char *line, size_t n, size_t w, void *ctx), void *ctx)
{
    size_t len = strlen(clean), start = 0;
    if (cols == 0)
        cols = 1;
    while (start < len) {
        const char *nl = memchr(clean + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - clean) : len;
        wrap_line(clean, start, end, cols, cb, ctx);
        start = nl ? end + 1 : len;
    }
}

void wr_text_clean_message(wr_buf *out, const char *in, int utf8)
{
    wr_buf b = {0};
    wr_text_clean(&b, in, strlen(in), 0);
    if (utf8) {
        wr_buf_append(out, b.s, b.len);
    } else {
        for (size_t i = 0; i < b.len;) {
            uint32_t cp;
            size_t n = wr_utf8_decode(b.s + i, b.len - i, &cp);
            wr_buf_putc(out, cp < 0x80 ? (char)cp : '?');
            i += n ? n : 1;
        }
        if (!out->s)
            wr_buf_append(out, "", 0);
    }
    wr_buf_free(&b);
}

int wr_text_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int wr_text_more_lines(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}
