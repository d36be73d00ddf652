// SPDX-License-Identifier: GPL-2.0
/*
 * Inner prefixes: which session owns which inner addresses. Transmit picks
 * the session by longest-prefix match on the destination; receive checks
 * that the source belongs to the session the packet authenticated as, so a
 * session cannot speak for another's addresses.
 *
 * A plain binary trie: one node per bit, a node holding a session ends a
 * prefix. Lookups walk at most 32 or 128 nodes under RCU; writers hold the
 * device's table lock and prune nodes that end no prefix and lead nowhere.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "prefix.h"
#include "session.h"

struct jump_prefix_node {
	struct jump_prefix_node __rcu *child[2];
	struct jump_prefix_node *parent;
	struct jump_session __rcu *session;
	struct rcu_head rcu;
};

static int family_slot(sa_family_t family)
{
	return family == AF_INET6;
}

static unsigned int bit_at(const u8 *addr, unsigned int i)
{
	return (addr[i / 8] >> (7 - i % 8)) & 1;
}

void jump_prefix_table_init(struct jump_prefix_table *t)
{
	RCU_INIT_POINTER(t->root[0], NULL);
	RCU_INIT_POINTER(t->root[1], NULL);
}

/* Every prefix is gone by now: only the roots can be left. */
void jump_prefix_table_free(struct jump_prefix_table *t)
{
	struct jump_prefix_node *root;
	int i;

	for (i = 0; i < 2; i++) {
		root = rcu_dereference_protected(t->root[i], true);
		if (!root)
			continue;
		WARN_ON(rcu_access_pointer(root->child[0]) ||
			rcu_access_pointer(root->child[1]));
		RCU_INIT_POINTER(t->root[i], NULL);
		kfree_rcu(root, rcu);
	}
}

struct jump_session *jump_prefix_lookup(struct jump_prefix_table *t,
					sa_family_t family, const void *addr)
{
	unsigned int bits = family == AF_INET ? 32 : 128, i;
	struct jump_prefix_node *node;
	struct jump_session *best = NULL, *s;

	node = rcu_dereference_bh(t->root[family_slot(family)]);
	for (i = 0; node; i++) {
		s = rcu_dereference_bh(node->session);
		if (s)
			best = s;
		if (i == bits)
			break;
		node = rcu_dereference_bh(node->child[bit_at(addr, i)]);
	}
	return best;
}

#define protected(p) rcu_dereference_protected(p, true)

/* The node that ends @p, or NULL. */
static struct jump_prefix_node *find_node(struct jump_prefix_table *t,
					  const struct jump_prefix *p)
{
	struct jump_prefix_node *node = protected(t->root[family_slot(p->family)]);
	unsigned int i;

	for (i = 0; node && i < p->len; i++)
		node = protected(node->child[bit_at(p->addr.bytes, i)]);
	return node;
}

static struct jump_prefix_node *new_node(struct jump_prefix_node *parent)
{
	struct jump_prefix_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (node)
		node->parent = parent;
	return node;
}

static void prune(struct jump_prefix_table *t, struct jump_prefix_node *node)
{
	struct jump_prefix_node *parent;

	while (node && !protected(node->session) &&
	       !protected(node->child[0]) && !protected(node->child[1])) {
		parent = node->parent;
		if (!parent)
			break;	/* roots stay until the device goes */
		if (protected(parent->child[0]) == node)
			RCU_INIT_POINTER(parent->child[0], NULL);
		else
			RCU_INIT_POINTER(parent->child[1], NULL);
		kfree_rcu(node, rcu);
		node = parent;
	}
}

static int insert(struct jump_prefix_table *t, const struct jump_prefix *p,
		  struct jump_session *s)
{
	struct jump_prefix_node __rcu **link = &t->root[family_slot(p->family)];
	struct jump_prefix_node *node = NULL, *next;
	unsigned int i;

	for (i = 0;; i++) {
		next = protected(*link);
		if (!next) {
			next = new_node(node);
			if (!next) {
				prune(t, node);
				return -ENOMEM;
			}
			rcu_assign_pointer(*link, next);
		}
		node = next;
		if (i == p->len)
			break;
		link = &node->child[bit_at(p->addr.bytes, i)];
	}
	rcu_assign_pointer(node->session, s);
	return 0;
}

static void remove_prefix(struct jump_prefix_table *t, const struct jump_prefix *p,
		   struct jump_session *s)
{
	struct jump_prefix_node *node = find_node(t, p);

	if (!node || protected(node->session) != s)
		return;
	RCU_INIT_POINTER(node->session, NULL);
	prune(t, node);
}

static bool prefix_equal(const struct jump_prefix *a, const struct jump_prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(a->addr.bytes, b->addr.bytes,
		       a->family == AF_INET ? 4 : 16);
}

static bool set_has(const struct jump_prefix_set *set, const struct jump_prefix *p)
{
	unsigned int i;

	for (i = 0; set && i < set->count; i++)
		if (prefix_equal(&set->prefix[i], p))
			return true;
	return false;
}

static void remove_all_but(struct jump_prefix_table *t, struct jump_session *s,
			   const struct jump_prefix_set *set,
			   const struct jump_prefix_set *keep)
{
	unsigned int i;

	for (i = 0; set && i < set->count; i++)
		if (!set_has(keep, &set->prefix[i]))
			remove_prefix(t, &set->prefix[i], s);
}

int jump_prefix_set_replace(struct jump_prefix_table *t, struct jump_session *s,
			    struct jump_prefix_set *set,
			    struct netlink_ext_ack *extack)
{
	struct jump_prefix_set *old = protected(s->prefixes);
	struct jump_prefix_node *node;
	struct jump_session *owner;
	unsigned int i;
	int err;

	/* Refuse before touching anything: no half-applied set. */
	for (i = 0; i < set->count; i++) {
		node = find_node(t, &set->prefix[i]);
		owner = node ? protected(node->session) : NULL;
		if (owner && owner != s) {
			NL_SET_ERR_MSG(extack, "inner prefix belongs to another session of this device");
			return -EEXIST;
		}
	}
	for (i = 0; i < set->count; i++) {
		err = insert(t, &set->prefix[i], s);
		if (err) {
			remove_all_but(t, s, set, old);
			return err;
		}
	}
	remove_all_but(t, s, old, set);
	rcu_assign_pointer(s->prefixes, set);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

void jump_prefix_set_clear(struct jump_prefix_table *t, struct jump_session *s)
{
	struct jump_prefix_set *old = protected(s->prefixes);

	remove_all_but(t, s, old, NULL);
	RCU_INIT_POINTER(s->prefixes, NULL);
	if (old)
		kfree_rcu(old, rcu);
}

struct jump_session *jump_prefix_lookup_skb(struct jump_prefix_table *t,
					    struct sk_buff *skb, bool source)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!pskb_network_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4)
			return NULL;
		return jump_prefix_lookup(t, AF_INET, source ?
					  &ip_hdr(skb)->saddr : &ip_hdr(skb)->daddr);
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			return NULL;
		return jump_prefix_lookup(t, AF_INET6, source ?
					  &ipv6_hdr(skb)->saddr : &ipv6_hdr(skb)->daddr);
	}
	return NULL;
}
