/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_PREFIX_H
#define _JUMP_PREFIX_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <linux/types.h>

struct jump_session;
struct sk_buff;
struct netlink_ext_ack;

/* An inner prefix, host bits zero. */
struct jump_prefix {
	sa_family_t family;
	u8 len;
	union {
		__be32 ip4;
		struct in6_addr ip6;
		u8 bytes[16];
	} addr;
};

/* A session's prefixes, replaced whole under RCU. */
struct jump_prefix_set {
	struct rcu_head rcu;
	unsigned int count;
	struct jump_prefix prefix[];
};

struct jump_prefix_node;

/*
 * A device's longest-prefix-match table from inner address to session: a
 * binary trie per family, read under RCU by the data path, changed under
 * the device's table lock.
 */
struct jump_prefix_table {
	struct jump_prefix_node __rcu *root[2];	/* IPv4, IPv6 */
};

void jump_prefix_table_init(struct jump_prefix_table *t);
void jump_prefix_table_free(struct jump_prefix_table *t);

/* Caller holds rcu_read_lock(_bh). @addr is a be32 or an in6_addr. */
struct jump_session *jump_prefix_lookup(struct jump_prefix_table *t,
					sa_family_t family, const void *addr);

/* The session owning the inner destination (or, with @source, source). */
struct jump_session *jump_prefix_lookup_skb(struct jump_prefix_table *t,
					    struct sk_buff *skb, bool source);

/*
 * Makes @set the session's prefixes, all or nothing; @set is consumed on
 * success. Caller holds the device's table lock.
 */
int jump_prefix_set_replace(struct jump_prefix_table *t, struct jump_session *s,
			    struct jump_prefix_set *set,
			    struct netlink_ext_ack *extack);
/* Caller holds the table lock: the session is leaving the table. */
void jump_prefix_set_clear(struct jump_prefix_table *t, struct jump_session *s);

#endif /* _JUMP_PREFIX_H */
