// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's control-plane cryptography: the birth handshake between a client
 * and a server, its refusals (any flipped bit, a wrong key, a low-order
 * point), the MACs, the reattach ratchet and the rekey.
 *
 * The kat_* vectors were computed by an independent implementation (Python:
 * hashlib, hmac and the cryptography package) which first reproduces
 * noise-c's Noise_IK_25519_ChaChaPoly_BLAKE2b vector (tests/vector/
 * noise-c-basic.txt: same four keys as here), then applies jump's prologue,
 * payloads, message layout, mac1/mac2 and key schedule from
 * Documentation/protocol.rst.
 *
 * Over 600 lines: the vectors and the flipped-bit sweeps of one protocol
 * belong together, and each case is a few independent lines.
 */
#include <string.h>

#include <linux/jump.h>

#include "handshake.h"
#include "tap.h"
#include "wire.h"

/* hsid, timestamp, session id and index the vectors were made with. */
#define KAT_HSID	0x01020304U
#define KAT_TS		0x1122334455667788ULL
#define KAT_SID		0xa0a1a2a3a4a5a6a7ULL
#define KAT_INDEX	0x0badf00dU

static const uint8_t kat_client_static[32] = {
	0xe6, 0x1e, 0xf9, 0x91, 0x9c, 0xde, 0x45, 0xdd,
	0x5f, 0x82, 0x16, 0x64, 0x04, 0xbd, 0x08, 0xe3,
	0x8b, 0xce, 0xb5, 0xdf, 0xdf, 0xde, 0xd0, 0xa3,
	0x4c, 0x8d, 0xf7, 0xed, 0x54, 0x22, 0x14, 0xd1,
};
static const uint8_t kat_client_ephemeral[32] = {
	0x89, 0x3e, 0x28, 0xb9, 0xdc, 0x6c, 0xa8, 0xd6,
	0x11, 0xab, 0x66, 0x47, 0x54, 0xb8, 0xce, 0xb7,
	0xba, 0xc5, 0x11, 0x73, 0x49, 0xa4, 0x43, 0x9a,
	0x6b, 0x05, 0x69, 0xda, 0x97, 0x7c, 0x46, 0x4a,
};
static const uint8_t kat_server_static[32] = {
	0x4a, 0x3a, 0xcb, 0xfd, 0xb1, 0x63, 0xde, 0xc6,
	0x51, 0xdf, 0xa3, 0x19, 0x4d, 0xec, 0xe6, 0x76,
	0xd4, 0x37, 0x02, 0x9c, 0x62, 0xa4, 0x08, 0xb4,
	0xc5, 0xea, 0x91, 0x14, 0x24, 0x6e, 0x48, 0x93,
};
static const uint8_t kat_server_ephemeral[32] = {
	0xbb, 0xdb, 0x4c, 0xdb, 0xd3, 0x09, 0xf1, 0xa1,
	0xf2, 0xe1, 0x45, 0x69, 0x67, 0xfe, 0x28, 0x8c,
	0xad, 0xd6, 0xf7, 0x12, 0xd6, 0x5d, 0xc7, 0xb7,
	0x79, 0x3d, 0x5e, 0x63, 0xda, 0x6b, 0x37, 0x5b,
};
static const uint8_t kat_cookie[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t kat_init[144] = {
	0x01, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
	0xca, 0x35, 0xde, 0xf5, 0xae, 0x56, 0xce, 0xc3,
	0x3d, 0xc2, 0x03, 0x67, 0x31, 0xab, 0x14, 0x89,
	0x6b, 0xc4, 0xc7, 0x5d, 0xbb, 0x07, 0xa6, 0x1f,
	0x87, 0x9f, 0x8e, 0x3a, 0xfa, 0x4c, 0x79, 0x44,
	0xba, 0x83, 0xa4, 0x47, 0xb3, 0x8c, 0x83, 0xe3,
	0x27, 0xad, 0x93, 0x69, 0x29, 0x81, 0x2f, 0x62,
	0x48, 0x84, 0x84, 0x7b, 0x78, 0x31, 0xe9, 0x5e,
	0x19, 0x7b, 0x2f, 0x79, 0x70, 0x88, 0xef, 0xdd,
	0x0b, 0x72, 0x58, 0x30, 0x97, 0x37, 0x4f, 0x6f,
	0xd6, 0xe0, 0x0e, 0x6e, 0x5d, 0x1e, 0xf1, 0xc0,
	0xbb, 0x19, 0x10, 0x3c, 0x77, 0x6e, 0x9a, 0x6c,
	0xc4, 0x63, 0x0d, 0xbd, 0xea, 0x2a, 0x72, 0x8f,
	0xd3, 0x38, 0xce, 0xff, 0x0f, 0x52, 0xfe, 0xd3,
	0x29, 0x21, 0x48, 0xff, 0x0e, 0x06, 0x60, 0xfc,
	0xe6, 0xb1, 0x04, 0x2d, 0x20, 0xb3, 0x0f, 0x1c,
	0x04, 0xe5, 0xab, 0x4f, 0x9e, 0xc2, 0xf5, 0x47,
	0x40, 0x40, 0x3d, 0xf8, 0xb7, 0xef, 0x8b, 0xd6,
};
static const uint8_t kat_resp[84] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
	0x95, 0xeb, 0xc6, 0x0d, 0x2b, 0x1f, 0xa6, 0x72,
	0xc1, 0xf4, 0x6a, 0x8a, 0xa2, 0x65, 0xef, 0x51,
	0xbf, 0xe3, 0x8e, 0x7c, 0xcb, 0x39, 0xec, 0x5b,
	0xe3, 0x40, 0x69, 0xf1, 0x44, 0x80, 0x88, 0x43,
	0x72, 0xd2, 0x4b, 0xf7, 0xbf, 0xda, 0x35, 0x2b,
	0x5a, 0x12, 0x88, 0x2c, 0x36, 0x60, 0x6f, 0xa5,
	0xed, 0xb9, 0x95, 0x7a, 0xe4, 0xe2, 0x5f, 0x10,
	0xeb, 0x8e, 0x15, 0xbe, 0x40, 0xfe, 0xfc, 0xe7,
	0xdf, 0x51, 0x25, 0x6a, 0xa6, 0xa5, 0x48, 0xec,
	0xc8, 0x85, 0x7d, 0x37,
};
static const uint8_t kat_send[32] = {
	0xe5, 0xa7, 0xef, 0x42, 0x0e, 0x26, 0x42, 0x17,
	0x34, 0xc8, 0x2d, 0xf6, 0x25, 0x22, 0x25, 0x1f,
	0xa2, 0xf5, 0x6a, 0x66, 0x26, 0xd6, 0x40, 0x39,
	0x75, 0x6f, 0xfe, 0xc4, 0x38, 0xb2, 0x88, 0x3f,
};
static const uint8_t kat_recv[32] = {
	0x06, 0x5b, 0xc2, 0x1e, 0x75, 0xd5, 0xac, 0x1c,
	0x0d, 0x22, 0x7d, 0xcd, 0x15, 0x8c, 0xc9, 0xe1,
	0x97, 0x9f, 0xc3, 0x0e, 0xfe, 0xb5, 0x58, 0x62,
	0x25, 0x35, 0xb4, 0xb8, 0x4e, 0xb6, 0xc8, 0x0a,
};
static const uint8_t kat_ctl[32] = {
	0x85, 0x8d, 0x82, 0xf6, 0x6b, 0x0d, 0x34, 0x44,
	0xef, 0x14, 0xc2, 0xea, 0x8b, 0xa8, 0x10, 0xee,
	0x1c, 0x58, 0xb7, 0x49, 0xb3, 0x54, 0x0e, 0xd9,
	0xe6, 0xe8, 0x33, 0x3c, 0xe6, 0xe7, 0xf6, 0x8a,
};
static const uint8_t kat_reattach[32] = {
	0xfa, 0x83, 0xff, 0x55, 0x32, 0x22, 0xae, 0xf5,
	0x12, 0xc2, 0x70, 0x5c, 0xb5, 0xf6, 0xca, 0x7a,
	0x20, 0xce, 0x64, 0x02, 0x4c, 0xa5, 0x39, 0x64,
	0xb5, 0x8c, 0x65, 0xc2, 0x8f, 0xea, 0x62, 0x23,
};
static const uint8_t kat_chain[32] = {
	0x56, 0x8c, 0x2d, 0x19, 0x38, 0x78, 0xba, 0xa7,
	0xef, 0x54, 0x1c, 0x01, 0xb5, 0x05, 0xaa, 0x58,
	0xb2, 0x85, 0xa9, 0x06, 0xd6, 0xd0, 0x5d, 0xe1,
	0xb0, 0x60, 0xec, 0x81, 0xd7, 0x2a, 0x54, 0x6d,
};
static const uint8_t kat_ratchet[32] = {
	0xba, 0x17, 0x53, 0xd8, 0x7d, 0x43, 0x2c, 0xca,
	0x62, 0x06, 0x12, 0xec, 0xd2, 0xa0, 0x8e, 0x9d,
	0x50, 0x9a, 0x76, 0xf9, 0xb9, 0x9c, 0x5c, 0x18,
	0x14, 0xc6, 0x13, 0x5f, 0xf8, 0x61, 0x07, 0x78,
};
static const uint8_t kat_rekey_send[32] = {
	0x41, 0xd7, 0x20, 0x66, 0x6e, 0xa4, 0x0d, 0xdf,
	0xac, 0x48, 0x52, 0x3f, 0xb9, 0x3d, 0xdd, 0x2d,
	0x10, 0xcf, 0xe8, 0xd8, 0xb0, 0x20, 0xf4, 0x59,
	0xb5, 0xbb, 0x05, 0x55, 0xae, 0x0d, 0x33, 0x19,
};
static const uint8_t kat_rekey_recv[32] = {
	0xe6, 0x76, 0xf9, 0x63, 0xf0, 0x6d, 0xd8, 0x28,
	0x42, 0x45, 0x42, 0x99, 0xe8, 0x00, 0xba, 0x38,
	0x04, 0xfc, 0x27, 0x90, 0x91, 0xa0, 0x60, 0x4b,
	0xf0, 0x7f, 0x40, 0x95, 0x8b, 0xf3, 0xf3, 0xbb,
};
static const uint8_t kat_rekey_ctl[32] = {
	0x85, 0xbc, 0xb2, 0x5d, 0xe5, 0xcc, 0x18, 0x12,
	0xf5, 0xf7, 0xd0, 0x5e, 0xf3, 0x43, 0x10, 0x90,
	0x79, 0x4f, 0x48, 0x78, 0xb5, 0x19, 0xc1, 0xb4,
	0xce, 0x82, 0x84, 0xe8, 0x48, 0x08, 0xd7, 0x3b,
};
static const uint8_t kat_rekey_chain[32] = {
	0xcc, 0xd0, 0x8e, 0x15, 0x9d, 0x6e, 0xda, 0xdd,
	0xb6, 0xb6, 0x47, 0xc3, 0xd2, 0xb8, 0xbd, 0x34,
	0xcd, 0xb0, 0xaf, 0x9f, 0xab, 0xd1, 0x07, 0x30,
	0x03, 0xb7, 0x5b, 0x24, 0x19, 0xc3, 0xa9, 0x89,
};
static const uint8_t kat_terminate[28] = {
	0x0f, 0x11, 0x00, 0x00, 0xa0, 0xa1, 0xa2, 0xa3,
	0xa4, 0xa5, 0xa6, 0xa7, 0x40, 0x7c, 0xbd, 0x02,
	0x41, 0x51, 0x33, 0x1c, 0x37, 0x00, 0x79, 0x52,
	0x0c, 0xdc, 0xd3, 0xdd,
};

