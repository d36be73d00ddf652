/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NL_DEV_H
#define _JUMP_NL_DEV_H

#include <net/genetlink.h>

int jump_nl_dev_get(struct sk_buff *skb, struct genl_info *info);
int jump_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb);
int jump_nl_socket_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _JUMP_NL_DEV_H */
