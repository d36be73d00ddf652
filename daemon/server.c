// SPDX-License-Identifier: GPL-2.0
/*
 * The server role (Documentation/protocol.rst): births, rekeys and
 * terminations, the dispatch of every packet, its timers, and its ops for
 * the core (server_role). Births are in server_birth.c, reattaches in
 * server_reattach.c.
 *
 * Every packet meets the cheapest checks first: its source's and the global
 * rate (rate_ok(), before anything else), its shape, the cookie under load, the
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

#include "ctl_audit.h"
#include "server.h"
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
struct csession *server_known(struct ctl *c, uint64_t id)
{
	struct csession *s = ctl_find(c, id);

	if (!s)
		ctl_count_unauthenticated(c, JUMP_REJECT_UNKNOWN_SESSION);
	return s;
}

bool server_mac_ok(struct ctl *c, const struct udp_packet *p, const uint8_t *key)
{
	if (hs_mac_ok(p->buf, p->len, key))
		return true;
	ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
	return false;
}

void server_send_cookie(struct ctl *c, struct udp_packet *p, uint64_t ref, uint64_t now)
{
	struct wire_cookie_reply r = { .ref = ref };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	rl_cookie(&server_ctl(c)->rl, (struct sockaddr *)&p->src, now, r.cookie);
	len = wire_encode_cookie_reply(buf, &r);
	ctl_send(c, p->fd, &p->local, &p->src, buf, len, NULL);
}

static void handle_rekey_init(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_rekey m, r;
	struct csession *s;
	uint8_t next_id;
	uint8_t *resp;
	size_t len;

	if (wire_decode_rekey(p->buf, p->len, JUMP_MSG_REKEY_INIT, &m)) {
		c->garbage++;
		return;
	}
	s = server_known(c, m.session_id);
	if (!s || !server_mac_ok(c, p, s->keys.ctl))
		return;
	resp = server_session(s)->rekey_resp;
	if (m.rekey_seq == s->rekey_seq && s->rekeying) {
		ctl_send(c, p->fd, &p->local, &p->src, resp, WIRE_REKEY_RESP_LEN, NULL);
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
	len = wire_encode_rekey(resp, JUMP_MSG_REKEY_RESP, &r);
	hs_mac_seal(resp, len, s->keys.ctl);
	hs_wipe(&s->rekey_eph, sizeof(s->rekey_eph));
	ctl_send(c, p->fd, &p->local, &p->src, resp, len, NULL);
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
	s = server_known(c, m.session_id);
	if (!s)
		return;
	if (!s->rekeying || m.rekey_seq != s->rekey_seq) {
		c->garbage++;	/* a late or repeated DONE: nothing to swap */
		return;
	}
	if (!server_mac_ok(c, p, s->rekey_keys.ctl))
		return;
	ctl_audit_sync(c);
	err = jumpd_nl_key_swap(&c->d->nl, c->ifindex, s->id);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "swapping keys", err);
		return;
	}
	/* Failover seals them (ClusterKeyFile): kept then, else the kernel's alone. */
	if (!owner_sealing(&c->owner)) {
		hs_wipe(s->rekey_keys.send, sizeof(s->rekey_keys.send));
		hs_wipe(s->rekey_keys.recv, sizeof(s->rekey_keys.recv));
	}
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
	s = server_known(c, m.session_id);
	if (!s || !server_mac_ok(c, p, s->keys.ctl))
		return;
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "terminate from the peer");
	ctl_terminate(c, s, JUMP_REASON_PEER_TERMINATE, false);
}

