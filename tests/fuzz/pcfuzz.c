// SPDX-License-Identifier: GPL-2.0
/*
 * pcfuzz - a seeded, model-checking random-operation fuzzer for pcfifo.
 *
 * usage: pcfuzz [--seed N] [--steps M] [--minutes T] [--verbose]
 *
 * Defaults: --seed 1, --steps 8000 (about a minute in a TCG guest).
 *
 * Runs inside a test guest as root, with pcfifo.ko loaded and nothing else
 * made (tests/fuzz/fuzz.sh does that). Each step is one operation drawn
 * from the table ops[] with a deterministic PRNG (splitmix64): mkdir and
 * rmdir of FIFOs, producers and consumers in configfs; writes of valid and
 * hostile values to rate, item, fifo and capacity through configfs and
 * sysfs; writes to read-only counters; opens, reads, writes, polls,
 * ioctls, lseeks and closes of /dev/pcfifo/NAME, blocking (bounded by a
 * SIGALRM timer without SA_RESTART) and O_NONBLOCK, reads and writes
 * with a bad buffer, and waits (a blocking read or write, poll(2)) that a
 * second process ends through the same file; every function of the
 * kernel API (Documentation/kernel-api.rst) through pcfuzz_api's device
 * file (tests/fuzz/kmod/pcfuzz_api.c, when fuzz.sh loaded it): lookups
 * and releases, puts and takes in each of the four ways (waiting, killable
 * in a process that is killed, try, timeout), with bad lengths and sizes,
 * and waits that another process ends through the FIFO's device file;
 * modprobe (exec) and delete_module(2) of pcfifo_producer and
 * pcfifo_consumer with and without parameters, and reloads of pcfifo
 * itself with a capacity.
 *
 * After every step it compares what the kernel shows with its own model:
 * the entries of both trees, /dev/pcfifo and /sys/class/pcfifo, every
 * value in both trees, the errno of every refusal (from
 * Documentation/ABI/testing/), and the counters of every FIFO and
 * instance that nothing running touched. A FIFO that an instance with a
 * nonzero rate uses is "busy": its counters move on their own, and a
 * checkpoint ("sync": every rate set to 0 until the counters stand still,
 * then put back) checks it: enqueued = dequeued + count, count <=
 * capacity, the model's queue moved by what was put and taken, and over
 * all FIFOs the items put (taken) equal the instances' produced
 * (consumed) plus the device traffic. Items are checked in FIFO order
 * against the model's queue; an item a busy period put is known when it
 * had one possible source, and otherwise one of its possible values.
 *
 * The first divergence ends it with exit status 1, printing the seed, the
 * step, what was expected and what happened, and the last operations.
 * "pcfuzz --seed N --steps M" replays a run: the same operations in the
 * same order (what timing decides, such as how many items a running
 * producer put, may differ). --minutes T runs rounds of M steps (default
 * 500) until T minutes have passed; round r uses a sub-seed derived from
 * N, printed, so that "--seed SUB --steps M" replays that round. Each
 * round ends by removing everything it made and checking that nothing is
 * left. The last line is a summary: steps, operations by kind, refusals
 * checked, items moved. Exit status 0 on success, 1 on a divergence, 2
 * on bad usage or a guest that is not ready.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pcfifo.h>

#define CFG "/sys/kernel/config/pcfifo"
#define SYS "/sys/kernel/pcfifo"
#define DEVDIR "/dev/pcfifo"
#define CLASS "/sys/class/pcfifo"

#define NAME_MAX_ 64		/* FIFO and instance names, fifo values */
#define RATE_MAX 1000000u
#define CAP_MAX 65536u
#define NSLOT 5			/* names per kind; slot 0 is "default" */
#define NFILE 4			/* open device files at most */
#define NUSER 2			/* open pcfuzz_api files (API users) at most */
#define NITEM 8192		/* distinct item values remembered */
#define NSRC 8			/* possible values of an unknown item */
#define HIST 24
#define BLOCK_US 30000		/* a predicted wait is ended after this */
#define GRACE_US 3000000	/* a call predicted not to wait, after this */

enum { PROD, CONS };
static const char *const kind_dir[] = { "producers", "consumers" };
static const char *const kind_mod[] = { "pcfifo_producer", "pcfifo_consumer" };
static const char *const kind_cnt[] = { "produced", "consumed" };

/* ------------------------------------------------------------ model ---- */

/*
 * A queue entry: >= 0 an item (index into items[]); <= -1 an item the
 * model knows only as one of the values of source set -1 - e.
 */
struct queue {
	int32_t *e;
	size_t head, n, size;
};

struct srcset {
	int n;			/* > NSRC: any item */
	int v[NSRC];
};

struct fifo {
	bool live;
	unsigned int cap;
	uint64_t enq, deq;	/* model: last seen plus our own traffic */
	struct queue q;
	bool busy;		/* a running instance used it since the sync */
	struct srcset src;	/* what a busy period may have put */
	uint64_t pend_put, pend_take;	/* our traffic while busy */
};

struct inst {
	bool live, param;	/* param: the module-parameter "default" */
	unsigned int rate;
	int item;		/* producers */
	int fifo;
	uint64_t count;		/* produced or consumed, last seen */
	bool busy;		/* ran since the sync */
	int last;		/* consumers: last_item, -1 none yet */
};

struct file {
	int fd;			/* -1: closed */
	int fifo, framing;
	bool nb;
};

/* An open file of pcfuzz_api: one user of the kernel API. */
struct user {
	int fd;			/* -1: closed */
	int fifo;		/* held (pcfifo_lookup()), -1: none */
};

static struct {
	struct fifo f[NSLOT];
	struct inst in[2][NSLOT];
	struct file file[NFILE];
	struct user user[NUSER];
	bool role[2];		/* role module loaded */
	unsigned int param_cap;	/* pcfifo's capacity parameter */
	uint64_t lost_lb[2];	/* counts of instances removed while busy */
	int lost_unknown[2];	/* ... of which were still running */
} M;

static char fname[NSLOT][NAME_MAX_ + 2];	/* "default", f1.., 64 bytes */
static char iname[NSLOT][NAME_MAX_ + 2];
static char long_name[NAME_MAX_ + 2];		/* 65 bytes */

static struct { uint8_t len; char b[PCFIFO_ITEM_MAX]; } items[NITEM];
static int n_items;
static bool nl_items;		/* some item holds a newline */

/* ------------------------------------------------------ bookkeeping ---- */

static uint64_t seed, rng;
static long step;
static char hist[HIST][240];
static long hist_n;
static bool verbose;

struct op {
	const char *name;
	void (*fn)(void);
	int weight;
	unsigned long count;
};
static struct op ops[];
static unsigned long refusals, moved, syncs, loose;

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)(splitmix(&rng) % n) : 0;
}

static bool chance(unsigned int pct)
{
	return rnd(100) < pct;
}

static const char *err_name(long e)
{
	static char buf[4][24];
	static int i;
	const char *n = strerrorname_np((int)e);

	if (n)
		return n;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "E%ld", e);
	return buf[i];
}

/* A result: >= 0 a value, < 0 an errno; as text. */
static const char *res(long r)
{
	static char buf[4][32];
	static int i;

	if (r < 0)
		return err_name(-r);
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%ld", r);
	return buf[i];
}

/* @len bytes of @p, escaped, in one of a few static buffers. */
static const char *esc(const void *p, size_t len)
{
	static char buf[4][300];
	static int i;
	const unsigned char *s = p;
	size_t o = 0, k;

	i = (i + 1) % 4;
	for (k = 0; k < len && o < sizeof(buf[i]) - 8; k++) {
		if (s[k] == '\n')
			o += sprintf(buf[i] + o, "\\n");
		else if (s[k] >= ' ' && s[k] < 0x7f && s[k] != '\\')
			buf[i][o++] = (char)s[k];
		else
			o += sprintf(buf[i] + o, "\\x%02x", s[k]);
	}
	if (k < len)
		o += sprintf(buf[i] + o, "...");
	buf[i][o] = '\0';
	return buf[i];
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	char *h = hist[hist_n++ % HIST];
	va_list ap;
	int n = snprintf(h, sizeof(hist[0]), "%6ld ", step);

	va_start(ap, fmt);
	vsnprintf(h + n, sizeof(hist[0]) - n, fmt, ap);
	va_end(ap);
	if (verbose)
		printf("%s\n", h);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;
	long i;

	printf("pcfuzz: DIVERGENCE at seed %" PRIu64 " step %ld: ", seed, step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\npcfuzz: the last operations:\n");
	for (i = hist_n > HIST ? hist_n - HIST : 0; i < hist_n; i++)
		printf("  %s\n", hist[i % HIST]);
	printf("pcfuzz: replay: pcfuzz --seed %" PRIu64 " --steps %ld\n",
	       seed, step + 1);
	fflush(stdout);
	exit(1);
}

/* The kernel's result @got must be the model's @want. */
static void expect(const char *what, long want, long got)
{
	if (want != got)
		fail("%s: expected %s, got %s", what, res(want), res(got));
	if (want < 0)
		refusals++;
}

/* @got is one of the results the model allows for a busy FIFO. */
static void expect_one_of(const char *what, long got, int n, const long *ok)
{
	int i;

	for (i = 0; i < n; i++)
		if (got == ok[i]) {
			if (got < 0)
				refusals++;
			return;
		}
	fail("%s: got %s, none of the results the model allows", what, res(got));
}

/* ------------------------------------------------------------ items ---- */

static int find_item(const void *b, size_t len)
{
	int i;

	for (i = 0; i < n_items; i++)
		if (items[i].len == len && !memcmp(items[i].b, b, len))
			return i;
	return -1;
}

static int intern(const void *b, size_t len)
{
	int i = find_item(b, len);

	if (i >= 0)
		return i;
	nl_items |= memchr(b, '\n', len) != NULL;
	if (n_items == NITEM)
		fail("more than %d distinct items: raise NITEM", NITEM);
	items[n_items].len = (uint8_t)len;
	memcpy(items[n_items].b, b, len);
	return n_items++;
}

static void src_add(struct srcset *s, int item)
{
	int i;

	if (s->n > NSRC)
		return;
	for (i = 0; i < s->n; i++)
		if (s->v[i] == item)
			return;
	if (s->n == NSRC)
		s->n++;		/* any */
	else
		s->v[s->n++] = item;
}

/* Source sets of unknown entries live as long as the run. */
static struct srcset *sets;
static int n_sets;

static int32_t set_entry(const struct srcset *s)
{
	if (s->n == 1)
		return s->v[0];
	sets = realloc(sets, (n_sets + 1) * sizeof(*sets));
	if (!sets)
		fail("out of memory");
	sets[n_sets] = *s;
	return -1 - n_sets++;
}

/* Entry @e may be the item @b of @len bytes. */
static bool entry_may_be(int32_t e, const void *b, size_t len)
{
	const struct srcset *s;
	int i;

	if (e >= 0)
		return items[e].len == len && !memcmp(items[e].b, b, len);
	s = &sets[-1 - e];
	if (s->n > NSRC)
		return len >= 1 && len <= PCFIFO_ITEM_MAX;
	for (i = 0; i < s->n; i++)
		if (entry_may_be(s->v[i], b, len))
			return true;
	return false;
}

static void q_push(struct queue *q, int32_t e)
{
	size_t i;
	int32_t *ne;

	if (q->n == q->size) {
		ne = malloc((q->size ? q->size * 2 : 64) * sizeof(*ne));
		if (!ne)
			fail("out of memory");
		for (i = 0; i < q->n; i++)
			ne[i] = q->e[(q->head + i) % q->size];
		free(q->e);
		q->e = ne;
		q->head = 0;
		q->size = q->size ? q->size * 2 : 64;
	}
	q->e[(q->head + q->n++) % q->size] = e;
}

static int32_t q_at(const struct queue *q, size_t i)
{
	return q->e[(q->head + i) % q->size];
}

static void q_pop(struct queue *q, size_t k)
{
	q->head = (q->head + k) % (q->size ? q->size : 1);
	q->n -= k;
}

/* ------------------------------------------------------ kernel side ---- */

static char path_buf[8][512];
static int path_i;

static const char *path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *path(const char *fmt, ...)
{
	char *p = path_buf[path_i++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(path_buf[0]), fmt, ap);
	va_end(ap);
	return p;
}

static long wr_attr(const char *p, const void *buf, size_t len)
{
	int fd = open(p, O_WRONLY);
	long r;

	if (fd < 0)
		return -errno;
	r = write(fd, buf, len);
	r = r < 0 ? -errno : r;
	close(fd);
	return r;
}

/*
 * Write @n bytes of @b to attribute @p; the model says @want: 0 (accepted,
 * all @n bytes written) or an errno. Returns whether it was accepted.
 */
static bool write_expect(const char *p, const char *b, size_t n, long want)
{
	note("write %s '%s'", p, esc(b, n));
	expect(p, want ? want : (long)n, wr_attr(p, b, n));
	return !want;
}

static long rd_attr(const char *p, char *buf, size_t size)
{
	int fd = open(p, O_RDONLY);
	long r;

	if (fd < 0)
		return -errno;
	r = read(fd, buf, size);
	r = r < 0 ? -errno : r;
	close(fd);
	return r;
}

/* @p reads @want (@len bytes) and a newline. */
static void attr_is(const char *p, const void *want, size_t len)
{
	char buf[256];
	long r = rd_attr(p, buf, sizeof(buf));

	if (r != (long)len + 1 || memcmp(buf, want, len) || buf[len] != '\n')
		fail("%s reads '%s', expected '%s\\n'", p,
		     r < 0 ? res(r) : esc(buf, r), esc(want, len));
}

static uint64_t rd_num(const char *p)
{
	char buf[64], *end;
	long r = rd_attr(p, buf, sizeof(buf) - 1);
	uint64_t v;

	if (r <= 1 || buf[r - 1] != '\n')
		fail("%s reads '%s', not a number and a newline", p,
		     r < 0 ? res(r) : esc(buf, r));
	buf[r] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end != '\n' || buf[0] < '0' || buf[0] > '9')
		fail("%s reads '%s', not a number", p, esc(buf, r));
	return v;
}

