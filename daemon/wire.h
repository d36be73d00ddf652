/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control packets jumpd exchanges with its peers over the session's UDP
 * socket: fixed-size messages, big endian on the wire, one struct each here.
 * Documentation/protocol.rst has the byte layout of every one.
 *
 * Every message starts with the same 4 bytes: type (enum jump_msg_type), one
 * byte the type may use (a reason), and 16 reserved bits that must be 0.
 * Decoders check the exact length, the type and the reserved bits, and
 * nothing else: MACs and AEADs are checked by the caller, with the keys.
 *
 * A message's MAC, where it has one, is its last WIRE_MAC_LEN bytes and
 * covers every byte before it (wire_mac_input()).
 */
#ifndef JUMPD_WIRE_H
#define JUMPD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

#define WIRE_KEY_LEN		32	/* X25519 keys, symmetric keys */
#define WIRE_MAC_LEN		16	/* keyed BLAKE2b-128 */
#define WIRE_AEAD_TAG_LEN	16	/* ChaCha20-Poly1305 */
#define WIRE_COOKIE_LEN		16
#define WIRE_NONCE_LEN		16	/* path validation challenge */

/* Sizes on the wire. */
#define WIRE_HANDSHAKE_INIT_LEN		144
#define WIRE_HANDSHAKE_RESP_LEN		84
#define WIRE_COOKIE_REPLY_LEN		28
#define WIRE_HANDSHAKE_DONE_LEN		32
#define WIRE_HANDSHAKE_ACK_LEN		28
#define WIRE_REATTACH_REQUEST_LEN	64
#define WIRE_REATTACH_CHALLENGE_LEN	52
#define WIRE_REATTACH_CONFIRM_LEN	52
#define WIRE_REBIND_CHALLENGE_LEN	52	/* the layout of REATTACH_CHALLENGE */
#define WIRE_REBIND_CONFIRM_LEN		52
#define WIRE_REATTACH_ACK_LEN		40
#define WIRE_REATTACH_REJECT_LEN	36
#define WIRE_STANDBY_REQUEST_LEN	64	/* the layout of REATTACH_REQUEST */
#define WIRE_STANDBY_PROMOTE_LEN	64	/* the layout of REATTACH_REQUEST */
#define WIRE_STANDBY_ACK_LEN		40	/* the layout of REATTACH_ACK */
#define WIRE_STANDBY_KEEPALIVE_LEN	40	/* the layout of REATTACH_ACK */
#define WIRE_REKEY_INIT_LEN		64
#define WIRE_REKEY_RESP_LEN		64
#define WIRE_REKEY_DONE_LEN		32
#define WIRE_TERMINATE_LEN		28
#define WIRE_MAX_LEN			WIRE_HANDSHAKE_INIT_LEN

/*
 * HANDSHAKE_INIT: hsid picked by the client at random, echoed in the RESP so
 * that the client matches the two. ephemeral, static_enc and ts_enc are the
 * Noise IK message 1 (handshake.h fills them). mac1 is keyed with a hash of
 * the server's public key (anyone who knows it can compute it: it filters
 * garbage cheaply); mac2 is keyed with the cookie (zero when there is none).
 */
struct wire_handshake_init {
	uint32_t hsid;
	uint8_t ephemeral[WIRE_KEY_LEN];
	uint8_t static_enc[WIRE_KEY_LEN + WIRE_AEAD_TAG_LEN];
	uint8_t ts_enc[8 + WIRE_AEAD_TAG_LEN];		/* u64 ns, CLOCK_REALTIME */
	uint8_t mac1[WIRE_MAC_LEN];
	uint8_t mac2[WIRE_MAC_LEN];
};

/* HANDSHAKE_RESP: Noise IK message 2; payload: session id, server index. */
struct wire_handshake_resp {
	uint32_t hsid;
	uint8_t ephemeral[WIRE_KEY_LEN];
	uint8_t payload_enc[12 + WIRE_AEAD_TAG_LEN];	/* be64 id, be32 index */
	uint8_t mac1[WIRE_MAC_LEN];			/* keyed with the client's key hash */
};

