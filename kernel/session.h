/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_SESSION_H
#define _JUMP_SESSION_H

#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/in6.h>
#include <linux/jump.h>

struct jump_device;
struct netlink_ext_ack;

/* One UDP 5-tuple; immutable once published, replaced whole under RCU. */
struct jump_binding {
	struct rcu_head rcu;
	u32 epoch;
	sa_family_t family;
	__be16 local_port;
	__be16 remote_port;
	union {
		__be32 ip4;
		struct in6_addr ip6;
	} local, remote;
};

struct jump_session_stats {
	u64 rx_packets, rx_bytes;
	u64 tx_packets, tx_bytes;
	u64 transitions;
};

struct jump_session {
	struct rhash_head node;
	struct rcu_head rcu;
	struct jump_device *jd;

	/* Identity: fixed at creation, never written again. */
	u64 id;
	u32 index;
	u8 role;
	u8 peer_pubkey[JUMP_PUBKEY_LEN];
	u64 created_ns;

	/* Protects everything below: all transitions go through it. */
	spinlock_t lock;
	u8 state;
	u16 reason;
	u64 version;
	u64 changed_ns;
	u32 last_epoch;
	struct jump_binding __rcu *binding;
	struct jump_session_stats stats;
};

/* A requested transition: compare-and-swap on @expected_version. */
struct jump_change {
	u64 expected_version;
	u8 to;
	u16 reason;
	struct jump_binding *binding;	/* consumed on success */
};

struct jump_session *jump_session_create(struct jump_device *jd, u8 role,
					 u64 id, const u8 *peer_pubkey,
					 struct netlink_ext_ack *extack);
struct jump_session *jump_session_lookup(struct jump_device *jd, u64 id);
int jump_session_change(struct jump_session *s, const struct jump_change *chg,
			unsigned int origin, struct netlink_ext_ack *extack);
void jump_session_remove(struct jump_session *s);
void jump_session_terminate_all(struct jump_device *jd, u16 reason);

int jump_session_cache_init(void);
void jump_session_cache_uninit(void);
int jump_sessions_init(struct jump_device *jd);
void jump_sessions_destroy(struct jump_device *jd);

#endif /* _JUMP_SESSION_H */
