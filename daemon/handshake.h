/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control plane's cryptography, from libsodium primitives: the birth
 * handshake (a Noise IK pattern: the client knows the server's static key,
 * its own static key travels encrypted), the rekey exchange, the MACs of the
 * other control packets, and the reattach key ratchet.
 * Documentation/protocol.rst specifies every derivation.
 *
 *   DH:    X25519 (crypto_scalarmult)
 *   AEAD:  ChaCha20-Poly1305 IETF, nonce = counter
 *   HASH:  BLAKE2b-512 (Noise's HASHLEN 64); HMAC/HKDF over it as in Noise
 *   MAC:   keyed BLAKE2b-128 (WIRE_MAC_LEN)
 *
 * Functions return 0 on success and -1 if authentication failed or a DH
 * result was all zero (a low-order point); outputs are then zeroed. Nothing
 * here logs, allocates or reads a clock: the caller passes the time in.
 */

#define HS_HASH_LEN	64	/* BLAKE2b's HASHLEN in Noise */
#ifndef JUMPD_HANDSHAKE_H
#define JUMPD_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* A static or ephemeral X25519 key pair. */
struct hs_keypair {
	uint8_t priv[WIRE_KEY_LEN];
	uint8_t pub[WIRE_KEY_LEN];
};

/* What a completed birth (or rekey) gives each side. */
struct hs_keys {
	uint8_t send[WIRE_KEY_LEN];	/* data key, this side -> peer (kernel KEY_A_TX) */
	uint8_t recv[WIRE_KEY_LEN];	/* data key, peer -> this side (kernel KEY_A_RX) */
	uint8_t ctl[WIRE_KEY_LEN];	/* MACs of DONE, ACK, REKEY_*, TERMINATE */
	uint8_t reattach[WIRE_KEY_LEN];	/* MACs of REATTACH_*: proof of possession */
	uint8_t chain[WIRE_KEY_LEN];	/* secret the next rekey mixes in */
	uint8_t unlink[WIRE_KEY_LEN];	/* per-epoch tags, indices, masks (unlink.h) */
};

/* The client's state between sending INIT and receiving RESP. */
struct hs_initiator {
	struct hs_keypair ephemeral;
	uint8_t server_pub[WIRE_KEY_LEN];
	uint8_t self_pub[WIRE_KEY_LEN];
	uint8_t self_priv[WIRE_KEY_LEN];
	uint8_t hash[HS_HASH_LEN];
	uint8_t chain[HS_HASH_LEN];
	uint32_t hsid;
};

/* The server's state between a valid INIT and sending RESP. */
struct hs_responder {
	uint8_t peer_pub[WIRE_KEY_LEN];	/* the client's static key, decrypted */
	uint8_t peer_ephemeral[WIRE_KEY_LEN];
	uint8_t hash[HS_HASH_LEN];
	uint8_t chain[HS_HASH_LEN];
	uint64_t timestamp_ns;		/* decrypted: the caller checks freshness */
	uint32_t hsid;
};

/* A fresh random key pair; @kp->priv is clamped as X25519 wants. */
void hs_keypair_generate(struct hs_keypair *kp);
/* The public key of @priv. -1 if @priv gives the all-zero point. */
int hs_public_key(const uint8_t priv[WIRE_KEY_LEN], uint8_t pub[WIRE_KEY_LEN]);

/*
 * Client: message 1. Fills @out except mac1/mac2 (the caller encodes it and
 * then calls hs_seal_init()). @hsid and @now_ns go in as they are.
 */
int hs_initiator_start(struct hs_initiator *st, const struct hs_keypair *self,
		       const uint8_t server_pub[WIRE_KEY_LEN], uint32_t hsid,
		       uint64_t now_ns, struct wire_handshake_init *out);
/*
 * Server: opens message 1 with its static key. On success @st holds the
 * client's static key and timestamp; the caller looks the key up (unknown
 * peer?) and checks the timestamp (newer than the last from that peer?)
 * before answering.
 */
int hs_responder_consume(struct hs_responder *st, const struct hs_keypair *self,
			 const struct wire_handshake_init *in);
/*
 * Server: message 2, carrying the session id and the server's receiver
 * index, and the keys. Fills @out except mac1 (see hs_seal_resp()).
 * On success the secrets in @st are wiped (peer_pub, timestamp_ns and hsid
 * stay): a second call fails.
 */
int hs_responder_reply(struct hs_responder *st, uint64_t session_id,
		       uint32_t server_index, struct wire_handshake_resp *out,
		       struct hs_keys *keys);
/*
 * Client: opens message 2: the session id, server index and keys. On
 * success the secrets in @st are wiped (a second call fails); on failure
 * @st is left as it was, so a forged RESP cannot stop the real one.
 */
int hs_initiator_finish(struct hs_initiator *st,
			const struct wire_handshake_resp *in,
			uint64_t *session_id, uint32_t *server_index,
			struct hs_keys *keys);

/*
 * hs_initiator_start() and hs_responder_reply() with a given ephemeral key
 * pair instead of a fresh random one: for known-answer tests only.
 */
int hs_initiator_start_eph(struct hs_initiator *st, const struct hs_keypair *self,
			   const uint8_t server_pub[WIRE_KEY_LEN],
			   const struct hs_keypair *ephemeral, uint32_t hsid,
			   uint64_t now_ns, struct wire_handshake_init *out);
int hs_responder_reply_eph(struct hs_responder *st, const struct hs_keypair *ephemeral,
			   uint64_t session_id, uint32_t server_index,
			   struct wire_handshake_resp *out, struct hs_keys *keys);

/*
 * mac1 of an encoded INIT (keyed with the server's public key) and RESP
 * (keyed with the client's): cheap filters anyone who knows the receiver's
 * public key can compute. mac2 of an INIT is keyed with a cookie (all zero
 * when the client has none). The *_ok checks compare in constant time.
 */
void hs_seal_init(uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		  const uint8_t server_pub[WIRE_KEY_LEN],
		  const uint8_t cookie[WIRE_COOKIE_LEN]);
bool hs_init_mac1_ok(const uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		     const uint8_t server_pub[WIRE_KEY_LEN]);
bool hs_init_mac2_ok(const uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		     const uint8_t cookie[WIRE_COOKIE_LEN]);
void hs_seal_resp(uint8_t buf[WIRE_HANDSHAKE_RESP_LEN],
		  const uint8_t client_pub[WIRE_KEY_LEN]);
bool hs_resp_mac1_ok(const uint8_t buf[WIRE_HANDSHAKE_RESP_LEN],
		     const uint8_t client_pub[WIRE_KEY_LEN]);

/*
 * Trailing MAC of every other control message: keyed BLAKE2b-128 of all the
 * encoded bytes before it. hs_mac_seal() writes it, hs_mac_ok() checks it
 * in constant time. @len is the whole message's length.
 */
void hs_mac_seal(uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN]);
bool hs_mac_ok(const uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN]);

/*
 * The reattach key after a successful reattach: a one-way step, so a key
 * stolen later does not prove possession of earlier ones.
 */
void hs_ratchet(uint8_t key[WIRE_KEY_LEN]);

/*
 * Rekey: both sides mix the DH of their fresh ephemerals into @chain (the
 * current hs_keys.chain) and get new send/recv/ctl/chain keys; reattach is
 * left as it is in @keys. @initiator says which side this is (the client),
 * so that one side's send key is the other's recv key. @chain may point
 * into @keys. On failure (a low-order peer ephemeral) @keys is left as it
 * was: the session goes on with its current keys.
 */
int hs_rekey(const uint8_t chain[WIRE_KEY_LEN],
	     const uint8_t self_ephemeral_priv[WIRE_KEY_LEN],
	     const uint8_t peer_ephemeral_pub[WIRE_KEY_LEN], bool initiator,
	     struct hs_keys *keys);

/* Zeroes key material (sodium_memzero). */
void hs_wipe(void *p, size_t len);

#endif /* JUMPD_HANDSHAKE_H */
