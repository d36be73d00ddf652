// SPDX-License-Identifier: GPL-2.0
/*
 * Failover's sealed session state (seal.h): a fixed big-endian layout,
 * XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf) with
 * a random nonce, base64 around it. The layout is written and read field by
 * field, so no padding or host byte order reaches etcd.
 */
#include <endian.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"

#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES
#define LAYOUT_LEN	(8 + 4 + 4 + 8 + JUMP_PUBKEY_LEN + 4 * WIRE_KEY_LEN + \
			 WIRE_NONCE_LEN + 8 + 4 + 4 + 1 + 2 * JUMP_KEY_LEN + 8 + 8 + 8)
#define BLOB_LEN	(1 + NONCE_LEN + LAYOUT_LEN + TAG_LEN)
#define B64		sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(JUMP_CLUSTER_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
	       "the cluster key is an XChaCha20-Poly1305 key");
_Static_assert(sodium_base64_ENCODED_LEN(BLOB_LEN, B64) <= SEAL_TEXT_MAX,
	       "a sealed state fits SEAL_TEXT_MAX");

struct cursor {
	uint8_t *p;
};

static void put(struct cursor *c, const void *v, size_t len)
{
	memcpy(c->p, v, len);
	c->p += len;
}

static void put64(struct cursor *c, uint64_t v)
{
	v = htobe64(v);
	put(c, &v, 8);
}

static void put32(struct cursor *c, uint32_t v)
{
	v = htobe32(v);
	put(c, &v, 4);
}

static void get(struct cursor *c, void *v, size_t len)
{
	memcpy(v, c->p, len);
	c->p += len;
}

static uint64_t get64(struct cursor *c)
{
	uint64_t v;

	get(c, &v, 8);
	return be64toh(v);
}

static uint32_t get32(struct cursor *c)
{
	uint32_t v;

	get(c, &v, 4);
	return be32toh(v);
}

static void layout(const struct seal_state *st, uint8_t out[LAYOUT_LEN])
{
	struct cursor c = { out };

	put64(&c, st->id);
	put32(&c, st->local_index);
	put32(&c, st->remote_index);
	put64(&c, st->version);
	put(&c, st->peer_pub, sizeof(st->peer_pub));
	put(&c, st->ctl, sizeof(st->ctl));
	put(&c, st->reattach, sizeof(st->reattach));
	put(&c, st->reattach_prev, sizeof(st->reattach_prev));
	put(&c, st->chain, sizeof(st->chain));
	put(&c, st->last_nonce, sizeof(st->last_nonce));
	put64(&c, st->attempt);
	put32(&c, st->epoch);
	put32(&c, st->rekey_seq);
	put(&c, &st->key_id, 1);
	put(&c, st->tx, sizeof(st->tx));
	put(&c, st->rx, sizeof(st->rx));
	put64(&c, st->tx_counter);
	put64(&c, st->born_ns);
	put64(&c, st->sealed_ns);
}

static void unlayout(const uint8_t in[LAYOUT_LEN], struct seal_state *st)
{
	struct cursor c = { (uint8_t *)in };

	st->id = get64(&c);
	st->local_index = get32(&c);
	st->remote_index = get32(&c);
	st->version = get64(&c);
	get(&c, st->peer_pub, sizeof(st->peer_pub));
	get(&c, st->ctl, sizeof(st->ctl));
	get(&c, st->reattach, sizeof(st->reattach));
	get(&c, st->reattach_prev, sizeof(st->reattach_prev));
	get(&c, st->chain, sizeof(st->chain));
	get(&c, st->last_nonce, sizeof(st->last_nonce));
	st->attempt = get64(&c);
	st->epoch = get32(&c);
	st->rekey_seq = get32(&c);
	get(&c, &st->key_id, 1);
	get(&c, st->tx, sizeof(st->tx));
	get(&c, st->rx, sizeof(st->rx));
	st->tx_counter = get64(&c);
	st->born_ns = get64(&c);
	st->sealed_ns = get64(&c);
}

int seal_state(const uint8_t key[JUMP_CLUSTER_KEY_LEN], const char *ad,
	       const struct seal_state *st, char out[SEAL_TEXT_MAX])
{
	uint8_t plain[LAYOUT_LEN], blob[BLOB_LEN];
	unsigned long long clen;
	int ret;

	blob[0] = SEAL_FORMAT;
	randombytes_buf(blob + 1, NONCE_LEN);
	layout(st, plain);
	ret = crypto_aead_xchacha20poly1305_ietf_encrypt(blob + 1 + NONCE_LEN, &clen,
							 plain, sizeof(plain),
							 (const uint8_t *)ad, strlen(ad),
							 NULL, blob + 1, key);
	sodium_memzero(plain, sizeof(plain));
	if (ret || clen != LAYOUT_LEN + TAG_LEN)
		return -1;
	sodium_bin2base64(out, SEAL_TEXT_MAX, blob, sizeof(blob), B64);
	return 0;
}

int seal_open(const uint8_t key[JUMP_CLUSTER_KEY_LEN], const char *ad,
	      const char *text, size_t len, struct seal_state *st)
{
	uint8_t plain[LAYOUT_LEN], blob[BLOB_LEN];
	unsigned long long plen;
	size_t blen;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	if (sodium_base642bin(blob, sizeof(blob), text, len, NULL, &blen, NULL, B64) ||
	    blen != BLOB_LEN || blob[0] != SEAL_FORMAT)
		return -1;
	if (!crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL,
							blob + 1 + NONCE_LEN,
							LAYOUT_LEN + TAG_LEN,
							(const uint8_t *)ad, strlen(ad),
							blob + 1, key) &&
	    plen == LAYOUT_LEN) {
		unlayout(plain, st);
		ret = 0;
	}
	sodium_memzero(plain, sizeof(plain));
	return ret;
}
