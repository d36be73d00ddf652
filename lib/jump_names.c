// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "jump_names.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Sized by the uapi enums: a value added there without a name here is NULL
 * and fails the names unit test. */
static const char *const state_names[__JUMP_STATE_MAX] = {
	[JUMP_STATE_BIRTH] = "birth",
	[JUMP_STATE_ATTACHED] = "attached",
	[JUMP_STATE_VOLATILE] = "volatile",
	[JUMP_STATE_DEGRADED] = "degraded",
	[JUMP_STATE_RECOVERING] = "recovering",
	[JUMP_STATE_TERMINATED] = "terminated",
};

static const char *const role_names[__JUMP_ROLE_MAX] = {
	[JUMP_ROLE_CLIENT] = "client",
	[JUMP_ROLE_SERVER] = "server",
};

static const char *const reason_names[__JUMP_REASON_MAX] = {
	[JUMP_REASON_NONE] = "none",
	[JUMP_REASON_SESSION_CREATED] = "session_created",
	[JUMP_REASON_HANDSHAKE_COMPLETE] = "handshake_complete",
	[JUMP_REASON_BIRTH_TIMEOUT] = "birth_timeout",
	[JUMP_REASON_AUTH_FAILED] = "auth_failed",
	[JUMP_REASON_RX_SILENCE] = "rx_silence",
	[JUMP_REASON_LINK_DOWN] = "link_down",
	[JUMP_REASON_ROUTE_CHANGE] = "route_change",
	[JUMP_REASON_RX_RESUMED] = "rx_resumed",
	[JUMP_REASON_TRANSPORT_DEAD] = "transport_dead",
	[JUMP_REASON_PLANNED_SWITCH] = "planned_switch",
	[JUMP_REASON_ADMIN_REATTACH] = "admin_reattach",
	[JUMP_REASON_REATTACH_REQUESTED] = "reattach_requested",
	[JUMP_REASON_REATTACH_COMPLETE] = "reattach_complete",
	[JUMP_REASON_RECOVERY_WINDOW_EXCEEDED] = "recovery_window_exceeded",
	[JUMP_REASON_SWITCH_RATE_EXCEEDED] = "switch_rate_exceeded",
	[JUMP_REASON_ADMIN_TERMINATE] = "admin_terminate",
	[JUMP_REASON_PEER_TERMINATE] = "peer_terminate",
	[JUMP_REASON_OWNERSHIP_LOST] = "ownership_lost",
	[JUMP_REASON_DEVICE_DELETED] = "device_deleted",
	[JUMP_REASON_KEY_EXPIRED] = "key_expired",
};

static const char *const cmd_names[__JUMP_CMD_MAX] = {
	[JUMP_CMD_UNSPEC] = "unspec",
	[JUMP_CMD_DEV_GET] = "dev_get",
	[JUMP_CMD_SESSION_NEW] = "session_new",
	[JUMP_CMD_SESSION_GET] = "session_get",
	[JUMP_CMD_SESSION_SET] = "session_set",
	[JUMP_CMD_SESSION_DEL] = "session_del",
	[JUMP_CMD_SESSION_EVENT] = "session_event",
	[JUMP_CMD_KEY_NEW] = "key_new",
	[JUMP_CMD_KEY_SWAP] = "key_swap",
	[JUMP_CMD_KEY_DEL] = "key_del",
	[JUMP_CMD_UNBOUND_SOURCE] = "unbound_source",
	[JUMP_CMD_KEY_EXPIRING] = "key_expiring",
};

static const char *const drop_names[__JUMP_DROP_MAX] = {
	[JUMP_DROP_BAD_HEADER] = "bad_header",
	[JUMP_DROP_NO_SESSION] = "no_session",
	[JUMP_DROP_NO_KEY] = "no_key",
	[JUMP_DROP_AUTH] = "auth_failed",
	[JUMP_DROP_REPLAY] = "replay",
	[JUMP_DROP_UNBOUND] = "unbound_source",
	[JUMP_DROP_STALE_EPOCH] = "stale_epoch",
	[JUMP_DROP_SOURCE] = "inner_source",
	[JUMP_DROP_NO_BINDING] = "no_binding",
	[JUMP_DROP_NO_ROUTE] = "no_route",
	[JUMP_DROP_KEY_EXPIRED] = "key_expired",
	[JUMP_DROP_NOMEM] = "nomem",
};

static const char *const key_slot_names[__JUMP_KEY_SLOT_MAX] = {
	[JUMP_KEY_SLOT_PRIMARY] = "primary",
	[JUMP_KEY_SLOT_SECONDARY] = "secondary",
};

static const char *const stat_names[__JUMP_STATS_A_MAX] = {
	[JUMP_STATS_A_RX_PACKETS] = "rx_packets",
	[JUMP_STATS_A_RX_BYTES] = "rx_bytes",
	[JUMP_STATS_A_TX_PACKETS] = "tx_packets",
	[JUMP_STATS_A_TX_BYTES] = "tx_bytes",
	[JUMP_STATS_A_TRANSITIONS] = "transitions",
};

static const char *name_of(const char *const *names, unsigned int count,
			   unsigned int value)
{
	return value < count && names[value] ? names[value] : "?";
}

static int parse_name(const char *const *names, unsigned int count,
		      const char *name)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}

const char *jump_state_name(unsigned int state)
{
	return name_of(state_names, ARRAY_LEN(state_names), state);
}

const char *jump_role_name(unsigned int role)
{
	return name_of(role_names, ARRAY_LEN(role_names), role);
}

const char *jump_reason_name(unsigned int reason)
{
	return name_of(reason_names, ARRAY_LEN(reason_names), reason);
}

const char *jump_cmd_name(unsigned int cmd)
{
	return name_of(cmd_names, ARRAY_LEN(cmd_names), cmd);
}

const char *jump_drop_name(unsigned int drop)
{
	return name_of(drop_names, ARRAY_LEN(drop_names), drop);
}

const char *jump_key_slot_name(unsigned int slot)
{
	return name_of(key_slot_names, ARRAY_LEN(key_slot_names), slot);
}

int jump_state_parse(const char *name)
{
	return parse_name(state_names, ARRAY_LEN(state_names), name);
}

int jump_role_parse(const char *name)
{
	return parse_name(role_names, ARRAY_LEN(role_names), name);
}

int jump_reason_parse(const char *name)
{
	return parse_name(reason_names, ARRAY_LEN(reason_names), name);
}

int jump_drop_parse(const char *name)
{
	return parse_name(drop_names, ARRAY_LEN(drop_names), name);
}

int jump_key_slot_parse(const char *name)
{
	return parse_name(key_slot_names, ARRAY_LEN(key_slot_names), name);
}

const char *jump_stat_name(unsigned int stat)
{
	return stat < ARRAY_LEN(stat_names) ? stat_names[stat] : NULL;
}
