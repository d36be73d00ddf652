// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's netlink, without a kernel: the requests it builds, parsed back;
 * session and device messages as jump.ko builds them; the extended acks of
 * refused requests and dumps.
 *
 * Over 600 lines: one case per request and message kind, each a few
 * independent lines; splitting them would scatter one API's checks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "jump_parse.h"
#include "log.h"
#include "tap.h"

#define FAMILY		0x1d
#define SESSION_ID	0x3f2a9c0b1d2e4f60ULL

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, JUMP_GENL_VERSION))
		abort();
	return msg;
}

/* A transition event as event_send() in jump.ko builds it. */
static struct nl_msg *event_msg(void)
{
	static const uint8_t key[JUMP_PUBKEY_LEN] = { 1, 2, 3 };
	struct nl_msg *msg = new_msg(JUMP_CMD_SESSION_EVENT);

	if (nla_put_u32(msg, JUMP_A_IFINDEX, 7) ||
	    nla_put(msg, JUMP_A_PAD, 0, NULL) ||
	    nla_put_u64(msg, JUMP_A_SESSION_ID, SESSION_ID) ||
	    nla_put_u8(msg, JUMP_A_ROLE, JUMP_ROLE_SERVER) ||
	    nla_put(msg, JUMP_A_PEER_PUBKEY, sizeof(key), key) ||
	    nla_put_u8(msg, JUMP_A_STATE, JUMP_STATE_VOLATILE) ||
	    nla_put_u64(msg, JUMP_A_VERSION, 4) ||
	    nla_put_u16(msg, JUMP_A_REASON, JUMP_REASON_LINK_DOWN) ||
	    nla_put_u64(msg, JUMP_A_CREATED_NS, 1000) ||
	    nla_put_u64(msg, JUMP_A_CHANGED_NS, 2000) ||
	    nla_put_u64(msg, JUMP_A_EVENT_SEQ, 42) ||
	    nla_put_u8(msg, JUMP_A_PREV_STATE, JUMP_STATE_ATTACHED))
		abort();
	return msg;
}

static void test_session(void)
{
	struct nl_msg *msg = event_msg();
	struct jumpd_msg m;

	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 &&
	       m.cmd == JUMP_CMD_SESSION_EVENT && m.ifindex == 7 &&
	       m.id == SESSION_ID && m.role == JUMP_ROLE_SERVER &&
	       m.state == JUMP_STATE_VOLATILE && m.prev_state == JUMP_STATE_ATTACHED &&
	       m.version == 4 && m.reason == JUMP_REASON_LINK_DOWN && m.seq == 42,
	       "a transition event parses into every field");
	tap_ok(JUMPD_HAS(&m, JUMP_A_EVENT_SEQ) && JUMPD_HAS(&m, JUMP_A_PREV_STATE) &&
	       !JUMPD_HAS(&m, JUMP_A_BINDING) && JUMPD_HAS(&m, JUMP_A_PAD),
	       "the present map says which attributes came");
	nlmsg_free(msg);

	msg = event_msg();
	if (nla_put_u32(msg, JUMP_A_MAX + 3, 1))
		abort();
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 && m.seq == 42,
	       "an attribute of a newer kernel is ignored");
	nlmsg_free(msg);
}

static void test_session_bad(void)
{
	static const uint8_t key[JUMP_PUBKEY_LEN - 1];
	struct nl_msg *msg = new_msg(JUMP_CMD_SESSION_GET);
	struct jumpd_msg m;

	if (nla_put(msg, JUMP_A_PEER_PUBKEY, sizeof(key), key))
		abort();
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == -EBADMSG,
	       "a peer key of the wrong length is refused");
	nlmsg_free(msg);

	msg = new_msg(JUMP_CMD_SESSION_GET);
	if (nla_put(msg, JUMP_A_STATE, 0, NULL))
		abort();
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == -EBADMSG,
	       "a u8 attribute without payload is refused");
	nlmsg_free(msg);

	msg = nlmsg_alloc_simple(FAMILY, 0);
	if (!msg)
		abort();
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == -EBADMSG,
	       "a message too short for the genl header is refused");
	nlmsg_free(msg);
}

static struct nl_msg *dev_msg(const char *name, size_t len)
{
	struct nl_msg *msg = new_msg(JUMP_CMD_DEV_GET);

