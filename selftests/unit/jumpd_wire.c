// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's control packet codecs: every message survives a round trip;
 * a byte too few or too many, another type, a reserved bit or a stray
 * reason is refused; and fields sit at the offsets Documentation/protocol.rst
 * gives, so the document and the code cannot drift apart.
 */
#include <stdbool.h>
#include <string.h>

#include <linux/jump.h>

#include "tap.h"
#include "wire.h"

static struct wire_handshake_init s_handshake_init;
static struct wire_handshake_resp s_handshake_resp;
static struct wire_cookie_reply s_cookie_reply;
static struct wire_handshake_done s_handshake_done;
static struct wire_session_mac s_ack, s_terminate;
static struct wire_reattach_request s_reattach_request, s_standby_request, s_standby_promote;
static struct wire_reattach_nonce s_challenge, s_confirm, s_rebind_challenge, s_rebind_confirm;
static struct wire_reattach_ack s_reattach_ack, s_standby_ack, s_standby_keepalive;
static struct wire_reattach_reject s_reattach_reject;
static struct wire_rekey s_rekey_init, s_rekey_resp;
static struct wire_rekey_done s_rekey_done;

/* Distinct, non-symmetric bytes: a swapped or shifted field shows. */
static void fill(void *p, size_t n, uint8_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7 + 1);
}

static void setup(void)
{
	fill(&s_handshake_init, sizeof(s_handshake_init), 0x10);
	s_handshake_init.hsid = 0xa1b2c3d4;
	fill(&s_handshake_resp, sizeof(s_handshake_resp), 0x20);
	s_handshake_resp.hsid = 0x11223344;
	fill(s_cookie_reply.cookie, sizeof(s_cookie_reply.cookie), 0x30);
	s_cookie_reply.ref = 0x0102030405060708ULL;
	fill(s_handshake_done.mac, WIRE_MAC_LEN, 0x40);
	s_handshake_done.session_id = 0x8877665544332211ULL;
	s_handshake_done.client_index = 0xdeadbeef;
	fill(s_ack.mac, WIRE_MAC_LEN, 0x50);
	s_ack.session_id = 0xfedcba9876543210ULL;
	s_terminate = s_ack;
	s_terminate.reason = JUMP_REASON_ADMIN_TERMINATE;
	fill(s_reattach_request.cookie, WIRE_COOKIE_LEN, 0x60);
	fill(s_reattach_request.mac, WIRE_MAC_LEN, 0x70);
	s_reattach_request.session_id = 0x1111222233334444ULL;
	s_reattach_request.epoch = 0x55667788;
	s_reattach_request.attempt = 0x99aabbccddeeff00ULL;
	s_reattach_request.timestamp_ns = 0x0123456789abcdefULL;
	fill(s_challenge.nonce, WIRE_NONCE_LEN, 0x80);
	fill(s_challenge.mac, WIRE_MAC_LEN, 0x90);
	s_challenge.session_id = 0x2222333344445555ULL;
	s_challenge.attempt = 0x0000000100000002ULL;
	s_confirm = s_challenge;
	s_confirm.attempt++;
	s_rebind_challenge = s_challenge;
	s_rebind_challenge.attempt += 7;
	s_rebind_confirm = s_rebind_challenge;
	s_rebind_confirm.attempt++;
	fill(s_reattach_ack.mac, WIRE_MAC_LEN, 0xa0);
	s_reattach_ack.session_id = 0x3333444455556666ULL;
	s_reattach_ack.attempt = 7;
	s_reattach_ack.epoch = 0x00abcdef;
	s_standby_request = s_reattach_request;
	s_standby_request.attempt += 3;
	s_standby_promote = s_standby_request;
	s_standby_promote.epoch++;
	s_standby_ack = s_reattach_ack;
	s_standby_ack.attempt += 5;
	s_standby_keepalive = s_standby_ack;
	s_standby_keepalive.attempt = 0x187654321abcdef0ULL;
	fill(s_reattach_reject.mac, WIRE_MAC_LEN, 0xb0);
	s_reattach_reject.reason = JUMP_REJECT_STALE_ATTEMPT;
	s_reattach_reject.session_id = 0x4444555566667777ULL;
	s_reattach_reject.attempt = 0x8000000000000001ULL;
	fill(s_rekey_init.ephemeral, WIRE_KEY_LEN, 0xc0);
	fill(s_rekey_init.mac, WIRE_MAC_LEN, 0xd0);
	s_rekey_init.session_id = 0x5555666677778888ULL;
	s_rekey_init.rekey_seq = 0x0a0b0c0d;
	s_rekey_resp = s_rekey_init;
	s_rekey_resp.ephemeral[0] ^= 0xff;
	fill(s_rekey_done.mac, WIRE_MAC_LEN, 0xe0);
	s_rekey_done.session_id = 0x6666777788889999ULL;
	s_rekey_done.rekey_seq = 0xf0e0d0c0;
}

