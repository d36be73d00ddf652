/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NETLINK_H
#define _JUMP_NETLINK_H

#include <net/genetlink.h>
#include <linux/jump.h>

/* event.c multicasts sessions with the builders the replies use. */
#include "nl_msg.h"

extern struct genl_family jump_genl_family;

/* The nests' policies, for the parsers of nl_parse.c and nl_key.c. */
extern const struct nla_policy jump_binding_policy[JUMP_BIND_A_MAX + 1];
extern const struct nla_policy jump_prefix_policy[JUMP_PREFIX_A_MAX + 1];
extern const struct nla_policy jump_key_policy[JUMP_KEY_A_MAX + 1];

int jump_netlink_init(void);
void jump_netlink_uninit(void);

#endif /* _JUMP_NETLINK_H */
