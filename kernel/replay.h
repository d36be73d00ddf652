/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_REPLAY_H
#define _JUMP_REPLAY_H

#include <linux/spinlock.h>

#include "jump_replay.h"

/* A receive key's replay window (lib/jump_replay.c) and its lock. */
struct jump_replay {
	spinlock_t lock;
	struct jump_replay_window window;
};

void jump_replay_init(struct jump_replay *r);
/* Lockless pre-check before the AEAD: false for a certain replay. */
bool jump_replay_fresh(struct jump_replay *r, u64 counter);
/* After authentication: records @counter; false if it was seen or is too old. */
bool jump_replay_accept(struct jump_replay *r, u64 counter);

#endif /* _JUMP_REPLAY_H */
