/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * Jumping VPN: the contract between jump.ko, jumpd and jumpctl.
 *
 * Every command, attribute, state, reason code and limit is defined here and
 * nowhere else. Documentation/netlink.rst describes the semantics; printable
 * names live in lib/jump_names.c, shared by every userspace program.
 */
#ifndef _UAPI_LINUX_JUMP_H
#define _UAPI_LINUX_JUMP_H

#include <linux/types.h>

#define JUMP_GENL_NAME		"jump"
#define JUMP_GENL_VERSION	1
#define JUMP_MCGRP_EVENTS	"events"
#define JUMP_LINK_KIND		"jump"

/* Limits. */
#define JUMP_PUBKEY_LEN		32	/* X25519 public key */
#define JUMP_MAX_SESSIONS	1048576	/* per device */
#define JUMP_DEFAULT_MTU	1420	/* 1500 - IPv6 outer headers - JUMP_DATA_OVERHEAD */
#define JUMP_KEY_LEN		32	/* ChaCha20-Poly1305 key, one per direction */
#define JUMP_MAX_PREFIXES	256	/* inner prefixes per session */
#define JUMP_QUEUE_LEN		1024	/* data packets waiting to be opened, per receive queue */

/* Liveness defaults and bounds, per session, in milliseconds. */
#define JUMP_DEFAULT_KEEPALIVE_MS	1000
#define JUMP_DEFAULT_VOLATILE_MS	3000
#define JUMP_DEFAULT_DEGRADED_MS	6000
#define JUMP_MIN_LIVENESS_MS		100
/*
 * Liveness probes (Documentation/protocol.rst, "Liveness"): a session
 * whose receive silence passes JUMP_PROBE_AFTER_PCT percent of its
 * keepalive interval (in ATTACHED; in VOLATILE, from the volatile
 * threshold on) sends probes, evenly spread until the next silence
 * threshold: the module parameter liveness_probes of them, default
 * JUMP_DEFAULT_PROBES, at most JUMP_MAX_PROBES. A probe is a data packet
 * whose inner packet is the single byte JUMP_PROBE_BYTE; the peer answers
 * each at once with a keepalive.
 */
#define JUMP_PROBE_AFTER_PCT		150
#define JUMP_DEFAULT_PROBES		12
#define JUMP_MAX_PROBES			64
#define JUMP_PROBE_LEN			1
#define JUMP_PROBE_BYTE			0
/*
 * A standby path (jumpd's StandbyPath, Documentation/protocol.rst,
 * "Standby path"): the default interval of the client's STANDBY_KEEPALIVE,
 * and the number of intervals without an answer before it gives the
 * standby up (StandbyKeepalive bounds it like the liveness times).
 */
#define JUMP_DEFAULT_STANDBY_KEEPALIVE_MS	15000
#define JUMP_STANDBY_KEEPALIVE_MISSES		3
#define JUMP_MAX_LIVENESS_MS		3600000

/*
 * Reattach path validation (jumpd, Documentation/protocol.rst): the most
 * REATTACH_CHALLENGEs sent for one attempt to sources that carry no cookie
 * of their own address (copies of a request get a COOKIE_REPLY beyond it).
 */
#define JUMP_REATTACH_CHALLENGES	4

/*
 * jumpd's audit of JUMP_CMD_UNBOUND_SOURCE reports: at most
 * JUMP_UNBOUND_RECORDS_PER_SESSION records per session every
 * JUMP_UNBOUND_RECORDS_INTERVAL_MS, and JUMP_UNBOUND_RECORDS_RATE a second
 * in all; the rest are counted and summarized once a second.
 */
#define JUMP_UNBOUND_RECORDS_PER_SESSION	3
/*
 * A server with RebindProbe sends at most one REBIND_CHALLENGE per session
 * every JUMP_REBIND_PROBE_INTERVAL_MS (Documentation/protocol.rst,
 * "Server-initiated rebind").
 */
#define JUMP_REBIND_PROBE_INTERVAL_MS		500
#define JUMP_UNBOUND_RECORDS_INTERVAL_MS	60000
#define JUMP_UNBOUND_RECORDS_RATE		10