/* RFC 7748, section 6.1. */
static const uint8_t rfc_alice_priv[32] = {
	0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72,
	0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a,
	0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
};
static const uint8_t rfc_alice_pub[32] = {
	0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d, 0xdc,
	0xb4, 0x3e, 0xf7, 0x5a, 0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4,
	0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
};
static const uint8_t rfc_bob_priv[32] = {
	0x5d, 0xab, 0x08, 0x7e, 0x62, 0x4a, 0x8a, 0x4b, 0x79, 0xe1, 0x7f, 0x8b,
	0x83, 0x80, 0x0e, 0xe6, 0x6f, 0x3b, 0xb1, 0x29, 0x26, 0x18, 0xb6, 0xfd,
	0x1c, 0x2f, 0x8b, 0x27, 0xff, 0x88, 0xe0, 0xeb,
};
static const uint8_t rfc_bob_pub[32] = {
	0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61, 0xc2,
	0xec, 0xe4, 0x35, 0x37, 0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78, 0x67, 0x4d,
	0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f,
};

/* A point of order 8 on Curve25519: its DH with any key is all zero. */
static const uint8_t low_order[32] = {
	0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa,
	0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd,
	0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00,
};

static const uint8_t zero32[32];

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return !acc;
}

static struct hs_keypair keypair_of(const uint8_t priv[WIRE_KEY_LEN])
{
	struct hs_keypair kp;

