// SPDX-License-Identifier: GPL-2.0
/*
 * Noise_IK_25519_ChaChaPoly_BLAKE2b from libsodium's primitives, plus the
 * key schedule jumpd builds on it. Documentation/protocol.rst ("Control
 * plane") gives every step; the names here follow the Noise specification
 * (MixHash, MixKey, EncryptAndHash, Split) so the two can be read side by
 * side.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "handshake.h"

#define HS_BLOCK_LEN	128	/* BLAKE2b's block: HMAC pads keys to it */
#define HS_AEAD_NONCE	12

static const char protocol_name[] = "Noise_IK_25519_ChaChaPoly_BLAKE2b";
static const char prologue[] = "jump v1";

/* Labels of the keys derived from the final chaining key (ASCII, no NUL). */
static const char label_ctl[] = "jump ctl";
static const char label_reattach[] = "jump reattach";
static const char label_chain[] = "jump chain";
static const char label_unlink[] = "jump unlink";
static const char label_ratchet[] = "jump reattach ratchet";
static const char label_mac1[] = "mac1----";

_Static_assert(sizeof(protocol_name) - 1 <= HS_HASH_LEN,
	       "the protocol name is padded, not hashed, into h");
_Static_assert(HS_HASH_LEN == crypto_generichash_BYTES_MAX, "BLAKE2b-512");
_Static_assert(WIRE_KEY_LEN == crypto_aead_chacha20poly1305_ietf_KEYBYTES &&
	       WIRE_AEAD_TAG_LEN == crypto_aead_chacha20poly1305_ietf_ABYTES &&
	       HS_AEAD_NONCE == crypto_aead_chacha20poly1305_ietf_NPUBBYTES &&
	       WIRE_KEY_LEN == crypto_scalarmult_BYTES, "libsodium sizes");

/* Noise's SymmetricState, with the CipherState's k and n in it. */
struct sym {
	uint8_t h[HS_HASH_LEN];
	uint8_t ck[HS_HASH_LEN];
	uint8_t k[WIRE_KEY_LEN];
	uint64_t n;
};

/* sodium_init() is idempotent and thread-safe; -1 means no entropy. */
static void sodium_once(void)
{
	if (sodium_init() < 0)
		abort();
}

void hs_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

/* HASH(a || b), BLAKE2b-512. */
static void hash2(uint8_t out[HS_HASH_LEN], const void *a, size_t alen,
		  const void *b, size_t blen)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, HS_HASH_LEN);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, out, HS_HASH_LEN);
	hs_wipe(&st, sizeof(st));
}

/*
 * RFC 2104 HMAC over BLAKE2b-512 of (d1 || d2). Every key here is a chaining
 * key or an HKDF output, at most 64 bytes: none is longer than the block,
 * which would have to be hashed first.
 */
