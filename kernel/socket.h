/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_SOCKET_H
#define _JUMP_SOCKET_H

#include <linux/list.h>
#include <linux/net.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

struct jump_binding;
struct jump_device;
struct jump_endpoint;
struct netlink_ext_ack;
struct sk_buff;

/*
 * A UDP socket opened by userspace and lent to one jump device. The kernel
 * takes data packets out of it and leaves every other packet to the owner.
 * Held by each binding that uses it; after the last put it is handed back
 * unchanged and its file reference dropped, in process context.
 * It holds the socket's file, so a killed jumpd loses no binding; netns.c
 * makes sure that file does not keep a dead namespace alive.
 */
struct jump_sock {
	struct list_head node;		/* in jd->socks, under jd->socks_lock */
	struct socket *sock;
	struct jump_device *jd;
	refcount_t refs;
	struct work_struct release;
	struct rcu_head rcu;
};

/*
 * Each returns a reference or an ERR_PTR with the reason in @extack. A
 * socket is lent to a device of its own network namespace only.
 */
struct jump_sock *jump_sock_from_fd(struct jump_device *jd, int fd,
				    const struct jump_endpoint *local,
				    struct netlink_ext_ack *extack);
struct jump_sock *jump_sock_find(struct jump_device *jd,
				 const struct jump_endpoint *local,
				 struct netlink_ext_ack *extack);
/* The socket that serves @local, with a reference, or NULL. */
struct jump_sock *jump_sock_lookup(struct jump_device *jd,
				   const struct jump_endpoint *local);
void jump_sock_put(struct jump_sock *js);
/* The address and port the socket is bound to (the address may be any). */
void jump_sock_local(const struct jump_sock *js, struct jump_endpoint *local);

/* Encapsulates and sends @skb on @b; consumes it. 0 or -errno. */
int jump_sock_send(struct jump_binding *b, struct sk_buff *skb,
		   struct net_device *dev, u8 tos);

int jump_socket_init(void);
void jump_socket_uninit(void);

#endif /* _JUMP_SOCKET_H */
