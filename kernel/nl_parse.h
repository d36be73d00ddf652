/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NL_PARSE_H
#define _JUMP_NL_PARSE_H

#include <net/genetlink.h>

struct jump_binding;
struct jump_device;
struct jump_session;
struct jump_endpoint;
struct jump_prefix_set;

/*
 * Whether @attr is in the request; if not, extack says @msg and names the
 * attribute. @msg must be a literal or otherwise static.
 */
bool jump_nl_require(struct genl_info *info, int attr, const char *msg);

/*
 * The jump device JUMP_A_IFINDEX or JUMP_A_IFNAME names in @net, with a
 * reference held (release with dev_put()), or an ERR_PTR.
 */
struct jump_device *jump_nl_lookup_device(struct net *net,
					  struct nlattr **attrs,
					  struct netlink_ext_ack *extack);
/* The same for a doit request. */
struct jump_device *jump_nl_info_device(struct genl_info *info);
/*
 * The session JUMP_A_SESSION_ID names (required by the caller), or NULL
 * with "no such session" in the extack. Caller holds jd->table_lock.
 */
struct jump_session *jump_nl_info_session(struct jump_device *jd,
					  struct genl_info *info);

/*
 * A JUMP_A_BINDING nest, holding a reference to the socket it names or
 * finds. The caller holds jd->table_lock.
 */
struct jump_binding *jump_nl_parse_binding(struct jump_device *jd,
					   struct nlattr *attr,
					   struct netlink_ext_ack *extack);
/* A JUMP_A_STANDBY nest: a binding without an epoch. */
struct jump_binding *jump_nl_parse_standby(struct jump_device *jd,
					   struct nlattr *attr,
					   struct netlink_ext_ack *extack);
/* A JUMP_A_PREFIXES nest; kfree() the set. */
struct jump_prefix_set *jump_nl_parse_prefixes(struct nlattr *attr,
					       struct netlink_ext_ack *extack);
/* The local address and port alone of a JUMP_A_BINDING nest (SOCKET_GET). */
int jump_nl_parse_local(struct nlattr *attr, struct jump_endpoint *local,
			struct netlink_ext_ack *extack);

#endif /* _JUMP_NL_PARSE_H */
