/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NETLINK_H
#define _JUMP_NETLINK_H

#include <net/genetlink.h>

struct jump_binding;
struct jump_device;
struct jump_endpoint;
struct jump_session;

extern struct genl_family jump_genl_family;

/*
 * Fills the attributes of a session; the caller holds its lock. @detail
 * adds what events leave out: prefixes, keys, liveness times, counters.
 */
int jump_nl_put_session(struct sk_buff *skb, const struct jump_session *s,
			bool detail);
/* Upper bound of a session message's payload. */
size_t jump_nl_session_size(bool detail);

int jump_nl_put_binding(struct sk_buff *skb, const struct jump_binding *b);
/* @local, @remote: either may be NULL; a nest @attr of JUMP_BIND_A_*. */
int jump_nl_put_endpoint(struct sk_buff *skb, int attr,
			 const struct jump_endpoint *local,
			 const struct jump_endpoint *remote);

int jump_netlink_init(void);
void jump_netlink_uninit(void);

#endif /* _JUMP_NETLINK_H */
