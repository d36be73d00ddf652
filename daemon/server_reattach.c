// SPDX-License-Identifier: GPL-2.0
/*
 * The server's reattach (Documentation/jumpd.rst, "Reattach"): a
 * REATTACH_REQUEST judged cheapest check first, a challenge to the new
 * path, and on its MACed confirm the commit in the kernel (two CAS
 * transitions through the core's ctl_transition()), the ratchet, the state
 * file and the ACK. Reached from server_packet() only; calls only down, to
 * the core (ctl.h), wire, handshake and the rate limiter.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "ctl_audit.h"
#include "server.h"

#define MS	1000000ULL

void server_send_reject(struct ctl *c, struct udp_packet *p, const struct csession *s,
			uint64_t attempt, int reject, const uint8_t *key)
{
	struct wire_reattach_reject r = {
		.reason = (uint8_t)reject, .session_id = s->id, .attempt = attempt,
	};
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_reattach_reject(buf, &r);

	ctl_send(c, p->fd, &p->local, &p->src, buf, len, key);
}

/* Is a switch token there? The bucket refills exactly (ratelimit.c). */
bool server_switch_ready(struct ctl *c, struct csession *s, uint64_t now)
{
	const struct config_policy *p = &c->cfg.policy;

	return rl_period_ready(&server_session(s)->switches, p->max_switches,
			       (uint64_t)p->switch_interval_ms * MS, now);
}

/* Freshness and policy of a request whose MAC is good: JUMP_REJECT_NONE or why not. */
static int judge_request(struct ctl *c, struct csession *s,
			 const struct wire_reattach_request *m, uint64_t now)
{
	const struct config_policy *p = &c->cfg.policy;
	uint64_t wall = ctl_realtime();
	uint64_t skew = (uint64_t)p->clock_skew_ms * MS;

	if (m->attempt <= s->attempt)
		return JUMP_REJECT_STALE_ATTEMPT;
	if (m->timestamp_ns + skew < wall || m->timestamp_ns > wall + skew)
		return JUMP_REJECT_CLOCK_SKEW;
	if (m->epoch <= s->epoch)
		return JUMP_REJECT_STALE_ATTEMPT;
	if (!server_switch_ready(c, s, now))
		return JUMP_REJECT_SWITCH_RATE;
	if (s->trouble_ns && now - s->trouble_ns >= (uint64_t)p->recovery_window_ms * MS)
		return JUMP_REJECT_RECOVERY_WINDOW;
	return JUMP_REJECT_NONE;
}

/* The validation of @attempt, or NULL. */
struct server_pending *server_find_pending(struct csession *s, uint64_t attempt)
{
	struct server_pending *pending = server_session(s)->pending;
	int i;

	for (i = 0; i < SERVER_MAX_PENDING; i++)
		if (pending[i].used && pending[i].attempt == attempt)
			return &pending[i];
	return NULL;
}

/*
 * A slot for a new attempt: a free one, else the lowest attempt if it is
 * below this one (the client's retries only go up; an older attempt is
 * what it no longer waits for). NULL: every slot holds a newer attempt.
 */
struct server_pending *server_new_pending(struct csession *s, uint64_t attempt)
{
	struct server_pending *low = NULL;
	int i;

	for (i = 0; i < SERVER_MAX_PENDING; i++) {
		struct server_pending *pp = &server_session(s)->pending[i];

		if (!pp->used)
			return pp;
		if (!low || pp->attempt < low->attempt)
			low = pp;
	}
	return low->attempt < attempt ? low : NULL;
}

/*
 * A path challenge's nonce: keyed BLAKE2b-128 over @label (none for a
 * reattach), the session, @counter (the attempt, or the rebind probe),
 * @epoch and the source address and port. Only who receives at @src learns
 * it, and no state is kept per source: a copy of a request from elsewhere
 * costs a hash, and answers nothing for the real path.
 */
