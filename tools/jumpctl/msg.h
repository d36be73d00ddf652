/* SPDX-License-Identifier: GPL-2.0 */
/* Session and device messages from the kernel, parsed into plain structs. */
#ifndef JUMPCTL_MSG_H
#define JUMPCTL_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "args.h"

/* A session message: a reply, a dump entry or an event. */
struct session_msg {
	uint8_t cmd;		/* genl command of the message */
	uint32_t ifindex;
	uint64_t id;
	uint8_t role, state, prev_state;
	bool has_prev, has_seq, bound;
	uint8_t pubkey[JUMP_PUBKEY_LEN];
	uint64_t version, created_ns, changed_ns, seq;
	uint16_t reason;
	struct endpoint local, remote;
	uint32_t epoch;
	uint64_t stats[JUMP_STATS_A_MAX + 1];	/* by JUMP_STATS_A_* */
};

/* A DEV_GET reply or dump entry. */
struct device_msg {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t sessions, max_sessions;
	uint64_t event_seq;
	uint32_t state_counts[__JUMP_STATE_MAX];
};

/*
 * 0, or -1 for a message that lacks what every such message carries.
 * Attributes of a wrong size are ignored, as are unknown ones (a newer
 * kernel may add some).
 */
int parse_session_msg(const struct nlmsghdr *nlh, struct session_msg *s);
int parse_device_msg(const struct nlmsghdr *nlh, struct device_msg *d);

#endif /* JUMPCTL_MSG_H */
