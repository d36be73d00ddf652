// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP transport. jumpd opens the socket (it needs it for the control
 * packets anyway) and hands its descriptor over with a binding, the way the
 * kernel's ovpn takes the socket of openvpn: the encap_rcv hook sees every
 * datagram first, keeps data packets and returns the rest to the socket.
 */
#include <linux/file.h>
#include <linux/slab.h>
#include <net/dst_cache.h>
#include <net/ip_fib.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/l3mdev.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "bind.h"
#include "data.h"
#include "device.h"
#include "netns.h"
#include "socket.h"

/* Opaque to the UDP core: only "non-zero, call encap_rcv" matters. */
#define JUMP_UDP_ENCAP	9

/*
 * Sockets are handed back here, alone, so that module exit and a racing
 * bind can wait for them (flush_workqueue) without waiting for anything else.
 */
static struct workqueue_struct *jump_sock_wq;

static int jump_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct jump_sock *js = rcu_dereference_sk_user_data(sk);

	if (unlikely(!js))
		return 1;
	return jump_receive(js, skb);
}

static bool sock_is_ours(struct sock *sk)
{
	return READ_ONCE(udp_sk(sk)->encap_rcv) == jump_udp_encap_recv;
}

static bool bound_to(struct sock *sk, const struct jump_endpoint *local)
{
	if (sk->sk_family != local->family || inet_sk(sk)->inet_sport != local->port)
		return false;
	if (local->family == AF_INET)
		return !inet_sk(sk)->inet_rcv_saddr ||
		       inet_sk(sk)->inet_rcv_saddr == local->addr.ip4;
	return ipv6_addr_any(&sk->sk_v6_rcv_saddr) ||
	       ipv6_addr_equal(&sk->sk_v6_rcv_saddr, &local->addr.ip6);
}

static int check_socket(struct jump_device *jd, struct socket *sock,
			const struct jump_endpoint *local,
			struct netlink_ext_ack *extack)
{
	struct sock *sk = sock->sk;

	if (sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM) {
		NL_SET_ERR_MSG(extack, "JUMP_BIND_A_SOCKET_FD is not a UDP socket");
		return -EINVAL;
	}
	/* netns.c relies on it: a namespace's sockets serve its devices only. */
	if (!net_eq(sock_net(sk), dev_net(jd->dev))) {
		NL_SET_ERR_MSG(extack, "socket belongs to another network namespace than the device");
		return -EINVAL;
	}
	if (sk->sk_family != local->family) {
		NL_SET_ERR_MSG(extack, "socket and binding are of different address families");
		return -EINVAL;
	}
	if (!bound_to(sk, local)) {
		NL_SET_ERR_MSG(extack, "socket is not bound to the binding's local address and port");
		return -EINVAL;
	}
	return 0;
}

static void release_work(struct work_struct *work);

/* Caller holds the socket lock. Keeps the file reference of @sock. */
static struct jump_sock *attach(struct jump_device *jd, struct socket *sock)
{
	struct udp_tunnel_sock_cfg cfg = {
		.encap_type = JUMP_UDP_ENCAP,
		.encap_rcv = jump_udp_encap_recv,
	};
	struct jump_sock *js = kzalloc(sizeof(*js), GFP_KERNEL);

	if (!js)
		return ERR_PTR(-ENOMEM);
	js->sock = sock;
	js->jd = jd;
	refcount_set(&js->refs, 1);
	INIT_WORK(&js->release, release_work);
	/* Readers that found js through the socket may outlive the device. */
	dev_hold(jd->dev);
	jump_netns_lent(sock_net(sock->sk));
	cfg.sk_user_data = js;
	setup_udp_tunnel_sock(sock_net(sock->sk), sock, &cfg);
	spin_lock_bh(&jd->socks_lock);
	list_add(&js->node, &jd->socks);
	spin_unlock_bh(&jd->socks_lock);
	return js;
}

/*
 * The jump_sock already attached to @sk, with a new reference; NULL if none;
 * or an ERR_PTR. Caller holds the socket lock, so the socket is not handed
 * back meanwhile, and the RCU read lock keeps what sk_user_data points to
 * alive while it is looked at.
 */
static struct jump_sock *claim(struct jump_device *jd, struct sock *sk,
			       struct netlink_ext_ack *extack)
{
	struct jump_sock *js;

