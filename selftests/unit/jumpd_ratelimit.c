// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's rate limits: exact burst and refill counts at chosen times, one
 * bucket per address whatever the port, the global bucket behind the source
 * ones, fixed memory under a flood of sources, the load window, cookies and
 * their rotation, and times far in the future.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "tap.h"

#define SEC		1000000000ULL
#define MS		1000000ULL
#define US		1000ULL
#define T0		(5 * SEC)	/* tests start at an arbitrary, non-zero time */
#define BIG		UINT32_MAX

static struct sockaddr_storage v4(const char *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (inet_pton(AF_INET, a, &sin->sin_addr) != 1)
		abort();
	return ss;
}

static struct sockaddr_storage v6(const char *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	if (inet_pton(AF_INET6, a, &sin6->sin6_addr) != 1)
		abort();
	return ss;
}

static enum rl_verdict check(struct ratelimit *rl,
			     const struct sockaddr_storage *ss, uint64_t now)
{
	return rl_check(rl, (const struct sockaddr *)ss, now);
}

/* How many of @n packets from @ss at @now pass. */
static unsigned int passes(struct ratelimit *rl,
			   const struct sockaddr_storage *ss, uint64_t now,
			   unsigned int n)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += check(rl, ss, now) == RL_PASS;
	return ok;
}

/* Per source: rate 10/s, burst 5; global and cookies out of the way. */
static void init_src(struct ratelimit *rl)
{
	if (rl_init(rl, 10, 5, BIG, BIG, BIG, 1024, T0) < 0)
		abort();
}

static void test_init(void)
{
	struct sockaddr_storage a;
	struct ratelimit rl;

	tap_ok(rl_init(&rl, 10, 5, 10, 5, 10, 0, T0) == -1,
	       "init: a table of 0 slots is refused");
	tap_ok(rl_init(&rl, 10, 5, 10, 5, 10, 1000, T0) == 0 && rl.slots == 1024,
	       "init: the table is rounded up to a power of 2");
	rl_free(&rl);
	rl_free(&rl);
	a = v4("192.0.2.1", 1000);
	tap_ok(!rl.table, "free twice is harmless");
	tap_ok(check(&rl, &a, T0) == RL_DROP_SOURCE,
	       "a freed limiter drops rather than crashes");
}

static void test_burst_refill(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000);
	struct ratelimit rl;

	init_src(&rl);
	tap_ok(passes(&rl, &a, T0, 5) == 5, "burst: exactly source_burst packets pass");
	tap_ok(check(&rl, &a, T0) == RL_DROP_SOURCE && rl.dropped_source == 1,
	       "burst: the next one is dropped as over its source rate, and counted");
	tap_ok(passes(&rl, &a, T0, 1000) == 0,
	       "a clock that does not move refills nothing");
	tap_ok(passes(&rl, &a, T0 + 99 * MS, 1) == 0,
	       "refill at 10/s: nothing after 99 ms");
	tap_ok(passes(&rl, &a, T0 + 100 * MS, 5) == 1,
	       "refill at 10/s: one packet after 100 ms (the 99 ms already seen count)");
	tap_ok(passes(&rl, &a, T0 + 350 * MS, 5) == 2,
	       "refill at 10/s: two more 250 ms later, half a token left");
	tap_ok(passes(&rl, &a, T0 + 400 * MS, 5) == 1,
	       "refill at 10/s: the half token plus 50 ms make one");
	tap_ok(passes(&rl, &a, T0 + 10 * SEC, 100) == 5,
	       "refill stops at the burst");
	tap_ok(passes(&rl, &a, T0 + 5 * SEC, 100) == 0,
	       "a clock going backwards refills nothing");
	rl_free(&rl);
}

