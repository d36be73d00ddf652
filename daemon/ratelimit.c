// SPDX-License-Identifier: GPL-2.0
/*
 * Rate limits and cookies for jumpd's control packets.
 *
 * Sources are keyed by address alone: a host that changes its port is still
 * the same host. The table never grows: a flood from a million spoofed
 * addresses costs the same memory as one from ten, it only evicts entries
 * faster; the global bucket bounds what gets through regardless, and under
 * load cookies make a sender prove it can receive at its address.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <sodium.h>

#include "ratelimit.h"

#define NS_PER_SEC		1000000000ULL
/* A token is 1000 milli-tokens; a rate of R packets/s is R milli-tokens/ms. */
#define NS_PER_MILLI_AT_RATE_1	1000000ULL
#define RL_PROBE		8
#define RL_MAX_SLOTS		(1UL << 24)

/* A source address, normalized: IPv4-mapped IPv6 is IPv4. */
struct rl_key {
	uint8_t family;		/* 4 or 6; 0: empty slot */
	uint8_t addr[16];	/* IPv4 in the first 4 bytes, the rest zero */
};

struct rl_source {
	struct rl_key key;
	struct rl_bucket bucket;
};

static uint64_t cap_milli(uint32_t burst)
{
	return (uint64_t)burst * 1000;
}

/*
 * Adds what @rate earned since b->last_ns, up to @burst. last_ns moves only
 * by the time the added milli-tokens are worth (rounded up), so frequent
 * calls keep their fractions instead of losing them to truncation, and
 * never earn more than the rate. Products stay below 2^64: the time to fill
 * at most 2^32 * 1000 milli-tokens is at most 2^32 * 10^9 ns, and any gap
 * longer than that simply fills the bucket.
 */
static void refill(struct rl_bucket *b, uint32_t rate, uint32_t burst,
		   uint64_t now_ns)
{
	uint64_t cap = cap_milli(burst), elapsed, fill_ns, milli;

	if (b->tokens_milli >= cap) {
		/* Full (or above a burst lowered by a reload): time earns nothing. */
		b->tokens_milli = cap;
		b->last_ns = now_ns > b->last_ns ? now_ns : b->last_ns;
		return;
	}
	if (!rate || now_ns <= b->last_ns)
		return;
	elapsed = now_ns - b->last_ns;
	fill_ns = (cap - b->tokens_milli) * NS_PER_MILLI_AT_RATE_1 / rate;
	if (elapsed >= fill_ns) {
		b->tokens_milli = cap;
		b->last_ns = now_ns;
		return;
	}
	milli = elapsed * rate / NS_PER_MILLI_AT_RATE_1;
	if (!milli)
		return;
	b->tokens_milli += milli;
	b->last_ns += (milli * NS_PER_MILLI_AT_RATE_1 + rate - 1) / rate;
}

bool rl_take(struct rl_bucket *b, uint32_t rate, uint32_t burst,
		 uint64_t now_ns)
{
	refill(b, rate, burst, now_ns);
	if (b->tokens_milli < 1000)
		return false;
	b->tokens_milli -= 1000;
	return true;
}

/*
 * Adds what @period_ns earned since b->last_ns: elapsed * cap / period
 * milli-tokens, the remainder of the division kept in b->frac, so that the
 * sum over any number of calls is what one call at the end would have
 * earned. 128-bit products: a day in ns times a million milli-tokens
 * does not fit in 64 bits.
 */
static void refill_period(struct rl_period *b, uint32_t count, uint64_t period_ns,
			  uint64_t now_ns)
{
	uint64_t cap = cap_milli(count);
	unsigned __int128 earned;

	if (!b->last_ns && !b->tokens_milli && !b->frac) {
		b->tokens_milli = cap;
		b->last_ns = now_ns;
		return;
	}
	if (now_ns <= b->last_ns)
		return;		/* a clock that did not move earns nothing */
	if (!period_ns || b->tokens_milli >= cap) {
		b->tokens_milli = cap;
		b->frac = 0;
		b->last_ns = now_ns;
		return;
	}
	earned = (unsigned __int128)(now_ns - b->last_ns) * cap + b->frac;
	b->last_ns = now_ns;
	if (earned / period_ns >= cap - b->tokens_milli) {
		b->tokens_milli = cap;
		b->frac = 0;
		return;
	}
	b->tokens_milli += (uint64_t)(earned / period_ns);
	b->frac = (uint64_t)(earned % period_ns);
}

bool rl_period_ready(struct rl_period *b, uint32_t count, uint64_t period_ns,
		     uint64_t now_ns)
{
	refill_period(b, count, period_ns, now_ns);
	return b->tokens_milli >= 1000;
}

