// SPDX-License-Identifier: GPL-2.0
/*
 * Failover's sealed session state (daemon/seal.c): a round trip keeps every
 * field; another key, another etcd key (associated data), a flipped bit, a
 * cut or lengthened text, another format and garbage are each refused, with
 * nothing of the state handed out.
 */
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "tap.h"

#define AD	"/jump/jump0/sealed/00000000000000c1"

static const uint8_t zero[sizeof(struct seal_state)];

static void fill(struct seal_state *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->id = 0xc1;
	st->local_index = 7;
	st->remote_index = 0x01020304;
	st->version = 42;
	for (i = 0; i < sizeof(st->ctl); i++) {
		st->peer_pub[i] = (uint8_t)i;
		st->ctl[i] = (uint8_t)(i + 1);
		st->reattach[i] = (uint8_t)(i + 2);
		st->reattach_prev[i] = (uint8_t)(i + 3);
		st->chain[i] = (uint8_t)(i + 4);
		st->tx[i] = (uint8_t)(i + 5);
		st->rx[i] = (uint8_t)(i + 6);
	}
	memset(st->last_nonce, 0xee, sizeof(st->last_nonce));
	st->attempt = 9;
	st->epoch = 3;
	st->rekey_seq = 2;
	st->key_id = 3;
	st->tx_counter = (1ULL << 32) + 17;
	st->born_ns = 1700000000000000000ULL;
	st->sealed_ns = 1700000000000000001ULL;
}

static bool refused(const uint8_t *key, const char *ad, const char *text, size_t len)
{
	struct seal_state st;

	memset(&st, 0x5a, sizeof(st));
	return seal_open(key, ad, text, len, &st) == -1 && !memcmp(&st, zero, sizeof(st));
}

int main(void)
{
	uint8_t key[JUMP_CLUSTER_KEY_LEN], other[JUMP_CLUSTER_KEY_LEN];
	char text[SEAL_TEXT_MAX], again[SEAL_TEXT_MAX], bad[SEAL_TEXT_MAX + 8];
	struct seal_state in, out;
	size_t len;

	if (sodium_init() < 0)
		return 1;
	randombytes_buf(key, sizeof(key));
	memcpy(other, key, sizeof(other));
	other[31] ^= 1;
	fill(&in);
	tap_ok(!seal_state(key, AD, &in, text), "a session's state is sealed");
	len = strlen(text);
	tap_ok(len > 0 && len < SEAL_TEXT_MAX && strspn(text,
	       "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == len,
	       "into one line of URL-safe base64 (%zu characters), an etcd value", len);
	tap_ok(!seal_open(key, AD, text, len, &out) && !memcmp(&in, &out, sizeof(in)),
	       "it opens under the same key and etcd key, every field as it was");
	tap_ok(!seal_state(key, AD, &in, again) && strcmp(text, again),
	       "sealing the same state again gives another text (a fresh nonce)");
	tap_ok(refused(other, AD, text, len), "another cluster key does not open it");
	tap_ok(refused(key, "/jump/jump0/sealed/00000000000000c2", text, len),
	       "stored under another session's key, it does not open (associated data)");
	memcpy(bad, text, len + 1);
	bad[len / 2] = bad[len / 2] == 'A' ? 'B' : 'A';
	tap_ok(refused(key, AD, bad, len), "a changed character is refused");
	tap_ok(refused(key, AD, text, len - 4), "a cut text is refused");
	memcpy(bad, text, len);
	memcpy(bad + len, "AAAA", 5);
	tap_ok(refused(key, AD, bad, len + 4), "a lengthened text is refused");
	memcpy(bad, text, len + 1);
	bad[0] = bad[0] == 'A' ? 'B' : 'A';	/* the format byte's first bits */
	tap_ok(refused(key, AD, bad, len), "another format is refused");
	tap_ok(refused(key, AD, "not base64 at all!", 18), "garbage is refused");
	tap_ok(refused(key, AD, "", 0), "an empty value is refused");
	return tap_done();
}
