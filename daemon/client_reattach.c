// SPDX-License-Identifier: GPL-2.0
/*
 * The client's reattach (Documentation/jumpd.rst, "Reattach"): when its
 * path goes (DEGRADED, an unusable uplink), a preferred uplink is back, or
 * an administrator asks, it moves the session to RECOVERING, sends
 * REATTACH_REQUEST from the best path, answers the challenge from that
 * path and commits the new binding on the ACK. Reached from client.c only;
 * calls only down, to the core (ctl.h), wire, handshake and uplink.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "ctl_audit.h"
#include "log.h"
#include "sync.h"

#define MS	1000000ULL

/*
 * The next Endpoint, over a path opened anew (it may be of the other
 * family): the server there may be the one that can take the session (a
 * cluster's other node, jumpd.rst "Cluster ownership"), or the one reachable.
 */
static void next_endpoint(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);

	cl->endpoint = (cl->endpoint + 1) % cl->server->nendpoints;
	if (cl->new_fd != cl->fd)
		client_close_fd(c, &cl->new_fd);
	cl->new_fd = -1;
	cl->answered = false;
	cl->have_cookie = false;
}

void client_send_request(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_request m = { .session_id = s->id };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	cl->retry_ns = now + (uint64_t)cl->backoff_ms * MS;
	cl->backoff_ms = client_next_backoff(c, cl->backoff_ms);
	/* The last request of this reattach went unanswered: the next Endpoint. */
	if (s->attempt >= cl->first_attempt && !cl->answered && cl->server->nendpoints > 1)
		next_endpoint(c);
	if (cl->new_fd < 0 &&
	    client_open_path(c, &cl->new_fd, &cl->new_local, &cl->new_uplink, &cl->new_server)) {
		log_info("session %016" PRIx64 ": no usable path yet", s->id);
		return;
	}
	/* Stored before it is sent: a restart must never reuse an attempt. */
	s->attempt++;
	ctl_save(c, s);
	m.epoch = s->epoch + 1;
	m.attempt = s->attempt;
	m.timestamp_ns = ctl_realtime();
	if (cl->have_cookie)
		memcpy(m.cookie, cl->cookie, sizeof(m.cookie));
	len = wire_encode_reattach_request(buf, &m);
	ctl_send(c, cl->new_fd, &cl->new_local, &cl->new_server, buf, len, s->keys.reattach);
	ctl_trace(s->id, "request_sent");
	log_info("session %016" PRIx64 ": reattach_request %" PRIu64 " sent", s->id, s->attempt);
}

bool client_same_path(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

void client_start_reattach(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	uint64_t version;
	uint8_t state;

	if (cl->reattaching || !ctl_kernel(c, s->id, &state, &version))
		return;
	/* A validated standby needs no handshake: promoted instead. */
	if (reason == JUMP_REASON_TRANSPORT_DEAD && client_standby_promote(c, s, now))
		return;
	cl->new_fd = -1;
	if (client_open_path(c, &cl->new_fd, &cl->new_local, &cl->new_uplink,
			     &cl->new_server) == 0 &&
	    cl->new_uplink == cl->uplink && client_same_path(&cl->new_local, &cl->local) &&
	    udp_same(&cl->new_server, &cl->server_addr)) {
		/* The same path (a NAT rebinding): keep the bound socket. */
		client_close_fd(c, &cl->new_fd);
		cl->new_fd = cl->fd;
		cl->new_local = cl->local;
	}
	/*
	 * A planned switch is make-before-break: the session stays ATTACHED
	 * on its old binding, which nothing is wrong with, until the ACK; a
	 * switch the server refuses then costs it nothing.
	 */
	cl->planned = reason == JUMP_REASON_PLANNED_SWITCH;
	cl->planned_ns = now;
	if (!cl->planned && state != JUMP_STATE_RECOVERING &&
	    ctl_transition(c, s, JUMP_STATE_RECOVERING, reason, NULL))
		return;
	ctl_trace(s->id, "recovering");
	if (!cl->planned && !s->trouble_ns)
		s->trouble_ns = now;
	cl->reattaching = true;
	cl->confirmed = false;
	cl->answered = false;
	cl->first_attempt = s->attempt + 1;
	cl->have_cookie = false;
	cl->backoff_ms = c->cfg.policy.retry_initial_ms;
	client_send_request(c, s, now);
}

/*
 * An answer to any attempt of the reattach in progress counts: a retry may
 * leave before the answer to the previous one arrives (a slow path, or a
 * server under load), and the server commits whichever attempt confirmed.
 */
static bool this_reattach(const struct client_ctl *cl, const struct csession *s,
			  uint64_t attempt)
{
	return cl->reattaching && attempt >= cl->first_attempt && attempt <= s->attempt;
}

void client_reattach_challenge(struct ctl *c, struct udp_packet *p)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_nonce m;
	uint8_t buf[WIRE_MAX_LEN];
	struct csession *s;
	size_t len;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REATTACH_CHALLENGE, &m) ||
	    client_standby_challenge(c, p, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || !this_reattach(cl, s, m.attempt) ||
	    !hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		log_debug("reattach_challenge for attempt %" PRIu64 " ignored (ours: %" PRIu64 ")",
			  m.attempt, s ? s->attempt : 0);
		return;
	}
	ctl_trace(s->id, "challenge_received");
	cl->answered = true;
	log_debug("reattach_challenge %" PRIu64 ": confirming from the new path", m.attempt);
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &m);
	ctl_send(c, p->fd, &cl->new_local, &cl->new_server, buf, len, s->keys.reattach);
	cl->confirmed = true;
	ctl_trace(s->id, "confirm_sent");
}