	memcpy(kp.priv, priv, WIRE_KEY_LEN);
	hs_public_key(kp.priv, kp.pub);
	return kp;
}

static bool keys_mirror(const struct hs_keys *c, const struct hs_keys *s)
{
	return !memcmp(c->send, s->recv, WIRE_KEY_LEN) &&
	       !memcmp(c->recv, s->send, WIRE_KEY_LEN) &&
	       !memcmp(c->ctl, s->ctl, WIRE_KEY_LEN) &&
	       !memcmp(c->reattach, s->reattach, WIRE_KEY_LEN) &&
	       !memcmp(c->chain, s->chain, WIRE_KEY_LEN);
}

/* Every key distinct from the others: no label collides with another. */
static bool keys_distinct(const struct hs_keys *k)
{
	const uint8_t *v[] = { k->send, k->recv, k->ctl, k->reattach, k->chain };

	for (size_t i = 0; i < 5; i++)
		for (size_t j = i + 1; j < 5; j++)
			if (!memcmp(v[i], v[j], WIRE_KEY_LEN))
				return false;
	return !all_zero(k->send, WIRE_KEY_LEN);
}

static void test_x25519(void)
{
	uint8_t pub[WIRE_KEY_LEN];
	struct hs_keypair a, b;

	tap_ok(!hs_public_key(rfc_alice_priv, pub) && !memcmp(pub, rfc_alice_pub, 32),
	       "hs_public_key: RFC 7748 alice");
	tap_ok(!hs_public_key(rfc_bob_priv, pub) && !memcmp(pub, rfc_bob_pub, 32),
	       "hs_public_key: RFC 7748 bob");
	hs_keypair_generate(&a);
	hs_keypair_generate(&b);
	tap_ok((a.priv[0] & 7) == 0 && (a.priv[31] & 0xc0) == 0x40 &&
	       !hs_public_key(a.priv, pub) && !memcmp(pub, a.pub, 32),
	       "hs_keypair_generate: clamped, and pub is priv's public key");
	tap_ok(memcmp(a.priv, b.priv, 32) && memcmp(a.pub, b.pub, 32),
	       "hs_keypair_generate: two calls, two keys");
}

