/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: the interface between the FIFO core (pcfifo.ko) and the role
 * modules (pcfifo_producer.ko, pcfifo_consumer.ko).
 */
#ifndef PCFIFO_H
#define PCFIFO_H

#include <linux/configfs.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pace.h"

#define PCFIFO_ITEM_MAX		64	/* bytes in one item, and in a name */
#define PCFIFO_RATE_MAX		1000000	/* items per second */
#define PCFIFO_RATE_DEFAULT	1
#define PCFIFO_PARAM_INSTANCE	"default" /* started by module parameters */
/*
 * Most items one run of an instance's work moves, so that no run holds its
 * CPU for long (the workqueue reports per-CPU work items that run over
 * 10 ms); the rest are due at once and follow in the next run.
 */
#define PCFIFO_BATCH_MAX	256

/**
 * struct pcfifo_item - one item as it travels through the FIFO
 * @stamp: when the FIFO enqueued it (ns of CLOCK_MONOTONIC); set by
 *	pcfifo_put_many(), whatever the caller's copy holds
 * @len: bytes used in @data, 1..PCFIFO_ITEM_MAX
 * @data: the bytes; not NUL-terminated
 */
struct pcfifo_item {
	u64 stamp;
	u8 len;
	char data[PCFIFO_ITEM_MAX];
};

struct pcfifo;
struct dentry;

unsigned int pcfifo_put_many(struct pcfifo *fifo,
			     const struct pcfifo_item *item, unsigned int n,
			     struct wait_queue_entry *wait);
unsigned int pcfifo_get_many(struct pcfifo *fifo, unsigned int n, u64 *stamps,
			     struct pcfifo_item *last,
			     struct wait_queue_entry *wait);

int pcfifo_parse_rate(const char *buf, size_t len, u32 *rate);

enum pcfifo_role_kind {
	PCFIFO_PRODUCER,
	PCFIFO_CONSUMER,
	PCFIFO_NR_ROLES
};

/**
 * struct pcfifo_instance - one producer or consumer
 * @kobj: its sysfs directory; the last reference frees the instance
 * @cfs_item: its configfs directory, when created by mkdir; holds a
 *	reference on @kobj until configfs releases it
 * @role: what it does
 * @fifo: where its items go to or come from
 * @pinned: module reference held for a configfs instance, else NULL
 * @lock: serialises the schedule, the role's step and the role's own
 *	fields against attribute reads and writes
 * @pace: the schedule
 * @blocked: the last step found the FIFO full (empty); @wait is armed, or
 *	its callback has run and the next run of @work moves or passes the
 *	wake on
 * @blocked_since: when that step ran (ns of CLOCK_MONOTONIC)
 * @stopped: being removed; the work must not run the role again
 * @work: paces the instance
 * @wait: armed on the FIFO while blocked; queues @work when it can move
 * @debugfs: its debugfs directory, for roles with a @debugfs hook
 *
 * Role modules embed this as the first member of their own structure and
 * may use @lock, @fifo and @wait; the rest belongs to the core.
 */
struct pcfifo_instance {
	struct kobject kobj;
	struct config_item cfs_item;
	struct pcfifo_role *role;
	struct pcfifo *fifo;
	struct module *pinned;
	struct mutex lock;		/* see above */
	struct pcfifo_pace pace;
	bool blocked;
	bool stopped;
	u64 blocked_since;
	struct delayed_work work;
	struct wait_queue_entry wait;
	struct dentry *debugfs;
};

/**
 * struct pcfifo_role - what a role module tells the core
 * @kind: producer or consumer: picks the configfs and sysfs directories
 * @owner: THIS_MODULE
 * @instance_size: size of the role's structure embedding the instance
 * @cfs_attrs: configfs attributes besides "rate", NULL-terminated, or NULL
 * @sysfs_groups: sysfs attribute groups besides "rate", NULL-terminated
 * @init: set the role's defaults; @arg is what pcfifo_role_register() was
 *	given for the module-parameter instance, NULL for mkdir
 * @step: move up to @n items (1..PCFIFO_BATCH_MAX) with @inst->lock held;
 *	returns how many it moved; fewer than @n when the FIFO was full
 *	(empty), and then @inst->wait has been armed. It must pass
 *	@inst->wait to every pcfifo_put_many() (pcfifo_get_many()) it makes
 * @rate_set: optional; called with @inst->lock held when the rate is
 *	written (also when the instance starts)
 * @debugfs: optional; creates the instance's files in @dir, a directory
 *	/sys/kernel/debug/pcfifo/<role>/<name> that the core removes with
 *	them before the instance goes away
 * @cfs_type: private to the core
 * @cfs_all_attrs: private to the core
 * @param_instance: private to the core
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

	struct config_item_type cfs_type;
	struct configfs_attribute **cfs_all_attrs;
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
