/* SPDX-License-Identifier: MIT */
/* update_run.c - running the update command: its own process (fork/exec of /bin/sh -c in a new process
 * group), feeding its stdin, reading its output, killing it at the deadline and reaping it. A front-end
 * module (the model has no process control): the CLI and the console drive it; the model turns the finished
 * run into the "update.sent" event (wr_update_finish, update.c). */
#include "warroom/update_run.h"

#include "warroom/clock.h"
#include "warroom/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void start_failed(wr_update_run *r, const char *what)
{
    snprintf(r->error, sizeof r->error, "could not start the update command: %s: %s", what, strerror(errno));
    r->finished = 1;
}

void wr_update_start(wr_update_run *r, const char *command, const char *incident_ref, const char *audience,
                     const char *severity, const char *text, int timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->in_fd = r->out_fd = -1;
    r->exit_code = -1;
    r->timeout_ms = timeout_ms > 0 ? timeout_ms : WR_UPDATE_TIMEOUT_DEFAULT_S * 1000;
    r->text = wr_xstrdup(text ? text : "");
    r->text_len = strlen(r->text);
    if (!command || !*command) {
        snprintf(r->error, sizeof r->error, "no update_command is configured");
        r->finished = 1;
        return;
    }
    /* The environment, prepared before fork: ours without any WARROOM_INCIDENT/AUDIENCE/SEVERITY, plus them. */
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **envp = wr_xcalloc(n + 4, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!wr_startswith(environ[i], "WARROOM_INCIDENT=") && !wr_startswith(environ[i], "WARROOM_AUDIENCE=") &&
            !wr_startswith(environ[i], "WARROOM_SEVERITY="))
            envp[k++] = environ[i];
    char *e1 = wr_xasprintf("WARROOM_INCIDENT=%s", incident_ref ? incident_ref : "");
    char *e2 = wr_xasprintf("WARROOM_AUDIENCE=%s", audience ? audience : "");
    char *e3 = wr_xasprintf("WARROOM_SEVERITY=%s", severity ? severity : "");
    envp[k++] = e1;
    envp[k++] = e2;
    envp[k++] = e3;
    envp[k] = NULL;
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (pipe(in) != 0 || pipe(out) != 0) {
        start_failed(r, "pipe");
    } else {
        long maxfd = sysconf(_SC_OPEN_MAX);
        if (maxfd < 0 || maxfd > 4096)
            maxfd = 4096;
        pid_t pid = fork();
        if (pid == 0) {
            /* The child: its own process group (so a timeout kills what it started too), default signals. */
            setpgid(0, 0);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            signal(SIGPIPE, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
                _exit(127);
            for (long fd = 3; fd < maxfd; fd++)
                close((int)fd);
            execve("/bin/sh", argv, envp);
            _exit(127);
        }
        if (pid < 0) {
            start_failed(r, "fork");
        } else {
            setpgid(pid, pid); /* also here: no race with the kill at the deadline */
            r->pid = pid;
            r->in_fd = in[1];
            r->out_fd = out[0];
            in[1] = out[0] = -1;
            set_nonblock(r->in_fd);
            set_nonblock(r->out_fd);
            r->deadline = wr_clock_mono_ms() + r->timeout_ms;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    free(e1);
    free(e2);
    free(e3);
    free(envp);
    if (r->pid && r->text_len == 0) {
        close(r->in_fd);
        r->in_fd = -1;
    }
}

int wr_update_pollfds(const wr_update_run *r, struct pollfd fds[2])
{
    int n = 0;
    if (r->finished)
        return 0;
    if (r->in_fd >= 0) {
        fds[n].fd = r->in_fd;
        fds[n].events = POLLOUT;
        fds[n++].revents = 0;
    }
    if (r->out_fd >= 0) {
        fds[n].fd = r->out_fd;
        fds[n].events = POLLIN;
        fds[n++].revents = 0;
    }
    return n;
}

int wr_update_wait_ms(const wr_update_run *r)
{
    if (r->finished)
        return 0;
    if (r->in_fd < 0 && r->out_fd < 0)
        return 10; /* waiting for it to exit */
    int64_t left = r->deadline - wr_clock_mono_ms();
    return left < 0 ? 0 : left > 1000 ? 1000 : (int)left;
}

/* write() that turns a reader gone away into EPIPE, never a SIGPIPE that would end warroom. */
static ssize_t write_nosigpipe(int fd, const char *p, size_t n)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t w = write(fd, p, n);
    int saved = errno;
    if (w < 0 && errno == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return w;
}

static void reap(wr_update_run *r, int options)
{
    if (!r->pid)
        return;
    int status;
    pid_t got;
    do
        got = waitpid(r->pid, &status, options);
    while (got < 0 && errno == EINTR);
    if (got == r->pid || (got < 0 && errno == ECHILD)) {
        if (got == r->pid) {
            if (WIFEXITED(status))
                r->exit_code = WEXITSTATUS(status);
            else if (WIFSIGNALED(status))
                r->signal = WTERMSIG(status);
        }
        r->pid = 0;
    }
}

int wr_update_pump(wr_update_run *r)
{
    if (r->finished)
        return 1;
    if (r->in_fd >= 0) {
        while (r->text_off < r->text_len) {
            ssize_t w = write_nosigpipe(r->in_fd, r->text + r->text_off, r->text_len - r->text_off);
            if (w > 0) {
                r->text_off += (size_t)w;
                continue;
            }
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            r->text_off = r->text_len; /* EPIPE: it does not read its input; that is its business */
        }
        if (r->text_off >= r->text_len) {
            close(r->in_fd);
            r->in_fd = -1;
        }
    }
    if (r->out_fd >= 0) {
        char buf[4096];
        for (;;) {
            ssize_t got = read(r->out_fd, buf, sizeof buf);
            if (got > 0) {
                size_t room = r->output.len < WR_UPDATE_OUTPUT_MAX ? WR_UPDATE_OUTPUT_MAX - r->output.len : 0;
                size_t take = (size_t)got < room ? (size_t)got : room;
                if (take)
                    wr_buf_append(&r->output, buf, take);
                if (take < (size_t)got)
                    r->truncated = 1;
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                close(r->out_fd);
                r->out_fd = -1;
            }
            break;
        }
    }
    reap(r, WNOHANG);
    if (r->pid && wr_clock_mono_ms() >= r->deadline && !r->timed_out) {
        /* Past its time: kill the process group, stop listening, reap (SIGKILL cannot be ignored). */
        r->timed_out = 1;
        kill(-r->pid, SIGKILL);
        if (r->in_fd >= 0)
            close(r->in_fd);
        if (r->out_fd >= 0)
            close(r->out_fd);
        r->in_fd = r->out_fd = -1;
        reap(r, WNOHANG); /* if not yet, a later pump reaps it */
    } else if (!r->pid && r->out_fd >= 0 && wr_clock_mono_ms() >= r->deadline) {
        /* It exited but something it started still holds its output open: stop listening. */
        close(r->out_fd);
        r->out_fd = -1;
    }
    if (!r->pid && r->out_fd < 0) {
        if (r->in_fd >= 0) {
            close(r->in_fd);
            r->in_fd = -1;
        }
        r->finished = 1;
    }
    return r->finished;
}

void wr_update_wait(wr_update_run *r)
{
    while (!wr_update_pump(r)) {
        struct pollfd fds[2];
        int n = wr_update_pollfds(r, fds);
        poll(fds, (nfds_t)n, wr_update_wait_ms(r));
    }
}

void wr_update_free(wr_update_run *r)
{
    if (r->pid) {
        kill(-r->pid, SIGKILL);
        reap(r, 0);
    }
    if (r->in_fd >= 0)
        close(r->in_fd);
    if (r->out_fd >= 0)
        close(r->out_fd);
    r->in_fd = r->out_fd = -1;
    wr_buf_free(&r->output);
    free(r->text);
    r->text = NULL;
}