/* Packets every 37 us earn 0.26 milli-tokens each: fractions must add up. */
static void test_fractions(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000);
	unsigned int ok = 0;
	struct ratelimit rl;
	uint64_t t;

	if (rl_init(&rl, 7, 1, BIG, BIG, BIG, 64, T0) < 0)
		abort();
	passes(&rl, &a, T0, 1);
	/* 2.05 s at 7/s: 14.35 tokens, far from a whole number either way. */
	for (t = T0 + 37 * US; t <= T0 + 2050 * MS; t += 37 * US)
		ok += check(&rl, &a, t) == RL_PASS;
	tap_ok(ok == 14, "refill keeps fractions of frequent calls: %u of 14 pass", ok);
	rl_free(&rl);
}

static void test_sources(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000), b = v4("192.0.2.2", 1000);
	struct sockaddr_storage a2 = v4("192.0.2.1", 2000), m = v6("::ffff:192.0.2.1", 3000);
	struct sockaddr_storage c = v6("2001:db8::1", 1000), c2 = v6("2001:db8::1", 9);
	struct sockaddr_storage d = v6("2001:db8::2", 1000), u;
	struct ratelimit rl;

	init_src(&rl);
	passes(&rl, &a, T0, 5);
	tap_ok(passes(&rl, &b, T0, 6) == 5, "another address has its own bucket");
	tap_ok(passes(&rl, &a2, T0, 1) == 0,
	       "the same address from another port shares the bucket");
	tap_ok(passes(&rl, &m, T0, 1) == 0,
	       "an IPv4-mapped IPv6 source shares its IPv4 address's bucket");
	passes(&rl, &c, T0, 5);
	tap_ok(passes(&rl, &c2, T0, 1) == 0 && passes(&rl, &d, T0, 6) == 5,
	       "IPv6: the same address shares, another address does not");
	memset(&u, 0, sizeof(u));
	u.ss_family = AF_UNIX;
	tap_ok(check(&rl, &u, T0) == RL_DROP_SOURCE &&
	       check(&rl, NULL, T0) == RL_DROP_SOURCE,
	       "an unknown family (or none) is dropped as a source");
	rl_free(&rl);
}

static struct sockaddr_storage nth_v4(uint32_t i, uint16_t port)
{
	struct sockaddr_storage ss = v4("0.0.0.0", port);