static bool may_reply(struct ctl *c, enum rl_verdict why, uint64_t now)
{
	return why == RL_DROP_GLOBAL || rl_take_global(&server_ctl(c)->rl, now);
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
	struct server_pending *pp;
	struct csession *s;
	uint64_t id;

	switch (type) {
	case JUMP_MSG_HANDSHAKE_INIT:
		if (wire_decode_handshake_init(p->buf, p->len, &init))
			return false;
		rl_cookie(&server_ctl(c)->rl, src, now, cookie);
		if (hs_init_mac2_ok(p->buf, cookie))
			return true;
		if (may_reply(c, why, now))
			server_send_cookie(c, p, init.hsid, now);
		return false;
	case JUMP_MSG_REATTACH_REQUEST:
		if (wire_decode_reattach_request(p->buf, p->len, &req))
			return false;
		if (rl_cookie_ok(&server_ctl(c)->rl, src, now, req.cookie))
			return true;
		s = ctl_find(c, req.session_id);
		if (s && udp_same(&s->remote, &p->src))
			return true;
		if (may_reply(c, why, now))
			server_send_cookie(c, p, req.session_id, now);
		return false;
	case JUMP_MSG_REBIND_CONFIRM:
		return server_rebind_proven(c, p, now);
	case JUMP_MSG_REATTACH_CONFIRM:
		if (wire_decode_reattach_nonce(p->buf, p->len, type, &conf))
			return false;
		s = ctl_find(c, conf.session_id);
		pp = s ? server_find_pending(s, conf.attempt) : NULL;
		return pp && server_nonce_ok(c, s, pp, &p->src, conf.nonce);
	default:
		if (wire_session_id(p->buf, p->len, &id))
			return false;
		s = ctl_find(c, id);
		return s && (udp_same(&s->remote, &p->src) || server_standby_from(s, &p->src));
	}
}

/* Before any crypto: the source's and everyone's rate, with the escape above. */
static bool rate_ok(struct ctl *c, struct udp_packet *p, int type, uint64_t now)
{
	enum rl_verdict v = rl_check(&server_ctl(c)->rl, (struct sockaddr *)&p->src, now);

	return v == RL_PASS || proven_source(c, p, type, now, v);
}

