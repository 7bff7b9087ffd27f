/* SPDX-License-Identifier: MIT */
/* cmd_docs.c - documents made from the act table: the generated part of the man page (`warroom help --man`)
 * and the shell completion scripts (`warroom completion bash|zsh`). tests/unit/test_docs.c checks that
 * docs/warroom.1 and contrib/completion/ hold exactly what these print. */
#include "cmd_int.h"

#include "warroom/keys.h"

#include <stdio.h>
#include <string.h>

/* ---- the man page ---- */

/* Text for roff: backslashes and dashes escaped; a line never starts with a control character. */
static void roff(wr_buf *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\\')
            wr_buf_puts(out, "\\e");
        else if (*p == '-')
            wr_buf_puts(out, "\\-");
        else
            wr_buf_putc(out, *p);
    }
}

/* A summary as a sentence, its lines at most 80 bytes (mandoc's style), none starting with a control
 * character. */
static void lines(wr_buf *out, const char *s);

static void sentence(wr_buf *out, const char *s)
{
    wr_buf all = {0};
    char first[2] = {s[0] >= 'a' && s[0] <= 'z' ? (char)(s[0] - 'a' + 'A') : s[0], 0};
    roff(&all, first);
    roff(&all, s + 1);
    wr_buf_putc(&all, '.');
    lines(out, wr_buf_str(&all));
    wr_buf_free(&all);
}

/* roff text (escaped already) as lines of at most 80 bytes. */
static void lines(wr_buf *out, const char *p)
{
    while (*p) {
        size_t n = strlen(p);
        if (n > 78) {
            n = 78;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = strcspn(p, " ");
        }
        if (*p == '.' || *p == '\'')
            wr_buf_puts(out, "\\&");
        wr_buf_append(out, p, n);
        wr_buf_putc(out, '\n');
        p += n;
        while (*p == ' ')
            p++;
    }
}

static int parse(const wr_cmd *cmd, wr_tpl *t)
{
    wr_buf e = {0};
    int r = wr_tpl_parse(cmd->args, t, &e);
    wr_buf_free(&e);
    return r;
}