	if (nla_put_u32(msg, JUMP_A_IFINDEX, 7) ||
	    (name && nla_put(msg, JUMP_A_IFNAME, len, name)) ||
	    nla_put_u32(msg, JUMP_A_SESSION_COUNT, 3) ||
	    nla_put_u32(msg, JUMP_A_MAX_SESSIONS, JUMP_MAX_SESSIONS) ||
	    nla_put_u64(msg, JUMP_A_EVENT_SEQ, 17))
		abort();
	return msg;
}

static void test_dev(void)
{
	struct jumpd_dev_info d;
	struct nl_msg *msg;

	msg = dev_msg("jump0", sizeof("jump0"));
	tap_ok(jumpd_parse_dev(nlmsg_hdr(msg), &d) == 0 && d.ifindex == 7 &&
	       !strcmp(d.name, "jump0") && d.sessions == 3 && d.seq == 17,
	       "a device message parses");
	nlmsg_free(msg);
	msg = dev_msg(NULL, 0);
	tap_ok(jumpd_parse_dev(nlmsg_hdr(msg), &d) == -EBADMSG,
	       "a device message without a name is refused");
	nlmsg_free(msg);
	msg = dev_msg("jump0", 5);
	tap_ok(jumpd_parse_dev(nlmsg_hdr(msg), &d) == -EBADMSG,
	       "a name without its NUL is refused");
	nlmsg_free(msg);
	msg = dev_msg("0123456789abcdefg", 18);
	tap_ok(jumpd_parse_dev(nlmsg_hdr(msg), &d) == -EBADMSG,
	       "a name longer than IF_NAMESIZE is refused");
	nlmsg_free(msg);
}

/* Message buffers, aligned as the kernel's are. */
static uint32_t buf[256];

static size_t put_attr(size_t off, int type, const void *data, size_t len)
{
	struct nlattr *nla = (struct nlattr *)((char *)buf + off);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(nla->nla_len);
}

/*
 * An NLMSG_ERROR as netlink_ack() builds it: the request quoted in full
 * (@quoted bytes of payload) unless capped, then the TLVs, if any.
 */
static struct nlmsghdr *error_msg(int error, size_t quoted, const char *text,
				  int miss)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	uint32_t type = miss;
	size_t off;

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = quoted ? 0 : NLM_F_CAPPED;
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + quoted;
	memset((char *)(e + 1), 0xee, quoted);	/* the quoted payload */
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e) + quoted);
	if (text || miss >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		off = put_attr(off, NLMSGERR_ATTR_MSG, text, strlen(text) + 1);
	if (miss >= 0)
		off = put_attr(off, NLMSGERR_ATTR_MISS_TYPE, &type, sizeof(type));
	nlh->nlmsg_len = off;
	return nlh;
}

static struct nlmsghdr *done_msg(int error, const char *text)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0);
	memcpy(NLMSG_DATA(nlh), &error, sizeof(error));
	if (text)
		off = put_attr(off, NLMSGERR_ATTR_MSG, text, strlen(text) + 1);
	nlh->nlmsg_len = off;
	return nlh;
}

static void test_extack(void)
{
	struct jumpd_extack ext;

	jumpd_parse_extack(error_msg(-EINVAL, 0, "missing session id", JUMP_A_SESSION_ID), &ext);
	tap_ok(ext.error == -EINVAL && !strcmp(ext.msg, "missing session id") &&
	       ext.miss_type == JUMP_A_SESSION_ID,
	       "extack of a capped error: message and missing attribute");
	jumpd_parse_extack(error_msg(-ENODEV, 12, "no such device", -1), &ext);
	tap_ok(ext.error == -ENODEV && !strcmp(ext.msg, "no such device") &&
	       ext.miss_type == -1, "extack after a quoted request: message found past it");
	jumpd_parse_extack(error_msg(-EPERM, 0, NULL, -1), &ext);
	tap_ok(ext.error == -EPERM && !ext.msg[0], "an error without TLVs has no message");
	jumpd_parse_extack(done_msg(-ENODEV, "no such device"), &ext);
	tap_ok(ext.error == -ENODEV && !strcmp(ext.msg, "no such device"),
	       "a failed dump's NLMSG_DONE: error and message");
	jumpd_parse_extack(done_msg(0, NULL), &ext);
	tap_ok(ext.error == 0 && !ext.msg[0], "a dump that ended well: no error");
	error_msg(-EINVAL, 0, "cut short", -1)->nlmsg_len = NLMSG_HDRLEN + 8;
	jumpd_parse_extack((struct nlmsghdr *)buf, &ext);
	tap_ok(ext.error == 0 && !ext.msg[0],
	       "a truncated error message is not read past its end");
	error_msg(-EINVAL, 0, "x", -1)->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	jumpd_parse_extack((struct nlmsghdr *)buf, &ext);
	tap_ok(ext.error == -EINVAL && !ext.msg[0],
	       "TLVs are read only when NLM_F_ACK_TLVS says so");
}

