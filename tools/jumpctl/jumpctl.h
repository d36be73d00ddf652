/* SPDX-License-Identifier: GPL-2.0 */
/* jumpctl: global options, exit codes and the objects' entry points. */
#ifndef JUMPCTL_H
#define JUMPCTL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit status, as ip(8): 0 ok, 1 usage, 2 the kernel (or netlink) refused. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_KERNEL = 2,
};

/* What the global options select; read by the printers. */
struct options {
	bool json, pretty, stats, details, timestamp;
	bool version, help;	/* -V, -h: print and exit */
	const char *batch;	/* -batch FILE ("-" is stdin) */
};

extern struct options opt;

/*
 * Parses the leading options of @argv (argv[0] is the first word after the
 * program name) into @o. Returns how many words they took, or -1 after a
 * usage error was printed.
 */
int options_parse(int argc, char **argv, struct options *o);

/* One command line (after the global options): OBJECT COMMAND ARGS. */
int jumpctl_run(int argc, char **argv);
/* The whole program: options, then a command or a batch file. */
int jumpctl_main(int argc, char **argv);

int do_link(int argc, char **argv);
int do_session(int argc, char **argv);
int do_policy(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_key(int argc, char **argv);
int do_audit(int argc, char **argv);

/* Prints "Error: <message>." on one line to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* JUMPCTL_H */
