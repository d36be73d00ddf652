/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_DEVICE_H
#define _JUMP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>
#include <linux/jump.h>

struct jump_device {
	struct net_device *dev;

	/*
	 * Serializes every control-plane change of the session table (create,
	 * terminate, teardown) so that a device being deleted never races a
	 * netlink request. Readers use RCU and never take it.
	 */
	struct mutex table_lock;
	bool dead;

	/* Lookup by session id (control plane) and by local index: the index
	 * is dense, so dumps resume from a cursor safely under concurrent
	 * change, and it becomes the receiver index of the data path.
	 */
	struct rhashtable sessions_by_id;
	struct xarray sessions_by_index;
	atomic_t state_counts[__JUMP_STATE_MAX];

	/* Orders event sequence numbers with their delivery. */
	spinlock_t event_lock;
	u64 event_seq;
};

extern struct rtnl_link_ops jump_link_ops;

static inline bool jump_is_device(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &jump_link_ops;
}


#endif /* _JUMP_DEVICE_H */