static void test_log_error(void)
{
	struct jumpd_nl nl = { 0 };
	char *out = NULL, want[256];
	size_t len = 0;

	log_stream = open_memstream(&out, &len);
	if (!log_stream)
		abort();
	jumpd_parse_extack(error_msg(-EINVAL, 0, "missing session id", JUMP_A_SESSION_ID),
			   &nl.ext);
	jumpd_nl_log_error(&nl, "reading", -EINVAL);
	jumpd_parse_extack(error_msg(-ENODEV, 0, NULL, -1), &nl.ext);
	jumpd_nl_log_error(&nl, "dumping", -ENODEV);
	fclose(log_stream);
	log_stream = NULL;
	snprintf(want, sizeof(want),
		 "error: reading: Invalid argument: missing session id (missing attribute %d)\n"
		 "error: dumping: No such device\n", JUMP_A_SESSION_ID);
	tap_ok(out && !strcmp(out, want), "errors are logged with the kernel's message");
	free(out);
}


/* Requests: each builder's message, parsed back with nla_parse. */

#define BIT(a)	(1ULL << (a))
#define DEV	(BIT(JUMP_A_IFINDEX))
#define SESS	(DEV | BIT(JUMP_A_SESSION_ID))

static uint64_t mask_of(struct nlattr **tb, int max)
{
	uint64_t mask = 0;
	int i;

	for (i = 0; i <= max; i++)
		if (tb[i])
			mask |= 1ULL << i;
	return mask;
}

/*
 * Parses a request: its command, flags and top-level attributes (every
 * one, known or not). The mask of those present, or ~0 if it does not parse.
 */
static uint64_t parse_request(struct nl_msg *msg, uint8_t cmd, int flags,
			      struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);

	if (nlh->nlmsg_type != FAMILY || g->cmd != cmd ||
	    g->version != JUMP_GENL_VERSION ||
	    (nlh->nlmsg_flags & NLM_F_ACK) != flags ||
	    genlmsg_parse(nlh, 0, tb, JUMP_A_MAX, NULL) < 0 ||
	    (tb[JUMP_A_IFINDEX] && nla_get_u32(tb[JUMP_A_IFINDEX]) != 7) ||
	    (tb[JUMP_A_SESSION_ID] && nla_get_u64(tb[JUMP_A_SESSION_ID]) != SESSION_ID))
		return ~0ULL;
	return mask_of(tb, JUMP_A_MAX);
}

/* The attributes of a nest, or ~0 if it does not parse. */
static uint64_t parse_nest(struct nlattr *nest, int max, struct nlattr **tb)
{
	if (!nest || nla_parse_nested(tb, max, nest, NULL) < 0)
		return ~0ULL;
	return mask_of(tb, max);
}

static struct nl_msg *alloc_msg(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		abort();
	return msg;
}

static const uint8_t pubkey[JUMP_PUBKEY_LEN] = { 9, 8, 7, 6, 5 };