	((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(0x0a000000 | i);
	return ss;
}

static void test_global(void)
{
	struct sockaddr_storage s, a = v4("198.51.100.1", 1);
	unsigned int i, pass = 0, global = 0;
	struct ratelimit rl;

	if (rl_init(&rl, 100, 10, 10, 20, BIG, 1024, T0) < 0)
		abort();
	for (i = 0; i < 100; i++) {
		s = nth_v4(i, 4000);
		switch (check(&rl, &s, T0)) {
		case RL_PASS: pass++; break;
		case RL_DROP_GLOBAL: global++; break;
		default: break;
		}
	}
	tap_ok(pass == 20 && global == 80 && rl.dropped_global == 80,
	       "global: 20 of 100 sources pass the global burst, 80 dropped as global (%u, %u)",
	       pass, global);
	for (pass = 0, i = 100; i < 200; i++) {
		s = nth_v4(i, 4000);
		pass += check(&rl, &s, T0 + SEC) == RL_PASS;
	}
	tap_ok(pass == 10, "global: one second later, 10 more at 10/s (%u)", pass);
	rl_free(&rl);

	/* Source burst 2, global burst 5: a's eight drops leave 3 global tokens. */
	if (rl_init(&rl, 1, 2, 1, 5, BIG, 1024, T0) < 0)
		abort();
	tap_ok(passes(&rl, &a, T0, 10) == 2 && rl.dropped_source == 8 &&
	       rl.dropped_global == 0,
	       "a source over its rate is dropped before the global check");
	for (pass = 0, i = 0; i < 4; i++) {
		s = nth_v4(i, 4000);
		pass += check(&rl, &s, T0) == RL_PASS;
	}
	tap_ok(pass == 3 && rl.dropped_global == 1,
	       "and took no global tokens: 3 of the global burst are left for others");
	rl_free(&rl);
}

/*
 * 100,000 sources, one packet each, 10 us apart, while one busy source sends
 * every millisecond at 100 times its rate. Its entry stays recent, so it is
 * never the oldest of its probe window and is not evicted: it stays limited.
 * (A source that falls silent can be evicted and come back with a full
 * burst, which is no more than it would have had after a quiet second.)
 */
static void test_eviction(void)
{
	struct sockaddr_storage s, busy = v6("2001:db8::b", 7);
	struct rl_source *table;
	unsigned int i, ok = 0;
	struct ratelimit rl;
	uint64_t t = T0;

	init_src(&rl);
	memset(rl.hash_key, 0x5a, sizeof(rl.hash_key));	/* reproducible */
	table = rl.table;
	for (i = 0; i < 100000; i++, t += 10 * US) {
		s = nth_v4(i, 5000);
		check(&rl, &s, t);
		if (i % 100 == 0)
			ok += check(&rl, &busy, t) == RL_PASS;
	}
	/* 5 burst + 10/s over the 0.999 s between the first and last packet. */
	tap_ok(ok == 5 + 9, "a busy source among 100,000 others stays limited: %u of 1000 pass",
	       ok);
	tap_ok(rl.table == table && rl.slots == 1024,
	       "memory stays fixed: the same 1024-slot table");
	tap_ok(passes(&rl, &busy, t, 10) == 1,
	       "the busy source is still limited after the flood: 1 more at 1 s");
	s = nth_v4(100000, 5000);
	tap_ok(passes(&rl, &s, t, 6) == 5, "a new source after the flood gets its burst");
	rl_free(&rl);
}

static void test_load(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000);
	struct ratelimit rl;

	/* Source burst 2: most of these are dropped, all of them count. */
	if (rl_init(&rl, 1, 2, BIG, BIG, 50, 64, T0) < 0)
		abort();
	tap_ok(!rl_under_load(&rl, T0), "no load at the start");
	passes(&rl, &a, T0 + 100 * MS, 50);
	tap_ok(!rl_under_load(&rl, T0 + 100 * MS), "50 packets/s is not above a threshold of 50");
	passes(&rl, &a, T0 + 200 * MS, 1);
	tap_ok(rl_under_load(&rl, T0 + 200 * MS),
	       "the 51st packet in a second, dropped or not, is: under load");
	tap_ok(rl_under_load(&rl, T0 + 1500 * MS),
	       "still under load while that second is the last full one");
	tap_ok(!rl_under_load(&rl, T0 + 2 * SEC), "off after a quiet second");
	passes(&rl, &a, T0 + 3 * SEC, 51);
	tap_ok(rl_under_load(&rl, T0 + 3 * SEC) && !rl_under_load(&rl, T0 + 60 * SEC),
	       "on again with a new burst, off after a long silence");
	rl_free(&rl);
}

static void test_cookies(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000), a2 = v4("192.0.2.1", 1001);
	struct sockaddr_storage b = v4("192.0.2.2", 1000), m = v6("::ffff:192.0.2.1", 1000);
	struct sockaddr_storage c = v6("2001:db8::1", 1000), u;
	const struct sockaddr *sa = (const struct sockaddr *)&a;
	uint8_t ck[WIRE_COOKIE_LEN], ck2[WIRE_COOKIE_LEN];
	const uint64_t R = RL_COOKIE_ROTATE_NS;
	struct ratelimit rl;

