// SPDX-License-Identifier: GPL-2.0
/* Kernel messages into structs; printing is output.c's business. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stddef.h>
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
	[JUMP_A_STANDBY] = MNL_TYPE_NESTED,
	[JUMP_A_CREATED_NS] = MNL_TYPE_U64,
	[JUMP_A_CHANGED_NS] = MNL_TYPE_U64,
	[JUMP_A_EVENT_SEQ] = MNL_TYPE_U64,
	[JUMP_A_SESSION_COUNT] = MNL_TYPE_U32,
	[JUMP_A_MAX_SESSIONS] = MNL_TYPE_U32,
	[JUMP_A_STATE_COUNTS] = MNL_TYPE_NESTED,
	[JUMP_A_STATS] = MNL_TYPE_NESTED,
	[JUMP_A_LOCAL_INDEX] = MNL_TYPE_U32,
	[JUMP_A_REMOTE_INDEX] = MNL_TYPE_U32,
	[JUMP_A_PREFIXES] = MNL_TYPE_NESTED,
	[JUMP_A_KEEPALIVE_MS] = MNL_TYPE_U32,
	[JUMP_A_VOLATILE_MS] = MNL_TYPE_U32,
	[JUMP_A_DEGRADED_MS] = MNL_TYPE_U32,
	[JUMP_A_KEY] = MNL_TYPE_NESTED,
	[JUMP_A_KEYS] = MNL_TYPE_NESTED,
	[JUMP_A_SOURCE] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type bind_types[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = MNL_TYPE_U32,
	[JUMP_BIND_A_LOCAL_IPV6] = MNL_TYPE_BINARY,
	[JUMP_BIND_A_LOCAL_PORT] = MNL_TYPE_U16,
	[JUMP_BIND_A_REMOTE_IPV4] = MNL_TYPE_U32,
	[JUMP_BIND_A_REMOTE_IPV6] = MNL_TYPE_BINARY,
	[JUMP_BIND_A_REMOTE_PORT] = MNL_TYPE_U16,
	[JUMP_BIND_A_EPOCH] = MNL_TYPE_U32,
	[JUMP_BIND_A_LOCAL_INDEX] = MNL_TYPE_U32,
	[JUMP_BIND_A_REMOTE_INDEX] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type prefix_types[JUMP_PREFIX_A_MAX + 1] = {
	[JUMP_PREFIX_A_IPV4] = MNL_TYPE_U32,
	[JUMP_PREFIX_A_IPV6] = MNL_TYPE_BINARY,
	[JUMP_PREFIX_A_LEN] = MNL_TYPE_U8,
};

static const enum mnl_attr_data_type key_types[JUMP_KEY_A_MAX + 1] = {
	[JUMP_KEY_A_SLOT] = MNL_TYPE_U8,
	[JUMP_KEY_A_ID] = MNL_TYPE_U8,
	[JUMP_KEY_A_TX_COUNTER] = MNL_TYPE_U64,
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
	if (tb[JUMP_BIND_A_LOCAL_INDEX] && tb[JUMP_BIND_A_REMOTE_INDEX]) {
		s->bind_local_index = mnl_attr_get_u32(tb[JUMP_BIND_A_LOCAL_INDEX]);
		s->bind_remote_index = mnl_attr_get_u32(tb[JUMP_BIND_A_REMOTE_INDEX]);
	}
}

static void parse_standby(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *tb[JUMP_BIND_A_MAX + 1];

	parse_table(NULL, nest, tb, JUMP_BIND_A_MAX, bind_types);
	get_endpoint(tb[JUMP_BIND_A_LOCAL_IPV4], tb[JUMP_BIND_A_LOCAL_IPV6],
		     tb[JUMP_BIND_A_LOCAL_PORT], &s->standby_local);
	get_endpoint(tb[JUMP_BIND_A_REMOTE_IPV4], tb[JUMP_BIND_A_REMOTE_IPV6],
		     tb[JUMP_BIND_A_REMOTE_PORT], &s->standby_remote);
	s->has_standby = s->standby_local.family && s->standby_remote.family;
}

/* Drop counters: a u64 of type drop + 1 each; unknown (newer) ones skipped. */
static void parse_drops(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *attr;

	c->has_drops = true;
	mnl_attr_for_each_nested(attr, nest) {
		unsigned int drop = mnl_attr_get_type(attr) - 1;

		if (drop < __JUMP_DROP_MAX &&
		    !mnl_attr_validate(attr, MNL_TYPE_U64))
			c->drops[drop] = mnl_attr_get_u64(attr);
	}
}

