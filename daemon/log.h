/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's log: one line per record on stderr with a syslog priority prefix
 * ("<6>"), which journald parses when jumpd runs under systemd.
 */
#ifndef JUMPD_LOG_H
#define JUMPD_LOG_H

#include <stdbool.h>

extern bool log_verbose;

void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(3, __VA_ARGS__)
#define log_warn(...)	log_msg(4, __VA_ARGS__)
#define log_info(...)	log_msg(6, __VA_ARGS__)
#define log_debug(...)	do { if (log_verbose) log_msg(7, __VA_ARGS__); } while (0)

#endif /* JUMPD_LOG_H */
