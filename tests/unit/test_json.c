/* SPDX-License-Identifier: MIT */
/* test_json.c - the one JSON writer: valid UTF-8 and terminal-safe whatever the text, payloads written again
 * with the same structure. */
#include "check.h"

#include "warroom/json.h"

#include <stdlib.h>
#include <string.h>

static char *str(const char *s, size_t n)
{
    wr_buf b = {0};
    wr_json_strn(&b, s, n);
    return wr_buf_steal(&b);
}

static void check_str(const char *in, size_t n, const char *want)
{
    char *got = str(in, n);
    CHECK_STR(got, want);
    free(got);
}

static void check_value(const char *in, const char *want)
{
    char *got = wr_json_rewrite(in);
    CHECK_STR(got, want);
    free(got);
}

int main(void)
{
    check_str("plain", 5, "\"plain\"");
    check_str("q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
    check_str("a\nb\tc\r", 6, "\"a\\nb\\tc\\r\"");
    /* Invalid UTF-8 becomes U+FFFD (one per bad sequence, as wr_utf8_decode reads them): bytes FF FE, a
     * truncated sequence, an overlong one, a surrogate. */
    check_str("\xff\xfe", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    check_str("x\xe2\x82", 3, "\"x\xef\xbf\xbd\"");
    check_str("\xc0\xaf", 2, "\"\xef\xbf\xbd\"");
    check_str("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\"");
    /* Controls, C1, DEL, bidi and zero-width characters are escaped, never raw. */
    check_str("\x1b]52;c;x\x07", 9, "\"\\u001b]52;c;x\\u0007\"");
    check_str("\x00z", 2, "\"\\u0000z\"");
    check_str("\xc2\x9b" "31m\x7f", 6, "\"\\u009b31m\\u007f\"");
    check_str("\xe2\x80\xae" "abc", 6, "\"\\u202eabc\"");
    check_str("\xf3\xa0\x80\x81", 4, "\"\\udb40\\udc01\"");
    /* Text that is fine is kept as UTF-8. */
    check_str("\xf0\x9f\x94\xa5 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 13,
              "\"\xf0\x9f\x94\xa5 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\"");
    {
        wr_buf b = {0};
        wr_json_str(&b, NULL);
        CHECK_STR(wr_buf_str(&b), "null");
        wr_buf_free(&b);
    }

    /* Members: commas only between them. */
    {
        wr_buf b = {0};
        wr_buf_putc(&b, '{');
        wr_json_kv_str(&b, "a", "x");
        wr_json_kv_int(&b, "n", -3);
        wr_json_kv_value(&b, "p", "{\"k\": [1, true, null]}");
        wr_buf_putc(&b, '}');
        CHECK_STR(wr_buf_str(&b), "{\"a\":\"x\",\"n\":-3,\"p\":{\"k\":[1,true,null]}}");
        wr_buf_free(&b);
    }

    /* Stored JSON written again: same structure, every string cleaned. */
    check_value("{\"text\": \"ok\", \"n\": 1.5e3, \"a\": [\"x\", {\"y\": false}]}",
                "{\"text\":\"ok\",\"n\":1.5e3,\"a\":[\"x\",{\"y\":false}]}");
    check_value("{\"text\":\"\xff\xfe\"}", "{\"text\":\"\xef\xbf\xbd\xef\xbf\xbd\"}");
    check_value("{\"t\":\"\\u001b[2J\\u202e\"}", "{\"t\":\"\\u001b[2J\\u202e\"}");
    check_value("{\"t\":\"\\ud83d\\udd25 \\u00e9\\/\"}", "{\"t\":\"\xf0\x9f\x94\xa5 \xc3\xa9/\"}");
    check_value("{\"t\":\"lone \\ud800 x\"}", "{\"t\":\"lone \xef\xbf\xbd x\"}");
    check_value("{\"t\":\"raw \x1b bytes\"}", "{\"t\":\"raw \\u001b bytes\"}");
    check_value("{\"k\\\"q\":\"v\"}", "{\"k\\\"q\":\"v\"}");
    /* Not one JSON value: kept whole, as a string. */
    check_value("{\"a\":", "\"{\\\"a\\\":\"");
    check_value("1 2", "\"1 2\"");
    check_value(NULL, "null");
    return check_done();
}
