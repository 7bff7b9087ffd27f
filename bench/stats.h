/* SPDX-License-Identifier: MIT */
/* stats.h - the statistics the benchmarks print, computed one way (header-only: each bench is one program). */
#ifndef WARROOM_BENCH_STATS_H
#define WARROOM_BENCH_STATS_H

#include <stddef.h>

/* The median of n sorted values: the middle one, or the mean of the two middle ones when n is even. */
static inline double bench_median(const double *sorted, size_t n)
{
    if (!n)
        return 0;
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

#endif
