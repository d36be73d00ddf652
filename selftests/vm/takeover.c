// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: a server session taken over from another node (jumpd's
 * failover) against jump.ko, on device DEV of the current netns.
 * SESSION_NEW with the id, receiver index and version it had; KEY_NEW with
 * the transmit counter it starts at; birth -> recovering (failover). What
 * is accepted reads back; every bad value is refused with its extended ack
 * message and leaves nothing behind. One line per check:
 *
 *   ok|not ok <TAB> what <TAB> detail
 *
 * which 21-takeover.sh turns into TAP. Exits 2 if it cannot start.
 *
 *   takeover DEV
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/jump.h>

#include "jumpctl.h"
#include "msg.h"
#include "nl.h"

static struct nl *nl;
static uint32_t ifindex;
static const uint8_t peer[JUMP_PUBKEY_LEN] = { 7 };
static const uint8_t tx[JUMP_KEY_LEN] = { 1 }, rx[JUMP_KEY_LEN] = { 2 };

static void check(bool pass, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("%s\t%s\t", pass ? "ok" : "not ok", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	return parse_session_msg(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

/* SESSION_NEW; @id, @index, @version 0: not sent. */
static int session_new(uint8_t role, uint64_t id, uint32_t index, uint64_t version,
		       bool send_index, struct session_msg *out)
{
	struct nlmsghdr *nlh = nl_genl_request(nl, JUMP_CMD_SESSION_NEW, NLM_F_ACK);

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, JUMP_A_ROLE, role);
	mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, sizeof(peer), peer);
	if (id)
		mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	if (index || send_index)
		mnl_attr_put_u32(nlh, JUMP_A_LOCAL_INDEX, index);
	if (version)
		mnl_attr_put_u64(nlh, JUMP_A_VERSION, version);
	memset(out, 0, sizeof(*out));
	return nl_talk(nl, nlh, reply_cb, out);
}

/* A server SESSION_NEW with all three sent, whatever their values. */
static int takeover(uint64_t id, uint32_t index, uint64_t version, struct session_msg *out)
{
	struct nlmsghdr *nlh = nl_genl_request(nl, JUMP_CMD_SESSION_NEW, NLM_F_ACK);

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, JUMP_A_ROLE, JUMP_ROLE_SERVER);
	mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, sizeof(peer), peer);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	mnl_attr_put_u32(nlh, JUMP_A_LOCAL_INDEX, index);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, version);
	memset(out, 0, sizeof(*out));
	return nl_talk(nl, nlh, reply_cb, out);
}

