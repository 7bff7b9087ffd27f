/* SPDX-License-Identifier: MIT */
/* runbook_match.c - how well a runbook suits an incident (runbook suggest): its type and affected assets
 * against the runbook's applies_to, a score to rank by and the reason in words. Split out of runbook.c. */
#include "warroom/runbook.h"

#include <string.h>

static int has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

static void list(wr_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wr_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

int wr_runbook_match_why(const wr_runbook *rb, const char *type, const char *const *assets, size_t nassets,
                         const char *severity, wr_buf *why)
{
    if (severity && !has(rb->severities, rb->nseverities, severity))
        return 0;
    int type_ok = type && has(rb->types, rb->ntypes, type);
    size_t common = 0;
    for (size_t i = 0; i < nassets; i++)
        common += has(rb->assets, rb->nassets, assets[i]) != 0;
    /* Applies when the type matches or an asset is in common; an incident with neither recorded takes any. */
    if (!type_ok && !common && (type || nassets))
        return 0;
    long score = (type_ok || (!type && !nassets) ? 1000L : 0) + 100L * (long)common - (long)(rb->ntypes + rb->nassets);
    if (why) {
        if (type_ok)
            wr_buf_printf(why, "type %s matches", type);
        else if (type) {
            wr_buf_printf(why, "type %s does not match (", type);
            list(why, rb->types, rb->ntypes);
            wr_buf_putc(why, ')');
        } else
            wr_buf_puts(why, "no type recorded");
        if (nassets) {
            wr_buf_printf(why, "; %zu of %zu asset kind%s match", common, nassets, nassets == 1 ? "" : "s");
            if (common) {
                wr_buf_puts(why, " (");
                for (size_t i = 0, k = 0; i < nassets; i++)
                    if (has(rb->assets, rb->nassets, assets[i]))
                        wr_buf_printf(why, "%s%s", k++ ? ", " : "", assets[i]);
                wr_buf_putc(why, ')');
            }
        } else {
            wr_buf_puts(why, "; no assets recorded (`warroom asset add KIND NAME` narrows the choice)");
        }
    }
    return score < 1 ? 1 : (int)score;
}

int wr_runbook_match(const wr_runbook *rb, const char *type, const char *const *assets, size_t nassets,
                     const char *severity)
{
    return wr_runbook_match_why(rb, type, assets, nassets, severity, NULL);
}
