// SPDX-License-Identifier: GPL-2.0
/*
 * failnth - make the N-th fault-injection point of one system call fail.
 *
 * The debug lane's fault-injection walks (tests/debug/guest/faults.sh) run this in
 * the guest; tests/debug/run.sh builds it statically on the host and adds it
 * to the initramfs as /pcfifo/debug/bin/failnth.
 *
 *   failnth N mkdir PATH
 *   failnth N rmdir PATH
 *   failnth N write PATH VALUE
 *   failnth N open PATH                   open(2) O_RDWR, then close
 *   failnth N load MODULE.ko [PARAMS]     finit_module(2)
 *   failnth N unload MODULE               delete_module(2), O_NONBLOCK
 *   failnth 0 hammer PATH VALUE STOPFILE  no injection: see below
 *   failnth 0 ioctl PATH CMD ARG [CMD ARG]...   no injection: see below
 *
 * Everything the call needs (the module file, the attribute) is opened
 * first; then N is written to /proc/thread-self/fail-nth, the one system
 * call runs, and fail-nth is read back and reset. So the N-th allocation
 * (failslab, and fail_page_alloc where enabled) inside that call fails, and
 * nothing else in this process is affected. N = 0 injects nothing, and
 * then needs no fail-nth: the KCSAN kernel has no fault injection, and
 * the stress run makes its calls through here for the errno.
 *
 * Prints one line, "RESULT INJECTED INMOD POINTS SITE DEVNODE USECS":
 *   RESULT    0 or the errno's name (ENOMEM, ...)
 *   INJECTED  1 if the N-th point was reached and failed, 0 if the call
 *             passed fewer than N points
 *   INMOD     1 if the kernel's report of the injected failure (failslab's
 *             or fail_page_alloc's "verbose" set to 2) has a frame of a
 *             pcfifo module, "[pcfifo...]": the failing allocation was made
 *             by pcfifo's code or on its behalf
 *   POINTS    the fault-injection points the call passed (N if injected):
 *             run with a large N to count them
 *   SITE      for load, where in finit_module(2) the injected failure was,
 *             from the same report: "init" inside the module's init
 *             function, "post" after it (the uevent and notifiers of
 *             do_init_module), "pre" before it (the module loader); "-"
 *             for the other calls, or when nothing was injected
 *   DEVNODE   1 if the injected failure was the allocation of a /dev
 *             node's name for devtmpfs (device_get_devnode()), whose
 *             failure device_add() ignores: the device is made, its node
 *             in /dev is not; else 0
 * Exit status 0; 2 on a usage or setup error.
 *
 * hammer writes VALUE to PATH in a tight loop until STOPFILE exists: open,
 * then write after write on that descriptor until one fails, close, and
 * again (an attribute that appears only for a moment gets written as soon
 * as it is there). For another process's fail-nth walk over the creation
 * of what PATH belongs to. Prints "OPENS WRITES ENODEV": the opens that
 * found PATH, the writes accepted, and the writes refused with ENODEV
 * (the attribute was removed while open: the object went away). It opens
 * PATH with O_NONBLOCK: a device file that fills up fails the write
 * (EAGAIN) instead of blocking.
 *
 * ioctl opens PATH (a device file, O_RDWR) and makes one ioctl(2) per CMD
 * ARG pair on that descriptor, in order: CMD "set" or "get"
 * (PCFIFO_IOC_SET_FRAMING, PCFIFO_IOC_GET_FRAMING of <linux/pcfifo.h>) or
 * a number (any other request), ARG an int (decimal, 0x hex) whose
 * address is passed, or "null" for a NULL pointer. Prints one line: each
 * call's result, 0 or the errno's name ("get": the framing read, or the
 * errno's name), then the framing PCFIFO_IOC_GET_FRAMING reads at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../../src/uapi/pcfifo.h"

/* What the kernel's report of the injected failure (the kernel log records
 * written since @fd was opened and moved to the end) shows. */
#define REPORT_MODULE	0x1	/* a frame of a pcfifo module */
#define REPORT_INITCALL	0x2	/* do_one_initcall: a module's init */
#define REPORT_INITMOD	0x4	/* do_init_module: around that init */
#define REPORT_LIVE	0x8	/* its uevent or notifiers: after the init */
#define REPORT_DEVNODE	0x10	/* the name of a /dev node (devtmpfs) */

static int kmsg_report(int fd)
{
	static const struct {
		const char *frame;
		int flag;
	} frames[] = {
		{ "[pcfifo", REPORT_MODULE },
		{ " do_one_initcall+", REPORT_INITCALL },
		{ " do_init_module+", REPORT_INITMOD },
		{ " kobject_uevent", REPORT_LIVE },
		{ " blocking_notifier_call_chain", REPORT_LIVE },
		{ " device_get_devnode", REPORT_DEVNODE },
	};
	char rec[8192];
	ssize_t len;
	size_t i;
	int found = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
			if (strstr(rec, frames[i].frame))
				found |= frames[i].flag;
	}
	return found;
}

static const char *load_site(int report)
{
	if (report & REPORT_INITCALL)
		return "init";
	if ((report & REPORT_INITMOD) && (report & REPORT_LIVE))
		return "post";
	return "pre";
}

static void usage(void)
{
	fprintf(stderr,
		"usage: failnth N mkdir|rmdir PATH | write PATH VALUE |\n"
		"               load MODULE.ko [PARAMS] | unload MODULE | open PATH\n"
		"       failnth 0 hammer PATH VALUE STOPFILE\n"
		"       failnth 0 ioctl PATH set|get|NUMBER INT|null...\n");
	exit(2);
}

