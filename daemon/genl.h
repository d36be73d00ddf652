/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's generic netlink, over libnl-genl-3: one socket for requests and
 * dumps, another subscribed to the "events" group. Messages come out parsed
 * into plain structs; nothing here knows about the view.
 *
 * Functions return 0 (or a count) on success and a negative errno on
 * failure. After a refusal by the kernel, jumpd_nl_log_error() prints it
 * with the kernel's extended ack message.
 *
 * genl.c opens the sockets and reads the event socket, genl_request.c runs
 * requests, genl_build.c builds what they send and genl_parse.c decodes
 * what the kernel says.
 */
#ifndef JUMPD_GENL_H
#define JUMPD_GENL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

struct nl_sock;
struct prefix;
struct nl_cb;
struct nlmsghdr;

/*
 * A transport binding, as jumpd sends it (SESSION_SET) and reads it back
 * (dumps, replies). Ports in host order. @fd: the UDP socket to lend the
 * kernel, -1 to use the one the device already holds for the local address
 * and port. @epoch: 0 lets the kernel pick the last epoch plus one.
 */
struct jumpd_binding {
	int family;		/* AF_INET or AF_INET6; 0: no binding */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} local, remote;
	uint16_t local_port;
	uint16_t remote_port;
	uint32_t epoch;
	int fd;
	/* Unlinkable migration (unlink.h): local_index 0 for none. */
	uint32_t local_index, remote_index;
	uint8_t tx_mask[JUMP_HEADER_MASK_LEN], rx_mask[JUMP_HEADER_MASK_LEN];
};

/* Settings of SESSION_SET without a state; a zero/NULL field is left as it is. */
struct jumpd_settings {
	uint32_t remote_index;
	const struct prefix *prefixes;	/* replaces the whole set when set_prefixes */
	size_t nprefixes;
	bool set_prefixes;
	uint32_t keepalive_ms;
	uint32_t volatile_ms;
	uint32_t degraded_ms;
};

/* A session message: a dump entry, or a SESSION_NEW / SESSION_EVENT event. */
struct jumpd_msg {
	uint8_t cmd;		/* enum jump_cmd, from the genl header */
	uint64_t present;	/* bit JUMP_A_x: attribute x was there */
	uint32_t ifindex;
	uint64_t id;
	uint64_t version;
	uint64_t seq;		/* EVENT_SEQ */
	uint16_t reason;
	uint8_t role;
	uint8_t state;
	uint8_t prev_state;
	/* Dumps and replies (SESSION_GET, SESSION_NEW, SESSION_SET). */
	uint32_t local_index;
	uint32_t remote_index;
	uint64_t created_ns;		/* CLOCK_REALTIME of the birth */
	uint8_t peer_pubkey[JUMP_PUBKEY_LEN];
	struct jumpd_binding binding;	/* family 0: none; fd -1 */
	/* Dumps and replies: the primary key's next transmit counter (KEYS). */
	bool has_primary;
	uint8_t primary_id;
	uint64_t primary_tx_counter;
	/* Events: UNBOUND_SOURCE's source (REMOTE_* only). */
	struct jumpd_binding source;
};

#define JUMPD_HAS(m, attr)	(((m)->present >> (attr)) & 1)

/* A DEV_GET reply. */
struct jumpd_dev_info {
	uint32_t ifindex;
	uint32_t sessions;
	uint64_t seq;		/* the last EVENT_SEQ the device issued */
	char name[IF_NAMESIZE];
};

/* The kernel's answer to a refused request (NLMSG_ERROR or NLMSG_DONE). */
struct jumpd_extack {
	int error;		/* negative errno; 0: none */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
};

typedef int (*jumpd_msg_fn)(const struct jumpd_msg *m, void *arg);
typedef int (*jumpd_dev_fn)(const struct jumpd_dev_info *d, void *arg);

