/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: declarations shared by the files of pcfifo.ko only.
 *
 * Calls go one way: configfs.c and the attributes -> role.c (the role
 * registry) -> instance.c -> fifo.c and pace.c; dev.c (the device files)
 * -> api.c (the blocking calls) -> fifo.c. fifos.c names the FIFOs in
 * configfs, sysfs and /dev for whoever looks one up. No file calls back
 * up that chain.
 */
#ifndef PCFIFO_CORE_H
#define PCFIFO_CORE_H

#include <linux/cdev.h>
#include <linux/configfs.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "pcfifo.h"

#define PCFIFO_CAPACITY_MAX	65536

/**
 * struct pcfifo_side - one direction's waiters: producers waiting for free
 *	slots, or consumers waiting for items
 * @waiters: queued waiters, oldest first
 * @holders: waiters that slots (items) were handed to and that have yet
 *	to use them, in the order they were handed over: they move in turn
 * @reserved: slots (items) handed to the holders
 */
struct pcfifo_side {
	struct list_head waiters;
	struct list_head holders;
	unsigned int reserved;
};

/**
 * struct pcfifo - a bounded FIFO of items, with its two directories
 * @lock: protects the ring, the counters and both sides' queues and
 *	grants; innermost of pcfifo's locks, taken with bottom halves off
 *	(instances move items from a soft hrtimer). Wake callbacks run
 *	under it
 * @capacity: slots in @slots
 * @head: slot of the oldest item
 * @count: items queued
 * @enqueued: items ever put
 * @dequeued: items ever taken
 * @put: producers waiting for a free slot
 * @get: consumers waiting for an item
 * @slots: the ring
 * @stampers: instances using the FIFO: while there are any, what is put is
 *	stamped with the time (see struct pcfifo_item)
 * @poll: woken when items or free slots may have become available, for
 *	poll() on the device file
 * @cdev: the device file /dev/pcfifo/NAME; an open file holds a reference
 *	on @kobj through it
 * @dev: /sys/class/pcfifo/NAME
 * @kobj: /sys/kernel/pcfifo/fifos/NAME; its last reference frees the FIFO
 * @group: /sys/kernel/config/pcfifo/fifos/NAME; holds a reference on @kobj
 *	until configfs releases it
 * @node: in the list of FIFOs by name, see fifos.c
 */
struct pcfifo {
	spinlock_t lock;		/* see above */
	unsigned int capacity;
	unsigned int head;
	unsigned int count;
	u64 enqueued;
	u64 dequeued;
	struct pcfifo_side put;
	struct pcfifo_side get;
	struct pcfifo_item *slots;
	atomic_t stampers;
	wait_queue_head_t poll;

	struct cdev cdev;
	struct device *dev;
	struct kobject kobj;
	struct config_group group;
	struct list_head node;
};

extern struct workqueue_struct *pcfifo_wq;
extern unsigned int pcfifo_capacity;

/**
 * struct pcfifo_span - an item's bytes in a text (a device file's write)
 * @off: where they start in the text
 * @len: how many, 1..PCFIFO_ITEM_MAX
 */
struct pcfifo_span {
	u16 off;
	u8 len;
};

/* fifo.c: the ring and its waiters */
int pcfifo_init_ring(struct pcfifo *fifo, unsigned int capacity);
void pcfifo_free_ring(struct pcfifo *fifo);
int pcfifo_set_capacity(struct pcfifo *fifo, unsigned int capacity);
unsigned int pcfifo_put_items(struct pcfifo *fifo,
			      const struct pcfifo_item *items, unsigned int n,
			      struct pcfifo_waiter *w);
int pcfifo_get_items(struct pcfifo *fifo, struct pcfifo_item *items,
		     unsigned int n, size_t room, struct pcfifo_waiter *w);
unsigned int pcfifo_put_spans(struct pcfifo *fifo, const char *text,
			      const struct pcfifo_span *spans, unsigned int n,
			      struct pcfifo_waiter *w);
