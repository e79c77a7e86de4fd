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

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "core.h"

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

/*
 * Longest a blocked instance's schedule may trail real time; beyond it the
 * time is given up. Long enough for a loaded machine's scheduling delays
 * to be caught up, short enough that no more than a tenth of a second's
 * items can come at once.
 */
#define PCFIFO_LAG_MAX_NS	(100 * NSEC_PER_MSEC)

/*
 * Longest hold-up on the FIFO that is still jitter, caught up like a late
 * timer: the other side's next tick (10 ms at most, HZ >= 100) plus its
 * scheduling delay on a loaded machine. With one tick, equal producer and
 * consumer rates above HZ lost up to half their rate: each hold-up of just
 * over a tick gave up the items due meanwhile, on both sides in turn.
 */
#define PCFIFO_JITTER_NS	(20 * NSEC_PER_MSEC)

static void pcfifo_instance_work(struct work_struct *work)
{
	struct pcfifo_instance *inst =
		container_of(to_delayed_work(work), struct pcfifo_instance, work);
	unsigned long delay = 0;
	unsigned int due = 0, done;
	bool woken;
	u64 now, next, grace;

	mutex_lock(&inst->lock);
	if (inst->stopped)
		goto out;

	/* Blocked: woken by the FIFO for a slot (item), or the rate changed. */
	woken = inst->blocked;
	inst->blocked = false;
	if (!inst->pace.rate)
		goto give_up;

	now = ktime_get_ns();
	if (woken) {
		/*
		 * Blocked for up to PCFIFO_JITTER_NS or one period (whichever
		 * is longer) while an item was due is jitter, caught up like a
		 * late timer. Longer starts a new run owed one tick's worth of
		 * items at most: blocked time is not made up in a burst, and
		 * an instance the other side holds back still takes what that
		 * side moves as soon as it moves it. Many short blocks in a
		 * row (the other side a bit slower) add up too: the schedule
		 * never trails by more than PCFIFO_LAG_MAX_NS, so a later
		 * speed-up of the other side does not release a burst of old
		 * items.
		 */
		next = pcfifo_pace_next(&inst->pace);
		grace = max_t(u64, PCFIFO_JITTER_NS,
			      div_u64(NSEC_PER_SEC, inst->pace.rate));
		if (now > max(next, inst->blocked_since) + grace ||
		    now > next + max_t(u64, grace, PCFIFO_LAG_MAX_NS))
			pcfifo_pace_restart(&inst->pace, now - TICK_NSEC);
	}

	/* Everything due, up to a batch, under one lock of the FIFO. */
	due = pcfifo_pace_due(&inst->pace, now, PCFIFO_BATCH_MAX);
	if (due) {
		done = inst->role->step(inst, due);
		pcfifo_pace_advance(&inst->pace, done, now);
		if (done < due) {
			/* The FIFO queues the work when it can move. */
			inst->blocked = true;
			inst->blocked_since = now;
			goto out;
		}
	}
	next = pcfifo_pace_next(&inst->pace);
	if (next > now)
		delay = DIV64_U64_ROUND_UP(next - now, TICK_NSEC);
	queue_delayed_work(pcfifo_wq, &inst->work, delay);
give_up:
	/* Nothing to move after all: pass the wake on to the next waiter. */
	if (woken && !due)
		pcfifo_cancel_wait(inst->fifo, &inst->wait);
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
	if (inst->role->rate_set)
		inst->role->rate_set(inst);
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
	int ret;

	inst->kobj.kset = pcfifo_sysfs_kset(inst->role->kind);
	ret = kobject_add(&inst->kobj, NULL, "%s", name);
	if (ret)
		return ret;
	ret = sysfs_create_groups(&inst->kobj, inst->role->sysfs_groups);
	if (ret) {
		kobject_del(&inst->kobj);
		return ret;
	}
	kobject_uevent(&inst->kobj, KOBJ_ADD);
	if (inst->role->debugfs) {
		inst->debugfs =
			debugfs_create_dir(name,
					   pcfifo_debugfs_dirs[inst->role->kind]);
		inst->role->debugfs(inst, inst->debugfs);
	}
	pcfifo_instance_set_rate(inst, rate);
	return 0;
}

static void pcfifo_instance_remove(struct pcfifo_instance *inst)
{
	pcfifo_instance_stop(inst);
	debugfs_remove_recursive(inst->debugfs);
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
	/*
	 * configfs refuses a name its directory holds, so the one name in
	 * use that it does not know is that of the role's module-parameter
	 * instance, which is set before the role can be found and stays
	 * while the reference taken above is held. A constant-time check:
	 * looking the name up among thousands of instances is not.
	 */
	if (role->param_instance && !strcmp(name, PCFIFO_PARAM_INSTANCE)) {
		pcfifo_role_put(role);
		return ERR_PTR(-EEXIST);
	}
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
