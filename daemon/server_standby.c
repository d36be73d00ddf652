// SPDX-License-Identifier: GPL-2.0
/*
 * The server's side of a standby path (Documentation/protocol.rst, "Standby
 * path"): a STANDBY_REQUEST is judged like a reattach request and its path
 * challenged the same way, but the confirm commits the path as the
 * session's standby (standby_ready), not as its binding; STANDBY_KEEPALIVEs
 * on it are echoed; a STANDBY_PROMOTE from it makes it the binding in one
 * CAS (standby_promoted), then the ratchet and the ACK of a reattach.
 * Reached from server_packet() and server_reattach_confirm() only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl_audit.h"
#include "server.h"

#define MS	1000000ULL

bool server_standby_from(const struct csession *s, const struct sockaddr_storage *src)
{
	const struct server_standby *sb = &server_session(s)->standby;

	return sb->ready && udp_same(&sb->remote, src);
}

void server_standby_forget(struct csession *s)
{
	memset(&server_session(s)->standby, 0, sizeof(struct server_standby));
}

/* Fresh (attempt, timestamp) for a request whose MAC is good: JUMP_REJECT_NONE or why not. */
static int judge(struct ctl *c, const struct csession *s, const struct wire_reattach_request *m)
{
	uint64_t wall = ctl_realtime();
	uint64_t skew = (uint64_t)c->cfg.policy.clock_skew_ms * MS;

	if (m->attempt <= s->attempt)
		return JUMP_REJECT_STALE_ATTEMPT;
	if (m->timestamp_ns + skew < wall || m->timestamp_ns > wall + skew)
		return JUMP_REJECT_CLOCK_SKEW;
	return JUMP_REJECT_NONE;
}

/* Decoded, known, authentic with the current reattach key, allowed: the session, or NULL. */
static struct csession *authentic(struct ctl *c, struct udp_packet *p, uint8_t type,
				  struct wire_reattach_request *m)
{
	struct csession *s;

	if (wire_decode_request(p->buf, p->len, type, m)) {
		c->garbage++;
		return NULL;
	}
	s = server_known(c, m->session_id);
	if (!s || !server_mac_ok(c, p, s->keys.reattach))
		return NULL;
	return server_request_allowed(c, p, s) ? s : NULL;
}

void server_standby_request(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_request m;
	struct server_pending *pp;
	struct csession *s;
	int reject;
	bool fresh;

	s = authentic(c, p, JUMP_MSG_STANDBY_REQUEST, &m);
	if (!s)
		return;
	reject = judge(c, s, &m);
	if (reject == JUMP_REJECT_NONE && udp_same(&p->src, &s->remote))
		reject = JUMP_REJECT_WRONG_PATH;	/* the active path is no standby */
	if (reject != JUMP_REJECT_NONE) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src, "standby_request refused");
		server_send_reject(c, p, s, m.attempt, reject, s->keys.reattach);
		return;
	}
	pp = server_find_pending(s, m.attempt);
	fresh = !pp;
	if (fresh) {
		pp = server_new_pending(s, m.attempt);
		if (!pp)
			return;
		memset(pp, 0, sizeof(*pp));
		pp->used = true;
		pp->standby = true;
		pp->src = p->src;
		pp->attempt = m.attempt;
		pp->epoch = s->epoch;
		pp->deadline_ns = now + c->cfg.policy.path_timeout_ms * MS;
	}
	if (!pp->standby)
		return;		/* that attempt is a reattach's */
	server_challenge_source(c, p, s, pp, m.cookie, now);
	if (fresh)
		ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
				 "standby_request accepted: challenging the standby path");
}

static void send_ack(struct ctl *c, struct udp_packet *p, const struct csession *s,
		     uint8_t type, uint64_t counter)
{
	struct wire_reattach_ack a = { .session_id = s->id, .attempt = counter, .epoch = s->epoch };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_ack(buf, type, &a);

	ctl_send(c, p->fd, &p->local, &p->src, buf, len, s->keys.reattach);
}

