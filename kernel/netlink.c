// SPDX-License-Identifier: GPL-2.0
/*
 * The "jump" generic netlink family: the only way in for jumpd and jumpctl.
 * Documentation/netlink.rst is the reference for every command.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "bind.h"
#include "crypto.h"
#include "device.h"
#include "netlink.h"
#include "prefix.h"
#include "session.h"
#include "socket.h"

static const struct nla_policy jump_binding_policy[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_LOCAL_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_REMOTE_IPV4] = { .type = NLA_BE32 },
	[JUMP_BIND_A_REMOTE_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_BIND_A_REMOTE_PORT] = { .type = NLA_BE16 },
	[JUMP_BIND_A_EPOCH] = NLA_POLICY_MIN(NLA_U32, 1),
	[JUMP_BIND_A_SOCKET_FD] = { .type = NLA_U32 },
};

static const struct nla_policy jump_prefix_policy[JUMP_PREFIX_A_MAX + 1] = {
	[JUMP_PREFIX_A_IPV4] = { .type = NLA_BE32 },
	[JUMP_PREFIX_A_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[JUMP_PREFIX_A_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy jump_key_policy[JUMP_KEY_A_MAX + 1] = {
	[JUMP_KEY_A_SLOT] = NLA_POLICY_MAX(NLA_U8, JUMP_KEY_SLOT_MAX),
	[JUMP_KEY_A_ID] = { .type = NLA_U8 },
	[JUMP_KEY_A_TX] = NLA_POLICY_EXACT_LEN(JUMP_KEY_LEN),
	[JUMP_KEY_A_RX] = NLA_POLICY_EXACT_LEN(JUMP_KEY_LEN),
};

/* The upper bound and the order are checked together, in session.c. */
#define LIVENESS_RANGE NLA_POLICY_MIN(NLA_U32, JUMP_MIN_LIVENESS_MS)

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
	[JUMP_A_REMOTE_INDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[JUMP_A_PREFIXES] = NLA_POLICY_NESTED_ARRAY(jump_prefix_policy),
	[JUMP_A_KEEPALIVE_MS] = LIVENESS_RANGE,
	[JUMP_A_VOLATILE_MS] = LIVENESS_RANGE,
	[JUMP_A_DEGRADED_MS] = LIVENESS_RANGE,
	[JUMP_A_KEY] = NLA_POLICY_NESTED(jump_key_policy),
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

static void get_addr(struct nlattr *attr4, struct nlattr *attr6,
		     struct jump_endpoint *e)
{
	e->family = attr4 ? AF_INET : AF_INET6;
	if (attr4)
		e->addr.ip4 = nla_get_in_addr(attr4);
	else
		e->addr.ip6 = nla_get_in6_addr(attr6);
}

static int parse_binding_family(struct nlattr **tb, struct jump_binding *b,
				struct netlink_ext_ack *extack)
{
	bool v4 = tb[JUMP_BIND_A_LOCAL_IPV4] && tb[JUMP_BIND_A_REMOTE_IPV4] &&
		  !tb[JUMP_BIND_A_LOCAL_IPV6] && !tb[JUMP_BIND_A_REMOTE_IPV6];
	bool v6 = tb[JUMP_BIND_A_LOCAL_IPV6] && tb[JUMP_BIND_A_REMOTE_IPV6] &&
		  !tb[JUMP_BIND_A_LOCAL_IPV4] && !tb[JUMP_BIND_A_REMOTE_IPV4];

	if (!v4 && !v6) {
		NL_SET_ERR_MSG(extack, "binding needs one local and one remote address of the same family");
		return -EINVAL;
	}
	get_addr(tb[JUMP_BIND_A_LOCAL_IPV4], tb[JUMP_BIND_A_LOCAL_IPV6], &b->local);
	get_addr(tb[JUMP_BIND_A_REMOTE_IPV4], tb[JUMP_BIND_A_REMOTE_IPV6], &b->remote);
	return 0;
}

/*
 * Caller holds jd->table_lock: the socket is attached (or found) here, so
 * the binding holds a socket reference from the start.
 */
static struct jump_binding *parse_binding(struct jump_device *jd,
					  struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[JUMP_BIND_A_MAX + 1];
	struct jump_binding *b;
	struct jump_sock *js;
	int err;

	err = nla_parse_nested(tb, JUMP_BIND_A_MAX, attr, jump_binding_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[JUMP_BIND_A_LOCAL_PORT] || !tb[JUMP_BIND_A_REMOTE_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "binding needs a local and a remote port");
		return ERR_PTR(-EINVAL);
	}
	b = jump_binding_new();
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->local.port = nla_get_be16(tb[JUMP_BIND_A_LOCAL_PORT]);
	b->remote.port = nla_get_be16(tb[JUMP_BIND_A_REMOTE_PORT]);
	if (tb[JUMP_BIND_A_EPOCH])
		b->epoch = nla_get_u32(tb[JUMP_BIND_A_EPOCH]);
	if (!b->remote.port || !b->local.port) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "binding ports must not be 0");
		err = -EINVAL;
		goto err;
	}
	err = parse_binding_family(tb, b, extack);
	if (err)
		goto err;
	if (jump_endpoint_is_any(&b->remote)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "remote address must not be the any address");
		err = -EINVAL;
		goto err;
	}
	js = tb[JUMP_BIND_A_SOCKET_FD] ?
	     jump_sock_from_fd(jd, nla_get_u32(tb[JUMP_BIND_A_SOCKET_FD]),
			       &b->local, extack) :
	     jump_sock_find(jd, &b->local, extack);
	if (IS_ERR(js)) {
		err = PTR_ERR(js);
		goto err;
	}
	b->sock = js;
	return b;