/*
 * Cluster ownership on etcd (jumpd's [Cluster], Documentation/configuration.rst):
 * the node's lease time to live, and its name's longest length (it is in
 * each ownership record, and `jumpctl session show` prints it). A node
 * takes its lease as lost JUMP_LEASE_MARGIN_PERCENT of the TTL (at least
 * JUMP_LEASE_MARGIN_MIN_MS) before etcd could expire it.
 */
#define JUMP_DEFAULT_LEASE_TTL_MS	5000
#define JUMP_MIN_LEASE_TTL_MS		2000
#define JUMP_MAX_LEASE_TTL_MS		600000
#define JUMP_LEASE_MARGIN_PERCENT	10
#define JUMP_LEASE_MARGIN_MIN_MS	200
#define JUMP_NODE_NAME_MAX		63
/*
 * Failover (ClusterKeyFile, Documentation/jumpd.rst, "Failover"): the
 * cluster key's length, and how far past the transmit counter the owner
 * last read a node taking the session over starts its own, so that no
 * counter the dead owner could still have sent under the key is used
 * twice (the owner seals again before it could get that far).
 */
#define JUMP_CLUSTER_KEY_LEN		32
#define JUMP_FAILOVER_COUNTER_JUMP	(1ULL << 32)
/*
 * A reattach for a session a node does not hold costs it etcd lookups (is
 * there a dead owner's sealed state?): at most this many a second, all
 * sources together.
 */
#define JUMP_FAILOVER_LOOKUP_RATE	20

/*
 * Why the ownership of a session changed, or a change of it was refused:
 * jumpd's "ownership" audit records (Documentation/audit.rst).
 */
enum jump_owner_reason {
	JUMP_OWNER_NONE,
	JUMP_OWNER_CLAIMED,		/* a new session's record, under this node's lease */
	JUMP_OWNER_MOVED,		/* a transition's CAS on the record's mod_revision */
	JUMP_OWNER_ADOPTED,		/* a restarted jumpd put its record under its new lease */
	JUMP_OWNER_RELEASED,		/* the session ended: its record deleted */
	JUMP_OWNER_LEASE_LOST,		/* the lease ran out or etcd says it is gone: fenced */
	JUMP_OWNER_LEASE_RENEWED,	/* a fenced node's lease is alive again */
	JUMP_OWNER_CAS_LOST,		/* the record changed under us: another node holds it */
	JUMP_OWNER_STORE_UNAVAILABLE,	/* etcd absent or timed out: refused */
	JUMP_OWNER_STORE_GARBAGE,	/* etcd's answer made no sense: refused */
	JUMP_OWNER_NO_QUORUM,		/* etcd answers, but cannot commit: refused */
	JUMP_OWNER_FAILOVER,		/* a dead owner's session taken over from its sealed state */
	__JUMP_OWNER_MAX
};
#define JUMP_OWNER_MAX (__JUMP_OWNER_MAX - 1)

/*
 * The data packet (Documentation/protocol.rst): all fields big endian, the
 * whole header is the AEAD's associated data, the counter its nonce.
 *
 *   type:8 key_id:8 reserved:16 | receiver_index:32 | epoch:32 | counter:64
 *   ciphertext of the inner IP packet | 16-byte Poly1305 tag
 *
 * A keepalive is a data packet with an empty inner packet. Every other type
 * belongs to jumpd and reaches its socket untouched.
 */
