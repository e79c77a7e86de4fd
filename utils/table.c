// SPDX-License-Identifier: GPL-2.0
/*
 * pcfifoctl: aligned text tables.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, unsigned int ncols, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->align = align;
}

void table_add(struct table *t, ...)
{
	char **cells;
	unsigned int c;
	va_list ap;

	if (t->oom)
		return;
	cells = realloc(t->cells, (size_t)(t->nrows + 1) * t->ncols * sizeof(*cells));
	if (!cells) {
		t->oom = 1;
		return;
	}
	t->cells = cells;
	cells += (size_t)t->nrows * t->ncols;
	va_start(ap, t);
	for (c = 0; c < t->ncols; c++) {
		cells[c] = strdup(va_arg(ap, const char *));
		if (!cells[c])
			t->oom = 1;
	}
	va_end(ap);
	t->nrows++;
}

void table_print(const struct table *t, FILE *out)
{
	size_t width[16] = { 0 };
	unsigned int r, c;

	if (t->oom || t->ncols > 16) {
		fputs("(out of memory)\n", out);
		return;
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t len = strlen(t->cells[r * t->ncols + c]);

			if (len > width[c])
				width[c] = len;
		}
	for (r = 0; r < t->nrows; r++) {
		size_t len = 0;
		char line[1024];

		for (c = 0; c < t->ncols && len < sizeof(line); c++) {
			const char *cell = t->cells[r * t->ncols + c];
			int w = (int)width[c];

			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%*s",
						c ? "  " : "", t->align[c] == 'r' ? w : -w, cell);
		}
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		while (len && line[len - 1] == ' ')
			len--;
		fprintf(out, "%.*s\n", (int)len, line);
	}
}

void table_free(struct table *t)
{
	if (t->cells)
		for (size_t n = 0; n < (size_t)t->nrows * t->ncols; n++)
			free(t->cells[n]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}
