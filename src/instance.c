// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: instances of a role, their pacing work and their "rate".
 *
 * Lifetime: the kobject owns the memory. An instance made by mkdir gives
 * its first kobject reference to its config_item, which drops it when
 * configfs releases the item, and holds a reference on the role's module
 * until it is freed. Removal first stops the instance (no step runs after
 * it, the FIFO forgets its waiter, the work is cancelled), then deletes
 * its sysfs directory, so no attribute of a stopped instance can restart
 * it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "core.h"

/*
 * Most items one run of the work does before it yields, so that no run
 * holds its CPU for long (the workqueue reports per-CPU work items that
 * run over 10 ms); the rest are due at once and follow in the next run.
 */
#define PCFIFO_BATCH_MAX	256

/* Serialises the check for a free name with the creation of the name. */
static DEFINE_MUTEX(pcfifo_names_lock);

/**
 * pcfifo_parse_rate - parse a rate written by a user
 * @buf: the text, NUL-terminated at @len
 * @len: its length
 * @rate: the result, untouched on error
 *
 * Accepts what kstrtou32() accepts in base 10, one trailing newline
 * included.
 *
 * Return: 0, -EINVAL for anything that is not a number (an embedded NUL
 * included), -ERANGE for a number above PCFIFO_RATE_MAX.
 */
int pcfifo_parse_rate(const char *buf, size_t len, u32 *rate)
{
	u32 val;
	int ret;

	if (strnlen(buf, len) != len)
		return -EINVAL;
	ret = kstrtou32(buf, 10, &val);
	if (ret)
		return ret;
	if (val > PCFIFO_RATE_MAX)
		return -ERANGE;
	*rate = val;
	return 0;
}
EXPORT_SYMBOL_GPL(pcfifo_parse_rate);

static void pcfifo_instance_work(struct work_struct *work)
{
	struct pcfifo_instance *inst =
		container_of(to_delayed_work(work), struct pcfifo_instance, work);
	unsigned int budget = PCFIFO_BATCH_MAX;
	unsigned long delay = 0;
	u64 now, next;

	mutex_lock(&inst->lock);
	if (inst->stopped || !inst->pace.rate)
		goto out;

	now = ktime_get_ns();
	next = pcfifo_pace_next(&inst->pace);
	if (inst->blocked) {
		inst->blocked = false;
		/*
		 * Blocked for up to a tick while an item was due is jitter,
		 * caught up like a late timer. Longer starts a new run owed
		 * one tick's worth of items at most: blocked time is not made
		 * up in a burst, and an instance the other side holds back
		 * still takes what that side moves as soon as it moves it.
		 */
		if (now > max(next, inst->blocked_since) + TICK_NSEC) {
			pcfifo_pace_restart(&inst->pace, now - TICK_NSEC);
			next = pcfifo_pace_next(&inst->pace);
		}
	}

	while (next <= now && budget--) {
		if (inst->role->step(inst)) {
			/* The FIFO queues the work when it can move. */
			inst->blocked = true;
			inst->blocked_since = ktime_get_ns();
			goto out;
		}
		pcfifo_pace_advance(&inst->pace, now);
		next = pcfifo_pace_next(&inst->pace);
	}
	if (next > now)
		delay = DIV64_U64_ROUND_UP(next - now, TICK_NSEC);
	queue_delayed_work(pcfifo_wq, &inst->work, delay);
out:
	mutex_unlock(&inst->lock);
}

/* Called by the FIFO, under its lock, when this blocked instance can move. */
static int pcfifo_instance_wake(struct wait_queue_entry *wait,
				unsigned int mode, int flags, void *key)
{
	struct pcfifo_instance *inst =
		container_of(wait, struct pcfifo_instance, wait);

	list_del_init(&wait->entry);
	mod_delayed_work(pcfifo_wq, &inst->work, 0);
	return 1;
}

