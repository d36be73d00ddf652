// SPDX-License-Identifier: GPL-2.0
/*
 * The client's standby path (Documentation/jumpd.rst, "Standby path";
 * protocol.rst, "Standby path"): with StandbyPath = yes, a second uplink
 * is validated ahead of need by a STANDBY_REQUEST (the proof of possession
 * and path challenge of a reattach) and committed as the session's
 * standby, kept warm by a STANDBY_KEEPALIVE every StandbyKeepalive, and
 * promoted when the bound path dies: one STANDBY_PROMOTE from it, the
 * server's one CAS and ACK, then ours (standby_promoted). Reached from
 * client.c and client_reattach.c only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "ctl_audit.h"
#include "log.h"

#define MS	1000000ULL

static uint64_t keepalive_ns(const struct ctl *c)
{
	return (uint64_t)c->cfg.policy.standby_keepalive_ms * MS;
}

void client_standby_reset(struct ctl *c, uint64_t next_ns)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->sb_fd != cl->fd && cl->sb_fd != cl->new_fd)
		client_close_fd(c, &cl->sb_fd);
	cl->sb_fd = -1;
	cl->sb_uplink = -1;
	cl->sb_state = CLIENT_SB_IDLE;
	cl->sb_next_ns = next_ns;
}

/* Gives the standby up, in the kernel too, and tries another later. */
static void drop(struct ctl *c, struct csession *s, const char *why, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	log_info("session %016" PRIx64 ": standby path dropped: %s", s->id, why);
	if (cl->sb_state == CLIENT_SB_READY || cl->sb_state == CLIENT_SB_PROMOTING)
		ctl_standby(c, s, NULL);
	client_standby_reset(c, now + keepalive_ns(c));
}

/*
 * The most preferred usable uplink other than the bound one: its index
 * (with @local and the server's address it reaches, @server), or -1.
 */
static int other_uplink(struct ctl *c, struct endpoint *local, struct sockaddr_storage *server)
{
	struct client_ctl *cl = client_ctl(c);
	size_t i;

	for (i = 0; i < c->cfg.nuplinks; i++)
		if ((int)i != cl->uplink &&
		    !client_probe_path(c, (int)i, local, server) &&
		    !client_same_path(local, &cl->local))
			return (int)i;
	return -1;
}

static void send_request(struct ctl *c, struct csession *s, uint8_t type, uint32_t epoch)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_request m = { .session_id = s->id, .epoch = epoch };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	/* Stored before it is sent: a restart must never reuse an attempt. */
	s->attempt++;
	ctl_save(c, s);
	m.attempt = s->attempt;
	m.timestamp_ns = ctl_realtime();
	if (cl->have_cookie)
		memcpy(m.cookie, cl->cookie, sizeof(m.cookie));
	len = wire_encode_request(buf, type, &m);
	ctl_send(c, cl->sb_fd, &cl->sb_local, &cl->sb_server, buf, len, s->keys.reattach);
}

static void start_validation(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct sockaddr_storage server;
	struct endpoint local;
	int i = other_uplink(c, &local, &server);

	cl->sb_next_ns = now + keepalive_ns(c);
	if (i < 0)
		return;		/* no second path now: a link event or later */
	cl->sb_fd = uplink_socket(&c->cfg.uplinks[i], &local, c->cfg.listen_port);
	if (cl->sb_fd < 0)
		return;
	ctl_add_socket(c, cl->sb_fd);
	cl->sb_uplink = i;
	cl->sb_local = local;
	cl->sb_server = server;
	cl->sb_state = CLIENT_SB_VALIDATING;
	cl->sb_first = s->attempt + 1;
	cl->sb_deadline_ns = now + 4 * (uint64_t)c->cfg.policy.path_timeout_ms * MS;
	cl->sb_next_ns = now + (uint64_t)c->cfg.policy.retry_max_ms * MS;
	send_request(c, s, JUMP_MSG_STANDBY_REQUEST, s->epoch);
	log_info("session %016" PRIx64 ": standby_request sent on uplink %s", s->id,
		 c->cfg.uplinks[i].ifname[0] ? c->cfg.uplinks[i].ifname : "(address)");
}

