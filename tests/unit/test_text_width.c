/* SPDX-License-Identifier: MIT */
/* test_text_width.c - the widths of src/text.c against glibc's wcwidth() under C.UTF-8, for every code
 * point U+0000..U+10FFFF (surrogates aside: UTF-8 cannot carry them).
 *
 * The tables come from the Unicode data in tools/unicode/; what ncurses and the terminal assume comes from
 * the C library's locale data. Each code point is cleaned alone (WR_TEXT_ONELINE) and:
 *   kept      drawn as itself: glibc knows it (wcwidth >= 0), and the cleaner's width (returned, and
 *             wr_text_cp_width) is wcwidth's;
 *   output    whatever the cleaner drew instead (U+FFFD, a control picture, a space...) is something glibc
 *             knows, and the width the cleaner returns is wcswidth() of it;
 *   replaced  a character glibc knows is never replaced: it is drawn as itself or dropped (but NUL,
 *             which wcwidth() gives 0 and the cleaner shows as U+2400);
 *   dropped   a dropped character is one glibc draws in 0 columns, or the soft hyphen or a prepended
 *             concatenation mark (format characters glibc gives one column to; Cf, so dropped).
 * Mismatches are reported as ranges. Without a C.UTF-8 locale (or without glibc) the test is skipped. */
#define _XOPEN_SOURCE 700 /* wcwidth, wcswidth */
#include "check.h"
#include "warroom/text.h"

#include <locale.h>
#include <stdlib.h>
#include <wchar.h>

#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

#define MAX_REPORTED 40 /* ranges printed per kind; the count of all is printed too */

/* Runs of consecutive failing code points with the same (ours, theirs). */
struct mismatches {
    const char *what, *ours_is, *theirs_is;
    long count;  /* code points */
    int nranges; /* ranges */
    int open;
    uint32_t lo, hi;
    long ours, theirs;
};

static void flush(struct mismatches *m)
{
    if (!m->open)
        return;
    m->open = 0;
    m->nranges++;
    if (m->nranges > MAX_REPORTED)
        return;
    if (m->lo == m->hi)
        fprintf(stderr, "  %s: U+%04X: %s %ld, %s %ld\n", m->what, (unsigned)m->lo, m->ours_is, m->ours,
                m->theirs_is, m->theirs);
    else
        fprintf(stderr, "  %s: U+%04X..U+%04X (%lu code points): %s %ld, %s %ld\n", m->what,
                (unsigned)m->lo, (unsigned)m->hi, (unsigned long)(m->hi - m->lo + 1), m->ours_is,
                m->ours, m->theirs_is, m->theirs);
}

static void mismatch(struct mismatches *m, uint32_t cp, long ours, long theirs)
{
    m->count++;
    if (m->open && cp == m->hi + 1 && ours == m->ours && theirs == m->theirs) {
        m->hi = cp;
        return;
    }
    flush(m);
    m->open = 1;
    m->lo = m->hi = cp;
    m->ours = ours;
    m->theirs = theirs;
}

static void report(struct mismatches *m)
{
    flush(m);
    if (m->nranges > MAX_REPORTED)
        fprintf(stderr, "  %s: ... and %d more ranges\n", m->what, m->nranges - MAX_REPORTED);
    if (m->count)
        fprintf(stderr, "%s: %ld code points in %d ranges\n", m->what, m->count, m->nranges);
}

/* Format characters glibc draws in one column and the cleaner drops (it drops every Cf). */
static int dropped_but_one_column(uint32_t cp)
{
    return cp == 0x00AD || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F ||
           cp == 0x0890 || cp == 0x0891 || cp == 0x08E2 || cp == 0x110BD || cp == 0x110CD;
}

/* wcswidth() of UTF-8 text under the current (thread) locale; -1 if glibc cannot draw all of it. */
static int glibc_width(const char *s)
{
    wchar_t ws[64];
    size_t n = mbstowcs(ws, s, 64);
    if (n == (size_t)-1 || n >= 64)
        return -2;
    return wcswidth(ws, n);
}

