// SPDX-License-Identifier: GPL-2.0
/*
 * Codecs of jumpd's control packets. Every field is written and read at an
 * explicit position through a cursor, never by copying a struct, so the
 * compiler's padding and the host's byte order never reach the wire.
 */
#include <stdbool.h>
#include <string.h>

#include "wire.h"

#define WIRE_HDR_LEN	4	/* type, reason, 16 reserved bits */

/*
 * Each layout, summed field by field, must give its documented length; the
 * encoders write the fields in exactly this order.
 */
#define FSZ(type, field) sizeof(((struct type *)0)->field)
_Static_assert(WIRE_HDR_LEN + FSZ(wire_handshake_init, hsid) +
	       FSZ(wire_handshake_init, ephemeral) +
	       FSZ(wire_handshake_init, static_enc) +
	       FSZ(wire_handshake_init, ts_enc) + FSZ(wire_handshake_init, mac1) +
	       FSZ(wire_handshake_init, mac2) == WIRE_HANDSHAKE_INIT_LEN,
	       "HANDSHAKE_INIT layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_handshake_resp, hsid) +
	       FSZ(wire_handshake_resp, ephemeral) +
	       FSZ(wire_handshake_resp, payload_enc) +
	       FSZ(wire_handshake_resp, mac1) == WIRE_HANDSHAKE_RESP_LEN,
	       "HANDSHAKE_RESP layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_cookie_reply, ref) +
	       FSZ(wire_cookie_reply, cookie) == WIRE_COOKIE_REPLY_LEN,
	       "COOKIE_REPLY layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_handshake_done, session_id) +
	       FSZ(wire_handshake_done, client_index) +
	       FSZ(wire_handshake_done, mac) == WIRE_HANDSHAKE_DONE_LEN,
	       "HANDSHAKE_DONE layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_session_mac, session_id) +
	       FSZ(wire_session_mac, mac) == WIRE_HANDSHAKE_ACK_LEN &&
	       WIRE_HANDSHAKE_ACK_LEN == WIRE_TERMINATE_LEN,
	       "HANDSHAKE_ACK and TERMINATE layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_reattach_request, session_id) +
	       FSZ(wire_reattach_request, epoch) +
	       FSZ(wire_reattach_request, attempt) +
	       FSZ(wire_reattach_request, timestamp_ns) +
	       FSZ(wire_reattach_request, cookie) +
	       FSZ(wire_reattach_request, mac) == WIRE_REATTACH_REQUEST_LEN,
	       "REATTACH_REQUEST layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_reattach_nonce, session_id) +
	       FSZ(wire_reattach_nonce, attempt) +
	       FSZ(wire_reattach_nonce, nonce) +
	       FSZ(wire_reattach_nonce, mac) == WIRE_REATTACH_CHALLENGE_LEN &&
	       WIRE_REATTACH_CHALLENGE_LEN == WIRE_REATTACH_CONFIRM_LEN &&
	       WIRE_REBIND_CHALLENGE_LEN == WIRE_REATTACH_CHALLENGE_LEN &&
	       WIRE_REBIND_CONFIRM_LEN == WIRE_REATTACH_CHALLENGE_LEN,
	       "REATTACH_CHALLENGE and REATTACH_CONFIRM layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_reattach_ack, session_id) +
	       FSZ(wire_reattach_ack, attempt) + FSZ(wire_reattach_ack, epoch) +
	       FSZ(wire_reattach_ack, mac) == WIRE_REATTACH_ACK_LEN,
	       "REATTACH_ACK layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_reattach_reject, session_id) +
	       FSZ(wire_reattach_reject, attempt) +
	       FSZ(wire_reattach_reject, mac) == WIRE_REATTACH_REJECT_LEN,
	       "REATTACH_REJECT layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_rekey, session_id) +
	       FSZ(wire_rekey, rekey_seq) + FSZ(wire_rekey, ephemeral) +
	       FSZ(wire_rekey, mac) == WIRE_REKEY_INIT_LEN &&
	       WIRE_REKEY_INIT_LEN == WIRE_REKEY_RESP_LEN, "REKEY_INIT/RESP layout");
