// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's generic netlink: what the kernel says, decoded. Session messages
 * (dump entries, replies, events) into struct jumpd_msg, DEV_GET replies
 * into struct jumpd_dev_info, and the extended ack of an NLMSG_ERROR or
 * NLMSG_DONE into struct jumpd_extack. Every message is untrusted: a
 * malformed one is -EBADMSG, never half read. No socket here.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"

_Static_assert(JUMP_A_MAX < 64, "jumpd_msg.present is a 64-bit map");

/*
 * What the kernel sends. Unknown (newer) attributes are ignored by nla_parse;
 * JUMP_A_PAD has no entry and is ignored too.
 */
static const struct nla_policy jump_policy[JUMP_A_MAX + 1] = {
	[JUMP_A_IFINDEX] = { .type = NLA_U32 },
	[JUMP_A_IFNAME] = { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
	[JUMP_A_SESSION_ID] = { .type = NLA_U64 },
	[JUMP_A_ROLE] = { .type = NLA_U8 },
	[JUMP_A_PEER_PUBKEY] = { .type = NLA_UNSPEC, .minlen = JUMP_PUBKEY_LEN,
				 .maxlen = JUMP_PUBKEY_LEN },
	[JUMP_A_STATE] = { .type = NLA_U8 },
	[JUMP_A_PREV_STATE] = { .type = NLA_U8 },
	[JUMP_A_VERSION] = { .type = NLA_U64 },
	[JUMP_A_REASON] = { .type = NLA_U16 },
	[JUMP_A_BINDING] = { .type = NLA_NESTED },
	[JUMP_A_CREATED_NS] = { .type = NLA_U64 },
	[JUMP_A_CHANGED_NS] = { .type = NLA_U64 },
	[JUMP_A_EVENT_SEQ] = { .type = NLA_U64 },
	[JUMP_A_SESSION_COUNT] = { .type = NLA_U32 },
	[JUMP_A_MAX_SESSIONS] = { .type = NLA_U32 },
	[JUMP_A_STATE_COUNTS] = { .type = NLA_NESTED },
	[JUMP_A_STATS] = { .type = NLA_NESTED },
	[JUMP_A_LOCAL_INDEX] = { .type = NLA_U32 },
	[JUMP_A_REMOTE_INDEX] = { .type = NLA_U32 },
	[JUMP_A_PREFIXES] = { .type = NLA_NESTED },
	[JUMP_A_KEEPALIVE_MS] = { .type = NLA_U32 },
	[JUMP_A_VOLATILE_MS] = { .type = NLA_U32 },
	[JUMP_A_DEGRADED_MS] = { .type = NLA_U32 },
	[JUMP_A_KEY] = { .type = NLA_NESTED },
	[JUMP_A_KEYS] = { .type = NLA_NESTED },
	[JUMP_A_SOURCE] = { .type = NLA_NESTED },
};

#define EXACT(n) { .type = NLA_UNSPEC, .minlen = (n), .maxlen = (n) }
static const struct nla_policy binding_policy[JUMP_BIND_A_MAX + 1] = {
	[JUMP_BIND_A_LOCAL_IPV4] = EXACT(sizeof(struct in_addr)),
	[JUMP_BIND_A_LOCAL_IPV6] = EXACT(sizeof(struct in6_addr)),
	[JUMP_BIND_A_LOCAL_PORT] = EXACT(sizeof(uint16_t)),
	[JUMP_BIND_A_REMOTE_IPV4] = EXACT(sizeof(struct in_addr)),
	[JUMP_BIND_A_REMOTE_IPV6] = EXACT(sizeof(struct in6_addr)),
	[JUMP_BIND_A_REMOTE_PORT] = EXACT(sizeof(uint16_t)),
	[JUMP_BIND_A_EPOCH] = EXACT(sizeof(uint32_t)),
	[JUMP_BIND_A_SOCKET_FD] = EXACT(sizeof(uint32_t)),
	[JUMP_BIND_A_LOCAL_INDEX] = EXACT(sizeof(uint32_t)),
	[JUMP_BIND_A_REMOTE_INDEX] = EXACT(sizeof(uint32_t)),
};

static const struct nla_policy key_policy[JUMP_KEY_A_MAX + 1] = {
	[JUMP_KEY_A_SLOT] = EXACT(sizeof(uint8_t)),
	[JUMP_KEY_A_ID] = EXACT(sizeof(uint8_t)),
	[JUMP_KEY_A_TX_COUNTER] = EXACT(sizeof(uint64_t)),
};

static int parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	return genlmsg_parse(nlh, 0, tb, JUMP_A_MAX, jump_policy) < 0 ? -EBADMSG : 0;
}