bool rl_period_take(struct rl_period *b, uint32_t count, uint64_t period_ns,
		    uint64_t now_ns)
{
	if (!rl_period_ready(b, count, period_ns, now_ns))
		return false;
	b->tokens_milli -= 1000;
	return true;
}

static void bucket_full(struct rl_bucket *b, uint32_t burst, uint64_t now_ns)
{
	b->tokens_milli = cap_milli(burst);
	b->last_ns = now_ns;
}

/* @port in network order, or NULL. 0, or -1 for a family we do not know. */
static int source_key(const struct sockaddr *sa, struct rl_key *k,
		      uint16_t *port)
{
	const struct sockaddr_in6 *sin6;
	const struct sockaddr_in *sin;

	memset(k, 0, sizeof(*k));
	if (!sa)
		return -1;
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)sa;
		k->family = 4;
		memcpy(k->addr, &sin->sin_addr, 4);
		if (port)
			*port = sin->sin_port;
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	sin6 = (const struct sockaddr_in6 *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		k->family = 4;
		memcpy(k->addr, &sin6->sin6_addr.s6_addr[12], 4);
	} else {
		k->family = 6;
		memcpy(k->addr, &sin6->sin6_addr, 16);
	}
	if (port)
		*port = sin6->sin6_port;
	return 0;
}

static size_t key_len(const struct rl_key *k)
{
	return k->family == 4 ? 1 + 4 : 1 + 16;
}

/* SipHash with a random key: a sender cannot pick addresses that collide. */
static size_t home_slot(const struct ratelimit *rl, const struct rl_key *k)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const uint8_t *)k, key_len(k), rl->hash_key);
	memcpy(&v, h, sizeof(v));
	return v & (rl->slots - 1);
}

/*
 * @k's entry, or a new one with a full bucket: in the first free slot of the
 * probe window, else over the entry refilled longest ago. A source that
 * keeps sending stays recent and is rarely the victim; one that went quiet
 * has mostly refilled anyway, so forgetting it gives little away.
 */
static struct rl_source *source_get(struct ratelimit *rl,
				    const struct rl_key *k, uint64_t now_ns)
{
	size_t home = home_slot(rl, k), i;
	struct rl_source *s, *victim = NULL;

	for (i = 0; i < RL_PROBE; i++) {
		s = &rl->table[(home + i) & (rl->slots - 1)];
		/* Entries are replaced, never removed: none of @k's lies past a hole. */
		if (!s->key.family) {
			victim = s;
			break;
		}
		if (!memcmp(&s->key, k, sizeof(*k)))
			return s;
		if (!victim || s->bucket.last_ns < victim->bucket.last_ns)
			victim = s;
	}
	victim->key = *k;
	bucket_full(&victim->bucket, rl->source_burst, now_ns);
	return victim;
}

static size_t round_slots(size_t slots)
{
	size_t n = RL_PROBE;

	while (n < slots)
		n <<= 1;
	return n;
}

int rl_init(struct ratelimit *rl, uint32_t source_rate, uint32_t source_burst,
	    uint32_t global_rate, uint32_t global_burst,
	    uint32_t cookie_threshold, size_t slots, uint64_t now_ns)
{
	memset(rl, 0, sizeof(*rl));
	if (!slots || slots > RL_MAX_SLOTS) {
		errno = EINVAL;
		return -1;
	}
	if (sodium_init() < 0) {
		errno = EIO;
		return -1;
	}
	rl->slots = round_slots(slots);
	rl->table = calloc(rl->slots, sizeof(*rl->table));
	if (!rl->table) {
		rl->slots = 0;
		return -1;
	}
	rl_set_rates(rl, source_rate, source_burst, global_rate, global_burst,
		     cookie_threshold);
	bucket_full(&rl->global, global_burst, now_ns);
	rl->window_start_ns = now_ns;
	randombytes_buf(rl->hash_key, sizeof(rl->hash_key));
	randombytes_buf(rl->secret, sizeof(rl->secret));
	randombytes_buf(rl->prev_secret, sizeof(rl->prev_secret));
	rl->secret_born_ns = now_ns;
	return 0;
}

void rl_free(struct ratelimit *rl)
{
	free(rl->table);
	sodium_memzero(rl, sizeof(*rl));
}

void rl_set_rates(struct ratelimit *rl, uint32_t source_rate,
		  uint32_t source_burst, uint32_t global_rate,
		  uint32_t global_burst, uint32_t cookie_threshold)
{
	rl->source_rate = source_rate;
	rl->source_burst = source_burst;
	rl->global_rate = global_rate;
	rl->global_burst = global_burst;
	rl->cookie_threshold = cookie_threshold;
	/* A lower burst applies at once; source buckets clamp when next used. */
	if (rl->global.tokens_milli > cap_milli(global_burst))
		rl->global.tokens_milli = cap_milli(global_burst);
}

