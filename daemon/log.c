// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

bool log_verbose;
FILE *log_stream;

static const char *const prefix[] = {
	[LOG_LEVEL_ERR] = "error: ",
	[LOG_LEVEL_WARN] = "warning: ",
	[LOG_LEVEL_INFO] = "",
	[LOG_LEVEL_DEBUG] = "debug: ",
};

/* Whole lines waiting for log_flush(), while a batch is open. */
static struct {
	bool open;
	size_t len;
	char buf[LOG_BATCH_BYTES];
} batch;

static void write_out(const char *s, size_t len)
{
	FILE *f = log_stream ? log_stream : stderr;
	ssize_t n;

	if (log_stream) {	/* tests: a memory stream */
		fwrite(s, 1, len, f);
		fflush(f);
		return;
	}
	/* stderr is unbuffered: go around stdio, whole lines at once. */
	while (len) {
		n = write(fileno(f), s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nowhere to log to: nothing to do */
		s += n;
		len -= n;
	}
}

void log_batch(void)
{
	batch.open = true;
}

void log_flush(void)
{
	if (batch.len)
		write_out(batch.buf, batch.len);
	batch.len = 0;
	batch.open = false;
}

void log_line(enum log_level level, const char *s, size_t len)
{
	static char one[LOG_LINE_MAX + 16];
	size_t plen, total;
	char *p = one;

	if (level == LOG_LEVEL_DEBUG && !log_verbose)
		return;
	plen = strlen(prefix[level]);
	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX;
	total = plen + len + 1;
	if (batch.open) {
		if (batch.len + total > sizeof(batch.buf)) {
			write_out(batch.buf, batch.len);
			batch.len = 0;
		}
		p = batch.buf + batch.len;
		batch.len += total;
	}
	memcpy(p, prefix[level], plen);
	memcpy(p + plen, s, len);
	p[plen + len] = '\n';
	/*
	 * At least one write per record: a record split over several writes
	 * could interleave with another writer of the journal stream or a
	 * log file. In a batch, whole records share one write.
	 */
	if (!batch.open)
		write_out(p, total);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX + 1];
	va_list ap;
	int n;

	if (level == LOG_LEVEL_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log_line(level, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
