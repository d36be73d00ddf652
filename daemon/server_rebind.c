// SPDX-License-Identifier: GPL-2.0
/*
 * Server-initiated rebind (RebindProbe; Documentation/protocol.rst,
 * "Server-initiated rebind"): when the kernel reports authentic data from
 * outside a session's binding (a NAT rebinding), the server challenges that
 * source at once with REBIND_CHALLENGE; the client answers REBIND_CONFIRM
 * from its current socket, and the binding moves there with the usual CAS
 * only then. Like QUIC's path validation on a peer's address change: the
 * packet that starts it is authentic, and the answer proves that the client
 * receives at the new address. Reached from server.c only; calls down to
 * the core and to server_reattach.c's commit.
 */
#include <endian.h>
#include <string.h>

#include <sodium.h>

#include "ctl_audit.h"
#include "log.h"
#include "server.h"

#define MS	1000000ULL

static const uint8_t rebind_label[] = { 'j', 'u', 'm', 'p', ' ', 'r', 'e', 'b', 'i', 'n', 'd' };

/*
 * BLAKE2b-128(secret, "jump rebind" || be64(session id) || be64(probe) ||
 * be32(epoch) || family || be16(port) || address): the label keeps it apart
 * from the reattach challenges' nonces under the same secret.
 */
static void rebind_nonce(struct ctl *c, const struct csession *s, uint64_t probe,
			 uint32_t epoch, const struct sockaddr_storage *src,
			 uint8_t nonce[WIRE_NONCE_LEN])
{
	server_path_nonce(c, rebind_label, sizeof(rebind_label), s, probe, epoch, src, nonce);
}

/* A challenge in flight, and @nonce is the one we sent to @src. */
bool server_rebind_nonce_ok(struct ctl *c, const struct csession *s,
			    const struct sockaddr_storage *src, const uint8_t *nonce,
			    uint64_t now)
{
	const struct server_session *ss = server_session(s);
	uint8_t want[WIRE_NONCE_LEN];

	if (!ss->rebind_deadline_ns || now >= ss->rebind_deadline_ns)
		return false;
	rebind_nonce(c, s, ss->rebind_probe, ss->rebind_epoch, src, want);
	return !sodium_memcmp(want, nonce, WIRE_NONCE_LEN);
}

/* JUMP_CMD_UNBOUND_SOURCE: authentic data for @s from m->source. */
void server_on_report(struct ctl *c, struct csession *s, const struct jumpd_msg *m)
{
	struct server_session *ss = server_session(s);
	struct wire_reattach_nonce ch = { .session_id = s->id };
	uint64_t version, now = ctl_now();
	struct sockaddr_storage dst;
	uint8_t buf[WIRE_MAX_LEN];
	struct endpoint ep = { 0 };
	uint8_t state;
	size_t len;

	if (m->cmd != JUMP_CMD_UNBOUND_SOURCE || !c->cfg.policy.rebind_probe ||
	    !m->source.family || s->fd < 0)
		return;
	/* One challenge per session per interval, whatever the reports. */
	if (ss->rebind_last_ns &&
	    now - ss->rebind_last_ns < (uint64_t)JUMP_REBIND_PROBE_INTERVAL_MS * MS)
		return;
	if (!owner_owns(&c->owner, s->id) || !ctl_kernel(c, s->id, &state, &version) ||
	    (state != JUMP_STATE_ATTACHED && state != JUMP_STATE_VOLATILE &&
	     state != JUMP_STATE_DEGRADED))
		return;
	/* A commit would need a switch token: no challenge without one. */
	if (!rl_period_ready(&ss->switches, c->cfg.policy.max_switches,
			     (uint64_t)c->cfg.policy.switch_interval_ms * MS, now))
		return;
	ep.family = m->source.family;
	if (ep.family == AF_INET)
		ep.addr.v4 = m->source.remote.v4;
	else
		ep.addr.v6 = m->source.remote.v6;
	ep.port = m->source.remote_port;
	udp_to_sockaddr(&ep, &dst);
	ss->rebind_probe++;
	ss->rebind_last_ns = now;
	ss->rebind_epoch = s->epoch + 1;
	ss->rebind_deadline_ns = now + (uint64_t)c->cfg.policy.path_timeout_ms * MS;
	ch.attempt = ss->rebind_probe;
	rebind_nonce(c, s, ss->rebind_probe, ss->rebind_epoch, &dst, ch.nonce);
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REBIND_CHALLENGE, &ch);
	ctl_send(c, s->fd, &s->local, &dst, buf, len, s->keys.reattach);
	ctl_trace(s->id, "rebind_challenge_sent");
	ctl_audit_accept(c, s->id, s->peer_pub, &dst,
			 "authentic data from outside the binding: rebind_challenge sent to it");
}

void server_rebind_confirm(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_nonce m;
	struct server_session *ss;
	struct csession *s;
	uint64_t version;
	uint8_t state;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REBIND_CONFIRM, &m)) {
		c->garbage++;
		return;
	}
	s = server_known(c, m.session_id);
	if (!s)
		return;
	if (!hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	ctl_trace(s->id, "rebind_confirm_received");
	ss = server_session(s);
	if (!server_rebind_nonce_ok(c, s, &p->src, m.nonce, now)) {
		ctl_audit_reject(c, s->id, ss->rebind_deadline_ns && now < ss->rebind_deadline_ns ?
				 JUMP_REJECT_WRONG_PATH : JUMP_REJECT_PATH_VALIDATION,
				 s->peer_pub, &p->src,
				 "rebind_confirm does not answer a rebind_challenge in flight to its address");
		return;
	}
	if (m.attempt <= s->attempt) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_STALE_ATTEMPT, s->peer_pub, &p->src,
				 "rebind_confirm with an attempt already used");
		return;
	}
	if (!owner_owns(&c->owner, s->id) || !ctl_kernel(c, s->id, &state, &version) ||
	    state == JUMP_STATE_BIRTH) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_SESSION_TERMINATED, s->peer_pub, &p->src,
				 "rebind_confirm: no attached session of ours");
		return;
	}
	ss->rebind_deadline_ns = 0;	/* one answer per challenge */
	server_commit_path(c, p, s, m.attempt, ss->rebind_epoch, m.nonce, now,
			   "rebind validated by the server's challenge: new binding committed");
}

/* Over a rate limit: a confirm of the challenge we sent to its address. */
bool server_rebind_proven(struct ctl *c, const struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_nonce m;
	struct csession *s;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REBIND_CONFIRM, &m))
		return false;
	s = ctl_find(c, m.session_id);
	return s && server_rebind_nonce_ok(c, s, &p->src, m.nonce, now);
}
