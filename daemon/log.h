/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's log: one plain line per record on stderr, which systemd hands to
 * the journal. Warnings and errors say so in a word at the start. While a
 * batch is open (jumpd's loop reading a socket), whole lines wait in a
 * buffer and go out together at log_flush(): one write(2) per batch, not
 * one per record.
 */
#ifndef JUMPD_LOG_H
#define JUMPD_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level {
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* -v: debug records too. */
extern bool log_verbose;
/* Where records go; NULL means stderr. Unit tests capture them here. */
extern FILE *log_stream;

/* The longest record; longer ones are cut. */
#define LOG_LINE_MAX	1023
/* What a batch holds before it is written out early. */
#define LOG_BATCH_BYTES	(64 * 1024)

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A record already formatted (@len bytes, no newline): no printf. */
void log_line(enum log_level level, const char *s, size_t len);
/*
 * Opens a batch: records wait (up to LOG_BATCH_BYTES) until log_flush(),
 * which writes them with one write(2) and closes the batch. Outside a
 * batch each record is written at once.
 */
void log_batch(void);
void log_flush(void);

#define log_err(...)	log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* JUMPD_LOG_H */
