/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client role (client.c: rekeys, terminations, dispatch and its ops;
 * client_birth.c: the birth handshake; client_reattach.c: moving the
 * session to another path; client_standby.c: StandbyPath). It sits on
 * the core (ctl.h) and is reached only through client_role, which main.c
 * hands to ctl_start().
 */
#ifndef JUMPD_CLIENT_H
#define JUMPD_CLIENT_H

#include "ctl.h"
#include "uplink.h"

/* The client's part of a session: csession_priv(). Not stored. */
struct client_session {
	/*
	 * The control key before the last rekey: to answer a repeated
	 * REKEY_RESP, and to believe a TERMINATE the server sealed before our
	 * REKEY_DONE reached it. Valid only once a rekey set it.
	 */
	uint8_t ctl_prev[WIRE_KEY_LEN];
	bool has_ctl_prev;
};

/* The client's path and handshake, its part of the ctl: one server, one session. */
struct client_ctl {
	const struct config_peer *server;
	size_t endpoint;		/* which of server->endpoints is tried first */
	struct sockaddr_storage server_addr;	/* the server's address on the bound path */
	int uplink;			/* index in config uplinks of the binding, -1: none */
	int fd;				/* the bound socket (owned), -1: none */
	struct endpoint local;
	struct uplink_watch uplinks;	/* rtnetlink: links, addresses, routes */
	/* Birth. */
	struct hs_initiator hs;
	bool hs_active;
	bool init_sent;			/* an INIT of this birth went out */
	uint64_t hs_next_ns;
	uint32_t hs_backoff_ms;
	struct csession *birth;		/* created in the kernel, waiting for the ACK */
	uint8_t cookie[WIRE_COOKIE_LEN];
	bool have_cookie;
	/* Reattach. */
	bool reattaching;
	bool planned;			/* a planned switch: ATTACHED kept until the ACK */
	bool confirmed;			/* a REATTACH_CONFIRM left for this reattach */
	bool answered;			/* the server at new_server answered it */
	uint64_t planned_ns;		/* when the planned switch started */
	uint64_t first_attempt;		/* of this reattach: its ACK may answer any since */
	uint64_t rebind_attempt;	/* of our last REBIND_CONFIRM, until its ACK; 0: none */
	int new_uplink;
	int new_fd;			/* socket of the path being tried (owned unless == fd) */
	struct endpoint new_local;
	struct sockaddr_storage new_server;	/* the server's address on that path */
	uint64_t retry_ns;
	uint32_t backoff_ms;
	uint64_t rekey_next_ns;
	/* Standby path (client_standby.c), with StandbyPath = yes. */
	int sb_state;			/* enum client_standby_state */
	int sb_fd;			/* its socket (owned), -1: none */
	int sb_uplink;
	struct endpoint sb_local;
	struct sockaddr_storage sb_server;
	uint64_t sb_first;		/* first attempt of this validation or promotion */
	uint64_t sb_next_ns;		/* next request, keepalive or promote */
	uint64_t sb_deadline_ns;	/* the validation or promotion gives up */
	uint64_t sb_heard_ns;		/* last keepalive answered */
	uint64_t sb_keepalive;		/* counter of the last keepalive sent */
};

enum client_standby_state {
	CLIENT_SB_IDLE,			/* none; another validation at sb_next_ns */
	CLIENT_SB_VALIDATING,		/* STANDBY_REQUEST sent, waiting for its ACK */
	CLIENT_SB_READY,		/* the kernel holds it; kept warm */
	CLIENT_SB_PROMOTING,		/* STANDBY_PROMOTE sent, waiting for the ACK */
};

static inline struct client_session *client_session(const struct csession *s)
{
	return csession_priv(s);
}

static inline struct client_ctl *client_ctl(const struct ctl *c)
{
	return ctl_priv(c);
}

extern const struct ctl_role_ops client_role;

/* Between client.c, client_birth.c and client_reattach.c. */
void client_start_birth(struct ctl *c, uint64_t now);
void client_send_done(struct ctl *c, struct csession *s);
void client_handshake_resp(struct ctl *c, struct udp_packet *p, uint64_t now);
void client_handshake_ack(struct ctl *c, struct udp_packet *p, uint64_t now);
struct csession *client_the_session(struct ctl *c);	/* the one past birth, or NULL */
void client_close_fd(struct ctl *c, int *fd);
uint32_t client_next_backoff(struct ctl *c, uint32_t ms);
/* A socket on the best usable path to the server: 0, or -1. */
int client_open_path(struct ctl *c, int *fd, struct endpoint *local, int *uplink,
		     struct sockaddr_storage *server);
/* Uplink @i (-1: the routing table's choice) reaches one of the Endpoints: 0 or -1. */
int client_probe_path(struct ctl *c, int i, struct endpoint *local,
		      struct sockaddr_storage *server);
/* The most preferred usable uplink of those configured, or -1. */
int client_best_path(struct ctl *c, struct endpoint *local, struct sockaddr_storage *server);
/*
 * The Endpoint of the bound path is tried first from now on: the next
 * path keeps to the family and server that work, where it can.
 */
void client_bound_endpoint(struct ctl *c);
/* @src is the server on the bound path, the one being tried, or the standby. */
bool client_from_server(const struct client_ctl *cl, const struct sockaddr_storage *src);
/* Ends @s with @reason and starts a new birth. */
void client_restart(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now);
void client_send_init(struct ctl *c, uint64_t now);
/* Same address family and address (ports aside). */
bool client_same_path(const struct endpoint *a, const struct endpoint *b);
void client_start_reattach(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now);
/* A planned switch unanswered for the RecoveryWindow: given up or made a reattach. */
void client_planned_timer(struct ctl *c, struct csession *s, uint64_t now);
void client_send_request(struct ctl *c, struct csession *s, uint64_t now);
void client_reattach_challenge(struct ctl *c, struct udp_packet *p);
void client_rebind_challenge(struct ctl *c, struct udp_packet *p);
void client_reattach_ack(struct ctl *c, struct udp_packet *p, uint64_t now);
void client_reattach_reject(struct ctl *c, struct udp_packet *p, uint64_t now);
/* rtnetlink said something changed: is the bound uplink still usable? */
void client_links_changed(struct ctl *c);
/* client_standby.c: StandbyPath. */
void client_standby_timers(struct ctl *c, struct csession *s, uint64_t now);
uint64_t client_standby_deadline(struct ctl *c, uint64_t next);
/* A ready standby becomes the binding: true if a promotion is on its way. */
bool client_standby_promote(struct ctl *c, struct csession *s, uint64_t now);
/* Packets of the standby's exchanges: true if it was one (handled). */
bool client_standby_challenge(struct ctl *c, struct udp_packet *p,
			      const struct wire_reattach_nonce *m);
bool client_standby_promoted(struct ctl *c, struct udp_packet *p, struct csession *s,
			     const struct wire_reattach_ack *m);
bool client_standby_rejected(struct ctl *c, struct csession *s,
			     const struct wire_reattach_reject *m);
void client_standby_ack(struct ctl *c, struct udp_packet *p);
void client_standby_keepalive(struct ctl *c, struct udp_packet *p);
/* The kernel dropped the standby (a new binding, an end): jumpd forgets it. */
void client_standby_reset(struct ctl *c, uint64_t next_ns);
/* Links changed: is the standby's uplink still usable? */
void client_standby_links(struct ctl *c);

#endif /* JUMPD_CLIENT_H */