static void pcfifo_instance_set_rate(struct pcfifo_instance *inst, u32 rate)
{
	mutex_lock(&inst->lock);
	pcfifo_pace_set_rate(&inst->pace, rate, ktime_get_ns());
	if (!inst->stopped)
		mod_delayed_work(pcfifo_wq, &inst->work, 0);
	mutex_unlock(&inst->lock);
}

/* "rate", in configfs and in sysfs */

static ssize_t pcfifo_instance_show_rate(struct pcfifo_instance *inst,
					 char *buf)
{
	u32 rate;

	mutex_lock(&inst->lock);
	rate = inst->pace.rate;
	mutex_unlock(&inst->lock);
	return sysfs_emit(buf, "%u\n", rate);
}

static ssize_t pcfifo_instance_store_rate(struct pcfifo_instance *inst,
					  const char *buf, size_t len)
{
	u32 rate;
	int ret;

	ret = pcfifo_parse_rate(buf, len, &rate);
	if (ret)
		return ret;
	pcfifo_instance_set_rate(inst, rate);
	return len;
}

static void pcfifo_instance_stop(struct pcfifo_instance *inst)
{
	mutex_lock(&inst->lock);
	inst->stopped = true;
	mutex_unlock(&inst->lock);
	pcfifo_cancel_wait(inst->fifo, &inst->wait);
	cancel_delayed_work_sync(&inst->work);
}

/* sysfs */

static ssize_t rate_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return pcfifo_instance_show_rate(kobj_to_pcfifo_instance(kobj), buf);
}

static ssize_t rate_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t len)
{
	return pcfifo_instance_store_rate(kobj_to_pcfifo_instance(kobj), buf,
					  len);
}

static struct kobj_attribute rate_attr = __ATTR_RW(rate);