	rcu_read_lock();
	js = rcu_dereference_sk_user_data(sk);
	if (!js)
		goto out;
	if (!sock_is_ours(sk)) {
		NL_SET_ERR_MSG(extack, "socket is already used by another encapsulation");
		js = ERR_PTR(-EBUSY);
	} else if (js->jd != jd) {
		NL_SET_ERR_MSG(extack, "socket already serves another jump device");
		js = ERR_PTR(-EBUSY);
	} else if (!refcount_inc_not_zero(&js->refs)) {
		js = ERR_PTR(-EAGAIN);
	}
out:
	rcu_read_unlock();
	return js;
}

/* A socket whose last binding just went is being handed back: wait for it. */
#define CLAIM_TRIES	3

struct jump_sock *jump_sock_from_fd(struct jump_device *jd, int fd,
				    const struct jump_endpoint *local,
				    struct netlink_ext_ack *extack)
{
	struct jump_sock *js;
	struct socket *sock;
	int err, tries = 0;

	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "JUMP_BIND_A_SOCKET_FD is not an open socket");
		return ERR_PTR(err);
	}
	err = check_socket(jd, sock, local, extack);
	if (err) {
		sockfd_put(sock);
		return ERR_PTR(err);
	}
	do {
		if (tries)
			flush_workqueue(jump_sock_wq);
		lock_sock(sock->sk);
		js = claim(jd, sock->sk, extack);
		if (!js) {
			js = attach(jd, sock);
			release_sock(sock->sk);
			if (IS_ERR(js))
				sockfd_put(sock);
			return js;
		}
		release_sock(sock->sk);
	} while (js == ERR_PTR(-EAGAIN) && ++tries < CLAIM_TRIES);
	if (js == ERR_PTR(-EAGAIN))
		NL_SET_ERR_MSG(extack, "socket is being released; retry");
	/* Claimed or refused: the attached js holds the file already. */
	sockfd_put(sock);
	return js;
}

struct jump_sock *jump_sock_lookup(struct jump_device *jd,
				   const struct jump_endpoint *local)
{
	struct jump_sock *js, *found = NULL;

	spin_lock_bh(&jd->socks_lock);
	list_for_each_entry(js, &jd->socks, node) {
		if (bound_to(js->sock->sk, local) &&
		    refcount_inc_not_zero(&js->refs)) {
			found = js;
			break;
		}
	}
	spin_unlock_bh(&jd->socks_lock);
	return found;
}

struct jump_sock *jump_sock_find(struct jump_device *jd,
				 const struct jump_endpoint *local,
				 struct netlink_ext_ack *extack)
{
	struct jump_sock *found = jump_sock_lookup(jd, local);

	if (!found) {
		NL_SET_ERR_MSG(extack, "no socket of this device holds the local address and port, and none was passed (JUMP_BIND_A_SOCKET_FD): is the port used by another program?");
		return ERR_PTR(-ENOENT);
	}
	return found;
}

void jump_sock_local(const struct jump_sock *js, struct jump_endpoint *local)
{
	const struct sock *sk = js->sock->sk;

	memset(local, 0, sizeof(*local));
	local->family = sk->sk_family;
	local->port = inet_sk(sk)->inet_sport;
	if (sk->sk_family == AF_INET)
		local->addr.ip4 = inet_sk(sk)->inet_rcv_saddr;
	else
		local->addr.ip6 = sk->sk_v6_rcv_saddr;
}

static void sock_free_rcu(struct rcu_head *rcu)
{
	struct jump_sock *js = container_of(rcu, struct jump_sock, rcu);

	dev_put(js->jd->dev);
	kfree(js);
}

/* Hands the socket back as it came: no hook, default options. */
static void detach(struct jump_sock *js)
{
	struct sock *sk = js->sock->sk;

	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	inet_sk(sk)->mc_loop = 1;
	inet_dec_convert_csum(sk);
	rcu_assign_sk_user_data(sk, NULL);
}

/*
 * Process context, under the socket lock like every other writer of the
 * socket's options; readers that found js through sk_user_data before it
 * was cleared finish before the RCU callback frees it.
 */
static void release_work(struct work_struct *work)
{
	struct jump_sock *js = container_of(work, struct jump_sock, release);
	struct jump_device *jd = js->jd;
	struct sock *sk = js->sock->sk;

	spin_lock_bh(&jd->socks_lock);
	list_del(&js->node);
	spin_unlock_bh(&jd->socks_lock);
	lock_sock(sk);
	detach(js);
	release_sock(sk);
	jump_netns_returned(sock_net(sk));
	sockfd_put(js->sock);
	call_rcu(&js->rcu, sock_free_rcu);
}

