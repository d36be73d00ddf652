/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's log: one plain line per record on stderr, which systemd hands to
 * the journal. Warnings and errors say so in a word at the start.
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

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* JUMPD_LOG_H */
