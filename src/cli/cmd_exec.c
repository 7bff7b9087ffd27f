/* SPDX-License-Identifier: MIT */
/* cmd_exec.c - `warroom run [INC] [--note TEXT] -- CMD [ARG...]`: run a command in this terminal, its output
 * shown live and its exit status passed through, and record it in the timeline with its output as evidence
 * (docs/evidence.md). On a terminal (stdin and stdout both) the command gets a pseudo-terminal of its own, as
 * script(1) gives it: colours, prompts and the window size as in the terminal, and Ctrl-C reaches it (this
 * process keeps the terminal raw and passes the keys on), so warroom outlives it and records how it ended.
 * Otherwise it gets pipes, and warroom ignores SIGINT and SIGQUIT while it runs, as a shell's system() does. */
#define _GNU_SOURCE /* sigabbrev_np */
#include "cmd_int.h"

#include "warroom/clock.h"
#include "warroom/config.h"
#include "warroom/exhibit.h"
#include "warroom/pending.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* The self-pipe the signal handlers write to: the loop below wakes in poll(). */
static int wake_fd[2] = {-1, -1};
static volatile sig_atomic_t got_winch, got_chld, got_fwd;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH)
        got_winch = 1;
    else if (sig == SIGCHLD)
        got_chld = 1;
    else
        got_fwd = sig; /* SIGTERM, SIGHUP: passed on to the command */
    if (wake_fd[1] >= 0) {
        ssize_t w = write(wake_fd[1], "x", 1);
        (void)w;
    }
    errno = saved;
}

static const int handled[] = {SIGWINCH, SIGCHLD, SIGTERM, SIGHUP};
static const int ignored[] = {SIGINT, SIGQUIT, SIGPIPE};

typedef struct child {
    pid_t pid;
    int status;       /* waitpid's */
    int exec_errno;   /* it could not be started: why */
    int tty;          /* on a pseudo-terminal */
    int echo_out;     /* 0 once our stdout failed (a closed pipe): the output is still recorded */
} child;

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void pass_on(child *ch, int fd, const char *buf, size_t n, wr_capture *cap)
{
    wr_capture_feed(cap, buf, n);
    if (ch->echo_out && write_all(fd, buf, n) != 0)
        ch->echo_out = 0;
}

/* Read what fd has (non-blocking): 1 data passed on, 0 nothing now, -1 end (EOF or EIO: the pty's other side
 * closed). */
static int drain_one(child *ch, int fd, int out_fd, wr_capture *cap)
{
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
        pass_on(ch, out_fd, buf, (size_t)n, cap);
        return 1;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return -1;
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* In the child, after fork: default signals, then exec; on failure its errno goes up errpipe. */
static void exec_child(char **argv, const sigset_t *oldmask, int errfd)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(handled); i++)
        signal(handled[i], SIG_DFL);
    for (size_t i = 0; i < WR_ARRAY_LEN(ignored); i++)
        signal(ignored[i], SIG_DFL);
    sigprocmask(SIG_SETMASK, oldmask, NULL);
    execvp(argv[0], argv);
    int e = errno;
    ssize_t w = write(errfd, &e, sizeof e);
    (void)w;
    _exit(e == ENOENT ? 127 : 126);
}

/* Run argv to its end, its output to our stdout/stderr and into cap. 0, or -1 when it could not even be
 * forked (why in err). */
