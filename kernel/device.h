/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_DEVICE_H
#define _JUMP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>
#include <linux/jump.h>

#include "prefix.h"
#include "queue.h"
#include "stats.h"

struct jump_device {
	struct net_device *dev;
	struct list_head node;		/* every jump device, under RTNL (netns.c) */

	/*
	 * Serializes every control-plane change of the session table (create,
	 * terminate, teardown, prefixes) so that a device being deleted never
	 * races a netlink request. Readers use RCU and never take it.
	 */
	struct mutex table_lock;
	bool dead;

	/* Lookup by session id (control plane) and by local index: the index
	 * is dense, so dumps resume from a cursor safely under concurrent
	 * change, and it is the receiver index of the data path.
	 */
	struct rhashtable sessions_by_id;
	struct xarray sessions_by_index;
	/*
	 * Unlinkable bindings' receiver indices (above JUMP_MAX_SESSIONS):
	 * each to its session while that binding is the session's; written
	 * under the session's lock, read under RCU.
	 */
	struct xarray sessions_by_wire;
	atomic_t state_counts[__JUMP_STATE_MAX];

	/* Inner address -> session, for transmit and the receive source check. */
	struct jump_prefix_table prefixes;

	/* The UDP sockets lent to this device (struct jump_sock). */
	spinlock_t socks_lock;
	struct list_head socks;

	struct gro_cells gro_cells;
	/* Data packets waiting to be opened on another CPU (queue.c). */
	struct jump_queue *rx_queues;
	unsigned int nr_queues;
	struct jump_dev_drops __percpu *drops;

	/* Orders event sequence numbers with their delivery. */
	spinlock_t event_lock;
	u64 event_seq;
};

extern struct rtnl_link_ops jump_link_ops;

static inline bool jump_is_device(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &jump_link_ops;
}

/* Device-wide drops by reason, both directions summed over CPUs. */
void jump_device_drops(struct jump_device *jd, u64 drops[__JUMP_DROP_MAX]);

#endif /* _JUMP_DEVICE_H */