static void parse_stats(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (type == JUMP_STATS_A_DROPS) {
			if (!mnl_attr_validate(attr, MNL_TYPE_NESTED))
				parse_drops(attr, c);
		} else if (type <= JUMP_STATS_A_MAX && type != JUMP_STATS_A_PAD &&
			   !mnl_attr_validate(attr, MNL_TYPE_U64)) {
			c->stats[type] = mnl_attr_get_u64(attr);
			c->present |= 1U << type;
		}
	}
}

/* 0, or -1 for a prefix without an address, or with a length out of range. */
static int get_prefix(const struct nlattr *nest, struct prefix *p)
{
	const struct nlattr *tb[JUMP_PREFIX_A_MAX + 1];
	const struct nlattr *v6;

	parse_table(NULL, nest, tb, JUMP_PREFIX_A_MAX, prefix_types);
	memset(p, 0, sizeof(*p));
	v6 = tb[JUMP_PREFIX_A_IPV6];
	if (!tb[JUMP_PREFIX_A_LEN])
		return -1;
	p->len = mnl_attr_get_u8(tb[JUMP_PREFIX_A_LEN]);
	if (tb[JUMP_PREFIX_A_IPV4] && p->len <= 32) {
		p->family = AF_INET;
		memcpy(&p->addr.v4, mnl_attr_get_payload(tb[JUMP_PREFIX_A_IPV4]), 4);
	} else if (v6 && mnl_attr_get_payload_len(v6) == 16 && p->len <= 128) {
		p->family = AF_INET6;
		memcpy(&p->addr.v6, mnl_attr_get_payload(v6), 16);
	} else {
		return -1;
	}
	return 0;
}

/* At most JUMP_MAX_PREFIXES: what a longer list holds beyond is cut. */
static void parse_prefixes(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *attr;

	s->has |= HAS_PREFIXES;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != JUMP_A_PREFIX ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED))
			continue;
		if (s->nprefixes == JUMP_MAX_PREFIXES) {
			s->prefixes_cut = true;
			return;
		}
		if (!get_prefix(attr, &s->prefixes[s->nprefixes]))
			s->nprefixes++;
	}
}

static int get_key(const struct nlattr *nest, struct key_info *k)
{
	const struct nlattr *tb[JUMP_KEY_A_MAX + 1];

	parse_table(NULL, nest, tb, JUMP_KEY_A_MAX, key_types);
	if (!tb[JUMP_KEY_A_SLOT] || !tb[JUMP_KEY_A_ID])
		return -1;
	k->slot = mnl_attr_get_u8(tb[JUMP_KEY_A_SLOT]);
	k->id = mnl_attr_get_u8(tb[JUMP_KEY_A_ID]);
	k->has_tx_counter = tb[JUMP_KEY_A_TX_COUNTER];
	if (k->has_tx_counter)
		k->tx_counter = mnl_attr_get_u64(tb[JUMP_KEY_A_TX_COUNTER]);
	return 0;
}

/* One key per slot at most: that many are kept, in the kernel's order. */
static void parse_keys(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *attr;

	s->has |= HAS_KEYS;
	mnl_attr_for_each_nested(attr, nest) {
		if (s->nkeys == __JUMP_KEY_SLOT_MAX)
			return;
		if (mnl_attr_get_type(attr) == JUMP_A_KEY &&
		    !mnl_attr_validate(attr, MNL_TYPE_NESTED) &&
		    !get_key(attr, &s->keys[s->nkeys]))
			s->nkeys++;
	}
}

