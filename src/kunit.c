// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_kunit: KUnit tests of pcfifo's pure logic: the FIFO's hand-off
 * to its waiters, the pace arithmetic and the parsers of what users write
 * (attributes, parameters, device files), on copies of fifo.c, pace.c and
 * parse.c. A module of its own, built only with CONFIG_PCFIFO_KUNIT_TEST=m
 * on the make command line for a kernel with CONFIG_KUNIT (the debug
 * lane's); its tests run when it loads and report in the kernel log.
 */

#include <kunit/test.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/string.h>

/* The copies export nothing: pcfifo.ko owns those symbols. */
#undef EXPORT_SYMBOL_GPL
#define EXPORT_SYMBOL_GPL(sym)

#include "fifo.c"
#include "pace.c"
#include "parse.c"

/* the FIFO and its waiters */

struct test_waiter {
	struct pcfifo_waiter w;
	unsigned int woken;
};

static void test_wake(struct pcfifo_waiter *w)
{
	container_of(w, struct test_waiter, w)->woken++;
}

static struct pcfifo *test_fifo(struct kunit *test, unsigned int capacity,
				struct test_waiter *waiters, unsigned int n)
{
	struct pcfifo *fifo = kunit_kzalloc(test, sizeof(*fifo), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fifo);
	KUNIT_ASSERT_EQ(test, pcfifo_init_ring(fifo, capacity), 0);
	while (n--) {
		pcfifo_waiter_init(&waiters[n].w, test_wake);
		waiters[n].woken = 0;
	}
	return fifo;
}

static const struct pcfifo_item test_item = { .len = 1, .data = "x" };

static unsigned int put(struct pcfifo *fifo, unsigned int n,
			struct test_waiter *t)
{
	return pcfifo_put_many(fifo, &test_item, n, t ? &t->w : NULL);
}

static unsigned int get(struct pcfifo *fifo, unsigned int n,
			struct test_waiter *t)
{
	struct pcfifo_item last;
	u64 stamps[8];

	return pcfifo_get_many(fifo, min(n, 8U), stamps, &last,
			       t ? &t->w : NULL);
}

/* A freed slot belongs to the longest waiter; nobody can barge in. */
static void fifo_hands_slots_to_the_longest_waiter(struct kunit *test)
{
	struct test_waiter t[3], *a = &t[0], *b = &t[1], *c = &t[2];
	struct pcfifo *fifo = test_fifo(test, 2, t, 3);

	KUNIT_EXPECT_EQ(test, put(fifo, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, a), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, b), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 1, NULL), 1U);
	KUNIT_EXPECT_EQ(test, a->woken, 1U);
	KUNIT_EXPECT_EQ(test, b->woken, 0U);
	/* The free slot is a's: not b's (still queued), c's or anyone's. */
	KUNIT_EXPECT_EQ(test, put(fifo, 1, b), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, c), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, NULL), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, a), 1U);
	/* Two more: b's, then c's, used in the order they queued. */
	KUNIT_EXPECT_EQ(test, get(fifo, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, b->woken, 1U);
	KUNIT_EXPECT_EQ(test, c->woken, 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, NULL), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, c), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, b), 1U);
	KUNIT_EXPECT_EQ(test, c->woken, 1U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, c), 1U);
	KUNIT_EXPECT_EQ(test, fifo->count, 2U);
	KUNIT_EXPECT_EQ(test, fifo->enqueued, fifo->dequeued + fifo->count);
	pcfifo_free_ring(fifo);
}

/* An item put belongs to the longest waiting consumer, up to its want. */
static void fifo_hands_items_to_waiting_consumers(struct kunit *test)
{
	struct test_waiter t[2], *a = &t[0], *b = &t[1];
	struct pcfifo *fifo = test_fifo(test, 8, t, 2);

	KUNIT_EXPECT_EQ(test, get(fifo, 2, a), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 1, b), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 4, NULL), 4U);
	KUNIT_EXPECT_EQ(test, a->woken, 1U);
	KUNIT_EXPECT_EQ(test, b->woken, 0U);
	/* Three are promised, used in turn; one is free for anybody. */
	KUNIT_EXPECT_EQ(test, get(fifo, 4, NULL), 1U);
	KUNIT_EXPECT_EQ(test, get(fifo, 4, b), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 4, a), 2U);
	KUNIT_EXPECT_EQ(test, b->woken, 1U);
	KUNIT_EXPECT_EQ(test, get(fifo, 4, b), 1U);
	KUNIT_EXPECT_EQ(test, fifo->count, 0U);
	KUNIT_EXPECT_EQ(test, fifo->get.reserved, 0U);
	pcfifo_cancel_wait(fifo, &a->w);
	pcfifo_cancel_wait(fifo, &b->w);
	pcfifo_free_ring(fifo);
}

