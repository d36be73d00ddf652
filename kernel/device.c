// SPDX-License-Identifier: GPL-2.0
/*
 * The jump netdevice: one per VPN interface, holding that interface's
 * session table. Created with "ip link add NAME type jump".
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "data.h"
#include "device.h"
#include "netns.h"
#include "prefix.h"
#include "session.h"

/* A router's answer to a destination no session owns. */
static void answer_unreachable(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	else if (skb->protocol == htons(ETH_P_IPV6))
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
}

/* Called under rcu_read_lock_bh() by the core. */
static netdev_tx_t jump_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);
	struct jump_session *s;

	s = jump_prefix_lookup_skb(&jd->prefixes, skb, false);
	if (unlikely(!s)) {
		jump_count_drop(jd->drops, NULL, false, JUMP_DROP_NO_ROUTE);
		answer_unreachable(skb);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	jump_send(s, skb);
	return NETDEV_TX_OK;
}

void jump_device_drops(struct jump_device *jd, u64 drops[__JUMP_DROP_MAX])
{
	const struct jump_dev_drops *d;
	int cpu, why;

	memset(drops, 0, sizeof(u64) * __JUMP_DROP_MAX);
	for_each_possible_cpu(cpu) {
		d = per_cpu_ptr(jd->drops, cpu);
		for (why = 0; why < __JUMP_DROP_MAX; why++)
			drops[why] += READ_ONCE(d->rx[why]) + READ_ONCE(d->tx[why]);
	}
}

/* ip -s link: the drop reasons fold into the standard counters. */
static void jump_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats)
{
	struct jump_device *jd = netdev_priv(dev);
	const struct jump_dev_drops *d;
	int cpu, why;
	u64 n;

	dev_get_tstats64(dev, stats);
	for_each_possible_cpu(cpu) {
		d = per_cpu_ptr(jd->drops, cpu);
		for (why = 0; why < __JUMP_DROP_MAX; why++) {
			n = READ_ONCE(d->rx[why]);
			if (why == JUMP_DROP_BAD_HEADER || why == JUMP_DROP_AUTH) {
				stats->rx_errors += n;
				stats->rx_frame_errors += why == JUMP_DROP_BAD_HEADER ? n : 0;
				stats->rx_crc_errors += why == JUMP_DROP_AUTH ? n : 0;
			} else {
				stats->rx_dropped += n;
			}
			n = READ_ONCE(d->tx[why]);
			if (why == JUMP_DROP_NO_ROUTE) {
				stats->tx_errors += n;
				stats->tx_carrier_errors += n;
			} else {
				stats->tx_dropped += n;
			}
		}
	}
}

static int jump_dev_init(struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);
	int err;

	jd->dev = dev;
	mutex_init(&jd->table_lock);
	spin_lock_init(&jd->event_lock);
	spin_lock_init(&jd->socks_lock);
	INIT_LIST_HEAD(&jd->socks);
	jump_prefix_table_init(&jd->prefixes);
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	jd->drops = alloc_percpu(struct jump_dev_drops);
	if (!jd->drops) {
		err = -ENOMEM;
		goto err_tstats;
	}
	err = gro_cells_init(&jd->gro_cells, dev);
	if (err)
		goto err_drops;
	err = jump_queues_init(jd);
	if (err)
		goto err_gro;
	err = jump_sessions_init(jd);
	if (err)
		goto err_queues;
	jump_netns_add_device(jd);
	return 0;

err_queues:
	jump_queues_destroy(jd);
err_gro:
	gro_cells_destroy(&jd->gro_cells);
err_drops:
	free_percpu(jd->drops);
err_tstats:
	free_percpu(dev->tstats);
	return err;
}

/* Deletion, netns teardown and module unload all come through here. */
static void jump_dev_uninit(struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);

	jump_netns_del_device(jd);
	mutex_lock(&jd->table_lock);
	jd->dead = true;
	jump_session_terminate_all(jd, JUMP_REASON_DEVICE_DELETED);
	mutex_unlock(&jd->table_lock);
	gro_cells_destroy(&jd->gro_cells);
}

/*
 * Runs once the last reference is gone: no netlink request holds jd, and
 * no socket is left to queue a packet (each holds the device).
 */
static void jump_dev_destruct(struct net_device *dev)
{
	struct jump_device *jd = netdev_priv(dev);

	jump_queues_destroy(jd);
	jump_sessions_destroy(jd);
	jump_prefix_table_free(&jd->prefixes);
	free_percpu(jd->drops);
	free_percpu(dev->tstats);
}

static const struct net_device_ops jump_netdev_ops = {
	.ndo_init = jump_dev_init,
	.ndo_uninit = jump_dev_uninit,
	.ndo_start_xmit = jump_xmit,
	.ndo_get_stats64 = jump_get_stats64,
};

/* The stack may hand us large, partial-checksum packets: send.c finishes
 * both before sealing each segment.
 */
#define JUMP_FEATURES (NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_SG | \
		       NETIF_F_GSO_SOFTWARE | NETIF_F_HIGHDMA)

static void jump_setup(struct net_device *dev)
{
	dev->netdev_ops = &jump_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* icmp_ndo_send() needs the route of a packet no session owns. */
	netif_keep_dst(dev);
	/* Sessions and their sockets belong to the netns the device lives in. */
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL | JUMP_FEATURES;
	dev->hw_features |= JUMP_FEATURES;
	dev->hw_enc_features |= JUMP_FEATURES;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Room for the outer headers of either family and the tag. */
	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			       sizeof(struct udphdr) + JUMP_DATA_HEADER_LEN;
	dev->needed_tailroom = JUMP_TAG_LEN;
	dev->mtu = JUMP_DEFAULT_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - JUMP_DATA_OVERHEAD - sizeof(struct ipv6hdr);
	dev->needs_free_netdev = true;
	dev->priv_destructor = jump_dev_destruct;
}

struct rtnl_link_ops jump_link_ops __read_mostly = {
	.kind = JUMP_LINK_KIND,
	.priv_size = sizeof(struct jump_device),
	.setup = jump_setup,
};
