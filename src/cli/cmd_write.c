/* SPDX-License-Identifier: MIT */
/* cmd_write.c - the write acts of the war room itself: declare, note, set (severity, status), assign and
 * unassign, pin and unpin. */
#include "cmd_int.h"

#include "warroom/complete.h"
#include "warroom/lifecycle.h"
#include "warroom/people.h"
#include "warroom/runbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An incident type close to a known one but not one of them (the runbooks' types and those incidents already
 * have) is taken for a typo: refused with the suggestion, unless --new-type says it is meant. A type unlike
 * every known one is a new type and taken as given. */
static int check_type(wr_args *a, const char *type)
{
    wr_cmdctx *c = a->c;
    if (!type || !*type || wr_args_has(a, "--new-type"))
        return 0;
    wr_rb_set set = {0};
    wr_buf err = {0};
    wr_rb_set_load_dirs(&set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, &err);
    char **v = NULL;
    size_t n = 0;
    wr_complete_types(c->store, &set, "", &v, &n);
    int known = 0;
    for (size_t i = 0; i < n && !known; i++)
        known = strcmp(v[i], type) == 0;
    const char *near = known ? NULL : wr_suggest(type, (const char *const *)v, n);
    int r = 0;
    if (near) {
        wr_buf list = {0};
        for (size_t i = 0; i < n; i++)
            wr_buf_printf(&list, "%s%s", i ? ", " : "", v[i]);
        r = wr_args_usage(a, "\"%s\" is not a known incident type (did you mean %s?); known types: %s; "
                             "--new-type declares it as a new type", type, near, wr_buf_str(&list));
        wr_buf_free(&list);
    }
    wr_complete_free(v, n);
    wr_rb_set_free(&set);
    wr_buf_free(&err);
    return r;
}

int wr_cmd_declare(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *sev = wr_args_get(a, "--severity"), *type = wr_args_get(a, "--type");
    const char *started_s = wr_args_get(a, "--started"), *detected_s = wr_args_get(a, "--detected");
    int64_t started = 0, detected = 0;
    if (started_s && wr_lifecycle_time_parse(started_s, &started) != 0)
        return wr_args_usage(a, "--started \"%s\" is not a time (2026-03-01T08:30Z, 08:30 or -2h)", started_s);
    if (detected_s && wr_lifecycle_time_parse(detected_s, &detected) != 0)
        return wr_args_usage(a, "--detected \"%s\" is not a time (2026-03-01T08:50Z, 08:50 or -1h)", detected_s);
    int drill = wr_args_has(a, "--drill");
    int r;
    if (a->argc < 1)
        return wr_args_usage(a, "give the incident a title");
    if ((r = check_type(a, type)) != 0)
        return r;
    char *title = wr_args_join(a->argc, a->argv);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_declare_at(&o, title, sev, type, drill ? "drill" : "real", started, detected, &w, &err);
    free(title);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    int64_t seq = 0, id = 0;
    r = wr_args_submit(a, &w, &seq, &id);
    if (r == 0 && !c->submit) {
        if (c->json)
            wr_args_ok_line(c, id, seq, "declared");
        else
            wr_buf_printf(&c->out, "INC-%lld declared (%s%s)\n", (long long)id, sev ? sev : "SEV3",
                          drill ? ", drill" : "");
    }
    return r;
}

int wr_cmd_note(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *tag = wr_args_get(a, "--tag");
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 1, &inc)) != 0)
        return r;
    if (a->argc < 1)
        return wr_args_usage(a, "write the note's text");
    char *text = wr_args_join(a->argc, a->argv);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_note_tagged(&o, inc, text, tag, &w, &err);
    free(text);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    int64_t seq = 0;
    if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
        wr_args_ok_line(c, inc, seq, "noted");
    return r;
}