/* A grant given up, or not used in full, goes to the next waiter. */
static void fifo_passes_unused_grants_on(struct kunit *test)
{
	struct test_waiter t[3], *a = &t[0], *b = &t[1], *c = &t[2];
	struct pcfifo *fifo = test_fifo(test, 4, t, 3);

	KUNIT_EXPECT_EQ(test, put(fifo, 4, NULL), 4U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, a), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, b), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 1, NULL), 1U);
	KUNIT_EXPECT_EQ(test, a->woken, 1U);
	pcfifo_cancel_wait(fifo, &a->w);
	KUNIT_EXPECT_EQ(test, b->woken, 1U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, b), 1U);

	KUNIT_EXPECT_EQ(test, put(fifo, 3, a), 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, c), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 3, NULL), 3U);
	KUNIT_EXPECT_EQ(test, a->woken, 2U);
	KUNIT_EXPECT_EQ(test, c->woken, 0U);
	/* a uses one of its three after all: c, next, gets what it wants. */
	KUNIT_EXPECT_EQ(test, put(fifo, 1, a), 1U);
	KUNIT_EXPECT_EQ(test, c->woken, 1U);
	KUNIT_EXPECT_EQ(test, fifo->put.reserved, 1U);
	/* Its grant, and the slot nobody waits for. */
	KUNIT_EXPECT_EQ(test, put(fifo, 2, c), 2U);
	KUNIT_EXPECT_EQ(test, fifo->count, 4U);
	KUNIT_EXPECT_EQ(test, fifo->put.reserved, 0U);
	KUNIT_EXPECT_EQ(test, put(fifo, 1, NULL), 0U);
	pcfifo_free_ring(fifo);
}

/* Capacity changes only while empty; new slots go to waiters. */
static void fifo_resizes_only_when_empty(struct kunit *test)
{
	struct test_waiter t[1], *a = &t[0];
	struct pcfifo *fifo = test_fifo(test, 1, t, 1);

	KUNIT_EXPECT_EQ(test, put(fifo, 1, NULL), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_set_capacity(fifo, 3), -EBUSY);
	KUNIT_EXPECT_EQ(test, put(fifo, 3, a), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 1, NULL), 1U);
	KUNIT_EXPECT_EQ(test, a->woken, 1U);
	/* Empty, but a holds one promised slot: it must fit. */
	KUNIT_EXPECT_EQ(test, pcfifo_set_capacity(fifo, 3), 0);
	KUNIT_EXPECT_EQ(test, fifo->capacity, 3U);
	KUNIT_EXPECT_EQ(test, put(fifo, 3, a), 3U);
	KUNIT_EXPECT_EQ(test, get(fifo, 8, NULL), 3U);
	KUNIT_EXPECT_EQ(test, fifo->enqueued, 4ULL);
	KUNIT_EXPECT_EQ(test, fifo->dequeued, 4ULL);
	pcfifo_free_ring(fifo);
}

static struct pcfifo_item test_item_of(const char *text)
{
	struct pcfifo_item item = { .len = strlen(text) };

	memcpy(item.data, text, item.len);
	return item;
}

/* Whole items that fit, in order; one that does not fit is not taken. */
static void fifo_get_items_takes_what_fits(struct kunit *test)
{
	struct pcfifo_item in[3] = { test_item_of("ab"), test_item_of("cde"),
				     test_item_of("f") };
	struct pcfifo_item out[3];
	struct test_waiter t;
	struct pcfifo *fifo = test_fifo(test, 4, &t, 1);

	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 3, NULL), 3U);
	/* "ab\n" fits in 3 bytes, "cde\n" not in 3 more. */
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 3, 6, NULL), 1);
	KUNIT_EXPECT_EQ(test, out[0].len, 2);
	KUNIT_EXPECT_EQ(test, memcmp(out[0].data, "ab", 2), 0);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 3, 3, &t.w),
			-EMSGSIZE);
	KUNIT_EXPECT_TRUE(test, list_empty(&t.w.node));
	KUNIT_EXPECT_EQ(test, fifo->count, 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 3, 100, NULL), 2);
	KUNIT_EXPECT_EQ(test, memcmp(out[0].data, "cde", 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out[1].data, "f", 1), 0);
	KUNIT_EXPECT_EQ(test, fifo->enqueued, fifo->dequeued + fifo->count);
	pcfifo_free_ring(fifo);
}

