// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness timers. The timer of a bound session fires at the earliest of
 * "keepalive due" and "silence threshold reached", decides under the
 * session lock, and arms itself again; a session without a binding, or a
 * terminated one, lets it lapse.
 */
#include <linux/jiffies.h>

#include "data.h"
#include "session.h"
#include "timers.h"

static void liveness_expired(struct timer_list *t);

/*
 * Only a session that can carry traffic can fall silent: one with a
 * binding and a transmit key. Caller holds the session lock.
 */
static bool watched(const struct jump_session *s)
{
	return s->state != JUMP_STATE_TERMINATED &&
	       rcu_access_pointer(s->binding) &&
	       rcu_access_pointer(s->keys[JUMP_KEY_SLOT_PRIMARY]);
}

void jump_timers_init(struct jump_session *s)
{
	timer_setup(&s->liveness, liveness_expired, 0);
}

static unsigned long after_ms(unsigned long since, u32 ms)
{
	return since + msecs_to_jiffies(ms);
}

/* The next moment something may be due; caller holds the lock. */
static unsigned long next_deadline(const struct jump_session *s)
{
	unsigned long last_rx = READ_ONCE(s->last_rx);
	unsigned long next = after_ms(READ_ONCE(s->last_tx), s->keepalive_ms);

	if (s->state == JUMP_STATE_ATTACHED &&
	    time_before(after_ms(last_rx, s->volatile_ms), next))
		next = after_ms(last_rx, s->volatile_ms);
	if (s->state == JUMP_STATE_VOLATILE &&
	    time_before(after_ms(last_rx, s->degraded_ms), next))
		next = after_ms(last_rx, s->degraded_ms);
	if (time_before_eq(next, jiffies))
		next = jiffies + 1;
	return next;
}

static bool silent_for(const struct jump_session *s, u32 ms)
{
	return time_after_eq(jiffies, after_ms(READ_ONCE(s->last_rx), ms));
}

static void liveness_expired(struct timer_list *t)
{
	struct jump_session *s = from_timer(s, t, liveness);
	bool keepalive;

	spin_lock(&s->lock);
	if (!watched(s)) {
		spin_unlock(&s->lock);
		return;
	}
	if (s->state == JUMP_STATE_ATTACHED && silent_for(s, s->volatile_ms))
		jump_session_kernel_change(s, JUMP_STATE_VOLATILE,
					   JUMP_REASON_RX_SILENCE);
	if (s->state == JUMP_STATE_VOLATILE && silent_for(s, s->degraded_ms))
		jump_session_kernel_change(s, JUMP_STATE_DEGRADED,
					   JUMP_REASON_RX_SILENCE);
	keepalive = time_after_eq(jiffies, after_ms(READ_ONCE(s->last_tx),
						    s->keepalive_ms));
	if (keepalive)
		WRITE_ONCE(s->last_tx, jiffies);
	mod_timer(&s->liveness, next_deadline(s));
	spin_unlock(&s->lock);

	if (keepalive) {
		rcu_read_lock_bh();
		jump_send_keepalive(s);
		rcu_read_unlock_bh();
	}
}

void jump_timers_start(struct jump_session *s)
{
	if (!watched(s))
		return;
	/* A new binding or key starts a clean slate: silence counts from now. */
	WRITE_ONCE(s->last_rx, jiffies);
	WRITE_ONCE(s->last_tx, jiffies);
	mod_timer(&s->liveness, next_deadline(s));
}

void jump_timers_kick(struct jump_session *s)
{
	if (watched(s))
		mod_timer(&s->liveness, jiffies);
}

void jump_timers_stop(struct jump_session *s)
{
	del_timer_sync(&s->liveness);
}

void jump_timers_sent(struct jump_session *s)
{
	if (READ_ONCE(s->last_tx) != jiffies)
		WRITE_ONCE(s->last_tx, jiffies);
}

void jump_timers_received(struct jump_session *s)
{
	u8 state;

	if (READ_ONCE(s->last_rx) != jiffies)
		WRITE_ONCE(s->last_rx, jiffies);
	state = READ_ONCE(s->state);
	if (likely(state != JUMP_STATE_VOLATILE && state != JUMP_STATE_DEGRADED))
		return;
	spin_lock(&s->lock);
	jump_session_kernel_change(s, JUMP_STATE_ATTACHED, JUMP_REASON_RX_RESUMED);
	spin_unlock(&s->lock);
}