static void test_build_session(void)
{
	struct nlattr *tb[JUMP_A_MAX + 1];
	struct nl_msg *msg = alloc_msg();
	uint64_t mask;

	mask = jumpd_build_session_new(msg, FAMILY, 7, JUMP_ROLE_SERVER, 0, pubkey) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_NEW, 0, tb);
	tap_ok(mask == (DEV | BIT(JUMP_A_ROLE) | BIT(JUMP_A_PEER_PUBKEY)) &&
	       nla_get_u8(tb[JUMP_A_ROLE]) == JUMP_ROLE_SERVER &&
	       nla_len(tb[JUMP_A_PEER_PUBKEY]) == JUMP_PUBKEY_LEN &&
	       !memcmp(nla_data(tb[JUMP_A_PEER_PUBKEY]), pubkey, JUMP_PUBKEY_LEN),
	       "session_new (server): device, role and peer key, no id");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_session_new(msg, FAMILY, 7, JUMP_ROLE_CLIENT, SESSION_ID, pubkey) ?
	       ~0ULL : parse_request(msg, JUMP_CMD_SESSION_NEW, 0, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_ROLE) | BIT(JUMP_A_PEER_PUBKEY)) &&
	       nla_get_u8(tb[JUMP_A_ROLE]) == JUMP_ROLE_CLIENT,
	       "session_new (client): the server's id too");
	nlmsg_free(msg);

	{
		struct jumpd_takeover to = { .id = SESSION_ID, .index = 4242, .version = 9 };

		msg = alloc_msg();
		mask = jumpd_build_session_takeover(msg, FAMILY, 7, &to, pubkey) ? ~0ULL :
		       parse_request(msg, JUMP_CMD_SESSION_NEW, 0, tb);
		tap_ok(mask == (SESS | BIT(JUMP_A_ROLE) | BIT(JUMP_A_PEER_PUBKEY) |
				BIT(JUMP_A_LOCAL_INDEX) | BIT(JUMP_A_VERSION)) &&
		       nla_get_u8(tb[JUMP_A_ROLE]) == JUMP_ROLE_SERVER &&
		       nla_get_u32(tb[JUMP_A_LOCAL_INDEX]) == 4242 &&
		       nla_get_u64(tb[JUMP_A_VERSION]) == 9,
		       "session_takeover: a server's id, receiver index and version");
		nlmsg_free(msg);
		to.index = 0;
		msg = alloc_msg();
		tap_ok(jumpd_build_session_takeover(msg, FAMILY, 7, &to, pubkey) == -EINVAL,
		       "session_takeover: index 0 is not sent");
		nlmsg_free(msg);
	}

	msg = alloc_msg();
	mask = jumpd_build_session_get(msg, FAMILY, 7, SESSION_ID) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_GET, 0, tb);
	tap_ok(mask == SESS, "session_get: device and id");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_session_del(msg, FAMILY, 7, SESSION_ID, 12,
				       JUMP_REASON_PEER_TERMINATE) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_DEL, NLM_F_ACK, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_VERSION) | BIT(JUMP_A_REASON)) &&
	       nla_get_u64(tb[JUMP_A_VERSION]) == 12 &&
	       nla_get_u16(tb[JUMP_A_REASON]) == JUMP_REASON_PEER_TERMINATE,
	       "session_del: version and reason, and asks for an ack");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_session_del(msg, FAMILY, 7, SESSION_ID, 12, 0) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_DEL, NLM_F_ACK, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_VERSION)),
	       "session_del without a reason leaves the kernel's default");
	nlmsg_free(msg);
}

#define TRANSITION (SESS | BIT(JUMP_A_VERSION) | BIT(JUMP_A_STATE) | BIT(JUMP_A_REASON))

static uint64_t build_transition(struct nl_msg *msg, const struct jumpd_binding *b,
				 struct nlattr **tb)
{
	if (jumpd_build_session_transition(msg, FAMILY, 7, SESSION_ID, 5,
					   JUMP_STATE_ATTACHED,
					   JUMP_REASON_REATTACH_COMPLETE, b))
		return ~0ULL;
	return parse_request(msg, JUMP_CMD_SESSION_SET, 0, tb);
}

