/* SPDX-License-Identifier: MIT */
/* fuzz_cmdline - the `:` prompt's command-line splitter and command lookup. */
#include "warroom/cmd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = '\0';
    int argc;
    char **argv;
    wr_buf err = {0};
    if (wr_cmd_split(line, &argc, &argv, &err) == 0) {
        for (int i = 0; i < argc; i++)
            if (!argv[i])
                abort();
        if (argv[argc] != NULL)
            abort();
        if (argc > 0)
            (void)wr_cmd_find(argv[0]);
        wr_cmd_free_argv(argc, argv);
    }
    wr_buf_free(&err);
    free(line);
    return 0;
}
