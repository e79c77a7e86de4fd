// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the bounded FIFO and its sysfs directory.
 *
 * A ring of items under a spinlock. The counts of filled and empty slots
 * are the ring's count and capacity - count; waiting for a slot or an item
 * is done on a wait queue per direction, as a semaphore would, but a
 * waiter is a callback rather than a sleeping task: pcfifo_put_many() and
 * pcfifo_get_many() never sleep; when they move fewer items than asked,
 * they arm the caller's wait queue entry. The caller is called back when
 * the other side moves an item, and can abort its wait at any time, which
 * is what lets an instance be torn down without waiting for the FIFO to
 * change.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

#include "compat.h"
#include "core.h"

/**
 * struct pcfifo - a bounded FIFO of items
 * @kobj: its sysfs directory; the last reference frees the FIFO
 * @lock: protects everything below, and every wait queue entry on
 *	@not_full and @not_empty: entries are armed, woken and cancelled
 *	only with it held, so a check of the ring and the arming of a wait
 *	are atomic against the other side's move
 * @capacity: slots in @slots
 * @head: slot of the oldest item
 * @count: items queued
 * @enqueued: items ever put
 * @dequeued: items ever taken
 * @not_full: producers waiting for a free slot
 * @not_empty: consumers waiting for an item
 * @slots: the ring
 */
struct pcfifo {
	struct kobject kobj;
	spinlock_t lock;		/* see above */
	unsigned int capacity;
	unsigned int head;
	unsigned int count;
	u64 enqueued;
	u64 dequeued;
	struct wait_queue_head not_full;
	struct wait_queue_head not_empty;
	struct pcfifo_item slots[];
};

/*
 * At the tail, as a semaphore queues its sleepers: wake_up() calls the
 * longest waiter first, its work is queued first and so it takes the slot
 * (item) first. At the head, an instance that blocks again at once would
 * overtake one that has waited all along, and could starve it.
 */
static void pcfifo_arm(struct wait_queue_head *queue,
		       struct wait_queue_entry *wait)
{
	unsigned long flags;

	if (!wait || !list_empty(&wait->entry))
		return;
	/* Exclusive: a wake_up_nr() calls one waiter per slot (item). */
	wait->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&queue->lock, flags);
	__add_wait_queue_entry_tail(queue, wait);
	spin_unlock_irqrestore(&queue->lock, flags);
}

/* A caller that moved all it asked for waits no more. */
static void pcfifo_disarm(struct wait_queue_entry *wait)
{
	if (wait && !list_empty(&wait->entry))
		list_del_init(&wait->entry);
}

/*
 * Call the @nr longest waiters, one per slot (item) that became free
 * (queued): waking every waiter for each move would cost as many callbacks
 * and work runs as there are waiters, which with thousands of instances
 * blocked on a full FIFO is most of the CPU. A woken waiter that does not
 * use its slot (item) passes the wake on, see pcfifo_cancel_wait(). The
 * callbacks only queue work, so this is cheap enough here.
 */
static void pcfifo_wake(struct wait_queue_head *queue, unsigned int nr)
{
	/* No barrier needed: waiters are armed under fifo->lock too. */
	if (waitqueue_active(queue))
		wake_up_nr(queue, nr);
}

/**
 * pcfifo_put_many - append copies of an item while the FIFO has room
 * @fifo: the FIFO
 * @item: the item, copied @n times; the copies' @stamp is set to the time
 *	they were appended (one clock read for all of them)
 * @n: copies wanted
 * @wait: if not NULL, armed on @fifo when it fills up before @n copies
 *	are in; its callback runs once, from the context of the
 *	pcfifo_get_many() that frees a slot
 *
 * All copies go in under one acquisition of the lock, and one waiting
 * consumer is called back per copy, longest waiter first. Never sleeps.
 * A waiter is disarmed by its own callback, by a later call with it that
 * moves all it asks for, or by pcfifo_cancel_wait(); arming an armed entry
 * does nothing. A waiter that was called back must call again or call
 * pcfifo_cancel_wait(), so that the slot it was woken for is not lost to
 * the others.
 *
 * Return: copies appended, 0 to @n; fewer than @n means the FIFO is full.
 */
unsigned int pcfifo_put_many(struct pcfifo *fifo,
			     const struct pcfifo_item *item, unsigned int n,
			     struct wait_queue_entry *wait)
{
	unsigned int i, tail;
	u64 stamp;

	spin_lock(&fifo->lock);
	if (fifo->capacity - fifo->count < n) {
		n = fifo->capacity - fifo->count;
		pcfifo_arm(&fifo->not_full, wait);
	} else {
		pcfifo_disarm(wait);
	}
	if (n) {
		stamp = ktime_get_ns();
		tail = fifo->head + fifo->count;
		for (i = 0; i < n; i++) {
			if (tail >= fifo->capacity)
				tail -= fifo->capacity;
			fifo->slots[tail] = *item;
			fifo->slots[tail++].stamp = stamp;
		}
		fifo->count += n;
		fifo->enqueued += n;
		pcfifo_wake(&fifo->not_empty, n);
	}
	spin_unlock(&fifo->lock);
	return n;
}
EXPORT_SYMBOL_GPL(pcfifo_put_many);