static void hmac(uint8_t out[HS_HASH_LEN], const uint8_t *key, size_t klen,
		 const void *d1, size_t l1, const void *d2, size_t l2)
{
	uint8_t pad[HS_BLOCK_LEN], inner[HS_HASH_LEN];
	crypto_generichash_state st;
	size_t i;

	memset(pad, 0, sizeof(pad));
	memcpy(pad, key, klen < sizeof(pad) ? klen : sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	crypto_generichash_init(&st, NULL, 0, HS_HASH_LEN);
	crypto_generichash_update(&st, pad, sizeof(pad));
	crypto_generichash_update(&st, d1, l1);
	crypto_generichash_update(&st, d2, l2);
	crypto_generichash_final(&st, inner, sizeof(inner));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	hash2(out, pad, sizeof(pad), inner, sizeof(inner));
	hs_wipe(pad, sizeof(pad));
	hs_wipe(inner, sizeof(inner));
	hs_wipe(&st, sizeof(st));
}

/*
 * Noise's HKDF(ck, ikm) with two outputs; @o2 may be NULL for one.
 * temp = HMAC(ck, ikm); o1 = HMAC(temp, 0x01); o2 = HMAC(temp, o1 || 0x02).
 */
static void hkdf(const uint8_t *ck, size_t cklen, const void *ikm, size_t ikmlen,
		 uint8_t o1[HS_HASH_LEN], uint8_t o2[HS_HASH_LEN])
{
	static const uint8_t one = 1, two = 2;
	uint8_t temp[HS_HASH_LEN], t1[HS_HASH_LEN];

	hmac(temp, ck, cklen, ikm, ikmlen, NULL, 0);
	hmac(t1, temp, sizeof(temp), &one, 1, NULL, 0);
	if (o2)
		hmac(o2, temp, sizeof(temp), t1, sizeof(t1), &two, 1);
	memcpy(o1, t1, sizeof(t1));
	hs_wipe(temp, sizeof(temp));
	hs_wipe(t1, sizeof(t1));
}

/* A 32-byte key from HKDF(ck, label)'s first output. */
static void hkdf_key(uint8_t out[WIRE_KEY_LEN], const uint8_t *ck, size_t cklen,
		     const char *label)
{
	uint8_t o1[HS_HASH_LEN];

	hkdf(ck, cklen, label, strlen(label), o1, NULL);
	memcpy(out, o1, WIRE_KEY_LEN);
	hs_wipe(o1, sizeof(o1));
}

/* X25519; an all-zero result means a low-order point and fails. */
static int dh(uint8_t out[WIRE_KEY_LEN], const uint8_t priv[WIRE_KEY_LEN],
	      const uint8_t pub[WIRE_KEY_LEN])
{
	if (crypto_scalarmult(out, priv, pub) || sodium_is_zero(out, WIRE_KEY_LEN)) {
		hs_wipe(out, WIRE_KEY_LEN);
		return -1;
	}
	return 0;
}

static void mix_hash(struct sym *s, const void *data, size_t len)
{
	hash2(s->h, s->h, sizeof(s->h), data, len);
}

/* HASHLEN is 64: Noise truncates temp_k to the cipher's 32 bytes. */
static void mix_key(struct sym *s, const uint8_t *ikm, size_t len)
{
	uint8_t temp[HS_HASH_LEN];

	hkdf(s->ck, sizeof(s->ck), ikm, len, s->ck, temp);
	memcpy(s->k, temp, sizeof(s->k));
	s->n = 0;
	hs_wipe(temp, sizeof(temp));
}

static int mix_dh(struct sym *s, const uint8_t priv[WIRE_KEY_LEN],
		  const uint8_t pub[WIRE_KEY_LEN])
{
	uint8_t shared[WIRE_KEY_LEN];

	if (dh(shared, priv, pub))
		return -1;
	mix_key(s, shared, sizeof(shared));
	hs_wipe(shared, sizeof(shared));
	return 0;
}

/* Noise's 96-bit ChaCha20-Poly1305 nonce: 32 zero bits, then n, LE. */
static void aead_nonce(uint8_t nonce[HS_AEAD_NONCE], uint64_t n)
{
	memset(nonce, 0, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(n >> (8 * i));
}

static void encrypt_and_hash(struct sym *s, uint8_t *out, const uint8_t *pt,
			     size_t len)
{
	uint8_t nonce[HS_AEAD_NONCE];

	aead_nonce(nonce, s->n++);
	crypto_aead_chacha20poly1305_ietf_encrypt(out, NULL, pt, len, s->h,
						  sizeof(s->h), NULL, nonce, s->k);
	mix_hash(s, out, len + WIRE_AEAD_TAG_LEN);
}

/* @len is the ciphertext's, tag included; @out gets len - 16 bytes. */
static int decrypt_and_hash(struct sym *s, uint8_t *out, const uint8_t *ct,
			    size_t len)
{
	uint8_t nonce[HS_AEAD_NONCE];

	aead_nonce(nonce, s->n++);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(out, NULL, NULL, ct, len,
						      s->h, sizeof(s->h), nonce, s->k))
		return -1;
	mix_hash(s, ct, len);
	return 0;
}

/* InitializeSymmetric, the prologue, then IK's pre-message "<- s". */
static void sym_init(struct sym *s, const uint8_t responder_pub[WIRE_KEY_LEN])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->h, protocol_name, sizeof(protocol_name) - 1);
	memcpy(s->ck, s->h, sizeof(s->ck));
	mix_hash(s, prologue, sizeof(prologue) - 1);
	mix_hash(s, responder_pub, WIRE_KEY_LEN);
}

