/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_SESSION_H
#define _JUMP_SESSION_H

#include <linux/rhashtable.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/jump.h>

#include "bind.h"
#include "stats.h"

struct jump_device;
struct jump_key;
struct jump_prefix_set;
struct netlink_ext_ack;

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
	u64 transitions;
	struct jump_binding __rcu *binding;
	/*
	 * A validated second path that carries no data (Documentation/
	 * state-machine.rst, "Standby"): read under this lock only, never by
	 * the data path; promotion publishes it as @binding.
	 */
	struct jump_binding *standby;
	struct jump_key __rcu *keys[__JUMP_KEY_SLOT_MAX];
	u32 keepalive_ms, volatile_ms, degraded_ms;

	/* Written under the table lock, read by the data path. */
	u32 remote_index;
	struct jump_prefix_set __rcu *prefixes;

	/* Stamped by the data path, read by the liveness timer. */
	struct timer_list liveness;
	unsigned long last_rx, last_tx;
	unsigned long last_probe, probe_answered_at;
	unsigned long unbound_event_at;

	struct jump_counters counters;
};

/* A settings change (not a transition); absent fields stay as they are. */
struct jump_settings {
	bool has_remote_index;
	u32 remote_index;
	u32 keepalive_ms, volatile_ms, degraded_ms;	/* 0: unchanged */
	struct jump_prefix_set *prefixes;	/* consumed on success */
};

/* A requested transition: compare-and-swap on @expected_version. */
struct jump_change {
	u64 expected_version;
	u8 to;
	u16 reason;
	struct jump_binding *binding;	/* consumed on success */
	struct jump_binding *standby;	/* standby_ready's; consumed on success */
};

/*
 * A server session's chosen identity: its receiver index, and for one taken
 * over from another node (failover) its id and the version it starts at,
 * as the node that owned it left them (@id 0: the kernel draws it).
 */
struct jump_takeover {
	u64 id;
	u32 index;
	u64 version;
};

/* @to: NULL, or a server session's chosen index (and id, version). */
struct jump_session *jump_session_create(struct jump_device *jd, u8 role,
					 u64 id, const u8 *peer_pubkey,
					 const struct jump_takeover *to,
					 struct netlink_ext_ack *extack);
struct jump_session *jump_session_lookup(struct jump_device *jd, u64 id);
int jump_session_change(struct jump_session *s, const struct jump_change *chg,
			unsigned int origin, struct netlink_ext_ack *extack);
/* The kernel's own transitions; caller holds s->lock. */
bool jump_session_kernel_change(struct jump_session *s, u8 to, u16 reason);
int jump_session_configure(struct jump_session *s, struct jump_settings *set,
			   struct netlink_ext_ack *extack);
void jump_session_remove(struct jump_session *s);
void jump_session_terminate_all(struct jump_device *jd, u16 reason);

int jump_session_cache_init(void);
void jump_session_cache_uninit(void);
int jump_sessions_init(struct jump_device *jd);
void jump_sessions_destroy(struct jump_device *jd);

#endif /* _JUMP_SESSION_H */
