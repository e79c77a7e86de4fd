/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifo: the trace events of the system "pcfifo", in
 * /sys/kernel/tracing/events/pcfifo/. Their names and fields are an ABI:
 * see Documentation/trace-events.rst. trace.c creates them.
 *
 * Strings are fixed arrays copied by hand rather than __string(), whose
 * __assign_str() changed its arguments in 6.10: the same code builds on
 * every kernel. Nothing is computed for an event that is disabled: the
 * arguments are pointers and numbers the caller has at hand, and the
 * names and counters are read in TP_fast_assign().
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pcfifo

/* Read once, unlike the events below. */
#ifndef PCFIFO_TRACE_HELPERS_H
#define PCFIFO_TRACE_HELPERS_H

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "core.h"

/*
 * Array lengths of the events' strings, as plain numbers: older kernels
 * (5.10) print an array's length in the format file as it is written here,
 * and "char fifo[65]" reads the same to a tool on every kernel.
 * trace.c checks them against the names they hold.
 */
#define PCFIFO_TRACE_FIFO_LEN	65	/* PCFIFO_NAME_MAX + 1 */
#define PCFIFO_TRACE_WHO_MAX	75	/* "consumers/", a name, its NUL */

/* An instance as "producers/NAME" or "consumers/NAME", into @who. */
static inline void pcfifo_trace_name_inst(char *who, size_t size,
					  const struct pcfifo_instance *inst)
{
	snprintf(who, size, "%s/%s", pcfifo_role_dirs[inst->role->kind],
		 kobject_name(&inst->kobj) ?: "");
}

/* Who moves: @inst if not NULL, else @via ("dev", "api"), into @who. */
static inline void pcfifo_trace_name(char *who, size_t size,
				     const struct pcfifo_instance *inst,
				     const char *via)
{
	if (inst)
		pcfifo_trace_name_inst(who, size, inst);
	else
		strscpy(who, via, size);
}

#endif /* PCFIFO_TRACE_HELPERS_H */

#if !defined(PCFIFO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define PCFIFO_TRACE_H

#include <linux/tracepoint.h>

TRACE_DEFINE_ENUM(PCFIFO_PRODUCER);
TRACE_DEFINE_ENUM(PCFIFO_CONSUMER);

/*
 * The side of the FIFO an instance waits on: its role's kind, 0 (a
 * producer) for free slots, 1 (a consumer) for items.
 */
#define pcfifo_trace_side(side)						\
	__print_symbolic(side, { PCFIFO_PRODUCER, "put" },		\
			 { PCFIFO_CONSUMER, "get" })

#define pcfifo_trace_who(who, inst)					\
	pcfifo_trace_name_inst(who, sizeof(who), inst)

#define pcfifo_trace_fifo(name, fifo)					\
	strscpy(name, pcfifo_fifo_name(fifo), sizeof(name))

DECLARE_EVENT_CLASS(pcfifo_move,
		    TP_PROTO(const struct pcfifo *fifo,
			     const struct pcfifo_instance *inst,
			     const char *via, unsigned int n),
		    TP_ARGS(fifo, inst, via, n),
		    TP_STRUCT__entry(__array(char, fifo, PCFIFO_TRACE_FIFO_LEN)
				     __array(char, who, PCFIFO_TRACE_WHO_MAX)
				     __field(unsigned int, n)
				     __field(unsigned int, count)),
		    TP_fast_assign(pcfifo_trace_fifo(__entry->fifo, fifo);
				   pcfifo_trace_name(__entry->who,
						     sizeof(__entry->who),
						     inst, via);
				   __entry->n = n;
				   /* Without the lock: others may have moved */
				   __entry->count = READ_ONCE(fifo->count);),
		    TP_printk("fifo=%s who=%s n=%u count=%u", __entry->fifo,
			      __entry->who, __entry->n, __entry->count)
);

/**
 * pcfifo_put - items put in a FIFO, one event per batch
 * @fifo: the FIFO
 * @inst: the producer instance that put them, or NULL
 * @via: who put them when @inst is NULL: "dev" (a device file's write)
 *	or "api" (pcfifo_enqueue() and its kin)
 * @n: items put
 */
DEFINE_EVENT(pcfifo_move, pcfifo_put,
	     TP_PROTO(const struct pcfifo *fifo,
		      const struct pcfifo_instance *inst, const char *via,
		      unsigned int n),
	     TP_ARGS(fifo, inst, via, n)
);