static void sym_resume(struct sym *s, const uint8_t h[HS_HASH_LEN],
		       const uint8_t ck[HS_HASH_LEN])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->h, h, HS_HASH_LEN);
	memcpy(s->ck, ck, HS_HASH_LEN);
}

/*
 * Split(), then jump's own keys from the same chaining key under distinct
 * labels. The initiator (client) sends with Split's first key.
 */
static void derive_keys(const uint8_t *ck, size_t cklen, bool initiator,
			bool with_reattach, struct hs_keys *keys)
{
	uint8_t k1[HS_HASH_LEN], k2[HS_HASH_LEN];

	hkdf(ck, cklen, NULL, 0, k1, k2);
	memcpy(keys->send, initiator ? k1 : k2, WIRE_KEY_LEN);
	memcpy(keys->recv, initiator ? k2 : k1, WIRE_KEY_LEN);
	hkdf_key(keys->ctl, ck, cklen, label_ctl);
	if (with_reattach) {
		hkdf_key(keys->reattach, ck, cklen, label_reattach);
		hkdf_key(keys->unlink, ck, cklen, label_unlink);
	}
	hkdf_key(keys->chain, ck, cklen, label_chain);
	hs_wipe(k1, sizeof(k1));
	hs_wipe(k2, sizeof(k2));
}

static void put_be64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get_be64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

void hs_keypair_generate(struct hs_keypair *kp)
{
	sodium_once();
	do {
		randombytes_buf(kp->priv, sizeof(kp->priv));
		kp->priv[0] &= 248;
		kp->priv[31] &= 127;
		kp->priv[31] |= 64;
	} while (crypto_scalarmult_base(kp->pub, kp->priv));
}

int hs_public_key(const uint8_t priv[WIRE_KEY_LEN], uint8_t pub[WIRE_KEY_LEN])
{
	sodium_once();
	if (crypto_scalarmult_base(pub, priv) || sodium_is_zero(pub, WIRE_KEY_LEN)) {
		hs_wipe(pub, WIRE_KEY_LEN);
		return -1;
	}
	return 0;
}

/* Message 1: -> e, es, s, ss, then the timestamp as the payload. */
int hs_initiator_start_eph(struct hs_initiator *st, const struct hs_keypair *self,
			   const uint8_t server_pub[WIRE_KEY_LEN],
			   const struct hs_keypair *ephemeral, uint32_t hsid,
			   uint64_t now_ns, struct wire_handshake_init *out)
{
	uint8_t ts[8];
	struct sym s;
	int ret = -1;

	sodium_once();
	memset(out, 0, sizeof(*out));
	sym_init(&s, server_pub);
	out->hsid = hsid;
	memcpy(out->ephemeral, ephemeral->pub, WIRE_KEY_LEN);
	mix_hash(&s, ephemeral->pub, WIRE_KEY_LEN);
	if (mix_dh(&s, ephemeral->priv, server_pub))
		goto out;
	encrypt_and_hash(&s, out->static_enc, self->pub, WIRE_KEY_LEN);
	if (mix_dh(&s, self->priv, server_pub))
		goto out;
	put_be64(ts, now_ns);
	encrypt_and_hash(&s, out->ts_enc, ts, sizeof(ts));

	memset(st, 0, sizeof(*st));
	st->ephemeral = *ephemeral;
	memcpy(st->server_pub, server_pub, WIRE_KEY_LEN);
	memcpy(st->self_pub, self->pub, WIRE_KEY_LEN);
	memcpy(st->self_priv, self->priv, WIRE_KEY_LEN);
	memcpy(st->hash, s.h, HS_HASH_LEN);
	memcpy(st->chain, s.ck, HS_HASH_LEN);
	st->hsid = hsid;
	ret = 0;
out:
	if (ret) {
		hs_wipe(st, sizeof(*st));
		memset(out, 0, sizeof(*out));
	}
	hs_wipe(&s, sizeof(s));
	return ret;
}