static void test_build_transition(void)
{
	struct nlattr *tb[JUMP_A_MAX + 1], *bt[JUMP_BIND_A_MAX + 1];
	struct jumpd_binding b = { .family = AF_INET, .local_port = 51820,
				   .remote_port = 4444, .fd = -1 };
	struct nl_msg *msg = alloc_msg();
	uint64_t mask;

	mask = build_transition(msg, NULL, tb);
	tap_ok(mask == TRANSITION && nla_get_u64(tb[JUMP_A_VERSION]) == 5 &&
	       nla_get_u8(tb[JUMP_A_STATE]) == JUMP_STATE_ATTACHED &&
	       nla_get_u16(tb[JUMP_A_REASON]) == JUMP_REASON_REATTACH_COMPLETE,
	       "transition without a binding: version, state, reason");
	nlmsg_free(msg);

	inet_pton(AF_INET, "10.0.0.1", &b.local.v4);
	inet_pton(AF_INET, "192.0.2.7", &b.remote.v4);
	msg = alloc_msg();
	mask = build_transition(msg, &b, tb);
	tap_ok(mask == (TRANSITION | BIT(JUMP_A_BINDING)) &&
	       parse_nest(tb[JUMP_A_BINDING], JUMP_BIND_A_MAX, bt) ==
	       (BIT(JUMP_BIND_A_LOCAL_IPV4) | BIT(JUMP_BIND_A_LOCAL_PORT) |
		BIT(JUMP_BIND_A_REMOTE_IPV4) | BIT(JUMP_BIND_A_REMOTE_PORT)) &&
	       nla_len(bt[JUMP_BIND_A_LOCAL_IPV4]) == 4 &&
	       !memcmp(nla_data(bt[JUMP_BIND_A_LOCAL_IPV4]), &b.local.v4, 4) &&
	       !memcmp(nla_data(bt[JUMP_BIND_A_REMOTE_IPV4]), &b.remote.v4, 4) &&
	       nla_get_u16(bt[JUMP_BIND_A_LOCAL_PORT]) == htons(51820) &&
	       nla_get_u16(bt[JUMP_BIND_A_REMOTE_PORT]) == htons(4444),
	       "transition with an IPv4 binding: both ends, ports in network order, no epoch, no fd");
	nlmsg_free(msg);

	b.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::1", &b.local.v6);
	inet_pton(AF_INET6, "2001:db8::7", &b.remote.v6);
	b.epoch = 3;
	b.fd = 0;
	msg = alloc_msg();
	mask = build_transition(msg, &b, tb);
	tap_ok(mask == (TRANSITION | BIT(JUMP_A_BINDING)) &&
	       parse_nest(tb[JUMP_A_BINDING], JUMP_BIND_A_MAX, bt) ==
	       (BIT(JUMP_BIND_A_LOCAL_IPV6) | BIT(JUMP_BIND_A_LOCAL_PORT) |
		BIT(JUMP_BIND_A_REMOTE_IPV6) | BIT(JUMP_BIND_A_REMOTE_PORT) |
		BIT(JUMP_BIND_A_EPOCH) | BIT(JUMP_BIND_A_SOCKET_FD)) &&
	       nla_len(bt[JUMP_BIND_A_REMOTE_IPV6]) == 16 &&
	       !memcmp(nla_data(bt[JUMP_BIND_A_REMOTE_IPV6]), &b.remote.v6, 16) &&
	       nla_get_u32(bt[JUMP_BIND_A_EPOCH]) == 3 &&
	       nla_get_u32(bt[JUMP_BIND_A_SOCKET_FD]) == 0,
	       "transition with an IPv6 binding, an epoch and socket fd 0");
	nlmsg_free(msg);

	b.family = 0;
	msg = alloc_msg();
	tap_ok(build_transition(msg, &b, tb) == ~0ULL &&
	       jumpd_build_session_transition(msg, FAMILY, 7, SESSION_ID, 5,
					      JUMP_STATE_ATTACHED, 0, &b) == -EINVAL,
	       "a binding without a family is not sent");
	nlmsg_free(msg);
}

static void test_build_settings(void)
{
	struct nlattr *tb[JUMP_A_MAX + 1], *pt[JUMP_PREFIX_A_MAX + 1], *one;
	struct prefix p[2] = { 0 };
	struct jumpd_settings set = {
		.remote_index = 0x1234, .keepalive_ms = 500,
		.prefixes = p, .nprefixes = 2, .set_prefixes = true,
	};
	struct nl_msg *msg = alloc_msg();
	int rem, n = 0, good = 0;
	uint64_t mask;

	if (parse_prefix("10.9.0.0/24", &p[0]) || parse_prefix("fd09::/64", &p[1]))
		abort();
	mask = jumpd_build_session_settings(msg, FAMILY, 7, SESSION_ID, &set) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_SET, 0, tb);
	if (mask == (SESS | BIT(JUMP_A_REMOTE_INDEX) | BIT(JUMP_A_KEEPALIVE_MS) |
		     BIT(JUMP_A_PREFIXES))) {
		nla_for_each_nested(one, tb[JUMP_A_PREFIXES], rem) {
			int a = n ? JUMP_PREFIX_A_IPV6 : JUMP_PREFIX_A_IPV4;

			if (nla_type(one) == JUMP_A_PREFIX &&
			    parse_nest(one, JUMP_PREFIX_A_MAX, pt) ==
			    (BIT(a) | BIT(JUMP_PREFIX_A_LEN)) &&
			    !memcmp(nla_data(pt[a]), &p[n].addr, nla_len(pt[a])) &&
			    nla_get_u8(pt[JUMP_PREFIX_A_LEN]) == p[n].len)
				good++;
			n++;
		}
	}
	tap_ok(n == 2 && good == 2 && nla_get_u32(tb[JUMP_A_REMOTE_INDEX]) == 0x1234 &&
	       nla_get_u32(tb[JUMP_A_KEEPALIVE_MS]) == 500,
	       "settings: remote index, keepalive and both prefixes; nothing left at 0");
	nlmsg_free(msg);

	set = (struct jumpd_settings){ .set_prefixes = true, .degraded_ms = 9000 };
	msg = alloc_msg();
	mask = jumpd_build_session_settings(msg, FAMILY, 7, SESSION_ID, &set) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SESSION_SET, 0, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_PREFIXES) | BIT(JUMP_A_DEGRADED_MS)) &&
	       nla_len(tb[JUMP_A_PREFIXES]) == 0,
	       "settings: an empty prefix set is an empty nest");
	nlmsg_free(msg);

	set = (struct jumpd_settings){ .set_prefixes = true, .prefixes = p,
				       .nprefixes = JUMP_MAX_PREFIXES + 1 };
	msg = alloc_msg();
	tap_ok(jumpd_build_session_settings(msg, FAMILY, 7, SESSION_ID, &set) == -E2BIG,
	       "settings: more than JUMP_MAX_PREFIXES prefixes are not sent");
	nlmsg_free(msg);
}

