// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

bool log_verbose;
FILE *log_stream;

static const char *const prefix[] = {
	[LOG_LEVEL_ERR] = "error: ",
	[LOG_LEVEL_WARN] = "warning: ",
	[LOG_LEVEL_INFO] = "",
	[LOG_LEVEL_DEBUG] = "debug: ",
};

void log_msg(enum log_level level, const char *fmt, ...)
{
	FILE *f = log_stream ? log_stream : stderr;
	char line[1024];
	va_list ap;

	if (level == LOG_LEVEL_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/*
	 * One write per record: stderr is unbuffered, and a record split over
	 * several writes could interleave with another writer of the journal
	 * stream or a log file.
	 */
	fprintf(f, "%s%s\n", prefix[level], line);
	fflush(f);
}
