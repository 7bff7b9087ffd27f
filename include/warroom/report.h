/* SPDX-License-Identifier: MIT */
/* report.h - the response-metrics report across incidents (`warroom report`): medians and 90th percentiles
 * of the lifecycle metrics, for all incidents, by severity and by type. */
#ifndef WARROOM_REPORT_H
#define WARROOM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/lifecycle.h"
#include "warroom/store.h"
#include "warroom/util.h"

typedef struct wr_stat {
    size_t n;          /* incidents that had this metric */
    int64_t median_ms; /* meaningless when n == 0 */
    int64_t p90_ms;
} wr_stat;

typedef struct wr_report_group {
    char *key;         /* "all", "SEV1", a type ("" typed incidents: "(none)") */
    size_t count;      /* incidents in the group */
    wr_stat m[WR_MET_COUNT];
} wr_report_group;

typedef struct wr_report {
    int64_t since;     /* 0: from the beginning */
    int drills;        /* drills were counted */
    size_t left_out_drills, left_out_merged;
    size_t left_out_declined, left_out_cancelled; /* not incidents after all / not worked to the end */
    wr_report_group all;
    wr_report_group *by_severity; /* SEV1..SEV5 that have incidents, in order */
    size_t nseverity;
    wr_report_group *by_type;     /* sorted by type */
    size_t ntype;
} wr_report;

/* Incidents declared at or after since (0: all), drills only when drills is set; declined (not an incident),
 * cancelled (not worked to its end) and merged (a duplicate of another) ones are counted apart, never in the
 * metrics. */
wr_status wr_report_build(wr_store *st, int64_t since, int drills, wr_report *out, wr_error *err);
void wr_report_free(wr_report *r);
void wr_report_text(const wr_report *r, wr_buf *out);
void wr_report_json(const wr_report *r, wr_buf *out);

/* The p-th percentile (0..100) of v[0..n) by linear interpolation between closest ranks (so the median of
 * an even count is the mean of the middle two). Sorts v. n must be > 0. */
int64_t wr_percentile(int64_t *v, size_t n, double p);

#endif
