// SPDX-License-Identifier: GPL-2.0
/*
 * Requests of the "jump" family read into kernel structures: the device
 * a request names, bindings, prefix sets and a socket's local end. Each
 * refusal says why in extack; the handlers only act on what parsed.
 */
#include <linux/in6.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "bind.h"
#include "device.h"
#include "netlink.h"
#include "nl_parse.h"
#include "prefix.h"
#include "session.h"
#include "socket.h"

/* @msg must be a literal or otherwise static: extack keeps the pointer. */
bool jump_nl_require(struct genl_info *info, int attr, const char *msg)
{
	if (info->attrs[attr])
		return true;
	info->extack->_msg = msg;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

/* Returns the device with a reference held; release with dev_put(). */
struct jump_device *jump_nl_lookup_device(struct net *net,
					  struct nlattr **attrs,
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

struct jump_device *jump_nl_info_device(struct genl_info *info)
{
	return jump_nl_lookup_device(genl_info_net(info), info->attrs, info->extack);
}

struct jump_session *jump_nl_info_session(struct jump_device *jd,
					  struct genl_info *info)
{
	struct jump_session *s;

	lockdep_assert_held(&jd->table_lock);
	s = jump_session_lookup(jd, nla_get_u64(info->attrs[JUMP_A_SESSION_ID]));
	if (!s)
		GENL_SET_ERR_MSG(info, "no such session");
	return s;
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

/* Unlinkable migration: the binding's own indices and masks, all or none. */
static int parse_binding_unlink(struct nlattr **tb, struct jump_binding *b,
				struct netlink_ext_ack *extack)
{
	int n = !!tb[JUMP_BIND_A_LOCAL_INDEX] + !!tb[JUMP_BIND_A_REMOTE_INDEX] +
		!!tb[JUMP_BIND_A_TX_MASK] + !!tb[JUMP_BIND_A_RX_MASK];

	BUILD_BUG_ON(sizeof(b->tx_mask) != JUMP_HEADER_MASK_LEN);
	if (!n)
		return 0;
	if (n != 4) {
		NL_SET_ERR_MSG(extack, "an unlinkable binding needs JUMP_BIND_A_LOCAL_INDEX, _REMOTE_INDEX, _TX_MASK and _RX_MASK together");
		return -EINVAL;
	}
	b->local_index = nla_get_u32(tb[JUMP_BIND_A_LOCAL_INDEX]);
	if (b->local_index <= JUMP_MAX_SESSIONS) {
		NL_SET_ERR_MSG_ATTR(extack, tb[JUMP_BIND_A_LOCAL_INDEX],
				    "an unlinkable binding's receiver index lies above JUMP_MAX_SESSIONS");
		return -ERANGE;
	}
	b->remote_index = nla_get_u32(tb[JUMP_BIND_A_REMOTE_INDEX]);
	nla_memcpy(&b->tx_mask, tb[JUMP_BIND_A_TX_MASK], sizeof(b->tx_mask));
	nla_memcpy(&b->rx_mask, tb[JUMP_BIND_A_RX_MASK], sizeof(b->rx_mask));
	return 0;
}

/*
 * Caller holds jd->table_lock: the socket is attached (or found) here, so
 * the binding holds a socket reference from the start.
 */
struct jump_binding *jump_nl_parse_binding(struct jump_device *jd,
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
	err = parse_binding_family(tb, b, extack) ?: parse_binding_unlink(tb, b, extack);
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

/* A standby: a binding whose epoch is given at its promotion, not now. */
struct jump_binding *jump_nl_parse_standby(struct jump_device *jd,
					   struct nlattr *attr,
					   struct netlink_ext_ack *extack)
{
	struct jump_binding *b = jump_nl_parse_binding(jd, attr, extack);

	if (!IS_ERR(b) && b->epoch) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a standby takes its epoch when promoted: JUMP_BIND_A_EPOCH is refused");
		jump_binding_free(b);
		return ERR_PTR(-EINVAL);
	}
	return b;
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

struct jump_prefix_set *jump_nl_parse_prefixes(struct nlattr *attr,
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

/*
 * The local end SOCKET_GET names: one address and the port, nothing of a
 * remote, an epoch or a descriptor.
 */
int jump_nl_parse_local(struct nlattr *attr, struct jump_endpoint *local,
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
