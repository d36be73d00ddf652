// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness timers. The timer of a bound session fires at the earliest of
 * "keepalive due", "probe due" and "silence threshold reached", decides
 * under the session lock, and arms itself again; a session without a
 * binding, or a terminated one, lets it lapse.
 *
 * Probes are why a lossy path stays ATTACHED: a peer's keepalive comes once
 * a keepalive interval, so two or three lost in a row used to be enough
 * for a false rx_silence. Once the silence is longer than a lost keepalive
 * explains, each probe asks for an answer at once, and the threshold is
 * reached only if every one of them (or its answer) was lost too.
 */
#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include "data.h"
#include "session.h"
#include "timers.h"

static void liveness_expired(struct timer_list *t);

static unsigned int liveness_probes = JUMP_DEFAULT_PROBES;
module_param(liveness_probes, uint, 0644);
MODULE_PARM_DESC(liveness_probes,
		 "probes sent before each silence threshold (0: none; at most 64)");

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

/*
 * The silence (ms) from which probes go out and the threshold they come
 * before: in ATTACHED from JUMP_PROBE_AFTER_PCT of the keepalive interval
 * to the volatile threshold, in VOLATILE from there to the degraded one.
 */
static bool probe_window(const struct jump_session *s, u32 *from, u32 *until)
{
	if (s->state == JUMP_STATE_ATTACHED) {
		*from = s->keepalive_ms / 100 * JUMP_PROBE_AFTER_PCT +
			s->keepalive_ms % 100 * JUMP_PROBE_AFTER_PCT / 100;
		*until = s->volatile_ms;
	} else if (s->state == JUMP_STATE_VOLATILE) {
		*from = s->volatile_ms;
		*until = s->degraded_ms;
	} else {
		return false;
	}
	return *from < *until;
}

/* When the next probe is due, if probes are on; caller holds the lock. */
static bool next_probe(const struct jump_session *s, unsigned long *at)
{
	unsigned int probes = min_t(unsigned int, READ_ONCE(liveness_probes),
				    JUMP_MAX_PROBES);
	unsigned long start, gap;
	u32 from, until;

	if (!probes || !probe_window(s, &from, &until))
		return false;
	gap = max(msecs_to_jiffies((until - from) / probes), 1UL);
	start = after_ms(READ_ONCE(s->last_rx), from);
	*at = s->last_probe + gap;
	if (time_before(*at, start))
		*at = start;
	return true;
}

/* The next moment something may be due; caller holds the lock. */
static unsigned long next_deadline(const struct jump_session *s)
{
	unsigned long last_rx = READ_ONCE(s->last_rx);
	unsigned long next = after_ms(READ_ONCE(s->last_tx), s->keepalive_ms);
	unsigned long probe;

	if (s->state == JUMP_STATE_ATTACHED &&
	    time_before(after_ms(last_rx, s->volatile_ms), next))
		next = after_ms(last_rx, s->volatile_ms);
	if (s->state == JUMP_STATE_VOLATILE &&
	    time_before(after_ms(last_rx, s->degraded_ms), next))
		next = after_ms(last_rx, s->degraded_ms);
	if (next_probe(s, &probe) && time_before(probe, next))
		next = probe;
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
	bool keepalive, probe;
	unsigned long at;

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
	/*
	 * A probe also does a keepalive's work; in DEGRADED every keepalive
	 * is a probe, so that the path's return is seen within an interval.
	 */
	probe = next_probe(s, &at) && time_after_eq(jiffies, at);
	keepalive = !probe && time_after_eq(jiffies, after_ms(READ_ONCE(s->last_tx),
							      s->keepalive_ms));
	if (keepalive && s->state == JUMP_STATE_DEGRADED &&
	    READ_ONCE(liveness_probes)) {
		probe = true;
		keepalive = false;
	}
	if (probe)
		s->last_probe = jiffies;
	if (probe || keepalive)
		WRITE_ONCE(s->last_tx, jiffies);
	mod_timer(&s->liveness, next_deadline(s));
	spin_unlock(&s->lock);

	if (!probe && !keepalive)
		return;
	rcu_read_lock_bh();
	if (probe)
		jump_send_probe(s);
	else
		jump_send_keepalive(s);
	rcu_read_unlock_bh();
}

void jump_timers_start(struct jump_session *s)
{
	if (!watched(s))
		return;
	/* A new binding or key starts a clean slate: silence counts from now. */
	WRITE_ONCE(s->last_rx, jiffies);
	WRITE_ONCE(s->last_tx, jiffies);
	s->last_probe = jiffies;
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

void jump_timers_probed(struct jump_session *s)
{
	unsigned long now = jiffies;

	/* A peer cannot make us send more than one answer a jiffy. */
	if (READ_ONCE(s->probe_answered_at) == now)
		return;
	WRITE_ONCE(s->probe_answered_at, now);
	jump_send_keepalive(s);
}