enum jump_msg_type {
	JUMP_MSG_HANDSHAKE_INIT = 1,	/* client -> server: Noise IK message 1 */
	JUMP_MSG_HANDSHAKE_RESP = 2,	/* server -> client: Noise IK message 2 */
	JUMP_MSG_COOKIE_REPLY = 3,	/* server -> client: retry with this cookie */
	JUMP_MSG_DATA = 4,		/* the only type the kernel handles */
	JUMP_MSG_HANDSHAKE_DONE = 5,	/* client -> server: its receiver index, key confirmation */
	JUMP_MSG_HANDSHAKE_ACK = 6,	/* server -> client: session attached */
	JUMP_MSG_REATTACH_REQUEST = 7,	/* client -> server, from the new path */
	JUMP_MSG_REATTACH_CHALLENGE = 8,	/* server -> the new path */
	JUMP_MSG_REATTACH_CONFIRM = 9,	/* client -> server, from the new path */
	JUMP_MSG_REATTACH_ACK = 10,	/* server -> client: new binding committed */
	JUMP_MSG_REATTACH_REJECT = 11,	/* server -> client: enum jump_reject */
	JUMP_MSG_REKEY_INIT = 12,	/* client -> server: fresh ephemeral */
	JUMP_MSG_REKEY_RESP = 13,	/* server -> client: fresh ephemeral */
	JUMP_MSG_REKEY_DONE = 14,	/* client -> server: now sending on the new key */
	JUMP_MSG_TERMINATE = 15,	/* either way: the session ends, with a reason */
	JUMP_MSG_REBIND_CHALLENGE = 16,	/* server -> an unbound source of authentic data */
	JUMP_MSG_REBIND_CONFIRM = 17,	/* client -> server, from its current socket */
	JUMP_MSG_STANDBY_REQUEST = 18,	/* client -> server, from the standby path */
	JUMP_MSG_STANDBY_ACK = 19,	/* server -> client: standby committed */
	JUMP_MSG_STANDBY_KEEPALIVE = 20,	/* either way, on the standby path */
	JUMP_MSG_STANDBY_PROMOTE = 21,	/* client -> server, on the standby path */
	__JUMP_MSG_MAX
};
#define JUMP_MSG_MAX (__JUMP_MSG_MAX - 1)
#define JUMP_DATA_HEADER_LEN	20
#define JUMP_TAG_LEN		16
#define JUMP_DATA_OVERHEAD	(8 + JUMP_DATA_HEADER_LEN + JUMP_TAG_LEN)	/* UDP too */
/*
 * Unlinkable migration (jumpd's Unlinkable, Documentation/protocol.rst):
 * a binding's header mask covers the key id, the epoch and the counter
 * (1 + 4 + 8 bytes, in the header's order);
 * every control message jumpd sends with a per-epoch session tag is padded
 * to JUMP_UNLINKABLE_CTL_LEN bytes, so that its length says nothing of its
 * kind.
 */
#define JUMP_HEADER_MASK_LEN	13
#define JUMP_UNLINKABLE_CTL_LEN	64

/* Key slots: transmit uses the primary; receive takes either by key id. */
enum jump_key_slot {
	JUMP_KEY_SLOT_PRIMARY,
	JUMP_KEY_SLOT_SECONDARY,
	__JUMP_KEY_SLOT_MAX
};
#define JUMP_KEY_SLOT_MAX (__JUMP_KEY_SLOT_MAX - 1)

/* Why the data path dropped a packet: counted per session and per device. */
enum jump_drop {
	JUMP_DROP_BAD_HEADER,	/* rx: truncated or malformed */
	JUMP_DROP_NO_SESSION,	/* rx: unknown receiver index */
	JUMP_DROP_NO_KEY,	/* rx: unknown key id; tx: no primary key */
	JUMP_DROP_AUTH,		/* rx: authentication failed */
	JUMP_DROP_REPLAY,	/* rx: counter seen or too old */
	JUMP_DROP_UNBOUND,	/* rx: authentic, but not from the bound transport */
	JUMP_DROP_STALE_EPOCH,	/* rx: authentic, but sent under another binding */
	JUMP_DROP_SOURCE,	/* rx: inner source not among the session's prefixes */
	JUMP_DROP_NO_BINDING,	/* tx: the session has no binding */
	JUMP_DROP_NO_ROUTE,	/* tx: no session for the inner destination, or no outer route */
	JUMP_DROP_KEY_EXPIRED,	/* tx: the key's counter is used up */
	JUMP_DROP_NOMEM,	/* either way: out of memory; rx: receive queue full */
	__JUMP_DROP_MAX
};
#define JUMP_DROP_MAX (__JUMP_DROP_MAX - 1)

/*
 * Session states. TERMINATED is final: a terminated session is removed from
 * the table and its id is never handed out again by this device.
 */
enum jump_state {
	JUMP_STATE_BIRTH,
	JUMP_STATE_ATTACHED,
	JUMP_STATE_VOLATILE,
	JUMP_STATE_DEGRADED,
	JUMP_STATE_RECOVERING,
	JUMP_STATE_TERMINATED,
	__JUMP_STATE_MAX
};
#define JUMP_STATE_MAX (__JUMP_STATE_MAX - 1)