/*
 * libnl's nla_parse() stops quietly at an attribute that overruns its nest;
 * here that is a malformed message.
 */
static int parse_nested(struct nlattr **tb, int max, struct nlattr *nest,
			const struct nla_policy *policy)
{
	struct nlattr *pos;
	int rem;

	if (nla_parse_nested(tb, max, nest, policy) < 0)
		return -EBADMSG;
	nla_for_each_nested(pos, nest, rem)
		;
	return rem > 0 ? -EBADMSG : 0;
}

/* One side's address: none (0), IPv4 or IPv6; both is malformed (-1). */
static int get_addr(struct nlattr *a4, struct nlattr *a6, void *addr)
{
	if (a4 && a6)
		return -1;
	if (a4) {
		memcpy(addr, nla_data(a4), sizeof(struct in_addr));
		return AF_INET;
	}
	if (a6) {
		memcpy(addr, nla_data(a6), sizeof(struct in6_addr));
		return AF_INET6;
	}
	return 0;
}

/*
 * A BINDING (both ends and the epoch), a SOCKET_GET reply's BINDING (the
 * local end and the descriptor) or an UNBOUND_SOURCE's SOURCE (the remote
 * end): each end given has its port, both ends are of one family, and at
 * least one end is there.
 */
static int parse_binding(struct nlattr *nest, struct jumpd_binding *b)
{
	struct nlattr *tb[JUMP_BIND_A_MAX + 1];
	int local, remote;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (parse_nested(tb, JUMP_BIND_A_MAX, nest, binding_policy))
		return -EBADMSG;
	local = get_addr(tb[JUMP_BIND_A_LOCAL_IPV4], tb[JUMP_BIND_A_LOCAL_IPV6],
			 &b->local);
	remote = get_addr(tb[JUMP_BIND_A_REMOTE_IPV4], tb[JUMP_BIND_A_REMOTE_IPV6],
			  &b->remote);
	if (local < 0 || remote < 0 || (!local && !remote) ||
	    (local && remote && local != remote) ||
	    !local != !tb[JUMP_BIND_A_LOCAL_PORT] ||
	    !remote != !tb[JUMP_BIND_A_REMOTE_PORT])
		return -EBADMSG;
	b->family = local ?: remote;
	if (local)
		b->local_port = ntohs(nla_get_u16(tb[JUMP_BIND_A_LOCAL_PORT]));
	if (remote)
		b->remote_port = ntohs(nla_get_u16(tb[JUMP_BIND_A_REMOTE_PORT]));
	if (tb[JUMP_BIND_A_EPOCH])
		b->epoch = nla_get_u32(tb[JUMP_BIND_A_EPOCH]);
	if (tb[JUMP_BIND_A_LOCAL_INDEX] && tb[JUMP_BIND_A_REMOTE_INDEX]) {
		b->local_index = nla_get_u32(tb[JUMP_BIND_A_LOCAL_INDEX]);
		b->remote_index = nla_get_u32(tb[JUMP_BIND_A_REMOTE_INDEX]);
	}
	if (tb[JUMP_BIND_A_SOCKET_FD]) {
		if (nla_get_u32(tb[JUMP_BIND_A_SOCKET_FD]) > INT32_MAX)
			return -EBADMSG;
		b->fd = nla_get_u32(tb[JUMP_BIND_A_SOCKET_FD]);
	}
	return 0;
}

/* The KEYS of a dump or reply: the primary's id and transmit counter. */
static int parse_keys(struct nlattr *nest, struct jumpd_msg *m)
{
	struct nlattr *tb[JUMP_KEY_A_MAX + 1], *pos;
	int rem;

	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != JUMP_A_KEY)
			continue;
		if (parse_nested(tb, JUMP_KEY_A_MAX, pos, key_policy) ||
		    !tb[JUMP_KEY_A_SLOT] || !tb[JUMP_KEY_A_ID])
			return -EBADMSG;
		if (nla_get_u8(tb[JUMP_KEY_A_SLOT]) != JUMP_KEY_SLOT_PRIMARY)
			continue;
		m->has_primary = true;
		m->primary_id = nla_get_u8(tb[JUMP_KEY_A_ID]);
		if (tb[JUMP_KEY_A_TX_COUNTER])
			m->primary_tx_counter = nla_get_u64(tb[JUMP_KEY_A_TX_COUNTER]);
	}
	return rem > 0 ? -EBADMSG : 0;
}

