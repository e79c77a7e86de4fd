// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the parsers of what users write to rate, capacity and fifo,
 * and to the module parameters. Pure functions, tested by kunit.c.
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
