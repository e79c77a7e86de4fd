// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the parsers of what users write to rate, capacity and fifo, to
 * the module parameters and to a device file. Pure functions, tested by
 * kunit.c.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "core.h"

/**
 * pcfifo_parse_rate - parse a rate written by a user
 * @buf: the text, NUL-terminated at @len
 * @len: its length
 * @rate: the result, untouched on error
 *
 * Accepts what kstrtou32() accepts in base 10, one trailing newline
 * included.
 *
 * Return: 0, -EINVAL for anything that is not a number (an embedded NUL
 * included), -ERANGE for a number above PCFIFO_RATE_MAX.
 */
int pcfifo_parse_rate(const char *buf, size_t len, u32 *rate)
{
	u32 val;
	int ret;

	if (strnlen(buf, len) != len)
		return -EINVAL;
	ret = kstrtou32(buf, 10, &val);
	if (ret)
		return ret;
	if (val > PCFIFO_RATE_MAX)
		return -ERANGE;
	*rate = val;
	return 0;
}

/**
 * pcfifo_parse_capacity - parse a capacity written by a user
 * @buf: the text, NUL-terminated at @len
 * @len: its length
 * @capacity: the result, untouched on error
 *
 * Return: 0, -EINVAL for anything that is not a number (an embedded NUL
 * included), -ERANGE for a number outside 1..PCFIFO_CAPACITY_MAX.
 */
int pcfifo_parse_capacity(const char *buf, size_t len, unsigned int *capacity)
{
	unsigned int val;
	int ret;

	if (strnlen(buf, len) != len)
		return -EINVAL;
	ret = kstrtouint(buf, 10, &val);
	if (ret)
		return ret;
	if (val < 1 || val > PCFIFO_CAPACITY_MAX)
		return -ERANGE;
	*capacity = val;
	return 0;
}

/**
 * pcfifo_parse_name - parse a FIFO's name written by a user
 * @buf: the text
 * @len: its length
 * @name: the name, NUL-terminated
 *
 * Return: 0; -EINVAL when empty (after one trailing newline) or holding a
 * NUL byte; -ENAMETOOLONG above PCFIFO_NAME_MAX bytes.
 */
int pcfifo_parse_name(const char *buf, size_t len,
		      char name[PCFIFO_NAME_MAX + 1])
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || memchr(buf, '\0', len))
		return -EINVAL;
	if (len > PCFIFO_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, buf, len);
	name[len] = '\0';
	return 0;
}

/**
 * pcfifo_parse_lines - split text written to a device file into items
 * @text: the bytes, not NUL-terminated
 * @len: their number
 * @last: nothing follows @text in the caller's buffer
 * @items: receives up to @max items, 1..PCFIFO_ITEM_MAX bytes each
 * @ends: receives, for each item, the offset in @text just after it and
 *	its newline
 * @max: most items to make
 * @bad: set when a bad line stopped the split, cleared otherwise
 *
 * Lines end at a newline. A line without one is an item only when @last;
 * otherwise it is left for the caller's next chunk, unless it is already
 * too long. A line is bad when it is empty, longer than PCFIFO_ITEM_MAX or
 * holds a NUL: the split stops before it.
 *
 * Return: items made, 0 to @max.
 */
unsigned int pcfifo_parse_lines(const char *text, size_t len, bool last,
				struct pcfifo_item *items, u16 *ends,
				unsigned int max, bool *bad)
{
	size_t pos = 0, end, next;
	unsigned int n = 0;
	const char *nl;

	*bad = false;
	while (pos < len && n < max) {
		nl = memchr(text + pos, '\n', len - pos);
		if (nl) {
			end = nl - text;
			next = end + 1;
		} else if (last || len - pos > PCFIFO_ITEM_MAX) {
			end = len;
			next = len;
		} else {
			break;
		}
		if (end == pos || end - pos > PCFIFO_ITEM_MAX ||
		    memchr(text + pos, '\0', end - pos)) {
			*bad = true;
			break;
		}
		items[n].len = end - pos;
		memcpy(items[n].data, text + pos, end - pos);
		ends[n++] = next;
		pos = next;
	}
	return n;
}