/* A device file's path: spans of a text in, lines or records out. */
static void fifo_text_in_lines_out(struct kunit *test)
{
	/* Each span's PCFIFO_ITEM_MAX bytes are read: the text has them. */
	static const char in[PCFIFO_ITEM_MAX * 2] = "ab\ncde\nf";
	const struct pcfifo_span spans[] = { { 0, 2 }, { 3, 3 }, { 7, 1 } };
	char out[8 + PCFIFO_ITEM_MAX];
	struct test_waiter t;
	struct pcfifo *fifo = test_fifo(test, 2, &t, 1);
	size_t len;

	/* Two fit; the third waits. */
	KUNIT_EXPECT_EQ(test, pcfifo_put_spans(fifo, in, spans, 3, &t.w), 2U);
	KUNIT_EXPECT_FALSE(test, list_empty(&t.w.node));
	/* "ab\n" fits in 6 bytes, "cde\n" not in the 3 left. */
	KUNIT_EXPECT_EQ(test, pcfifo_get_text(fifo, out, 6, true, 4, &len,
					      NULL), 1);
	KUNIT_EXPECT_EQ(test, len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(out, "ab\n", 3), 0);
	KUNIT_EXPECT_EQ(test, t.woken, 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_spans(fifo, in, spans + 2, 1, &t.w),
			1U);
	/* A record: no newline, and it must fit whole. */
	KUNIT_EXPECT_EQ(test, pcfifo_get_text(fifo, out, 2, false, 1, &len,
					      NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pcfifo_get_text(fifo, out, 3, false, 1, &len,
					      NULL), 1);
	KUNIT_EXPECT_EQ(test, len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(out, "cde", 3), 0);
	KUNIT_EXPECT_EQ(test, pcfifo_get_text(fifo, out, 8, true, 4, &len,
					      NULL), 1);
	KUNIT_EXPECT_EQ(test, len, 2);
	KUNIT_EXPECT_EQ(test, memcmp(out, "f\n", 2), 0);
	KUNIT_EXPECT_EQ(test, fifo->enqueued, fifo->dequeued + fifo->count);
	pcfifo_free_ring(fifo);
}

/* pcfifo_get_items() waits only while nothing is there. */
static void fifo_get_items_waits_only_when_empty(struct kunit *test)
{
	struct pcfifo_item out[4];
	struct test_waiter t;
	struct pcfifo *fifo = test_fifo(test, 8, &t, 1);

	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 4, 100, &t.w), 0);
	KUNIT_EXPECT_FALSE(test, list_empty(&t.w.node));
	KUNIT_EXPECT_EQ(test, put(fifo, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, t.woken, 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 4, 100, &t.w), 2);
	/* Two of four is enough: no longer queued, so the next is anyone's. */
	KUNIT_EXPECT_TRUE(test, list_empty(&t.w.node));
	KUNIT_EXPECT_EQ(test, put(fifo, 1, NULL), 1U);
	KUNIT_EXPECT_EQ(test, t.woken, 1U);
	KUNIT_EXPECT_EQ(test, get(fifo, 1, NULL), 1U);
	pcfifo_free_ring(fifo);
}

/* pcfifo_put_items(): distinct items in order; waits for the rest. */
static void fifo_put_items_keeps_order(struct kunit *test)
{
	struct pcfifo_item in[3] = { test_item_of("1"), test_item_of("22"),
				     test_item_of("333") };
	struct pcfifo_item out[3];
	struct test_waiter t;
	struct pcfifo *fifo = test_fifo(test, 2, &t, 1);

	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 3, &t.w), 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, NULL), 1);
	KUNIT_EXPECT_EQ(test, t.woken, 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in + 2, 1, &t.w), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 3, 100, NULL), 2);
	KUNIT_EXPECT_EQ(test, memcmp(out[0].data, "22", 2), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out[1].data, "333", 3), 0);
	pcfifo_free_ring(fifo);
}

