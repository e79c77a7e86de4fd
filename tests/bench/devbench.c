// SPDX-License-Identifier: GPL-2.0
/*
 * devbench: items/s through a pcfifo device file or a pipe, for pcfifo's
 * benchmark (tests/bench/guest.sh, part "dev").
 *
 *   devbench pipe ITEMS [LEN [BUF]]
 *   devbench dev PATH ITEMS [LEN [BUF]]
 *
 * One writer process and one reader process move ITEMS items of LEN bytes
 * (1..64, default 15) framed as lines (each followed by '\n', the device
 * file's default framing): the writer write(2)s BUF bytes (default 4096)
 * of whole lines at a time, the reader read(2)s into a buffer of BUF bytes
 * and counts the newlines until it has seen ITEMS of them. Both modes run
 * exactly this code; only the file differs: a pipe(2), or PATH opened
 * write-only by the writer and read-only by the reader.
 *
 * The clock runs from the writer's first write to the reader's last read
 * (CLOCK_MONOTONIC). Prints "ITEMS NS" and exits 0, or a message and 1 if
 * anything failed or the bytes read were not ITEMS lines of LEN bytes.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ITEM_MAX	64	/* PCFIFO_ITEM_MAX */

static void die(const char *what)
{
	fprintf(stderr, "devbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned long parse(const char *s, unsigned long lo, unsigned long hi,
			   const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "devbench: %s: %lu..%lu\n", what, lo, hi);
		exit(2);
	}
	return v;
}

/* Write @items lines of @len bytes, @buf bytes of whole lines at a time. */
static void writer(int fd, unsigned long items, size_t len, size_t bufsz,
		   uint64_t *t0)
{
	size_t per = bufsz / (len + 1), i, n, off;
	char *buf = malloc(bufsz);
	ssize_t w;

	if (!buf)
		die("malloc");
	/* Printable and varied, as real lines are. */
	for (i = 0; i < per; i++) {
		memset(buf + i * (len + 1), 'a' + i % 26, len);
		buf[i * (len + 1) + len] = '\n';
	}
	*t0 = now_ns();
	while (items) {
		n = items < per ? items : per;
		for (off = 0; off < n * (len + 1); off += w) {
			w = write(fd, buf + off, n * (len + 1) - off);
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w <= 0)
				die("write");
		}
		items -= n;
	}
	free(buf);
}

/* Read until @items newlines were seen; return the bytes read. */
static unsigned long long reader(int fd, unsigned long items, size_t bufsz)
{
	unsigned long long bytes = 0;
	unsigned long seen = 0;
	char *buf = malloc(bufsz), *p, *end;
	ssize_t r;

	if (!buf)
		die("malloc");
	while (seen < items) {
		r = read(fd, buf, bufsz);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (!r) {
			fprintf(stderr, "devbench: end of file after %lu items\n",
				seen);
			exit(1);
		}
		bytes += r;
		for (p = buf, end = buf + r;
		     (p = memchr(p, '\n', end - p)); p++)
			seen++;
	}
	free(buf);
	return bytes;
}

int main(int argc, char **argv)
{
	unsigned long long bytes;
	unsigned long items;
	size_t len = 15, bufsz = 4096;
	const char *path = NULL;
	int pfd[2], rfd, wfd, status, a = 2;
	uint64_t *t0, t1;
	pid_t pid;

	if (argc >= 3 && !strcmp(argv[1], "dev") && argc >= 4)
		path = argv[a++];
	else if (argc < 3 || strcmp(argv[1], "pipe"))
		goto usage;
	items = parse(argv[a++], 1, 1000000000, "ITEMS");
	if (a < argc)
		len = parse(argv[a++], 1, ITEM_MAX, "LEN");
	if (a < argc)
		bufsz = parse(argv[a++], ITEM_MAX + 1, 1 << 20, "BUF");
	if (a < argc)
		goto usage;

	t0 = mmap(NULL, sizeof(*t0), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t0 == MAP_FAILED)
		die("mmap");
	if (!path && pipe(pfd))
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		if (path) {
			wfd = open(path, O_WRONLY);
			if (wfd < 0)
				die(path);
		} else {
			close(pfd[0]);
			wfd = pfd[1];
		}
		writer(wfd, items, len, bufsz, t0);
		_exit(close(wfd) ? 1 : 0);
	}
	if (path) {
		rfd = open(path, O_RDONLY);
		if (rfd < 0)
			die(path);
	} else {
		close(pfd[1]);
		rfd = pfd[0];
	}
	bytes = reader(rfd, items, bufsz);
	t1 = now_ns();
	close(rfd);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "devbench: the writer failed\n");
		return 1;
	}
	if (bytes != (unsigned long long)items * (len + 1)) {
		fprintf(stderr, "devbench: read %llu bytes, not %llu\n", bytes,
			(unsigned long long)items * (len + 1));
		return 1;
	}
	printf("%lu %" PRIu64 "\n", items, t1 - *t0);
	return 0;

usage:
	fprintf(stderr, "usage: devbench pipe ITEMS [LEN [BUF]]\n"
		"       devbench dev PATH ITEMS [LEN [BUF]]\n");
	return 2;
}
