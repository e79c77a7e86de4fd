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

/**
 * struct pcfifo_item - one item as it travels through the FIFO
 * @len: bytes used in @data, 1..PCFIFO_ITEM_MAX
 * @data: the bytes; not NUL-terminated
 */
struct pcfifo_item {
	u8 len;
	char data[PCFIFO_ITEM_MAX];
};

struct pcfifo;

int pcfifo_put(struct pcfifo *fifo, const struct pcfifo_item *item,
	       struct wait_queue_entry *wait);
int pcfifo_get(struct pcfifo *fifo, struct pcfifo_item *item,
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
 * @blocked: the last step found the FIFO full (empty); @wait is armed
 * @blocked_since: when that step ran (ns of CLOCK_MONOTONIC)
 * @stopped: being removed; the work must not run the role again
 * @work: paces the instance
 * @wait: armed on the FIFO while blocked; queues @work when it can move
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
 * @step: move one item with @inst->lock held; 0 on success, -EAGAIN when
 *	the FIFO is full (empty) and @inst->wait has been armed
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
	int (*step)(struct pcfifo_instance *inst);

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