void wr_cmd_man(wr_buf *out)
{
    wr_buf_puts(out, ".\\\" BEGIN generated from the act table (src/cli/cmd.c) by tools/gen_docs.sh\n");
    wr_buf_puts(out, ".SH SYNOPSIS\n.B warroom\n");
    for (size_t i = 0; i < wr_nglobal_opts; i++) {
        const wr_global_opt *g = &wr_global_opts[i];
        if (g->act)
            continue;
        wr_buf_puts(out, "[\\fB");
        roff(out, g->name);
        wr_buf_puts(out, "\\fR");
        if (g->value) {
            wr_buf_puts(out, " \\fI");
            roff(out, g->value);
            wr_buf_puts(out, "\\fR");
        }
        wr_buf_puts(out, "]\n");
    }
    wr_buf_puts(out, "[\\fICOMMAND\\fR [\\fIARGS\\fR]]\n.br\n.B warroom\n.BR \\-\\-help | \\-\\-version\n");
    wr_buf_puts(out, ".\\\" END generated\n");
    wr_buf_puts(out, ".\\\" BEGIN generated from the act table (src/cli/cmd.c) by tools/gen_docs.sh\n");
    wr_buf_puts(out, ".SH OPTIONS\nGlobal options may stand anywhere on the line before a\n.BR \\-\\- .\n");
    for (size_t i = 0; i < wr_nglobal_opts; i++) {
        const wr_global_opt *g = &wr_global_opts[i];
        wr_buf_puts(out, ".TP\n\\fB");
        if (g->alias) {
            roff(out, g->alias);
            wr_buf_puts(out, "\\fR, \\fB");
        }
        roff(out, g->name);
        wr_buf_puts(out, "\\fR");
        if (g->value) {
            wr_buf_puts(out, " \\fI");
            roff(out, g->value);
            wr_buf_puts(out, "\\fR");
        }
        wr_buf_putc(out, '\n');
        sentence(out, g->summary);
    }
    wr_buf_puts(out, ".SH COMMANDS\n");
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (!(cmd->flags & WR_CMD_CLI))
            continue;
        wr_tpl t;
        if (parse(cmd, &t) != 0)
            continue;
        for (int f = 0; f < t.nf; f++) {
            wr_buf_puts(out, f ? ".br\n\\fB" : ".TP\n\\fB");
            roff(out, cmd->name);
            wr_buf_puts(out, "\\fR");
            if (t.f[f].text[0]) {
                wr_buf_putc(out, ' ');
                roff(out, t.f[f].text);
            }
            wr_buf_putc(out, '\n');
        }
        if (t.nf > 1)
            wr_buf_puts(out, ".br\n");
        sentence(out, cmd->summary);
    }
    wr_buf_puts(out, ".SH KEYS\nEach view of the console has its own key table; a key the view does not bind\n"
                     "is looked up in the global one (not in the composer, where it is typed).\n"
                     "The configuration's\n.B keys:\nrebinds them, per view.\nThe defaults:\n");
    for (int v = 0; v < WR_VIEW_COUNT; v++) {
        wr_buf_puts(out, ".SS \"");
        char first[2] = {(char)(wr_view_titles[v][0] - 'a' + 'A'), 0};
        roff(out, first);
        roff(out, wr_view_titles[v] + 1);
        wr_buf_printf(out, " (%s)\"\n", wr_view_names[v]);
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            if (wr_default_keys[i].view != (wr_view)v)
                continue;
            const char *line = wr_default_keys[i].command;
            wr_buf_puts(out, ".TP\n.B ");
            roff(out, wr_default_keys[i].key);
            wr_buf_putc(out, '\n');
            if (strncmp(line, "prompt", 6) == 0 && line[6] == ' ') {
                wr_buf_puts(out, "Open the : command line with\n.B \"");
                roff(out, line + 7);
                wr_buf_puts(out, "\"\ntyped.\n");
                continue;
            }
            wr_buf d = {0}, t = {0};
            wr_keys_describe_line(&d, line);
            wr_buf_puts(&t, "\\fB");
            roff(&t, line);
            wr_buf_puts(&t, "\\fR: ");
            roff(&t, wr_buf_str(&d));
            wr_buf_putc(&t, '.');
            lines(out, wr_buf_str(&t));
            wr_buf_free(&d);
            wr_buf_free(&t);
        }
    }
    wr_buf_puts(out, ".\\\" END generated\n");
}

/* ---- shell completion ---- */


/* The option names of a template, and the literal words its forms may start with (after [INC]). */
static void cmd_words(const wr_cmd *cmd, wr_buf *opts, wr_buf *subs, wr_buf *valued)
{
    wr_tpl t;
    if (parse(cmd, &t) != 0)
        return;
    for (int f = 0; f < t.nf; f++) {
        int first = 1;
        for (int k = 0; k < t.f[f].n; k++) {
            const wr_tpl_elem *e = &t.f[f].e[k];
            if (e->kind == WR_TPL_OPT) {
                char spell[WR_TPL_WORD + 2];
                snprintf(spell, sizeof spell, " %s ", e->word);
                if (!strstr(wr_buf_str(opts), spell)) {
                    wr_buf_printf(opts, "%s ", e->word);
                    if (e->value[0])
                        wr_buf_printf(valued, "%s ", e->word);
                }
            } else if (e->kind == WR_TPL_POS && first) {
                if (k == 0 && wr_tpl_form_has_inc(&t.f[f]))
                    continue;
                first = 0;
                char buf[WR_TPL_WORD * 2];
                const char *lits[16];
                size_t n = wr_tpl_literals(e->word, buf, sizeof buf, lits, 16);
                for (size_t q = 0; q < n; q++) {
                    char spell[WR_TPL_WORD + 2];
                    snprintf(spell, sizeof spell, " %s ", lits[q]);
                    if (!strstr(wr_buf_str(subs), spell))
                        wr_buf_printf(subs, "%s ", lits[q]);
                }
            }
        }
    }
}

