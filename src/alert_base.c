/* SPDX-License-Identifier: MIT */
/* alert_base.c - the alert as taken in (labels, fingerprint, severity words, notes) and splitting a stdin
 * stream into documents. */
#include "warroom/alert.h"

#include "warroom/json.h"
#include "warroom/sha256.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the alert ---- */

void wr_alert_clear(wr_alert *a)
{
    free(a->source);
    free(a->fingerprint);
    free(a->title);
    free(a->severity);
    free(a->severity_raw);
    free(a->status);
    for (size_t i = 0; i < a->nlabels; i++) {
        free(a->label_keys[i]);
        free(a->label_values[i]);
    }
    free(a->label_keys);
    free(a->label_values);
    free(a->annotations);
    free(a->url);
    free(a->description);
    free(a->rule);
    free(a->notes);
    memset(a, 0, sizeof *a);
}

void wr_alert_note(wr_alert *a, const char *fmt, ...)
{
    wr_buf msg = {0}, b = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (a->notes && strlen(a->notes) > 2) {
        wr_buf_append(&b, a->notes, strlen(a->notes) - 1);
        wr_buf_putc(&b, ',');
    } else {
        wr_buf_putc(&b, '[');
    }
    wr_json_str(&b, wr_buf_str(&msg));
    wr_buf_putc(&b, ']');
    free(a->notes);
    a->notes = wr_buf_steal(&b);
    wr_buf_free(&msg);
}

char *wr_alert_cut(const char *s, size_t max, int *was_cut)
{
    size_t n = strlen(s);
    if (was_cut)
        *was_cut = n > max;
    if (n <= max)
        return wr_xstrdup(s);
    size_t k = max - 3;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return wr_xasprintf("%.*s\xe2\x80\xa6", (int)k, s);
}

