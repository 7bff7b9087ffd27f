/* SPDX-License-Identifier: MIT */
/* Stakeholder updates: the update command runner driven the console's way (poll loop), its failures
 * (exit status, timeout, no such command, input never read), output capping and environment; the cadence
 * and the CAN template. */
#include "check.h"
#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/policy.h"
#include "warroom/store.h"
#include "warroom/update.h"
#include "warroom/update_run.h"
#include "warroom/model.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1772355600000LL /* 2026-03-01T09:00:00Z */
#define MIN 60000LL

/* 1 once pid is dead (gone, or a zombie waiting for init to reap it); polls up to 10 s (a deadline, not a
 * speed check). */
static int gone(pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        char path[64], st[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
        FILE *f = fopen(path, "r");
        if (!f)
            return 1;
        size_t n = fread(st, 1, sizeof st - 1, f);
        fclose(f);
        st[n] = '\0';
        const char *close_paren = strrchr(st, ')');
        if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z')
            return 1;
        poll(NULL, 0, 10);
    }
    return 0;
}

/* Drive a run as the console would: poll on its descriptors, pump when woken. */
static int drive(wr_update_run *r)
{
    int loops = 0;
    while (!wr_update_pump(r)) {
        struct pollfd fds[2];
        int n = wr_update_pollfds(r, fds);
        poll(fds, (nfds_t)n, wr_update_wait_ms(r));
        if (++loops > 100000)
            return -1;
    }
    return 0;
}

static void test_runner(void)
{
    wr_update_run r;

    wr_update_start(&r, "cat; echo \"[$WARROOM_INCIDENT $WARROOM_AUDIENCE $WARROOM_SEVERITY]\"", "INC-7", "executive",
                    "SEV2", "hello\nworld\n", 5000);
    CHECK(r.pid > 0 && !r.finished);
    CHECK_INT(drive(&r), 0);
    CHECK_INT(r.exit_code, 0);
    CHECK(!r.timed_out && !r.error[0]);
    CHECK_STR(wr_buf_str(&r.output), "hello\nworld\n[INC-7 executive SEV2]\n");
    wr_update_free(&r);

    wr_update_start(&r, "echo refused >&2; exit 3", "INC-7", "internal", "SEV1", "x", 5000);
    drive(&r);
    CHECK_INT(r.exit_code, 3);
    CHECK_STR(wr_buf_str(&r.output), "refused\n");
    wr_update_free(&r);

    /* Past its timeout: killed, with whatever it started (its process group): the background sleep's pid,
     * written first, is gone afterwards. */
    char pidfile[] = "/tmp/wr_update_bg_XXXXXX";
    int pfd = mkstemp(pidfile);
    CHECK(pfd >= 0);
    close(pfd);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "sleep 30 & echo $! > %s; sleep 30; echo never", pidfile);
    wr_update_start(&r, cmd, "INC-7", "internal", "SEV1", "x", 300);
    drive(&r);
    CHECK_INT(r.timed_out, 1);
    FILE *pf = fopen(pidfile, "r");
    long bg = 0;
    CHECK(pf && fscanf(pf, "%ld", &bg) == 1 && bg > 0);
    if (pf)
        fclose(pf);
    unlink(pidfile);
    CHECK(bg > 0 && gone((pid_t)bg)); /* the background child was killed with the group */
    CHECK_INT(r.exit_code, -1);
    CHECK(r.pid == 0);
    CHECK_STR(wr_buf_str(&r.output), "");
    wr_update_free(&r);

    /* A command that never reads a large input: no SIGPIPE ends us, it is just done. */
    char *big = malloc(300000);
    memset(big, 'y', 299999);
    big[299999] = '\0';
    wr_update_start(&r, "exit 0", "INC-7", "customer", "SEV3", big, 5000);
    drive(&r);
    CHECK_INT(r.exit_code, 0);
    wr_update_free(&r);

    /* Output is capped; the command is not blocked by a full pipe. */
    wr_update_start(&r, "cat", "INC-7", "internal", "SEV3", big, 5000);
    drive(&r);
    CHECK_INT(r.exit_code, 0);
    CHECK_INT(r.output.len, WR_UPDATE_OUTPUT_MAX);
    CHECK_INT(r.truncated, 1);
    wr_update_free(&r);
    free(big);

    /* No such program: sh says so and exits 127; no command configured: an error, finished at once. */
    wr_update_start(&r, "/nonexistent/send-update", "INC-7", "internal", "SEV3", "x", 5000);
    drive(&r);
    CHECK_INT(r.exit_code, 127);
    wr_update_free(&r);
    wr_update_start(&r, NULL, "INC-7", "internal", "SEV3", "x", 5000);
    CHECK(r.finished && r.error[0]);
    CHECK_INT(wr_update_pollfds(&r, (struct pollfd[2]){{0}}), 0);
    wr_update_free(&r);

    /* Freeing a run that is still going kills it. */
    wr_update_start(&r, "sleep 30", "INC-7", "internal", "SEV3", "", 60000);
    int pid = r.pid;
    wr_update_pump(&r);
    CHECK(!r.finished);
    wr_update_free(&r);
    CHECK(kill(pid, 0) != 0);
}

