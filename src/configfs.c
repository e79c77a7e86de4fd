// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the configfs subsystem.
 *
 *   /sys/kernel/config/pcfifo/
 *   |-- fifos/                 mkdir NAME: a FIFO (fifos.c)
 *   |   |-- default/           made at load; rmdir: EPERM
 *   |   |   `-- capacity
 *   |   `-- NAME/
 *   |       `-- capacity
 *   |-- producers/             mkdir NAME: a producer (role.c)
 *   |   `-- NAME/
 *   |       |-- rate
 *   |       |-- fifo
 *   |       `-- item
 *   `-- consumers/             mkdir NAME: a consumer (role.c)
 *       `-- NAME/
 *           |-- rate
 *           `-- fifo
 *
 * The same objects are in sysfs (/sys/kernel/pcfifo), with the counters.
 */

#include <linux/configfs.h>
#include <linux/module.h>

#include "core.h"

/**
 * struct pcfifo_cfs_dir - producers/ or consumers/
 * @group: the configfs directory
 * @kind: the role of the instances made in it
 */
struct pcfifo_cfs_dir {
	struct config_group group;
	enum pcfifo_role_kind kind;
};

static struct config_item *pcfifo_cfs_make_item(struct config_group *group,
						const char *name)
{
	struct pcfifo_cfs_dir *dir =
		container_of(group, struct pcfifo_cfs_dir, group);
	struct pcfifo_instance *inst;

	inst = pcfifo_role_make_instance(dir->kind, name);
	if (IS_ERR(inst))
		return ERR_CAST(inst);
	return &inst->cfs_item;
}

static void pcfifo_cfs_drop_item(struct config_group *group,
				 struct config_item *item)
{
	pcfifo_role_drop_instance(cfs_to_pcfifo_instance(item));
}

static struct configfs_group_operations pcfifo_cfs_dir_ops = {
	.make_item = pcfifo_cfs_make_item,
	.drop_item = pcfifo_cfs_drop_item,
};

static const struct config_item_type pcfifo_cfs_dir_type = {
	.ct_group_ops = &pcfifo_cfs_dir_ops,
	.ct_owner = THIS_MODULE,
};

static const struct config_item_type pcfifo_cfs_root_type = {
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem pcfifo_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "pcfifo",
			.ci_type = &pcfifo_cfs_root_type,
		},
	},
};

static struct pcfifo_cfs_dir pcfifo_cfs_dirs[PCFIFO_NR_ROLES] = {
	[PCFIFO_PRODUCER] = { .kind = PCFIFO_PRODUCER },
	[PCFIFO_CONSUMER] = { .kind = PCFIFO_CONSUMER },
};

/**
 * pcfifo_configfs_init - register the subsystem
 *
 * After pcfifo_fifos_init(), which made fifos/ and fifos/default.
 *
 * Return: 0 or a negative errno.
 */
int pcfifo_configfs_init(void)
{
	int kind;

	config_group_init(&pcfifo_cfs_subsys.su_group);
	mutex_init(&pcfifo_cfs_subsys.su_mutex);
	for (kind = 0; kind < PCFIFO_NR_ROLES; kind++) {
		config_group_init_type_name(&pcfifo_cfs_dirs[kind].group,
					    pcfifo_role_dirs[kind],
					    &pcfifo_cfs_dir_type);
		configfs_add_default_group(&pcfifo_cfs_dirs[kind].group,
					   &pcfifo_cfs_subsys.su_group);
	}
	/*
	 * Last, so that configfs lists it first: pinning a FIFO
	 * (configfs_depend_item_unlocked()) searches the tree in that order
	 * and then need not walk past thousands of instances.
	 */
	configfs_add_default_group(&pcfifo_fifos_group,
				   &pcfifo_cfs_subsys.su_group);
	return configfs_register_subsystem(&pcfifo_cfs_subsys);
}

void pcfifo_configfs_exit(void)
{
	configfs_unregister_subsystem(&pcfifo_cfs_subsys);
}
