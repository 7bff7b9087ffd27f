/* SPDX-License-Identifier: MIT */
/* fmt.c - formatting helpers of the console (see fmt.h). */
#include "warroom/fmt.h"

#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wr_fmt_cell(wr_buf *out, const char *raw, size_t cols, int right_align)
{
    if (!raw)
        raw = "";
    if (!right_align) {
        size_t w = wr_text_fit(out, raw, strlen(raw), cols, 1, WR_TEXT_ONELINE);
        for (; w < cols; w++)
            wr_buf_putc(out, ' ');
        return;
    }
    wr_buf tmp = {0};
    size_t w = wr_text_fit(&tmp, raw, strlen(raw), cols, 1, WR_TEXT_ONELINE);
    for (; w < cols; w++)
        wr_buf_putc(out, ' ');
    wr_buf_append(out, wr_buf_str(&tmp), tmp.len);
    wr_buf_free(&tmp);
}

int64_t wr_fmt_duration_next(int64_t e)
{
    if (e < 0)
        return 1000;
    int64_t s = e / 1000, next;
    if (s < 60)
        next = (s + 1) * 1000;
    else if (s < 86400)
        next = (s / 60 + 1) * 60000;
    else
        next = (s / 3600 + 1) * 3600000;
    return next - e;
}

const char *wr_fmt_step_marker(const char *state)
{
    static const struct {
        const char *state, *marker;
    } m[] = {{"todo", "[ ]"}, {"in-progress", "[~]"}, {"done", "[x]"}, {"skipped", "[-]"}, {"blocked", "[!]"}};
    for (size_t i = 0; state && i < WR_ARRAY_LEN(m); i++)
        if (strcmp(state, m[i].state) == 0)
            return m[i].marker;
    return "[?]";
}

const char *wr_fmt_tick_action(const char *state)
{
    return state && strcmp(state, "done") == 0 ? "todo" : "done";
}

char *wr_fmt_gate_question(const char *status, int open, char *buf, size_t size)
{
    if (open > 0)
        snprintf(buf, size, "Leave %s with %d mandatory step%s open? Reason: ", status, open, open == 1 ? "" : "s");
    else
        snprintf(buf, size, "Leave %s with mandatory steps open? Reason: ", status);
    return buf;
}

int wr_fmt_gate_count(const char *msg)
{
    const char *p = msg ? strstr(msg, " has ") : NULL;
    if (!p)
        return 0;
    char *end;
    long n = strtol(p + 5, &end, 10);
    if (end == p + 5 || strncmp(end, " mandatory", 10) != 0 || n < 0 || n > 1000000)
        return 0;
    return (int)n;
}

char *wr_fmt_gate_steps(const char *msg, char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    const char *p = msg ? strstr(msg, " or before (") : NULL;
    if (!p || !size)
        return buf;
    p += strlen(" or before (");
    const char *end = strstr(p, "): ");
    if (!end)
        end = strrchr(p, ')');
    if (!end)
        return buf;
    size_t n = (size_t)(end - p);
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}