/* The planned switch's move to RECOVERING, made once the server committed it. */
static int planned_recovering(struct ctl *c, struct csession *s)
{
	uint64_t version;
	uint8_t state;

	if (!ctl_kernel(c, s->id, &state, &version))
		return -1;
	client_ctl(c)->planned = false;
	if (state == JUMP_STATE_RECOVERING)
		return 0;
	return ctl_transition(c, s, JUMP_STATE_RECOVERING,
			      state == JUMP_STATE_DEGRADED ? JUMP_REASON_TRANSPORT_DEAD :
			      JUMP_REASON_PLANNED_SWITCH, NULL);
}

/*
 * Gives up a planned switch that nothing of ours can have committed (no
 * confirm left): the session stays on its binding. If that path went
 * DEGRADED meanwhile, a reattach of its own takes over.
 */
static void planned_abandon(struct ctl *c, struct csession *s, const char *why,
			    uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	uint64_t version;
	uint8_t state;

	if (cl->new_fd != cl->fd)
		client_close_fd(c, &cl->new_fd);
	cl->new_fd = -1;
	cl->reattaching = false;
	cl->planned = false;
	ctl_trace(s->id, "planned_abandoned");
	log_info("session %016" PRIx64 ": planned switch given up (%s): the session stays on its path",
		 s->id, why);
	if (ctl_kernel(c, s->id, &state, &version) && state == JUMP_STATE_DEGRADED)
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
}

void client_planned_timer(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	if (!cl->planned ||
	    now - cl->planned_ns < (uint64_t)c->cfg.policy.recovery_window_ms * MS)
		return;
	if (!cl->confirmed)
		planned_abandon(c, s, "no answer within the RecoveryWindow", now);
	else if (planned_recovering(c, s) == 0)
		s->trouble_ns = now;	/* a reattach like any other from now on */
}

/*
 * The server saw our data come from a new address (a NAT rebinding) and
 * challenges it (protocol.rst, "Server-initiated rebind"): answered from
 * the socket it reached, our bound one, with a fresh attempt, stored first.
 * A reattach of our own in progress will do instead.
 */
void client_rebind_challenge(struct ctl *c, struct udp_packet *p)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_nonce m;
	uint8_t buf[WIRE_MAX_LEN];
	struct csession *s;
	size_t len;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REBIND_CHALLENGE, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || s == cl->birth || cl->reattaching || p->fd != cl->fd ||
	    !hs_mac_ok(p->buf, p->len, s->keys.reattach))
		return;
	ctl_trace(s->id, "rebind_challenge_received");
	s->attempt++;
	ctl_save(c, s);
	cl->rebind_attempt = s->attempt;
	m.attempt = s->attempt;
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REBIND_CONFIRM, &m);
	ctl_send(c, cl->fd, &cl->local, &cl->server_addr, buf, len, s->keys.reattach);
	ctl_trace(s->id, "rebind_confirm_sent");
	log_info("session %016" PRIx64 ": rebind_challenge answered (attempt %" PRIu64 ")",
		 s->id, s->attempt);
}

/*
 * The ACK of our REBIND_CONFIRM: the server bound our current path under a
 * new epoch; we take the same epoch on the same socket, through RECOVERING
 * (reattach_requested: the server asked) as every binding change goes.
 */
static void rebind_ack(struct ctl *c, struct udp_packet *p, struct csession *s,
		       const struct wire_reattach_ack *m)
{
	struct client_ctl *cl = client_ctl(c);
	struct jumpd_binding b;
	uint64_t version;
	uint8_t state;
	char detail[96];

	if (!ctl_kernel(c, s->id, &state, &version))
		return;
	if (cl->reattaching) {
		/* Ours lost to the server's: it bound the path of our socket. */
		if (cl->new_fd != cl->fd)
			client_close_fd(c, &cl->new_fd);
		cl->new_fd = -1;
		cl->reattaching = false;
		cl->planned = false;
	}
	if (state != JUMP_STATE_RECOVERING &&
	    ctl_transition(c, s, JUMP_STATE_RECOVERING, JUMP_REASON_REATTACH_REQUESTED, NULL))
		return;
	udp_binding(&b, &cl->local, udp_local_port(cl->fd), &cl->server_addr, m->epoch, cl->fd);
	ctl_unlink_bind(s, m->epoch, &b);
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE, &b))
		return;
	ctl_trace(s->id, "commit");
	hs_ratchet(s->keys.reattach);
	s->epoch = m->epoch;
	client_standby_reset(c, 0);
	cl->rebind_attempt = 0;
	s->trouble_ns = 0;
	ctl_save(c, s);
	snprintf(detail, sizeof(detail), "reattach_ack: rebind committed, epoch %u", s->epoch);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, detail);
}

