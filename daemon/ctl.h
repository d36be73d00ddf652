/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's control plane, its core: the sessions jumpd holds (the table),
 * the sockets it reads, kernel changes with their audit records, and the
 * state directory. The core knows nothing of roles: a role (server.h,
 * client.h) is a struct ctl_role_ops that main.c picks from the config's
 * Role and hands to ctl_start(); the core calls the role only through it,
 * and the role calls the core. Calls go one way, down:
 *
 *	main.c -> ctl.c (loop entry points) -> ops -> server*.c / client*.c
 *	server*.c / client*.c -> ctl*.c, wire, handshake, genl, store, audit
 *
 * The kernel holds each session's state, version, binding and data keys;
 * jumpd holds what the kernel never sees (the control and reattach keys,
 * attempt counters; the roles: pending path validations, the client's
 * path) and writes it to the state directory before it acts on it, so a
 * restarted jumpd carries on.
 */
#ifndef JUMPD_CTL_H
#define JUMPD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "audit.h"
#include "config.h"
#include "genl.h"
#include "handshake.h"
#include "owner.h"
#include "ratelimit.h"
#include "udp.h"

struct jumpd;
struct ctl;

#define CTL_MAX_SOCKETS		16
/* Packets read from one socket before the loop turns (and the audit syncs). */
#define CTL_READ_BATCH		256
/* Of a full batch (jumpd is behind), what one unproven source (address, port) gets handled. */
#define CTL_SOURCE_BUDGET	16
/* Each control socket's receive buffer (SO_RCVBUFFORCE, else SO_RCVBUF). */
#define CTL_RCVBUF		(1 << 20)
/*
 * Unlinkable migration (ctl_unlink.c): each session is found by the tags of
 * the epochs before, at and after its current one, in a table of this
 * many buckets.
 */
#define CTL_TAGS		3
#define CTL_TAG_BUCKETS		4096

struct csession;

/* One of a session's entries in the tag table. */
struct ctl_tag {
	uint64_t tag;
	struct csession *s;
	struct ctl_tag *next;		/* in its bucket */
};

/*
 * What jumpd knows of one session beyond the kernel's view, whatever the
 * role. A role keeps its own per-session state in the ops->session_priv
 * bytes allocated after it (csession_priv()), the way a net_device carries
 * its driver's netdev_priv().
 */
struct csession {
	/* Stored (store.c); the state file's format is fixed on disk. */
	uint64_t id;
	uint8_t role;
	uint8_t peer_pub[JUMP_PUBKEY_LEN];
	struct hs_keys keys;		/* send/recv are wiped once installed */
	uint64_t attempt;		/* client: last sent; server: highest committed */
	uint32_t epoch;			/* of the current binding */
	uint8_t key_id;			/* of the primary data key */
	uint32_t rekey_seq;
	/*
	 * The server's, but in the state file since its first version, so
	 * held here where store.c finds them (a client stores zeros):
	 * the reattach key before the last ratchet, to re-ACK a repeated
	 * confirm, and the nonce of the committed confirm.
	 */
	uint8_t reattach_prev[WIRE_KEY_LEN];
	uint8_t last_nonce[WIRE_NONCE_LEN];
	uint64_t keyed_ns;		/* when the primary key was installed */
	uint64_t born_ns;		/* CLOCK_REALTIME, the kernel's created_ns */
	/*
	 * Unlinkable migration: its control messages are sealed and its
	 * bindings after the birth take per-epoch indices (client: its
	 * Unlinkable at the birth; server: since the client's first sealed
	 * message). The key (keys.unlink) is born with the session.
	 */
	bool unlinkable;

	/* Not stored: rebuilt or restarted after a restart. */
	uint32_t local_index;
	uint32_t remote_index;		/* server: learnt from HANDSHAKE_DONE (stored) */
	int fd;				/* the socket of the binding (not owned) */
	struct endpoint local;		/* the binding's local address */
	struct sockaddr_storage remote;	/* the binding's peer */
	uint64_t deadline_ns;		/* birth (server), or the next retry (client) */
	uint64_t trouble_ns;		/* since when it is DEGRADED/RECOVERING; 0: fine */
	struct rl_period unbound_records;	/* budget of unbound_source records */
	/* Rekey in progress (both roles run one side of it). */
	struct hs_keypair rekey_eph;
	struct hs_keys rekey_keys;
	bool rekeying;
	struct csession *next;		/* in the table's bucket */
	/* Its entries in the tag table, for tags_epoch (ctl_unlink.c). */
	struct ctl_tag tags[CTL_TAGS];
	uint32_t tags_epoch;
	bool tagged;
};

/*
 * A role: the protocol machinery of one side, on top of the core. Every
 * hook may be NULL. The core allocates @priv bytes for the role's own
 * state (ctl_priv()) before @init and @session_priv bytes after each
 * session (csession_priv()), zeroed.
 */
