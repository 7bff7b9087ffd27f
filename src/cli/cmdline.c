/* SPDX-License-Identifier: MIT */
/* cmdline.c - text as typed. A note, a title, a summary, a reason is evidence: it is kept byte for byte,
 * quotes, backslashes, leading dashes, `--words`, tabs and all.
 *
 * The console's command line: the words before the free text (the command, an incident, options, the
 * positional words the command's `text` patterns name) are split as usual; the free text is the rest of the
 * line, passed after "--" so that nothing in it is taken for an option. A TEXT-valued option (--reason TEXT,
 * --note TEXT) that comes when no positional text can follow takes the rest of the line the same way.
 *
 * The command line (argv, already split by the shell): known options are options wherever they stand (up to
 * a "--"), every other word from the start of the text on is text, joined with single spaces. */
#include "cmd_int.h"

#include "warroom/incident.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_NONE, OPT_FLAG, OPT_VALUE, OPT_TEXT };

/* What the act's template says of an option word ("--tag", "--tag=x"): a flag, an option taking one word,
 * or one taking TEXT. */
static int opt_kind(const wr_tpl *t, const char *word)
{
    if (word[0] != '-' || word[1] != '-' || !word[2])
        return OPT_NONE;
    const wr_tpl_elem *e = wr_tpl_option(t, word);
    if (!e)
        return OPT_NONE;
    return !e->value[0] ? OPT_FLAG : e->text ? OPT_TEXT : OPT_VALUE;
}

/* Does any form take an incident as its first, optional, word? */
static int takes_inc(const wr_tpl *t)
{
    for (int f = 0; f < t->nf; f++)
        if (wr_tpl_form_has_inc(&t->f[f]))
            return 1;
    return 0;
}

static int looks_like_ref(const char *s)
{
    int64_t id;
    return wr_incident_parse_ref(s, &id) == 0;
}

/* One word from *p (quotes and backslashes as wr_cmd_split); *p moves past it. NULL with err on an
 * unclosed quote. */
static char *next_word(const char **p, wr_buf *err)
{
    const char *s = *p;
    wr_buf word = {0};
    wr_buf_puts(&word, "");
    char quote = 0;
    for (; *s; s++) {
        if (quote) {
            if (*s == quote)
                quote = 0;
            else if (*s == '\\' && quote == '"' && (s[1] == '"' || s[1] == '\\'))
                wr_buf_putc(&word, *++s);
            else
                wr_buf_putc(&word, *s);
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
        } else if (*s == '\\' && s[1]) {
            wr_buf_putc(&word, *++s);
        } else if (*s == ' ' || *s == '\t') {
            break;
        } else {
            wr_buf_putc(&word, *s);
        }
    }
    if (quote) {
        wr_buf_printf(err, "unclosed %c quote: close it, or escape it with a backslash", quote);
        wr_buf_free(&word);
        return NULL;
    }
    *p = s;
    return wr_buf_steal(&word);
}

