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
#include "output.h"

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
 * The largest request: a settings change with JUMP_MAX_PREFIXES IPv6
 * prefixes (a PREFIX nest of 32 bytes each), and room for the rest.
 */
#define SESSION_PREFIX_NEST_LEN (3 * MNL_ATTR_HDRLEN + 16 + MNL_ALIGN(1))
#define SESSION_REQUEST_MAX (1024 + JUMP_MAX_PREFIXES * SESSION_PREFIX_NEST_LEN)

/*
 * Parses "[ COMMAND [ ARGS ] ]" (no command is show). Returns 0, or prints
 * "Error: ..." and returns EXIT_USAGE. "help" anywhere a keyword may be
 * gives cmd SESSION_HELP.
 */
int session_parse(int argc, char **argv, struct session_args *a);

/*
 * The request for @a (not SESSION_HELP) in @buf (SESSION_REQUEST_MAX
 * bytes), for genl family @family. Show needs a->dev set. Terminate and
 * reattach are compare-and-swap requests: the caller sets a->version (and
 * has_version) from what session_get_request() read.
 */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a);
/* SESSION_GET of session @id of device @dev: the version a CAS starts from. */
struct nlmsghdr *session_get_request(void *buf, uint16_t family,
				     const char *dev, uint64_t id);

/*
 * Show: prints the session in @nlh, from device @dev, to @l if it passes
 * the state and peer filters of @a. Returns whether it was a session.
 */
bool session_show_msg(struct listing *l, const struct session_args *a,
		      const struct nlmsghdr *nlh, const char *dev);

/*
 * For a transition with a binding and no "sock-fd": a UDP socket of the
 * binding's family bound to its local address, in a->sock_fd. If the
 * address is in use, a->sock_fd stays -1 and the kernel reuses the socket
 * the device holds. Returns an exit status (printing "Error: ...").
 */
int session_open_socket(struct session_args *a);

/* Wipes the key material of @a and the words it was parsed from. */
void session_wipe_keys(struct session_args *a);

#endif /* JUMPCTL_SESSION_H */
