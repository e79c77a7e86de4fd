// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: one instance of a role: its life, its pacing work, and the
 * attributes every instance has, "rate" and "fifo".
 *
 * Lifetime: the kobject owns the memory. An instance made by mkdir gives
 * its first kobject reference to its config_item, which drops it when
 * configfs releases the item, and holds a reference on the role's module
 * until it is freed. Every instance holds a reference on its FIFO, which
 * keeps rmdir of that FIFO from succeeding. An instance is published with
 * all its attributes first and started after; removal first stops it (no
 * step runs after that, the FIFO forgets its waiter, the work is
 * cancelled), then deletes its sysfs directory.
 *
 * Where the step runs: an instance on schedule, or woken by its FIFO,
 * runs it in its timer's callback, a soft hrtimer (softirq context; a
 * thread on PREEMPT_RT), at the due time of its next item (the wakeup
 * starts the timer for now) with no hop to a worker; an instance kicked
 * by a write, or behind its schedule, runs it in its work item.
 *
 * Locks, outermost first; none is taken while a later one is held:
 *  1. configfs's su_mutex (held around a whole mkdir or rmdir),
 *     pcfifo_roles_lock (role.c), pcfifo_fifos_lock (fifos.c); the last
 *     two are only held around their own lists.
 *  2. inst->lock, a spinlock taken with bottom halves off (the timer
 *     callback takes it): the schedule, the timer's arming, the FIFO the
 *     instance uses and the role's own fields; held while the step runs.
 *  3. fifo->lock, a spinlock taken with bottom halves off (core.h): the
 *     ring and its waiters. A waiter's wake callback runs under it, so
 *     pcfifo_instance_wake() only starts the timer and never takes
 *     inst->lock.
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "core.h"
#include "trace.h"

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

/*
 * Blocked for up to PCFIFO_JITTER_NS or one period (whichever is longer)
 * while an item was due is jitter, caught up like a late timer. Longer
 * starts a new run whose first item is due now: blocked time is not made
 * up in a burst, and an instance the other side holds back still takes an
 * item as soon as that side moves one. Many short blocks in
 * a row (the other side a bit slower) add up too: the schedule never
 * trails by more than PCFIFO_LAG_MAX_NS, so a later speed-up of the other
 * side does not release a burst of old items.
 */
static void pcfifo_instance_unblock_locked(struct pcfifo_instance *inst,
					   u64 now)
{
	u64 next, grace;

	lockdep_assert_held(&inst->lock);
	next = pcfifo_pace_next(&inst->pace);
	grace = max_t(u64, PCFIFO_JITTER_NS,
		      div_u64(NSEC_PER_SEC, inst->pace.rate));
	if (now > max(next, inst->blocked_since) + grace ||
	    now > next + max_t(u64, grace, PCFIFO_LAG_MAX_NS))
		pcfifo_pace_restart(&inst->pace, now);
}

/* Move what is due and schedule the next run, or block on the FIFO. */
static void pcfifo_instance_run_locked(struct pcfifo_instance *inst)
{
	unsigned int due = 0, done;
	bool woken;
	u64 now, wake;

	lockdep_assert_held(&inst->lock);
	/* Blocked: woken by the FIFO, moved to another, or the rate changed. */
	woken = inst->blocked;
	inst->blocked = false;
	if (woken)
		trace_pcfifo_wake(inst);
	if (!inst->pace.rate)
		goto give_up;

	now = ktime_get_ns();
	if (woken)
		pcfifo_instance_unblock_locked(inst, now);

	/* Everything due, up to a batch, under one lock of the FIFO. */
	due = pcfifo_pace_due(&inst->pace, now, PCFIFO_BATCH_MAX);
	if (due) {
		done = inst->role->step(inst, due);
		if (done && inst->role->kind == PCFIFO_PRODUCER)
			trace_pcfifo_put(inst->fifo, inst, NULL, done);
		else if (done)
			trace_pcfifo_take(inst->fifo, inst, NULL, done);
		pcfifo_pace_advance(&inst->pace, done, now);
		if (done < due) {
			/* The FIFO starts the timer when it hands over. */
			inst->blocked = true;
			inst->blocked_since = now;
			trace_pcfifo_block(inst);
			return;
		}
	}
	wake = pcfifo_pace_wake(&inst->pace);
	if (wake > now) {
		inst->armed = true;
		hrtimer_start_range_ns(&inst->timer, ns_to_ktime(wake),
				       pcfifo_pace_slack(inst->pace.rate),
				       HRTIMER_MODE_ABS_SOFT);
	} else {
		/* Behind: the rest in process context, not in a softirq. */
		queue_work(pcfifo_wq, &inst->work);
	}
give_up:
	/* Nothing to move after all: what was handed over goes on. */
	if (woken && !due)
		pcfifo_cancel_wait(inst->fifo, &inst->wait);
}

