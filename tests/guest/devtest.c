// SPDX-License-Identifier: GPL-2.0
/*
 * devtest - one open file of a FIFO's device, for tests/guest/t67-dev.sh.
 *
 * usage: devtest DEV OP...
 *
 * Opens DEV (/dev/pcfifo/NAME) read-write once and runs the OPs in order
 * on that open file. Each OP with a result prints one word; the words are
 * separated by blanks and end with a newline. A failed call prints its
 * errno's name (EAGAIN, EINVAL, ...). Data is shown escaped: printable
 * ASCII as is but for '\', ',' and ' ', "\n" for a newline, "\xHH" else.
 *
 *   nb, bl           set, clear O_NONBLOCK (no word)
 *   set:N            ioctl PCFIFO_IOC_SET_FRAMING with N: 0 or errno
 *   get              ioctl PCFIFO_IOC_GET_FRAMING: the framing or errno
 *   badioctl         an ioctl pcfifo does not know: its result or errno
 *   w:TEXT           write(2) the bytes of TEXT, in which \n, \\, \0 and
 *                    \xHH are escapes: the return value or errno
 *   r:N              read(2) with a buffer of N bytes: "=" and the data
 *                    read, or errno
 *   take:N           N reads of PCFIFO_ITEM_MAX + 1 bytes: the data of
 *                    each, joined by ","; stops at an error, then ",errno"
 *   poll, select, epoll
 *                    readiness now (timeout 0): "IN", "RDNORM", "OUT",
 *                    "WRNORM" (select: "IN", "OUT"), ... joined by "|",
 *                    or "0" for none
 *   pollw, selectw, epollw
 *                    the same, waiting (up to 20 s) until readable
 *
 * SIGUSR1 interrupts a blocked call (its handler has no SA_RESTART): the
 * call prints EINTR, or what it did before. The process ends itself after
 * 30 s (SIGALRM), so that a test cannot hang on it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include <linux/pcfifo.h>

#define WAIT_MS 20000

static const char *sep = "";

static void word(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void word(const char *fmt, ...)
{
	va_list ap;

	fputs(sep, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	sep = " ";
}

static const char *err_name(int e)
{
	static char buf[16];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* The bytes of @s with escapes into @buf; returns their number. */
static size_t unescape(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int x;

	while (*s && n < size) {
		if (*s != '\\') {
			buf[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			buf[n++] = '\n';
			s++;
			break;
		case '0':
			buf[n++] = '\0';
			s++;
			break;
		case 'x':
			if (sscanf(s + 1, "%2x", &x) != 1) {
				fprintf(stderr, "devtest: bad \\x escape\n");
				exit(2);
			}
			buf[n++] = (char)x;
			s += 3;
			break;
		case '\0':
			buf[n++] = '\\';
			break;
		default:
			buf[n++] = *s++;
			break;
		}
	}
	return n;
}

/* @len bytes of @p, escaped, to stdout. */
static void put_escaped(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			fputs("\\n", stdout);
		else if (p[i] > ' ' && p[i] < 0x7f && p[i] != '\\' &&
			 p[i] != ',')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
}

static void ssize_word(ssize_t r)
{
	if (r < 0)
		word("%s", err_name(errno));
	else
		word("%zd", r);
}

static void mask_word(unsigned int m, int is_epoll)
{
	static const struct {
		unsigned int poll, epoll;
		const char *name;
	} bits[] = {
		{ POLLIN, EPOLLIN, "IN" },
		{ POLLRDNORM, EPOLLRDNORM, "RDNORM" },
		{ POLLOUT, EPOLLOUT, "OUT" },
		{ POLLWRNORM, EPOLLWRNORM, "WRNORM" },
		{ POLLPRI, EPOLLPRI, "PRI" },
		{ POLLERR, EPOLLERR, "ERR" },
		{ POLLHUP, EPOLLHUP, "HUP" },
		{ POLLRDHUP, EPOLLRDHUP, "RDHUP" },
	};
	char buf[64] = "";
	size_t i;
	unsigned int b;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		b = is_epoll ? bits[i].epoll : bits[i].poll;
		if (!(m & b))
			continue;
		m &= ~b;
		if (buf[0])
			strcat(buf, "|");
		strcat(buf, bits[i].name);
	}
	if (m)
		word("%s%s0x%x", buf, buf[0] ? "|" : "", m);
	else
		word("%s", buf[0] ? buf : "0");
}

