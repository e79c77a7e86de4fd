// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: configure and watch pcfifo, bounded FIFOs in the kernel that
 * producers fill and consumers drain. See pcfifoctl(8).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../src/version.h"
#include "pcfifoctl.h"
#include "tree.h"
#include "values.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *summary;
} commands[] = {
	{ "status", cmd_status, "[-j] [--interval S]",
	  "FIFOs and instances, counters and achieved rates" },
	{ "top", cmd_top, "[-n N] [--delay S]", "a live view, refreshed every second" },
	{ "add", cmd_add, "KIND NAME [OPTION...]", "create a FIFO, producer or consumer" },
	{ "set", cmd_set, "KIND NAME KEY=VALUE...", "change values" },
	{ "del", cmd_del, "KIND NAME...", "remove FIFOs, producers or consumers" },
	{ "reset", cmd_reset, "[--unload]", "remove every instance and FIFO" },
	{ "save", cmd_save, "[FILE]", "write the configuration as JSON" },
	{ "restore", cmd_restore, "[--clear] [FILE]", "make the tree match a saved configuration" },
	{ "send", cmd_send, "FIFO ITEM...", "put items into a FIFO (its device file)" },
	{ "recv", cmd_recv, "FIFO [-n N] [--timeout S]", "take items out of a FIFO" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t n;

	fprintf(out, "usage: pcfifoctl [-j] [COMMAND [ARG...]]\n"
		"       pcfifoctl COMMAND --help\n\n"
		"Configure and watch pcfifo's FIFOs, producers and consumers.\n"
		"Without a command: status. KIND is fifo, producer or consumer.\n\n"
		"Commands:\n");
	for (n = 0; n < NCOMMANDS; n++)
		fprintf(out, "  %-8s %-26s %s\n", commands[n].name, commands[n].args,
			commands[n].summary);
	fprintf(out, "\nOptions:\n"
		"  -j, --json     status as JSON\n"
		"  -h, --help     this help\n"
		"  -V, --version  the version\n\n"
		"Exit status: 0 success, 1 failure, 2 bad usage. See pcfifoctl(8).\n");
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pcfifoctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pcfifoctl %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("pcfifoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int refused(enum kind k, const char *name, const char *key, const char *value,
	    int err)
{
	char prefix[128];

	if (err == EACCES)
		return fail("%s %s: permission denied (run as root)", kind_name(k), name);
	if (!key)
		return fail("%s %s: %s", kind_name(k), name, errno_words(err));
	snprintf(prefix, sizeof(prefix), "%s %s", kind_name(k), name);
	value_error(prefix, key, value, err);
	return EXIT_FAIL;
}

int need_loaded(void)
{
	if (tree_loaded())
		return 0;
	return fail("pcfifo is not loaded (%s is missing; modprobe pcfifo)", SYSFS_ROOT);
}

int try_help(const char *cmd)
{
	fprintf(stderr, "Try 'pcfifoctl %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static char name[32];
	size_t n;

	if (argc < 2)
		return cmd_status(1, (char *[]){ "status", NULL });
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("pcfifoctl %s\n", PCFIFO_VERSION);
		return EXIT_OK;
	}
	if (argv[1][0] == '-') {
		/* pcfifoctl -j ...: options of status */
		argv[0] = "pcfifoctl";
		return cmd_status(argc, argv);
	}
	for (n = 0; n < NCOMMANDS; n++) {
		if (strcmp(argv[1], commands[n].name))
			continue;
		/* getopt's own messages then read "pcfifoctl CMD: ...". */
		snprintf(name, sizeof(name), "pcfifoctl %s", commands[n].name);
		argv[1] = name;
		return commands[n].run(argc - 1, argv + 1);
	}
	return usage_error(NULL, "unknown command '%s'", argv[1]);
}
