/* SPDX-License-Identifier: MIT */
/* demo.c - the demo war room: a leaked-credentials incident 47 minutes in. */
#include "warroom/demo.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/paths.h"
#include "warroom/runbook.h"
#include "warroom/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct demo {
    wr_store *st;
    wr_actor people[6];
    int64_t t0;
    int64_t inc;
    wr_error *err;
    wr_status status;
} demo;

enum { MARIA, DEV, SAM, LEE, ANA, RAJ };

static wr_opctx as(demo *d, int who, int minute)
{
    wr_opctx c = {d->st, &d->people[who], "tui", d->t0 + (int64_t)minute * 60000};
    return c;
}

static int64_t commit(demo *d, wr_status prepared, wr_write *w)
{
    int64_t seq = 0, id = 0;
    if (d->status != WR_OK)
        return 0;
    if (prepared != WR_OK) {
        d->status = prepared;
        return 0;
    }
    d->status = wr_op_commit(d->st, w, 10000, &seq, &id, d->err);
    if (id && !d->inc)
        d->inc = id;
    return seq;
}

static void note(demo *d, int who, int minute, const char *text)
{
    wr_opctx c = as(d, who, minute);
    wr_write w;
    commit(d, wr_op_note(&c, d->inc, text, &w, d->err), &w);
}

static void set(demo *d, int who, int minute, const char *field, const char *value, const char *reason)
{
    wr_opctx c = as(d, who, minute);
    wr_write w;
    commit(d, wr_op_set(&c, d->inc, field, value, reason, 0, 0, &w, d->err), &w);
}

static void assign(demo *d, int who, int minute, const char *role, const char *user)
{
    wr_opctx c = as(d, who, minute);
    wr_write w;
    commit(d, wr_op_assign(&c, d->inc, role, user, 0, &w, d->err), &w);
}

/* Notes said during the runbook work, written in time order between the step changes. */
static const struct {
    int who, minute;
    const char *text;
} later_notes[] = {
    {RAJ, 24, "Key AKIA...7Q2F deactivated (not deleted: kept for the investigation)."},
    {LEE, 30, "Internal update sent to #exec-incidents: SEV1, key disabled, scoping data access."},
    {ANA, 41, "S3 data events: 3 GetObject calls on acme-invoices/2026-10/ from 185.220.101.4."},
};

static void note(demo *d, int who, int minute, const char *text);

static void notes_until(demo *d, size_t *next, int minute)
{
    for (; *next < WR_ARRAY_LEN(later_notes) && later_notes[*next].minute < minute; (*next)++)
        note(d, later_notes[*next].who, later_notes[*next].minute, later_notes[*next].text);
}

static void step(demo *d, int who, int minute, const char *id, const char *action, const char *reason)
{
    wr_opctx c = as(d, who, minute);
    wr_write w;
    commit(d, wr_op_step(&c, d->inc, NULL, id, action, reason, &w, d->err), &w);
}