/* The messages are built and read the way jumpd does: struct, wire, MACs. */
static void test_kat_birth(void)
{
	struct hs_keypair cs = keypair_of(kat_client_static);
	struct hs_keypair ce = keypair_of(kat_client_ephemeral);
	struct hs_keypair ss = keypair_of(kat_server_static);
	struct hs_keypair se = keypair_of(kat_server_ephemeral);
	uint8_t ibuf[WIRE_HANDSHAKE_INIT_LEN], rbuf[WIRE_HANDSHAKE_RESP_LEN];
	struct wire_handshake_init init;
	struct wire_handshake_resp resp;
	struct hs_keys ck, sk;
	struct hs_initiator ini;
	struct hs_responder res;
	uint64_t sid;
	uint32_t idx;

	tap_ok(!hs_initiator_start_eph(&ini, &cs, ss.pub, &ce, KAT_HSID, KAT_TS, &init) &&
	       wire_encode_handshake_init(ibuf, &init) == sizeof(ibuf),
	       "KAT: message 1 built");
	hs_seal_init(ibuf, ss.pub, kat_cookie);
	tap_ok(!memcmp(ibuf, kat_init, sizeof(ibuf)),
	       "KAT: HANDSHAKE_INIT, mac1 and mac2 byte for byte");
	tap_ok(!wire_decode_handshake_init(kat_init, sizeof(kat_init), &init) &&
	       hs_init_mac1_ok(kat_init, ss.pub) && hs_init_mac2_ok(kat_init, kat_cookie) &&
	       !hs_responder_consume(&res, &ss, &init) &&
	       !memcmp(res.peer_pub, cs.pub, 32) && res.timestamp_ns == KAT_TS &&
	       res.hsid == KAT_HSID, "KAT: the server opens it: client key, timestamp, hsid");
	tap_ok(!hs_responder_reply_eph(&res, &se, KAT_SID, KAT_INDEX, &resp, &sk) &&
	       wire_encode_handshake_resp(rbuf, &resp) == sizeof(rbuf),
	       "KAT: message 2 built");
	hs_seal_resp(rbuf, cs.pub);
	tap_ok(!memcmp(rbuf, kat_resp, sizeof(rbuf)), "KAT: HANDSHAKE_RESP and mac1 byte for byte");
	tap_ok(!wire_decode_handshake_resp(kat_resp, sizeof(kat_resp), &resp) &&
	       hs_resp_mac1_ok(kat_resp, cs.pub) &&
	       !hs_initiator_finish(&ini, &resp, &sid, &idx, &ck) &&
	       sid == KAT_SID && idx == KAT_INDEX,
	       "KAT: the client opens it: session id and index");
	tap_ok(!memcmp(ck.send, kat_send, 32) && !memcmp(ck.recv, kat_recv, 32) &&
	       !memcmp(ck.ctl, kat_ctl, 32) && !memcmp(ck.reattach, kat_reattach, 32) &&
	       !memcmp(ck.chain, kat_chain, 32), "KAT: the client's keys");
	tap_ok(keys_mirror(&ck, &sk), "KAT: the server's keys mirror them");
}