enum jump_role {
	JUMP_ROLE_CLIENT,
	JUMP_ROLE_SERVER,
	__JUMP_ROLE_MAX
};
#define JUMP_ROLE_MAX (__JUMP_ROLE_MAX - 1)

/*
 * Why a session changed state. Each legal transition accepts only some
 * reasons; some are raised by the kernel only (see Documentation/state-machine.rst).
 */
enum jump_reason {
	JUMP_REASON_NONE,
	JUMP_REASON_SESSION_CREATED,
	JUMP_REASON_HANDSHAKE_COMPLETE,
	JUMP_REASON_BIRTH_TIMEOUT,
	JUMP_REASON_AUTH_FAILED,
	JUMP_REASON_RX_SILENCE,
	JUMP_REASON_LINK_DOWN,
	JUMP_REASON_ROUTE_CHANGE,
	JUMP_REASON_RX_RESUMED,
	JUMP_REASON_TRANSPORT_DEAD,
	JUMP_REASON_PLANNED_SWITCH,
	JUMP_REASON_ADMIN_REATTACH,
	JUMP_REASON_REATTACH_REQUESTED,
	JUMP_REASON_REATTACH_COMPLETE,
	JUMP_REASON_RECOVERY_WINDOW_EXCEEDED,
	JUMP_REASON_SWITCH_RATE_EXCEEDED,
	JUMP_REASON_ADMIN_TERMINATE,
	JUMP_REASON_PEER_TERMINATE,
	JUMP_REASON_OWNERSHIP_LOST,
	JUMP_REASON_DEVICE_DELETED,
	JUMP_REASON_KEY_EXPIRED,
	JUMP_REASON_STANDBY_READY,	/* a standby binding set beside the active one */
	JUMP_REASON_STANDBY_CLEARED,	/* the standby binding removed */
	JUMP_REASON_STANDBY_PROMOTED,	/* the standby became the active binding */
	JUMP_REASON_FAILOVER,		/* taken over from a dead owner: recovering, no binding yet */
	__JUMP_REASON_MAX
};
#define JUMP_REASON_MAX (__JUMP_REASON_MAX - 1)

/*
 * Why jumpd refused a control packet: in the audit log, and on the wire in a
 * REATTACH_REJECT where it is safe to tell (Documentation/protocol.rst).
 */
enum jump_reject {
	JUMP_REJECT_NONE,
	JUMP_REJECT_MALFORMED,		/* wrong length, reserved bits, unknown type */
	JUMP_REJECT_RATE_LIMITED,	/* per-source or global control rate */
	JUMP_REJECT_COOKIE_REQUIRED,	/* under load: answered with a cookie */
	JUMP_REJECT_BAD_COOKIE,
	JUMP_REJECT_UNKNOWN_PEER,	/* handshake from a key not in the config */
	JUMP_REJECT_AUTH_FAILED,	/* handshake did not decrypt, or a MAC is wrong */
	JUMP_REJECT_STALE_HANDSHAKE,	/* handshake timestamp not newer than the last */
	JUMP_REJECT_UNKNOWN_SESSION,
	JUMP_REJECT_NOT_OWNER,		/* the session is owned by another node */
	JUMP_REJECT_SESSION_TERMINATED,
	JUMP_REJECT_STALE_ATTEMPT,	/* attempt counter not above the highest seen */
	JUMP_REJECT_CLOCK_SKEW,		/* timestamp outside the skew window */
	JUMP_REJECT_SWITCH_RATE,	/* more switches than the policy allows */
	JUMP_REJECT_RECOVERY_WINDOW,	/* the recovery window has closed */
	JUMP_REJECT_PATH_VALIDATION,	/* the new path did not confirm in time */
	JUMP_REJECT_CONFLICT,		/* lost the compare-and-swap to another change */
	JUMP_REJECT_MAX_SESSIONS,
	JUMP_REJECT_WRONG_PATH,		/* confirm from another address than the request */
	JUMP_REJECT_NO_STANDBY,		/* promote or keepalive off the session's standby path */
	__JUMP_REJECT_MAX
};
#define JUMP_REJECT_MAX (__JUMP_REJECT_MAX - 1)

/* Who asks for a transition: the kernel itself or a netlink request. */
enum jump_origin {
	JUMP_ORIGIN_KERNEL = 1 << 0,
	JUMP_ORIGIN_USER = 1 << 1,
};

