/* SPDX-License-Identifier: MIT */
/* clock.c - injectable clock, ISO-8601 formatting and parsing (UTC). */
#include "warroom/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t fixed_ms = -1;
static int fixed_advance;

int64_t wr_clock_now_ms(void)
{
    if (fixed_ms >= 0)
        return fixed_advance ? fixed_ms++ : fixed_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t wr_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wr_clock_set_fixed(int64_t ms, int advance)
{
    fixed_ms = ms;
    fixed_advance = advance;
}

int wr_clock_init_from_env(void)
{
    const char *v = getenv("WARROOM_CLOCK");
    if (!v || !*v)
        return 0;
    char tmp[64];
    size_t n = strlen(v);
    int advance = 0;
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, v, n + 1);
    if (n && tmp[n - 1] == '+') {
        advance = 1;
        tmp[n - 1] = '\0';
    }
    int64_t ms;
    if (wr_time_parse(tmp, &ms) != 0 || strcmp(tmp, "now") == 0)
        return -1;
    wr_clock_set_fixed(ms, advance);
    return 0;
}

/* Days from civil date (proleptic Gregorian), Howard Hinnant's algorithm: no timezone state involved. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static void split(int64_t ms, int *y, int *mo, int *d, int *h, int *mi, int *s, int *frac)
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    *frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    civil_from_days(days, y, mo, d);
    *h = (int)(rem / 3600);
    *mi = (int)(rem % 3600 / 60);
    *s = (int)(rem % 60);
}

char *wr_time_iso(int64_t ms, char *buf, size_t size)
{
    int y, mo, d, h, mi, s, f;
    split(ms, &y, &mo, &d, &h, &mi, &s, &f);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, s, f);
    return buf;
}

char *wr_time_hms(int64_t ms, char *buf, size_t size)
{
    int y, mo, d, h, mi, s, f;
    split(ms, &y, &mo, &d, &h, &mi, &s, &f);
    snprintf(buf, size, "%02d:%02d:%02d", h, mi, s);
    return buf;
}

char *wr_time_short(int64_t ms, char *buf, size_t size)
{
    int y, mo, d, h, mi, s, f;
    split(ms, &y, &mo, &d, &h, &mi, &s, &f);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
    return buf;
}

char *wr_duration(int64_t ms, char *buf, size_t size)
{
    const char *sign = ms <= -1000 ? "-" : ""; /* no "-0s" for a clock a few ms behind */
    int64_t s = (ms < 0 ? -ms : ms) / 1000;
    if (s < 60)
        snprintf(buf, size, "%s%llds", sign, (long long)s);
    else if (s < 3600)
        snprintf(buf, size, "%s%lldm", sign, (long long)(s / 60));
    else if (s < 86400)
        snprintf(buf, size, "%s%lldh%02lldm", sign, (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(buf, size, "%s%lldd%02lldh", sign, (long long)(s / 86400), (long long)(s % 86400 / 3600));
    return buf;
}

static int num(const char **p, int digits, int *out)
{
    int v = 0;
    for (int i = 0; i < digits; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += digits;
    *out = v;
    return 0;
}

int wr_time_parse(const char *s, int64_t *ms)
{
    if (strcmp(s, "now") == 0) {
        *ms = wr_clock_now_ms();
        return 0;
    }
    if (s[0] == '-' && isdigit((unsigned char)s[1])) {
        char *end;
        long long n = strtoll(s + 1, &end, 10);
        int64_t unit = 0;
        if (strcmp(end, "s") == 0) unit = 1000;
        else if (strcmp(end, "m") == 0) unit = 60000;
        else if (strcmp(end, "h") == 0) unit = 3600000;
        else if (strcmp(end, "d") == 0) unit = 86400000;
        if (!unit || n < 0 || n > 100000000)
            return -1;
        *ms = wr_clock_now_ms() - (int64_t)n * unit;
        return 0;
    }
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (num(&p, 4, &y) || *p++ != '-' || num(&p, 2, &mo) || *p++ != '-' || num(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return -1;
    int64_t offset_min = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (num(&p, 2, &h) || *p++ != ':' || num(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (num(&p, 2, &sec))
                return -1;
            if (*p == '.') {
                p++;
                int digits = 0;
                while (isdigit((unsigned char)*p)) {
                    if (digits < 3)
                        frac = frac * 10 + (*p - '0');
                    digits++;
                    p++;
                }
                if (!digits)
                    return -1;
                for (; digits < 3; digits++)
                    frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return -1;
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (num(&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (num(&p, 2, &om) || oh > 14 || om > 59)
                return -1;
            offset_min = sign * (oh * 60 + om);
        }
    }
    if (*p != '\0')
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    *ms = secs * 1000 + frac;
    return 0;
}
