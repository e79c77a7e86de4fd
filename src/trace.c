// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifo: creates the trace events that trace.h declares; the files that
 * emit them include trace.h without CREATE_TRACE_POINTS.
 */

#define CREATE_TRACE_POINTS
#include "trace.h"
