/* SPDX-License-Identifier: GPL-2.0 */
/* jumpctl: global options, exit codes and the objects' entry points. */
#ifndef JUMPCTL_H
#define JUMPCTL_H

#include <stdbool.h>
#include <stdint.h>

/* Exit status, as ip(8): 0 ok, 1 usage, 2 the kernel (or netlink) refused. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_KERNEL = 2,
};

struct options {
	bool json, pretty, stats, details, timestamp;
};

extern struct options opt;

/* Runs one command line (after the global options). */
int jumpctl_run(int argc, char **argv);
/* Global options, then the command or a batch file. */
int jumpctl_main(int argc, char **argv);

int do_link(int argc, char **argv);
int do_session(int argc, char **argv);
int do_monitor(int argc, char **argv);

/* Prints "Error: ...." to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* JUMPCTL_H */
