/* SPDX-License-Identifier: MIT */
/* Key names and the key table. */
#include "check.h"
#include "warroom/cmd.h"
#include "warroom/keys.h"

#include <stdlib.h>
#include <string.h>

static const char *name(int key)
{
    static char buf[32];
    return wr_key_name(key, buf, sizeof buf);
}

static void test_parse(void)
{
    CHECK_INT(wr_key_parse("q"), 'q');
    CHECK_INT(wr_key_parse("?"), '?');
    CHECK_INT(wr_key_parse("G"), 'G');
    CHECK_INT(wr_key_parse(":"), ':');
    CHECK_INT(wr_key_parse("\xc3\xa9"), 0xE9); /* é */
    CHECK_INT(wr_key_parse("C-l"), 12);
    CHECK_INT(wr_key_parse("C-L"), 12);
    CHECK_INT(wr_key_parse("^L"), 12);
    CHECK_INT(wr_key_parse("C-a"), 1);
    CHECK_INT(wr_key_parse("C-Space"), 0);
    CHECK_INT(wr_key_parse("C-_"), 31);
    CHECK_INT(wr_key_parse("Tab"), WR_KEY_TAB);
    CHECK_INT(wr_key_parse("tab"), WR_KEY_TAB);
    CHECK_INT(wr_key_parse("BTab"), WR_KEY_BTAB);
    CHECK_INT(wr_key_parse("S-Tab"), WR_KEY_BTAB);
    CHECK_INT(wr_key_parse("Enter"), WR_KEY_ENTER);
    CHECK_INT(wr_key_parse("Return"), WR_KEY_ENTER);
    CHECK_INT(wr_key_parse("Space"), ' ');
    CHECK_INT(wr_key_parse(" "), ' ');
    CHECK_INT(wr_key_parse("Esc"), 27);
    CHECK_INT(wr_key_parse("BSpace"), 127);
    CHECK_INT(wr_key_parse("Up"), WR_KEY_UP);
    CHECK_INT(wr_key_parse("Down"), WR_KEY_DOWN);
    CHECK_INT(wr_key_parse("PgUp"), WR_KEY_PGUP);
    CHECK_INT(wr_key_parse("PageDown"), WR_KEY_PGDN);
    CHECK_INT(wr_key_parse("NPage"), WR_KEY_PGDN);
    CHECK_INT(wr_key_parse("Home"), WR_KEY_HOME);
    CHECK_INT(wr_key_parse("End"), WR_KEY_END);
    CHECK_INT(wr_key_parse("F1"), WR_KEY_F1);
    CHECK_INT(wr_key_parse("F12"), WR_KEY_F12);
    CHECK_INT(wr_key_parse("M-x"), 'x' | WR_KEY_META);
    CHECK_INT(wr_key_parse("M-Enter"), WR_KEY_ENTER | WR_KEY_META);
    CHECK_INT(wr_key_parse("M-C-l"), 12 | WR_KEY_META);
    CHECK_INT(wr_key_parse("C-M-l"), 12 | WR_KEY_META);
    /* Not keys. */
    CHECK_INT(wr_key_parse(""), WR_KEY_NONE);
    CHECK_INT(wr_key_parse(NULL), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("qq"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("F13"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("F0"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("F01"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("C-"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("C-1"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("C-Up"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("C-C-a"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("PgUpp"), WR_KEY_NONE);
    CHECK_INT(wr_key_parse("\x1b"), WR_KEY_NONE);     /* a raw control character is not a name */
    CHECK_INT(wr_key_parse("\xc2\x9b"), WR_KEY_NONE); /* nor a C1 */
    CHECK_INT(wr_key_parse("\xff"), WR_KEY_NONE);     /* invalid UTF-8 */
}

static void test_names(void)
{
    CHECK_STR(name('q'), "q");
    CHECK_STR(name(12), "C-l");
    CHECK_STR(name(WR_KEY_TAB), "Tab");
    CHECK_STR(name(WR_KEY_ENTER), "Enter");
    CHECK_STR(name(WR_KEY_BTAB), "BTab");
    CHECK_STR(name(' '), "Space");
    CHECK_STR(name(WR_KEY_PGDN), "PgDn");
    CHECK_STR(name(WR_KEY_F1 + 4), "F5");
    CHECK_STR(name('x' | WR_KEY_META), "M-x");
    CHECK_STR(name(0), "C-Space");
    CHECK_STR(name(0xE9), "\xc3\xa9");
    /* Every canonical name parses back to its key. */
    for (int k = 0; k <= WR_KEY_LAST; k = k == 0x2FF ? WR_KEY_UP : k + 1) {
        const char *n = name(k);
        if (k >= 0x80 && k <= 0x9F) {
            CHECK(n[0] == 'U' && n[1] == '+'); /* C1: printed safely, not a binding */
            continue;
        }
        if (wr_key_parse(n) != k) {
            fprintf(stderr, "round trip of key %d (%s) gives %d\n", k, n, wr_key_parse(n));
            CHECK(0);
        }
    }
}

static void test_keymap(void)
{
    wr_keymap m = {0};
    wr_buf err = {0};
    char *views[] = {NULL, "", "", "", "", "", "triage", "rom", "composer", "composer", "room", "list"};
    char *names[] = {"N", "q", "C-x", "Zz", "x", "g", "x", "x", "z", "C-s", "x", "/"};
    char *cmds[] = {"prompt note ", "none", "focus-nxt", "quit", "prompt anything at all", "", "prompt note ",
                    "quit", "send", "send", "prompt note ", "none"};
    int bad = wr_keymap_load(&m, wr_default_keys, wr_ndefault_keys, views, names, cmds, 12, &err);
    CHECK_INT(bad, 4);
    const wr_view G = WR_VIEW_GLOBAL;
    CHECK_STR(wr_keymap_lookup(&m, G, 'n'), "prompt note -- "); /* the default: what follows is text */
    CHECK_STR(wr_keymap_lookup(&m, G, 'N'), "prompt note ");
    CHECK(wr_keymap_lookup(&m, G, 'q') == NULL);  /* unbound by "none" */
    CHECK(wr_keymap_lookup(&m, G, 'g') == NULL);  /* unbound by "" */
    CHECK_STR(wr_keymap_lookup(&m, G, 'x'), "prompt anything at all");
    CHECK_STR(wr_keymap_lookup(&m, G, 12), "redraw");
    CHECK(wr_keymap_lookup(&m, G, 24) == NULL); /* C-x: bad command, skipped */
    CHECK(strstr(wr_buf_str(&err), "key 'C-x': \"focus-nxt\" is not a console command (did you mean focus-next?)")
          != NULL);
    CHECK(strstr(wr_buf_str(&err), "key 'Zz': not a key name") != NULL);
    /* Per view: the view's own table first, then the global one (not in the composer). */
    CHECK_STR(wr_keymap_lookup(&m, WR_VIEW_ROOM, WR_KEY_TAB), "focus-next");
    CHECK_STR(wr_keymap_lookup(&m, WR_VIEW_ROOM, ' '), "tick");
    CHECK_STR(wr_keymap_lookup(&m, WR_VIEW_LIST, ' '), "select");
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_ROOM, 'x'), "prompt note ");       /* room: its own x */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_TRIAGE, 'x'), "prompt note ");     /* triage: rebound */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_LIST, 'x'), "prompt anything at all"); /* list: the global x */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_TRIAGE, 'd'), "alert-declare");
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_TRIAGE, 'a'), "alert-attach");     /* over the global a */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_ROOM, 'a'), "prompt assign ");
    CHECK(wr_keymap_find(&m, WR_VIEW_LIST, '/') == NULL);                   /* unbound in the list */
    CHECK(wr_keymap_find(&m, WR_VIEW_COMPOSER, ':') == NULL);               /* the composer: no global keys */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_COMPOSER, 19), "send");            /* C-s */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_COMPOSER, 4), "send");             /* C-d still */
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_QUESTION, 'y'), "answer-yes");
    CHECK_STR(wr_keymap_find(&m, WR_VIEW_PAGER, 'q'), "back");
    /* A bad view, or a character in the composer, is refused and changes nothing. */
    CHECK(strstr(wr_buf_str(&err), "keys: \"rom\" is not a view (did you mean room?)") != NULL);
    CHECK(strstr(wr_buf_str(&err), "key 'z': in the composer a character is text") != NULL);
    CHECK(wr_keymap_lookup(&m, WR_VIEW_COMPOSER, 'z') == NULL);
    CHECK_INT(wr_view_parse("triage"), WR_VIEW_TRIAGE);
    CHECK_INT(wr_view_parse("Triage"), -1);
    /* Rebinding keeps the key's place in the table (help lists keys in this order). */
    size_t before = m.n;
    CHECK_INT(wr_keymap_bind(&m, WR_VIEW_ROOM, "Space", "select", &err), 0);
    CHECK_INT(m.n, before);
    CHECK_STR(wr_keymap_lookup(&m, WR_VIEW_ROOM, ' '), "select");
    /* A CLI-only verb cannot be bound. */
    wr_buf e2 = {0};
    CHECK_INT(wr_keymap_bind(&m, G, "e", "export", &e2), -1);
    CHECK(strstr(wr_buf_str(&e2), "not a console command") != NULL);
    /* Key name suggestion. */
    wr_buf_reset(&e2);
    CHECK_INT(wr_keymap_bind(&m, G, "PgUpp", "top", &e2), -1);
    CHECK(strstr(wr_buf_str(&e2), "did you mean PgUp?") != NULL);
    wr_buf_free(&e2);
    wr_buf_free(&err);
    wr_keymap_free(&m);
}

