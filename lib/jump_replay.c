// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Bit n of the ring records counter n - 1. Moving the top forward clears
 * the words it passes over, so the ring never shifts; the word holding the
 * top is never full, which is why the window is one word short of the ring.
 */
#include "jump_replay.h"

#define WORDS	(JUMP_REPLAY_BITS / JUMP_REPLAY_WORD_BITS)

void jump_replay_window_init(struct jump_replay_window *w)
{
	unsigned int i;

	w->top = 0;
	for (i = 0; i < WORDS; i++)
		w->bitmap[i] = 0;
}

static __u64 mask_of(__u64 n)
{
	return 1ULL << (n % JUMP_REPLAY_WORD_BITS);
}

static unsigned int word_of(__u64 n)
{
	return (n / JUMP_REPLAY_WORD_BITS) % WORDS;
}

bool jump_replay_window_check(const struct jump_replay_window *w, __u64 counter)
{
	__u64 n = counter + 1;

	if (counter >= JUMP_REJECT_AFTER_MESSAGES)
		return false;
	if (n > w->top)
		return true;
	if (n + JUMP_REPLAY_WINDOW < w->top)
		return false;
	return !(w->bitmap[word_of(n)] & mask_of(n));
}

bool jump_replay_window_update(struct jump_replay_window *w, __u64 counter)
{
	__u64 n = counter + 1, cur, next, skip;

	if (counter >= JUMP_REJECT_AFTER_MESSAGES)
		return false;
	if (n > w->top) {
		cur = w->top / JUMP_REPLAY_WORD_BITS;
		next = n / JUMP_REPLAY_WORD_BITS;
		for (skip = 1; skip <= next - cur && skip <= WORDS; skip++)
			w->bitmap[(cur + skip) % WORDS] = 0;
		w->top = n;
	} else if (n + JUMP_REPLAY_WINDOW < w->top) {
		return false;
	}
	if (w->bitmap[word_of(n)] & mask_of(n))
		return false;
	w->bitmap[word_of(n)] |= mask_of(n);
	return true;
}
