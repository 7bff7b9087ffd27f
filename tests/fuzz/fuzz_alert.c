/* fuzz_alert.c - libFuzzer target for alert intake: the stream splitter, the JSON document parser (own shape
 * and Alertmanager) and the noise rules applied to what it accepts. */
#include "warroom/alert.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wr_alert_parser *parser;
static wr_alert_rules *rules;

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
