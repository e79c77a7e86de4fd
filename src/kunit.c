// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_kunit: KUnit tests of pcfifo's pure logic, the pace arithmetic
 * and the parsers of what users write, on copies of pace.c and parse.c.
 * A module of its own, built only with CONFIG_PCFIFO_KUNIT_TEST=m on the
 * make command line for a kernel with CONFIG_KUNIT (the debug lane's); its
 * tests run when it loads and report in the kernel log.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "pace.c"
#include "parse.c"

#define MS	NSEC_PER_MSEC

/* Item k is due at epoch + k / rate: 1000/s puts one per ms from 0. */
static void pace_due_follows_the_deadlines(struct kunit *test)
{
	struct pcfifo_pace pace = {};

	pcfifo_pace_set_rate(&pace, 1000, 5 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 4 * MS, 100), 0U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 5 * MS, 100), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 6 * MS - 1, 100), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 6 * MS, 100), 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 15 * MS, 100), 11U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 15 * MS, 4), 4U);
	pcfifo_pace_advance(&pace, 4, 15 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 15 * MS, 100), 7U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_next(&pace), 9 * MS);
}

/* The run moves on by a second every @rate items: no drift, no overflow. */
static void pace_advance_wraps_whole_seconds(struct kunit *test)
{
	struct pcfifo_pace pace = {};
	u64 now = 0;
	int i;

	pcfifo_pace_set_rate(&pace, 3, 0);
	for (i = 0; i < 7; i++) {
		KUNIT_ASSERT_EQ(test, pcfifo_pace_due(&pace, now, 1), 1U);
		pcfifo_pace_advance(&pace, 1, now);
		now = pcfifo_pace_next(&pace);
	}
	KUNIT_EXPECT_EQ(test, pace.epoch, 2 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, pace.done, 1U);
	KUNIT_EXPECT_EQ(test, now, 2 * NSEC_PER_SEC + div_u64(NSEC_PER_SEC, 3));
}

/* A huge lag at the highest rate is capped, not wrapped around. */
static void pace_due_caps_a_huge_lag(struct kunit *test)
{
	struct pcfifo_pace pace = {};

	pcfifo_pace_set_rate(&pace, PCFIFO_RATE_MAX, 0);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, U64_MAX / 2,
					      PCFIFO_BATCH_MAX),
			PCFIFO_BATCH_MAX);
}

/* A new rate: the next item one new period after the last, or now. */
static void pace_set_rate_spaces_from_the_last_item(struct kunit *test)
{
	struct pcfifo_pace pace = {};

	pcfifo_pace_set_rate(&pace, 10, 0);
	pcfifo_pace_advance(&pace, 1, 2 * MS);
	pcfifo_pace_set_rate(&pace, 100, 3 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_next(&pace), 12 * MS);
	pcfifo_pace_set_rate(&pace, 100, 50 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_next(&pace), 50 * MS);
	pcfifo_pace_restart(&pace, 70 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, 70 * MS, 100), 1U);
}

static struct kunit_case pcfifo_pace_cases[] = {
	KUNIT_CASE(pace_due_follows_the_deadlines),
	KUNIT_CASE(pace_advance_wraps_whole_seconds),
	KUNIT_CASE(pace_due_caps_a_huge_lag),
	KUNIT_CASE(pace_set_rate_spaces_from_the_last_item),
	{}
};

static struct kunit_suite pcfifo_pace_suite = {
	.name = "pcfifo_pace",
	.test_cases = pcfifo_pace_cases,
};

static int parse_rate(const char *s)
{
	u32 rate = 7;
	int ret = pcfifo_parse_rate(s, strlen(s), &rate);

	return ret ? ret : rate;
}

static void parse_rate_takes_decimal_up_to_the_max(struct kunit *test)
{
	u32 rate = 7;

	KUNIT_EXPECT_EQ(test, parse_rate("0"), 0);
	KUNIT_EXPECT_EQ(test, parse_rate("+25\n"), 25);
	KUNIT_EXPECT_EQ(test, parse_rate("1000000"), PCFIFO_RATE_MAX);
	KUNIT_EXPECT_EQ(test, parse_rate("1000001"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_rate("99999999999"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_rate(""), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_rate("-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_rate("0x10"), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_rate("5\n\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_rate("5\0", 2, &rate), -EINVAL);
	KUNIT_EXPECT_EQ(test, rate, 7U);
}

static int parse_capacity(const char *s)
{
	unsigned int capacity = 7;
	int ret = pcfifo_parse_capacity(s, &capacity);

	return ret ? ret : capacity;
}

static void parse_capacity_takes_1_to_the_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse_capacity("1"), 1);
	KUNIT_EXPECT_EQ(test, parse_capacity("65536\n"), PCFIFO_CAPACITY_MAX);
	KUNIT_EXPECT_EQ(test, parse_capacity("0"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("65537"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("4294967296"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("four"), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_capacity(" 4"), -EINVAL);
}

static void parse_name_takes_1_to_64_bytes(struct kunit *test)
{
	char name[PCFIFO_NAME_MAX + 1], long_name[PCFIFO_NAME_MAX + 2];

	KUNIT_EXPECT_EQ(test, pcfifo_parse_name("spare\n", 6, name), 0);
	KUNIT_EXPECT_STREQ(test, name, "spare");
	memset(long_name, 'x', sizeof(long_name));
	KUNIT_EXPECT_EQ(test, pcfifo_parse_name(long_name, PCFIFO_NAME_MAX,
						name), 0);
	KUNIT_EXPECT_EQ(test, strlen(name), (size_t)PCFIFO_NAME_MAX);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_name(long_name, PCFIFO_NAME_MAX + 1,
						name), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_name("\n", 1, name), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_name("", 0, name), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_name("a\0b", 3, name), -EINVAL);
}

static struct kunit_case pcfifo_parse_cases[] = {
	KUNIT_CASE(parse_rate_takes_decimal_up_to_the_max),
	KUNIT_CASE(parse_capacity_takes_1_to_the_max),
	KUNIT_CASE(parse_name_takes_1_to_64_bytes),
	{}
};

static struct kunit_suite pcfifo_parse_suite = {
	.name = "pcfifo_parse",
	.test_cases = pcfifo_parse_cases,
};

kunit_test_suites(&pcfifo_pace_suite, &pcfifo_parse_suite);

MODULE_DESCRIPTION("KUnit tests of pcfifo's pace arithmetic and parsers");
MODULE_LICENSE("GPL");
