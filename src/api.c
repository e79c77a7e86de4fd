// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: sleeping on a FIFO, and the blocking calls other modules use.
 *
 * A sleeping caller queues a struct pcfifo_sleeper's waiter on the FIFO
 * like any other user, so it takes its turn in the same first-come,
 * first-served queue as the instances and the device files: what is
 * handed to it is its own, and what it gives up (a signal, a timeout)
 * passes to the next waiter.
 */

#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "core.h"
#include "trace.h"

static void pcfifo_sleeper_wake(struct pcfifo_waiter *w)
{
	wake_up(&container_of(w, struct pcfifo_sleeper, w)->wq);
}

/**
 * pcfifo_sleeper_init - prepare a sleeper before its first use
 * @s: the sleeper
 */
void pcfifo_sleeper_init(struct pcfifo_sleeper *s)
{
	pcfifo_waiter_init(&s->w, pcfifo_sleeper_wake);
	init_waitqueue_head(&s->wq);
}

/* Set under the FIFO's lock before the wake callback runs. */
static bool pcfifo_sleeper_turn(struct pcfifo_sleeper *s)
{
	return READ_ONCE(s->w.turn);
}

/**
 * pcfifo_sleep - sleep until a queued sleeper's turn to use what it was
 *	handed
 * @fifo: the FIFO @s is queued on
 * @s: the sleeper, queued by a pcfifo_put_items() or pcfifo_get_items()
 *	that moved less than it wanted
 * @state: TASK_INTERRUPTIBLE or TASK_KILLABLE
 * @timeout: jiffies left, MAX_SCHEDULE_TIMEOUT for no limit; updated
 *
 * On success the caller moves again with @s->w, which uses the grant.
 * On failure the wait is cancelled: what was handed to @s passes on.
 *
 * Return: 0, -ETIMEDOUT, or -ERESTARTSYS when a signal (a fatal one for
 * TASK_KILLABLE) is pending.
 */
int pcfifo_sleep(struct pcfifo *fifo, struct pcfifo_sleeper *s,
		 unsigned int state, long *timeout)
{
	long left;

	if (state == TASK_KILLABLE)
		left = wait_event_killable_timeout(s->wq,
						   pcfifo_sleeper_turn(s),
						   *timeout);
	else
		left = wait_event_interruptible_timeout(s->wq,
							pcfifo_sleeper_turn(s),
							*timeout);
	if (left > 0) {
		*timeout = left;
		return 0;
	}
	pcfifo_cancel_wait(fifo, &s->w);
	return left ? left : -ETIMEDOUT;
}

/**
 * pcfifo_lookup - find a FIFO by name and hold it
 * @name: its name, as in /sys/kernel/config/pcfifo/fifos/
 *
 * While held, the FIFO stays: rmdir of its directory fails with EBUSY and
 * pcfifo cannot be unloaded. May sleep.
 *
 * Return: the FIFO, to pass to pcfifo_release() when done, or
 * ERR_PTR(-ENOENT) when no FIFO has that name.
 */
struct pcfifo *pcfifo_lookup(const char *name)
{
	return pcfifo_fifo_get(name);
}
EXPORT_SYMBOL_GPL(pcfifo_lookup);

/**
 * pcfifo_release - stop holding a FIFO
 * @fifo: from pcfifo_lookup()
 */
void pcfifo_release(struct pcfifo *fifo)
{
	pcfifo_fifo_put(fifo);
}
EXPORT_SYMBOL_GPL(pcfifo_release);

/* Put one item, waiting in @state for up to @timeout jiffies (0: not). */
static int pcfifo_enqueue_wait(struct pcfifo *fifo, const void *data,
			       size_t len, unsigned int state, long timeout)
{
	struct pcfifo_sleeper s;
	struct pcfifo_item item;
	int ret;

	if (!len || len > PCFIFO_ITEM_MAX)
		return -EINVAL;
	item.len = len;
	memcpy(item.data, data, len);
	pcfifo_sleeper_init(&s);
	while (!pcfifo_put_items(fifo, &item, 1, timeout ? &s.w : NULL)) {
		if (!timeout)
			return -EAGAIN;
		ret = pcfifo_sleep(fifo, &s, state, &timeout);
		if (ret)
			return ret == -ERESTARTSYS ? -EINTR : ret;
	}
	trace_pcfifo_put(fifo, NULL, "api", 1);
	return 0;
}

/* Get one item, waiting in @state for up to @timeout jiffies (0: not). */
static ssize_t pcfifo_dequeue_wait(struct pcfifo *fifo, void *buf,
				   size_t size, unsigned int state,
				   long timeout)
{
	struct pcfifo_sleeper s;
	struct pcfifo_item item;
	int ret;

	pcfifo_sleeper_init(&s);
	for (;;) {
		/* Room for the item, and for the separator it has not. */
		ret = pcfifo_get_items(fifo, &item, 1,
				       min_t(size_t, size, PCFIFO_ITEM_MAX) + 1,
				       timeout ? &s.w : NULL);
		if (ret > 0)
			break;
		if (ret < 0)
			return ret;
		if (!timeout)
			return -EAGAIN;
		ret = pcfifo_sleep(fifo, &s, state, &timeout);
		if (ret)
			return ret == -ERESTARTSYS ? -EINTR : ret;
	}
	trace_pcfifo_take(fifo, NULL, "api", 1);
	memcpy(buf, item.data, item.len);
	return item.len;
}

