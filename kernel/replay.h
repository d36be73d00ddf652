/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_REPLAY_H
#define _JUMP_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Sliding-window replay protection over the 64-bit data counter (the
 * RFC 6479 bitmap). The window accepts packets up to JUMP_REPLAY_WINDOW
 * behind the newest one seen, in any order, each once.
 */
#define JUMP_REPLAY_BITS	4096
#define JUMP_REPLAY_WINDOW	(JUMP_REPLAY_BITS - BITS_PER_LONG)

/* No counter at or above this is ever sent or accepted. */
#define JUMP_REJECT_AFTER_MESSAGES	(U64_MAX - JUMP_REPLAY_BITS - 1)

struct jump_replay {
	spinlock_t lock;
	u64 top;	/* newest counter seen, plus one; 0 before the first */
	unsigned long bitmap[JUMP_REPLAY_BITS / BITS_PER_LONG];
};

void jump_replay_init(struct jump_replay *r);
/* Lockless pre-check before the AEAD: false for a certain replay. */
bool jump_replay_fresh(const struct jump_replay *r, u64 counter);
/* After authentication: records @counter; false if it was seen or is too old. */
bool jump_replay_accept(struct jump_replay *r, u64 counter);

#endif /* _JUMP_REPLAY_H */
