/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NL_SESSION_H
#define _JUMP_NL_SESSION_H

#include <net/genetlink.h>

int jump_nl_session_new(struct sk_buff *skb, struct genl_info *info);
int jump_nl_session_get(struct sk_buff *skb, struct genl_info *info);
/* SESSION_GET's dump: .start sizes each skb for the largest session. */
int jump_nl_session_dump_start(struct netlink_callback *cb);
int jump_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb);
int jump_nl_session_set(struct sk_buff *skb, struct genl_info *info);
int jump_nl_session_del(struct sk_buff *skb, struct genl_info *info);

#endif /* _JUMP_NL_SESSION_H */
