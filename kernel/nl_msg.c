// SPDX-License-Identifier: GPL-2.0
/*
 * Messages the "jump" family sends: session, device and socket attributes.
 * Replies, dumps and the events of event.c all build sessions here, so a
 * session reads the same whichever way it reached userspace.
 */
#include <linux/in6.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "bind.h"
#include "crypto.h"
#include "device.h"
#include "netlink.h"
#include "nl_msg.h"
#include "prefix.h"
#include "session.h"
#include "socket.h"

size_t jump_nl_session_size(bool detail)
{
	size_t endpoint = nla_total_size(sizeof(struct in6_addr)) +
			  nla_total_size(sizeof(u16));
	size_t prefix = nla_total_size(0) + nla_total_size(sizeof(struct in6_addr)) +
			nla_total_size(sizeof(u8));
	size_t size;

	size = nla_total_size(sizeof(u32)) * 2 +		/* IFINDEX, LOCAL_INDEX */
	       nla_total_size_64bit(sizeof(u64)) * 5 +	/* ID, VERSION, times, SEQ */
	       nla_total_size(sizeof(u8)) * 3 +		/* ROLE, STATE, PREV_STATE */
	       nla_total_size(sizeof(u16)) +		/* REASON */
	       nla_total_size(JUMP_PUBKEY_LEN) +
	       nla_total_size(0) + endpoint * 2 +	/* BINDING */
	       nla_total_size(sizeof(u32)) * 3 +	/* EPOCH, indices */
	       nla_total_size(0) + endpoint * 2;	/* STANDBY */
	if (!detail)
		return size;
	return size +
	       nla_total_size(sizeof(u32)) * 4 +	/* REMOTE_INDEX, times */
	       nla_total_size(0) + prefix * JUMP_MAX_PREFIXES +
	       nla_total_size(0) + __JUMP_KEY_SLOT_MAX *
	       (nla_total_size(0) + nla_total_size(sizeof(u8)) * 2 +
		nla_total_size_64bit(sizeof(u64))) +		/* TX_COUNTER */
	       nla_total_size(0) + nla_total_size_64bit(sizeof(u64)) * 5 +
	       nla_total_size(0) + nla_total_size_64bit(sizeof(u64)) * __JUMP_DROP_MAX;
}

static int put_addr(struct sk_buff *skb, int attr4, int attr6,
		    const struct jump_endpoint *e)
{
	if (e->family == AF_INET)
		return nla_put_in_addr(skb, attr4, e->addr.ip4);
	return nla_put_in6_addr(skb, attr6, &e->addr.ip6);
}

static int put_endpoints(struct sk_buff *skb, const struct jump_endpoint *local,
			 const struct jump_endpoint *remote)
{
	if (local &&
	    (put_addr(skb, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6, local) ||
	     nla_put_be16(skb, JUMP_BIND_A_LOCAL_PORT, local->port)))
		return -EMSGSIZE;
	if (remote &&
	    (put_addr(skb, JUMP_BIND_A_REMOTE_IPV4, JUMP_BIND_A_REMOTE_IPV6, remote) ||
	     nla_put_be16(skb, JUMP_BIND_A_REMOTE_PORT, remote->port)))
		return -EMSGSIZE;
	return 0;
}