void server_path_nonce(struct ctl *c, const uint8_t *label, size_t label_len,
		       const struct csession *s, uint64_t counter, uint32_t epoch,
		       const struct sockaddr_storage *src, uint8_t nonce[WIRE_NONCE_LEN])
{
	uint64_t id = htobe64(s->id), ctr = htobe64(counter);
	uint32_t ep32 = htobe32(epoch);
	crypto_generichash_state st;
	struct endpoint ep;
	uint8_t head[8 + 8 + 4 + 1 + 2];
	const uint8_t *secret = server_ctl(c)->challenge_secret;

	udp_to_endpoint(src, &ep);
	memcpy(head, &id, 8);
	memcpy(head + 8, &ctr, 8);
	memcpy(head + 16, &ep32, 4);
	head[20] = ep.family == AF_INET ? 4 : 6;
	head[21] = (uint8_t)(ep.port >> 8);
	head[22] = (uint8_t)ep.port;
	crypto_generichash_init(&st, secret, sizeof(server_ctl(c)->challenge_secret),
				WIRE_NONCE_LEN);
	if (label_len)
		crypto_generichash_update(&st, label, label_len);
	crypto_generichash_update(&st, head, sizeof(head));
	crypto_generichash_update(&st, (const uint8_t *)&ep.addr,
				  ep.family == AF_INET ? 4 : 16);
	crypto_generichash_final(&st, nonce, WIRE_NONCE_LEN);
}

/* A standby's validation has a label of its own: it never answers a reattach's. */
static void challenge_nonce(struct ctl *c, const struct csession *s,
			    const struct server_pending *pp, const struct sockaddr_storage *src,
			    uint8_t nonce[WIRE_NONCE_LEN])
{
	static const uint8_t label[] = "standby";

	server_path_nonce(c, pp->standby ? label : NULL, pp->standby ? sizeof(label) - 1 : 0,
			  s, pp->attempt, pp->epoch, src, nonce);
}

/* Does @nonce answer the challenge we sent (or would send) to @src? */
bool server_nonce_ok(struct ctl *c, const struct csession *s, const struct server_pending *pp,
		     const struct sockaddr_storage *src, const uint8_t *nonce)
{
	uint8_t want[WIRE_NONCE_LEN];

	challenge_nonce(c, s, pp, src, want);
	return !sodium_memcmp(want, nonce, WIRE_NONCE_LEN);
}

static void challenge(struct ctl *c, struct udp_packet *p, struct csession *s,
		      const struct server_pending *pp)
{
	struct wire_reattach_nonce ch = { .session_id = s->id, .attempt = pp->attempt };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	challenge_nonce(c, s, pp, &p->src, ch.nonce);
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CHALLENGE, &ch);
	ctl_send(c, p->fd, &p->local, &p->src, buf, len, s->keys.reattach);
}

/*
 * Every source a copy of an accepted request comes from is challenged, up
 * to JUMP_REATTACH_CHALLENGES for the attempt, so that the server sends no
 * more for one captured request than that. Past it, a request that carries
 * the cookie of its own address is still challenged (it receives there:
 * the real client, back with the cookie); one without gets the cookie.
 */
void server_challenge_source(struct ctl *c, struct udp_packet *p, struct csession *s,
			     struct server_pending *pp, const uint8_t *cookie, uint64_t now)
{
	if (pp->challenges < JUMP_REATTACH_CHALLENGES) {
		pp->challenges++;
		challenge(c, p, s, pp);
	} else if (rl_cookie_ok(&server_ctl(c)->rl, (struct sockaddr *)&p->src, now, cookie)) {
		challenge(c, p, s, pp);
	} else {
		server_send_cookie(c, p, s->id, now);
	}
}

void server_send_reattach_ack(struct ctl *c, struct udp_packet *p, struct csession *s,
			      const uint8_t *key)
{
	struct wire_reattach_ack a = {
		.session_id = s->id, .attempt = s->attempt, .epoch = s->epoch,
	};
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_reattach_ack(buf, &a);

	ctl_send(c, p->fd, &p->local, &p->src, buf, len, key);
}

/*
 * A request MACed with the key before the last ratchet: an old request (a
 * replay), or a newer one from a client that retried before our ACK
 * reached it, which gets that ACK again.
 */
static void request_before_ratchet(struct ctl *c, struct udp_packet *p, struct csession *s,
				   const struct wire_reattach_request *m)
{
	if (m->attempt <= s->attempt)
		ctl_audit_reject(c, s->id, JUMP_REJECT_STALE_ATTEMPT, s->peer_pub, &p->src,
				 "reattach_request from before the last reattach: a replay");
	else
		server_send_reattach_ack(c, p, s, s->reattach_prev);
}

/* Ownership and the kernel's state, for an authentic request: true if it may go on. */
bool server_request_allowed(struct ctl *c, struct udp_packet *p, struct csession *s)
{
	uint64_t version;
	uint8_t state;

	if (!owner_owns(&c->owner, s->id)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_NOT_OWNER, s->peer_pub, &p->src, NULL);
		return false;
	}
	if (!ctl_kernel(c, s->id, &state, &version) || state == JUMP_STATE_BIRTH) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_SESSION_TERMINATED, s->peer_pub,
				 &p->src, "no attached session to reattach");
		return false;
	}
	return true;
}

