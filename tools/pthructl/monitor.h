/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor's event lines, shared with the unit tests.
 */
#ifndef PTHRUCTL_MONITOR_H
#define PTHRUCTL_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "dev.h"

/* "dev-add" etc. for a PTHRU_CMD_DEV_*_NTF command, NULL for others. */
const char *monitor_event_name(int cmd);

/*
 * One event on one line, flushed: "dev-add ADDR VVVV:DDDD driver=NAME",
 * or {"event":"dev-add","dev":{...}} with @json.
 */
void monitor_print_event(FILE *out, const char *event,
			 const struct pthru_dev *dev, bool json);

#endif /* PTHRUCTL_MONITOR_H */
