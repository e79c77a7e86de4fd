/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: the interface of the core (pcfifo.ko) for other modules: the
 * blocking calls any module may use on a FIFO (pcfifo_lookup() and on),
 * and what the role modules (pcfifo_producer.ko, pcfifo_consumer.ko) use.
 */
#ifndef PCFIFO_H
#define PCFIFO_H

#include <linux/configfs.h>
#include <linux/hrtimer.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "pace.h"
#include "uapi/pcfifo.h"	/* PCFIFO_ITEM_MAX, bytes in one item */

#define PCFIFO_NAME_MAX		PCFIFO_ITEM_MAX	/* bytes in a name */
#define PCFIFO_RATE_MAX		1000000	/* items per second */
#define PCFIFO_RATE_DEFAULT	1
#define PCFIFO_DEFAULT_NAME	"default" /* the core's FIFO, the parameter instances */
#define PCFIFO_PARAM_INSTANCE	PCFIFO_DEFAULT_NAME
/*
 * Most items one run of an instance's step moves, so that no run holds its
 * CPU for long (a softirq, or a worker: the workqueue reports per-CPU work
 * items that run over 10 ms); the rest are due at once and follow in the
 * next run.
 */
#define PCFIFO_BATCH_MAX	256

/**
 * struct pcfifo_item - one item as it travels through the FIFO
 * @stamp: when the FIFO enqueued it (ns of CLOCK_MONOTONIC), or 0 when no
 *	instance used the FIFO then (nobody measures its latency, and the
 *	clock may be slow to read); set by the FIFO, whatever the caller's
 *	copy holds
 * @len: bytes used in @data, 1..PCFIFO_ITEM_MAX
 * @data: the bytes; not NUL-terminated
 */
struct pcfifo_item {
	u64 stamp;
	u8 len;
	char data[PCFIFO_ITEM_MAX];
};

struct pcfifo;
struct pcfifo_side;
struct dentry;

/*
 * The blocking calls, for any module (see api.c): look a FIFO up by name,
 * then put and get items one at a time, in the same first-come,
 * first-served queues as every other user of the FIFO.
 */
struct pcfifo *pcfifo_lookup(const char *name);
void pcfifo_release(struct pcfifo *fifo);
int pcfifo_enqueue(struct pcfifo *fifo, const void *data, size_t len);
int pcfifo_enqueue_killable(struct pcfifo *fifo, const void *data,
			    size_t len);
int pcfifo_enqueue_timeout(struct pcfifo *fifo, const void *data, size_t len,
			   long timeout);
int pcfifo_try_enqueue(struct pcfifo *fifo, const void *data, size_t len);
ssize_t pcfifo_dequeue(struct pcfifo *fifo, void *buf, size_t size);
ssize_t pcfifo_dequeue_killable(struct pcfifo *fifo, void *buf, size_t size);
ssize_t pcfifo_dequeue_timeout(struct pcfifo *fifo, void *buf, size_t size,
			       long timeout);
ssize_t pcfifo_try_dequeue(struct pcfifo *fifo, void *buf, size_t size);

/**
 * struct pcfifo_waiter - a caller waiting for free slots (queued items)
 * @wake: called when slots (items) were handed to the waiter and its turn
 *	to use them has come, with the FIFO's lock held: it must not sleep
 *	or take a lock that is held around calls into the FIFO (an
 *	instance's lock)
 *
 * Initialise it with pcfifo_waiter_init(); the FIFO owns the rest.
 */
struct pcfifo_waiter {
	void (*wake)(struct pcfifo_waiter *w);
	/* private: */
	struct list_head node;		/* in @side's queue or holders */
	struct pcfifo_side *side;	/* queued on, or holding a grant of */
	unsigned int want;		/* slots (items) asked for */
	unsigned int granted;		/* handed over and not used yet */
	bool turn;			/* the first holder, called back */
};

void pcfifo_waiter_init(struct pcfifo_waiter *w,
			void (*wake)(struct pcfifo_waiter *w));
