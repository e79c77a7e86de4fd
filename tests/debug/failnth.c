// SPDX-License-Identifier: GPL-2.0
/*
 * failnth - make the N-th fault-injection point of one system call fail.
 *
 * The debug lane's fault-injection walks (tests/guest/faults.sh) run this in
 * the guest; tests/debug/run.sh builds it statically on the host and adds it
 * to the initramfs as /pcfifo/debug/bin/failnth.
 *
 *   failnth N mkdir PATH
 *   failnth N rmdir PATH
 *   failnth N write PATH VALUE
 *   failnth N load MODULE.ko [PARAMS]     finit_module(2)
 *   failnth N unload MODULE               delete_module(2), O_NONBLOCK
 *   failnth 0 hammer PATH VALUE STOPFILE  no injection: see below
 *
 * Everything the call needs (the module file, the attribute) is opened
 * first; then N is written to /proc/thread-self/fail-nth, the one system
 * call runs, and fail-nth is read back and reset. So the N-th allocation
 * (failslab, and fail_page_alloc where enabled) inside that call fails, and
 * nothing else in this process is affected. N = 0 injects nothing.
 *
 * Prints one line, "RESULT INJECTED INMOD POINTS SITE":
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
 * Exit status 0; 2 on a usage or setup error.
 *
 * hammer writes VALUE to PATH in a tight loop until STOPFILE exists: open,
 * then write after write on that descriptor until one fails, close, and
 * again (an attribute that appears only for a moment gets written as soon
 * as it is there). For another process's fail-nth walk over the creation
 * of what PATH belongs to. Prints "OPENS WRITES ENODEV": the opens that
 * found PATH, the writes accepted, and the writes refused with ENODEV
 * (the attribute was removed while open: the object went away).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What the kernel's report of the injected failure (the kernel log records
 * written since @fd was opened and moved to the end) shows. */
#define REPORT_MODULE	0x1	/* a frame of a pcfifo module */
#define REPORT_INITCALL	0x2	/* do_one_initcall: a module's init */
#define REPORT_INITMOD	0x4	/* do_init_module: around that init */
#define REPORT_LIVE	0x8	/* its uevent or notifiers: after the init */

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
		"               load MODULE.ko [PARAMS] | unload MODULE\n"
		"       failnth 0 hammer PATH VALUE STOPFILE\n");
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
		fd = open(path, O_WRONLY | O_CLOEXEC);
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

int main(int argc, char **argv)
{
	char nbuf[32], rbuf[32];
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
		   strcmp(argv[2], "unload")) {
		usage();
	}
	if (argc != 4 && strcmp(argv[2], "write") && strcmp(argv[2], "load"))
		usage();

	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0)
		setup_fail("/proc/thread-self/fail-nth");
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	len = snprintf(nbuf, sizeof(nbuf), "%lu", n);

	/* Nothing between arming and the call may allocate. */
	if (write(nth, nbuf, len) != len)
		setup_fail("arming fail-nth");
	if (!strcmp(argv[2], "mkdir"))
		ret = mkdir(argv[3], 0755);
	else if (!strcmp(argv[2], "rmdir"))
		ret = rmdir(argv[3]);
	else if (!strcmp(argv[2], "write"))
		ret = write(fd, argv[4], strlen(argv[4]));
	else if (!strcmp(argv[2], "load"))
		ret = syscall(SYS_finit_module, fd, argc == 5 ? argv[4] : "", 0);
	else
		ret = syscall(SYS_delete_module, argv[3], O_NONBLOCK);
	if (ret < 0)
		err = errno;

	len = pread(nth, rbuf, sizeof(rbuf) - 1, 0);
	if (len <= 0)
		setup_fail("reading fail-nth");
	rbuf[len] = '\0';
	remaining = strtoul(rbuf, NULL, 10);
	injected = n && remaining == 0;
	if (write(nth, "0", 1) != 1)
		setup_fail("disarming fail-nth");
	if (injected) {
		report = kmsg_report(kmsg);
		if (!strcmp(argv[2], "load"))
			site = load_site(report);
	}

	printf("%s %d %d %lu %s\n", err ? errname(err) : "0", injected,
	       !!(report & REPORT_MODULE), n ? n - remaining : 0, site);
	return 0;
}
