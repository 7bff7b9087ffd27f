/* SPDX-License-Identifier: MIT */
/* error.c - statuses, their names and exit codes, and filling a wr_error (error.h). */
#include "warroom/error.h"

#include "warroom/util.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const status_names[] = {
    "ok",      "invalid",      "not-found",    "conflict", "busy",    "read-only",         "disk-full",
    "io-error", "corrupt",     "newer-schema", "missing",  "unsafe-filesystem", "phase-gate", "not-allowed",
};

const char *wr_status_name(wr_status s)
{
    return (size_t)s < WR_ARRAY_LEN(status_names) ? status_names[s] : "error";
}

int wr_status_exit_code(wr_status s)
{
    return s == WR_OK ? 0 : (int)s + 1;
}

wr_status wr_error_set(wr_error *err, wr_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = status;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}


int wr_error_took(wr_status st, const wr_error *err, char *buf, unsigned long size)
{
    if (st == WR_OK)
        return 0;
    snprintf(buf, size, "%s", err->msg);
    return 1;
}