static void trim(wr_buf *b)
{
    while (b->len && b->s[b->len - 1] == ' ')
        b->s[--b->len] = '\0';
}

static void globals_words(wr_buf *all, wr_buf *valued)
{
    for (size_t i = 0; i < wr_nglobal_opts; i++) {
        wr_buf_printf(all, "%s ", wr_global_opts[i].name);
        if (wr_global_opts[i].value)
            wr_buf_printf(valued, "%s ", wr_global_opts[i].name);
    }
    trim(all);
    trim(valued);
}

/* One line per CLI command of the completion scripts' `case $cmd`: its option names and the literal words it
 * may start with (for help: the commands), through fmt ("... %s) opts=... %s ... subs=... %s ..."). */
static void case_lines(wr_buf *out, const char *fmt)
{
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (!(cmd->flags & WR_CMD_CLI))
            continue;
        wr_buf o = {0}, s = {0}, v = {0};
        wr_buf_puts(&o, " ");
        wr_buf_puts(&s, " ");
        cmd_words(cmd, &o, &s, &v);
        trim(&o);
        trim(&s);
        if (strcmp(cmd->name, "help") == 0) {
            wr_buf_reset(&s);
            for (size_t k = 0; k < wr_ncmds; k++)
                if (wr_cmds[k].flags & WR_CMD_CLI)
                    wr_buf_printf(&s, " %s", wr_cmds[k].name);
        }
        wr_buf_printf(out, fmt, cmd->name, wr_buf_str(&o) + (o.len > 0), wr_buf_str(&s) + (s.len > 0));
        wr_buf_free(&o);
        wr_buf_free(&s);
        wr_buf_free(&v);
    }
}

