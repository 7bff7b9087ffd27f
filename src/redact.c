/* SPDX-License-Identifier: MIT */
/* redact.c - named rules that find secrets in raw bytes, and the text with them replaced (redact.h). */
#include "warroom/redact.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* Rules match bytes, in the C locale whatever the process's: output may be any bytes, and glibc's matcher in a
 * UTF-8 locale is orders of magnitude slower (a 1 MiB line of one letter took minutes). Compiled and run
 * inside c_begin/c_end. */
static locale_t c_locale(void)
{
    static locale_t c;
    if (!c)
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return c;
}

static locale_t c_begin(void)
{
    locale_t c = c_locale();
    return c ? uselocale(c) : (locale_t)0;
}

static void c_end(locale_t old)
{
    if (old)
        uselocale(old);
}

/* The separator between a key's name and its value: `key = v`, `"key": "v"`, `KEY=v`. */
#define KV "[\"']?[[:space:]]*[:=][[:space:]]*[\"']?"

const wr_redact_default wr_redact_defaults[] = {
    /* AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes) */
    {"aws-access-key-id", "(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}", 0, 0},
    /* AWS secret keys and session tokens after the names they go by (the environment, the credentials file,
     * the JSON of `aws iam create-access-key` and `aws sts assume-role`) */
    {"aws-secret-access-key", "(aws_?)?secret_?access_?key" KV "([A-Za-z0-9/+]{40})", 2, 1},
    {"aws-session-token", "(aws_?)?(session|security)_?token" KV "([A-Za-z0-9/+=]{16,})", 3, 1},
    /* Google: API keys, and a service account key file's key id (its key is a private key block) */
    {"gcp-api-key", "AIza[0-9A-Za-z_-]{35}", 0, 0},
    {"gcp-private-key-id", "\"private_key_id\"[[:space:]]*:[[:space:]]*\"([0-9a-f]{40})\"", 1, 0},
    /* Azure: storage account keys in connection strings, client secrets, SAS signatures */
    {"azure-account-key", "AccountKey=([A-Za-z0-9+/=]{20,})", 1, 1},
    {"azure-client-secret", "client_?secret" KV "([^\"'[:space:]]{8,})", 1, 1},
    {"azure-sas-signature", "[?&]sig=([A-Za-z0-9%+/=]{16,})", 1, 0},
    /* Tokens */
    {"bearer-token", "bearer[[:space:]]+([A-Za-z0-9._~+/-]{8,}=*)", 1, 1},
    {"github-token", "gh[pousr]_[A-Za-z0-9]{36,}", 0, 0},
    {"slack-token", "xox[abprs]-[A-Za-z0-9-]{10,}", 0, 0},
    /* PEM private key blocks (RSA, EC, OPENSSH, ENCRYPTED, PGP ... BLOCK): base64 has no '-' */
    {"private-key", "-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----[^-]*-----END[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----",
     0, 0},
    /* scheme://user:PASSWORD@host */
    {"url-password", "[A-Za-z][A-Za-z0-9+.-]{0,15}://[^/:@[:space:]]*:([^/@[:space:]]+)@", 1, 0},
};
const size_t wr_redact_ndefaults = WR_ARRAY_LEN(wr_redact_defaults);

static int compile(regex_t *re, const char *pattern, int group, int icase, wr_buf *err)
{
    locale_t old = c_begin();
    int rc = regcomp(re, pattern, REG_EXTENDED | (icase ? REG_ICASE : 0));
    c_end(old);
    if (rc != 0) {
        char msg[256];
        regerror(rc, re, msg, sizeof msg);
        wr_buf_printf(err, "not a POSIX extended regular expression: %s", msg);
        return -1;
    }
    if (group < 0 || (size_t)group > re->re_nsub) {
        wr_buf_printf(err, "group %d: the pattern has %zu", group, (size_t)re->re_nsub);
        regfree(re);
        return -1;
    }
    /* A pattern that matches the empty string would "redact" nothing everywhere: refuse it. */
    regmatch_t m[1];
    old = c_begin();
    int empty = regexec(re, "", 1, m, 0) == 0;
    c_end(old);
    if (empty) {
        wr_buf_puts(err, "the pattern matches the empty string");
        regfree(re);
        return -1;
    }
    return 0;
}

int wr_redact_check(const char *pattern, int group, wr_buf *err)
{
    regex_t re;
    if (compile(&re, pattern, group, 0, err) != 0)
        return -1;
    regfree(&re);
    return 0;
}