static void num_is(const char *p, uint64_t want)
{
	uint64_t v = rd_num(p);

	if (v != want)
		fail("%s reads %" PRIu64 ", expected %" PRIu64, p, v, want);
}

static const char *tree(bool sys)
{
	return sys ? SYS : CFG;
}

static const char *inst_path(int k, int s, bool sys, const char *attr)
{
	return path("%s/%s/%s/%s", tree(sys), kind_dir[k], iname[s], attr);
}

static const char *fifo_path(int s, bool sys, const char *attr)
{
	return path("%s/fifos/%s/%s", tree(sys), fname[s], attr);
}

/* A tree to write an instance's value in: sysfs only for "default" of the module. */
static bool pick_tree(int k, int s)
{
	return M.in[k][s].param || chance(50);
}

static bool is_loaded(const char *mod)
{
	char line[256];
	size_t n = strlen(mod);
	FILE *f = fopen("/proc/modules", "r");
	bool found = false;

	if (!f)
		fail("cannot read /proc/modules");
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, mod, n) && line[n] == ' ';
	fclose(f);
	return found;
}

/* Run @argv (an absolute path), its stdout and stderr into @out. */
static int run(char *const argv[], char *out, size_t size)
{
	int p[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(p))
		fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (n < size - 1 && (r = read(p[0], out + n, size - 1 - n)) > 0)
		n += r;
	out[n] = '\0';
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* modprobe ARGS: exit status 0 for @want 0; else failing, naming @want. */
static void modprobe(const char *what, char **args, int nargs, long want)
{
	char *argv[8] = { "/sbin/modprobe" }, out[1024];
	int i, st;

	for (i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	argv[nargs + 1] = NULL;
	st = run(argv, out, sizeof(out));
	if (!want && (st || out[0]))
		fail("%s: expected success, got status %d: %s", what, st, out);
	if (want && (!st || !strstr(out, strerror((int)-want))))
		fail("%s: expected failure with %s (%s), got status %d: %s",
		     what, err_name(-want), strerror((int)-want), st, out);
	if (want)
		refusals++;
}

/* --------------------------------------------------------- the timer ---- */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void timer(long us)
{
	struct itimerval it = {
		.it_value = { .tv_sec = us / 1000000, .tv_usec = us % 1000000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ----------------------------------------------------------- values ---- */

static const unsigned int rates[] = { 0, 0, 1, 2, 5, 10, 100, 1000, 50000, 1000000 };
static const unsigned int caps[] = { 1, 2, 3, 4, 8, 16, 32, 100, 65536 };

/*
 * Hostile and valid text for a number: digits with a sign, spaces,
 * garbage, newlines, NULs, huge values.
 */
static size_t gen_number(char *b, const unsigned int *good, int n_good)
{
	static const char *const junk[] = {
		"", "\n", "+", "-1", "-0", " 5", "5 ", "5x", "0x10", "1.5",
		"abc", "5\n\n", "\n5", "+7", "007", "4294967296",
		"4294967295", "99999999999999999999", "1000001", "65537",
		"0", "0\n", "5\0", "+\n",
	};
	size_t n;
	int i;

	if (chance(65)) {
		n = sprintf(b, "%u", good[rnd(n_good)]);
		if (chance(50))
			b[n++] = '\n';
		return n;
	}
	if (chance(70)) {
		i = rnd(sizeof(junk) / sizeof(junk[0]));
		n = strlen(junk[i]);
		memcpy(b, junk[i], n);
		if (!strcmp(junk[i], "5"))	/* "5\0": the NUL counts */
			n = 2;
		return n ? n : (b[0] = '\n', 1);
	}
	/* random digits with random decorations */
	n = 0;
	if (chance(20))
		b[n++] = "+- "[rnd(3)];
	for (i = 1 + rnd(22); i > 0; i--)
		b[n++] = (char)('0' + rnd(10));
	if (chance(15))
		b[n++] = "x \0."[rnd(4)];
	if (chance(40))
		b[n++] = '\n';
	if (chance(10))
		b[n++] = '\n';
	return n;
}

/*
 * The model of pcfifo_parse_rate/_capacity: no NUL (else EINVAL), then
 * kstrtouint base 10 as lib/kstrtox.c does it: one leading '+', digits (a
 * 64-bit overflow: ERANGE, before anything after the digits is looked
 * at), one trailing newline, nothing else (EINVAL), at most UINT_MAX;
 * then @lo..@hi (ERANGE). Returns 0 or -errno; the value in *v.
 */
static long parse_uint(const char *b, size_t len, unsigned int lo,
		       unsigned int hi, unsigned int *v)
{
	size_t i = 0, start;
	uint64_t x = 0;
	bool over = false;

	if (memchr(b, 0, len))
		return -EINVAL;
	if (i < len && b[i] == '+')
		i++;
	for (start = i; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
		if (x > (UINT64_MAX - (b[i] - '0')) / 10)
			over = true;
		x = x * 10 + (b[i] - '0');
	}
	if (i == start)
		return -EINVAL;
	if (over)
		return -ERANGE;
	if (i < len && b[i] == '\n')
		i++;
	if (i < len)
		return -EINVAL;
	if (x > UINT32_MAX || x < lo || x > hi)
		return -ERANGE;
	*v = (unsigned int)x;
	return 0;
}

/* Random item bytes, 1..64 of them unless @hostile. */
static size_t gen_bytes(char *b, size_t max, bool hostile)
{
	size_t n, i;

	n = hostile && chance(40) ? PCFIFO_ITEM_MAX + 1 + rnd(8) :
		1 + (chance(60) ? rnd(8) : rnd(PCFIFO_ITEM_MAX));
	if (hostile && chance(30))
		n = 0;
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		if (chance(85))
			b[i] = (char)('a' + rnd(6));
		else
			b[i] = (char)(1 + rnd(255));	/* no NUL */
	}
	if (hostile && n && chance(40))
		b[rnd(n)] = '\0';
	return n;
}

/* The model of an item write: strip one newline; 1..64 bytes, no NUL. */
static long parse_item(const char *b, size_t len, int *item)
{
	if (len && b[len - 1] == '\n')
		len--;
	if (!len || len > PCFIFO_ITEM_MAX || memchr(b, 0, len))
		return -EINVAL;
	*item = intern(b, len);
	return 0;
}

/* ---------------------------------------------------------- helpers ---- */

static int pick_slot(void)
{
	return rnd(NSLOT);
}

/* A live FIFO slot, or -1. */
static int live_fifo(void)
{
	int s, i;

	for (i = 0, s = rnd(NSLOT); i < NSLOT; i++, s = (s + 1) % NSLOT)
		if (M.f[s].live)
			return s;
	return -1;
}

static int live_file(void)
{
	int i, s;

	for (i = 0, s = rnd(NFILE); i < NFILE; i++, s = (s + 1) % NFILE)
		if (M.file[s].fd >= 0)
			return s;
	return -1;
}

/* Mark what running instances touch: their FIFOs move on their own. */
static void mark_busy(void)
{
	struct inst *in;
	int k, s;

	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++) {
			in = &M.in[k][s];
			if (!in->live || !in->rate)
				continue;
			in->busy = true;
			M.f[in->fifo].busy = true;
			if (k == PROD)
				src_add(&M.f[in->fifo].src, in->item);
		}
}

static bool fifo_named(int f)
{
	int k, s;

	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++)
			if (M.in[k][s].live && M.in[k][s].fifo == f)
				return true;
	for (s = 0; s < NFILE; s++)
		if (M.file[s].fd >= 0 && M.file[s].fifo == f)
			return true;
	for (s = 0; s < NUSER; s++)
		if (M.user[s].fd >= 0 && M.user[s].fifo == f)
			return true;
	return false;
}

static void fifo_reset(int s, unsigned int cap)
{
	struct fifo *f = &M.f[s];

	free(f->q.e);
	memset(f, 0, sizeof(*f));
	f->live = true;
	f->cap = cap;
}

/* --------------------------------------------------- state checking ---- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The entries of @dir (sorted, dot files left out) are the wanted @names. */
static void dir_is(const char *dir, bool (*want)(int), char names[][NAME_MAX_ + 2])
{
	char got[512] = "", exp[512] = "";
	const char *w[NSLOT];
	struct dirent **e;
	int n, i, nw = 0;

	n = scandir(dir, &e, NULL, alphasort);
	if (n < 0)
		fail("cannot list %s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		if (e[i]->d_name[0] != '.')
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%.20s ", e[i]->d_name);
		free(e[i]);
	}
	free(e);
	for (i = 0; i < NSLOT; i++)
		if (want(i))
			w[nw++] = names[i];
	qsort(w, nw, sizeof(w[0]), by_name);
	for (i = 0; i < nw; i++)
		snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), "%.20s ", w[i]);
	if (strcmp(got, exp))
		fail("%s holds '%s', expected '%s'", dir, got, exp);
}

static int want_k;
static bool want_fifo(int s) { return M.f[s].live; }
static bool want_cfs(int s) { return M.in[want_k][s].live && !M.in[want_k][s].param; }
static bool want_sys(int s) { return M.in[want_k][s].live; }