int pcfifo_get_text(struct pcfifo *fifo, char *text, size_t room, bool lines,
		    unsigned int n, size_t *len, struct pcfifo_waiter *w);
void pcfifo_cancel_wait(struct pcfifo *fifo, struct pcfifo_waiter *w);
__poll_t pcfifo_poll_state(struct pcfifo *fifo);
void pcfifo_stamps_get(struct pcfifo *fifo);
void pcfifo_stamps_put(struct pcfifo *fifo);
void pcfifo_snapshot(struct pcfifo *fifo, unsigned int *count,
		     u64 *enqueued, u64 *dequeued);

/* parse.c: what users write */
int pcfifo_parse_rate(const char *buf, size_t len, u32 *rate);
int pcfifo_parse_capacity(const char *buf, size_t len,
			  unsigned int *capacity);
int pcfifo_parse_name(const char *buf, size_t len,
		      char name[PCFIFO_NAME_MAX + 1]);
unsigned int pcfifo_parse_lines(const char *text, size_t len, bool last,
				struct pcfifo_span *spans, unsigned int max,
				size_t *used, bool *bad);

/**
 * struct pcfifo_sleeper - a task sleeping until its waiter is handed
 *	slots (items); see api.c
 * @w: the waiter to pass to pcfifo_put_items() (pcfifo_get_items())
 * @wq: where the task sleeps
 */
struct pcfifo_sleeper {
	struct pcfifo_waiter w;
	wait_queue_head_t wq;
};

/* api.c: sleeping on a FIFO */
void pcfifo_sleeper_init(struct pcfifo_sleeper *s);
int pcfifo_sleep(struct pcfifo *fifo, struct pcfifo_sleeper *s,
		 unsigned int state, long *timeout);

/* dev.c: the device files' operations */
extern const struct file_operations pcfifo_dev_fops;

/* fifos.c: the FIFOs by name, in configfs, sysfs and /dev */
extern struct config_group pcfifo_fifos_group;
int pcfifo_fifos_init(struct kobject *sysfs_parent);
void pcfifo_fifos_exit(void);
struct pcfifo *pcfifo_fifo_get(const char *name);
struct pcfifo *pcfifo_fifo_get_default(void);
void pcfifo_fifo_put(struct pcfifo *fifo);
int pcfifo_fifo_pin(struct pcfifo *fifo);
const char *pcfifo_fifo_name(const struct pcfifo *fifo);

/* sysfs.c: the directories of /sys/kernel/pcfifo */
int pcfifo_sysfs_init(void);
void pcfifo_sysfs_exit(void);
struct kobject *pcfifo_sysfs_root(void);
struct kset *pcfifo_sysfs_kset(enum pcfifo_role_kind kind);

/* role.c: the role registry; configfs's producers/ and consumers/ */
extern const char * const pcfifo_role_dirs[PCFIFO_NR_ROLES];
struct pcfifo_instance *pcfifo_role_make_instance(enum pcfifo_role_kind kind,
						  const char *name);
void pcfifo_role_drop_instance(struct pcfifo_instance *inst);
void pcfifo_roles_debugfs_init(struct dentry *root);

/* instance.c: one instance's life and schedule */
void pcfifo_instance_types_init(struct pcfifo_role *role);
struct pcfifo_instance *pcfifo_instance_create(struct pcfifo_role *role,
					       const char *name, u32 rate,
					       const void *arg, bool cfs);
int pcfifo_instance_add(struct pcfifo_instance *inst, const char *name,
			struct kset *kset, struct dentry *debugfs_parent);
void pcfifo_instance_remove(struct pcfifo_instance *inst);
void pcfifo_instance_put(struct pcfifo_instance *inst);

/* configfs.c */
int pcfifo_configfs_init(void);
void pcfifo_configfs_exit(void);

#endif /* PCFIFO_CORE_H */