int hs_initiator_start(struct hs_initiator *st, const struct hs_keypair *self,
		       const uint8_t server_pub[WIRE_KEY_LEN], uint32_t hsid,
		       uint64_t now_ns, struct wire_handshake_init *out)
{
	struct hs_keypair e;
	int ret;

	hs_keypair_generate(&e);
	ret = hs_initiator_start_eph(st, self, server_pub, &e, hsid, now_ns, out);
	hs_wipe(&e, sizeof(e));
	return ret;
}

int hs_responder_consume(struct hs_responder *st, const struct hs_keypair *self,
			 const struct wire_handshake_init *in)
{
	uint8_t ts[8];
	struct sym s;
	int ret = -1;

	sodium_once();
	memset(st, 0, sizeof(*st));
	sym_init(&s, self->pub);
	mix_hash(&s, in->ephemeral, WIRE_KEY_LEN);
	if (mix_dh(&s, self->priv, in->ephemeral) ||
	    decrypt_and_hash(&s, st->peer_pub, in->static_enc, sizeof(in->static_enc)) ||
	    mix_dh(&s, self->priv, st->peer_pub) ||
	    decrypt_and_hash(&s, ts, in->ts_enc, sizeof(in->ts_enc)))
		goto out;
	memcpy(st->peer_ephemeral, in->ephemeral, WIRE_KEY_LEN);
	memcpy(st->hash, s.h, HS_HASH_LEN);
	memcpy(st->chain, s.ck, HS_HASH_LEN);
	st->timestamp_ns = get_be64(ts);
	st->hsid = in->hsid;
	ret = 0;
out:
	if (ret)
		hs_wipe(st, sizeof(*st));
	hs_wipe(&s, sizeof(s));
	return ret;
}

/* Message 2: <- e, ee, se, then session id and server index. */
int hs_responder_reply_eph(struct hs_responder *st, const struct hs_keypair *ephemeral,
			   uint64_t session_id, uint32_t server_index,
			   struct wire_handshake_resp *out, struct hs_keys *keys)
{
	uint8_t payload[12];
	struct sym s;
	int ret = -1;

	sodium_once();
	memset(out, 0, sizeof(*out));
	memset(keys, 0, sizeof(*keys));
	if (sodium_is_zero(st->chain, sizeof(st->chain)))
		return -1;		/* never consumed, or already replied */
	sym_resume(&s, st->hash, st->chain);
	out->hsid = st->hsid;
	memcpy(out->ephemeral, ephemeral->pub, WIRE_KEY_LEN);
	mix_hash(&s, ephemeral->pub, WIRE_KEY_LEN);
	if (mix_dh(&s, ephemeral->priv, st->peer_ephemeral) ||
	    mix_dh(&s, ephemeral->priv, st->peer_pub))
		goto out;
	put_be64(payload, session_id);
	payload[8] = server_index >> 24;
	payload[9] = server_index >> 16;
	payload[10] = server_index >> 8;
	payload[11] = server_index;
	encrypt_and_hash(&s, out->payload_enc, payload, sizeof(payload));
	derive_keys(s.ck, sizeof(s.ck), false, true, keys);
	hs_wipe(st->hash, sizeof(st->hash));
	hs_wipe(st->chain, sizeof(st->chain));
	hs_wipe(st->peer_ephemeral, sizeof(st->peer_ephemeral));
	ret = 0;
out:
	if (ret)
		memset(out, 0, sizeof(*out));
	hs_wipe(payload, sizeof(payload));
	hs_wipe(&s, sizeof(s));
	return ret;
}

