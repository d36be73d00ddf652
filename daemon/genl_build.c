// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's generic netlink: the messages jumpd sends, built. Each
 * jumpd_build_*() fills a message with the genl header and every attribute
 * of its request (SESSION_NEW, GET, SET, DEL, KEY_NEW, SWAP, DEL,
 * SOCKET_GET); genl_request.c sends them. Exposed for the unit tests.
 */
#include <errno.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "genl_shared.h"
#include "jump_parse.h"

/* A request with a genl header and the device, nothing else yet. */
int jumpd_put_header(struct nl_msg *msg, int family, uint8_t cmd, int flags,
		     uint32_t ifindex)
{
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 JUMP_GENL_VERSION) ||
	    (ifindex && nla_put_u32(msg, JUMP_A_IFINDEX, ifindex) < 0))
		return -EMSGSIZE;
	return 0;
}

static int put_session(struct nl_msg *msg, int family, uint8_t cmd, int flags,
		       uint32_t ifindex, uint64_t id)
{
	if (jumpd_put_header(msg, family, cmd, flags, ifindex) ||
	    nla_put_u64(msg, JUMP_A_SESSION_ID, id) < 0)
		return -EMSGSIZE;
	return 0;
}

int jumpd_build_session_new(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint8_t role, uint64_t id,
			    const uint8_t pubkey[JUMP_PUBKEY_LEN])
{
	if (jumpd_put_header(msg, family, JUMP_CMD_SESSION_NEW, 0, ifindex) ||
	    nla_put_u8(msg, JUMP_A_ROLE, role) < 0 ||
	    nla_put(msg, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, pubkey) < 0 ||
	    (id && nla_put_u64(msg, JUMP_A_SESSION_ID, id) < 0))
		return -EMSGSIZE;
	return 0;
}

int jumpd_build_session_takeover(struct nl_msg *msg, int family, uint32_t ifindex,
				 const struct jumpd_takeover *to,
				 const uint8_t pubkey[JUMP_PUBKEY_LEN])
{
	if (!to->index || (to->version && !to->id))
		return -EINVAL;
	if (jumpd_build_session_new(msg, family, ifindex, JUMP_ROLE_SERVER, to->id, pubkey) ||
	    nla_put_u32(msg, JUMP_A_LOCAL_INDEX, to->index) < 0 ||
	    (to->version && nla_put_u64(msg, JUMP_A_VERSION, to->version) < 0))
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
	/* standby_ready's binding is the standby, beside the active one. */
	nest = nla_nest_start(msg, reason == JUMP_REASON_STANDBY_READY ?
			      JUMP_A_STANDBY : JUMP_A_BINDING);
	if (!nest ||
	    put_addr(msg, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6,
		     b->family, &b->local) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(b->local_port)) < 0 ||
	    put_addr(msg, JUMP_BIND_A_REMOTE_IPV4, JUMP_BIND_A_REMOTE_IPV6,
		     b->family, &b->remote) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_REMOTE_PORT, htons(b->remote_port)) < 0 ||
	    (b->epoch && nla_put_u32(msg, JUMP_BIND_A_EPOCH, b->epoch) < 0) ||
	    (b->fd >= 0 && nla_put_u32(msg, JUMP_BIND_A_SOCKET_FD, b->fd) < 0) ||
	    (b->local_index &&
	     (nla_put_u32(msg, JUMP_BIND_A_LOCAL_INDEX, b->local_index) < 0 ||
	      nla_put_u32(msg, JUMP_BIND_A_REMOTE_INDEX, b->remote_index) < 0 ||
	      nla_put(msg, JUMP_BIND_A_TX_MASK, sizeof(b->tx_mask), b->tx_mask) < 0 ||
	      nla_put(msg, JUMP_BIND_A_RX_MASK, sizeof(b->rx_mask), b->rx_mask) < 0)))
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
	return jumpd_build_key_new_at(msg, family, ifindex, id, slot, key_id, tx, rx, 0);
}

int jumpd_build_key_new_at(struct nl_msg *msg, int family, uint32_t ifindex,
			   uint64_t id, uint8_t slot, uint8_t key_id,
			   const uint8_t tx[JUMP_KEY_LEN],
			   const uint8_t rx[JUMP_KEY_LEN], uint64_t tx_counter)
{
	struct nlattr *nest;

	if (put_session(msg, family, JUMP_CMD_KEY_NEW, NLM_F_ACK, ifindex, id))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, JUMP_A_KEY);
	if (!nest || nla_put_u8(msg, JUMP_KEY_A_SLOT, slot) < 0 ||
	    nla_put_u8(msg, JUMP_KEY_A_ID, key_id) < 0 ||
	    nla_put(msg, JUMP_KEY_A_TX, JUMP_KEY_LEN, tx) < 0 ||
	    nla_put(msg, JUMP_KEY_A_RX, JUMP_KEY_LEN, rx) < 0 ||
	    (tx_counter && nla_put_u64(msg, JUMP_KEY_A_TX_COUNTER, tx_counter) < 0))
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
	if (jumpd_put_header(msg, family, JUMP_CMD_SOCKET_GET, 0, ifindex))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, JUMP_A_BINDING);
	if (!nest ||
	    put_addr(msg, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6,
		     local->family, &local->local) < 0 ||
	    nla_put_u16(msg, JUMP_BIND_A_LOCAL_PORT, htons(local->local_port)) < 0)
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}
