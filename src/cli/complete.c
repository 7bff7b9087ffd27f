/* complete.c - completion kinds for the `:` command line, from the command table (see complete.h). */
#include "warroom/complete.h"

#include "warroom/cmd.h"
#include "warroom/incident.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kinds[] = {"incident", "role",  "operator", "step", "runbook", "field",
                                    "status",   "severity", "command", "theme", "file"};

/* The static name of a kind word of length n, or NULL ("text" and unknown words). */
static const char *kind_of(const char *w, size_t n)
{
    for (size_t i = 0; i < WR_ARRAY_LEN(kinds); i++)
        if (strlen(kinds[i]) == n && strncmp(kinds[i], w, n) == 0)
            return kinds[i];
    return NULL;
}

/* The idx-th kind word of spec ("role operator", "text ..."), "..." repeating the one before it. */
static const char *spec_kind(const char *spec, int idx)
{
    const char *words[16];
    size_t lens[16];
    int n = 0;
    for (const char *p = spec; *p && n < 16;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        words[n] = p;
        lens[n++] = len;
        p += len;
    }
    if (n == 0)
        return NULL;
    int repeat = lens[n - 1] == 3 && strncmp(words[n - 1], "...", 3) == 0;
    int last = repeat ? n - 2 : n - 1;
    if (last < 0)
        return NULL;
    if (idx > last) {
        if (!repeat)
            return NULL;
        idx = last;
    }
    return kind_of(words[idx], lens[idx]);
}

static int is_ref(const char *w)
{
    int64_t id;
    return strncasecmp(w, "inc-", 4) == 0 && wr_incident_parse_ref(w, &id) == 0;
}

/* Options that take a value, and what the value is. */
static const struct {
    const char *opt;
    const char *kind; /* NULL: free text */
} valued[] = {{"--severity", "severity"}, {"--type", NULL}, {"--reason", NULL}, {"--lines", NULL}};

const char *wr_complete_kind(const char *line, size_t start)
{
    /* The words before the one being completed. */
    char *head = wr_xstrndup(line, start);
    char *words[64];
    int n = 0;
    for (char *tok = strtok(head, " \t"); tok && n < 64; tok = strtok(NULL, " \t"))
        words[n++] = tok;
    const char *kind = NULL;
    const char *cur = line + start;
    if (n == 0) {
        kind = "command";
        goto out;
    }
    const wr_cmd *cmd = wr_cmd_find(words[0]);
    if (!cmd || !(cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI)) || cur[0] == '-')
        goto out;
    /* The value of an option? */
    for (size_t k = 0; k < WR_ARRAY_LEN(valued); k++)
        if (strcmp(words[n - 1], valued[k].opt) == 0) {
            kind = valued[k].kind;
            goto out;
        }
    /* Count the positional arguments before this one. */
    int pos = 0, skip_value = 0, saw_ref = 0;
    for (int i = 1; i < n; i++) {
        if (skip_value) {
            skip_value = 0;
            continue;
        }
        if (words[i][0] == '-' && words[i][1] == '-') {
            for (size_t k = 0; k < WR_ARRAY_LEN(valued); k++)
                if (strcmp(words[i], valued[k].opt) == 0)
                    skip_value = 1;
            continue;
        }
        if (pos == 0 && !saw_ref && strncmp(cmd->args, "[INC]", 5) == 0 && is_ref(words[i])) {
            saw_ref = 1;
            continue;
        }
        pos++;
    }
    /* "INC-" typed where an optional incident may stand. */
    if (pos == 0 && !saw_ref && (strncmp(cmd->args, "[INC]", 5) == 0 || strncmp(cmd->args, "INC", 3) == 0) &&
        strncasecmp(cur, "inc-", 4) == 0) {
        kind = "incident";
        goto out;
    }
    kind = spec_kind(cmd->complete ? cmd->complete : "", pos);
out:
    free(head);
    return kind;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void wr_complete_filter(const char *prefix, const char *const *words, size_t n, char ***out, size_t *nout)
{
    size_t plen = strlen(prefix);
    size_t first = *nout;
    for (size_t i = 0; i < n; i++) {
        if (!words[i] || strncmp(words[i], prefix, plen) != 0)
            continue;
        *out = wr_xreallocarray(*out, *nout + 1, sizeof **out);
        (*out)[(*nout)++] = wr_xstrdup(words[i]);
    }
    qsort(*out + first, *nout - first, sizeof **out, cmp_str);
    size_t w = first;
    for (size_t i = first; i < *nout; i++) {
        if (w > first && strcmp((*out)[w - 1], (*out)[i]) == 0) {
            free((*out)[i]);
            continue;
        }
        (*out)[w++] = (*out)[i];
    }
    *nout = w;
}

void wr_complete_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