_Static_assert(WIRE_HDR_LEN + FSZ(wire_rekey_done, session_id) +
	       FSZ(wire_rekey_done, rekey_seq) +
	       FSZ(wire_rekey_done, mac) == WIRE_REKEY_DONE_LEN,
	       "REKEY_DONE layout");
_Static_assert(WIRE_HANDSHAKE_INIT_LEN >= WIRE_HANDSHAKE_RESP_LEN &&
	       WIRE_HANDSHAKE_INIT_LEN >= WIRE_REATTACH_REQUEST_LEN &&
	       WIRE_HANDSHAKE_INIT_LEN >= WIRE_REKEY_INIT_LEN &&
	       WIRE_MAX_LEN == WIRE_HANDSHAKE_INIT_LEN, "WIRE_MAX_LEN");

struct wcur {
	uint8_t *p;
	size_t off;
};

struct rcur {
	const uint8_t *p;
	size_t off;
};

static struct wcur w_hdr(uint8_t *buf, uint8_t type, uint8_t reason)
{
	buf[0] = type;
	buf[1] = reason;
	buf[2] = 0;
	buf[3] = 0;
	return (struct wcur){ .p = buf, .off = WIRE_HDR_LEN };
}

static void w_bytes(struct wcur *w, const void *src, size_t n)
{
	memcpy(w->p + w->off, src, n);
	w->off += n;
}

static void w_be32(struct wcur *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	w_bytes(w, b, sizeof(b));
}

static void w_be64(struct wcur *w, uint64_t v)
{
	w_be32(w, v >> 32);
	w_be32(w, (uint32_t)v);
}

/*
 * Opens a received message: exact length, expected type, reserved bits 0,
 * and the reason byte 0 unless the type carries one (@reason non-NULL).
 */
static int r_hdr(struct rcur *r, const uint8_t *buf, size_t len, uint8_t type,
		 size_t want, uint8_t *reason)
{
	if (!buf || len != want || buf[0] != type || buf[2] || buf[3])
		return -1;
	if (reason)
		*reason = buf[1];
	else if (buf[1])
		return -1;
	r->p = buf;
	r->off = WIRE_HDR_LEN;
	return 0;
}

