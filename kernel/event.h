/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_EVENT_H
#define _JUMP_EVENT_H

#include <linux/types.h>

struct jump_endpoint;
struct jump_session;

/*
 * Multicast events. Called with the session lock held, so every event of a
 * session leaves in version order; the sequence number is per device.
 */
void jump_event_created(struct jump_session *s);
void jump_event_transition(struct jump_session *s, u8 from);

/*
 * Data path reports, unsequenced (losing one needs no resync). Any context;
 * unbound_source is rate limited per session.
 */
void jump_event_unbound_source(struct jump_session *s,
			       const struct jump_endpoint *src);
void jump_event_key_expiring(struct jump_session *s, u8 key_id);

#endif /* _JUMP_EVENT_H */
