/* SPDX-License-Identifier: MIT */
/* report.c - the response-metrics report across incidents: medians and 90th percentiles of each metric, for
 * all incidents, by severity and by type (text or JSON). Split out of postmortem.c. */
#include "warroom/report.h"

#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int64_t wr_percentile(int64_t *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp64);
    if (n == 1)
        return v[0];
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)rank;
    if (lo >= n - 1)
        return v[n - 1];
    double frac = rank - (double)lo;
    double x = (double)v[lo] + frac * (double)(v[lo + 1] - v[lo]);
    return (int64_t)(x + (x >= 0 ? 0.5 : -0.5));
}

typedef struct sample {
    char *severity, *type;
    int64_t met[WR_MET_COUNT];
} sample;

static void group_fill(wr_report_group *g, const char *key, const sample *v, size_t n, int by /* 0 all, 1 sev, 2 type */)
{
    memset(g, 0, sizeof *g);
    g->key = wr_xstrdup(key);
    int64_t *vals = wr_xcalloc(n ? n : 1, sizeof *vals);
    for (int m = 0; m < WR_MET_COUNT; m++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const char *gk = by == 1 ? v[i].severity : by == 2 ? v[i].type : key;
            if (strcmp(gk, key) != 0)
                continue;
            if (m == 0)
                g->count++;
            if (v[i].met[m] >= 0)
                vals[k++] = v[i].met[m];
        }
        g->m[m].n = k;
        if (k) {
            g->m[m].median_ms = wr_percentile(vals, k, 50);
            g->m[m].p90_ms = wr_percentile(vals, k, 90);
        }
    }
    free(vals);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

wr_status wr_report_build(wr_store *st, int64_t since, int drills, wr_report *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    out->since = since;
    out->drills = drills;
    wr_incident *inc;
    size_t n;
    wr_status r = wr_incident_list(st, 0, &inc, &n, err);
    if (r != WR_OK)
        return r;
    sample *v = wr_xcalloc(n ? n : 1, sizeof *v);
    size_t ns = 0;
    for (size_t i = 0; i < n && r == WR_OK; i++) {
        if (inc[i].declared_at < since)
            continue;
        if (wr_incident_kind_is_drill(inc[i].kind) && !drills) {
            out->left_out_drills++;
            continue;
        }
        if (inc[i].state == WR_INC_MERGED || inc[i].state == WR_INC_DECLINED || inc[i].state == WR_INC_CANCELLED) {
            size_t *k = inc[i].state == WR_INC_MERGED     ? &out->left_out_merged
                        : inc[i].state == WR_INC_DECLINED ? &out->left_out_declined
                                                          : &out->left_out_cancelled;
            (*k)++;
            continue;
        }
        wr_milestones m;
        if ((r = wr_milestones_get(st, inc[i].id, &m, err)) != WR_OK)
            break;
        v[ns].severity = inc[i].severity;
        v[ns].type = *inc[i].type ? inc[i].type : "(none)";
        wr_metrics_compute(&m, v[ns].met);
        ns++;
    }
    if (r == WR_OK) {
        group_fill(&out->all, "all", v, ns, 0);
        for (int s = 0; s < WR_SEV_COUNT; s++) {
            size_t c = 0;
            for (size_t i = 0; i < ns; i++)
                c += strcmp(v[i].severity, wr_severities[s]) == 0;
            if (!c)
                continue;
            out->by_severity = wr_xreallocarray(out->by_severity, out->nseverity + 1, sizeof *out->by_severity);
            group_fill(&out->by_severity[out->nseverity++], wr_severities[s], v, ns, 1);
        }
        char **types = wr_xcalloc(ns ? ns : 1, sizeof *types);
        size_t nt = 0;
        for (size_t i = 0; i < ns; i++) {
            size_t k;
            for (k = 0; k < nt && strcmp(types[k], v[i].type) != 0; k++)
                ;
            if (k == nt)
                types[nt++] = v[i].type;
        }
        qsort(types, nt, sizeof *types, cmpstr);
        out->by_type = wr_xcalloc(nt ? nt : 1, sizeof *out->by_type);
        for (size_t k = 0; k < nt; k++)
            group_fill(&out->by_type[k], types[k], v, ns, 2);
        out->ntype = nt;
        free(types);
    }
    free(v);
    wr_incidents_free(inc, n);
    if (r != WR_OK)
        wr_report_free(out);
    return r;
}

void wr_report_free(wr_report *r)
{
    free(r->all.key);
    for (size_t i = 0; i < r->nseverity; i++)
        free(r->by_severity[i].key);
    for (size_t i = 0; i < r->ntype; i++)
        free(r->by_type[i].key);
    free(r->by_severity);
    free(r->by_type);
    memset(r, 0, sizeof *r);
}

