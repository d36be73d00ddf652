/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NL_KEY_H
#define _JUMP_NL_KEY_H

#include <net/genetlink.h>

int jump_nl_key_new(struct sk_buff *skb, struct genl_info *info);
int jump_nl_key_swap(struct sk_buff *skb, struct genl_info *info);
int jump_nl_key_del(struct sk_buff *skb, struct genl_info *info);

#endif /* _JUMP_NL_KEY_H */