struct jumpd_nl {
	struct nl_sock *req;
	struct nl_sock *events;
	struct nl_cb *events_cb;
	int family;
	int events_group;
	/* Of the last request: what the kernel (or libnl) said. */
	struct jumpd_extack ext;
	/* Of the event read in progress. */
	jumpd_msg_fn events_fn;
	void *events_arg;
	int events_err;
};

/*
 * Resolves the family and joins the events group: from here on no event is
 * missed. 0, or -1 after logging why (e.g. the module is not loaded). @nl
 * must not move until jumpd_nl_close(): the event callback points to it.
 */
int jumpd_nl_open(struct jumpd_nl *nl);
void jumpd_nl_close(struct jumpd_nl *nl);
int jumpd_nl_events_fd(const struct jumpd_nl *nl);

/* DEV_GET dump: @fn for every jump device of the netns. */
int jumpd_nl_list_devices(struct jumpd_nl *nl, jumpd_dev_fn fn, void *arg);
/* DEV_GET of one device: -ENODEV if it is gone. */
int jumpd_nl_get_device(struct jumpd_nl *nl, uint32_t ifindex,
			struct jumpd_dev_info *info);
/*
 * SESSION_GET dump of a device: @fn for every session. -EINTR if the kernel
 * flagged the dump inconsistent (NLM_F_DUMP_INTR): dump again.
 */
int jumpd_nl_dump_sessions(struct jumpd_nl *nl, uint32_t ifindex,
			   jumpd_msg_fn fn, void *arg);

/*
 * Reads one datagram from the event socket and hands each jump event in it
 * to @fn (NULL: discard). Returns 1 after a datagram, 0 if none is queued,
 * -ENOBUFS if the socket overran (events were lost), -EBADMSG if an event
 * was malformed, the first negative value @fn returned, or another -errno.
 */
int jumpd_nl_read_events(struct jumpd_nl *nl, jumpd_msg_fn fn, void *arg);

/*
 * Requests. Each returns 0 (filling @out, if given, from the kernel's reply)
 * or a negative errno with the kernel's extack in nl->ext: the caller logs
 * it (jumpd_nl_log_error) or audits it. A CAS that lost shows as -ESTALE.
 */
/* SESSION_NEW: a server session (@id 0: the kernel picks it) or a client one. */
int jumpd_nl_session_new(struct jumpd_nl *nl, uint32_t ifindex, uint8_t role,
			 uint64_t id, const uint8_t pubkey[JUMP_PUBKEY_LEN],
			 struct jumpd_msg *out);
/*
 * A server session with a chosen receiver index: taken over from a dead
 * owner (failover), with the id and version it had there; or a birth on a
 * cluster node (@id 0: the kernel draws it; @version 0: 1). -EEXIST if the
 * id or the index is in use on this device.
 */
struct jumpd_takeover {
	uint64_t id;
	uint32_t index;
	uint64_t version;
};
int jumpd_nl_session_takeover(struct jumpd_nl *nl, uint32_t ifindex,
			      const struct jumpd_takeover *to,
			      const uint8_t pubkey[JUMP_PUBKEY_LEN], struct jumpd_msg *out);
/* SESSION_GET of one session: -ENOENT if it is not there. */
int jumpd_nl_session_get(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 struct jumpd_msg *out);
/* SESSION_SET without a state: settings. */
int jumpd_nl_session_settings(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			      const struct jumpd_settings *set);
/*
 * SESSION_SET with a state: a CAS transition, with a new binding or NULL;
 * with reason standby_ready, @b is sent as the standby (JUMP_A_STANDBY).
 */
int jumpd_nl_session_transition(struct jumpd_nl *nl, uint32_t ifindex,
				uint64_t id, uint64_t version, uint8_t state,
				uint16_t reason, const struct jumpd_binding *b,
				struct jumpd_msg *out);
/* SESSION_DEL: CAS terminate with @reason (0: the kernel's admin_terminate). */
int jumpd_nl_session_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 uint64_t version, uint16_t reason);
/* KEY_NEW into @slot; KEY_SWAP; KEY_DEL of @slot. */
int jumpd_nl_key_new(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot, uint8_t key_id,
		     const uint8_t tx[JUMP_KEY_LEN], const uint8_t rx[JUMP_KEY_LEN]);
