// SPDX-License-Identifier: GPL-2.0
/*
 * Jumping VPN: sessions that survive their transport.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "netlink.h"

static int __init jump_init(void)
{
	int err;

	/* The family first: device teardown sends events through it. */
	err = jump_netlink_init();
	if (err)
		return err;
	err = rtnl_link_register(&jump_link_ops);
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	jump_netlink_uninit();
	return err;
}

static void __exit jump_exit(void)
{
	/* Deletes every jump device, terminating its sessions with a reason. */
	rtnl_link_unregister(&jump_link_ops);
	jump_netlink_uninit();
}

module_init(jump_init);
module_exit(jump_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Jumping VPN: session-centric VPN with a single active transport binding");
MODULE_AUTHOR("Jumping VPN developers");
MODULE_ALIAS_RTNL_LINK(JUMP_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(JUMP_GENL_NAME);