/**
 * pcfifo_get_many - take the oldest items while the FIFO has some
 * @fifo: the FIFO
 * @n: items wanted
 * @stamps: array of @n; receives the @stamp of each item taken, oldest
 *	first
 * @last: receives the last (newest) item taken, if any
 * @wait: if not NULL, armed on @fifo when it runs empty before @n items
 *	are taken; its callback runs once, from the context of the
 *	pcfifo_put_many() that adds an item
 *
 * All items are taken under one acquisition of the lock, and one waiting
 * producer is called back per item taken, longest waiter first. Never
 * sleeps; see pcfifo_put_many() for the waiter's life.
 *
 * Return: items taken, 0 to @n; fewer than @n means the FIFO is empty.
 */
unsigned int pcfifo_get_many(struct pcfifo *fifo, unsigned int n, u64 *stamps,
			     struct pcfifo_item *last,
			     struct wait_queue_entry *wait)
{
	unsigned int i, head;

	spin_lock(&fifo->lock);
	if (fifo->count < n) {
		n = fifo->count;
		pcfifo_arm(&fifo->not_empty, wait);
	} else {
		pcfifo_disarm(wait);
	}
	if (n) {
		head = fifo->head;
		for (i = 0; i < n; i++) {
			stamps[i] = fifo->slots[head].stamp;
			if (++head == fifo->capacity)
				head = 0;
		}
		*last = fifo->slots[head ? head - 1 : fifo->capacity - 1];
		fifo->head = head;
		fifo->count -= n;
		fifo->dequeued += n;
		pcfifo_wake(&fifo->not_full, n);
	}
	spin_unlock(&fifo->lock);
	return n;
}
EXPORT_SYMBOL_GPL(pcfifo_get_many);

/**
 * pcfifo_cancel_wait - give up a wait armed by pcfifo_put_many() or
 *	pcfifo_get_many()
 * @fifo: the FIFO it may be armed on
 * @wait: the entry; need not be armed
 *
 * For a waiter that is going away, or that was woken and does not want to
 * move now. Its callback may have been called for a slot (item) it will
 * not use, so the next waiter of each direction that can move is woken in
 * its place; at worst that wake is spurious. On return the entry's
 * callback is not running and will not run.
 */
void pcfifo_cancel_wait(struct pcfifo *fifo, struct wait_queue_entry *wait)
{
	spin_lock(&fifo->lock);
	list_del_init(&wait->entry);
	if (fifo->count < fifo->capacity)
		pcfifo_wake(&fifo->not_full, 1);
	if (fifo->count)
		pcfifo_wake(&fifo->not_empty, 1);
	spin_unlock(&fifo->lock);
}

#define to_pcfifo(k) container_of(k, struct pcfifo, kobj)

static ssize_t pcfifo_show_u64(struct kobject *kobj, char *buf,
			       const u64 *field)
{
	struct pcfifo *fifo = to_pcfifo(kobj);
	u64 val;

	spin_lock(&fifo->lock);
	val = *field;
	spin_unlock(&fifo->lock);
	return sysfs_emit(buf, "%llu\n", val);
}

static ssize_t capacity_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", to_pcfifo(kobj)->capacity);
}

static ssize_t count_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct pcfifo *fifo = to_pcfifo(kobj);
	unsigned int count;

	spin_lock(&fifo->lock);
	count = fifo->count;
	spin_unlock(&fifo->lock);
	return sysfs_emit(buf, "%u\n", count);
}

static ssize_t enqueued_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return pcfifo_show_u64(kobj, buf, &to_pcfifo(kobj)->enqueued);
}

static ssize_t dequeued_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return pcfifo_show_u64(kobj, buf, &to_pcfifo(kobj)->dequeued);
}

static struct kobj_attribute capacity_attr = __ATTR_RO(capacity);
static struct kobj_attribute count_attr = __ATTR_RO(count);
static struct kobj_attribute enqueued_attr = __ATTR_RO(enqueued);
static struct kobj_attribute dequeued_attr = __ATTR_RO(dequeued);

static struct attribute *pcfifo_attrs[] = {
	&capacity_attr.attr,
	&count_attr.attr,
	&enqueued_attr.attr,
	&dequeued_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(pcfifo);

static void pcfifo_release(struct kobject *kobj)
{
	kvfree(to_pcfifo(kobj));
}

static pcfifo_ktype_const struct kobj_type pcfifo_ktype = {
	.release = pcfifo_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = pcfifo_groups,
};

/**
 * pcfifo_create - make an empty FIFO with a sysfs directory
 * @name: directory name under @parent
 * @capacity: slots, 1..PCFIFO_CAPACITY_MAX
 * @parent: sysfs parent
 *
 * Return: the FIFO or an ERR_PTR().
 */
struct pcfifo *pcfifo_create(const char *name, unsigned int capacity,
			     struct kobject *parent)
{
	struct pcfifo *fifo;
	int ret;

	fifo = kvzalloc(struct_size(fifo, slots, capacity), GFP_KERNEL);
	if (!fifo)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&fifo->lock);
	init_waitqueue_head(&fifo->not_full);
	init_waitqueue_head(&fifo->not_empty);
	fifo->capacity = capacity;

	ret = kobject_init_and_add(&fifo->kobj, &pcfifo_ktype, parent, "%s",
				   name);
	if (ret) {
		kobject_put(&fifo->kobj);
		return ERR_PTR(ret);
	}
	kobject_uevent(&fifo->kobj, KOBJ_ADD);
	return fifo;
}

/**
 * pcfifo_destroy - remove a FIFO nobody uses any more, with its items
 * @fifo: the FIFO
 */
void pcfifo_destroy(struct pcfifo *fifo)
{
	kobject_del(&fifo->kobj);
	kobject_put(&fifo->kobj);
}
