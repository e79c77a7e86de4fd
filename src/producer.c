// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_producer: puts its item into its pcfifo FIFO at its rate.
 *
 * Instances come from mkdir in /sys/kernel/config/pcfifo/producers, or one
 * from the module parameters: modprobe pcfifo_producer item=X rate=N.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "pcfifo.h"
#include "version.h"

/**
 * struct pcfifo_producer - a producer instance
 * @inst: the core's part; @inst.lock protects the fields below
 * @item: what it puts
 * @produced: items it has put
 */
struct pcfifo_producer {
	struct pcfifo_instance inst;
	struct pcfifo_item item;
	u64 produced;
};

static struct pcfifo_producer *to_producer(struct pcfifo_instance *inst)
{
	return container_of(inst, struct pcfifo_producer, inst);
}

/* 1..PCFIFO_ITEM_MAX bytes after one trailing newline, no NUL. */
static int producer_parse_item(struct pcfifo_item *item, const char *buf,
			       size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > PCFIFO_ITEM_MAX || memchr(buf, '\0', len))
		return -EINVAL;
	item->len = len;
	memcpy(item->data, buf, len);
	return 0;
}

static ssize_t producer_item_show(struct pcfifo_instance *inst, char *buf)
{
	struct pcfifo_producer *p = to_producer(inst);
	ssize_t ret;

	spin_lock_bh(&inst->lock);
	ret = sysfs_emit(buf, "%.*s\n", p->item.len, p->item.data);
	spin_unlock_bh(&inst->lock);
	return ret;
}

static ssize_t producer_item_store(struct pcfifo_instance *inst,
				   const char *buf, size_t len)
{
	struct pcfifo_item item;
	int ret;

	ret = producer_parse_item(&item, buf, len);
	if (ret)
		return ret;
	spin_lock_bh(&inst->lock);
	to_producer(inst)->item = item;
	spin_unlock_bh(&inst->lock);
	return len;
}

static ssize_t producer_produced_show(struct pcfifo_instance *inst, char *buf)
{
	u64 produced;

	spin_lock_bh(&inst->lock);
	produced = to_producer(inst)->produced;
	spin_unlock_bh(&inst->lock);
	return sysfs_emit(buf, "%llu\n", produced);
}

PCFIFO_INSTANCE_ATTR_RW(pcfifo_instance, rate);
PCFIFO_INSTANCE_ATTR_RW(pcfifo_instance, fifo);
PCFIFO_INSTANCE_ATTR_RW(producer, item);
PCFIFO_INSTANCE_ATTR_RO(producer, produced);

static struct configfs_attribute *producer_cfs_attrs[] = {
	&pcfifo_instance_cfs_attr_rate,
	&pcfifo_instance_cfs_attr_fifo,
	&producer_cfs_attr_item,
	NULL
};

static struct attribute *producer_attrs[] = {
	&pcfifo_instance_attr_rate.attr,
	&pcfifo_instance_attr_fifo.attr,
	&producer_attr_item.attr,
	&producer_attr_produced.attr,
	NULL
};
ATTRIBUTE_GROUPS(producer);

/* the role */

static void producer_init(struct pcfifo_instance *inst, const char *name,
			  const void *arg)
{
	struct pcfifo_producer *p = to_producer(inst);

	if (arg) {
		p->item = *(const struct pcfifo_item *)arg;
		return;
	}
	/* The core has checked that the name fits an item. */
	p->item.len = strlen(name);
	memcpy(p->item.data, name, p->item.len);
}

static unsigned int producer_step(struct pcfifo_instance *inst,
				  unsigned int n)
{
	struct pcfifo_producer *p = to_producer(inst);

	lockdep_assert_held(&inst->lock);
	n = pcfifo_put_many(inst->fifo, &p->item, n, &inst->wait);
	p->produced += n;
	return n;
}

static struct pcfifo_role producer_role = {
	.kind = PCFIFO_PRODUCER,
	.owner = THIS_MODULE,
	.instance_size = sizeof(struct pcfifo_producer),
	.cfs_attrs = producer_cfs_attrs,
	.sysfs_groups = producer_groups,
	.init = producer_init,
	.step = producer_step,
};

/* module parameters: the original lab's "insmod producer item=X rate=N" */

static struct pcfifo_item param_item = {
	.len = sizeof(PCFIFO_PARAM_INSTANCE) - 1,
	.data = PCFIFO_PARAM_INSTANCE,
};

static bool param_item_set;

static int item_param_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	ret = producer_parse_item(&param_item, val, strlen(val));
	if (ret) {
		pr_err("item must be 1 to %d bytes\n", PCFIFO_ITEM_MAX);
		return ret;
	}
	param_item_set = true;
	return 0;
}

static int item_param_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%.*s\n", param_item.len,
			 param_item.data);
}

static const struct kernel_param_ops item_param_ops = {
	.set = item_param_set,
	.get = item_param_get,
};
module_param_cb(item, &item_param_ops, NULL, 0444);
MODULE_PARM_DESC(item, "Start a producer \"" PCFIFO_PARAM_INSTANCE
		 "\" of this item, 1.." __stringify(PCFIFO_ITEM_MAX)
		 " bytes (default \"" PCFIFO_PARAM_INSTANCE "\")");

static struct pcfifo_rate_param param_rate = { .rate = PCFIFO_RATE_DEFAULT };
module_param_cb(rate, &pcfifo_rate_param_ops, &param_rate, 0444);
MODULE_PARM_DESC(rate, "Start a producer \"" PCFIFO_PARAM_INSTANCE
		 "\" at this rate, 0.." __stringify(PCFIFO_RATE_MAX)
		 " items/s (default " __stringify(PCFIFO_RATE_DEFAULT) ")");

static int __init pcfifo_producer_init(void)
{
	bool start = param_item_set || param_rate.set;

	return pcfifo_role_register(&producer_role, start, param_rate.rate,
				    &param_item);
}

static void __exit pcfifo_producer_exit(void)
{
	pcfifo_role_unregister(&producer_role);
}

module_init(pcfifo_producer_init);
module_exit(pcfifo_producer_exit);

MODULE_DESCRIPTION("pcfifo producer role: puts items at a configured rate");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCFIFO_VERSION);
