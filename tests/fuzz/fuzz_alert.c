/* SPDX-License-Identifier: MIT */
/* fuzz_alert.c - libFuzzer target for alert intake: the stream splitter, the JSON document parser (own shape
 * and Alertmanager), the noise rules applied to what it accepts, and the path a large payload takes (the
 * scanner splits it, each alert is cleaned, parsed alone and cut to the limits). */
#include "warroom/alert.h"
#include "warroom/json_scan.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wr_alert_parser *parser;
static wr_alert_rules *rules;

static void check_trimmed(const wr_alert *a)
{
    if (a->nlabels > WR_ALERT_MAX_LABELS || !a->title || strlen(a->title) > WR_ALERT_TITLE_MAX ||
        (a->description && strlen(a->description) > WR_ALERT_TEXT_MAX) || (a->url && strlen(a->url) > WR_ALERT_URL_MAX))
        abort();
    for (size_t k = 0; k < a->nlabels; k++) {
        size_t n = strlen(a->label_keys[k]);
        if (n == 0 || n > WR_ALERT_NAME_MAX || strlen(a->label_values[k]) > WR_ALERT_VALUE_MAX)
            abort();
        if (k && strcmp(a->label_keys[k - 1], a->label_keys[k]) >= 0)
            abort();
    }
    if (a->notes) { /* a JSON array of strings */
        size_t pos = 0;
        wr_jscan_val v;
        int dirty = 0;
        if (wr_jscan_value(a->notes, strlen(a->notes), &pos, &v, &dirty, NULL) != 0 || v.type != '[' || dirty)
            abort();
    }
}

/* The per-alert path of a payload's "alerts" (alert_intake.c): each element cleaned, parsed, cut. */
static void per_alert(const char *doc, size_t len)
{
    size_t pos = 0;
    wr_jscan_val root, k, v;
    if (wr_jscan_value(doc, len, &pos, &root, NULL, NULL) != 0 || root.type != '{')
        return;
    pos = root.off;
    while (wr_jscan_member(doc, len, &pos, &k, &v, NULL) == 1) {
        if (!wr_jscan_is(doc, &k, "alerts") || v.type != '[')
            continue;
        size_t p = v.off, idx = 0;
        wr_jscan_val e;
        while (wr_jscan_element(doc, len, &p, &e, NULL) == 1) {
            wr_buf clean = {0}, why = {0};
            wr_json_fixes fx = {0};
            wr_json_clean(doc + e.off, e.len, &clean, &fx);
            if (memchr(wr_buf_str(&clean), '\0', clean.len))
                abort(); /* cleaning leaves no NUL for SQLite to stop at */
            wr_alert a = {0};
            if (wr_alert_parse_am_alert(parser, wr_buf_str(&clean), "fuzz", idx++, &a, &why) == 0) {
                if (why.len || !a.fingerprint || !wr_alert_fingerprint_valid(a.fingerprint))
                    abort();
                char *fp = wr_xstrdup(a.fingerprint);
                wr_alert_rules_apply(rules, &a, NULL);
                wr_alert_trim(&a);
                if (strcmp(fp, a.fingerprint) != 0)
                    abort(); /* cutting never changes who the alert is */
                free(fp);
                check_trimmed(&a);
            } else if (!why.len) {
                abort();
            }
            wr_alert_clear(&a);
            wr_buf_free(&clean);
            wr_buf_free(&why);
        }
    }
}

static void on_doc(const char *doc, size_t len, long line, const char *error, void *ctx)
{
    (void)ctx;
    if (line < 1)
        abort();
    if (error) {
        if (doc || !*error)
            abort();
        return;
    }
    per_alert(doc, len);
    wr_alert_batch b;
    wr_buf why = {0};
    int rc = wr_alert_parse(parser, doc, len, (line & 1) ? "fuzz" : NULL, &b, &why);
    if (rc == 0) {
        if (why.len)
            abort();
        for (size_t i = 0; i < b.n; i++) {
            wr_alert *a = &b.v[i];
            if (!a->fingerprint || !wr_alert_fingerprint_valid(a->fingerprint) || !a->title ||
                strlen(a->title) > WR_ALERT_TITLE_MAX || !a->severity || strlen(a->severity) != 4 || !a->status ||
                !a->annotations)
                abort();
            for (size_t k = 1; k < a->nlabels; k++)
                if (strcmp(a->label_keys[k - 1], a->label_keys[k]) >= 0)
                    abort(); /* sorted and unique */
            char *j = wr_alert_labels_json(a);
            free(j);
            wr_alert_rules_apply(rules, a, NULL);
        }
        wr_alert_batch_free(&b);
    } else if (rc != -1 || !why.len || b.n) {
        abort();
    }
    wr_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!parser) {
        parser = wr_alert_parser_new();
        static const char y[] = "rules:\n"
                                "  - {name: drop-staging, match: {env: staging}, action: drop}\n"
                                "  - {name: re, match_re: {alertname: \"(Kube|Node).*\", pod: \".*-[0-9]+\"},"
                                " action: lower, severity: SEV4}\n"
                                "  - {name: src, source: fuzz, action: lower, severity: SEV5}\n";
        wr_buf err = {0};
        rules = wr_alert_rules_load_mem("rules", y, sizeof y - 1, &err);
        if (!rules)
            abort();
        wr_buf_free(&err);
    }
    wr_alert_splitter s;
    wr_alert_split_init(&s, on_doc, NULL);
    /* Feed in two uneven chunks so the splitter's carry-over is exercised. */
    size_t cut = size ? data[0] % (size + 1) : 0;
    wr_alert_split_feed(&s, (const char *)data, cut);
    wr_alert_split_feed(&s, (const char *)data + cut, size - cut);
    wr_alert_split_finish(&s);
    return 0;
}