int main(void)
{
#ifndef __GLIBC__
    return CHECK_SKIP("the C library is not glibc: its wcwidth() is not the reference");
#else
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 == (locale_t)0)
        return CHECK_SKIP("no C.UTF-8 locale here (newlocale failed)");
    locale_t before = uselocale(utf8);
    printf("glibc %s, C.UTF-8\n", gnu_get_libc_version());
    /* The locale must really be UTF-8, or every comparison below would be against nothing. */
    CHECK(MB_CUR_MAX >= 4);
    CHECK_INT(wcwidth(0x4E00), 2);

    struct mismatches kept = {"kept: width differs from wcwidth()", "ours", "wcwidth", 0, 0, 0, 0, 0, 0, 0};
    struct mismatches kept_fn = {"kept: wr_text_cp_width() differs from wcwidth()", "ours", "wcwidth",
                                 0, 0, 0, 0, 0, 0, 0};
    struct mismatches unknown = {"kept: glibc does not know it (wcwidth -1)", "ours", "wcwidth",
                                 0, 0, 0, 0, 0, 0, 0};
    struct mismatches output = {"output: width differs from wcswidth() of what was drawn", "ours",
                                "wcswidth", 0, 0, 0, 0, 0, 0, 0};
    struct mismatches replaced = {"replaced: glibc knows it, the cleaner replaced it", "output bytes",
                                  "wcwidth", 0, 0, 0, 0, 0, 0, 0};
    struct mismatches dropped = {"dropped: glibc draws it, the cleaner dropped it", "ours", "wcwidth",
                                 0, 0, 0, 0, 0, 0, 0};
    long compared = 0, known = 0, drops = 0;
    wr_buf in = {0}, out = {0};
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        int g = wcwidth((wchar_t)cp);
        if (g >= 0)
            known++;
        wr_buf_reset(&in);
        wr_buf_reset(&out);
        wr_utf8_put(&in, cp);
        size_t w = wr_text_clean(&out, in.s, in.len, WR_TEXT_ONELINE);
        if (out.len == in.len && memcmp(out.s, in.s, in.len) == 0) { /* drawn as itself */
            if (g < 0) {
                mismatch(&unknown, cp, (long)w, g);
                continue;
            }
            compared++;
            if ((long)w != g)
                mismatch(&kept, cp, (long)w, g);
            if (wr_text_cp_width(cp) != g)
                mismatch(&kept_fn, cp, wr_text_cp_width(cp), g);
            continue;
        }
        if (out.len == 0) { /* dropped */
            drops++;
            if (g > 0 && !(g == 1 && dropped_but_one_column(cp)))
                mismatch(&dropped, cp, 0, g);
            if (w != 0)
                mismatch(&output, cp, (long)w, 0);
            continue;
        }
        if (g >= 0 && cp != 0) /* NUL: wcwidth 0 by convention; drawn as the control picture U+2400 */
            mismatch(&replaced, cp, (long)out.len, g);
        int gw = glibc_width(wr_buf_str(&out));
        if (gw != (int)w)
            mismatch(&output, cp, (long)w, gw);
    }
    wr_buf_free(&in);
    wr_buf_free(&out);
    uselocale(before);
    freelocale(utf8);

    printf("%ld code points glibc knows; %ld drawn as themselves and compared with wcwidth(); %ld dropped\n",
           known, compared, drops);
    report(&kept);
    report(&kept_fn);
    report(&unknown);
    report(&output);
    report(&replaced);
    report(&dropped);
    if (replaced.count)
        fprintf(stderr, "(a C library newer than glibc 2.36 knows characters Unicode 14.0.0 leaves "
                        "unassigned: see tools/unicode/README.md)\n");
    CHECK_INT(kept.count, 0);
    CHECK_INT(kept_fn.count, 0);
    CHECK_INT(unknown.count, 0);
    CHECK_INT(output.count, 0);
    CHECK_INT(replaced.count, 0);
    CHECK_INT(dropped.count, 0);
    /* The comparison covered what it claims (Unicode 14.0.0 assigns 144,697 characters; the private use
     * planes add 137,468 code points, drawn in one column). */
    CHECK(compared > 280000);
    return check_done();
#endif
}
