/* SPDX-License-Identifier: MIT */
/* policy.c - the role set, severity definitions and update command in force (defaults + config). */
#include "warroom/policy.h"

#include "warroom/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const sev1_roles[] = {"incident-commander", "deputy", "scribe", "communications-liaison"};
static const char *const sev2_roles[] = {"incident-commander", "scribe", "communications-liaison"};
static const char *const ic_only[] = {"incident-commander"};

static const wr_severity_def default_sevs[WR_SEV_COUNT] = {
    {"SEV1", "Critical: a core service is down for many customers, or data is being lost or exposed",
     sev1_roles, 4, 30 * 60000LL},
    {"SEV2", "Major: serious degradation for many customers, or a confirmed security compromise", sev2_roles, 3,
     60 * 60000LL},
    {"SEV3", "Minor: limited impact or a workaround exists; a contained security event", ic_only, 1,
     4 * 3600000LL},
    {"SEV4", "Low: little or no customer impact; handled in working hours", ic_only, 1, 0},
    {"SEV5", "Informational: no impact; tracked for follow-up", ic_only, 1, 0},
};

const char *const wr_act_names[WR_ACT_COUNT] = {"override", "resolve", "hand-over-ic", "status",
                                                 "severity", "edit",    "assign",      "step"};
static const char *const act_texts[WR_ACT_COUNT] = {
    "override the phase gate or the lifecycle rules of", "end", "hand over the incident commander role of",
    "change the status of", "change the severity of", "edit", "change the roles of", "change the checklist of",
};
static const char *const commanders[] = {"incident-commander", "deputy"};

/* The policy in force. Strings owned here when taken from a config. */
static struct {
    int configured;
    wr_role_def *roles; /* NULL: the defaults */
    size_t nroles;
    wr_severity_def sevs[WR_SEV_COUNT];
    char *update_command;
    int update_timeout_s;
    const char **may[WR_ACT_COUNT]; /* roles per act (NULL with nmay 0: anyone) */
    size_t nmay[WR_ACT_COUNT];
    /* storage for copied strings */
    char **owned;
    size_t nowned;
} pol;

static const char *keep(char *s)
{
    pol.owned = wr_xreallocarray(pol.owned, pol.nowned + 1, sizeof *pol.owned);
    pol.owned[pol.nowned++] = s;
    return s;
}

static void reset(void)
{
    for (size_t i = 0; i < pol.nowned; i++)
        free(pol.owned[i]);
    free(pol.owned);
    free(pol.roles);
    for (int l = 0; l < WR_SEV_COUNT; l++)
        if (pol.sevs[l].roles != default_sevs[l].roles)
            free((void *)pol.sevs[l].roles);
    free(pol.update_command);
    for (int a = 0; a < WR_ACT_COUNT; a++)
        if (pol.may[a] != commanders)
            free(pol.may[a]);
    memset(&pol, 0, sizeof pol);
    memcpy(pol.sevs, default_sevs, sizeof pol.sevs);
    /* The shipped default: the commander (or deputy) overrides, ends the incident and hands over command. */
    for (int a = WR_ACT_OVERRIDE; a <= WR_ACT_HAND_OVER_IC; a++) {
        pol.may[a] = (const char **)commanders;
        pol.nmay[a] = 2;
    }
    pol.configured = 1;
}

void wr_policy_apply(const wr_config *cfg)
{
    reset();
    if (!cfg)
        return;
    if (cfg->roles_set) {
        pol.roles = wr_xcalloc(cfg->nroles, sizeof *pol.roles);
        for (size_t i = 0; i < cfg->nroles; i++) {
            pol.roles[i].id = keep(wr_xstrdup(cfg->roles[i].id));
            pol.roles[i].title = keep(wr_xstrdup(cfg->roles[i].title));
            pol.roles[i].abbrev = keep(wr_xstrdup(cfg->roles[i].abbrev));
            pol.roles[i].single = cfg->roles[i].single;
        }
        pol.nroles = cfg->nroles;
    }
    for (int l = 0; l < WR_SEV_COUNT && l < WR_CONFIG_NSEVERITIES; l++) {
        const wr_config_severity *c = &cfg->severities[l];
        wr_severity_def *d = &pol.sevs[l];
        if (c->meaning)
            d->meaning = keep(wr_xstrdup(c->meaning));
        if (c->update_every_set)
            d->update_every_ms = (int64_t)c->update_every_s * 1000;
        if (c->roles_set) {
            const char **v = wr_xcalloc(c->nroles ? c->nroles : 1, sizeof *v);
            for (size_t i = 0; i < c->nroles; i++)
                v[i] = keep(wr_xstrdup(c->roles[i]));
            d->roles = v;
            d->nroles = c->nroles;
        }
    }
    for (size_t k = 0; k < cfg->npolicy; k++) {
        const wr_config_act *ca = &cfg->policy[k];
        int a = 0;
        while (a < WR_ACT_COUNT && strcmp(wr_act_names[a], ca->act) != 0)
            a++;
        if (a == WR_ACT_COUNT)
            continue; /* the config loader refuses unknown acts */
        pol.may[a] = NULL;
        pol.nmay[a] = 0;
        if (!ca->anyone && ca->nroles) {
            const char **v = wr_xcalloc(ca->nroles, sizeof *v);
            for (size_t i = 0; i < ca->nroles; i++)
                v[i] = keep(wr_xstrdup(ca->roles[i]));
            pol.may[a] = v;
            pol.nmay[a] = ca->nroles;
        }
    }
    if (cfg->update_command)
        pol.update_command = wr_xstrdup(cfg->update_command);
    pol.update_timeout_s = cfg->update_timeout_s;
}

static void ensure(void)
{
    if (!pol.configured)
        reset();
}

const wr_role_def *wr_policy_roles(size_t *n)
{
    ensure();
    if (pol.roles) {
        *n = pol.nroles;
        return pol.roles;
    }
    *n = wr_ndefault_roles;
    return wr_default_roles;
}

const wr_severity_def *wr_policy_severity(const char *severity)
{
    ensure();
    for (int l = 0; severity && l < WR_SEV_COUNT; l++)
        if (strcmp(pol.sevs[l].name, severity) == 0)
            return &pol.sevs[l];
    return NULL;
}

const char *wr_policy_update_command(void)
{
    ensure();
    return pol.update_command;
}

int wr_policy_update_timeout_ms(void)
{
    ensure();
    return (pol.update_timeout_s > 0 ? pol.update_timeout_s : WR_UPDATE_TIMEOUT_DEFAULT_S) * 1000;
}

const char *wr_act_text(wr_act act)
{
    return (unsigned)act < WR_ACT_COUNT ? act_texts[act] : "change";
}

const char *const *wr_policy_may(wr_act act, size_t *n)
{
    ensure();
    if ((unsigned)act >= WR_ACT_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = pol.nmay[act];
    return pol.may[act];
}
