// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The legal transitions of DESIGN.md's session model. Deterministic by
 * construction: the verdict depends on (from, to, reason, origin) only.
 */
#include "jump_fsm.h"

#define S(x)	(1U << JUMP_STATE_##x)
#define R(x)	(1U << JUMP_REASON_##x)
#define ANY_LIVE (S(BIRTH) | S(ATTACHED) | S(VOLATILE) | S(DEGRADED) | S(RECOVERING))
#define BOUND	(S(ATTACHED) | S(VOLATILE) | S(DEGRADED) | S(RECOVERING))
/* A rule's "to" that means "stays in the state it is in". */
#define SAME	(~0U)
#define KERNEL	JUMP_ORIGIN_KERNEL
#define USER	JUMP_ORIGIN_USER

struct jump_fsm_rule {
	unsigned int from_mask;
	unsigned int to;
	unsigned int reasons;
	unsigned int origins;
};

static const struct jump_fsm_rule jump_fsm_rules[] = {
	{ S(BIRTH), JUMP_STATE_ATTACHED, R(HANDSHAKE_COMPLETE), USER },
	{ S(BIRTH), JUMP_STATE_TERMINATED, R(BIRTH_TIMEOUT) | R(AUTH_FAILED), USER },
	{ S(BIRTH), JUMP_STATE_RECOVERING, R(FAILOVER), USER },
	{ S(ATTACHED), JUMP_STATE_VOLATILE, R(RX_SILENCE), KERNEL },
	{ S(ATTACHED), JUMP_STATE_VOLATILE, R(LINK_DOWN) | R(ROUTE_CHANGE), USER },
	{ S(VOLATILE) | S(DEGRADED), JUMP_STATE_ATTACHED, R(RX_RESUMED), KERNEL },
	{ S(VOLATILE), JUMP_STATE_DEGRADED, R(RX_SILENCE), KERNEL },
	{ S(ATTACHED) | S(VOLATILE) | S(DEGRADED), JUMP_STATE_RECOVERING,
	  R(TRANSPORT_DEAD) | R(PLANNED_SWITCH) | R(ADMIN_REATTACH) |
	  R(REATTACH_REQUESTED), USER },
	{ S(RECOVERING), JUMP_STATE_ATTACHED, R(REATTACH_COMPLETE), USER },
	{ ANY_LIVE, JUMP_STATE_TERMINATED,
	  R(RECOVERY_WINDOW_EXCEEDED) | R(SWITCH_RATE_EXCEEDED) |
	  R(ADMIN_TERMINATE) | R(PEER_TERMINATE) | R(OWNERSHIP_LOST), USER },
	{ ANY_LIVE, JUMP_STATE_TERMINATED, R(KEY_EXPIRED), USER | KERNEL },
	{ ANY_LIVE, JUMP_STATE_TERMINATED, R(DEVICE_DELETED), KERNEL },
	{ BOUND, SAME, R(STANDBY_READY) | R(STANDBY_CLEARED), USER },
	{ BOUND, JUMP_STATE_ATTACHED, R(STANDBY_PROMOTED), USER },
};

const char *jump_fsm_check(unsigned int from, unsigned int to,
			   unsigned int reason, unsigned int origin)
{
	bool pair_legal = false, reason_legal = false;
	unsigned int i;

	if (from > JUMP_STATE_MAX || to > JUMP_STATE_MAX)
		return "unknown state";
	if (reason > JUMP_REASON_MAX)
		return "unknown reason";
	if (from == JUMP_STATE_TERMINATED)
		return "session is terminated";

	for (i = 0; i < sizeof(jump_fsm_rules) / sizeof(jump_fsm_rules[0]); i++) {
		const struct jump_fsm_rule *rule = &jump_fsm_rules[i];
		unsigned int rule_to = rule->to == SAME ? from : rule->to;

		if (rule_to != to || !(rule->from_mask & (1U << from)))
			continue;
		pair_legal = true;
		if (!(rule->reasons & (1U << reason)))
			continue;
		reason_legal = true;
		if (rule->origins & origin)
			return NULL;
	}
	/* Only a standby change (or promotion) keeps the state. */
	if (from == to && !reason_legal)
		return "session is already in that state";
	if (!pair_legal)
		return "illegal state transition";
	if (!reason_legal)
		return "reason code not valid for this transition";
	return "only the kernel may make this transition with this reason";
}

bool jump_fsm_standby(unsigned int reason)
{
	return reason == JUMP_REASON_STANDBY_READY ||
	       reason == JUMP_REASON_STANDBY_CLEARED ||
	       reason == JUMP_REASON_STANDBY_PROMOTED;
}

bool jump_fsm_binds(unsigned int from, unsigned int to)
{
	return to == JUMP_STATE_ATTACHED &&
	       (from == JUMP_STATE_BIRTH || from == JUMP_STATE_RECOVERING);
}
