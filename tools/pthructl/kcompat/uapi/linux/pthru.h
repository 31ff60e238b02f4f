/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core names the ABI header as the kernel tree does; the tool finds
 * the same file as <linux/pthru.h> through -I../../uapi.
 */
#include <linux/pthru.h>