static void send_keepalive(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_ack m = { .session_id = s->id, .epoch = s->epoch };
	uint64_t wall = ctl_realtime();
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	cl->sb_keepalive = wall > cl->sb_keepalive ? wall : cl->sb_keepalive + 1;
	m.attempt = cl->sb_keepalive;
	len = wire_encode_ack(buf, JUMP_MSG_STANDBY_KEEPALIVE, &m);
	ctl_send(c, cl->sb_fd, &cl->sb_local, &cl->sb_server, buf, len, s->keys.reattach);
	cl->sb_next_ns = now + keepalive_ns(c);
}

static void send_promote(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	cl->sb_next_ns = now + (uint64_t)c->cfg.policy.retry_initial_ms * MS;
	send_request(c, s, JUMP_MSG_STANDBY_PROMOTE, s->epoch + 1);
	ctl_trace(s->id, "promote_sent");
}

bool client_standby_promote(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->sb_state == CLIENT_SB_PROMOTING)
		return true;
	if (cl->sb_state != CLIENT_SB_READY)
		return false;
	log_info("session %016" PRIx64 ": the bound path is gone: promoting the standby", s->id);
	if (!s->trouble_ns)
		s->trouble_ns = now;
	cl->sb_state = CLIENT_SB_PROMOTING;
	cl->sb_first = s->attempt + 1;
	cl->sb_deadline_ns = now + (uint64_t)c->cfg.policy.path_timeout_ms * MS;
	send_promote(c, s, now);
	return true;
}

void client_standby_timers(struct ctl *c, struct csession *s, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	uint64_t version;
	uint8_t state;

	if (!c->cfg.policy.standby_path || cl->reattaching || now < cl->sb_next_ns)
		return;
	switch (cl->sb_state) {
	case CLIENT_SB_IDLE:
		/* Only a session whose path works validates a second one. */
		if (ctl_kernel(c, s->id, &state, &version) && state == JUMP_STATE_ATTACHED)
			start_validation(c, s, now);
		else
			cl->sb_next_ns = now + (uint64_t)c->cfg.policy.retry_max_ms * MS;
		break;
	case CLIENT_SB_VALIDATING:
		if (now >= cl->sb_deadline_ns) {
			drop(c, s, "the standby path did not validate", now);
			break;
		}
		send_request(c, s, JUMP_MSG_STANDBY_REQUEST, s->epoch);
		cl->sb_next_ns = now + (uint64_t)c->cfg.policy.retry_max_ms * MS;
		break;
	case CLIENT_SB_READY:
		if (now - cl->sb_heard_ns > JUMP_STANDBY_KEEPALIVE_MISSES * keepalive_ns(c))
			drop(c, s, "its keepalives went unanswered", now);
		else
			send_keepalive(c, s, now);
		break;
	case CLIENT_SB_PROMOTING:
		if (now < cl->sb_deadline_ns) {
			send_promote(c, s, now);
			break;
		}
		drop(c, s, "the promotion was not acknowledged: reattaching", now);
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
		break;
	}
}

uint64_t client_standby_deadline(struct ctl *c, uint64_t next)
{
	struct client_ctl *cl = client_ctl(c);

	if (c->cfg.policy.standby_path && client_the_session(c) && cl->sb_next_ns < next)
		return cl->sb_next_ns;
	return next;
}

/* An answer to an attempt of the standby exchange in progress (@want). */
static struct csession *ours(struct ctl *c, const struct udp_packet *p, uint64_t id,
			     uint64_t attempt, int want)
{
	struct client_ctl *cl = client_ctl(c);
	struct csession *s = ctl_find(c, id);

	if (!s || cl->sb_state != want || p->fd != cl->sb_fd ||
	    attempt < cl->sb_first || attempt > s->attempt)
		return NULL;
	return s;
}

bool client_standby_challenge(struct ctl *c, struct udp_packet *p,
			      const struct wire_reattach_nonce *m)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_nonce conf = *m;
	uint8_t buf[WIRE_MAX_LEN];
	struct csession *s;
	size_t len;

	s = ours(c, p, m->session_id, m->attempt, CLIENT_SB_VALIDATING);
	if (!s)
		return false;
	if (hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &conf);
		ctl_send(c, cl->sb_fd, &cl->sb_local, &cl->sb_server, buf, len,
			 s->keys.reattach);
	}
	return true;
}

