/* SPDX-License-Identifier: MIT */
/* The documents made from the act table cannot drift: docs/warroom.1 holds exactly the blocks
 * `warroom help --man` prints, contrib/completion/ exactly what `warroom completion bash|zsh` prints
 * (tools/gen_docs.sh rewrites both), and the README's command table names every command and option. */
#include "check.h"
#include "warroom/cmd.h"
#include "warroom/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *rel)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/%s", src, rel);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    wr_buf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        wr_buf_append(&b, tmp, n);
    fclose(f);
    return wr_buf_steal(&b);
}

static void test_man(void)
{
    char *page = slurp("docs/warroom.1");
    CHECK(page != NULL);
    if (!page)
        return;
    wr_buf gen = {0};
    wr_cmd_man(&gen);
    /* Each generated block stands in the page as printed. */
    const char *p = wr_buf_str(&gen);
    int blocks = 0;
    while ((p = strstr(p, ".\\\" BEGIN generated")) != NULL) {
        const char *end = strstr(p, ".\\\" END generated\n");
        CHECK(end != NULL);
        if (!end)
            break;
        end += strlen(".\\\" END generated\n");
        char *blk = wr_xstrndup(p, (size_t)(end - p));
        blocks++;
        if (!strstr(page, blk)) {
            fprintf(stderr, "docs/warroom.1 lacks generated block %d: run tools/gen_docs.sh\n", blocks);
            CHECK(0);
        }
        free(blk);
        p = end;
    }
    CHECK_INT(blocks, 2);
    /* The sections a man page needs. */
    const char *sections[] = {".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH COMMANDS",
                              ".SH KEYS", ".SH ENVIRONMENT", ".SH FILES", ".SH EXIT STATUS", ".SH EXAMPLES",
                              ".SH SEE ALSO"};
    for (size_t i = 0; i < WR_ARRAY_LEN(sections); i++)
        CHECK(strstr(page, sections[i]) != NULL);
    /* Every command, every option of its template and every global option is in the page. */
    for (size_t i = 0; i < wr_ncmds; i++)
        if (wr_cmds[i].flags & WR_CMD_CLI) {
            char *want = wr_xasprintf("\\fB%s\\fR", wr_cmds[i].name);
            CHECK(strstr(page, want) != NULL);
            free(want);
        }
    CHECK(strstr(page, "\\-\\-read\\-only") != NULL);
    CHECK(strstr(page, "\\-\\-into") != NULL);
    wr_buf_free(&gen);
    free(page);
}

static void test_completion(void)
{
    static const struct {
        const char *shell, *file;
    } files[] = {{"bash", "contrib/completion/warroom.bash"}, {"zsh", "contrib/completion/_warroom"}};
    for (size_t i = 0; i < WR_ARRAY_LEN(files); i++) {
        char *have = slurp(files[i].file);
        wr_buf gen = {0};
        CHECK_INT(wr_cmd_completion_script(&gen, files[i].shell), 0);
        CHECK(have != NULL);
        if (have && strcmp(have, wr_buf_str(&gen)) != 0) {
            fprintf(stderr, "%s differs from `warroom completion %s`: run tools/gen_docs.sh\n", files[i].file,
                    files[i].shell);
            CHECK(0);
        }
        /* every command is offered */
        for (size_t k = 0; k < wr_ncmds; k++)
            if (wr_cmds[k].flags & WR_CMD_CLI)
                CHECK(strstr(wr_buf_str(&gen), wr_cmds[k].name) != NULL);
        wr_buf_free(&gen);
        free(have);
    }
    wr_buf gen = {0};
    CHECK_INT(wr_cmd_completion_script(&gen, "fish"), -1);
    wr_buf_free(&gen);
}

/* The README's command table: each command as `warroom NAME ...` (or `NAME ...` after a /), each option of
 * its template and each global option somewhere in the section. */
static void test_readme(void)
{
    char *readme = slurp("README.md");
    CHECK(readme != NULL);
    if (!readme)
        return;
    char *start = strstr(readme, "## The command line");
    CHECK(start != NULL);
    if (!start) {
        free(readme);
        return;
    }
    char *end = strstr(start + 3, "\n## ");
    if (end)
        *end = '\0';
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (!(cmd->flags & WR_CMD_CLI))
            continue;
        char *a = wr_xasprintf("`warroom %s", cmd->name), *b = wr_xasprintf("/ `%s", cmd->name);
        int found = strstr(start, a) || strstr(start, b);
        if (!found)
            fprintf(stderr, "README's command table lacks %s\n", cmd->name);
        CHECK(found);
        free(a);
        free(b);
        wr_tpl t;
        wr_buf e = {0};
        if (wr_tpl_parse(cmd->args, &t, &e) == 0)
            for (int f = 0; f < t.nf; f++)
                for (int k = 0; k < t.f[f].n; k++)
                    if (t.f[f].e[k].kind == WR_TPL_OPT && !strstr(start, t.f[f].e[k].word)) {
                        fprintf(stderr, "README's command table lacks %s %s\n", cmd->name, t.f[f].e[k].word);
                        CHECK(0);
                    }
        wr_buf_free(&e);
    }
    for (size_t i = 0; i < wr_nglobal_opts; i++)
        if (!strstr(start, wr_global_opts[i].name)) {
            fprintf(stderr, "README's command line section lacks %s\n", wr_global_opts[i].name);
            CHECK(0);
        }
    free(readme);
}

/* The key tables of the README and docs/console.md are `warroom help --keys`, between their marks. */
static void test_keys(void)
{
    static const char *const docs[] = {"README.md", "docs/console.md"};
    wr_buf gen = {0};
    wr_keys_markdown(&gen);
    for (size_t i = 0; i < WR_ARRAY_LEN(docs); i++) {
        char *doc = slurp(docs[i]);
        CHECK(doc != NULL);
        if (!doc)
            continue;
        char *begin = strstr(doc, "<!-- BEGIN generated keys");
        char *end = begin ? strstr(begin, "<!-- END generated keys") : NULL;
        CHECK(begin && end);
        if (begin && end) {
            begin = strchr(begin, '\n') + 1;
            if ((size_t)(end - begin) != gen.len || memcmp(begin, wr_buf_str(&gen), gen.len) != 0) {
                fprintf(stderr, "%s: the key table differs from `warroom help --keys`: run tools/gen_docs.sh\n",
                        docs[i]);
                CHECK(0);
            }
        }
        free(doc);
    }
    wr_buf_free(&gen);
}

int main(void)
{
    if (!getenv("WARROOM_SRCDIR"))
        return CHECK_SKIP("WARROOM_SRCDIR is not set (run it through ctest)");
    test_man();
    test_completion();
    test_readme();
    test_keys();
    return check_done();
}
