// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's generic netlink over libnl-genl-3.
 *
 * libnl 3.7 neither asks for extended acks nor reads them, and ignores the
 * error a dump reports in its NLMSG_DONE; both are done here. Requests run
 * without libnl's auto-ack and check the sequence number themselves, so the
 * tail of a request abandoned half way (a timeout) is skipped as not ours
 * instead of derailing every later request.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "jump_parse.h"
#include "log.h"

/*
 * Room for a burst of events while jumpd is busy (a dump, a resync). Taken
 * with SO_RCVBUFFORCE, which jumpd may use anyway (it needs CAP_NET_ADMIN
 * for the group), so net.core.rmem_max does not cap it. An overrun beyond
 * this is detected (ENOBUFS) and repaired by a dump.
 */
#define EVENTS_RCVBUF	(32 << 20)
/* A kernel that stops answering must not hang the daemon forever. */
#define REQUEST_TIMEOUT_SEC	10

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
	if (tb[JUMP_BIND_A_SOCKET_FD]) {
		if (nla_get_u32(tb[JUMP_BIND_A_SOCKET_FD]) > INT32_MAX)
			return -EBADMSG;
		b->fd = nla_get_u32(tb[JUMP_BIND_A_SOCKET_FD]);
	}
	return 0;
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

void jumpd_nl_log_error(const struct jumpd_nl *nl, const char *what, int err)
{
	const struct jumpd_extack *ext = &nl->ext;

	if (ext->msg[0] && ext->miss_type >= 0)
		log_err("%s: %s: %s (missing attribute %d)", what, strerror(-err),
			ext->msg, ext->miss_type);
	else if (ext->msg[0])
		log_err("%s: %s: %s", what, strerror(-err), ext->msg);
	else
		log_err("%s: %s", what, strerror(-err));
}

/* libnl's error codes are not errnos; keep the ones callers act on. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	default:
		return -EIO;
	}
}

/* One request in flight on the request socket. */
struct request {
	struct jumpd_nl *nl;
	uint32_t seq;
	bool done;
	bool intr;
	int err;
	jumpd_dev_fn dev_fn;
	jumpd_msg_fn msg_fn;
	void *arg;
};

static int request_seq(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	/* Left over from a request that gave up (timed out): not ours. */
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int request_item(struct request *r, struct nlmsghdr *nlh)
{
	struct jumpd_dev_info d;
	struct jumpd_msg m;

	if (nlh->nlmsg_type != r->nl->family)
		return -EBADMSG;
	if (r->dev_fn)
		return jumpd_parse_dev(nlh, &d) ?: r->dev_fn(&d, r->arg);
	if (jumpd_parse_session(nlh, &m))
		return -EBADMSG;
	return r->msg_fn ? r->msg_fn(&m, r->arg) : 0;
}

static int request_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *r = arg;

	if (!(nlh->nlmsg_flags & NLM_F_MULTI))
		r->done = true;		/* a doit reply is the whole answer */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	/* After a failure the rest of a dump is still read, but ignored. */
	if (!r->err)
		r->err = request_item(r, nlh);
	return NL_OK;
}

static int request_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *r = arg;

	r->done = true;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	/* A dump that fails reports its error here, not in an NLMSG_ERROR. */
	jumpd_parse_extack(nlh, &r->nl->ext);
	if (!r->err)
		r->err = r->nl->ext.error;
	return NL_STOP;
}

static int request_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload of the message it is reading. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct request *r = arg;

	r->done = true;
	jumpd_parse_extack(nlh, &r->nl->ext);
	if (!r->err)
		r->err = e->error;
	return NL_SKIP;
}

/* The ack of a request that has no other reply (NLM_F_ACK, error 0). */
static int request_ack(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	r->done = true;
	return NL_STOP;
}

static struct nl_cb *request_cb(struct request *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, request_seq, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, request_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, request_valid, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, request_done, r);
	nl_cb_err(cb, NL_CB_CUSTOM, request_error, r);
	return cb;
}

