/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's control plane: the sessions it birthed or reattaches, their
 * secrets, and the protocol machinery of both roles (server.c, client.c).
 *
 * The kernel holds each session's state, version, binding and data keys;
 * jumpd holds what the kernel never sees (the control and reattach keys,
 * attempt counters, pending path validations) and writes it to the state
 * directory before it acts on it, so a restarted jumpd carries on.
 */
#ifndef JUMPD_CTL_H
#define JUMPD_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "audit.h"
#include "config.h"
#include "genl.h"
#include "handshake.h"
#include "owner.h"
#include "ratelimit.h"
#include "udp.h"
#include "uplink.h"

struct jumpd;

#define CTL_MAX_PENDING		4	/* path validations per session at once */
#define CTL_MAX_SOCKETS		16

/*
 * An attempt the server is validating: an authentic REATTACH_REQUEST it
 * accepted. One per attempt, whatever the number of sources its copies
 * came from: the challenge to each source is a MAC over (session, attempt,
 * epoch, source) with the ctl's secret (server.c), so sources need no
 * state, and copies of a request cannot take the real client's place.
 */
struct ctl_pending {
	bool used;
	bool superseded;		/* another reattach committed first */
	struct sockaddr_storage src;	/* of the first copy: for the audit */
	uint64_t attempt;
	uint32_t epoch;
	uint32_t challenges;		/* sent for it to sources without a cookie */
	uint64_t deadline_ns;
};

/* What jumpd knows of one session beyond the kernel's view. */
struct csession {
	uint64_t id;
	uint8_t role;
	uint8_t peer_pub[JUMP_PUBKEY_LEN];
	struct hs_keys keys;		/* send/recv are wiped once installed */
	uint8_t reattach_prev[WIRE_KEY_LEN];	/* server: to re-ACK a repeated confirm */
	uint8_t ctl_prev[WIRE_KEY_LEN];	/* client: to answer a repeated REKEY_RESP */
	uint64_t attempt;		/* client: last sent; server: highest committed */
	uint8_t last_nonce[WIRE_NONCE_LEN];	/* server: of the committed confirm */
	uint32_t epoch;			/* of the current binding */
	uint8_t key_id;			/* of the primary data key */
	uint32_t rekey_seq;
	uint64_t keyed_ns;		/* when the primary key was installed */
	uint64_t born_ns;		/* CLOCK_REALTIME, the kernel's created_ns */

	/* Not stored: rebuilt or restarted after a restart. */
	uint32_t local_index;
	uint32_t remote_index;		/* server: learnt from HANDSHAKE_DONE */
	int fd;				/* the socket of the binding (not owned) */
	struct endpoint local;		/* the binding's local address */
	struct sockaddr_storage remote;	/* the binding's peer */
	uint64_t deadline_ns;		/* birth (server), or the next retry (client) */
	uint64_t trouble_ns;		/* since when it is DEGRADED/RECOVERING; 0: fine */
	struct rl_period switches;	/* the switch-rate bucket */
	struct rl_period unbound_records;	/* budget of unbound_source records */
	struct ctl_pending pending[CTL_MAX_PENDING];
	/* Rekey in progress. */
	struct hs_keypair rekey_eph;
	struct hs_keys rekey_keys;
	uint8_t rekey_resp[WIRE_REKEY_RESP_LEN];	/* server: repeated for a repeated init */
	bool rekeying;
	struct csession *next;		/* in the table's bucket */
};

/* The client's path and handshake: one server, one session. */
struct ctl_client {
	const struct config_peer *server;
	size_t endpoint;		/* which of server->endpoints is in use */
	struct sockaddr_storage server_addr;
	int uplink;			/* index in config uplinks of the binding, -1: none */
	int fd;				/* the bound socket (owned), -1: none */
	struct endpoint local;
	/* Birth. */
	struct hs_initiator hs;
	bool hs_active;
	uint64_t hs_next_ns;
	uint32_t hs_backoff_ms;
	struct csession *birth;		/* created in the kernel, waiting for the ACK */
	uint8_t cookie[WIRE_COOKIE_LEN];
	bool have_cookie;
	/* Reattach. */
	bool reattaching;
	uint64_t first_attempt;		/* of this reattach: its ACK may answer any since */
	int new_uplink;
	int new_fd;			/* socket of the path being tried (owned unless == fd) */
	struct endpoint new_local;
	uint64_t retry_ns;
	uint32_t backoff_ms;
	uint64_t rekey_next_ns;
};

