/* SPDX-License-Identifier: GPL-2.0 */
/* Session and device messages from the kernel, parsed into plain structs. */
#ifndef JUMPCTL_MSG_H
#define JUMPCTL_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "args.h"

/* A JUMP_A_STATS nest: of a session, or device-wide. */
struct counters {
	uint64_t stats[JUMP_STATS_A_MAX + 1];	/* by JUMP_STATS_A_* */
	uint32_t present;	/* bit (1 << JUMP_STATS_A_*) of each one sent */
	bool has_drops;		/* the DROPS nest was sent */
	uint64_t drops[__JUMP_DROP_MAX];	/* by enum jump_drop */
};

/* A JUMP_A_KEY nest as the kernel sends it: slot and id, never the key. */
struct key_info {
	uint8_t slot, id;
	bool has_tx_counter;
	uint64_t tx_counter;	/* the next transmit counter */
};

/* Bits of session_msg.has: which optional attributes the message held. */
enum {
	HAS_LOCAL_INDEX = 1 << 0,
	HAS_REMOTE_INDEX = 1 << 1,
	HAS_PREFIXES = 1 << 2,
	HAS_KEEPALIVE = 1 << 3,
	HAS_VOLATILE = 1 << 4,
	HAS_DEGRADED = 1 << 5,
	HAS_KEYS = 1 << 6,
	HAS_KEY = 1 << 7,	/* KEY_EXPIRING: the key */
	HAS_SOURCE = 1 << 8,	/* UNBOUND_SOURCE: where data came from */
	HAS_STATS = 1 << 9,
};

/*
 * A session message: a reply, a dump entry or an event, including the
 * data path's UNBOUND_SOURCE and KEY_EXPIRING (which carry no state).
 */
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
	/* Unlinkable migration: the binding's own receiver indices (0: none). */
	uint32_t bind_local_index, bind_remote_index;
	bool has_standby;		/* a standby path beside the binding */
	struct endpoint standby_local, standby_remote;
	struct counters counters;	/* HAS_STATS */
	unsigned int has;	/* HAS_* */
	uint32_t local_index, remote_index;
	uint32_t keepalive_ms, volatile_ms, degraded_ms;
	/* Never more than JUMP_MAX_PREFIXES; the rest of a longer list is cut. */
	unsigned int nprefixes;
	bool prefixes_cut;
	struct prefix prefixes[JUMP_MAX_PREFIXES];
	unsigned int nkeys;	/* at most one per slot */
	struct key_info keys[__JUMP_KEY_SLOT_MAX];
	struct key_info key;	/* HAS_KEY */
	struct endpoint source;	/* HAS_SOURCE */
};

/* A DEV_GET reply or dump entry. */
struct device_msg {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t sessions, max_sessions;
	uint64_t event_seq;
	uint32_t state_counts[__JUMP_STATE_MAX];
	bool has_stats;
	struct counters counters;	/* device-wide */
};

/*
 * 0, or -1 for a message that lacks what every such message carries (for
 * UNBOUND_SOURCE and KEY_EXPIRING: device and session id; for others also
 * state and version).
 * Attributes of a wrong size are ignored, as are unknown ones (a newer
 * kernel may add some).
 */
int parse_session_msg(const struct nlmsghdr *nlh, struct session_msg *s);
/* The same, the stats (HAS_STATS) parsed only if @stats: show without -s. */
int parse_session_msg_stats(const struct nlmsghdr *nlh, struct session_msg *s, bool stats);
int parse_device_msg(const struct nlmsghdr *nlh, struct device_msg *d);

#endif /* JUMPCTL_MSG_H */
