// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl status: every FIFO and every instance, as a table or JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pcfifoctl.h"
#include "table.h"
#include "tree.h"

#define DEFAULT_INTERVAL_MS 1000
#define POLL_MS 20		/* how often sample() reads the counters */
#define POLL_INSTS 50		/* instances per POLL_MS; more: slower polls */

static const char status_help[] =
	"usage: pcfifoctl status [-j] [--interval S]\n\n"
	"Every FIFO (capacity, count, fill, enqueued, dequeued) and every\n"
	"producer and consumer (FIFO, rate, achieved rate, items so far, state,\n"
	"item). The achieved rates are measured over a short window.\n\n"
	"  -j, --json        JSON with the keys pcfifoctl(8) documents\n"
	"  -i, --interval S  measuring window in seconds (default 1; 0: none)\n"
	"  -h, --help        this help\n";

/* An instance's counter when it last changed, first and last in a window. */
struct edges {
	uint64_t last, n0, n1, t0, t1;
	unsigned int changes;
};

/*
 * Read the counter of every instance of S until MS milliseconds have
 * passed since T0 and note when each changed. The items counted from the
 * first change to the last, over the time between the two, is a rate that
 * does not depend on where the window's ends fall between two items (at
 * 5 items/s a second holds 5 or 6 of them).
 */
static void poll_edges(const struct state *s, struct edges *e, uint64_t t0,
		       unsigned int ms)
{
	unsigned int n, period = POLL_MS * (1 + s->ninsts / POLL_INSTS);
	uint64_t t, v;

	for (n = 0; n < s->ninsts; n++)
		e[n].last = s->insts[n].total;
	while ((t = now_ms()) - t0 < ms) {
		sleep_ms(t - t0 + period < ms ? period : (unsigned int)(ms - (t - t0)));
		t = now_ms();
		for (n = 0; n < s->ninsts; n++) {
			const struct inst_info *i = &s->insts[n];

			if (tree_get_total(i->kind, i->name, &v) || v == e[n].last)
				continue;
			e[n].last = v;
			if (!e[n].changes++) {
				e[n].n0 = v;
				e[n].t0 = t;
			}
			e[n].n1 = v;
			e[n].t1 = t;
		}
	}
}

/* The timed rate of each instance of NOW seen changing twice in BEFORE's window. */
static void timed_rates(struct state *now, const struct state *before,
			const struct edges *e)
{
	unsigned int n;

	for (n = 0; n < now->ninsts; n++) {
		struct inst_info *i = &now->insts[n];
		const struct inst_info *b = state_inst(before, i->kind, i->name);
		const struct edges *x = b ? &e[b - before->insts] : NULL;

		if (x && x->changes >= 2 && x->n1 > x->n0 && x->t1 > x->t0)
			i->timed = (double)(x->n1 - x->n0) * 1000.0 / (double)(x->t1 - x->t0);
	}
}

int sample(struct state *now, unsigned int ms)
{
	struct state before;
	struct edges *e = NULL;
	int err;

	err = tree_read_state(&before);
	if (!err && ms) {
		uint64_t t0 = now_ms();

		e = calloc(before.ninsts ? before.ninsts : 1, sizeof(*e));
		if (!e)
			err = ENOMEM;
		if (!err) {
			poll_edges(&before, e, t0, ms);
			err = tree_read_state(now);
		}
		if (!err) {
			timed_rates(now, &before, e);
			state_rates(now, &before, (unsigned int)(now_ms() - t0));
		}
		free(e);
		state_free(&before);
	} else if (!err) {
		*now = before;
	}
	if (err == ENOENT && !tree_loaded())
		return need_loaded();
	if (err)
		return fail("cannot read %s: %s", SYSFS_ROOT, strerror(err));
	return 0;
}