struct ctl {
	struct jumpd *d;
	struct config cfg;
	const char *config_path;
	char ifname[IF_NAMESIZE];
	uint32_t ifindex;
	struct audit audit;
	struct ratelimit rl;
	struct owner owner;
	struct uplink_watch uplinks;
	int socks[CTL_MAX_SOCKETS];	/* sockets read for control packets */
	int nsocks;
	struct csession **table;
	size_t table_size;
	size_t count;
	struct ctl_client client;
	uint8_t challenge_secret[WIRE_KEY_LEN];	/* keys the challenges' nonces */
	bool under_load;		/* cookie mode, for its audit records */
	uint64_t garbage, garbage_logged_ns;	/* summarized, not one record each */
	uint64_t limited, limited_logged_ns;
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

/* Times. */
uint64_t ctl_now(void);		/* CLOCK_MONOTONIC, ns */
uint64_t ctl_realtime(void);	/* CLOCK_REALTIME, ns */

/* ctl.c: setup, the loop's entry points, and what both roles share. */
int ctl_start(struct ctl *c, struct jumpd *d, const char *config_path, const char *ifname);
void ctl_stop(struct ctl *c);
int ctl_reload(struct ctl *c);
/* Earliest deadline of any timer, in ms from now for poll(2); -1: none. */
int ctl_timeout_ms(struct ctl *c);
void ctl_run_timers(struct ctl *c);
void ctl_read_socket(struct ctl *c, int fd);
void ctl_on_session(struct jumpd *d, const struct jumpd_msg *m);
void ctl_on_report(struct jumpd *d, const struct jumpd_msg *m);
void ctl_on_resync(struct jumpd *d);

struct csession *ctl_find(struct ctl *c, uint64_t id);
struct csession *ctl_add(struct ctl *c, uint64_t id, uint8_t role);
void ctl_remove(struct ctl *c, struct csession *s);
int ctl_add_socket(struct ctl *c, int fd);
void ctl_drop_socket(struct ctl *c, int fd);
/* The kernel's current state and version of a session, via the view. */
bool ctl_kernel(struct ctl *c, uint64_t id, uint8_t *state, uint64_t *version);
/* CAS transition, retried once on a stale version. 0 or -errno (audited). */
int ctl_transition(struct ctl *c, struct csession *s, uint8_t state, uint16_t reason,
		   const struct jumpd_binding *b);
/* Has @s outlived SessionLifetime (0: never)? */
bool ctl_expired(struct ctl *c, const struct csession *s);
/* Terminates: SESSION_DEL with @reason, forgets the session and its state. */
void ctl_terminate(struct ctl *c, struct csession *s, uint16_t reason, bool tell_peer);
/* Installs the data keys of @keys in @slot with the next key id. 0 or -1. */
int ctl_install_keys(struct ctl *c, struct csession *s, const struct hs_keys *keys,
		     uint8_t slot, uint8_t key_id);
void ctl_save(struct ctl *c, struct csession *s);

/* Audit helpers: a reject, an accept, a free-text record. */
void ctl_audit_reject(struct ctl *c, uint64_t id, int reject, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail);
void ctl_audit_accept(struct ctl *c, uint64_t id, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail);
void ctl_audit(struct ctl *c, enum audit_event ev, uint64_t id, const char *detail);
/* A packet that did not authenticate: counted by @reject, summarized. */
void ctl_count_unauthenticated(struct ctl *c, int reject);

/* Sends an encoded control packet; the MAC is sealed with @key if not NULL. */
void ctl_send(struct ctl *c, int fd, const struct endpoint *local,
	      const struct sockaddr_storage *dst, uint8_t *buf, size_t len,
	      const uint8_t *key);

/* server.c */
void server_packet(struct ctl *c, struct udp_packet *p);
void server_timers(struct ctl *c, struct csession *s, uint64_t now);
/*
 * The path validation an authentic REATTACH_CONFIRM answers, if it proves
 * its path; NULL with *@reject (path_validation, wrong_path) if not.
 */
struct ctl_pending *server_validated(struct ctl *c, const struct udp_packet *p,
				     struct csession *s, const struct wire_reattach_nonce *m,
				     int *reject);

/* client.c */
int client_start(struct ctl *c);
void client_packet(struct ctl *c, struct udp_packet *p);
void client_timers(struct ctl *c, uint64_t now);
void client_on_session(struct ctl *c, struct csession *s, const struct jumpd_msg *m);
void client_on_report(struct ctl *c, struct csession *s, const struct jumpd_msg *m);
void client_links_changed(struct ctl *c);
void client_stop(struct ctl *c);

#endif /* JUMPD_CTL_H */