static void test_build_keys(void)
{
	struct nlattr *tb[JUMP_A_MAX + 1], *kt[JUMP_KEY_A_MAX + 1];
	uint8_t tx[JUMP_KEY_LEN], rx[JUMP_KEY_LEN];
	struct nl_msg *msg = alloc_msg();
	uint64_t mask;

	memset(tx, 0xa5, sizeof(tx));
	memset(rx, 0x5a, sizeof(rx));
	mask = jumpd_build_key_new(msg, FAMILY, 7, SESSION_ID, JUMP_KEY_SLOT_SECONDARY,
				   3, tx, rx) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_KEY_NEW, NLM_F_ACK, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_KEY)) &&
	       parse_nest(tb[JUMP_A_KEY], JUMP_KEY_A_MAX, kt) ==
	       (BIT(JUMP_KEY_A_SLOT) | BIT(JUMP_KEY_A_ID) | BIT(JUMP_KEY_A_TX) |
		BIT(JUMP_KEY_A_RX)) &&
	       nla_get_u8(kt[JUMP_KEY_A_SLOT]) == JUMP_KEY_SLOT_SECONDARY &&
	       nla_get_u8(kt[JUMP_KEY_A_ID]) == 3 &&
	       nla_len(kt[JUMP_KEY_A_TX]) == JUMP_KEY_LEN &&
	       !memcmp(nla_data(kt[JUMP_KEY_A_TX]), tx, JUMP_KEY_LEN) &&
	       nla_len(kt[JUMP_KEY_A_RX]) == JUMP_KEY_LEN &&
	       !memcmp(nla_data(kt[JUMP_KEY_A_RX]), rx, JUMP_KEY_LEN),
	       "key_new: slot, id and both keys, each its own way round");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_key_new_at(msg, FAMILY, 7, SESSION_ID, JUMP_KEY_SLOT_PRIMARY,
				      3, tx, rx, (1ULL << 32) + 1) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_KEY_NEW, NLM_F_ACK, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_KEY)) &&
	       parse_nest(tb[JUMP_A_KEY], JUMP_KEY_A_MAX, kt) ==
	       (BIT(JUMP_KEY_A_SLOT) | BIT(JUMP_KEY_A_ID) | BIT(JUMP_KEY_A_TX) |
		BIT(JUMP_KEY_A_RX) | BIT(JUMP_KEY_A_TX_COUNTER)) &&
	       nla_get_u64(kt[JUMP_KEY_A_TX_COUNTER]) == (1ULL << 32) + 1,
	       "key_new_at: the transmit counter it starts at, too");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_key_del(msg, FAMILY, 7, SESSION_ID, JUMP_KEY_SLOT_PRIMARY) ?
	       ~0ULL : parse_request(msg, JUMP_CMD_KEY_DEL, NLM_F_ACK, tb);
	tap_ok(mask == (SESS | BIT(JUMP_A_KEY)) &&
	       parse_nest(tb[JUMP_A_KEY], JUMP_KEY_A_MAX, kt) == BIT(JUMP_KEY_A_SLOT) &&
	       nla_get_u8(kt[JUMP_KEY_A_SLOT]) == JUMP_KEY_SLOT_PRIMARY,
	       "key_del: the slot only");
	nlmsg_free(msg);

	msg = alloc_msg();
	mask = jumpd_build_key_swap(msg, FAMILY, 7, SESSION_ID) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_KEY_SWAP, NLM_F_ACK, tb);
	tap_ok(mask == SESS, "key_swap: device and id");
	nlmsg_free(msg);
}