/**
 * pcfifo_enqueue - put one item, sleeping while the FIFO is full
 * @fifo: from pcfifo_lookup()
 * @data: the item's bytes; any bytes
 * @len: 1..PCFIFO_ITEM_MAX
 *
 * Waits its turn behind earlier waiters; a signal ends the wait.
 *
 * Return: 0, -EINVAL for a bad @len, or -EINTR (nothing put).
 */
int pcfifo_enqueue(struct pcfifo *fifo, const void *data, size_t len)
{
	return pcfifo_enqueue_wait(fifo, data, len, TASK_INTERRUPTIBLE,
				   MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(pcfifo_enqueue);

/**
 * pcfifo_enqueue_killable - pcfifo_enqueue(), but only a fatal signal
 *	ends the wait
 * @fifo: from pcfifo_lookup()
 * @data: the item's bytes
 * @len: 1..PCFIFO_ITEM_MAX
 *
 * Return: 0, -EINVAL, or -EINTR (nothing put).
 */
int pcfifo_enqueue_killable(struct pcfifo *fifo, const void *data, size_t len)
{
	return pcfifo_enqueue_wait(fifo, data, len, TASK_KILLABLE,
				   MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(pcfifo_enqueue_killable);

/**
 * pcfifo_enqueue_timeout - pcfifo_enqueue() for a limited time
 * @fifo: from pcfifo_lookup()
 * @data: the item's bytes
 * @len: 1..PCFIFO_ITEM_MAX
 * @timeout: longest wait in jiffies, at least 1
 *
 * Return: 0, -EINVAL, -ETIMEDOUT or -EINTR (nothing put).
 */
int pcfifo_enqueue_timeout(struct pcfifo *fifo, const void *data, size_t len,
			   long timeout)
{
	return pcfifo_enqueue_wait(fifo, data, len, TASK_INTERRUPTIBLE,
				   max(timeout, 1L));
}
EXPORT_SYMBOL_GPL(pcfifo_enqueue_timeout);

/**
 * pcfifo_try_enqueue - put one item if there is a free slot now
 * @fifo: from pcfifo_lookup()
 * @data: the item's bytes
 * @len: 1..PCFIFO_ITEM_MAX
 *
 * Does not sleep. Process context only: the FIFO's spinlock is taken with
 * bottom halves off but interrupts on, so never from an interrupt handler.
 * A slot handed to a waiter is not free.
 *
 * Return: 0, -EINVAL, or -EAGAIN when the FIFO is full.
 */
int pcfifo_try_enqueue(struct pcfifo *fifo, const void *data, size_t len)
{
	return pcfifo_enqueue_wait(fifo, data, len, TASK_INTERRUPTIBLE, 0);
}
EXPORT_SYMBOL_GPL(pcfifo_try_enqueue);

/**
 * pcfifo_dequeue - get the oldest item, sleeping while the FIFO is empty
 * @fifo: from pcfifo_lookup()
 * @buf: receives the item's bytes (not NUL-terminated)
 * @size: bytes in @buf; PCFIFO_ITEM_MAX holds any item
 *
 * Waits its turn behind earlier waiters; a signal ends the wait.
 *
 * Return: the item's length, -EMSGSIZE when it does not fit in @size
 * (nothing taken), or -EINTR.
 */
ssize_t pcfifo_dequeue(struct pcfifo *fifo, void *buf, size_t size)
{
	return pcfifo_dequeue_wait(fifo, buf, size, TASK_INTERRUPTIBLE,
				   MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(pcfifo_dequeue);

/**
 * pcfifo_dequeue_killable - pcfifo_dequeue(), but only a fatal signal
 *	ends the wait
 * @fifo: from pcfifo_lookup()
 * @buf: receives the item's bytes
 * @size: bytes in @buf
 *
 * Return: the item's length, -EMSGSIZE or -EINTR.
 */
ssize_t pcfifo_dequeue_killable(struct pcfifo *fifo, void *buf, size_t size)
{
	return pcfifo_dequeue_wait(fifo, buf, size, TASK_KILLABLE,
				   MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(pcfifo_dequeue_killable);

/**
 * pcfifo_dequeue_timeout - pcfifo_dequeue() for a limited time
 * @fifo: from pcfifo_lookup()
 * @buf: receives the item's bytes
 * @size: bytes in @buf
 * @timeout: longest wait in jiffies, at least 1
 *
 * Return: the item's length, -EMSGSIZE, -ETIMEDOUT or -EINTR.
 */
ssize_t pcfifo_dequeue_timeout(struct pcfifo *fifo, void *buf, size_t size,
			       long timeout)
{
	return pcfifo_dequeue_wait(fifo, buf, size, TASK_INTERRUPTIBLE,
				   max(timeout, 1L));
}
EXPORT_SYMBOL_GPL(pcfifo_dequeue_timeout);

/**
 * pcfifo_try_dequeue - get the oldest item if one is there now
 * @fifo: from pcfifo_lookup()
 * @buf: receives the item's bytes
 * @size: bytes in @buf
 *
 * Does not sleep. Process context only: the FIFO's spinlock is taken with
 * bottom halves off but interrupts on, so never from an interrupt handler.
 * An item handed to a waiter is not there.
 *
 * Return: the item's length, -EMSGSIZE, or -EAGAIN when the FIFO is
 * empty.
 */
ssize_t pcfifo_try_dequeue(struct pcfifo *fifo, void *buf, size_t size)
{
	return pcfifo_dequeue_wait(fifo, buf, size, TASK_INTERRUPTIBLE, 0);
}
EXPORT_SYMBOL_GPL(pcfifo_try_dequeue);