/* Moves the one-second load window up to @now_ns. */
static void window_advance(struct ratelimit *rl, uint64_t now_ns)
{
	uint64_t gone;

	if (now_ns < rl->window_start_ns + NS_PER_SEC)
		return;
	gone = (now_ns - rl->window_start_ns) / NS_PER_SEC;
	/* After a gap of more than a window, the last full one was silent. */
	rl->last_window_count = gone == 1 ? rl->window_count : 0;
	rl->window_count = 0;
	rl->window_start_ns += gone * NS_PER_SEC;
}

enum rl_verdict rl_check(struct ratelimit *rl, const struct sockaddr *src,
			 uint64_t now_ns)
{
	struct rl_source *s;
	struct rl_key k;

	window_advance(rl, now_ns);
	if (rl->window_count < UINT32_MAX)
		rl->window_count++;
	if (source_key(src, &k, NULL) < 0 || !rl->table) {
		rl->dropped_source++;
		return RL_DROP_SOURCE;
	}
	s = source_get(rl, &k, now_ns);
	if (!rl_take(&s->bucket, rl->source_rate, rl->source_burst, now_ns)) {
		rl->dropped_source++;
		return RL_DROP_SOURCE;
	}
	if (!rl_take(&rl->global, rl->global_rate, rl->global_burst, now_ns)) {
		rl->dropped_global++;
		return RL_DROP_GLOBAL;
	}
	return RL_PASS;
}

bool rl_take_global(struct ratelimit *rl, uint64_t now_ns)
{
	return rl_take(&rl->global, rl->global_rate, rl->global_burst, now_ns);
}

/*
 * The current window counts as well as the last full one: a flood that
 * starts now needs cookies now, not up to a second later.
 */
bool rl_under_load(struct ratelimit *rl, uint64_t now_ns)
{
	window_advance(rl, now_ns);
	return rl->last_window_count > rl->cookie_threshold ||
	       rl->window_count > rl->cookie_threshold;
}

/*
 * Rotates lazily: the previous secret is the one that was current just
 * before, so a cookie survives one rotation; after two periods without a
 * use, no cookie made before is good any more.
 */
static void secret_rotate(struct ratelimit *rl, uint64_t now_ns)
{
	if (now_ns < rl->secret_born_ns + RL_COOKIE_ROTATE_NS)
		return;
	if (now_ns - rl->secret_born_ns >= 2 * RL_COOKIE_ROTATE_NS)
		randombytes_buf(rl->prev_secret, sizeof(rl->prev_secret));
	else
		memcpy(rl->prev_secret, rl->secret, sizeof(rl->secret));
	randombytes_buf(rl->secret, sizeof(rl->secret));
	rl->secret_born_ns = now_ns;
}

static void cookie_with(const uint8_t secret[WIRE_KEY_LEN],
			const struct rl_key *k, uint16_t port,
			uint8_t cookie[WIRE_COOKIE_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, secret, WIRE_KEY_LEN, WIRE_COOKIE_LEN);
	crypto_generichash_update(&st, (const uint8_t *)k, key_len(k));
	crypto_generichash_update(&st, (const uint8_t *)&port, sizeof(port));
	crypto_generichash_final(&st, cookie, WIRE_COOKIE_LEN);
}

void rl_cookie(struct ratelimit *rl, const struct sockaddr *src, uint64_t now_ns,
	       uint8_t cookie[WIRE_COOKIE_LEN])
{
	uint16_t port = 0;
	struct rl_key k;

	if (source_key(src, &k, &port) < 0) {
		/* Nothing verifies for such a source: rl_cookie_ok() refuses it. */
		memset(cookie, 0, WIRE_COOKIE_LEN);
		return;
	}
	secret_rotate(rl, now_ns);
	cookie_with(rl->secret, &k, port, cookie);
}

bool rl_cookie_ok(struct ratelimit *rl, const struct sockaddr *src,
		  uint64_t now_ns, const uint8_t cookie[WIRE_COOKIE_LEN])
{
	uint8_t cur[WIRE_COOKIE_LEN], prev[WIRE_COOKIE_LEN];
	uint16_t port = 0;
	struct rl_key k;
	bool ok;

	if (source_key(src, &k, &port) < 0)
		return false;
	secret_rotate(rl, now_ns);
	cookie_with(rl->secret, &k, port, cur);
	cookie_with(rl->prev_secret, &k, port, prev);
	/* Both, always: which secret matched must not show in the timing. */
	ok = !sodium_memcmp(cur, cookie, WIRE_COOKIE_LEN);
	ok |= !sodium_memcmp(prev, cookie, WIRE_COOKIE_LEN);
	return ok;
}
