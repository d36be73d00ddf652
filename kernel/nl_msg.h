/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_NL_MSG_H
#define _JUMP_NL_MSG_H

#include <net/genetlink.h>

struct jump_binding;
struct jump_device;
struct jump_endpoint;
struct jump_session;
struct jump_sock;

/* What a session message carries beyond what events carry. */
enum jump_nl_detail {
	JUMP_NL_DETAIL = 1 << 0,	/* prefixes, keys, liveness times */
	JUMP_NL_STATS = 1 << 1,		/* counters and drops */
};

/*
 * Fills the attributes of a session; the caller holds its lock. @detail
 * (enum jump_nl_detail) adds what events leave out.
 */
int jump_nl_put_session(struct sk_buff *skb, const struct jump_session *s,
			unsigned int detail);
/* Upper bound of a session message's payload. */
size_t jump_nl_session_size(bool detail);

int jump_nl_put_binding(struct sk_buff *skb, const struct jump_binding *b);
/* @local, @remote: either may be NULL; a nest @attr of JUMP_BIND_A_*. */
int jump_nl_put_endpoint(struct sk_buff *skb, int attr,
			 const struct jump_endpoint *local,
			 const struct jump_endpoint *remote);

/* A DEV_GET message's attributes: state counts, counters, event seq. */
int jump_nl_put_device(struct sk_buff *skb, struct jump_device *jd);

/* A unicast reply carrying one session, filled under its lock. */
struct sk_buff *jump_nl_session_reply(struct genl_info *info,
				      struct jump_session *s, u8 cmd);
/* SOCKET_GET's reply: the socket's local end and the descriptor @fd. */
struct sk_buff *jump_nl_socket_reply(struct genl_info *info,
				     struct jump_device *jd,
				     struct jump_sock *js, int fd);

#endif /* _JUMP_NL_MSG_H */