err:
	jump_binding_free(b);
	return ERR_PTR(err);
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
	reply = IS_ERR(s) ? ERR_CAST(s) :
		jump_nl_session_reply(info, s, JUMP_CMD_SESSION_NEW);
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
		reply = jump_nl_session_reply(info, s, JUMP_CMD_SESSION_GET);
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
 * One session with every prefix, key and counter takes more than a page:
 * each dump skb must hold at least one, or the dump could not go on.
 */
static int jump_nl_session_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN +
					      jump_nl_session_size(true));
	return 0;
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
		err = jump_nl_put_session(skb, s, true);
		spin_unlock_bh(&s->lock);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	dev_put(jd->dev);
	/*
	 * Stopped on a full skb: resume at the session that did not fit. An
	 * empty skb would end the dump as if it were complete: say so instead.
	 */
	if (err && !skb->len) {
		NL_SET_ERR_MSG(cb->extack, "a session does not fit in a dump message");
		return err;
	}
	cb->args[0] = err ? index : ULONG_MAX;
	return skb->len;
}

/* Caller holds jd->table_lock. */
static int session_transition(struct jump_device *jd, struct jump_session *s,
			      struct genl_info *info)
{
	struct jump_change chg = {};
	struct sk_buff *reply;
	int err;

	if (!require(info, JUMP_A_VERSION, "missing expected version (JUMP_A_VERSION)") ||
	    !require(info, JUMP_A_REASON, "missing reason code (JUMP_A_REASON)"))
		return -EINVAL;
	chg.expected_version = nla_get_u64(info->attrs[JUMP_A_VERSION]);
	chg.to = nla_get_u8(info->attrs[JUMP_A_STATE]);
	chg.reason = nla_get_u16(info->attrs[JUMP_A_REASON]);
	if (info->attrs[JUMP_A_BINDING]) {
		chg.binding = parse_binding(jd, info->attrs[JUMP_A_BINDING],
					    info->extack);
		if (IS_ERR(chg.binding))
			return PTR_ERR(chg.binding);
	}
	err = jump_session_change(s, &chg, JUMP_ORIGIN_USER, info->extack);
	if (err) {
		jump_binding_free(chg.binding);
		return err;
	}
	reply = jump_nl_session_reply(info, s, JUMP_CMD_SESSION_SET);
	if (chg.to == JUMP_STATE_TERMINATED)
		jump_session_remove(s);
	/* The change is committed; a failed reply is only a lost answer. */
	return IS_ERR(reply) ? PTR_ERR(reply) : genlmsg_reply(reply, info);
}

