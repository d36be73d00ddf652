// SPDX-License-Identifier: GPL-2.0
/*
 * The server's side of the control protocol (Documentation/protocol.rst):
 * births, reattaches with path validation, rekeys and terminations.
 *
 * Every packet meets the cheapest checks first: its source's and the global
 * rate (ctl.c, before anything else), its shape, the cookie under load, the
 * session, ownership, then the MAC; only then freshness and policy, and last
 * a challenge to the new path. A packet that fails is dropped and audited
 * (floods of garbage as one summary a second); it never ends a session.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ctl.h"
#include "jump_names.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define MS	1000000ULL

/*
 * Packets that do not authenticate can come from anyone, at any rate: they
 * cost a lookup, one MAC check and a counter (summarized once a second),
 * and nothing else, certainly no audit record of their own. Everything
 * that costs more (ownership, the kernel, the audit log) comes after.
 */
static struct csession *known(struct ctl *c, uint64_t id)
{
	struct csession *s = ctl_find(c, id);

	if (!s)
		ctl_count_unauthenticated(c, JUMP_REJECT_UNKNOWN_SESSION);
	return s;
}

static bool mac_ok(struct ctl *c, const struct udp_packet *p, const uint8_t *key)
{
	if (hs_mac_ok(p->buf, p->len, key))
		return true;
	ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
	return false;
}

static const struct hs_keypair *server_static(struct ctl *c, struct hs_keypair *kp)
{
	memcpy(kp->priv, c->cfg.private_key, sizeof(kp->priv));
	memcpy(kp->pub, c->cfg.public_key, sizeof(kp->pub));
	return kp;
}

static void send_cookie(struct ctl *c, struct udp_packet *p, uint64_t ref, uint64_t now)
{
	struct wire_cookie_reply r = { .ref = ref };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	rl_cookie(&c->rl, (struct sockaddr *)&p->src, now, r.cookie);
	len = wire_encode_cookie_reply(buf, &r);
	ctl_send(c, p->fd, &p->local, &p->src, buf, len, NULL);
}

static void send_reject(struct ctl *c, struct udp_packet *p, const struct csession *s,
			uint64_t attempt, int reject, const uint8_t *key)
{
	struct wire_reattach_reject r = {
		.reason = (uint8_t)reject, .session_id = s->id, .attempt = attempt,
	};
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_reattach_reject(buf, &r);

	ctl_send(c, p->fd, &p->local, &p->src, buf, len, key);
}

/* A session of the peer's other than @except, or NULL. */
static struct csession *find_by_peer(struct ctl *c, const uint8_t pub[JUMP_PUBKEY_LEN],
				     const struct csession *except)
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next)
			if (s != except && !sodium_memcmp(s->peer_pub, pub, JUMP_PUBKEY_LEN))
				return s;
	return NULL;
}

/* Born, not yet confirmed by a HANDSHAKE_DONE. */
static bool half_born(struct ctl *c, const struct csession *s)
{
	uint64_t version;
	uint8_t state;

	return s->deadline_ns ||
	       (ctl_kernel(c, s->id, &state, &version) && state == JUMP_STATE_BIRTH);
}

/* The peer's half-born session, or NULL. */
static struct csession *half_born_of(struct ctl *c, const uint8_t pub[JUMP_PUBKEY_LEN])
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next)
			if (!sodium_memcmp(s->peer_pub, pub, JUMP_PUBKEY_LEN) &&
			    half_born(c, s))
				return s;
	return NULL;
}

/*
 * The kernel settings of a new session: the liveness policy. Its prefixes
 * come with the HANDSHAKE_DONE: until then the peer's live session, if it
 * has one, keeps them (a prefix belongs to one session).
 */
static int configure(struct ctl *c, struct csession *s)
{
	const struct config_policy *p = &c->cfg.policy;
	struct jumpd_settings set = {
		.keepalive_ms = p->keepalive_ms, .volatile_ms = p->volatile_ms,
		.degraded_ms = p->degraded_ms,
	};
	int err = jumpd_nl_session_settings(&c->d->nl, c->ifindex, s->id, &set);

	if (err)
		jumpd_nl_log_error(&c->d->nl, "configuring a new session", err);
	return err;
}

