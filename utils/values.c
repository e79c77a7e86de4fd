// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: value rules and the messages of refused values.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "values.h"

static const char *const kind_names[] = { "fifo", "producer", "consumer" };
static const char *const kind_dirs[] = { "fifos", "producers", "consumers" };

const char *kind_name(enum kind k)
{
	return k < KIND_NONE ? kind_names[k] : "?";
}

const char *kind_dir(enum kind k)
{
	return k < KIND_NONE ? kind_dirs[k] : "?";
}

enum kind kind_parse(const char *s)
{
	int k;

	for (k = 0; k < KIND_NONE; k++)
		if (!strcmp(s, kind_names[k]) || !strcmp(s, kind_dirs[k]))
			return (enum kind)k;
	return KIND_NONE;
}

int parse_uint(const char *s, unsigned int *out)
{
	unsigned long long v = 0;
	const char *p = s;

	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > 0xffffffffull)
			v = 0x100000000ull;	/* overflow: keep checking syntax */
	}
	if (*p == '\n')
		p++;
	if (*p)
		return EINVAL;
	if (v > 0xffffffffull)
		return ERANGE;
	*out = (unsigned int)v;
	return 0;
}

int check_rate(const char *s, unsigned int *out)
{
	unsigned int v;
	int err = parse_uint(s, &v);

	if (err)
		return err;
	if (v > (unsigned int)PCFIFO_RATE_MAX)
		return ERANGE;
	if (out)
		*out = v;
	return 0;
}

int check_capacity(const char *s, unsigned int *out)
{
	unsigned int v;
	int err = parse_uint(s, &v);

	if (err)
		return err;
	if (v < (unsigned int)PCFIFO_CAPACITY_MIN ||
	    v > (unsigned int)PCFIFO_CAPACITY_MAX)
		return ERANGE;
	if (out)
		*out = v;
	return 0;
}

int check_name(const char *s)
{
	size_t len = strlen(s);

	if (!len || strchr(s, '/') || strchr(s, '\n') ||
	    !strcmp(s, ".") || !strcmp(s, ".."))
		return EINVAL;
	if (len > (size_t)PCFIFO_NAME_MAX)
		return ENAMETOOLONG;
	return 0;
}

int check_item(const char *s)
{
	size_t len = strlen(s);

	return len < 1 || len > PCFIFO_ITEM_MAX ? EINVAL : 0;
}

int check_line_item(const char *s)
{
	return strchr(s, '\n') ? EINVAL : check_item(s);
}

#define STR2(x) #x
#define STR(x) STR2(x)

const char *key_range(const char *key)
{
	if (!strcmp(key, "rate"))
		return "0.." STR(PCFIFO_RATE_MAX);
	if (!strcmp(key, "capacity"))
		return STR(PCFIFO_CAPACITY_MIN) ".." STR(PCFIFO_CAPACITY_MAX);
	if (!strcmp(key, "item"))
		return "1.." STR(PCFIFO_ITEM_MAX) " bytes";
	if (!strcmp(key, "send item"))
		return "1.." STR(PCFIFO_ITEM_MAX) " bytes, no newline";
	/* fifo, names */
	return "1.." STR(PCFIFO_NAME_MAX) " bytes, no '/' or newline";
}

const char *errno_words(int err)
{
	switch (err) {
	case EINVAL:
		return "invalid argument";
	case ERANGE:
		return "out of range";
	case ENAMETOOLONG:
		return "name too long";
	case ENOENT:
		return "does not exist";
	case EEXIST:
		return "already exists";
	case EBUSY:
		return "busy";
	case EPERM:
		return "not permitted";
	case EACCES:
		return "permission denied";
	default:
		return strerror(err);
	}
}

void escape_value(char *buf, size_t size, const char *value)
{
	size_t n = 0;
	const unsigned char *p;

	if (!size)
		return;
	for (p = (const unsigned char *)value; *p && n + 5 < size; p++) {
		if (*p == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (*p == '\t') {
			buf[n++] = '\\';
			buf[n++] = 't';
		} else if (*p == '\\') {
			buf[n++] = '\\';
			buf[n++] = '\\';
		} else if (*p < 0x20 || *p == 0x7f) {
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *p);
		} else {
			buf[n++] = (char)*p;
		}
	}
	buf[n] = '\0';
}

void value_message(char *buf, size_t size, const char *key, const char *value,
		   int err)
{
	char shown[4 * PCFIFO_ITEM_MAX + 8];

	escape_value(shown, sizeof(shown), value);
	snprintf(buf, size, "%s %s: %s, %s", key, *shown ? shown : "\"\"",
		 errno_words(err), key_range(key));
}

void value_error(const char *prefix, const char *key, const char *value, int err)
{
	char msg[512];

	value_message(msg, sizeof(msg), key, value, err);
	fprintf(stderr, "pcfifoctl: %s%s%s\n", prefix ? prefix : "",
		prefix ? ": " : "", msg);
}

int parse_seconds(const char *s, unsigned int max_ms, unsigned int *ms)
{
	unsigned long long v = 0;
	unsigned int frac = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > 1000000000ull)
			v = 1000000001ull;
	}
	if (*p == '.') {
		unsigned int digits = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 3)
				frac = frac * 10 + (unsigned int)(*p - '0');
		if (!digits)
			return EINVAL;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p)
		return EINVAL;
	v = v * 1000 + frac;
	if (v > max_ms)
		return ERANGE;
	*ms = (unsigned int)v;
	return 0;
}

bool key_valid(enum kind k, const char *key)
{
	switch (k) {
	case KIND_FIFO:
		return !strcmp(key, "capacity");
	case KIND_PRODUCER:
		return !strcmp(key, "rate") || !strcmp(key, "item") ||
		       !strcmp(key, "fifo");
	case KIND_CONSUMER:
		return !strcmp(key, "rate") || !strcmp(key, "fifo");
	default:
		return false;
	}
}

int check_key_value(const char *key, const char *value)
{
	if (!strcmp(key, "rate"))
		return check_rate(value, NULL);
	if (!strcmp(key, "capacity"))
		return check_capacity(value, NULL);
	if (!strcmp(key, "item"))
		return check_item(value);
	if (!strcmp(key, "fifo"))
		return check_name(value);
	return EINVAL;
}