/* Records a libnl failure where jumpd_nl_log_error() finds it. */
static int transport_error(struct jumpd_nl *nl, int nle)
{
	snprintf(nl->ext.msg, sizeof(nl->ext.msg), "netlink: %s", nl_geterror(nle));
	return nle == -NLE_AGAIN ? -ETIMEDOUT : nle_errno(nle);
}

static int request_recv(struct jumpd_nl *nl, struct request *r)
{
	struct nl_cb *cb = request_cb(r);
	int err = 0;

	if (!cb)
		return -ENOMEM;
	while (!r->done) {
		err = nl_recvmsgs(nl->req, cb);
		if (err < 0 && !r->done) {
			err = transport_error(nl, err);
			break;
		}
		err = 0;
	}
	nl_cb_put(cb);
	if (err)
		return err;
	if (r->err)
		return r->err;
	return r->intr ? -EINTR : 0;
}

static void reset_ext(struct jumpd_nl *nl)
{
	memset(&nl->ext, 0, sizeof(nl->ext));
	nl->ext.miss_type = -1;
}

/* Wipes what the message held (key material) before freeing it. */
static void free_wiped(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	explicit_bzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

/*
 * Sends @msg, built by a jumpd_build_*() (or failing with @built < 0, then
 * not sent), and reads the answer into @r. Frees @msg, wiped.
 */
static int send_request(struct jumpd_nl *nl, struct nl_msg *msg, int built,
			struct request *r)
{
	int err;

	reset_ext(nl);
	r->nl = nl;
	if (!msg)
		return -ENOMEM;
	if (built < 0) {
		free_wiped(msg);
		return built;
	}
	err = nl_send_auto(nl->req, msg);
	/* nl_send_auto() filled in the sequence number. */
	r->seq = nlmsg_hdr(msg)->nlmsg_seq;
	free_wiped(msg);
	if (err < 0)
		return transport_error(nl, err);
	return request_recv(nl, r);
}

/* A request with a genl header and the device, nothing else yet. */
static int put_header(struct nl_msg *msg, int family, uint8_t cmd, int flags,
		      uint32_t ifindex)
{
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 JUMP_GENL_VERSION) ||
	    (ifindex && nla_put_u32(msg, JUMP_A_IFINDEX, ifindex) < 0))
		return -EMSGSIZE;
	return 0;
}

static int request(struct jumpd_nl *nl, uint8_t cmd, int flags,
		   uint32_t ifindex, struct request *r)
{
	struct nl_msg *msg = nlmsg_alloc();

	return send_request(nl, msg, msg ? put_header(msg, nl->family, cmd,
						      flags, ifindex) : 0, r);
}

/* What jumpd sends: the message builders, exposed for the unit tests. */

static int put_session(struct nl_msg *msg, int family, uint8_t cmd, int flags,
		       uint32_t ifindex, uint64_t id)
{
	if (put_header(msg, family, cmd, flags, ifindex) ||
	    nla_put_u64(msg, JUMP_A_SESSION_ID, id) < 0)
		return -EMSGSIZE;
	return 0;
}

int jumpd_build_session_new(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint8_t role, uint64_t id,
			    const uint8_t pubkey[JUMP_PUBKEY_LEN])
{
	if (put_header(msg, family, JUMP_CMD_SESSION_NEW, 0, ifindex) ||
	    nla_put_u8(msg, JUMP_A_ROLE, role) < 0 ||
	    nla_put(msg, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, pubkey) < 0 ||
	    (id && nla_put_u64(msg, JUMP_A_SESSION_ID, id) < 0))
		return -EMSGSIZE;
	return 0;
}

int jumpd_build_session_get(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint64_t id)
{
	return put_session(msg, family, JUMP_CMD_SESSION_GET, 0, ifindex, id);
}

