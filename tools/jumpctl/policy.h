/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl policy: the [Policy] jumpd loads for a device, read through
 * jumpd's own parser (daemon/config.c), so the two never disagree.
 */
#ifndef JUMPCTL_POLICY_H
#define JUMPCTL_POLICY_H

#include <stdio.h>

enum policy_cmd {
	POLICY_SHOW,
	POLICY_HELP,
};

struct policy_args {
	enum policy_cmd cmd;
	const char *dev;
	char path[4096];	/* "config FILE", or CONFIG_DIR/NAME.conf */
};

/* Returns 0, or prints "Error: ..." and returns EXIT_USAGE. */
int policy_parse(int argc, char **argv, struct policy_args *a);

/*
 * Loads a->path for a->dev as jumpd would and prints its policy to @f,
 * text or (opt.json) one JSON object. A config error is printed as
 * "Error: FILE:LINE: problem." and gives EXIT_USAGE.
 */
int policy_show(FILE *f, const struct policy_args *a);

#endif /* JUMPCTL_POLICY_H */
