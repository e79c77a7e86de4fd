/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: the commands and what they share.
 */
#ifndef PCFIFOCTL_H
#define PCFIFOCTL_H

#include <stdio.h>

#include "state.h"

/* Each command: argv[0] is the command's name. Returns the exit status. */
int cmd_status(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);

/* "pcfifoctl: CMD: MESSAGE" and "Try 'pcfifoctl CMD --help'."; EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* After getopt's own message: "Try 'pcfifoctl CMD --help'."; EXIT_USAGE. */
int try_help(const char *cmd);
/* "pcfifoctl: MESSAGE" on stderr; EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A kernel's refusal: "pcfifoctl: KIND NAME: KEY VALUE: WORDS, RANGE". */
int refused(enum kind k, const char *name, const char *key, const char *value,
	    int err);
/* "pcfifoctl: pcfifo is not loaded ..." unless it is; 0 or EXIT_FAIL. */
int need_loaded(void);

/*
 * Two pictures MS milliseconds apart (MS 0: one), the rates filled in.
 * 0 or EXIT_FAIL (message printed).
 */
int sample(struct state *now, unsigned int ms);
/* A rate in items/s with one decimal, "-" when not measured (< 0). */
void fmt_rate(char *buf, size_t size, double r);
/* The status tables (also top's plain output). */
void print_status(FILE *out, const struct state *s);
/* The status as JSON text on OUT. */
void print_status_json(FILE *out, const struct state *s, unsigned int ms);

#endif
