/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_CRYPTO_H
#define _JUMP_CRYPTO_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/jump.h>

#include "replay.h"

struct jump_session;
struct netlink_ext_ack;

/*
 * One data key: a ChaCha20-Poly1305 key per direction, the transmit nonce
 * counter and the receive replay window. Immutable but for the counters;
 * replaced whole, freed (and wiped) after a grace period.
 */
struct jump_key {
	struct rcu_head rcu;
	u8 id;
	u8 tx[JUMP_KEY_LEN];
	u8 rx[JUMP_KEY_LEN];
	atomic64_t tx_counter;
	atomic_t expiring_sent;
	struct jump_replay replay;
};

/* @tx_counter: the first transmit counter (a key taken over starts past 0). */
struct jump_key *jump_key_new(u8 id, const u8 *tx, const u8 *rx, u64 tx_counter);
/* The highest transmit counter a key may use, plus one. */
u64 jump_key_tx_limit(void);
/* Frees a key that was never published. */
void jump_key_destroy(struct jump_key *k);

/* The next nonce, or false once the key may send no more. */
bool jump_key_next_nonce(struct jump_key *k, u64 *nonce, bool *expiring);

/* Caller holds rcu_read_lock(_bh). */
struct jump_key *jump_key_primary(struct jump_session *s);
struct jump_key *jump_key_by_id(struct jump_session *s, u8 id);

/* Slot changes; each takes the session lock. */
int jump_key_install(struct jump_session *s, u8 slot, struct jump_key *k,
		     struct netlink_ext_ack *extack);
int jump_key_swap(struct jump_session *s, struct netlink_ext_ack *extack);
int jump_key_delete(struct jump_session *s, u8 slot,
		    struct netlink_ext_ack *extack);
/* Caller holds the session lock: the session is terminating. */
void jump_keys_clear(struct jump_session *s);

/* In place: @len bytes at @buf become ciphertext followed by the tag. */
void jump_seal(const struct jump_key *k, u8 *buf, size_t len,
	       const u8 *ad, size_t ad_len, u64 nonce);
/* In place: @len includes the tag. False if not authentic. */
bool jump_open(const struct jump_key *k, u8 *buf, size_t len,
	       const u8 *ad, size_t ad_len, u64 nonce);

#endif /* _JUMP_CRYPTO_H */