/* The help screen's keys, generated: one line per key when wide enough, else the description indented. */
static void test_help(void)
{
    wr_keymap m = {0};
    wr_buf err = {0};
    CHECK_INT(wr_keymap_load(&m, wr_default_keys, wr_ndefault_keys, NULL, NULL, NULL, 0, &err), 0);
    wr_buf narrow = {0}, wide = {0};
    wr_keymap_help(&narrow, &m, WR_VIEW_TRIAGE, 70);
    wr_keymap_help(&wide, &m, WR_VIEW_TRIAGE, 150);
    CHECK(strstr(wr_buf_str(&narrow), "keys in the triage view (triage)\n") != NULL);
    CHECK(strstr(wr_buf_str(&narrow), "\n  d        alert-declare\n           declare an incident from the selected "
                                      "alert") != NULL);
    CHECK(strstr(wr_buf_str(&wide), "\n  d        alert-declare          declare an incident from the selected "
                                    "alert") != NULL);
    /* Every line of the narrow layout fits in 70 columns. */
    for (const char *p = wr_buf_str(&narrow); *p;) {
        size_t n = strcspn(p, "\n");
        CHECK(n <= 70);
        p += n + (p[n] ? 1 : 0);
    }
    /* The same act's keys, all views ("help COMMAND"). */
    wr_buf k = {0};
    wr_keys_of_cmd(&k, wr_cmd_find("back"));
    CHECK_STR(wr_buf_str(&k), "  keys: room: Esc; list: Esc; triage: Esc; pager: q, Esc; composer: Esc\n");
    wr_buf md = {0};
    wr_keys_markdown(&md);
    CHECK(strstr(wr_buf_str(&md), "| triage | `x` | `alert-dismiss` | dismiss the selected alert") != NULL);
    CHECK(strstr(wr_buf_str(&md), "| global | `n` | `prompt note -- ` | open the : command line with \"note -- \" "
                                  "typed |") != NULL);
    wr_buf_free(&md);
    wr_buf_free(&k);
    wr_buf_free(&narrow);
    wr_buf_free(&wide);
    wr_buf_free(&err);
    wr_keymap_free(&m);
}

int main(void)
{
    test_parse();
    test_names();
    test_keymap();
    test_help();
    return check_done();
}