struct birth {
	struct hs_keypair client, server;
	struct hs_initiator ini;
	struct hs_responder res;
	uint8_t ibuf[WIRE_HANDSHAKE_INIT_LEN];
	uint8_t rbuf[WIRE_HANDSHAKE_RESP_LEN];
	struct hs_keys ck, sk;
	uint64_t sid;
	uint32_t idx;
};

static const uint8_t no_cookie[WIRE_COOKIE_LEN];

static int client_hello(struct birth *b, const uint8_t server_pub[WIRE_KEY_LEN])
{
	struct wire_handshake_init init;

	if (hs_initiator_start(&b->ini, &b->client, server_pub, 0x5eed, 1000, &init))
		return -1;
	wire_encode_handshake_init(b->ibuf, &init);
	hs_seal_init(b->ibuf, server_pub, no_cookie);
	return 0;
}

/* What a server does with an INIT, cheapest check first. */
static int server_open(struct birth *b, const uint8_t *ibuf)
{
	struct wire_handshake_init init;

	if (wire_decode_handshake_init(ibuf, WIRE_HANDSHAKE_INIT_LEN, &init) ||
	    !hs_init_mac1_ok(ibuf, b->server.pub))
		return -1;
	return hs_responder_consume(&b->res, &b->server, &init);
}

static int server_answer(struct birth *b)
{
	struct wire_handshake_resp resp;

	if (hs_responder_reply(&b->res, 0x1234567890abcdefULL, 77, &resp, &b->sk))
		return -1;
	wire_encode_handshake_resp(b->rbuf, &resp);
	hs_seal_resp(b->rbuf, b->res.peer_pub);
	return 0;
}

static int client_open(struct birth *b, const uint8_t *rbuf)
{
	struct wire_handshake_resp resp;

	if (wire_decode_handshake_resp(rbuf, WIRE_HANDSHAKE_RESP_LEN, &resp) ||
	    !hs_resp_mac1_ok(rbuf, b->client.pub))
		return -1;
	return hs_initiator_finish(&b->ini, &resp, &b->sid, &b->idx, &b->ck);
}

static int birth(struct birth *b)
{
	memset(b, 0, sizeof(*b));
	hs_keypair_generate(&b->client);
	hs_keypair_generate(&b->server);
	if (client_hello(b, b->server.pub) || server_open(b, b->ibuf) ||
	    server_answer(b) || client_open(b, b->rbuf))
		return -1;
	return 0;
}