static int do_set(wr_args *a, const char *field)
{
    wr_cmdctx *c = a->c;
    const char *reason = wr_args_get(a, "--reason"), *expect = wr_args_get(a, "--expect");
    int is_status = field && strcmp(field, "status") == 0;
    const char *into_s = is_status ? wr_args_get(a, "--into") : NULL;
    int64_t into = 0;
    if (into_s && wr_incident_parse_ref(into_s, &into) != 0)
        return wr_args_usage(a, "--into \"%s\" is not an incident: write it as INC-42", into_s);
    int force = wr_args_has(a, "--force");
    int r;
    int64_t inc;
    int need = field ? 1 : 2;
    if ((r = wr_args_incident(a, need, &inc)) != 0)
        return r;
    if (a->argc < need)
        return wr_args_usage(a, field ? "give the new %s" : "give a field and its new value%s", field ? field : "");
    if (!field) {
        field = a->argv[0];
        wr_args_drop(a, 0, 1);
    }
    char *value = wr_args_join(a->argc, a->argv);
    if (strcmp(field, "type") == 0 && (r = check_type(a, value)) != 0) {
        free(value);
        return r;
    }
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error err = {0};
    wr_status s = is_status ? wr_op_status(&o, inc, value, into, reason, force, &w, &err)
                            : wr_op_set(&o, inc, field, value, reason, 0, force, &w, &err);
    if (s == WR_OK) /* intent: the value as the operator saw it (--expect, or the console's screen) */
        wr_op_expect(&w, wr_args_expect_field(c, inc, field, expect));
    if ((r = wr_args_prepared(a, s, &err)) == 0) {
        int64_t seq = 0;
        char what[300];
        if (into)
            snprintf(what, sizeof what, "merged into INC-%lld", (long long)into);
        else
            snprintf(what, sizeof what, "%s set", field);
        if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
            wr_args_ok_line(c, inc, seq, what);
    }
    free(value);
    return r;
}

int wr_cmd_set(wr_args *a)
{
    return do_set(a, NULL);
}

int wr_cmd_severity(wr_args *a)
{
    return do_set(a, "severity");
}

int wr_cmd_status(wr_args *a)
{
    return do_set(a, "status");
}

static int do_assign(wr_args *a, int remove)
{
    const char *expect = remove ? NULL : wr_args_get(a, "--expect"), *reason = wr_args_get(a, "--reason");
    int force = wr_args_has(a, "--force"), new_user = !remove && wr_args_has(a, "--new-user");
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 2, &inc)) != 0)
        return r;
    if (a->argc != 2)
        return wr_args_usage(a, "give a role and an operator");
    if (force && (!reason || !*reason))
        return wr_args_usage(a, "forcing a role change past the policy needs a reason: add --reason TEXT");
    wr_opctx o = wr_args_opctx(a->c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_assign(&o, inc, a->argv[0], a->argv[1], remove, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    if (force)
        wr_op_force(&w, reason);
    if (!remove) /* intent: who held the role when the operator looked */
        wr_op_expect(&w, wr_args_expect_holder(a->c, inc, a->argv[0], expect));
    if (!remove && !new_user && wr_person_known(a->c->store, a->argv[1], NULL) == WR_PERSON_UNKNOWN) {
        /* Not a user of this host, not on call, never seen here: a typo hands the incident to nobody. */
        char q[300];
        snprintf(q, sizeof q, "%.64s is not a user of this host, not on call and new to this war room: assign %.64s "
                 "to %.64s anyway? y/n", a->argv[1], a->argv[0], a->argv[1]);
        if (a->c->confirm) {
            a->c->confirm(a->c, q, &w);
            return 0;
        }
        wr_write_clear(&w);
        return wr_args_usage(a, "\"%s\" is not a user of this host, not on the on-call file and never seen in this "
                             "war room: check the name, or add --new-user to assign it anyway", a->argv[1]);
    }
    int64_t seq = 0;
    char what[200];
    snprintf(what, sizeof what, "%s %s %.64s", remove ? "removed from" : "assigned", a->argv[0], a->argv[1]);
    if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
        wr_args_ok_line(a->c, inc, seq, what);
    return r;
}

int wr_cmd_assign(wr_args *a)
{
    return do_assign(a, 0);
}

int wr_cmd_unassign(wr_args *a)
{
    return do_assign(a, 1);
}

static int do_pin(wr_args *a, int pin)
{
    int64_t inc = 0, n = 0, seq = 0;
    int r = wr_args_incident_entry(a, &inc, &n, &seq);
    if (r)
        return r;
    wr_opctx o = wr_args_opctx(a->c);
    wr_write w;
    wr_error err = {0};
    wr_status s = wr_op_pin(&o, inc, seq, pin, &w, &err);
    if ((r = wr_args_prepared(a, s, &err)) != 0)
        return r;
    int64_t eseq = 0;
    if ((r = wr_args_submit(a, &w, &eseq, NULL)) == 0)
    {
        char what[64];
        snprintf(what, sizeof what, "%s entry #%lld", pin ? "pinned" : "unpinned", (long long)n);
        wr_args_ok_line(a->c, inc, eseq, what);
    }
    return r;
}

int wr_cmd_pin(wr_args *a)
{
    return do_pin(a, 1);
}

int wr_cmd_unpin(wr_args *a)
{
    return do_pin(a, 0);
}
