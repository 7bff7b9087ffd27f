/* SPDX-License-Identifier: MIT */
/* Themes: the shipped files load and match the built-ins, bad files are refused at the exact line:column
 * with a suggestion, colours degrade 256 -> 16 -> 8 -> none. */
#include "check.h"
#include "warroom/theme.h"

#include <stdlib.h>

static char errbuf[2048];

/* Load a theme from text; returns rc and leaves the error (first line) in errbuf. */
static int load(wr_theme *t, const char *yaml)
{
    wr_buf err = {0};
    int rc = wr_theme_load_mem(t, "t.yaml", yaml, strlen(yaml), &err);
    snprintf(errbuf, sizeof errbuf, "%s", wr_buf_str(&err));
    wr_buf_free(&err);
    return rc;
}

static int starts(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) == 0)
        return 1;
    fprintf(stderr, "  expected a message starting \"%s\"\n  got \"%s\"\n", prefix, s);
    return 0;
}

static const char *srcdir(void)
{
    const char *s = getenv("WARROOM_SRCDIR");
    return s ? s : WARROOM_SOURCE_DIR;
}

static void test_shipped(void)
{
    char *dir = wr_xasprintf("%s/themes", srcdir());
    const char *dirs[] = {dir};
    wr_theme t, b;
    wr_buf err = {0};
    /* default.yaml is the built-in default, element by element. */
    CHECK_INT(wr_theme_load(&t, "default", dirs, 1, &err), 0);
    wr_theme_builtin(&b);
    for (int e = 0; e < WR_EL_COUNT; e++) {
        if (memcmp(&t.el[e], &b.el[e], sizeof b.el[e]) != 0) {
            fprintf(stderr, "default.yaml and the built-in differ at %s\n", wr_theme_element_name(e));
            CHECK(0);
        }
    }
    CHECK_STR(t.name, "default");
    CHECK_INT(wr_theme_load(&t, "mono", dirs, 1, &err), 0);
    wr_theme_builtin_mono(&b);
    CHECK(memcmp(t.el, b.el, sizeof b.el) == 0);
    CHECK_INT(wr_theme_load(&t, "high-contrast", dirs, 1, &err), 0);
    CHECK_STR(t.name, "high-contrast");
    CHECK_INT(t.el[WR_EL_HEADER].fg, 0);
    CHECK_INT(t.el[WR_EL_HEADER].bg, 11);
    CHECK_INT(t.el[WR_EL_HEADER].attrs, WR_ATTR_BOLD);
    CHECK_INT(wr_theme_load(&t, "light", dirs, 1, &err), 0);
    CHECK_INT(t.el[WR_EL_HEADER].bg, 25);
    CHECK_STR(wr_buf_str(&err), "");
    /* By path too. */
    char *p = wr_xasprintf("%s/light.yaml", dir);
    CHECK_INT(wr_theme_load(&t, p, dirs, 1, &err), 0);
    CHECK_STR(t.name, "light");
    free(p);
    /* Names for completion: the shipped ones and the built-ins, sorted, once each. */
    char **names;
    size_t n;
    wr_theme_names(dirs, 1, &names, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(names[0], "default");
        CHECK_STR(names[1], "high-contrast");
        CHECK_STR(names[2], "light");
        CHECK_STR(names[3], "mono");
    }
    /* An unknown name: an error naming the themes, with a suggestion; the built-in default is used. */
    wr_buf_reset(&err);
    CHECK_INT(wr_theme_load(&t, "lihgt", dirs, 1, &err), -1);
    CHECK_STR(wr_buf_str(&err), "no theme \"lihgt\" (did you mean light?); themes: default high-contrast light mono\n");
    CHECK_STR(t.name, "default");
    /* Built-in names work without any directory. */
    CHECK_INT(wr_theme_load(&t, "mono", NULL, 0, &err), 0);
    CHECK_STR(t.name, "mono");
    CHECK_INT(wr_theme_load(&t, NULL, NULL, 0, &err), 0);
    CHECK_STR(t.name, "default");
    /* A path that does not exist. */
    wr_buf_reset(&err);
    CHECK_INT(wr_theme_load(&t, "/nonexistent/x.yaml", NULL, 0, &err), -1);
    CHECK(strstr(wr_buf_str(&err), "/nonexistent/x.yaml: cannot read") != NULL);
    wr_theme_names_free(names, n);
    wr_buf_free(&err);
    free(dir);
}

