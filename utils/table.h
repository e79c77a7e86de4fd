/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcfifoctl: aligned text tables. Pure code.
 */
#ifndef PCFIFOCTL_TABLE_H
#define PCFIFOCTL_TABLE_H

#include <stdio.h>

struct table {
	unsigned int ncols;
	const char *align;	/* one 'l' or 'r' per column */
	char **cells;		/* row after row; row 0 is the header */
	unsigned int nrows;
	int oom;
};

void table_init(struct table *t, unsigned int ncols, const char *align);
/* Add a row of NCOLS strings (copied). */
void table_add(struct table *t, ...);
/*
 * Print the rows, each column as wide as its widest cell, two spaces
 * apart, no trailing blanks.
 */
void table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

#endif