static int run_child(char **argv, child *ch, wr_capture *cap, wr_buf *err)
{
    memset(ch, 0, sizeof *ch);
    ch->echo_out = 1;
    ch->tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    struct termios orig;
    struct winsize ws;
    int have_ws = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
    int master = -1, outp[2] = {-1, -1}, errp[2] = {-1, -1}, ep[2] = {-1, -1};
    const char *slave_name = NULL;
    if (ch->tty && tcgetattr(STDIN_FILENO, &orig) != 0)
        ch->tty = 0;
    if (ch->tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || !(slave_name = ptsname(master))) {
            if (master >= 0)
                close(master);
            master = -1;
            ch->tty = 0; /* no pseudo-terminal to be had: pipes then */
        }
    }
    if (!ch->tty && (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0)) {
        wr_buf_printf(err, "cannot make a pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe2(wake_fd, O_CLOEXEC) != 0 || pipe2(ep, O_CLOEXEC) != 0) {
        wr_buf_printf(err, "cannot make a pipe: %s", strerror(errno));
        return -1;
    }
    set_nonblock(wake_fd[0]);
    set_nonblock(wake_fd[1]);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    struct sigaction sa_old[WR_ARRAY_LEN(handled) + WR_ARRAY_LEN(ignored)];
    got_winch = got_chld = got_fwd = 0;
    ch->pid = fork();
    if (ch->pid == 0) {
        if (ch->tty) {
            setsid();
            int slave = open(slave_name, O_RDWR);
            if (slave < 0)
                _exit(126);
            ioctl(slave, TIOCSCTTY, 0);
            tcsetattr(slave, TCSANOW, &orig);
            if (have_ws)
                ioctl(slave, TIOCSWINSZ, &ws);
            dup2(slave, 0);
            dup2(slave, 1);
            dup2(slave, 2);
            if (slave > 2)
                close(slave);
        } else {
            dup2(outp[1], 1);
            dup2(errp[1], 2);
        }
        exec_child(argv, &old, ep[1]);
    }
    if (ch->pid < 0) {
        wr_buf_printf(err, "cannot start a process: %s", strerror(errno));
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < WR_ARRAY_LEN(handled); i++, k++) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(handled[i], &sa, &sa_old[k]);
    }
    for (size_t i = 0; i < WR_ARRAY_LEN(ignored); i++, k++) {
        struct sigaction sa = {0};
        sa.sa_handler = SIG_IGN;
        sigaction(ignored[i], &sa, &sa_old[k]);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(ep[1]);
    int e = 0;
    ssize_t got;
    do
        got = read(ep[0], &e, sizeof e);
    while (got < 0 && errno == EINTR);
    close(ep[0]);
    if (got == (ssize_t)sizeof e)
        ch->exec_errno = e;

    int out_fd = master >= 0 ? master : outp[0];
    if (!ch->tty) {
        close(outp[1]);
        close(errp[1]);
        set_nonblock(errp[0]);
    }
    set_nonblock(out_fd);
    struct termios raw;
    int raw_set = 0;
    if (ch->tty && !ch->exec_errno) {
        raw = orig;
        cfmakeraw(&raw);
        raw_set = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    int out_open = 1, err_open = !ch->tty, in_open = ch->tty, reaped = 0;
    while (!reaped || out_open || err_open) {
        if (got_chld || !reaped) {
            got_chld = 0;
            pid_t r = waitpid(ch->pid, &ch->status, WNOHANG);
            if (r == ch->pid)
                reaped = 1;
        }
        if (got_fwd && !reaped) {
            kill(ch->pid, got_fwd);
            got_fwd = 0;
        }
        if (got_winch && master >= 0) {
            got_winch = 0;
            if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(master, TIOCSWINSZ, &ws);
        }
        if (reaped) {
            /* It ended: take what is still buffered, without waiting for others (a daemon it left) that hold
             * the other end open. */
            while (out_open && drain_one(ch, out_fd, STDOUT_FILENO, cap) == 1) {
            }
            while (err_open && drain_one(ch, errp[0], STDERR_FILENO, cap) == 1) {
            }
            break;
        }
        struct pollfd pf[4];
        int n = 0, io = -1, ie = -1, ii = -1;
        pf[n].fd = wake_fd[0];
        pf[n++].events = POLLIN;
        if (out_open) {
            io = n;
            pf[n].fd = out_fd;
            pf[n++].events = POLLIN;
        }
        if (err_open) {
            ie = n;
            pf[n].fd = errp[0];
            pf[n++].events = POLLIN;
        }
        if (in_open) {
            ii = n;
            pf[n].fd = STDIN_FILENO;
            pf[n++].events = POLLIN;
        }
        /* A timeout only in case a SIGCHLD went astray: the child is reaped within a second regardless. */
        if (poll(pf, (nfds_t)n, 1000) < 0 && errno != EINTR)
            break;
        if (pf[0].revents) {
            char b[64];
            while (read(wake_fd[0], b, sizeof b) > 0) {
            }
        }
        if (io >= 0 && pf[io].revents) {
            int r = drain_one(ch, out_fd, STDOUT_FILENO, cap);
            if (r < 0)
                out_open = 0;
        }
        if (ie >= 0 && pf[ie].revents) {
            int r = drain_one(ch, errp[0], STDERR_FILENO, cap);
            if (r < 0)
                err_open = 0;
        }
        if (ii >= 0 && pf[ii].revents) {
            char buf[4096];
            ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
            if (r > 0)
                write_all(master, buf, (size_t)r);
            else if (r == 0 || (errno != EINTR && errno != EAGAIN))
                in_open = 0;
        }
    }
    if (!reaped) {
        while (waitpid(ch->pid, &ch->status, 0) < 0 && errno == EINTR) {
        }
    }
    if (raw_set)
        tcsetattr(STDIN_FILENO, TCSANOW, &orig);
    if (master >= 0)
        close(master);
    if (!ch->tty) {
        close(outp[0]);
        close(errp[0]);
    }
    k = 0;
    for (size_t i = 0; i < WR_ARRAY_LEN(handled); i++, k++)
        sigaction(handled[i], &sa_old[k], NULL);
    for (size_t i = 0; i < WR_ARRAY_LEN(ignored); i++, k++)
        sigaction(ignored[i], &sa_old[k], NULL);
    close(wake_fd[0]);
    close(wake_fd[1]);
    wake_fd[0] = wake_fd[1] = -1;
    return 0;
}

/* Keep a record the database would not take now in a file the next warroom command writes (pending.h). */
static int keep_record(wr_args *a, wr_write *w, const wr_error *why_not)
{
    wr_cmdctx *c = a->c;
    char name[64];
    snprintf(name, sizeof name, "run-%s", w->uid);
    char *file = wr_pending_file(c->db_path, name);
    wr_pending q = {0};
    wr_pending_item item = {0};
    item.w = *w;
    item.last = why_not->status;
    snprintf(item.why, sizeof item.why, "%s", why_not->msg);
    q.v = &item;
    q.n = 1;
    wr_buf why = {0};
    int r = wr_pending_save(&q, c->db_path, file, 1, &why);
    if (r == 0)
        wr_buf_printf(&c->err, "warroom run: NOT RECORDED YET: %s\nwarroom run: the record is kept in %s and the "
                               "next warroom command that can write the database records it (or the console "
                               "offers it when it starts)\n",
                      why_not->msg, file);
    else
        wr_buf_printf(&c->err, "warroom run: NOT RECORDED: %s; and it could not be kept either (%s)\n",
                      why_not->msg, wr_buf_str(&why));
    wr_buf_free(&why);
    free(file);
    return r;
}

int wr_cmd_exec(wr_args *a)
{
    wr_cmdctx *c = a->c;
    if (!wr_args_is_cli(c))
        return wr_args_usage(a, "run is for the command line: it needs the terminal");
    int pre = a->dash >= 0 ? a->dash : 0;
    if (pre > 1)
        return wr_args_usage(a, "only the incident goes before \"--\"; the command goes after it");
    int64_t inc;
    int before = a->argc;
    /* Without "--" the first word is the command, never taken for an incident. */
    int r = wr_args_incident(a, pre == 1 ? 0 : a->argc, &inc);
    if (r)
        return r;
    if (pre == 1 && a->argc == before)
        return wr_args_usage(a, "\"%s\" is not an incident: only the incident goes before \"--\"", a->argv[0]);
    if (a->argc < 1)
        return wr_args_usage(a, "give the command to run after \"--\" (warroom run -- kubectl get pods)");
    if (wr_store_readonly(c->store)) {
        /* Nothing could record it: do not run it. */
        wr_buf_printf(&c->err, "run: not run, because it could not be recorded: %s\n",
                      wr_store_readonly_reason(c->store));
        return wr_status_exit_code(WR_E_READONLY);
    }
    wr_redactor red;
    wr_buf rerr = {0};
    if (wr_config_redactor(c->config, &red, &rerr) != 0) {
        wr_buf_printf(&c->err, "run: the redaction rules: %s\n", wr_buf_str(&rerr));
        wr_buf_free(&rerr);
        return wr_args_usage_code();
    }
    const char *note = wr_args_get(a, "--note");
    wr_capture cap;
    wr_capture_init(&cap, wr_config_evidence_cap(c->config));
    char cwd[4096] = "?", host[256] = "";
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, "?");
    gethostname(host, sizeof host - 1);
    wr_args_flush(c); /* nothing of ours is left to print over the command's output */
    int64_t started = wr_clock_now_ms(), t0 = wr_clock_mono_ms();
    child ch;
    wr_buf err = {0};
    fflush(stdout);
    if (run_child(a->argv, &ch, &cap, &err) != 0) {
        wr_buf_printf(&c->err, "run: %s\n", wr_buf_str(&err));
        wr_buf_free(&err);
        wr_capture_free(&cap);
        wr_redactor_free(&red);
        return wr_status_exit_code(WR_E_IO);
    }
    wr_buf_free(&err);
    wr_run_record run = {0};
    run.argc = a->argc;
    run.argv = a->argv;
    run.cwd = cwd;
    run.host = host;
    run.note = note;
    run.started_at = started;
    run.duration_ms = wr_clock_mono_ms() - t0;
    run.ended_at = started + run.duration_ms;
    run.tty = ch.tty;
    char errtext[256] = "";
    if (ch.exec_errno) {
        run.status = ch.exec_errno == ENOENT ? 127 : 126;
        snprintf(errtext, sizeof errtext, "%s", ch.exec_errno == ENOENT ? "command not found" : strerror(ch.exec_errno));
        run.error = errtext;
        wr_buf_printf(&c->err, "warroom run: %s: %s\n", a->argv[0], errtext);
    } else if (WIFSIGNALED(ch.status)) {
        run.signal = WTERMSIG(ch.status);
        run.signal_name = NULL;
        const char *abbr = sigabbrev_np(run.signal);
        static char sname[32];
        if (abbr) {
            snprintf(sname, sizeof sname, "SIG%s", abbr);
            run.signal_name = sname;
        }
        run.status = 128 + run.signal;
    } else {
        run.exited = 1;
        run.exit_code = WEXITSTATUS(ch.status);
        run.status = run.exit_code;
    }
    wr_capture_result res;
    wr_capture_finish(&cap, &red, &res);
    wr_capture_free(&cap);
    wr_opctx o = wr_args_opctx(c);
    o.occurred_at = started;
    wr_write w;
    wr_error e = {0};
    wr_status s = wr_op_command_run(&o, inc, &run, &red, &res, &w, &e);
    wr_capture_result_free(&res);
    wr_redactor_free(&red);
    if (s != WR_OK) {
        wr_buf_printf(&c->err, "warroom run: not recorded: %s\n", e.msg);
        return run.status;
    }
    s = wr_store_append(c->store, &w, c->wait_ms, &e);
    int64_t seq = w.seq;
    if (s == WR_OK) {
        wr_buf_printf(&c->err, "warroom run: recorded as INC-%lld #%lld (status %d)\n", (long long)inc,
                      (long long)seq, run.status);
    } else if (wr_pending_keeps(s)) {
        keep_record(a, &w, &e);
    } else {
        wr_buf_printf(&c->err, "warroom run: NOT RECORDED: %s\n", e.msg);
    }
    wr_write_clear(&w);
    return run.status;
}
