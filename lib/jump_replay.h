/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The replay window over the 64-bit data counter (an RFC 6479 bitmap), as
 * pure C: jump.ko wraps it in a lock, the host unit tests drive it directly.
 */
#ifndef JUMP_REPLAY_WINDOW_H
#define JUMP_REPLAY_WINDOW_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif
#include <linux/types.h>

#define JUMP_REPLAY_BITS	4096
#define JUMP_REPLAY_WORD_BITS	64
/* How far behind the newest accepted counter a packet may still arrive. */
#define JUMP_REPLAY_WINDOW	(JUMP_REPLAY_BITS - JUMP_REPLAY_WORD_BITS)

/* No counter at or above this is ever sent or accepted. */
#define JUMP_REJECT_AFTER_MESSAGES	(~0ULL - JUMP_REPLAY_BITS - 1)

struct jump_replay_window {
	__u64 top;	/* newest counter accepted, plus one; 0 before the first */
	__u64 bitmap[JUMP_REPLAY_BITS / JUMP_REPLAY_WORD_BITS];
};

void jump_replay_window_init(struct jump_replay_window *w);
/* False for a counter certainly seen before or too old; changes nothing. */
bool jump_replay_window_check(const struct jump_replay_window *w, __u64 counter);
/* Records @counter; false if it was seen before or is too old. */
bool jump_replay_window_update(struct jump_replay_window *w, __u64 counter);

#endif /* JUMP_REPLAY_WINDOW_H */
