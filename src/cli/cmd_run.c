/* SPDX-License-Identifier: MIT */
/* cmd_run.c - running an act: finding it in the table, splitting a line into words, parsing its arguments,
 * calling its handler; and the help text, made from the table. */
#include "cmd_int.h"

#include "warroom/keys.h"
#include "warroom/pending.h"
#include "warroom/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const wr_cmd *wr_cmd_find(const char *name)
{
    const wr_cmd *found = NULL;
    size_t n = strlen(name);
    if (!n)
        return NULL;
    for (size_t i = 0; i < wr_ncmds; i++) {
        if (strcmp(wr_cmds[i].name, name) == 0)
            return &wr_cmds[i];
        if (strncmp(wr_cmds[i].name, name, n) == 0) {
            if (found)
                return NULL; /* ambiguous prefix */
            found = &wr_cmds[i];
        }
    }
    return found;
}

const wr_cmd *wr_cmd_of_ui(wr_ui ui)
{
    for (size_t i = 0; i < wr_ncmds; i++)
        if (wr_cmds[i].ui == ui && ui != WR_UI_NONE)
            return &wr_cmds[i];
    return NULL;
}

int wr_cmd_split(const char *line, int *argc, char ***argv, wr_buf *err)
{
    int n = 0;
    char **v = NULL;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        wr_buf word = {0};
        wr_buf_puts(&word, "");
        char quote = 0;
        for (; *p; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
                else if (*p == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\'))
                    wr_buf_putc(&word, *++p);
                else
                    wr_buf_putc(&word, *p);
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == '\\' && p[1]) {
                wr_buf_putc(&word, *++p);
            } else if (*p == ' ' || *p == '\t') {
                break;
            } else {
                wr_buf_putc(&word, *p);
            }
        }
        if (quote) {
            wr_buf_printf(err, "unclosed %c quote: close it, or escape it with a backslash", quote);
            wr_buf_free(&word);
            wr_cmd_free_argv(n, v);
            return -1;
        }
        v = wr_xreallocarray(v, (size_t)n + 2, sizeof *v);
        v[n++] = wr_buf_steal(&word);
        v[n] = NULL;
    }
    if (!v) {
        v = wr_xcalloc(1, sizeof *v);
    }
    *argc = n;
    *argv = v;
    return 0;
}

void wr_cmd_free_argv(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* A command during which SQLite met a broken page (or an I/O error) may have read part of what it shows, even
 * if the code that read it dropped the error; one that failed because of damage may have printed part of its
 * answer before it found it. Either way nothing it printed is shown as if it were whole: it fails with the
 * damaged status (9; 8 for an I/O error) and one sentence says what to do. doctor reports damage itself. */
static int damage_guard(wr_cmdctx *c, const wr_cmd *cmd, const wr_store_faults *before,
                        const wr_store_faults *after, int r)
{
    if (cmd->fn == wr_cmd_doctor || ((cmd->flags & WR_CMD_WRITES) && c->submit))
        return r; /* the console's writes: the pending queue says what became of them */
    int damaged = after->damaged != before->damaged || r == wr_status_exit_code(WR_E_CORRUPT);
    int io = after->io != before->io && r == 0;
    if (!damaged && !io)
        return r;
    wr_error err = {0};
    if (damaged && (cmd->flags & WR_CMD_WRITES) && r == 0) {
        /* The change itself was committed: keep its acknowledgement, and say what was found. */
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
        wr_buf_printf(&c->err, "%s: the change was recorded, but %s\n", cmd->name, err.msg);
        return wr_status_exit_code(WR_E_CORRUPT);
    }
    wr_buf_reset(&c->out);
    if (r == wr_status_exit_code(WR_E_CORRUPT))
        return r; /* it said so itself (wr_store_damaged_error) */
    wr_buf_reset(&c->err);
    if (damaged) {
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
    } else {
        wr_error_set(&err, WR_E_IO, "an I/O error on %s while reading it, so nothing read is shown as if it were "
                                    "whole: is a network mount gone? retrying is safe",
                     c->db_path ? c->db_path : "the database");
    }
    return wr_args_fail(c, cmd->name, &err);
}

int wr_cmd_run(wr_cmdctx *c, int argc, char **argv)
{
    if (argc < 1) {
        wr_buf_puts(&c->err, "no command given: `help` lists them\n");
        return wr_args_usage_code();
    }
    const wr_cmd *cmd = wr_cmd_find(argv[0]);
    int cli = strcmp(c->source, "cli") == 0;
    if (!cmd || (cli && !(cmd->flags & WR_CMD_CLI)) || (!cli && !(cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI)))) {
        const char *names[128] = {0};
        size_t n = 0;
        for (size_t i = 0; i < wr_ncmds && n < 128; i++)
            if (wr_cmds[i].flags & (cli ? WR_CMD_CLI : (WR_CMD_PROMPT | WR_CMD_UI)))
                names[n++] = wr_cmds[i].name;
        const char *s = wr_suggest(argv[0], names, n);
        wr_buf_printf(&c->err, "\"%s\" is not a command%s%s%s; `%shelp` lists them\n", argv[0],
                      s ? " (did you mean " : "", s ? s : "", s ? "?)" : "", cli ? "warroom " : ":");
        return wr_args_usage_code();
    }
    if (!cmd->fn) {
        wr_buf_printf(&c->err, "%s is an act of the console: open `warroom` and use it there\n", cmd->name);
        return wr_args_usage_code();
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            wr_cmd_help(&c->out, cmd->name, !cli);
            return 0;
        }
    }
    /* On the command line the words of a free text are gathered after "--" (the console's split did that
     * already). */
    char **copy;
    int n = argc - 1;
    wr_tpl t;
    wr_buf terr = {0};
    if (cli && wr_tpl_parse(cmd->args, &t, &terr) == 0 && wr_tpl_has_text(&t)) {
        copy = wr_cmd_text_args(cmd, n, argv + 1);
        for (n = 0; copy[n]; n++) {
        }
    } else {
        copy = wr_xcalloc((size_t)argc + 1, sizeof *copy);
        memcpy(copy, argv + 1, (size_t)n * sizeof *copy);
    }
    wr_buf_free(&terr);
    wr_store_faults before, after;
    wr_store_faults_get(&before);
    wr_args a;
    int r = wr_args_parse(&a, c, cmd, n, copy);
    if (r == 0)
        r = cmd->fn(&a);
    wr_args_free(&a);
    free(copy);
    wr_store_faults_get(&after);
    return damage_guard(c, cmd, &before, &after, r);
}

