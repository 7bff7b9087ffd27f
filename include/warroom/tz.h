/* SPDX-License-Identifier: MIT */
/* tz.h - wall-clock time in IANA time zones ("Europe/Berlin"), from the system tz database.
 *
 * How: the C library does the arithmetic from the TZif files under $TZDIR (default /usr/share/zoneinfo,
 * Debian package `tzdata`). Each call sets TZ=":Zone/Name", calls tzset() and localtime_r(), and puts TZ
 * back as it was before returning, so the rest of warroom (which works in UTC) never sees a changed TZ.
 * Not thread-safe (warroom is single-threaded). A zone is accepted only when its TZif file exists: the C
 * library would silently use UTC for a misspelt name.
 *
 * Converting a wall-clock time to an instant follows RFC 5545 (iCalendar) and Python's fold=0:
 *   - a time that does not exist (skipped by a spring-forward change, e.g. 02:30 on the last Sunday of
 *     March in Europe/Berlin) is read with the UTC offset in force before the change, so it lands after
 *     the gap (02:30 CET = 03:30 CEST);
 *   - a time that exists twice (an autumn change, e.g. 02:30 on the last Sunday of October) is the first
 *     of the two (02:30 CEST, the earlier instant).
 */
#ifndef WARROOM_TZ_H
#define WARROOM_TZ_H

#include <stddef.h>
#include <stdint.h>

/* A wall-clock time, as written: fields in their usual ranges (month 1-12, day 1-31). */
typedef struct wr_civil {
    int year, month, day, hour, min, sec;
} wr_civil;

/* 1 if zone is "UTC" or names a TZif file of the tz database (relative name, no "..", no leading '/'). */
int wr_tz_valid(const char *zone);

/* The wall-clock time at instant ms (UTC milliseconds) in zone: fields, UTC offset in seconds and the
 * abbreviation ("CEST"; abbr may be NULL, else at least 16 bytes). 0 ok, -1 unknown zone or out of range. */
int wr_tz_local(const char *zone, int64_t ms, wr_civil *out, long *gmtoff, char *abbr);

/* The instant (UTC ms) of a wall-clock time in zone, by the rules above. 0 ok, -1 unknown zone or an
 * invalid/out-of-range time. */
int wr_tz_to_utc(const char *zone, const wr_civil *t, int64_t *ms);

/* "2026-03-29 09:00 CEST" (with seconds only when not zero) into buf; "?" for an unknown zone. */
char *wr_tz_format(const char *zone, int64_t ms, char *buf, size_t size);

/* Plain calendar arithmetic (no zone): seconds since 1970-01-01 00:00 of a civil time, and back. These
 * "naive" seconds let rotations add whole days and hours to wall-clock times. */
int64_t wr_civil_to_naive(const wr_civil *t);
void wr_civil_from_naive(int64_t naive, wr_civil *out);
/* 1 if the fields form a real calendar date and time (years 1900..9999). */
int wr_civil_valid(const wr_civil *t);

/* Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or with 'T', optionally followed by "Z" or "+HH:MM" /
 * "-HH:MM". Returns 0 with the fields and *has_offset = 0 for a wall-clock time, or *has_offset = 1 and
 * *offset_s (east of UTC) when an offset was given; -1 if invalid. */
int wr_civil_parse(const char *s, wr_civil *out, int *has_offset, long *offset_s);

#endif
