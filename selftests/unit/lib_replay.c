// SPDX-License-Identifier: GPL-2.0
/*
 * The replay window of lib/jump_replay.c against a model: a set of every
 * counter accepted so far and the rule "accept once, unless more than
 * JUMP_REPLAY_WINDOW behind the newest". Randomized orders, bursts, jumps
 * over the whole ring and the limits at the end of the counter space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jump_replay.h"
#include "tap.h"

#define SPAN	20000	/* counters the model tracks, from 0 */

static unsigned char seen[SPAN];
static __u64 newest;
static bool any;

static bool model_accept(__u64 c)
{
	if (seen[c] || (any && c + JUMP_REPLAY_WINDOW < newest))
		return false;
	seen[c] = 1;
	if (!any || c > newest)
		newest = c;
	any = true;
	return true;
}

static void model_reset(void)
{
	memset(seen, 0, sizeof(seen));
	newest = 0;
	any = false;
}

/* Counters wander forward with jitter of up to @jitter back and forth. */
static int random_run(struct jump_replay_window *w, unsigned int seed,
		      int jitter, int steps)
{
	long base = 0, c;
	int i, wrong = 0;
	bool want, pre, got;

	srandom(seed);
	jump_replay_window_init(w);
	model_reset();
	for (i = 0; i < steps; i++) {
		base += random() % 3;
		c = base + (random() % (2 * jitter + 1)) - jitter;
		if (c < 0 || c >= SPAN)
			continue;
		pre = jump_replay_window_check(w, c);
		want = model_accept(c);
		got = jump_replay_window_update(w, c);
		if (got != want || (want && !pre))
			wrong++;
	}
	return wrong;
}

int main(void)
{
	struct jump_replay_window w;
	__u64 c;
	int wrong, i;

	tap_ok(JUMP_REPLAY_WINDOW >= 2048, "the window holds at least 2048 packets (%d)",
	       JUMP_REPLAY_WINDOW);

	jump_replay_window_init(&w);
	tap_ok(jump_replay_window_update(&w, 0) && !jump_replay_window_update(&w, 0),
	       "counter 0 is accepted once");
	tap_ok(jump_replay_window_update(&w, 5) && jump_replay_window_update(&w, 3) &&
	       !jump_replay_window_update(&w, 3) && !jump_replay_window_check(&w, 5),
	       "out of order is accepted once each");
	tap_ok(jump_replay_window_check(&w, 4) && jump_replay_window_check(&w, 4),
	       "the pre-check changes nothing");

	jump_replay_window_init(&w);
	jump_replay_window_update(&w, 10000);
	tap_ok(jump_replay_window_update(&w, 10000 - JUMP_REPLAY_WINDOW) &&
	       !jump_replay_window_check(&w, 10000 - JUMP_REPLAY_WINDOW - 1) &&
	       !jump_replay_window_update(&w, 10000 - JUMP_REPLAY_WINDOW - 1),
	       "exactly JUMP_REPLAY_WINDOW behind is accepted, one more is too old");

	jump_replay_window_init(&w);
	for (c = 0; c < 100; c++)
		jump_replay_window_update(&w, c);
	jump_replay_window_update(&w, 100 + 3 * JUMP_REPLAY_BITS);
	for (wrong = 0, c = 100 + 2 * JUMP_REPLAY_BITS + 100;
	     c < 100 + 3 * JUMP_REPLAY_BITS; c++)
		wrong += !jump_replay_window_check(&w, c);
	tap_ok(wrong == 0, "a jump past the whole ring forgets the old bits (%d stale)", wrong);

	jump_replay_window_init(&w);
	tap_ok(!jump_replay_window_update(&w, JUMP_REJECT_AFTER_MESSAGES) &&
	       !jump_replay_window_check(&w, ~0ULL) &&
	       jump_replay_window_update(&w, JUMP_REJECT_AFTER_MESSAGES - 1),
	       "counters at the end of the space are refused, the last usable accepted");

	for (i = 0, wrong = 0; i < 20; i++)
		wrong += random_run(&w, 1000 + i, 40, 6000);
	tap_ok(wrong == 0, "small reordering agrees with the model (%d wrong)", wrong);
	for (i = 0, wrong = 0; i < 20; i++)
		wrong += random_run(&w, 2000 + i, JUMP_REPLAY_WINDOW + 200, 6000);
	tap_ok(wrong == 0, "reordering beyond the window agrees with the model (%d wrong)",
	       wrong);
	return tap_done();
}
