/* SPDX-License-Identifier: MIT */
/* cmd_template.c - argument templates (see cmd.h): parsed into forms of elements, and what the rest of the
 * front end derives from them (option lookup, what a word completes to, where free text starts, synopses). */
#include "cmd_int.h"

#include "warroom/incident.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- parsing ---- */

typedef struct tword {
    const char *s;
    size_t n;
    int group;  /* the [ ] group it is in (0: none) */
    int closes; /* it ends its group */
} tword;

static int bad(wr_buf *err, const char *form, const char *why)
{
    wr_buf_printf(err, "template \"%s\": %s", form, why);
    return -1;
}

/* "[RUNBOOK/]STEP": a bracket inside a token, not an optional group. */
static int token_bracket(const char *p)
{
    const char *close = strchr(p, ']');
    const char *space = strchr(p, ' ');
    return close && (!space || close < space) && close[1] && close[1] != ' ' && close[1] != ']';
}

static int split_words(const char *s, size_t len, tword *w, int max, wr_buf *err, const char *form)
{
    int n = 0, group = 0, ngroups = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        if (s[i] == '[' && !token_bracket(s + i)) {
            if (group)
                return bad(err, form, "groups do not nest");
            group = ++ngroups;
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && s[i] != ' ') {
            if (s[i] == '[') { /* a bracket inside the token: keep it */
                while (i < len && s[i] != ']')
                    i++;
                i++;
                continue;
            }
            if (s[i] == ']')
                break;
            i++;
        }
        if (n == max)
            return bad(err, form, "too many elements");
        w[n].s = s + start;
        w[n].n = i - start;
        w[n].group = group;
        w[n].closes = 0;
        if (i < len && s[i] == ']') {
            if (!group)
                return bad(err, form, "a ] closes nothing");
            w[n].closes = 1;
            group = 0;
            i++;
        }
        if (w[n].n)
            n++;
        else if (n && w[n].closes)
            w[n - 1].closes = 1;
    }
    if (group)
        return bad(err, form, "a [ is not closed");
    return n;
}

static int is_option_word(const tword *w)
{
    return w->n >= 2 && w->s[0] == '-' && (w->s[1] == '-' || isalpha((unsigned char)w->s[1]));
}

