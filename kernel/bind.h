/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_BIND_H
#define _JUMP_BIND_H

#include <linux/in6.h>
#include <linux/socket.h>
#include <net/dst_cache.h>

struct jump_sock;

/* One end of a UDP transport. */
struct jump_endpoint {
	sa_family_t family;
	__be16 port;
	union {
		__be32 ip4;
		struct in6_addr ip6;
	} addr;
};

/*
 * A session's single transport: the socket, both endpoints and the epoch
 * every data packet carries. Immutable once published; a new binding
 * replaces the old one whole, under RCU, for both directions at once.
 */
struct jump_binding {
	struct rcu_head rcu;
	struct jump_sock *sock;		/* holds a reference */
	struct dst_cache dst_cache;
	u32 epoch;
	struct jump_endpoint local, remote;
	/*
	 * Unlinkable migration: receiver indices of this binding alone (0:
	 * the session's), and the masks XORed over the header's key id,
	 * epoch and counter (Documentation/protocol.rst, "Unlinkable
	 * migration"); all zero in any other binding.
	 */
	u32 local_index, remote_index;
	struct jump_header_mask {
		u8 key_id;
		__be32 epoch;
		__be64 counter;
	} __packed tx_mask, rx_mask;
};


struct jump_binding *jump_binding_new(void);
/* Frees a binding that was never published. */
void jump_binding_free(struct jump_binding *b);
/* Frees a published binding after a grace period. */
void jump_binding_release(struct jump_binding *b);

bool jump_endpoint_equal(const struct jump_endpoint *a,
			 const struct jump_endpoint *b);
bool jump_endpoint_is_any(const struct jump_endpoint *e);

/*
 * Invariant 1 on receive: data counts only when it came in on the bound
 * socket, from the bound remote, to the bound local address (if not any).
 */
bool jump_binding_accepts(const struct jump_binding *b,
			  const struct jump_sock *sock,
			  const struct jump_endpoint *src,
			  const struct jump_endpoint *dst);

#endif /* _JUMP_BIND_H */
