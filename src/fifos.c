// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: the FIFOs by name, as fifos/NAME in configfs and in sysfs, as
 * the device /dev/pcfifo/NAME (class "pcfifo", operations in dev.c), and
 * the references their users hold.
 *
 * Lifetime: a FIFO's kobject owns its memory. Its configfs group holds a
 * reference until configfs releases it; every user (an instance naming
 * it) holds another and also pins the group with
 * configfs_depend_item_unlocked(), so that rmdir fails with EBUSY while
 * the FIFO is in use; so does an open device file, whose cdev also holds
 * a reference. The FIFO "default" is a default group, which rmdir never
 * removes (EPERM); its users skip the pin. rmdir takes the FIFO out of the
 * list of names first (disconnect_notify), then deletes its device and
 * sysfs directory; its items go with its last reference.
 */

#include <linux/cdev.h>
#include <linux/configfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "core.h"

/*
 * Protects pcfifo_fifos, the FIFOs that lookups may find. Taken inside
 * configfs's su_mutex (mkdir, rmdir), and never around another lock of
 * pcfifo's.
 */
static DEFINE_MUTEX(pcfifo_fifos_lock);
static LIST_HEAD(pcfifo_fifos);
static struct pcfifo *pcfifo_default;
static struct kobject *pcfifo_fifos_kobj;

/* Device numbers: one major, a minor per FIFO from the IDA (own lock). */
#define PCFIFO_MINORS	(MINORMASK + 1)
static dev_t pcfifo_devt;
static DEFINE_IDA(pcfifo_minors);
static struct class *pcfifo_class;

static struct pcfifo *cfs_to_pcfifo(struct config_item *item)
{
	return container_of(to_config_group(item), struct pcfifo, group);
}

#define kobj_to_pcfifo(k) container_of(k, struct pcfifo, kobj)

/**
 * pcfifo_fifo_name - the name of a FIFO
 * @fifo: the FIFO
 *
 * Return: its directory's name, valid as long as the FIFO is.
 */
const char *pcfifo_fifo_name(const struct pcfifo *fifo)
{
	return kobject_name(&fifo->kobj);
}

/* attributes: "capacity" in both trees, the counters in sysfs */

static ssize_t pcfifo_fifo_capacity_show(struct pcfifo *fifo, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(fifo->capacity));
}

static ssize_t pcfifo_fifo_capacity_store(struct pcfifo *fifo,
					  const char *buf, size_t len)
{
	unsigned int capacity;
	int ret;

	ret = pcfifo_parse_capacity(buf, len, &capacity);
	if (!ret)
		ret = pcfifo_set_capacity(fifo, capacity);
	return ret ? ret : len;
}

static ssize_t pcfifo_fifo_count_show(struct pcfifo *fifo, char *buf)
{
	unsigned int count;
	u64 enqueued, dequeued;

	pcfifo_snapshot(fifo, &count, &enqueued, &dequeued);
	return sysfs_emit(buf, "%u\n", count);
}

static ssize_t pcfifo_fifo_enqueued_show(struct pcfifo *fifo, char *buf)
{
	unsigned int count;
	u64 enqueued, dequeued;

	pcfifo_snapshot(fifo, &count, &enqueued, &dequeued);
	return sysfs_emit(buf, "%llu\n", enqueued);
}

static ssize_t pcfifo_fifo_dequeued_show(struct pcfifo *fifo, char *buf)
{
	unsigned int count;
	u64 enqueued, dequeued;

	pcfifo_snapshot(fifo, &count, &enqueued, &dequeued);
	return sysfs_emit(buf, "%llu\n", dequeued);
}

/*
 * One declaration per FIFO attribute, as for instances (pcfifo.h):
 * _RW makes the configfs and the sysfs attribute, _RO the sysfs one.
 */