static void pcfifo_instance_work(struct work_struct *work)
{
	struct pcfifo_instance *inst =
		container_of(work, struct pcfifo_instance, work);

	spin_lock_bh(&inst->lock);
	/* This run sees any wake that came before it; the timer need not. */
	atomic_set(&inst->woken, 0);
	if (inst->running)
		pcfifo_instance_run_locked(inst);
	spin_unlock_bh(&inst->lock);
}

/*
 * An item is due, or the FIFO woke the instance: the step runs here, in
 * softirq context (in a thread on PREEMPT_RT). A callback that lost the
 * race with a kick (which disarmed the timer and queued the work) does
 * nothing.
 */
static enum hrtimer_restart pcfifo_instance_timer(struct hrtimer *timer)
{
	struct pcfifo_instance *inst =
		container_of(timer, struct pcfifo_instance, timer);
	bool woken = atomic_xchg(&inst->woken, 0);

	spin_lock(&inst->lock);
	if (inst->running && (inst->armed || woken)) {
		inst->armed = false;
		pcfifo_instance_run_locked(inst);
	}
	spin_unlock(&inst->lock);
	return HRTIMER_NORESTART;
}

/*
 * Called by the FIFO, under its lock, when it handed this instance over.
 * A blocked instance has no timer armed (see pcfifo_instance_kick_locked()):
 * the timer is started for now, so that the instance runs in the same
 * softirq as the step that woke it (when that ran in one), not after a
 * worker's wakeup.
 */
static void pcfifo_instance_wake(struct pcfifo_waiter *w)
{
	struct pcfifo_instance *inst =
		container_of(w, struct pcfifo_instance, wait);

	atomic_set(&inst->woken, 1);
	hrtimer_start(&inst->timer, 0, HRTIMER_MODE_ABS_SOFT);
}

/*
 * Run the work now, with what changed taken into account. The timer is
 * disarmed first: a callback already waiting for inst->lock finds it so
 * and does nothing, so that a run that blocks is never followed by a
 * timer's run that it would take for the FIFO's wakeup.
 */
static void pcfifo_instance_kick_locked(struct pcfifo_instance *inst)
{
	lockdep_assert_held(&inst->lock);
	if (!inst->running)
		return;
	inst->armed = false;
	hrtimer_try_to_cancel(&inst->timer);
	queue_work(pcfifo_wq, &inst->work);
}

static void pcfifo_instance_set_rate_locked(struct pcfifo_instance *inst,
					    u32 rate)
{
	lockdep_assert_held(&inst->lock);
	pcfifo_pace_set_rate(&inst->pace, rate, ktime_get_ns());
	if (inst->role->rate_set)
		inst->role->rate_set(inst);
}

/* "rate" and "fifo" */

/**
 * pcfifo_instance_rate_show - read an instance's "rate"
 * @inst: the instance
 * @buf: the attribute's page
 *
 * Return: bytes written to @buf.
 */
ssize_t pcfifo_instance_rate_show(struct pcfifo_instance *inst, char *buf)
{
	u32 rate;

	spin_lock_bh(&inst->lock);
	rate = inst->pace.rate;
	spin_unlock_bh(&inst->lock);
	return sysfs_emit(buf, "%u\n", rate);
}
EXPORT_SYMBOL_GPL(pcfifo_instance_rate_show);

/**
 * pcfifo_instance_rate_store - write an instance's "rate"
 * @inst: the instance
 * @buf: the text written, NUL-terminated at @len
 * @len: its length
 *
 * Return: @len, or an error from pcfifo_parse_rate() and no change.
 */