static int put_prefix(struct nl_msg *msg, const struct prefix *p)
{
	struct nlattr *nest = nla_nest_start(msg, JUMP_A_PREFIX);
	int err;

	if (!nest)
		return -EMSGSIZE;
	if (p->family == AF_INET)
		err = nla_put(msg, JUMP_PREFIX_A_IPV4, sizeof(p->addr.v4), &p->addr.v4);
	else if (p->family == AF_INET6)
		err = nla_put(msg, JUMP_PREFIX_A_IPV6, sizeof(p->addr.v6), &p->addr.v6);
	else
		return -EINVAL;
	if (err < 0 || nla_put_u8(msg, JUMP_PREFIX_A_LEN, p->len) < 0)
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

int jumpd_build_session_settings(struct nl_msg *msg, int family,
				 uint32_t ifindex, uint64_t id,
				 const struct jumpd_settings *set)
{
	struct nlattr *nest;
	size_t i;
	int err;

	if (put_session(msg, family, JUMP_CMD_SESSION_SET, 0, ifindex, id) ||
	    (set->remote_index &&
	     nla_put_u32(msg, JUMP_A_REMOTE_INDEX, set->remote_index) < 0) ||
	    (set->keepalive_ms &&
	     nla_put_u32(msg, JUMP_A_KEEPALIVE_MS, set->keepalive_ms) < 0) ||
	    (set->volatile_ms &&
	     nla_put_u32(msg, JUMP_A_VOLATILE_MS, set->volatile_ms) < 0) ||
	    (set->degraded_ms &&
	     nla_put_u32(msg, JUMP_A_DEGRADED_MS, set->degraded_ms) < 0))
		return -EMSGSIZE;
	if (!set->set_prefixes)
		return 0;
	if (set->nprefixes > JUMP_MAX_PREFIXES)
		return -E2BIG;
	nest = nla_nest_start(msg, JUMP_A_PREFIXES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < set->nprefixes; i++) {
		err = put_prefix(msg, &set->prefixes[i]);
		if (err)
			return err;
	}
	/* An empty nest empties the set: libnl would drop it otherwise. */
	return nla_nest_end_keep_empty(msg, nest) < 0 ? -EMSGSIZE : 0;
}

static int put_addr(struct nl_msg *msg, int attr4, int attr6, int family,
		    const void *addr)
{
	if (family == AF_INET)
		return nla_put(msg, attr4, sizeof(struct in_addr), addr);
	return nla_put(msg, attr6, sizeof(struct in6_addr), addr);
}

int jumpd_build_session_transition(struct nl_msg *msg, int family,
				   uint32_t ifindex, uint64_t id,
				   uint64_t version, uint8_t state,
				   uint16_t reason, const struct jumpd_binding *b)
{
	struct nlattr *nest;

	if (put_session(msg, family, JUMP_CMD_SESSION_SET, 0, ifindex, id) ||
	    nla_put_u64(msg, JUMP_A_VERSION, version) < 0 ||
	    nla_put_u8(msg, JUMP_A_STATE, state) < 0 ||
	    nla_put_u16(msg, JUMP_A_REASON, reason) < 0)
		return -EMSGSIZE;
	if (!b)
		return 0;
	if (b->family != AF_INET && b->family != AF_INET6)
		return -EINVAL;
	nest = nla_nest_start(msg, JUMP_A_BINDING);
	if (!nest ||
	    put_addr(msg, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6,
		     b->family, &b->local) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(b->local_port)) < 0 ||
	    put_addr(msg, JUMP_BIND_A_REMOTE_IPV4, JUMP_BIND_A_REMOTE_IPV6,
		     b->family, &b->remote) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_REMOTE_PORT, htons(b->remote_port)) < 0 ||
	    (b->epoch && nla_put_u32(msg, JUMP_BIND_A_EPOCH, b->epoch) < 0) ||
	    (b->fd >= 0 && nla_put_u32(msg, JUMP_BIND_A_SOCKET_FD, b->fd) < 0))
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

