/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl session's command line, parsed into struct session_args: usage
 * errors only, no kernel needed, unit tested on its own.
 */
#ifndef JUMPCTL_SESSION_PARSE_H
#define JUMPCTL_SESSION_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"

enum session_cmd {
	SESSION_SHOW,
	SESSION_SET,
	SESSION_ADD,
	SESSION_DEL,
	SESSION_KEY_ADD,
	SESSION_KEY_SWAP,
	SESSION_KEY_DEL,
	SESSION_TERMINATE,
	SESSION_REATTACH,
	SESSION_HELP,
};

/* Bits of session_args.liveness: which times a settings change sets. */
enum { LIVE_KEEPALIVE = 1, LIVE_VOLATILE = 2, LIVE_DEGRADED = 4 };

struct session_args {
	enum session_cmd cmd;
	const char *dev;	/* NULL: show every jump device */
	bool has_id, has_peer, has_version, has_local, has_remote;
	uint64_t id, version;
	/*
	 * -1 when not given. In show, state and peer filter what the kernel
	 * sends; reattach is state recovering with reason admin_reattach.
	 */
	int role, state, reason;
	uint8_t peer[JUMP_PUBKEY_LEN];
	struct endpoint local, remote;
	/* A transition's binding: epoch, and the socket (-1: none). */
	bool has_epoch;
	uint32_t epoch;
	int sock_fd;
	/* A settings change ("set" without state, version and reason). */
	bool settings, has_remote_index, has_prefixes;
	uint32_t remote_index;
	unsigned int liveness;	/* LIVE_* */
	uint32_t keepalive_ms, volatile_ms, degraded_ms;
	unsigned int nprefixes;
	struct prefix prefixes[JUMP_MAX_PREFIXES];
	/* Keys. The words holding key material, to wipe once parsed. */
	int slot;		/* -1 when not given */
	bool has_key_id, has_tx, has_rx;
	uint8_t key_id;
	uint8_t tx[JUMP_KEY_LEN], rx[JUMP_KEY_LEN];
	char *key_words[2];
};

/*
 * Parses "[ COMMAND [ ARGS ] ]" (no command is show). Returns 0, or prints
 * "Error: ..." and returns EXIT_USAGE. "help" anywhere a keyword may be
 * gives cmd SESSION_HELP.
 */
int session_parse(int argc, char **argv, struct session_args *a);

/* The help of "jumpctl session help". */
void session_usage(FILE *f);

/* Wipes the key material of @a and the words it was parsed from. */
void session_wipe_keys(struct session_args *a);

#endif /* JUMPCTL_SESSION_PARSE_H */