int hs_responder_reply(struct hs_responder *st, uint64_t session_id,
		       uint32_t server_index, struct wire_handshake_resp *out,
		       struct hs_keys *keys)
{
	struct hs_keypair e;
	int ret;

	hs_keypair_generate(&e);
	ret = hs_responder_reply_eph(st, &e, session_id, server_index, out, keys);
	hs_wipe(&e, sizeof(e));
	return ret;
}

int hs_initiator_finish(struct hs_initiator *st,
			const struct wire_handshake_resp *in,
			uint64_t *session_id, uint32_t *server_index,
			struct hs_keys *keys)
{
	uint8_t payload[12];
	struct sym s;
	int ret = -1;

	sodium_once();
	*session_id = 0;
	*server_index = 0;
	memset(keys, 0, sizeof(*keys));
	if (in->hsid != st->hsid || sodium_is_zero(st->chain, sizeof(st->chain)))
		return -1;
	sym_resume(&s, st->hash, st->chain);
	mix_hash(&s, in->ephemeral, WIRE_KEY_LEN);
	if (mix_dh(&s, st->ephemeral.priv, in->ephemeral) ||
	    mix_dh(&s, st->self_priv, in->ephemeral) ||
	    decrypt_and_hash(&s, payload, in->payload_enc, sizeof(in->payload_enc)))
		goto out;
	*session_id = get_be64(payload);
	*server_index = (uint32_t)payload[8] << 24 | (uint32_t)payload[9] << 16 |
			(uint32_t)payload[10] << 8 | payload[11];
	derive_keys(s.ck, sizeof(s.ck), true, true, keys);
	hs_wipe(&st->ephemeral, sizeof(st->ephemeral));
	hs_wipe(st->self_priv, sizeof(st->self_priv));
	hs_wipe(st->hash, sizeof(st->hash));
	hs_wipe(st->chain, sizeof(st->chain));
	ret = 0;
out:
	hs_wipe(payload, sizeof(payload));
	hs_wipe(&s, sizeof(s));
	return ret;
}

/* keyed BLAKE2b-128 of buf[0 .. off) under @key. */
static void mac16(uint8_t out[WIRE_MAC_LEN], const uint8_t *buf, size_t off,
		  const uint8_t *key, size_t klen)
{
	sodium_once();
	crypto_generichash(out, WIRE_MAC_LEN, buf, off, key, klen);
}

/* WireGuard's mac1 key: BLAKE2b-256("mac1----" || the receiver's public key). */
static void mac1_key(uint8_t out[WIRE_KEY_LEN], const uint8_t pub[WIRE_KEY_LEN])
{
	crypto_generichash_state st;

	sodium_once();
	crypto_generichash_init(&st, NULL, 0, WIRE_KEY_LEN);
	crypto_generichash_update(&st, (const uint8_t *)label_mac1, sizeof(label_mac1) - 1);
	crypto_generichash_update(&st, pub, WIRE_KEY_LEN);
	crypto_generichash_final(&st, out, WIRE_KEY_LEN);
}

static void mac1(uint8_t out[WIRE_MAC_LEN], const uint8_t *buf, size_t off,
		 const uint8_t pub[WIRE_KEY_LEN])
{
	uint8_t key[WIRE_KEY_LEN];

	mac1_key(key, pub);
	mac16(out, buf, off, key, sizeof(key));
}

#define INIT_MAC1_OFF	(WIRE_HANDSHAKE_INIT_LEN - 2 * WIRE_MAC_LEN)
#define INIT_MAC2_OFF	(WIRE_HANDSHAKE_INIT_LEN - WIRE_MAC_LEN)
#define RESP_MAC1_OFF	(WIRE_HANDSHAKE_RESP_LEN - WIRE_MAC_LEN)

