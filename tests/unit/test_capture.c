/* SPDX-License-Identifier: MIT */
/* Evidence: the redaction rules (shipped ones fire on their secrets and leave ordinary text alone; a secret
 * fed in two pieces, split at every byte, is still replaced whole; one that straddles the cut between a capped
 * output's head and tail never reaches the kept bytes in part), the cap (head and tail, the hash of the whole),
 * binary detection, shell quoting, the pending file carrying evidence bytes, and the text the console's pager
 * shows for an entry with evidence (wr_exhibit_pager_text), cleaned. */
#include "check.h"
#include "warroom/capture.h"
#include "warroom/exhibit.h"
#include "warroom/incident.h"
#include "warroom/model.h"
#include "warroom/pending.h"
#include "warroom/redact.h"
#include "warroom/sha256.h"
#include "warroom/store.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static wr_actor alice;

#define AKID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char *redact_str(const wr_redactor *r, const char *s, unsigned char *fired)
{
    wr_buf out = {0};
    wr_redact_all(r, s, strlen(s), &out, fired);
    return wr_buf_steal(&out);
}

static void test_defaults(void)
{
    wr_redactor r;
    wr_redactor_init(&r, 1);
    CHECK_INT(r.n, wr_redact_ndefaults);
    static const struct {
        const char *in, *rule, *kept; /* kept: text that must survive around it */
    } cases[] = {
        {"key " AKID " end", "aws-access-key-id", "key "},
        {"ASIAY34FZKBOKMUTVV7A", "aws-access-key-id", ""},
        {"aws_secret_access_key = " SECRET "\n", "aws-secret-access-key", "aws_secret_access_key = "},
        {"AWS_SECRET_ACCESS_KEY=" SECRET, "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY="},
        {"{\"SecretAccessKey\": \"" SECRET "\"}", "aws-secret-access-key", "{\"SecretAccessKey\": \""},
        {"\"SessionToken\": \"FwoGZXIvYXdzEBYaDH7example/token+value==\"", "aws-session-token", "\"SessionToken\": \""},
        {"aws_session_token=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ", "aws-session-token",
         "aws_session_token="},
        {"key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "gcp-api-key", "key="},
        {"\"private_key_id\": \"0123456789abcdef0123456789abcdef01234567\"", "gcp-private-key-id",
         "\"private_key_id\": \""},
        {"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4==;", "azure-account-key",
         "AccountName=x;AccountKey="},
        {"client_secret: Q~abc.defGHIjkl_mno", "azure-client-secret", "client_secret: "},
        {"https://x.blob.core.windows.net/c?sv=2021&sig=AbCdEf0123456789%2BxyzXYZ%3D", "azure-sas-signature", "sv=2021"},
        {"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "bearer-token", "Authorization: Bearer "},
        {"token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github-token", "token "},
        {"xoxb-1234567890-abcdefghij", "slack-token", ""},
        {"a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK==\n-----END RSA PRIVATE KEY-----\nb", "private-key", "a\n"},
        {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----", "private-key", ""},
        {"psql postgres://admin:hunter2@db.internal:5432/x", "url-password", "postgres://admin:"},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(cases); i++) {
        if (!cases[i].rule)
            continue;
        unsigned char fired[64] = {0};
        char *out = redact_str(&r, cases[i].in, fired);
        char marker[80];
        snprintf(marker, sizeof marker, "[REDACTED:%s]", cases[i].rule);
        if (!strstr(out, marker))
            fprintf(stderr, "case %zu: %s -> %s\n", i, cases[i].in, out);
        CHECK(strstr(out, marker) != NULL);
        CHECK(strstr(out, cases[i].kept) != NULL);
        int any = 0;
        for (size_t k = 0; k < r.n; k++)
            if (fired[k] && strcmp(r.v[k].name, cases[i].rule) == 0)
                any = 1;
        CHECK(any);
        free(out);
    }
    /* the secrets themselves are gone */
    char *o = redact_str(&r, "x " AKID " aws_secret_access_key=" SECRET " y", NULL);
    CHECK(strstr(o, "AKIA") == NULL);
    CHECK(strstr(o, "wJalr") == NULL);
    CHECK_STR(o, "x [REDACTED:aws-access-key-id] aws_secret_access_key=[REDACTED:aws-secret-access-key] y");
    free(o);
    /* ordinary text is left alone */
    const char *plain = "NAME READY STATUS\nweb-1 1/1 Running\nhttps://example.com/path?q=1 bearer\n";
    o = redact_str(&r, plain, NULL);
    CHECK_STR(o, plain);
    free(o);
    /* NUL bytes split the text, and nothing after one is lost */
    const char bin[] = "\x01\x00" AKID "\x00tail";
    wr_buf b = {0};
    wr_redact_all(&r, bin, sizeof bin - 1, &b, NULL);
    CHECK_INT(b.len, 2 + strlen("[REDACTED:aws-access-key-id]") + 1 + 4);
    CHECK(memcmp(b.s + b.len - 5, "\0tail", 5) == 0);
    wr_buf_free(&b);
    /* a rule added by the configuration, by group */
    wr_buf err = {0};
    CHECK_INT(wr_redactor_add(&r, "db-pass", "DB_PASS=([^ ]+)", 1, 0, &err), 0);
    o = redact_str(&r, "DB_PASS=s3cret go", NULL);
    CHECK_STR(o, "DB_PASS=[REDACTED:db-pass] go");
    free(o);
    CHECK_INT(wr_redactor_add(&r, "bad", "a(b", 0, 0, &err), -1);
    CHECK_INT(wr_redact_check("x*", 0, &err), -1); /* matches the empty string */
    CHECK_INT(wr_redact_check("(x)", 2, &err), -1);
    wr_buf_free(&err);
    wr_redactor_free(&r);
}

/* Capture text fed in two pieces split at `at`; the kept bytes as a string. */
static char *capture_split(const wr_redactor *r, const char *s, size_t at, size_t cap, wr_capture_result *res)
{
    wr_capture c;
    wr_capture_init(&c, cap);
    size_t n = strlen(s);
    wr_capture_feed(&c, s, at);
    wr_capture_feed(&c, s + at, n - at);
    wr_capture_finish(&c, r, res);
    wr_capture_free(&c);
    return wr_xstrndup((const char *)res->stored, res->nstored);
}

static void test_boundaries(void)
{
    wr_redactor r;
    wr_redactor_init(&r, 1);
    const char *text = "before aws_secret_access_key=" SECRET " and " AKID
                       " and -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- after";
    int bad = 0;
    for (size_t at = 0; at <= strlen(text); at++) {
        wr_capture_result res;
        char *kept = capture_split(&r, text, at, WR_CAPTURE_DEFAULT_CAP, &res);
        if (strstr(kept, "wJalr") || strstr(kept, "AKIAIOSF") || strstr(kept, "MIIE") ||
            !strstr(kept, "before") || !strstr(kept, " after"))
            bad++;
        wr_capture_result_free(&res);
        free(kept);
    }
    CHECK_INT(bad, 0);

    /* Capped: a secret straddling the head's cut or the tail's start is replaced whole, never kept in part;
     * the hash is of everything fed. */
    size_t cap = 4096, half = cap / 2;
    size_t total = 200000;
    for (int where = 0; where < 2; where++) {
        for (size_t off = 0; off < strlen(AKID); off++) {
            char *big = wr_xmalloc(total + 1);
            memset(big, 'x', total);
            big[total] = '\0';
            size_t pos = where == 0 ? half - off : total - half - off;
            memcpy(big + pos, AKID, strlen(AKID));
            wr_capture c;
            wr_capture_init(&c, cap);
            for (size_t i = 0; i < total; i += 1000) /* in reads of 1000 bytes */
                wr_capture_feed(&c, big + i, total - i < 1000 ? total - i : 1000);
            wr_capture_result res;
            wr_capture_finish(&c, &r, &res);
            wr_capture_free(&c);
            char want[65];
            wr_sha256_hex(big, total, want);
            CHECK_STR(res.sha256, want);
            CHECK(res.truncated);
            CHECK_INT(res.size, total);
            CHECK_INT(res.omitted, total - cap);
            char *kept = wr_xstrndup((const char *)res.stored, res.nstored);
            CHECK(strstr(kept, "AKIA") == NULL && strstr(kept, "EXAMPLE") == NULL);
            /* kept as a marker when it overlaps what is kept (at the head's cut exactly it is in neither) */
            if (off > 0 || where == 1)
                CHECK(strstr(kept, "[REDACTED:aws-access-key-id]") != NULL);
            free(kept);
            wr_capture_result_free(&res);
            free(big);
        }
    }

    /* Not capped: everything kept; one byte over the cap: head and tail of half the cap each */
    wr_capture_result res;
    char *s = capture_split(NULL, "hello\n", 3, 1024, &res);
    CHECK_STR(s, "hello\n");
    CHECK(!res.truncated && !res.binary);
    free(s);
    wr_capture_result_free(&res);
    char *big = wr_xmalloc(1026);
    for (int i = 0; i < 1025; i++)
        big[i] = (char)('a' + i % 26);
    big[1025] = '\0';
    s = capture_split(NULL, big, 1000, 1024, &res);
    CHECK(res.truncated);
    CHECK_INT(res.nstored, 1024);
    CHECK_INT(res.head, 512);
    CHECK_INT(res.omitted, 1);
    CHECK(memcmp(s, big, 512) == 0 && memcmp(s + 512, big + 513, 512) == 0);
    free(s);
    free(big);
    wr_capture_result_free(&res);
    wr_redactor_free(&r);
}

static void test_display(void)
{
    CHECK(wr_capture_is_binary("a\0b", 3));
    CHECK(!wr_capture_is_binary("caf\xc3\xa9\n", 6));
    CHECK(wr_capture_is_binary("\xff\xfe\xfd\xfc", 4));
    wr_buf b = {0};
    wr_capture_tail_lines(&b, "1\n2\n3\n4\n", 8, 0, 2, 2048);
    CHECK_STR(wr_buf_str(&b), "3\n4");
    wr_buf_reset(&b);
    /* colours dropped, other escapes cleaned, CR LF made LF */
    const char *colours = "\x1b[31mred\x1b[0m\r\nx\x1b]0;title\x07y\n";
    wr_capture_display(&b, colours, strlen(colours), 0);
    CHECK_STR(wr_buf_str(&b), "red\nxy\n");
    wr_buf_reset(&b);
    wr_capture_tail_lines(&b, "\x7f" "ELF\x02\x01", 6, 1, 10, 2048);
    CHECK_STR(wr_buf_str(&b), "binary, 6 B: 7f 45 4c 46 02 01");
    wr_buf_reset(&b);
    char *argv[] = {"aws", "s3", "ls", "my bucket", "it's", "", "a;b", NULL};
    wr_exhibit_quote(&b, 7, argv);
    CHECK_STR(wr_buf_str(&b), "aws s3 ls 'my bucket' 'it'\\''s' '' 'a;b'");
    wr_buf_free(&b);
}

static void test_store(void)
{
    char *path = wr_xasprintf("%s/ev.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    CHECK_INT(wr_store_user_version(st), 4);
    wr_opctx o = {st, &alice, "cli", 0};
    wr_write w;
    int64_t inc = 0, seq = 0;
    CHECK_INT(wr_op_declare(&o, "Exfil", "SEV1", NULL, "real", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 2000, &seq, &inc, &err), WR_OK);

    wr_redactor r;
    wr_redactor_init(&r, 1);
    wr_capture c;
    wr_capture_init(&c, 1024);
    const char *out = "\x1b[1mGET\x1b[0m 200\nkey " AKID "\nbye\n";
    wr_capture_feed(&c, out, strlen(out));
    wr_capture_result res;
    wr_capture_finish(&c, &r, &res);
    wr_capture_free(&c);
    char *argv[] = {"curl", "-H", "Authorization: Bearer abcdefghijklmnop", "https://x", NULL};
    wr_run_record run = {0};
    run.argc = 4;
    run.argv = argv;
    run.cwd = "/srv";
    run.host = "bastion";
    run.exited = 1;
    run.exit_code = 0;
    run.started_at = 1000;
    run.ended_at = 2500;
    run.duration_ms = 1500;
    run.note = "checked the \x1b[2Jexfil";
    CHECK_INT(wr_op_command_run(&o, inc, &run, &r, &res, &w, &err), WR_OK);
    CHECK(w.blob != NULL);
    CHECK(strstr(w.payload, "abcdefghijklmnop") == NULL);
    CHECK(strstr(w.payload, "AKIA") == NULL);
    /* kept in a pending file and read back, bytes and all */
    char *file = wr_xasprintf("%s/p.jsonl", dir);
    wr_pending q = {0};
    wr_pending_item item = {0};
    item.w = w;
    q.v = &item;
    q.n = 1;
    wr_buf why = {0};
    CHECK_INT(wr_pending_save(&q, path, file, 1, &why), 0);
    wr_write *back = NULL;
    size_t nback = 0;
    int64_t at = 0;
    CHECK_INT(wr_pending_load(file, path, &back, &nback, &at, &why), 0);
    CHECK_INT(nback, 1);
    CHECK_INT(back[0].nblob, w.nblob);
    CHECK(back[0].blob && memcmp(back[0].blob, w.blob, w.nblob) == 0);
    CHECK_STR(back[0].uid, w.uid);
    wr_write_clear(&w);
    /* the loaded one lands (what `run`'s next command does) */
    CHECK_INT(wr_store_append(st, &back[0], 2000, &err), WR_OK);
    int64_t eseq = back[0].seq;
    wr_pending_writes_free(back, nback);
    wr_capture_result_free(&res);
    wr_buf_free(&why);

    /* the pager's text: cleaned, redacted, with the header */
    wr_buf page = {0};
    CHECK_INT(wr_exhibit_pager_text(st, eseq, &page, &err), WR_OK);
    const char *p = wr_buf_str(&page);
    CHECK(strstr(p, "command   curl -H 'Authorization: Bearer [REDACTED:bearer-token]' https://x\n") != NULL);
    CHECK(strstr(p, "ran by    alice (alice) on bastion in /srv\n") != NULL);
    CHECK(strstr(p, "status    exit 0\n") != NULL);
    CHECK(strstr(p, "redacted  aws-access-key-id, bearer-token\n") != NULL);
    CHECK(strstr(p, "\nGET 200\nkey [REDACTED:aws-access-key-id]\nbye\n") != NULL);
    CHECK(strchr(p, '\x1b') == NULL);
    CHECK(strstr(p, "note      checked the " WR_TEXT_ESC_MARKER "exfil\n") != NULL);
    wr_buf_free(&page);
    /* an entry without evidence */
    CHECK_INT(wr_exhibit_pager_text(st, seq, &page, &err), WR_E_NOTFOUND);
    wr_buf_free(&page);

    /* the chain and the evidence verify; a changed row is found */
    wr_chain_report rep;
    CHECK_INT(wr_store_chain_verify(st, -1, NULL, &rep, &err), WR_OK);
    CHECK_INT(rep.nbreaks, 0);
    wr_chain_report_free(&rep);
    wr_store_close(st);
    char *cmd = wr_xasprintf("sqlite3 '%s' \"UPDATE evidence SET bytes = CAST('x' AS BLOB)\"", path);
    if (system(cmd) == 0) {
        st = wr_store_open(path, 0, &err);
        CHECK_INT(wr_store_chain_verify(st, -1, NULL, &rep, &err), WR_OK);
        CHECK_INT(rep.nbreaks, 1);
        if (rep.nbreaks) {
            CHECK_INT(rep.breaks[0].fault, WR_CHAIN_EVIDENCE);
            CHECK_INT(rep.breaks[0].seq, eseq);
        }
        wr_chain_report_free(&rep);
        wr_store_close(st);
    }
    free(cmd);
    wr_redactor_free(&r);
    free(file);
    free(path);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/wr-cap-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    wr_actor_set(&alice, "alice", "alice", "local", "h");
    test_defaults();
    test_boundaries();
    test_display();
    test_store();
    wr_actor_free(&alice);
    char *cmd = wr_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
    return check_done();
}