void wr_alert_trim(wr_alert *a)
{
    size_t n = a->nlabels, room = WR_ALERT_MAX_LABELS, bad = 0, over = 0, cut = 0, out = 0;
    signed char *keep = wr_xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        const char *k = a->label_keys[i];
        keep[i] = *k && strlen(k) <= WR_ALERT_NAME_MAX ? 0 : -1;
        if (keep[i] < 0)
            bad++;
        else if (strcmp(k, "alertname") == 0 || strcmp(k, "severity") == 0) {
            keep[i] = 1;
            room--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (keep[i] != 0)
            continue;
        if (room) {
            keep[i] = 1;
            room--;
        } else {
            over++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (keep[i] != 1) {
            free(a->label_keys[i]);
            free(a->label_values[i]);
            continue;
        }
        int c = 0;
        char *v = wr_alert_cut(a->label_values[i], WR_ALERT_VALUE_MAX, &c);
        free(a->label_values[i]);
        cut += (size_t)c;
        a->label_keys[out] = a->label_keys[i];
        a->label_values[out++] = v;
    }
    a->nlabels = out;
    free(keep);
    if (over)
        wr_alert_note(a, "%zu of %zu labels dropped: at most %d are kept (alertname and severity, then the first by "
                      "name)", over, n, WR_ALERT_MAX_LABELS);
    if (bad)
        wr_alert_note(a, "%zu label%s with an empty name or one over %d bytes dropped", bad, bad == 1 ? "" : "s",
                      WR_ALERT_NAME_MAX);
    if (cut)
        wr_alert_note(a, "%zu label value%s cut to %d bytes", cut, cut == 1 ? "" : "s", WR_ALERT_VALUE_MAX);
}

void wr_alert_batch_free(wr_alert_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        wr_alert_clear(&b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

const char *wr_alert_label(const wr_alert *a, const char *key)
{
    for (size_t i = 0; i < a->nlabels; i++)
        if (strcmp(a->label_keys[i], key) == 0)
            return a->label_values[i];
    return NULL;
}

char *wr_alert_labels_json(const wr_alert *a)
{
    wr_buf b = {0};
    wr_buf_putc(&b, '{');
    for (size_t i = 0; i < a->nlabels; i++)
        wr_json_kv_str(&b, a->label_keys[i], a->label_values[i]);
    wr_buf_putc(&b, '}');
    return wr_buf_steal(&b);
}

void wr_alert_fingerprint(const wr_alert *a, char out[17])
{
    /* Length-prefixed fields: no two different (source, labels) give the same bytes. */
    wr_sha256 c;
    wr_sha256_init(&c);
    char len[32];
    const char *src = a->source ? a->source : "";
    snprintf(len, sizeof len, "%zu:", strlen(src));
    wr_sha256_update(&c, len, strlen(len));
    wr_sha256_update(&c, src, strlen(src));
    for (size_t i = 0; i < a->nlabels; i++) {
        snprintf(len, sizeof len, "\n%zu:", strlen(a->label_keys[i]));
        wr_sha256_update(&c, len, strlen(len));
        wr_sha256_update(&c, a->label_keys[i], strlen(a->label_keys[i]));
        snprintf(len, sizeof len, "=%zu:", strlen(a->label_values[i]));
        wr_sha256_update(&c, len, strlen(len));
        wr_sha256_update(&c, a->label_values[i], strlen(a->label_values[i]));
    }
    unsigned char d[32];
    wr_sha256_final(&c, d);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[16] = '\0';
}

void wr_alert_set_labels(wr_alert *a, const char *const *keys, const char *const *values, size_t n)
{
    for (size_t i = 0; i < a->nlabels; i++) {
        free(a->label_keys[i]);
        free(a->label_values[i]);
    }
    free(a->label_keys);
    free(a->label_values);
    a->label_keys = wr_xcalloc(n + 1, sizeof(char *));
    a->label_values = wr_xcalloc(n + 1, sizeof(char *));
    a->nlabels = 0;
    for (size_t i = 0; i < n; i++) {
        /* insertion sort; a repeated key replaces the earlier value */
        size_t j = 0;
        int cmp = 1;
        while (j < a->nlabels && (cmp = strcmp(a->label_keys[j], keys[i])) < 0)
            j++;
        if (j < a->nlabels && cmp == 0) {
            free(a->label_values[j]);
            a->label_values[j] = wr_xstrdup(values[i]);
            continue;
        }
        memmove(&a->label_keys[j + 1], &a->label_keys[j], (a->nlabels - j) * sizeof(char *));
        memmove(&a->label_values[j + 1], &a->label_values[j], (a->nlabels - j) * sizeof(char *));
        a->label_keys[j] = wr_xstrdup(keys[i]);
        a->label_values[j] = wr_xstrdup(values[i]);
        a->nlabels++;
    }
    if (!a->fingerprint) {
        char fp[17];
        wr_alert_fingerprint(a, fp);
        a->fingerprint = wr_xstrdup(fp);
    }
}

const char *wr_alert_severity(const char *word)
{
    static const struct {
        const char *word, *sev;
    } words[] = {
        {"sev1", "SEV1"},        {"sev2", "SEV2"},     {"sev3", "SEV3"},      {"sev4", "SEV4"},
        {"sev5", "SEV5"},        {"critical", "SEV1"}, {"crit", "SEV1"},      {"emergency", "SEV1"},
        {"emerg", "SEV1"},       {"fatal", "SEV1"},    {"page", "SEV1"},      {"p1", "SEV1"},
        {"high", "SEV2"},        {"error", "SEV2"},    {"err", "SEV2"},       {"major", "SEV2"},
        {"alert", "SEV2"},       {"p2", "SEV2"},       {"warning", "SEV3"},   {"warn", "SEV3"},
        {"medium", "SEV3"},      {"moderate", "SEV3"}, {"minor", "SEV3"},     {"p3", "SEV3"},
        {"low", "SEV4"},         {"p4", "SEV4"},       {"info", "SEV5"},      {"informational", "SEV5"},
        {"notice", "SEV5"},      {"none", "SEV5"},     {"debug", "SEV5"},     {"p5", "SEV5"},
    };
    if (!word)
        return NULL;
    for (size_t i = 0; i < WR_ARRAY_LEN(words); i++)
        if (strcasecmp(words[i].word, word) == 0)
            return words[i].sev;
    return NULL;
}

int wr_alert_fingerprint_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 128)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._:/-", *p))
            return 0;
    return 1;
}

/* ---- splitting a stream into documents ---- */

void wr_alert_split_init(wr_alert_splitter *s, wr_alert_doc_fn fn, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->fn = fn;
    s->ctx = ctx;
}

static int only(const char *s, size_t n, char c, int allow_indent)
{
    size_t i = 0;
    if (allow_indent)
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
    if (i >= n || s[i] != c)
        return 0;
    for (i++; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

static void end_line(wr_alert_splitter *s)
{
    s->lineno++;
    const char *l = wr_buf_str(&s->line);
    size_t n = s->line.len;
    if (n && l[n - 1] == '\r')
        n--;
    if (s->multi) {
        if (s->line_too_long || s->doc.len + n + 1 > WR_ALERT_MAX_DOC)
            s->doc_too_big = 1;
        else {
            wr_buf_append(&s->doc, l, n);
            wr_buf_putc(&s->doc, '\n');
        }
        if (!s->line_too_long && only(l, n, '}', 0)) {
            if (s->doc_too_big)
                s->fn(NULL, 0, s->doc_line, "document too large (at most 32 MiB)", s->ctx);
            else
                s->fn(s->doc.s, s->doc.len, s->doc_line, NULL, s->ctx);
            s->multi = 0;
            s->doc_too_big = 0;
            wr_buf_reset(&s->doc);
        }
    } else if (s->line_too_long) {
        s->fn(NULL, 0, s->lineno, "line too long (at most 32 MiB)", s->ctx);
    } else if (only(l, n, '{', 1)) {
        s->multi = 1;
        s->doc_line = s->lineno;
        wr_buf_reset(&s->doc);
        wr_buf_puts(&s->doc, "{\n");
    } else {
        size_t i = 0;
        while (i < n && (l[i] == ' ' || l[i] == '\t'))
            i++;
        if (i < n)
            s->fn(l, n, s->lineno, NULL, s->ctx);
    }
    wr_buf_reset(&s->line);
    s->line_too_long = 0;
}

void wr_alert_split_feed(wr_alert_splitter *s, const char *data, size_t len)
{
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) : len;
        if (!s->line_too_long) {
            if (s->line.len + n > WR_ALERT_MAX_DOC) {
                s->line_too_long = 1;
                wr_buf_reset(&s->line);
            } else {
                wr_buf_append(&s->line, data, n);
            }
        }
        if (!nl)
            break;
        end_line(s);
        data += n + 1;
        len -= n + 1;
    }
}

void wr_alert_split_finish(wr_alert_splitter *s)
{
    if (s->line.len || s->line_too_long)
        end_line(s);
    if (s->multi)
        s->fn(NULL, 0, s->doc_line, "unterminated document: a line holding only '{' starts a pretty-printed "
                                    "document, which must end with a line holding only '}'", s->ctx);
    s->multi = 0;
    wr_buf_free(&s->line);
    wr_buf_free(&s->doc);
}
