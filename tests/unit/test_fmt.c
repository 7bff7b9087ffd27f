/* SPDX-License-Identifier: MIT */
/* Console helpers that need no terminal: cells of exact width, when elapsed times change, step markers,
 * the phase-gate question, and `:` prompt completion kinds. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/complete.h"
#include "warroom/fmt.h"
#include "warroom/text.h"

#include <stdlib.h>

static const char *cell(const char *raw, size_t cols, int right)
{
    static char out[256];
    wr_buf b = {0};
    wr_fmt_cell(&b, raw, cols, right);
    snprintf(out, sizeof out, "%s", wr_buf_str(&b));
    CHECK_INT(wr_text_width(wr_buf_str(&b)), cols); /* always exactly cols wide */
    wr_buf_free(&b);
    return out;
}

static void test_cell(void)
{
    CHECK_STR(cell("abc", 6, 0), "abc   ");
    CHECK_STR(cell("abc", 6, 1), "   abc");
    CHECK_STR(cell("abcdefgh", 6, 0), "abcde\xe2\x80\xa6");
    CHECK_STR(cell("", 3, 0), "   ");
    CHECK_STR(cell(NULL, 2, 0), "  ");
    /* Wide characters: two columns each, never split; the gap padded. */
    CHECK_STR(cell("\xe6\x97\xa5\xe6\x9c\xac", 6, 0), "\xe6\x97\xa5\xe6\x9c\xac  ");
    CHECK_STR(cell("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7", 6, 0), "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6 ");
    /* Hostile text is cleaned: no escape reaches the cell. */
    const char *c = cell("a\x1b]0;pwned\x07" "b\n\xe2\x80\xae" "c", 10, 0);
    CHECK(strchr(c, '\x1b') == NULL);
    CHECK(strstr(c, "\xe2\x80\xae") == NULL);
    CHECK(strstr(c, WR_TEXT_ESC_MARKER) != NULL);
    CHECK(strchr(c, '\n') == NULL);
}

static void test_duration_next(void)
{
    char a[32], b[32];
    /* For many elapsed times: the string is the same until the returned delay, and differs at it. */
    int64_t samples[] = {0, 1, 999, 1000, 59999, 60000, 61500, 3599999, 3600000, 5000000, 86399999, 86400000,
                         90061000, 400000000};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        int64_t e = samples[i], d = wr_fmt_duration_next(e);
        CHECK(d > 0);
        wr_duration(e, a, sizeof a);
        wr_duration(e + d - 1, b, sizeof b);
        CHECK_STR(a, b);
        wr_duration(e + d, b, sizeof b);
        if (strcmp(a, b) == 0) {
            fprintf(stderr, "duration %lld: \"%s\" does not change after %lld ms\n", (long long)e, a, (long long)d);
            CHECK(0);
        }
    }
    CHECK_INT(wr_fmt_duration_next(0), 1000);
    CHECK_INT(wr_fmt_duration_next(59500), 500);
    CHECK_INT(wr_fmt_duration_next(60000), 60000);  /* "1m": nothing to redraw for a minute */
    CHECK_INT(wr_fmt_duration_next(-5), 1000);
    /* A clock a few ms behind the event's time is "0s", not "-0s"; a whole second behind keeps its sign. */
    CHECK_STR(wr_duration(-5, a, sizeof a), "0s");
    CHECK_STR(wr_duration(-1500, a, sizeof a), "-1s");
}

static void test_steps(void)
{
    CHECK_STR(wr_fmt_step_marker("todo"), "[ ]");
    CHECK_STR(wr_fmt_step_marker("in-progress"), "[~]");
    CHECK_STR(wr_fmt_step_marker("done"), "[x]");
    CHECK_STR(wr_fmt_step_marker("skipped"), "[-]");
    CHECK_STR(wr_fmt_step_marker("blocked"), "[!]");
    CHECK_STR(wr_fmt_step_marker("weird"), "[?]");
    CHECK_STR(wr_fmt_step_marker(NULL), "[?]");
    CHECK_STR(wr_fmt_tick_action("todo"), "done");
    CHECK_STR(wr_fmt_tick_action("done"), "todo");
    CHECK_STR(wr_fmt_tick_action("blocked"), "done");
    CHECK_STR(wr_fmt_tick_action("in-progress"), "done");
}

static void test_gate(void)
{
    char q[128];
    CHECK_STR(wr_fmt_gate_question("containment", 2, q, sizeof q),
              "Leave containment with 2 mandatory steps open? Reason: ");
    CHECK_STR(wr_fmt_gate_question("triage", 1, q, sizeof q), "Leave triage with 1 mandatory step open? Reason: ");
    CHECK_STR(wr_fmt_gate_question("triage", 0, q, sizeof q), "Leave triage with mandatory steps open? Reason: ");
    CHECK_INT(wr_fmt_gate_count("INC-3 has 2 mandatory runbook steps still open in containment or before (a, b)"), 2);
    CHECK_INT(wr_fmt_gate_count("INC-3 has 1 mandatory runbook step still open"), 1);
    CHECK_INT(wr_fmt_gate_count("something else"), 0);
    char st[128];
    CHECK_STR(wr_fmt_gate_steps("INC-3 has 2 mandatory runbook steps still open in containment or before (a, b): "
                                "finish or skip them, or override with a reason (--force --reason TEXT)",
                                st, sizeof st),
              "a, b");
    CHECK_STR(wr_fmt_gate_steps("something else", st, sizeof st), "");
    CHECK_STR(wr_fmt_gate_steps("INC-3 has 9 mandatory runbook steps still open in triage or before (a, b, c, d, "
                                "e, f and 3 more): finish",
                                st, sizeof st),
              "a, b, c, d, e, f and 3 more");
    CHECK_INT(wr_fmt_gate_count(NULL), 0);
}