int jumpd_parse_session(struct nlmsghdr *nlh, struct jumpd_msg *m)
{
	struct nlattr *tb[JUMP_A_MAX + 1];
	int i;

	memset(m, 0, sizeof(*m));
	m->binding.fd = -1;
	m->source.fd = -1;
	if (parse(nlh, tb))
		return -EBADMSG;
	m->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	for (i = 0; i <= JUMP_A_MAX; i++)
		if (tb[i])
			m->present |= 1ULL << i;
	if (tb[JUMP_A_IFINDEX])
		m->ifindex = nla_get_u32(tb[JUMP_A_IFINDEX]);
	if (tb[JUMP_A_SESSION_ID])
		m->id = nla_get_u64(tb[JUMP_A_SESSION_ID]);
	if (tb[JUMP_A_VERSION])
		m->version = nla_get_u64(tb[JUMP_A_VERSION]);
	if (tb[JUMP_A_EVENT_SEQ])
		m->seq = nla_get_u64(tb[JUMP_A_EVENT_SEQ]);
	if (tb[JUMP_A_REASON])
		m->reason = nla_get_u16(tb[JUMP_A_REASON]);
	if (tb[JUMP_A_ROLE])
		m->role = nla_get_u8(tb[JUMP_A_ROLE]);
	if (tb[JUMP_A_STATE])
		m->state = nla_get_u8(tb[JUMP_A_STATE]);
	if (tb[JUMP_A_PREV_STATE])
		m->prev_state = nla_get_u8(tb[JUMP_A_PREV_STATE]);
	if (tb[JUMP_A_CREATED_NS])
		m->created_ns = nla_get_u64(tb[JUMP_A_CREATED_NS]);
	if (tb[JUMP_A_LOCAL_INDEX])
		m->local_index = nla_get_u32(tb[JUMP_A_LOCAL_INDEX]);
	if (tb[JUMP_A_REMOTE_INDEX])
		m->remote_index = nla_get_u32(tb[JUMP_A_REMOTE_INDEX]);
	if (tb[JUMP_A_PEER_PUBKEY])
		memcpy(m->peer_pubkey, nla_data(tb[JUMP_A_PEER_PUBKEY]),
		       JUMP_PUBKEY_LEN);
	if (tb[JUMP_A_BINDING] && parse_binding(tb[JUMP_A_BINDING], &m->binding))
		return -EBADMSG;
	if (tb[JUMP_A_SOURCE] && parse_binding(tb[JUMP_A_SOURCE], &m->source))
		return -EBADMSG;
	if (tb[JUMP_A_KEYS] && parse_keys(tb[JUMP_A_KEYS], m))
		return -EBADMSG;
	return 0;
}

int jumpd_parse_dev(struct nlmsghdr *nlh, struct jumpd_dev_info *d)
{
	struct nlattr *tb[JUMP_A_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (parse(nlh, tb) || !tb[JUMP_A_IFINDEX] || !tb[JUMP_A_IFNAME] ||
	    !tb[JUMP_A_EVENT_SEQ])
		return -EBADMSG;
	d->ifindex = nla_get_u32(tb[JUMP_A_IFINDEX]);
	d->seq = nla_get_u64(tb[JUMP_A_EVENT_SEQ]);
	if (tb[JUMP_A_SESSION_COUNT])
		d->sessions = nla_get_u32(tb[JUMP_A_SESSION_COUNT]);
	/* The policy guarantees a terminating NUL within IF_NAMESIZE. */
	nla_strlcpy(d->name, tb[JUMP_A_IFNAME], sizeof(d->name));
	return 0;
}

/*
 * Where the ack TLVs start, relative to the payload: after the struct
 * nlmsgerr, which quotes the request in full unless NLM_F_CAPPED; or after
 * the int error of an NLMSG_DONE. 0 if there is no error to read.
 */
static size_t extack_offset(const struct nlmsghdr *nlh, size_t len, int *error)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (len < sizeof(int))
			return 0;
		memcpy(error, NLMSG_DATA(nlh), sizeof(int));
		return NLMSG_ALIGN(sizeof(int));
	}
	if (nlh->nlmsg_type != NLMSG_ERROR || len < sizeof(*e))
		return 0;
	*error = e->error;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return NLMSG_ALIGN(off);
}

void jumpd_parse_extack(const struct nlmsghdr *nlh, struct jumpd_extack *ext)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
		[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len, off;
	int error = 0;

	memset(ext, 0, sizeof(*ext));
	ext->miss_type = -1;
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return;
	len = nlh->nlmsg_len - NLMSG_HDRLEN;
	off = extack_offset(nlh, len, &error);
	ext->error = error;
	if (!off || off >= len || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(nlh) + off),
		      len - off, policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(ext->msg, tb[NLMSGERR_ATTR_MSG], sizeof(ext->msg));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		ext->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}