#define PCFIFO_FIFO_ATTR_RO(_name)					\
static ssize_t pcfifo_fifo_kobj_##_name##_show(struct kobject *kobj,	\
					       struct kobj_attribute *attr, \
					       char *buf)		\
{									\
	return pcfifo_fifo_##_name##_show(kobj_to_pcfifo(kobj), buf);	\
}									\
static struct kobj_attribute pcfifo_fifo_attr_##_name =			\
	__ATTR(_name, 0444, pcfifo_fifo_kobj_##_name##_show, NULL)

#define PCFIFO_FIFO_ATTR_RW(_name)					\
static ssize_t pcfifo_fifo_cfs_##_name##_show(struct config_item *ci,	\
					      char *page)		\
{									\
	return pcfifo_fifo_##_name##_show(cfs_to_pcfifo(ci), page);	\
}									\
static ssize_t pcfifo_fifo_cfs_##_name##_store(struct config_item *ci,	\
					       const char *page,	\
					       size_t len)		\
{									\
	return pcfifo_fifo_##_name##_store(cfs_to_pcfifo(ci), page, len); \
}									\
CONFIGFS_ATTR(pcfifo_fifo_cfs_, _name);					\
static ssize_t pcfifo_fifo_kobj_##_name##_show(struct kobject *kobj,	\
					       struct kobj_attribute *attr, \
					       char *buf)		\
{									\
	return pcfifo_fifo_##_name##_show(kobj_to_pcfifo(kobj), buf);	\
}									\
static ssize_t pcfifo_fifo_kobj_##_name##_store(struct kobject *kobj,	\
						struct kobj_attribute *attr, \
						const char *buf, size_t len) \
{									\
	return pcfifo_fifo_##_name##_store(kobj_to_pcfifo(kobj), buf, len); \
}									\
static struct kobj_attribute pcfifo_fifo_attr_##_name = {		\
	.attr = { .name = __stringify(_name), .mode = 0644 },		\
	.show = pcfifo_fifo_kobj_##_name##_show,			\
	.store = pcfifo_fifo_kobj_##_name##_store,			\
}

PCFIFO_FIFO_ATTR_RW(capacity);
PCFIFO_FIFO_ATTR_RO(count);
PCFIFO_FIFO_ATTR_RO(enqueued);
PCFIFO_FIFO_ATTR_RO(dequeued);

static struct configfs_attribute *pcfifo_fifo_cfs_attrs[] = {
	&pcfifo_fifo_cfs_attr_capacity,
	NULL
};

static struct attribute *pcfifo_fifo_attrs[] = {
	&pcfifo_fifo_attr_capacity.attr,
	&pcfifo_fifo_attr_count.attr,
	&pcfifo_fifo_attr_enqueued.attr,
	&pcfifo_fifo_attr_dequeued.attr,
	NULL
};
ATTRIBUTE_GROUPS(pcfifo_fifo);

/* a FIFO's life */

static void pcfifo_fifo_release(struct kobject *kobj)
{
	struct pcfifo *fifo = kobj_to_pcfifo(kobj);

	pcfifo_free_ring(fifo);
	kfree(fifo);
}

static pcfifo_ktype_const struct kobj_type pcfifo_fifo_ktype = {
	.release = pcfifo_fifo_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = pcfifo_fifo_groups,
};

/* configfs is done with the group: drop the reference it held. */
static void pcfifo_fifo_cfs_release(struct config_item *item)
{
	kobject_put(&cfs_to_pcfifo(item)->kobj);
}

static struct configfs_item_operations pcfifo_fifo_cfs_ops = {
	.release = pcfifo_fifo_cfs_release,
};

static const struct config_item_type pcfifo_fifo_cfs_type = {
	.ct_item_ops = &pcfifo_fifo_cfs_ops,
	.ct_attrs = pcfifo_fifo_cfs_attrs,
	.ct_owner = THIS_MODULE,
};

/*
 * /dev/pcfifo/NAME, mode 0600 unless udev says otherwise. No failure: on
 * NULL, devtmpfs would make /dev/NAME and, when the FIFO goes, try to
 * remove /dev/pcfifo/NAME instead, leaving a node behind.
 */
static char *pcfifo_devnode(pcfifo_devnode_const struct device *dev,
			    umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL | __GFP_NOFAIL, "pcfifo/%s",
			 dev_name(dev));
}