struct ctl_role_ops {
	const char *name;
	size_t priv;
	size_t session_priv;
	/* Config loaded, nothing adopted yet. 0 or -1 (logged). */
	int (*init)(struct ctl *c);
	/* The kernel's sessions adopted and their sockets taken back. 0 or -1. */
	int (*start)(struct ctl *c);
	/* Before the sessions are freed; also after a failed start. */
	void (*stop)(struct ctl *c);
	/* May @fresh replace the running config? 0, or -1 (logged). */
	int (*reload_check)(struct ctl *c, const struct config *fresh);
	/* c->cfg is the new config now. */
	void (*reloaded)(struct ctl *c);
	/* A control packet from one of the sockets. */
	void (*packet)(struct ctl *c, struct udp_packet *p);
	/*
	 * Optional: does @p come from a source known to receive at its
	 * address (a session's binding, a path being validated)? No crypto:
	 * it only orders a batch (ctl_read.c).
	 */
	bool (*proven)(struct ctl *c, const struct udp_packet *p);
	/* Once a loop turn, after the core's own timers. */
	void (*timers)(struct ctl *c, uint64_t now);
	/* The earlier of @next and the role's nearest deadline. */
	uint64_t (*next_deadline)(struct ctl *c, uint64_t next);
	/* A transition of one of jumpd's sessions, after the core's bookkeeping. */
	void (*on_session)(struct ctl *c, struct csession *s, const struct jumpd_msg *m);
	/* A data path report (not unbound_source: the core audits those). */
	void (*on_report)(struct ctl *c, struct csession *s, const struct jumpd_msg *m);
	/* @s is about to be freed: forget any pointer to it. */
	void (*forget)(struct ctl *c, struct csession *s);
	/* Created a moment ago: a resync must not drop it for missing from the view. */
	bool (*just_created)(struct ctl *c, const struct csession *s);
	/* A descriptor of the role's own to poll (-1: none), and its handler. */
	int (*watch_fd)(struct ctl *c);
	void (*watch_ready)(struct ctl *c);
};

struct ctl {
	struct jumpd *d;
	const struct ctl_role_ops *ops;
	void *role_priv;		/* ops->priv bytes: ctl_priv() */
	struct config cfg;
	const char *config_path;
	char ifname[IF_NAMESIZE];
	uint32_t ifindex;
	struct audit audit;
	struct owner owner;
	int socks[CTL_MAX_SOCKETS];	/* sockets read for control packets */
	int nsocks;
	struct csession **table;
	size_t table_size;
	struct ctl_tag **tag_table;	/* CTL_TAG_BUCKETS, allocated on first use */
	const struct udp_packet *current;	/* the packet being handled, if any */
	size_t count;
	/* Floods: counted by the roles, summarized once a second (ctl_audit.c). */
	uint64_t garbage, garbage_logged_ns;	/* malformed or unauthenticated */
	uint64_t limited, limited_logged_ns;	/* over the rate limits */
	/*
	 * Packets that did not authenticate (unknown session, wrong MAC):
	 * anyone can send them, so they cost a counter, never a record of
	 * their own; summarized by reason once a second.
	 */
	uint64_t unauthenticated[JUMP_REJECT_MAX + 1];
	uint64_t unauthenticated_logged_ns;
	/* Rejects past the audit budget: counted by reason, summarized. */
	struct rl_bucket reject_budget;
	uint64_t unrecorded[JUMP_REJECT_MAX + 1];
	uint64_t unrecorded_logged_ns;
	/* Unbound-source reports past their budgets: counted, summarized. */
	struct rl_bucket unbound_budget;
	uint64_t unbound_unrecorded, unbound_logged_ns;
};

#define CTL_PRIV_ALIGN	16

static inline void *ctl_priv(const struct ctl *c)
{
	return c->role_priv;
}

static inline void *csession_priv(const struct csession *s)
{
	return (char *)s + ((sizeof(*s) + CTL_PRIV_ALIGN - 1) & ~(size_t)(CTL_PRIV_ALIGN - 1));
}

/* Every session of the table; the _safe one lets the body remove @s. */
#define ctl_for_each_session(c, i, s) \
	for ((i) = 0; (i) < (c)->table_size; (i)++) \
		for ((s) = (c)->table[i]; (s); (s) = (s)->next)
#define ctl_for_each_session_safe(c, i, s, n) \
	for ((i) = 0; (i) < (c)->table_size; (i)++) \
		for ((s) = (c)->table[i]; (s) && ((n) = (s)->next, 1); (s) = (n))

/* Times. */
uint64_t ctl_now(void);		/* CLOCK_MONOTONIC, ns */
uint64_t ctl_realtime(void);	/* CLOCK_REALTIME, ns */
/*
 * One step of a handover, at debug level with its CLOCK_REALTIME time
 * ("trace SESSION STEP SEC.NSEC"): where the time of a reattach goes
 * (tools/bench/handover.sh reads them; Documentation/benchmark.rst).
 */
void ctl_trace(uint64_t id, const char *step);

/* ctl.c: setup, reload, the loop's entry points, sockets. */
/*
 * Loads the config and runs the role @roles[Role] of it (main.c knows the
 * roles; the core only their ops). 0 or -1 (logged).
 */
