// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl add, set, del, reset: change the tree. Every value is checked
 * before the first write, so that a refused command changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcfifoctl.h"
#include "tree.h"

static const char add_help[] =
	"usage: pcfifoctl add fifo NAME [--capacity N]\n"
	"       pcfifoctl add producer NAME [--rate N] [--item TEXT] [--fifo F]\n"
	"       pcfifoctl add consumer NAME [--rate N] [--fifo F]\n\n"
	"Create a FIFO, a producer or a consumer (mkdir in configfs), then set\n"
	"its values. A new instance starts at once, on the FIFO default at 1\n"
	"item/s with its name as item, unless the options say otherwise. Loads\n"
	"pcfifo if needed.\n\n"
	"  -c, --capacity N  items the FIFO holds, 1..65536\n"
	"  -r, --rate N      items per second, 0..1000000 (0 pauses)\n"
	"  -i, --item TEXT   the item a producer puts, 1..64 bytes\n"
	"  -f, --fifo F      the FIFO the instance uses (it must exist)\n"
	"  -h, --help        this help\n";

static const char set_help[] =
	"usage: pcfifoctl set KIND NAME KEY=VALUE...\n\n"
	"Change values of a FIFO, a producer or a consumer:\n"
	"  fifo      capacity=N (1..65536, only while the FIFO is empty)\n"
	"  producer  rate=N (0..1000000), item=TEXT (1..64 bytes), fifo=F\n"
	"  consumer  rate=N, fifo=F\n"
	"All values are checked first; a refused one changes nothing.\n\n"
	"  -h, --help  this help\n";

static const char del_help[] =
	"usage: pcfifoctl del KIND NAME...\n\n"
	"Remove FIFOs, producers or consumers (rmdir in configfs). A FIFO that\n"
	"an instance uses, or default, cannot go; nothing is removed then.\n"
	"Items queued in a removed FIFO are dropped.\n\n"
	"  -h, --help  this help\n";

static const char reset_help[] =
	"usage: pcfifoctl reset [--unload]\n\n"
	"Remove every producer and consumer made in configfs, move the\n"
	"module-parameter instances back to the FIFO default and remove every\n"
	"FIFO but default.\n\n"
	"  -u, --unload  then unload the modules (modprobe -r)\n"
	"  -h, --help    this help\n";

/* The keys in the order they are written: fifo first, rate last. */
static const char *const key_order[] = { "capacity", "fifo", "item", "rate" };
#define NKEYS (sizeof(key_order) / sizeof(key_order[0]))

struct change {
	const char *value[NKEYS];	/* NULL: not given */
};

static int key_index(const char *key)
{
	size_t n;

	for (n = 0; n < NKEYS; n++)
		if (!strcmp(key, key_order[n]))
			return (int)n;
	return -1;
}

/* Parse KEY=VALUE into CH; EXIT_USAGE for a bad pair. */
static int change_add(struct change *ch, const char *cmd, enum kind k, char *pair,
		      const char **keyp, const char **valuep)
{
	char *eq = strchr(pair, '=');
	int n;

	if (!eq || eq == pair)
		return usage_error(cmd, "'%s': not KEY=VALUE", pair);
	*eq = '\0';
	n = key_index(pair);
	if (n < 0 || !key_valid(k, pair))
		return usage_error(cmd, "a %s has no key '%s'", kind_name(k), pair);
	if (ch->value[n])
		return usage_error(cmd, "%s given twice", pair);
	ch->value[n] = eq + 1;
	*keyp = pair;
	*valuep = eq + 1;
	return 0;
}

/* Check every value, and what the tree must hold for them. */
static int change_check(const struct change *ch, enum kind k, const char *name,
			int exists)
{
	size_t n;
	int err;

	for (n = 0; n < NKEYS; n++) {
		if (!ch->value[n])
			continue;
		err = check_key_value(key_order[n], ch->value[n]);
		if (err)
			return refused(k, name, key_order[n], ch->value[n], err);
	}
	n = (size_t)key_index("fifo");
	if (ch->value[n] && !tree_exists(KIND_FIFO, ch->value[n]))
		return refused(k, name, "fifo", ch->value[n], ENOENT);
	n = (size_t)key_index("capacity");
	if (ch->value[n] && exists) {
		char count[32], cap[32];
		unsigned int v;

		check_capacity(ch->value[n], &v);
		snprintf(cap, sizeof(cap), "%u", v);
		if (!tree_get(k, name, "count", count, sizeof(count)) && strcmp(count, "0")) {
			char now[32];

			if (!tree_get(k, name, "capacity", now, sizeof(now)) && !strcmp(now, cap))
				return 0;	/* nothing to write */
			return fail("fifo %s: capacity %s: busy, the FIFO is not empty (count %s)",
				    name, cap, count);
		}
	}
	return 0;
}