int jump_nl_put_endpoint(struct sk_buff *skb, int attr,
			 const struct jump_endpoint *local,
			 const struct jump_endpoint *remote)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest || put_endpoints(skb, local, remote))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int jump_nl_put_binding(struct sk_buff *skb, const struct jump_binding *b)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_BINDING);

	if (!nest || put_endpoints(skb, &b->local, &b->remote) ||
	    nla_put_u32(skb, JUMP_BIND_A_EPOCH, b->epoch))
		return -EMSGSIZE;
	/* An unlinkable binding's indices; its masks are never sent back. */
	if (b->local_index &&
	    (nla_put_u32(skb, JUMP_BIND_A_LOCAL_INDEX, b->local_index) ||
	     nla_put_u32(skb, JUMP_BIND_A_REMOTE_INDEX, b->remote_index)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_u64s(struct sk_buff *skb, int attr, const atomic64_t *v,
		    const u64 *plain, int n)
{
	struct nlattr *nest = nla_nest_start(skb, attr);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(skb, i + 1, v ? atomic64_read(&v[i]) : plain[i],
				      JUMP_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct jump_counters *c,
		     u64 transitions)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_PACKETS, atomic64_read(&c->rx_packets), JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_BYTES, atomic64_read(&c->rx_bytes), JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_PACKETS, atomic64_read(&c->tx_packets), JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_BYTES, atomic64_read(&c->tx_bytes), JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TRANSITIONS, transitions, JUMP_STATS_A_PAD) ||
	    put_u64s(skb, JUMP_STATS_A_DROPS, c->drops, NULL, __JUMP_DROP_MAX))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_prefixes(struct sk_buff *skb, const struct jump_prefix_set *set)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_PREFIXES), *one;
	const struct jump_prefix *p;
	unsigned int i;
	int err;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; set && i < set->count; i++) {
		p = &set->prefix[i];
		one = nla_nest_start(skb, JUMP_A_PREFIX);
		if (!one)
			return -EMSGSIZE;
		err = p->family == AF_INET ?
		      nla_put_in_addr(skb, JUMP_PREFIX_A_IPV4, p->addr.ip4) :
		      nla_put_in6_addr(skb, JUMP_PREFIX_A_IPV6, &p->addr.ip6);
		if (err || nla_put_u8(skb, JUMP_PREFIX_A_LEN, p->len))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Slots, key ids and counters only: key material never leaves the kernel. */
static int put_keys(struct sk_buff *skb, const struct jump_session *s)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_KEYS), *one;
	const struct jump_key *k;
	int slot;

	if (!nest)
		return -EMSGSIZE;
	for (slot = 0; slot < __JUMP_KEY_SLOT_MAX; slot++) {
		k = rcu_dereference_protected(s->keys[slot], lockdep_is_held(&s->lock));
		if (!k)
			continue;
		one = nla_nest_start(skb, JUMP_A_KEY);
		if (!one || nla_put_u8(skb, JUMP_KEY_A_SLOT, slot) ||
		    nla_put_u8(skb, JUMP_KEY_A_ID, k->id) ||
		    nla_put_u64_64bit(skb, JUMP_KEY_A_TX_COUNTER,
				      atomic64_read(&k->tx_counter), JUMP_KEY_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_detail(struct sk_buff *skb, const struct jump_session *s,
		      unsigned int detail)
{
	/* The prefix set changes under the table lock, not ours: RCU. */
	const struct jump_prefix_set *prefixes;
	int err;

	if (nla_put_u32(skb, JUMP_A_KEEPALIVE_MS, s->keepalive_ms) ||
	    nla_put_u32(skb, JUMP_A_VOLATILE_MS, s->volatile_ms) ||
	    nla_put_u32(skb, JUMP_A_DEGRADED_MS, s->degraded_ms) ||
	    (READ_ONCE(s->remote_index) &&
	     nla_put_u32(skb, JUMP_A_REMOTE_INDEX, READ_ONCE(s->remote_index))) ||
	    put_keys(skb, s) ||
	    ((detail & JUMP_NL_STATS) && put_stats(skb, &s->counters, s->transitions)))
		return -EMSGSIZE;
	rcu_read_lock();
	prefixes = rcu_dereference(s->prefixes);
	err = put_prefixes(skb, prefixes);
	rcu_read_unlock();
	return err;
}

int jump_nl_put_session(struct sk_buff *skb, const struct jump_session *s,
			unsigned int detail)
{
	const struct jump_binding *b;

	b = rcu_dereference_protected(s->binding, lockdep_is_held(&s->lock));
	if (nla_put_u32(skb, JUMP_A_IFINDEX, s->jd->dev->ifindex) ||
	    nla_put_u64_64bit(skb, JUMP_A_SESSION_ID, s->id, JUMP_A_PAD) ||
	    nla_put_u32(skb, JUMP_A_LOCAL_INDEX, s->index) ||
	    nla_put_u8(skb, JUMP_A_ROLE, s->role) ||
	    nla_put(skb, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, s->peer_pubkey) ||
	    nla_put_u8(skb, JUMP_A_STATE, s->state) ||
	    nla_put_u64_64bit(skb, JUMP_A_VERSION, s->version, JUMP_A_PAD) ||
	    nla_put_u16(skb, JUMP_A_REASON, s->reason) ||
	    nla_put_u64_64bit(skb, JUMP_A_CREATED_NS, s->created_ns, JUMP_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_A_CHANGED_NS, s->changed_ns, JUMP_A_PAD) ||
	    (b && jump_nl_put_binding(skb, b)) ||
	    (s->standby && jump_nl_put_endpoint(skb, JUMP_A_STANDBY, &s->standby->local,
						&s->standby->remote)) ||
	    ((detail & JUMP_NL_DETAIL) && put_detail(skb, s, detail)))
		return -EMSGSIZE;
	return 0;
}

struct sk_buff *jump_nl_session_reply(struct genl_info *info,
				      struct jump_session *s, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(jump_nl_session_size(true), GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	hdr = genlmsg_put_reply(msg, info, &jump_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	spin_lock_bh(&s->lock);
	err = jump_nl_put_session(msg, s, JUMP_NL_DETAIL | JUMP_NL_STATS);
	spin_unlock_bh(&s->lock);
	if (err) {
		nlmsg_free(msg);
		return ERR_PTR(err);
	}
	genlmsg_end(msg, hdr);
	return msg;
}

struct sk_buff *jump_nl_socket_reply(struct genl_info *info,
				     struct jump_device *jd,
				     struct jump_sock *js, int fd)
{
	struct jump_endpoint local;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	jump_sock_local(js, &local);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	hdr = genlmsg_put_reply(msg, info, &jump_genl_family, 0,
				JUMP_CMD_SOCKET_GET);
	if (!hdr || nla_put_u32(msg, JUMP_A_IFINDEX, jd->dev->ifindex))
		goto err;
	nest = nla_nest_start(msg, JUMP_A_BINDING);
	if (!nest || put_endpoints(msg, &local, NULL) ||
	    nla_put_u32(msg, JUMP_BIND_A_SOCKET_FD, fd))
		goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return msg;
err:
	nlmsg_free(msg);
	return ERR_PTR(-EMSGSIZE);
}

static int put_device_stats(struct sk_buff *skb, struct jump_device *jd)
{
	struct rtnl_link_stats64 st = {};
	u64 drops[__JUMP_DROP_MAX];
	struct nlattr *nest;

	dev_get_tstats64(jd->dev, &st);
	jump_device_drops(jd, drops);
	nest = nla_nest_start(skb, JUMP_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_PACKETS, st.rx_packets, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_BYTES, st.rx_bytes, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_PACKETS, st.tx_packets, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_BYTES, st.tx_bytes, JUMP_STATS_A_PAD) ||
	    put_u64s(skb, JUMP_STATS_A_DROPS, NULL, drops, __JUMP_DROP_MAX))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int jump_nl_put_device(struct sk_buff *skb, struct jump_device *jd)
{
	struct nlattr *nest;
	u32 total = 0, n;
	int state;
	u64 seq;

	nest = nla_nest_start(skb, JUMP_A_STATE_COUNTS);
	if (!nest)
		return -EMSGSIZE;
	for (state = 0; state < __JUMP_STATE_MAX; state++) {
		n = atomic_read(&jd->state_counts[state]);
		total += n;
		if (nla_put_u32(skb, state + 1, n))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	spin_lock_bh(&jd->event_lock);
	seq = jd->event_seq;
	spin_unlock_bh(&jd->event_lock);
	if (put_device_stats(skb, jd) ||
	    nla_put_u32(skb, JUMP_A_IFINDEX, jd->dev->ifindex) ||
	    nla_put_string(skb, JUMP_A_IFNAME, jd->dev->name) ||
	    nla_put_u32(skb, JUMP_A_SESSION_COUNT, total) ||
	    nla_put_u32(skb, JUMP_A_MAX_SESSIONS, JUMP_MAX_SESSIONS) ||
	    nla_put_u64_64bit(skb, JUMP_A_EVENT_SEQ, seq, JUMP_A_PAD))
		return -EMSGSIZE;
	return 0;
}
