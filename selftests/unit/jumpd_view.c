// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's view of the kernel's sessions: lookups by (device, id), only ever
 * forward by version, terminated sessions leave, sequence gaps are seen,
 * 100,000 sessions stay fast, and nothing leaks (the ASan build checks).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/jump.h>

#include "tap.h"
#include "view.h"

static struct view_session sess(uint32_t ifindex, uint64_t id, uint64_t version,
				uint8_t state)
{
	return (struct view_session){ .ifindex = ifindex, .id = id,
				      .version = version, .state = state,
				      .role = JUMP_ROLE_SERVER };
}

static enum view_result put(struct view *v, uint32_t ifindex, uint64_t id,
			    uint64_t version, uint8_t state)
{
	struct view_session s = sess(ifindex, id, version, state);

	return view_upsert(v, &s, NULL);
}

static void test_upsert_lookup(void)
{
	const struct view_session *s;
	struct view v;

	view_init(&v);
	tap_ok(!view_find(&v, 3, 0xabc), "lookup in an empty view finds nothing");
	tap_ok(put(&v, 3, 0xabc, 1, JUMP_STATE_BIRTH) == VIEW_ADDED && v.count == 1,
	       "upsert of an unknown session adds it");
	s = view_find(&v, 3, 0xabc);
	tap_ok(s && s->version == 1 && s->state == JUMP_STATE_BIRTH &&
	       s->role == JUMP_ROLE_SERVER, "lookup finds it with its state, version and role");
	tap_ok(!view_find(&v, 4, 0xabc), "the same id on another device is another session");
	tap_ok(put(&v, 4, 0xabc, 1, JUMP_STATE_BIRTH) == VIEW_ADDED && v.count == 2,
	       "which can be held next to it");
	tap_ok(put(&v, 3, 0xabc, 2, JUMP_STATE_ATTACHED) == VIEW_UPDATED &&
	       view_find(&v, 3, 0xabc)->state == JUMP_STATE_ATTACHED &&
	       view_find(&v, 3, 0xabc)->version == 2 &&
	       view_find(&v, 4, 0xabc)->state == JUMP_STATE_BIRTH,
	       "a newer version replaces the held state, and only that session's");
	tap_ok(put(&v, 0, 7, 1, JUMP_STATE_BIRTH) == VIEW_INVALID && v.count == 2,
	       "ifindex 0 is refused");
	view_free(&v);
}

static void test_stale(void)
{
	uint64_t held = 99;
	struct view_session s;
	struct view v;

	view_init(&v);
	put(&v, 3, 0xabc, 4, JUMP_STATE_VOLATILE);
	s = sess(3, 0xabc, 4, JUMP_STATE_DEGRADED);
	tap_ok(view_upsert(&v, &s, &held) == VIEW_STALE && held == 4 &&
	       view_find(&v, 3, 0xabc)->state == JUMP_STATE_VOLATILE,
	       "stale event: the same version is ignored (and the held version told)");
	tap_ok(put(&v, 3, 0xabc, 2, JUMP_STATE_ATTACHED) == VIEW_STALE &&
	       view_find(&v, 3, 0xabc)->version == 4,
	       "stale event: an older version is ignored");
	tap_ok(put(&v, 3, 0xabc, 3, JUMP_STATE_TERMINATED) == VIEW_STALE &&
	       view_find(&v, 3, 0xabc), "stale event: an older terminated does not remove");
	s = sess(3, 0xdef, 1, JUMP_STATE_BIRTH);
	tap_ok(view_upsert(&v, &s, &held) == VIEW_ADDED && held == 0,
	       "nothing held: the held version is 0");
	view_free(&v);
}

static void test_terminated(void)
{
	struct view v;

	view_init(&v);
	put(&v, 3, 0xabc, 1, JUMP_STATE_BIRTH);
	put(&v, 3, 0xdef, 1, JUMP_STATE_BIRTH);
	tap_ok(put(&v, 3, 0xabc, 2, JUMP_STATE_TERMINATED) == VIEW_REMOVED &&
	       !view_find(&v, 3, 0xabc) && view_find(&v, 3, 0xdef) && v.count == 1,
	       "terminated removes the session, and only it");
	tap_ok(put(&v, 3, 0xabc, 2, JUMP_STATE_TERMINATED) == VIEW_ABSENT && v.count == 1,
	       "terminated for a session not held changes nothing");
	tap_ok(put(&v, 3, 0xabc, 1, JUMP_STATE_BIRTH) == VIEW_ADDED,
	       "a removed session leaves no trace: the view can hold it again");
	view_free(&v);
}