/* Opens the INIT: 0 with @hs filled, or -1 (audited or counted). */
static int open_init(struct ctl *c, struct udp_packet *p, uint64_t now,
		     struct hs_responder *hs)
{
	struct wire_handshake_init m;
	struct hs_keypair self;
	int ret;

	if (wire_decode_handshake_init(p->buf, p->len, &m) ||
	    !hs_init_mac1_ok(p->buf, c->cfg.public_key)) {
		c->garbage++;
		return -1;
	}
	if (c->under_load) {
		uint8_t cookie[WIRE_COOKIE_LEN];

		rl_cookie(&c->rl, (struct sockaddr *)&p->src, now, cookie);
		if (!hs_init_mac2_ok(p->buf, cookie)) {
			send_cookie(c, p, m.hsid, now);
			return -1;
		}
	}
	ret = hs_responder_consume(hs, server_static(c, &self), &m);
	hs_wipe(&self, sizeof(self));
	if (ret)
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
	return ret;
}

/* May this peer be born a session now? The peer, or NULL (audited). */
static const struct config_peer *admit(struct ctl *c, struct udp_packet *p,
				       const struct hs_responder *hs)
{
	const struct config_peer *peer = config_find_peer(&c->cfg, hs->peer_pub);
	const char *dir = c->cfg.state_dir;

	if (!peer) {
		ctl_audit_reject(c, 0, JUMP_REJECT_UNKNOWN_PEER, hs->peer_pub, &p->src,
				 "handshake from a key the config does not list");
		return NULL;
	}
	if (hs->timestamp_ns <= store_peer_timestamp(dir, hs->peer_pub)) {
		ctl_audit_reject(c, 0, JUMP_REJECT_STALE_HANDSHAKE, hs->peer_pub, &p->src,
				 "handshake_init not newer than the last one: a replay");
		return NULL;
	}
	if (c->count >= c->cfg.policy.max_sessions && !find_by_peer(c, hs->peer_pub, NULL)) {
		ctl_audit_reject(c, 0, JUMP_REJECT_MAX_SESSIONS, hs->peer_pub, &p->src,
				 "MaxSessions reached");
		return NULL;
	}
	if (store_set_peer_timestamp(dir, hs->peer_pub, hs->timestamp_ns))
		return NULL;
	return peer;
}

static struct csession *birth(struct ctl *c, const struct config_peer *peer)
{
	struct jumpd_msg out;
	struct csession *s, *old;
	int err;

	/*
	 * A peer has one session, but an INIT proves nothing yet (it may be a
	 * captured one, withheld and replayed): its live session ends only
	 * when the new one is confirmed (handle_done()). A half-born one it
	 * had is the peer starting over again.
	 */
	old = half_born_of(c, peer->pubkey);
	if (old)
		ctl_terminate(c, old, JUMP_REASON_PEER_TERMINATE, false);
	err = jumpd_nl_session_new(&c->d->nl, c->ifindex, JUMP_ROLE_SERVER, 0,
				   peer->pubkey, &out);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "creating a session", err);
		return NULL;
	}
	s = ctl_add(c, out.id, JUMP_ROLE_SERVER);
	if (!s || owner_claim(&c->owner, out.id)) {
		log_err("session %016" PRIx64 ": cannot hold it", out.id);
		jumpd_nl_session_del(&c->d->nl, c->ifindex, out.id, out.version,
				     JUMP_REASON_ADMIN_TERMINATE);
		if (s)
			ctl_remove(c, s);
		return NULL;
	}
	memcpy(s->peer_pub, peer->pubkey, sizeof(s->peer_pub));
	s->local_index = out.local_index;
	s->born_ns = out.created_ns;
	return s;
}

