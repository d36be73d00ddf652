// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's wire decoders (daemon/wire.c) on any datagram: every decoder
 * tries it, whatever its type byte says. What decodes must encode back to
 * the very same bytes, or a decoder accepted something it should not.
 * A sealed message (unlink.h) that opens must seal back to the datagram.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "unlink.h"
#include "wire.h"

#define SAME(enc) do { \
	uint8_t out[WIRE_MAX_LEN]; \
	if ((enc) != size || memcmp(out, data, size)) \
		abort(); \
} while (0)

static void session_types(const uint8_t *data, size_t size)
{
	static const uint8_t mac_types[] = { JUMP_MSG_HANDSHAKE_ACK, JUMP_MSG_TERMINATE };
	static const uint8_t nonce_types[] = { JUMP_MSG_REATTACH_CHALLENGE,
		JUMP_MSG_REATTACH_CONFIRM, JUMP_MSG_REBIND_CHALLENGE, JUMP_MSG_REBIND_CONFIRM };
	static const uint8_t rekey_types[] = { JUMP_MSG_REKEY_INIT, JUMP_MSG_REKEY_RESP };
	static const uint8_t request_types[] = { JUMP_MSG_STANDBY_REQUEST,
		JUMP_MSG_STANDBY_PROMOTE };
	static const uint8_t ack_types[] = { JUMP_MSG_STANDBY_ACK, JUMP_MSG_STANDBY_KEEPALIVE };
	struct wire_reattach_request rq;
	struct wire_reattach_ack ra;
	struct wire_session_mac sm;
	struct wire_reattach_nonce rn;
	struct wire_rekey rk;
	size_t i;

	for (i = 0; i < sizeof(mac_types); i++)
		if (!wire_decode_session_mac(data, size, mac_types[i], &sm))
			SAME(wire_encode_session_mac(out, mac_types[i], &sm));
	for (i = 0; i < sizeof(nonce_types); i++)
		if (!wire_decode_reattach_nonce(data, size, nonce_types[i], &rn))
			SAME(wire_encode_reattach_nonce(out, nonce_types[i], &rn));
	for (i = 0; i < sizeof(rekey_types); i++)
		if (!wire_decode_rekey(data, size, rekey_types[i], &rk))
			SAME(wire_encode_rekey(out, rekey_types[i], &rk));
	for (i = 0; i < sizeof(request_types); i++)
		if (!wire_decode_request(data, size, request_types[i], &rq))
			SAME(wire_encode_request(out, request_types[i], &rq));
	for (i = 0; i < sizeof(ack_types); i++)
		if (!wire_decode_ack(data, size, ack_types[i], &ra))
			SAME(wire_encode_ack(out, ack_types[i], &ra));
}

/* The key tools/fuzz/seeds.c seals its sealed_* seeds with. */
static void sealed(const uint8_t *data, size_t size)
{
	static const uint8_t key[WIRE_KEY_LEN] = { 1 };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = size;
	uint64_t tag;

	if (size > sizeof(buf) || unlink_peek(data, size, &tag))
		return;
	memcpy(buf, data, size);
	if (unlink_open(buf, &len, key, 0x0123456789abcdefULL))
		return;
	if (len > size || unlink_seal(buf, len, key, tag) != size || memcmp(buf, data, size))
		abort();	/* opened and sealed again, it is not the same datagram */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_handshake_init hi;
	struct wire_handshake_resp hr;
	struct wire_cookie_reply cr;
	struct wire_handshake_done hd;
	struct wire_reattach_request rq;
	struct wire_reattach_ack ra;
	struct wire_reattach_reject rj;
	struct wire_rekey_done rd;
	uint64_t id;
	int type = wire_type(data, size);

	if (type >= 0 && wire_session_id(data, size, &id) == 0 && size < 12)
		abort();	/* an id read past the datagram */
	if (!wire_decode_handshake_init(data, size, &hi))
		SAME(wire_encode_handshake_init(out, &hi));
	if (!wire_decode_handshake_resp(data, size, &hr))
		SAME(wire_encode_handshake_resp(out, &hr));
	if (!wire_decode_cookie_reply(data, size, &cr))
		SAME(wire_encode_cookie_reply(out, &cr));
	if (!wire_decode_handshake_done(data, size, &hd))
		SAME(wire_encode_handshake_done(out, &hd));
	if (!wire_decode_reattach_request(data, size, &rq))
		SAME(wire_encode_reattach_request(out, &rq));
	if (!wire_decode_reattach_ack(data, size, &ra))
		SAME(wire_encode_reattach_ack(out, &ra));
	if (!wire_decode_reattach_reject(data, size, &rj))
		SAME(wire_encode_reattach_reject(out, &rj));
	if (!wire_decode_rekey_done(data, size, &rd))
		SAME(wire_encode_rekey_done(out, &rd));
	session_types(data, size);
	sealed(data, size);
	return 0;
}
