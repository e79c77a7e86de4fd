// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the bounded FIFO and its waiters.
 *
 * A ring of items under a spinlock. Free slots and queued items are
 * counted as a semaphore counts, with its hand-off: a caller that cannot
 * move all it asked for queues a waiter, and a slot (item) that becomes
 * available while waiters are queued is handed to the one that has waited
 * longest, up to what it asked for, and no one else may take it. The
 * waiter becomes a holder of that grant. Holders move in the order they
 * were granted, so that the first waiter gets the first item (its items
 * go in first): only the first holder's wake callback runs, and its next
 * call uses the grant; the next holder's turn comes when it has. What is
 * available beyond the grants is anybody's. A waiter is a callback rather
 * than a sleeping task, so pcfifo_put_many() and pcfifo_get_many() never
 * sleep, and a wait can be given up at any time (pcfifo_cancel_wait())
 * without losing what was handed over: it passes to the next waiter.
 *
 * Invariants, with @lock held: count + put.reserved <= capacity,
 * get.reserved <= count, a side's reserved is the sum of its holders'
 * grants, and a side's queue is empty while it has free slots (items)
 * that are not reserved.
 */

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "core.h"

/**
 * pcfifo_waiter_init - prepare a waiter before its first use
 * @w: the waiter
 * @wake: its callback, see struct pcfifo_waiter
 */
void pcfifo_waiter_init(struct pcfifo_waiter *w,
			void (*wake)(struct pcfifo_waiter *w))
{
	*w = (struct pcfifo_waiter) { .wake = wake };
	INIT_LIST_HEAD(&w->node);
}
EXPORT_SYMBOL_GPL(pcfifo_waiter_init);

/* Slots (items) of @side that are available and handed to nobody. */
static unsigned int pcfifo_unreserved_locked(struct pcfifo *fifo,
					     struct pcfifo_side *side)
{
	lockdep_assert_held(&fifo->lock);
	if (side == &fifo->put)
		return fifo->capacity - fifo->count - side->reserved;
	return fifo->count - side->reserved;
}

/* Tell a side's first holder, once, that its turn has come. */
static void pcfifo_next_turn_locked(struct pcfifo *fifo,
				    struct pcfifo_side *side)
{
	struct pcfifo_waiter *w;

	lockdep_assert_held(&fifo->lock);
	w = list_first_entry_or_null(&side->holders, struct pcfifo_waiter,
				     node);
	if (w && !w->turn) {
		/* pcfifo_sleep() reads it unlocked. */
		WRITE_ONCE(w->turn, true);
		w->wake(w);
	}
}

/*
 * Hand what is available on each side to its waiters, longest waiter
 * first, each up to what it asked for, and call the first holder back.
 * Called whenever slots or items may have become available or a grant was
 * used.
 */
static void pcfifo_hand_over_locked(struct pcfifo *fifo)
{
	struct pcfifo_side *sides[] = { &fifo->put, &fifo->get };
	struct pcfifo_waiter *w;
	unsigned int i, avail, n;

	lockdep_assert_held(&fifo->lock);
	for (i = 0; i < ARRAY_SIZE(sides); i++) {
		avail = pcfifo_unreserved_locked(fifo, sides[i]);
		while (avail && !list_empty(&sides[i]->waiters)) {
			w = list_first_entry(&sides[i]->waiters,
					     struct pcfifo_waiter, node);
			n = min(avail, w->want);
			list_move_tail(&w->node, &sides[i]->holders);
			w->granted = n;
			sides[i]->reserved += n;
			avail -= n;
		}
		pcfifo_next_turn_locked(fifo, sides[i]);
	}
}

/* Give up @w's grant, if it holds one: it goes back to the pool. */
static void pcfifo_release_grant_locked(struct pcfifo *fifo,
					struct pcfifo_waiter *w)
{
	lockdep_assert_held(&fifo->lock);
	list_del_init(&w->node);
	if (w->granted) {
		w->side->reserved -= w->granted;
		w->granted = 0;
	}
	WRITE_ONCE(w->turn, false);
	w->side = NULL;
}