void server_packet(struct ctl *c, struct udp_packet *p)
{
	struct server_ctl *sc = server_ctl(c);
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
	if (!sc->under_load && rl_under_load(&sc->rl, now)) {
		sc->under_load = true;
		ctl_audit(c, AUDIT_COOKIE, 0, "control packets above the cookie threshold: cookies required");
	}
	switch (type) {
	case JUMP_MSG_HANDSHAKE_INIT:
		server_handshake_init(c, p, now);
		break;
	case JUMP_MSG_HANDSHAKE_DONE:
		server_handshake_done(c, p, now);
		break;
	case JUMP_MSG_REATTACH_REQUEST:
		server_reattach_request(c, p, now);
		break;
	case JUMP_MSG_REATTACH_CONFIRM:
		server_reattach_confirm(c, p, now);
		break;
	case JUMP_MSG_REBIND_CONFIRM:
		server_rebind_confirm(c, p, now);
		break;
	case JUMP_MSG_STANDBY_REQUEST:
		server_standby_request(c, p, now);
		break;
	case JUMP_MSG_STANDBY_KEEPALIVE:
		server_standby_keepalive(c, p);
		break;
	case JUMP_MSG_STANDBY_PROMOTE:
		server_standby_promote(c, p, now);
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

/*
 * For the order of a batch (ctl_read.c), no crypto: a packet naming a
 * session from the address it is bound to, or a confirm from a path being
 * validated (the answer to our challenge). A spoofer of those addresses
 * gets ahead in the batch, and then meets the MAC like everyone else.
 * Requests are not: a path being validated may send several, and their
 * order among themselves must stay.
 */
static bool server_proven(struct ctl *c, const struct udp_packet *p)
{
	struct server_pending *pending;
	struct csession *s;
	uint64_t id;
	int i;

	if (wire_session_id(p->buf, p->len, &id))
		return false;
	s = ctl_find(c, id);
	if (!s)
		return false;
	if (udp_same(&s->remote, &p->src))
		return true;
	if (wire_type(p->buf, p->len) != JUMP_MSG_REATTACH_CONFIRM)
		return false;
	pending = server_session(s)->pending;
	for (i = 0; i < SERVER_MAX_PENDING; i++)
		if (pending[i].used && udp_same(&pending[i].src, &p->src))
			return true;
	return false;
}

static void session_timers(struct ctl *c, struct csession *s, uint64_t now)
{
	const struct config_policy *p = &c->cfg.policy;
	struct server_session *ss = server_session(s);
	int i;

	for (i = 0; i < SERVER_MAX_PENDING; i++) {
		struct server_pending *pp = &ss->pending[i];

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

static void server_timers(struct ctl *c, uint64_t now)
{
	struct server_ctl *sc = server_ctl(c);
	struct csession *s, *next;
	size_t i;

	if (sc->under_load && !rl_under_load(&sc->rl, now)) {
		sc->under_load = false;
		ctl_audit(c, AUDIT_COOKIE, 0, "load is back under the cookie threshold: cookies off");
	}
	ctl_for_each_session_safe(c, i, s, next)
		session_timers(c, s, now);
}

/* The nearest path validation deadline (births are the core's deadline_ns). */
static uint64_t server_next_deadline(struct ctl *c, uint64_t next)
{
	struct server_session *ss;
	struct csession *s;
	size_t i;
	int k;

	ctl_for_each_session(c, i, s) {
		ss = server_session(s);
		for (k = 0; k < SERVER_MAX_PENDING; k++)
			if (ss->pending[k].used && ss->pending[k].deadline_ns < next)
				next = ss->pending[k].deadline_ns;
	}
	return next;
}

#define RL_SLOTS	4096

static int server_init(struct ctl *c)
{
	struct server_ctl *sc = server_ctl(c);
	const struct config_policy *p = &c->cfg.policy;

	randombytes_buf(sc->challenge_secret, sizeof(sc->challenge_secret));
	return rl_init(&sc->rl, p->source_rate, p->source_burst, p->global_rate,
		       p->global_burst, p->cookie_threshold, RL_SLOTS, ctl_now());
}

static int open_listeners(struct ctl *c)
{
	static const int families[] = { AF_INET, AF_INET6 };
	unsigned int i;
	int fd;

	for (i = 0; i < 2; i++) {
		fd = udp_listen(families[i], c->cfg.listen_port);
		if (fd < 0 && errno == EADDRINUSE) {
			/* The kernel still holds it from before a restart: adopted later. */
			log_info("port %u (%s) is held: taking it back from the kernel",
				 c->cfg.listen_port, families[i] == AF_INET ? "IPv4" : "IPv6");
			continue;
		}
		if (fd < 0) {
			if (families[i] == AF_INET6 && errno == EAFNOSUPPORT)
				continue;
			log_err("listening on port %u: %s", c->cfg.listen_port, strerror(errno));
			return -1;
		}
		if (ctl_add_socket(c, fd))
			return -1;
	}
	return 0;
}

static int server_start(struct ctl *c)
{
	return open_listeners(c);
}

static void server_stop(struct ctl *c)
{
	rl_free(&server_ctl(c)->rl);
}

/* The reloaded rates apply at once; the buckets keep their tokens. */
static void server_reloaded(struct ctl *c)
{
	const struct config_policy *p = &c->cfg.policy;

	rl_set_rates(&server_ctl(c)->rl, p->source_rate, p->source_burst, p->global_rate,
		     p->global_burst, p->cookie_threshold);
}

const struct ctl_role_ops server_role = {
	.name = "server",
	.priv = sizeof(struct server_ctl),
	.session_priv = sizeof(struct server_session),
	.init = server_init,
	.start = server_start,
	.stop = server_stop,
	.reloaded = server_reloaded,
	.packet = server_packet,
	.proven = server_proven,
	.timers = server_timers,
	.next_deadline = server_next_deadline,
	.on_report = server_on_report,
};
