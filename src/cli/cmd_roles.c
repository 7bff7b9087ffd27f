/* SPDX-License-Identifier: MIT */
/* cmd_roles.c - who holds which role (roles), who is in the war room (who), and the missing-roles warning. */
#include "cmd_int.h"

#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/presence.h"
#include "warroom/text.h"

#include <stdio.h>
#include <string.h>

static void clean1(wr_buf *out, const char *s)
{
    wr_text_clean(out, s, strlen(s), WR_TEXT_ONELINE);
}

static void fit(wr_buf *out, const char *s, size_t cols)
{
    size_t used = wr_text_fit(out, s, strlen(s), cols, 1, 0);
    for (; used < cols; used++)
        wr_buf_putc(out, ' ');
}

static const char *role_title(const char *id)
{
    const wr_role_def *d = wr_role_find(id);
    return d ? d->title : id;
}

/* ---- roles and presence ---- */

void wr_cmd_missing_line(wr_buf *o, const char *severity, char **missing, size_t n)
{
    wr_buf_printf(o, "warning: %s requires ", severity);
    for (size_t k = 0; k < n; k++)
        wr_buf_printf(o, "%s%s", k ? (k + 1 == n ? " and " : ", ") : "", role_title(missing[k]));
    wr_buf_printf(o, ": nobody holds %s (`warroom assign ROLE USER`)\n", n == 1 ? "it" : "them");
}

int wr_cmd_roles(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int history = wr_args_has(a, "--history");
    int r = 0;
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    wr_incident i;
    if (wr_incident_get(c->store, inc, &i, &err) != WR_OK)
        return wr_args_fail(c, "roles", &err);
    wr_role_holder *held = NULL;
    size_t nheld = 0, nmiss = 0, nh = 0, ndef;
    char **miss = NULL;
    wr_role_span *h = NULL;
    const wr_role_def *defs = wr_policy_roles(&ndef);
    const wr_severity_def *sev = wr_policy_severity(i.severity);
    if (wr_roles_list(c->store, inc, &held, &nheld, &err) != WR_OK ||
        wr_roles_missing(c->store, inc, &miss, &nmiss, &err) != WR_OK ||
        wr_role_history(c->store, inc, &h, &nh, &err) != WR_OK) {
        r = wr_args_fail(c, "roles", &err);
        goto out;
    }
    wr_buf *o = &c->out;
    char t1[40], t2[40];
    if (c->json) {
        char ref[32];
        wr_json_doc_begin(o);
        wr_json_kv_str(o, "incident", wr_incident_ref(inc, ref, sizeof ref));
        wr_json_kv_str(o, "severity", i.severity);
        wr_json_key(o, "roles");
        wr_buf_putc(o, '[');
        for (size_t k = 0; k < ndef; k++) {
            int required = 0;
            for (size_t q = 0; sev && q < sev->nroles; q++)
                required |= strcmp(sev->roles[q], defs[k].id) == 0;
            wr_buf_puts(o, k ? ",{" : "{");
            wr_json_kv_str(o, "role", defs[k].id);
            wr_json_kv_str(o, "title", defs[k].title);
            wr_json_kv_str(o, "abbrev", defs[k].abbrev);
            wr_json_key(o, "required");
            wr_buf_puts(o, required ? "true" : "false");
            wr_json_key(o, "holders");
            wr_buf_putc(o, '[');
            int any = 0;
            for (size_t j = 0; j < nheld; j++)
                if (strcmp(held[j].role, defs[k].id) == 0) {
                    if (any++)
                        wr_buf_putc(o, ',');
                    wr_json_str(o, held[j].holder);
                }
            wr_buf_puts(o, "]}");
        }
        wr_buf_puts(o, "],\"missing\":[");
        for (size_t k = 0; k < nmiss; k++) {
            if (k)
                wr_buf_putc(o, ',');
            wr_json_str(o, miss[k]);
        }
        wr_buf_puts(o, "],\"history\":[");
        for (size_t k = 0; k < nh; k++) {
            wr_buf_puts(o, k ? ",{" : "{");
            wr_json_kv_str(o, "role", h[k].role);
            wr_json_kv_str(o, "holder", h[k].holder);
            wr_json_kv_str(o, "from", wr_time_iso(h[k].from, t1, sizeof t1));
            wr_json_key(o, "to");
            if (h[k].to)
                wr_json_str(o, wr_time_iso(h[k].to, t2, sizeof t2));
            else
                wr_buf_puts(o, "null");
            wr_json_kv_str(o, "assigned_by", h[k].assigned_by);
            wr_json_kv_str(o, "ended_by", *h[k].ended_by ? h[k].ended_by : NULL);
            wr_buf_putc(o, '}');
        }
        wr_buf_puts(o, "]}\n");
        goto out;
    }
    if (history) {
        if (!nh)
            wr_buf_printf(o, "INC-%lld: nobody has held a role yet\n", (long long)inc);
        else
            wr_buf_printf(o, "INC-%lld role history (UTC):\n", (long long)inc);
        for (size_t k = 0; k < nh; k++) {
            wr_buf_puts(o, "  ");
            fit(o, role_title(h[k].role), 24);
            wr_buf_putc(o, ' ');
            fit(o, h[k].holder, 14);
            wr_buf_printf(o, " %s - %-19s assigned by ", wr_lifecycle_time(h[k].from, t1, sizeof t1),
                          h[k].to ? wr_lifecycle_time(h[k].to, t2, sizeof t2) : "now");
            clean1(o, h[k].assigned_by);
            if (h[k].to && *h[k].ended_by) {
                wr_buf_puts(o, ", ended by ");
                clean1(o, h[k].ended_by);
            }
            wr_buf_putc(o, '\n');
        }
        goto out;
    }
    wr_buf_printf(o, "INC-%lld roles (%s requires:", (long long)inc, i.severity);
    for (size_t q = 0; sev && q < sev->nroles; q++) {
        const wr_role_def *d = wr_role_find(sev->roles[q]);
        wr_buf_printf(o, " %s", d ? d->abbrev : sev->roles[q]);
    }
    wr_buf_puts(o, sev && sev->nroles ? ")\n" : " nothing)\n");
    for (size_t k = 0; k < ndef; k++) {
        int required = 0;
        for (size_t q = 0; sev && q < sev->nroles; q++)
            required |= strcmp(sev->roles[q], defs[k].id) == 0;
        wr_buf_printf(o, "  %s %-4s ", required ? "*" : " ", defs[k].abbrev);
        fit(o, defs[k].title, 24);
        int any = 0;
        for (size_t j = 0; j < nheld; j++)
            if (strcmp(held[j].role, defs[k].id) == 0) {
                wr_buf_puts(o, any++ ? ", " : " ");
                clean1(o, held[j].holder);
                wr_buf_printf(o, " (since %s)", wr_lifecycle_time(held[j].since, t1, sizeof t1));
            }
        wr_buf_puts(o, any ? "\n" : " -\n");
    }
    /* Holders of roles the configuration no longer lists. */
    for (size_t j = 0; j < nheld; j++) {
        size_t k;
        for (k = 0; k < ndef && strcmp(defs[k].id, held[j].role) != 0; k++)
            ;
        if (k == ndef) {
            wr_buf_printf(o, "         %-24s ", held[j].role);
            clean1(o, held[j].holder);
            wr_buf_puts(o, " (role not in the configured set)\n");
        }
    }
    if (nmiss)
        wr_cmd_missing_line(o, i.severity, miss, nmiss);
out:
    wr_roles_free(held, nheld);
    wr_strv_free(miss, nmiss);
    wr_role_history_free(h, nh);
    wr_incident_clear(&i);
    return r;
}

