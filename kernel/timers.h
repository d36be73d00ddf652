/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_TIMERS_H
#define _JUMP_TIMERS_H

struct jump_session;

/*
 * Liveness: one timer per bound session sends keepalives when nothing else
 * went out for a keepalive interval, and walks ATTACHED -> VOLATILE ->
 * DEGRADED on receive silence (reason rx_silence). The data path only
 * stamps times; it never touches the timer.
 */
void jump_timers_init(struct jump_session *s);
/*
 * Caller holds the session lock: a binding or the first transmit key was
 * just installed. Does nothing until the session has both.
 */
void jump_timers_start(struct jump_session *s);
/* Caller holds the session lock: thresholds changed, look again now. */
void jump_timers_kick(struct jump_session *s);
/* Process context; the session is TERMINATED, so the timer stays off. */
void jump_timers_stop(struct jump_session *s);

void jump_timers_sent(struct jump_session *s);
/* Authenticated data or keepalive on the bound transport. */
void jump_timers_received(struct jump_session *s);
/*
 * An authenticated probe on the bound transport: answer it with a
 * keepalive, at most one a jiffy. Caller holds rcu_read_lock() with BHs
 * off.
 */
void jump_timers_probed(struct jump_session *s);

#endif /* _JUMP_TIMERS_H */
