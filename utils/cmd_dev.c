// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl send and recv: items through the device file /dev/pcfifo/NAME.
 * send writes lines (the default framing); recv switches its open file to
 * record framing, so that each read takes exactly one item and none is
 * taken that it does not print.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pcfifoctl.h"
#include "tree.h"

static const char send_help[] =
	"usage: pcfifoctl send [-t S] FIFO ITEM...\n\n"
	"Put each ITEM (1..64 bytes, no newline) into FIFO through its device\n"
	"file /dev/pcfifo/FIFO, in order. Waits while the FIFO is full. All\n"
	"items are checked before the first is put. Loads pcfifo if needed.\n\n"
	"  -t, --timeout S  give up after S seconds (items already put stay)\n"
	"  -h, --help       this help\n";

static const char recv_help[] =
	"usage: pcfifoctl recv [-n N] [-t S] FIFO\n\n"
	"Take N items (default 1) out of FIFO through its device file and print\n"
	"each on its own line. Waits while the FIFO is empty. Loads pcfifo if\n"
	"needed.\n\n"
	"  -n, --count N    items to take (default 1)\n"
	"  -t, --timeout S  give up after S seconds: exit status 1\n"
	"  -h, --help       this help\n";

/* Open the device file of FIFO (non-blocking: poll does the waiting). */
static int dev_open(const char *fifo, int flags)
{
	char path[128];
	int fd, err = check_name(fifo);

	if (err) {
		value_error(NULL, "fifo", fifo, err);
		return -1;
	}
	if (tree_ensure())
		return -1;
	if (!tree_exists(KIND_FIFO, fifo)) {
		refused(KIND_FIFO, fifo, NULL, NULL, ENOENT);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", DEV_ROOT, fifo);
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fail("%s: %s", path, strerror(errno));
	return fd;
}

/*
 * Wait until FD is ready for EVENTS or the deadline (0: none) passes.
 * 1 ready, 0 timed out, -1 error (printed).
 */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { fd, events, 0 };
	int ms = -1, n;

	if (deadline) {
		uint64_t now = now_ms();

		if (now >= deadline)
			return 0;
		ms = (int)(deadline - now);
	}
	n = poll(&p, 1, ms);
	if (n < 0 && errno != EINTR) {
		fail("poll: %s", strerror(errno));
		return -1;
	}
	return n != 0 || !deadline ? 1 : 0;
}

static int parse_timeout(const char *cmd, const char *arg, uint64_t *deadline)
{
	unsigned int ms;

	if (parse_seconds(arg, 86400000, &ms))
		return usage_error(cmd, "--timeout %s: not 0..86400 seconds", arg);
	*deadline = now_ms() + ms;
	return 0;
}

int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t deadline = 0;
	size_t len = 0, off = 0, sent = 0, nitems;
	char *buf;
	int c, i, fd, rc = EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_timeout("send", optarg, &deadline))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(send_help, stdout);
			return EXIT_OK;
		default:
			return try_help("send");
		}
	}
	if (argc - optind < 2)
		return usage_error("send", "missing %s", argc == optind ? "FIFO" : "ITEM");
	for (i = optind + 1; i < argc; i++) {
		int err = check_line_item(argv[i]);

		if (err) {
			value_error(NULL, "send item", argv[i], err);
			return EXIT_FAIL;
		}
		len += strlen(argv[i]) + 1;
	}
	nitems = (size_t)(argc - optind - 1);
	buf = malloc(len);
	if (!buf)
		return fail("out of memory");
	for (i = optind + 1; i < argc; i++) {
		size_t l = strlen(argv[i]);

		memcpy(buf + off, argv[i], l);
		buf[off + l] = '\n';
		off += l + 1;
	}
	fd = dev_open(argv[optind], O_WRONLY);
	if (fd < 0) {
		free(buf);
		return EXIT_FAIL;
	}
	/* Items go in whole: a short write ends after a newline. */
	for (off = 0; off < len && !rc;) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n > 0) {
			for (ssize_t j = 0; j < n; j++)
				sent += buf[off + (size_t)j] == '\n';
			off += (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			c = wait_fd(fd, POLLOUT, deadline);
			if (c < 0)
				rc = EXIT_FAIL;
			else if (!c)
				rc = fail("send: timed out, %zu of %zu items put into %s",
					  sent, nitems, argv[optind]);
		} else if (n < 0 && errno != EINTR) {
			rc = fail("send: %s/%s: %s (%zu of %zu items put)", DEV_ROOT,
				  argv[optind], strerror(errno), sent, nitems);
		}
	}
	free(buf);
	close(fd);
	return rc;
}

int cmd_recv(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t deadline = 0;
	unsigned int count = 1, got = 0;
	int c, fd, framing = PCFIFO_FRAMING_RECORDS, rc = EXIT_OK;
	char item[PCFIFO_ITEM_MAX + 1];

	optind = 0;
	while ((c = getopt_long(argc, argv, "n:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_uint(optarg, &count) || !count)
				return usage_error("recv", "--count %s: not a number from 1",
						   optarg);
			break;
		case 't':
			if (parse_timeout("recv", optarg, &deadline))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(recv_help, stdout);
			return EXIT_OK;
		default:
			return try_help("recv");
		}
	}
	if (argc - optind != 1)
		return usage_error("recv", argc == optind ? "missing FIFO" :
				   "unexpected argument after FIFO");
	fd = dev_open(argv[optind], O_RDONLY);
	if (fd < 0)
		return EXIT_FAIL;
	if (ioctl(fd, PCFIFO_IOC_SET_FRAMING, &framing)) {
		close(fd);
		return fail("%s/%s: record framing: %s", DEV_ROOT, argv[optind],
			    strerror(errno));
	}
	while (got < count && !rc) {
		ssize_t n = read(fd, item, PCFIFO_ITEM_MAX);

		if (n > 0) {
			fwrite(item, 1, (size_t)n, stdout);
			putchar('\n');
			fflush(stdout);
			got++;
		} else if (n < 0 && errno == EAGAIN) {
			c = wait_fd(fd, POLLIN, deadline);
			if (c < 0)
				rc = EXIT_FAIL;
			else if (!c)
				rc = fail("recv: timed out, %u of %u items taken from %s",
					  got, count, argv[optind]);
		} else if (n < 0 && errno != EINTR) {
			rc = fail("recv: %s/%s: %s", DEV_ROOT, argv[optind], strerror(errno));
		}
	}
	close(fd);
	return rc;
}