	init_src(&rl);
	rl_cookie(&rl, sa, T0, ck);
	tap_ok(rl_cookie_ok(&rl, sa, T0 + SEC, ck), "a source's cookie verifies");
	tap_ok(!rl_cookie_ok(&rl, (const struct sockaddr *)&a2, T0, ck) &&
	       !rl_cookie_ok(&rl, (const struct sockaddr *)&b, T0, ck),
	       "not from another port or another address");
	tap_ok(rl_cookie_ok(&rl, (const struct sockaddr *)&m, T0, ck),
	       "an IPv4-mapped IPv6 source is its IPv4 address");
	rl_cookie(&rl, (const struct sockaddr *)&c, T0, ck2);
	tap_ok(rl_cookie_ok(&rl, (const struct sockaddr *)&c, T0, ck2) &&
	       !rl_cookie_ok(&rl, sa, T0, ck2), "IPv6 cookies verify for their source only");
	ck[3] ^= 1;
	tap_ok(!rl_cookie_ok(&rl, sa, T0, ck), "a cookie with one bit changed does not");
	ck[3] ^= 1;
	memset(&u, 0, sizeof(u));
	u.ss_family = AF_UNIX;
	rl_cookie(&rl, (const struct sockaddr *)&u, T0, ck2);
	tap_ok(!rl_cookie_ok(&rl, (const struct sockaddr *)&u, T0, ck2),
	       "an unknown family never verifies");
	tap_ok(rl_cookie_ok(&rl, sa, T0 + R - 1, ck), "good until the first rotation");
	tap_ok(rl_cookie_ok(&rl, sa, T0 + R, ck), "and survives one rotation");
	rl_cookie(&rl, sa, T0 + R, ck2);
	tap_ok(memcmp(ck, ck2, sizeof(ck)) && rl_cookie_ok(&rl, sa, T0 + R, ck2),
	       "after a rotation the source gets a new cookie, which verifies");
	tap_ok(!rl_cookie_ok(&rl, sa, T0 + 2 * R, ck), "but not after the second rotation");
	tap_ok(rl_cookie_ok(&rl, sa, T0 + 2 * R, ck2), "while the newer one survives it");
	rl_cookie(&rl, sa, T0 + 2 * R, ck);
	tap_ok(!rl_cookie_ok(&rl, sa, T0 + 4 * R, ck),
	       "two periods without any use: no old cookie is good");
	rl_free(&rl);
}

/* Ten years of nanoseconds (3e17) and the end of time: no overflow. */
static void test_long_gap(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000);
	const uint64_t decade = 10ULL * 365 * 24 * 3600 * SEC;
	struct ratelimit rl;

	init_src(&rl);
	passes(&rl, &a, T0, 5);
	tap_ok(passes(&rl, &a, T0 + decade, 100) == 5,
	       "after ten years idle: exactly the burst, no more");
	tap_ok(passes(&rl, &a, UINT64_MAX, 100) == 5, "at now = UINT64_MAX too");
	rl_free(&rl);

	if (rl_init(&rl, 1, 1, BIG, BIG, BIG, 64, T0) < 0)
		abort();
	passes(&rl, &a, T0, 1);
	tap_ok(rl.global.tokens_milli == (uint64_t)BIG * 1000 - 1000,
	       "largest rates: the global bucket holds burst * 1000 less one packet");
	tap_ok(passes(&rl, &a, T0 + decade, 3) == 1 &&
	       rl.global.tokens_milli == (uint64_t)BIG * 1000 - 1000,
	       "largest rates, ten years on: capped at burst * 1000, not wrapped");
	tap_ok(passes(&rl, &a, T0 + decade + 999 * MS, 1) == 0 &&
	       passes(&rl, &a, T0 + decade + SEC, 2) == 1,
	       "and 1/s still refills at 1/s afterwards");
	rl_free(&rl);
}