static void handle_init(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	const struct config_peer *peer;
	struct wire_handshake_resp resp;
	struct hs_responder hs;
	uint8_t buf[WIRE_MAX_LEN];
	struct csession *s;
	size_t len;

	if (open_init(c, p, now, &hs))
		return;
	peer = admit(c, p, &hs);
	s = peer ? birth(c, peer) : NULL;
	if (!s)
		goto out;
	if (hs_responder_reply(&hs, s->id, s->local_index, &resp, &s->keys) ||
	    configure(c, s) ||
	    ctl_install_keys(c, s, &s->keys, JUMP_KEY_SLOT_PRIMARY, 1)) {
		ctl_terminate(c, s, JUMP_REASON_ADMIN_TERMINATE, false);
		goto out;
	}
	hs_wipe(s->keys.send, sizeof(s->keys.send));
	hs_wipe(s->keys.recv, sizeof(s->keys.recv));
	s->key_id = 1;
	s->fd = p->fd;
	s->local = p->local;
	s->remote = p->src;
	s->deadline_ns = now + c->cfg.policy.birth_timeout_ms * MS;
	ctl_save(c, s);
	len = wire_encode_handshake_resp(buf, &resp);
	hs_seal_resp(buf, s->peer_pub);
	ctl_send(c, p->fd, &p->local, &p->src, buf, len, NULL);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "handshake_init accepted: session born, waiting for handshake_done");
out:
	hs_wipe(&hs, sizeof(hs));
}

static void send_session_ack(struct ctl *c, struct udp_packet *p, struct csession *s)
{
	struct wire_session_mac a = { .session_id = s->id };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_session_mac(buf, JUMP_MSG_HANDSHAKE_ACK, &a);

	ctl_send(c, p->fd, &p->local, &p->src, buf, len, s->keys.ctl);
}

static void handle_done(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	const struct config_peer *peer;
	struct wire_handshake_done m;
	struct jumpd_settings set = { 0 };
	struct jumpd_binding b;
	struct csession *s, *old;
	uint64_t version;
	uint8_t state;
	int err;

	if (wire_decode_handshake_done(p->buf, p->len, &m)) {
		c->garbage++;
		return;
	}
	s = known(c, m.session_id);
	if (!s || !mac_ok(c, p, s->keys.ctl))
		return;
	if (!ctl_kernel(c, s->id, &state, &version))
		return;
	if (state != JUMP_STATE_BIRTH) {
		/* The client missed our ACK: say it again from the bound path. */
		if (udp_same(&p->src, &s->remote))
			send_session_ack(c, p, s);
		return;
	}
	if (!udp_same(&p->src, &s->remote)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_WRONG_PATH, s->peer_pub, &p->src,
				 "handshake_done from another address than the init");
		return;
	}
	peer = config_find_peer(&c->cfg, s->peer_pub);
	if (!peer)
		return;		/* the peer left the config: BirthTimeout ends it */
	/* Key confirmation: now the peer is starting over for real. */
	while ((old = find_by_peer(c, s->peer_pub, s)))
		ctl_terminate(c, old, JUMP_REASON_PEER_TERMINATE, false);
	set.remote_index = m.client_index;
	set.prefixes = peer->prefixes;
	set.nprefixes = peer->nprefixes;
	set.set_prefixes = true;
	err = jumpd_nl_session_settings(&c->d->nl, c->ifindex, s->id, &set);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "setting the client's index and prefixes", err);
		return;
	}
	udp_binding(&b, &p->local, p->local.port, &p->src, 1, p->fd);
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_HANDSHAKE_COMPLETE, &b)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
				 "kernel refused the first binding");
		return;
	}
	s->remote_index = m.client_index;
	s->epoch = 1;
	s->deadline_ns = 0;
	s->keyed_ns = now;
	ctl_save(c, s);
	ctl_add_socket(c, p->fd);
	send_session_ack(c, p, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "handshake_done accepted: session attached");
}