static void test_seq(void)
{
	struct view_dev *d;
	struct view v;

	view_init(&v);
	d = view_dev_add(&v, 5, "jump0", true);
	tap_ok(d && d->seq == 0 && d->followed && !strcmp(d->name, "jump0"),
	       "a new device starts at sequence 0");
	d->seq = 10;	/* as a dump sets it */
	tap_ok(view_dev_check_seq(d, 9) == VIEW_SEQ_OLD &&
	       view_dev_check_seq(d, 10) == VIEW_SEQ_OLD && d->seq == 10,
	       "events up to the dumped sequence number are old");
	tap_ok(view_dev_check_seq(d, 11) == VIEW_SEQ_NEXT && d->seq == 11,
	       "the next sequence number is accepted and recorded");
	tap_ok(view_dev_check_seq(d, 13) == VIEW_SEQ_GAP && d->seq == 11,
	       "sequence gap detected, and the device's sequence is left for the resync");
	d = view_dev_add(&v, 6, "jump1", true);
	tap_ok(view_dev_check_seq(d, 1) == VIEW_SEQ_NEXT &&
	       view_dev_check_seq(d, 3) == VIEW_SEQ_GAP &&
	       view_dev_find(&v, 5)->seq == 11, "sequences are per device");
	tap_ok(view_dev_add(&v, 5, "renamed", false) == view_dev_find(&v, 5) &&
	       v.ndevs == 2 && !view_dev_find(&v, 5)->followed &&
	       view_dev_find(&v, 5)->seq == 11,
	       "adding a known device updates it and keeps its sequence");
	view_free(&v);
}

