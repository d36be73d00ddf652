/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NETLINK_H
#define _JUMP_NETLINK_H

#include <net/genetlink.h>

/* event.c multicasts sessions with the builders the replies use. */
#include "nl_msg.h"

extern struct genl_family jump_genl_family;

int jump_netlink_init(void);
void jump_netlink_uninit(void);

#endif /* _JUMP_NETLINK_H */
