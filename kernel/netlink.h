/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NETLINK_H
#define _JUMP_NETLINK_H

#include <net/genetlink.h>

struct jump_device;
struct jump_session;

extern struct genl_family jump_genl_family;

/* Fills the attributes of a session; the caller holds its lock. */
int jump_nl_put_session(struct sk_buff *skb, const struct jump_session *s);
/* Upper bound of a session message's payload. */
size_t jump_nl_session_size(void);

int jump_netlink_init(void);
void jump_netlink_uninit(void);

#endif /* _JUMP_NETLINK_H */
