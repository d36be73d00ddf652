/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks jumpd makes on a control packet before any other work: token
 * buckets per source address and for all sources together, and stateless
 * cookies for when the server is under load (Documentation/protocol.rst).
 *
 * Nothing here reads a clock: every call takes the time (ns, monotonic).
 * Memory is bounded: the per-source table has a fixed number of entries and
 * evicts the least recently refilled one when full.
 */
#ifndef JUMPD_RATELIMIT_H
#define JUMPD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "wire.h"

struct rl_bucket {
	uint64_t tokens_milli;	/* thousandths of a packet */
	uint64_t last_ns;
};

/*
 * A bucket of a few tokens per long period (the switch rate: MaxSwitches
 * per SwitchInterval). Exact: the time that did not yet earn a whole
 * milli-token is carried in @frac, so polling it often loses nothing.
 * A zeroed one is full at its first use.
 */
struct rl_period {
	uint64_t tokens_milli;
	uint64_t frac;		/* ns x milli-tokens not yet earned, < the period */
	uint64_t last_ns;
};

struct rl_source;

struct ratelimit {
	uint32_t source_rate, source_burst;	/* per second, packets */
	uint32_t global_rate, global_burst;
	uint32_t cookie_threshold;		/* packets/s seen before cookies are required */
	struct rl_bucket global;
	struct rl_source *table;		/* open addressing, fixed size */
	size_t slots;
	/* Load estimate: packets counted over the last second. */
	uint64_t window_start_ns;
	uint32_t window_count, last_window_count;
	uint8_t hash_key[16];			/* for the table: sources cannot aim at one slot */
	/* Cookies: keyed with a secret that rotates every RL_COOKIE_ROTATE_NS. */
	uint8_t secret[WIRE_KEY_LEN], prev_secret[WIRE_KEY_LEN];
	uint64_t secret_born_ns;
	uint64_t dropped_source, dropped_global;	/* counters */
};

#define RL_COOKIE_ROTATE_NS	(120ULL * 1000000000ULL)

enum rl_verdict {
	RL_PASS,		/* go on */
	RL_DROP_SOURCE,		/* this source is over its rate */
	RL_DROP_GLOBAL,		/* all sources together are over the global rate */
};

/* @slots: per-source table size (rounded up to a power of 2). 0 or -1. */
int rl_init(struct ratelimit *rl, uint32_t source_rate, uint32_t source_burst,
	    uint32_t global_rate, uint32_t global_burst,
	    uint32_t cookie_threshold, size_t slots, uint64_t now_ns);
void rl_free(struct ratelimit *rl);
/* New rates (a reload), keeping the state of the buckets. */
void rl_set_rates(struct ratelimit *rl, uint32_t source_rate,
		  uint32_t source_burst, uint32_t global_rate,
		  uint32_t global_burst, uint32_t cookie_threshold);

/* One token from a bucket of @rate a second holding @burst (starts full). */
bool rl_take(struct rl_bucket *b, uint32_t rate, uint32_t burst, uint64_t now_ns);

/*
 * @count tokens per @period_ns, holding @count. rl_period_ready() refills
 * and says whether a token is there; rl_period_take() takes it, or refuses
 * (false) and never goes below zero.
 */
bool rl_period_ready(struct rl_period *b, uint32_t count, uint64_t period_ns,
		     uint64_t now_ns);
bool rl_period_take(struct rl_period *b, uint32_t count, uint64_t period_ns,
		    uint64_t now_ns);

/* Takes one token from @src's bucket and the global one, or says which is empty. */
enum rl_verdict rl_check(struct ratelimit *rl, const struct sockaddr *src,
			 uint64_t now_ns);
/* One token from the global bucket alone (what rl_check() skipped). */
bool rl_take_global(struct ratelimit *rl, uint64_t now_ns);
/* True while the packet rate is above the cookie threshold. */
bool rl_under_load(struct ratelimit *rl, uint64_t now_ns);

/*
 * The cookie of @src (address and port): keyed BLAKE2b-128 with the current
 * secret. rl_cookie_ok() accepts the current and the previous secret's, so
 * a cookie stays good for one to two rotation periods.
 */
void rl_cookie(struct ratelimit *rl, const struct sockaddr *src, uint64_t now_ns,
	       uint8_t cookie[WIRE_COOKIE_LEN]);
bool rl_cookie_ok(struct ratelimit *rl, const struct sockaddr *src,
		  uint64_t now_ns, const uint8_t cookie[WIRE_COOKIE_LEN]);

#endif /* JUMPD_RATELIMIT_H */