static void test_birth(void)
{
	struct birth a, b;

	tap_ok(!birth(&a), "birth: a client and a server complete the handshake");
	tap_ok(!memcmp(a.res.peer_pub, a.client.pub, 32) && a.res.timestamp_ns == 1000 &&
	       a.res.hsid == 0x5eed, "birth: the server learns the client's key and timestamp");
	tap_ok(a.sid == 0x1234567890abcdefULL && a.idx == 77,
	       "birth: the client learns the session id and the server index");
	tap_ok(keys_mirror(&a.ck, &a.sk), "birth: client send = server recv and back; "
	       "ctl, reattach and chain equal");
	tap_ok(keys_distinct(&a.ck), "birth: the five keys all differ");
	tap_ok(all_zero(a.ini.self_priv, 32) && all_zero(a.ini.ephemeral.priv, 32) &&
	       all_zero(a.ini.chain, sizeof(a.ini.chain)) &&
	       all_zero(a.res.chain, sizeof(a.res.chain)) &&
	       all_zero(a.res.peer_ephemeral, 32) && !memcmp(a.res.peer_pub, a.client.pub, 32),
	       "birth: handshake secrets wiped from both states, peer key kept");
	tap_ok(!birth(&b) && memcmp(a.ck.send, b.ck.send, 32) &&
	       memcmp(a.ck.reattach, b.ck.reattach, 32) && memcmp(a.ck.chain, b.ck.chain, 32),
	       "birth: two births, unrelated keys");
	tap_ok(server_answer(&a) < 0 && all_zero(&a.sk, sizeof(a.sk)),
	       "birth: a responder state answers once");
	tap_ok(client_open(&a, a.rbuf) < 0 && a.sid == 0 && all_zero(&a.ck, sizeof(a.ck)),
	       "birth: an initiator state finishes once; outputs zeroed");
}

static void test_same_client_twice(void)
{
	struct birth a;
	struct hs_keys first;

	birth(&a);
	first = a.ck;
	/* Same static keys, fresh ephemerals: forward secrecy per birth. */
	tap_ok(!client_hello(&a, a.server.pub) && !server_open(&a, a.ibuf) &&
	       !server_answer(&a) && !client_open(&a, a.rbuf) &&
	       keys_mirror(&a.ck, &a.sk) && memcmp(first.send, a.ck.send, 32) &&
	       memcmp(first.ctl, a.ck.ctl, 32), "the same two peers again: fresh keys");
}

static void test_init_tamper(void)
{
	uint8_t buf[WIRE_HANDSHAKE_INIT_LEN];
	int resealed = 0, plain = 0, macs = 0;
	struct birth b;

	birth(&b);
	client_hello(&b, b.server.pub);
	for (size_t i = 0; i < sizeof(buf); i++) {
		memcpy(buf, b.ibuf, sizeof(buf));
		buf[i] ^= 1 << (i % 8);
		if (i < 112 && server_open(&b, buf) < 0)
			plain++;
		if (i >= 112 && (!hs_init_mac1_ok(buf, b.server.pub) ||
				 !hs_init_mac2_ok(buf, no_cookie)))
			macs++;
		/* A sender who knows mac1's key: Noise itself must refuse. */
		hs_seal_init(buf, b.server.pub, no_cookie);
		if (i >= 8 && i < 112 && server_open(&b, buf) < 0)
			resealed++;
	}
	tap_ok(plain == 112, "INIT: a flipped bit in any of bytes 0-111 is refused (%d/112)",
	       plain);
	tap_ok(macs == 32, "INIT: a flipped bit in mac1 or mac2 is refused (%d/32)", macs);
	tap_ok(resealed == 104, "INIT: with mac1 recomputed, a flipped bit in the ephemeral, "
	       "static or timestamp still fails Noise (%d/104)", resealed);
	tap_ok(!server_open(&b, b.ibuf), "INIT: the untouched message still opens");
}

static void test_resp_tamper(void)
{
	uint8_t buf[WIRE_HANDSHAKE_RESP_LEN];
	int resealed = 0, plain = 0;
	struct birth b;

	birth(&b);
	client_hello(&b, b.server.pub);
	server_open(&b, b.ibuf);
	server_answer(&b);
	for (size_t i = 0; i < sizeof(buf); i++) {
		memcpy(buf, b.rbuf, sizeof(buf));
		buf[i] ^= 0x80 >> (i % 8);
		if (client_open(&b, buf) < 0)
			plain++;
		hs_seal_resp(buf, b.client.pub);
		if (i >= 4 && i < 68 && client_open(&b, buf) < 0)
			resealed++;
	}
	tap_ok(plain == (int)sizeof(buf), "RESP: a flipped bit in any byte is refused (%d/%zu)",
	       plain, sizeof(buf));
	tap_ok(resealed == 64, "RESP: with mac1 recomputed, a flipped bit in the hsid, "
	       "ephemeral or payload still fails (%d/64)", resealed);
	tap_ok(!client_open(&b, b.rbuf) && keys_mirror(&b.ck, &b.sk),
	       "RESP: after all the forgeries, the real one still completes");
}