static void test_complete_kind(void)
{
    /* The line up to the cursor, and where the word under completion starts. */
#define KIND(line) wr_complete_kind(line, strlen(line) - strlen(strrchr(" " line, ' ') + 1))
    CHECK_STR(KIND("no"), "command");
    CHECK_STR(KIND(""), "command");
    CHECK_STR(KIND("assign "), "role");
    CHECK_STR(KIND("assign inc"), "role"); /* incident-commander, not an incident */
    CHECK_STR(KIND("assign scribe "), "operator");
    CHECK_STR(KIND("assign INC-3 "), "role"); /* an optional [INC] shifts the positions */
    CHECK_STR(KIND("assign INC-3 scribe s"), "operator");
    CHECK_STR(KIND("assign INC-"), "incident");
    CHECK(KIND("assign scribe sam ") == NULL); /* no third argument */
    CHECK_STR(KIND("severity "), "severity");
    CHECK_STR(KIND("status c"), "status");
    CHECK_STR(KIND("set "), "field");
    CHECK(KIND("set title ") == NULL); /* free text */
    CHECK(KIND("note ") == NULL);
    CHECK(KIND("note INC-2 some ") == NULL);
    CHECK_STR(KIND("step "), "step");
    CHECK_STR(KIND("step INC-1 "), "step");
    CHECK_STR(KIND("open "), "incident");
    CHECK_STR(KIND("theme "), "theme");
    CHECK_STR(KIND("help "), "command");
    CHECK(KIND("runbook ") == NULL); /* its subcommands: literal words */
    CHECK_STR(KIND("runbook show "), "runbook");
    CHECK_STR(KIND("runbook attach INC-2 "), "runbook");
    {
        char **v = NULL;
        size_t nv = 0;
        wr_complete_literals("runbook s", 8, &v, &nv);
        CHECK_INT(nv, 2); /* show, suggest */
        if (nv == 2) {
            CHECK_STR(v[0], "show");
            CHECK_STR(v[1], "suggest");
        }
        wr_complete_free(v, nv);
    }
    CHECK_STR(KIND("declare Something bad --severity "), "severity");
    CHECK_STR(KIND("declare Something bad --type "), "type");
    CHECK_STR(KIND("milestone INC-2 "), "milestone");
    CHECK_STR(KIND("asset add "), "asset-kind");
    CHECK_STR(KIND("indicator INC-1 add "), "ioc-type");
    CHECK(KIND("indicator add ip ") == NULL); /* the value: free text */
    {
        char **v = NULL;
        size_t nv = 0;
        CHECK_INT(wr_complete_fixed("milestone", "re", &v, &nv), 1);
        CHECK_INT(nv, 2); /* recovered, resolved */
        CHECK_INT(wr_complete_fixed("asset-kind", "data", &v, &nv), 1);
        CHECK_INT(nv, 3);
        CHECK_INT(wr_complete_fixed("nothing-like-it", "", &v, &nv), 0);
        wr_complete_free(v, nv);
        v = NULL;
        nv = 0;
        wr_complete_literals("step INC-1 disable-key d", 23, &v, &nv);
        CHECK_INT(nv, 1); /* done */
        wr_complete_free(v, nv);
        v = NULL;
        nv = 0;
        wr_complete_literals("update --audience e", 18, &v, &nv);
        CHECK_INT(nv, 1); /* executive */
        wr_complete_free(v, nv);
    }
    CHECK(KIND("status --") == NULL);
    CHECK_STR(KIND("status --reason because "), "status");
    CHECK(KIND("frobnicate ") == NULL);
    CHECK_STR(KIND("export "), "incident"); /* CLI verbs complete too (the shell asks: completion words) */
    CHECK_STR(KIND("sev"), "command");
#undef KIND

    const char *words[] = {"scribe", "deputy", "incident-commander", "scribe", "subject-matter-expert", NULL};
    char **out = NULL;
    size_t n = 0;
    wr_complete_filter("s", words, 6, &out, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(out[0], "scribe");
        CHECK_STR(out[1], "subject-matter-expert");
    }
    wr_complete_filter("", words, 5, &out, &n);
    CHECK_INT(n, 6); /* appended: 2 + 4 distinct */
    wr_complete_free(out, n);
}

int main(void)
{
    test_cell();
    test_duration_next();
    test_steps();
    test_gate();
    test_complete_kind();
    return check_done();
}