static int session_get(uint64_t id, struct session_msg *out)
{
	struct nlmsghdr *nlh = nl_genl_request(nl, JUMP_CMD_SESSION_GET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	memset(out, 0, sizeof(*out));
	return nl_talk(nl, nlh, reply_cb, out);
}

/* KEY_NEW into the primary slot; @counter sent if @with_counter. */
static int key_new(uint64_t id, bool with_counter, uint64_t counter)
{
	struct nlmsghdr *nlh = nl_genl_request(nl, JUMP_CMD_KEY_NEW, NLM_F_ACK);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	nest = mnl_attr_nest_start(nlh, JUMP_A_KEY);
	mnl_attr_put_u8(nlh, JUMP_KEY_A_SLOT, JUMP_KEY_SLOT_PRIMARY);
	mnl_attr_put_u8(nlh, JUMP_KEY_A_ID, 3);
	mnl_attr_put(nlh, JUMP_KEY_A_TX, sizeof(tx), tx);
	mnl_attr_put(nlh, JUMP_KEY_A_RX, sizeof(rx), rx);
	if (with_counter)
		mnl_attr_put_u64(nlh, JUMP_KEY_A_TX_COUNTER, counter);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* SESSION_SET: a transition (@state) or, with @index, the refused index change. */
static int session_set(uint64_t id, uint64_t version, uint8_t state, uint16_t reason,
		       bool index, struct session_msg *out)
{
	struct nlmsghdr *nlh = nl_genl_request(nl, JUMP_CMD_SESSION_SET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	if (index) {
		mnl_attr_put_u32(nlh, JUMP_A_LOCAL_INDEX, 99);
		mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, 1000);
	} else {
		mnl_attr_put_u64(nlh, JUMP_A_VERSION, version);
		mnl_attr_put_u8(nlh, JUMP_A_STATE, state);
		mnl_attr_put_u16(nlh, JUMP_A_REASON, reason);
	}
	memset(out, 0, sizeof(*out));
	return nl_talk(nl, nlh, reply_cb, out);
}

/* Refused with @err and an extack message containing @msg. */
static void refused(int ret, int err, const char *msg, const char *what)
{
	check(ret == -err && strstr(nl->errmsg, msg), what, "got %d (%s), \"%s\"; want %d, \"%s\"",
	      ret, strerror(-ret), nl->errmsg, -err, msg);
}

static uint64_t primary_counter(const struct session_msg *s, bool *has)
{
	unsigned int i;

	for (i = 0; i < s->nkeys; i++)
		if (s->keys[i].slot == JUMP_KEY_SLOT_PRIMARY) {
			*has = s->keys[i].has_tx_counter;
			return s->keys[i].tx_counter;
		}
	*has = false;
	return 0;
}

static void test_identity(void)
{
	struct session_msg m, b1, b2;
	int ret;

	ret = takeover(0xfa11, 2, 7, &m);
	check(!ret && m.id == 0xfa11 && m.local_index == 2 && m.version == 7 &&
	      m.state == JUMP_STATE_BIRTH && m.role == JUMP_ROLE_SERVER,
	      "a server session taken over keeps its id, receiver index and version",
	      "ret %d (%s) id %" PRIx64 " index %u version %" PRIu64 " state %u", ret,
	      nl->errmsg, m.id, m.local_index, m.version, m.state);
	ret = session_new(JUMP_ROLE_SERVER, 0, 0, 0, false, &b1) ?:
	      session_new(JUMP_ROLE_SERVER, 0, 0, 0, false, &b2);
	check(!ret && b1.local_index != 2 && b2.local_index != 2 &&
	      b1.local_index != b2.local_index,
	      "ordinary births skip the index a takeover holds", "ret %d indices %u %u", ret,
	      b1.local_index, b2.local_index);
	refused(takeover(0xfa11, 40, 1, &m), EEXIST, "session id already exists on this device",
		"a taken-over id already on the device is refused");
	refused(takeover(0xfa12, 2, 1, &m), EEXIST, "receiver index already in use on this device",
		"a taken-over receiver index already in use is refused");
	refused(takeover(0xfa12, b1.local_index, 1, &m), EEXIST,
		"receiver index already in use on this device",
		"  also one an ordinary birth holds");
	ret = session_get(0xfa12, &m);
	check(ret == -ENOENT, "a refused takeover leaves no session behind", "get: %d", ret);
	ret = takeover(0xfa12, 41, 1, &m);
	check(!ret && m.id == 0xfa12 && m.local_index == 41,
	      "  and its id and index can be taken right after", "ret %d (%s)", ret, nl->errmsg);
	refused(takeover(0xfa13, 0, 1, &m), ERANGE, "receiver index out of range",
		"receiver index 0 is refused");
	refused(takeover(0xfa13, JUMP_MAX_SESSIONS + 1, 1, &m), ERANGE,
		"receiver index out of range", "a receiver index past JUMP_MAX_SESSIONS is refused");
	refused(takeover(0, 42, 1, &m), EINVAL, "session id 0 is reserved",
		"a taken-over id 0 is refused");
	ret = session_new(JUMP_ROLE_SERVER, 0xfa13, 43, 0, true, &m);
	check(!ret && m.id == 0xfa13 && m.version == 1,
	      "a takeover without a version starts at version 1", "ret %d (%s) version %" PRIu64,
	      ret, nl->errmsg, m.version);
	refused(takeover(0xfa15, 45, 0, &m), EINVAL, "version 0 is reserved",
		"a taken-over version 0 is refused");
	refused(session_new(JUMP_ROLE_SERVER, 0xfa16, 0, 0, false, &m), EINVAL,
		"a server session's id is generated by the kernel",
		"a server id without a receiver index is refused, as before");
	ret = session_new(JUMP_ROLE_SERVER, 0, 46, 0, false, &m);
	check(!ret && m.id && m.id != 0xfa16 && m.local_index == 46 && m.version == 1,
	      "a server session with a chosen receiver index and no id: the kernel draws the id",
	      "ret %d (%s) id %" PRIx64 " index %u", ret, nl->errmsg, m.id, m.local_index);
	refused(session_new(JUMP_ROLE_SERVER, 0, 0, 5, false, &m), EINVAL,
		"a version goes only with the id of a session taken over",
		"a version without an id is refused");
	refused(session_new(JUMP_ROLE_SERVER, 0, 48, 5, false, &m), EINVAL,
		"a version goes only with the id of a session taken over",
		"a version with an index but no id is refused");
	refused(session_new(JUMP_ROLE_CLIENT, 0xfa17, 47, 0, false, &m), EINVAL,
		"only a server session chooses its receiver index",
		"a client session cannot choose its receiver index");
	refused(session_set(0xfa11, 0, 0, 0, true, &m), EINVAL,
		"the receiver index is fixed when the session is created",
		"SESSION_SET cannot change a receiver index");
}

static void test_counter(void)
{
	struct session_msg m;
	uint64_t ctr;
	bool has;
	int ret;

	ret = key_new(0xfa11, true, (1ULL << 32) + 5) ?: session_get(0xfa11, &m);
	ctr = primary_counter(&m, &has);
	check(!ret && has && ctr == (1ULL << 32) + 5,
	      "a key's transmit counter starts where KEY_NEW says, and reads back",
	      "ret %d (%s) has %d counter %" PRIu64, ret, nl->errmsg, has, ctr);
	ret = key_new(0xfa12, false, 0) ?: session_get(0xfa12, &m);
	ctr = primary_counter(&m, &has);
	check(!ret && has && ctr == 0, "without one it starts at 0, as before",
	      "ret %d counter %" PRIu64, ret, ctr);
	refused(key_new(0xfa13, true, UINT64_MAX), ERANGE,
		"transmit counter at or past the key's limit",
		"a transmit counter at the key's limit is refused");
	ret = session_get(0xfa13, &m);
	check(!ret && m.nkeys == 0, "  and installs no key", "ret %d keys %u", ret, m.nkeys);
}

static void test_failover_transition(void)
{
	struct session_msg m;
	int ret;

	refused(session_set(0xfa11, 7, JUMP_STATE_ATTACHED, JUMP_REASON_FAILOVER, false, &m),
		EINVAL, "reason code not valid for this transition",
		"failover does not attach (a binding needs the client's proof first)");
	ret = session_set(0xfa11, 7, JUMP_STATE_RECOVERING, JUMP_REASON_FAILOVER, false, &m);
	check(!ret && m.state == JUMP_STATE_RECOVERING && m.version == 8 && !m.bound,
	      "birth -> recovering (failover): no binding, version 8",
	      "ret %d (%s) state %u version %" PRIu64 " bound %d", ret, nl->errmsg, m.state,
	      m.version, m.bound);
	refused(session_set(0xfa11, 8, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE,
			    false, &m), EINVAL, "JUMP_A_BINDING is required",
		"  it leaves recovering only with a binding (reattach_complete)");
}

int main(int argc, char **argv)
{
	if (argc != 2 || !(ifindex = if_nametoindex(argv[1]))) {
		fprintf(stderr, "usage: takeover DEV (an existing jump device)\n");
		return 2;
	}
	if (genl_socket(&nl))
		return 2;
	test_identity();
	test_counter();
	test_failover_transition();
	genl_socket_close();
	return 0;
}