void fmt_rate(char *buf, size_t size, double r)
{
	if (r < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f", r);
}

void print_status(FILE *out, const struct state *s)
{
	struct table t;
	char c[6][32], item[4 * PCFIFO_ITEM_MAX + 1];
	unsigned int n;

	table_init(&t, 6, "lrrrrr");
	table_add(&t, "FIFO", "CAPACITY", "COUNT", "FILL", "ENQUEUED", "DEQUEUED");
	for (n = 0; n < s->nfifos; n++) {
		const struct fifo_info *f = &s->fifos[n];

		snprintf(c[0], sizeof(c[0]), "%u", f->capacity);
		snprintf(c[1], sizeof(c[1]), "%u", f->count);
		snprintf(c[2], sizeof(c[2]), "%u%%",
			 f->capacity ? (unsigned int)(100ull * f->count / f->capacity) : 0);
		snprintf(c[3], sizeof(c[3]), "%" PRIu64, f->enqueued);
		snprintf(c[4], sizeof(c[4]), "%" PRIu64, f->dequeued);
		table_add(&t, f->name, c[0], c[1], c[2], c[3], c[4]);
	}
	table_print(&t, out);
	table_free(&t);
	if (!s->ninsts)
		return;
	fputc('\n', out);
	table_init(&t, 8, "lllrrrll");
	table_add(&t, "KIND", "NAME", "FIFO", "RATE", "ACHIEVED", "TOTAL", "STATE", "ITEM");
	for (n = 0; n < s->ninsts; n++) {
		const struct inst_info *i = &s->insts[n];

		snprintf(c[0], sizeof(c[0]), "%u", i->rate);
		fmt_rate(c[1], sizeof(c[1]), i->achieved);
		snprintf(c[2], sizeof(c[2]), "%" PRIu64, i->total);
		if (i->kind == KIND_PRODUCER)
			escape_value(item, sizeof(item), i->item);
		else
			snprintf(item, sizeof(item), "-");
		table_add(&t, kind_name(i->kind), i->name, i->fifo, c[0], c[1], c[2],
			  inst_state_name(i->state), item);
	}
	table_print(&t, out);
	table_free(&t);
}

/* A rate with one decimal (null when not measured). */
static void add_rate(struct json_object *o, const char *key, double r)
{
	char buf[32];

	if (r < 0) {
		json_object_object_add(o, key, NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%.1f", r);
	json_object_object_add(o, key, json_object_new_double_s(r, buf));
}

void print_status_json(FILE *out, const struct state *s, unsigned int ms)
{
	struct json_object *top = json_object_new_object();
	struct json_object *arr[KIND_NONE];
	unsigned int n;

	json_add_u64(top, "interval_ms", ms);
	json_add_kinds(top, arr);
	for (n = 0; n < s->nfifos; n++) {
		const struct fifo_info *f = &s->fifos[n];
		struct json_object *o = json_object_new_object();

		json_add_str(o, "name", f->name);
		json_add_u64(o, "capacity", f->capacity);
		json_add_u64(o, "count", f->count);
		json_add_u64(o, "fill_percent",
			f->capacity ? 100ull * f->count / f->capacity : 0);
		json_add_u64(o, "enqueued", f->enqueued);
		json_add_u64(o, "dequeued", f->dequeued);
		add_rate(o, "enqueue_rate", f->in_rate);
		add_rate(o, "dequeue_rate", f->out_rate);
		json_object_array_add(arr[KIND_FIFO], o);
	}
	for (n = 0; n < s->ninsts; n++) {
		const struct inst_info *i = &s->insts[n];
		struct json_object *o = json_object_new_object();

		json_add_str(o, "name", i->name);
		json_add_str(o, "fifo", i->fifo);
		json_add_u64(o, "rate", i->rate);
		add_rate(o, "achieved_rate", i->achieved);
		json_add_str(o, "state", inst_state_name(i->state));
		json_object_object_add(o, "configfs", json_object_new_boolean(i->configfs));
		if (i->kind == KIND_PRODUCER) {
			json_add_str(o, "item", i->item);
			json_add_u64(o, "produced", i->total);
		} else {
			json_add_u64(o, "consumed", i->total);
			json_add_str(o, "last_item", i->last_item);
			json_add_u64(o, "latency_avg_ns", i->latency_avg_ns);
			json_add_u64(o, "latency_max_ns", i->latency_max_ns);
		}
		json_object_array_add(arr[i->kind], o);
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(top,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int ms = DEFAULT_INTERVAL_MS;
	struct state s;
	int json = 0, c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+ji:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'i':
			if (parse_seconds(optarg, 60000, &ms))
				return usage_error("status", "--interval %s: not 0..60 seconds",
						   optarg);
			break;
		case 'h':
			fputs(status_help, stdout);
			return EXIT_OK;
		default:
			return try_help("status");
		}
	}
	if (optind < argc)
		return usage_error("status", "unexpected argument '%s'", argv[optind]);
	rc = sample(&s, ms);
	if (rc)
		return rc;
	if (json)
		print_status_json(stdout, &s, ms);
	else
		print_status(stdout, &s);
	state_free(&s);
	return fflush(stdout) ? fail("write error: %s", strerror(errno)) : EXIT_OK;
}
