// SPDX-License-Identifier: GPL-2.0
/*
 * The "jump" generic netlink family: the only way in for jumpd and jumpctl.
 * Documentation/netlink.rst is the reference for every command.
 */
#include <linux/in6.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"
#include "session.h"

static const struct nla_policy jump_binding_policy[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_LOCAL_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_REMOTE_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_REMOTE_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_REMOTE_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_EPOCH] = { .type = NLA_REJECT },
};

/* Attributes that only the kernel sends are left out: strict validation
 * rejects them in a request.
 */
static const struct nla_policy jump_policy[JUMP_A_MAX + 1] = {
	[JUMP_A_IFINDEX] = { .type = NLA_U32 },
	[JUMP_A_IFNAME] = { .type = NLA_STRING, .len = IFNAMSIZ - 1 },
	[JUMP_A_SESSION_ID] = { .type = NLA_U64 },
	[JUMP_A_ROLE] = NLA_POLICY_MAX(NLA_U8, JUMP_ROLE_MAX),
	[JUMP_A_PEER_PUBKEY] = NLA_POLICY_EXACT_LEN(JUMP_PUBKEY_LEN),
	[JUMP_A_STATE] = NLA_POLICY_MAX(NLA_U8, JUMP_STATE_MAX),
	[JUMP_A_VERSION] = { .type = NLA_U64 },
	[JUMP_A_REASON] = NLA_POLICY_MAX(NLA_U16, JUMP_REASON_MAX),
	[JUMP_A_BINDING] = NLA_POLICY_NESTED(jump_binding_policy),
};