static void push(char ***v, int *n, char *s)
{
    *v = wr_xreallocarray(*v, (size_t)*n + 2, sizeof **v);
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

/* The rest of the line after the word that ended at `end`: one separator is dropped, everything else kept. */
static const char *rest_after(const char *end)
{
    return *end == ' ' || *end == '\t' ? end + 1 : end;
}

int wr_cmd_split_line(const char *line, int *argc, char ***argv, wr_buf *err)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *start = p;
    char *name = next_word(&p, err);
    if (!name)
        return -1;
    const wr_cmd *cmd = wr_cmd_find(name);
    free(name);
    wr_tpl tpl;
    wr_buf terr = {0};
    int ok = cmd && wr_tpl_parse(cmd->args, &tpl, &terr) == 0 && wr_tpl_has_text(&tpl);
    wr_buf_free(&terr);
    if (!ok)
        return wr_cmd_split(line, argc, argv, err);
    const wr_tpl *t = &tpl;
    int n = 0;
    char **v = NULL;
    push(&v, &n, wr_xstrndup(start, (size_t)(p - start)));
    char **pos = NULL; /* the positional words so far (pointers into v) */
    int npos = 0, first = 1, inc_ok = takes_inc(t);
    const char *end = p; /* where the last word taken ended */
    for (;;) {
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (!*q)
            break;
        /* Where the free text may start, a word that is not an option (nor the incident) is text: never split,
         * never unquoted. */
        size_t rawlen = strcspn(q, " \t");
        if (rawlen == 2 && q[0] == '-' && q[1] == '-') {
            /* "--": what follows is the text, whatever it looks like (`n` opens ":note -- ") */
            push(&v, &n, wr_xstrdup("--"));
            if (q[2])
                push(&v, &n, wr_xstrdup(q + 3));
            break;
        }
        char *raw = wr_xstrndup(q, rawlen);
        int ref = first && inc_ok && looks_like_ref(raw), dashes = raw[0] == '-' && raw[1] == '-' && raw[2];
        free(raw);
        if (wr_tpl_text_match(t, pos, npos) == 2 && !dashes && !ref) {
            push(&v, &n, wr_xstrdup("--"));
            push(&v, &n, wr_xstrdup(rest_after(end)));
            break;
        }
        char *w = next_word(&q, err);
        if (!w)
            goto fail;
        if (first && inc_ok && looks_like_ref(w)) {
            push(&v, &n, w);
            end = p = q;
            first = 0;
            continue;
        }
        first = 0;
        /* The free text starts here when a pattern matched and this is not one of the command's options. */
        int kind = opt_kind(t, w), match = wr_tpl_text_match(t, pos, npos);
        if (kind == OPT_NONE && match == 2) {
            free(w);
            push(&v, &n, wr_xstrdup("--"));
            const char *text = rest_after(end);
            if (*text)
                push(&v, &n, wr_xstrdup(text));
            break;
        }
        if (kind == OPT_TEXT && !strchr(w, '=') && match == 0) {
            /* --reason TEXT: the rest of the line, as typed */
            push(&v, &n, w);
            const char *text = rest_after(q);
            if (*text)
                push(&v, &n, wr_xstrdup(text));
            break;
        }
        push(&v, &n, w);
        end = p = q;
        if ((kind == OPT_VALUE || kind == OPT_TEXT) && !strchr(w, '=')) {
            const char *r = p;
            while (*r == ' ' || *r == '\t')
                r++;
            if (*r) {
                char *val = next_word(&r, err);
                if (!val)
                    goto fail;
                push(&v, &n, val);
                end = p = r;
            }
        } else if (kind == OPT_NONE) {
            pos = wr_xreallocarray(pos, (size_t)npos + 1, sizeof *pos);
            pos[npos++] = w;
        }
    }
    free(pos);
    *argc = n;
    *argv = v;
    return 0;
fail:
    free(pos);
    wr_cmd_free_argv(n, v);
    return -1;
}

char **wr_cmd_text_args(const wr_cmd *cmd, int argc, char **argv)
{
    /* argv[0] is the first argument after the command. Out: options and positional words, "--", the text. */
    char **out = wr_xcalloc((size_t)argc + 2, sizeof *out);
    char **text = wr_xcalloc((size_t)argc + 1, sizeof *text);
    char **pos = wr_xcalloc((size_t)argc + 1, sizeof *pos);
    static char dashes[] = "--";
    wr_tpl tpl;
    wr_buf terr = {0};
    if (wr_tpl_parse(cmd->args, &tpl, &terr) != 0)
        tpl.nf = 0;
    wr_buf_free(&terr);
    const wr_tpl *t = &tpl;
    int n = 0, nt = 0, npos = 0, intext = 0, inc_ok = takes_inc(t);
    for (int i = 0; i < argc; i++) {
        char *w = argv[i];
        if (strcmp(w, "--") == 0) {
            for (i++; i < argc; i++)
                text[nt++] = argv[i];
            break;
        }
        int kind = opt_kind(t, w);
        if (kind != OPT_NONE) {
            out[n++] = w;
            if ((kind == OPT_VALUE || kind == OPT_TEXT) && !strchr(w, '=') && i + 1 < argc)
                out[n++] = argv[++i];
            continue;
        }
        if (!intext && i == 0 && inc_ok && looks_like_ref(w)) {
            out[n++] = w;
            continue;
        }
        if (!intext && wr_tpl_text_match(t, pos, npos) == 2)
            intext = 1;
        if (intext) {
            text[nt++] = w;
        } else {
            pos[npos++] = w;
            out[n++] = w;
        }
    }
    if (nt) {
        out[n++] = dashes;
        for (int k = 0; k < nt; k++)
            out[n++] = text[k];
    }
    out[n] = NULL;
    free(text);
    free(pos);
    return out;
}
