/* SPDX-License-Identifier: MIT */
/* fuzz_fscheck.c - libFuzzer target for the mountinfo parser and classifier.
 * Input: first line is the path to look up, the rest is the mountinfo text. */
#include "warroom/fscheck.h"
#include "warroom/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = wr_xstrndup((const char *)data, size);
    char *nl = strchr(text, '\n');
    const char *path = text, *mountinfo = "";
    if (nl) {
        *nl = '\0';
        mountinfo = nl + 1;
    }
    unsigned long magic = size > 0 ? (unsigned long)data[0] * 0x01010101UL : 0;
    wr_fsinfo fi;
    int rc = wr_fs_classify_mountinfo_dev(mountinfo, path, size % 3 ? magic : 0, size % 5, size % 7, &fi);
    if ((rc != 0 && rc != -1) || memchr(fi.fstype, 0, sizeof fi.fstype) == NULL ||
        memchr(fi.mountpoint, 0, sizeof fi.mountpoint) == NULL || memchr(fi.source, 0, sizeof fi.source) == NULL ||
        memchr(fi.options, 0, sizeof fi.options) == NULL || memchr(fi.verdict, 0, sizeof fi.verdict) == NULL ||
        memchr(fi.advice, 0, sizeof fi.advice) == NULL || fi.fstype[0] == '\0' || fi.verdict[0] == '\0' ||
        (unsigned)fi.scope > WR_LOCKS_BROKEN)
        abort();
    free(text);
    return 0;
}