static void test_good(void)
{
    wr_theme t;
    CHECK_INT(load(&t, "name: mine\nelements:\n  header: {fg: 196, bg: default, attrs: [bold, underline]}\n"
                       "  selected:\n    attrs: reverse\n  muted: {fg: Bright-Black}\n"),
              0);
    CHECK_STR(t.name, "mine");
    CHECK_INT(t.el[WR_EL_HEADER].fg, 196);
    CHECK_INT(t.el[WR_EL_HEADER].bg, WR_COLOR_DEFAULT);
    CHECK_INT(t.el[WR_EL_HEADER].attrs, WR_ATTR_BOLD | WR_ATTR_UNDERLINE);
    CHECK_INT(t.el[WR_EL_SELECTED].attrs, WR_ATTR_REVERSE);
    CHECK_INT(t.el[WR_EL_MUTED].fg, 8);
    /* Elements left out keep the built-in default. */
    wr_theme b;
    wr_theme_builtin(&b);
    CHECK(memcmp(&t.el[WR_EL_SEV1], &b.el[WR_EL_SEV1], sizeof b.el[0]) == 0);
    /* Without a name: the file's. */
    CHECK_INT(load(&t, "elements: {}\n"), 0);
    CHECK_STR(t.name, "t");
}

static void test_bad(void)
{
    wr_theme t;
    CHECK_INT(load(&t, "elments: {}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:1:1: unknown key 'elments' (did you mean 'elements'?)"));
    CHECK_INT(load(&t, "name: x\n"), -1);
    CHECK(starts(errbuf, "t.yaml:1:1: missing required key 'elements'"));
    CHECK_INT(load(&t, "elements:\n  header: {}\n  headr: {}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:3:3: unknown element 'headr' (did you mean 'header'?)"));
    CHECK_INT(load(&t, "elements:\n  header: {fg: redd}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:2:16: a string \"redd\" is not a colour for 'fg' (did you mean 'red'?)"));
    CHECK_INT(load(&t, "elements:\n  status: {bg: 256}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:2:16: 'bg' must be between 0 and 255, found 256"));
    CHECK_INT(load(&t, "elements:\n  header:\n    attrs: [bold, bolt]\n"), -1);
    CHECK(starts(errbuf, "t.yaml:3:19: unknown attribute 'bolt' (did you mean 'bold'?)"));
    CHECK_INT(load(&t, "elements:\n  header: {fgg: red}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:2:12: unknown key 'fgg' (did you mean 'fg'?)"));
    CHECK_INT(load(&t, "elements:\n  header:\n    fg: [1]\n"), -1);
    CHECK(starts(errbuf, "t.yaml:3:9: expected a string for 'fg', found a list"));
    CHECK_INT(load(&t, "elements:\n  header: 3\n"), -1);
    CHECK(starts(errbuf, "t.yaml:2:11: expected a mapping for element 'header', found an integer 3"));
    CHECK_INT(load(&t, "elements:\n  header: {attrs: [bold, bold]}\n"), -1);
    CHECK(starts(errbuf, "t.yaml:2:26: duplicate attribute 'bold'"));
    CHECK_INT(load(&t, "- a\n"), -1);
    CHECK(starts(errbuf, "t.yaml:1:1: expected a mapping for a theme, found a list"));
    CHECK_INT(load(&t, "elements:\n  header: {fg: \"12\"}\n"), -1); /* quoted numbers are strings */
    CHECK(starts(errbuf, "t.yaml:2:16: a string \"12\" is not a colour"));
    CHECK_INT(load(&t, "elements:\n  header: &a {fg: red}\n"), -1);
    CHECK(strstr(errbuf, "anchors and aliases are not allowed") != NULL);
    CHECK_INT(load(&t, "elements:\n  header: {fg: red\n"), -1); /* YAML syntax error */
    CHECK(starts(errbuf, "t.yaml:3:1:"));
    /* A failed load leaves the built-in default, never half a theme. */
    wr_theme b;
    wr_theme_builtin(&b);
    CHECK_INT(load(&t, "elements:\n  header: {fg: 1}\n  selected: {fg: nope}\n"), -1);
    CHECK(memcmp(t.el, b.el, sizeof b.el) == 0);
    CHECK_STR(t.name, "default");
}