/* Is a switch token there? The bucket refills exactly (ratelimit.c). */
static bool switch_ready(struct ctl *c, struct csession *s, uint64_t now)
{
	const struct config_policy *p = &c->cfg.policy;

	return rl_period_ready(&s->switches, p->max_switches,
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
	if (!switch_ready(c, s, now))
		return JUMP_REJECT_SWITCH_RATE;
	if (s->trouble_ns && now - s->trouble_ns >= (uint64_t)p->recovery_window_ms * MS)
		return JUMP_REJECT_RECOVERY_WINDOW;
	return JUMP_REJECT_NONE;
}

/* The validation of @attempt, or NULL. */
static struct ctl_pending *find_pending(struct csession *s, uint64_t attempt)
{
	int i;

	for (i = 0; i < CTL_MAX_PENDING; i++)
		if (s->pending[i].used && s->pending[i].attempt == attempt)
			return &s->pending[i];
	return NULL;
}

/*
 * A slot for a new attempt: a free one, else the lowest attempt if it is
 * below this one (the client's retries only go up; an older attempt is
 * what it no longer waits for). NULL: every slot holds a newer attempt.
 */
static struct ctl_pending *new_pending(struct csession *s, uint64_t attempt)
{
	struct ctl_pending *low = NULL;
	int i;

	for (i = 0; i < CTL_MAX_PENDING; i++) {
		struct ctl_pending *pp = &s->pending[i];

		if (!pp->used)
			return pp;
		if (!low || pp->attempt < low->attempt)
			low = pp;
	}
	return low->attempt < attempt ? low : NULL;
}

/*
 * The nonce of the challenge to @src for @pp: keyed BLAKE2b-128 over the
 * session, attempt, epoch and source address and port. Only who receives
 * at @src learns it, and no state is kept per source: a copy of a request
 * from elsewhere costs a hash, and answers nothing for the real path.
 */
static void challenge_nonce(struct ctl *c, const struct csession *s,
			    const struct ctl_pending *pp, const struct sockaddr_storage *src,
			    uint8_t nonce[WIRE_NONCE_LEN])
{
	uint64_t id = htobe64(s->id), attempt = htobe64(pp->attempt);
	uint32_t epoch = htobe32(pp->epoch);
	crypto_generichash_state st;
	struct endpoint ep;
	uint8_t head[8 + 8 + 4 + 1 + 2];

	udp_to_endpoint(src, &ep);
	memcpy(head, &id, 8);
	memcpy(head + 8, &attempt, 8);
	memcpy(head + 16, &epoch, 4);
	head[20] = ep.family == AF_INET ? 4 : 6;
	head[21] = (uint8_t)(ep.port >> 8);
	head[22] = (uint8_t)ep.port;
	crypto_generichash_init(&st, c->challenge_secret, sizeof(c->challenge_secret),
				WIRE_NONCE_LEN);
	crypto_generichash_update(&st, head, sizeof(head));
	crypto_generichash_update(&st, (const uint8_t *)&ep.addr,
				  ep.family == AF_INET ? 4 : 16);
	crypto_generichash_final(&st, nonce, WIRE_NONCE_LEN);
}

/* Does @nonce answer the challenge we sent (or would send) to @src? */
static bool nonce_ok(struct ctl *c, const struct csession *s, const struct ctl_pending *pp,
		     const struct sockaddr_storage *src, const uint8_t *nonce)
{
	uint8_t want[WIRE_NONCE_LEN];

	challenge_nonce(c, s, pp, src, want);
	return !sodium_memcmp(want, nonce, WIRE_NONCE_LEN);
}

static void challenge(struct ctl *c, struct udp_packet *p, struct csession *s,
		      const struct ctl_pending *pp)
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
static void challenge_source(struct ctl *c, struct udp_packet *p, struct csession *s,
			     struct ctl_pending *pp, const uint8_t *cookie, uint64_t now)
{
	if (pp->challenges < JUMP_REATTACH_CHALLENGES) {
		pp->challenges++;
		challenge(c, p, s, pp);
	} else if (rl_cookie_ok(&c->rl, (struct sockaddr *)&p->src, now, cookie)) {
		challenge(c, p, s, pp);
	} else {
		send_cookie(c, p, s->id, now);
	}
}

static void send_reattach_ack(struct ctl *c, struct udp_packet *p, struct csession *s,
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
		send_reattach_ack(c, p, s, s->reattach_prev);
}

/* Ownership and the kernel's state, for an authentic request: true if it may go on. */
static bool request_allowed(struct ctl *c, struct udp_packet *p, struct csession *s)
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

static void handle_request(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_request m;
	struct ctl_pending *pp;
	struct csession *s;
	bool old_key;
	int reject;

	if (wire_decode_reattach_request(p->buf, p->len, &m)) {
		c->garbage++;
		return;
	}
	if (c->under_load && !rl_cookie_ok(&c->rl, (struct sockaddr *)&p->src, now, m.cookie)) {
		send_cookie(c, p, m.session_id, now);
		return;
	}
	s = known(c, m.session_id);
	if (!s)
		return;
	/* Authenticate first: the checks after this one cost far more. */
	old_key = !hs_mac_ok(p->buf, p->len, s->keys.reattach);
	if (old_key && !mac_ok(c, p, s->reattach_prev))
		return;
	if (!request_allowed(c, p, s))
		return;
	if (old_key) {
		request_before_ratchet(c, p, s, &m);
		return;
	}
	reject = judge_request(c, s, &m, now);
	if (reject != JUMP_REJECT_NONE) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src, "reattach_request refused");
		send_reject(c, p, s, m.attempt, reject, s->keys.reattach);
		return;
	}
	pp = find_pending(s, m.attempt);
	if (!pp) {
		pp = new_pending(s, m.attempt);
		if (!pp)
			return;		/* older than every attempt in flight */
		memset(pp, 0, sizeof(*pp));
		pp->used = true;
		pp->src = p->src;
		pp->attempt = m.attempt;
		pp->epoch = m.epoch;
		pp->deadline_ns = now + c->cfg.policy.path_timeout_ms * MS;
		ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
				 "reattach_request accepted: challenging the new path");
	}
	challenge_source(c, p, s, pp, m.cookie, now);
}