static int copy_word(char *dst, size_t size, const char *s, size_t n)
{
    if (n + 1 > size)
        return -1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static int parse_form(const char *s, size_t len, wr_tpl_form *f, wr_buf *err)
{
    char form[256];
    snprintf(form, sizeof form, "%.*s", (int)len, s);
    snprintf(f->text, sizeof f->text, "%s", form);
    tword w[32];
    int n = split_words(s, len, w, 32, err, form);
    if (n < 0)
        return -1;
    f->n = 0;
    for (int i = 0; i < n; i++) {
        if (f->n == WR_TPL_MAXELEMS)
            return bad(err, form, "too many elements");
        wr_tpl_elem *e = &f->e[f->n];
        memset(e, 0, sizeof *e);
        e->optional = w[i].group != 0;
        if (w[i].n == 1 && w[i].s[0] == '<') {
            if (i + 1 >= n)
                return bad(err, form, "< names nothing");
            e->kind = WR_TPL_STDIN;
            if (copy_word(e->word, sizeof e->word, w[i + 1].s, w[i + 1].n) != 0)
                return bad(err, form, "a word is too long");
            i++;
        } else if (is_option_word(&w[i])) {
            e->kind = WR_TPL_OPT;
            /* "-f|--follow", "--tag" */
            const char *p = w[i].s, *end = w[i].s + w[i].n;
            while (p < end) {
                const char *bar = memchr(p, '|', (size_t)(end - p));
                size_t k = bar ? (size_t)(bar - p) : (size_t)(end - p);
                if (k >= 3 && p[0] == '-' && p[1] == '-') {
                    if (copy_word(e->word, sizeof e->word, p, k) != 0)
                        return bad(err, form, "an option name is too long");
                } else if (k == 2 && p[0] == '-') {
                    copy_word(e->alias, sizeof e->alias, p, k);
                } else {
                    return bad(err, form, "an option is --name, or -x|--name");
                }
                p += k + (bar ? 1 : 0);
            }
            if (!e->word[0])
                return bad(err, form, "an option needs a --long name");
            /* Its value: the next word of the same group, when that is not an option. */
            if (i + 1 < n && !w[i].closes && w[i + 1].group == w[i].group && !is_option_word(&w[i + 1]) &&
                !(w[i + 1].n == 1 && w[i + 1].s[0] == '<')) {
                if (copy_word(e->value, sizeof e->value, w[i + 1].s, w[i + 1].n) != 0)
                    return bad(err, form, "a value is too long");
                i++;
                const char *kind = wr_tpl_token_kind(e->value);
                e->text = kind && strcmp(kind, "text") == 0 && strstr(e->value, "TEXT") != NULL;
            }
        } else {
            e->kind = WR_TPL_POS;
            size_t k = w[i].n;
            if (k > 3 && memcmp(w[i].s + k - 3, "...", 3) == 0) {
                e->repeat = 1;
                k -= 3;
            }
            if (copy_word(e->word, sizeof e->word, w[i].s, k) != 0)
                return bad(err, form, "a word is too long");
            const char *kind = wr_tpl_token_kind(e->word);
            e->text = e->repeat && kind && strcmp(kind, "text") == 0;
        }
        f->n++;
    }
    return 0;
}

int wr_tpl_parse(const char *tpl, wr_tpl *out, wr_buf *err)
{
    memset(out, 0, sizeof *out);
    const char *p = tpl;
    for (;;) {
        const char *bar = strstr(p, " | ");
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (out->nf == WR_TPL_MAXFORMS)
            return bad(err, tpl, "too many forms");
        if (parse_form(p, len, &out->f[out->nf], err) != 0)
            return -1;
        out->nf++;
        if (!bar)
            break;
        p = bar + 3;
    }
    return 0;
}

/* ---- lookups ---- */

const wr_tpl_elem *wr_tpl_option(const wr_tpl *t, const char *word)
{
    size_t n = strcspn(word, "=");
    if (n < 2 || word[0] != '-')
        return NULL;
    for (int f = 0; f < t->nf; f++)
        for (int i = 0; i < t->f[f].n; i++) {
            const wr_tpl_elem *e = &t->f[f].e[i];
            if (e->kind != WR_TPL_OPT)
                continue;
            if ((strlen(e->word) == n && strncmp(e->word, word, n) == 0) ||
                (e->alias[0] && strlen(e->alias) == n && strncmp(e->alias, word, n) == 0))
                return e;
        }
    return NULL;
}

/* What each placeholder completes to. */
static const struct {
    const char *placeholder;
    const char *kind;
} kinds[] = {
    {"INC", "incident"},  {"ROLE", "role"},       {"USER", "operator"}, {"HOLDER", "operator"},
    {"OWNER", "operator"}, {"STEP", "step"},       {"ID", "runbook"},    {"RUNBOOK", "runbook"},
    {"FIELD", "field"},   {"STATUS", "status"},   {"SEV", "severity"},  {"SEVn", "severity"},
    {"SEV1..SEV5", "severity"}, {"COMMAND", "command"}, {"THEME", "theme"}, {"FILE", "file"},
    {"TEXT", "text"},     {"TITLE", "text"},      {"VALUE", "text"},    {"NAME", "text"},
    {"TYPE", "type"},     {"KIND", "asset-kind"}, {"IOC-TYPE", "ioc-type"}, {"MILESTONE", "milestone"},
};

static int is_placeholder(const char *s, size_t n)
{
    return n && (isupper((unsigned char)s[0]) || s[0] == '[');
}

const char *wr_tpl_token_kind(const char *token)
{
    const char *p = token;
    for (;;) {
        size_t n = strcspn(p, "|");
        const char *alt = p;
        size_t an = n;
        if (an > 3 && memcmp(alt + an - 3, "...", 3) == 0)
            an -= 3;
        if (alt[0] == '[') { /* "[RUNBOOK/]STEP": what follows the bracket */
            const char *close = memchr(alt, ']', an);
            if (close) {
                an -= (size_t)(close + 1 - alt);
                alt = close + 1;
            }
        }
        if (is_placeholder(alt, an))
            for (size_t k = 0; k < WR_ARRAY_LEN(kinds); k++)
                if (strlen(kinds[k].placeholder) == an && strncmp(kinds[k].placeholder, alt, an) == 0)
                    return kinds[k].kind;
        if (!p[n])
            return NULL;
        p += n + 1;
    }
}

size_t wr_tpl_literals(const char *token, char *buf, size_t bufsize, const char **words, size_t max)
{
    size_t nw = 0, used = 0;
    const char *p = token;
    for (;;) {
        size_t n = strcspn(p, "|");
        if (n && !is_placeholder(p, n) && !(n == 1 && p[0] == '-') && nw < max && used + n + 1 <= bufsize) {
            memcpy(buf + used, p, n);
            buf[used + n] = '\0';
            words[nw++] = buf + used;
            used += n + 1;
        }
        if (!p[n])
            break;
        p += n + 1;
    }
    return nw;
}

/* Does word w fit token (a placeholder takes anything, literal words only themselves)? */
static int token_fits(const char *token, const char *w)
{
    if (strcmp(token, "INC") == 0) {
        int64_t id;
        return wr_incident_parse_ref(w, &id) == 0;
    }
    const char *p = token;
    size_t wl = strlen(w);
    for (;;) {
        size_t n = strcspn(p, "|");
        if (is_placeholder(p, n) || (n == wl && strncmp(p, w, n) == 0))
            return 1;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

int wr_tpl_form_has_inc(const wr_tpl_form *f)
{
    return f->n > 0 && f->e[0].kind == WR_TPL_POS && f->e[0].optional && strcmp(f->e[0].word, "INC") == 0;
}

int wr_tpl_text_match(const wr_tpl *t, char *const *pos, int npos)
{
    int best = 0;
    for (int fi = 0; fi < t->nf; fi++) {
        const wr_tpl_form *f = &t->f[fi];
        int k = 0, ok = 1, has_text = 0;
        for (int i = wr_tpl_form_has_inc(f) ? 1 : 0; i < f->n; i++) {
            const wr_tpl_elem *e = &f->e[i];
            if (e->kind != WR_TPL_POS)
                continue;
            if (e->text) {
                has_text = 1;
                break;
            }
            if (k < npos && !token_fits(e->word, pos[k]))
                ok = 0;
            k++;
        }
        if (!has_text || !ok)
            continue;
        if (k == npos)
            return 2;
        if (k > npos)
            best = 1;
    }
    return best;
}

int wr_tpl_has_text(const wr_tpl *t)
{
    for (int f = 0; f < t->nf; f++)
        for (int i = 0; i < t->f[f].n; i++)
            if (t->f[f].e[i].text)
                return 1;
    return 0;
}

void wr_tpl_synopsis(wr_buf *out, const wr_cmd *cmd, int form, int cli)
{
    wr_tpl t;
    wr_buf err = {0};
    const char *text = "";
    if (wr_tpl_parse(cmd->args, &t, &err) == 0 && form >= 0 && form < t.nf)
        text = t.f[form].text;
    wr_buf_free(&err);
    wr_buf_printf(out, "%s%s%s%s", cli ? "warroom " : ":", cmd->name, *text ? " " : "", text);
}

/* ---- matching a form, for the options that go with it (cmd_args.c) ---- */

/* Do the positional words w[i..n) fit the positional elements e[j..ne)? */
static int fits(const wr_tpl_elem *const *e, int j, int ne, char *const *w, int i, int n)
{
    if (j == ne)
        return i == n;
    const wr_tpl_elem *x = e[j];
    if (x->optional && fits(e, j + 1, ne, w, i, n))
        return 1;
    if (i >= n || !token_fits(x->word, w[i]))
        return 0;
    if (!x->repeat)
        return fits(e, j + 1, ne, w, i + 1, n);
    for (int k = i + 1; k <= n; k++) {
        if (fits(e, j + 1, ne, w, k, n))
            return 1;
        if (k < n && !token_fits(x->word, w[k]))
            return 0;
    }
    return 0;
}

int wr_tpl_form_fits(const wr_tpl_form *f, char *const *pos, int npos, const char *const *given, size_t ngiven)
{
    const wr_tpl_elem *e[WR_TPL_MAXELEMS];
    int ne = 0;
    for (int i = 0; i < f->n; i++) {
        const wr_tpl_elem *x = &f->e[i];
        if (x->kind == WR_TPL_POS) {
            e[ne++] = x;
        } else if (x->kind == WR_TPL_OPT && !x->optional) {
            size_t k;
            for (k = 0; k < ngiven && strcmp(given[k], x->word) != 0; k++)
                ;
            if (k == ngiven)
                return 0;
        }
    }
    return fits(e, 0, ne, pos, 0, npos);
}
