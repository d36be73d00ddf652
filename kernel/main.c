// SPDX-License-Identifier: GPL-2.0
/*
 * Jumping VPN: sessions that survive their transport.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "netlink.h"
#include "netns.h"
#include "queue.h"
#include "session.h"
#include "socket.h"

static int __init jump_init(void)
{
	int err;

	err = jump_session_cache_init();
	if (err)
		return err;
	err = jump_socket_init();
	if (err)
		goto err_cache;
	err = jump_queue_init();
	if (err)
		goto err_socket;
	err = jump_netns_init();
	if (err)
		goto err_queue;
	/* The family before the link kind: device teardown sends events. */
	err = jump_netlink_init();
	if (err)
		goto err_netns;
	err = rtnl_link_register(&jump_link_ops);
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	jump_netlink_uninit();
err_netns:
	jump_netns_uninit();
err_queue:
	jump_queue_uninit();
err_socket:
	jump_socket_uninit();
err_cache:
	jump_session_cache_uninit();
	return err;
}

static void __exit jump_exit(void)
{
	/* Deletes every jump device, terminating its sessions with a reason. */
	rtnl_link_unregister(&jump_link_ops);
	/*
	 * Freed bindings put their sockets from RCU callbacks; the last put
	 * hands the socket back from a work item, which queues an RCU callback
	 * of its own: a barrier, the socket queue, then one more barrier in the
	 * cache teardown.
	 */
	rcu_barrier();
	jump_queue_uninit();
	jump_socket_uninit();
	jump_netns_uninit();
	jump_netlink_uninit();
	jump_session_cache_uninit();
}

module_init(jump_init);
module_exit(jump_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Jumping VPN: session-centric VPN with a single active transport binding");
MODULE_AUTHOR("Jumping VPN developers");
MODULE_VERSION(JUMP_VERSION);
MODULE_ALIAS_RTNL_LINK(JUMP_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(JUMP_GENL_NAME);