static void test_wrong_keys(void)
{
	struct hs_keypair other;
	struct birth b;

	birth(&b);
	hs_keypair_generate(&other);
	client_hello(&b, other.pub);
	tap_ok(!hs_init_mac1_ok(b.ibuf, b.server.pub),
	       "INIT for another server: mac1 is refused");
	hs_seal_init(b.ibuf, b.server.pub, no_cookie);
	tap_ok(server_open(&b, b.ibuf) < 0 && all_zero(&b.res, sizeof(b.res)),
	       "INIT for another server: Noise refuses it too, state zeroed");
	client_hello(&b, b.server.pub);
	server_open(&b, b.ibuf);
	server_answer(&b);
	tap_ok(hs_resp_mac1_ok(b.rbuf, b.client.pub) && !hs_resp_mac1_ok(b.rbuf, other.pub) &&
	       !hs_resp_mac1_ok(b.rbuf, b.server.pub),
	       "RESP mac1: the client's key passes, another fails");
}

static void test_macs(void)
{
	uint8_t cookie[WIRE_COOKIE_LEN], other[WIRE_COOKIE_LEN];
	struct birth b;

	birth(&b);
	client_hello(&b, b.server.pub);
	memset(cookie, 0xc5, sizeof(cookie));
	memcpy(other, cookie, sizeof(other));
	other[15] ^= 1;
	tap_ok(hs_init_mac1_ok(b.ibuf, b.server.pub) && !hs_init_mac1_ok(b.ibuf, b.client.pub),
	       "INIT mac1: the server's key passes, another fails");
	tap_ok(hs_init_mac2_ok(b.ibuf, no_cookie) && !hs_init_mac2_ok(b.ibuf, cookie),
	       "INIT mac2 without a cookie: keyed with zeros, a cookie fails");
	hs_seal_init(b.ibuf, b.server.pub, cookie);
	tap_ok(hs_init_mac2_ok(b.ibuf, cookie) && !hs_init_mac2_ok(b.ibuf, other) &&
	       !hs_init_mac2_ok(b.ibuf, no_cookie) && hs_init_mac1_ok(b.ibuf, b.server.pub),
	       "INIT mac2: the cookie passes, a one-bit different one fails, mac1 unchanged");
}

static void test_low_order(void)
{
	struct wire_handshake_init init;
	struct hs_initiator ini;
	struct birth b;

	birth(&b);
	client_hello(&b, b.server.pub);
	wire_decode_handshake_init(b.ibuf, sizeof(b.ibuf), &init);
	memset(init.ephemeral, 0, 32);
	tap_ok(hs_responder_consume(&b.res, &b.server, &init) < 0,
	       "INIT with an all-zero ephemeral is refused");
	memcpy(init.ephemeral, low_order, 32);
	tap_ok(hs_responder_consume(&b.res, &b.server, &init) < 0 &&
	       all_zero(&b.res, sizeof(b.res)),
	       "INIT with a low-order ephemeral is refused, state zeroed");
	tap_ok(hs_initiator_start(&ini, &b.client, low_order, 1, 1, &init) < 0 &&
	       all_zero(&init, sizeof(init)) && all_zero(&ini, sizeof(ini)),
	       "a low-order server key: the client refuses to start, nothing leaks");
}

static void test_resp_low_order(void)
{
	struct wire_handshake_resp resp;
	struct birth b;

	birth(&b);
	client_hello(&b, b.server.pub);
	server_open(&b, b.ibuf);
	server_answer(&b);
	wire_decode_handshake_resp(b.rbuf, sizeof(b.rbuf), &resp);
	memcpy(resp.ephemeral, zero32, 32);
	tap_ok(hs_initiator_finish(&b.ini, &resp, &b.sid, &b.idx, &b.ck) < 0,
	       "RESP with an all-zero ephemeral is refused");
	memcpy(resp.ephemeral, low_order, 32);
	tap_ok(hs_initiator_finish(&b.ini, &resp, &b.sid, &b.idx, &b.ck) < 0 &&
	       all_zero(&b.ck, sizeof(b.ck)), "RESP with a low-order ephemeral is refused");
}

