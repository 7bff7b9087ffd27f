/* SPDX-License-Identifier: MIT */
/* paths.c - XDG base directories and the search paths for warroom's files. */
#include "warroom/paths.h"

#include "warroom/util.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *home(void)
{
    const char *h = getenv("HOME");
    if (h && *h)
        return h;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_dir ? pw->pw_dir : "/tmp";
}

static char *xdg(const char *var, const char *fallback)
{
    const char *v = getenv(var);
    if (v && *v == '/')
        return wr_xasprintf("%s/warroom", v);
    return wr_xasprintf("%s/%s/warroom", home(), fallback);
}

char *wr_paths_user_config_dir(void)
{
    return xdg("XDG_CONFIG_HOME", ".config");
}

char *wr_paths_user_data_dir(void)
{
    return xdg("XDG_DATA_HOME", ".local/share");
}

char *wr_paths_user_state_dir(void)
{
    return xdg("XDG_STATE_HOME", ".local/state");
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* dir/rel if it holds runbooks/ (and, with marker, the file dir/marker), else NULL. */
static char *data_at(const char *dir, const char *rel, const char *marker)
{
    char *cand = wr_xasprintf("%s%s", dir, rel);
    char *rb = wr_xasprintf("%s/runbooks", cand);
    char *mk = marker ? wr_xasprintf("%s/%s", dir, marker) : NULL;
    int ok = is_dir(rb) && (!mk || is_file(mk));
    free(rb);
    free(mk);
    if (ok)
        return cand;
    free(cand);
    return NULL;
}

char *wr_paths_shipped_dir(void)
{
    const char *v = getenv("WARROOM_DATA_DIR");
    if (v && *v)
        return wr_xstrdup(v);
    /* Found from the executable's own place, so that no build path is compiled in (reproducible builds). */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        /* Installed under any prefix: <prefix>/bin/warroom next to <prefix>/share/warroom. */
        char *d = data_at(exe, "/../share/warroom", NULL);
        /* A build tree: CMake links runbooks/, themes/, drills/ there to the source tree's. */
        if (!d)
            d = data_at(exe, "", "CMakeCache.txt");
        if (d)
            return d;
    }
    /* The configured prefix (a copied binary); where the messages then say the files were looked for. */
    return wr_xstrdup(WARROOM_DATADIR);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

char *wr_paths_doc(const char *name)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        char *p = wr_xasprintf("%s/../share/doc/warroom/docs/%s", exe, name);
        char *real = realpath(p, NULL);
        free(p);
        if (real)
            return real;
        /* A build tree: runbooks/ there links to the source tree, whose docs/ is beside it. */
        char *rb = wr_xasprintf("%s/runbooks", exe);
        char *src = realpath(rb, NULL);
        free(rb);
        if (src) {
            p = wr_xasprintf("%s/../docs/%s", src, name);
            free(src);
            real = realpath(p, NULL);
            free(p);
            if (real)
                return real;
        }
    }
    char *p = wr_xasprintf("%s/docs/%s", WARROOM_DOCDIR, name);
    if (!exists(p)) {
        free(p);
        p = wr_xasprintf("docs/%s in warroom's documentation (see warroom(1))", name);
    }
    return p;
}

void wr_paths_search(const char *kind, char ***dirs, size_t *n)
{
    char **v = wr_xcalloc(3, sizeof *v);
    char *cfg = wr_paths_user_config_dir();
    char *shipped = wr_paths_shipped_dir();
    v[0] = wr_xasprintf("%s/%s", cfg, kind);
    v[1] = wr_xasprintf("/etc/warroom/%s", kind);
    v[2] = wr_xasprintf("%s/%s", shipped, kind);
    free(cfg);
    free(shipped);
    *dirs = v;
    *n = 3;
}

void wr_paths_free(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

void wr_paths_config_files(char ***files, size_t *n)
{
    char **v = wr_xcalloc(2, sizeof *v);
    char *cfg = wr_paths_user_config_dir();
    v[0] = wr_xasprintf("%s/config.yaml", cfg);
    v[1] = wr_xstrdup("/etc/warroom/config.yaml");
    free(cfg);
    *files = v;
    *n = 2;
}