/**
 * pcfifo_take - items taken from a FIFO, one event per batch
 * @fifo: the FIFO
 * @inst: the consumer instance that took them, or NULL
 * @via: "dev" or "api" when @inst is NULL
 * @n: items taken
 */
DEFINE_EVENT(pcfifo_move, pcfifo_take,
	     TP_PROTO(const struct pcfifo *fifo,
		      const struct pcfifo_instance *inst, const char *via,
		      unsigned int n),
	     TP_ARGS(fifo, inst, via, n)
);

/**
 * pcfifo_block - an instance could not move all that was due: it waits
 *	on its FIFO for free slots (a producer) or items (a consumer)
 * @inst: the instance, its lock held
 */
TRACE_EVENT(pcfifo_block,
	    TP_PROTO(const struct pcfifo_instance *inst),
	    TP_ARGS(inst),
	    TP_STRUCT__entry(__array(char, who, PCFIFO_TRACE_WHO_MAX)
			     __array(char, fifo, PCFIFO_TRACE_FIFO_LEN)
			     __field(unsigned int, side)),
	    TP_fast_assign(pcfifo_trace_who(__entry->who, inst);
			   pcfifo_trace_fifo(__entry->fifo, inst->fifo);
			   __entry->side = inst->role->kind;),
	    TP_printk("who=%s fifo=%s side=%s", __entry->who, __entry->fifo,
		      pcfifo_trace_side(__entry->side))
);

/**
 * pcfifo_wake - a blocked instance runs again: the FIFO handed it what it
 *	waited for, or its rate or FIFO was written
 * @inst: the instance, its lock held, @inst->blocked_since still set
 */
TRACE_EVENT(pcfifo_wake,
	    TP_PROTO(const struct pcfifo_instance *inst),
	    TP_ARGS(inst),
	    TP_STRUCT__entry(__array(char, who, PCFIFO_TRACE_WHO_MAX)
			     __array(char, fifo, PCFIFO_TRACE_FIFO_LEN)
			     __field(unsigned int, side)
			     __field(u64, wait_ns)),
	    TP_fast_assign(pcfifo_trace_who(__entry->who, inst);
			   pcfifo_trace_fifo(__entry->fifo, inst->fifo);
			   __entry->side = inst->role->kind;
			   __entry->wait_ns = ktime_get_ns() -
					      inst->blocked_since;),
	    TP_printk("who=%s fifo=%s side=%s wait_ns=%llu", __entry->who,
		      __entry->fifo, pcfifo_trace_side(__entry->side),
		      (unsigned long long)__entry->wait_ns)
);

/**
 * pcfifo_rate - an instance's rate is written
 * @inst: the instance, its lock held, its rate not yet changed
 * @rate: the new rate
 */
TRACE_EVENT(pcfifo_rate,
	    TP_PROTO(const struct pcfifo_instance *inst, u32 rate),
	    TP_ARGS(inst, rate),
	    TP_STRUCT__entry(__array(char, who, PCFIFO_TRACE_WHO_MAX)
			     __field(u32, old)
			     __field(u32, new)),
	    TP_fast_assign(pcfifo_trace_who(__entry->who, inst);
			   __entry->old = inst->pace.rate;
			   __entry->new = rate;),
	    TP_printk("who=%s old=%u new=%u", __entry->who, __entry->old,
		      __entry->new)
);

/**
 * pcfifo_fifo - an instance moves to another FIFO
 * @inst: the instance, its lock held, still on its old FIFO
 * @fifo: the new FIFO
 */
TRACE_EVENT(pcfifo_fifo,
	    TP_PROTO(const struct pcfifo_instance *inst,
		     const struct pcfifo *fifo),
	    TP_ARGS(inst, fifo),
	    TP_STRUCT__entry(__array(char, who, PCFIFO_TRACE_WHO_MAX)
			     __array(char, old, PCFIFO_TRACE_FIFO_LEN)
			     __array(char, new, PCFIFO_TRACE_FIFO_LEN)),
	    TP_fast_assign(pcfifo_trace_who(__entry->who, inst);
			   pcfifo_trace_fifo(__entry->old, inst->fifo);
			   pcfifo_trace_fifo(__entry->new, fifo);),
	    TP_printk("who=%s old=%s new=%s", __entry->who, __entry->old,
		      __entry->new)
);

#endif /* PCFIFO_TRACE_H */

/* Outside the guard: define_trace.h reads this file again from here. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
