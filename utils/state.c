// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: pictures of the tree and the rates two of them give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
}

void state_free(struct state *s)
{
	free(s->fifos);
	free(s->insts);
	state_init(s);
}

struct fifo_info *state_add_fifo(struct state *s, const char *name)
{
	struct fifo_info *f = realloc(s->fifos, (s->nfifos + 1) * sizeof(*f));

	if (!f)
		return NULL;
	s->fifos = f;
	f += s->nfifos++;
	memset(f, 0, sizeof(*f));
	f->in_rate = f->out_rate = -1;
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

struct inst_info *state_add_inst(struct state *s, enum kind k, const char *name)
{
	struct inst_info *i = realloc(s->insts, (s->ninsts + 1) * sizeof(*i));

	if (!i)
		return NULL;
	s->insts = i;
	i += s->ninsts++;
	memset(i, 0, sizeof(*i));
	i->kind = k;
	i->timed = -1;
	i->achieved = -1;
	i->state = ST_UNKNOWN;
	snprintf(i->name, sizeof(i->name), "%s", name);
	return i;
}

static int cmp_fifo(const void *a, const void *b)
{
	return strcmp(((const struct fifo_info *)a)->name,
		      ((const struct fifo_info *)b)->name);
}

static int cmp_inst(const void *a, const void *b)
{
	const struct inst_info *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

void state_sort(struct state *s)
{
	if (s->nfifos)
		qsort(s->fifos, s->nfifos, sizeof(*s->fifos), cmp_fifo);
	if (s->ninsts)
		qsort(s->insts, s->ninsts, sizeof(*s->insts), cmp_inst);
}

struct fifo_info *state_fifo(const struct state *s, const char *name)
{
	unsigned int n;

	for (n = 0; n < s->nfifos; n++)
		if (!strcmp(s->fifos[n].name, name))
			return &s->fifos[n];
	return NULL;
}

struct inst_info *state_inst(const struct state *s, enum kind k, const char *name)
{
	unsigned int n;

	for (n = 0; n < s->ninsts; n++)
		if (s->insts[n].kind == k && !strcmp(s->insts[n].name, name))
			return &s->insts[n];
	return NULL;
}

void state_rates(struct state *now, const struct state *before, unsigned int ms)
{
	unsigned int n;

	for (n = 0; n < now->nfifos; n++) {
		struct fifo_info *f = &now->fifos[n];
		const struct fifo_info *b = state_fifo(before, f->name);

		f->in_rate = f->out_rate = -1;
		if (!ms || !b || b->enqueued > f->enqueued || b->dequeued > f->dequeued)
			continue;
		f->in_rate = (double)(f->enqueued - b->enqueued) * 1000.0 / ms;
		f->out_rate = (double)(f->dequeued - b->dequeued) * 1000.0 / ms;
	}
	for (n = 0; n < now->ninsts; n++) {
		struct inst_info *i = &now->insts[n];
		const struct inst_info *b = state_inst(before, i->kind, i->name);
		const struct fifo_info *f1 = state_fifo(now, i->fifo);
		const struct fifo_info *f0 = state_fifo(before, i->fifo);
		bool stuck;

		i->achieved = -1;
		i->state = ST_UNKNOWN;
		if (!ms || !b || b->total > i->total)
			continue;
		i->achieved = i->timed >= 0 ? i->timed :
			(double)(i->total - b->total) * 1000.0 / ms;
		if (!i->rate) {
			i->state = ST_PAUSED;
			continue;
		}
		if (i->kind == KIND_PRODUCER)
			stuck = f0 && f1 && f0->count == f0->capacity &&
				f1->count == f1->capacity;
		else
			stuck = f0 && f1 && !f0->count && !f1->count;
		if (stuck && i->achieved < i->rate)
			i->state = ST_BLOCKED;
		else
			i->state = ST_RUNNING;
	}
}

const char *inst_state_name(enum inst_state st)
{
	switch (st) {
	case ST_RUNNING:
		return "running";
	case ST_PAUSED:
		return "paused";
	case ST_BLOCKED:
		return "blocked";
	default:
		return "-";
	}
}