int jumpd_build_session_del(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint64_t id, uint64_t version, uint16_t reason)
{
	if (put_session(msg, family, JUMP_CMD_SESSION_DEL, NLM_F_ACK, ifindex, id) ||
	    nla_put_u64(msg, JUMP_A_VERSION, version) < 0 ||
	    (reason && nla_put_u16(msg, JUMP_A_REASON, reason) < 0))
		return -EMSGSIZE;
	return 0;
}

int jumpd_build_key_new(struct nl_msg *msg, int family, uint32_t ifindex,
			uint64_t id, uint8_t slot, uint8_t key_id,
			const uint8_t tx[JUMP_KEY_LEN],
			const uint8_t rx[JUMP_KEY_LEN])
{
	struct nlattr *nest;

	if (put_session(msg, family, JUMP_CMD_KEY_NEW, NLM_F_ACK, ifindex, id))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, JUMP_A_KEY);
	if (!nest || nla_put_u8(msg, JUMP_KEY_A_SLOT, slot) < 0 ||
	    nla_put_u8(msg, JUMP_KEY_A_ID, key_id) < 0 ||
	    nla_put(msg, JUMP_KEY_A_TX, JUMP_KEY_LEN, tx) < 0 ||
	    nla_put(msg, JUMP_KEY_A_RX, JUMP_KEY_LEN, rx) < 0)
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

int jumpd_build_key_swap(struct nl_msg *msg, int family, uint32_t ifindex,
			 uint64_t id)
{
	return put_session(msg, family, JUMP_CMD_KEY_SWAP, NLM_F_ACK, ifindex, id);
}

int jumpd_build_key_del(struct nl_msg *msg, int family, uint32_t ifindex,
			uint64_t id, uint8_t slot)
{
	struct nlattr *nest;

	if (put_session(msg, family, JUMP_CMD_KEY_DEL, NLM_F_ACK, ifindex, id))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, JUMP_A_KEY);
	if (!nest || nla_put_u8(msg, JUMP_KEY_A_SLOT, slot) < 0)
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

int jumpd_build_socket_get(struct nl_msg *msg, int family, uint32_t ifindex,
			   const struct jumpd_binding *local)
{
	struct nlattr *nest;

	if (local->family != AF_INET && local->family != AF_INET6)
		return -EINVAL;
	if (put_header(msg, family, JUMP_CMD_SOCKET_GET, 0, ifindex))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, JUMP_A_BINDING);
	if (!nest ||
	    put_addr(msg, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6,
		     local->family, &local->local) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(local->local_port)) < 0)
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

/* The requests: build, send, read the answer. */

static int copy_msg(const struct jumpd_msg *m, void *arg)
{
	if (arg)
		*(struct jumpd_msg *)arg = *m;
	return 0;
}

/* Sends @msg built as @built; a session message in reply goes to @out. */
static int session_request(struct jumpd_nl *nl, struct nl_msg *msg, int built,
			   struct jumpd_msg *out)
{
	struct request r = { .msg_fn = copy_msg, .arg = out };

	return send_request(nl, msg, built, &r);
}

int jumpd_nl_session_new(struct jumpd_nl *nl, uint32_t ifindex, uint8_t role,
			 uint64_t id, const uint8_t pubkey[JUMP_PUBKEY_LEN],
			 struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_new(msg,
			       nl->family, ifindex, role, id, pubkey) : 0, out);
}

int jumpd_nl_session_get(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_get(msg,
			       nl->family, ifindex, id) : 0, out);
}

int jumpd_nl_session_settings(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			      const struct jumpd_settings *set)
{
	/* Room for every prefix: IPv6, length and two nest headers each. */
	struct nl_msg *msg = nlmsg_alloc_size(4096 + set->nprefixes * 40);

	return session_request(nl, msg, msg ? jumpd_build_session_settings(msg,
			       nl->family, ifindex, id, set) : 0, NULL);
}