void server_reattach_request(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct server_ctl *sc = server_ctl(c);
	struct wire_reattach_request m;
	struct server_pending *pp;
	struct csession *s;
	bool old_key, fresh;
	int reject;

	if (wire_decode_reattach_request(p->buf, p->len, &m)) {
		c->garbage++;
		return;
	}
	if (sc->under_load && !rl_cookie_ok(&sc->rl, (struct sockaddr *)&p->src, now, m.cookie)) {
		server_send_cookie(c, p, m.session_id, now);
		return;
	}
	s = ctl_find(c, m.session_id);
	/* A dead owner's session (failover), or one nobody here knows. */
	if (!s)
		s = server_failover(c, p, &m, now);
	if (!s) {
		ctl_count_unauthenticated(c, JUMP_REJECT_UNKNOWN_SESSION);
		return;
	}
	/* Authenticate first: the checks after this one cost far more. */
	old_key = !hs_mac_ok(p->buf, p->len, s->keys.reattach);
	if (old_key && !server_mac_ok(c, p, s->reattach_prev))
		return;
	ctl_trace(s->id, "request_received");
	if (!server_request_allowed(c, p, s))
		return;
	if (old_key) {
		request_before_ratchet(c, p, s, &m);
		return;
	}
	reject = judge_request(c, s, &m, now);
	if (reject != JUMP_REJECT_NONE) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src, "reattach_request refused");
		server_send_reject(c, p, s, m.attempt, reject, s->keys.reattach);
		return;
	}
	pp = server_find_pending(s, m.attempt);
	fresh = !pp;
	if (fresh) {
		pp = server_new_pending(s, m.attempt);
		if (!pp)
			return;		/* older than every attempt in flight */
		memset(pp, 0, sizeof(*pp));
		pp->used = true;
		pp->src = p->src;
		pp->attempt = m.attempt;
		pp->epoch = m.epoch;
		pp->deadline_ns = now + c->cfg.policy.path_timeout_ms * MS;
	}
	server_challenge_source(c, p, s, pp, m.cookie, now);
	ctl_trace(s->id, "challenge_sent");
	/* Recorded after the challenge left: the log's sync is not on the path. */
	if (fresh)
		ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
				 "reattach_request accepted: challenging the new path");
}

/* Both CAS steps of a reattach: to RECOVERING, then ATTACHED on the new binding. */
static int commit(struct ctl *c, struct csession *s, uint32_t epoch,
		  const struct udp_packet *p)
{
	struct jumpd_binding b;
	uint64_t version;
	uint8_t state;

	if (!ctl_kernel(c, s->id, &state, &version))
		return -ENOENT;
	if (state != JUMP_STATE_RECOVERING &&
	    ctl_transition(c, s, JUMP_STATE_RECOVERING, JUMP_REASON_REATTACH_REQUESTED, NULL))
		return -ESTALE;
	/* The path that answered the challenge: the confirm's. */
	udp_binding(&b, &p->local, p->local.port, &p->src, epoch, p->fd);
	ctl_unlink_bind(s, epoch, &b);
	return ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE, &b);
}

/* The other validations in flight lost: their confirms get a conflict. */
static void supersede_pending(struct csession *s)
{
	struct server_pending *pending = server_session(s)->pending;
	int i;

	for (i = 0; i < SERVER_MAX_PENDING; i++)
		pending[i].superseded = pending[i].used;
}

/*
 * A confirm MACed with the key before the last ratchet: either ours was the
 * winning one and its ACK got lost (answered again), or it lost a race to
 * the reattach that committed (a conflict, MACed so that its client can
 * verify it). True if it was one of those.
 */
static bool confirm_before_ratchet(struct ctl *c, struct udp_packet *p, struct csession *s,
				   const struct wire_reattach_nonce *m)
{
	struct server_pending *pp;

	if (!hs_mac_ok(p->buf, p->len, s->reattach_prev))
		return false;
	if (m->attempt == s->attempt && udp_same(&p->src, &s->remote) &&
	    !sodium_memcmp(m->nonce, s->last_nonce, WIRE_NONCE_LEN)) {
		server_send_reattach_ack(c, p, s, s->reattach_prev);
		return true;
	}
	pp = server_find_pending(s, m->attempt);
	if (!pp || !pp->superseded || !server_nonce_ok(c, s, pp, &p->src, m->nonce))
		return false;
	ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
			 "another reattach committed first: not applied");
	server_send_reject(c, p, s, m->attempt, JUMP_REJECT_CONFLICT, s->reattach_prev);
	pp->used = false;
	return true;
}

