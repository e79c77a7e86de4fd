/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: every difference between the kernels pcfifo supports, 5.10 to
 * 7.x. Each is keyed on a feature test where the kernel offers one, else on
 * the version that changed it; the code elsewhere has no version tests.
 */
#ifndef PCFIFO_COMPAT_H
#define PCFIFO_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/*
 * 6.2 made kobject_init() and kobject_init_and_add() take a const
 * struct kobj_type; earlier ones warn about a const one.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define pcfifo_ktype_const const
#else
#define pcfifo_ktype_const
#endif

/*
 * 6.17 added WQ_PERCPU, the per-CPU behaviour that alloc_workqueue() flags
 * of 0 ask for today and that later kernels stop defaulting to. It is an
 * enum, not a macro, so only the version can tell; before 6.17, 0 means
 * the same.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define PCFIFO_WQ_PERCPU WQ_PERCPU
#else
#define PCFIFO_WQ_PERCPU 0
#endif

/*
 * 6.2 made a class's devnode() take a const struct device; 6.4 dropped
 * class_create()'s owner argument.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define pcfifo_devnode_const const
#else
#define pcfifo_devnode_const
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define pcfifo_class_create(name) class_create(name)
#else
#define pcfifo_class_create(name) class_create(THIS_MODULE, name)
#endif

/*
 * 6.13 added hrtimer_setup(), which sets the callback with the rest;
 * later kernels removed hrtimer_init().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define pcfifo_hrtimer_setup hrtimer_setup
#else
static inline void
pcfifo_hrtimer_setup(struct hrtimer *timer,
		     enum hrtimer_restart (*function)(struct hrtimer *),
		     clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#endif /* PCFIFO_COMPAT_H */