static void r_bytes(struct rcur *r, void *dst, size_t n)
{
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

static uint32_t r_be32(struct rcur *r)
{
	const uint8_t *b = r->p + r->off;

	r->off += 4;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t r_be64(struct rcur *r)
{
	uint64_t hi = r_be32(r);

	return hi << 32 | r_be32(r);
}

int wire_type(const uint8_t *buf, size_t len)
{
	if (!buf || len < WIRE_HDR_LEN || buf[0] == 0 || buf[0] > JUMP_MSG_MAX)
		return -1;
	return buf[0];
}

size_t wire_length(int type)
{
	static const size_t len[JUMP_MSG_MAX + 1] = {
		[JUMP_MSG_HANDSHAKE_INIT] = WIRE_HANDSHAKE_INIT_LEN,
		[JUMP_MSG_HANDSHAKE_RESP] = WIRE_HANDSHAKE_RESP_LEN,
		[JUMP_MSG_COOKIE_REPLY] = WIRE_COOKIE_REPLY_LEN,
		[JUMP_MSG_HANDSHAKE_DONE] = WIRE_HANDSHAKE_DONE_LEN,
		[JUMP_MSG_HANDSHAKE_ACK] = WIRE_HANDSHAKE_ACK_LEN,
		[JUMP_MSG_REATTACH_REQUEST] = WIRE_REATTACH_REQUEST_LEN,
		[JUMP_MSG_REATTACH_CHALLENGE] = WIRE_REATTACH_CHALLENGE_LEN,
		[JUMP_MSG_REATTACH_CONFIRM] = WIRE_REATTACH_CONFIRM_LEN,
		[JUMP_MSG_REATTACH_ACK] = WIRE_REATTACH_ACK_LEN,
		[JUMP_MSG_REATTACH_REJECT] = WIRE_REATTACH_REJECT_LEN,
		[JUMP_MSG_REKEY_INIT] = WIRE_REKEY_INIT_LEN,
		[JUMP_MSG_REKEY_RESP] = WIRE_REKEY_RESP_LEN,
		[JUMP_MSG_REKEY_DONE] = WIRE_REKEY_DONE_LEN,
		[JUMP_MSG_TERMINATE] = WIRE_TERMINATE_LEN,
		[JUMP_MSG_REBIND_CHALLENGE] = WIRE_REBIND_CHALLENGE_LEN,
		[JUMP_MSG_REBIND_CONFIRM] = WIRE_REBIND_CONFIRM_LEN,
		[JUMP_MSG_STANDBY_REQUEST] = WIRE_STANDBY_REQUEST_LEN,
		[JUMP_MSG_STANDBY_ACK] = WIRE_STANDBY_ACK_LEN,
		[JUMP_MSG_STANDBY_KEEPALIVE] = WIRE_STANDBY_KEEPALIVE_LEN,
		[JUMP_MSG_STANDBY_PROMOTE] = WIRE_STANDBY_PROMOTE_LEN,
	};

	return type > 0 && type <= JUMP_MSG_MAX ? len[type] : 0;
}

int wire_session_id(const uint8_t *buf, size_t len, uint64_t *id)
{
	struct rcur r = { .p = buf, .off = WIRE_HDR_LEN };
	int type = wire_type(buf, len);

	if (type < 0 || len < WIRE_HDR_LEN + sizeof(*id) || type == JUMP_MSG_DATA ||
	    type == JUMP_MSG_HANDSHAKE_INIT || type == JUMP_MSG_HANDSHAKE_RESP ||
	    type == JUMP_MSG_COOKIE_REPLY)
		return -1;
	*id = r_be64(&r);
	return 0;
}

size_t wire_encode_handshake_init(uint8_t *buf, const struct wire_handshake_init *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_HANDSHAKE_INIT, 0);

	w_be32(&w, m->hsid);
	w_bytes(&w, m->ephemeral, sizeof(m->ephemeral));
	w_bytes(&w, m->static_enc, sizeof(m->static_enc));
	w_bytes(&w, m->ts_enc, sizeof(m->ts_enc));
	w_bytes(&w, m->mac1, sizeof(m->mac1));
	w_bytes(&w, m->mac2, sizeof(m->mac2));
	return w.off;
}

int wire_decode_handshake_init(const uint8_t *buf, size_t len, struct wire_handshake_init *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_HANDSHAKE_INIT, WIRE_HANDSHAKE_INIT_LEN, NULL))
		return -1;
	m->hsid = r_be32(&r);
	r_bytes(&r, m->ephemeral, sizeof(m->ephemeral));
	r_bytes(&r, m->static_enc, sizeof(m->static_enc));
	r_bytes(&r, m->ts_enc, sizeof(m->ts_enc));
	r_bytes(&r, m->mac1, sizeof(m->mac1));
	r_bytes(&r, m->mac2, sizeof(m->mac2));
	return 0;
}

size_t wire_encode_handshake_resp(uint8_t *buf, const struct wire_handshake_resp *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_HANDSHAKE_RESP, 0);

	w_be32(&w, m->hsid);
	w_bytes(&w, m->ephemeral, sizeof(m->ephemeral));
	w_bytes(&w, m->payload_enc, sizeof(m->payload_enc));
	w_bytes(&w, m->mac1, sizeof(m->mac1));
	return w.off;
}

int wire_decode_handshake_resp(const uint8_t *buf, size_t len, struct wire_handshake_resp *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_HANDSHAKE_RESP, WIRE_HANDSHAKE_RESP_LEN, NULL))
		return -1;
	m->hsid = r_be32(&r);
	r_bytes(&r, m->ephemeral, sizeof(m->ephemeral));
	r_bytes(&r, m->payload_enc, sizeof(m->payload_enc));
	r_bytes(&r, m->mac1, sizeof(m->mac1));
	return 0;
}

size_t wire_encode_cookie_reply(uint8_t *buf, const struct wire_cookie_reply *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_COOKIE_REPLY, 0);

	w_be64(&w, m->ref);
	w_bytes(&w, m->cookie, sizeof(m->cookie));
	return w.off;
}

