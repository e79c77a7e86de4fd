/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: a picture of the tree (FIFOs and instances with their values
 * and counters), and what two pictures taken a moment apart say: the
 * achieved rates and which instances are blocked. Pure code.
 */
#ifndef PCFIFOCTL_STATE_H
#define PCFIFOCTL_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "values.h"

enum inst_state { ST_RUNNING, ST_PAUSED, ST_BLOCKED, ST_UNKNOWN };

struct fifo_info {
	char name[PCFIFO_NAME_MAX + 1];
	unsigned int capacity;
	unsigned int count;
	uint64_t enqueued;
	uint64_t dequeued;
	bool has_capacity;		/* restore files may leave it out */
	double in_rate, out_rate;	/* items/s, < 0 if not measured */
};

struct inst_info {
	enum kind kind;			/* KIND_PRODUCER or KIND_CONSUMER */
	char name[PCFIFO_NAME_MAX + 1];
	char fifo[PCFIFO_NAME_MAX + 1];
	unsigned int rate;
	char item[PCFIFO_ITEM_MAX + 1];	/* producers */
	uint64_t total;			/* produced or consumed */
	char last_item[PCFIFO_ITEM_MAX + 1];	/* consumers */
	uint64_t latency_avg_ns;
	uint64_t latency_max_ns;
	bool configfs;			/* false: a module-parameter instance */
	bool has_fifo, has_rate, has_item;	/* restore files */
	double timed;			/* items/s between the first and the
					 * last change seen, < 0 if none */
	double achieved;		/* items/s, < 0 if not measured */
	enum inst_state state;
};

struct state {
	struct fifo_info *fifos;
	unsigned int nfifos;
	struct inst_info *insts;	/* producers, then consumers */
	unsigned int ninsts;
};

void state_init(struct state *s);
void state_free(struct state *s);
/* Append a zeroed entry; NULL when out of memory. */
struct fifo_info *state_add_fifo(struct state *s, const char *name);
struct inst_info *state_add_inst(struct state *s, enum kind k, const char *name);
/* Sort FIFOs by name, instances by kind then name. */
void state_sort(struct state *s);
struct fifo_info *state_fifo(const struct state *s, const char *name);
struct inst_info *state_inst(const struct state *s, enum kind k, const char *name);

/*
 * Fill in achieved and state of each instance of NOW from the counters of
 * BEFORE, taken MS milliseconds earlier (MS 0: not measured); an
 * instance's timed rate, when it has one, is its achieved rate. An
 * instance with rate 0 is paused; a producer is blocked when it ran
 * slower than its rate and its FIFO was full in both pictures, a consumer
 * when its FIFO was empty in both; otherwise it is running.
 */
void state_rates(struct state *now, const struct state *before, unsigned int ms);

const char *inst_state_name(enum inst_state st);

#endif
