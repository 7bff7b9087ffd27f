/* SPDX-License-Identifier: MIT */
/* complete.c - what a word of the `:` command line completes to, from the act's template (see complete.h). */
#include "warroom/complete.h"

#include "warroom/cmd.h"
#include "warroom/evidence.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"
#include "warroom/runbook.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The candidates at the word being completed, gathered over the act's forms. */
typedef struct cands {
    const char *kind;      /* the first placeholder's kind ("text" dropped) */
    int inc;               /* the optional incident may stand here */
    int text;              /* free text may start here */
    char *lits[64];        /* literal words (malloc'd) */
    size_t nlits;
} cands;

static void add_lit(cands *c, const char *w)
{
    for (size_t i = 0; i < c->nlits; i++)
        if (strcmp(c->lits[i], w) == 0)
            return;
    if (c->nlits < WR_ARRAY_LEN(c->lits))
        c->lits[c->nlits++] = wr_xstrdup(w);
}

static void add_token(cands *c, const char *token)
{
    const char *kind = wr_tpl_token_kind(token);
    if (kind && strcmp(kind, "text") == 0)
        c->text = 1;
    else if (kind && !c->kind)
        c->kind = kind;
    char buf[WR_TPL_WORD * 2];
    const char *words[16];
    size_t n = wr_tpl_literals(token, buf, sizeof buf, words, 16);
    for (size_t i = 0; i < n; i++)
        add_lit(c, words[i]);
}

static void add_elem(cands *c, const wr_tpl_elem *e)
{
    if (strcmp(e->word, "INC") == 0 && e->optional)
        c->inc = 1;
    else
        add_token(c, e->word);
}

