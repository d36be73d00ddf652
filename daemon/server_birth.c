// SPDX-License-Identifier: GPL-2.0
/*
 * The server's births (Documentation/jumpd.rst, "Birth"): a HANDSHAKE_INIT
 * opened and admitted creates the kernel session, installs its keys and
 * answers HANDSHAKE_RESP; the HANDSHAKE_DONE from the same path (key
 * confirmation) ends the peer's previous session and commits the first
 * binding. Reached from server_packet() only; calls only down, to the core
 * (ctl.h), handshake, wire, genl and the state directory.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "ctl_audit.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "sync.h"

#define MS	1000000ULL

static const struct hs_keypair *server_static(struct ctl *c, struct hs_keypair *kp)
{
	memcpy(kp->priv, c->cfg.private_key, sizeof(kp->priv));
	memcpy(kp->pub, c->cfg.public_key, sizeof(kp->pub));
	return kp;
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
	if (server_ctl(c)->under_load) {
		uint8_t cookie[WIRE_COOKIE_LEN];

		rl_cookie(&server_ctl(c)->rl, (struct sockaddr *)&p->src, now, cookie);
		if (!hs_init_mac2_ok(p->buf, cookie)) {
			server_send_cookie(c, p, m.hsid, now);
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

/*
 * The kernel's session. A cluster node with failover draws its receiver
 * index at random (a session taken over keeps its index, which then is
 * rarely in use on the node taking it); a single node lets the kernel
 * hand out the next.
 */
static int create(struct ctl *c, const struct config_peer *peer, struct jumpd_msg *out)
{
	struct jumpd_takeover to = { 0 };
	int err = -EEXIST, tries;

	if (!owner_sealing(&c->owner))
		return jumpd_nl_session_new(&c->d->nl, c->ifindex, JUMP_ROLE_SERVER, 0,
					    peer->pubkey, out);
	for (tries = 0; tries < 8 && err == -EEXIST; tries++) {
		to.index = randombytes_uniform(JUMP_MAX_SESSIONS) + 1;
		err = jumpd_nl_session_takeover(&c->d->nl, c->ifindex, &to, peer->pubkey, out);
	}
	return err;
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
	ctl_audit_sync(c);
	err = create(c, peer, &out);
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

void server_handshake_init(struct ctl *c, struct udp_packet *p, uint64_t now)
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
	/* Failover seals them (ClusterKeyFile): kept then, else the kernel's alone. */
	if (!owner_sealing(&c->owner)) {
		hs_wipe(s->keys.send, sizeof(s->keys.send));
		hs_wipe(s->keys.recv, sizeof(s->keys.recv));
	}
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

void server_handshake_done(struct ctl *c, struct udp_packet *p, uint64_t now)
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
	s = server_known(c, m.session_id);
	if (!s || !server_mac_ok(c, p, s->keys.ctl))
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

