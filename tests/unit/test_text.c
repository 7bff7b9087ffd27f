/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/text.h"

#include <stdlib.h>

/* Clean and return a static copy of the result (and its width). */
static char result[4096];
static size_t result_w;

static const char *clean_n(const char *in, size_t len, unsigned flags)
{
    wr_buf b = {0};
    result_w = wr_text_clean(&b, in, len, flags);
    snprintf(result, sizeof result, "%s", wr_buf_str(&b));
    wr_buf_free(&b);
    return result;
}

static const char *clean(const char *in, unsigned flags)
{
    return clean_n(in, strlen(in), flags);
}

static const char *fit(const char *in, size_t cols, int ellipsis)
{
    wr_buf b = {0};
    result_w = wr_text_fit(&b, in, strlen(in), cols, ellipsis, 0);
    snprintf(result, sizeof result, "%s", wr_buf_str(&b));
    wr_buf_free(&b);
    return result;
}

/* The safety property: valid UTF-8, no C0 but LF (when allowed), no DEL, no
 * C1, no bidi / invisible format characters. Returns 1 if `s` is safe. */
static int is_safe(const char *s, size_t len, int allow_lf)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        const unsigned char *u = (const unsigned char *)s + i;
        if (u[0] == 0xEF && i + 2 < len && u[1] == 0xBF && u[2] == 0xBD) {
            i += 3; /* a real U+FFFD */
            continue;
        }
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD)
            return 0; /* invalid UTF-8 in the output */
        if (cp < 0x20 && !(cp == '\n' && allow_lf))
            return 0;
        if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
            return 0;
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
            cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
            cp == 0xFEFF || cp == 0xAD || cp == 0x2028 || cp == 0x2029)
            return 0;
        i += n;
    }
    return 1;
}

struct lines {
    char text[16][64];
    size_t w[16];
    int n;
};

static void collect(const char *line, size_t n, size_t w, void *ctx)
{
    struct lines *l = ctx;
    if (l->n < 16) {
        snprintf(l->text[l->n], sizeof l->text[0], "%.*s", (int)n, line);
        l->w[l->n] = w;
    }
    l->n++;
}

