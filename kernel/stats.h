/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_STATS_H
#define _JUMP_STATS_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/jump.h>

/* Per session: what crossed this session's binding, and what did not. */
struct jump_counters {
	atomic64_t rx_packets, rx_bytes;
	atomic64_t tx_packets, tx_bytes;
	atomic64_t drops[__JUMP_DROP_MAX];
};

/* Per device and CPU, by direction: ip -s link shows the totals. */
struct jump_dev_drops {
	u64 rx[__JUMP_DROP_MAX];
	u64 tx[__JUMP_DROP_MAX];
};

static inline void jump_count(struct net_device *dev, struct jump_counters *c,
			      bool rx, unsigned int len)
{
	if (rx) {
		atomic64_inc(&c->rx_packets);
		atomic64_add(len, &c->rx_bytes);
		dev_sw_netstats_rx_add(dev, len);
	} else {
		atomic64_inc(&c->tx_packets);
		atomic64_add(len, &c->tx_bytes);
		dev_sw_netstats_tx_add(dev, 1, len);
	}
}

/* @c is NULL when no session could be named. */
static inline void jump_count_drop(struct jump_dev_drops __percpu *d,
				   struct jump_counters *c, bool rx,
				   enum jump_drop why)
{
	if (rx)
		this_cpu_inc(d->rx[why]);
	else
		this_cpu_inc(d->tx[why]);
	if (c)
		atomic64_inc(&c->drops[why]);
}

#endif /* _JUMP_STATS_H */
