/* SPDX-License-Identifier: MIT */
/* tz.c - wall-clock time in IANA zones through the C library, with TZ restored after every call. */
#include "warroom/tz.h"

#include "warroom/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- calendar arithmetic (proleptic Gregorian, no zone) ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t wr_civil_to_naive(const wr_civil *t)
{
    return days_from_civil(t->year, t->month, t->day) * 86400 + (int64_t)t->hour * 3600 + t->min * 60 + t->sec;
}

void wr_civil_from_naive(int64_t naive, wr_civil *out)
{
    int64_t days = floor_div(naive, 86400);
    int64_t rem = naive - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(rem / 3600);
    out->min = (int)(rem % 3600 / 60);
    out->sec = (int)(rem % 60);
}

int wr_civil_valid(const wr_civil *t)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (t->year < 1900 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1)
        return 0;
    int leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
    if (t->day > mdays[t->month - 1] || (t->month == 2 && t->day == 29 && !leap))
        return 0;
    return t->hour >= 0 && t->hour <= 23 && t->min >= 0 && t->min <= 59 && t->sec >= 0 && t->sec <= 59;
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int wr_civil_parse(const char *s, wr_civil *out, int *has_offset, long *offset_s)
{
    wr_civil t = {0};
    const char *p = s;
    *has_offset = 0;
    *offset_s = 0;
    if (digits(&p, 4, &t.year) || *p++ != '-' || digits(&p, 2, &t.month) || *p++ != '-' ||
        digits(&p, 2, &t.day))
        return -1;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(&p, 2, &t.hour) || *p++ != ':' || digits(&p, 2, &t.min))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &t.sec))
                return -1;
        }
        if (*p == 'Z') {
            p++;
            *has_offset = 1;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 14 || om > 59)
                return -1;
            *has_offset = 1;
            *offset_s = sign * (oh * 3600L + om * 60L);
        }
    }
    if (*p || !wr_civil_valid(&t))
        return -1;
    *out = t;
    return 0;
}

/* ---- zones ---- */

static const char *tzdir(void)
{
    const char *d = getenv("TZDIR");
    return d && *d ? d : "/usr/share/zoneinfo";
}

static int is_utc(const char *zone)
{
    return strcmp(zone, "UTC") == 0;
}

int wr_tz_valid(const char *zone)
{
    /* The last zone found valid, to spare a stat() on every conversion of a rotation. */
    static char last[256];
    if (!zone || !*zone || strlen(zone) > 200 || zone[0] == '/')
        return 0;
    if (is_utc(zone) || strcmp(zone, last) == 0)
        return 1;
    for (const char *p = zone; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return 0;
        if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
            return 0;
    }
    char *path = wr_xasprintf("%s/%s", tzdir(), zone);
    struct stat sb;
    int ok = 0;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "rb");
        char magic[4];
        if (f) {
            ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
            fclose(f);
        }
    }
    free(path);
    if (ok)
        snprintf(last, sizeof last, "%s", zone);
    return ok;
}

/* Switch TZ to zone; returns the previous value (malloc'd) or NULL when TZ was unset. */
typedef struct tz_saved {
    char *old;
    int had;
} tz_saved;

static tz_saved tz_enter(const char *zone)
{
    tz_saved s = {0};
    const char *old = getenv("TZ");
    if (old) {
        s.old = wr_xstrdup(old);
        s.had = 1;
    }
    char *v = wr_xasprintf(":%s", zone);
    setenv("TZ", v, 1);
    free(v);
    tzset();
    return s;
}

static void tz_leave(tz_saved *s)
{
    if (s->had)
        setenv("TZ", s->old, 1);
    else
        unsetenv("TZ");
    tzset();
    free(s->old);
}

/* localtime in the current TZ. 0 ok. */
static int local_now(int64_t secs, struct tm *tm)
{
    time_t t = (time_t)secs;
    return localtime_r(&t, tm) ? 0 : -1;
}

#define MAX_SECS 253402300799LL /* 9999-12-31T23:59:59Z */
#define MIN_SECS -2208988800LL  /* 1900-01-01T00:00:00Z */

int wr_tz_local(const char *zone, int64_t ms, wr_civil *out, long *gmtoff, char *abbr)
{
    int64_t secs = floor_div(ms, 1000);
    if (!zone || secs < MIN_SECS + 86400 || secs > MAX_SECS - 86400 || !wr_tz_valid(zone))
        return -1;
    if (is_utc(zone)) {
        wr_civil_from_naive(secs, out);
        if (gmtoff)
            *gmtoff = 0;
        if (abbr)
            snprintf(abbr, 16, "UTC");
        return 0;
    }
    tz_saved s = tz_enter(zone);
    struct tm tm;
    int rc = local_now(secs, &tm);
    tz_leave(&s);
    if (rc != 0)
        return -1;
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->min = tm.tm_min;
    out->sec = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    if (gmtoff)
        *gmtoff = tm.tm_gmtoff;
    if (abbr)
        snprintf(abbr, 16, "%s", tm.tm_zone ? tm.tm_zone : "");
    return 0;
}

/* UTC offset at instant secs in the current TZ. */
static long offset_at(int64_t secs)
{
    struct tm tm;
    return local_now(secs, &tm) == 0 ? tm.tm_gmtoff : 0;
}

int wr_tz_to_utc(const char *zone, const wr_civil *t, int64_t *ms)
{
    if (!zone || !wr_civil_valid(t) || !wr_tz_valid(zone))
        return -1;
    int64_t naive = wr_civil_to_naive(t);
    if (naive < MIN_SECS + 2 * 86400 || naive > MAX_SECS - 2 * 86400)
        return -1;
    if (is_utc(zone)) {
        *ms = naive * 1000;
        return 0;
    }
    tz_saved s = tz_enter(zone);
    /* The answer u satisfies u + offset(u) = naive. Offsets in force within a day either side are the only
     * candidates (no zone has changed its offset twice within two days). */
    long before = offset_at(naive - 86400), mid = offset_at(naive), after = offset_at(naive + 86400);
    long cand[3] = {before, mid, after};
    int found = 0;
    int64_t best = 0;
    for (int i = 0; i < 3; i++) {
        int64_t u = naive - cand[i];
        if (offset_at(u) == cand[i] && (!found || u < best)) {
            best = u; /* in an overlap both fit: keep the earlier instant */
            found = 1;
        }
    }
    if (!found)
        best = naive - before; /* in a gap: the offset in force before the change */
    tz_leave(&s);
    *ms = best * 1000;
    return 0;
}

char *wr_tz_format(const char *zone, int64_t ms, char *buf, size_t size)
{
    wr_civil c;
    char abbr[16];
    if (wr_tz_local(zone, ms, &c, NULL, abbr) != 0) {
        snprintf(buf, size, "?");
        return buf;
    }
    if (c.sec)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d %s", c.year, c.month, c.day, c.hour, c.min, c.sec, abbr);
    else
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d %s", c.year, c.month, c.day, c.hour, c.min, abbr);
    return buf;
}