static void check_fifo(int s)
{
	struct fifo *f = &M.f[s];
	char cap[16];
	int n = sprintf(cap, "%u", f->cap);

	attr_is(fifo_path(s, false, "capacity"), cap, n);
	attr_is(fifo_path(s, true, "capacity"), cap, n);
	if (f->busy) {
		if (rd_num(fifo_path(s, true, "count")) > f->cap)
			fail("fifos/%s: count above the capacity %u", fname[s], f->cap);
		return;
	}
	num_is(fifo_path(s, true, "count"), f->q.n);
	num_is(fifo_path(s, true, "enqueued"), f->enq);
	num_is(fifo_path(s, true, "dequeued"), f->deq);
}

static void check_inst(int k, int s)
{
	struct inst *in = &M.in[k][s];
	char rate[16];
	int n = sprintf(rate, "%u", in->rate), t;
	char buf[128];
	long r;

	for (t = in->param; t < 2; t++) {
		attr_is(inst_path(k, s, t, "rate"), rate, n);
		attr_is(inst_path(k, s, t, "fifo"), fname[in->fifo],
			strlen(fname[in->fifo]));
		if (k == PROD)
			attr_is(inst_path(k, s, t, "item"), items[in->item].b,
				items[in->item].len);
	}
	if (in->busy)
		return;
	num_is(inst_path(k, s, true, kind_cnt[k]), in->count);
	if (k == PROD)
		return;
	r = rd_attr(inst_path(k, s, true, "last_item"), buf, sizeof(buf));
	if (in->last < 0 ? r != 0 :
	    r != items[in->last].len + 1 ||
	    memcmp(buf, items[in->last].b, r - 1) || buf[r - 1] != '\n')
		fail("%s reads '%s', expected '%s'",
		     inst_path(k, s, true, "last_item"),
		     r < 0 ? res(r) : esc(buf, r),
		     in->last < 0 ? "" : esc(items[in->last].b, items[in->last].len));
}

static void check_state(void)
{
	int k, s;

	dir_is(CFG "/fifos", want_fifo, fname);
	dir_is(SYS "/fifos", want_fifo, fname);
	dir_is(DEVDIR, want_fifo, fname);
	dir_is(CLASS, want_fifo, fname);
	for (k = 0; k < 2; k++) {
		want_k = k;
		dir_is(path("%s/%s", CFG, kind_dir[k]), want_cfs,
		       iname);
		dir_is(path("%s/%s", SYS, kind_dir[k]), want_sys,
		       iname);
		if (is_loaded(kind_mod[k]) != M.role[k])
			fail("%s is %sloaded, expected %sloaded", kind_mod[k],
			     M.role[k] ? "not " : "", M.role[k] ? "" : "not ");
	}
	for (s = 0; s < NSLOT; s++) {
		if (M.f[s].live)
			check_fifo(s);
		for (k = 0; k < 2; k++)
			if (M.in[k][s].live)
				check_inst(k, s);
	}
}

/* ------------------------------------------------------- the sync ---- */

static uint64_t snap[2 * NSLOT * 4];

/* Read every moving counter into snap; return how many. */
static int read_counters(void)
{
	int n = 0, k, s;

	for (s = 0; s < NSLOT; s++) {
		if (M.f[s].live) {
			snap[n++] = rd_num(fifo_path(s, true, "enqueued"));
			snap[n++] = rd_num(fifo_path(s, true, "dequeued"));
		}
		for (k = 0; k < 2; k++)
			if (M.in[k][s].live)
				snap[n++] = rd_num(inst_path(k, s, true, kind_cnt[k]));
	}
	return n;
}

static void set_rate(int k, int s, unsigned int rate)
{
	char b[16];
	int n = sprintf(b, "%u", rate);
	bool t = pick_tree(k, s);

	note("  %s %s/%.20s/rate = %u", t ? "sysfs" : "configfs", kind_dir[k],
	     iname[s], rate);
	expect(inst_path(k, s, t, "rate"), n, wr_attr(inst_path(k, s, t, "rate"), b, n));
	M.in[k][s].rate = rate;
}

/*
 * A checkpoint: pause every instance, wait until the counters stand
 * still, check every FIFO and instance against the model and take the
 * counters in; then put the rates back unless @keep_paused.
 */
/*
 * Liveness: a FIFO that a producer and a consumer both use at LIVE_RATE
 * or more must move an item within LIVE_MS, however they block each
 * other; a lost wakeup leaves a blocked instance asleep for good. Nothing
 * else happens meanwhile (the fuzzer is one thread), and at 100/s half a
 * second holds some 50 items: only a stuck FIFO moves none.
 */
#define LIVE_RATE 100
#define LIVE_MS 500

static void check_live(void)
{
	unsigned int top[NSLOT][2] = { { 0 } };
	uint64_t before[NSLOT];
	bool any = false;
	int k, s;

	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++) {
			const struct inst *in = &M.in[k][s];

			if (in->live && in->rate > top[in->fifo][k])
				top[in->fifo][k] = in->rate;
		}
	for (s = 0; s < NSLOT; s++) {
		before[s] = 0;
		if (M.f[s].live && top[s][PROD] >= LIVE_RATE && top[s][CONS] >= LIVE_RATE) {
			before[s] = rd_num(fifo_path(s, true, "dequeued")) + 1;
			any = true;
		}
	}
	if (!any)
		return;
	usleep(LIVE_MS * 1000);
	for (s = 0; s < NSLOT; s++)
		if (before[s] && rd_num(fifo_path(s, true, "dequeued")) + 1 == before[s])
			fail("fifos/%s: a producer at %u/s and a consumer at %u/s "
			     "moved no item in %d ms (a lost wakeup?)", fname[s],
			     top[s][PROD], top[s][CONS], LIVE_MS);
}

static void sync_all(bool keep_paused)
{
	unsigned int saved[2][NSLOT] = { { 0 } };
	uint64_t prev[sizeof(snap) / sizeof(snap[0])], put = 0, took = 0;
	uint64_t sum[2] = { 0, 0 }, enq, deq, cnt, v;
	char buf[128];
	int k, s, n, tries;
	long r;

	note("sync");
	syncs++;
	check_live();
	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++)
			if (M.in[k][s].live && M.in[k][s].rate) {
				saved[k][s] = M.in[k][s].rate;
				set_rate(k, s, 0);
			}
	n = read_counters();
	for (tries = 0;; tries++) {
		memcpy(prev, snap, n * sizeof(snap[0]));
		usleep(20000);
		if (read_counters() == n && !memcmp(prev, snap, n * sizeof(snap[0])))
			break;
		if (tries == 100)
			fail("the counters still move 2 s after every rate was set to 0");
	}
	for (s = 0; s < NSLOT; s++) {
		struct fifo *f = &M.f[s];

		if (!f->live)
			continue;
		enq = rd_num(fifo_path(s, true, "enqueued"));
		deq = rd_num(fifo_path(s, true, "dequeued"));
		cnt = rd_num(fifo_path(s, true, "count"));
		if (enq != deq + cnt || cnt > f->cap)
			fail("fifos/%s: enqueued %" PRIu64 " != dequeued %" PRIu64
			     " + count %" PRIu64 ", or count > capacity %u",
			     fname[s], enq, deq, cnt, f->cap);
		if (enq < f->enq || deq < f->deq || (!f->busy &&
		    (enq != f->enq || deq != f->deq)))
			fail("fifos/%s: enqueued %" PRIu64 ", dequeued %" PRIu64
			     "; the model has %" PRIu64 ", %" PRIu64 " and %s",
			     fname[s], enq, deq, f->enq, f->deq,
			     f->busy ? "more only from running instances" :
			     "nothing running on it");
		put += enq - f->enq;
		took += deq - f->deq;
		if (enq - f->enq + f->pend_put && !f->src.n)
			fail("fifos/%s: %" PRIu64 " items put, none by anyone the model knows",
			     fname[s], enq - f->enq);
		if (enq - f->enq + f->pend_put) {
			int32_t e = set_entry(&f->src);

			for (v = 0; v < enq - f->enq + f->pend_put; v++)
				q_push(&f->q, e);
		}
		if (deq - f->deq + f->pend_take > f->q.n)
			fail("fifos/%s: %" PRIu64 " taken, the model has %zu queued",
			     fname[s], deq - f->deq + f->pend_take, f->q.n);
		q_pop(&f->q, deq - f->deq + f->pend_take);
		if (f->q.n != cnt)
			fail("fifos/%s: count %" PRIu64 ", the model's queue has %zu",
			     fname[s], cnt, f->q.n);
		f->enq = enq;
		f->deq = deq;
		f->busy = false;
		f->pend_put = f->pend_take = 0;
		memset(&f->src, 0, sizeof(f->src));
	}
	for (k = 0; k < 2; k++) {
		for (s = 0; s < NSLOT; s++) {
			struct inst *in = &M.in[k][s];

			if (!in->live)
				continue;
			v = rd_num(inst_path(k, s, true, kind_cnt[k]));
			if (v < in->count || (!in->busy && v != in->count))
				fail("%s/%s/%s reads %" PRIu64 ", the model has %"
				     PRIu64 "%s", kind_dir[k], iname[s],
				     kind_cnt[k], v, in->count,
				     in->busy ? " (it may only grow)" : "");
			sum[k] += v - in->count;
			in->count = v;
			in->busy = false;
			if (k == PROD)
				continue;
			r = rd_attr(inst_path(k, s, true, "last_item"), buf, sizeof(buf));
			if (!v ? r != 0 : r < 2 || r > PCFIFO_ITEM_MAX + 1 ||
			    buf[r - 1] != '\n')
				fail("consumers/%s/last_item reads '%s' after %" PRIu64
				     " items", iname[s], r < 0 ? res(r) : esc(buf, r), v);
			if (v) {
				in->last = find_item(buf, r - 1);
				if (in->last < 0)
					fail("consumers/%s/last_item reads '%s', which nobody put",
					     iname[s], esc(buf, r));
			}
			uint64_t avg = rd_num(inst_path(k, s, true, "latency_avg_ns"));
			uint64_t max = rd_num(inst_path(k, s, true, "latency_max_ns"));

			if (avg > max || (!max && avg))
				fail("consumers/%s: latency_avg_ns %" PRIu64
				     " > latency_max_ns %" PRIu64, iname[s], avg, max);
		}
	}
	moved += put;
	if (M.lost_unknown[PROD] ? put < sum[PROD] + M.lost_lb[PROD] :
	    put != sum[PROD] + M.lost_lb[PROD])
		fail("items put by instances since the last sync: the FIFOs' enqueued grew by %"
		     PRIu64 ", produced by %" PRIu64 " (+%" PRIu64 " of removed producers%s)",
		     put, sum[PROD], M.lost_lb[PROD],
		     M.lost_unknown[PROD] ? ", at least" : "");
	if (M.lost_unknown[CONS] ? took < sum[CONS] + M.lost_lb[CONS] :
	    took != sum[CONS] + M.lost_lb[CONS])
		fail("items taken by instances since the last sync: the FIFOs' dequeued grew by %"
		     PRIu64 ", consumed by %" PRIu64 " (+%" PRIu64 " of removed consumers%s)",
		     took, sum[CONS], M.lost_lb[CONS],
		     M.lost_unknown[CONS] ? ", at least" : "");
	memset(M.lost_lb, 0, sizeof(M.lost_lb));
	memset(M.lost_unknown, 0, sizeof(M.lost_unknown));
	check_state();
	if (keep_paused || chance(50))
		return;
	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++)
			if (saved[k][s])
				set_rate(k, s, saved[k][s]);
	mark_busy();
}