wr_status wr_demo_build(wr_store *st, const wr_actor *me, wr_error *err)
{
    static const char *const names[] = {"maria", "dev", "sam", "lee", "ana", "raj"};
    demo d = {0};
    d.st = st;
    d.err = err;
    d.t0 = wr_clock_now_ms() - 47 * 60000;
    for (int i = 0; i < 6; i++)
        wr_actor_set(&d.people[i], names[i], me->os_user, "demo", me->host);

    wr_opctx c = as(&d, MARIA, 0);
    wr_write w;
    commit(&d, wr_op_declare(&c, "Leaked AWS access key used from unknown IPs", "SEV2", "credential-leak",
                             "real", &w, err), &w);
    assign(&d, MARIA, 0, "incident-commander", "maria");
    assign(&d, MARIA, 1, "scribe", "sam");
    note(&d, MARIA, 1, "GuardDuty: UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS for "
                       "key AKIA...7Q2F (ci-deployer). Calls from 185.220.101.4 and 2 other Tor exits.");
    assign(&d, MARIA, 2, "deputy", "dev");
    assign(&d, MARIA, 2, "communications-liaison", "lee");
    assign(&d, MARIA, 3, "responder", "ana");
    assign(&d, MARIA, 3, "responder", "raj");
    set(&d, MARIA, 4, "summary", "CI deploy key leaked in a public gist; used for s3:ListBuckets and "
                                 "iam:CreateUser from Tor exits", NULL);
    int64_t key_moment = 0;
    {
        wr_opctx cc = as(&d, ANA, 6);
        wr_write ww;
        key_moment = commit(&d, wr_op_note(&cc, d.inc, "CloudTrail: iam:CreateUser 'svc-backup2' at 09:12 UTC "
                                                       "by the leaked key. Attacker persistence likely.",
                                           &ww, err), &ww);
    }
    set(&d, MARIA, 7, "severity", "SEV1", "attacker created an IAM user: persistence, possible data access");
    set(&d, MARIA, 8, "impact", "Possible read access to s3://acme-invoices (customer PII); no customer-facing "
                                "outage", NULL);
    set(&d, MARIA, 9, "status", "containment", NULL);

    char **dirs;
    size_t ndirs;
    wr_paths_search("runbooks", &dirs, &ndirs);
    wr_rb_set set_ = {0};
    wr_buf rberr = {0};
    wr_rb_set_load_dirs(&set_, (const char *const *)dirs, ndirs, NULL, 0, &rberr);
    const wr_runbook *rb = wr_rb_set_find(&set_, "leaked-cloud-credentials");
    size_t next_note = 0;
    if (rb && d.status == WR_OK) {
        wr_opctx cc = as(&d, MARIA, 10);
        commit(&d, wr_op_attach(&cc, d.inc, rb, &w, err), &w);
        /* Tick the first few steps, one in progress, one blocked. */
        size_t ticked = 0;
        for (size_t i = 0; i < rb->nsteps && d.status == WR_OK; i++) {
            const wr_rb_step *s = &rb->steps[i];
            if (ticked < 4 && s->phase <= WR_PHASE_CONTAINMENT) {
                notes_until(&d, &next_note, 12 + (int)ticked * 5);
                step(&d, ticked % 2 ? RAJ : ANA, 12 + (int)ticked * 5, s->id, "done", NULL);
                ticked++;
            } else if (ticked == 4) {
                notes_until(&d, &next_note, 35);
                step(&d, RAJ, 35, s->id, "start", NULL);
                ticked++;
            } else if (ticked == 5) {
                notes_until(&d, &next_note, 38);
                step(&d, ANA, 38, s->id, "block", "waiting for the AWS account owner to approve");
                ticked++;
            }
        }
    }
    wr_rb_set_free(&set_);
    wr_buf_free(&rberr);
    wr_paths_free(dirs, ndirs);

    notes_until(&d, &next_note, 42);
    if (key_moment && d.status == WR_OK) {
        wr_opctx cc = as(&d, SAM, 42);
        commit(&d, wr_op_pin(&cc, d.inc, key_moment, 1, &w, err), &w);
    }
    for (int i = 0; i < 6; i++)
        wr_actor_free(&d.people[i]);
    return d.status;
}

wr_status wr_demo_ensure(const char *path, const wr_actor *me, int reset, wr_error *err)
{
    struct stat sb;
    if (wr_store_target_is_remote(path)) {
        /* A PostgreSQL database: the demo is built into it once, when it holds no war room or an empty one. */
        wr_store *st = wr_store_open(path, 0, err);
        if (!st && err->status != WR_E_MISSING)
            return err->status;
        int64_t n = st ? wr_store_last_seq(st, err) : 0;
        if (n > 0 && reset) {
            wr_store_close(st);
            return wr_error_set(err, WR_E_INVALID, "--reset does not empty a PostgreSQL database (its log is "
                                "append-only): drop and create the database again, or use the demo's own file");
        }
        if (n != 0) {
            wr_store_close(st);
            return n > 0 ? WR_OK : err->status;
        }
        if (!st && !(st = wr_store_open(path, WR_OPEN_CREATE, err)))
            return err->status;
        wr_status s = wr_demo_build(st, me, err);
        wr_store_close(st);
        return s;
    }
    if (stat(path, &sb) == 0) {
        if (!reset)
            return WR_OK;
        char journal[4200];
        snprintf(journal, sizeof journal, "%s-journal", path);
        if (unlink(path) != 0)
            return wr_error_set(err, WR_E_IO, "cannot remove the old demo %s: %s", path, strerror(errno));
        unlink(journal);
    }
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, err);
    if (!st)
        return err->status;
    wr_status s = wr_demo_build(st, me, err);
    wr_store_close(st);
    return s;
}
