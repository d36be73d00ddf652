/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl session: a command line is parsed into struct session_args
 * (usage errors, no kernel needed), which session_request() turns into a
 * netlink request; both are unit tested on their own.
 */
#ifndef JUMPCTL_SESSION_H
#define JUMPCTL_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "args.h"

enum session_cmd {
	SESSION_SHOW,
	SESSION_SET,
	SESSION_ADD,
	SESSION_DEL,
	SESSION_HELP,
};

struct session_args {
	enum session_cmd cmd;
	const char *dev;
	bool has_id, has_peer, has_version, has_local, has_remote;
	uint64_t id, version;
	int role, state, reason;	/* -1 when not given */
	uint8_t peer[JUMP_PUBKEY_LEN];
	struct endpoint local, remote;
};

/*
 * Parses "[ COMMAND [ ARGS ] ]" (no command is show). Returns 0, or prints
 * "Error: ..." and returns EXIT_USAGE. "help" anywhere a keyword may be
 * gives cmd SESSION_HELP.
 */
int session_parse(int argc, char **argv, struct session_args *a);

/* The request for @a (not SESSION_HELP) in @buf, for genl family @family. */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a);

#endif /* JUMPCTL_SESSION_H */