int jumpd_nl_session_transition(struct jumpd_nl *nl, uint32_t ifindex,
				uint64_t id, uint64_t version, uint8_t state,
				uint16_t reason, const struct jumpd_binding *b,
				struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_transition(msg,
			       nl->family, ifindex, id, version, state, reason,
			       b) : 0, out);
}

int jumpd_nl_session_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 uint64_t version, uint16_t reason)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_del(msg,
			       nl->family, ifindex, id, version, reason) : 0, NULL);
}

int jumpd_nl_key_new(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot, uint8_t key_id,
		     const uint8_t tx[JUMP_KEY_LEN], const uint8_t rx[JUMP_KEY_LEN])
{
	struct nl_msg *msg = nlmsg_alloc();

	/* send_request() wipes the keys from the message it frees. */
	return session_request(nl, msg, msg ? jumpd_build_key_new(msg,
			       nl->family, ifindex, id, slot, key_id, tx, rx) : 0,
			       NULL);
}

int jumpd_nl_key_swap(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_key_swap(msg,
			       nl->family, ifindex, id) : 0, NULL);
}

int jumpd_nl_key_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_key_del(msg,
			       nl->family, ifindex, id, slot) : 0, NULL);
}

int jumpd_nl_socket_get(struct jumpd_nl *nl, uint32_t ifindex,
			const struct jumpd_binding *local)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct jumpd_msg m = { .binding.fd = -1 };
	int err;

	err = session_request(nl, msg, msg ? jumpd_build_socket_get(msg,
			      nl->family, ifindex, local) : 0, &m);
	if (err)
		return err;
	if (m.cmd != JUMP_CMD_SOCKET_GET || m.binding.fd < 0) {
		snprintf(nl->ext.msg, sizeof(nl->ext.msg),
			 "the reply carries no socket descriptor");
		return -EBADMSG;
	}
	return m.binding.fd;
}

int jumpd_nl_list_devices(struct jumpd_nl *nl, jumpd_dev_fn fn, void *arg)
{
	struct request r = { .dev_fn = fn, .arg = arg };

	return request(nl, JUMP_CMD_DEV_GET, NLM_F_DUMP, 0, &r);
}

static int copy_dev(const struct jumpd_dev_info *d, void *arg)
{
	*(struct jumpd_dev_info *)arg = *d;
	return 0;
}

int jumpd_nl_get_device(struct jumpd_nl *nl, uint32_t ifindex,
			struct jumpd_dev_info *info)
{
	struct request r = { .dev_fn = copy_dev, .arg = info };

	return request(nl, JUMP_CMD_DEV_GET, 0, ifindex, &r);
}

int jumpd_nl_dump_sessions(struct jumpd_nl *nl, uint32_t ifindex,
			   jumpd_msg_fn fn, void *arg)
{
	struct request r = { .msg_fn = fn, .arg = arg };

	return request(nl, JUMP_CMD_SESSION_GET, NLM_F_DUMP, ifindex, &r);
}

static int events_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;		/* multicast: no sequence numbers to check */
}

static int events_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct jumpd_nl *nl = arg;
	struct jumpd_msg m;
	int err;

	if (!nl->events_fn || nl->events_err || nlh->nlmsg_type != nl->family)
		return NL_SKIP;
	err = jumpd_parse_session(nlh, &m);
	if (!err)
		err = nl->events_fn(&m, nl->events_arg);
	if (err < 0)
		nl->events_err = err;
	return NL_OK;
}

