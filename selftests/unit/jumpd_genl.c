// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's netlink parsing, without a kernel: session and device messages as
 * jump.ko builds them, and the extended acks of refused requests and dumps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
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

int main(void)
{
	test_session();
	test_session_bad();
	test_dev();
	test_extack();
	test_log_error();
	return tap_done();
}
