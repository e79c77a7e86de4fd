// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: a bounded FIFO in the kernel, filled by producers and drained by
 * consumers at configured rates. This is the core module: the FIFOs, the
 * instance engine, configfs and sysfs. The roles are separate modules.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "core.h"
#include "version.h"

struct workqueue_struct *pcfifo_wq;
static struct dentry *pcfifo_debugfs_root;

/* Capacity of the FIFO "default" and of every FIFO made by mkdir. */
unsigned int pcfifo_capacity = 32;

static int capacity_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (pcfifo_parse_capacity(val, strlen(val), &n)) {
		pr_err("capacity must be a number from 1 to %u\n",
		       PCFIFO_CAPACITY_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops capacity_ops = {
	.set = capacity_set,
	.get = param_get_uint,
};
module_param_cb(capacity, &capacity_ops, &pcfifo_capacity, 0444);
MODULE_PARM_DESC(capacity, "Capacity in items of the FIFO \"" PCFIFO_DEFAULT_NAME
		 "\" and of new FIFOs, 1.." __stringify(PCFIFO_CAPACITY_MAX)
		 " (default 32)");

static int pcfifo_rate_param_set(const char *val, const struct kernel_param *kp)
{
	struct pcfifo_rate_param *param = kp->arg;
	int ret;

	ret = pcfifo_parse_rate(val, strlen(val), &param->rate);
	if (ret) {
		pr_err("rate must be a number from 0 to %u\n", PCFIFO_RATE_MAX);
		return ret;
	}
	param->set = true;
	return 0;
}

static int pcfifo_rate_param_get(char *buf, const struct kernel_param *kp)
{
	const struct pcfifo_rate_param *param = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", param->rate);
}

/*
 * A role's "rate" module parameter: validated like the attribute, and
 * remembers that it was given.
 */
const struct kernel_param_ops pcfifo_rate_param_ops = {
	.set = pcfifo_rate_param_set,
	.get = pcfifo_rate_param_get,
};
EXPORT_SYMBOL_GPL(pcfifo_rate_param_ops);

static int __init pcfifo_init(void)
{
	int ret;

	/*
	 * Per-CPU on purpose: the work an item wakes is queued on the CPU
	 * that moved the item and runs right after, without a cross-CPU
	 * wakeup, which is what lets a blocked pair hand items over quickly.
	 */
	pcfifo_wq = alloc_workqueue("pcfifo", PCFIFO_WQ_PERCPU, 0);
	if (!pcfifo_wq)
		return -ENOMEM;
	ret = pcfifo_sysfs_init();
	if (ret)
		goto err_wq;
	ret = pcfifo_fifos_init(pcfifo_sysfs_root());
	if (ret)
		goto err_sysfs;
	pcfifo_debugfs_root = debugfs_create_dir("pcfifo", NULL);
	pcfifo_roles_debugfs_init(pcfifo_debugfs_root);
	ret = pcfifo_configfs_init();
	if (ret)
		goto err_debugfs;
	return 0;

err_debugfs:
	debugfs_remove_recursive(pcfifo_debugfs_root);
	pcfifo_fifos_exit();
err_sysfs:
	pcfifo_sysfs_exit();
err_wq:
	destroy_workqueue(pcfifo_wq);
	return ret;
}

static void __exit pcfifo_exit(void)
{
	pcfifo_configfs_exit();
	debugfs_remove_recursive(pcfifo_debugfs_root);
	pcfifo_fifos_exit();
	pcfifo_sysfs_exit();
	destroy_workqueue(pcfifo_wq);
}

module_init(pcfifo_init);
module_exit(pcfifo_exit);

MODULE_DESCRIPTION("Bounded FIFO filled and drained at configured rates");
MODULE_AUTHOR("The pcfifo developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCFIFO_VERSION);