int jumpd_nl_read_events(struct jumpd_nl *nl, jumpd_msg_fn fn, void *arg)
{
	int n;

	memset(&nl->ext, 0, sizeof(nl->ext));
	nl->ext.miss_type = -1;
	nl->events_fn = fn;
	nl->events_arg = arg;
	nl->events_err = 0;
	n = nl_recvmsgs_report(nl->events, nl->events_cb);
	nl->events_fn = NULL;
	if (n == 0 || n == -NLE_AGAIN)
		return 0;
	/* recvmsg()'s ENOBUFS, which libnl reports as NLE_NOMEM. */
	if (n == -NLE_NOMEM)
		return -ENOBUFS;
	if (n < 0)
		return transport_error(nl, n);
	return nl->events_err ?: 1;
}

int jumpd_nl_events_fd(const struct jumpd_nl *nl)
{
	return nl_socket_get_fd(nl->events);
}

static struct nl_sock *open_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk) {
		log_err("cannot allocate a netlink socket");
		return NULL;
	}
	err = genl_connect(sk);
	if (err < 0) {
		log_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

static int resolve(struct jumpd_nl *nl)
{
	nl->family = genl_ctrl_resolve(nl->req, JUMP_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		log_err("jump module not loaded: no generic netlink family \"%s\" (modprobe jump)",
			JUMP_GENL_NAME);
		return -1;
	}
	if (nl->family < 0) {
		log_err("cannot resolve the \"%s\" family: %s", JUMP_GENL_NAME,
			nl_geterror(nl->family));
		return -1;
	}
	nl->events_group = genl_ctrl_resolve_grp(nl->req, JUMP_GENL_NAME,
						 JUMP_MCGRP_EVENTS);
	if (nl->events_group < 0) {
		log_err("the \"%s\" family has no \"%s\" group: %s", JUMP_GENL_NAME,
			JUMP_MCGRP_EVENTS, nl_geterror(nl->events_group));
		return -1;
	}
	return 0;
}

/* After resolve(): genl_ctrl_resolve() relies on libnl's auto-ack. */
static void setup_requests(struct nl_sock *sk)
{
	struct timeval tv = { .tv_sec = REQUEST_TIMEOUT_SEC };
	int one = 1, fd = nl_socket_get_fd(sk);

	nl_socket_disable_auto_ack(sk);
	/* A session with every prefix is a reply larger than libnl's buffer. */
	nl_socket_enable_msg_peek(sk);
	/* Before Linux 4.12 errors simply come without a message. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		log_debug("no extended acks: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		log_debug("no request timeout: %s", strerror(errno));
}

static int setup_events(struct jumpd_nl *nl)
{
	int size = EVENTS_RCVBUF, fd = nl_socket_get_fd(nl->events);
	int err;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_warn("cannot enlarge the event socket buffer: %s", strerror(errno));
	err = nl_socket_set_nonblocking(nl->events);
	if (err < 0) {
		log_err("event socket: %s", nl_geterror(err));
		return -1;
	}
	nl->events_cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->events_cb) {
		log_err("out of memory");
		return -1;
	}
	nl_cb_set(nl->events_cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, events_seq, NULL);
	nl_cb_set(nl->events_cb, NL_CB_VALID, NL_CB_CUSTOM, events_valid, nl);
	err = nl_socket_add_membership(nl->events, nl->events_group);
	if (err < 0) {
		log_err("cannot join the \"%s\" group: %s (jumpd needs CAP_NET_ADMIN)",
			JUMP_MCGRP_EVENTS, nl_geterror(err));
		return -1;
	}
	return 0;
}

int jumpd_nl_open(struct jumpd_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->req = open_socket();
	if (!nl->req)
		goto err;
	nl->events = open_socket();
	if (!nl->events || resolve(nl))
		goto err;
	setup_requests(nl->req);
	if (setup_events(nl))
		goto err;
	return 0;
err:
	jumpd_nl_close(nl);
	return -1;
}

void jumpd_nl_close(struct jumpd_nl *nl)
{
	nl_cb_put(nl->events_cb);
	nl_socket_free(nl->req);
	nl_socket_free(nl->events);
	memset(nl, 0, sizeof(*nl));
}