static void test_cadence_and_template(const char *dir)
{
    wr_actor alice;
    wr_actor_set(&alice, "alice", "alice", "tty", "host");
    char *path = wr_xasprintf("%s/u.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_opctx c = {st, &alice, "cli", T0};
    wr_write w;
    int64_t inc = 0, seq = 0;
    wr_op_declare(&c, "Checkout down", "SEV1", "availability", NULL, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, &inc, &err);
    wr_op_set(&c, inc, "impact", "Customers cannot pay", NULL, 0, 0, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, NULL, &err);
    wr_op_note(&c, inc, "Rolled back deploy 4711", &w, &err);
    wr_op_commit(st, &w, 1000, NULL, NULL, &err);
    wr_op_assign(&c, inc, "IC", "alice", 0, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, NULL, &err);

    wr_cadence cad;
    CHECK_INT(wr_update_cadence(st, inc, T0 + 20 * MIN, &cad, &err), WR_OK);
    CHECK(cad.every_ms == 30 * MIN && cad.last_at == 0 && cad.due_at == T0 + 30 * MIN);
    CHECK(cad.left_ms == 10 * MIN && !cad.overdue);
    wr_opctx c10 = {st, &alice, "cli", T0 + 10 * MIN};
    CHECK_INT(wr_op_update(&c10, inc, "executive", "We rolled back.", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, &seq, NULL, &err), WR_OK);
    wr_update_cadence(st, inc, T0 + 45 * MIN, &cad, &err);
    CHECK(cad.last_at == T0 + 10 * MIN && cad.due_at == T0 + 40 * MIN && cad.overdue && cad.left_ms == -5 * MIN);
    CHECK_INT(wr_op_update(&c10, inc, "board", "x", &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_update(&c10, inc, "internal", " \n ", &w, &err), WR_E_INVALID);

    /* The result of a send is recorded against the update. */
    wr_update_run r;
    wr_update_start(&r, "exit 3", "INC-1", "executive", "SEV1", "We rolled back.", 5000);
    drive(&r);
    CHECK_INT(wr_update_finish(&r, &c10, inc, seq, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    wr_update_free(&r);
    wr_update_start(&r, "exit 0", "INC-1", "executive", "SEV1", "x", 5000);
    drive(&r);
    wr_update_finish(&r, &c10, inc, 9999, &w, &err);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_NOTFOUND); /* no such update */
    wr_update_free(&r);

    /* SEV4 needs no updates; neither does a resolved incident. */
    wr_op_set(&c, inc, "severity", "SEV4", "fine", 0, 0, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, NULL, &err);
    wr_update_cadence(st, inc, T0 + 45 * MIN, &cad, &err);
    CHECK(cad.every_ms == 0 && !cad.overdue && cad.due_at == 0);
    wr_op_set(&c, inc, "severity", "SEV1", "worse", 0, 0, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, NULL, &err);

    wr_clock_set_fixed(T0 + 20 * MIN, 0);
    char *text = NULL;
    CHECK_INT(wr_update_template(st, inc, "internal", &text, &err), WR_OK);
    CHECK(text && strstr(text, "CONDITIONS") && strstr(text, "ACTIONS") && strstr(text, "NEEDS"));
    CHECK(text && strstr(text, "Customers cannot pay") && strstr(text, "Rolled back deploy 4711"));
    CHECK(text && strstr(text, "IC alice"));
    CHECK(text && strstr(text, "Next update by 2026-03-01 09:50 UTC"));
    free(text);
    CHECK_INT(wr_update_template(st, inc, "customer", &text, &err), WR_OK);
    CHECK(text && strstr(text, "Customers cannot pay"));
    CHECK(text && !strstr(text, "alice") && !strstr(text, "4711") && !strstr(text, "SEV1:"));
    free(text);
    CHECK_INT(wr_update_template(st, inc, "investors", &text, &err), WR_E_INVALID);

    wr_store_close(st);
    free(path);
    wr_actor_free(&alice);
}

int main(void)
{
    char dir[] = "/tmp/wr-test-update-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    wr_policy_apply(NULL);
    wr_clock_set_fixed(T0 + 60 * MIN, 1);
    test_runner();
    test_cadence_and_template(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
