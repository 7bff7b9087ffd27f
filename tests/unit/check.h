/* SPDX-License-Identifier: MIT */
/* check.h - the tiny assertion kit of warroom's plain-C unit tests.
 *
 *   CHECK(cond)            records a failure (file:line and the expression) and goes on
 *   CHECK_STR(a, b)        string equality, printing both on failure
 *   CHECK_INT(a, b)        integer equality, printing both on failure
 *   return check_done();   at the end of main: prints the counts, exit status 1 on any failure or when no
 *                          check ran at all
 *   return CHECK_SKIP(why); the test cannot run here: exit 77, which CMake reports as skipped
 */
#ifndef WARROOM_TEST_CHECK_H
#define WARROOM_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            check_passed++;                                                          \
        } else {                                                                     \
            check_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_STR(a, b)                                                                      \
    do {                                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                                         \
        if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {                       \
            check_passed++;                                                                  \
        } else {                                                                             \
            check_failed++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == %s\n  got:      \"%s\"\n"      \
                            "  expected: \"%s\"\n",                                          \
                    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",              \
                    check_b_ ? check_b_ : "(null)");                                         \
        }                                                                                    \
    } while (0)

#define CHECK_INT(a, b)                                                                    \
    do {                                                                                   \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                    \
        if (check_a_ == check_b_) {                                                        \
            check_passed++;                                                                \
        } else {                                                                           \
            check_failed++;                                                                \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %s (got %lld, expected %lld)\n", \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                       \
        }                                                                                  \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    if (check_passed + check_failed == 0) {
        fprintf(stderr, "the test ran no check\n");
        return 1;
    }
    return check_failed ? 1 : 0;
}

#define CHECK_SKIP(why) (printf("SKIP: %s\n", (why)), 77)

#endif