static struct attribute *pcfifo_instance_attrs[] = {
	&rate_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(pcfifo_instance);

static void pcfifo_instance_release(struct kobject *kobj)
{
	struct pcfifo_instance *inst = kobj_to_pcfifo_instance(kobj);
	struct module *pinned = inst->pinned;

	kfree(inst);
	module_put(pinned);
}

static pcfifo_ktype_const struct kobj_type pcfifo_instance_ktype = {
	.release = pcfifo_instance_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = pcfifo_instance_groups,
};

/* configfs */

static ssize_t pcfifo_instance_cfs_rate_show(struct config_item *item,
					     char *page)
{
	return pcfifo_instance_show_rate(cfs_to_pcfifo_instance(item), page);
}

static ssize_t pcfifo_instance_cfs_rate_store(struct config_item *item,
					      const char *page, size_t len)
{
	return pcfifo_instance_store_rate(cfs_to_pcfifo_instance(item), page,
					  len);
}

CONFIGFS_ATTR(pcfifo_instance_cfs_, rate);

struct configfs_attribute *pcfifo_instance_cfs_attrs[] = {
	&pcfifo_instance_cfs_attr_rate,
	NULL
};

static void pcfifo_instance_cfs_release(struct config_item *item)
{
	kobject_put(&cfs_to_pcfifo_instance(item)->kobj);
}

struct configfs_item_operations pcfifo_instance_cfs_ops = {
	.release = pcfifo_instance_cfs_release,
};

/* creation and removal */

static struct pcfifo_instance *pcfifo_instance_alloc(struct pcfifo_role *role,
						     const char *name,
						     const void *arg)
{
	struct pcfifo_instance *inst;

	if (strlen(name) > PCFIFO_ITEM_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	inst = kzalloc(role->instance_size, GFP_KERNEL);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	kobject_init(&inst->kobj, &pcfifo_instance_ktype);
	inst->role = role;
	inst->fifo = pcfifo_default;
	mutex_init(&inst->lock);
	INIT_DELAYED_WORK(&inst->work, pcfifo_instance_work);
	init_waitqueue_func_entry(&inst->wait, pcfifo_instance_wake);
	INIT_LIST_HEAD(&inst->wait.entry);
	if (role->init)
		role->init(inst, name, arg);
	return inst;
}

/* Publish @inst in sysfs under @name and start it at @rate. */
static int pcfifo_instance_add(struct pcfifo_instance *inst, const char *name,
			       u32 rate)
{
	struct kset *kset = pcfifo_sysfs_kset(inst->role->kind);
	struct kobject *clash;
	int ret;

	mutex_lock(&pcfifo_names_lock);
	clash = kset_find_obj(kset, name);
	if (clash) {
		kobject_put(clash);
		ret = -EEXIST;
		goto out;
	}
	inst->kobj.kset = kset;
	ret = kobject_add(&inst->kobj, NULL, "%s", name);
	if (ret)
		goto out;
	ret = sysfs_create_groups(&inst->kobj, inst->role->sysfs_groups);
	if (ret) {
		kobject_del(&inst->kobj);
		goto out;
	}
	kobject_uevent(&inst->kobj, KOBJ_ADD);
	pcfifo_instance_set_rate(inst, rate);
out:
	mutex_unlock(&pcfifo_names_lock);
	return ret;
}

static void pcfifo_instance_remove(struct pcfifo_instance *inst)
{
	pcfifo_instance_stop(inst);
	kobject_del(&inst->kobj);
}

/**
 * pcfifo_instance_create - start an instance that is not in configfs
 * @role: the caller's registered role
 * @name: directory name in sysfs, 1..PCFIFO_ITEM_MAX bytes
 * @rate: initial rate
 * @arg: passed to @role->init
 *
 * For the instance a role starts from its module parameters. It does not
 * pin the role's module: pcfifo_role_unregister() destroys it.
 *
 * Return: the running instance or an ERR_PTR(): -ENAMETOOLONG, -EEXIST,
 * -ENOMEM.
 */
struct pcfifo_instance *pcfifo_instance_create(struct pcfifo_role *role,
					       const char *name, u32 rate,
					       const void *arg)
{
	struct pcfifo_instance *inst;
	int ret;

	inst = pcfifo_instance_alloc(role, name, arg);
	if (IS_ERR(inst))
		return inst;
	ret = pcfifo_instance_add(inst, name, rate);
	if (ret) {
		kobject_put(&inst->kobj);
		return ERR_PTR(ret);
	}
	return inst;
}

/**
 * pcfifo_instance_destroy - stop and remove an instance from
 *	pcfifo_instance_create()
 * @inst: the instance
 *
 * Returns promptly even when the instance is blocked on the FIFO; the
 * items it has put stay in the FIFO.
 */
void pcfifo_instance_destroy(struct pcfifo_instance *inst)
{
	pcfifo_instance_remove(inst);
	kobject_put(&inst->kobj);
}

/**
 * pcfifo_instance_create_cfs - create an instance for mkdir
 * @kind: the role of the parent directory
 * @name: the new directory's name
 *
 * Return: the running instance or an ERR_PTR(): -ENODEV when the role's
 * module cannot be loaded, or as pcfifo_instance_create().
 */
struct pcfifo_instance *pcfifo_instance_create_cfs(enum pcfifo_role_kind kind,
						   const char *name)
{
	struct pcfifo_role *role = pcfifo_role_get(kind);
	struct pcfifo_instance *inst;
	int ret;

	if (!role)
		return ERR_PTR(-ENODEV);
	inst = pcfifo_instance_alloc(role, name, NULL);
	if (IS_ERR(inst)) {
		pcfifo_role_put(role);
		return inst;
	}
	/* From here on, freeing the instance drops the module reference. */
	inst->pinned = role->owner;
	config_item_init_type_name(&inst->cfs_item, name, &role->cfs_type);
	ret = pcfifo_instance_add(inst, name, PCFIFO_RATE_DEFAULT);
	if (ret) {
		config_item_put(&inst->cfs_item);
		return ERR_PTR(ret);
	}
	return inst;
}

/**
 * pcfifo_instance_drop_cfs - remove an instance for rmdir
 * @inst: the instance
 */
void pcfifo_instance_drop_cfs(struct pcfifo_instance *inst)
{
	pcfifo_instance_remove(inst);
	config_item_put(&inst->cfs_item);
}
