// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the registry of role modules, loaded on demand by mkdir.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "core.h"

static DEFINE_MUTEX(pcfifo_roles_lock);	/* protects pcfifo_roles */
static struct pcfifo_role *pcfifo_roles[PCFIFO_NR_ROLES];

/* Directory of each role's instances, in configfs and in sysfs. */
const char * const pcfifo_role_dirs[PCFIFO_NR_ROLES] = {
	[PCFIFO_PRODUCER] = "producers",
	[PCFIFO_CONSUMER] = "consumers",
};

static const char * const pcfifo_role_modules[PCFIFO_NR_ROLES] = {
	[PCFIFO_PRODUCER] = "pcfifo_producer",
	[PCFIFO_CONSUMER] = "pcfifo_consumer",
};

/* Every role's configfs directory has "rate" first, then the role's own. */
static struct configfs_attribute **pcfifo_role_cfs_attrs(struct pcfifo_role *role)
{
	struct configfs_attribute **all;
	size_t n_core = 0, n_role = 0;

	while (pcfifo_instance_cfs_attrs[n_core])
		n_core++;
	while (role->cfs_attrs && role->cfs_attrs[n_role])
		n_role++;
	all = kcalloc(n_core + n_role + 1, sizeof(*all), GFP_KERNEL);
	if (!all)
		return NULL;
	memcpy(all, pcfifo_instance_cfs_attrs, n_core * sizeof(*all));
	if (n_role)
		memcpy(all + n_core, role->cfs_attrs, n_role * sizeof(*all));
	return all;
}

/**
 * pcfifo_role_register - make a role available to mkdir
 * @role: the role, owned by the calling module until it unregisters
 * @start: first start the role's module-parameter instance, named
 *	PCFIFO_PARAM_INSTANCE, visible in sysfs only
 * @rate: that instance's rate
 * @arg: passed to @role->init for that instance
 *
 * Call it last in the module's init: once mkdir can pin the module, its
 * init must not fail.
 *
 * Return: 0, -EBUSY if the role's kind is taken, or an error from starting
 * the instance.
 */
int pcfifo_role_register(struct pcfifo_role *role, bool start, u32 rate,
			 const void *arg)
{
	struct pcfifo_instance *inst = NULL;
	int ret = -ENOMEM;

	if (WARN_ON(role->kind >= PCFIFO_NR_ROLES || !role->step ||
		    role->instance_size < sizeof(struct pcfifo_instance)))
		return -EINVAL;

	if (start) {
		inst = pcfifo_instance_create(role, PCFIFO_PARAM_INSTANCE, rate,
					      arg);
		if (IS_ERR(inst))
			return PTR_ERR(inst);
	}
	role->param_instance = inst;

	role->cfs_all_attrs = pcfifo_role_cfs_attrs(role);
	if (!role->cfs_all_attrs)
		goto err;
	role->cfs_type = (struct config_item_type) {
		.ct_owner = role->owner,
		.ct_item_ops = &pcfifo_instance_cfs_ops,
		.ct_attrs = role->cfs_all_attrs,
	};

	mutex_lock(&pcfifo_roles_lock);
	ret = pcfifo_roles[role->kind] ? -EBUSY : 0;
	if (!ret)
		pcfifo_roles[role->kind] = role;
	mutex_unlock(&pcfifo_roles_lock);
	if (!ret)
		return 0;

	kfree(role->cfs_all_attrs);
err:
	if (inst)
		pcfifo_instance_destroy(inst);
	role->param_instance = NULL;
	return ret;
}
EXPORT_SYMBOL_GPL(pcfifo_role_register);

/**
 * pcfifo_role_unregister - withdraw a role and its module-parameter instance
 * @role: a role registered with pcfifo_role_register()
 *
 * Called from the role module's exit. Every instance created by mkdir holds
 * a reference on the module, so none is left by then.
 */
void pcfifo_role_unregister(struct pcfifo_role *role)
{
	mutex_lock(&pcfifo_roles_lock);
	pcfifo_roles[role->kind] = NULL;
	mutex_unlock(&pcfifo_roles_lock);
	if (role->param_instance)
		pcfifo_instance_destroy(role->param_instance);
	kfree(role->cfs_all_attrs);
}
EXPORT_SYMBOL_GPL(pcfifo_role_unregister);

static struct pcfifo_role *pcfifo_role_try_get(enum pcfifo_role_kind kind)
{
	struct pcfifo_role *role;

	mutex_lock(&pcfifo_roles_lock);
	role = pcfifo_roles[kind];
	if (role && !try_module_get(role->owner))
		role = NULL;
	mutex_unlock(&pcfifo_roles_lock);
	return role;
}

/**
 * pcfifo_role_get - find a role, loading its module if need be
 * @kind: the role
 *
 * Return: the role with a reference on its module, or NULL.
 */
struct pcfifo_role *pcfifo_role_get(enum pcfifo_role_kind kind)
{
	struct pcfifo_role *role = pcfifo_role_try_get(kind);

	if (!role) {
		request_module("%s", pcfifo_role_modules[kind]);
		role = pcfifo_role_try_get(kind);
	}
	return role;
}

void pcfifo_role_put(struct pcfifo_role *role)
{
	module_put(role->owner);
}
