/* SPDX-License-Identifier: MIT */
/* evidence.h - affected assets and indicators of compromise of an incident (docs/lifecycle.md). */
#ifndef WARROOM_EVIDENCE_H
#define WARROOM_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"

/* Asset kinds are runbook.h's wr_rb_asset_kinds. */
int wr_asset_kind_valid(const char *kind);
extern const char *const wr_indicator_types[];
extern const size_t wr_nindicator_types;
/* Check an indicator's value for its type and normalise it (lowercase domains and hashes, canonical IP
 * addresses). WR_OK with *out (caller frees), or WR_E_INVALID saying why. */
wr_status wr_indicator_normalize(const char *type, const char *value, char **out, wr_error *err);

wr_status wr_op_asset(const wr_opctx *c, int64_t inc, const char *kind, const char *name, int remove,
                      wr_write *w, wr_error *err);
wr_status wr_op_indicator(const wr_opctx *c, int64_t inc, const char *type, const char *value, const char *note,
                          int remove, wr_write *w, wr_error *err);

typedef struct wr_asset {
    char *kind, *name, *added_by;
    int64_t added_at;
} wr_asset;
typedef struct wr_indicator {
    char *type, *value, *note, *added_by;
    int64_t added_at;
} wr_indicator;
wr_status wr_assets_list(wr_store *st, int64_t inc, wr_asset **out, size_t *n, wr_error *err);
void wr_assets_free(wr_asset *v, size_t n);
wr_status wr_indicators_list(wr_store *st, int64_t inc, wr_indicator **out, size_t *n, wr_error *err);
void wr_indicators_free(wr_indicator *v, size_t n);

#endif
