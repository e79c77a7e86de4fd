/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: declarations shared by the files of pcfifo.ko only.
 */
#ifndef PCFIFO_CORE_H
#define PCFIFO_CORE_H

#include "pcfifo.h"

#define PCFIFO_CAPACITY_MAX	65536

extern struct workqueue_struct *pcfifo_wq;
extern struct pcfifo *pcfifo_default;
extern struct dentry *pcfifo_debugfs_dirs[PCFIFO_NR_ROLES];

/* fifo.c */
struct pcfifo *pcfifo_create(const char *name, unsigned int capacity,
			     struct kobject *parent);
void pcfifo_destroy(struct pcfifo *fifo);
void pcfifo_cancel_wait(struct pcfifo *fifo, struct wait_queue_entry *wait);

/* sysfs.c */
extern struct kobject *pcfifo_fifos_kobj;
int pcfifo_sysfs_init(void);
void pcfifo_sysfs_exit(void);
struct kset *pcfifo_sysfs_kset(enum pcfifo_role_kind kind);

/* role.c */
extern const char * const pcfifo_role_dirs[PCFIFO_NR_ROLES];
struct pcfifo_role *pcfifo_role_get(enum pcfifo_role_kind kind);
void pcfifo_role_put(struct pcfifo_role *role);

/* instance.c */
struct pcfifo_instance *pcfifo_instance_create(struct pcfifo_role *role,
					       const char *name, u32 rate,
					       const void *arg);
void pcfifo_instance_destroy(struct pcfifo_instance *inst);
struct pcfifo_instance *pcfifo_instance_create_cfs(enum pcfifo_role_kind kind,
						   const char *name);
void pcfifo_instance_drop_cfs(struct pcfifo_instance *inst);
extern struct configfs_item_operations pcfifo_instance_cfs_ops;
extern struct configfs_attribute *pcfifo_instance_cfs_attrs[];

/* configfs.c */
int pcfifo_configfs_init(void);
void pcfifo_configfs_exit(void);

#endif /* PCFIFO_CORE_H */
