/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl audit: reads jumpd's audit file (lib/jump_audit.h): show its
 * records, filtered, or verify its hash chain and, optionally, its head.
 */
#ifndef JUMPCTL_AUDIT_H
#define JUMPCTL_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum audit_cmd { AUDIT_SHOW, AUDIT_VERIFY, AUDIT_HELP };

struct audit_args {
	enum audit_cmd cmd;
	const char *file;	/* "-" is standard input */
	const char *dev;	/* for the default file and head */
	const char *head;	/* NULL: none (verify dev DEV: the default if it exists) */
	bool has_session;
	uint64_t session;
	const char *event;
	const char *reason;	/* a reason or a reject name */
	uint64_t since;		/* records from this seq on */
	char path[4096];	/* the file to read, resolved */
	char head_path[4096];
};

/* Returns 0, or prints "Error: ..." and returns EXIT_USAGE. */
int audit_parse(int argc, char **argv, struct audit_args *a);
/*
 * The records of @in that pass the filters, one line each on @out (the
 * lines themselves with -j). Lines that are no record are skipped with a
 * warning on @err. EXIT_OK.
 */
int audit_show(const struct audit_args *a, FILE *in, FILE *out, FILE *err);
/*
 * "ok: N records, chain intact" on @out and EXIT_OK, or "broken: line N:
 * problem" on @err and EXIT_USAGE (1). @head NULL: no head check.
 */
int audit_verify(FILE *in, const char *head, FILE *out, FILE *err);

#endif /* JUMPCTL_AUDIT_H */
