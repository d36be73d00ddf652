// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's handshake (daemon/handshake.c) on hostile messages, with real
 * keys: a server with a fixed static key opens any HANDSHAKE_INIT (its
 * mac1 made right when the first byte says so, so that the decryption is
 * reached), a client waiting for its RESP opens any HANDSHAKE_RESP, and
 * both rekey with any peer ephemeral. Whatever fails must leave the
 * outputs zeroed or the state as it was.
 */
#include <stdlib.h>

#include <sodium.h>

#include "fuzz.h"
#include "handshake.h"
#include "wire.h"

static struct hs_keypair server, client;
static struct hs_initiator waiting;	/* a client that sent an INIT */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct wire_handshake_init init;
	struct hs_keypair eph;
	size_t i;

	if (sodium_init() < 0)
		abort();
	for (i = 0; i < WIRE_KEY_LEN; i++) {
		server.priv[i] = (uint8_t)(i + 1);
		client.priv[i] = (uint8_t)(0x80 + i);
		eph.priv[i] = (uint8_t)(0x40 + i);
	}
	if (hs_public_key(server.priv, server.pub) || hs_public_key(client.priv, client.pub) ||
	    hs_public_key(eph.priv, eph.pub) ||
	    hs_initiator_start_eph(&waiting, &client, server.pub, &eph, 7, 1, &init))
		abort();
	return 0;
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void init(const uint8_t *data, size_t size, bool seal)
{
	uint8_t buf[WIRE_HANDSHAKE_INIT_LEN], zero[WIRE_COOKIE_LEN] = { 0 };
	struct wire_handshake_init m;
	struct hs_responder st;
	struct hs_keys keys;
	struct wire_handshake_resp resp;

	memcpy(buf, data, size);
	if (seal)
		hs_seal_init(buf, server.pub, zero);
	if (!hs_init_mac1_ok(buf, server.pub))
		return;
	hs_init_mac2_ok(buf, zero);
	if (wire_decode_handshake_init(buf, sizeof(buf), &m))
		return;
	if (hs_responder_consume(&st, &server, &m))
		return;
	if (hs_responder_reply(&st, 1, 2, &resp, &keys) == 0 &&
	    hs_responder_reply(&st, 1, 2, &resp, &keys) == 0)
		abort();	/* a second reply from the same state */
}

static void resp(const uint8_t *data, size_t size, bool seal)
{
	uint8_t buf[WIRE_HANDSHAKE_RESP_LEN];
	struct wire_handshake_resp m;
	struct hs_initiator st = waiting;
	struct hs_keys keys;
	uint64_t id;
	uint32_t index;

	memcpy(buf, data, size);
	if (seal)
		hs_seal_resp(buf, client.pub);
	if (!hs_resp_mac1_ok(buf, client.pub) ||
	    wire_decode_handshake_resp(buf, sizeof(buf), &m))
		return;
	if (hs_initiator_finish(&st, &m, &id, &index, &keys)) {
		if (memcmp(&st, &waiting, sizeof(st)))
			abort();	/* a forged RESP changed the waiting state */
		if (!all_zero(&keys, sizeof(keys)))
			abort();
	}
}

static void rekey(const uint8_t *data, size_t size)
{
	uint8_t peer[WIRE_KEY_LEN] = { 0 };
	struct hs_keys keys, before;

	memcpy(peer, data, size < WIRE_KEY_LEN ? size : WIRE_KEY_LEN);
	memset(&keys, 0x5a, sizeof(keys));
	before = keys;
	if (hs_rekey(keys.chain, server.priv, peer, size & 1, &keys) &&
	    memcmp(&keys, &before, sizeof(keys)))
		abort();	/* a refused rekey changed the keys */
	if (size >= WIRE_MAC_LEN)
		hs_mac_ok(data, size, keys.ctl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool seal;

	if (size < 1)
		return 0;
	seal = data[0] & 0x80;
	if (size - 1 == WIRE_HANDSHAKE_INIT_LEN)
		init(data + 1, size - 1, seal);
	else if (size - 1 == WIRE_HANDSHAKE_RESP_LEN)
		resp(data + 1, size - 1, seal);
	else
		rekey(data + 1, size - 1);
	return 0;
}
