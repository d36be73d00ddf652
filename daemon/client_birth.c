// SPDX-License-Identifier: GPL-2.0
/*
 * The client's birth (Documentation/jumpd.rst, "Birth"): HANDSHAKE_INIT
 * with backoff through the server's endpoints, the kernel session created
 * on the RESP, HANDSHAKE_DONE repeated until the ACK commits the first
 * binding. Reached from client.c only; calls only down, to the core
 * (ctl.h), handshake, wire, genl and uplink.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "client.h"
#include "ctl_audit.h"
#include "log.h"
#include "sync.h"

#define MS	1000000ULL

void client_send_init(struct ctl *c, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_handshake_init m;
	struct hs_keypair self;
	uint8_t buf[WIRE_MAX_LEN];
	static const uint8_t no_cookie[WIRE_COOKIE_LEN];
	size_t len;

	cl->hs_next_ns = now + (uint64_t)cl->hs_backoff_ms * MS;
	cl->hs_backoff_ms = client_next_backoff(c, cl->hs_backoff_ms);
	/*
	 * The last INIT went unanswered (a cookie is an answer): this one goes
	 * to the next endpoint, if there are several, over a path opened anew,
	 * since that endpoint may be of the other family. A late answer to
	 * the last one would be of no use: each INIT starts a new handshake.
	 */
	if (cl->init_sent && !cl->have_cookie && cl->server->nendpoints > 1 && cl->fd >= 0) {
		cl->endpoint = (cl->endpoint + 1) % cl->server->nendpoints;
		client_close_fd(c, &cl->fd);
	}
	if (cl->fd < 0 &&
	    client_open_path(c, &cl->fd, &cl->local, &cl->uplink, &cl->server_addr)) {
		log_info("no usable path to the server yet");
		return;
	}
	memcpy(self.priv, c->cfg.private_key, sizeof(self.priv));
	memcpy(self.pub, c->cfg.public_key, sizeof(self.pub));
	hs_wipe(&cl->hs, sizeof(cl->hs));
	if (hs_initiator_start(&cl->hs, &self, cl->server->pubkey, randombytes_random(),
			       ctl_realtime(), &m)) {
		hs_wipe(&self, sizeof(self));
		return;
	}
	hs_wipe(&self, sizeof(self));
	len = wire_encode_handshake_init(buf, &m);
	hs_seal_init(buf, cl->server->pubkey, cl->have_cookie ? cl->cookie : no_cookie);
	ctl_send(c, cl->fd, &cl->local, &cl->server_addr, buf, len, NULL);
	log_debug("handshake_init sent");
	cl->init_sent = true;
}

void client_start_birth(struct ctl *c, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	cl->hs_active = true;
	cl->init_sent = false;
	cl->hs_backoff_ms = c->cfg.policy.retry_initial_ms;
	cl->hs_next_ns = now;
	cl->have_cookie = false;
}

static int configure(struct ctl *c, struct csession *s, uint32_t server_index)
{
	const struct config_policy *p = &c->cfg.policy;
	const struct config_peer *srv = client_ctl(c)->server;
	struct jumpd_settings set = {
		.remote_index = server_index, .prefixes = srv->prefixes,
		.nprefixes = srv->nprefixes, .set_prefixes = true,
		.keepalive_ms = p->keepalive_ms, .volatile_ms = p->volatile_ms,
		.degraded_ms = p->degraded_ms,
	};
	int err = jumpd_nl_session_settings(&c->d->nl, c->ifindex, s->id, &set);

	if (err)
		jumpd_nl_log_error(&c->d->nl, "configuring the session", err);
	return err;
}

void client_send_done(struct ctl *c, struct csession *s)
{
	struct wire_handshake_done m = {
		.session_id = s->id, .client_index = s->local_index,
	};
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_handshake_done(buf, &m);

	ctl_send(c, client_ctl(c)->fd, &client_ctl(c)->local, &client_ctl(c)->server_addr, buf, len,
		 s->keys.ctl);
}

static struct csession *create(struct ctl *c, uint64_t id, struct hs_keys *keys,
			       uint32_t server_index)
{
	struct jumpd_msg out;
	struct csession *s;
	int err;

	err = jumpd_nl_session_new(&c->d->nl, c->ifindex, JUMP_ROLE_CLIENT, id,
				   client_ctl(c)->server->pubkey, &out);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "creating the session", err);
		return NULL;
	}
	s = ctl_add(c, id, JUMP_ROLE_CLIENT);
	if (!s)
		return NULL;
	memcpy(s->peer_pub, client_ctl(c)->server->pubkey, sizeof(s->peer_pub));
	s->keys = *keys;
	s->unlinkable = c->cfg.policy.unlinkable;
	s->local_index = out.local_index;
	s->remote_index = server_index;
	s->born_ns = out.created_ns;
	s->key_id = 1;
	if (owner_claim(&c->owner, id) || configure(c, s, server_index) ||
	    ctl_install_keys(c, s, keys, JUMP_KEY_SLOT_PRIMARY, 1)) {
		ctl_terminate(c, s, JUMP_REASON_ADMIN_TERMINATE, false);
		return NULL;
	}
	hs_wipe(s->keys.send, sizeof(s->keys.send));
	hs_wipe(s->keys.recv, sizeof(s->keys.recv));
	return s;
}

void client_handshake_resp(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_handshake_resp m;
	struct hs_keys keys;
	uint32_t server_index;
	struct csession *s;
	uint64_t id;

	if (wire_decode_handshake_resp(p->buf, p->len, &m) || !cl->hs_active ||
	    m.hsid != cl->hs.hsid || !hs_resp_mac1_ok(p->buf, c->cfg.public_key))
		return;
	if (hs_initiator_finish(&cl->hs, &m, &id, &server_index, &keys)) {
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	cl->hs_active = false;
	s = create(c, id, &keys, server_index);
	hs_wipe(&keys, sizeof(keys));
	if (!s) {
		client_start_birth(c, now);
		return;
	}
	s->fd = cl->fd;
	s->local = cl->local;
	s->remote = cl->server_addr;
	s->deadline_ns = now + c->cfg.policy.birth_timeout_ms * MS;
	cl->birth = s;
	cl->hs_backoff_ms = c->cfg.policy.retry_initial_ms;
	cl->hs_next_ns = now + (uint64_t)cl->hs_backoff_ms * MS;
	ctl_save(c, s);
	client_send_done(c, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "handshake_resp accepted: session created, sending handshake_done");
}

void client_handshake_ack(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_session_mac m;
	struct jumpd_binding b;
	struct csession *s = cl->birth;

	if (wire_decode_session_mac(p->buf, p->len, JUMP_MSG_HANDSHAKE_ACK, &m) || !s ||
	    m.session_id != s->id || !hs_mac_ok(p->buf, p->len, s->keys.ctl))
		return;
	udp_binding(&b, &cl->local, udp_local_port(cl->fd), &cl->server_addr, 1, cl->fd);
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_HANDSHAKE_COMPLETE, &b))
		return;
	cl->birth = NULL;
	client_bound_endpoint(c);
	s->epoch = 1;
	s->deadline_ns = 0;
	s->keyed_ns = now;
	s->local.port = b.local_port;
	cl->rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
	ctl_save(c, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "handshake_ack: session attached");
}