struct server_pending *server_validated(struct ctl *c, const struct udp_packet *p,
				     struct csession *s, const struct wire_reattach_nonce *m,
				     int *reject)
{
	struct server_pending *pp = server_find_pending(s, m->attempt);

	*reject = JUMP_REJECT_PATH_VALIDATION;
	if (!pp)
		return NULL;
	/* Not the nonce we sent to this address: a confirm from elsewhere. */
	*reject = JUMP_REJECT_WRONG_PATH;
	if (!server_nonce_ok(c, s, pp, &p->src, m->nonce))
		return NULL;
	*reject = JUMP_REJECT_NONE;
	return pp;
}

void server_reattach_confirm(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_nonce m;
	struct server_pending *pp;
	struct csession *s;
	int reject;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REATTACH_CONFIRM, &m)) {
		c->garbage++;
		return;
	}
	s = server_known(c, m.session_id);
	if (!s)
		return;
	if (!hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		if (!confirm_before_ratchet(c, p, s, &m))
			ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	ctl_trace(s->id, "confirm_received");
	pp = server_validated(c, p, s, &m, &reject);
	if (!pp) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src,
				 reject == JUMP_REJECT_WRONG_PATH ?
				 "reattach_confirm does not answer the challenge sent to its address" :
				 "reattach_confirm for no challenge we sent");
		return;
	}
	/* Done with, whatever the outcome: the others lose if it commits. */
	pp->used = false;
	if (pp->standby) {
		server_standby_commit(c, p, s, pp);
		return;
	}
	server_commit_path(c, p, s, m.attempt, pp->epoch, m.nonce, now,
			   "path validated: new binding committed");
}

/*
 * The path @p came from is validated for @attempt: the commit (CAS), the
 * switch token, the ratchet, the state file, the ACK, the record. 0, or -1
 * (refused: rejected on the wire and audited).
 */
int server_commit_path(struct ctl *c, struct udp_packet *p, struct csession *s,
		       uint64_t attempt, uint32_t epoch, const uint8_t *nonce, uint64_t now,
		       const char *detail)
{
	/*
	 * The token the request saw may be gone: another validation of the
	 * same interval committed since. Checked again, never overdrawn.
	 */
	if (attempt > s->attempt && !server_switch_ready(c, s, now)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_SWITCH_RATE, s->peer_pub, &p->src,
				 "no switch token left: not applied");
		server_send_reject(c, p, s, attempt, JUMP_REJECT_SWITCH_RATE, s->keys.reattach);
		return -1;
	}
	if (attempt <= s->attempt || commit(c, s, epoch, p)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
				 "another change won: not applied");
		server_send_reject(c, p, s, attempt, JUMP_REJECT_CONFLICT, s->keys.reattach);
		return -1;
	}
	server_path_committed(c, p, s, attempt, epoch, nonce, now, detail);
	return 0;
}

/*
 * The kernel bound the path @p came from (a reattach, a rebind, a standby
 * promoted): the switch token, the ratchet, the state file, the ACK, the
 * record. The kernel holds no standby afterwards.
 */
void server_path_committed(struct ctl *c, struct udp_packet *p, struct csession *s,
			   uint64_t attempt, uint32_t epoch, const uint8_t *nonce, uint64_t now,
			   const char *detail)
{
	ctl_trace(s->id, "commit");
	rl_period_take(&server_session(s)->switches, c->cfg.policy.max_switches,
		       (uint64_t)c->cfg.policy.switch_interval_ms * MS, now);
	memcpy(s->reattach_prev, s->keys.reattach, WIRE_KEY_LEN);
	hs_ratchet(s->keys.reattach);
	memcpy(s->last_nonce, nonce, WIRE_NONCE_LEN);
	s->attempt = attempt;
	s->epoch = epoch;
	s->fd = p->fd;
	s->local = p->local;
	s->remote = p->src;
	s->trouble_ns = 0;
	supersede_pending(s);
	server_standby_forget(s);
	/* Stored before the ACK; recorded after it, off the client's path. */
	ctl_save(c, s);
	server_send_reattach_ack(c, p, s, s->reattach_prev);
	ctl_trace(s->id, "ack_sent");
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, detail);
}

