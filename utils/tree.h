/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: access to the kernel's trees. mkdir and rmdir go to configfs
 * (/sys/kernel/config/pcfifo), values are read from and written to sysfs
 * (/sys/kernel/pcfifo), which shows the same values plus the counters and
 * the module-parameter instances. Functions return 0 or an errno.
 */
#ifndef PCFIFOCTL_TREE_H
#define PCFIFOCTL_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define SYSFS_ROOT	"/sys/kernel/pcfifo"
#define CONFIGFS_MOUNT	"/sys/kernel/config"
#define CONFIGFS_ROOT	CONFIGFS_MOUNT "/pcfifo"
#define DEV_ROOT	"/dev/pcfifo"

/* Whether pcfifo is loaded (its sysfs tree exists). */
int tree_loaded(void);
/*
 * Load pcfifo (modprobe) if its sysfs tree is missing and mount configfs
 * if the configfs tree is missing and configfs is not mounted. Prints why
 * it failed; 0 or EXIT_FAIL.
 */
int tree_ensure(void);

/* modprobe [OPT] MODULE: its exit status, or -1. */
int tree_modprobe(const char *opt, const char *module);

/* Read an attribute of an object (sysfs), one trailing newline stripped. */
int tree_get(enum kind k, const char *name, const char *attr, char *buf,
	     size_t size);
/* Write VALUE and a newline in one write(2) (the kernel strips one). */
int tree_set(enum kind k, const char *name, const char *attr, const char *value);
/* An instance's produced or consumed counter. */
int tree_get_total(enum kind k, const char *name, uint64_t *v);
/* Does the object exist (sysfs)? In configfs? */
int tree_exists(enum kind k, const char *name);
int tree_in_configfs(enum kind k, const char *name);
int tree_mkdir(enum kind k, const char *name);
int tree_rmdir(enum kind k, const char *name);

/* The whole picture (sysfs), sorted. 0 or an errno. */
int tree_read_state(struct state *s);
/* The names in a kind's sysfs directory, sorted; free with tree_names_free. */
int tree_names(enum kind k, char ***names, unsigned int *n);
void tree_names_free(char **names, unsigned int n);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t now_ms(void);
/* Sleep MS milliseconds (a signal ends it early). */
void sleep_ms(unsigned int ms);

#endif