enum jump_cmd {
	JUMP_CMD_UNSPEC,
	JUMP_CMD_DEV_GET,	/* device info */
	JUMP_CMD_SESSION_NEW,	/* create (also the multicast "created" event) */
	JUMP_CMD_SESSION_GET,	/* get one, or dump all of a device */
	JUMP_CMD_SESSION_SET,	/* CAS transition, optionally with a new binding */
	JUMP_CMD_SESSION_DEL,	/* CAS terminate */
	JUMP_CMD_SESSION_EVENT,	/* multicast only: one transition */
	JUMP_CMD_KEY_NEW,	/* install a key in a slot */
	JUMP_CMD_KEY_SWAP,	/* swap primary and secondary */
	JUMP_CMD_KEY_DEL,	/* clear a slot */
	JUMP_CMD_UNBOUND_SOURCE,	/* multicast only: authentic data from elsewhere */
	JUMP_CMD_KEY_EXPIRING,	/* multicast only: rekey now, reason key_expired */
	JUMP_CMD_SOCKET_GET,	/* a new descriptor of a socket the device holds */
	__JUMP_CMD_MAX
};
#define JUMP_CMD_MAX (__JUMP_CMD_MAX - 1)

enum jump_attr {
	JUMP_A_UNSPEC,
	JUMP_A_PAD,
	JUMP_A_IFINDEX,		/* u32 */
	JUMP_A_IFNAME,		/* string */
	JUMP_A_SESSION_ID,	/* u64 */
	JUMP_A_ROLE,		/* u8, enum jump_role */
	JUMP_A_PEER_PUBKEY,	/* binary, JUMP_PUBKEY_LEN */
	JUMP_A_STATE,		/* u8, enum jump_state: current or requested */
	JUMP_A_PREV_STATE,	/* u8, enum jump_state: events only */
	JUMP_A_VERSION,		/* u64: current, or expected (CAS) in requests */
	JUMP_A_REASON,		/* u16, enum jump_reason */
	JUMP_A_BINDING,		/* nest, enum jump_binding_attr */
	JUMP_A_CREATED_NS,	/* u64, CLOCK_REALTIME */
	JUMP_A_CHANGED_NS,	/* u64, CLOCK_REALTIME of the last transition */
	JUMP_A_EVENT_SEQ,	/* u64, per-device event sequence number */
	JUMP_A_SESSION_COUNT,	/* u32 */
	JUMP_A_MAX_SESSIONS,	/* u32 */
	JUMP_A_STATE_COUNTS,	/* nest: u32 per state, attr type = state + 1 */
	JUMP_A_STATS,		/* nest, enum jump_stats_attr; empty in a
				 * SESSION_GET dump request: with stats */
	JUMP_A_LOCAL_INDEX,	/* u32: receiver index peers send to; written only
				 * in a server SESSION_NEW that takes a session
				 * over, with its JUMP_A_SESSION_ID (and, optional,
				 * the JUMP_A_VERSION it starts at) */
	JUMP_A_REMOTE_INDEX,	/* u32: the peer's receiver index for this session */
	JUMP_A_PREFIXES,	/* nest of JUMP_A_PREFIX: replaces the whole set */
	JUMP_A_PREFIX,		/* nest, enum jump_prefix_attr */
	JUMP_A_KEEPALIVE_MS,	/* u32 */
	JUMP_A_VOLATILE_MS,	/* u32: rx silence before ATTACHED -> VOLATILE */
	JUMP_A_DEGRADED_MS,	/* u32: rx silence before VOLATILE -> DEGRADED */
	JUMP_A_KEY,		/* nest, enum jump_key_attr */
	JUMP_A_KEYS,		/* nest of JUMP_A_KEY (slot and id only), read only */
	JUMP_A_SOURCE,		/* nest, enum jump_binding_attr (REMOTE_*): events */
	JUMP_A_STANDBY,		/* nest, enum jump_binding_attr, no EPOCH: the standby */
	__JUMP_A_MAX
};
#define JUMP_A_MAX (__JUMP_A_MAX - 1)

