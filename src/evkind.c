/* SPDX-License-Identifier: MIT */
/* evkind.c - the event kinds' name table (evkind.h). */
#include "warroom/evkind.h"

const char *const wr_evkind_names[WR_EV_COUNT] = {
    "",
#define WR_EV_NAME(id, name) name,
    WR_EVENT_KINDS(WR_EV_NAME)
#undef WR_EV_NAME
};

wr_evkind wr_evkind_of(const char *name)
{
    for (int k = 1; name && k < WR_EV_COUNT; k++)
        if (strcmp(name, wr_evkind_names[k]) == 0)
            return (wr_evkind)k;
    return WR_EV_UNKNOWN;
}