/* An instance is going away: account for what it did since the sync. */
static void inst_gone(int k, int s)
{
	struct inst *in = &M.in[k][s];
	uint64_t v = rd_num(inst_path(k, s, true, kind_cnt[k]));

	if (v < in->count || (!in->busy && v != in->count))
		fail("%s/%s/%s reads %" PRIu64 ", the model has %" PRIu64,
		     kind_dir[k], iname[s], kind_cnt[k], v, in->count);
	M.lost_lb[k] += v - in->count;
	if (in->rate)
		M.lost_unknown[k]++;
	in->live = false;
}

/* ---------------------------------------------------------- the ops ---- */

static void op_mkdir_fifo(void)
{
	int s = rnd(NSLOT + 1);
	const char *name = s < NSLOT ? fname[s] : long_name;
	long want = s == NSLOT ? -ENAMETOOLONG : M.f[s].live ? -EEXIST : 0;
	long got;

	note("mkdir fifos/%.20s", name);
	got = mkdir(path("%s/fifos/%s", CFG, name), 0755) ? -errno : 0;
	expect(path("mkdir fifos/%.20s", name), want, got);
	if (!want)
		fifo_reset(s, M.param_cap);
}

static void op_rmdir_fifo(void)
{
	int s = rnd(NSLOT + 1);
	const char *name = s < NSLOT ? fname[s] : long_name;
	long want, got;

	if (s < NSLOT && M.f[s].live && M.f[s].busy && s && !fifo_named(s))
		sync_all(false);	/* its counters go with it */
	want = s == NSLOT || !M.f[s].live ? -ENOENT : !s ? -EPERM :
		fifo_named(s) ? -EBUSY : 0;
	note("rmdir fifos/%.20s", name);
	got = rmdir(path("%s/fifos/%s", CFG, name)) ? -errno : 0;
	expect(path("rmdir fifos/%.20s", name), want, got);
	if (!want)
		M.f[s].live = false;
}

static void op_mkdir_inst(void)
{
	int k = rnd(2), s = rnd(NSLOT + 1);
	const char *name = s < NSLOT ? iname[s] : long_name;
	long want = s == NSLOT ? -ENAMETOOLONG : M.in[k][s].live ? -EEXIST : 0;
	long got;

	note("mkdir %s/%.20s", kind_dir[k], name);
	got = mkdir(path("%s/%s/%s", CFG, kind_dir[k], name), 0755) ? -errno : 0;
	expect(path("mkdir %s/%.20s", kind_dir[k], name), want, got);
	if (want)
		return;
	M.role[k] = true;
	M.in[k][s] = (struct inst){ .live = true, .rate = 1, .fifo = 0,
		.item = intern(name, strlen(name)), .last = -1 };
	mark_busy();
}

static void op_rmdir_inst(void)
{
	int k = rnd(2), s = rnd(NSLOT);
	long want = M.in[k][s].live && !M.in[k][s].param ? 0 : -ENOENT, got;

	note("rmdir %s/%s", kind_dir[k], iname[s]);
	if (!want)
		inst_gone(k, s);
	got = rmdir(path("%s/%s/%s", CFG, kind_dir[k], iname[s])) ? -errno : 0;
	expect(path("rmdir %s/%s", kind_dir[k], iname[s]), want, got);
}

/* mkdir where none may be made: EPERM (configfs). */
static void op_mkdir_bad(void)
{
	int k = rnd(2), s = rnd(NSLOT);
	const char *p;

	switch (rnd(3)) {
	case 0:
		p = path("%s/x", CFG);
		break;
	case 1:
		s = live_fifo();
		p = path("%s/fifos/%s/sub", CFG, fname[s]);
		break;
	default:
		if (!M.in[k][s].live || M.in[k][s].param)
			return;
		p = path("%s/%s/%s/sub", CFG, kind_dir[k], iname[s]);
	}
	note("mkdir %s", p);
	expect(p, -EPERM, mkdir(p, 0755) ? -errno : 0);
}

static void op_rate(void)
{
	int k = rnd(2), s = pick_slot();
	bool t = pick_tree(k, s);
	const char *p = inst_path(k, s, t, "rate");
	char b[64];
	size_t n = gen_number(b, rates, sizeof(rates) / sizeof(rates[0]));
	unsigned int v = 0;
	long want = M.in[k][s].live && !(M.in[k][s].param && !t) ?
		parse_uint(b, n, 0, RATE_MAX, &v) : -ENOENT;

	if (write_expect(p, b, n, want)) {
		M.in[k][s].rate = v;
		mark_busy();
	}
}

static void op_item(void)
{
	int s = pick_slot();
	bool t = pick_tree(PROD, s);
	const char *p = inst_path(PROD, s, t, "item");
	char b[80];
	size_t n = gen_bytes(b, 72, chance(35));
	int item = -1;
	long want;

	if (chance(40) || !n)
		b[n++] = '\n';	/* a write of 0 bytes is the VFS's, not pcfifo's */
	if (chance(10))
		b[n++] = '\n';
	want = M.in[PROD][s].live ? parse_item(b, n, &item) : -ENOENT;
	if (write_expect(p, b, n, want)) {
		M.in[PROD][s].item = item;
		mark_busy();
	}
}

static void op_fifo(void)
{
	int k = rnd(2), s = pick_slot(), f = -1, i;
	bool t = pick_tree(k, s);
	const char *p = inst_path(k, s, t, "fifo");
	char b[160];
	size_t n;
	long want;

	switch (rnd(6)) {
	case 0:
		n = gen_bytes(b, 140, true);	/* hostile */
		break;
	case 1:
		n = sprintf(b, "%s", long_name);
		break;
	case 2:
		n = sprintf(b, "nosuch");
		break;
	default:
		n = sprintf(b, "%s", fname[rnd(NSLOT)]);
	}
	if (chance(40) || !n)
		b[n++] = '\n';
	if (chance(5))
		b[n++] = '\n';
	{
		size_t l = n && b[n - 1] == '\n' ? n - 1 : n;

		want = !l || memchr(b, 0, l) ? -EINVAL :
			l > NAME_MAX_ ? -ENAMETOOLONG : -ENOENT;
		for (i = 0; i < NSLOT && want == -ENOENT; i++)
			if (M.f[i].live && strlen(fname[i]) == l &&
			    !memcmp(fname[i], b, l)) {
				want = 0;
				f = i;
			}
	}
	if (!M.in[k][s].live || (M.in[k][s].param && !t))
		want = -ENOENT;
	if (write_expect(p, b, n, want)) {
		M.in[k][s].fifo = f;
		mark_busy();
	}
}

static void op_capacity(void)
{
	int s = pick_slot();
	bool t = chance(50);
	const char *p = fifo_path(s, t, "capacity");
	char b[64];
	size_t n = gen_number(b, caps, sizeof(caps) / sizeof(caps[0]));
	unsigned int v = 0;
	struct fifo *f = &M.f[s];
	long want = f->live ? parse_uint(b, n, 1, CAP_MAX, &v) : -ENOENT, got;
	long ok[2] = { (long)n, -EBUSY };

	if (!want && !f->busy && f->q.n)
		want = -EBUSY;
	note("write %s '%s'", p, esc(b, n));
	got = wr_attr(p, b, n);
	if (!want && f->busy)
		expect_one_of(p, got, 2, ok);
	else
		expect(p, want ? want : (long)n, got);
	if (got == (long)n)
		f->cap = v;
}

/* Counters are read-only (0444): open for writing fails with EACCES. */
static void op_ro_write(void)
{
	static const char *const attrs[2][4] = {
		{ "produced", "produced", "produced", "produced" },
		{ "consumed", "last_item", "latency_avg_ns", "latency_max_ns" },
	};
	static const char *const fattrs[] = { "count", "enqueued", "dequeued" };
	const char *p;
	int k = rnd(2), s = pick_slot();

	if (chance(50) && M.f[s].live)
		p = fifo_path(s, true, fattrs[rnd(3)]);
	else if (M.in[k][s].live)
		p = inst_path(k, s, true, attrs[k][rnd(4)]);
	else
		return;
	note("write %s '1'", p);
	expect(p, -EACCES, wr_attr(p, "1", 1));
}

/* ---- device files ---- */

static void op_open(void)
{
	int i = rnd(NFILE), s = rnd(NSLOT + 1), fd;
	bool nb = chance(40);
	const char *name = s < NSLOT ? fname[s] : "nosuch";
	long want = s < NSLOT && M.f[s].live ? 0 : -ENOENT;

	if (M.file[i].fd >= 0) {
		note("close file %d (fifos/%.20s)", i, fname[M.file[i].fifo]);
		expect("close", 0, close(M.file[i].fd) ? -errno : 0);
		M.file[i].fd = -1;
	}
	note("open %s/%.20s%s as file %d", DEVDIR, name, nb ? " O_NONBLOCK" : "", i);
	fd = open(path("%s/%s", DEVDIR, name), O_RDWR | (nb ? O_NONBLOCK : 0));
	expect(path("open %s/%.20s", DEVDIR, name), want, fd < 0 ? -errno : 0);
	if (fd >= 0)
		M.file[i] = (struct file){ .fd = fd, .fifo = s, .nb = nb };
}

static void op_close(void)
{
	int i = live_file();

	if (i < 0)
		return;
	note("close file %d (fifos/%.20s)", i, fname[M.file[i].fifo]);
	expect("close", 0, close(M.file[i].fd) ? -errno : 0);
	M.file[i].fd = -1;
}

/* ioctls, fcntl O_NONBLOCK, lseek and pread of an open file. */
static void op_ctl(void)
{
	int i = live_file(), v, w;
	struct file *fl;
	char c;

	if (i < 0)
		return;
	fl = &M.file[i];
	switch (rnd(5)) {
	case 0:
		v = chance(80) ? (int)rnd(2) : (int)rnd(5) - 2;
		note("file %d: ioctl SET_FRAMING %d", i, v);
		expect("ioctl SET_FRAMING", v == 0 || v == 1 ? 0 : -EINVAL,
		       ioctl(fl->fd, PCFIFO_IOC_SET_FRAMING, &v) ? -errno : 0);
		if (v == 0 || v == 1)
			fl->framing = v;
		break;
	case 1:
		w = -1;
		note("file %d: ioctl GET_FRAMING", i);
		expect("ioctl GET_FRAMING", 0,
		       ioctl(fl->fd, PCFIFO_IOC_GET_FRAMING, &w) ? -errno : 0);
		expect("GET_FRAMING value", fl->framing, w);
		break;
	case 2:
		v = 0;
		note("file %d: ioctl unknown", i);
		expect("an unknown ioctl", -ENOTTY,
		       ioctl(fl->fd, _IOW(PCFIFO_IOC_MAGIC, 3 + rnd(200), int), &v) ?
		       -errno : 0);
		break;
	case 3:
		note("file %d: lseek, pread", i);
		expect("lseek", -ESPIPE, lseek(fl->fd, 0, SEEK_SET) < 0 ? -errno : 0);
		expect("pread", -ESPIPE, pread(fl->fd, &c, 1, 0) < 0 ? -errno : 0);
		break;
	default:
		fl->nb = !fl->nb;
		note("file %d: %s", i, fl->nb ? "O_NONBLOCK" : "blocking");
		v = fcntl(fl->fd, F_GETFL);
		expect("fcntl", 0, fcntl(fl->fd, F_SETFL, fl->nb ? v | O_NONBLOCK :
					 v & ~O_NONBLOCK) ? -errno : 0);
	}
}