void server_standby_commit(struct ctl *c, struct udp_packet *p, struct csession *s,
			   const struct server_pending *pp)
{
	struct server_standby *sb = &server_session(s)->standby;
	struct jumpd_binding b;

	if (pp->attempt <= s->attempt) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_STALE_ATTEMPT, s->peer_pub, &p->src,
				 "standby confirm older than the last change: not applied");
		return;
	}
	udp_binding(&b, &p->local, p->local.port, &p->src, 0, p->fd);
	ctl_unlink_bind(s, s->epoch + 1, &b);	/* the epoch its promotion takes */
	if (ctl_standby(c, s, &b)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
				 "the kernel refused the standby: not applied");
		server_send_reject(c, p, s, pp->attempt, JUMP_REJECT_CONFLICT, s->keys.reattach);
		return;
	}
	s->attempt = pp->attempt;
	ctl_save(c, s);
	sb->ready = true;
	sb->fd = p->fd;
	sb->local = p->local;
	sb->remote = p->src;
	sb->keepalive = 0;
	send_ack(c, p, s, JUMP_MSG_STANDBY_ACK, pp->attempt);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "standby path validated: committed as the standby");
}

/* Echoed, so that the client knows its standby answers; no record (periodic). */
void server_standby_keepalive(struct ctl *c, struct udp_packet *p)
{
	struct wire_reattach_ack m;
	struct server_standby *sb;
	struct csession *s;

	if (wire_decode_ack(p->buf, p->len, JUMP_MSG_STANDBY_KEEPALIVE, &m)) {
		c->garbage++;
		return;
	}
	s = server_known(c, m.session_id);
	if (!s || !server_mac_ok(c, p, s->keys.reattach))
		return;
	sb = &server_session(s)->standby;
	if (!server_standby_from(s, &p->src) || m.attempt <= sb->keepalive) {
		ctl_count_unauthenticated(c, JUMP_REJECT_NO_STANDBY);
		return;
	}
	sb->keepalive = m.attempt;
	send_ack(c, p, s, JUMP_MSG_STANDBY_KEEPALIVE, m.attempt);
}

/*
 * A PROMOTE MACed with the key before the last ratchet, from the path it
 * promoted: its ACK was lost, and the client asks again. Answered again.
 */
static bool promote_repeated(struct ctl *c, struct udp_packet *p, struct csession *s,
			     const struct wire_reattach_request *m)
{
	if (!hs_mac_ok(p->buf, p->len, s->reattach_prev) || !udp_same(&p->src, &s->remote) ||
	    m->epoch != s->epoch)
		return false;
	server_send_reattach_ack(c, p, s, s->reattach_prev);
	return true;
}

static int judge_promote(struct ctl *c, struct udp_packet *p, struct csession *s,
			 const struct wire_reattach_request *m, uint64_t now)
{
	int reject = judge(c, s, m);

	if (reject != JUMP_REJECT_NONE)
		return reject;
	if (m->epoch != s->epoch + 1)
		return JUMP_REJECT_STALE_ATTEMPT;
	if (!server_standby_from(s, &p->src) || server_session(s)->standby.fd != p->fd)
		return JUMP_REJECT_NO_STANDBY;
	if (!server_switch_ready(c, s, now))
		return JUMP_REJECT_SWITCH_RATE;
	return JUMP_REJECT_NONE;
}

void server_standby_promote(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	static const uint8_t no_nonce[WIRE_NONCE_LEN];
	struct wire_reattach_request m;
	struct csession *s;
	char detail[96];
	int reject;

	if (wire_decode_request(p->buf, p->len, JUMP_MSG_STANDBY_PROMOTE, &m)) {
		c->garbage++;
		return;
	}
	s = server_known(c, m.session_id);
	if (!s)
		return;
	if (!hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		if (!promote_repeated(c, p, s, &m))
			ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	ctl_trace(s->id, "promote_received");
	if (!server_request_allowed(c, p, s))
		return;
	reject = judge_promote(c, p, s, &m, now);
	if (reject != JUMP_REJECT_NONE) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src, "standby_promote refused");
		server_send_reject(c, p, s, m.attempt, reject, s->keys.reattach);
		return;
	}
	/* One CAS: the standby is the binding, under the next epoch. */
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_STANDBY_PROMOTED, NULL)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
				 "standby_promote: the kernel refused: not applied");
		server_send_reject(c, p, s, m.attempt, JUMP_REJECT_CONFLICT, s->keys.reattach);
		return;
	}
	snprintf(detail, sizeof(detail), "standby promoted: the binding, epoch %" PRIu32,
		 m.epoch);
	server_path_committed(c, p, s, m.attempt, m.epoch, no_nonce, now, detail);
}