/* Both CAS steps of a reattach: to RECOVERING, then ATTACHED on the new binding. */
static int commit(struct ctl *c, struct csession *s, const struct ctl_pending *pp,
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
	udp_binding(&b, &p->local, p->local.port, &p->src, pp->epoch, p->fd);
	return ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE, &b);
}

/* The other validations in flight lost: their confirms get a conflict. */
static void supersede_pending(struct csession *s, struct ctl_pending *won)
{
	int i;

	won->used = false;
	for (i = 0; i < CTL_MAX_PENDING; i++)
		s->pending[i].superseded = s->pending[i].used;
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
	struct ctl_pending *pp;

	if (!hs_mac_ok(p->buf, p->len, s->reattach_prev))
		return false;
	if (m->attempt == s->attempt && udp_same(&p->src, &s->remote) &&
	    !sodium_memcmp(m->nonce, s->last_nonce, WIRE_NONCE_LEN)) {
		send_reattach_ack(c, p, s, s->reattach_prev);
		return true;
	}
	pp = find_pending(s, m->attempt);
	if (!pp || !pp->superseded || !nonce_ok(c, s, pp, &p->src, m->nonce))
		return false;
	ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
			 "another reattach committed first: not applied");
	send_reject(c, p, s, m->attempt, JUMP_REJECT_CONFLICT, s->reattach_prev);
	pp->used = false;
	return true;
}

struct ctl_pending *server_validated(struct ctl *c, const struct udp_packet *p,
				     struct csession *s, const struct wire_reattach_nonce *m,
				     int *reject)
{
	struct ctl_pending *pp = find_pending(s, m->attempt);

	*reject = JUMP_REJECT_PATH_VALIDATION;
	if (!pp)
		return NULL;
	/* Not the nonce we sent to this address: a confirm from elsewhere. */
	*reject = JUMP_REJECT_WRONG_PATH;
	if (!nonce_ok(c, s, pp, &p->src, m->nonce))
		return NULL;
	*reject = JUMP_REJECT_NONE;
	return pp;
}