ssize_t pcfifo_instance_rate_store(struct pcfifo_instance *inst,
				   const char *buf, size_t len)
{
	u32 rate;
	int ret;

	ret = pcfifo_parse_rate(buf, len, &rate);
	if (ret)
		return ret;
	spin_lock_bh(&inst->lock);
	trace_pcfifo_rate(inst, rate);
	pcfifo_instance_set_rate_locked(inst, rate);
	pcfifo_instance_kick_locked(inst);
	spin_unlock_bh(&inst->lock);
	return len;
}
EXPORT_SYMBOL_GPL(pcfifo_instance_rate_store);

/**
 * pcfifo_instance_fifo_show - read the name of an instance's FIFO
 * @inst: the instance
 * @buf: the attribute's page
 *
 * Return: bytes written to @buf.
 */
ssize_t pcfifo_instance_fifo_show(struct pcfifo_instance *inst, char *buf)
{
	ssize_t ret;

	spin_lock_bh(&inst->lock);
	ret = sysfs_emit(buf, "%s\n", pcfifo_fifo_name(inst->fifo));
	spin_unlock_bh(&inst->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pcfifo_instance_fifo_show);

/**
 * pcfifo_instance_fifo_store - move an instance to the FIFO named
 * @inst: the instance
 * @buf: the FIFO's name, NUL-terminated at @len
 * @len: its length
 *
 * At once: a wait on the old FIFO is given up (what it was handed goes to
 * the next waiter there), and the schedule goes on as after any block.
 *
 * Return: @len; -EINVAL, -ENAMETOOLONG or -ENOENT (no such FIFO) and no
 * change.
 */
ssize_t pcfifo_instance_fifo_store(struct pcfifo_instance *inst,
				   const char *buf, size_t len)
{
	char name[PCFIFO_NAME_MAX + 1];
	struct pcfifo *fifo;
	int ret;

	ret = pcfifo_parse_name(buf, len, name);
	if (ret)
		return ret;
	fifo = pcfifo_fifo_get(name);
	if (IS_ERR(fifo))
		return PTR_ERR(fifo);
	spin_lock_bh(&inst->lock);
	if (fifo != inst->fifo) {
		trace_pcfifo_fifo(inst, fifo);
		pcfifo_cancel_wait(inst->fifo, &inst->wait);
		pcfifo_stamps_get(fifo);
		pcfifo_stamps_put(inst->fifo);
		swap(inst->fifo, fifo);
		pcfifo_instance_kick_locked(inst);
	}
	spin_unlock_bh(&inst->lock);
	/* The old FIFO, or the second reference on the same one. */
	pcfifo_fifo_put(fifo);
	return len;
}
EXPORT_SYMBOL_GPL(pcfifo_instance_fifo_store);

/* life */

static void pcfifo_instance_release(struct kobject *kobj)
{
	struct pcfifo_instance *inst = kobj_to_pcfifo_instance(kobj);
	struct module *pinned = inst->pinned;

	pcfifo_stamps_put(inst->fifo);
	pcfifo_fifo_put(inst->fifo);
	kfree(inst);
	module_put(pinned);
}

static void pcfifo_instance_cfs_release(struct config_item *item)
{
	kobject_put(&cfs_to_pcfifo_instance(item)->kobj);
}

static struct configfs_item_operations pcfifo_instance_cfs_ops = {
	.release = pcfifo_instance_cfs_release,
};

/**
 * pcfifo_instance_types_init - fill in a role's configfs and sysfs types
 * @role: the role, with its attributes set
 */
void pcfifo_instance_types_init(struct pcfifo_role *role)
{
	role->cfs_type = (struct config_item_type) {
		.ct_owner = role->owner,
		.ct_item_ops = &pcfifo_instance_cfs_ops,
		.ct_attrs = role->cfs_attrs,
	};
	role->ktype = (struct kobj_type) {
		.release = pcfifo_instance_release,
		.sysfs_ops = &kobj_sysfs_ops,
		.default_groups = role->sysfs_groups,
	};
}

/**
 * pcfifo_instance_create - make an instance on the FIFO "default"
 * @role: its role
 * @name: its directory's name, 1..PCFIFO_NAME_MAX bytes (checked by the
 *	caller)
 * @rate: its rate once started
 * @arg: passed to @role->init
 * @cfs: made by mkdir: it gets a configfs item and takes over a reference
 *	on @role's module that the caller holds, also on failure
 *
 * Not published, not started: see pcfifo_instance_add().
 *
 * Return: the instance or ERR_PTR(-ENOMEM).
 */
struct pcfifo_instance *pcfifo_instance_create(struct pcfifo_role *role,
					       const char *name, u32 rate,
					       const void *arg, bool cfs)
{
	struct pcfifo_instance *inst;

	inst = kzalloc(role->instance_size, GFP_KERNEL);
	if (!inst) {
		if (cfs)
			module_put(role->owner);
		return ERR_PTR(-ENOMEM);
	}
	/* From here on, the kobject frees the instance and the rest. */
	kobject_init(&inst->kobj, &role->ktype);
	inst->role = role;
	inst->pinned = cfs ? role->owner : NULL;
	inst->fifo = pcfifo_fifo_get_default();
	pcfifo_stamps_get(inst->fifo);
	spin_lock_init(&inst->lock);
	INIT_WORK(&inst->work, pcfifo_instance_work);
	pcfifo_hrtimer_setup(&inst->timer, pcfifo_instance_timer,
			     CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	pcfifo_waiter_init(&inst->wait, pcfifo_instance_wake);
	if (cfs)
		config_item_init_type_name(&inst->cfs_item, name,
					   &role->cfs_type);
	if (role->init)
		role->init(inst, name, arg);
	spin_lock_bh(&inst->lock);
	pcfifo_instance_set_rate_locked(inst, rate);
	spin_unlock_bh(&inst->lock);
	return inst;
}

/**
 * pcfifo_instance_add - publish an instance with all its attributes, then
 *	start it
 * @inst: from pcfifo_instance_create()
 * @name: its sysfs (and debugfs) directory's name
 * @kset: the sysfs directory of its role
 * @debugfs_parent: the debugfs directory of its role
 *
 * A write that races with publication only sets a value: nothing runs
 * before the instance starts, so a failure leaves nothing to stop.
 *
 * Return: 0, or an error from kobject_add() (-EEXIST, -ENOMEM); on error,
 * drop the instance with pcfifo_instance_put().
 */
int pcfifo_instance_add(struct pcfifo_instance *inst, const char *name,
			struct kset *kset, struct dentry *debugfs_parent)
{
	int ret;

	inst->kobj.kset = kset;
	ret = kobject_add(&inst->kobj, NULL, "%s", name);
	if (ret)
		return ret;
	kobject_uevent(&inst->kobj, KOBJ_ADD);
	if (inst->role->debugfs) {
		inst->debugfs = debugfs_create_dir(name, debugfs_parent);
		inst->role->debugfs(inst, inst->debugfs);
	}
	spin_lock_bh(&inst->lock);
	inst->running = true;
	pcfifo_instance_kick_locked(inst);
	spin_unlock_bh(&inst->lock);
	return 0;
}

/**
 * pcfifo_instance_remove - stop an added instance and unpublish it
 * @inst: the instance
 *
 * Returns promptly even when the instance is blocked on its FIFO; the
 * items it has put stay there.
 */
void pcfifo_instance_remove(struct pcfifo_instance *inst)
{
	/* Stopped: no step can queue the waiter again. */
	spin_lock_bh(&inst->lock);
	inst->running = false;
	pcfifo_cancel_wait(inst->fifo, &inst->wait);
	spin_unlock_bh(&inst->lock);
	/* Not armed again: only a running instance's step arms it. */
	hrtimer_cancel(&inst->timer);
	cancel_work_sync(&inst->work);
	debugfs_remove_recursive(inst->debugfs);
	kobject_del(&inst->kobj);
}

/**
 * pcfifo_instance_put - drop the reference pcfifo_instance_create() gave
 * @inst: the instance, removed or never added
 */
void pcfifo_instance_put(struct pcfifo_instance *inst)
{
	/* A mkdir instance's item holds that reference on the kobject. */
	if (inst->pinned)
		config_item_put(&inst->cfs_item);
	else
		kobject_put(&inst->kobj);
}