static void op_poll(void)
{
	int i = live_file(), r;
	struct fifo *f;
	struct pollfd p;
	short want;

	if (i < 0)
		return;
	f = &M.f[M.file[i].fifo];
	p = (struct pollfd){ .fd = M.file[i].fd,
		.events = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM };
	note("file %d: poll", i);
	r = poll(&p, 1, 0);
	if (r < 0)
		fail("poll: %s", strerror(errno));
	if (!r)
		p.revents = 0;
	want = (f->q.n ? POLLIN | POLLRDNORM : 0) |
		(f->q.n < f->cap ? POLLOUT | POLLWRNORM : 0);
	if (f->busy ? p.revents & ~(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM) :
	    p.revents != want)
		fail("poll on fifos/%s: revents 0x%x, expected 0x%x%s",
		     fname[M.file[i].fifo], p.revents, want,
		     f->busy ? " or a part of it" : "");
}

/*
 * A line-framed write: up to 6 lines, perhaps a bad one (empty, too long,
 * a NUL) and more after it. The good lines before the first bad one are
 * the items: *n_ok of them, item j ending (its newline included) at ends[j].
 */
static size_t gen_lines(char *b, int *n_ok, size_t *ends)
{
	size_t n = 0, l, j;
	int k = rnd(7), i;
	bool bad = false;

	*n_ok = 0;
	for (i = 0; i < k && !bad; i++) {
		l = gen_bytes(b + n, 80, chance(8));
		for (j = 0; j < l; j++)
			if (b[n + j] == '\n')
				b[n + j] = 'N';
		bad = !l || l > PCFIFO_ITEM_MAX || memchr(b + n, 0, l);
		n += l;
		if (i < k - 1 || !l || chance(60))	/* an empty line has one */
			b[n++] = '\n';
		if (!bad)
			ends[(*n_ok)++] = n;
	}
	if (bad && chance(50)) {	/* more after the bad line */
		memcpy(b + n, "zz\n", 3);
		n += 3;
	}
	return n;
}

/* The length of unknown entry @e read at @p (@len bytes left); 0: none fits. */
static size_t unknown_len(int32_t e, const char *p, size_t len, bool lines)
{
	const struct srcset *s = &sets[-1 - e];
	const char *nl = lines ? memchr(p, '\n', len) : NULL;
	size_t best = 0, l;
	int i;

	if (!lines)
		return entry_may_be(e, p, len) ? len : 0;
	if (s->n > NSRC)
		return nl ? (size_t)(nl - p) : 0;
	for (i = 0; i < s->n; i++) {	/* the longest that fits */
		l = items[s->v[i]].len;
		if (l + 1 <= len && p[l] == '\n' && l > best &&
		    !memcmp(p, items[s->v[i]].b, l))
			best = l;
	}
	return best;
}

/* Take @k items off an exact FIFO's queue, they are @got. */
static void take_exact(int s, const char *data, size_t len, bool lines,
		       size_t k, const char *what)
{
	struct fifo *f = &M.f[s];
	size_t off = 0, j, l;
	int32_t e;

	for (j = 0; j < k; j++) {
		e = q_at(&f->q, j);
		l = e >= 0 ? items[e].len : unknown_len(e, data + off, len - off, lines);
		if (!l || off + l + lines > len || !entry_may_be(e, data + off, l) ||
		    (lines && data[off + l] != '\n'))
			fail("%s: item %zu of fifos/%s read as '%s', the model has '%s'",
			     what, j + 1, fname[s], esc(data + off, len - off),
			     e >= 0 ? esc(items[e].b, items[e].len) : "(unknown)");
		off += l + lines;
	}
	if (off != len)
		fail("%s: %zu bytes read, the model's %zu items make %zu",
		     what, len, k, off);
	q_pop(&f->q, k);
	f->deq += k;
	moved += k;
}

/* Put @put items of @b (ending at @ends) into the model of FIFO @s. */
static void put_items(int s, const char *b, const size_t *ends, int put, bool lines)
{
	struct fifo *f = &M.f[s];
	size_t st = 0, l;
	int j, item;

	for (j = 0; j < put; j++) {
		l = ends[j] - st - (lines && b[ends[j] - 1] == '\n');
		item = intern(b + st, l);
		if (f->busy) {		/* where it went among the others: the sync */
			src_add(&f->src, item);
			f->pend_put++;
		} else {
			q_push(&f->q, item);
		}
		st = ends[j];
	}
	f->enq += put;
	moved += put;
}

static void op_dev_write(void)
{
	int i = live_file(), n_ok, put, j, n_allowed = 0;
	struct file *fl;
	struct fifo *f;
	char b[1024];
	size_t n, ends[8], room;
	long want, got, ok[10];

	if (i < 0)
		return;
	fl = &M.file[i];
	f = &M.f[fl->fifo];
	if (fl->framing) {	/* one item of any bytes, newlines and NULs too */
		n = gen_bytes(b, 80, chance(20));
		if (n && chance(15))
			b[rnd(n)] = '\n';
		n_ok = n >= 1 && n <= PCFIFO_ITEM_MAX;
		ends[0] = n;
	} else {
		n = gen_lines(b, &n_ok, ends);
	}
	/* the model: what fits goes in; then EAGAIN, or a wait the timer ends */
	room = f->q.n < f->cap ? f->cap - f->q.n : 0;
	put = (size_t)n_ok < room ? n_ok : (int)room;
	if (!n && !fl->framing)
		want = 0;
	else if (!n_ok)
		want = -EINVAL;
	else
		want = put ? (long)ends[put - 1] : fl->nb ? -EAGAIN : -EINTR;
	note("file %d: write%s%s %zu bytes '%s' to fifos/%s", i,
	     fl->nb ? " O_NONBLOCK" : "", fl->framing ? " record" : "", n,
	     esc(b, n), fname[fl->fifo]);
	timer(f->busy || (!fl->nb && put < n_ok) ? BLOCK_US : GRACE_US);
	got = write(fl->fd, b, n);
	got = got < 0 ? -errno : got;
	timer(0);
	if (f->busy) {		/* any number of the items, or none */
		loose++;
		ok[n_allowed++] = want == -EINVAL || want == 0 ? want :
			fl->nb ? -EAGAIN : -EINTR;
		for (j = 0; j < n_ok; j++)
			ok[n_allowed++] = (long)ends[j];
		expect_one_of(path("write to busy fifos/%s", fname[fl->fifo]),
			      got, n_allowed, ok);
		for (put = 0; put < n_ok && (long)ends[put] <= got; put++)
			;
	} else {
		expect(path("write to fifos/%s", fname[fl->fifo]), want, got);
	}
	if (got > 0)
		put_items(fl->fifo, b, ends, put, !fl->framing);
}

/*
 * A read of a busy FIFO: some items the model cannot place, each one
 * somebody put. The sync pops what dequeued says was taken.
 */
static void read_busy(int s, const struct file *fl, size_t size, const char *b, long got)
{
	struct fifo *f = &M.f[s];
	size_t k = 0, off = 0, l;
	const char *nl;

	loose++;
	if (got <= 0) {
		if (got != (size ? (fl->nb ? -EAGAIN : -EINTR) : 0) &&
		    !(got == -EINVAL && size < PCFIFO_ITEM_MAX + !fl->framing))
			fail("read of %zu bytes from busy fifos/%s: %s", size,
			     fname[s], res(got));
		refusals += got < 0;
		return;
	}
	if (fl->framing) {
		k = 1;
		if (find_item(b, got) < 0)
			fail("read from busy fifos/%s: '%s', which nobody put",
			     fname[s], esc(b, got));
	} else if (nl_items) {
		k = 1;		/* at least; which lines are items is unknown */
		M.lost_unknown[CONS]++;
	} else {
		for (; off < (size_t)got; off += l + 1, k++) {
			nl = memchr(b + off, '\n', got - off);
			l = nl ? (size_t)(nl - b - off) : got - off;
			if (!nl || find_item(b + off, l) < 0)
				fail("read from busy fifos/%s: '%s', which nobody put",
				     fname[s], esc(b + off, got - off));
		}
	}
	f->deq += k;
	f->pend_take += k;
	moved += k;
}

/*
 * The model of a read of @size bytes through @fl: its result (bytes, 0 or
 * an errno), how many items it takes (*k) and whether an item of unknown
 * length stopped the count (*unknown: more may be taken, or EINVAL).
 */
static long read_model(const struct file *fl, size_t size, size_t *k, bool *unknown)
{
	const struct fifo *f = &M.f[fl->fifo];
	bool lines = !fl->framing;
	size_t room = size, l;
	long want = 0;
	int32_t e;

	*k = 0;
	*unknown = false;
	if (!size)
		return 0;
	if (lines && size < 2)
		return -EINVAL;
	if (!f->q.n)
		return fl->nb ? -EAGAIN : -EINTR;
	/* whole items from the head that fit, at least one */
	for (; *k < f->q.n && (lines || !*k); (*k)++) {
		e = q_at(&f->q, *k);
		if (e < 0) {
			*unknown = true;
			break;
		}
		l = items[e].len + lines;
		if (l > room)
			break;
		room -= l;
		want += l;
	}
	return !*k && !*unknown ? -EINVAL : want;
}

static void op_dev_read(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 10, 33, 64, 65, 66, 130, 1000 };
	size_t size = sizes[rnd(sizeof(sizes) / sizeof(sizes[0]))], k;
	int i = live_file(), s;
	bool unknown, lines;
	struct file *fl;
	struct fifo *f;
	uint64_t after;
	long want, got;
	char b[1024];

	if (i < 0)
		return;
	fl = &M.file[i];
	s = fl->fifo;
	f = &M.f[s];
	lines = !fl->framing;
	want = read_model(fl, size, &k, &unknown);
	note("file %d: read%s%s %zu bytes from fifos/%s", i,
	     fl->nb ? " O_NONBLOCK" : "", lines ? "" : " record", size, fname[s]);
	timer(want == -EINTR || f->busy ? BLOCK_US : GRACE_US);
	got = read(fl->fd, b, size);
	got = got < 0 ? -errno : got;
	timer(0);
	if (f->busy) {
		read_busy(s, fl, size, b, got);
		return;
	}
	if (unknown && (got > 0 || got == -EINVAL)) {
		/* an item of unknown length: count tells how many were taken */
		if (got == -EINVAL) {
			refusals++;
			return;
		}
		after = rd_num(fifo_path(s, true, "count"));
		if (after >= f->q.n)
			fail("read of %ld bytes from fifos/%s took nothing (count %"
			     PRIu64 ")", got, fname[s], after);
		take_exact(s, b, got, lines, f->q.n - after, "read");
		return;
	}
	expect(path("read of %zu bytes from fifos/%s", size, fname[s]),
	       unknown ? 1 : want, got);
	if (got > 0)
		take_exact(s, b, got, lines, k, "read");
}

/* Two pages the process may not touch: a bad buffer for read and write. */
#define BADBUF_SIZE 8192
static void *badbuf;

/*
 * A read into or a write from a bad buffer: EFAULT once there is
 * something to copy, else what the same call with a good buffer gives. A
 * write puts nothing. A read loses the items it took before it found the
 * buffer bad (Documentation/ABI/testing/dev-pcfifo); they count as
 * dequeued: count must have dropped by some of the items the same read
 * would have returned, and dequeued grown by as many (the sync checks
 * it). Reads only from a FIFO nothing running uses: how many a read took
 * is learnt from count.
 */
