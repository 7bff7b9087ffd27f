/* SPDX-License-Identifier: MIT */
/* clock.h - the injectable wall clock and time formatting.
 *
 * All of warroom asks wr_clock_now_ms() for "now" (UTC milliseconds since the epoch). Tests and demos fix it
 * with wr_clock_set_fixed() or the environment variable WARROOM_CLOCK (an ISO-8601 time, e.g.
 * "2026-03-01T09:00:00Z"; with a trailing "+" it advances 1 ms on every read, so events keep their order).
 */
#ifndef WARROOM_CLOCK_H
#define WARROOM_CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t wr_clock_now_ms(void);
/* Monotonic milliseconds, for timeouts and deadlines (never injected). */
int64_t wr_clock_mono_ms(void);
/* Fix the clock at ms (advance: add 1 ms per read). ms < 0 restores the real clock. */
void wr_clock_set_fixed(int64_t ms, int advance);
/* Read WARROOM_CLOCK from the environment; 0 ok (or unset), -1 if it is set but not a valid time. */
int wr_clock_init_from_env(void);

/* "2026-03-01T09:00:00.000Z" into buf (at least 32 bytes). */
char *wr_time_iso(int64_t ms, char *buf, size_t size);
/* Short local-free forms for screens: "09:00:05" (UTC) and "2026-03-01 09:00" (UTC). */
char *wr_time_hms(int64_t ms, char *buf, size_t size);
char *wr_time_short(int64_t ms, char *buf, size_t size);
/* A duration as "45s", "12m", "3h05m", "2d04h". */
char *wr_duration(int64_t ms, char *buf, size_t size);
/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" (T or space) with optional "Z" or "+HH:MM"/"-HH:MM"
 * (no zone means UTC), or "now", or a relative "-15m"/"-2h"/"-1d" from now. 0 ok, -1 invalid. */
int wr_time_parse(const char *s, int64_t *ms);

#endif