int wr_cmd_who(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int r = 0;
    if (r)
        return r;
    int64_t inc = 0;
    if (a->argc == 1) {
        if ((r = wr_args_incident(a, 0, &inc)) != 0)
            return r;
        if (a->argc)
            return wr_args_usage(a, "\"%s\" is not an incident: write it as INC-42", a->argv[0]);
    } else if (a->argc > 1) {
        return wr_args_usage(a, "name at most one incident");
    } else if (c->current) {
        inc = c->current;
    }
    wr_error err = {0};
    wr_presence *v;
    size_t n;
    if (wr_presence_list(c->store, inc, &v, &n, &err) != WR_OK)
        return wr_args_fail(c, "who", &err);
    int64_t now = wr_clock_now_ms();
    char t[40], ago[32];
    if (c->json) {
        wr_json_doc_begin(&c->out);
        wr_json_key(&c->out, "sessions");
        wr_buf_putc(&c->out, '[');
        for (size_t i = 0; i < n; i++) {
            wr_buf_puts(&c->out, i ? ",{" : "{");
            wr_json_kv_str(&c->out, "actor", v[i].actor);
            wr_json_kv_str(&c->out, "os_user", v[i].os_user);
            wr_json_kv_str(&c->out, "origin", v[i].origin);
            wr_json_kv_str(&c->out, "host", v[i].host);
            wr_json_key(&c->out, "incident");
            if (v[i].incident)
                wr_buf_printf(&c->out, "\"INC-%lld\"", (long long)v[i].incident);
            else
                wr_buf_puts(&c->out, "null");
            wr_json_kv_str(&c->out, "since", wr_time_iso(v[i].since, t, sizeof t));
            wr_json_kv_str(&c->out, "last_seen", wr_time_iso(v[i].last_seen, ago, sizeof ago));
            wr_buf_putc(&c->out, '}');
        }
        wr_buf_puts(&c->out, "]}\n");
    } else {
        if (!n)
            wr_buf_printf(&c->out, "nobody is in the war room%s right now\n", inc ? " for this incident" : "");
        for (size_t i = 0; i < n; i++) {
            fit(&c->out, v[i].actor, 14);
            char ref[32];
            snprintf(ref, sizeof ref, "INC-%lld", (long long)v[i].incident);
            wr_buf_printf(&c->out, " %-9s since %s, seen %s ago  ", v[i].incident ? ref : "(list)",
                          wr_lifecycle_time(v[i].since, t, sizeof t),
                          wr_lifecycle_duration(now - v[i].last_seen, ago, sizeof ago));
            clean1(&c->out, v[i].os_user);
            wr_buf_puts(&c->out, "@");
            clean1(&c->out, v[i].host);
            wr_buf_puts(&c->out, " ");
            clean1(&c->out, v[i].origin);
            wr_buf_putc(&c->out, '\n');
        }
    }
    wr_presence_free(v, n);
    return 0;
}

