/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: the rules for every value the tool writes, as the kernel
 * applies them (README "Values and errors"), checked before the first
 * write. Pure code: no I/O but the messages, tested on the host
 * (tests/test_values.c).
 */
#ifndef PCFIFOCTL_VALUES_H
#define PCFIFOCTL_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/uapi/pcfifo.h"	/* PCFIFO_ITEM_MAX */

/* The limits the uapi header does not carry; one place for each. */
#define PCFIFO_RATE_MAX		1000000
#define PCFIFO_CAPACITY_MIN	1
#define PCFIFO_CAPACITY_MAX	65536
#define PCFIFO_NAME_MAX		64

/* Exit statuses of every command. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

enum kind { KIND_FIFO, KIND_PRODUCER, KIND_CONSUMER, KIND_NONE };

/* "fifo", "producer", "consumer"; plural "fifos", ... (directory names). */
const char *kind_name(enum kind k);
const char *kind_dir(enum kind k);
/* "fifo"/"fifos" etc. to a kind; KIND_NONE if it is none. */
enum kind kind_parse(const char *s);

/*
 * Each check returns 0 or the errno the kernel would return for the
 * value: EINVAL, ERANGE, ENAMETOOLONG.
 *
 * Numbers are parsed as kstrtouint() base 10 does: an optional leading
 * '+', decimal digits, one optional trailing newline; overflow is ERANGE.
 */
int parse_uint(const char *s, unsigned int *out);
int check_rate(const char *s, unsigned int *out);
int check_capacity(const char *s, unsigned int *out);
/* A FIFO or instance name: 1..64 bytes, a directory name ('/', "." and
 * ".." refused) without a newline.
 */
int check_name(const char *s);
/* A producer's item: 1..64 bytes (what the kernel stores). */
int check_item(const char *s);
/* An item for send (line framing): as check_item, and no newline. */
int check_line_item(const char *s);

/* The valid range of KEY as the messages show it ("0..1000000"). */
const char *key_range(const char *key);
/* An errno in the words the messages use ("out of range"). */
const char *errno_words(int err);

/*
 * The message of a refused value, "KEY VALUE: WORDS, RANGE", into BUF
 * (VALUE shown escaped; "" when empty).
 */
void value_message(char *buf, size_t size, const char *key, const char *value,
		   int err);
/* Print it to stderr, prefixed with "pcfifoctl: " and PREFIX if any. */
void value_error(const char *prefix, const char *key, const char *value, int err);

/*
 * VALUE made printable on one line into BUF: \n, \t, \\ and other
 * control bytes as C escapes (\n, \t, \\, \x1b).
 */
void escape_value(char *buf, size_t size, const char *value);

/*
 * Seconds as a decimal ("2", "0.5", "1.25") into milliseconds, 0..MAX_MS.
 * 0 or EINVAL / ERANGE.
 */
int parse_seconds(const char *s, unsigned int max_ms, unsigned int *ms);

/*
 * The keys each kind has: "capacity" (fifo); "rate", "item", "fifo"
 * (producer); "rate", "fifo" (consumer).
 */
bool key_valid(enum kind k, const char *key);
/*
 * Check VALUE for KEY: 0 or the errno (the FIFO named by "fifo" must
 * exist, which is not checked here).
 */
int check_key_value(const char *key, const char *value);

#endif
