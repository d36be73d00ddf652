// SPDX-License-Identifier: GPL-2.0
/* jumpd's view of the kernel's sessions: only ever forward, gaps detected. */
#include <stdlib.h>

#include <linux/jump.h>

#include "tap.h"
#include "view.h"

static struct view_session sess(uint32_t ifindex, uint64_t id, uint64_t version,
				uint8_t state)
{
	return (struct view_session){ .ifindex = ifindex, .id = id,
				      .version = version, .state = state };
}

static void test_update(void)
{
	struct view v;
	struct view_session s;

	view_init(&v);
	s = sess(3, 0xabc, 1, JUMP_STATE_BIRTH);
	tap_ok(view_update(&v, &s) == VIEW_APPLIED && v.count == 1, "a new session is added");
	tap_ok(view_find(&v, 3, 0xabc) && !view_find(&v, 4, 0xabc),
	       "lookup is by device and id");
	s = sess(3, 0xabc, 2, JUMP_STATE_ATTACHED);
	tap_ok(view_update(&v, &s) == VIEW_APPLIED &&
	       view_find(&v, 3, 0xabc)->state == JUMP_STATE_ATTACHED,
	       "a newer version replaces the state");
	s = sess(3, 0xabc, 2, JUMP_STATE_VOLATILE);
	tap_ok(view_update(&v, &s) == VIEW_STALE &&
	       view_find(&v, 3, 0xabc)->state == JUMP_STATE_ATTACHED,
	       "an update with the same version is stale and ignored");
	s = sess(3, 0xabc, 1, JUMP_STATE_BIRTH);
	tap_ok(view_update(&v, &s) == VIEW_STALE, "an older version is ignored");
	s = sess(3, 0xabc, 3, JUMP_STATE_TERMINATED);
	tap_ok(view_update(&v, &s) == VIEW_REMOVED && !view_find(&v, 3, 0xabc) &&
	       v.count == 0, "terminated removes the session");
	s = sess(3, 0xdef, 7, JUMP_STATE_TERMINATED);
	tap_ok(view_update(&v, &s) == VIEW_REMOVED && v.count == 0,
	       "terminated for an unknown session adds nothing");
	view_free(&v);
}

static void test_seq(void)
{
	struct view v;

	view_init(&v);
	view_set_seq(&v, 5, 10);
	tap_ok(view_check_seq(&v, 5, 9) == VIEW_SEQ_OLD, "an event before the dump is old");
	tap_ok(view_check_seq(&v, 5, 11) == VIEW_SEQ_NEXT, "the next sequence number is accepted");
	tap_ok(view_check_seq(&v, 5, 13) == VIEW_SEQ_GAP, "a skipped sequence number is a gap");
	tap_ok(view_check_seq(&v, 6, 1) == VIEW_SEQ_NEXT, "a new device starts at 1");
	tap_ok(view_check_seq(&v, 6, 3) == VIEW_SEQ_GAP, "sequences are per device");
	view_free(&v);
}

static void test_scale(void)
{
	const uint64_t n = 100000;
	struct view_session s;
	struct view v;
	uint64_t i, found = 0;

	view_init(&v);
	for (i = 1; i <= n; i++) {
		s = sess(1 + i % 3, i * 0x100000001ULL, 1, JUMP_STATE_BIRTH);
		view_update(&v, &s);
	}
	for (i = 1; i <= n; i++)
		found += view_find(&v, 1 + i % 3, i * 0x100000001ULL) != NULL;
	tap_ok(v.count == n && found == n, "100,000 sessions inserted and found");
	tap_ok(v.nbuckets >= n / 2, "the table grew (%zu buckets)", v.nbuckets);
	tap_ok(view_count_state(&v, JUMP_STATE_BIRTH) == n, "states are counted");
	view_forget_device(&v, 2);
	/* i % 3 == 1 went to device 2: i = 1, 4, ..., 99997, 100000. */
	tap_ok(v.count == n - 33334 && !view_find(&v, 2, 1 * 0x100000001ULL) &&
	       view_find(&v, 3, 2 * 0x100000001ULL),
	       "forgetting a device drops only its sessions");
	view_free(&v);
	tap_ok(v.buckets == NULL && v.count == 0, "free leaves an empty view");
}

int main(void)
{
	test_update();
	test_seq();
	test_scale();
	return tap_done();
}
