// SPDX-License-Identifier: GPL-2.0
/* Kernel messages into structs; printing is output.c's business. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "msg.h"

/* Expected types of the attributes we read; others are skipped. */
static const enum mnl_attr_data_type attr_types[JUMP_A_MAX + 1] = {
	[JUMP_A_IFINDEX] = MNL_TYPE_U32,
	[JUMP_A_IFNAME] = MNL_TYPE_NUL_STRING,
	[JUMP_A_SESSION_ID] = MNL_TYPE_U64,
	[JUMP_A_ROLE] = MNL_TYPE_U8,
	[JUMP_A_PEER_PUBKEY] = MNL_TYPE_BINARY,
	[JUMP_A_STATE] = MNL_TYPE_U8,
	[JUMP_A_PREV_STATE] = MNL_TYPE_U8,
	[JUMP_A_VERSION] = MNL_TYPE_U64,
	[JUMP_A_REASON] = MNL_TYPE_U16,
	[JUMP_A_BINDING] = MNL_TYPE_NESTED,
	[JUMP_A_CREATED_NS] = MNL_TYPE_U64,
	[JUMP_A_CHANGED_NS] = MNL_TYPE_U64,
	[JUMP_A_EVENT_SEQ] = MNL_TYPE_U64,
	[JUMP_A_SESSION_COUNT] = MNL_TYPE_U32,
	[JUMP_A_MAX_SESSIONS] = MNL_TYPE_U32,
	[JUMP_A_STATE_COUNTS] = MNL_TYPE_NESTED,
	[JUMP_A_STATS] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type bind_types[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = MNL_TYPE_U32,
	[JUMP_BIND_A_LOCAL_IPV6] = MNL_TYPE_BINARY,
	[JUMP_BIND_A_LOCAL_PORT] = MNL_TYPE_U16,
	[JUMP_BIND_A_REMOTE_IPV4] = MNL_TYPE_U32,
	[JUMP_BIND_A_REMOTE_IPV6] = MNL_TYPE_BINARY,
	[JUMP_BIND_A_REMOTE_PORT] = MNL_TYPE_U16,
	[JUMP_BIND_A_EPOCH] = MNL_TYPE_U32,
};

struct table {
	const struct nlattr **tb;
	const enum mnl_attr_data_type *types;
	unsigned int max;
};

static int table_cb(const struct nlattr *attr, void *data)
{
	const struct table *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > t->max || !t->types[type])
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, t->types[type]) < 0)
		return MNL_CB_OK;	/* a malformed attribute is ignored */
	t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_table(const struct nlmsghdr *nlh, const struct nlattr *nest,
			const struct nlattr **tb, unsigned int max,
			const enum mnl_attr_data_type *types)
{
	struct table t = { .tb = tb, .types = types, .max = max };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (nest)
		mnl_attr_parse_nested(nest, table_cb, &t);
	else
		mnl_attr_parse(nlh, sizeof(struct genlmsghdr), table_cb, &t);
}

static void get_endpoint(const struct nlattr *v4, const struct nlattr *v6,
			 const struct nlattr *port, struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (v4) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(v4), 4);
	} else if (v6 && mnl_attr_get_payload_len(v6) == 16) {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(v6), 16);
	}
	if (port)
		ep->port = ntohs(mnl_attr_get_u16(port));
}

static void parse_binding(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *tb[JUMP_BIND_A_MAX + 1];

	parse_table(NULL, nest, tb, JUMP_BIND_A_MAX, bind_types);
	get_endpoint(tb[JUMP_BIND_A_LOCAL_IPV4], tb[JUMP_BIND_A_LOCAL_IPV6],
		     tb[JUMP_BIND_A_LOCAL_PORT], &s->local);
	get_endpoint(tb[JUMP_BIND_A_REMOTE_IPV4], tb[JUMP_BIND_A_REMOTE_IPV6],
		     tb[JUMP_BIND_A_REMOTE_PORT], &s->remote);
	s->bound = s->local.family && s->remote.family;
	if (tb[JUMP_BIND_A_EPOCH])
		s->epoch = mnl_attr_get_u32(tb[JUMP_BIND_A_EPOCH]);
}