/* ---- help ---- */

static int shown(const wr_cmd *cmd, int ui)
{
    return ui ? (cmd->flags & WR_CMD_PROMPT) != 0 : (cmd->flags & WR_CMD_CLI) != 0;
}

static void list_line(wr_buf *out, const wr_cmd *cmd)
{
    wr_tpl t;
    wr_buf e = {0};
    if (wr_tpl_parse(cmd->args, &t, &e) != 0)
        t.nf = 0;
    wr_buf_free(&e);
    const char *first = t.nf ? t.f[0].text : "";
    if (strlen(first) <= 40)
        wr_buf_printf(out, "  %-10s %-40s %s\n", cmd->name, first, cmd->summary);
    else
        wr_buf_printf(out, "  %-10s %s\n  %-10s %-40s %s\n", cmd->name, first, "", "", cmd->summary);
    for (int f = 1; f < t.nf; f++)
        wr_buf_printf(out, "  %-10s %s\n", "", t.f[f].text);
}

void wr_cmd_help(wr_buf *out, const char *name, int ui)
{
    if (name) {
        const wr_cmd *cmd = wr_cmd_find(name);
        if (!cmd)
            return;
        wr_tpl t;
        wr_buf e = {0};
        int nf = wr_tpl_parse(cmd->args, &t, &e) == 0 ? t.nf : 1;
        wr_buf_free(&e);
        for (int f = 0; f < nf; f++) {
            wr_tpl_synopsis(out, cmd, f, !ui);
            wr_buf_putc(out, '\n');
        }
        wr_buf_printf(out, "  %s\n", cmd->summary);
        if (ui)
            wr_keys_of_cmd(out, cmd);
        return;
    }
    if (!ui) {
        wr_globals_usage(out);
        wr_buf_puts(out, "       warroom            open the console\n\ncommands:\n");
    } else {
        wr_buf_puts(out, "commands (type them after :)\n");
    }
    for (size_t i = 0; i < wr_ncmds; i++)
        if (shown(&wr_cmds[i], ui))
            list_line(out, &wr_cmds[i]);
    if (!ui) {
        wr_buf_puts(out, "\nglobal options (anywhere on the line):\n");
        for (size_t i = 0; i < wr_nglobal_opts; i++) {
            const wr_global_opt *g = &wr_global_opts[i];
            char spell[48];
            snprintf(spell, sizeof spell, "%s%s%s%s%s", g->alias ? g->alias : "", g->alias ? ", " : "", g->name,
                     g->value ? " " : "", g->value ? g->value : "");
            wr_buf_printf(out, "  %-22s %s\n", spell, g->summary);
        }
    }
}