/*
 * How many of @n the caller may move now on @side: what nobody is owed,
 * and for the first holder its own grant too (given back to the pool
 * first: what it leaves goes on). Another holder: nothing until its turn.
 */
static unsigned int pcfifo_claim_locked(struct pcfifo *fifo,
					struct pcfifo_side *side,
					unsigned int n,
					struct pcfifo_waiter *w)
{
	lockdep_assert_held(&fifo->lock);
	if (w && w->granted) {
		if (!list_is_first(&w->node, &side->holders))
			return 0;
		pcfifo_release_grant_locked(fifo, w);
	}
	return min(n, pcfifo_unreserved_locked(fifo, side));
}

/*
 * After a move: queue @w at the tail for the @want slots (items) still
 * wanted, as a semaphore queues its sleepers, or take it off the queue
 * when it wants no more. A waiter already queued, or holding a grant,
 * keeps its place.
 */
static void pcfifo_wait_locked(struct pcfifo *fifo, struct pcfifo_side *side,
			       struct pcfifo_waiter *w, unsigned int want)
{
	lockdep_assert_held(&fifo->lock);
	if (!w || w->granted)
		return;
	if (!want) {
		list_del_init(&w->node);
		w->side = NULL;
		return;
	}
	w->want = want;
	if (list_empty(&w->node)) {
		w->side = side;
		list_add_tail(&w->node, &side->waiters);
	}
}

/* Readers and writers polling the FIFO's device file: see dev.c. */
static void pcfifo_poll_wake(struct pcfifo *fifo, __poll_t events)
{
	if (wq_has_sleeper(&fifo->poll))
		wake_up_interruptible_poll(&fifo->poll, events);
}

/*
 * Where pcfifo_put() takes its items from: @items[0], @items[@stride], ...,
 * or, when @spans is set, the bytes of @text each span names.
 */
struct pcfifo_src {
	const struct pcfifo_item *items;
	unsigned int stride;
	const char *text;
	const struct pcfifo_span *spans;
};

/*
 * Append @n items from @src while the FIFO has room; see
 * pcfifo_put_many(). @w, if given, waits for the rest.
 */
static unsigned int pcfifo_put(struct pcfifo *fifo,
			       const struct pcfifo_src *src, unsigned int n,
			       struct pcfifo_waiter *w)
{
	unsigned int i, tail, done;
	struct pcfifo_item *slot;
	u64 stamp;

	/* Outside the lock: a clock read can be slow (an emulated HPET). */
	stamp = atomic_read(&fifo->stampers) ? ktime_get_ns() : 0;
	spin_lock_bh(&fifo->lock);
	done = pcfifo_claim_locked(fifo, &fifo->put, n, w);
	tail = fifo->head + fifo->count;
	for (i = 0; i < done; i++) {
		if (tail >= fifo->capacity)
			tail -= fifo->capacity;
		slot = &fifo->slots[tail++];
		/* Whole: a constant size copies fastest. */
		if (src->spans) {
			memcpy(slot->data, src->text + src->spans[i].off,
			       PCFIFO_ITEM_MAX);
			slot->len = src->spans[i].len;
		} else {
			*slot = src->items[i * src->stride];
		}
		slot->stamp = stamp;
	}
	fifo->count += done;
	fifo->enqueued += done;
	pcfifo_wait_locked(fifo, &fifo->put, w, n - done);
	pcfifo_hand_over_locked(fifo);
	spin_unlock_bh(&fifo->lock);
	pcfifo_poll_wake(fifo, EPOLLIN | EPOLLRDNORM);
	return done;
}

/**
 * pcfifo_put_many - append copies of an item while the FIFO has room
 * @fifo: the FIFO
 * @item: the item, copied @n times; the copies' @stamp is set to the time
 *	they were appended (one clock read for all of them)
 * @n: copies wanted
 * @w: if not NULL, queued on @fifo when fewer than @n copies fit; its
 *	callback runs once slots have been handed to it
 *
 * All copies go in under one acquisition of the lock. Slots handed to @w
 * are used first; other callers never take them. Never sleeps. A waiter
 * that was called back must call again or call pcfifo_cancel_wait(), so
 * that what it was handed is not lost to the others.
 *
 * Return: copies appended, 0 to @n; fewer than @n means the FIFO is full.
 */
