// SPDX-License-Identifier: GPL-2.0
/*
 * Transport bindings. The session lock orders their replacement (see
 * session.c); the data path reads them under RCU only.
 */
#include <linux/slab.h>
#include <net/ipv6.h>

#include "bind.h"
#include "socket.h"

struct jump_binding *jump_binding_new(void)
{
	struct jump_binding *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (b && dst_cache_init(&b->dst_cache, GFP_KERNEL)) {
		kfree(b);
		return NULL;
	}
	return b;
}

void jump_binding_free(struct jump_binding *b)
{
	if (!b)
		return;
	dst_cache_destroy(&b->dst_cache);
	if (b->sock)
		jump_sock_put(b->sock);
	kfree(b);
}

static void binding_free_rcu(struct rcu_head *rcu)
{
	jump_binding_free(container_of(rcu, struct jump_binding, rcu));
}

void jump_binding_release(struct jump_binding *b)
{
	if (b)
		call_rcu(&b->rcu, binding_free_rcu);
}

static bool addr_equal(const struct jump_endpoint *a,
		       const struct jump_endpoint *b)
{
	if (a->family == AF_INET)
		return a->addr.ip4 == b->addr.ip4;
	return ipv6_addr_equal(&a->addr.ip6, &b->addr.ip6);
}

bool jump_endpoint_equal(const struct jump_endpoint *a,
			 const struct jump_endpoint *b)
{
	return a->family == b->family && a->port == b->port && addr_equal(a, b);
}

bool jump_endpoint_is_any(const struct jump_endpoint *e)
{
	if (e->family == AF_INET)
		return e->addr.ip4 == htonl(INADDR_ANY);
	return ipv6_addr_any(&e->addr.ip6);
}

bool jump_binding_accepts(const struct jump_binding *b,
			  const struct jump_sock *sock,
			  const struct jump_endpoint *src,
			  const struct jump_endpoint *dst)
{
	if (b->sock != sock || !jump_endpoint_equal(&b->remote, src))
		return false;
	return jump_endpoint_is_any(&b->local) ||
	       (b->local.family == dst->family && addr_equal(&b->local, dst));
}
