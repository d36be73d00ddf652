/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Failover's sealed session state (Documentation/jumpd.rst, "Failover"):
 * what a second node needs to take a session over from a dead owner, in a
 * fixed binary layout sealed with XChaCha20-Poly1305 under the cluster key
 * (ClusterKeyFile), the etcd key it is stored under as associated data so
 * a blob moved to another session's key does not open. On the wire (the
 * etcd value): base64 (no padding, URL-safe alphabet) of
 *
 *   format:8 | nonce:24 bytes | ciphertext of the layout | tag:16 bytes
 *
 * Opened state is untrusted until it opened: nothing in it is read before
 * the tag checked out, and a blob of a wrong length or format is refused.
 */
#ifndef JUMPD_SEAL_H
#define JUMPD_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

#include "wire.h"

#define SEAL_FORMAT	1
/* The base64 text of one sealed state, with its NUL: fits an etcd value. */
#define SEAL_TEXT_MAX	640

struct seal_state {
	uint64_t id;
	uint32_t local_index;		/* the receiver index the client sends to */
	uint32_t remote_index;		/* the client's */
	uint64_t version;		/* the kernel's, when sealed */
	uint8_t peer_pub[JUMP_PUBKEY_LEN];
	uint8_t ctl[WIRE_KEY_LEN];
	uint8_t reattach[WIRE_KEY_LEN];
	uint8_t reattach_prev[WIRE_KEY_LEN];
	uint8_t chain[WIRE_KEY_LEN];
	uint8_t last_nonce[WIRE_NONCE_LEN];
	uint64_t attempt;
	uint32_t epoch;
	uint32_t rekey_seq;
	uint8_t key_id;			/* of the primary data key */
	uint8_t tx[JUMP_KEY_LEN];	/* the primary data key, server -> client */
	uint8_t rx[JUMP_KEY_LEN];	/* client -> server */
	/* Where a node taking over starts sending: past anything the owner could use. */
	uint64_t tx_counter;
	uint64_t born_ns;		/* CLOCK_REALTIME */
	uint64_t sealed_ns;		/* CLOCK_REALTIME */
};

/* Seals @st under @key with @ad (the etcd key): the base64 text in @out. 0 or -1. */
int seal_state(const uint8_t key[JUMP_CLUSTER_KEY_LEN], const char *ad,
	       const struct seal_state *st, char out[SEAL_TEXT_MAX]);
/*
 * Opens @text (@len bytes) sealed under @key with @ad: 0 with @st, or -1
 * (not base64, a wrong length or format, or not authentic: @st zeroed).
 */
int seal_open(const uint8_t key[JUMP_CLUSTER_KEY_LEN], const char *ad,
	      const char *text, size_t len, struct seal_state *st);

#endif /* JUMPD_SEAL_H */