/*
 * Write the values in key order, but a rate of 0 first: a new instance
 * runs at rate 1 on "default" until its values land, and one paused first
 * moves no item through the FIFO it is moved to. The first refusal ends it.
 */
static int change_apply(const struct change *ch, enum kind k, const char *name,
			int skip_same)
{
	char now[PCFIFO_ITEM_MAX + 2];
	size_t r = (size_t)key_index("rate"), i;
	unsigned int rate;
	int pause = ch->value[r] && !parse_uint(ch->value[r], &rate) && !rate;
	int err;

	for (i = 0; i <= NKEYS; i++) {
		size_t n = pause ? (i ? i - 1 : r) : i;

		if (n >= NKEYS || !ch->value[n] || (pause && i && n == r))
			continue;
		if (skip_same && !tree_get(k, name, key_order[n], now, sizeof(now))) {
			unsigned int a, b;

			if (!strcmp(now, ch->value[n]))
				continue;
			if (strcmp(key_order[n], "fifo") && strcmp(key_order[n], "item") &&
			    !parse_uint(now, &a) && !parse_uint(ch->value[n], &b) && a == b)
				continue;
		}
		err = tree_set(k, name, key_order[n], ch->value[n]);
		if (err)
			return refused(k, name, key_order[n], ch->value[n], err);
	}
	return 0;
}

static int check_new_name(enum kind k, const char *name)
{
	int err = check_name(name);

	if (err)
		value_error(kind_name(k), "name", name, err);
	return err ? EXIT_FAIL : 0;
}

int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "item", required_argument, NULL, 'i' },
		{ "fifo", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct change ch = { { NULL } };
	const char *name, *key;
	enum kind k;
	int c, rc, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "c:r:i:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			key = "capacity";
			break;
		case 'r':
			key = "rate";
			break;
		case 'i':
			key = "item";
			break;
		case 'f':
			key = "fifo";
			break;
		case 'h':
			fputs(add_help, stdout);
			return EXIT_OK;
		default:
			return try_help("add");
		}
		if (ch.value[key_index(key)])
			return usage_error("add", "--%s given twice", key);
		ch.value[key_index(key)] = optarg;
	}
	if (argc - optind < 2)
		return usage_error("add", "missing KIND or NAME");
	if (argc - optind > 2)
		return usage_error("add", "unexpected argument '%s'", argv[optind + 2]);
	k = kind_parse(argv[optind]);
	name = argv[optind + 1];
	if (k == KIND_NONE)
		return usage_error("add", "'%s': not fifo, producer or consumer",
				   argv[optind]);
	for (c = 0; c < (int)NKEYS; c++)
		if (ch.value[c] && !key_valid(k, key_order[c]))
			return usage_error("add", "a %s has no %s", kind_name(k), key_order[c]);
	rc = check_new_name(k, name);
	if (rc)
		return rc;
	rc = tree_ensure();
	if (rc)
		return rc;
	if (tree_exists(k, name))
		return refused(k, name, NULL, NULL, EEXIST);
	rc = change_check(&ch, k, name, 0);
	if (rc)
		return rc;
	err = tree_mkdir(k, name);
	if (err)
		return refused(k, name, NULL, NULL, err);
	rc = change_apply(&ch, k, name, 0);
	if (rc)
		tree_rmdir(k, name);	/* nothing half-made */
	return rc;
}

int cmd_set(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct change ch = { { NULL } };
	const char *name, *key, *value;
	enum kind k;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c != 'h')
			return try_help("set");
		fputs(set_help, stdout);
		return EXIT_OK;
	}
	if (argc - optind < 3)
		return usage_error("set", "missing %s", argc - optind < 2 ? "KIND or NAME" :
				   "KEY=VALUE");
	k = kind_parse(argv[optind]);
	if (k == KIND_NONE)
		return usage_error("set", "'%s': not fifo, producer or consumer",
				   argv[optind]);
	name = argv[optind + 1];
	for (c = optind + 2; c < argc; c++) {
		rc = change_add(&ch, "set", k, argv[c], &key, &value);
		if (rc)
			return rc;
	}
	rc = tree_ensure();
	if (rc)
		return rc;
	if (check_name(name) || !tree_exists(k, name))
		return refused(k, name, NULL, NULL, ENOENT);
	rc = change_check(&ch, k, name, 1);
	return rc ? rc : change_apply(&ch, k, name, k == KIND_FIFO);
}

