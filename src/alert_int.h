/* SPDX-License-Identifier: MIT */
/* alert_int.h - private to the alert store code (alert.c, alert_fold.c). */
#ifndef WARROOM_ALERT_INT_H
#define WARROOM_ALERT_INT_H

#include "kinds_int.h"

/* The applier of "alert.received" (alert_fold.c), listed in alert.c's module table. */
wr_status wr_alert_apply_received(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);

#endif