static void setup_fail(const char *what)
{
	fprintf(stderr, "failnth: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int hammer(const char *path, const char *value, const char *stop)
{
	unsigned long opens = 0, writes = 0, gone = 0, i = 0;
	size_t len = strlen(value);
	int fd;

	/* The stop file is looked at every 256 system calls only. */
	while ((i++ & 255) || access(stop, F_OK)) {
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		opens++;
		while ((i++ & 255) || access(stop, F_OK)) {
			if (write(fd, value, len) != (ssize_t)len) {
				if (errno == ENODEV)
					gone++;
				break;
			}
			writes++;
		}
		close(fd);
	}
	printf("%lu %lu %lu\n", opens, writes, gone);
	return 0;
}

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);
	static char buf[32];

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int do_ioctls(const char *path, int argc, char **argv)
{
	unsigned long cmd;
	int fd, i, val;
	char *end;
	long ret;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		setup_fail(path);
	for (i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "set"))
			cmd = PCFIFO_IOC_SET_FRAMING;
		else if (!strcmp(argv[i], "get"))
			cmd = PCFIFO_IOC_GET_FRAMING;
		else
			cmd = strtoul(argv[i], &end, 0);
		val = (int)strtoll(argv[i + 1], &end, 0);
		ret = ioctl(fd, cmd, strcmp(argv[i + 1], "null") ? &val : NULL);
		if (ret < 0)
			printf("%s ", errname(errno));
		else if (cmd == PCFIFO_IOC_GET_FRAMING)
			printf("%d ", val);
		else
			printf("%ld ", ret);
	}
	if (ioctl(fd, PCFIFO_IOC_GET_FRAMING, &val) < 0)
		printf("%s\n", errname(errno));
	else
		printf("%d\n", val);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char nbuf[32], rbuf[32];
	struct timespec t0, t1;
	unsigned long n, remaining;
	int nth, kmsg, fd = -1, err = 0, injected = 0, report = 0;
	const char *site = "-";
	ssize_t len;
	long ret;
	char *end;

	if (argc < 4)
		usage();
	n = strtoul(argv[1], &end, 10);
	if (*end || n > 1000000)
		usage();
	if (!strcmp(argv[2], "hammer")) {
		if (argc != 6 || n)
			usage();
		return hammer(argv[3], argv[4], argv[5]);
	}
	if (!strcmp(argv[2], "ioctl")) {
		if (argc < 6 || argc % 2 || n)
			usage();
		return do_ioctls(argv[3], argc - 4, argv + 4);
	}

	if (!strcmp(argv[2], "write")) {
		if (argc != 5)
			usage();
		fd = open(argv[3], O_WRONLY);
		if (fd < 0)
			setup_fail(argv[3]);
	} else if (!strcmp(argv[2], "load")) {
		if (argc > 5)
			usage();
		fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			setup_fail(argv[3]);
	} else if (strcmp(argv[2], "mkdir") && strcmp(argv[2], "rmdir") &&
		   strcmp(argv[2], "unload") && strcmp(argv[2], "open")) {
		usage();
	}
	if (argc != 4 && strcmp(argv[2], "write") && strcmp(argv[2], "load"))
		usage();

	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0 && !(n == 0 && errno == ENOENT))
		setup_fail("/proc/thread-self/fail-nth");
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	len = snprintf(nbuf, sizeof(nbuf), "%lu", n);

	/* Nothing between arming and the call may allocate. */
	if (nth >= 0 && write(nth, nbuf, len) != len)
		setup_fail("arming fail-nth");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(argv[2], "mkdir"))
		ret = mkdir(argv[3], 0755);
	else if (!strcmp(argv[2], "rmdir"))
		ret = rmdir(argv[3]);
	else if (!strcmp(argv[2], "write"))
		ret = write(fd, argv[4], strlen(argv[4]));
	else if (!strcmp(argv[2], "load"))
		ret = syscall(SYS_finit_module, fd, argc == 5 ? argv[4] : "", 0);
	else if (!strcmp(argv[2], "open"))
		ret = fd = open(argv[3], O_RDWR | O_CLOEXEC);
	else
		ret = syscall(SYS_delete_module, argv[3], O_NONBLOCK);
	if (ret < 0)
		err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);

	if (nth >= 0) {
		len = pread(nth, rbuf, sizeof(rbuf) - 1, 0);
		if (len <= 0)
			setup_fail("reading fail-nth");
		rbuf[len] = '\0';
		remaining = strtoul(rbuf, NULL, 10);
		if (write(nth, "0", 1) != 1)
			setup_fail("disarming fail-nth");
	} else {
		remaining = 0;
	}
	injected = n && remaining == 0;
	if (!strcmp(argv[2], "open") && fd >= 0)
		close(fd);
	if (injected) {
		report = kmsg_report(kmsg);
		if (!strcmp(argv[2], "load"))
			site = load_site(report);
	}

	printf("%s %d %d %lu %s %d %lld\n", err ? errname(err) : "0", injected,
	       !!(report & REPORT_MODULE), n ? n - remaining : 0, site,
	       !!(report & REPORT_DEVNODE),
	       (t1.tv_sec - t0.tv_sec) * 1000000LL +
	       (t1.tv_nsec - t0.tv_nsec) / 1000);
	return 0;
}