/* COOKIE_REPLY: @ref echoes the hsid or session id of what it answers. */
struct wire_cookie_reply {
	uint64_t ref;
	uint8_t cookie[WIRE_COOKIE_LEN];
};

/* HANDSHAKE_DONE: the client's receiver index, MACed with the control key. */
struct wire_handshake_done {
	uint64_t session_id;
	uint32_t client_index;
	uint8_t mac[WIRE_MAC_LEN];
};

/* HANDSHAKE_ACK and TERMINATE (reason in the type byte's neighbour). */
struct wire_session_mac {
	uint8_t reason;			/* TERMINATE: enum jump_reason; ACK: 0 */
	uint64_t session_id;
	uint8_t mac[WIRE_MAC_LEN];
};

/*
 * REATTACH_REQUEST, MACed with the session's reattach key; STANDBY_REQUEST
 * and STANDBY_PROMOTE have its layout (for STANDBY_REQUEST, @epoch is the
 * current one: a standby takes the next when promoted).
 */
struct wire_reattach_request {
	uint64_t session_id;
	uint32_t epoch;			/* the binding epoch asked for */
	uint64_t attempt;		/* strictly increasing per session */
	uint64_t timestamp_ns;		/* CLOCK_REALTIME of the client */
	uint8_t cookie[WIRE_COOKIE_LEN];	/* zero unless the server sent one */
	uint8_t mac[WIRE_MAC_LEN];
};

/* REATTACH_CHALLENGE and REATTACH_CONFIRM: same fields, different type. */
struct wire_reattach_nonce {
	uint64_t session_id;
	uint64_t attempt;
	uint8_t nonce[WIRE_NONCE_LEN];
	uint8_t mac[WIRE_MAC_LEN];
};

/*
 * REATTACH_ACK: the epoch the server committed. STANDBY_ACK and
 * STANDBY_KEEPALIVE have its layout; a keepalive's @attempt is its own
 * counter (the sender's CLOCK_REALTIME ns), echoed by the server.
 */
struct wire_reattach_ack {
	uint64_t session_id;
	uint64_t attempt;
	uint32_t epoch;
	uint8_t mac[WIRE_MAC_LEN];
};

/*
 * REATTACH_REJECT: reason (enum jump_reject) in the type byte's neighbour.
 * mac is all zero when the server could not authenticate the request (it
 * has no key to MAC with): the client must not act on such a reject.
 */
struct wire_reattach_reject {
	uint8_t reason;
	uint64_t session_id;
	uint64_t attempt;
	uint8_t mac[WIRE_MAC_LEN];
};

/* REKEY_INIT and REKEY_RESP: a fresh ephemeral, MACed with the control key. */
struct wire_rekey {
	uint64_t session_id;
	uint32_t rekey_seq;		/* strictly increasing per session */
	uint8_t ephemeral[WIRE_KEY_LEN];
	uint8_t mac[WIRE_MAC_LEN];
};

/* REKEY_DONE. */
struct wire_rekey_done {
	uint64_t session_id;
	uint32_t rekey_seq;
	uint8_t mac[WIRE_MAC_LEN];
};

/*
 * The type of a received datagram, or -1 if it is shorter than the common
 * 4-byte header or of an unknown type. Does not check anything else.
 */
int wire_type(const uint8_t *buf, size_t len);
/* The exact length of a message of @type: 0 for DATA or an unknown type. */
size_t wire_length(int type);
/*
 * The session id at offset 4 of every type that carries one, read before
 * the type's own decoder checks the length: 0, or -1 for a type without one.
 */
int wire_session_id(const uint8_t *buf, size_t len, uint64_t *id);

/*
 * Encoders write exactly the message's length into @buf (room for
 * WIRE_MAX_LEN is always enough) and return it. The MAC fields are copied
 * as they are: compute them over wire_mac_input() and store them with
 * wire_set_mac() (or fill the struct's mac before encoding). The encoders
 * that take a @type return 0, writing nothing, for a type they do not serve.
 *
 * Decoders return 0, or -1 if the length, type or reserved bits are wrong.
 */