static void text_group(wr_buf *o, const char *label, const wr_report_group *g)
{
    size_t w = wr_text_fit(o, label, strlen(label), 24, 1, 0);
    for (; w < 24; w++)
        wr_buf_putc(o, ' ');
    wr_buf_printf(o, " %5zu", g->count);
    for (int m = 0; m < WR_MET_COUNT; m++) {
        char a[32], b[32], cell[80];
        if (g->m[m].n)
            snprintf(cell, sizeof cell, "%s/%s", wr_lifecycle_duration(g->m[m].median_ms, a, sizeof a),
                     wr_lifecycle_duration(g->m[m].p90_ms, b, sizeof b));
        else
            snprintf(cell, sizeof cell, "-");
        wr_buf_printf(o, "  %-15s", cell);
    }
    while (o->len && o->s[o->len - 1] == ' ')
        o->s[--o->len] = '\0';
    wr_buf_putc(o, '\n');
}

void wr_report_text(const wr_report *r, wr_buf *o)
{
    char t[40];
    if (r->since)
        wr_buf_printf(o, "incidents declared since %s: %zu", wr_lifecycle_time(r->since, t, sizeof t), r->all.count);
    else
        wr_buf_printf(o, "incidents: %zu", r->all.count);
    if (r->since)
        wr_buf_puts(o, " (UTC)");
    if (r->left_out_drills)
        wr_buf_printf(o, "; %zu drill%s left out (--drills counts them)", r->left_out_drills,
                      r->left_out_drills == 1 ? "" : "s");
    else if (r->drills)
        wr_buf_puts(o, "; drills counted");
    if (r->left_out_declined || r->left_out_cancelled || r->left_out_merged) {
        /* Not real incidents (or not worked to their end): counted apart, never in the metrics. */
        const char *sep = "";
        wr_buf_puts(o, "; not counted: ");
        if (r->left_out_declined) {
            wr_buf_printf(o, "%zu declined", r->left_out_declined);
            sep = ", ";
        }
        if (r->left_out_cancelled) {
            wr_buf_printf(o, "%s%zu cancelled", sep, r->left_out_cancelled);
            sep = ", ";
        }
        if (r->left_out_merged)
            wr_buf_printf(o, "%s%zu merged", sep, r->left_out_merged);
    }
    wr_buf_printf(o, "\n%-24s %5s", "median/p90", "count");
    for (int m = 0; m < WR_MET_COUNT; m++)
        wr_buf_printf(o, "  %-15s", wr_metric_keys[m]);
    while (o->len && o->s[o->len - 1] == ' ')
        o->s[--o->len] = '\0';
    wr_buf_putc(o, '\n');
    text_group(o, "all", &r->all);
    for (size_t i = 0; i < r->nseverity; i++)
        text_group(o, r->by_severity[i].key, &r->by_severity[i]);
    for (size_t i = 0; i < r->ntype; i++) {
        char label[80];
        snprintf(label, sizeof label, "type %s", r->by_type[i].key);
        text_group(o, label, &r->by_type[i]);
    }
}

static void json_group(wr_buf *o, const wr_report_group *g)
{
    wr_buf_putc(o, '{');
    wr_json_kv_str(o, "key", g->key);
    wr_json_kv_int(o, "count", (long long)g->count);
    for (int m = 0; m < WR_MET_COUNT; m++) {
        wr_json_key(o, wr_metric_keys[m]);
        wr_buf_printf(o, "{\"n\":%zu", g->m[m].n);
        if (g->m[m].n)
            wr_buf_printf(o, ",\"median_seconds\":%lld,\"p90_seconds\":%lld}",
                          (long long)((g->m[m].median_ms + 500) / 1000), (long long)((g->m[m].p90_ms + 500) / 1000));
        else
            wr_buf_puts(o, ",\"median_seconds\":null,\"p90_seconds\":null}");
    }
    wr_buf_putc(o, '}');
}

void wr_report_json(const wr_report *r, wr_buf *o)
{
    char t[40];
    wr_buf_putc(o, '{');
    wr_json_key(o, "since");
    if (r->since)
        wr_json_str(o, wr_time_iso(r->since, t, sizeof t));
    else
        wr_buf_puts(o, "null");
    wr_json_key(o, "drills_counted");
    wr_buf_puts(o, r->drills ? "true" : "false");
    wr_json_kv_int(o, "drills_left_out", (long long)r->left_out_drills);
    wr_json_kv_int(o, "merged_left_out", (long long)r->left_out_merged);
    wr_json_kv_int(o, "declined_left_out", (long long)r->left_out_declined);
    wr_json_kv_int(o, "cancelled_left_out", (long long)r->left_out_cancelled);
    wr_json_key(o, "all");
    json_group(o, &r->all);
    wr_json_key(o, "by_severity");
    wr_buf_putc(o, '[');
    for (size_t i = 0; i < r->nseverity; i++) {
        if (i)
            wr_buf_putc(o, ',');
        json_group(o, &r->by_severity[i]);
    }
    wr_buf_putc(o, ']');
    wr_json_key(o, "by_type");
    wr_buf_putc(o, '[');
    for (size_t i = 0; i < r->ntype; i++) {
        if (i)
            wr_buf_putc(o, ',');
        json_group(o, &r->by_type[i]);
    }
    wr_buf_puts(o, "]}");
}