int wire_decode_cookie_reply(const uint8_t *buf, size_t len, struct wire_cookie_reply *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_COOKIE_REPLY, WIRE_COOKIE_REPLY_LEN, NULL))
		return -1;
	m->ref = r_be64(&r);
	r_bytes(&r, m->cookie, sizeof(m->cookie));
	return 0;
}

size_t wire_encode_handshake_done(uint8_t *buf, const struct wire_handshake_done *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_HANDSHAKE_DONE, 0);

	w_be64(&w, m->session_id);
	w_be32(&w, m->client_index);
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_handshake_done(const uint8_t *buf, size_t len, struct wire_handshake_done *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_HANDSHAKE_DONE, WIRE_HANDSHAKE_DONE_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->client_index = r_be32(&r);
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

/* Only TERMINATE carries a reason; an ACK's reason byte is always 0. */
size_t wire_encode_session_mac(uint8_t *buf, uint8_t type, const struct wire_session_mac *m)
{
	struct wcur w;

	if (type != JUMP_MSG_HANDSHAKE_ACK && type != JUMP_MSG_TERMINATE)
		return 0;
	w = w_hdr(buf, type, type == JUMP_MSG_TERMINATE ? m->reason : 0);
	w_be64(&w, m->session_id);
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_session_mac(const uint8_t *buf, size_t len, uint8_t type,
			    struct wire_session_mac *m)
{
	uint8_t reason = 0;
	struct rcur r;

	if (type != JUMP_MSG_HANDSHAKE_ACK && type != JUMP_MSG_TERMINATE)
		return -1;
	if (r_hdr(&r, buf, len, type, WIRE_TERMINATE_LEN,
		  type == JUMP_MSG_TERMINATE ? &reason : NULL))
		return -1;
	m->reason = reason;
	m->session_id = r_be64(&r);
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

static bool request_type(uint8_t type)
{
	return type == JUMP_MSG_REATTACH_REQUEST || type == JUMP_MSG_STANDBY_REQUEST ||
	       type == JUMP_MSG_STANDBY_PROMOTE;
}

size_t wire_encode_request(uint8_t *buf, uint8_t type, const struct wire_reattach_request *m)
{
	struct wcur w;

	if (!request_type(type))
		return 0;
	w = w_hdr(buf, type, 0);
	w_be64(&w, m->session_id);
	w_be32(&w, m->epoch);
	w_be64(&w, m->attempt);
	w_be64(&w, m->timestamp_ns);
	w_bytes(&w, m->cookie, sizeof(m->cookie));
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_request(const uint8_t *buf, size_t len, uint8_t type,
			struct wire_reattach_request *m)
{
	struct rcur r;

	if (!request_type(type) || r_hdr(&r, buf, len, type, WIRE_REATTACH_REQUEST_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->epoch = r_be32(&r);
	m->attempt = r_be64(&r);
	m->timestamp_ns = r_be64(&r);
	r_bytes(&r, m->cookie, sizeof(m->cookie));
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

size_t wire_encode_reattach_request(uint8_t *buf, const struct wire_reattach_request *m)
{
	return wire_encode_request(buf, JUMP_MSG_REATTACH_REQUEST, m);
}

int wire_decode_reattach_request(const uint8_t *buf, size_t len, struct wire_reattach_request *m)
{
	return wire_decode_request(buf, len, JUMP_MSG_REATTACH_REQUEST, m);
}

static bool nonce_type(uint8_t type)
{
	return type == JUMP_MSG_REATTACH_CHALLENGE || type == JUMP_MSG_REATTACH_CONFIRM ||
	       type == JUMP_MSG_REBIND_CHALLENGE || type == JUMP_MSG_REBIND_CONFIRM;
}

size_t wire_encode_reattach_nonce(uint8_t *buf, uint8_t type, const struct wire_reattach_nonce *m)
{
	struct wcur w;

	if (!nonce_type(type))
		return 0;
	w = w_hdr(buf, type, 0);
	w_be64(&w, m->session_id);
	w_be64(&w, m->attempt);
	w_bytes(&w, m->nonce, sizeof(m->nonce));
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_reattach_nonce(const uint8_t *buf, size_t len, uint8_t type,
			       struct wire_reattach_nonce *m)
{
	struct rcur r;

	if (!nonce_type(type) ||
	    r_hdr(&r, buf, len, type, WIRE_REATTACH_CHALLENGE_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->attempt = r_be64(&r);
	r_bytes(&r, m->nonce, sizeof(m->nonce));
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

static bool ack_type(uint8_t type)
{
	return type == JUMP_MSG_REATTACH_ACK || type == JUMP_MSG_STANDBY_ACK ||
	       type == JUMP_MSG_STANDBY_KEEPALIVE;
}

size_t wire_encode_ack(uint8_t *buf, uint8_t type, const struct wire_reattach_ack *m)
{
	struct wcur w;

	if (!ack_type(type))
		return 0;
	w = w_hdr(buf, type, 0);
	w_be64(&w, m->session_id);
	w_be64(&w, m->attempt);
	w_be32(&w, m->epoch);
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_ack(const uint8_t *buf, size_t len, uint8_t type, struct wire_reattach_ack *m)
{
	struct rcur r;

	if (!ack_type(type) || r_hdr(&r, buf, len, type, WIRE_REATTACH_ACK_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->attempt = r_be64(&r);
	m->epoch = r_be32(&r);
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

size_t wire_encode_reattach_ack(uint8_t *buf, const struct wire_reattach_ack *m)
{
	return wire_encode_ack(buf, JUMP_MSG_REATTACH_ACK, m);
}

int wire_decode_reattach_ack(const uint8_t *buf, size_t len, struct wire_reattach_ack *m)
{
	return wire_decode_ack(buf, len, JUMP_MSG_REATTACH_ACK, m);
}

size_t wire_encode_reattach_reject(uint8_t *buf, const struct wire_reattach_reject *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_REATTACH_REJECT, m->reason);

	w_be64(&w, m->session_id);
	w_be64(&w, m->attempt);
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_reattach_reject(const uint8_t *buf, size_t len, struct wire_reattach_reject *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_REATTACH_REJECT, WIRE_REATTACH_REJECT_LEN,
		  &m->reason))
		return -1;
	m->session_id = r_be64(&r);
	m->attempt = r_be64(&r);
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

static bool rekey_type(uint8_t type)
{
	return type == JUMP_MSG_REKEY_INIT || type == JUMP_MSG_REKEY_RESP;
}

size_t wire_encode_rekey(uint8_t *buf, uint8_t type, const struct wire_rekey *m)
{
	struct wcur w;

	if (!rekey_type(type))
		return 0;
	w = w_hdr(buf, type, 0);
	w_be64(&w, m->session_id);
	w_be32(&w, m->rekey_seq);
	w_bytes(&w, m->ephemeral, sizeof(m->ephemeral));
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_rekey(const uint8_t *buf, size_t len, uint8_t type, struct wire_rekey *m)
{
	struct rcur r;

	if (!rekey_type(type) || r_hdr(&r, buf, len, type, WIRE_REKEY_INIT_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->rekey_seq = r_be32(&r);
	r_bytes(&r, m->ephemeral, sizeof(m->ephemeral));
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

size_t wire_encode_rekey_done(uint8_t *buf, const struct wire_rekey_done *m)
{
	struct wcur w = w_hdr(buf, JUMP_MSG_REKEY_DONE, 0);

	w_be64(&w, m->session_id);
	w_be32(&w, m->rekey_seq);
	w_bytes(&w, m->mac, sizeof(m->mac));
	return w.off;
}

int wire_decode_rekey_done(const uint8_t *buf, size_t len, struct wire_rekey_done *m)
{
	struct rcur r;

	if (r_hdr(&r, buf, len, JUMP_MSG_REKEY_DONE, WIRE_REKEY_DONE_LEN, NULL))
		return -1;
	m->session_id = r_be64(&r);
	m->rekey_seq = r_be32(&r);
	r_bytes(&r, m->mac, sizeof(m->mac));
	return 0;
}

void wire_set_mac(uint8_t *buf, size_t len, const uint8_t mac[WIRE_MAC_LEN])
{
	if (!buf || len < WIRE_MAC_LEN)
		return;
	memcpy(buf + wire_mac_input(len), mac, WIRE_MAC_LEN);
}
