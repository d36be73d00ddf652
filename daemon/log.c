// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

bool log_verbose;

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "<%d>", priority);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