/* The first to wait takes the first item, whoever runs first. */
static void fifo_holders_move_in_turn(struct kunit *test)
{
	struct pcfifo_item in[2] = { test_item_of("1"), test_item_of("2") };
	struct test_waiter t[2], *a = &t[0], *b = &t[1];
	struct pcfifo *fifo = test_fifo(test, 2, t, 2);
	struct pcfifo_item out[2];

	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, &a->w), 0);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, &b->w), 0);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, a->woken, 1U);
	KUNIT_EXPECT_EQ(test, b->woken, 0U);
	/* b runs first: not its turn yet. */
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, &b->w), 0);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, &a->w), 1);
	KUNIT_EXPECT_EQ(test, out[0].data[0], '1');
	KUNIT_EXPECT_EQ(test, b->woken, 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 1, 100, &b->w), 1);
	KUNIT_EXPECT_EQ(test, out[0].data[0], '2');

	/* Writers the same way: a's item goes in before b's. */
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 1, &a->w), 0U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in + 1, 1, &b->w), 0U);
	KUNIT_EXPECT_EQ(test, get(fifo, 2, NULL), 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in + 1, 1, &b->w), 0U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in, 1, &a->w), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_put_items(fifo, in + 1, 1, &b->w), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_get_items(fifo, out, 2, 100, NULL), 2);
	KUNIT_EXPECT_EQ(test, out[0].data[0], '1');
	KUNIT_EXPECT_EQ(test, out[1].data[0], '2');
	KUNIT_EXPECT_EQ(test, fifo->enqueued, fifo->dequeued + fifo->count);
	pcfifo_free_ring(fifo);
}

static struct kunit_case pcfifo_fifo_cases[] = {
	KUNIT_CASE(fifo_hands_slots_to_the_longest_waiter),
	KUNIT_CASE(fifo_hands_items_to_waiting_consumers),
	KUNIT_CASE(fifo_passes_unused_grants_on),
	KUNIT_CASE(fifo_resizes_only_when_empty),
	KUNIT_CASE(fifo_get_items_takes_what_fits),
	KUNIT_CASE(fifo_get_items_waits_only_when_empty),
	KUNIT_CASE(fifo_text_in_lines_out),
	KUNIT_CASE(fifo_put_items_keeps_order),
	KUNIT_CASE(fifo_holders_move_in_turn),
	{}
};

static struct kunit_suite pcfifo_fifo_suite = {
	.name = "pcfifo_fifo",
	.test_cases = pcfifo_fifo_cases,
};

/* pace */

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

/* A wakeup per item up to the max; above it, when a whole batch is due. */
static void pace_wakes_once_per_item_then_per_batch(struct kunit *test)
{
	struct pcfifo_pace pace = {};

	KUNIT_EXPECT_EQ(test, pcfifo_pace_batch(1), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_batch(PCFIFO_WAKEUP_RATE_MAX), 1U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_batch(PCFIFO_WAKEUP_RATE_MAX + 1), 2U);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_batch(PCFIFO_RATE_MAX),
			PCFIFO_RATE_MAX / PCFIFO_WAKEUP_RATE_MAX);
	KUNIT_EXPECT_LE(test, pcfifo_pace_batch(PCFIFO_RATE_MAX),
			PCFIFO_BATCH_MAX);

	pcfifo_pace_set_rate(&pace, 1000, 5 * MS);
	pcfifo_pace_advance(&pace, 3, 7 * MS);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_wake(&pace), 8 * MS);

	/* 1e6/s: 100 items a wakeup, the last of them due 99 us in. */
	pace = (struct pcfifo_pace){};
	pcfifo_pace_set_rate(&pace, PCFIFO_RATE_MAX, 0);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_wake(&pace), 99 * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_due(&pace, pcfifo_pace_wake(&pace),
					      PCFIFO_BATCH_MAX), 100U);
}

/* Slack: a 200th of the wakeup period, at least 50 us, at most a 32nd. */
static void pace_slack_is_a_fraction_of_the_period(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(1), 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(10), 500 * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(100), 50 * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(400), 50 * NSEC_PER_USEC);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(1000), 31250ULL);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(PCFIFO_WAKEUP_RATE_MAX), 3125ULL);
	KUNIT_EXPECT_EQ(test, pcfifo_pace_slack(PCFIFO_RATE_MAX), 3125ULL);
}