static void op_dev_badbuf(void)
{
	static const size_t sizes[] = { 0, 1, 2, 10, 65, 1000, 4096, BADBUF_SIZE };
	size_t size = sizes[rnd(sizeof(sizes) / sizeof(sizes[0]))], k = 0;
	int i = live_file(), s;
	bool unknown = false, wr = chance(50);
	struct file *fl;
	struct fifo *f;
	uint64_t after;
	long want, got;

	if (i < 0)
		return;
	fl = &M.file[i];
	s = fl->fifo;
	f = &M.f[s];
	if (!wr && f->busy)
		return;
	if (wr && fl->framing)
		want = !size || size > PCFIFO_ITEM_MAX ? -EINVAL : -EFAULT;
	else if (wr)
		want = size ? -EFAULT : 0;
	else
		want = read_model(fl, size, &k, &unknown);
	if (!wr && (want > 0 || unknown))
		want = -EFAULT;
	note("file %d: %s%s%s %zu bytes, a bad buffer, fifos/%s", i,
	     wr ? "write" : "read", fl->nb ? " O_NONBLOCK" : "",
	     fl->framing ? " record" : "", size, fname[s]);
	timer(want == -EINTR ? BLOCK_US : GRACE_US);
	got = wr ? write(fl->fd, badbuf, size) : read(fl->fd, badbuf, size);
	got = got < 0 ? -errno : got;
	timer(0);
	if (!wr && unknown && got == -EINVAL && !k)
		want = -EINVAL;		/* the unknown item was too long */
	expect(path("%s of %zu bytes, a bad buffer, fifos/%s",
		    wr ? "write" : "read", size, fname[s]), want, got);
	if (got != -EFAULT || wr)
		return;
	after = rd_num(fifo_path(s, true, "count"));
	if (after >= f->q.n || f->q.n - after > (unknown ? f->q.n : k))
		fail("read of %zu bytes into a bad buffer from fifos/%s: count %"
		     PRIu64 " after, %zu before; the read could take 1 to %zu",
		     size, fname[s], after, f->q.n, unknown ? f->q.n : k);
	f->deq += f->q.n - after;
	q_pop(&f->q, f->q.n - after);
}

/*
 * A wait another process ends, on a FIFO nothing running uses. Into an
 * empty one a child puts an item, or out of a full one it takes the
 * head, through the same open file, a moment after the fork; this
 * process meanwhile waits in a blocking read (write) or in poll(2) for
 * POLLIN (POLLOUT). The wait must end with the item read (written), or
 * the poll ready, when the child acts: ended by the timer (WAKE_US) it is
 * a wakeup missed. Without a child, a poll for what is not ready must
 * time out.
 */
#define WAKE_US 10000000

/*
 * Run @wait (a call that waits; its result, or -1 and errno) while another
 * process, 20 ms after the fork, runs @other (the child's exit status: 0
 * when it did its part) and so must end the wait. @what names the wait on
 * fifos/@s in the messages, @other_did and @other_part the child's part
 * ("wrote", "write"). Returns the call's result or -errno.
 */
static long woken(long (*wait)(void *), int (*other)(void *), void *ctx,
		  const char *what, int s, const char *other_did,
		  const char *other_part)
{
	sig_atomic_t a0;
	pid_t pid;
	long got;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		usleep(20000);
		_exit(other(ctx));
	}
	a0 = alarms;
	timer(WAKE_US);
	got = wait(ctx);
	got = got < 0 ? -errno : got;
	timer(0);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail("the other process's %s on fifos/%s failed (status 0x%x)",
		     other_part, fname[s], st);
	if (alarms != a0)
		fail("%s on fifos/%s: not woken when the other process %s, only by the timer (%s)",
		     what, fname[s], other_did, res(got));
	return got;
}

/* op_wait's two processes: through the same open file. */
struct wait_ctx {
	struct file *fl;
	struct pollfd p;
	bool empty, io;
	const char *it;		/* the item one of them writes */
	size_t n, hn;
	const char *head;	/* what the child reads of a full FIFO */
	char *b;		/* what this process reads of an empty one */
	size_t size;
};

static long wait_here(void *c)
{
	struct wait_ctx *w = c;

	if (!w->io)
		return poll(&w->p, 1, WAKE_US / 1000);
	return w->empty ? read(w->fl->fd, w->b, w->size) : write(w->fl->fd, w->it, w->n);
}

static int wait_other(void *c)
{
	struct wait_ctx *w = c;
	char b[PCFIFO_ITEM_MAX + 1];

	if (w->empty)
		return write(w->fl->fd, w->it, w->n) == (ssize_t)w->n ? 0 : 3;
	/* the head only */
	return read(w->fl->fd, b, w->hn) == (ssize_t)w->hn &&
	       !memcmp(b, w->head, w->hn) ? 0 : 4;
}

static void op_wait(void)
{
	int i = live_file(), s, v = rnd(10);
	char it[8], b[1024], head[PCFIFO_ITEM_MAX + 1];
	size_t n, hn = 0;
	struct wait_ctx w;
	struct pollfd p;
	struct file *fl;
	struct fifo *f;
	const char *what;
	bool empty, io;
	long got, want;
	int32_t e;

	if (i < 0)
		return;
	fl = &M.file[i];
	s = fl->fifo;
	f = &M.f[s];
	empty = !f->q.n;
	if (f->busy || (!empty && f->q.n < f->cap))
		return;
	p = (struct pollfd){ .fd = fl->fd, .events = empty ? POLLIN : POLLOUT };
	if (chance(25)) {
		note("file %d: poll for %s, 20 ms, fifos/%s %s", i,
		     empty ? "POLLIN" : "POLLOUT", fname[s], empty ? "empty" : "full");
		got = poll(&p, 1, 20);
		expect(path("poll for what fifos/%s cannot give", fname[s]), 0,
		       got < 0 ? -errno : got);
		return;
	}
	/* the item the child or this process writes */
	n = (size_t)snprintf(it, sizeof(it), "w%d%s", v, fl->framing ? "" : "\n");
	if (!empty) {		/* the child takes the head */
		e = q_at(&f->q, 0);
		if (e < 0)
			return;
		hn = items[e].len;
		memcpy(head, items[e].b, hn);
		if (!fl->framing)
			head[hn++] = '\n';
	}
	io = !fl->nb && chance(60);
	what = io ? (empty ? "read" : "write") : "poll";
	note("file %d: %s%s on fifos/%s %s, another process %s", i, what,
	     io ? "" : (empty ? " for POLLIN" : " for POLLOUT"),
	     fname[s], empty ? "empty" : "full", empty ? "writes" : "reads");
	w = (struct wait_ctx){ .fl = fl, .p = p, .empty = empty, .io = io,
			       .it = it, .n = n, .hn = hn, .head = head,
			       .b = b, .size = sizeof(b) };
	got = woken(wait_here, wait_other, &w, what, s, empty ? "wrote" : "read",
		    empty ? "write" : "read of the head");
	want = io ? (long)n : 1;
	expect(path("%s on fifos/%s", what, fname[s]), want, got);
	if (!io && !(w.p.revents & w.p.events))
		fail("poll on fifos/%s: revents 0x%x, expected 0x%x", fname[s],
		     w.p.revents, w.p.events);
	if (!empty) {
		q_pop(&f->q, 1);
		f->deq++;
		moved++;
	}
	if (empty || io) {
		size_t end = n;

		put_items(s, it, &end, 1, !fl->framing);
	}
	if (empty && io)
		take_exact(s, b, got, !fl->framing, 1, "read");
}

/* ---- the kernel API, through pcfuzz_api ---- */

/*
 * tests/fuzz/kmod/pcfuzz_api.c makes each open file of API_DEV an API
 * user: ioctls hold and release a FIFO and choose the function that
 * write (put one item) and read (take one) call. The numbers are those
 * of pcfuzz_api.c.
 */
#define API_MOD "pcfuzz_api"
#define API_DEV "/dev/" API_MOD
#define PCFUZZ_IOC_LOOKUP _IO('z', 1)
#define PCFUZZ_IOC_RELEASE _IO('z', 2)
#define PCFUZZ_IOC_MODE _IO('z', 3)
enum { PCFUZZ_WAIT, PCFUZZ_KILLABLE, PCFUZZ_TRY, PCFUZZ_TIMEOUT };

static bool api;		/* pcfuzz_api is loaded */

/* What a killable call's process got: its result and the item taken. */
static struct { long r; char b[1024]; } *api_shared;

static int api_user(void)
{
	int i, s;

	for (i = 0, s = rnd(NUSER); i < NUSER; i++, s = (s + 1) % NUSER)
		if (M.user[s].fd >= 0)
			return s;
	return -1;
}

static void api_close(int i)
{
	note("api user %d: close", i);
	expect("close " API_DEV, 0, close(M.user[i].fd) ? -errno : 0);
	M.user[i].fd = -1;
}

static void op_api_open(void)
{
	int i = rnd(NUSER), fd;

	if (M.user[i].fd >= 0)
		api_close(i);
	note("api user %d: open %s", i, API_DEV);
	fd = open(API_DEV, O_RDWR);
	expect("open " API_DEV, 0, fd < 0 ? -errno : 0);
	M.user[i] = (struct user){ .fd = fd, .fifo = -1 };
}

static void op_api_lookup(void)
{
	int i = api_user(), s = rnd(NSLOT + 1);
	const char *name = s < NSLOT ? fname[s] : long_name;
	struct user *u;
	long want;

	if (i < 0)
		return;
	u = &M.user[i];
	/* one FIFO per user: pcfuzz_api's rule */
	want = u->fifo >= 0 ? -EBUSY : s < NSLOT && M.f[s].live ? 0 : -ENOENT;
	note("api user %d: pcfifo_lookup(\"%.20s\")", i, name);
	expect(path("pcfifo_lookup(\"%.20s\")", name), want,
	       ioctl(u->fd, PCFUZZ_IOC_LOOKUP, name) ? -errno : 0);
	if (!want)
		u->fifo = s;
}

static void op_api_release(void)
{
	int i = api_user();
	struct user *u;

	if (i < 0)
		return;
	u = &M.user[i];
	note("api user %d: pcfifo_release(fifos/%.20s)", i,
	     u->fifo >= 0 ? fname[u->fifo] : "(none held)");
	expect("pcfifo_release", u->fifo >= 0 ? 0 : -ENXIO,
	       ioctl(u->fd, PCFUZZ_IOC_RELEASE) ? -errno : 0);
	u->fifo = -1;
}

/*
 * How user @i's next put or take waits: the function's name for the
 * notes, *@mode, and *@blocked, its result when it would wait. Never
 * killable on a busy FIFO: an item could move just as its process is
 * killed, and the model would not know.
 */
static const char *api_mode(int i, bool put, bool busy, int *mode, long *blocked)
{
	static const int modes[] = { PCFUZZ_WAIT, PCFUZZ_TRY, PCFUZZ_TIMEOUT, PCFUZZ_KILLABLE };
	static const long mss[] = { 0, 1, 5, 20 };
	static char fn[48];
	const char *v = put ? "enqueue" : "dequeue";
	long ms = 0;

	*mode = modes[rnd(busy ? 3 : 4)];
	if (*mode == PCFUZZ_TIMEOUT)
		ms = mss[rnd(4)];
	expect("ioctl PCFUZZ_IOC_MODE", 0,
	       ioctl(M.user[i].fd, PCFUZZ_IOC_MODE, (unsigned long)(*mode + ms)) ? -errno : 0);
	*blocked = *mode == PCFUZZ_TRY ? -EAGAIN : *mode == PCFUZZ_TIMEOUT ? -ETIMEDOUT : -EINTR;
	if (*mode == PCFUZZ_TRY)
		snprintf(fn, sizeof(fn), "pcfifo_try_%s", v);
	else if (*mode == PCFUZZ_TIMEOUT)
		snprintf(fn, sizeof(fn), "pcfifo_%s_timeout(%ld ms)", v, ms);
	else
		snprintf(fn, sizeof(fn), "pcfifo_%s%s", v, *mode ? "_killable" : "");
	return fn;
}