static void bash(wr_buf *out)
{
    wr_buf_puts(out, "# SPDX-License-Identifier: MIT\n"
                     "# bash completion for warroom. Generated from the act table by `warroom completion bash`.\n"
                     "_warroom()\n{\n"
                     "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                     "    local cmd='' i w at=0 g=()\n"
                     "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                     "        w=${COMP_WORDS[i]}\n");
    wr_buf g = {0}, gv = {0};
    globals_words(&g, &gv);
    wr_buf_printf(out, "        case \" %s \" in *\" $w \"*) g+=(\"$w\"); [[ \" %s \" == *\" $w \"* ]] && "
                       "{ ((i++)); g+=(\"${COMP_WORDS[i]}\"); }; continue ;; esac\n",
                  wr_buf_str(&g), wr_buf_str(&gv));
    wr_buf_puts(out, "        cmd=$w; at=$i; break\n    done\n");
    wr_buf_printf(out, "    case $prev in\n        --db|--config|--rules|--oncall|--token-file) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
                       "        --severity) COMPREPLY=($(compgen -W 'SEV1 SEV2 SEV3 SEV4 SEV5' -- \"$cur\")); return ;;\n"
                       "        --theme) COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" completion words -- theme \"$cur\" 2>/dev/null)\" -- \"$cur\")); return ;;\n"
                       "    esac\n");
    wr_buf_puts(out, "    if [[ -z $cmd ]]; then\n        COMPREPLY=($(compgen -W '");
    for (size_t i = 0; i < wr_ncmds; i++)
        if (wr_cmds[i].flags & WR_CMD_CLI)
            wr_buf_printf(out, "%s%s", i ? " " : "", wr_cmds[i].name);
    wr_buf_printf(out, " %s' -- \"$cur\"))\n        return\n    fi\n    local opts='' subs=''\n    case $cmd in\n",
                  wr_buf_str(&g));
    case_lines(out, "        %s) opts='%s' subs='%s' ;;\n");
    wr_buf_puts(out, "    esac\n"
                     "    if [[ $cur == -* ]]; then\n"
                     "        COMPREPLY=($(compgen -W \"$opts --help\" -- \"$cur\"))\n"
                     "    else\n"
                     "        # incidents, roles, people, runbooks, steps, themes: asked of warroom itself\n"
                     "        local dyn\n"
                     "        dyn=$(\"${COMP_WORDS[0]}\" \"${g[@]}\" completion words -- \"${COMP_WORDS[@]:at:COMP_CWORD-at}\" \"$cur\" 2>/dev/null)\n"
                     "        COMPREPLY=($(compgen -W \"$subs $dyn\" -- \"$cur\"))\n"
                     "    fi\n"
                     "}\n"
                     "complete -o default -F _warroom warroom\n");
    wr_buf_free(&g);
    wr_buf_free(&gv);
}

static void zsh(wr_buf *out)
{
    wr_buf_puts(out, "#compdef warroom\n# SPDX-License-Identifier: MIT\n# zsh completion for warroom. Generated from the act table by `warroom "
                     "completion zsh`.\n_warroom() {\n  local -a cmds\n  cmds=(\n");
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (!(cmd->flags & WR_CMD_CLI))
            continue;
        wr_buf_printf(out, "    '%s:", cmd->name);
        for (const char *p = cmd->summary; *p; p++) {
            if (*p == '\'')
                wr_buf_puts(out, "'\\''");
            else if (*p == ':')
                wr_buf_puts(out, "\\:");
            else
                wr_buf_putc(out, *p);
        }
        wr_buf_puts(out, "'\n");
    }
    wr_buf g = {0}, gv = {0};
    globals_words(&g, &gv);
    wr_buf_printf(out, "  )\n  local -a globals valued\n  globals=(%s)\n  valued=(%s)\n", wr_buf_str(&g),
                  wr_buf_str(&gv));
    wr_buf_puts(out, "  local i cmd='' w\n"
                     "  for ((i = 2; i < CURRENT; i++)); do\n"
                     "    w=${words[i]}\n"
                     "    if (( ${globals[(Ie)$w]} )); then (( ${valued[(Ie)$w]} )) && ((i++)); continue; fi\n"
                     "    cmd=$w; break\n"
                     "  done\n"
                     "  case ${words[CURRENT-1]} in\n"
                     "    --db|--config|--rules|--oncall|--token-file) _files; return ;;\n"
                     "    --severity) compadd SEV1 SEV2 SEV3 SEV4 SEV5; return ;;\n"
                     "    --theme) compadd -- ${(f)\"$(${words[1]} completion words -- theme \"${words[CURRENT]}\" 2>/dev/null)\"}; return ;;\n"
                     "  esac\n"
                     "  if [[ -z $cmd ]]; then\n"
                     "    if [[ ${words[CURRENT]} == -* ]]; then compadd -- $globals; else _describe command cmds; fi\n"
                     "    return\n"
                     "  fi\n"
                     "  local -a opts subs\n"
                     "  case $cmd in\n");
    case_lines(out, "    %s) opts=(%s) subs=(%s) ;;\n");
    wr_buf_puts(out, "  esac\n"
                     "  if [[ ${words[CURRENT]} == -* ]]; then compadd -- $opts --help; return; fi\n"
                     "  local -a dyn\n"
                     "  dyn=(${(f)\"$(${words[1]} $g completion words -- ${words[at,CURRENT-1]} \"${words[CURRENT]}\" 2>/dev/null)\"})\n"
                     "  compadd -- $subs $dyn\n"
                     "  _files\n"
                     "}\n"
                     "_warroom \"$@\"\n");
    wr_buf_free(&g);
    wr_buf_free(&gv);
}

int wr_cmd_completion_script(wr_buf *out, const char *shell)
{
    if (strcmp(shell, "bash") == 0)
        bash(out);
    else if (strcmp(shell, "zsh") == 0)
        zsh(out);
    else
        return -1;
    return 0;
}

int wr_cmd_completion(wr_args *a)
{
    if (a->argc >= 1 && strcmp(a->argv[0], "words") == 0)
        return wr_cmd_complete_words(a->c, a->argv + 1, a->argc - 1);
    if (a->argc != 1 || wr_cmd_completion_script(&a->c->out, a->argv[0]) != 0)
        return wr_args_usage(a, "name the shell: bash or zsh");
    return 0;
}