unsigned int pcfifo_put_many(struct pcfifo *fifo,
			     const struct pcfifo_item *item, unsigned int n,
			     struct pcfifo_waiter *w)
{
	struct pcfifo_src src = { .items = item };

	return pcfifo_put(fifo, &src, n, w);
}
EXPORT_SYMBOL_GPL(pcfifo_put_many);

/**
 * pcfifo_put_items - append items while the FIFO has room
 * @fifo: the FIFO
 * @items: array of @n items, appended in order; see pcfifo_put_many()
 * @n: items wanted
 * @w: as for pcfifo_put_many()
 *
 * Return: items appended, the first 0 to @n of @items.
 */
unsigned int pcfifo_put_items(struct pcfifo *fifo,
			      const struct pcfifo_item *items, unsigned int n,
			      struct pcfifo_waiter *w)
{
	struct pcfifo_src src = { .items = items, .stride = 1 };

	return pcfifo_put(fifo, &src, n, w);
}

/**
 * pcfifo_put_spans - append items that are spans of a text
 * @fifo: the FIFO
 * @text: the bytes; PCFIFO_ITEM_MAX bytes from each span's start must be
 *	readable (only the span's own become the item's)
 * @spans: array of @n spans of @text, appended in order
 * @n: items wanted
 * @w: as for pcfifo_put_many()
 *
 * Return: items appended, the first 0 to @n of @spans.
 */
unsigned int pcfifo_put_spans(struct pcfifo *fifo, const char *text,
			      const struct pcfifo_span *spans, unsigned int n,
			      struct pcfifo_waiter *w)
{
	struct pcfifo_src src = { .text = text, .spans = spans };

	return pcfifo_put(fifo, &src, n, w);
}

/**
 * pcfifo_get_many - take the oldest items while the FIFO has some
 * @fifo: the FIFO
 * @n: items wanted
 * @stamps: array of @n; receives the @stamp of each item taken, oldest
 *	first
 * @last: receives the last (newest) item taken, if any
 * @w: if not NULL, queued on @fifo when fewer than @n items are there;
 *	its callback runs once items have been handed to it
 *
 * All items are taken under one acquisition of the lock. Never sleeps;
 * see pcfifo_put_many() for the waiter's life.
 *
 * Return: items taken, 0 to @n; fewer than @n means the FIFO is empty.
 */
unsigned int pcfifo_get_many(struct pcfifo *fifo, unsigned int n, u64 *stamps,
			     struct pcfifo_item *last,
			     struct pcfifo_waiter *w)
{
	unsigned int i, head, done;

	spin_lock_bh(&fifo->lock);
	done = pcfifo_claim_locked(fifo, &fifo->get, n, w);
	if (done) {
		head = fifo->head;
		for (i = 0; i < done; i++) {
			stamps[i] = fifo->slots[head].stamp;
			if (++head == fifo->capacity)
				head = 0;
		}
		*last = fifo->slots[head ? head - 1 : fifo->capacity - 1];
		fifo->head = head;
		fifo->count -= done;
		fifo->dequeued += done;
	}
	pcfifo_wait_locked(fifo, &fifo->get, w, n - done);
	pcfifo_hand_over_locked(fifo);
	spin_unlock_bh(&fifo->lock);
	pcfifo_poll_wake(fifo, EPOLLOUT | EPOLLWRNORM);
	return done;
}
EXPORT_SYMBOL_GPL(pcfifo_get_many);

/*
 * Take the oldest items, at most @n, that fit in @room bytes, each taking
 * its length and @sep bytes more: into @items, or laid out in @text (the
 * bytes, then a newline if @sep) when @items is NULL; *@len receives the
 * bytes laid out. See pcfifo_get_items().
 */