static void do_poll(int fd, int wait)
{
	struct pollfd p = {
		.fd = fd,
		.events = wait ? POLLIN : POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM,
	};
	int r = poll(&p, 1, wait ? WAIT_MS : 0);

	if (r < 0)
		word("%s", err_name(errno));
	else
		mask_word(r ? (unsigned int)p.revents : 0, 0);
}

static void do_select(int fd, int wait)
{
	struct timeval tv = { .tv_sec = wait ? WAIT_MS / 1000 : 0 };
	fd_set rd, wr;
	int r;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	if (!wait)
		FD_SET(fd, &wr);
	r = select(fd + 1, &rd, &wr, NULL, &tv);
	if (r < 0)
		word("%s", err_name(errno));
	else
		mask_word((FD_ISSET(fd, &rd) ? POLLIN : 0) |
			  (FD_ISSET(fd, &wr) ? POLLOUT : 0), 0);
}

static void do_epoll(int fd, int wait)
{
	struct epoll_event ev = {
		.events = wait ? EPOLLIN :
			EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM,
	};
	int ep = epoll_create1(EPOLL_CLOEXEC), r;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		word("%s", err_name(errno));
	} else {
		r = epoll_wait(ep, &ev, 1, wait ? WAIT_MS : 0);
		if (r < 0)
			word("%s", err_name(errno));
		else
			mask_word(r ? ev.events : 0, 1);
	}
	if (ep >= 0)
		close(ep);
}

static void do_take(int fd, long n)
{
	unsigned char buf[PCFIFO_ITEM_MAX + 1];
	ssize_t r;
	long i;

	fputs(sep, stdout);
	sep = " ";
	for (i = 0; i < n; i++) {
		r = read(fd, buf, sizeof(buf));
		if (i)
			putchar(',');
		if (r < 0) {
			fputs(err_name(errno), stdout);
			break;
		}
		put_escaped(buf, r);
	}
	fflush(stdout);
}

static void on_signal(int sig)
{
	(void)sig;
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (!*s || *end) {
		fprintf(stderr, "devtest: not a number: '%s'\n", s);
		exit(2);
	}
	return v;
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK :
					  fl & ~O_NONBLOCK)) {
		perror("devtest: fcntl");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static char buf[65536];
	const char *op;
	ssize_t r;
	size_t len;
	int fd, i, v;

	if (argc < 2) {
		fprintf(stderr, "usage: devtest DEV OP...\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: EINTR */
	if (sigaction(SIGUSR1, &sa, NULL)) {
		perror("devtest: sigaction");
		return 1;
	}
	alarm(30);
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		word("open:%s", err_name(errno));
		putchar('\n');
		return 1;
	}
	for (i = 2; i < argc; i++) {
		op = argv[i];
		if (!strcmp(op, "nb") || !strcmp(op, "bl")) {
			set_nonblock(fd, op[0] == 'n');
		} else if (!strncmp(op, "set:", 4)) {
			v = (int)num(op + 4);
			ssize_word(ioctl(fd, PCFIFO_IOC_SET_FRAMING, &v));
		} else if (!strcmp(op, "get")) {
			v = -1;
			if (ioctl(fd, PCFIFO_IOC_GET_FRAMING, &v))
				word("%s", err_name(errno));
			else
				word("%d", v);
		} else if (!strcmp(op, "badioctl")) {
			v = 0;
			ssize_word(ioctl(fd, _IOW(PCFIFO_IOC_MAGIC, 99, int),
					 &v));
		} else if (!strncmp(op, "w:", 2)) {
			len = unescape(op + 2, buf, sizeof(buf));
			ssize_word(write(fd, buf, len));
		} else if (!strncmp(op, "r:", 2)) {
			len = (size_t)num(op + 2);
			if (len > sizeof(buf))
				len = sizeof(buf);
			r = read(fd, buf, len);
			if (r < 0) {
				word("%s", err_name(errno));
			} else {
				word("=");
				put_escaped((unsigned char *)buf, r);
				fflush(stdout);
			}
		} else if (!strncmp(op, "take:", 5)) {
			do_take(fd, num(op + 5));
		} else if (!strcmp(op, "poll") || !strcmp(op, "pollw")) {
			do_poll(fd, op[4] == 'w');
		} else if (!strcmp(op, "select") || !strcmp(op, "selectw")) {
			do_select(fd, op[6] == 'w');
		} else if (!strcmp(op, "epoll") || !strcmp(op, "epollw")) {
			do_epoll(fd, op[5] == 'w');
		} else {
			fprintf(stderr, "devtest: unknown op '%s'\n", op);
			return 2;
		}
	}
	putchar('\n');
	close(fd);
	return 0;
}
