// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl top: a live view. On a terminal: the alternate screen, no
 * cursor, redrawn every refresh, 'q' quits; the terminal is restored on
 * q, Ctrl-C, SIGTERM and SIGHUP. Otherwise: one block of plain lines per
 * refresh.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pcfifoctl.h"
#include "tree.h"

#define FIRST_MS 300	/* the first picture's window: rates at once */

static const char top_help[] =
	"usage: pcfifoctl top [-n N] [-d S]\n\n"
	"A live view of the FIFOs (fill bars, items in and out per second) and\n"
	"the instances (rate, achieved rate, blocked or not). On a terminal it\n"
	"redraws the screen; q or Ctrl-C quits. Otherwise it prints a block of\n"
	"plain lines per refresh.\n\n"
	"  -n, --count N  stop after N refreshes (default: run until stopped)\n"
	"  -d, --delay S  seconds between refreshes (default 1)\n"
	"  -h, --help     this help\n";

static volatile sig_atomic_t stop;
static struct termios saved_tio;
static int tio_saved, screen_on;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void screen_restore(void)
{
	if (screen_on) {
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
		screen_on = 0;
	}
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = 0;
	}
}

static void screen_setup(void)
{
	struct termios tio;

	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_tio)) {
		tio = saved_tio;
		tio.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSANOW, &tio))
			tio_saved = 1;
	}
	fputs("\033[?1049h\033[?25l", stdout);
	screen_on = 1;
}

static unsigned int term_width(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

static void draw(const struct state *s, unsigned int delay_ms, int tty)
{
	char stamp[16], in[24], out[24], ach[24];
	unsigned int n, barw, w = 0, nblocked = 0;
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	for (n = 0; n < s->ninsts; n++)
		nblocked += s->insts[n].state == ST_BLOCKED;
	if (tty)
		fputs("\033[H\033[2J", stdout);
	printf("pcfifoctl top  %s  %u FIFOs, %u instances, %u blocked  (every %u.%u s%s)\n",
	       stamp, s->nfifos, s->ninsts, nblocked, delay_ms / 1000,
	       delay_ms % 1000 / 100, tty ? ", q quits" : "");
	for (n = 0; n < s->nfifos; n++)
		if (strlen(s->fifos[n].name) > w)
			w = (unsigned int)strlen(s->fifos[n].name);
	for (n = 0; n < s->ninsts; n++)
		if (strlen(s->insts[n].name) > w)
			w = (unsigned int)strlen(s->insts[n].name);
	barw = tty ? term_width() - w - 48 : 20;
	if (barw > 50 || barw < 10)
		barw = barw < 10 ? 10 : 50;
	for (n = 0; n < s->nfifos; n++) {
		const struct fifo_info *f = &s->fifos[n];
		unsigned int b, fill;

		fill = f->capacity ? (unsigned int)(100ull * f->count / f->capacity) : 0;
		b = f->capacity ? (unsigned int)((uint64_t)barw * f->count / f->capacity) : 0;
		fmt_rate(in, sizeof(in), f->in_rate);
		fmt_rate(out, sizeof(out), f->out_rate);
		printf("fifo      %-*s [%.*s%*s] %3u%% %5u/%-5u in %8s/s out %8s/s\n", (int)w,
		       f->name, (int)b, "##################################################",
		       (int)(barw - b), "", fill, f->count, f->capacity, in, out);
	}
	for (n = 0; n < s->ninsts; n++) {
		const struct inst_info *i = &s->insts[n];

		fmt_rate(ach, sizeof(ach), i->achieved);
		printf("%-9s %-*s fifo %-*s rate %7u achieved %9s/s  %s\n",
		       kind_name(i->kind), (int)w, i->name, (int)w, i->fifo, i->rate, ach,
		       inst_state_name(i->state));
	}
	if (!tty)
		putchar('\n');
	fflush(stdout);
}

/* Wait MS milliseconds, or less for q (1) or a signal (1). */
static int wait_key(unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
		uint64_t now = now_ms();
		char c;

		if (stop)
			return 1;
		if (now >= end)
			return 0;
		if (!tio_saved) {
			sleep_ms((unsigned int)(end - now));
			continue;
		}
		if (poll(&p, 1, (int)(end - now)) > 0 && (p.revents & POLLIN)) {
			if (read(STDIN_FILENO, &c, 1) != 1 || c == 'q' || c == 'Q')
				return 1;
		}
	}
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "delay", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int count = 0, delay = 1000, done = 0;
	struct sigaction sa;
	struct state prev, now;
	uint64_t t_prev;
	int c, tty, rc = EXIT_OK, err;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+n:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_uint(optarg, &count) || !count)
				return usage_error("top", "--count %s: not a number from 1", optarg);
			break;
		case 'd':
			if (parse_seconds(optarg, 3600000, &delay) || delay < 100)
				return usage_error("top", "--delay %s: not 0.1..3600 seconds",
						   optarg);
			break;
		case 'h':
			fputs(top_help, stdout);
			return EXIT_OK;
		default:
			return try_help("top");
		}
	}
	if (optind < argc)
		return usage_error("top", "unexpected argument '%s'", argv[optind]);
	if (need_loaded())
		return EXIT_FAIL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll and sleep end */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	tty = isatty(STDOUT_FILENO);
	if (tty)
		screen_setup();

	err = tree_read_state(&prev);
	t_prev = now_ms();
	if (!err && wait_key(FIRST_MS))
		goto out_prev;
	while (!err) {
		err = tree_read_state(&now);
		if (err)
			break;
		state_rates(&now, &prev, (unsigned int)(now_ms() - t_prev));
		t_prev = now_ms();
		state_free(&prev);
		prev = now;
		draw(&prev, delay, tty);
		if (++done == count || wait_key(delay))
			break;
	}
out_prev:
	state_free(&prev);
	screen_restore();
	if (err)
		rc = err == ENOENT && !tree_loaded() ? need_loaded() :
			fail("cannot read %s: %s", SYSFS_ROOT, strerror(err));
	return rc;
}