/*
 * User @u's write (@put) of @n bytes of @b, or read of @n bytes into @b,
 * in @mode. A call that may wait (@waits) is ended after BLOCK_US: by
 * SIGALRM (EINTR) or, for a killable one, by killing the process that
 * makes it (reported as EINTR: nothing moved).
 */
static long api_call(const struct user *u, int mode, bool put, char *b, size_t n,
		     bool waits)
{
	pid_t pid;
	long r;
	int st;

	if (mode != PCFUZZ_KILLABLE) {
		timer(waits && mode == PCFUZZ_WAIT ? BLOCK_US : GRACE_US);
		r = put ? write(u->fd, b, n) : read(u->fd, b, n);
		r = r < 0 ? -errno : r;
		timer(0);
		return r;
	}
	api_shared->r = LONG_MIN;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		r = put ? write(u->fd, b, n) : read(u->fd, api_shared->b, n);
		api_shared->r = r < 0 ? -errno : r;
		_exit(0);
	}
	timer(waits ? BLOCK_US : GRACE_US);
	r = waitpid(pid, &st, 0);
	timer(0);
	if (r < 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return -EINTR;
	if (!WIFEXITED(st) || api_shared->r == LONG_MIN)
		fail("the process of a killable call ended with status 0x%x", st);
	if (!put && api_shared->r > 0)
		memcpy(b, api_shared->b, api_shared->r);
	return api_shared->r;
}

/*
 * A waiting put into a full FIFO (take from an empty one) that another
 * process ends after 20 ms through the FIFO's device file: it takes the
 * head (puts an item). The call must return then, not at the timer.
 */
/* api_woken's two processes: the API user, and one on the device file. */
struct api_wake_ctx {
	const struct user *u;
	int s;
	bool put;
	const char *b;		/* what the user puts */
	size_t n;
	char it[8];		/* what the other process writes */
	size_t itn;
	char head[PCFIFO_ITEM_MAX];	/* what it reads */
	size_t hn;
	char got[1024];		/* what the user takes */
};

static long api_wake_here(void *c)
{
	struct api_wake_ctx *w = c;

	return w->put ? write(w->u->fd, w->b, w->n) : read(w->u->fd, w->got, sizeof(w->got));
}

static int api_wake_other(void *c)
{
	struct api_wake_ctx *w = c;
	char b[1024];
	int fd, one = 1;

	fd = open(path("%s/%s", DEVDIR, fname[w->s]), O_RDWR | O_NONBLOCK);
	if (fd < 0 || ioctl(fd, PCFIFO_IOC_SET_FRAMING, &one))
		return 2;
	if (!w->put)
		return write(fd, w->it, w->itn) == (ssize_t)w->itn ? 0 : 3;
	return read(fd, b, sizeof(b)) == (ssize_t)w->hn &&
	       !memcmp(b, w->head, w->hn) ? 0 : 4;
}

static void api_woken(int i, const char *fn, bool put, const char *b, size_t n)
{
	struct api_wake_ctx w = { .u = &M.user[i], .s = M.user[i].fifo,
				  .put = put, .b = b, .n = n };
	int s = w.s;
	struct fifo *f = &M.f[s];
	size_t end;
	int32_t e;
	long got;

	if (put) {
		e = q_at(&f->q, 0);
		if (e < 0)
			return;
		w.hn = items[e].len;
		memcpy(w.head, items[e].b, w.hn);
	} else {
		w.itn = (size_t)snprintf(w.it, sizeof(w.it), "k%u", rnd(10));
	}
	note("api user %d: %s on fifos/%s %s, another process %s through %s/%s",
	     i, fn, fname[s], put ? "full" : "empty", put ? "reads" : "writes",
	     DEVDIR, fname[s]);
	got = woken(api_wake_here, api_wake_other, &w, fn, s, put ? "read" : "wrote",
		    put ? "read of the head" : "write");
	if (put) {
		q_pop(&f->q, 1);
		f->deq++;
		moved++;
		expect(path("%s on fifos/%s", fn, fname[s]), (long)n, got);
		end = n;
		put_items(s, b, &end, 1, false);
		return;
	}
	end = w.itn;
	put_items(s, w.it, &end, 1, false);
	expect(path("%s on fifos/%s", fn, fname[s]), (long)w.itn, got);
	take_exact(s, w.got, got, false, 1, fn);
}

/* A call without a FIFO held: pcfuzz_api's ENXIO. */
static void api_unheld(int i, bool put)
{
	char c = 'x';

	note("api user %d: %s without a FIFO", i, put ? "write" : "read");
	expect(put ? "write to " API_DEV " without a FIFO" : "read from " API_DEV
	       " without a FIFO", -ENXIO,
	       (put ? write(M.user[i].fd, &c, 1) : read(M.user[i].fd, &c, 1)) < 0 ?
	       -errno : 1);
}

static void op_api_put(void)
{
	int i = api_user(), s, mode;
	long want, got, blocked, ok[2];
	const char *fn;
	struct fifo *f;
	size_t n, end;
	char b[128];

	if (i < 0)
		return;
	if (M.user[i].fifo < 0) {
		api_unheld(i, true);
		return;
	}
	s = M.user[i].fifo;
	f = &M.f[s];
	n = gen_bytes(b, 80, chance(15));	/* any bytes, NULs too */
	fn = api_mode(i, true, f->busy, &mode, &blocked);
	want = !n || n > PCFIFO_ITEM_MAX ? -EINVAL : f->q.n < f->cap ? (long)n : blocked;
	if (want == blocked && mode == PCFUZZ_WAIT && !f->busy && chance(40)) {
		api_woken(i, fn, true, b, n);
		return;
	}
	note("api user %d: %s of %zu bytes '%s' to fifos/%s", i, fn, n, esc(b, n),
	     fname[s]);
	got = api_call(&M.user[i], mode, true, b, n, f->busy || want == blocked);
	if (f->busy && want != -EINVAL) {	/* it may have had room, or not */
		loose++;
		ok[0] = (long)n;
		ok[1] = blocked;
		expect_one_of(path("%s to busy fifos/%s", fn, fname[s]), got, 2, ok);
	} else {
		expect(path("%s to fifos/%s", fn, fname[s]), want, got);
	}
	if (got > 0) {
		end = n;
		put_items(s, b, &end, 1, false);
	}
}

static void op_api_take(void)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 10, 63, 64, 65, 1000 };
	size_t size = sizes[rnd(sizeof(sizes) / sizeof(sizes[0]))], room;
	int i = api_user(), s, mode;
	long want, got, blocked;
	bool unknown = false;
	char b[1024];
	const char *fn;
	struct fifo *f;
	int32_t e;

	if (i < 0)
		return;
	if (M.user[i].fifo < 0) {
		api_unheld(i, false);
		return;
	}
	s = M.user[i].fifo;
	f = &M.f[s];
	fn = api_mode(i, false, f->busy, &mode, &blocked);
	room = size < PCFIFO_ITEM_MAX ? size : PCFIFO_ITEM_MAX;
	if (!f->q.n)
		want = blocked;
	else if ((e = q_at(&f->q, 0)) >= 0)
		want = items[e].len <= room ? (long)items[e].len : -EMSGSIZE;
	else
		unknown = true;		/* any length, or EMSGSIZE */
	if (unknown)
		want = 1;
	if (want == blocked && mode == PCFUZZ_WAIT && !f->busy && chance(40)) {
		api_woken(i, fn, false, NULL, 0);
		return;
	}
	note("api user %d: %s into %zu bytes from fifos/%s", i, fn, size, fname[s]);
	got = api_call(&M.user[i], mode, false, b, size, f->busy || want == blocked);
	if (f->busy) {		/* some item somebody put, or none */
		loose++;
		if (got > 0 && find_item(b, got) < 0)
			fail("%s from busy fifos/%s: '%s', which nobody put", fn,
			     fname[s], esc(b, got));
		if (got <= 0 && got != blocked && !(got == -EMSGSIZE && room < PCFIFO_ITEM_MAX))
			fail("%s into %zu bytes from busy fifos/%s: %s", fn, size,
			     fname[s], res(got));
		if (got <= 0) {
			refusals++;
			return;
		}
		f->deq++;
		f->pend_take++;
		moved++;
		return;
	}
	if (unknown && got == -EMSGSIZE && room < PCFIFO_ITEM_MAX) {
		refusals++;
		return;
	}
	if (!unknown || got <= 0)
		expect(path("%s into %zu bytes from fifos/%s", fn, size, fname[s]),
		       want, got);
	if (got > 0)
		take_exact(s, b, got, false, 1, fn);
}

/* ---- modules ---- */

static void gen_param(char *b, size_t size, bool rate, long *err, unsigned int *v, int *item)
{
	static const char *const bad_rate[] = { "abc", "-1", "1000001", "4294967296", "" };
	char tmp[80];
	size_t n;

	if (rate) {
		if (chance(75))
			n = sprintf(tmp, "%u", rates[rnd(sizeof(rates) / sizeof(rates[0]))]);
		else
			n = sprintf(tmp, "%s", bad_rate[rnd(5)]);
		*err = parse_uint(tmp, n, 0, RATE_MAX, v);
		snprintf(b, size, "rate=%s", tmp);
	} else {
		n = chance(80) ? 1 + rnd(12) : (chance(50) ? 0 : 65 + rnd(4));
		for (size_t j = 0; j < n; j++)
			tmp[j] = (char)('a' + rnd(26));
		tmp[n] = '\0';
		*err = parse_item(tmp, n, item);
		snprintf(b, size, "item=%s", tmp);
	}
}

static void op_modprobe(void)
{
	int k = rnd(2), nargs = 1, item = -1, j, order = rnd(2);
	char p[2][96], *args[4] = { (char *)kind_mod[k] };
	unsigned int rate = 1;
	long want = 0, e;
	bool any = false;

	for (j = 0; j < 2; j++) {
		bool is_rate = j ^ order;

		if ((k == CONS && !is_rate) || chance(40))
			continue;
		gen_param(p[j], sizeof(p[j]), is_rate, &e, &rate, &item);
		if (!want)
			want = e;
		args[nargs++] = p[j];
		any = true;
	}
	if (M.role[k])
		want = 0;	/* loaded: modprobe does nothing */
	note("modprobe %s %s %s", kind_mod[k], nargs > 1 ? args[1] : "",
	     nargs > 2 ? args[2] : "");
	modprobe(path("modprobe %s", kind_mod[k]), args, nargs, want);
	if (M.role[k] || want)
		return;
	M.role[k] = true;
	if (!any)
		return;
	M.in[k][0] = (struct inst){ .live = true, .param = true, .fifo = 0,
		.rate = rate, .last = -1,
		.item = item >= 0 ? item : intern("default", 7) };
	mark_busy();
}

static long delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static void op_rmmod(void)
{
	int k = rnd(2), s;
	long want = M.role[k] ? 0 : -ENOENT;

	for (s = 0; s < NSLOT; s++)
		if (M.in[k][s].live && !M.in[k][s].param)
			want = -EWOULDBLOCK;
	note("delete_module %s", kind_mod[k]);
	if (!want && M.in[k][0].param)
		inst_gone(k, 0);
	expect(path("delete_module(%s)", kind_mod[k]), want, delete_module(kind_mod[k]));
	if (!want)
		M.role[k] = false;
}

