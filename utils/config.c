// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: saved configurations and restore plans.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void json_add_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

void json_add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

void json_add_kinds(struct json_object *top, struct json_object *arr[KIND_NONE])
{
	int k;

	for (k = 0; k < KIND_NONE; k++) {
		arr[k] = json_object_new_array();
		json_object_object_add(top, kind_dir((enum kind)k), arr[k]);
	}
}

struct json_object *config_to_json(const struct state *s)
{
	struct json_object *top = json_object_new_object();
	struct json_object *arr[KIND_NONE];
	unsigned int n;

	json_add_u64(top, "version", CONFIG_VERSION);
	json_add_kinds(top, arr);
	for (n = 0; n < s->nfifos; n++) {
		struct json_object *o = json_object_new_object();

		json_add_str(o, "name", s->fifos[n].name);
		json_add_u64(o, "capacity", s->fifos[n].capacity);
		json_object_array_add(arr[KIND_FIFO], o);
	}
	for (n = 0; n < s->ninsts; n++) {
		const struct inst_info *i = &s->insts[n];
		struct json_object *o = json_object_new_object();

		json_add_str(o, "name", i->name);
		json_add_str(o, "fifo", i->fifo);
		json_add_u64(o, "rate", i->rate);
		if (i->kind == KIND_PRODUCER)
			json_add_str(o, "item", i->item);
		json_object_array_add(arr[i->kind], o);
	}
	return top;
}

/* Where in the file an error is: "producers[2] (apple)". */
struct where {
	char *err;
	size_t size;
	const char *dir;
	size_t index;
	const char *name;
};

static int fail(const struct where *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(const struct where *w, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (w->name)
		snprintf(w->err, w->size, "%s[%zu] (%s): %s", w->dir, w->index,
			 w->name, what);
	else
		snprintf(w->err, w->size, "%s[%zu]: %s", w->dir, w->index, what);
	return EXIT_FAIL;
}

static int fail_value(const struct where *w, const char *key, const char *value,
		      int e)
{
	char msg[512];

	value_message(msg, sizeof(msg), key, value, e);
	return fail(w, "%s", msg);
}

/*
 * KEY of O as text into BUF, checked as the kernel would check the
 * write. Numbers must be JSON integers, strings JSON strings.
 */
static int get_value(const struct where *w, struct json_object *o,
		     const char *key, char *buf, size_t size)
{
	struct json_object *v;
	int e;

	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	if (!strcmp(key, "item") || !strcmp(key, "fifo") || !strcmp(key, "name")) {
		if (!json_object_is_type(v, json_type_string))
			return fail(w, "%s: not a string", key);
		if ((size_t)json_object_get_string_len(v) >= size ||
		    strlen(json_object_get_string(v)) !=
			    (size_t)json_object_get_string_len(v)) {
			/* Too long, or holds a NUL: the kernel's EINVAL. */
			e = strcmp(key, "item") ? ENAMETOOLONG : EINVAL;
			return fail_value(w, key, json_object_get_string(v), e);
		}
		snprintf(buf, size, "%s", json_object_get_string(v));
	} else {
		if (!json_object_is_type(v, json_type_int))
			return fail(w, "%s: not an integer", key);
		if (json_object_get_int64(v) < 0)
			snprintf(buf, size, "%" PRId64, json_object_get_int64(v));
		else
			snprintf(buf, size, "%" PRIu64, json_object_get_uint64(v));
	}
	e = !strcmp(key, "name") ? check_name(buf) : check_key_value(key, buf);
	return e ? fail_value(w, key, buf, e) : 0;
}

static int parse_entry(struct where *w, enum kind k, struct json_object *o,
		       struct state *want)
{
	char name[PCFIFO_NAME_MAX + 1], buf[PCFIFO_ITEM_MAX + 1];
	struct json_object_iterator it, end;
	int rc;

	if (!json_object_is_type(o, json_type_object))
		return fail(w, "not an object");
	rc = get_value(w, o, "name", name, sizeof(name));
	if (rc < 0)
		return fail(w, "no name");
	if (rc)
		return rc;
	w->name = name;
	for (it = json_object_iter_begin(o), end = json_object_iter_end(o);
	     !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);

		if (strcmp(key, "name") && !key_valid(k, key))
			return fail(w, "unknown key \"%s\" for a %s", key, kind_name(k));
	}
	if (k == KIND_FIFO) {
		struct fifo_info *f;

		if (state_fifo(want, name))
			return fail(w, "fifo %s: listed twice", name);
		f = state_add_fifo(want, name);
		if (!f)
			return fail(w, "out of memory");
		rc = get_value(w, o, "capacity", buf, sizeof(buf));
		if (rc > 0)
			return rc;
		f->has_capacity = !rc;
		if (!rc)
			check_capacity(buf, &f->capacity);
	} else {
		struct inst_info *i;

		if (state_inst(want, k, name))
			return fail(w, "%s %s: listed twice", kind_name(k), name);
		i = state_add_inst(want, k, name);
		if (!i)
			return fail(w, "out of memory");
		rc = get_value(w, o, "fifo", i->fifo, sizeof(i->fifo));
		if (rc > 0)
			return rc;
		i->has_fifo = !rc;
		rc = get_value(w, o, "rate", buf, sizeof(buf));
		if (rc > 0)
			return rc;
		i->has_rate = !rc;
		if (!rc)
			check_rate(buf, &i->rate);
		if (k == KIND_PRODUCER) {
			rc = get_value(w, o, "item", i->item, sizeof(i->item));
			if (rc > 0)
				return rc;
			i->has_item = !rc;
		}
	}
	return 0;
}

