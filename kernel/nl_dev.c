// SPDX-License-Identifier: GPL-2.0
/*
 * Device commands of the "jump" family: DEV_GET (and its dump), and
 * SOCKET_GET, which hands out a socket the device holds.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "bind.h"
#include "device.h"
#include "netlink.h"
#include "nl_msg.h"
#include "nl_dev.h"
#include "nl_parse.h"
#include "socket.h"

/*
 * A new descriptor, close-on-exec, in the calling process, of the socket
 * the device holds for a local address and port: a restarted jumpd reads
 * its control packets from the socket it lent before it died. The
 * descriptor is installed last, when only the send of the reply can fail:
 * a reply lost then (the requester's receive buffer is full) leaves it
 * open, unnamed, in the requester.
 */
int jump_nl_socket_get(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_endpoint local;
	struct jump_device *jd;
	struct jump_sock *js;
	struct sk_buff *msg;
	int fd, err;

	if (!jump_nl_require(info, JUMP_A_BINDING, "missing binding with the socket's local address and port (JUMP_A_BINDING)"))
		return -EINVAL;
	err = jump_nl_parse_local(info->attrs[JUMP_A_BINDING], &local,
				  info->extack);
	if (err)
		return err;
	jd = jump_nl_info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	js = jump_sock_lookup(jd, &local);
	if (!js) {
		GENL_SET_ERR_MSG(info, "no socket of this device holds this local address and port");
		err = -ENOENT;
		goto out_dev;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		GENL_SET_ERR_MSG(info, "no free file descriptor in the requesting process");
		err = fd;
		goto out_sock;
	}
	msg = jump_nl_socket_reply(info, jd, js, fd);
	if (IS_ERR(msg)) {
		err = PTR_ERR(msg);
		put_unused_fd(fd);
		goto out_sock;
	}
	fd_install(fd, get_file(js->sock->file));
	err = genlmsg_reply(msg, info);
out_sock:
	jump_sock_put(js);
out_dev:
	dev_put(jd->dev);
	return err;
}

int jump_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_device *jd;
	struct sk_buff *msg;
	void *hdr;
	int err;

	jd = jump_nl_info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &jump_genl_family, 0, JUMP_CMD_DEV_GET);
	err = hdr ? jump_nl_put_device(msg, jd) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	dev_put(jd->dev);
	return err;
}

int jump_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long skip = cb->args[0], pos = 0;
	void *hdr;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!jump_is_device(dev) || pos++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &jump_genl_family,
				  NLM_F_MULTI, JUMP_CMD_DEV_GET);
		if (!hdr)
			break;
		if (jump_nl_put_device(skb, netdev_priv(dev))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
	rcu_read_unlock();
	return skb->len;
}