void client_reattach_ack(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_ack m;
	struct jumpd_binding b;
	struct csession *s;
	char detail[96];

	if (wire_decode_reattach_ack(p->buf, p->len, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || !hs_mac_ok(p->buf, p->len, s->keys.reattach) ||
	    client_standby_promoted(c, p, s, &m))
		return;
	if (cl->rebind_attempt && m.attempt == cl->rebind_attempt) {
		ctl_trace(s->id, "ack_received");
		rebind_ack(c, p, s, &m);
		return;
	}
	if (!this_reattach(cl, s, m.attempt))
		return;
	ctl_trace(s->id, "ack_received");
	if (cl->planned && planned_recovering(c, s))
		return;
	udp_binding(&b, &cl->new_local, udp_local_port(cl->new_fd), &cl->new_server,
		    m.epoch, cl->new_fd);
	ctl_unlink_bind(s, m.epoch, &b);
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE, &b))
		return;
	ctl_trace(s->id, "commit");
	hs_ratchet(s->keys.reattach);
	s->epoch = m.epoch;
	if (cl->new_fd != cl->fd)
		client_close_fd(c, &cl->fd);
	cl->fd = cl->new_fd;
	cl->local = cl->new_local;
	cl->uplink = cl->new_uplink;
	cl->server_addr = cl->new_server;
	client_bound_endpoint(c);
	cl->new_fd = -1;
	cl->reattaching = false;
	/* The kernel dropped the standby with the old binding. */
	client_standby_reset(c, 0);
	s->fd = cl->fd;
	s->local = cl->local;
	s->local.port = b.local_port;
	s->remote = cl->server_addr;
	s->trouble_ns = 0;
	ctl_save(c, s);
	snprintf(detail, sizeof(detail), "reattach_ack: bound to the new path, epoch %u",
		 s->epoch);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, detail);
}

void client_reattach_reject(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_reject m;
	struct csession *s;

	if (wire_decode_reattach_reject(p->buf, p->len, &m))
		return;
	s = ctl_find(c, m.session_id);
	/* An unauthenticated reject could come from anyone: ignored. */
	if (!s || !hs_mac_ok(p->buf, p->len, s->keys.reattach) ||
	    client_standby_rejected(c, s, &m))
		return;
	ctl_audit_reject(c, s->id, m.reason, s->peer_pub, &p->src,
			 "the server refused our reattach_request");
	if (this_reattach(cl, s, m.attempt))
		cl->answered = true;
	if (m.reason == JUMP_REJECT_RECOVERY_WINDOW ||
	    m.reason == JUMP_REJECT_SESSION_TERMINATED)
		client_restart(c, s, JUMP_REASON_RECOVERY_WINDOW_EXCEEDED, now);
	else if (m.reason == JUMP_REJECT_SWITCH_RATE && cl->planned && !cl->confirmed &&
		 this_reattach(cl, s, m.attempt))
		planned_abandon(c, s, "switch_rate", now);
	else if (m.reason == JUMP_REJECT_SWITCH_RATE)
		cl->backoff_ms = c->cfg.policy.retry_max_ms;
	else if (m.reason == JUMP_REJECT_NOT_OWNER && this_reattach(cl, s, m.attempt) &&
		 cl->server->nendpoints > 1) {
		/* Another node owns it: ask the next one now. */
		next_endpoint(c);
		cl->retry_ns = now;
	}
}

/* Is the bound uplink still usable, and is a preferred one back? */
void client_links_changed(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);
	struct csession *s = client_the_session(c);
	struct endpoint server, local;
	struct sockaddr_storage best_server;
	uint64_t version, now = ctl_now();
	uint8_t state;
	int best;

	if (!c->cfg.nuplinks || !s || cl->reattaching || !ctl_kernel(c, s->id, &state, &version))
		return;
	ctl_trace(s->id, "link_event");
	client_standby_links(c);
	/* Any Endpoint counts: a preferred uplink may reach it by the other family. */
	best = client_best_path(c, &local, &best_server);
	if (best < 0)
		return;		/* nowhere to go: the liveness timers take over */
	udp_to_endpoint(&cl->server_addr, &server);
	if (cl->uplink < 0 || uplink_probe(&c->cfg.uplinks[cl->uplink], &server, &local)) {
		log_info("session %016" PRIx64 ": uplink %s is gone", s->id,
			 cl->uplink < 0 ? "?" : c->cfg.uplinks[cl->uplink].ifname);
		ctl_trace(s->id, "link_down");
		if (state == JUMP_STATE_ATTACHED)
			ctl_transition(c, s, JUMP_STATE_VOLATILE, JUMP_REASON_LINK_DOWN, NULL);
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
	} else if (best < cl->uplink && state == JUMP_STATE_ATTACHED) {
		log_info("session %016" PRIx64 ": preferred uplink back: planned switch", s->id);
		client_start_reattach(c, s, JUMP_REASON_PLANNED_SWITCH, now);
	}
}