static int parse_prefix(struct nlattr *attr, struct jump_prefix *p,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[JUMP_PREFIX_A_MAX + 1];
	unsigned int bits, i;
	int err;

	err = nla_parse_nested(tb, JUMP_PREFIX_A_MAX, attr, jump_prefix_policy,
			       extack);
	if (err)
		return err;
	if (!tb[JUMP_PREFIX_A_LEN] ||
	    !tb[JUMP_PREFIX_A_IPV4] == !tb[JUMP_PREFIX_A_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a prefix needs one address (IPv4 or IPv6) and a length");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->family = tb[JUMP_PREFIX_A_IPV4] ? AF_INET : AF_INET6;
	if (tb[JUMP_PREFIX_A_IPV4])
		p->addr.ip4 = nla_get_in_addr(tb[JUMP_PREFIX_A_IPV4]);
	else
		p->addr.ip6 = nla_get_in6_addr(tb[JUMP_PREFIX_A_IPV6]);
	p->len = nla_get_u8(tb[JUMP_PREFIX_A_LEN]);
	bits = p->family == AF_INET ? 32 : 128;
	if (p->len > bits) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "prefix length exceeds the address");
		return -EINVAL;
	}
	for (i = p->len; i < bits; i++) {
		if (p->addr.bytes[i / 8] & (0x80 >> (i % 8))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "prefix has host bits set");
			return -EINVAL;
		}
	}
	return 0;
}

static struct jump_prefix_set *parse_prefixes(struct nlattr *attr,
					      struct netlink_ext_ack *extack)
{
	struct jump_prefix_set *set;
	struct nlattr *one;
	int rem, n = 0, err;
	unsigned int i;

	nla_for_each_nested(one, attr, rem)
		n++;
	if (n > JUMP_MAX_PREFIXES) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "more than JUMP_MAX_PREFIXES prefixes");
		return ERR_PTR(-E2BIG);
	}
	set = kzalloc(struct_size(set, prefix, n), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	nla_for_each_nested(one, attr, rem) {
		err = parse_prefix(one, &set->prefix[set->count], extack);
		if (err)
			goto err;
		for (i = 0; i < set->count; i++) {
			if (!memcmp(&set->prefix[i], &set->prefix[set->count],
				    sizeof(set->prefix[i]))) {
				NL_SET_ERR_MSG_ATTR(extack, one, "prefix given twice");
				err = -EINVAL;
				goto err;
			}
		}
		set->count++;
	}
	return set;
err:
	kfree(set);
	return ERR_PTR(err);
}

static u32 get_u32_or_0(struct genl_info *info, int attr)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : 0;
}

/* Caller holds jd->table_lock. */
static int session_settings(struct jump_session *s, struct genl_info *info)
{
	struct jump_settings set = {};
	struct sk_buff *reply;
	int err;

	if (info->attrs[JUMP_A_VERSION] || info->attrs[JUMP_A_REASON] ||
	    info->attrs[JUMP_A_BINDING]) {
		GENL_SET_ERR_MSG(info, "a binding, version or reason needs a target state (JUMP_A_STATE)");
		return -EINVAL;
	}
	if (info->attrs[JUMP_A_REMOTE_INDEX]) {
		set.has_remote_index = true;
		set.remote_index = nla_get_u32(info->attrs[JUMP_A_REMOTE_INDEX]);
	}
	set.keepalive_ms = get_u32_or_0(info, JUMP_A_KEEPALIVE_MS);
	set.volatile_ms = get_u32_or_0(info, JUMP_A_VOLATILE_MS);
	set.degraded_ms = get_u32_or_0(info, JUMP_A_DEGRADED_MS);
	if (info->attrs[JUMP_A_PREFIXES]) {
		set.prefixes = parse_prefixes(info->attrs[JUMP_A_PREFIXES],
					      info->extack);
		if (IS_ERR(set.prefixes))
			return PTR_ERR(set.prefixes);
	}
	err = jump_session_configure(s, &set, info->extack);
	kfree(set.prefixes);
	if (err)
		return err;
	reply = jump_nl_session_reply(info, s, JUMP_CMD_SESSION_SET);
	return IS_ERR(reply) ? PTR_ERR(reply) : genlmsg_reply(reply, info);
}