unsigned int pcfifo_put_many(struct pcfifo *fifo,
			     const struct pcfifo_item *item, unsigned int n,
			     struct pcfifo_waiter *w);
unsigned int pcfifo_get_many(struct pcfifo *fifo, unsigned int n, u64 *stamps,
			     struct pcfifo_item *last,
			     struct pcfifo_waiter *w);

enum pcfifo_role_kind {
	PCFIFO_PRODUCER,
	PCFIFO_CONSUMER,
	PCFIFO_NR_ROLES
};

/**
 * struct pcfifo_instance - one producer or consumer
 * @lock: serialises the role's step and the role's own fields against
 *	attribute reads and writes; a spinlock the step runs under in
 *	softirq context, so take it with spin_lock_bh(); see instance.c for
 *	the lock order
 * @fifo: where its items go to or come from; changes only under @lock
 * @wait: what @fifo calls back while the instance is blocked
 *
 * Role modules embed this as the first member of their own structure and
 * may use the members above; the rest belongs to the core.
 */
struct pcfifo_instance {
	spinlock_t lock;		/* see above */
	struct pcfifo *fifo;
	struct pcfifo_waiter wait;
	/* private: */
	struct kobject kobj;		/* sysfs directory; owns the memory */
	struct config_item cfs_item;	/* made by mkdir: holds a kobj ref */
	struct pcfifo_role *role;
	struct module *pinned;		/* module ref of a mkdir instance */
	struct pcfifo_pace pace;
	bool running;			/* started and not stopped */
	bool blocked;			/* @wait armed, or woken and not run */
	u64 blocked_since;		/* when the blocked step ran (ns) */
	bool armed;			/* @timer is to run the step */
	atomic_t woken;			/* ... or @wait was called back */
	struct hrtimer timer;		/* runs the step: items due, woken */
	struct work_struct work;	/* runs it when kicked or behind */
	struct dentry *debugfs;
};

/**
 * struct pcfifo_role - what a role module tells the core
 * @kind: producer or consumer: picks the configfs and sysfs directories
 * @owner: THIS_MODULE
 * @instance_size: size of the role's structure embedding the instance
 * @cfs_attrs: every configfs attribute of an instance, NULL-terminated:
 *	"rate" and "fifo" (see PCFIFO_INSTANCE_ATTR_RW()), then the role's
 * @sysfs_groups: every sysfs attribute group of an instance; the first
 *	group's attributes start with "rate" and "fifo" too
 * @init: set the role's defaults; @arg is what pcfifo_role_register() was
 *	given for the module-parameter instance, NULL for mkdir
 * @step: move up to @n items (1..PCFIFO_BATCH_MAX) with @inst->lock held,
 *	in softirq context or in a worker: it must not sleep; returns how
 *	many it moved; fewer than @n when the FIFO was full
 *	(empty), and then @inst->wait is queued on the FIFO. It must pass
 *	@inst->wait to every pcfifo_put_many() (pcfifo_get_many()) it makes
 * @rate_set: optional; called with @inst->lock held when the rate is
 *	written (also when the instance starts)
 * @debugfs: optional; creates the instance's files in @dir, a directory
 *	/sys/kernel/debug/pcfifo/<role>/<name> that the core removes with
 *	them before the instance goes away
 */
struct pcfifo_role {
	enum pcfifo_role_kind kind;
	struct module *owner;
	size_t instance_size;
	struct configfs_attribute **cfs_attrs;
	const struct attribute_group **sysfs_groups;
	void (*init)(struct pcfifo_instance *inst, const char *name,
		     const void *arg);
	unsigned int (*step)(struct pcfifo_instance *inst, unsigned int n);
	void (*rate_set)(struct pcfifo_instance *inst);
	void (*debugfs)(struct pcfifo_instance *inst, struct dentry *dir);
	/* private: */
	struct config_item_type cfs_type;
	struct kobj_type ktype;
	struct pcfifo_instance *param_instance;
};

int pcfifo_role_register(struct pcfifo_role *role, bool start, u32 rate,
			 const void *arg);
void pcfifo_role_unregister(struct pcfifo_role *role);

