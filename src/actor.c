/* SPDX-License-Identifier: MIT */
/* actor.c - identity of the operator from the uid, the SSH connection and the tty. */
#include "warroom/actor.h"

#include "warroom/util.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int wr_actor_valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == ' ' || s[n - 1] == ' ')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

void wr_actor_set(wr_actor *a, const char *name, const char *os_user, const char *origin, const char *host)
{
    a->name = wr_xstrdup(name);
    a->os_user = wr_xstrdup(os_user);
    a->origin = wr_xstrdup(origin);
    a->host = wr_xstrdup(host);
}

int wr_actor_detect(wr_actor *a, const char *as_name)
{
    if (as_name && !wr_actor_valid_name(as_name))
        return -1;
    char user[64];
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        snprintf(user, sizeof user, "%s", pw->pw_name);
    else
        snprintf(user, sizeof user, "uid%lu", (unsigned long)getuid());

    wr_buf origin = {0};
    const char *ssh = getenv("SSH_CONNECTION");
    if (ssh && *ssh) {
        /* "client_ip client_port server_ip server_port": keep the client address only. */
        size_t n = strcspn(ssh, " ");
        if (n > 64)
            n = 64;
        wr_buf_puts(&origin, "ssh ");
        wr_buf_append(&origin, ssh, n);
    }
    const char *tty = ttyname(STDIN_FILENO);
    if (!tty)
        tty = ttyname(STDOUT_FILENO);
    if (tty) {
        if (wr_startswith(tty, "/dev/"))
            tty += 5;
        wr_buf_printf(&origin, "%s%.32s", origin.len ? " " : "tty ", tty);
    }
    if (!origin.len)
        wr_buf_puts(&origin, "local");

    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';

    a->name = wr_xstrdup(as_name ? as_name : user);
    a->os_user = wr_xstrdup(user);
    a->origin = wr_buf_steal(&origin);
    a->host = wr_xstrdup(host);
    return 0;
}

void wr_actor_free(wr_actor *a)
{
    free(a->name);
    free(a->os_user);
    free(a->origin);
    free(a->host);
    memset(a, 0, sizeof *a);
}