static void parse_source(const struct nlattr *nest, struct session_msg *s)
{
	const struct nlattr *tb[JUMP_BIND_A_MAX + 1];

	parse_table(NULL, nest, tb, JUMP_BIND_A_MAX, bind_types);
	get_endpoint(tb[JUMP_BIND_A_REMOTE_IPV4], tb[JUMP_BIND_A_REMOTE_IPV6],
		     tb[JUMP_BIND_A_REMOTE_PORT], &s->source);
	if (s->source.family)
		s->has |= HAS_SOURCE;
}

static void get_u32(const struct nlattr *attr, uint32_t *out,
		    unsigned int *has, unsigned int bit)
{
	if (attr) {
		*out = mnl_attr_get_u32(attr);
		*has |= bit;
	}
}

/* The attributes added with the data path; all optional. */
static void parse_data_path(const struct nlattr **tb, struct session_msg *s)
{
	get_u32(tb[JUMP_A_LOCAL_INDEX], &s->local_index, &s->has, HAS_LOCAL_INDEX);
	get_u32(tb[JUMP_A_REMOTE_INDEX], &s->remote_index, &s->has, HAS_REMOTE_INDEX);
	get_u32(tb[JUMP_A_KEEPALIVE_MS], &s->keepalive_ms, &s->has, HAS_KEEPALIVE);
	get_u32(tb[JUMP_A_VOLATILE_MS], &s->volatile_ms, &s->has, HAS_VOLATILE);
	get_u32(tb[JUMP_A_DEGRADED_MS], &s->degraded_ms, &s->has, HAS_DEGRADED);
	if (tb[JUMP_A_PREFIXES])
		parse_prefixes(tb[JUMP_A_PREFIXES], s);
	if (tb[JUMP_A_KEYS])
		parse_keys(tb[JUMP_A_KEYS], s);
	if (tb[JUMP_A_KEY] && !get_key(tb[JUMP_A_KEY], &s->key))
		s->has |= HAS_KEY;
	if (tb[JUMP_A_SOURCE])
		parse_source(tb[JUMP_A_SOURCE], s);
}

/* The data path's notices carry a session, not its state. */
static bool is_notice(uint8_t cmd)
{
	return cmd == JUMP_CMD_UNBOUND_SOURCE || cmd == JUMP_CMD_KEY_EXPIRING;
}

static uint64_t u64_or_0(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

int parse_session_msg(const struct nlmsghdr *nlh, struct session_msg *s)
{
	return parse_session_msg_stats(nlh, s, true);
}

int parse_session_msg_stats(const struct nlmsghdr *nlh, struct session_msg *s, bool stats)
{
	const struct nlattr *tb[JUMP_A_MAX + 1];

	/* Not the prefix list: only the first nprefixes entries are ever read. */
	memset(s, 0, offsetof(struct session_msg, prefixes));
	memset(&s->nkeys, 0, sizeof(*s) - offsetof(struct session_msg, nkeys));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	s->cmd = ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
	parse_table(nlh, NULL, tb, JUMP_A_MAX, attr_types);
	if (!tb[JUMP_A_IFINDEX] || !tb[JUMP_A_SESSION_ID])
		return -1;
	if (!is_notice(s->cmd) && (!tb[JUMP_A_STATE] || !tb[JUMP_A_VERSION]))
		return -1;
	s->ifindex = mnl_attr_get_u32(tb[JUMP_A_IFINDEX]);
	s->id = mnl_attr_get_u64(tb[JUMP_A_SESSION_ID]);
	if (tb[JUMP_A_STATE])
		s->state = mnl_attr_get_u8(tb[JUMP_A_STATE]);
	s->version = u64_or_0(tb[JUMP_A_VERSION]);
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
	if (tb[JUMP_A_STANDBY])
		parse_standby(tb[JUMP_A_STANDBY], s);
	if (tb[JUMP_A_STATS] && stats) {
		s->has |= HAS_STATS;
		parse_stats(tb[JUMP_A_STATS], &s->counters);
	}
	parse_data_path(tb, s);
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
	if (tb[JUMP_A_STATS]) {
		d->has_stats = true;
		parse_stats(tb[JUMP_A_STATS], &d->counters);
	}
	return 0;
}
