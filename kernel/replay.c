// SPDX-License-Identifier: GPL-2.0
/*
 * The receive replay window: lib/jump_replay.c under a lock. The pre-check
 * reads without it: a torn read can only let a replay through to the AEAD
 * and the locked update, which refuses it.
 */
#include "replay.h"

void jump_replay_init(struct jump_replay *r)
{
	spin_lock_init(&r->lock);
	jump_replay_window_init(&r->window);
}

bool jump_replay_fresh(struct jump_replay *r, u64 counter)
{
	return data_race(jump_replay_window_check(&r->window, counter));
}

bool jump_replay_accept(struct jump_replay *r, u64 counter)
{
	bool fresh;

	spin_lock_bh(&r->lock);
	fresh = jump_replay_window_update(&r->window, counter);
	spin_unlock_bh(&r->lock);
	return fresh;
}
