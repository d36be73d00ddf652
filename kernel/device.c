// SPDX-License-Identifier: GPL-2.0
/*
 * The jump netdevice: one per VPN interface, holding that interface's
 * session table. Created with "ip link add NAME type jump".
 */
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "session.h"

/*
 * The encrypted transport arrives with the data path; until a packet can be
 * sent on a session's binding it is dropped and counted, never leaked
 * unencrypted.
 */
static netdev_tx_t jump_xmit(struct sk_buff *skb, struct net_device *dev)
{
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int jump_dev_init(struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);

	jd->dev = dev;
	mutex_init(&jd->table_lock);
	spin_lock_init(&jd->event_lock);
	return jump_sessions_init(jd);
}

/* Deletion, netns teardown and module unload all come through here. */
static void jump_dev_uninit(struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);

	mutex_lock(&jd->table_lock);
	jd->dead = true;
	jump_session_terminate_all(jd, JUMP_REASON_DEVICE_DELETED);
	mutex_unlock(&jd->table_lock);
}

/* Runs once the last reference is gone: no netlink request holds jd. */
static void jump_dev_destruct(struct net_device *dev)
{
	jump_sessions_destroy(netdev_priv(dev));
}

static const struct net_device_ops jump_netdev_ops = {
	.ndo_init = jump_dev_init,
	.ndo_uninit = jump_dev_uninit,
	.ndo_start_xmit = jump_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void jump_setup(struct net_device *dev)
{
	dev->netdev_ops = &jump_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* Sessions and their sockets belong to the netns the device lives in. */
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = JUMP_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->needs_free_netdev = true;
	dev->priv_destructor = jump_dev_destruct;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

struct rtnl_link_ops jump_link_ops __read_mostly = {
	.kind = JUMP_LINK_KIND,
	.priv_size = sizeof(struct jump_device),
	.setup = jump_setup,
};
