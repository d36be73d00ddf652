// SPDX-License-Identifier: GPL-2.0
/* jumpctl session's netlink requests, built from struct session_args. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "jumpctl.h"
#include "nl.h"
#include "session_request.h"

_Static_assert(SESSION_REQUEST_MAX <= NL_BUF_SIZE,
	       "the largest session request must fit the netlink buffer");

static void put_endpoint(struct nlmsghdr *nlh, const struct endpoint *ep,
			 int v4, int v6, int port)
{
	if (ep->family == AF_INET)
		mnl_attr_put(nlh, v4, sizeof(ep->addr.v4), &ep->addr.v4);
	else
		mnl_attr_put(nlh, v6, sizeof(ep->addr.v6), &ep->addr.v6);
	mnl_attr_put_u16(nlh, port, htons(ep->port));
}

static const uint8_t genl_cmd[] = {
	[SESSION_SHOW] = JUMP_CMD_SESSION_GET,
	[SESSION_SET] = JUMP_CMD_SESSION_SET,
	[SESSION_ADD] = JUMP_CMD_SESSION_NEW,
	[SESSION_DEL] = JUMP_CMD_SESSION_DEL,
	[SESSION_KEY_ADD] = JUMP_CMD_KEY_NEW,
	[SESSION_KEY_SWAP] = JUMP_CMD_KEY_SWAP,
	[SESSION_KEY_DEL] = JUMP_CMD_KEY_DEL,
	[SESSION_TERMINATE] = JUMP_CMD_SESSION_DEL,
	[SESSION_REATTACH] = JUMP_CMD_SESSION_SET,
};

/* With standby_ready the path given is the standby, not the active binding. */
static void put_binding(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh,
		a->reason == JUMP_REASON_STANDBY_READY ? JUMP_A_STANDBY : JUMP_A_BINDING);

	put_endpoint(nlh, &a->local, JUMP_BIND_A_LOCAL_IPV4,
		     JUMP_BIND_A_LOCAL_IPV6, JUMP_BIND_A_LOCAL_PORT);
	put_endpoint(nlh, &a->remote, JUMP_BIND_A_REMOTE_IPV4,
		     JUMP_BIND_A_REMOTE_IPV6, JUMP_BIND_A_REMOTE_PORT);
	if (a->has_epoch)
		mnl_attr_put_u32(nlh, JUMP_BIND_A_EPOCH, a->epoch);
	if (a->sock_fd >= 0)
		mnl_attr_put_u32(nlh, JUMP_BIND_A_SOCKET_FD, a->sock_fd);
	mnl_attr_nest_end(nlh, nest);
}

/* PREFIXES: a PREFIX nest each; an empty nest empties the set. */
static void put_prefixes(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *list, *nest;
	const struct prefix *p;
	unsigned int i;

	list = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES);
	for (i = 0; i < a->nprefixes; i++) {
		p = &a->prefixes[i];
		nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIX);
		if (p->family == AF_INET)
			mnl_attr_put(nlh, JUMP_PREFIX_A_IPV4, 4, &p->addr.v4);
		else
			mnl_attr_put(nlh, JUMP_PREFIX_A_IPV6, 16, &p->addr.v6);
		mnl_attr_put_u8(nlh, JUMP_PREFIX_A_LEN, p->len);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_nest_end(nlh, list);
}

static void put_settings(struct nlmsghdr *nlh, const struct session_args *a)
{
	if (a->has_remote_index)
		mnl_attr_put_u32(nlh, JUMP_A_REMOTE_INDEX, a->remote_index);
	if (a->has_prefixes)
		put_prefixes(nlh, a);
	if (a->liveness & LIVE_KEEPALIVE)
		mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, a->keepalive_ms);
	if (a->liveness & LIVE_VOLATILE)
		mnl_attr_put_u32(nlh, JUMP_A_VOLATILE_MS, a->volatile_ms);
	if (a->liveness & LIVE_DEGRADED)
		mnl_attr_put_u32(nlh, JUMP_A_DEGRADED_MS, a->degraded_ms);
}

/* KEY {SLOT, ID, TX, RX} for key add, KEY {SLOT} for key del. */
static void put_key(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, JUMP_A_KEY);

	mnl_attr_put_u8(nlh, JUMP_KEY_A_SLOT, a->slot);
	if (a->has_key_id)
		mnl_attr_put_u8(nlh, JUMP_KEY_A_ID, a->key_id);
	if (a->has_tx)
		mnl_attr_put(nlh, JUMP_KEY_A_TX, JUMP_KEY_LEN, a->tx);
	if (a->has_rx)
		mnl_attr_put(nlh, JUMP_KEY_A_RX, JUMP_KEY_LEN, a->rx);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * Only what was given: the kernel's policy is strict and its messages say
 * what is missing or refused better than we could guess (client id
 * required, server id forbidden, binding for this transition or not).
 */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a)
{
	bool show = a->cmd == SESSION_SHOW, dump = show && !a->has_id;
	struct nlmsghdr *nlh;

	nlh = genl_request(buf, family, genl_cmd[a->cmd],
			   dump ? NLM_F_DUMP : NLM_F_ACK);
	/* By name: the kernel resolves it in our netns in the same step. */
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, a->dev);
	if (a->has_id)
		mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, a->id);
	/* A dump carries the sessions' counters only if asked: -s. */
	if (dump && opt.stats)
		mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, JUMP_A_STATS));
	if (a->role >= 0)
		mnl_attr_put_u8(nlh, JUMP_A_ROLE, a->role);
	/* Show filters on state and peer itself: the kernel gets neither. */
	if (a->has_peer && !show)
		mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, a->peer);
	if (a->has_version)
		mnl_attr_put_u64(nlh, JUMP_A_VERSION, a->version);
	if (a->state >= 0 && !show)
		mnl_attr_put_u8(nlh, JUMP_A_STATE, a->state);
	if (a->reason >= 0)
		mnl_attr_put_u16(nlh, JUMP_A_REASON, a->reason);
	if (a->has_local && a->has_remote)
		put_binding(nlh, a);
	put_settings(nlh, a);
	if (a->slot >= 0)
		put_key(nlh, a);
	return nlh;
}

struct nlmsghdr *session_get_request(void *buf, uint16_t family,
				     const char *dev, uint64_t id)
{
	struct nlmsghdr *nlh;

	nlh = genl_request(buf, family, JUMP_CMD_SESSION_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, dev);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	return nlh;
}
