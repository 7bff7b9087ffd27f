/* SPDX-License-Identifier: MIT */
/* policy_check.c - who may do what, checked by the store inside the write transaction (see policy.h): the
 * holders of the roles an act needs are read in the same transaction that applies it. */
#include "kinds_int.h"

#include "warroom/policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "the incident commander" from a role id. */
static void role_words(wr_buf *out, const char *id)
{
    const wr_role_def *d = wr_role_find(id);
    const char *t = d ? d->title : id;
    wr_buf_puts(out, "the ");
    wr_buf_putc(out, (char)(isupper((unsigned char)t[0]) && !isupper((unsigned char)t[1]) ? tolower((unsigned char)t[0])
                                                                                           : t[0]));
    if (*t)
        wr_buf_puts(out, t + 1);
}

wr_status wr_policy_check(wr_store *st, wr_write *w, wr_act act, int forceable, wr_error *err)
{
    /* Acts of people only (not drills, alerts, replays of the log), and never when rebuilding the state:
     * an event in the log was allowed when it was written. */
    if (st->rebuilding || !w->source || (strcmp(w->source, "cli") != 0 && strcmp(w->source, "tui") != 0))
        return WR_OK;
    size_t n;
    const char *const *may = wr_policy_may(act, &n);
    if (!n)
        return WR_OK;
    int held = 0, mine = 0;
    wr_buf who = {0}, roles = {0};
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT holder FROM roles WHERE incident = ?1 AND role = ?2 ORDER BY since");
    for (size_t i = 0; i < n; i++) {
        if (i)
            wr_buf_puts(&roles, i + 1 == n ? " or " : ", ");
        role_words(&roles, may[i]);
        const wr_role_def *d = wr_role_find(may[i]);
        wr_buf_printf(&who, "%s%s: ", i ? "; " : "", d ? d->title : may[i]);
        sqlite3_bind_int64(s, 1, w->incident);
        wr_st_bind_text(s, 2, may[i]);
        int k = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *h = (const char *)sqlite3_column_text(s, 0);
            wr_buf_printf(&who, "%s%s", k++ ? ", " : "", h);
            held = 1;
            if ((w->actor && strcmp(h, w->actor) == 0) || (w->os_user && strcmp(h, w->os_user) == 0))
                mine = 1;
        }
        if (!k)
            wr_buf_puts(&who, "nobody");
        sqlite3_reset(s);
    }
    wr_status r = WR_OK;
    char *reason = wr_st_json_get(st, w->payload, "$.reason");
    int forced = wr_st_json_int(st, w->payload, "$.override", 0) && reason && *reason;
    if (mine || !held) {
        /* allowed; nobody holding any of the roles opens the act to anyone */
    } else if (forceable && forced) {
        wr_st_payload_set(st, w, "$.forced", wr_act_names[act]); /* an emergency: recorded as forced */
    } else {
        char you[200];
        if (w->os_user && w->actor && strcmp(w->os_user, w->actor) != 0)
            snprintf(you, sizeof you, "%s (user %s)", w->actor, w->os_user);
        else
            snprintf(you, sizeof you, "%s", w->actor ? w->actor : "?");
        r = wr_error_set(err, WR_E_DENIED, "only %s may %s INC-%lld (%s); you are %s: ask them%s",
                         wr_buf_str(&roles), wr_act_text(act), (long long)w->incident, wr_buf_str(&who), you,
                         forceable ? ", or in an emergency add --force --reason TEXT (recorded as forced by you)"
                                   : " (the policy in the config file says who may)");
    }
    free(reason);
    wr_buf_free(&who);
    wr_buf_free(&roles);
    return r;
}
