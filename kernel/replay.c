// SPDX-License-Identifier: GPL-2.0
/*
 * Replay window. Bit n of the ring records counter n - 1 (so top == 0 means
 * nothing seen yet); moving the top forward clears the words it skips, so
 * the ring never needs shifting.
 */
#include <linux/bitops.h>
#include <linux/string.h>

#include "replay.h"

#define WORDS		(JUMP_REPLAY_BITS / BITS_PER_LONG)

void jump_replay_init(struct jump_replay *r)
{
	spin_lock_init(&r->lock);
	r->top = 0;
	memset(r->bitmap, 0, sizeof(r->bitmap));
}

static unsigned long *word_of(unsigned long *bitmap, u64 n)
{
	return &bitmap[(n / BITS_PER_LONG) % WORDS];
}

bool jump_replay_fresh(const struct jump_replay *r, u64 counter)
{
	u64 n = counter + 1, top = READ_ONCE(r->top);

	if (counter >= JUMP_REJECT_AFTER_MESSAGES)
		return false;
	if (n > top)
		return true;
	if (n + JUMP_REPLAY_WINDOW < top)
		return false;
	return !test_bit(n % BITS_PER_LONG,
			 word_of((unsigned long *)r->bitmap, n));
}

bool jump_replay_accept(struct jump_replay *r, u64 counter)
{
	u64 n = counter + 1, cur, next;
	bool fresh = false;
	u64 skipped;

	if (counter >= JUMP_REJECT_AFTER_MESSAGES)
		return false;
	spin_lock_bh(&r->lock);
	if (n > r->top) {
		cur = r->top / BITS_PER_LONG;
		next = n / BITS_PER_LONG;
		for (skipped = 1; skipped <= min_t(u64, next - cur, WORDS); skipped++)
			r->bitmap[(cur + skipped) % WORDS] = 0;
		WRITE_ONCE(r->top, n);
	} else if (n + JUMP_REPLAY_WINDOW < r->top) {
		goto out;
	}
	fresh = !__test_and_set_bit(n % BITS_PER_LONG, word_of(r->bitmap, n));
out:
	spin_unlock_bh(&r->lock);
	return fresh;
}