static void handle_confirm(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_reattach_nonce m;
	struct ctl_pending *pp;
	struct csession *s;
	int reject;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REATTACH_CONFIRM, &m)) {
		c->garbage++;
		return;
	}
	s = known(c, m.session_id);
	if (!s)
		return;
	if (!hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		if (!confirm_before_ratchet(c, p, s, &m))
			ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	pp = server_validated(c, p, s, &m, &reject);
	if (!pp) {
		ctl_audit_reject(c, s->id, reject, s->peer_pub, &p->src,
				 reject == JUMP_REJECT_WRONG_PATH ?
				 "reattach_confirm does not answer the challenge sent to its address" :
				 "reattach_confirm for no challenge we sent");
		return;
	}
	/*
	 * The token the request saw may be gone: another validation of the
	 * same interval committed since. Checked again, never overdrawn.
	 */
	if (m.attempt > s->attempt && !switch_ready(c, s, now)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_SWITCH_RATE, s->peer_pub, &p->src,
				 "reattach_confirm: no switch token left: not applied");
		send_reject(c, p, s, m.attempt, JUMP_REJECT_SWITCH_RATE, s->keys.reattach);
		pp->used = false;
		return;
	}
	if (m.attempt <= s->attempt || commit(c, s, pp, p)) {
		ctl_audit_reject(c, s->id, JUMP_REJECT_CONFLICT, s->peer_pub, &p->src,
				 "another change won: not applied");
		send_reject(c, p, s, m.attempt, JUMP_REJECT_CONFLICT, s->keys.reattach);
		pp->used = false;
		return;
	}
	rl_period_take(&s->switches, c->cfg.policy.max_switches,
		       (uint64_t)c->cfg.policy.switch_interval_ms * MS, now);
	memcpy(s->reattach_prev, s->keys.reattach, WIRE_KEY_LEN);
	hs_ratchet(s->keys.reattach);
	memcpy(s->last_nonce, m.nonce, WIRE_NONCE_LEN);
	s->attempt = m.attempt;
	s->epoch = pp->epoch;
	s->fd = p->fd;
	s->local = p->local;
	s->remote = p->src;
	s->trouble_ns = 0;
	supersede_pending(s, pp);
	ctl_save(c, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "path validated: new binding committed");
	send_reattach_ack(c, p, s, s->reattach_prev);
}

static void handle_rekey_init(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_rekey m, r;
	struct csession *s;
	uint8_t next_id;
	size_t len;

	if (wire_decode_rekey(p->buf, p->len, JUMP_MSG_REKEY_INIT, &m)) {
		c->garbage++;
		return;
	}
	s = known(c, m.session_id);
	if (!s || !mac_ok(c, p, s->keys.ctl))
		return;
	if (m.rekey_seq == s->rekey_seq && s->rekeying) {
		ctl_send(c, p->fd, &p->local, &p->src, s->rekey_resp, sizeof(s->rekey_resp), NULL);
		return;
	}
	if (m.rekey_seq <= s->rekey_seq)
		return;
	hs_keypair_generate(&s->rekey_eph);
	s->rekey_keys = s->keys;
	if (hs_rekey(s->keys.chain, s->rekey_eph.priv, m.ephemeral, false, &s->rekey_keys))
		return;
	next_id = (uint8_t)(s->key_id + 1) ? (uint8_t)(s->key_id + 1) : 1;
	/* The new key receives at once; it sends only after the client's DONE. */
	if (ctl_install_keys(c, s, &s->rekey_keys, JUMP_KEY_SLOT_SECONDARY, next_id))
		return;
	s->rekey_seq = m.rekey_seq;
	s->rekeying = true;
	r = (struct wire_rekey){ .session_id = s->id, .rekey_seq = m.rekey_seq };
	memcpy(r.ephemeral, s->rekey_eph.pub, sizeof(r.ephemeral));
	len = wire_encode_rekey(s->rekey_resp, JUMP_MSG_REKEY_RESP, &r);
	hs_mac_seal(s->rekey_resp, len, s->keys.ctl);
	hs_wipe(&s->rekey_eph, sizeof(s->rekey_eph));
	ctl_send(c, p->fd, &p->local, &p->src, s->rekey_resp, len, NULL);
}