static void test_devices(void)
{
	char name[IF_NAMESIZE];
	uint32_t i;
	struct view v;
	bool ok = true;

	view_init(&v);
	for (i = 1; i <= 100; i++) {
		snprintf(name, sizeof(name), "jump%u", i);
		ok &= view_dev_add(&v, i, name, true) != NULL;
		put(&v, i, 1, 1, JUMP_STATE_BIRTH);
		put(&v, i, 2, 1, JUMP_STATE_BIRTH);
	}
	tap_ok(ok && v.ndevs == 100 && !strcmp(view_dev_find(&v, 77)->name, "jump77"),
	       "100 devices are held");
	view_dev_gone(&v, 50);
	tap_ok(view_dev_find(&v, 50)->gone && !view_dev_find(&v, 50)->followed &&
	       v.ndevs == 100 && v.count == 198 && !view_find(&v, 50, 1) &&
	       view_find(&v, 51, 1),
	       "a gone device drops its sessions only and stays, unfollowed");
	tap_ok(view_dev_add(&v, 50, "jump50", true)->followed && !view_dev_find(&v, 50)->gone,
	       "adding it again revives it");
	view_dev_gone(&v, 999);
	tap_ok(v.ndevs == 100 && v.count == 198, "an unknown device gone is harmless");
	view_free(&v);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dense small ids, as a client's are, spread over three devices. */
static void test_scale(void)
{
	const uint64_t n = 100000;
	uint64_t i, found = 0, right = 0;
	const struct view_session *s;
	double t0, t1, t2;
	struct view v;
	bool ok = true;

	view_init(&v);
	t0 = now();
	for (i = 1; i <= n; i++)
		ok &= put(&v, 1 + i % 3, i, i, JUMP_STATE_ATTACHED) == VIEW_ADDED;
	t1 = now();
	for (i = 1; i <= n; i++) {
		s = view_find(&v, 1 + i % 3, i);
		found += s != NULL;
		right += s && s->version == i;
	}
	t2 = now();
	tap_ok(ok && v.count == n && found == n && right == n,
	       "100,000 sessions inserted and looked up");
	printf("# %.1f ms to insert, %.1f ms to look up, %zu slots\n",
	       (t1 - t0) * 1e3, (t2 - t1) * 1e3, v.mask + 1);
	tap_ok(!view_find(&v, 1 + (n + 1) % 3, n + 1) && !view_find(&v, 1, 1),
	       "sessions not inserted are not found");
	for (i = 1; i <= n; i += 2)
		put(&v, 1 + i % 3, i, i + 1, JUMP_STATE_TERMINATED);
	found = 0;
	for (i = 1; i <= n; i++)
		found += !!view_find(&v, 1 + i % 3, i) == (i % 2 == 0);
	tap_ok(v.count == n / 2 && found == n,
	       "after terminating every other one, exactly the rest is found");
	tap_ok(view_forget_sessions(&v, 2) == n / 2 / 3 + 1 && !view_find(&v, 2, 4) &&
	       view_find(&v, 3, 2) && view_find(&v, 1, 6),
	       "forgetting a device's sessions drops only those");
	view_free(&v);
}

/*
 * The table against a plain array, under random adds, updates, removals and
 * device forgets on a small key space, so probe runs collide, wrap around
 * the end of the table and get shifted back often.
 */
#define REF_DEVS	3
#define REF_IDS		3000

static uint64_t ref[REF_DEVS + 1][REF_IDS];	/* held version, 0: absent */
static uint8_t ref_state[REF_DEVS + 1][REF_IDS];

static bool same_as_ref(const struct view *v)
{
	size_t count = 0, states[JUMP_STATE_MAX + 1] = { 0 };
	const struct view_session *s;
	uint32_t d;
	int i;

	for (d = 1; d <= REF_DEVS; d++)
		for (i = 0; i < REF_IDS; i++) {
			s = view_find(v, d, i);
			if (ref[d][i] ? !s || s->version != ref[d][i] ||
					s->state != ref_state[d][i] : s != NULL)
				return false;
			count += ref[d][i] != 0;
			if (ref[d][i])
				states[ref_state[d][i]]++;
		}
	/* The per-state counts are what STATUS= shows: kept, never recounted. */
	return count == v->count && !memcmp(states, v->states, sizeof(states));
}

static void random_op(struct view *v, unsigned int r)
{
	uint32_t d = 1 + r % REF_DEVS;
	uint64_t id = (r >> 2) % REF_IDS, version = ref[d][id] + 1;

	if (r % 5000 == 0) {
		view_forget_sessions(v, d);
		memset(ref[d], 0, sizeof(ref[d]));
	} else if ((r >> 20) % 3 == 0) {
		put(v, d, id, version, JUMP_STATE_TERMINATED);
		ref[d][id] = 0;
	} else {
		/* Any live state, so updates move sessions between the counts. */
		uint8_t state = (r >> 8) % JUMP_STATE_TERMINATED;

		put(v, d, id, version, state);
		ref[d][id] = version;
		ref_state[d][id] = state;
	}
}

static void test_random(void)
{
	struct view v;
	bool ok = true;
	int i;

	srand(1);
	view_init(&v);
	for (i = 0; i < 300000 && ok; i++) {
		random_op(&v, (unsigned int)rand());
		if (i % 10000 == 0)
			ok = same_as_ref(&v);
	}
	tap_ok(ok && same_as_ref(&v),
	       "300,000 random changes leave the view (and its per-state counts) equal to a plain reference");
	view_free(&v);
}

static void test_free(void)
{
	struct view v;
	uint64_t i;

	view_init(&v);
	for (i = 1; i <= 5000; i++)
		put(&v, 1, i, 1, JUMP_STATE_BIRTH);
	view_dev_add(&v, 1, "jump0", true);
	view_free(&v);
	tap_ok(!v.slots && !v.devs && v.count == 0 && v.ndevs == 0,
	       "free without leaks: everything released (LeakSanitizer checks at exit)");
	tap_ok(put(&v, 1, 1, 1, JUMP_STATE_BIRTH) == VIEW_ADDED && view_find(&v, 1, 1),
	       "a freed view is empty and usable again");
	view_free(&v);
	view_free(&v);
	tap_ok(v.count == 0, "freeing twice is harmless");
}

int main(void)
{
	test_upsert_lookup();
	test_stale();
	test_terminated();
	test_seq();
	test_devices();
	test_scale();
	test_random();
	test_free();
	return tap_done();
}
