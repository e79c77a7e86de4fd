// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the bounded FIFO and its sysfs directory.
 *
 * A ring of items under a spinlock. The counts of filled and empty slots
 * are the ring's count and capacity - count; waiting for a slot or an item
 * is done on a wait queue per direction, as a semaphore would, but a
 * waiter is a callback rather than a sleeping task: pcfifo_put() and
 * pcfifo_get() never sleep, they arm the caller's wait queue entry and
 * return -EAGAIN. The caller is called back when the other side moves an
 * item, and can abort its wait at any time, which is what lets an instance
 * be torn down without waiting for the FIFO to change.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kobject.h>
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
	spin_lock_irqsave(&queue->lock, flags);
	__add_wait_queue_entry_tail(queue, wait);
	spin_unlock_irqrestore(&queue->lock, flags);
}

/* The waiters' callbacks only queue work, so this is cheap enough here. */
static void pcfifo_wake(struct wait_queue_head *queue)
{
	/* No barrier needed: waiters are armed under fifo->lock too. */
	if (waitqueue_active(queue))
		wake_up(queue);
}

/**
 * pcfifo_put - append an item unless the FIFO is full
 * @fifo: the FIFO
 * @item: the item, copied
 * @wait: if not NULL, armed on @fifo when it is full; its callback runs
 *	once, from the context of the pcfifo_get() that frees a slot
 *
 * Never sleeps. A waiter is disarmed by its own callback or by
 * pcfifo_cancel_wait(); arming an already armed entry does nothing.
 *
 * Return: 0 if @item was appended, -EAGAIN if @fifo is full.
 */
int pcfifo_put(struct pcfifo *fifo, const struct pcfifo_item *item,
	       struct wait_queue_entry *wait)
{
	unsigned int tail;
	int ret = 0;

	spin_lock(&fifo->lock);
	if (fifo->count == fifo->capacity) {
		pcfifo_arm(&fifo->not_full, wait);
		ret = -EAGAIN;
	} else {
		tail = fifo->head + fifo->count;
		if (tail >= fifo->capacity)
			tail -= fifo->capacity;
		fifo->slots[tail] = *item;
		fifo->count++;
		fifo->enqueued++;
		pcfifo_wake(&fifo->not_empty);
	}
	spin_unlock(&fifo->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pcfifo_put);

/**
 * pcfifo_get - take the oldest item unless the FIFO is empty
 * @fifo: the FIFO
 * @item: where the item is copied
 * @wait: if not NULL, armed on @fifo when it is empty; its callback runs
 *	once, from the context of the pcfifo_put() that adds an item
 *
 * Never sleeps; see pcfifo_put() for the waiter's life.
 *
 * Return: 0 if an item was taken into @item, -EAGAIN if @fifo is empty.
 */
int pcfifo_get(struct pcfifo *fifo, struct pcfifo_item *item,
	       struct wait_queue_entry *wait)
{
	int ret = 0;

	spin_lock(&fifo->lock);
	if (!fifo->count) {
		pcfifo_arm(&fifo->not_empty, wait);
		ret = -EAGAIN;
	} else {
		*item = fifo->slots[fifo->head];
		if (++fifo->head == fifo->capacity)
			fifo->head = 0;
		fifo->count--;
		fifo->dequeued++;
		pcfifo_wake(&fifo->not_full);
	}
	spin_unlock(&fifo->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pcfifo_get);

/**
 * pcfifo_cancel_wait - disarm a wait armed by pcfifo_put() or pcfifo_get()
 * @fifo: the FIFO it may be armed on
 * @wait: the entry; need not be armed
 *
 * On return the entry's callback is not running and will not run.
 */
void pcfifo_cancel_wait(struct pcfifo *fifo, struct wait_queue_entry *wait)
{
	spin_lock(&fifo->lock);
	list_del_init(&wait->entry);
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
