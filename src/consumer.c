// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo_consumer: takes items out of the pcfifo FIFO at its rate.
 *
 * Instances come from mkdir in /sys/kernel/config/pcfifo/consumers, or one
 * from the module parameter: modprobe pcfifo_consumer rate=N.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "pcfifo.h"
#include "version.h"

/**
 * struct pcfifo_consumer - a consumer instance
 * @inst: the core's part; @inst.lock protects the fields below
 * @last: the last item taken, valid once @consumed is not 0
 * @consumed: items taken
 */
struct pcfifo_consumer {
	struct pcfifo_instance inst;
	struct pcfifo_item last;
	u64 consumed;
};

static struct pcfifo_consumer *to_consumer(struct kobject *kobj)
{
	return container_of(kobj_to_pcfifo_instance(kobj),
			    struct pcfifo_consumer, inst);
}

static ssize_t consumed_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct pcfifo_consumer *c = to_consumer(kobj);
	u64 consumed;

	mutex_lock(&c->inst.lock);
	consumed = c->consumed;
	mutex_unlock(&c->inst.lock);
	return sysfs_emit(buf, "%llu\n", consumed);
}

/* Empty until the first item is taken. */
static ssize_t last_item_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	struct pcfifo_consumer *c = to_consumer(kobj);
	ssize_t ret = 0;

	mutex_lock(&c->inst.lock);
	if (c->consumed)
		ret = sysfs_emit(buf, "%.*s\n", c->last.len, c->last.data);
	mutex_unlock(&c->inst.lock);
	return ret;
}

static struct kobj_attribute consumed_attr = __ATTR_RO(consumed);
static struct kobj_attribute last_item_attr = __ATTR_RO(last_item);

static struct attribute *consumer_attrs[] = {
	&consumed_attr.attr,
	&last_item_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(consumer);

static int consumer_step(struct pcfifo_instance *inst)
{
	struct pcfifo_consumer *c =
		container_of(inst, struct pcfifo_consumer, inst);
	int ret;

	ret = pcfifo_get(inst->fifo, &c->last, &inst->wait);
	if (!ret)
		c->consumed++;
	return ret;
}

static struct pcfifo_role consumer_role = {
	.kind = PCFIFO_CONSUMER,
	.owner = THIS_MODULE,
	.instance_size = sizeof(struct pcfifo_consumer),
	.sysfs_groups = consumer_groups,
	.step = consumer_step,
};

/* module parameter: the original lab's "insmod consumer rate=N" */

static struct pcfifo_rate_param param_rate = { .rate = PCFIFO_RATE_DEFAULT };
module_param_cb(rate, &pcfifo_rate_param_ops, &param_rate, 0444);
MODULE_PARM_DESC(rate, "Start a consumer \"" PCFIFO_PARAM_INSTANCE
		 "\" at this rate, 0..1000000 items/s (default 1)");

static int __init pcfifo_consumer_init(void)
{
	return pcfifo_role_register(&consumer_role, param_rate.set,
				    param_rate.rate, NULL);
}

static void __exit pcfifo_consumer_exit(void)
{
	pcfifo_role_unregister(&consumer_role);
}

module_init(pcfifo_consumer_init);
module_exit(pcfifo_consumer_exit);

MODULE_DESCRIPTION("pcfifo consumer role: takes items at a configured rate");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCFIFO_VERSION);