/* The cdev first: the node must open once udev sees the device. */
static int pcfifo_fifo_dev_add(struct pcfifo *fifo)
{
	dev_t devt;
	int minor, ret;

	minor = ida_alloc_max(&pcfifo_minors, PCFIFO_MINORS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	devt = MKDEV(MAJOR(pcfifo_devt), minor);
	cdev_init(&fifo->cdev, &pcfifo_dev_fops);
	fifo->cdev.owner = THIS_MODULE;
	cdev_set_parent(&fifo->cdev, &fifo->kobj);
	ret = cdev_add(&fifo->cdev, devt, 1);
	if (ret)
		goto err_ida;
	fifo->dev = device_create(pcfifo_class, NULL, devt, fifo, "%s",
				  pcfifo_fifo_name(fifo));
	if (IS_ERR(fifo->dev)) {
		ret = PTR_ERR(fifo->dev);
		goto err_cdev;
	}
	return 0;

err_cdev:
	cdev_del(&fifo->cdev);
err_ida:
	ida_free(&pcfifo_minors, minor);
	return ret;
}

static void pcfifo_fifo_dev_del(struct pcfifo *fifo)
{
	dev_t devt = fifo->cdev.dev;

	device_destroy(pcfifo_class, devt);
	cdev_del(&fifo->cdev);
	ida_free(&pcfifo_minors, MINOR(devt));
}

/*
 * An empty FIFO, in sysfs and /dev but not yet in configfs or the list:
 * opening its device fails until it is in both.
 */
static struct pcfifo *pcfifo_fifo_create(const char *name)
{
	struct pcfifo *fifo;
	int ret;

	if (strlen(name) > PCFIFO_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	fifo = kzalloc(sizeof(*fifo), GFP_KERNEL);
	if (!fifo)
		return ERR_PTR(-ENOMEM);
	ret = pcfifo_init_ring(fifo, pcfifo_capacity);
	if (ret) {
		kfree(fifo);
		return ERR_PTR(ret);
	}
	INIT_LIST_HEAD(&fifo->node);
	/* From here on, the kobject frees the FIFO. */
	ret = kobject_init_and_add(&fifo->kobj, &pcfifo_fifo_ktype,
				   pcfifo_fifos_kobj, "%s", name);
	if (!ret) {
		ret = pcfifo_fifo_dev_add(fifo);
		if (ret)
			kobject_del(&fifo->kobj);
	}
	if (ret) {
		kobject_put(&fifo->kobj);
		return ERR_PTR(ret);
	}
	/* The group's reference on the kobject, dropped by its release. */
	kobject_get(&fifo->kobj);
	config_group_init_type_name(&fifo->group, name, &pcfifo_fifo_cfs_type);
	kobject_uevent(&fifo->kobj, KOBJ_ADD);
	return fifo;
}

/*
 * Undo pcfifo_fifo_create() once the group is out of configfs, but for the
 * group's own reference, which its owner drops.
 */
static void pcfifo_fifo_destroy(struct pcfifo *fifo)
{
	pcfifo_fifo_dev_del(fifo);
	kobject_del(&fifo->kobj);
	kobject_put(&fifo->kobj);
}

static void pcfifo_fifos_add(struct pcfifo *fifo)
{
	mutex_lock(&pcfifo_fifos_lock);
	list_add_tail(&fifo->node, &pcfifo_fifos);
	mutex_unlock(&pcfifo_fifos_lock);
}

static void pcfifo_fifos_del(struct pcfifo *fifo)
{
	mutex_lock(&pcfifo_fifos_lock);
	list_del_init(&fifo->node);
	mutex_unlock(&pcfifo_fifos_lock);
}

/* configfs: mkdir and rmdir in fifos/ */

static struct config_group *pcfifo_fifos_make_group(struct config_group *group,
						    const char *name)
{
	struct pcfifo *fifo = pcfifo_fifo_create(name);

	if (IS_ERR(fifo))
		return ERR_CAST(fifo);
	/* Lookups skip it until configfs has linked the group. */
	pcfifo_fifos_add(fifo);
	return &fifo->group;
}

/* Before configfs unlinks the group: no lookup may find it from now on. */
static void pcfifo_fifos_disconnect_notify(struct config_group *group,
					   struct config_item *item)
{
	pcfifo_fifos_del(cfs_to_pcfifo(item));
}

static void pcfifo_fifos_drop_item(struct config_group *group,
				   struct config_item *item)
{
	pcfifo_fifo_destroy(cfs_to_pcfifo(item));
	config_item_put(item);
}

static struct configfs_group_operations pcfifo_fifos_ops = {
	.make_group = pcfifo_fifos_make_group,
	.disconnect_notify = pcfifo_fifos_disconnect_notify,
	.drop_item = pcfifo_fifos_drop_item,
};

static const struct config_item_type pcfifo_fifos_type = {
	.ct_group_ops = &pcfifo_fifos_ops,
	.ct_owner = THIS_MODULE,
};

/* /sys/kernel/config/pcfifo/fifos, a default group of the subsystem */
struct config_group pcfifo_fifos_group;

/* users */

/* Make rmdir of @fifo fail with EBUSY until pcfifo_fifo_put(). */
static int pcfifo_fifo_pin_locked(struct pcfifo *fifo)
{
	struct config_item *item = &fifo->group.cg_item;

	lockdep_assert_held(&pcfifo_fifos_lock);
	if (fifo == pcfifo_default)
		return 0;
	/*
	 * Not linked yet: mkdir is still making it. Once linked it stays
	 * so while it is in the list (disconnect_notify comes first).
	 */
	if (!READ_ONCE(item->ci_group))
		return -ENOENT;
	/* -ENOENT too while configfs attaches or removes it. */
	return configfs_depend_item_unlocked(pcfifo_fifos_group.cg_subsys,
					     item);
}

/**
 * pcfifo_fifo_get - look a FIFO up by name and use it
 * @name: its name
 *
 * Until the matching pcfifo_fifo_put(), rmdir of the FIFO fails with
 * EBUSY and its memory stays. Must not be called from configfs's mkdir or
 * rmdir of the FIFO itself.
 *
 * Return: the FIFO, or ERR_PTR(-ENOENT) when no FIFO has that name.
 */
struct pcfifo *pcfifo_fifo_get(const char *name)
{
	struct pcfifo *fifo;
	int ret = -ENOENT;

	mutex_lock(&pcfifo_fifos_lock);
	list_for_each_entry(fifo, &pcfifo_fifos, node) {
		if (!strcmp(pcfifo_fifo_name(fifo), name)) {
			ret = pcfifo_fifo_pin_locked(fifo);
			if (!ret)
				kobject_get(&fifo->kobj);
			break;
		}
	}
	mutex_unlock(&pcfifo_fifos_lock);
	return ret ? ERR_PTR(ret) : fifo;
}

/**
 * pcfifo_fifo_pin - use a FIFO found by other means than its name
 * @fifo: the FIFO, whose memory the caller keeps (its device's cdev)
 *
 * As pcfifo_fifo_get(), for the device file's open.
 *
 * Return: 0, or -ENODEV when the FIFO is being made or removed.
 */
int pcfifo_fifo_pin(struct pcfifo *fifo)
{
	int ret = -ENODEV;

	mutex_lock(&pcfifo_fifos_lock);
	if (!list_empty(&fifo->node) && !pcfifo_fifo_pin_locked(fifo)) {
		kobject_get(&fifo->kobj);
		ret = 0;
	}
	mutex_unlock(&pcfifo_fifos_lock);
	return ret;
}

/**
 * pcfifo_fifo_get_default - use the FIFO "default"
 *
 * Return: the FIFO; release it with pcfifo_fifo_put().
 */
struct pcfifo *pcfifo_fifo_get_default(void)
{
	kobject_get(&pcfifo_default->kobj);
	return pcfifo_default;
}

/**
 * pcfifo_fifo_put - stop using a FIFO
 * @fifo: from pcfifo_fifo_get() or pcfifo_fifo_get_default()
 */
void pcfifo_fifo_put(struct pcfifo *fifo)
{
	if (fifo != pcfifo_default)
		configfs_undepend_item_unlocked(&fifo->group.cg_item);
	kobject_put(&fifo->kobj);
}

/**
 * pcfifo_fifos_init - make fifos/ in both trees, with fifos/default
 * @sysfs_parent: /sys/kernel/pcfifo
 *
 * Before the configfs subsystem is registered: pcfifo_fifos_group goes in
 * it as a default group.
 *
 * Return: 0 or a negative errno.
 */
int pcfifo_fifos_init(struct kobject *sysfs_parent)
{
	int ret;

	ret = alloc_chrdev_region(&pcfifo_devt, 0, PCFIFO_MINORS, "pcfifo");
	if (ret)
		return ret;
	pcfifo_class = pcfifo_class_create("pcfifo");
	if (IS_ERR(pcfifo_class)) {
		ret = PTR_ERR(pcfifo_class);
		goto err_region;
	}
	pcfifo_class->devnode = pcfifo_devnode;
	pcfifo_fifos_kobj = kobject_create_and_add("fifos", sysfs_parent);
	if (!pcfifo_fifos_kobj) {
		ret = -ENOMEM;
		goto err_class;
	}
	pcfifo_default = pcfifo_fifo_create(PCFIFO_DEFAULT_NAME);
	if (IS_ERR(pcfifo_default)) {
		ret = PTR_ERR(pcfifo_default);
		goto err_kobj;
	}
	config_group_init_type_name(&pcfifo_fifos_group, "fifos",
				    &pcfifo_fifos_type);
	configfs_add_default_group(&pcfifo_default->group, &pcfifo_fifos_group);
	pcfifo_fifos_add(pcfifo_default);
	return 0;

err_kobj:
	kobject_put(pcfifo_fifos_kobj);
err_class:
	class_destroy(pcfifo_class);
err_region:
	unregister_chrdev_region(pcfifo_devt, PCFIFO_MINORS);
	return ret;
}

/**
 * pcfifo_fifos_exit - remove fifos/default and fifos/
 *
 * After the configfs subsystem is gone, so with no other FIFO left.
 */
void pcfifo_fifos_exit(void)
{
	pcfifo_fifos_del(pcfifo_default);
	pcfifo_fifo_destroy(pcfifo_default);
	configfs_remove_default_groups(&pcfifo_fifos_group);
	kobject_put(pcfifo_fifos_kobj);
	class_destroy(pcfifo_class);
	unregister_chrdev_region(pcfifo_devt, PCFIFO_MINORS);
}
