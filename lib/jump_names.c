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
	[JUMP_REASON_STANDBY_READY] = "standby_ready",
	[JUMP_REASON_STANDBY_CLEARED] = "standby_cleared",
	[JUMP_REASON_STANDBY_PROMOTED] = "standby_promoted",
	[JUMP_REASON_FAILOVER] = "failover",
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
	[JUMP_CMD_SOCKET_GET] = "socket_get",
};

static const char *const msg_names[__JUMP_MSG_MAX] = {
	[JUMP_MSG_HANDSHAKE_INIT] = "handshake_init",
	[JUMP_MSG_HANDSHAKE_RESP] = "handshake_resp",
	[JUMP_MSG_COOKIE_REPLY] = "cookie_reply",
	[JUMP_MSG_DATA] = "data",
	[JUMP_MSG_HANDSHAKE_DONE] = "handshake_done",
	[JUMP_MSG_HANDSHAKE_ACK] = "handshake_ack",
	[JUMP_MSG_REATTACH_REQUEST] = "reattach_request",
	[JUMP_MSG_REATTACH_CHALLENGE] = "reattach_challenge",
	[JUMP_MSG_REATTACH_CONFIRM] = "reattach_confirm",
	[JUMP_MSG_REATTACH_ACK] = "reattach_ack",
	[JUMP_MSG_REATTACH_REJECT] = "reattach_reject",
	[JUMP_MSG_REKEY_INIT] = "rekey_init",
	[JUMP_MSG_REKEY_RESP] = "rekey_resp",
	[JUMP_MSG_REKEY_DONE] = "rekey_done",
	[JUMP_MSG_TERMINATE] = "terminate",
	[JUMP_MSG_REBIND_CHALLENGE] = "rebind_challenge",
	[JUMP_MSG_REBIND_CONFIRM] = "rebind_confirm",
	[JUMP_MSG_STANDBY_REQUEST] = "standby_request",
	[JUMP_MSG_STANDBY_ACK] = "standby_ack",
	[JUMP_MSG_STANDBY_KEEPALIVE] = "standby_keepalive",
	[JUMP_MSG_STANDBY_PROMOTE] = "standby_promote",
};

static const char *const reject_names[__JUMP_REJECT_MAX] = {
	[JUMP_REJECT_NONE] = "none",
	[JUMP_REJECT_MALFORMED] = "malformed",
	[JUMP_REJECT_RATE_LIMITED] = "rate_limited",
	[JUMP_REJECT_COOKIE_REQUIRED] = "cookie_required",
	[JUMP_REJECT_BAD_COOKIE] = "bad_cookie",
	[JUMP_REJECT_UNKNOWN_PEER] = "unknown_peer",
	[JUMP_REJECT_AUTH_FAILED] = "auth_failed",
	[JUMP_REJECT_STALE_HANDSHAKE] = "stale_handshake",
	[JUMP_REJECT_UNKNOWN_SESSION] = "unknown_session",
	[JUMP_REJECT_NOT_OWNER] = "not_owner",
	[JUMP_REJECT_SESSION_TERMINATED] = "session_terminated",
	[JUMP_REJECT_STALE_ATTEMPT] = "stale_attempt",
	[JUMP_REJECT_CLOCK_SKEW] = "clock_skew",
	[JUMP_REJECT_SWITCH_RATE] = "switch_rate",
	[JUMP_REJECT_RECOVERY_WINDOW] = "recovery_window",
	[JUMP_REJECT_PATH_VALIDATION] = "path_validation",
	[JUMP_REJECT_CONFLICT] = "conflict",
	[JUMP_REJECT_MAX_SESSIONS] = "max_sessions",
	[JUMP_REJECT_WRONG_PATH] = "wrong_path",
	[JUMP_REJECT_NO_STANDBY] = "no_standby",
};

static const char *const owner_names[__JUMP_OWNER_MAX] = {
	[JUMP_OWNER_NONE] = "none",
	[JUMP_OWNER_CLAIMED] = "claimed",
	[JUMP_OWNER_MOVED] = "moved",
	[JUMP_OWNER_ADOPTED] = "adopted",
	[JUMP_OWNER_RELEASED] = "released",
	[JUMP_OWNER_LEASE_LOST] = "lease_lost",
	[JUMP_OWNER_LEASE_RENEWED] = "lease_renewed",
	[JUMP_OWNER_CAS_LOST] = "cas_lost",
	[JUMP_OWNER_STORE_UNAVAILABLE] = "store_unavailable",
	[JUMP_OWNER_STORE_GARBAGE] = "store_garbage",
	[JUMP_OWNER_NO_QUORUM] = "no_quorum",
	[JUMP_OWNER_FAILOVER] = "failover",
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

const char *jump_msg_name(unsigned int type)
{
	return name_of(msg_names, ARRAY_LEN(msg_names), type);
}

const char *jump_reject_name(unsigned int reject)
{
	return name_of(reject_names, ARRAY_LEN(reject_names), reject);
}

int jump_reject_parse(const char *name)
{
	return parse_name(reject_names, ARRAY_LEN(reject_names), name);
}

const char *jump_owner_reason_name(unsigned int reason)
{
	return name_of(owner_names, ARRAY_LEN(owner_names), reason);
}

int jump_owner_reason_parse(const char *name)
{
	return parse_name(owner_names, ARRAY_LEN(owner_names), name);
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