static void handle_rekey_done(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_rekey_done m;
	struct csession *s;
	char detail[64];
	int err;

	if (wire_decode_rekey_done(p->buf, p->len, &m)) {
		c->garbage++;
		return;
	}
	s = known(c, m.session_id);
	if (!s)
		return;
	if (!s->rekeying || m.rekey_seq != s->rekey_seq) {
		c->garbage++;	/* a late or repeated DONE: nothing to swap */
		return;
	}
	if (!mac_ok(c, p, s->rekey_keys.ctl))
		return;
	err = jumpd_nl_key_swap(&c->d->nl, c->ifindex, s->id);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "swapping keys", err);
		return;
	}
	hs_wipe(s->rekey_keys.send, sizeof(s->rekey_keys.send));
	hs_wipe(s->rekey_keys.recv, sizeof(s->rekey_keys.recv));
	s->keys = s->rekey_keys;
	hs_wipe(&s->rekey_keys, sizeof(s->rekey_keys));
	s->key_id = (uint8_t)(s->key_id + 1) ? (uint8_t)(s->key_id + 1) : 1;
	s->rekeying = false;
	s->keyed_ns = now;
	ctl_save(c, s);
	snprintf(detail, sizeof(detail), "rekey %u: new data keys, key id %u",
		 s->rekey_seq, s->key_id);
	ctl_audit(c, AUDIT_REKEY, s->id, detail);
}

static void handle_terminate(struct ctl *c, struct udp_packet *p)
{
	struct wire_session_mac m;
	struct csession *s;

	if (wire_decode_session_mac(p->buf, p->len, JUMP_MSG_TERMINATE, &m)) {
		c->garbage++;
		return;
	}
	s = known(c, m.session_id);
	if (!s || !mac_ok(c, p, s->keys.ctl))
		return;
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "terminate from the peer");
	ctl_terminate(c, s, JUMP_REASON_PEER_TERMINATE, false);
}

static bool may_reply(struct ctl *c, enum rl_verdict why, uint64_t now)
{
	return why == RL_DROP_GLOBAL || rl_take_global(&c->rl, now);
}

/*
 * Over a rate limit, a packet still goes on if its source showed that it
 * receives at its address: a valid cookie, the answer to one of our
 * challenges, or the address its session is bound to. Spoofed sources
 * never see theirs, so neither a flood (the global rate) nor a spoofer of
 * the client's address or a neighbour behind its CGNAT address (the
 * per-source rate, keyed by address alone) can silence a real client.
 * A cookie-capable packet without one is answered with the cookie (one
 * keyed hash, no state), so a real client proves itself on its next try:
 * over the global rate always (the source kept to its own rate), over the
 * source's rate only while the global bucket has a token for the reply,
 * so that a spoofer of one address cannot make the server reflect more
 * than GlobalRate cookies a second at it.
 */
static bool proven_source(struct ctl *c, struct udp_packet *p, int type, uint64_t now,
			  enum rl_verdict why)
{
	const struct sockaddr *src = (struct sockaddr *)&p->src;
	struct wire_reattach_request req;
	struct wire_handshake_init init;
	struct wire_reattach_nonce conf;
	uint8_t cookie[WIRE_COOKIE_LEN];
	struct ctl_pending *pp;
	struct csession *s;
	uint64_t id;

