/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The server role (server.c: dispatch and rate limits, rekeys,
 * terminations, its timers; server_birth.c: the birth handshake;
 * server_reattach.c: reattach requests, path validation and the commit;
 * server_standby.c: the standby path). It sits on the core (ctl.h) and is reached only through
 * server_role, which main.c hands to ctl_start().
 */
#ifndef JUMPD_SERVER_H
#define JUMPD_SERVER_H

#include "ctl.h"
#include "ratelimit.h"

#define SERVER_MAX_PENDING	4	/* path validations per session at once */

/*
 * An attempt the server is validating: an authentic REATTACH_REQUEST it
 * accepted. One per attempt, whatever the number of sources its copies
 * came from: the challenge to each source is a MAC over (session, attempt,
 * epoch, source) with the server's secret (server_reattach.c), so sources
 * need no state, and copies of a request cannot take the real client's
 * place.
 */
struct server_pending {
	bool used;
	bool superseded;		/* another reattach committed first */
	struct sockaddr_storage src;	/* of the first copy: for the audit */
	uint64_t attempt;
	uint32_t epoch;
	uint32_t challenges;		/* sent for it to sources without a cookie */
	uint64_t deadline_ns;
	bool standby;			/* a STANDBY_REQUEST's: commits as the standby */
};

/*
 * The standby path the kernel holds beside the binding (server_standby.c),
 * as jumpd committed it. Not stored: a restarted jumpd has none until the
 * client validates one again.
 */
struct server_standby {
	bool ready;
	int fd;
	struct endpoint local;
	struct sockaddr_storage remote;
	uint64_t keepalive;		/* counter of the last STANDBY_KEEPALIVE */
};

/* The server's part of a session: csession_priv(). Not stored. */
struct server_session {
	struct rl_period switches;	/* the switch-rate bucket */
	struct server_pending pending[SERVER_MAX_PENDING];
	uint8_t rekey_resp[WIRE_REKEY_RESP_LEN];	/* repeated for a repeated init */
	/* RebindProbe: the one REBIND_CHALLENGE in flight (server_rebind.c). */
	uint64_t rebind_probe;		/* its number, counting from 1 */
	uint64_t rebind_last_ns;	/* when it was sent: the rate limit */
	uint64_t rebind_deadline_ns;	/* 0: none in flight (answered, or never) */
	uint32_t rebind_epoch;		/* the epoch its commit takes */
	struct server_standby standby;
};

/* The server's part of the ctl: ctl_priv(). */
struct server_ctl {
	struct ratelimit rl;		/* per source, global, cookies */
	uint8_t challenge_secret[WIRE_KEY_LEN];	/* keys the challenges' nonces */
	bool under_load;		/* cookie mode, for its audit records */
	struct rl_bucket failover;	/* etcd lookups for sessions of dead owners */
};

static inline struct server_session *server_session(const struct csession *s)
{
	return csession_priv(s);
}

static inline struct server_ctl *server_ctl(const struct ctl *c)
{
	return ctl_priv(c);
}

extern const struct ctl_role_ops server_role;

/* One control packet, as from a socket (ops->packet; the unit tests call it). */
void server_packet(struct ctl *c, struct udp_packet *p);
/*
 * The path validation an authentic REATTACH_CONFIRM answers, if it proves
 * its path; NULL with *@reject (path_validation, wrong_path) if not.
 */
struct server_pending *server_validated(struct ctl *c, const struct udp_packet *p,
					struct csession *s,
					const struct wire_reattach_nonce *m, int *reject);

/* Between server.c, server_birth.c and server_reattach.c. */
void server_handshake_init(struct ctl *c, struct udp_packet *p, uint64_t now);
void server_handshake_done(struct ctl *c, struct udp_packet *p, uint64_t now);
struct csession *server_known(struct ctl *c, uint64_t id);
bool server_mac_ok(struct ctl *c, const struct udp_packet *p, const uint8_t *key);
void server_send_cookie(struct ctl *c, struct udp_packet *p, uint64_t ref, uint64_t now);
void server_reattach_request(struct ctl *c, struct udp_packet *p, uint64_t now);
void server_reattach_confirm(struct ctl *c, struct udp_packet *p, uint64_t now);
struct server_pending *server_find_pending(struct csession *s, uint64_t attempt);
/* A path challenge's nonce; @label keeps one kind of challenge from another. */
void server_path_nonce(struct ctl *c, const uint8_t *label, size_t label_len,
		       const struct csession *s, uint64_t counter, uint32_t epoch,
		       const struct sockaddr_storage *src, uint8_t nonce[WIRE_NONCE_LEN]);
bool server_nonce_ok(struct ctl *c, const struct csession *s, const struct server_pending *pp,
		     const struct sockaddr_storage *src, const uint8_t *nonce);
int server_commit_path(struct ctl *c, struct udp_packet *p, struct csession *s,
		       uint64_t attempt, uint32_t epoch, const uint8_t *nonce, uint64_t now,
		       const char *detail);
void server_path_committed(struct ctl *c, struct udp_packet *p, struct csession *s,
			   uint64_t attempt, uint32_t epoch, const uint8_t *nonce, uint64_t now,
			   const char *detail);
bool server_switch_ready(struct ctl *c, struct csession *s, uint64_t now);
struct server_pending *server_new_pending(struct csession *s, uint64_t attempt);
void server_challenge_source(struct ctl *c, struct udp_packet *p, struct csession *s,
			     struct server_pending *pp, const uint8_t *cookie, uint64_t now);
bool server_request_allowed(struct ctl *c, struct udp_packet *p, struct csession *s);
void server_send_reject(struct ctl *c, struct udp_packet *p, const struct csession *s,
			uint64_t attempt, int reject, const uint8_t *key);
void server_send_reattach_ack(struct ctl *c, struct udp_packet *p, struct csession *s,
			      const uint8_t *key);
/*
 * server_failover.c: a REATTACH_REQUEST @m for a session this node does
 * not hold. With ClusterKeyFile, if its owner died and the request is
 * authentic and fresh under its sealed state, the session is taken over
 * (recovering, no binding) and returned; else NULL.
 */
struct csession *server_failover(struct ctl *c, struct udp_packet *p,
				 const struct wire_reattach_request *m, uint64_t now);
/* server_standby.c: StandbyPath's server side. */
void server_standby_request(struct ctl *c, struct udp_packet *p, uint64_t now);
/* A validated standby confirm: commits it in the kernel, ACKs. */
void server_standby_commit(struct ctl *c, struct udp_packet *p, struct csession *s,
			   const struct server_pending *pp);
void server_standby_keepalive(struct ctl *c, struct udp_packet *p);
void server_standby_promote(struct ctl *c, struct udp_packet *p, uint64_t now);
/* Does @src send from the session's standby path? */
bool server_standby_from(const struct csession *s, const struct sockaddr_storage *src);
/* The kernel dropped the standby (a new binding): jumpd forgets it too. */
void server_standby_forget(struct csession *s);
/* server_rebind.c: RebindProbe. */
void server_on_report(struct ctl *c, struct csession *s, const struct jumpd_msg *m);
void server_rebind_confirm(struct ctl *c, struct udp_packet *p, uint64_t now);
bool server_rebind_proven(struct ctl *c, const struct udp_packet *p, uint64_t now);
bool server_rebind_nonce_ok(struct ctl *c, const struct csession *s,
			    const struct sockaddr_storage *src, const uint8_t *nonce,
			    uint64_t now);

#endif /* JUMPD_SERVER_H */
