// SPDX-License-Identifier: GPL-2.0
/*
 * Unlinkable migration: the derivations of unlink.h and the sealing of
 * control messages. Every derivation is keyed BLAKE2b of a label, the
 * big-endian epoch and, where the two ends differ, a role byte; the
 * known-answer vectors are in selftests/unit/jumpd_unlink.c.
 */
#include <string.h>

#include <sodium.h>

#include "unlink.h"

#define TAG_OFF		4	/* the session id's place in every sealed type */
#define MASKED_OFF	(TAG_OFF + 8)
#define STREAM_LEN	64	/* BLAKE2b-512: more than any sealed type masks */

_Static_assert(JUMP_UNLINKABLE_CTL_LEN - MASKED_OFF - WIRE_MAC_LEN <= STREAM_LEN,
	       "one BLAKE2b output masks every sealed type");
_Static_assert(WIRE_REATTACH_REQUEST_LEN <= JUMP_UNLINKABLE_CTL_LEN &&
	       WIRE_REKEY_INIT_LEN <= JUMP_UNLINKABLE_CTL_LEN,
	       "every sealed type fits the padded length");

static void be32_put(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static uint32_t be32_get(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64_get(const uint8_t *b)
{
	return (uint64_t)be32_get(b) << 32 | be32_get(b + 4);
}

static void be64_put(uint8_t *b, uint64_t v)
{
	be32_put(b, v >> 32);
	be32_put(b + 4, (uint32_t)v);
}

/* BLAKE2b-128(key, label || be32(epoch) [|| role]). */
static void derive(uint8_t out[16], const uint8_t key[WIRE_KEY_LEN], const char *label,
		   uint32_t epoch, int role)
{
	crypto_generichash_state st;
	uint8_t b[5];

	be32_put(b, epoch);
	b[4] = (uint8_t)role;
	crypto_generichash_init(&st, key, WIRE_KEY_LEN, 16);
	crypto_generichash_update(&st, (const uint8_t *)label, strlen(label));
	crypto_generichash_update(&st, b, role < 0 ? 4 : 5);
	crypto_generichash_final(&st, out, 16);
}

uint64_t unlink_tag(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch)
{
	uint8_t h[16];

	derive(h, key, "jump tag", epoch, -1);
	return be64_get(h);
}

uint32_t unlink_index(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch, uint8_t role)
{
	uint8_t h[16];
	uint32_t v;

	derive(h, key, "jump index", epoch, role);
	v = be32_get(h);
	/* The device's own indices lie at or below JUMP_MAX_SESSIONS. */
	return v > JUMP_MAX_SESSIONS ? v : ~v;
}

void unlink_mask(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch, uint8_t role,
		 uint8_t mask[JUMP_HEADER_MASK_LEN])
{
	uint8_t h[16];

	derive(h, key, "jump mask", epoch, role);
	memcpy(mask, h, JUMP_HEADER_MASK_LEN);
}

void unlink_binding(const uint8_t key[WIRE_KEY_LEN], uint8_t self, uint32_t epoch,
		    struct jumpd_binding *b)
{
	uint8_t peer = self == JUMP_ROLE_CLIENT ? JUMP_ROLE_SERVER : JUMP_ROLE_CLIENT;

	b->local_index = unlink_index(key, epoch, self);
	b->remote_index = unlink_index(key, epoch, peer);
	unlink_mask(key, epoch, self, b->tx_mask);
	unlink_mask(key, epoch, peer, b->rx_mask);
}

bool unlink_type(int type)
{
	switch (type) {
	case JUMP_MSG_HANDSHAKE_INIT:
	case JUMP_MSG_HANDSHAKE_RESP:
	case JUMP_MSG_HANDSHAKE_DONE:
	case JUMP_MSG_HANDSHAKE_ACK:
	case JUMP_MSG_DATA:
		return false;
	default:
		return type > 0 && type <= JUMP_MSG_MAX;
	}
}

uint32_t unlink_epoch(const uint8_t *buf, size_t len, uint32_t current)
{
	switch (len >= WIRE_REATTACH_ACK_LEN ? buf[0] : 0) {
	case JUMP_MSG_REATTACH_REQUEST:
	case JUMP_MSG_STANDBY_PROMOTE:
		return be32_get(buf + 12);	/* the epoch asked for */
	case JUMP_MSG_STANDBY_REQUEST:
		return be32_get(buf + 12) + 1;	/* the standby's, once promoted */
	case JUMP_MSG_REATTACH_ACK:
		return be32_get(buf + 20);	/* the epoch committed */
	case JUMP_MSG_STANDBY_ACK:
		return be32_get(buf + 20) + 1;
	case JUMP_MSG_REKEY_INIT:
	case JUMP_MSG_REKEY_RESP:
	case JUMP_MSG_REKEY_DONE:
	case JUMP_MSG_TERMINATE:
		return current;
	default:	/* a path being validated, a standby's keepalive */
		return current + 1;
	}
}

static void keystream(uint8_t ks[STREAM_LEN], const uint8_t key[WIRE_KEY_LEN],
		      const uint8_t *tag, uint8_t type)
{
	static const char label[] = "jump seal";
	crypto_generichash_state st;

	crypto_generichash_init(&st, key, WIRE_KEY_LEN, STREAM_LEN);
	crypto_generichash_update(&st, (const uint8_t *)label, sizeof(label) - 1);
	crypto_generichash_update(&st, tag, 8);
	crypto_generichash_update(&st, &type, 1);
	crypto_generichash_final(&st, ks, STREAM_LEN);
}

static void mask_fields(uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN])
{
	uint8_t ks[STREAM_LEN];
	size_t i;

	keystream(ks, key, buf + TAG_OFF, buf[0]);
	for (i = MASKED_OFF; i + WIRE_MAC_LEN < len; i++)
		buf[i] ^= ks[i - MASKED_OFF];
	sodium_memzero(ks, sizeof(ks));
}

size_t unlink_seal(uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN], uint64_t tag)
{
	if (!unlink_type(wire_type(buf, len)) || len != wire_length(buf[0]))
		return len;
	be64_put(buf + TAG_OFF, tag);
	mask_fields(buf, len, key);
	memset(buf + len, 0, JUMP_UNLINKABLE_CTL_LEN - len);
	return JUMP_UNLINKABLE_CTL_LEN;
}

int unlink_peek(const uint8_t *buf, size_t len, uint64_t *tag)
{
	if (len != JUMP_UNLINKABLE_CTL_LEN || !unlink_type(wire_type(buf, len)))
		return -1;
	*tag = be64_get(buf + TAG_OFF);
	return 0;
}

int unlink_open(uint8_t *buf, size_t *len, const uint8_t key[WIRE_KEY_LEN], uint64_t id)
{
	size_t n, i;

	if (*len != JUMP_UNLINKABLE_CTL_LEN || !unlink_type(wire_type(buf, *len)))
		return -1;
	n = wire_length(buf[0]);
	for (i = n; i < *len; i++)
		if (buf[i])
			return -1;
	mask_fields(buf, n, key);
	be64_put(buf + TAG_OFF, id);
	*len = n;
	return 0;
}
