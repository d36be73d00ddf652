/* SPDX-License-Identifier: GPL-2.0 */
/* jumpctl session: the parsed form of a command line, testable on its own. */
#ifndef JUMPCTL_SESSION_H
#define JUMPCTL_SESSION_H

#include <stdbool.h>
#include <stdint.h>

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

/* Parses "COMMAND [ARGS]"; prints "Error: ..." and returns EXIT_USAGE. */
int session_parse(int argc, char **argv, struct session_args *a);

#endif /* JUMPCTL_SESSION_H */
