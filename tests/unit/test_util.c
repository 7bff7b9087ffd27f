/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/util.h"

#include <stdlib.h>

int main(void)
{
    wr_buf b = {0};
    CHECK_STR(wr_buf_str(&b), "");
    wr_buf_printf(&b, "INC-%d", 42);
    wr_buf_puts(&b, " open");
    CHECK_STR(wr_buf_str(&b), "INC-42 open");
    CHECK_INT(b.len, 11);
    char *s = wr_buf_steal(&b);
    CHECK_STR(s, "INC-42 open");
    CHECK(b.s == NULL && b.len == 0);
    free(s);

    CHECK_INT(wr_edit_distance("kitten", "sitting"), 3);
    CHECK_INT(wr_edit_distance("", "abc"), 3);
    const char *keys[] = {"title", "detail", "mandatory", "commands"};
    CHECK_STR(wr_suggest("mandtory", keys, 4), "mandatory");
    CHECK(wr_suggest("zzzzzzzz", keys, 4) == NULL);
    CHECK(wr_startswith("INC-42", "INC-"));
    CHECK(!wr_startswith("INC", "INC-"));
    return check_done();
}