static void test_degrade(void)
{
    /* 256 colours: as written. */
    CHECK_INT(wr_theme_degrade(196, 256), 196);
    CHECK_INT(wr_theme_degrade(5, 256), 5);
    CHECK_INT(wr_theme_degrade(WR_COLOR_DEFAULT, 256), WR_COLOR_DEFAULT);
    /* 16 colours: the bright ones are available. */
    CHECK_INT(wr_theme_degrade(196, 16), 9);  /* #ff0000 -> bright red */
    CHECK_INT(wr_theme_degrade(244, 16), 8);  /* mid grey -> bright black */
    CHECK_INT(wr_theme_degrade(231, 16), 15); /* white */
    CHECK_INT(wr_theme_degrade(12, 16), 12);
    /* 8 colours: the nearest of the 8. */
    CHECK_INT(wr_theme_degrade(196, 8), 1);  /* red */
    CHECK_INT(wr_theme_degrade(46, 8), 2);   /* #00ff00 -> green */
    CHECK_INT(wr_theme_degrade(226, 8), 3);  /* #ffff00 -> yellow */
    CHECK_INT(wr_theme_degrade(21, 8), 4);   /* #0000ff -> blue */
    CHECK_INT(wr_theme_degrade(18, 8), 4);   /* navy -> blue */
    CHECK_INT(wr_theme_degrade(201, 8), 5);  /* #ff00ff -> magenta */
    CHECK_INT(wr_theme_degrade(51, 8), 6);   /* #00ffff -> cyan */
    CHECK_INT(wr_theme_degrade(231, 8), 7);  /* white */
    CHECK_INT(wr_theme_degrade(16, 8), 0);   /* black */
    CHECK_INT(wr_theme_degrade(236, 8), 0);  /* dark grey -> black */
    CHECK_INT(wr_theme_degrade(250, 8), 7);  /* light grey -> white */
    CHECK_INT(wr_theme_degrade(9, 8), 1);    /* bright red -> red */
    CHECK_INT(wr_theme_degrade(12, 8), 4);   /* bright blue -> blue */
    CHECK_INT(wr_theme_degrade(3, 8), 3);
    /* Fewer than 8: none. */
    CHECK_INT(wr_theme_degrade(1, 2), WR_COLOR_DEFAULT);
    CHECK_INT(wr_theme_degrade(1, 0), WR_COLOR_DEFAULT);
    /* Every colour degrades into range. */
    int bad = 0;
    for (int c = -1; c < 256; c++)
        for (int n = 8; n <= 256; n *= 2) {
            int d = wr_theme_degrade(c, n);
            if (d < -1 || d >= n || (c >= 0 && c < n && d != c))
                bad++;
        }
    CHECK_INT(bad, 0);

    /* The effective style: colours degraded; without colour, the mono attributes. */
    wr_theme t;
    wr_theme_builtin(&t);
    wr_style s = wr_theme_effective(&t, WR_EL_HEADER, 8);
    CHECK_INT(s.fg, 7);
    CHECK_INT(s.bg, 4);
    CHECK_INT(s.attrs, WR_ATTR_BOLD);
    s = wr_theme_effective(&t, WR_EL_HEADER, 256);
    CHECK_INT(s.fg, 15);
    CHECK_INT(s.bg, 18);
    s = wr_theme_effective(&t, WR_EL_HEADER, 0);
    CHECK_INT(s.fg, WR_COLOR_DEFAULT);
    CHECK_INT(s.bg, WR_COLOR_DEFAULT);
    CHECK_INT(s.attrs, WR_ATTR_REVERSE | WR_ATTR_BOLD);
    s = wr_theme_effective(&t, WR_EL_MUTED, 0);
    CHECK_INT(s.attrs, WR_ATTR_DIM);
    /* Two colours that collapse into one keep the text readable. */
    CHECK_INT(load(&t, "elements:\n  header: {fg: 196, bg: 160}\n"), 0);
    s = wr_theme_effective(&t, WR_EL_HEADER, 8);
    CHECK(s.fg != s.bg);
    CHECK(s.attrs & WR_ATTR_REVERSE);
    /* Without colour every element that must stand out does, by attributes alone. */
    static const wr_theme_el must[] = {WR_EL_HEADER, WR_EL_STATUS, WR_EL_SELECTED, WR_EL_FOCUS_TITLE, WR_EL_ERROR,
                                       WR_EL_BANNER, WR_EL_SEV1, WR_EL_PINNED, WR_EL_STEP_BLOCKED, WR_EL_WARNING};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        CHECK(wr_theme_effective(&t, must[i], 0).attrs != 0);
}

int main(void)
{
    test_shipped();
    test_good();
    test_bad();
    test_degrade();
    return check_done();
}