static inline struct pcfifo_instance *kobj_to_pcfifo_instance(struct kobject *kobj)
{
	return container_of(kobj, struct pcfifo_instance, kobj);
}

static inline struct pcfifo_instance *cfs_to_pcfifo_instance(struct config_item *item)
{
	return container_of(item, struct pcfifo_instance, cfs_item);
}

/*
 * An instance attribute is declared once and serves both trees. From
 * <pfx>_<name>_show(struct pcfifo_instance *, char *) and
 * <pfx>_<name>_store(struct pcfifo_instance *, const char *, size_t),
 * PCFIFO_INSTANCE_ATTR_RW(pfx, name) makes the configfs attribute
 * <pfx>_cfs_attr_<name> and the sysfs attribute <pfx>_attr_<name>, both
 * 0644. PCFIFO_INSTANCE_ATTR_RO(pfx, name) makes the sysfs attribute only,
 * 0444: counters are not configuration.
 */
#define PCFIFO_INSTANCE_ATTR_RW(_pfx, _name)				\
static ssize_t _pfx##_cfs_##_name##_show(struct config_item *ci,	\
					 char *page)			\
{									\
	return _pfx##_##_name##_show(cfs_to_pcfifo_instance(ci), page);	\
}									\
static ssize_t _pfx##_cfs_##_name##_store(struct config_item *ci,	\
					  const char *page, size_t len)	\
{									\
	return _pfx##_##_name##_store(cfs_to_pcfifo_instance(ci), page,	\
				      len);				\
}									\
CONFIGFS_ATTR(_pfx##_cfs_, _name);					\
static ssize_t _pfx##_kobj_##_name##_show(struct kobject *kobj,	\
					  struct kobj_attribute *attr,	\
					  char *buf)			\
{									\
	return _pfx##_##_name##_show(kobj_to_pcfifo_instance(kobj), buf);\
}									\
static ssize_t _pfx##_kobj_##_name##_store(struct kobject *kobj,	\
					   struct kobj_attribute *attr,	\
					   const char *buf, size_t len)	\
{									\
	return _pfx##_##_name##_store(kobj_to_pcfifo_instance(kobj), buf,\
				      len);				\
}									\
static struct kobj_attribute _pfx##_attr_##_name = {			\
	.attr = { .name = __stringify(_name), .mode = 0644 },		\
	.show = _pfx##_kobj_##_name##_show,				\
	.store = _pfx##_kobj_##_name##_store,				\
}

#define PCFIFO_INSTANCE_ATTR_RO(_pfx, _name)				\
static ssize_t _pfx##_kobj_##_name##_show(struct kobject *kobj,	\
					  struct kobj_attribute *attr,	\
					  char *buf)			\
{									\
	return _pfx##_##_name##_show(kobj_to_pcfifo_instance(kobj), buf);\
}									\
static struct kobj_attribute _pfx##_attr_##_name =			\
	__ATTR(_name, 0444, _pfx##_kobj_##_name##_show, NULL)

/*
 * The attributes every instance has, "rate" and "fifo": a role module
 * declares them with PCFIFO_INSTANCE_ATTR_RW(pcfifo_instance, rate) and
 * (..., fifo) and lists them first, in both trees.
 */
ssize_t pcfifo_instance_rate_show(struct pcfifo_instance *inst, char *buf);
ssize_t pcfifo_instance_rate_store(struct pcfifo_instance *inst,
				   const char *buf, size_t len);
ssize_t pcfifo_instance_fifo_show(struct pcfifo_instance *inst, char *buf);
ssize_t pcfifo_instance_fifo_store(struct pcfifo_instance *inst,
				   const char *buf, size_t len);

/**
 * struct pcfifo_rate_param - a role's "rate" module parameter
 * @rate: the value, PCFIFO_RATE_DEFAULT unless given
 * @set: given at load time; starts the module-parameter instance
 */
struct pcfifo_rate_param {
	u32 rate;
	bool set;
};

extern const struct kernel_param_ops pcfifo_rate_param_ops;

#endif /* PCFIFO_H */