	switch (type) {
	case JUMP_MSG_HANDSHAKE_INIT:
		if (wire_decode_handshake_init(p->buf, p->len, &init))
			return false;
		rl_cookie(&c->rl, src, now, cookie);
		if (hs_init_mac2_ok(p->buf, cookie))
			return true;
		if (may_reply(c, why, now))
			send_cookie(c, p, init.hsid, now);
		return false;
	case JUMP_MSG_REATTACH_REQUEST:
		if (wire_decode_reattach_request(p->buf, p->len, &req))
			return false;
		if (rl_cookie_ok(&c->rl, src, now, req.cookie))
			return true;
		s = ctl_find(c, req.session_id);
		if (s && udp_same(&s->remote, &p->src))
			return true;
		if (may_reply(c, why, now))
			send_cookie(c, p, req.session_id, now);
		return false;
	case JUMP_MSG_REATTACH_CONFIRM:
		if (wire_decode_reattach_nonce(p->buf, p->len, type, &conf))
			return false;
		s = ctl_find(c, conf.session_id);
		pp = s ? find_pending(s, conf.attempt) : NULL;
		return pp && nonce_ok(c, s, pp, &p->src, conf.nonce);
	default:
		if (wire_session_id(p->buf, p->len, &id))
			return false;
		s = ctl_find(c, id);
		return s && udp_same(&s->remote, &p->src);
	}
}

/* Before any crypto: the source's and everyone's rate, with the escape above. */
static bool rate_ok(struct ctl *c, struct udp_packet *p, int type, uint64_t now)
{
	enum rl_verdict v = rl_check(&c->rl, (struct sockaddr *)&p->src, now);

	return v == RL_PASS || proven_source(c, p, type, now, v);
}

void server_packet(struct ctl *c, struct udp_packet *p)
{
	uint64_t now = ctl_now();
	int type = wire_type(p->buf, p->len);

	if (type < 0 || type == JUMP_MSG_DATA) {
		c->garbage++;
		return;
	}
	if (!rate_ok(c, p, type, now)) {
		c->limited++;
		return;
	}
	if (!c->under_load && rl_under_load(&c->rl, now)) {
		c->under_load = true;
		ctl_audit(c, AUDIT_COOKIE, 0, "control packets above the cookie threshold: cookies required");
	}
	switch (type) {
	case JUMP_MSG_HANDSHAKE_INIT:
		handle_init(c, p, now);
		break;
	case JUMP_MSG_HANDSHAKE_DONE:
		handle_done(c, p, now);
		break;
	case JUMP_MSG_REATTACH_REQUEST:
		handle_request(c, p, now);
		break;
	case JUMP_MSG_REATTACH_CONFIRM:
		handle_confirm(c, p, now);
		break;
	case JUMP_MSG_REKEY_INIT:
		handle_rekey_init(c, p, now);
		break;
	case JUMP_MSG_REKEY_DONE:
		handle_rekey_done(c, p, now);
		break;
	case JUMP_MSG_TERMINATE:
		handle_terminate(c, p);
		break;
	default:
		c->garbage++;	/* a client's message type, or ours reflected */
		break;
	}
}

void server_timers(struct ctl *c, struct csession *s, uint64_t now)
{
	const struct config_policy *p = &c->cfg.policy;
	int i;

	for (i = 0; i < CTL_MAX_PENDING; i++) {
		struct ctl_pending *pp = &s->pending[i];

		if (pp->used && now >= pp->deadline_ns) {
			pp->used = false;
			if (pp->superseded)
				continue;	/* it lost to the reattach that committed */
			ctl_audit_reject(c, s->id, JUMP_REJECT_PATH_VALIDATION, s->peer_pub,
					 &pp->src, "the new path did not confirm in time: binding kept");
		}
	}
	if (s->deadline_ns && now >= s->deadline_ns) {
		s->deadline_ns = 0;
		ctl_terminate(c, s, JUMP_REASON_BIRTH_TIMEOUT, false);
		return;
	}
	if (s->trouble_ns && now - s->trouble_ns >= (uint64_t)p->recovery_window_ms * MS) {
		ctl_terminate(c, s, JUMP_REASON_RECOVERY_WINDOW_EXCEEDED, true);
		return;
	}
	/* Its keys are not renewed past the lifetime: the client births anew. */
	if (ctl_expired(c, s))
		ctl_terminate(c, s, JUMP_REASON_KEY_EXPIRED, true);
}
