/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/yaml.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

static char errline[1024];

/* Load src; return 1 if it failed, with the first error line in errline. */
static int fails_n(const char *src, size_t len)
{
    wr_buf err = {0};
    wr_ydoc *d = wr_yaml_load_mem("t.yaml", src, len, &err);
    const char *e = wr_buf_str(&err);
    size_t n = strcspn(e, "\n");
    snprintf(errline, sizeof errline, "%.*s", (int)n, e);
    int failed = d == NULL;
    if (failed && err.len == 0)
        snprintf(errline, sizeof errline, "(failed without a message)");
    if (!failed && err.len)
        snprintf(errline, sizeof errline, "(succeeded with a message: %s)", e);
    wr_yaml_free(d);
    wr_buf_free(&err);
    return failed;
}

static int fails(const char *src)
{
    return fails_n(src, strlen(src));
}

#define CHECK_FAILS(src, expected)       \
    do {                                 \
        CHECK(fails(src));               \
        CHECK_STR(errline, (expected));  \
    } while (0)

static void test_tree(void)
{
    const char *src = "# a comment\n"
                      "title: Hello\n"
                      "count: 42\n"
                      "quoted: \"42\"\n"
                      "block: |\n"
                      "  line one\n"
                      "  line two\n"
                      "list:\n"
                      "  - a\n"
                      "  - {x: 1, y: [p, q]}\n"
                      "empty:\n";
    wr_buf err = {0};
    wr_ydoc *d = wr_yaml_load_mem("tree.yaml", src, strlen(src), &err);
    CHECK(d != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (!d)
        return;
    CHECK_STR(d->name, "tree.yaml");
    const wr_ynode *r = d->root;
    CHECK_INT(r->kind, WR_Y_MAP);
    CHECK_INT(r->n, 6);
    CHECK_INT(r->line, 2);
    CHECK_INT(r->col, 1);
    CHECK_STR(r->keys[0]->value, "title");
    CHECK_STR(r->items[0]->value, "Hello");
    CHECK_INT(r->items[0]->line, 2);
    CHECK_INT(r->items[0]->col, 8);
    CHECK_INT(r->items[0]->quoted, 0);
    CHECK_INT(wr_yaml_get(r, "quoted")->quoted, 1);
    CHECK_STR(wr_yaml_get(r, "block")->value, "line one\nline two\n");
    CHECK_INT(wr_yaml_get(r, "block")->quoted, 1);
    const wr_ynode *list = wr_yaml_get(r, "list");
    CHECK_INT(list->kind, WR_Y_SEQ);
    CHECK_INT(list->n, 2);
    CHECK_INT(list->items[1]->kind, WR_Y_MAP);
    CHECK_INT(list->items[1]->line, 10);
    CHECK_INT(list->items[1]->col, 5);
    CHECK_STR(wr_yaml_get(wr_yaml_get(list->items[1], "y"), "p") == NULL ? "ok" : "no", "ok");
    CHECK_STR(wr_yaml_get(list->items[1], "y")->items[1]->value, "q");
    CHECK(wr_yaml_is_null(wr_yaml_get(r, "empty")));
    CHECK(wr_yaml_get(r, "missing") == NULL);
    CHECK(wr_yaml_get(list, "a") == NULL); /* not a map */
    CHECK(wr_yaml_get(NULL, "a") == NULL);
    CHECK_INT(wr_yaml_get_key(r, "count")->line, 3);

    /* typed getters */
    const char *s = NULL;
    long long i = 0;
    int b = -1;
    const wr_ynode *n = NULL;
    CHECK_INT(wr_yaml_str(d, r, "title", 1, &s, &err), 0);
    CHECK_STR(s, "Hello");
    CHECK_INT(wr_yaml_str(d, r, "count", 1, &s, &err), 0); /* any scalar is a string */
    CHECK_STR(s, "42");
    CHECK_INT(wr_yaml_int(d, r, "count", 1, 0, 100, &i, &err), 0);
    CHECK_INT(i, 42);
    s = "untouched";
    CHECK_INT(wr_yaml_str(d, r, "nope", 0, &s, &err), 1);
    CHECK_INT(wr_yaml_str(d, r, "empty", 0, &s, &err), 1); /* null = absent when optional */
    CHECK_STR(s, "untouched");
    CHECK_INT(wr_yaml_seq(d, r, "list", 1, &n, &err), 0);
    CHECK(n == list);
    CHECK_INT(wr_yaml_map(d, list, "x", 0, &n, &err), -1); /* list is not a map */
    CHECK_STR(wr_buf_str(&err), "tree.yaml:9:3: expected a mapping, found a list\n");
    wr_buf_reset(&err);

    CHECK_INT(wr_yaml_int(d, r, "quoted", 1, 0, 100, &i, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:4:9: expected an integer for 'quoted', found a string \"42\"\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_int(d, r, "count", 1, 50, 100, &i, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:3:8: 'count' must be between 50 and 100, found 42\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_int(d, r, "count", 1, 50, LLONG_MAX, &i, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:3:8: 'count' must be at least 50, found 42\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_str(d, r, "list", 1, &s, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:9:3: expected a string for 'list', found a list\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_seq(d, r, "title", 1, &n, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:2:8: expected a list for 'title', found a string \"Hello\"\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_map(d, r, "count", 1, &n, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:3:8: expected a mapping for 'count', found an integer 42\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_str(d, r, "empty", 1, &s, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:11:7: expected a string for 'empty', found an empty value\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_str(d, r, "nope", 1, &s, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:2:1: missing required key 'nope'\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_bool(d, r, "title", 1, &b, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:2:8: expected a boolean (true/false/yes/no) for 'title', "
                                "found a string \"Hello\"\n");
    wr_buf_reset(&err);

    /* check_keys */
    static const char *const allowed[] = {"title", "count", "quoted", "block", "list", "empty"};
    CHECK_INT(wr_yaml_check_keys(d, r, allowed, 6, &err), 0);
    CHECK_INT(wr_yaml_check_keys(d, r, allowed, 5, &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:11:1: unknown key 'empty'; expected one of: title, count, "
                                "quoted, block, list\n");
    wr_buf_reset(&err);
    static const char *const few[] = {"titel", "count", "quoted", "block", "list", "empty"};
    CHECK_INT(wr_yaml_check_keys_as(d, r, few, 6, "field", &err), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:2:1: unknown field 'title' (did you mean 'titel'?); expected "
                                "one of: titel, count, quoted, block, list, empty\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_error(d, NULL, &err, "custom %d", 7), -1);
    CHECK_STR(wr_buf_str(&err), "tree.yaml:1:1: custom 7\n");
    wr_buf_free(&err);
    wr_yaml_free(d);
}

static void test_scalars(void)
{
    const char *src = "t: true\nf: false\ny: yes\nn: no\nT: True\nq: \"true\"\n"
                      "neg: -5\nplus: +7\nbig: 99999999999999999999\nhex: 0x10\n"
                      "tilde: ~\nnul: null\nqe: ''\n";
    wr_buf err = {0};
    wr_ydoc *d = wr_yaml_load_mem("s.yaml", src, strlen(src), &err);
    CHECK(d != NULL);
    if (!d)
        return;
    const wr_ynode *r = d->root;
    int b = -1;
    long long i = 0;
    CHECK_INT(wr_yaml_bool(d, r, "t", 1, &b, &err), 0);
    CHECK_INT(b, 1);
    CHECK_INT(wr_yaml_bool(d, r, "f", 1, &b, &err), 0);
    CHECK_INT(b, 0);
    CHECK_INT(wr_yaml_bool(d, r, "y", 1, &b, &err), 0);
    CHECK_INT(b, 1);
    CHECK_INT(wr_yaml_bool(d, r, "n", 1, &b, &err), 0);
    CHECK_INT(b, 0);
    CHECK_INT(wr_yaml_bool(d, r, "T", 1, &b, &err), -1);
    CHECK_INT(wr_yaml_bool(d, r, "q", 1, &b, &err), -1);
    CHECK_INT(wr_yaml_int(d, r, "neg", 1, -10, 10, &i, &err), 0);
    CHECK_INT(i, -5);
    CHECK_INT(wr_yaml_int(d, r, "plus", 1, -10, 10, &i, &err), 0);
    CHECK_INT(i, 7);
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_int(d, r, "big", 1, 0, LLONG_MAX, &i, &err), -1);
    CHECK_STR(wr_buf_str(&err), "s.yaml:9:6: 'big' must be at least 0, found 99999999999999999999\n");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_int(d, r, "hex", 1, 0, 100, &i, &err), -1);
    CHECK_STR(wr_buf_str(&err), "s.yaml:10:6: expected an integer for 'hex', found a string \"0x10\"\n");
    CHECK(wr_yaml_is_null(wr_yaml_get(r, "tilde")));
    CHECK(wr_yaml_is_null(wr_yaml_get(r, "nul")));
    CHECK(!wr_yaml_is_null(wr_yaml_get(r, "qe"))); /* '' is an empty string, not null */
    const char *s = NULL;
    CHECK_INT(wr_yaml_str(d, r, "qe", 1, &s, &err), 0);
    CHECK_STR(s, "");
    wr_buf_reset(&err);
    CHECK_INT(wr_yaml_str(d, r, "nul", 1, &s, &err), -1);
    CHECK_STR(wr_buf_str(&err), "s.yaml:12:6: expected a string for 'nul', found null\n");

    /* describe cleans what it quotes */
    wr_buf_reset(&err);
    wr_ynode evil = {WR_Y_SCALAR, 1, 1, (char *)"\x1b]0;x\x07" "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", 1,
                     0, NULL, NULL};
    wr_yaml_describe(&evil, &err);
    CHECK_STR(wr_buf_str(&err), "a string \"\xe2\x90\x9b" "abcdefghijklmnopqrstuvwxyz0123456789AB\xe2\x80\xa6\"");
    wr_buf_free(&err);
    wr_yaml_free(d);
}

static void test_strictness(void)
{
    CHECK(!fails("a: 1\n"));
    /* syntax errors at libyaml's problem mark, 1-based */
    CHECK_FAILS("a: b: c\n", "t.yaml:1:5: syntax error: mapping values are not allowed in this context");
    CHECK_FAILS("a:\n  b: 1\n c: 2\n",
                "t.yaml:3:2: syntax error: did not find expected key (while parsing a block mapping at line 1)");
    CHECK_FAILS("a: [1, 2\n", "t.yaml:2:1: syntax error: did not find expected ',' or ']' "
                              "(while parsing a flow sequence at line 1)");
    CHECK_FAILS("a: 'x\n", "t.yaml:2:1: syntax error: found unexpected end of stream "
                           "(while scanning a quoted scalar at line 1)");
    CHECK_FAILS("a:\n\t- b\n", "t.yaml:2:1: syntax error: found character that cannot start any token "
                               "(while scanning for the next token at line 2)");
    /* documents */
    CHECK_FAILS("a: 1\n---\nb: 2\n", "t.yaml:2:1: more than one document in the file");
    CHECK_FAILS("--- \na: 1\n...\n---\nb: 2\n", "t.yaml:4:1: more than one document in the file");
    CHECK(!fails("---\na: 1\n...\n"));
    CHECK_FAILS("", "t.yaml:1:1: empty file: expected a mapping");
    CHECK_FAILS("# only a comment\n\n", "t.yaml:1:1: empty file: expected a mapping");
    CHECK_FAILS("---\n", "t.yaml:1:1: empty file: expected a mapping");
    CHECK(!fails("\"\"\n")); /* an explicit empty string is content */
    /* keys */
    CHECK_FAILS("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a' (first defined at line 1)");
    CHECK_FAILS("x:\n  k: 1\n  j: 1\n  k: 2\n  j: 2\n", "t.yaml:4:3: duplicate key 'k' (first defined at line 2)");
    CHECK_FAILS("{a: 1, b: 2, a: 3}\n", "t.yaml:1:14: duplicate key 'a' (first defined at line 1)");
    CHECK_FAILS("a: 1\n\"a\": 2\n", "t.yaml:2:1: duplicate key 'a' (first defined at line 1)");
    CHECK(!fails("a: {k: 1}\nb: {k: 1}\n")); /* same key in different maps */
    CHECK_FAILS("? [a]\n: 1\n", "t.yaml:1:3: mapping keys must be plain strings, found a list");
    CHECK_FAILS("? {a: 1}\n: 1\n", "t.yaml:1:3: mapping keys must be plain strings, found a mapping");
    CHECK_FAILS("?\n: 1\n", "t.yaml:1:2: empty (null) mapping key");
    CHECK_FAILS("a: 1\n~: 2\n", "t.yaml:2:1: empty (null) mapping key");
    /* anchors, aliases, tags */
    CHECK_FAILS("a: &x 1\nb: 2\n", "t.yaml:1:4: anchors and aliases are not allowed");
    CHECK_FAILS("a: *x\n", "t.yaml:1:4: anchors and aliases are not allowed");
    CHECK_FAILS("base: &b {k: 1}\nother:\n  <<: *b\n", "t.yaml:1:7: anchors and aliases are not allowed");
    CHECK_FAILS("a: !!str 1\n", "t.yaml:1:4: tags are not allowed (found '!!str')");
    CHECK_FAILS("a: !custom 1\n", "t.yaml:1:4: tags are not allowed (found '!custom')");
    CHECK_FAILS("a: ! 1\n", "t.yaml:1:4: tags are not allowed (found '!')");
    CHECK_FAILS("--- !!map\na: 1\n", "t.yaml:1:5: tags are not allowed (found '!!map')");
    CHECK_FAILS("a:\n  - !!seq [1]\n", "t.yaml:2:5: tags are not allowed (found '!!seq')");
    /* NUL in a scalar */
    CHECK_FAILS("a: \"x\\0y\"\n", "t.yaml:1:4: a string may not contain a NUL character");
    CHECK_FAILS("a: 1\nb: \"\\x00\"\n", "t.yaml:2:4: a string may not contain a NUL character");
    /* invalid UTF-8, control characters, UTF-16 */
    CHECK_FAILS("a: 1\nb: \xc0\xaf\n", "t.yaml:2:4: invalid text: invalid length of a UTF-8 sequence");
    CHECK_FAILS("a: \xed\xa0\x80\n", "t.yaml:1:4: invalid text: invalid Unicode character (#D800)");
    CHECK(fails_n("a: x\0y\n", 7));
    CHECK_STR(errline, "t.yaml:1:5: invalid text: control characters are not allowed (#0)");
    CHECK_FAILS("a: \x1b[2J\n", "t.yaml:1:4: invalid text: control characters are not allowed (#1B)");
    CHECK(fails_n("\xff\xfe" "a\0:\0 \0" "1\0", 10));
    CHECK_STR(errline, "t.yaml:1:1: invalid text: invalid leading UTF-8 octet (#FF)");
    CHECK(!fails("\xef\xbb\xbf" "a: 1\n")); /* a UTF-8 BOM is fine */
    /* nesting */
    char deep[300];
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    CHECK(!fails(deep));
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    CHECK_FAILS(deep, "t.yaml:1:65: nesting deeper than 64 levels");
    wr_buf blk = {0};
    for (int i = 0; i < 70; i++)
        wr_buf_printf(&blk, "%*sk%d:\n", 2 * i, "", i);
    CHECK_FAILS(wr_buf_str(&blk), "t.yaml:65:129: nesting deeper than 64 levels");
    wr_buf_free(&blk);
}

static void test_files(void)
{
    char path[] = "/tmp/warroom-test-yaml-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char *src = "name: x\nitems: [1, 2]\n";
    CHECK_INT(write(fd, src, strlen(src)), (long long)strlen(src));
    close(fd);

    wr_buf err = {0};
    wr_ydoc *d = wr_yaml_load_file(path, 1024, &err);
    CHECK(d != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (d) {
        CHECK_STR(d->name, path);
        CHECK_INT(d->root->n, 2);
    }
    wr_yaml_free(d);

    d = wr_yaml_load_file(path, 10, &err); /* 22 bytes > 10 */
    CHECK(d == NULL);
    char expect[256];
    snprintf(expect, sizeof expect, "%s:1:1: file too large: 22 bytes (the limit is 10)\n", path);
    CHECK_STR(wr_buf_str(&err), expect);
    wr_buf_reset(&err);
    d = wr_yaml_load_file(path, 22, &err); /* exactly at the limit */
    CHECK(d != NULL);
    wr_yaml_free(d);
    size_t len = 0;
    char *raw = wr_yaml_read_file(path, 100, &len, &err);
    CHECK(raw != NULL);
    CHECK_INT(len, 22);
    if (raw)
        CHECK_STR(raw, src);
    free(raw);
    unlink(path);

    d = wr_yaml_load_file(path, 1024, &err);
    CHECK(d == NULL);
    snprintf(expect, sizeof expect, "%s: cannot read: No such file or directory\n", path);
    CHECK_STR(wr_buf_str(&err), expect);
    wr_buf_reset(&err);
    d = wr_yaml_load_file("/tmp", 1024, &err);
    CHECK(d == NULL);
    CHECK_STR(wr_buf_str(&err), "/tmp: cannot read: not a regular file\n");
    wr_buf_free(&err);
}

static void test_unique(void)
{
    const char *src = "[b, a, c, a, b, a]";
    wr_buf err = {0};
    wr_ydoc *d = wr_yaml_load_mem("u.yaml", src, strlen(src), &err);
    CHECK(d != NULL);
    if (!d)
        return;
    const wr_ynode *const *items = (const wr_ynode *const *)d->root->items;
    CHECK_INT(wr_yaml_check_unique(d, items, 3, "name", &err), 0);
    CHECK_STR(wr_buf_str(&err), "");
    /* the earliest repeat in file order: the second "a" (col 11), not the second "b" */
    CHECK_INT(wr_yaml_check_unique(d, items, 6, "name", &err), -1);
    CHECK_STR(wr_buf_str(&err), "u.yaml:1:11: duplicate name 'a' (first defined at line 1)\n");
    wr_buf_free(&err);
    wr_yaml_free(d);
}

int main(void)
{
    test_unique();
    test_tree();
    test_scalars();
    test_strictness();
    test_files();
    return check_done();
}