static int pcfifo_take(struct pcfifo *fifo, unsigned int n, size_t room,
		       unsigned int sep, struct pcfifo_item *items, char *text,
		       size_t *len, struct pcfifo_waiter *w)
{
	unsigned int i, head, avail;
	struct pcfifo_item *slot;
	size_t pos = 0;
	int ret;

	spin_lock_bh(&fifo->lock);
	avail = pcfifo_claim_locked(fifo, &fifo->get, n, w);
	head = fifo->head;
	for (i = 0; i < avail; i++) {
		slot = &fifo->slots[head];
		if (room < slot->len + sep)
			break;
		room -= slot->len + sep;
		if (items) {
			items[i] = *slot;
		} else {
			/* A constant size copies fastest; the next overwrites. */
			memcpy(text + pos, slot->data, PCFIFO_ITEM_MAX);
			pos += slot->len;
			if (sep)
				text[pos++] = '\n';
		}
		if (++head == fifo->capacity)
			head = 0;
	}
	fifo->head = head;
	fifo->count -= i;
	fifo->dequeued += i;
	ret = avail && !i ? -EMSGSIZE : i;
	pcfifo_wait_locked(fifo, &fifo->get, w, ret ? 0 : n);
	pcfifo_hand_over_locked(fifo);
	spin_unlock_bh(&fifo->lock);
	pcfifo_poll_wake(fifo, EPOLLOUT | EPOLLWRNORM);
	*len = pos;
	return ret;
}

/**
 * pcfifo_get_items - take the oldest items that fit in a buffer
 * @fifo: the FIFO
 * @items: array of @n; receives the items taken, oldest first
 * @n: most items wanted
 * @room: bytes the caller has for them, each item taking its length and
 *	one byte more (a separator)
 * @w: if not NULL, queued on @fifo when no item is there; its callback
 *	runs once items have been handed to it
 *
 * Takes as many items as are there and fit, at least one, under one
 * acquisition of the lock; never sleeps. Unlike pcfifo_get_many(), @w
 * waits only while nothing was taken: a partial take ends its wait.
 *
 * Return: items taken, 0 to @n (0: the FIFO is empty), or -EMSGSIZE when
 * the oldest item does not fit in @room; then nothing is taken and @w
 * does not wait.
 */
int pcfifo_get_items(struct pcfifo *fifo, struct pcfifo_item *items,
		     unsigned int n, size_t room, struct pcfifo_waiter *w)
{
	size_t len;

	return pcfifo_take(fifo, n, room, 1, items, NULL, &len, w);
}

/**
 * pcfifo_get_text - take the oldest items that fit in a text
 * @fifo: the FIFO
 * @text: receives the items' bytes, oldest first, each followed by a
 *	newline if @lines; must have @room + PCFIFO_ITEM_MAX bytes
 * @room: bytes for the items (and newlines)
 * @lines: follow each item with a newline
 * @n: most items wanted
 * @len: receives the bytes laid out in @text
 * @w: as for pcfifo_get_items()
 *
 * Return: as for pcfifo_get_items().
 */
int pcfifo_get_text(struct pcfifo *fifo, char *text, size_t room, bool lines,
		    unsigned int n, size_t *len, struct pcfifo_waiter *w)
{
	return pcfifo_take(fifo, n, room, lines, NULL, text, len, w);
}

/**
 * pcfifo_cancel_wait - give up a wait of pcfifo_put_many() or
 *	pcfifo_get_many()
 * @fifo: the FIFO it may be queued on
 * @w: the waiter; need not be queued
 *
 * For a waiter that is going away, or that was woken and does not want to
 * move now: what was handed to it and not used goes to the next waiter.
 * On return its callback is not running and will not run.
 */
void pcfifo_cancel_wait(struct pcfifo *fifo, struct pcfifo_waiter *w)
{
	spin_lock_bh(&fifo->lock);
	pcfifo_release_grant_locked(fifo, w);
	pcfifo_hand_over_locked(fifo);
	spin_unlock_bh(&fifo->lock);
	pcfifo_poll_wake(fifo, EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM);
}

/**
 * pcfifo_stamps_get - an instance starts using a FIFO: stamp its items
 * @fifo: the FIFO
 */