size_t wire_encode_handshake_init(uint8_t *buf, const struct wire_handshake_init *m);
int wire_decode_handshake_init(const uint8_t *buf, size_t len, struct wire_handshake_init *m);
size_t wire_encode_handshake_resp(uint8_t *buf, const struct wire_handshake_resp *m);
int wire_decode_handshake_resp(const uint8_t *buf, size_t len, struct wire_handshake_resp *m);
size_t wire_encode_cookie_reply(uint8_t *buf, const struct wire_cookie_reply *m);
int wire_decode_cookie_reply(const uint8_t *buf, size_t len, struct wire_cookie_reply *m);
size_t wire_encode_handshake_done(uint8_t *buf, const struct wire_handshake_done *m);
int wire_decode_handshake_done(const uint8_t *buf, size_t len, struct wire_handshake_done *m);
/* @type: JUMP_MSG_HANDSHAKE_ACK or JUMP_MSG_TERMINATE. */
size_t wire_encode_session_mac(uint8_t *buf, uint8_t type, const struct wire_session_mac *m);
int wire_decode_session_mac(const uint8_t *buf, size_t len, uint8_t type, struct wire_session_mac *m);
/* @type: JUMP_MSG_REATTACH_REQUEST, STANDBY_REQUEST or STANDBY_PROMOTE. */
size_t wire_encode_request(uint8_t *buf, uint8_t type, const struct wire_reattach_request *m);
int wire_decode_request(const uint8_t *buf, size_t len, uint8_t type,
			struct wire_reattach_request *m);
size_t wire_encode_reattach_request(uint8_t *buf, const struct wire_reattach_request *m);
int wire_decode_reattach_request(const uint8_t *buf, size_t len, struct wire_reattach_request *m);
/* @type: JUMP_MSG_REATTACH_CHALLENGE or JUMP_MSG_REATTACH_CONFIRM. */
size_t wire_encode_reattach_nonce(uint8_t *buf, uint8_t type, const struct wire_reattach_nonce *m);
int wire_decode_reattach_nonce(const uint8_t *buf, size_t len, uint8_t type, struct wire_reattach_nonce *m);
/* @type: JUMP_MSG_REATTACH_ACK, STANDBY_ACK or STANDBY_KEEPALIVE. */
size_t wire_encode_ack(uint8_t *buf, uint8_t type, const struct wire_reattach_ack *m);
int wire_decode_ack(const uint8_t *buf, size_t len, uint8_t type, struct wire_reattach_ack *m);
size_t wire_encode_reattach_ack(uint8_t *buf, const struct wire_reattach_ack *m);
int wire_decode_reattach_ack(const uint8_t *buf, size_t len, struct wire_reattach_ack *m);
size_t wire_encode_reattach_reject(uint8_t *buf, const struct wire_reattach_reject *m);
int wire_decode_reattach_reject(const uint8_t *buf, size_t len, struct wire_reattach_reject *m);
/* @type: JUMP_MSG_REKEY_INIT or JUMP_MSG_REKEY_RESP. */
size_t wire_encode_rekey(uint8_t *buf, uint8_t type, const struct wire_rekey *m);
int wire_decode_rekey(const uint8_t *buf, size_t len, uint8_t type, struct wire_rekey *m);
size_t wire_encode_rekey_done(uint8_t *buf, const struct wire_rekey_done *m);
int wire_decode_rekey_done(const uint8_t *buf, size_t len, struct wire_rekey_done *m);

/* The bytes a trailing MAC covers: all of @len but the last WIRE_MAC_LEN. */
static inline size_t wire_mac_input(size_t len)
{
	return len - WIRE_MAC_LEN;
}

/* Stores @mac as the last WIRE_MAC_LEN bytes of the encoded message. */
void wire_set_mac(uint8_t *buf, size_t len, const uint8_t mac[WIRE_MAC_LEN]);

#endif /* JUMPD_WIRE_H */
