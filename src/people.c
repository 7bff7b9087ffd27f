/* SPDX-License-Identifier: MIT */
/* people.c - is a name one of ours (see people.h). */
#include "kinds_int.h"

#include "warroom/oncall.h"
#include "warroom/people.h"
#include "warroom/presence.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

static int on_call(const char *name, const char *path)
{
    char *def = path ? NULL : wr_oncall_default_path();
    const char *p = path ? path : def;
    int found = 0;
    if (p) {
        wr_buf err = {0};
        wr_oncall *oc = wr_oncall_load_file(p, &err);
        found = oc && wr_oncall_names(oc, name);
        wr_oncall_free(oc);
        wr_buf_free(&err);
    }
    free(def);
    return found;
}

wr_person wr_person_known(wr_store *st, const char *name, const char *oncall_path)
{
    if (!name || !*name)
        return WR_PERSON_UNKNOWN;
    if (getpwnam(name))
        return WR_PERSON_HOST_USER;
    if (on_call(name, oncall_path))
        return WR_PERSON_ONCALL;
    if (!st)
        return WR_PERSON_UNKNOWN;
    wr_st_read_begin(st);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT EXISTS (SELECT 1 FROM role_history WHERE holder = ?1)"
                                     " OR EXISTS (SELECT 1 FROM events WHERE actor = ?1 OR os_user = ?1)");
    wr_st_bind_text(s, 1, name);
    int seen = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (!seen) { /* someone in the room now (presence lives beside the database, not in it) */
        wr_presence *v;
        size_t n;
        wr_error err = {0};
        if (wr_presence_list(st, 0, &v, &n, &err) == WR_OK) {
            for (size_t i = 0; i < n && !seen; i++)
                seen = strcmp(v[i].actor, name) == 0;
            wr_presence_free(v, n);
        }
    }
    return seen ? WR_PERSON_SEEN : WR_PERSON_UNKNOWN;
}