void pcfifo_stamps_get(struct pcfifo *fifo)
{
	atomic_inc(&fifo->stampers);
}

/**
 * pcfifo_stamps_put - an instance stops using a FIFO
 * @fifo: the FIFO
 */
void pcfifo_stamps_put(struct pcfifo *fifo)
{
	atomic_dec(&fifo->stampers);
}

/**
 * pcfifo_poll_state - what a caller that is not waiting could move now
 * @fifo: the FIFO
 *
 * Return: EPOLLIN | EPOLLRDNORM while items are queued that are not
 * handed to a waiter, EPOLLOUT | EPOLLWRNORM while such free slots are.
 */
__poll_t pcfifo_poll_state(struct pcfifo *fifo)
{
	__poll_t mask = 0;

	spin_lock_bh(&fifo->lock);
	if (pcfifo_unreserved_locked(fifo, &fifo->get))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (pcfifo_unreserved_locked(fifo, &fifo->put))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_bh(&fifo->lock);
	return mask;
}

/**
 * pcfifo_snapshot - read the counters at one instant
 * @fifo: the FIFO
 * @count: items queued
 * @enqueued: items ever put
 * @dequeued: items ever taken
 */
void pcfifo_snapshot(struct pcfifo *fifo, unsigned int *count,
		     u64 *enqueued, u64 *dequeued)
{
	spin_lock_bh(&fifo->lock);
	*count = fifo->count;
	*enqueued = fifo->enqueued;
	*dequeued = fifo->dequeued;
	spin_unlock_bh(&fifo->lock);
}

static struct pcfifo_item *pcfifo_alloc_slots(unsigned int capacity)
{
	return kvcalloc(capacity, sizeof(struct pcfifo_item), GFP_KERNEL);
}

/**
 * pcfifo_init_ring - set up an empty ring in a zeroed FIFO
 * @fifo: the FIFO
 * @capacity: slots, 1..PCFIFO_CAPACITY_MAX
 *
 * Return: 0 or -ENOMEM.
 */
int pcfifo_init_ring(struct pcfifo *fifo, unsigned int capacity)
{
	spin_lock_init(&fifo->lock);
	init_waitqueue_head(&fifo->poll);
	INIT_LIST_HEAD(&fifo->put.waiters);
	INIT_LIST_HEAD(&fifo->put.holders);
	INIT_LIST_HEAD(&fifo->get.waiters);
	INIT_LIST_HEAD(&fifo->get.holders);
	fifo->slots = pcfifo_alloc_slots(capacity);
	if (!fifo->slots)
		return -ENOMEM;
	fifo->capacity = capacity;
	return 0;
}

/**
 * pcfifo_free_ring - free the ring of a FIFO nobody uses any more
 * @fifo: the FIFO; its queued items are dropped
 */
void pcfifo_free_ring(struct pcfifo *fifo)
{
	kvfree(fifo->slots);
}

/**
 * pcfifo_set_capacity - resize an empty FIFO
 * @fifo: the FIFO
 * @capacity: slots, 1..PCFIFO_CAPACITY_MAX
 *
 * New slots go to waiting producers at once.
 *
 * Return: 0, -ENOMEM, or -EBUSY while the FIFO holds items or slots are
 * handed to producers that have yet to fill them (more than @capacity).
 */
int pcfifo_set_capacity(struct pcfifo *fifo, unsigned int capacity)
{
	struct pcfifo_item *slots = pcfifo_alloc_slots(capacity);
	int ret = 0;

	if (!slots)
		return -ENOMEM;
	spin_lock_bh(&fifo->lock);
	if (fifo->count || fifo->put.reserved > capacity) {
		ret = -EBUSY;
	} else {
		swap(fifo->slots, slots);
		WRITE_ONCE(fifo->capacity, capacity);
		fifo->head = 0;
		pcfifo_hand_over_locked(fifo);
	}
	spin_unlock_bh(&fifo->lock);
	if (!ret)
		pcfifo_poll_wake(fifo, EPOLLOUT | EPOLLWRNORM);
	kvfree(slots);
	return ret;
}
