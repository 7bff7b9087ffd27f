/* SPDX-License-Identifier: MIT */
/* role_history.c - who held which role when, and which roles the incident's severity still needs (reads).
 * Split out of lifecycle.c. */
#include "store_int.h"

#include "warroom/incident.h"
#include "warroom/policy.h"
#include "warroom/role_history.h"

#include <stdlib.h>
#include <string.h>

void wr_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

wr_status wr_roles_missing(wr_store *st, int64_t inc, char ***ids, size_t *n, wr_error *err)
{
    wr_incident i;
    *ids = NULL;
    *n = 0;
    wr_status r = wr_incident_get(st, inc, &i, err);
    if (r != WR_OK)
        return r;
    const wr_severity_def *sev = wr_policy_severity(i.severity);
    int active = wr_inc_status_active(i.state);
    wr_incident_clear(&i);
    if (!sev || !active)
        return WR_OK;
    wr_role_holder *held;
    size_t nheld;
    if ((r = wr_roles_list(st, inc, &held, &nheld, err)) != WR_OK)
        return r;
    char **v = NULL;
    size_t cnt = 0;
    for (size_t k = 0; k < sev->nroles; k++) {
        int found = 0;
        for (size_t j = 0; j < nheld && !found; j++)
            found = strcmp(held[j].role, sev->roles[k]) == 0;
        if (!found) {
            v = wr_xreallocarray(v, cnt + 1, sizeof *v);
            v[cnt++] = wr_xstrdup(sev->roles[k]);
        }
    }
    wr_roles_free(held, nheld);
    *ids = v;
    *n = cnt;
    return WR_OK;
}

wr_status wr_role_history(wr_store *st, int64_t inc, wr_role_span **out, size_t *n, wr_error *err)
{
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT role, holder, assigned_by, coalesce(ended_by, ''), from_at,"
                                     " coalesce(to_at, 0) FROM role_history WHERE incident = ?1 ORDER BY start_seq");
    sqlite3_bind_int64(s, 1, inc);
    wr_role_span *v = NULL;
    size_t cnt = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = wr_xreallocarray(v, cnt + 1, sizeof *v);
        v[cnt].role = wr_st_col_text(s, 0);
        v[cnt].holder = wr_st_col_text(s, 1);
        v[cnt].assigned_by = wr_st_col_text(s, 2);
        v[cnt].ended_by = wr_st_col_text(s, 3);
        v[cnt].from = sqlite3_column_int64(s, 4);
        v[cnt].to = sqlite3_column_int64(s, 5);
        cnt++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        wr_role_history_free(v, cnt);
        return wr_st_read_error(st, rc, err, "reading the role history");
    }
    *out = v;
    *n = cnt;
    return WR_OK;
}

void wr_role_history_free(wr_role_span *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].role);
        free(v[i].holder);
        free(v[i].assigned_by);
        free(v[i].ended_by);
    }
    free(v);
}