static void test_build_socket_get(void)
{
	struct nlattr *tb[JUMP_A_MAX + 1], *bt[JUMP_BIND_A_MAX + 1];
	struct jumpd_binding b = { .family = AF_INET6, .local_port = 51820,
				   .remote_port = 1, .epoch = 4, .fd = 3 };
	struct nl_msg *msg = alloc_msg();
	uint64_t mask;

	inet_pton(AF_INET6, "fd00::1", &b.local.v6);
	inet_pton(AF_INET6, "fd00::2", &b.remote.v6);
	mask = jumpd_build_socket_get(msg, FAMILY, 7, &b) ? ~0ULL :
	       parse_request(msg, JUMP_CMD_SOCKET_GET, 0, tb);
	tap_ok(mask == (DEV | BIT(JUMP_A_BINDING)) &&
	       parse_nest(tb[JUMP_A_BINDING], JUMP_BIND_A_MAX, bt) ==
	       (BIT(JUMP_BIND_A_LOCAL_IPV6) | BIT(JUMP_BIND_A_LOCAL_PORT)) &&
	       !memcmp(nla_data(bt[JUMP_BIND_A_LOCAL_IPV6]), &b.local.v6, 16) &&
	       nla_get_u16(bt[JUMP_BIND_A_LOCAL_PORT]) == htons(51820),
	       "socket_get: the local address and port only");
	nlmsg_free(msg);
}

/* Parsing what the kernel sends: bindings, sources, indexes, keys. */

static void put_v4(struct nl_msg *msg, int attr, const char *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, addr, &a) != 1 || nla_put(msg, attr, 4, &a))
		abort();
}

static void put_v6(struct nl_msg *msg, int attr, const char *addr)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, addr, &a) != 1 || nla_put(msg, attr, 16, &a))
		abort();
}

static void test_parse_binding(void)
{
	struct nl_msg *msg = new_msg(JUMP_CMD_SESSION_GET);
	struct nlattr *nest;
	struct jumpd_msg m;
	struct in_addr a4;
	struct in6_addr a6;

	if (nla_put_u32(msg, JUMP_A_LOCAL_INDEX, 0xdeadbeef) ||
	    nla_put_u32(msg, JUMP_A_REMOTE_INDEX, 77) ||
	    nla_put(msg, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, pubkey) ||
	    !(nest = nla_nest_start(msg, JUMP_A_BINDING)))
		abort();
	put_v4(msg, JUMP_BIND_A_LOCAL_IPV4, "10.0.0.1");
	put_v4(msg, JUMP_BIND_A_REMOTE_IPV4, "192.0.2.7");
	if (nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(51820)) ||
	    nla_put_u16(msg, JUMP_BIND_A_REMOTE_PORT, htons(4444)) ||
	    nla_put_u32(msg, JUMP_BIND_A_EPOCH, 2))
		abort();
	nla_nest_end(msg, nest);
	inet_pton(AF_INET, "192.0.2.7", &a4);
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 &&
	       m.local_index == 0xdeadbeef && m.remote_index == 77 &&
	       !memcmp(m.peer_pubkey, pubkey, JUMP_PUBKEY_LEN) &&
	       m.binding.family == AF_INET && m.binding.local_port == 51820 &&
	       m.binding.remote_port == 4444 && m.binding.epoch == 2 &&
	       m.binding.remote.v4.s_addr == a4.s_addr && m.binding.fd == -1 &&
	       m.source.family == 0 && m.source.fd == -1,
	       "a session reply: indexes, peer key and binding (ports in host order)");
	nlmsg_free(msg);

	msg = event_msg();
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 &&
	       m.binding.family == 0 && m.binding.fd == -1,
	       "no binding: family 0, fd -1");
	nlmsg_free(msg);

	/* UNBOUND_SOURCE: the sender in SOURCE, the binding in force. */
	msg = new_msg(JUMP_CMD_UNBOUND_SOURCE);
	if (nla_put_u32(msg, JUMP_A_IFINDEX, 7) ||
	    nla_put_u64(msg, JUMP_A_SESSION_ID, SESSION_ID) ||
	    !(nest = nla_nest_start(msg, JUMP_A_SOURCE)))
		abort();
	put_v6(msg, JUMP_BIND_A_REMOTE_IPV6, "2001:db8::9");
	if (nla_put_u16(msg, JUMP_BIND_A_REMOTE_PORT, htons(4444)))
		abort();
	nla_nest_end(msg, nest);
	if (!(nest = nla_nest_start(msg, JUMP_A_BINDING)))
		abort();
	put_v6(msg, JUMP_BIND_A_LOCAL_IPV6, "fd00::1");
	put_v6(msg, JUMP_BIND_A_REMOTE_IPV6, "fd00::2");
	if (nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(51820)) ||
	    nla_put_u16(msg, JUMP_BIND_A_REMOTE_PORT, htons(51821)) ||
	    nla_put_u32(msg, JUMP_BIND_A_EPOCH, 1))
		abort();
	nla_nest_end(msg, nest);
	inet_pton(AF_INET6, "2001:db8::9", &a6);
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 &&
	       m.cmd == JUMP_CMD_UNBOUND_SOURCE && JUMPD_HAS(&m, JUMP_A_SOURCE) &&
	       m.source.family == AF_INET6 && m.source.remote_port == 4444 &&
	       !memcmp(&m.source.remote.v6, &a6, 16) && m.source.local_port == 0 &&
	       m.binding.family == AF_INET6 && m.binding.remote_port == 51821,
	       "an unbound-source event: the sender and the binding in force");
	nlmsg_free(msg);

	/* A SOCKET_GET reply: the local end and the descriptor. */
	msg = new_msg(JUMP_CMD_SOCKET_GET);
	if (nla_put_u32(msg, JUMP_A_IFINDEX, 7) ||
	    !(nest = nla_nest_start(msg, JUMP_A_BINDING)))
		abort();
	put_v4(msg, JUMP_BIND_A_LOCAL_IPV4, "0.0.0.0");
	if (nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(51820)) ||
	    nla_put_u32(msg, JUMP_BIND_A_SOCKET_FD, 5))
		abort();
	nla_nest_end(msg, nest);
	tap_ok(jumpd_parse_session(nlmsg_hdr(msg), &m) == 0 &&
	       m.cmd == JUMP_CMD_SOCKET_GET && m.binding.family == AF_INET &&
	       m.binding.local_port == 51820 && m.binding.fd == 5 &&
	       m.binding.remote_port == 0,
	       "a socket_get reply: the local end and the descriptor");
	nlmsg_free(msg);
}