/* Any context, RCU callbacks included: the release itself may sleep. */
void jump_sock_put(struct jump_sock *js)
{
	if (refcount_dec_and_test(&js->refs))
		queue_work(jump_sock_wq, &js->release);
}

/*
 * A socket bound to a device (SO_BINDTODEVICE) sends through that device
 * only: its index is the flow's output interface. For a destination it has
 * no route to through that interface, IPv4 output routing would then assume
 * the destination is on link there; a bound device that lost its routes
 * must be no route instead, so the FIB is asked first. An L3 master (VRF)
 * has its own tables and no such fallback.
 */
static bool route4_through(struct net *net, const struct flowi4 *fl4)
{
	struct fib_result res;
	struct flowi4 fl = *fl4;
	bool ok;

	rcu_read_lock();
	ok = netif_index_is_l3_master(net, fl.flowi4_oif);
	rcu_read_unlock();
	if (ok)
		return true;
	fl.flowi4_iif = LOOPBACK_IFINDEX;
	return !fib_lookup(net, &fl, &res, 0);
}

static int send4(struct jump_binding *b, struct sk_buff *skb,
		 struct net_device *dev, u8 tos)
{
	struct sock *sk = b->sock->sock->sk;
	struct dst_cache *cache = &b->dst_cache;
	struct flowi4 fl4 = {
		.saddr = b->local.addr.ip4,
		.daddr = b->remote.addr.ip4,
		.fl4_sport = b->local.port,
		.fl4_dport = b->remote.port,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_mark = READ_ONCE(sk->sk_mark),
		.flowi4_oif = READ_ONCE(sk->sk_bound_dev_if),
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(cache, &fl4.saddr);
	if (!rt) {
		if (fl4.flowi4_oif && !route4_through(sock_net(sk), &fl4))
			goto err;
		rt = ip_route_output_flow(sock_net(sk), &fl4, sk);
		if (IS_ERR(rt))
			goto err;
		if (rt->dst.dev == dev) {	/* would loop through ourselves */
			ip_rt_put(rt);
			goto err;
		}
		dst_cache_set_ip4(cache, &rt->dst, fl4.saddr);
	}
	/* send.c counted the packet on our device: the tunnel must not again. */
	skb->dev = NULL;
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, tos,
			    ip4_dst_hoplimit(&rt->dst), 0, fl4.fl4_sport,
			    fl4.fl4_dport, !net_eq(sock_net(sk), dev_net(dev)),
			    false);
	return 0;
err:
	kfree_skb(skb);
	return -EHOSTUNREACH;
}

#if IS_ENABLED(CONFIG_IPV6)
static int send6(struct jump_binding *b, struct sk_buff *skb,
		 struct net_device *dev, u8 tos)
{
	struct sock *sk = b->sock->sock->sk;
	struct dst_cache *cache = &b->dst_cache;
	struct flowi6 fl6 = {
		.saddr = b->local.addr.ip6,
		.daddr = b->remote.addr.ip6,
		.fl6_sport = b->local.port,
		.fl6_dport = b->remote.port,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_mark = READ_ONCE(sk->sk_mark),
		.flowi6_oif = READ_ONCE(sk->sk_bound_dev_if),
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(cache, &fl6.saddr);
	if (!dst) {
		dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
		if (IS_ERR(dst))
			goto err;
		if (dst->dev == dev) {
			dst_release(dst);
			goto err;
		}
		dst_cache_set_ip6(cache, dst, &fl6.saddr);
	}
	/* send.c counted the packet on our device: the tunnel must not again. */
	udp_tunnel6_xmit_skb(dst, sk, skb, NULL, &fl6.saddr, &fl6.daddr, tos,
			     ip6_dst_hoplimit(dst), 0, fl6.fl6_sport,
			     fl6.fl6_dport, false);
	return 0;
err:
	kfree_skb(skb);
	return -EHOSTUNREACH;
}
#endif

int jump_sock_send(struct jump_binding *b, struct sk_buff *skb,
		   struct net_device *dev, u8 tos)
{
	if (b->remote.family == AF_INET)
		return send4(b, skb, dev, tos);
#if IS_ENABLED(CONFIG_IPV6)
	return send6(b, skb, dev, tos);
#else
	kfree_skb(skb);
	return -EAFNOSUPPORT;
#endif
}

int __init jump_socket_init(void)
{
	jump_sock_wq = alloc_workqueue("jump_sock", 0, 0);
	return jump_sock_wq ? 0 : -ENOMEM;
}

/* Every binding is gone (RCU barrier passed): waits for the last releases. */
void jump_socket_uninit(void)
{
	destroy_workqueue(jump_sock_wq);
}
