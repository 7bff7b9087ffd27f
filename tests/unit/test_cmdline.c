/* SPDX-License-Identifier: MIT */
/* Text as typed: the console's split keeps a command's free text (a note, a title, a summary, a reason) byte
 * for byte, and the command line joins its text words as given, `--words` included; then through the real
 * handlers into the store and back. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The console's words joined with '|' (and a trailing '|'), for one comparison per case. */
static char *words(const char *line)
{
    int argc;
    char **argv;
    wr_buf err = {0}, out = {0};
    if (wr_cmd_split_line(line, &argc, &argv, &err) != 0) {
        wr_buf_printf(&out, "ERROR %s", wr_buf_str(&err));
        wr_buf_free(&err);
        return wr_buf_steal(&out);
    }
    for (int i = 0; i < argc; i++)
        wr_buf_printf(&out, "%s|", argv[i]);
    CHECK(argv[argc] == NULL);
    wr_cmd_free_argv(argc, argv);
    wr_buf_free(&err);
    return wr_buf_steal(&out);
}

#define SPLITS(line, want)                                                                                    \
    do {                                                                                                     \
        char *got_ = words(line);                                                                            \
        CHECK_STR(got_, want);                                                                               \
        free(got_);                                                                                          \
    } while (0)

static void test_console_split(void)
{
    SPLITS("note IAM user \"svc-backup2\" wrote C:\\temp\\x", "note|--|IAM user \"svc-backup2\" wrote C:\\temp\\x|");
    SPLITS("note ran aws s3 rm --recursive s3://x", "note|--|ran aws s3 rm --recursive s3://x|");
    SPLITS("note --recursive was used", "note|--|--recursive was used|");
    SPLITS("note -", "note|--|-|");
    SPLITS("note   two leading, two trailing  ", "note|--|  two leading, two trailing  |");
    SPLITS("note \ttab and emoji \xf0\x9f\x9a\x80 and \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "note|--|\ttab and emoji \xf0\x9f\x9a\x80 and \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d|");
    SPLITS("note it's 'half quoted", "note|--|it's 'half quoted|");
    SPLITS("note it's down", "note|--|it's down|");
    SPLITS("note \"unclosed", "note|--|\"unclosed|");
    SPLITS("note ", "note|");
    SPLITS("note INC-3 on the other one", "note|INC-3|--|on the other one|");
    SPLITS("note -- INC-3 is another incident", "note|--|INC-3 is another incident|");
    SPLITS("note --  -- two", "note|--| -- two|");
    SPLITS("note --", "note|--|");
    SPLITS("note --tag went-well it's \"done\"", "note|--tag|went-well|--|it's \"done\"|");
    SPLITS("note --tag=went-well x", "note|--tag=went-well|--|x|");
    SPLITS("declare --severity SEV1 Leaked \"key\" --drill", "declare|--severity|SEV1|--|Leaked \"key\" --drill|");
    SPLITS("set summary  a \"b\" \\c ", "set|summary|--| a \"b\" \\c |");
    SPLITS("set --reason 'per the CISO' impact none", "set|--reason|per the CISO|impact|--|none|");
    /* A field with a fixed set of values takes one word; a reason after it takes the rest of the line. */
    SPLITS("set severity SEV1 --reason it's \"bad\"", "set|severity|SEV1|--reason|it's \"bad\"|");
    SPLITS("set status resolved --force --reason done", "set|status|resolved|--force|--reason|done|");
    SPLITS("step disable-key block --reason waiting for \"owner\" -- now",
           "step|disable-key|block|--reason|waiting for \"owner\" -- now|");
    SPLITS("step INC-2 rb/x note see 'above'", "step|INC-2|rb/x|note|--|see 'above'|");
    SPLITS("step rb/x done --expect todo", "step|rb/x|done|--expect|todo|");
    SPLITS("status containment --force --reason it's \"urgent\"", "status|containment|--force|--reason|it's \"urgent\"|");
    SPLITS("action done 3 --reason can't fix", "action|done|3|--reason|can't fix|");
    SPLITS("action add --owner bob Rotate \"all\" keys", "action|add|--owner|bob|--|Rotate \"all\" keys|");
    SPLITS("asset add database prod \"orders\"", "asset|add|database|--|prod \"orders\"|");
    SPLITS("indicator add ip 198.51.100.7 --note from 'tor' exit", "indicator|add|ip|198.51.100.7|--note|from 'tor' exit|");
    SPLITS("update --audience customer We're back", "update|--audience|customer|--|We're back|");
    /* Commands without free text split as before. */
    SPLITS("assign scribe 'sam o'", "assign|scribe|sam o|");
    SPLITS("pin 12", "pin|12|");
    char *e = words("assign scribe 'sam");
    CHECK(strncmp(e, "ERROR unclosed", 14) == 0);
    free(e);
}

static char *joined(char **v)
{
    wr_buf out = {0};
    for (int i = 0; v[i]; i++)
        wr_buf_printf(&out, "%s|", v[i]);
    return wr_buf_steal(&out);
}

static void test_cli_args(void)
{
    char *a1[] = {"INC-1", "--recursive", "was", "--tag", "went-well", "used", NULL};
    char **v = wr_cmd_text_args(wr_cmd_find("note"), 6, a1);
    char *j = joined(v);
    CHECK_STR(j, "INC-1|--tag|went-well|--|--recursive|was|used|");
    free(j);
    free(v);
    char *a2[] = {"summary", "-", "--", "--tag", NULL};
    v = wr_cmd_text_args(wr_cmd_find("set"), 4, a2);
    j = joined(v);
    CHECK_STR(j, "summary|--|-|--tag|");
    free(j);
    free(v);
    char *a3[] = {"x", "done", "--expect", "todo", NULL};
    v = wr_cmd_text_args(wr_cmd_find("step"), 4, a3);
    j = joined(v);
    CHECK_STR(j, "x|done|--expect|todo|");
    free(j);
    free(v);
}

/* Through the handlers into the store: what was typed is what the timeline holds. */
static const char *const corpus[] = {
    "IAM user \"svc-backup2\" created access key",
    "C:\\temp\\x and \\\\server\\share",
    "aws s3 rm --recursive s3://acme-invoices",
    "--force was used by the attacker",
    "-",
    "  leading and trailing  ",
    "tab\there; $(rm -rf /); `id`; a | b && c > d",
    "'single' \"double\" \xe2\x80\x9csmart\xe2\x80\x9d \xc2\xabguillemets\xc2\xbb",
    "emoji \xf0\x9f\x94\xa5\xf0\x9f\x9a\x92 and RTL \xd7\x94\xd7\x9e\xd7\xa4\xd7\xaa\xd7\x97 \xd9\x85\xd9\x81\xd8\xaa\xd8\xa7\xd8\xad",
    "--",
};

static char *last_note(wr_store *st, int64_t inc)
{
    wr_event_list l = {0};
    wr_error err = {0};
    wr_store_events_before(st, inc, 0, 1, wr_event_list_add, &l, &err);
    char *t = l.n ? wr_event_payload_str(l.v[0].payload, "text") : NULL;
    wr_event_list_free(&l);
    return t;
}

static int run_line(wr_cmdctx *c, const char *line)
{
    int argc;
    char **argv;
    wr_buf err = {0};
    int r = wr_cmd_split_line(line, &argc, &argv, &err);
    wr_buf_free(&err);
    if (r != 0)
        return -1;
    r = wr_cmd_run(c, argc, argv);
    wr_cmd_free_argv(argc, argv);
    return r;
}

static void test_round_trip(void)
{
    char path[] = "/tmp/wr-test-cmdline-XXXXXX";
    if (!mkdtemp(path))
        return;
    char *db = wr_xasprintf("%s/w.db", path);
    wr_error err = {0};
    wr_store *st = wr_store_open(db, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_actor me;
    wr_actor_set(&me, "ana", "ana", "tty", "host");
    wr_cmdctx c = {0};
    c.store = st;
    c.actor = &me;
    c.source = "tui";
    c.wait_ms = 1000;
    CHECK_INT(run_line(&c, "declare Test"), 0);
    c.current = 1;
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        /* the console: the rest of the line, as the n key opens it (":note -- ") */
        char *line = wr_xasprintf("note -- %s", corpus[i]);
        CHECK_INT(run_line(&c, line), 0);
        char *t = last_note(st, 1);
        CHECK_STR(t, corpus[i]);
        free(t);
        free(line);
        /* the command line: one argument, as a careful script passes it (-- "$text") */
        c.source = "cli";
        char *argv[] = {"note", "INC-1", "--", (char *)corpus[i], NULL};
        CHECK_INT(wr_cmd_run(&c, 4, argv), 0);
        t = last_note(st, 1);
        CHECK_STR(t, corpus[i]);
        free(t);
        c.source = "tui";
    }
    /* Several CLI words are joined with single spaces, --words kept. */
    c.source = "cli";
    char *argv2[] = {"note", "INC-1", "ran", "rm", "--recursive", "/", "--tag", "went-badly", NULL};
    CHECK_INT(wr_cmd_run(&c, 8, argv2), 0);
    char *t = last_note(st, 1);
    CHECK_STR(t, "ran rm --recursive /");
    free(t);
    wr_buf_reset(&c.err);
    wr_buf_free(&c.out);
    wr_buf_free(&c.err);
    wr_store_close(st);
    wr_actor_free(&me);
    char *cmd = wr_xasprintf("rm -rf %s", path);
    CHECK(system(cmd) == 0);
    free(cmd);
    free(db);
}

int main(void)
{
    wr_clock_set_fixed(1767225600000LL, 1);
    test_console_split();
    test_cli_args();
    test_round_trip();
    return check_done();
}