/* @msg must be a literal or otherwise static: extack keeps the pointer. */
static bool require(struct genl_info *info, int attr, const char *msg)
{
	if (info->attrs[attr])
		return true;
	info->extack->_msg = msg;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

/* Returns the device with a reference held; release with dev_put(). */
static struct jump_device *lookup_device(struct net *net, struct nlattr **attrs,
					 struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;
	char ifname[IFNAMSIZ];

	if (attrs[JUMP_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(attrs[JUMP_A_IFINDEX]));
	} else if (attrs[JUMP_A_IFNAME]) {
		nla_strscpy(ifname, attrs[JUMP_A_IFNAME], IFNAMSIZ);
		dev = dev_get_by_name(net, ifname);
	} else {
		NL_SET_ERR_MSG(extack, "no device given: JUMP_A_IFINDEX or JUMP_A_IFNAME is required");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!jump_is_device(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "not a jump device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static struct jump_device *info_device(struct genl_info *info)
{
	return lookup_device(genl_info_net(info), info->attrs, info->extack);
}

size_t jump_nl_session_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size_64bit(sizeof(u64)) * 5 +	/* ID, VERSION, times, SEQ */
	       nla_total_size(sizeof(u8)) * 3 +		/* ROLE, STATE, PREV_STATE */
	       nla_total_size(sizeof(u16)) +		/* REASON */
	       nla_total_size(JUMP_PUBKEY_LEN) +
	       nla_total_size(0) +			/* BINDING */
	       nla_total_size(sizeof(struct in6_addr)) * 2 +
	       nla_total_size(sizeof(u16)) * 2 +
	       nla_total_size(sizeof(u32)) +		/* EPOCH */
	       nla_total_size(0) +			/* STATS */
	       nla_total_size_64bit(sizeof(u64)) * 5;
}

static int put_binding(struct sk_buff *skb, const struct jump_binding *b)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_BINDING);
	int err;

	if (!nest)
		return -EMSGSIZE;
	if (b->family == AF_INET)
		err = nla_put_in_addr(skb, JUMP_BIND_A_LOCAL_IPV4, b->local.ip4) ||
		      nla_put_in_addr(skb, JUMP_BIND_A_REMOTE_IPV4, b->remote.ip4);
	else
		err = nla_put_in6_addr(skb, JUMP_BIND_A_LOCAL_IPV6, &b->local.ip6) ||
		      nla_put_in6_addr(skb, JUMP_BIND_A_REMOTE_IPV6, &b->remote.ip6);
	if (err ||
	    nla_put_be16(skb, JUMP_BIND_A_LOCAL_PORT, b->local_port) ||
	    nla_put_be16(skb, JUMP_BIND_A_REMOTE_PORT, b->remote_port) ||
	    nla_put_u32(skb, JUMP_BIND_A_EPOCH, b->epoch)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct jump_session_stats *st)
{
	struct nlattr *nest = nla_nest_start(skb, JUMP_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_PACKETS, st->rx_packets, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_RX_BYTES, st->rx_bytes, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_PACKETS, st->tx_packets, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TX_BYTES, st->tx_bytes, JUMP_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_STATS_A_TRANSITIONS, st->transitions, JUMP_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int jump_nl_put_session(struct sk_buff *skb, const struct jump_session *s)
{
	const struct jump_binding *b;

	b = rcu_dereference_protected(s->binding, lockdep_is_held(&s->lock));
	if (nla_put_u32(skb, JUMP_A_IFINDEX, s->jd->dev->ifindex) ||
	    nla_put_u64_64bit(skb, JUMP_A_SESSION_ID, s->id, JUMP_A_PAD) ||
	    nla_put_u8(skb, JUMP_A_ROLE, s->role) ||
	    nla_put(skb, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, s->peer_pubkey) ||
	    nla_put_u8(skb, JUMP_A_STATE, s->state) ||
	    nla_put_u64_64bit(skb, JUMP_A_VERSION, s->version, JUMP_A_PAD) ||
	    nla_put_u16(skb, JUMP_A_REASON, s->reason) ||
	    nla_put_u64_64bit(skb, JUMP_A_CREATED_NS, s->created_ns, JUMP_A_PAD) ||
	    nla_put_u64_64bit(skb, JUMP_A_CHANGED_NS, s->changed_ns, JUMP_A_PAD) ||
	    (b && put_binding(skb, b)) ||
	    put_stats(skb, &s->stats))
		return -EMSGSIZE;
	return 0;
}

/* A unicast reply carrying one session, filled under its lock. */
static struct sk_buff *session_reply(struct genl_info *info,
				     struct jump_session *s, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(jump_nl_session_size(), GFP_KERNEL);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	hdr = genlmsg_put_reply(msg, info, &jump_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	spin_lock_bh(&s->lock);
	err = jump_nl_put_session(msg, s);
	spin_unlock_bh(&s->lock);
	if (err) {
		nlmsg_free(msg);
		return ERR_PTR(err);
	}
	genlmsg_end(msg, hdr);
	return msg;
}

static int parse_binding_family(struct nlattr **tb, struct jump_binding *b,
				struct netlink_ext_ack *extack)
{
	if (tb[JUMP_BIND_A_LOCAL_IPV4] && tb[JUMP_BIND_A_REMOTE_IPV4] &&
	    !tb[JUMP_BIND_A_LOCAL_IPV6] && !tb[JUMP_BIND_A_REMOTE_IPV6]) {
		b->family = AF_INET;
		b->local.ip4 = nla_get_in_addr(tb[JUMP_BIND_A_LOCAL_IPV4]);
		b->remote.ip4 = nla_get_in_addr(tb[JUMP_BIND_A_REMOTE_IPV4]);
		return 0;
	}
	if (tb[JUMP_BIND_A_LOCAL_IPV6] && tb[JUMP_BIND_A_REMOTE_IPV6] &&
	    !tb[JUMP_BIND_A_LOCAL_IPV4] && !tb[JUMP_BIND_A_REMOTE_IPV4]) {
		b->family = AF_INET6;
		b->local.ip6 = nla_get_in6_addr(tb[JUMP_BIND_A_LOCAL_IPV6]);
		b->remote.ip6 = nla_get_in6_addr(tb[JUMP_BIND_A_REMOTE_IPV6]);
		return 0;
	}
	NL_SET_ERR_MSG(extack, "binding needs one local and one remote address of the same family");
	return -EINVAL;
}

static struct jump_binding *parse_binding(struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[JUMP_BIND_A_MAX + 1];
	struct jump_binding *b;
	int err;

	err = nla_parse_nested(tb, JUMP_BIND_A_MAX, attr, jump_binding_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[JUMP_BIND_A_LOCAL_PORT] || !tb[JUMP_BIND_A_REMOTE_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "binding needs a local and a remote port");
		return ERR_PTR(-EINVAL);
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->local_port = nla_get_be16(tb[JUMP_BIND_A_LOCAL_PORT]);
	b->remote_port = nla_get_be16(tb[JUMP_BIND_A_REMOTE_PORT]);
	if (!b->remote_port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[JUMP_BIND_A_REMOTE_PORT], "remote port must not be 0");
		kfree(b);
		return ERR_PTR(-EINVAL);
	}
	err = parse_binding_family(tb, b, extack);
	if (err) {
		kfree(b);
		return ERR_PTR(err);
	}
	return b;
}

static int jump_nl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_device *jd;
	struct jump_session *s;
	struct sk_buff *reply;
	u64 id = 0;
	u8 role;

	if (!require(info, JUMP_A_ROLE, "missing role (JUMP_A_ROLE)") ||
	    !require(info, JUMP_A_PEER_PUBKEY, "missing peer public key (JUMP_A_PEER_PUBKEY)"))
		return -EINVAL;
	role = nla_get_u8(info->attrs[JUMP_A_ROLE]);
	if (role == JUMP_ROLE_CLIENT) {
		if (!require(info, JUMP_A_SESSION_ID, "a client session needs the id its server gave (JUMP_A_SESSION_ID)"))
			return -EINVAL;
		id = nla_get_u64(info->attrs[JUMP_A_SESSION_ID]);
		if (!id) {
			GENL_SET_ERR_MSG(info, "session id 0 is reserved");
			return -EINVAL;
		}
	} else if (info->attrs[JUMP_A_SESSION_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[JUMP_A_SESSION_ID],
				    "a server session's id is generated by the kernel");
		return -EINVAL;
	}

	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	if (jd->dead) {
		s = ERR_PTR(-ENODEV);
	} else {
		s = jump_session_create(jd, role, id,
					nla_data(info->attrs[JUMP_A_PEER_PUBKEY]),
					info->extack);
	}
	reply = IS_ERR(s) ? ERR_CAST(s) : session_reply(info, s, JUMP_CMD_SESSION_NEW);
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	return genlmsg_reply(reply, info);
}

static int jump_nl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_device *jd;
	struct jump_session *s;
	struct sk_buff *reply;

	if (!require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)"))
		return -EINVAL;
	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (s) {
		reply = session_reply(info, s, JUMP_CMD_SESSION_GET);
	} else {
		GENL_SET_ERR_MSG(info, "no such session");
		reply = ERR_PTR(-ENOENT);
	}
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	return genlmsg_reply(reply, info);
}

/*
 * Sessions are walked by their dense index, so a dump resumes exactly where
 * it stopped: a session created or removed meanwhile is either shown once
 * or not at all, never twice.
 */
static int jump_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	unsigned long index = cb->args[0];
	struct jump_device *jd;
	struct jump_session *s;
	int err = 0;
	void *hdr;

	jd = lookup_device(sock_net(skb->sk), info->attrs, cb->extack);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	rcu_read_lock();
	xa_for_each_start(&jd->sessions_by_index, index, s, index) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &jump_genl_family,
				  NLM_F_MULTI, JUMP_CMD_SESSION_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		spin_lock_bh(&s->lock);
		err = jump_nl_put_session(skb, s);
		spin_unlock_bh(&s->lock);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	dev_put(jd->dev);
	/* Stopped on a full skb: resume at the session that did not fit. */
	cb->args[0] = err ? index : ULONG_MAX;
	return skb->len;
}

static int jump_nl_session_set(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_change chg = {};
	struct jump_device *jd;
	struct jump_session *s;
	struct sk_buff *reply;
	int err;

	if (!require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)") ||
	    !require(info, JUMP_A_VERSION, "missing expected version (JUMP_A_VERSION)") ||
	    !require(info, JUMP_A_STATE, "missing target state (JUMP_A_STATE)") ||
	    !require(info, JUMP_A_REASON, "missing reason code (JUMP_A_REASON)"))
		return -EINVAL;
	chg.expected_version = nla_get_u64(info->attrs[JUMP_A_VERSION]);
	chg.to = nla_get_u8(info->attrs[JUMP_A_STATE]);
	chg.reason = nla_get_u16(info->attrs[JUMP_A_REASON]);
	if (info->attrs[JUMP_A_BINDING]) {
		chg.binding = parse_binding(info->attrs[JUMP_A_BINDING], info->extack);
		if (IS_ERR(chg.binding))
			return PTR_ERR(chg.binding);
	}

	jd = info_device(info);
	if (IS_ERR(jd)) {
		kfree(chg.binding);
		return PTR_ERR(jd);
	}
	mutex_lock(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (!s) {
		GENL_SET_ERR_MSG(info, "no such session");
		err = -ENOENT;
		goto out;
	}
	err = jump_session_change(s, &chg, JUMP_ORIGIN_USER, info->extack);
	if (err)
		goto out;
	chg.binding = NULL;
	reply = session_reply(info, s, JUMP_CMD_SESSION_SET);
	if (chg.to == JUMP_STATE_TERMINATED)
		jump_session_remove(s);
	/* The change is committed; a failed reply is only a lost answer. */
	err = IS_ERR(reply) ? PTR_ERR(reply) : genlmsg_reply(reply, info);
out:
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	kfree(chg.binding);
	return err;
}

static int jump_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_change chg = {
		.to = JUMP_STATE_TERMINATED,
		.reason = JUMP_REASON_ADMIN_TERMINATE,
	};
	struct jump_device *jd;
	struct jump_session *s;
	int err;

	if (!require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)") ||
	    !require(info, JUMP_A_VERSION, "missing expected version (JUMP_A_VERSION)"))
		return -EINVAL;
	chg.expected_version = nla_get_u64(info->attrs[JUMP_A_VERSION]);
	if (info->attrs[JUMP_A_REASON])
		chg.reason = nla_get_u16(info->attrs[JUMP_A_REASON]);

	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (!s) {
		GENL_SET_ERR_MSG(info, "no such session");
		err = -ENOENT;
	} else {
		err = jump_session_change(s, &chg, JUMP_ORIGIN_USER, info->extack);
		if (!err)
			jump_session_remove(s);
	}
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	return err;
}

