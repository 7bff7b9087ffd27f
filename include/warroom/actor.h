/* SPDX-License-Identifier: MIT */
/* actor.h - who is acting, and from where.
 *
 * The OS user always comes from the real uid (getpwuid), never from $USER, so it cannot be faked by the
 * environment. A shared account may add a display name with --as NAME; both are recorded on every event.
 * "origin" says where the operator is connected from: the SSH client address ($SSH_CONNECTION) and the
 * terminal, or "local".
 */
#ifndef WARROOM_ACTOR_H
#define WARROOM_ACTOR_H

typedef struct wr_actor {
    char *name;    /* who the operator says they are: --as NAME, else the OS user */
    char *os_user; /* from the real uid */
    char *origin;  /* "ssh 203.0.113.7 pts/3", "tty pts/1", "local" */
    char *host;    /* this host's name */
} wr_actor;

/* Fill a from the process; as_name may be NULL. Returns 0, or -1 when as_name is not a valid name
 * (1..64 printable characters, no spaces at either end). */
int wr_actor_detect(wr_actor *a, const char *as_name);
/* An actor with given fields (tests, tools). */
void wr_actor_set(wr_actor *a, const char *name, const char *os_user, const char *origin, const char *host);
void wr_actor_free(wr_actor *a);
/* 1 if s is an acceptable operator name (for --as and role holders). */
int wr_actor_valid_name(const char *s);

#endif