int ctl_start(struct ctl *c, struct jumpd *d, const char *config_path, const char *ifname,
	      const struct ctl_role_ops *const roles[JUMP_ROLE_MAX + 1]);
void ctl_stop(struct ctl *c);
int ctl_reload(struct ctl *c);
/* Earliest deadline of any timer, in ms from now for poll(2); -1: none. */
int ctl_timeout_ms(struct ctl *c);
void ctl_run_timers(struct ctl *c);
/* ctl_read.c: a batch read from @fd, ordered and shed (ctl_read_order()), handled. */
void ctl_read_socket(struct ctl *c, int fd);
/*
 * The order to handle @n packets read in one batch (@full: the batch was
 * filled) in @order: proven sources first, then a round at a time by
 * source (address and port), CTL_SOURCE_BUDGET per unproven source if @full. How
 * many to handle; the others are counted in c->limited.
 */
unsigned int ctl_read_order(struct ctl *c, struct udp_packet *p, unsigned int n, bool full,
			    uint16_t order[]);
/* The role's own descriptor to poll (-1: none), and what to do when it is ready. */
int ctl_watch_fd(struct ctl *c);
void ctl_watch_ready(struct ctl *c);
void ctl_on_session(struct jumpd *d, const struct jumpd_msg *m);
void ctl_on_report(struct jumpd *d, const struct jumpd_msg *m);
void ctl_on_resync(struct jumpd *d);

/* ctl_session.c: the table, kernel changes, the state directory, adoption. */
struct csession *ctl_find(struct ctl *c, uint64_t id);
struct csession *ctl_add(struct ctl *c, uint64_t id, uint8_t role);
void ctl_remove(struct ctl *c, struct csession *s);
/* The kernel's current state and version of a session, via the view. */
bool ctl_kernel(struct ctl *c, uint64_t id, uint8_t *state, uint64_t *version);
/* CAS transition, retried once on a stale version. 0 or -errno (audited). */
int ctl_transition(struct ctl *c, struct csession *s, uint8_t state, uint16_t reason,
		   const struct jumpd_binding *b);
/*
 * Sets the standby path @b beside the binding (standby_ready), or clears it
 * (@b NULL, standby_cleared), in the state the session is in. 0 or -errno.
 */
int ctl_standby(struct ctl *c, struct csession *s, const struct jumpd_binding *b);
/* Has @s outlived SessionLifetime (0: never)? */
bool ctl_expired(struct ctl *c, const struct csession *s);
/* Terminates: SESSION_DEL with @reason, forgets the session and its state. */
void ctl_terminate(struct ctl *c, struct csession *s, uint16_t reason, bool tell_peer);
/* Installs the data keys of @keys in @slot with the next key id. 0 or -1. */
int ctl_install_keys(struct ctl *c, struct csession *s, const struct hs_keys *keys,
		     uint8_t slot, uint8_t key_id);
/* The state file; with ClusterKeyFile also the sealed state in etcd (failover). */
void ctl_save(struct ctl *c, struct csession *s);
struct seal_state;
/* The sealed state of @s, the kernel's view of it @k (a SESSION_GET reply). */
void ctl_fill_seal(const struct csession *s, const struct jumpd_msg *k, struct seal_state *st);
/* At start: the kernel's sessions with a state file, and their sockets. 0 or -1. */
int ctl_adopt(struct ctl *c);

/*
 * ctl_unlink.c: unlinkable migration. ctl_tags_sync() files @s under the
 * tags of its epoch (ctl_save() calls it); ctl_unlink_open() opens a
 * received sealed message in place, ctl_unlink_seal() seals an outgoing
 * one (in @buf, room for JUMP_UNLINKABLE_CTL_LEN) if its session is
 * unlinkable, returning the length to send: an answer to c->current (the
 * same session, from the socket it came in on, back to its source) with
 * the tag that packet came with, so that it stays on that path's epoch
 * while the two ends' epochs differ, anything else with the tag of
 * unlink_epoch(); ctl_unlink_bind() gives @b
 * the indices and masks of @epoch if it is.
 */
void ctl_tags_sync(struct ctl *c, struct csession *s);
void ctl_tags_drop(struct ctl *c, struct csession *s);
struct csession *ctl_tag_find(struct ctl *c, uint64_t tag);
void ctl_tags_free(struct ctl *c);
void ctl_unlink_open(struct ctl *c, struct udp_packet *p);
size_t ctl_unlink_seal(struct ctl *c, int fd, const struct sockaddr_storage *dst,
		       uint8_t *buf, size_t len);
void ctl_unlink_bind(const struct csession *s, uint32_t epoch, struct jumpd_binding *b);

/* ctl.c: the sockets read for control packets, and sending on one. */
int ctl_add_socket(struct ctl *c, int fd);
void ctl_drop_socket(struct ctl *c, int fd);
/* Sends an encoded control packet; the MAC is sealed with @key if not NULL. */
void ctl_send(struct ctl *c, int fd, const struct endpoint *local,
	      const struct sockaddr_storage *dst, uint8_t *buf, size_t len,
	      const uint8_t *key);

#endif /* JUMPD_CTL_H */