static int put_jump_device(struct sk_buff *skb, struct jump_device *jd)
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
	if (nla_put_u32(skb, JUMP_A_IFINDEX, jd->dev->ifindex) ||
	    nla_put_string(skb, JUMP_A_IFNAME, jd->dev->name) ||
	    nla_put_u32(skb, JUMP_A_SESSION_COUNT, total) ||
	    nla_put_u32(skb, JUMP_A_MAX_SESSIONS, JUMP_MAX_SESSIONS) ||
	    nla_put_u64_64bit(skb, JUMP_A_EVENT_SEQ, seq, JUMP_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int jump_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_device *jd;
	struct sk_buff *msg;
	void *hdr;
	int err;

	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &jump_genl_family, 0, JUMP_CMD_DEV_GET);
	err = hdr ? put_jump_device(msg, jd) : -EMSGSIZE;
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

static int jump_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
		if (put_jump_device(skb, netdev_priv(dev))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
	rcu_read_unlock();
	return skb->len;
}

static const struct genl_small_ops jump_nl_ops[] = {
	{
		.cmd = JUMP_CMD_DEV_GET,
		.doit = jump_nl_dev_get,
		.dumpit = jump_nl_dev_dump,
	},
	{
		.cmd = JUMP_CMD_SESSION_NEW,
		.doit = jump_nl_session_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_GET,
		.doit = jump_nl_session_get,
		.dumpit = jump_nl_session_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_SET,
		.doit = jump_nl_session_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_DEL,
		.doit = jump_nl_session_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group jump_nl_mcgrps[] = {
	{ .name = JUMP_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family jump_genl_family __ro_after_init = {
	.name = JUMP_GENL_NAME,
	.version = JUMP_GENL_VERSION,
	.maxattr = JUMP_A_MAX,
	.policy = jump_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = jump_nl_ops,
	.n_small_ops = ARRAY_SIZE(jump_nl_ops),
	.mcgrps = jump_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(jump_nl_mcgrps),
};

int __init jump_netlink_init(void)
{
	return genl_register_family(&jump_genl_family);
}

void jump_netlink_uninit(void)
{
	genl_unregister_family(&jump_genl_family);
}