void hs_seal_init(uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		  const uint8_t server_pub[WIRE_KEY_LEN],
		  const uint8_t cookie[WIRE_COOKIE_LEN])
{
	mac1(buf + INIT_MAC1_OFF, buf, INIT_MAC1_OFF, server_pub);
	mac16(buf + INIT_MAC2_OFF, buf, INIT_MAC2_OFF, cookie, WIRE_COOKIE_LEN);
}

bool hs_init_mac1_ok(const uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		     const uint8_t server_pub[WIRE_KEY_LEN])
{
	uint8_t m[WIRE_MAC_LEN];

	mac1(m, buf, INIT_MAC1_OFF, server_pub);
	return !sodium_memcmp(m, buf + INIT_MAC1_OFF, WIRE_MAC_LEN);
}

bool hs_init_mac2_ok(const uint8_t buf[WIRE_HANDSHAKE_INIT_LEN],
		     const uint8_t cookie[WIRE_COOKIE_LEN])
{
	uint8_t m[WIRE_MAC_LEN];

	mac16(m, buf, INIT_MAC2_OFF, cookie, WIRE_COOKIE_LEN);
	return !sodium_memcmp(m, buf + INIT_MAC2_OFF, WIRE_MAC_LEN);
}

void hs_seal_resp(uint8_t buf[WIRE_HANDSHAKE_RESP_LEN],
		  const uint8_t client_pub[WIRE_KEY_LEN])
{
	mac1(buf + RESP_MAC1_OFF, buf, RESP_MAC1_OFF, client_pub);
}

bool hs_resp_mac1_ok(const uint8_t buf[WIRE_HANDSHAKE_RESP_LEN],
		     const uint8_t client_pub[WIRE_KEY_LEN])
{
	uint8_t m[WIRE_MAC_LEN];

	mac1(m, buf, RESP_MAC1_OFF, client_pub);
	return !sodium_memcmp(m, buf + RESP_MAC1_OFF, WIRE_MAC_LEN);
}

/* A message shorter than its MAC has none to check, or room to seal. */
void hs_mac_seal(uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN])
{
	if (!buf || len < WIRE_MAC_LEN)
		return;
	mac16(buf + wire_mac_input(len), buf, wire_mac_input(len), key, WIRE_KEY_LEN);
}

bool hs_mac_ok(const uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN])
{
	uint8_t m[WIRE_MAC_LEN];

	if (!buf || len < WIRE_MAC_LEN)
		return false;
	mac16(m, buf, wire_mac_input(len), key, WIRE_KEY_LEN);
	return !sodium_memcmp(m, buf + wire_mac_input(len), WIRE_MAC_LEN);
}

void hs_ratchet(uint8_t key[WIRE_KEY_LEN])
{
	uint8_t next[WIRE_KEY_LEN];

	sodium_once();
	hkdf_key(next, key, WIRE_KEY_LEN, label_ratchet);
	memcpy(key, next, WIRE_KEY_LEN);
	hs_wipe(next, sizeof(next));
}

/* ck' = HKDF(chain, DH(e_self, e_peer)); then the birth's derivation. */
int hs_rekey(const uint8_t chain[WIRE_KEY_LEN],
	     const uint8_t self_ephemeral_priv[WIRE_KEY_LEN],
	     const uint8_t peer_ephemeral_pub[WIRE_KEY_LEN], bool initiator,
	     struct hs_keys *keys)
{
	uint8_t shared[WIRE_KEY_LEN], ck[HS_HASH_LEN];
	struct hs_keys next;

	sodium_once();
	if (dh(shared, self_ephemeral_priv, peer_ephemeral_pub))
		return -1;
	hkdf(chain, WIRE_KEY_LEN, shared, sizeof(shared), ck, NULL);
	memcpy(next.reattach, keys->reattach, WIRE_KEY_LEN);
	memcpy(next.unlink, keys->unlink, WIRE_KEY_LEN);
	derive_keys(ck, sizeof(ck), initiator, false, &next);
	*keys = next;
	hs_wipe(&next, sizeof(next));
	hs_wipe(shared, sizeof(shared));
	hs_wipe(ck, sizeof(ck));
	return 0;
}
