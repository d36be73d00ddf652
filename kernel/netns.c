// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespaces that only our sockets keep alive.
 *
 * A socket lent to a device (socket.c) holds its network namespace, as every
 * userspace socket does, and the device holds the socket so that a killed
 * jumpd loses no session: namespace -> device -> binding -> socket ->
 * namespace. Once the last process of the namespace exits and nothing else
 * refers to it, that cycle would keep the device, its sessions and keys alive
 * for ever, still sending keepalives; and anyone allowed "unshare -rn" could
 * repeat it without limit.
 *
 * The reaper breaks the cycle. A socket must live in its device's namespace
 * (socket.c checks it), so when every reference left on a namespace is one
 * of the sockets lent to jump devices there, no process, mount or file can
 * reach the namespace again: the reaper deletes its jump devices, as if the
 * namespace had been torn down, which ends their sessions (device_deleted)
 * and hands the sockets back; the namespace then dies as usual. It looks
 * once a second, and only while a namespace other than the initial one
 * holds lent sockets.
 */
#include <linux/list.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "netns.h"

#define JUMP_REAP_INTERVAL	HZ

struct jump_net {
	atomic_t lent;		/* sockets of this namespace held by devices */
};

static unsigned int jump_net_id __read_mostly;
static LIST_HEAD(jump_devices);		/* under RTNL */
static atomic_t lent_outside_init = ATOMIC_INIT(0);

static void reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(reaper, reap);

static struct jump_net *jump_net(struct net *net)
{
	return net_generic(net, jump_net_id);
}

/* Every reference left on @net is a socket lent to one of our devices. */
static bool orphaned(struct net *net)
{
	int lent = atomic_read(&jump_net(net)->lent);

	return lent && refcount_read(&net->ns.count) <= lent;
}

static void reap(struct work_struct *work)
{
	struct jump_device *jd, *tmp;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry_safe(jd, tmp, &jump_devices, node) {
		if (!net_eq(dev_net(jd->dev), &init_net) &&
		    orphaned(dev_net(jd->dev)))
			unregister_netdevice_queue(jd->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	if (atomic_read(&lent_outside_init))
		schedule_delayed_work(&reaper, JUMP_REAP_INTERVAL);
}

void jump_netns_add_device(struct jump_device *jd)
{
	ASSERT_RTNL();
	list_add(&jd->node, &jump_devices);
}

void jump_netns_del_device(struct jump_device *jd)
{
	ASSERT_RTNL();
	list_del(&jd->node);
}

void jump_netns_lent(struct net *net)
{
	atomic_inc(&jump_net(net)->lent);
	if (net_eq(net, &init_net))
		return;
	atomic_inc(&lent_outside_init);
	schedule_delayed_work(&reaper, JUMP_REAP_INTERVAL);
}

void jump_netns_returned(struct net *net)
{
	atomic_dec(&jump_net(net)->lent);
	if (!net_eq(net, &init_net))
		atomic_dec(&lent_outside_init);
}

static struct pernet_operations jump_net_ops = {
	.id = &jump_net_id,
	.size = sizeof(struct jump_net),
};

int __init jump_netns_init(void)
{
	return register_pernet_subsys(&jump_net_ops);
}

void jump_netns_uninit(void)
{
	cancel_delayed_work_sync(&reaper);
	unregister_pernet_subsys(&jump_net_ops);
}