/* Unload pcfifo, when the model says it may go, and load it with a capacity. */
static void op_reload(void)
{
	static const char *const bad[] = { "0", "abc", "65537", "-1" };
	char arg[32], *args[2] = { "pcfifo", arg };
	long want = M.role[PROD] || M.role[CONS] ? -EWOULDBLOCK : 0;
	unsigned int cap = 32;
	int s;

	for (s = 1; s < NSLOT; s++)
		if (M.f[s].live)
			want = -EWOULDBLOCK;
	for (s = 0; s < NFILE; s++)
		if (M.file[s].fd >= 0)
			want = -EWOULDBLOCK;
	if (!want && M.f[0].busy)
		fail("fifos/default busy without instances");
	if (!want && api) {	/* pcfuzz_api uses pcfifo: it goes first */
		note("delete_module pcfifo, " API_MOD " loaded");
		expect("delete_module(pcfifo) while " API_MOD " uses it", -EWOULDBLOCK,
		       delete_module("pcfifo"));
		for (s = 0; s < NUSER; s++)
			if (M.user[s].fd >= 0)
				api_close(s);
		note("delete_module " API_MOD);
		expect("delete_module(" API_MOD ")", 0, delete_module(API_MOD));
	}
	note("delete_module pcfifo");
	expect("delete_module(pcfifo)", want, delete_module("pcfifo"));
	if (want)
		return;
	M.f[0].live = false;
	if (chance(50)) {
		snprintf(arg, sizeof(arg), "capacity=%s", bad[rnd(4)]);
		note("modprobe pcfifo %s", arg);
		modprobe("modprobe pcfifo with a bad capacity", args, 2, -EINVAL);
	}
	if (chance(70))
		cap = caps[rnd(sizeof(caps) / sizeof(caps[0]))];
	snprintf(arg, sizeof(arg), "capacity=%u", cap);
	note("modprobe pcfifo %s", cap == 32 ? "" : arg);
	modprobe("modprobe pcfifo", args, cap == 32 ? 1 : 2, 0);
	num_is("/sys/module/pcfifo/parameters/capacity", cap);
	M.param_cap = cap;
	fifo_reset(0, cap);
	if (api) {
		args[0] = API_MOD;
		note("modprobe " API_MOD);
		modprobe("modprobe " API_MOD, args, 1, 0);
	}
}

static void op_sync(void)
{
	sync_all(false);
}

static struct op ops[] = {
	{ "mkdir-fifo", op_mkdir_fifo, 5, 0 },
	{ "rmdir-fifo", op_rmdir_fifo, 4, 0 },
	{ "mkdir-inst", op_mkdir_inst, 6, 0 },
	{ "rmdir-inst", op_rmdir_inst, 4, 0 },
	{ "mkdir-bad", op_mkdir_bad, 1, 0 },
	{ "rate", op_rate, 10, 0 },
	{ "item", op_item, 6, 0 },
	{ "fifo", op_fifo, 8, 0 },
	{ "capacity", op_capacity, 7, 0 },
	{ "ro-write", op_ro_write, 1, 0 },
	{ "open", op_open, 5, 0 },
	{ "close", op_close, 2, 0 },
	{ "ctl", op_ctl, 4, 0 },
	{ "poll", op_poll, 3, 0 },
	{ "dev-write", op_dev_write, 12, 0 },
	{ "dev-read", op_dev_read, 12, 0 },
	{ "dev-badbuf", op_dev_badbuf, 2, 0 },
	{ "wait", op_wait, 3, 0 },
	{ "modprobe", op_modprobe, 2, 0 },
	{ "rmmod", op_rmmod, 2, 0 },
	{ "reload", op_reload, 1, 0 },
	{ "sync", op_sync, 3, 0 },
	/* the kernel API: no weight without pcfuzz_api (main) */
	{ "api-open", op_api_open, 2, 0 },
	{ "api-lookup", op_api_lookup, 3, 0 },
	{ "api-release", op_api_release, 2, 0 },
	{ "api-put", op_api_put, 6, 0 },
	{ "api-take", op_api_take, 6, 0 },
};
#define N_OPS ((int)(sizeof(ops) / sizeof(ops[0])))

/* ------------------------------------------------------ setup, end ---- */

/* Take every item out of @s through its device file; check them if @check. */
static void drain(int s, bool check)
{
	char b[PCFIFO_ITEM_MAX];
	int fd = open(path("%s/%s", DEVDIR, fname[s]), O_RDWR | O_NONBLOCK), v = 1;
	long r;

	if (fd < 0 || ioctl(fd, PCFIFO_IOC_SET_FRAMING, &v))
		fail("cannot open %s/%s: %s", DEVDIR, fname[s], strerror(errno));
	while ((r = read(fd, b, sizeof(b))) > 0) {
		if (check)
			take_exact(s, b, r, false, 1, "drain");
	}
	expect("drain: the last read", -EAGAIN, r < 0 ? -errno : r);
	close(fd);
}

/* Remove everything made, check that nothing is left. */
static void teardown(void)
{
	int i, k, s;

	step++;
	note("teardown");
	for (i = 0; i < NFILE; i++)
		if (M.file[i].fd >= 0) {
			close(M.file[i].fd);
			M.file[i].fd = -1;
		}
	for (i = 0; i < NUSER; i++)
		if (M.user[i].fd >= 0)
			api_close(i);
	sync_all(true);
	for (k = 0; k < 2; k++)
		for (s = 0; s < NSLOT; s++)
			if (M.in[k][s].live && !M.in[k][s].param) {
				note("rmdir %s/%s", kind_dir[k], iname[s]);
				inst_gone(k, s);
				expect(path("rmdir %s/%s", kind_dir[k], iname[s]), 0,
				       rmdir(path("%s/%s/%s", CFG, kind_dir[k], iname[s])) ?
				       -errno : 0);
			}
	for (k = 0; k < 2; k++)
		if (M.role[k]) {
			if (M.in[k][0].param)
				inst_gone(k, 0);
			note("delete_module %s", kind_mod[k]);
			expect(kind_mod[k], 0, delete_module(kind_mod[k]));
			M.role[k] = false;
		}
	sync_all(true);
	for (s = 1; s < NSLOT; s++)
		if (M.f[s].live) {
			note("rmdir fifos/%.20s", fname[s]);
			expect(path("rmdir fifos/%.20s", fname[s]), 0,
			       rmdir(path("%s/fifos/%s", CFG, fname[s])) ? -errno : 0);
			M.f[s].live = false;
		}
	drain(0, true);
	if (M.f[0].cap != M.param_cap) {
		char b[16];
		int n = sprintf(b, "%u", M.param_cap);

		expect("capacity back", n, wr_attr(fifo_path(0, false, "capacity"), b, n));
		M.f[0].cap = M.param_cap;
	}
	check_state();
}

static void setup(void)
{
	uint64_t enq, deq;
	int k, s;

	for (k = 0; k < 2; k++) {
		M.role[k] = is_loaded(kind_mod[k]);
		for (s = 0; s < NSLOT; s++)
			M.in[k][s].live = false;
	}
	for (s = 0; s < NSLOT; s++)
		M.f[s].live = false;
	for (s = 0; s < NFILE; s++)
		M.file[s].fd = -1;
	for (s = 0; s < NUSER; s++)
		M.user[s].fd = -1;
	memset(M.lost_lb, 0, sizeof(M.lost_lb));
	memset(M.lost_unknown, 0, sizeof(M.lost_unknown));
	M.param_cap = (unsigned int)rd_num("/sys/module/pcfifo/parameters/capacity");
	fifo_reset(0, (unsigned int)rd_num(fifo_path(0, true, "capacity")));
	drain(0, false);
	enq = rd_num(fifo_path(0, true, "enqueued"));
	deq = rd_num(fifo_path(0, true, "dequeued"));
	M.f[0].enq = enq;
	M.f[0].deq = deq;
	check_state();	/* nothing but default, no instance */
}

static void run_round(uint64_t s, long steps)
{
	int total = 0, i, r;

	seed = s;
	rng = s;
	hist_n = 0;
	step = 0;
	/*
	 * The last round's teardown left no item anywhere: forget its items,
	 * or a long run (--minutes) fills items[].
	 */
	n_items = 0;
	nl_items = false;
	n_sets = 0;
	setup();
	for (i = 0; i < N_OPS; i++)
		total += ops[i].weight;
	for (step = 1; step <= steps; step++) {
		r = rnd(total);
		for (i = 0; r >= ops[i].weight; i++)
			r -= ops[i].weight;
		ops[i].count++;
		ops[i].fn();
		check_state();
	}
	step = steps;
	teardown();
}

static void usage(void)
{
	fprintf(stderr, "usage: pcfuzz [--seed N] [--steps M] [--minutes T] [--verbose]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	uint64_t s0 = 1, sub, mix;
	long steps = -1, minutes = 0, total = 0, round;
	struct timespec t0, t1;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
			continue;
		}
		if (i + 1 == argc)
			usage();
		errno = 0;
		if (!strcmp(argv[i], "--seed"))
			s0 = strtoull(argv[++i], &end, 0);
		else if (!strcmp(argv[i], "--steps"))
			steps = strtol(argv[++i], &end, 0);
		else if (!strcmp(argv[i], "--minutes"))
			minutes = strtol(argv[++i], &end, 0);
		else
			usage();
		if (errno || *end || end == argv[i])
			usage();
	}
	if (steps < 0)
		steps = minutes ? 500 : 8000;
	if (access(CFG "/fifos/default", F_OK)) {
		fprintf(stderr, "pcfuzz: pcfifo is not loaded (%s)\n", CFG);
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	badbuf = mmap(NULL, BADBUF_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	api_shared = mmap(NULL, sizeof(*api_shared), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (badbuf == MAP_FAILED || api_shared == MAP_FAILED)
		return 2;
	api = !access(API_DEV, F_OK);
	for (i = 0; i < N_OPS && !api; i++)
		if (!strncmp(ops[i].name, "api-", 4))
			ops[i].weight = 0;
	if (!api)
		printf("pcfuzz: no %s (%s not loaded): the kernel API is not fuzzed\n",
		       API_DEV, API_MOD);
	for (i = 0; i < NSLOT; i++) {
		snprintf(fname[i], sizeof(fname[i]), i ? "f%d" : "default", i);
		snprintf(iname[i], sizeof(iname[i]), i ? "i%d" : "default", i);
	}
	memset(fname[NSLOT - 1], 'F', NAME_MAX_);
	memset(iname[NSLOT - 1], 'I', NAME_MAX_);
	memset(long_name, 'L', NAME_MAX_ + 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0;; round++) {
		mix = s0 + round;
		sub = minutes ? splitmix(&mix) : s0;
		if (minutes)
			printf("pcfuzz: round %ld: --seed %" PRIu64 " --steps %ld\n",
			       round, sub, steps);
		else
			printf("pcfuzz: --seed %" PRIu64 " --steps %ld\n", sub, steps);
		run_round(sub, steps);
		total += steps;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!minutes || t1.tv_sec - t0.tv_sec >= minutes * 60)
			break;
	}
	printf("pcfuzz: ops:");
	for (i = 0; i < N_OPS; i++)
		printf(" %s=%lu", ops[i].name, ops[i].count);
	printf("\npcfuzz: PASS: seed %" PRIu64 ", %ld rounds, %ld steps in %ld s, "
	       "%lu refusals checked, %lu items moved, %lu syncs, %lu loose checks\n",
	       s0, round + 1, total, (long)(t1.tv_sec - t0.tv_sec), refusals,
	       moved, syncs, loose);
	return 0;
}
