/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Minimal TAP producer for host unit tests, read by prove(1). */
#ifndef JUMP_TAP_H
#define JUMP_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_count, tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
}

/* Prints "ok N - what" or "not ok N - what"; returns @pass. */
static inline int __attribute__((format(printf, 2, 3)))
tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		tap_failed++;
	return pass;
}

/* Plan at the end ("done testing"), exit status 1 if anything failed. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* JUMP_TAP_H */