int wr_redactor_add(wr_redactor *r, const char *name, const char *pattern, int group, int icase, wr_buf *err)
{
    regex_t re;
    if (compile(&re, pattern, group, icase, err) != 0)
        return -1;
    r->v = wr_xreallocarray(r->v, r->n + 1, sizeof *r->v);
    r->v[r->n].name = wr_xstrdup(name);
    r->v[r->n].group = group;
    r->v[r->n].re = re;
    r->n++;
    return 0;
}

void wr_redactor_init(wr_redactor *r, int defaults)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; defaults && i < wr_redact_ndefaults; i++) {
        const wr_redact_default *d = &wr_redact_defaults[i];
        wr_buf err = {0};
        if (wr_redactor_add(r, d->name, d->pattern, d->group, d->icase, &err) != 0)
            wr_die("shipped redaction rule %s: %s", d->name, wr_buf_str(&err)); /* unit.test_capture compiles them */
        wr_buf_free(&err);
    }
}

void wr_redactor_free(wr_redactor *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        regfree(&r->v[i].re);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int by_start(const void *a, const void *b)
{
    const wr_redact_hit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

size_t wr_redact_find(const wr_redactor *r, const char *data, size_t len, wr_redact_hit **hits)
{
    *hits = NULL;
    if (!r || !r->n || !len)
        return 0;
    /* regexec wants NUL-terminated text: a copy ending in one, searched piece by piece between NUL bytes. */
    char *copy = wr_xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    size_t n = 0, cap = 0;
    wr_redact_hit *v = NULL;
    locale_t old = c_begin();
    for (size_t piece = 0; piece < len;) {
        size_t plen = strlen(copy + piece);
        for (size_t k = 0; k < r->n; k++) {
            const wr_redact_rule *rule = &r->v[k];
            size_t pos = piece;
            regmatch_t m[10];
            size_t nm = rule->re.re_nsub + 1 < 10 ? rule->re.re_nsub + 1 : 10;
            while (pos < piece + plen &&
                   regexec(&rule->re, copy + pos, nm, m, pos > piece ? REG_NOTBOL : 0) == 0) {
                regmatch_t g = m[rule->group < (int)nm ? rule->group : 0];
                if (g.rm_so < 0) /* the group took no part in this match: the whole of it */
                    g = m[0];
                if (m[0].rm_eo <= m[0].rm_so) { /* cannot happen (checked at compile); never loop */
                    pos++;
                    continue;
                }
                if (g.rm_eo > g.rm_so) {
                    if (n == cap) {
                        cap = cap ? 2 * cap : 16;
                        v = wr_xreallocarray(v, cap, sizeof *v);
                    }
                    v[n].start = pos + (size_t)g.rm_so;
                    v[n].end = pos + (size_t)g.rm_eo;
                    v[n].rule = k;
                    n++;
                }
                pos += (size_t)m[0].rm_eo;
            }
        }
        piece += plen + 1;
    }
    c_end(old);
    free(copy);
    if (n > 1) {
        qsort(v, n, sizeof *v, by_start);
        size_t w = 0;
        for (size_t i = 1; i < n; i++) {
            if (v[i].start < v[w].end) {
                if (v[i].end > v[w].end)
                    v[w].end = v[i].end;
            } else {
                v[++w] = v[i];
            }
        }
        n = w + 1;
    }
    *hits = v;
    return n;
}

void wr_redact_emit(const wr_redactor *r, const char *data, size_t from, size_t to, const wr_redact_hit *hits,
                    size_t nhits, wr_buf *out, unsigned char *fired)
{
    size_t pos = from;
    for (size_t i = 0; i < nhits && pos < to; i++) {
        const wr_redact_hit *h = &hits[i];
        if (h->end <= pos || h->start >= to)
            continue;
        if (h->start > pos)
            wr_buf_append(out, data + pos, h->start - pos);
        wr_buf_printf(out, "[REDACTED:%s]", r->v[h->rule].name);
        if (fired)
            fired[h->rule] = 1;
        pos = h->end;
    }
    if (pos < to)
        wr_buf_append(out, data + pos, to - pos);
}

void wr_redact_all(const wr_redactor *r, const char *data, size_t len, wr_buf *out, unsigned char *fired)
{
    wr_redact_hit *hits;
    size_t n = wr_redact_find(r, data, len, &hits);
    wr_redact_emit(r, data, 0, len, hits, n, out, fired);
    if (!len)
        wr_buf_puts(out, "");
    free(hits);
}