void client_standby_ack(struct ctl *c, struct udp_packet *p)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_ack m;
	struct jumpd_binding b;
	struct csession *s;
	uint64_t now = ctl_now();

	if (wire_decode_ack(p->buf, p->len, JUMP_MSG_STANDBY_ACK, &m))
		return;
	s = ours(c, p, m.session_id, m.attempt, CLIENT_SB_VALIDATING);
	if (!s || !hs_mac_ok(p->buf, p->len, s->keys.reattach))
		return;
	udp_binding(&b, &cl->sb_local, udp_local_port(cl->sb_fd), &cl->sb_server, 0,
		    cl->sb_fd);
	ctl_unlink_bind(s, s->epoch + 1, &b);	/* the epoch its promotion takes */
	if (ctl_standby(c, s, &b)) {
		drop(c, s, "the kernel refused it", now);
		return;
	}
	cl->sb_state = CLIENT_SB_READY;
	cl->sb_heard_ns = now;
	cl->sb_next_ns = now + keepalive_ns(c);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "standby_ack: the standby path is validated and set");
}

void client_standby_keepalive(struct ctl *c, struct udp_packet *p)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_reattach_ack m;
	struct csession *s;

	if (wire_decode_ack(p->buf, p->len, JUMP_MSG_STANDBY_KEEPALIVE, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || cl->sb_state != CLIENT_SB_READY || p->fd != cl->sb_fd ||
	    m.attempt != cl->sb_keepalive || !hs_mac_ok(p->buf, p->len, s->keys.reattach))
		return;
	cl->sb_heard_ns = ctl_now();
}

/* The server refused a standby exchange: given up, tried again later. */
bool client_standby_rejected(struct ctl *c, struct csession *s,
			     const struct wire_reattach_reject *m)
{
	struct client_ctl *cl = client_ctl(c);
	uint64_t now = ctl_now();

	if ((cl->sb_state != CLIENT_SB_VALIDATING && cl->sb_state != CLIENT_SB_PROMOTING) ||
	    m->attempt < cl->sb_first || m->attempt > s->attempt)
		return false;
	ctl_audit_reject(c, s->id, m->reason, s->peer_pub, &cl->sb_server,
			 "the server refused our standby exchange");
	if (cl->sb_state == CLIENT_SB_PROMOTING) {
		drop(c, s, "the server refused the promotion: reattaching", now);
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
	} else {
		drop(c, s, "the server refused it", now);
	}
	return true;
}

/* The ACK of our STANDBY_PROMOTE: the server's binding is our standby's path. */
bool client_standby_promoted(struct ctl *c, struct udp_packet *p, struct csession *s,
			     const struct wire_reattach_ack *m)
{
	struct client_ctl *cl = client_ctl(c);
	uint64_t now = ctl_now();
	char detail[96];

	if (!ours(c, p, s->id, m->attempt, CLIENT_SB_PROMOTING))
		return false;
	ctl_trace(s->id, "ack_received");
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_STANDBY_PROMOTED, NULL)) {
		drop(c, s, "the kernel refused the promotion: reattaching", now);
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
		return true;
	}
	ctl_trace(s->id, "commit");
	hs_ratchet(s->keys.reattach);
	s->epoch = m->epoch;
	client_close_fd(c, &cl->fd);
	cl->fd = cl->sb_fd;
	cl->local = cl->sb_local;
	cl->uplink = cl->sb_uplink;
	cl->server_addr = cl->sb_server;
	client_bound_endpoint(c);
	cl->sb_fd = -1;
	s->fd = cl->fd;
	s->local = cl->local;
	s->local.port = udp_local_port(cl->fd);
	s->remote = cl->server_addr;
	s->trouble_ns = 0;
	ctl_save(c, s);
	client_standby_reset(c, now + (uint64_t)c->cfg.policy.retry_max_ms * MS);
	snprintf(detail, sizeof(detail), "reattach_ack: standby promoted, epoch %u", s->epoch);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, detail);
	return true;
}

void client_standby_links(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);
	struct csession *s = client_the_session(c);
	struct endpoint server, local;

	if (!s || !c->cfg.policy.standby_path)
		return;
	if (cl->sb_state == CLIENT_SB_IDLE) {
		cl->sb_next_ns = 0;	/* a second uplink may be back: look now */
		return;
	}
	udp_to_endpoint(&cl->sb_server, &server);
	if (cl->sb_state != CLIENT_SB_PROMOTING && cl->sb_uplink >= 0 &&
	    (uplink_probe(&c->cfg.uplinks[cl->sb_uplink], &server, &local) ||
	     !client_same_path(&local, &cl->sb_local)))
		drop(c, s, "its uplink is gone", ctl_now());
}