static int fits_word(const wr_tpl_elem *e, const char *w)
{
    if (strcmp(e->word, "INC") == 0) {
        int64_t id;
        return wr_incident_parse_ref(w, &id) == 0;
    }
    size_t wl = strlen(w);
    for (const char *p = e->word;;) {
        size_t n = strcspn(p, "|");
        if ((n && (isupper((unsigned char)p[0]) || p[0] == '[')) || (n == wl && strncmp(p, w, n) == 0))
            return 1; /* a placeholder takes any word; a literal only itself */
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

/* Words w[i..n) consumed by the positional elements e[0..j) (the last one a repeat when rep >= 0): what
 * may stand at word n. */
static void collect(const wr_tpl_elem *const *e, int j, int ne, char *const *w, int i, int n, int rep, cands *c)
{
    if (i == n) {
        if (rep >= 0)
            add_elem(c, e[rep]);
        for (int k = j; k < ne; k++) {
            add_elem(c, e[k]);
            if (!e[k]->optional)
                break;
        }
        return;
    }
    if (rep >= 0 && fits_word(e[rep], w[i]))
        collect(e, j, ne, w, i + 1, n, rep, c);
    if (j >= ne)
        return;
    /* The word taken by the element first (an incident where [INC] may stand is one), then skipped. */
    if (fits_word(e[j], w[i]))
        collect(e, j + 1, ne, w, i + 1, n, e[j]->repeat ? j : -1, c);
    if (e[j]->optional)
        collect(e, j + 1, ne, w, i, n, -1, c);
}

/* The candidates for the word at `start` of line. */
static void what(const char *line, size_t start, cands *c)
{
    memset(c, 0, sizeof *c);
    char *head = wr_xstrndup(line, start);
    char *words[64];
    int n = 0;
    for (char *tok = strtok(head, " \t"); tok && n < 64; tok = strtok(NULL, " \t"))
        words[n++] = tok;
    const char *cur = line + start;
    if (n == 0) {
        c->kind = "command";
        goto out;
    }
    const wr_cmd *cmd = wr_cmd_find(words[0]);
    wr_tpl t;
    wr_buf err = {0};
    if (!cmd || !(cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI | WR_CMD_CLI)) || wr_tpl_parse(cmd->args, &t, &err) != 0)
        goto out;
    if (cur[0] == '-') {
        /* an option's name */
        for (int f = 0; f < t.nf; f++)
            for (int k = 0; k < t.f[f].n; k++)
                if (t.f[f].e[k].kind == WR_TPL_OPT)
                    add_lit(c, t.f[f].e[k].word);
        goto out;
    }
    /* The value of an option? */
    const wr_tpl_elem *opt = n > 1 ? wr_tpl_option(&t, words[n - 1]) : NULL;
    if (opt && opt->value[0] && !strchr(words[n - 1], '=')) {
        add_token(c, opt->value);
        goto out;
    }
    /* The positional words before this one. */
    char *pos[64];
    int npos = 0;
    for (int i = 1; i < n; i++) {
        const wr_tpl_elem *o = words[i][0] == '-' && words[i][1] ? wr_tpl_option(&t, words[i]) : NULL;
        if (o) {
            if (o->value[0] && !strchr(words[i], '='))
                i++;
            continue;
        }
        pos[npos++] = words[i];
    }
    for (int f = 0; f < t.nf; f++) {
        const wr_tpl_elem *e[WR_TPL_MAXELEMS];
        int ne = 0;
        for (int k = 0; k < t.f[f].n; k++)
            if (t.f[f].e[k].kind == WR_TPL_POS)
                e[ne++] = &t.f[f].e[k];
        collect(e, 0, ne, pos, 0, npos, -1, c);
    }
    /* "INC-" typed where an optional incident may stand; or nothing else may. */
    if (c->inc && (strncasecmp(cur, "inc-", 4) == 0 || (!c->kind && !c->nlits && !c->text)))
        c->kind = "incident";
out:
    wr_buf_free(&err);
    free(head);
}

const char *wr_complete_kind(const char *line, size_t start)
{
    cands c;
    what(line, start, &c);
    for (size_t i = 0; i < c.nlits; i++)
        free(c.lits[i]);
    return c.kind;
}

void wr_complete_literals(const char *line, size_t start, char ***out, size_t *nout)
{
    cands c;
    what(line, start, &c);
    const char *v[64];
    for (size_t i = 0; i < c.nlits; i++)
        v[i] = c.lits[i];
    wr_complete_filter(line + start, v, c.nlits, out, nout);
    for (size_t i = 0; i < c.nlits; i++)
        free(c.lits[i]);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void wr_complete_filter(const char *prefix, const char *const *words, size_t n, char ***out, size_t *nout)
{
    size_t plen = strlen(prefix);
    size_t first = *nout;
    for (size_t i = 0; i < n; i++) {
        if (!words[i] || strncmp(words[i], prefix, plen) != 0)
            continue;
        *out = wr_xreallocarray(*out, *nout + 1, sizeof **out);
        (*out)[(*nout)++] = wr_xstrdup(words[i]);
    }
    if (*nout == first)
        return; /* nothing matched (and *out may still be NULL) */
    qsort(*out + first, *nout - first, sizeof **out, cmp_str);
    size_t w = first;
    for (size_t i = first; i < *nout; i++) {
        if (w > first && strcmp((*out)[w - 1], (*out)[i]) == 0) {
            free((*out)[i]);
            continue;
        }
        (*out)[w++] = (*out)[i];
    }
    *nout = w;
}

void wr_complete_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int wr_complete_fixed(const char *kind, const char *prefix, char ***out, size_t *nout)
{
    if (strcmp(kind, "field") == 0)
        wr_complete_filter(prefix, wr_incident_fields, wr_nincident_fields, out, nout);
    else if (strcmp(kind, "status") == 0)
        wr_complete_filter(prefix, wr_statuses, wr_nstatuses, out, nout);
    else if (strcmp(kind, "severity") == 0)
        wr_complete_filter(prefix, wr_severities, WR_SEV_COUNT, out, nout);
    else if (strcmp(kind, "milestone") == 0)
        wr_complete_filter(prefix, wr_milestone_names, WR_MS_COUNT, out, nout);
    else if (strcmp(kind, "asset-kind") == 0)
        wr_complete_filter(prefix, wr_rb_asset_kinds, WR_RB_NASSET_KINDS, out, nout);
    else if (strcmp(kind, "ioc-type") == 0)
        wr_complete_filter(prefix, wr_indicator_types, wr_nindicator_types, out, nout);
    else
        return 0;
    return 1;
}

void wr_complete_types(struct wr_store *st, const struct wr_rb_set *set, const char *prefix, char ***out,
                       size_t *nout)
{
    if (set)
        for (size_t i = 0; i < set->n; i++)
            wr_complete_filter(prefix, (const char *const *)set->v[i]->types, set->v[i]->ntypes, out, nout);
    wr_incident *v;
    size_t n;
    wr_error err = {0};
    if (st && wr_incident_list(st, 0, &v, &n, &err) == WR_OK) {
        for (size_t i = 0; i < n; i++) {
            const char *t = v[i].type;
            if (*t)
                wr_complete_filter(prefix, &t, 1, out, nout);
        }
        wr_incidents_free(v, n);
    }
    /* Sorted, each once, over everything gathered. */
    char **all = *out;
    size_t nall = *nout;
    *out = NULL;
    *nout = 0;
    wr_complete_filter("", (const char *const *)all, nall, out, nout);
    wr_complete_free(all, nall);
}
