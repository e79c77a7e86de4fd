/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: the saved configuration (JSON, see pcfifoctl(8)) and the
 * plan that brings the tree to it. Pure code, tested on the host.
 */
#ifndef PCFIFOCTL_CONFIG_H
#define PCFIFOCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <json.h>

#include "state.h"

#define CONFIG_VERSION 1

/* Add a string or an integer member to a JSON object. */
void json_add_str(struct json_object *o, const char *key, const char *v);
void json_add_u64(struct json_object *o, const char *key, uint64_t v);
/* One array per kind in TOP, "fifos", "producers", "consumers", into ARR. */
void json_add_kinds(struct json_object *top, struct json_object *arr[KIND_NONE]);

/* The configuration part of a picture as a new JSON object. */
struct json_object *config_to_json(const struct state *s);
/*
 * Parse and check a saved configuration into WANT (values in the has_*
 * fields say which ones the file sets). 0, or EXIT_FAIL with the reason
 * in ERR.
 */
int config_from_json(const char *text, struct state *want, char *err,
		     size_t errsize);

enum action_op { ACT_CREATE, ACT_SET, ACT_REMOVE };

struct action {
	enum action_op op;
	enum kind kind;
	char name[PCFIFO_NAME_MAX + 1];
	const char *key;			/* ACT_SET */
	char value[PCFIFO_ITEM_MAX + 1];	/* ACT_SET */
};

/*
 * The steps from HAVE to WANT: create the missing FIFOs and set their
 * capacities, create the missing instances and set fifo, item and rate;
 * with CLEAR, then remove the configfs instances and the FIFOs that WANT
 * does not have (a module-parameter instance cannot be removed: it is
 * moved to "default" if its FIFO goes). A SET may repeat the current
 * value; whoever carries it out skips those. 0, or EXIT_FAIL with the
 * reason in ERR when the plan cannot work (an instance on a FIFO that
 * neither has; a new capacity for a FIFO that holds items: EBUSY).
 */
int config_plan(const struct state *want, const struct state *have, bool clear,
		struct action **acts, unsigned int *n, char *err, size_t errsize);

#endif