static void test_ratchet(void)
{
	uint8_t a[WIRE_KEY_LEN], b[WIRE_KEY_LEN];

	memcpy(a, kat_reattach, 32);
	memcpy(b, kat_reattach, 32);
	hs_ratchet(a);
	hs_ratchet(b);
	tap_ok(memcmp(a, kat_reattach, 32) && !memcmp(a, b, 32),
	       "hs_ratchet: changes the key, the same way on both sides");
	tap_ok(!memcmp(a, kat_ratchet, 32), "hs_ratchet: known answer");
	hs_ratchet(b);
	tap_ok(memcmp(a, b, 32) && memcmp(b, kat_reattach, 32),
	       "hs_ratchet: a second step gives yet another key");
}

static void test_rekey(void)
{
	struct hs_keypair ce = keypair_of(kat_client_ephemeral);
	struct hs_keypair se = keypair_of(kat_server_ephemeral);
	struct hs_keys c, s, before;
	struct birth b;

	birth(&b);
	c = b.ck;
	s = b.sk;
	/* @chain pointing into @keys, as callers will do. */
	tap_ok(!hs_rekey(c.chain, ce.priv, se.pub, true, &c) &&
	       !hs_rekey(s.chain, se.priv, ce.pub, false, &s) && keys_mirror(&c, &s),
	       "hs_rekey: both sides get mirrored keys");
	tap_ok(memcmp(c.send, b.ck.send, 32) && memcmp(c.recv, b.ck.recv, 32) &&
	       memcmp(c.ctl, b.ck.ctl, 32) && memcmp(c.chain, b.ck.chain, 32) &&
	       !memcmp(c.reattach, b.ck.reattach, 32) && keys_distinct(&c),
	       "hs_rekey: send, recv, ctl and chain are new; reattach is kept");
	before = c;
	tap_ok(hs_rekey(c.chain, ce.priv, low_order, true, &c) < 0 &&
	       !memcmp(&c, &before, sizeof(c)),
	       "hs_rekey: a low-order ephemeral fails and leaves the keys alone");
	memset(&c, 0, sizeof(c));
	memcpy(c.chain, kat_chain, 32);
	memcpy(c.reattach, kat_reattach, 32);
	tap_ok(!hs_rekey(c.chain, ce.priv, se.pub, true, &c) &&
	       !memcmp(c.send, kat_rekey_send, 32) && !memcmp(c.recv, kat_rekey_recv, 32) &&
	       !memcmp(c.ctl, kat_rekey_ctl, 32) && !memcmp(c.chain, kat_rekey_chain, 32) &&
	       !memcmp(c.reattach, kat_reattach, 32), "hs_rekey: known answer");
}

static void test_mac_seal(void)
{
	struct wire_session_mac m = { .reason = JUMP_REASON_PEER_TERMINATE, .session_id = KAT_SID };
	uint8_t buf[WIRE_TERMINATE_LEN], key[WIRE_KEY_LEN];
	size_t n = wire_encode_session_mac(buf, JUMP_MSG_TERMINATE, &m);
	int refused = 0;

	hs_mac_seal(buf, n, kat_ctl);
	tap_ok(!memcmp(buf, kat_terminate, sizeof(buf)), "hs_mac_seal: known answer (TERMINATE)");
	tap_ok(hs_mac_ok(buf, n, kat_ctl), "hs_mac_ok: accepts it");
	for (size_t i = 0; i < n; i++) {
		buf[i] ^= 1 << (i % 8);
		refused += !hs_mac_ok(buf, n, kat_ctl);
		buf[i] ^= 1 << (i % 8);
	}
	tap_ok(refused == (int)n, "hs_mac_ok: a flipped bit in any byte fails (%d/%zu)",
	       refused, n);
	memcpy(key, kat_ctl, sizeof(key));
	key[31] ^= 0x40;
	tap_ok(!hs_mac_ok(buf, n, key) && !hs_mac_ok(buf, n, kat_reattach),
	       "hs_mac_ok: another key fails");
	tap_ok(!hs_mac_ok(buf, n - 1, kat_ctl) && !hs_mac_ok(buf, WIRE_MAC_LEN - 1, kat_ctl) &&
	       !hs_mac_ok(NULL, n, kat_ctl), "hs_mac_ok: wrong length, too short, NULL fail");
}

int main(void)
{
	test_x25519();
	test_kat_birth();
	test_birth();
	test_same_client_twice();
	test_init_tamper();
	test_resp_tamper();
	test_wrong_keys();
	test_macs();
	test_low_order();
	test_resp_low_order();
	test_ratchet();
	test_rekey();
	test_mac_seal();
	return tap_done();
}