int config_from_json(const char *text, struct state *want, char *err,
		     size_t errsize)
{
	enum json_tokener_error jerr;
	struct json_object *top = json_tokener_parse_verbose(text, &jerr);
	struct json_object_iterator it, end;
	struct json_object *v;
	int rc = 0;

	state_init(want);
	if (!top) {
		snprintf(err, errsize, "not JSON: %s", json_tokener_error_desc(jerr));
		return EXIT_FAIL;
	}
	if (!json_object_is_type(top, json_type_object)) {
		snprintf(err, errsize, "not a JSON object");
		rc = EXIT_FAIL;
		goto out;
	}
	for (it = json_object_iter_begin(top), end = json_object_iter_end(top);
	     !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);

		if (strcmp(key, "version") && kind_parse(key) == KIND_NONE) {
			snprintf(err, errsize, "unknown key \"%s\"", key);
			rc = EXIT_FAIL;
			goto out;
		}
		if (!strcmp(key, kind_name(kind_parse(key)))) {
			snprintf(err, errsize, "unknown key \"%s\" (not \"%s\")", key,
				 kind_dir(kind_parse(key)));
			rc = EXIT_FAIL;
			goto out;
		}
	}
	if (json_object_object_get_ex(top, "version", &v) &&
	    (!json_object_is_type(v, json_type_int) ||
	     json_object_get_int64(v) != CONFIG_VERSION)) {
		snprintf(err, errsize, "version %s: not supported, %d",
			 json_object_get_string(v), CONFIG_VERSION);
		rc = EXIT_FAIL;
		goto out;
	}
	for (int k = 0; k < KIND_NONE && !rc; k++) {
		struct where w = { err, errsize, kind_dir((enum kind)k), 0, NULL };
		size_t n;

		if (!json_object_object_get_ex(top, w.dir, &v))
			continue;
		if (!json_object_is_type(v, json_type_array)) {
			snprintf(err, errsize, "%s: not an array", w.dir);
			rc = EXIT_FAIL;
			break;
		}
		for (n = 0; n < json_object_array_length(v) && !rc; n++) {
			w.index = n;
			w.name = NULL;
			rc = parse_entry(&w, (enum kind)k,
					 json_object_array_get_idx(v, n), want);
		}
	}
out:
	json_object_put(top);
	if (rc)
		state_free(want);
	else
		state_sort(want);
	return rc;
}

struct plan {
	struct action *v;
	unsigned int n;
	int oom;
};

