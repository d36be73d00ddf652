// SPDX-License-Identifier: GPL-2.0
/*
 * The "jump" generic netlink family: the only way in for jumpd and jumpctl.
 * Documentation/netlink.rst is the reference for every command.
 *
 * This file is the family's entry points: its attribute policies, the ops
 * table with each command's flags, and registration. The rest keeps to
 * one concern a file, as drivers/net/wireguard and drivers/net/ovpn do:
 * nl_parse.c reads requests, nl_msg.c builds messages (events too),
 * nl_session.c, nl_key.c and nl_dev.c handle their commands.
 */
#include <linux/if.h>
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "netlink.h"
#include "nl_dev.h"
#include "nl_key.h"
#include "nl_session.h"

const struct nla_policy jump_binding_policy[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_LOCAL_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_REMOTE_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_REMOTE_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_REMOTE_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_EPOCH] = NLA_POLICY_MIN(NLA_U32, 1),
	[JUMP_BIND_A_SOCKET_FD] = { .type = NLA_U32 },
	[JUMP_BIND_A_LOCAL_INDEX] = { .type = NLA_U32 },	/* > JUMP_MAX_SESSIONS */
	[JUMP_BIND_A_REMOTE_INDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[JUMP_BIND_A_TX_MASK] = NLA_POLICY_EXACT_LEN(JUMP_HEADER_MASK_LEN),
	[JUMP_BIND_A_RX_MASK] = NLA_POLICY_EXACT_LEN(JUMP_HEADER_MASK_LEN),
};

const struct nla_policy jump_prefix_policy[JUMP_PREFIX_A_MAX + 1] = {
	[JUMP_PREFIX_A_IPV4] = { .type = NLA_BE32 },
	[JUMP_PREFIX_A_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy jump_key_policy[JUMP_KEY_A_MAX + 1] = {
	[JUMP_KEY_A_SLOT] = NLA_POLICY_MAX(NLA_U8, JUMP_KEY_SLOT_MAX),
	[JUMP_KEY_A_ID] = { .type = NLA_U8 },
	[JUMP_KEY_A_TX] = NLA_POLICY_EXACT_LEN(JUMP_KEY_LEN),
	[JUMP_KEY_A_RX] = NLA_POLICY_EXACT_LEN(JUMP_KEY_LEN),
	[JUMP_KEY_A_TX_COUNTER] = { .type = NLA_U64 },
};

/* The upper bound and the order are checked together, in session.c. */
#define LIVENESS_RANGE NLA_POLICY_MIN(NLA_U32, JUMP_MIN_LIVENESS_MS)

/* Attributes that only the kernel sends are left out: strict validation
 * rejects them in a request.
 */
static const struct nla_policy jump_policy[JUMP_A_MAX + 1] = {
	[JUMP_A_IFINDEX] = { .type = NLA_U32 },
	[JUMP_A_IFNAME] = { .type = NLA_STRING, .len = IFNAMSIZ - 1 },
	[JUMP_A_SESSION_ID] = { .type = NLA_U64 },
	[JUMP_A_ROLE] = NLA_POLICY_MAX(NLA_U8, JUMP_ROLE_MAX),
	[JUMP_A_PEER_PUBKEY] = NLA_POLICY_EXACT_LEN(JUMP_PUBKEY_LEN),
	[JUMP_A_STATE] = NLA_POLICY_MAX(NLA_U8, JUMP_STATE_MAX),
	[JUMP_A_VERSION] = { .type = NLA_U64 },
	[JUMP_A_REASON] = NLA_POLICY_MAX(NLA_U16, JUMP_REASON_MAX),
	[JUMP_A_BINDING] = NLA_POLICY_NESTED(jump_binding_policy),
	[JUMP_A_STANDBY] = NLA_POLICY_NESTED(jump_binding_policy),
	[JUMP_A_LOCAL_INDEX] = { .type = NLA_U32 },
	[JUMP_A_REMOTE_INDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[JUMP_A_PREFIXES] = NLA_POLICY_NESTED_ARRAY(jump_prefix_policy),
	[JUMP_A_KEEPALIVE_MS] = LIVENESS_RANGE,
	[JUMP_A_VOLATILE_MS] = LIVENESS_RANGE,
	[JUMP_A_DEGRADED_MS] = LIVENESS_RANGE,
	[JUMP_A_KEY] = NLA_POLICY_NESTED(jump_key_policy),
	/* In a SESSION_GET dump request, empty: each session with its stats. */
	[JUMP_A_STATS] = { .type = NLA_NESTED },
};

static const struct genl_small_ops jump_nl_ops[] = {
	{
		.cmd = JUMP_CMD_DEV_GET,
		.doit = jump_nl_dev_get,
		.dumpit = jump_nl_dev_dump,
		/* Event sequence and drop counts tell when sessions move. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_NEW,
		.doit = jump_nl_session_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_SET,
		.doit = jump_nl_session_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_DEL,
		.doit = jump_nl_session_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_KEY_NEW,
		.doit = jump_nl_key_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_KEY_SWAP,
		.doit = jump_nl_key_swap,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_KEY_DEL,
		.doit = jump_nl_key_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SOCKET_GET,
		.doit = jump_nl_socket_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Ops that need more than genl_small_ops holds: a dump's start. */
static const struct genl_ops jump_nl_full_ops[] = {
	{
		.cmd = JUMP_CMD_SESSION_GET,
		.doit = jump_nl_session_get,
		.start = jump_nl_session_dump_start,
		.dumpit = jump_nl_session_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group jump_nl_mcgrps[] = {
	{ .name = JUMP_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family jump_genl_family __ro_after_init = {
	.name = JUMP_GENL_NAME,
	.version = JUMP_GENL_VERSION,
	.maxattr = JUMP_A_MAX,
	.policy = jump_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = jump_nl_full_ops,
	.n_ops = ARRAY_SIZE(jump_nl_full_ops),
	.small_ops = jump_nl_ops,
	.n_small_ops = ARRAY_SIZE(jump_nl_ops),
	.mcgrps = jump_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(jump_nl_mcgrps),
};

int __init jump_netlink_init(void)
{
	return genl_register_family(&jump_genl_family);
}

void jump_netlink_uninit(void)
{
	genl_unregister_family(&jump_genl_family);
}
