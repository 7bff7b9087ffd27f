/* SPDX-License-Identifier: MIT */
/* The command table: splitting command lines, finding commands, the key table pointing at real commands,
 * help generated from the table, and usage errors that write nothing. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/incident.h"
#include "warroom/keys.h"
#include "warroom/model.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int split(const char *line, int *argc, char ***argv)
{
    wr_buf err = {0};
    int r = wr_cmd_split(line, argc, argv, &err);
    wr_buf_free(&err);
    return r;
}

static void test_split(void)
{
    int argc;
    char **argv;
    CHECK_INT(split("note  INC-4 'disk  full' \"say \\\"hi\\\"\" back\\ slash", &argc, &argv), 0);
    CHECK_INT(argc, 5);
    CHECK_STR(argv[0], "note");
    CHECK_STR(argv[1], "INC-4");
    CHECK_STR(argv[2], "disk  full");
    CHECK_STR(argv[3], "say \"hi\"");
    CHECK_STR(argv[4], "back slash");
    CHECK(argv[5] == NULL);
    wr_cmd_free_argv(argc, argv);
    CHECK_INT(split("   ", &argc, &argv), 0);
    CHECK_INT(argc, 0);
    wr_cmd_free_argv(argc, argv);
    CHECK_INT(split("note ''", &argc, &argv), 0);
    CHECK_INT(argc, 2);
    CHECK_STR(argv[1], "");
    wr_cmd_free_argv(argc, argv);
    wr_buf err = {0};
    CHECK_INT(wr_cmd_split("note 'unclosed", &argc, &argv, &err), -1);
    CHECK(strstr(wr_buf_str(&err), "unclosed") != NULL);
    wr_buf_free(&err);
}

static void test_table(void)
{
    CHECK(wr_cmd_find("note") != NULL);
    CHECK_STR(wr_cmd_find("decl")->name, "declare"); /* unique prefix */
    CHECK(wr_cmd_find("s") == NULL);                 /* ambiguous: set, severity, status, show, step */
    CHECK(wr_cmd_find("nope") == NULL);
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *c = &wr_cmds[i];
        CHECK(c->summary && *c->summary);
        CHECK(c->args != NULL);
        CHECK(wr_cmd_find(c->name) == c); /* names are unique */
        /* Handlers exactly where the table says the model runs them. */
        if (c->flags & WR_CMD_UI)
            CHECK(c->fn == NULL && c->ui != WR_UI_NONE);
        /* Every template parses. */
        wr_tpl t;
        wr_buf terr = {0};
        CHECK_INT(wr_tpl_parse(c->args, &t, &terr), 0);
        if (terr.len)
            fprintf(stderr, "%s: %s\n", c->name, wr_buf_str(&terr));
        wr_buf_free(&terr);
    }
    /* Every default key runs a real command. */
    for (size_t i = 0; i < wr_ndefault_keys; i++) {
        const char *line = wr_default_keys[i].command;
        if (wr_startswith(line, "prompt ") && line[7])
            line += 7;
        char word[32];
        size_t n = strcspn(line, " ");
        CHECK(n < sizeof word);
        memcpy(word, line, n);
        word[n] = '\0';
        const wr_cmd *c = wr_cmd_find(word);
        CHECK(c != NULL);
        if (!c)
            fprintf(stderr, "key %s -> %s: no such command\n", wr_default_keys[i].key, wr_default_keys[i].command);
    }
    wr_buf help = {0};
    wr_cmd_help(&help, NULL, 1);
    CHECK(strstr(wr_buf_str(&help), "note") != NULL);
    wr_buf_free(&help);
    /* The command line's help: every CLI act and the global options, from the rows. */
    wr_cmd_help(&help, NULL, 0);
    CHECK(strstr(wr_buf_str(&help), "--read-only") != NULL);
    CHECK(strstr(wr_buf_str(&help), "--into INC") != NULL);
    CHECK(strstr(wr_buf_str(&help), "answer-yes") == NULL); /* console acts are not verbs */
    wr_buf_free(&help);
}

static void test_usage_errors_write_nothing(void)
{
    char dir[] = "/tmp/wr-test-cmd-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    if (!dir[0] || strstr(dir, "XXXXXX"))
        return;
    char *path = wr_xasprintf("%s/c.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    wr_actor me;
    wr_actor_set(&me, "tester", "tester", "local", "host");
    wr_cmdctx c = {0};
    c.store = st;
    c.actor = &me;
    c.source = "tui";
    c.wait_ms = 1000;
    const char *lines[] = {"declare", "note", "severity SEV7", "assign scribe", "status nope", "step x", "pin abc",
                           "set", "unknown-command", "note --bogus x"};
    for (size_t i = 0; i < WR_ARRAY_LEN(lines); i++) {
        int argc;
        char **argv;
        split(lines[i], &argc, &argv);
        int rc = wr_cmd_run(&c, argc, argv);
        CHECK(rc != 0);
        wr_cmd_free_argv(argc, argv);
    }
    CHECK_INT(wr_store_last_seq(st, &err), 0);
    /* The prompt form of a real act lands. */
    int argc;
    char **argv;
    split("declare Printer on fire --severity SEV4", &argc, &argv);
    wr_buf_reset(&c.err);
    CHECK_INT(wr_cmd_run(&c, argc, argv), 0);
    wr_cmd_free_argv(argc, argv);
    c.current = 1;
    split("note it is really on fire", &argc, &argv);
    CHECK_INT(wr_cmd_run(&c, argc, argv), 0);
    wr_cmd_free_argv(argc, argv);
    CHECK_INT(wr_store_last_seq(st, &err), 2);
    wr_buf_free(&c.out);
    wr_buf_free(&c.err);
    wr_store_close(st);
    wr_actor_free(&me);
    unlink(path);
    char *j = wr_xasprintf("%s-journal", path);
    unlink(j);
    free(j);
    rmdir(dir);
    free(path);
}

int main(void)
{
    wr_clock_set_fixed(1767225600000LL, 1);
    test_split();
    test_table();
    test_usage_errors_write_nothing();
    return check_done();
}
