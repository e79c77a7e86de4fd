/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pcfifo: the device files /dev/pcfifo/NAME, for programs.
 *
 * Installed as <linux/pcfifo.h>. See pcfifo(4) and
 * Documentation/ABI/testing/dev-pcfifo.
 */
#ifndef _UAPI_LINUX_PCFIFO_H
#define _UAPI_LINUX_PCFIFO_H

#include <linux/ioctl.h>

/* Bytes in one item: 1..PCFIFO_ITEM_MAX. */
#define PCFIFO_ITEM_MAX		64

/*
 * How an open file frames items, set per open file with
 * PCFIFO_IOC_SET_FRAMING (an int) and read with PCFIFO_IOC_GET_FRAMING.
 *
 * PCFIFO_FRAMING_LINES, the default: a write is items separated by
 * newlines; a read returns whole items, each followed by a newline.
 * PCFIFO_FRAMING_RECORDS: one write is one item of 1..PCFIFO_ITEM_MAX
 * arbitrary bytes, one read returns one item, with no separator (as a
 * pipe in packet mode, pipe(7)).
 */
#define PCFIFO_FRAMING_LINES	0
#define PCFIFO_FRAMING_RECORDS	1

#define PCFIFO_IOC_MAGIC	0xb9
#define PCFIFO_IOC_SET_FRAMING	_IOW(PCFIFO_IOC_MAGIC, 1, int)
#define PCFIFO_IOC_GET_FRAMING	_IOR(PCFIFO_IOC_MAGIC, 2, int)

#endif /* _UAPI_LINUX_PCFIFO_H */
