// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the registry of role modules, loaded on demand by mkdir, and the
 * instances made in configfs's producers/ and consumers/ or from a role's
 * module parameters.
 */

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "core.h"

/* Protects pcfifo_roles; held around nothing but the array. */
static DEFINE_MUTEX(pcfifo_roles_lock);
static struct pcfifo_role *pcfifo_roles[PCFIFO_NR_ROLES];
/* /sys/kernel/debug/pcfifo/{producers,consumers}, for the roles' files */
static struct dentry *pcfifo_roles_debugfs[PCFIFO_NR_ROLES];

/* Directory of each role's instances, in configfs, sysfs and debugfs. */
const char * const pcfifo_role_dirs[PCFIFO_NR_ROLES] = {
	[PCFIFO_PRODUCER] = "producers",
	[PCFIFO_CONSUMER] = "consumers",
};

static const char * const pcfifo_role_modules[PCFIFO_NR_ROLES] = {
	[PCFIFO_PRODUCER] = "pcfifo_producer",
	[PCFIFO_CONSUMER] = "pcfifo_consumer",
};

/**
 * pcfifo_roles_debugfs_init - make the roles' debugfs directories
 * @root: /sys/kernel/debug/pcfifo, removed with them by the caller
 */
void pcfifo_roles_debugfs_init(struct dentry *root)
{
	int kind;

	for (kind = 0; kind < PCFIFO_NR_ROLES; kind++)
		pcfifo_roles_debugfs[kind] =
			debugfs_create_dir(pcfifo_role_dirs[kind], root);
}

/* Make, publish and start an instance of @role; see instance.c. */
static struct pcfifo_instance *pcfifo_role_start(struct pcfifo_role *role,
						 const char *name, u32 rate,
						 const void *arg, bool cfs)
{
	struct pcfifo_instance *inst;
	int ret;

	inst = pcfifo_instance_create(role, name, rate, arg, cfs);
	if (IS_ERR(inst))
		return inst;
	ret = pcfifo_instance_add(inst, name, pcfifo_sysfs_kset(role->kind),
				  pcfifo_roles_debugfs[role->kind]);
	if (ret) {
		pcfifo_instance_put(inst);
		return ERR_PTR(ret);
	}
	return inst;
}

/**
 * pcfifo_role_drop_instance - stop and remove an instance, for rmdir
 * @inst: from pcfifo_role_make_instance(), or a module-parameter instance
 */
void pcfifo_role_drop_instance(struct pcfifo_instance *inst)
{
	pcfifo_instance_remove(inst);
	pcfifo_instance_put(inst);
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
 * Return: 0, -EINVAL for a malformed role, -EBUSY if the role's kind is
 * taken, or an error from starting the instance.
 */
int pcfifo_role_register(struct pcfifo_role *role, bool start, u32 rate,
			 const void *arg)
{
	struct pcfifo_instance *inst = NULL;
	int ret;

	if (WARN_ON(role->kind >= PCFIFO_NR_ROLES || !role->step ||
		    !role->cfs_attrs || !role->sysfs_groups ||
		    role->instance_size < sizeof(struct pcfifo_instance)))
		return -EINVAL;
	pcfifo_instance_types_init(role);

	if (start) {
		inst = pcfifo_role_start(role, PCFIFO_PARAM_INSTANCE, rate, arg,
					 false);
		if (IS_ERR(inst))
			return PTR_ERR(inst);
	}
	role->param_instance = inst;

	mutex_lock(&pcfifo_roles_lock);
	ret = pcfifo_roles[role->kind] ? -EBUSY : 0;
	if (!ret)
		pcfifo_roles[role->kind] = role;
	mutex_unlock(&pcfifo_roles_lock);
	if (ret && inst) {
		pcfifo_role_drop_instance(inst);
		role->param_instance = NULL;
	}
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
		pcfifo_role_drop_instance(role->param_instance);
	role->param_instance = NULL;
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

/* The role of @kind with a reference on its module, loaded if need be. */
static struct pcfifo_role *pcfifo_role_get(enum pcfifo_role_kind kind)
{
	struct pcfifo_role *role = pcfifo_role_try_get(kind);

	if (!role) {
		request_module("%s", pcfifo_role_modules[kind]);
		role = pcfifo_role_try_get(kind);
	}
	return role;
}

/**
 * pcfifo_role_make_instance - create and start an instance for mkdir
 * @kind: the role of the parent directory
 * @name: the new directory's name
 *
 * Return: the running instance or an ERR_PTR(): -ENODEV when the role's
 * module cannot be loaded, -EEXIST for the name of the module-parameter
 * instance, -ENAMETOOLONG, -ENOMEM.
 */
struct pcfifo_instance *pcfifo_role_make_instance(enum pcfifo_role_kind kind,
						  const char *name)
{
	struct pcfifo_role *role;

	/* Before the role's module is loaded: a bad name changes nothing. */
	if (strlen(name) > PCFIFO_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	role = pcfifo_role_get(kind);
	if (!role)
		return ERR_PTR(-ENODEV);
	/*
	 * configfs refuses a name its directory holds, so the one name in
	 * use that it does not know is that of the role's module-parameter
	 * instance, which is set before the role can be found and stays
	 * while the reference taken above is held. A constant-time check:
	 * looking the name up among thousands of instances is not.
	 */
	if (role->param_instance && !strcmp(name, PCFIFO_PARAM_INSTANCE)) {
		module_put(role->owner);
		return ERR_PTR(-EEXIST);
	}
	/* The instance takes over the module reference. */
	return pcfifo_role_start(role, name, PCFIFO_RATE_DEFAULT, NULL, true);
}