static struct kunit_case pcfifo_pace_cases[] = {
	KUNIT_CASE(pace_wakes_once_per_item_then_per_batch),
	KUNIT_CASE(pace_slack_is_a_fraction_of_the_period),
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
	int ret = pcfifo_parse_capacity(s, strlen(s), &capacity);

	return ret ? ret : capacity;
}

static void parse_capacity_takes_1_to_the_max(struct kunit *test)
{
	unsigned int capacity = 7;

	KUNIT_EXPECT_EQ(test, parse_capacity("1"), 1);
	KUNIT_EXPECT_EQ(test, parse_capacity("65536\n"), PCFIFO_CAPACITY_MAX);
	KUNIT_EXPECT_EQ(test, parse_capacity("0"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("65537"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("4294967296"), -ERANGE);
	KUNIT_EXPECT_EQ(test, parse_capacity("four"), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_capacity(" 4"), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_capacity("5\0garbage", 9, &capacity),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, capacity, 7U);
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

/* Lines to items: the rules of a write to a device file. */
static void parse_lines_splits_at_newlines(struct kunit *test)
{
	char long_line[PCFIFO_ITEM_MAX + 2];
	struct pcfifo_span spans[4];
	size_t used;
	bool bad;

	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines("a\nbc\nd", 6, true, spans,
						 4, &used, &bad), 3U);
	KUNIT_EXPECT_FALSE(test, bad);
	KUNIT_EXPECT_EQ(test, spans[1].off, 2);
	KUNIT_EXPECT_EQ(test, spans[1].len, 2);
	KUNIT_EXPECT_EQ(test, spans[2].off, 5);
	KUNIT_EXPECT_EQ(test, spans[2].len, 1);
	KUNIT_EXPECT_EQ(test, used, 6);
	/* Not the last chunk: "d" may go on; it is left for the next. */
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines("a\nbc\nd", 6, false, spans,
						 4, &used, &bad), 2U);
	KUNIT_EXPECT_FALSE(test, bad);
	KUNIT_EXPECT_EQ(test, used, 5);
	/* At most @max. */
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines("a\nb\nc\n", 6, true, spans,
						 2, &used, &bad), 2U);
	KUNIT_EXPECT_EQ(test, used, 4);
	/* Bad lines stop the split before them. */
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines("a\n\nb\n", 5, true, spans,
						 4, &used, &bad), 1U);
	KUNIT_EXPECT_TRUE(test, bad);
	KUNIT_EXPECT_EQ(test, used, 2);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines("a\0\n", 3, true, spans,
						 4, &used, &bad), 0U);
	KUNIT_EXPECT_TRUE(test, bad);
	memset(long_line, 'x', sizeof(long_line));
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines(long_line, PCFIFO_ITEM_MAX,
						 true, spans, 4, &used, &bad),
			1U);
	KUNIT_EXPECT_EQ(test, spans[0].len, PCFIFO_ITEM_MAX);
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines(long_line,
						 PCFIFO_ITEM_MAX + 1, true,
						 spans, 4, &used, &bad), 0U);
	KUNIT_EXPECT_TRUE(test, bad);
	/* Too long already, whatever follows. */
	KUNIT_EXPECT_EQ(test, pcfifo_parse_lines(long_line, sizeof(long_line),
						 false, spans, 4, &used, &bad),
			0U);
	KUNIT_EXPECT_TRUE(test, bad);
}

static struct kunit_case pcfifo_parse_cases[] = {
	KUNIT_CASE(parse_rate_takes_decimal_up_to_the_max),
	KUNIT_CASE(parse_capacity_takes_1_to_the_max),
	KUNIT_CASE(parse_name_takes_1_to_64_bytes),
	KUNIT_CASE(parse_lines_splits_at_newlines),
	{}
};

static struct kunit_suite pcfifo_parse_suite = {
	.name = "pcfifo_parse",
	.test_cases = pcfifo_parse_cases,
};

kunit_test_suites(&pcfifo_fifo_suite, &pcfifo_pace_suite,
		  &pcfifo_parse_suite);

MODULE_DESCRIPTION("KUnit tests of pcfifo's FIFO, pace arithmetic and parsers");
MODULE_LICENSE("GPL");