/*
 * A transport binding: one UDP 5-tuple. Exactly one of LOCAL_IPV4/LOCAL_IPV6
 * and one of REMOTE_IPV4/REMOTE_IPV6, of the same family. Addresses and ports
 * are in network byte order. SOCKET_FD is a UDP socket of the binding's
 * family, bound to the local port, that the kernel keeps a reference to while
 * any binding uses it; data packets are taken out of it, everything else is
 * left for its owner. EPOCH, when not given, is the last epoch plus one.
 */
enum jump_binding_attr {
	JUMP_BIND_A_UNSPEC,
	JUMP_BIND_A_LOCAL_IPV4,		/* be32 */
	JUMP_BIND_A_LOCAL_IPV6,		/* 16 bytes */
	JUMP_BIND_A_LOCAL_PORT,		/* be16 */
	JUMP_BIND_A_REMOTE_IPV4,	/* be32 */
	JUMP_BIND_A_REMOTE_IPV6,	/* 16 bytes */
	JUMP_BIND_A_REMOTE_PORT,	/* be16 */
	JUMP_BIND_A_EPOCH,		/* u32: must exceed every earlier epoch */
	JUMP_BIND_A_SOCKET_FD,		/* u32, write only: the UDP socket */
	/*
	 * Unlinkable migration (Documentation/protocol.rst, "Unlinkable
	 * migration"): this binding's own receiver indices and header masks,
	 * all four or none. LOCAL_INDEX is above JUMP_MAX_SESSIONS (the
	 * device's own indices are not); the masks are XORed over the key id,
	 * epoch and counter fields of the data header (JUMP_HEADER_MASK_LEN
	 * bytes, in the header's order), write only.
	 */
	JUMP_BIND_A_LOCAL_INDEX,	/* u32: what the peer sends to, this epoch */
	JUMP_BIND_A_REMOTE_INDEX,	/* u32: what we send to, this epoch */
	JUMP_BIND_A_TX_MASK,		/* binary, JUMP_HEADER_MASK_LEN */
	JUMP_BIND_A_RX_MASK,		/* binary, JUMP_HEADER_MASK_LEN */
	__JUMP_BIND_A_MAX
};
#define JUMP_BIND_A_MAX (__JUMP_BIND_A_MAX - 1)

enum jump_stats_attr {
	JUMP_STATS_A_UNSPEC,
	JUMP_STATS_A_PAD,
	JUMP_STATS_A_RX_PACKETS,	/* u64 */
	JUMP_STATS_A_RX_BYTES,		/* u64 */
	JUMP_STATS_A_TX_PACKETS,	/* u64 */
	JUMP_STATS_A_TX_BYTES,		/* u64 */
	JUMP_STATS_A_TRANSITIONS,	/* u64 */
	JUMP_STATS_A_DROPS,		/* nest: u64 per drop, attr type = drop + 1 */
	__JUMP_STATS_A_MAX
};
#define JUMP_STATS_A_MAX (__JUMP_STATS_A_MAX - 1)

/* An inner prefix: one of IPV4/IPV6 and its length. Host bits must be 0. */
enum jump_prefix_attr {
	JUMP_PREFIX_A_UNSPEC,
	JUMP_PREFIX_A_IPV4,		/* be32 */
	JUMP_PREFIX_A_IPV6,		/* 16 bytes */
	JUMP_PREFIX_A_LEN,		/* u8 */
	__JUMP_PREFIX_A_MAX
};
#define JUMP_PREFIX_A_MAX (__JUMP_PREFIX_A_MAX - 1)

/*
 * Key material goes in and never comes out: dumps carry SLOT, ID and
 * TX_COUNTER only.
 */
enum jump_key_attr {
	JUMP_KEY_A_UNSPEC,
	JUMP_KEY_A_SLOT,		/* u8, enum jump_key_slot */
	JUMP_KEY_A_ID,			/* u8 */
	JUMP_KEY_A_TX,			/* JUMP_KEY_LEN bytes, write only */
	JUMP_KEY_A_RX,			/* JUMP_KEY_LEN bytes, write only */
	JUMP_KEY_A_PAD,
	JUMP_KEY_A_TX_COUNTER,		/* u64: the next transmit counter (KEY_NEW:
					 * where it starts, default 0; dumps) */
	__JUMP_KEY_A_MAX
};
#define JUMP_KEY_A_MAX (__JUMP_KEY_A_MAX - 1)

#endif /* _UAPI_LINUX_JUMP_H */
