// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: creates the trace events that trace.h declares; the files that
 * emit them include trace.h without CREATE_TRACE_POINTS.
 */

#define CREATE_TRACE_POINTS
#include "trace.h"

/* The lengths in trace.h are those of the names the events hold. */
static_assert(sizeof_field(struct trace_event_raw_pcfifo_move, fifo) ==
	      PCFIFO_NAME_MAX + 1);
static_assert(sizeof_field(struct trace_event_raw_pcfifo_move, who) ==
	      sizeof("consumers/") + PCFIFO_NAME_MAX);
