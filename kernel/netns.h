/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NETNS_H
#define _JUMP_NETNS_H

struct jump_device;
struct net;

/* Socket releases run here, so that module exit can wait for them. */int jump_netns_init(void);
/* After every device is gone and every socket handed back. */
void jump_netns_uninit(void);

/* Under RTNL, from ndo_init and ndo_uninit: the devices the reaper walks. */
void jump_netns_add_device(struct jump_device *jd);
void jump_netns_del_device(struct jump_device *jd);

/* A socket of @net was lent to a device of @net, or handed back. */
void jump_netns_lent(struct net *net);
void jump_netns_returned(struct net *net);

#endif /* _JUMP_NETNS_H */
