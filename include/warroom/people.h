/* SPDX-License-Identifier: MIT */
/* people.h - is a name one of ours? Before a role is handed to a name, warroom checks that it is a user of
 * this host (getpwnam), someone on the on-call file, or someone already seen in this war room (who wrote an
 * event, held a role or had a console open). A name that is none of these (a typo, "bbo" for "bob") needs a
 * confirmation: a y/n question in the console, `--new-user` on the command line. */
#ifndef WARROOM_PEOPLE_H
#define WARROOM_PEOPLE_H

#include "warroom/store.h"

typedef enum wr_person {
    WR_PERSON_UNKNOWN = 0,
    WR_PERSON_HOST_USER, /* a user of this host */
    WR_PERSON_ONCALL,    /* named in the on-call file (a member, a cover or an escalation target) */
    WR_PERSON_SEEN,      /* acted in this war room, held a role, or had a console open */
} wr_person;

/* How warroom knows name. oncall_path: the on-call file to look in (NULL: the default one, if any). */
wr_person wr_person_known(wr_store *st, const char *name, const char *oncall_path);

#endif
