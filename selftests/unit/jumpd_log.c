// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's log: a record outside a batch is written at once, whole; inside
 * a batch records wait for log_flush() and go out together, in order, each
 * a whole line, and a batch that fills up is written early, never cut
 * inside a record. Written to a pipe, as to the journal's stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static int rd;
static char got[4 * LOG_BATCH_BYTES];

/* What the pipe holds now (non-blocking), NUL-terminated. */
static size_t drain(void)
{
	size_t len = 0;
	ssize_t n;

	while ((n = read(rd, got + len, sizeof(got) - 1 - len)) > 0)
		len += n;
	got[len] = '\0';
	return len;
}

static void test_unbatched(void)
{
	log_info("one %d", 1);
	tap_ok(drain() == 6 && !strcmp(got, "one 1\n"), "outside a batch a record is written at once");
	log_warn("careful");
	tap_ok(!strcmp((drain(), got), "warning: careful\n"), "a warning says so first");
	log_debug("hidden");
	tap_ok(drain() == 0, "debug records only with -v");
}

static void test_batch(void)
{
	log_batch();
	log_info("a");
	log_line(LOG_LEVEL_ERR, "b and more", 5);
	log_info("c");
	tap_ok(drain() == 0, "in a batch nothing is written before log_flush()");
	log_flush();
	tap_ok(!strcmp((drain(), got), "a\nerror: b and\nc\n"),
	       "log_flush() writes the batch's records in order, whole lines");
	log_info("after");
	tap_ok(!strcmp((drain(), got), "after\n"), "after log_flush() the batch is closed");
	log_flush();
	tap_ok(drain() == 0, "an empty flush writes nothing");
}

static void test_full_batch(void)
{
	size_t len, total, i, n = 2 * LOG_BATCH_BYTES / 1000;
	char line[1000];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	log_batch();
	for (i = 0; i < n; i++)
		log_info("%s", line);
	len = drain();
	tap_ok(len > 0 && len < n * sizeof(line) && len % sizeof(line) == 0,
	       "a full batch is written early, in whole records (%zu bytes of %zu)",
	       len, n * sizeof(line));
	log_flush();
	total = len + drain();
	tap_ok(total == n * sizeof(line), "every record of the batch is written once (%zu bytes)",
	       total);
}

static void test_long_record(void)
{
	static char big[3 * LOG_LINE_MAX];

	memset(big, 'y', sizeof(big) - 1);
	log_info("%s", big);
	tap_ok(drain() == LOG_LINE_MAX + 1 && got[LOG_LINE_MAX] == '\n',
	       "a record longer than LOG_LINE_MAX is cut, with its newline");
}

int main(void)
{
	int fds[2];

	if (pipe(fds) || fcntl(fds[0], F_SETFL, O_NONBLOCK) ||
	    fcntl(fds[1], F_SETPIPE_SZ, 4 * LOG_BATCH_BYTES) < 0 ||
	    dup2(fds[1], STDERR_FILENO) < 0)
		return 1;
	rd = fds[0];
	test_unbatched();
	test_batch();
	test_full_batch();
	test_long_record();
	return tap_done();
}
