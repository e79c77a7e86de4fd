// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: reading and writing configfs and sysfs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tree.h"

static void obj_path(char *buf, size_t size, const char *root, enum kind k,
		     const char *name, const char *attr)
{
	snprintf(buf, size, "%s/%s/%s%s%s", root, kind_dir(k), name,
		 attr ? "/" : "", attr ? attr : "");
}

int tree_loaded(void)
{
	return access(SYSFS_ROOT, F_OK) == 0;
}

/* Run modprobe and wait for it; its exit status, or -1. */
int tree_modprobe(const char *opt, const char *module)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		const char *argv[] = { "modprobe", opt, module, NULL };

		if (!opt) {
			argv[1] = module;
			argv[2] = NULL;
		}
		execvp(argv[0], (char *const *)argv);
		/* PATH without sbin: where kmod installs it. */
		execv("/sbin/modprobe", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int configfs_mounted(void)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char dev[128], dir[256], type[64];

		if (sscanf(line, "%127s %255s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "configfs") && !strcmp(dir, CONFIGFS_MOUNT))
			found = 1;
	}
	fclose(f);
	return found;
}

int tree_ensure(void)
{
	if (!tree_loaded()) {
		int rc = tree_modprobe(NULL, "pcfifo");

		if (rc || !tree_loaded()) {
			fprintf(stderr, "pcfifoctl: cannot load pcfifo: modprobe pcfifo %s%d\n",
				rc < 0 ? "failed" : "exited with status ", rc < 0 ? 0 : rc);
			return EXIT_FAIL;
		}
	}
	if (access(CONFIGFS_ROOT, F_OK) && !configfs_mounted()) {
		tree_modprobe("-q", "configfs");	/* built in on most kernels */
		if (mount("configfs", CONFIGFS_MOUNT, "configfs", 0, NULL) &&
		    errno != EBUSY) {
			fprintf(stderr, "pcfifoctl: cannot mount configfs at %s: %s\n",
				CONFIGFS_MOUNT, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (access(CONFIGFS_ROOT, F_OK)) {
		fprintf(stderr, "pcfifoctl: %s: %s\n", CONFIGFS_ROOT, strerror(errno));
		return EXIT_FAIL;
	}
	return 0;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	int err = 0;

	if (fd < 0)
		return errno;
	/* sysfs returns a value in one read; loop for the rest anyway. */
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return err;
}

int tree_get(enum kind k, const char *name, const char *attr, char *buf,
	     size_t size)
{
	char path[512], tmp[4 * PCFIFO_ITEM_MAX];
	int err;

	/* Whole of the value first, then its newline stripped, then cut. */
	obj_path(path, sizeof(path), SYSFS_ROOT, k, name, attr);
	err = read_file(path, tmp, sizeof(tmp));
	snprintf(buf, size, "%s", tmp);
	return err;
}

int tree_set(enum kind k, const char *name, const char *attr, const char *value)
{
	char path[512], buf[PCFIFO_ITEM_MAX + 2];
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	if (len + 1 >= sizeof(buf))
		return EINVAL;
	memcpy(buf, value, len);
	buf[len++] = '\n';
	obj_path(path, sizeof(path), SYSFS_ROOT, k, name, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

int tree_exists(enum kind k, const char *name)
{
	char path[512];

	obj_path(path, sizeof(path), SYSFS_ROOT, k, name, NULL);
	return access(path, F_OK) == 0;
}

int tree_in_configfs(enum kind k, const char *name)
{
	char path[512];

	obj_path(path, sizeof(path), CONFIGFS_ROOT, k, name, NULL);
	return access(path, F_OK) == 0;
}

int tree_mkdir(enum kind k, const char *name)
{
	char path[512];

	obj_path(path, sizeof(path), CONFIGFS_ROOT, k, name, NULL);
	return mkdir(path, 0755) ? errno : 0;
}

int tree_rmdir(enum kind k, const char *name)
{
	char path[512];

	obj_path(path, sizeof(path), CONFIGFS_ROOT, k, name, NULL);
	return rmdir(path) ? errno : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tree_names_free(char **names, unsigned int n)
{
	while (n)
		free(names[--n]);
	free(names);
}

int tree_names(enum kind k, char ***names, unsigned int *n)
{
	char path[512];
	DIR *d;
	const struct dirent *e;
	char **v = NULL;
	unsigned int c = 0;

	*names = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", SYSFS_ROOT, kind_dir(k));
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : errno;
	while ((e = readdir(d))) {
		char **nv;

		if (e->d_name[0] == '.')
			continue;
		nv = realloc(v, (c + 1) * sizeof(*v));
		if (!nv || !(nv[c] = strdup(e->d_name))) {
			closedir(d);
			tree_names_free(nv ? nv : v, c);
			return ENOMEM;
		}
		v = nv;
		c++;
	}
	closedir(d);
	if (c)
		qsort(v, c, sizeof(*v), cmp_str);
	*names = v;
	*n = c;
	return 0;
}

static int get_u64(enum kind k, const char *name, const char *attr, uint64_t *v)
{
	char buf[32], *end;
	int err = tree_get(k, name, attr, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno || end == buf || *end ? EIO : 0;
}

static int get_uint(enum kind k, const char *name, const char *attr,
		    unsigned int *v)
{
	uint64_t x;
	int err = get_u64(k, name, attr, &x);

	*v = (unsigned int)x;
	return err;
}

int tree_get_total(enum kind k, const char *name, uint64_t *v)
{
	return get_u64(k, name, k == KIND_PRODUCER ? "produced" : "consumed", v);
}

static int read_fifo(struct state *s, const char *name)
{
	struct fifo_info *f = state_add_fifo(s, name);

	if (!f)
		return ENOMEM;
	f->has_capacity = true;
	return get_uint(KIND_FIFO, name, "capacity", &f->capacity) ?:
	       get_uint(KIND_FIFO, name, "count", &f->count) ?:
	       get_u64(KIND_FIFO, name, "enqueued", &f->enqueued) ?:
	       get_u64(KIND_FIFO, name, "dequeued", &f->dequeued);
}

static int read_inst(struct state *s, enum kind k, const char *name)
{
	struct inst_info *i = state_add_inst(s, k, name);
	int err;

	if (!i)
		return ENOMEM;
	i->configfs = tree_in_configfs(k, name);
	i->has_fifo = i->has_rate = true;
	err = tree_get(k, name, "fifo", i->fifo, sizeof(i->fifo)) ?:
	      get_uint(k, name, "rate", &i->rate);
	if (err)
		return err;
	if (k == KIND_PRODUCER) {
		i->has_item = true;
		return tree_get(k, name, "item", i->item, sizeof(i->item)) ?:
		       get_u64(k, name, "produced", &i->total);
	}
	return get_u64(k, name, "consumed", &i->total) ?:
	       tree_get(k, name, "last_item", i->last_item, sizeof(i->last_item)) ?:
	       get_u64(k, name, "latency_avg_ns", &i->latency_avg_ns) ?:
	       get_u64(k, name, "latency_max_ns", &i->latency_max_ns);
}

int tree_read_state(struct state *s)
{
	enum kind k;
	int err = 0;

	state_init(s);
	if (!tree_loaded())
		return ENOENT;
	for (k = KIND_FIFO; k < KIND_NONE && !err; k++) {
		char **names;
		unsigned int n, j;

		err = tree_names(k, &names, &n);
		for (j = 0; j < n && !err; j++) {
			err = k == KIND_FIFO ? read_fifo(s, names[j]) :
					       read_inst(s, k, names[j]);
			/* Removed while we read it: leave it out. */
			if (err == ENOENT) {
				if (k == KIND_FIFO)
					s->nfifos--;
				else
					s->ninsts--;
				err = 0;
			}
		}
		tree_names_free(names, n);
	}
	if (err)
		state_free(s);
	else
		state_sort(s);
	return err;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}