static void test_set_rates(void)
{
	struct sockaddr_storage a = v4("192.0.2.1", 1000), b = v4("192.0.2.2", 1000);
	struct ratelimit rl;

	init_src(&rl);
	passes(&rl, &a, T0, 5);
	rl_set_rates(&rl, 100, 50, 1000, 3, 7);
	tap_ok(passes(&rl, &a, T0, 1) == 0, "new rates keep the buckets: a is still empty");
	tap_ok(rl.global.tokens_milli == 3000, "a lower global burst applies at once");
	tap_ok(passes(&rl, &a, T0 + 10 * MS, 5) == 1,
	       "a refills at the new rate, 100/s: one after 10 ms");
	tap_ok(passes(&rl, &b, T0 + 10 * MS, 5) == 2 && rl.dropped_global == 3,
	       "the new global burst holds: 3 tokens, one used by a");
	tap_ok(rl.cookie_threshold == 7 && rl_under_load(&rl, T0 + 10 * MS),
	       "the new cookie threshold applies to the window counted so far");
	rl_free(&rl);
}

/*
 * The switch-rate bucket (MaxSwitches per SwitchInterval): it used to
 * round each refill down to whole milliseconds and then forget the rest,
 * so frequent requests kept it empty; and two commits on one token took it
 * below zero.
 */
static void test_period(void)
{
	struct rl_period b = { 0 };
	uint64_t t, first = 0;
	bool early;
	int i;

	tap_ok(rl_period_take(&b, 3, SEC, T0) && b.tokens_milli == 2000,
	       "switch bucket: a new one is full (3 of 3), one taken");
	rl_period_take(&b, 3, SEC, T0);
	rl_period_take(&b, 3, SEC, T0);
	for (t = T0 + 500 * US; t <= T0 + SEC && !first; t += 500 * US)
		if (rl_period_ready(&b, 3, SEC, t))
			first = t;
	tap_ok(first == T0 + 333 * MS + 500 * US,
	       "switch bucket polled every 0.5 ms: a token is back at the first poll past 1/3 s (%llu us)",
	       (unsigned long long)((first - T0) / US));

	memset(&b, 0, sizeof(b));
	for (i = 0; i < 7; i++)
		rl_period_take(&b, 7, 60 * SEC, T0);
	early = false;
	for (t = T0; t < T0 + 60 * SEC; t += 1300 * US)
		early |= rl_period_ready(&b, 7, 60 * SEC, t) && b.tokens_milli == 7000;
	rl_period_ready(&b, 7, 60 * SEC, T0 + 60 * SEC);
	tap_ok(!early && b.tokens_milli == 7000,
	       "switch bucket polled every 1.3 ms: exactly full after one SwitchInterval, not before (%llu milli)",
	       (unsigned long long)b.tokens_milli);

	memset(&b, 0, sizeof(b));
	tap_ok(rl_period_take(&b, 1, 3600 * SEC, T0) && !rl_period_take(&b, 1, 3600 * SEC, T0) &&
	       b.tokens_milli == 0,
	       "switch bucket: two commits on one token, the second is refused and it never wraps below zero");
	tap_ok(!rl_period_ready(&b, 1, 3600 * SEC, T0 - SEC) && b.tokens_milli == 0 &&
	       !rl_period_ready(&b, 1, 3600 * SEC, T0) && b.tokens_milli == 0,
	       "switch bucket: a clock going backwards or standing still earns nothing");

	memset(&b, 0, sizeof(b));
	rl_period_take(&b, 10, 60 * SEC, T0);
	tap_ok(rl_period_take(&b, 1, 3600 * SEC, T0 + MS) && !rl_period_take(&b, 1, 3600 * SEC, T0 + MS),
	       "switch bucket: a reload to MaxSwitches 1 leaves one token of nine");
	tap_ok(rl_period_ready(&b, 1000, 24 * 3600 * SEC, T0 + 3650ULL * 24 * 3600 * SEC) &&
	       b.tokens_milli == 1000000,
	       "switch bucket: the largest policy after ten years idle: exactly full");
}

int main(void)
{
	test_init();
	test_burst_refill();
	test_fractions();
	test_sources();
	test_global();
	test_eviction();
	test_load();
	test_cookies();
	test_long_gap();
	test_set_rates();
	test_period();
	return tap_done();
}