int cmd_del(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct state s;
	enum kind k;
	int c, i, err;
	unsigned int n;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c != 'h')
			return try_help("del");
		fputs(del_help, stdout);
		return EXIT_OK;
	}
	if (argc - optind < 2)
		return usage_error("del", "missing KIND or NAME");
	k = kind_parse(argv[optind]);
	if (k == KIND_NONE)
		return usage_error("del", "'%s': not fifo, producer or consumer",
				   argv[optind]);
	err = tree_read_state(&s);
	if (err && err != ENOENT)
		return fail("cannot read %s: %s", SYSFS_ROOT, strerror(err));
	/* Every name first: all of them go, or none. */
	for (i = optind + 1; i < argc; i++) {
		const char *name = argv[i];

		if (k == KIND_FIFO) {
			if (!state_fifo(&s, name))
				err = ENOENT;
			else if (!strcmp(name, "default"))
				err = EPERM;
			for (n = 0; n < s.ninsts && !err; n++)
				if (!strcmp(s.insts[n].fifo, name)) {
					c = fail("fifo %s: busy, %s %s uses it", name,
						 kind_name(s.insts[n].kind), s.insts[n].name);
					state_free(&s);
					return c;
				}
		} else if (!state_inst(&s, k, name)) {
			err = ENOENT;
		} else if (!state_inst(&s, k, name)->configfs) {
			state_free(&s);
			return fail("%s %s: not permitted, a module-parameter instance goes "
				    "when its module is unloaded (modprobe -r pcfifo_%s)",
				    kind_name(k), name, kind_name(k));
		}
		if (err) {
			state_free(&s);
			if (err == EPERM)
				return fail("fifo default: not permitted, it is always there");
			return refused(k, name, NULL, NULL, err);
		}
	}
	state_free(&s);
	for (i = optind + 1; i < argc; i++) {
		err = tree_rmdir(k, argv[i]);
		if (err)
			return refused(k, argv[i], NULL, NULL, err);
	}
	return EXIT_OK;
}

static int unload(void)
{
	static const char *const mods[] = { "pcfifo_consumer", "pcfifo_producer", "pcfifo" };
	char path[64];
	size_t n;

	for (n = 0; n < sizeof(mods) / sizeof(mods[0]); n++) {
		snprintf(path, sizeof(path), "/sys/module/%s", mods[n]);
		if (access(path, F_OK))
			continue;
		if (tree_modprobe("-r", mods[n]))
			return fail("cannot unload %s", mods[n]);
	}
	return EXIT_OK;
}

int cmd_reset(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unload", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct state s;
	unsigned int n;
	int c, err, do_unload = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+uh", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			do_unload = 1;
			break;
		case 'h':
			fputs(reset_help, stdout);
			return EXIT_OK;
		default:
			return try_help("reset");
		}
	}
	if (optind < argc)
		return usage_error("reset", "unexpected argument '%s'", argv[optind]);
	if (!tree_loaded())
		return do_unload ? unload() : EXIT_OK;
	err = tree_read_state(&s);
	if (err)
		return fail("cannot read %s: %s", SYSFS_ROOT, strerror(err));
	for (n = 0; n < s.ninsts && !err; n++) {
		const struct inst_info *i = &s.insts[n];

		if (i->configfs)
			err = tree_rmdir(i->kind, i->name);
		else if (strcmp(i->fifo, "default"))
			err = tree_set(i->kind, i->name, "fifo", "default");
		if (err && err != ENOENT) {
			c = refused(i->kind, i->name, NULL, NULL, err);
			state_free(&s);
			return c;
		}
		err = 0;
	}
	for (n = 0; n < s.nfifos; n++) {
		const char *name = s.fifos[n].name;

		if (strcmp(name, "default")) {
			err = tree_rmdir(KIND_FIFO, name);
			if (err && err != ENOENT) {
				c = refused(KIND_FIFO, name, NULL, NULL, err);
				state_free(&s);
				return c;
			}
		}
	}
	state_free(&s);
	return do_unload ? unload() : EXIT_OK;
}