static bool has_settings(struct genl_info *info)
{
	return info->attrs[JUMP_A_REMOTE_INDEX] || info->attrs[JUMP_A_PREFIXES] ||
	       info->attrs[JUMP_A_KEEPALIVE_MS] || info->attrs[JUMP_A_VOLATILE_MS] ||
	       info->attrs[JUMP_A_DEGRADED_MS];
}

/*
 * With JUMP_A_STATE: a CAS transition. Without: a settings change. Never
 * both in one request, so neither can half-apply the other.
 */
static int jump_nl_session_set(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_device *jd;
	struct jump_session *s;
	int err;

	if (!require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)"))
		return -EINVAL;
	if (info->attrs[JUMP_A_STATE] && has_settings(info)) {
		GENL_SET_ERR_MSG(info, "a transition and a settings change are separate requests");
		return -EINVAL;
	}
	if (!info->attrs[JUMP_A_STATE] && !has_settings(info)) {
		GENL_SET_ERR_MSG(info, "nothing to change: give a target state (JUMP_A_STATE) or settings");
		return -EINVAL;
	}
	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (!s) {
		GENL_SET_ERR_MSG(info, "no such session");
		err = -ENOENT;
	} else if (info->attrs[JUMP_A_STATE]) {
		err = session_transition(jd, s, info);
	} else {
		err = session_settings(s, info);
	}
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	return err;
}

/* Runs @fn on the session a key request names, under the table lock. */
static int key_request(struct genl_info *info,
		       int (*fn)(struct jump_session *s, struct nlattr **tb,
				 struct netlink_ext_ack *extack))
{
	struct nlattr *tb[JUMP_KEY_A_MAX + 1] = {};
	struct jump_device *jd;
	struct jump_session *s;
	int err;

	if (!require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)"))
		return -EINVAL;
	if (info->attrs[JUMP_A_KEY]) {
		err = nla_parse_nested(tb, JUMP_KEY_A_MAX, info->attrs[JUMP_A_KEY],
				       jump_key_policy, info->extack);
		if (err)
			return err;
	}
	jd = info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (!s) {
		GENL_SET_ERR_MSG(info, "no such session");
		err = -ENOENT;
	} else {
		err = fn(s, tb, info->extack);
	}
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	return err;
}

static bool key_require(struct nlattr **tb, int attr, struct netlink_ext_ack *extack,
			const char *msg)
{
	if (tb[attr])
		return true;
	extack->_msg = msg;	/* callers pass literals only */
	return false;
}

static int key_new(struct jump_session *s, struct nlattr **tb,
		   struct netlink_ext_ack *extack)
{
	struct jump_key *k;
	int err;