static void parse_stats(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (type <= JUMP_STATS_A_MAX && type != JUMP_STATS_A_PAD &&
		    !mnl_attr_validate(attr, MNL_TYPE_U64))
			s->stats[type] = mnl_attr_get_u64(attr);
	}
}

static uint64_t u64_or_0(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

int parse_session_msg(const struct nlmsghdr *nlh, struct session_msg *s)
{
	const struct nlattr *tb[JUMP_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	s->cmd = ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
	parse_table(nlh, NULL, tb, JUMP_A_MAX, attr_types);
	if (!tb[JUMP_A_IFINDEX] || !tb[JUMP_A_SESSION_ID] || !tb[JUMP_A_STATE] ||
	    !tb[JUMP_A_VERSION])
		return -1;
	s->ifindex = mnl_attr_get_u32(tb[JUMP_A_IFINDEX]);
	s->id = mnl_attr_get_u64(tb[JUMP_A_SESSION_ID]);
	s->state = mnl_attr_get_u8(tb[JUMP_A_STATE]);
	s->version = mnl_attr_get_u64(tb[JUMP_A_VERSION]);
	if (tb[JUMP_A_ROLE])
		s->role = mnl_attr_get_u8(tb[JUMP_A_ROLE]);
	if (tb[JUMP_A_PEER_PUBKEY] &&
	    mnl_attr_get_payload_len(tb[JUMP_A_PEER_PUBKEY]) == JUMP_PUBKEY_LEN)
		memcpy(s->pubkey, mnl_attr_get_payload(tb[JUMP_A_PEER_PUBKEY]),
		       JUMP_PUBKEY_LEN);
	s->has_prev = tb[JUMP_A_PREV_STATE];
	if (s->has_prev)
		s->prev_state = mnl_attr_get_u8(tb[JUMP_A_PREV_STATE]);
	if (tb[JUMP_A_REASON])
		s->reason = mnl_attr_get_u16(tb[JUMP_A_REASON]);
	s->created_ns = u64_or_0(tb[JUMP_A_CREATED_NS]);
	s->changed_ns = u64_or_0(tb[JUMP_A_CHANGED_NS]);
	s->has_seq = tb[JUMP_A_EVENT_SEQ];
	s->seq = u64_or_0(tb[JUMP_A_EVENT_SEQ]);
	if (tb[JUMP_A_BINDING])
		parse_binding(tb[JUMP_A_BINDING], s);
	if (tb[JUMP_A_STATS])
		parse_stats(tb[JUMP_A_STATS], s);
	return 0;
}

int parse_device_msg(const struct nlmsghdr *nlh, struct device_msg *d)
{
	const struct nlattr *tb[JUMP_A_MAX + 1], *attr;

	memset(d, 0, sizeof(*d));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	parse_table(nlh, NULL, tb, JUMP_A_MAX, attr_types);
	if (!tb[JUMP_A_IFINDEX] || !tb[JUMP_A_IFNAME])
		return -1;
	d->ifindex = mnl_attr_get_u32(tb[JUMP_A_IFINDEX]);
	snprintf(d->ifname, sizeof(d->ifname), "%s", mnl_attr_get_str(tb[JUMP_A_IFNAME]));
	if (tb[JUMP_A_SESSION_COUNT])
		d->sessions = mnl_attr_get_u32(tb[JUMP_A_SESSION_COUNT]);
	if (tb[JUMP_A_MAX_SESSIONS])
		d->max_sessions = mnl_attr_get_u32(tb[JUMP_A_MAX_SESSIONS]);
	d->event_seq = u64_or_0(tb[JUMP_A_EVENT_SEQ]);
	if (tb[JUMP_A_STATE_COUNTS]) {
		mnl_attr_for_each_nested(attr, tb[JUMP_A_STATE_COUNTS]) {
			unsigned int state = mnl_attr_get_type(attr) - 1;

			if (state < __JUMP_STATE_MAX &&
			    !mnl_attr_validate(attr, MNL_TYPE_U32))
				d->state_counts[state] = mnl_attr_get_u32(attr);
		}
	}
	return 0;
}