static void plan_add(struct plan *p, enum action_op op, enum kind k,
		     const char *name, const char *key, const char *value)
{
	struct action *a;

	if (p->oom)
		return;
	a = realloc(p->v, (p->n + 1) * sizeof(*a));
	if (!a) {
		p->oom = 1;
		return;
	}
	p->v = a;
	a += p->n++;
	memset(a, 0, sizeof(*a));
	a->op = op;
	a->kind = k;
	a->key = key;
	snprintf(a->name, sizeof(a->name), "%s", name);
	if (value)
		snprintf(a->value, sizeof(a->value), "%s", value);
}

int config_plan(const struct state *want, const struct state *have, bool clear,
		struct action **acts, unsigned int *n, char *err, size_t errsize)
{
	struct plan p = { NULL, 0, 0 };
	char buf[32];
	unsigned int j;

	*acts = NULL;
	*n = 0;
	for (j = 0; j < want->nfifos; j++) {
		const struct fifo_info *w = &want->fifos[j];
		const struct fifo_info *h = state_fifo(have, w->name);

		if (!h)
			plan_add(&p, ACT_CREATE, KIND_FIFO, w->name, NULL, NULL);
		if (!w->has_capacity || (h && h->capacity == w->capacity))
			continue;
		if (h && h->count) {
			snprintf(err, errsize,
				 "fifo %s: capacity %u: busy, the FIFO is not empty (count %u)",
				 w->name, w->capacity, h->count);
			free(p.v);
			return EXIT_FAIL;
		}
		snprintf(buf, sizeof(buf), "%u", w->capacity);
		plan_add(&p, ACT_SET, KIND_FIFO, w->name, "capacity", buf);
	}
	for (j = 0; j < want->ninsts; j++) {
		const struct inst_info *w = &want->insts[j];
		const struct inst_info *h = state_inst(have, w->kind, w->name);

		if (w->has_fifo && !state_fifo(want, w->fifo) &&
		    (clear || !state_fifo(have, w->fifo)) && strcmp(w->fifo, "default")) {
			snprintf(err, errsize, "%s %s: fifo %s: does not exist",
				 kind_name(w->kind), w->name, w->fifo);
			free(p.v);
			return EXIT_FAIL;
		}
		if (!h)
			plan_add(&p, ACT_CREATE, w->kind, w->name, NULL, NULL);
		/*
		 * fifo first, item before rate: nothing old at the new rate;
		 * but a rate of 0 before all, so that a paused instance moves
		 * no item through its FIFO on the way.
		 */
		if (w->has_rate && !w->rate && (!h || h->rate))
			plan_add(&p, ACT_SET, w->kind, w->name, "rate", "0");
		if (w->has_fifo && (!h || strcmp(h->fifo, w->fifo)))
			plan_add(&p, ACT_SET, w->kind, w->name, "fifo", w->fifo);
		if (w->has_item && (!h || strcmp(h->item, w->item)))
			plan_add(&p, ACT_SET, w->kind, w->name, "item", w->item);
		if (w->has_rate && w->rate && (!h || h->rate != w->rate)) {
			snprintf(buf, sizeof(buf), "%u", w->rate);
			plan_add(&p, ACT_SET, w->kind, w->name, "rate", buf);
		}
	}
	if (clear) {
		for (j = 0; j < have->ninsts; j++) {
			const struct inst_info *h = &have->insts[j];

			if (state_inst(want, h->kind, h->name))
				continue;
			if (h->configfs)
				plan_add(&p, ACT_REMOVE, h->kind, h->name, NULL, NULL);
			else if (!state_fifo(want, h->fifo) && strcmp(h->fifo, "default"))
				plan_add(&p, ACT_SET, h->kind, h->name, "fifo", "default");
		}
		for (j = 0; j < have->nfifos; j++) {
			const struct fifo_info *h = &have->fifos[j];

			if (!state_fifo(want, h->name) && strcmp(h->name, "default"))
				plan_add(&p, ACT_REMOVE, KIND_FIFO, h->name, NULL, NULL);
		}
	}
	if (p.oom) {
		free(p.v);
		snprintf(err, errsize, "out of memory");
		return EXIT_FAIL;
	}
	*acts = p.v;
	*n = p.n;
	return 0;
}