/*
 * One encoder and one decoder per message type, with the same signature:
 * the decoder returns -1 if refused, 1 if accepted but not equal to the
 * sample, 0 if equal. Decoded structs start zeroed like the samples, so
 * memcmp sees equal padding.
 */
#define PLAIN(name, fn)							\
static size_t enc_##name(uint8_t *b)					\
{									\
	return wire_encode_##fn(b, &s_##name);				\
}									\
static int dec_##name(const uint8_t *b, size_t l)			\
{									\
	__typeof__(s_##name) m;						\
									\
	memset(&m, 0, sizeof(m));					\
	if (wire_decode_##fn(b, l, &m))					\
		return -1;						\
	return memcmp(&m, &s_##name, sizeof(m)) ? 1 : 0;		\
}

#define TYPED(name, fn, type)						\
static size_t enc_##name(uint8_t *b)					\
{									\
	return wire_encode_##fn(b, type, &s_##name);			\
}									\
static int dec_##name(const uint8_t *b, size_t l)			\
{									\
	__typeof__(s_##name) m;						\
									\
	memset(&m, 0, sizeof(m));					\
	if (wire_decode_##fn(b, l, type, &m))				\
		return -1;						\
	return memcmp(&m, &s_##name, sizeof(m)) ? 1 : 0;		\
}

PLAIN(handshake_init, handshake_init)
PLAIN(handshake_resp, handshake_resp)
PLAIN(cookie_reply, cookie_reply)
PLAIN(handshake_done, handshake_done)
TYPED(ack, session_mac, JUMP_MSG_HANDSHAKE_ACK)
TYPED(terminate, session_mac, JUMP_MSG_TERMINATE)
PLAIN(reattach_request, reattach_request)
TYPED(challenge, reattach_nonce, JUMP_MSG_REATTACH_CHALLENGE)
TYPED(confirm, reattach_nonce, JUMP_MSG_REATTACH_CONFIRM)
TYPED(rebind_challenge, reattach_nonce, JUMP_MSG_REBIND_CHALLENGE)
TYPED(rebind_confirm, reattach_nonce, JUMP_MSG_REBIND_CONFIRM)
PLAIN(reattach_ack, reattach_ack)
PLAIN(reattach_reject, reattach_reject)
TYPED(rekey_init, rekey, JUMP_MSG_REKEY_INIT)
TYPED(rekey_resp, rekey, JUMP_MSG_REKEY_RESP)
PLAIN(rekey_done, rekey_done)
TYPED(standby_request, request, JUMP_MSG_STANDBY_REQUEST)
TYPED(standby_promote, request, JUMP_MSG_STANDBY_PROMOTE)
TYPED(standby_ack, ack, JUMP_MSG_STANDBY_ACK)
TYPED(standby_keepalive, ack, JUMP_MSG_STANDBY_KEEPALIVE)

struct msg_case {
	const char *name;
	uint8_t type;
	size_t len;
	bool has_reason;
	uint8_t twin;		/* the type sharing this layout, or 0 */
	size_t (*enc)(uint8_t *buf);
	int (*dec)(const uint8_t *buf, size_t len);
};

#define CASE(n, t, l, r, tw) { #t, JUMP_MSG_##t, l, r, tw, enc_##n, dec_##n }
static const struct msg_case cases[] = {
	CASE(handshake_init, HANDSHAKE_INIT, WIRE_HANDSHAKE_INIT_LEN, false, 0),
	CASE(handshake_resp, HANDSHAKE_RESP, WIRE_HANDSHAKE_RESP_LEN, false, 0),
	CASE(cookie_reply, COOKIE_REPLY, WIRE_COOKIE_REPLY_LEN, false, 0),
	CASE(handshake_done, HANDSHAKE_DONE, WIRE_HANDSHAKE_DONE_LEN, false, 0),
	CASE(ack, HANDSHAKE_ACK, WIRE_HANDSHAKE_ACK_LEN, false, JUMP_MSG_TERMINATE),
	CASE(terminate, TERMINATE, WIRE_TERMINATE_LEN, true, JUMP_MSG_HANDSHAKE_ACK),
	CASE(reattach_request, REATTACH_REQUEST, WIRE_REATTACH_REQUEST_LEN, false, 0),
	CASE(challenge, REATTACH_CHALLENGE, WIRE_REATTACH_CHALLENGE_LEN, false,
	     JUMP_MSG_REATTACH_CONFIRM),
	CASE(confirm, REATTACH_CONFIRM, WIRE_REATTACH_CONFIRM_LEN, false,
	     JUMP_MSG_REATTACH_CHALLENGE),
	CASE(rebind_challenge, REBIND_CHALLENGE, WIRE_REBIND_CHALLENGE_LEN, false,
	     JUMP_MSG_REBIND_CONFIRM),
	CASE(rebind_confirm, REBIND_CONFIRM, WIRE_REBIND_CONFIRM_LEN, false,
	     JUMP_MSG_REBIND_CHALLENGE),
	CASE(reattach_ack, REATTACH_ACK, WIRE_REATTACH_ACK_LEN, false, 0),
	CASE(reattach_reject, REATTACH_REJECT, WIRE_REATTACH_REJECT_LEN, true, 0),
	CASE(rekey_init, REKEY_INIT, WIRE_REKEY_INIT_LEN, false, JUMP_MSG_REKEY_RESP),
	CASE(rekey_resp, REKEY_RESP, WIRE_REKEY_RESP_LEN, false, JUMP_MSG_REKEY_INIT),
	CASE(rekey_done, REKEY_DONE, WIRE_REKEY_DONE_LEN, false, 0),
	CASE(standby_request, STANDBY_REQUEST, WIRE_STANDBY_REQUEST_LEN, false,
	     JUMP_MSG_STANDBY_PROMOTE),
	CASE(standby_promote, STANDBY_PROMOTE, WIRE_STANDBY_PROMOTE_LEN, false,
	     JUMP_MSG_REATTACH_REQUEST),
	CASE(standby_ack, STANDBY_ACK, WIRE_STANDBY_ACK_LEN, false, JUMP_MSG_STANDBY_KEEPALIVE),
	CASE(standby_keepalive, STANDBY_KEEPALIVE, WIRE_STANDBY_KEEPALIVE_LEN, false,
	     JUMP_MSG_REATTACH_ACK),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void test_roundtrip(const struct msg_case *c)
{
	uint8_t buf[WIRE_MAX_LEN + 8];
	size_t n;

	memset(buf, 0xee, sizeof(buf));
	n = c->enc(buf);
	tap_ok(n == c->len && buf[0] == c->type && !buf[2] && !buf[3] &&
	       buf[n] == 0xee, "%s: encodes %zu bytes, header right, nothing past them",
	       c->name, c->len);
	tap_ok(c->dec(buf, n) == 0, "%s: decodes to the same fields", c->name);
	tap_ok(wire_type(buf, n) == c->type, "%s: wire_type tells it", c->name);
}

/* The decoder must refuse what the encoder would never write. */
static void test_refusals(const struct msg_case *c)
{
	uint8_t buf[WIRE_MAX_LEN + 8];
	uint8_t other;
	size_t n;

	memset(buf, 0, sizeof(buf));
	n = c->enc(buf);
	tap_ok(c->dec(buf, n - 1) < 0 && c->dec(buf, n + 1) < 0 &&
	       c->dec(buf, 0) < 0 && c->dec(NULL, n) < 0,
	       "%s: one byte short, one long, empty and NULL are refused", c->name);
	other = c->twin ? c->twin : c->type % JUMP_MSG_MAX + 1;
	buf[0] = other;
	tap_ok(c->dec(buf, n) < 0, "%s: type %u in its place is refused", c->name, other);
	buf[0] = c->type;
	buf[2] = 0x80;
	tap_ok(c->dec(buf, n) < 0, "%s: reserved byte 2 non-zero is refused", c->name);
	buf[2] = 0;
	buf[3] = 0x01;
	tap_ok(c->dec(buf, n) < 0, "%s: reserved byte 3 non-zero is refused", c->name);
	buf[3] = 0;
	if (c->has_reason)
		return;
	buf[1] = 0x01;
	tap_ok(c->dec(buf, n) < 0, "%s: a reason byte where none belongs is refused",
	       c->name);
}

/* The session id sits at offset 4 of every type that has one (protocol.rst). */
static void test_session_id(const struct msg_case *c)
{
	bool none = c->type == JUMP_MSG_HANDSHAKE_INIT || c->type == JUMP_MSG_HANDSHAKE_RESP ||
		    c->type == JUMP_MSG_COOKIE_REPLY;
	uint8_t buf[WIRE_MAX_LEN];
	uint64_t id = 0, want = 0;
	size_t n = c->enc(buf);

	for (int i = 4; i < 12; i++)
		want = want << 8 | buf[i];
	if (none) {
		tap_ok(wire_session_id(buf, n, &id) < 0, "%s: wire_session_id: none", c->name);
		return;
	}
	tap_ok(wire_session_id(buf, n, &id) == 0 && id == want && id,
	       "%s: wire_session_id reads the id at offset 4", c->name);
	tap_ok(wire_session_id(buf, 11, &id) < 0, "%s: wire_session_id: 11 bytes are too few",
	       c->name);
}

static void test_wire_type(void)
{
	uint8_t buf[8] = { JUMP_MSG_DATA, 0, 0, 0 };
	bool ok = wire_type(NULL, 8) < 0;

	for (size_t l = 0; l < 4; l++)
		ok &= wire_type(buf, l) < 0;
	tap_ok(ok, "wire_type: NULL or shorter than the 4-byte header is -1");
	tap_ok(wire_type(buf, 4) == JUMP_MSG_DATA, "wire_type: a data header is data");
	buf[0] = 0;
	tap_ok(wire_type(buf, 8) < 0, "wire_type: type 0 is unknown");
	buf[0] = JUMP_MSG_MAX + 1;
	tap_ok(wire_type(buf, 8) < 0, "wire_type: type JUMP_MSG_MAX + 1 is unknown");
	buf[0] = 0xff;
	tap_ok(wire_type(buf, 8) < 0, "wire_type: type 255 is unknown");
}

static void test_typed_misuse(void)
{
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_session_mac sm;
	struct wire_reattach_nonce rn;
	struct wire_rekey rk;
	size_t n;

	tap_ok(!wire_encode_session_mac(buf, JUMP_MSG_REKEY_INIT, &s_ack) &&
	       !wire_encode_reattach_nonce(buf, JUMP_MSG_HANDSHAKE_ACK, &s_challenge) &&
	       !wire_encode_rekey(buf, JUMP_MSG_REATTACH_CONFIRM, &s_rekey_init),
	       "typed encoders write nothing for a type they do not serve");
	n = wire_encode_session_mac(buf, JUMP_MSG_HANDSHAKE_ACK, &s_ack);
	tap_ok(wire_decode_session_mac(buf, n, JUMP_MSG_REKEY_INIT, &sm) < 0 &&
	       wire_decode_reattach_nonce(buf, n, JUMP_MSG_HANDSHAKE_ACK, &rn) < 0 &&
	       wire_decode_rekey(buf, n, JUMP_MSG_HANDSHAKE_ACK, &rk) < 0,
	       "typed decoders refuse a type they do not serve");
	n = wire_encode_session_mac(buf, JUMP_MSG_HANDSHAKE_ACK, &s_terminate);
	tap_ok(n == WIRE_HANDSHAKE_ACK_LEN && buf[1] == 0,
	       "HANDSHAKE_ACK: a reason in the struct does not reach the wire");
	n = wire_encode_session_mac(buf, JUMP_MSG_TERMINATE, &s_terminate);
	buf[1] = 0xff;
	tap_ok(!wire_decode_session_mac(buf, n, JUMP_MSG_TERMINATE, &sm) &&
	       sm.reason == 0xff, "TERMINATE: the reason byte is passed up as it is");
}

static uint64_t be_at(const uint8_t *b, size_t off, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | b[off + i];
	return v;
}

/* The offsets here are the ones in Documentation/protocol.rst's tables. */
static void test_offsets_handshake(void)
{
	uint8_t b[WIRE_MAX_LEN];
	const struct wire_handshake_init *i = &s_handshake_init;
	const struct wire_handshake_resp *r = &s_handshake_resp;

	enc_handshake_init(b);
	tap_ok(be_at(b, 4, 4) == i->hsid && !memcmp(b + 8, i->ephemeral, 32) &&
	       !memcmp(b + 40, i->static_enc, 48) && !memcmp(b + 88, i->ts_enc, 24) &&
	       !memcmp(b + 112, i->mac1, 16) && !memcmp(b + 128, i->mac2, 16),
	       "HANDSHAKE_INIT: hsid@4 ephemeral@8 static@40 timestamp@88 mac1@112 mac2@128");
	enc_handshake_resp(b);
	tap_ok(be_at(b, 4, 4) == r->hsid && !memcmp(b + 8, r->ephemeral, 32) &&
	       !memcmp(b + 40, r->payload_enc, 28) && !memcmp(b + 68, r->mac1, 16),
	       "HANDSHAKE_RESP: hsid@4 ephemeral@8 payload@40 mac1@68");
	enc_cookie_reply(b);
	tap_ok(be_at(b, 4, 8) == s_cookie_reply.ref &&
	       !memcmp(b + 12, s_cookie_reply.cookie, 16),
	       "COOKIE_REPLY: ref@4 cookie@12");
	enc_handshake_done(b);
	tap_ok(be_at(b, 4, 8) == s_handshake_done.session_id &&
	       be_at(b, 12, 4) == s_handshake_done.client_index &&
	       !memcmp(b + 16, s_handshake_done.mac, 16),
	       "HANDSHAKE_DONE: session@4 index@12 mac@16");
	enc_terminate(b);
	tap_ok(b[1] == JUMP_REASON_ADMIN_TERMINATE &&
	       be_at(b, 4, 8) == s_terminate.session_id && !memcmp(b + 12, s_terminate.mac, 16),
	       "TERMINATE: reason@1 session@4 mac@12");
}

static void test_offsets_reattach(void)
{
	const struct wire_reattach_request *q = &s_reattach_request;
	uint8_t b[WIRE_MAX_LEN];

	enc_reattach_request(b);
	tap_ok(be_at(b, 4, 8) == q->session_id && be_at(b, 12, 4) == q->epoch &&
	       be_at(b, 16, 8) == q->attempt && be_at(b, 24, 8) == q->timestamp_ns &&
	       !memcmp(b + 32, q->cookie, 16) && !memcmp(b + 48, q->mac, 16),
	       "REATTACH_REQUEST: session@4 epoch@12 attempt@16 timestamp@24 cookie@32 mac@48");
	enc_challenge(b);
	tap_ok(be_at(b, 4, 8) == s_challenge.session_id &&
	       be_at(b, 12, 8) == s_challenge.attempt &&
	       !memcmp(b + 20, s_challenge.nonce, 16) && !memcmp(b + 36, s_challenge.mac, 16),
	       "REATTACH_CHALLENGE: session@4 attempt@12 nonce@20 mac@36");
	enc_reattach_ack(b);
	tap_ok(be_at(b, 4, 8) == s_reattach_ack.session_id &&
	       be_at(b, 12, 8) == s_reattach_ack.attempt &&
	       be_at(b, 20, 4) == s_reattach_ack.epoch && !memcmp(b + 24, s_reattach_ack.mac, 16),
	       "REATTACH_ACK: session@4 attempt@12 epoch@20 mac@24");
	enc_reattach_reject(b);
	tap_ok(b[1] == JUMP_REJECT_STALE_ATTEMPT &&
	       be_at(b, 4, 8) == s_reattach_reject.session_id &&
	       be_at(b, 12, 8) == s_reattach_reject.attempt &&
	       !memcmp(b + 20, s_reattach_reject.mac, 16),
	       "REATTACH_REJECT: reason@1 session@4 attempt@12 mac@20");
	enc_rekey_init(b);
	tap_ok(be_at(b, 4, 8) == s_rekey_init.session_id &&
	       be_at(b, 12, 4) == s_rekey_init.rekey_seq &&
	       !memcmp(b + 16, s_rekey_init.ephemeral, 32) && !memcmp(b + 48, s_rekey_init.mac, 16),
	       "REKEY_INIT: session@4 seq@12 ephemeral@16 mac@48");
	enc_rekey_done(b);
	tap_ok(be_at(b, 4, 8) == s_rekey_done.session_id &&
	       be_at(b, 12, 4) == s_rekey_done.rekey_seq && !memcmp(b + 16, s_rekey_done.mac, 16),
	       "REKEY_DONE: session@4 seq@12 mac@16");
}

static void test_set_mac(void)
{
	uint8_t b[WIRE_MAX_LEN], mac[WIRE_MAC_LEN], small[8];
	size_t n;

	memset(small, 0x5a, sizeof(small));
	fill(mac, sizeof(mac), 0x33);
	n = enc_reattach_ack(b);
	wire_set_mac(b, n, mac);
	tap_ok(!memcmp(b + n - WIRE_MAC_LEN, mac, WIRE_MAC_LEN) &&
	       wire_mac_input(n) == 24 && be_at(b, 20, 4) == s_reattach_ack.epoch,
	       "wire_set_mac: the last 16 bytes, after the 24 it covers");
	wire_set_mac(small, sizeof(small), mac);
	tap_ok(small[0] == 0x5a && small[7] == 0x5a,
	       "wire_set_mac: a buffer shorter than a MAC is left alone");
}

int main(void)
{
	setup();
	for (size_t i = 0; i < NCASES; i++)
		test_roundtrip(&cases[i]);
	for (size_t i = 0; i < NCASES; i++)
		test_refusals(&cases[i]);
	for (size_t i = 0; i < NCASES; i++)
		test_session_id(&cases[i]);
	test_wire_type();
	test_typed_misuse();
	test_offsets_handshake();
	test_offsets_reattach();
	test_set_mac();
	return tap_done();
}
