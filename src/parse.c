// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the parsers of what users write to rate, capacity and fifo, to
 * the module parameters and to a device file. Pure functions, tested by
 * kunit.c.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <asm/word-at-a-time.h>

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

/*
 * Offset of the first newline or NUL in @s[0..@len), or @len: a word at a
 * time, as strscpy() scans, for a write of many short lines.
 */
static size_t pcfifo_line_end(const char *s, size_t len)
{
	const struct word_at_a_time constants = WORD_AT_A_TIME_CONSTANTS;
	unsigned long word, nul, nl;
	size_t i;

	for (i = 0; i + sizeof(word) <= len; i += sizeof(word)) {
		memcpy(&word, s + i, sizeof(word));	/* any alignment */
		if (has_zero(word, &nul, &constants) ||
		    has_zero(word ^ REPEAT_BYTE('\n'), &nl, &constants))
			break;
	}
	for (; i < len; i++)
		if (s[i] == '\n' || !s[i])
			break;
	return i;
}

/**
 * pcfifo_parse_lines - split text written to a device file into items
 * @text: the bytes, not NUL-terminated
 * @len: their number
 * @last: nothing follows @text in the caller's buffer
 * @spans: receives up to @max items, 1..PCFIFO_ITEM_MAX bytes each, as
 *	spans of @text; an item's newline ends where the next span starts
 * @max: most items to make
 * @used: receives the bytes of the items made, with their newlines
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
				struct pcfifo_span *spans, unsigned int max,
				size_t *used, bool *bad)
{
	size_t pos = 0, end, next;
	unsigned int n = 0;

	*bad = false;
	while (pos < len && n < max) {
		/* A newline or NUL in the item's bytes and one more. */
		end = pos + pcfifo_line_end(text + pos,
					    min_t(size_t, len - pos,
						  PCFIFO_ITEM_MAX + 1));
		if (end < len && text[end] == '\n')
			next = end + 1;
		else if (end < len && !text[end])
			next = 0;	/* a NUL: bad */
		else if (last || end - pos > PCFIFO_ITEM_MAX)
			next = end;	/* the last line, or too long */
		else
			break;		/* may go on in the next chunk */
		if (!next || end == pos || end - pos > PCFIFO_ITEM_MAX) {
			*bad = true;
			break;
		}
		spans[n].off = pos;
		spans[n++].len = end - pos;
		pos = next;
	}
	*used = pos;
	return n;
}
