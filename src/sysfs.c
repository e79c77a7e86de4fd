// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the directories of /sys/kernel/pcfifo. The FIFOs (fifos.c) and
 * the instances fill them with their own attributes.
 */

#include <linux/kobject.h>

#include "core.h"

static struct kobject *pcfifo_root_kobj;
static struct kset *pcfifo_role_ksets[PCFIFO_NR_ROLES];

/**
 * pcfifo_sysfs_root - /sys/kernel/pcfifo
 *
 * Return: its kobject.
 */
struct kobject *pcfifo_sysfs_root(void)
{
	return pcfifo_root_kobj;
}

/**
 * pcfifo_sysfs_kset - the directory holding the instances of a role
 * @kind: the role
 *
 * Return: the kset of /sys/kernel/pcfifo/producers or .../consumers.
 */
struct kset *pcfifo_sysfs_kset(enum pcfifo_role_kind kind)
{
	return pcfifo_role_ksets[kind];
}

int pcfifo_sysfs_init(void)
{
	int kind;

	pcfifo_root_kobj = kobject_create_and_add("pcfifo", kernel_kobj);
	if (!pcfifo_root_kobj)
		return -ENOMEM;
	for (kind = 0; kind < PCFIFO_NR_ROLES; kind++) {
		pcfifo_role_ksets[kind] =
			kset_create_and_add(pcfifo_role_dirs[kind], NULL,
					    pcfifo_root_kobj);
		if (!pcfifo_role_ksets[kind]) {
			pcfifo_sysfs_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

void pcfifo_sysfs_exit(void)
{
	int kind;

	for (kind = 0; kind < PCFIFO_NR_ROLES; kind++) {
		kset_unregister(pcfifo_role_ksets[kind]);
		pcfifo_role_ksets[kind] = NULL;
	}
	kobject_put(pcfifo_root_kobj);
	pcfifo_root_kobj = NULL;
}
