// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl save and restore: the configuration as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "pcfifoctl.h"
#include "tree.h"

#define CONFIG_MAX (16 << 20)	/* bytes of a file restore reads */

static const char save_help[] =
	"usage: pcfifoctl save [FILE]\n\n"
	"Write the configuration (FIFOs with capacities; producers and consumers\n"
	"with FIFO, rate and item) as JSON to FILE (replaced at once, never half\n"
	"written) or to standard output. pcfifoctl(8) describes the format.\n\n"
	"  -h, --help  this help\n";

static const char restore_help[] =
	"usage: pcfifoctl restore [--clear] [FILE]\n\n"
	"Make the tree match a configuration that save wrote (FILE, or standard\n"
	"input): create the missing FIFOs, then the missing instances, and set\n"
	"the values that differ, printing one line per change. What the file\n"
	"does not name stays, unless --clear. The whole file is checked before\n"
	"the first change. Loads pcfifo if needed.\n\n"
	"  -c, --clear  also remove the instances and FIFOs the file does not name\n"
	"  -h, --help   this help\n";

int cmd_save(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct json_object *j;
	const char *file = NULL, *text;
	char tmp[4096];
	struct state s;
	FILE *out = stdout;
	int c, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'h')
			return try_help("save");
		fputs(save_help, stdout);
		return EXIT_OK;
	}
	if (argc - optind > 1)
		return usage_error("save", "unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc && strcmp(argv[optind], "-"))
		file = argv[optind];
	if (need_loaded())
		return EXIT_FAIL;
	err = tree_read_state(&s);
	if (err)
		return fail("cannot read %s: %s", SYSFS_ROOT, strerror(err));
	j = config_to_json(&s);
	state_free(&s);
	text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (file) {
		int fd;

		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file);
		fd = mkstemp(tmp);
		out = fd < 0 ? NULL : fdopen(fd, "w");
		if (!out) {
			json_object_put(j);
			return fail("%s: %s", file, strerror(errno));
		}
	}
	fprintf(out, "%s\n", text);
	json_object_put(j);
	if (fflush(out) || (file && fsync(fileno(out)))) {
		err = errno;
		if (file) {
			fclose(out);
			unlink(tmp);
		}
		return fail("%s: %s", file ? file : "standard output", strerror(err));
	}
	if (file) {
		/* mkstemp makes 0600; a configuration is no secret. */
		if (fchmod(fileno(out), 0644) || fclose(out) || rename(tmp, file)) {
			err = errno;
			unlink(tmp);
			return fail("%s: %s", file, strerror(err));
		}
	}
	return EXIT_OK;
}

/* The whole of FILE (or standard input) as a string; NULL and a message. */
static char *read_all(const char *file)
{
	FILE *in = file ? fopen(file, "r") : stdin;
	char *buf = NULL, *nb;
	size_t len = 0, size = 0, n;

	if (!in) {
		fail("%s: %s", file, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > size) {
			size = size ? 2 * size : 8192;
			nb = size <= CONFIG_MAX ? realloc(buf, size) : NULL;
			if (!nb) {
				fail("%s: too big", file ? file : "standard input");
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, in);
		len += n;
	} while (n);
	if (buf && ferror(in)) {
		fail("%s: %s", file ? file : "standard input", strerror(errno));
		free(buf);
		buf = NULL;
	}
	if (buf) {
		buf[len] = '\0';
		if (strlen(buf) != len) {
			fail("%s: holds a NUL byte, not JSON", file ? file : "standard input");
			free(buf);
			buf = NULL;
		}
	}
	if (file)
		fclose(in);
	return buf;
}

/* Carry out one step; prints the change it made, or why it failed. */
static int apply(const struct action *a)
{
	char now[PCFIFO_ITEM_MAX + 2], shown[4 * PCFIFO_ITEM_MAX + 1];
	int err;

	switch (a->op) {
	case ACT_CREATE:
		err = tree_mkdir(a->kind, a->name);
		if (err)
			return refused(a->kind, a->name, NULL, NULL, err);
		printf("created %s %s\n", kind_name(a->kind), a->name);
		break;
	case ACT_SET:
		/* A new object's defaults may already be right. */
		if (!tree_get(a->kind, a->name, a->key, now, sizeof(now)) &&
		    !strcmp(now, a->value))
			break;
		err = tree_set(a->kind, a->name, a->key, a->value);
		if (err)
			return refused(a->kind, a->name, a->key, a->value, err);
		escape_value(shown, sizeof(shown), a->value);
		printf("set %s %s %s %s\n", kind_name(a->kind), a->name, a->key, shown);
		break;
	case ACT_REMOVE:
		err = tree_rmdir(a->kind, a->name);
		if (err)
			return refused(a->kind, a->name, NULL, NULL, err);
		printf("removed %s %s\n", kind_name(a->kind), a->name);
		break;
	}
	fflush(stdout);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "clear", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *file = NULL;
	struct state want, have;
	struct action *acts;
	unsigned int n, nacts;
	char err[512], *text;
	int c, rc, clear = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ch", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			clear = 1;
			break;
		case 'h':
			fputs(restore_help, stdout);
			return EXIT_OK;
		default:
			return try_help("restore");
		}
	}
	if (argc - optind > 1)
		return usage_error("restore", "unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc && strcmp(argv[optind], "-"))
		file = argv[optind];
	text = read_all(file);
	if (!text)
		return EXIT_FAIL;
	rc = config_from_json(text, &want, err, sizeof(err));
	free(text);
	if (rc)
		return fail("%s: %s", file ? file : "standard input", err);
	rc = tree_ensure();
	if (!rc) {
		c = tree_read_state(&have);
		if (c)
			rc = fail("cannot read %s: %s", SYSFS_ROOT, strerror(c));
	}
	if (rc) {
		state_free(&want);
		return rc;
	}
	rc = config_plan(&want, &have, clear, &acts, &nacts, err, sizeof(err));
	state_free(&want);
	state_free(&have);
	if (rc)
		return fail("%s: %s", file ? file : "standard input", err);
	for (n = 0; n < nacts && !rc; n++)
		rc = apply(&acts[n]);
	free(acts);
	return rc;
}