	if (!key_require(tb, JUMP_KEY_A_SLOT, extack, "missing key slot (JUMP_KEY_A_SLOT in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_ID, extack, "missing key id (JUMP_KEY_A_ID in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_TX, extack, "missing transmit key (JUMP_KEY_A_TX in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_RX, extack, "missing receive key (JUMP_KEY_A_RX in JUMP_A_KEY)"))
		return -EINVAL;
	k = jump_key_new(nla_get_u8(tb[JUMP_KEY_A_ID]), nla_data(tb[JUMP_KEY_A_TX]),
			 nla_data(tb[JUMP_KEY_A_RX]));
	if (!k)
		return -ENOMEM;
	err = jump_key_install(s, nla_get_u8(tb[JUMP_KEY_A_SLOT]), k, extack);
	if (err)
		jump_key_destroy(k);
	return err;
}

static int key_swap(struct jump_session *s, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	return jump_key_swap(s, extack);
}

static int key_del(struct jump_session *s, struct nlattr **tb,
		   struct netlink_ext_ack *extack)
{
	if (!key_require(tb, JUMP_KEY_A_SLOT, extack, "missing key slot (JUMP_KEY_A_SLOT in JUMP_A_KEY)"))
		return -EINVAL;
	return jump_key_delete(s, nla_get_u8(tb[JUMP_KEY_A_SLOT]), extack);
}

static int jump_nl_key_new(struct sk_buff *skb, struct genl_info *info)
{
	if (!require(info, JUMP_A_KEY, "missing key (JUMP_A_KEY)"))
		return -EINVAL;
	return key_request(info, key_new);
}

static int jump_nl_key_swap(struct sk_buff *skb, struct genl_info *info)
{
	return key_request(info, key_swap);
}

static int jump_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	if (!require(info, JUMP_A_KEY, "missing key slot (JUMP_A_KEY)"))
		return -EINVAL;
	return key_request(info, key_del);
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

/*
 * The local end SOCKET_GET names: one address and the port, nothing of a
 * remote, an epoch or a descriptor.
 */
static int parse_local(struct nlattr *attr, struct jump_endpoint *local,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[JUMP_BIND_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, JUMP_BIND_A_MAX, attr, jump_binding_policy,
			       extack);
	if (err)
		return err;
	if (tb[JUMP_BIND_A_REMOTE_IPV4] || tb[JUMP_BIND_A_REMOTE_IPV6] ||
	    tb[JUMP_BIND_A_REMOTE_PORT] || tb[JUMP_BIND_A_EPOCH] ||
	    tb[JUMP_BIND_A_SOCKET_FD]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a socket is named by its local address and port only");
		return -EINVAL;
	}
	if (!tb[JUMP_BIND_A_LOCAL_IPV4] == !tb[JUMP_BIND_A_LOCAL_IPV6] ||
	    !tb[JUMP_BIND_A_LOCAL_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "binding needs one local address (JUMP_BIND_A_LOCAL_IPV4 or JUMP_BIND_A_LOCAL_IPV6) and the local port (JUMP_BIND_A_LOCAL_PORT)");
		return -EINVAL;
	}
	memset(local, 0, sizeof(*local));
	get_addr(tb[JUMP_BIND_A_LOCAL_IPV4], tb[JUMP_BIND_A_LOCAL_IPV6], local);
	local->port = nla_get_be16(tb[JUMP_BIND_A_LOCAL_PORT]);
	if (!local->port) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "binding ports must not be 0");
		return -EINVAL;
	}
	return 0;
}

/*
 * A new descriptor, close-on-exec, in the calling process, of the socket
 * the device holds for a local address and port: a restarted jumpd reads
 * its control packets from the socket it lent before it died. The
 * descriptor is installed last, when only the send of the reply can fail:
 * a reply lost then (the requester's receive buffer is full) leaves it
 * open, unnamed, in the requester.
 */
static int jump_nl_socket_get(struct sk_buff *skb, struct genl_info *info)
{
	struct jump_endpoint local;
	struct jump_device *jd;
	struct jump_sock *js;
	struct sk_buff *msg;
	int fd, err;

	if (!require(info, JUMP_A_BINDING, "missing binding with the socket's local address and port (JUMP_A_BINDING)"))
		return -EINVAL;
	err = parse_local(info->attrs[JUMP_A_BINDING], &local, info->extack);
	if (err)
		return err;
	jd = info_device(info);
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

static const struct genl_small_ops jump_nl_ops[] = {
	{
		.cmd = JUMP_CMD_DEV_GET,
		.doit = jump_nl_dev_get,
		.dumpit = jump_nl_dev_dump,
		/* Event sequence and drop counts tell when sessions move. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SESSION_NEW,
		.doit = jump_nl_session_new,
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
	{
		.cmd = JUMP_CMD_KEY_NEW,
		.doit = jump_nl_key_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_KEY_SWAP,
		.doit = jump_nl_key_swap,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_KEY_DEL,
		.doit = jump_nl_key_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = JUMP_CMD_SOCKET_GET,
		.doit = jump_nl_socket_get,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* Ops that need more than genl_small_ops holds: a dump's start. */
static const struct genl_ops jump_nl_full_ops[] = {
	{
		.cmd = JUMP_CMD_SESSION_GET,
		.doit = jump_nl_session_get,
		.start = jump_nl_session_dump_start,
		.dumpit = jump_nl_session_dump,
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
	.ops = jump_nl_full_ops,
	.n_ops = ARRAY_SIZE(jump_nl_full_ops),
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