/* A message whose BINDING (or SOURCE) nest holds @len bytes of @raw. */
static int parse_raw_nest(int attr, const void *raw, size_t len)
{
	struct nl_msg *msg = new_msg(JUMP_CMD_SESSION_EVENT);
	struct jumpd_msg m;
	int err;

	if (nla_put(msg, attr, len, raw))
		abort();
	err = jumpd_parse_session(nlmsg_hdr(msg), &m);
	nlmsg_free(msg);
	return err;
}

/* Builds nests attribute by attribute into @raw; returns the length. */
static size_t raw_attr(uint32_t *raw, size_t off, int type, const void *data,
		       size_t len)
{
	struct nlattr *nla = (struct nlattr *)((char *)raw + off);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	return off + NLA_ALIGN(nla->nla_len);
}

static void test_parse_binding_bad(void)
{
	uint32_t raw[32], v4 = htonl(0x0a000001), fd = 0x80000000u, port4 = 0;
	uint16_t port = htons(51820);
	uint8_t v6[16] = { 0xfd };
	size_t n;

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_IPV6, v6, 16);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "a binding with two local addresses is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	n = raw_attr(raw, n, JUMP_BIND_A_REMOTE_IPV6, v6, 16);
	n = raw_attr(raw, n, JUMP_BIND_A_REMOTE_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "a binding with ends of two families is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 3);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "an IPv4 address of 3 bytes is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV6, v6, 16);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port4, 4);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "a port of 4 bytes is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_REMOTE_IPV4, &v4, 4);
	tap_ok(parse_raw_nest(JUMP_A_SOURCE, raw, n) == -EBADMSG,
	       "an address without its port is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_REMOTE_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_SOURCE, raw, n) == -EBADMSG,
	       "a source without an address is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	((struct nlattr *)((char *)raw + 8))->nla_len = 12;	/* past the nest */
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "an attribute running past the end of its nest is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n + 2) == -EBADMSG,
	       "trailing bytes in a nest are refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	n = raw_attr(raw, n, JUMP_BIND_A_SOCKET_FD, &fd, 4);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == -EBADMSG,
	       "a descriptor beyond INT_MAX is refused");

	n = raw_attr(raw, 0, JUMP_BIND_A_LOCAL_IPV4, &v4, 4);
	n = raw_attr(raw, n, JUMP_BIND_A_LOCAL_PORT, &port, 2);
	tap_ok(parse_raw_nest(JUMP_A_BINDING, raw, n) == 0,
	       "and the same nest well formed parses");
}

int main(void)
{
	test_session();
	test_session_bad();
	test_build_session();
	test_build_transition();
	test_build_settings();
	test_build_keys();
	test_build_socket_get();
	test_parse_binding();
	test_parse_binding_bad();
	test_dev();
	test_extack();
	test_log_error();
	return tap_done();
}