/* KEY_NEW whose transmit counter starts at @tx_counter (a key taken over). */
int jumpd_nl_key_new_at(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			uint8_t slot, uint8_t key_id, const uint8_t tx[JUMP_KEY_LEN],
			const uint8_t rx[JUMP_KEY_LEN], uint64_t tx_counter);
int jumpd_nl_key_swap(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id);
int jumpd_nl_key_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot);
/*
 * SOCKET_GET: a new descriptor (close-on-exec) of the socket the device
 * holds for @local's address and port, so a restarted jumpd reads its
 * control packets again. The descriptor, or a negative errno.
 */
int jumpd_nl_socket_get(struct jumpd_nl *nl, uint32_t ifindex,
			const struct jumpd_binding *local);

/*
 * The message builders behind the requests, exposed for the unit tests:
 * each fills @msg (from nlmsg_alloc()) with the genl header for @family and
 * every attribute the request sends. 0, -EMSGSIZE if @msg is too small, or
 * -EINVAL / -E2BIG for arguments that cannot be sent.
 */
struct nl_msg;
int jumpd_build_session_new(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint8_t role, uint64_t id,
			    const uint8_t pubkey[JUMP_PUBKEY_LEN]);
int jumpd_build_session_takeover(struct nl_msg *msg, int family, uint32_t ifindex,
				 const struct jumpd_takeover *to,
				 const uint8_t pubkey[JUMP_PUBKEY_LEN]);
int jumpd_build_session_get(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint64_t id);
int jumpd_build_session_settings(struct nl_msg *msg, int family,
				 uint32_t ifindex, uint64_t id,
				 const struct jumpd_settings *set);
int jumpd_build_session_transition(struct nl_msg *msg, int family,
				   uint32_t ifindex, uint64_t id,
				   uint64_t version, uint8_t state,
				   uint16_t reason, const struct jumpd_binding *b);
int jumpd_build_session_del(struct nl_msg *msg, int family, uint32_t ifindex,
			    uint64_t id, uint64_t version, uint16_t reason);
int jumpd_build_key_new(struct nl_msg *msg, int family, uint32_t ifindex,
			uint64_t id, uint8_t slot, uint8_t key_id,
			const uint8_t tx[JUMP_KEY_LEN],
			const uint8_t rx[JUMP_KEY_LEN]);
/* As jumpd_build_key_new(), with JUMP_KEY_A_TX_COUNTER if @tx_counter is not 0. */
int jumpd_build_key_new_at(struct nl_msg *msg, int family, uint32_t ifindex,
			   uint64_t id, uint8_t slot, uint8_t key_id,
			   const uint8_t tx[JUMP_KEY_LEN],
			   const uint8_t rx[JUMP_KEY_LEN], uint64_t tx_counter);
int jumpd_build_key_swap(struct nl_msg *msg, int family, uint32_t ifindex,
			 uint64_t id);
int jumpd_build_key_del(struct nl_msg *msg, int family, uint32_t ifindex,
			uint64_t id, uint8_t slot);
int jumpd_build_socket_get(struct nl_msg *msg, int family, uint32_t ifindex,
			   const struct jumpd_binding *local);

/* Logs "@what: <strerror(-err)>" and the kernel's message, if any. */
void jumpd_nl_log_error(const struct jumpd_nl *nl, const char *what, int err);

/* Parsers, exposed for the unit tests. 0, or -EBADMSG. */
int jumpd_parse_session(struct nlmsghdr *nlh, struct jumpd_msg *m);
int jumpd_parse_dev(struct nlmsghdr *nlh, struct jumpd_dev_info *d);
/* For an NLMSG_ERROR or NLMSG_DONE message. */
void jumpd_parse_extack(const struct nlmsghdr *nlh, struct jumpd_extack *ext);

#endif /* JUMPD_GENL_H */