static void test_decode(void)
{
    uint32_t cp;
    CHECK_INT(wr_utf8_decode("A", 1, &cp), 1);
    CHECK_INT(cp, 'A');
    CHECK_INT(wr_utf8_decode("\xc3\xa9", 2, &cp), 2);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(wr_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    CHECK_INT(cp, 0x20AC);
    CHECK_INT(wr_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    CHECK_INT(cp, 0x1F600);
    /* overlong '/' */
    CHECK_INT(wr_utf8_decode("\xc0\xaf", 2, &cp), 2);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(wr_utf8_decode("\xe0\x80\xaf", 3, &cp), 3);
    CHECK_INT(cp, 0xFFFD);
    /* surrogate */
    CHECK_INT(wr_utf8_decode("\xed\xa0\x80", 3, &cp), 3);
    CHECK_INT(cp, 0xFFFD);
    /* > U+10FFFF */
    CHECK_INT(wr_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 4);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(wr_utf8_decode("\xf5\x80\x80\x80", 4, &cp), 4);
    CHECK_INT(cp, 0xFFFD);
    /* largest valid */
    CHECK_INT(wr_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
    CHECK_INT(cp, 0x10FFFF);
    /* stray continuation, invalid leads */
    CHECK_INT(wr_utf8_decode("\x80", 1, &cp), 1);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(wr_utf8_decode("\xff", 1, &cp), 1);
    CHECK_INT(cp, 0xFFFD);
    /* truncated: at end, and interrupted by ASCII */
    CHECK_INT(wr_utf8_decode("\xe2\x82", 2, &cp), 2);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(wr_utf8_decode("\xe2\x82" "A", 3, &cp), 2);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(wr_utf8_decode("\xf0" "A", 2, &cp), 1);
    CHECK_INT(wr_utf8_decode("", 0, &cp), 0);

    wr_buf b = {0};
    wr_utf8_put(&b, 0x41);
    wr_utf8_put(&b, 0xE9);
    wr_utf8_put(&b, 0x20AC);
    wr_utf8_put(&b, 0x1F600);
    wr_utf8_put(&b, 0xD800); /* not encodable: U+FFFD */
    CHECK_STR(wr_buf_str(&b), "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd");
    wr_buf_free(&b);
}

static void test_clean(void)
{
    /* plain text passes unchanged */
    CHECK_STR(clean("INC-42 open: db latency", 0), "INC-42 open: db latency");
    CHECK_INT(result_w, 23);
    CHECK_STR(clean("caf\xc3\xa9", 0), "caf\xc3\xa9");
    CHECK_INT(result_w, 4);

    /* escape sequences: one marker each */
    CHECK_STR(clean("\x1b]0;pwned\x07ok", 0), "\xe2\x90\x9bok");
    CHECK_INT(result_w, 3);
    CHECK_STR(clean("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", 0),
              "\xe2\x90\x9blink\xe2\x90\x9b");
    CHECK_STR(clean("\x1b[2J\x1b[H", 0), "\xe2\x90\x9b\xe2\x90\x9b");
    CHECK_STR(clean("a\x1b[38;5;196mred\x1b[0m", 0), "a\xe2\x90\x9bred\xe2\x90\x9b");
    CHECK_STR(clean("\x1bP1$r...\x1b\\after", 0), "\xe2\x90\x9b" "after");
    CHECK_STR(clean("\x1b_apc\x1b\\x\x1b^pm\x1b\\y\x1bXsos\x1b\\z", 0),
              "\xe2\x90\x9bx\xe2\x90\x9by\xe2\x90\x9bz");
    CHECK_STR(clean("\x1b" "c\x1b" "7x\x1b(B", 0), "\xe2\x90\x9b\xe2\x90\x9bx\xe2\x90\x9b");
    CHECK_STR(clean("end\x1b", 0), "end\xe2\x90\x9b");
    CHECK_STR(clean("\x1b[31", 0), "\xe2\x90\x9b"); /* unterminated CSI */
    CHECK_STR(clean("\x1b]0;title", 0), "\xe2\x90\x9b"); /* unterminated OSC */
    CHECK_STR(clean("\x1b]0;t\nnext", 0), "\xe2\x90\x9b\nnext"); /* OSC ends at LF */
    /* C1 introducers in UTF-8 */
    CHECK_STR(clean("\xc2\x9b" "31mred", 0), "\xe2\x90\x9bred");
    CHECK_STR(clean("\xc2\x9d" "0;pwned\x07ok", 0), "\xe2\x90\x9bok");
    CHECK_STR(clean("\xc2\x9d" "0;pwned\xc2\x9cok", 0), "\xe2\x90\x9bok");
    CHECK_STR(clean("\xc2\x90" "dcs\x1b\\ok", 0), "\xe2\x90\x9bok");
    /* other C1 controls: U+FFFD */
    CHECK_STR(clean("a\xc2\x85" "b\xc2\x80", 0), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
    /* a raw 0x9b byte is invalid UTF-8 */
    CHECK_STR(clean("\x9b" "31m", 0), "\xef\xbf\xbd" "31m");

    /* C0 controls and DEL: control pictures */
    CHECK_STR(clean("a\x01" "b\x07\x08\x7f", 0), "a\xe2\x90\x81" "b\xe2\x90\x87\xe2\x90\x88\xe2\x90\xa1");
    CHECK_INT(result_w, 6);
    /* NUL in the middle */
    CHECK_STR(clean_n("ab\0cd", 5, 0), "ab\xe2\x90\x80" "cd");
    CHECK_INT(result_w, 5);

    /* invalid UTF-8: one U+FFFD per bad sequence */
    CHECK_STR(clean("\xc0\xaf", 0), "\xef\xbf\xbd");
    CHECK_STR(clean("x\xed\xa0\x80y", 0), "x\xef\xbf\xbdy");
    CHECK_STR(clean("\xf4\x90\x80\x80", 0), "\xef\xbf\xbd");
    CHECK_STR(clean("\x80\x80", 0), "\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(clean("ok\xe2\x82", 0), "ok\xef\xbf\xbd"); /* truncated at end */
    CHECK_STR(clean("ok\xf0\x9f\x98", 0), "ok\xef\xbf\xbd");
    CHECK_STR(clean("ok\xc3", 0), "ok\xef\xbf\xbd");
    CHECK_INT(result_w, 3);
    /* noncharacters */
    CHECK_STR(clean("\xef\xbf\xbe\xef\xb7\x90", 0), "\xef\xbf\xbd\xef\xbf\xbd");

    /* bidi and zero-width characters are dropped */
    CHECK_STR(clean("a\xe2\x80\xae" "evil\xe2\x80\xac" "b", 0), "aevilb"); /* RLO, PDF */
    CHECK_STR(clean("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0), "x");
    CHECK_STR(clean("a\xe2\x80\x8b" "b\xe2\x80\x8d" "c\xe2\x81\xa0" "d\xef\xbb\xbf" "e\xc2\xad" "f", 0),
              "abcdef");
    CHECK_INT(result_w, 6);
    CHECK_STR(clean("tag\xf3\xa0\x80\x81\xf3\xa0\x81\x81", 0), "tag"); /* tag characters */

    /* line breaks and tabs */
    CHECK_STR(clean("a\nb", 0), "a\nb");
    CHECK_STR(clean("a\r\nb", 0), "a\nb");
    CHECK_STR(clean("a\rb", 0), "a\xe2\x90\x8d" "b");
    CHECK_STR(clean("a\xe2\x80\xa8" "b", 0), "a\nb");
    CHECK_STR(clean("a\nb", WR_TEXT_ONELINE), "a b");
    CHECK_STR(clean("a\r\n\r\nb\rc", WR_TEXT_ONELINE), "a b c");
    CHECK_STR(clean("a\n", WR_TEXT_ONELINE), "a ");
    CHECK_STR(clean("a\tb", 0), "a       b");
    CHECK_INT(result_w, 9);
    CHECK_STR(clean("abcdefgh\tx", 0), "abcdefgh        x");
    CHECK_STR(clean("ab\n\tx", 0), "ab\n        x"); /* tab stops restart on each line */
    CHECK_INT(result_w, 9);
    CHECK_STR(clean("a\tb", WR_TEXT_ONELINE), "a b");
    CHECK_STR(clean("long line\nx", 0), "long line\nx");
    CHECK_INT(result_w, 9); /* widest line */

    /* widths: CJK, Hangul, fullwidth, emoji = 2; combining marks = 0 */
    CHECK_STR(clean("\xe6\x97\xa5\xe6\x9c\xac", 0), "\xe6\x97\xa5\xe6\x9c\xac"); /* 日本 */
    CHECK_INT(result_w, 4);
    CHECK_STR(clean("\xed\x95\x9c", 0), "\xed\x95\x9c"); /* 한 */
    CHECK_INT(result_w, 2);
    clean("\xef\xbc\xa1", 0); /* FULLWIDTH A */
    CHECK_INT(result_w, 2);
    clean("\xf0\x9f\x94\xa5!", 0); /* 🔥! */
    CHECK_INT(result_w, 3);
    clean("\xf0\x9f\xaa\xb2", 0); /* U+1FAB2 */
    CHECK_INT(result_w, 2);
    clean("e\xcc\x81", 0); /* e + COMBINING ACUTE */
    CHECK_INT(result_w, 1);
    clean("a\xe2\x83\x9d", 0); /* U+20DD COMBINING ENCLOSING CIRCLE (Me) */
    CHECK_INT(result_w, 1);
    clean("x\xef\xb8\xa0", 0); /* U+FE20 */
    CHECK_INT(result_w, 1);

    /* unassigned in Unicode 14.0.0 (glibc 2.36's wcwidth() says -1): drawn as U+FFFD, one column */
    CHECK_STR(clean("a\xcd\xb8" "b", 0), "a\xef\xbf\xbd" "b"); /* U+0378 */
    CHECK_INT(result_w, 3);
    CHECK_STR(clean("\xf0\x9f\xab\xa8", 0), "\xef\xbf\xbd"); /* U+1FAE8, an emoji of Unicode 15.0 */
    CHECK_INT(result_w, 1);
    CHECK_STR(clean("\xf0\xaa\x9b\xa0", 0), "\xef\xbf\xbd"); /* U+2A6E0, reserved for CJK */
    CHECK_INT(result_w, 1);
    CHECK_STR(clean("\xf3\xa0\x82\x80", 0), "\xef\xbf\xbd"); /* U+E0080, past the tag characters */
    CHECK_INT(result_w, 1);
    CHECK_STR(clean("\xed\x9f\x87", 0), "\xef\xbf\xbd"); /* U+D7C7, between Hangul jamo */
    /* private use: drawn as itself, one column, as glibc does */
    CHECK_STR(clean("\xee\x80\x80", 0), "\xee\x80\x80"); /* U+E000 */
    CHECK_INT(result_w, 1);
}

static void test_width(void)
{
    CHECK_INT(wr_text_cp_width('a'), 1);
    CHECK_INT(wr_text_cp_width(0x4E00), 2);
    CHECK_INT(wr_text_cp_width(0x3000), 2); /* IDEOGRAPHIC SPACE */
    CHECK_INT(wr_text_cp_width(0xFF01), 2);
    CHECK_INT(wr_text_cp_width(0x1F600), 2);
    CHECK_INT(wr_text_cp_width(0x20000), 2);
    CHECK_INT(wr_text_cp_width(0x0301), 0);
    CHECK_INT(wr_text_cp_width(0x1AB0), 0);
    CHECK_INT(wr_text_cp_width(0x1DC0), 0);
    CHECK_INT(wr_text_cp_width(0x20D0), 0);
    CHECK_INT(wr_text_cp_width(0x1160), 0);
    CHECK_INT(wr_text_cp_width(0x00E9), 1);
    CHECK_INT(wr_text_cp_width(0x2500), 1); /* box drawing */
    /* glibc's own rules on top of the Unicode data */
    CHECK_INT(wr_text_cp_width(0x3248), 2); /* CIRCLED NUMBER TEN ON BLACK SQUARE: ambiguous, glibc 2 */
    CHECK_INT(wr_text_cp_width(0x4DC0), 2); /* HEXAGRAM FOR THE CREATIVE HEAVEN */
    CHECK_INT(wr_text_cp_width(0xD7B0), 0); /* HANGUL JUNGSEONG O-YEO */
    CHECK_INT(wr_text_cp_width(0x302A), 0); /* Mn in a wide block: combining wins */
    /* what is drawn instead: format characters are dropped, unassigned ones become U+FFFD */
    CHECK_INT(wr_text_cp_width(0x00AD), 0);
    CHECK_INT(wr_text_cp_width(0x200B), 0);
    CHECK_INT(wr_text_cp_width(0x0378), 1);
    CHECK_INT(wr_text_cp_width(0x1FAE8), 1);
    CHECK_INT(wr_text_cp_width(0xD7C7), 1);
    CHECK_INT(wr_text_cp_width(0x10FFFF), 1);
    CHECK_INT(wr_text_width(""), 0);
    CHECK_INT(wr_text_width("abc"), 3);
    CHECK_INT(wr_text_width("\xe6\x97\xa5x"), 3);
    CHECK_INT(wr_text_width("ab\nabcd\nx"), 4);
    CHECK_INT(wr_text_width("e\xcc\x81"), 1);
}

static void test_fit(void)
{
    CHECK_STR(fit("hello", 10, 1), "hello");
    CHECK_INT(result_w, 5);
    CHECK_STR(fit("hello", 5, 1), "hello");
    CHECK_STR(fit("hello world", 5, 0), "hello");
    CHECK_INT(result_w, 5);
    CHECK_STR(fit("hello world", 5, 1), "hell\xe2\x80\xa6");
    CHECK_INT(result_w, 5);
    CHECK_STR(fit("hello", 0, 1), "");
    CHECK_INT(result_w, 0);
    CHECK_STR(fit("hello", 1, 1), "\xe2\x80\xa6");
    CHECK_INT(result_w, 1);
    /* a wide character at the boundary is not split */
    CHECK_STR(fit("a\xe6\x97\xa5\xe6\x9c\xac", 4, 0), "a\xe6\x97\xa5");
    CHECK_INT(result_w, 3);
    CHECK_STR(fit("ab\xe6\x97\xa5", 3, 0), "ab");
    CHECK_INT(result_w, 2);
    CHECK_STR(fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 1), "\xe6\x97\xa5\xe2\x80\xa6");
    CHECK_INT(result_w, 3);
    CHECK_STR(fit("\xe6\x97\xa5", 1, 0), "");
    CHECK_INT(result_w, 0);
    /* combining marks stay with their base */
    CHECK_STR(fit("e\xcc\x81" "abc", 1, 0), "e\xcc\x81");
    /* cleaning happens before cutting, and fit is one line */
    CHECK_STR(fit("\x1b[2Jab\ncd", 10, 1), "\xe2\x90\x9b" "ab cd");
    CHECK_INT(result_w, 6);
    CHECK_STR(fit("\x1b]0;pwned\x07xyz", 2, 1), "\xe2\x90\x9b\xe2\x80\xa6");
}

static void test_wrap(void)
{
    struct lines l = {0};
    wr_text_wrap("the quick brown fox jumps", 10, collect, &l);
    CHECK_INT(l.n, 3);
    CHECK_STR(l.text[0], "the quick");
    CHECK_INT(l.w[0], 9);
    CHECK_STR(l.text[1], "brown fox");
    CHECK_STR(l.text[2], "jumps");
    CHECK_INT(l.w[2], 5);

    memset(&l, 0, sizeof l);
    wr_text_wrap("abcdefghijkl xy", 5, collect, &l); /* a long word is cut */
    CHECK_INT(l.n, 3);
    CHECK_STR(l.text[0], "abcde");
    CHECK_STR(l.text[1], "fghij");
    CHECK_STR(l.text[2], "kl xy");

    memset(&l, 0, sizeof l);
    wr_text_wrap("one\n\ntwo three\n", 6, collect, &l); /* hard breaks, empty line */
    CHECK_INT(l.n, 4);
    CHECK_STR(l.text[0], "one");
    CHECK_STR(l.text[1], "");
    CHECK_INT(l.w[1], 0);
    CHECK_STR(l.text[2], "two");
    CHECK_STR(l.text[3], "three");

    memset(&l, 0, sizeof l);
    wr_text_wrap("ab    cd", 4, collect, &l); /* spaces at the break vanish */
    CHECK_INT(l.n, 2);
    CHECK_STR(l.text[0], "ab");
    CHECK_STR(l.text[1], "cd");

    memset(&l, 0, sizeof l);
    wr_text_wrap("abcd efg", 4, collect, &l); /* break exactly at the limit */
    CHECK_INT(l.n, 2);
    CHECK_STR(l.text[0], "abcd");
    CHECK_STR(l.text[1], "efg");

    memset(&l, 0, sizeof l);
    wr_text_wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, collect, &l); /* 日本語 in 5 columns */
    CHECK_INT(l.n, 2);
    CHECK_STR(l.text[0], "\xe6\x97\xa5\xe6\x9c\xac");
    CHECK_INT(l.w[0], 4);
    CHECK_STR(l.text[1], "\xe8\xaa\x9e");

    memset(&l, 0, sizeof l);
    wr_text_wrap("\xe6\x97\xa5x", 1, collect, &l); /* wider than cols: alone on its line */
    CHECK_INT(l.n, 2);
    CHECK_STR(l.text[0], "\xe6\x97\xa5");
    CHECK_INT(l.w[0], 2);
    CHECK_STR(l.text[1], "x");

    memset(&l, 0, sizeof l);
    wr_text_wrap("", 10, collect, &l);
    CHECK_INT(l.n, 0);
    memset(&l, 0, sizeof l);
    wr_text_wrap("abc", 0, collect, &l);
    CHECK_INT(l.n, 3);
}

/* Random bytes biased towards the interesting ones. */
static void random_bytes(char *buf, size_t n)
{
    static const unsigned char special[] = {0x1b, '[', ']', 'P', '\\', 0x07, 0x00, '\n', '\r', '\t',
                                            0x7f, 0xc2, 0x9b, 0x9d, 0x9c, 0xe2, 0x80, 0xae,
                                            0x81, 0xa6, 0xed, 0xa0, 0xf0, 0x9f, 0xef, 0xbb,
                                            0xbf, 0xc0, 0xd8, 0x9c, 0x18, 'm', ';', ' '};
    for (size_t i = 0; i < n; i++) {
        int r = rand() % 3;
        if (r == 0)
            buf[i] = (char)(rand() & 0xff);
        else if (r == 1)
            buf[i] = (char)special[(size_t)rand() % sizeof special];
        else
            buf[i] = (char)(0x20 + rand() % 0x5f);
    }
}

static void test_random(void)
{
    srand(12345);
    char in[96];
    int bad_clean = 0, bad_line = 0, bad_fit = 0, bad_width = 0;
    for (int it = 0; it < 10000; it++) {
        size_t n = (size_t)(rand() % (int)sizeof in);
        random_bytes(in, n);
        wr_buf b = {0};
        size_t w = wr_text_clean(&b, in, n, 0);
        if (!is_safe(b.s, b.len, 1) || strlen(b.s) != b.len)
            bad_clean++;
        if (w != wr_text_width(b.s))
            bad_width++;
        wr_buf_reset(&b);
        w = wr_text_clean(&b, in, n, WR_TEXT_ONELINE);
        if (!is_safe(b.s, b.len, 0) || w != wr_text_width(b.s))
            bad_line++;
        wr_buf_reset(&b);
        size_t cols = (size_t)(rand() % 20);
        w = wr_text_fit(&b, in, n, cols, it & 1, 0);
        if (!is_safe(b.s, b.len, 0) || w > cols || w != wr_text_width(b.s))
            bad_fit++;
        wr_buf_free(&b);
    }
    CHECK_INT(bad_clean, 0);
    CHECK_INT(bad_width, 0);
    CHECK_INT(bad_line, 0);
    CHECK_INT(bad_fit, 0);
    /* and the checker itself does see an unsafe string */
    CHECK(!is_safe("a\x1b", 2, 1));
    CHECK(!is_safe("\xc2\x9b", 2, 1));
    CHECK(!is_safe("\xe2\x80\xae", 3, 1));
    CHECK(!is_safe("a\nb", 3, 0));
    CHECK(is_safe("a\nb\xef\xbf\xbd", 6, 1));
}

int main(void)
{
    test_decode();
    test_clean();
    test_width();
    test_fit();
    test_wrap();
    test_random();
    return check_done();
}
