// SPDX-License-Identifier: GPL-2.0
/*
 * The client's side of the control protocol: it births its one session with
 * the server, keeps it keyed, and moves it to another path when its own
 * goes (the kernel says DEGRADED, or rtnetlink says the uplink is gone),
 * when a preferred uplink comes back or when an administrator asks for it
 * (jumpctl session reattach): planned, make-before-break switches, the old
 * binding carrying traffic until the new one commits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "ctl.h"
#include "jump_names.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define MS	1000000ULL

static struct csession *the_session(struct ctl *c)
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next)
			if (s != c->client.birth)
				return s;
	return NULL;
}

static void close_fd(struct ctl *c, int *fd)
{
	if (*fd < 0)
		return;
	ctl_drop_socket(c, *fd);
	close(*fd);
	*fd = -1;
}

static uint32_t next_backoff(struct ctl *c, uint32_t ms)
{
	uint32_t max = c->cfg.policy.retry_max_ms;

	return ms >= max / 2 ? max : ms * 2;
}

/*
 * A socket on the best usable uplink (or, with none configured, on the
 * address the routing table picks): 0 with @fd, @local, @uplink, or -1.
 */
static int open_path(struct ctl *c, int *fd, struct endpoint *local, int *uplink)
{
	struct ctl_client *cl = &c->client;
	struct endpoint server;
	struct config_uplink any = { .ifname = "" };
	int i;

	udp_to_endpoint(&cl->server_addr, &server);
	if (c->cfg.nuplinks) {
		i = uplink_best(c->cfg.uplinks, c->cfg.nuplinks, &server, local);
		if (i < 0)
			return -1;
		*fd = uplink_socket(&c->cfg.uplinks[i], local, c->cfg.listen_port);
		*uplink = i;
	} else {
		/* No uplinks configured: wherever the routing table says. */
		if (uplink_probe(&any, &server, local))
			return -1;
		*fd = uplink_socket(&any, local, c->cfg.listen_port);
		*uplink = -1;
	}
	if (*fd < 0) {
		log_warn("opening a socket for the path to the server: %s", strerror(errno));
		return -1;
	}
	ctl_add_socket(c, *fd);
	return 0;
}

static void pick_endpoint(struct ctl *c)
{
	struct ctl_client *cl = &c->client;

	udp_to_sockaddr(&cl->server->endpoints[cl->endpoint], &cl->server_addr);
}

static void send_init(struct ctl *c, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct wire_handshake_init m;
	struct hs_keypair self;
	uint8_t buf[WIRE_MAX_LEN];
	static const uint8_t no_cookie[WIRE_COOKIE_LEN];
	size_t len;

	cl->hs_next_ns = now + (uint64_t)cl->hs_backoff_ms * MS;
	cl->hs_backoff_ms = next_backoff(c, cl->hs_backoff_ms);
	if (cl->fd < 0 && open_path(c, &cl->fd, &cl->local, &cl->uplink)) {
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
	/* The next try goes to the next endpoint, if there are several. */
	cl->endpoint = (cl->endpoint + 1) % cl->server->nendpoints;
}

static void start_birth(struct ctl *c, uint64_t now)
{
	struct ctl_client *cl = &c->client;

	cl->hs_active = true;
	cl->hs_backoff_ms = c->cfg.policy.retry_initial_ms;
	cl->hs_next_ns = now;
	cl->have_cookie = false;
}

static int configure(struct ctl *c, struct csession *s, uint32_t server_index)
{
	const struct config_policy *p = &c->cfg.policy;
	const struct config_peer *srv = c->client.server;
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

static void send_done(struct ctl *c, struct csession *s)
{
	struct wire_handshake_done m = {
		.session_id = s->id, .client_index = s->local_index,
	};
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_handshake_done(buf, &m);

	ctl_send(c, c->client.fd, &c->client.local, &c->client.server_addr, buf, len,
		 s->keys.ctl);
}

static struct csession *create(struct ctl *c, uint64_t id, struct hs_keys *keys,
			       uint32_t server_index)
{
	struct jumpd_msg out;
	struct csession *s;
	int err;

	err = jumpd_nl_session_new(&c->d->nl, c->ifindex, JUMP_ROLE_CLIENT, id,
				   c->client.server->pubkey, &out);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "creating the session", err);
		return NULL;
	}
	s = ctl_add(c, id, JUMP_ROLE_CLIENT);
	if (!s)
		return NULL;
	memcpy(s->peer_pub, c->client.server->pubkey, sizeof(s->peer_pub));
	s->keys = *keys;
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

static void handle_resp(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct ctl_client *cl = &c->client;
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
		start_birth(c, now);
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
	send_done(c, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src,
			 "handshake_resp accepted: session created, sending handshake_done");
}

static void handle_ack(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct ctl_client *cl = &c->client;
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
	s->epoch = 1;
	s->deadline_ns = 0;
	s->keyed_ns = now;
	s->local.port = b.local_port;
	cl->rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
	ctl_save(c, s);
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "handshake_ack: session attached");
}

static void send_request(struct ctl *c, struct csession *s, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct wire_reattach_request m = { .session_id = s->id };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	cl->retry_ns = now + (uint64_t)cl->backoff_ms * MS;
	cl->backoff_ms = next_backoff(c, cl->backoff_ms);
	if (cl->new_fd < 0 &&
	    open_path(c, &cl->new_fd, &cl->new_local, &cl->new_uplink)) {
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
	ctl_send(c, cl->new_fd, &cl->new_local, &cl->server_addr, buf, len, s->keys.reattach);
	log_info("session %016" PRIx64 ": reattach_request %" PRIu64 " sent", s->id, s->attempt);
}

static bool same_path(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

static void start_reattach(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	uint64_t version;
	uint8_t state;

	if (cl->reattaching || !ctl_kernel(c, s->id, &state, &version))
		return;
	cl->new_fd = -1;
	if (open_path(c, &cl->new_fd, &cl->new_local, &cl->new_uplink) == 0 &&
	    cl->new_uplink == cl->uplink && same_path(&cl->new_local, &cl->local)) {
		/* The same path (a NAT rebinding): keep the bound socket. */
		close_fd(c, &cl->new_fd);
		cl->new_fd = cl->fd;
		cl->new_local = cl->local;
	}
	if (state != JUMP_STATE_RECOVERING &&
	    ctl_transition(c, s, JUMP_STATE_RECOVERING, reason, NULL))
		return;
	if (!s->trouble_ns)
		s->trouble_ns = now;
	cl->reattaching = true;
	cl->first_attempt = s->attempt + 1;
	cl->have_cookie = false;
	cl->backoff_ms = c->cfg.policy.retry_initial_ms;
	send_request(c, s, now);
}

/*
 * An answer to any attempt of the reattach in progress counts: a retry may
 * leave before the answer to the previous one arrives (a slow path, or a
 * server under load), and the server commits whichever attempt confirmed.
 */
static bool this_reattach(const struct ctl_client *cl, const struct csession *s,
			  uint64_t attempt)
{
	return cl->reattaching && attempt >= cl->first_attempt && attempt <= s->attempt;
}

static void handle_challenge(struct ctl *c, struct udp_packet *p)
{
	struct ctl_client *cl = &c->client;
	struct wire_reattach_nonce m;
	uint8_t buf[WIRE_MAX_LEN];
	struct csession *s;
	size_t len;

	if (wire_decode_reattach_nonce(p->buf, p->len, JUMP_MSG_REATTACH_CHALLENGE, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || !this_reattach(cl, s, m.attempt) ||
	    !hs_mac_ok(p->buf, p->len, s->keys.reattach)) {
		log_debug("reattach_challenge for attempt %" PRIu64 " ignored (ours: %" PRIu64 ")",
			  m.attempt, s ? s->attempt : 0);
		return;
	}
	log_debug("reattach_challenge %" PRIu64 ": confirming from the new path", m.attempt);
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &m);
	ctl_send(c, p->fd, &cl->new_local, &cl->server_addr, buf, len, s->keys.reattach);
}

static void handle_reattach_ack(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct wire_reattach_ack m;
	struct jumpd_binding b;
	struct csession *s;
	char detail[96];

	if (wire_decode_reattach_ack(p->buf, p->len, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || !this_reattach(cl, s, m.attempt) ||
	    !hs_mac_ok(p->buf, p->len, s->keys.reattach))
		return;
	udp_binding(&b, &cl->new_local, udp_local_port(cl->new_fd), &cl->server_addr,
		    m.epoch, cl->new_fd);
	if (ctl_transition(c, s, JUMP_STATE_ATTACHED, JUMP_REASON_REATTACH_COMPLETE, &b))
		return;
	hs_ratchet(s->keys.reattach);
	s->epoch = m.epoch;
	if (cl->new_fd != cl->fd)
		close_fd(c, &cl->fd);
	cl->fd = cl->new_fd;
	cl->local = cl->new_local;
	cl->uplink = cl->new_uplink;
	cl->new_fd = -1;
	cl->reattaching = false;
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

static void restart(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now)
{
	struct ctl_client *cl = &c->client;

	ctl_terminate(c, s, reason, false);
	if (cl->new_fd != cl->fd)
		close_fd(c, &cl->new_fd);
	cl->new_fd = -1;
	cl->reattaching = false;
	close_fd(c, &cl->fd);
	start_birth(c, now);
}

static void handle_reject(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct wire_reattach_reject m;
	struct csession *s;

	if (wire_decode_reattach_reject(p->buf, p->len, &m))
		return;
	s = ctl_find(c, m.session_id);
	/* An unauthenticated reject could come from anyone: ignored. */
	if (!s || !hs_mac_ok(p->buf, p->len, s->keys.reattach))
		return;
	ctl_audit_reject(c, s->id, m.reason, s->peer_pub, &p->src,
			 "the server refused our reattach_request");
	if (m.reason == JUMP_REJECT_RECOVERY_WINDOW ||
	    m.reason == JUMP_REJECT_SESSION_TERMINATED)
		restart(c, s, JUMP_REASON_RECOVERY_WINDOW_EXCEEDED, now);
	else if (m.reason == JUMP_REJECT_SWITCH_RATE)
		cl->backoff_ms = c->cfg.policy.retry_max_ms;
}

static void handle_cookie(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct wire_cookie_reply m;
	struct csession *s;

	if (wire_decode_cookie_reply(p->buf, p->len, &m) ||
	    !udp_same(&p->src, &cl->server_addr))
		return;
	memcpy(cl->cookie, m.cookie, sizeof(cl->cookie));
	cl->have_cookie = true;
	log_debug("cookie_reply: the server is under load, retrying with its cookie");
	s = the_session(c);
	if (cl->reattaching && s && m.ref == s->id)
		send_request(c, s, now);
	else if (cl->hs_active && m.ref == cl->hs.hsid)
		send_init(c, now);
}

static void send_rekey_init(struct ctl *c, struct csession *s)
{
	struct wire_rekey m = { .session_id = s->id, .rekey_seq = s->rekey_seq };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	memcpy(m.ephemeral, s->rekey_eph.pub, sizeof(m.ephemeral));
	len = wire_encode_rekey(buf, JUMP_MSG_REKEY_INIT, &m);
	ctl_send(c, c->client.fd, &c->client.local, &c->client.server_addr, buf, len,
		 s->keys.ctl);
}

static void start_rekey(struct ctl *c, struct csession *s, uint64_t now)
{
	if (!s->rekeying) {
		hs_keypair_generate(&s->rekey_eph);
		s->rekey_seq++;
		s->rekeying = true;
		ctl_save(c, s);
	}
	/* Until the RESP comes, the same INIT again: same ephemeral, same seq. */
	c->client.rekey_next_ns = now + (uint64_t)c->cfg.policy.retry_max_ms * MS;
	send_rekey_init(c, s);
}

static void send_rekey_done(struct ctl *c, struct csession *s)
{
	struct wire_rekey_done d = { .session_id = s->id, .rekey_seq = s->rekey_seq };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_rekey_done(buf, &d);

	ctl_send(c, c->client.fd, &c->client.local, &c->client.server_addr, buf, len,
		 s->keys.ctl);
}

static void handle_rekey_resp(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_rekey m;
	struct hs_keys next;
	struct csession *s;
	uint8_t next_id;
	char detail[64];

	if (wire_decode_rekey(p->buf, p->len, JUMP_MSG_REKEY_RESP, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s || m.rekey_seq != s->rekey_seq)
		return;
	if (!s->rekeying) {
		/* Our DONE was lost: the server answers the INIT again. */
		if (hs_mac_ok(p->buf, p->len, s->ctl_prev))
			send_rekey_done(c, s);
		return;
	}
	if (!hs_mac_ok(p->buf, p->len, s->keys.ctl))
		return;
	next = s->keys;
	if (hs_rekey(s->keys.chain, s->rekey_eph.priv, m.ephemeral, true, &next))
		return;
	next_id = (uint8_t)(s->key_id + 1) ? (uint8_t)(s->key_id + 1) : 1;
	/* Receive on the new key first, then send on it: nothing is lost. */
	if (ctl_install_keys(c, s, &next, JUMP_KEY_SLOT_SECONDARY, next_id) ||
	    jumpd_nl_key_swap(&c->d->nl, c->ifindex, s->id)) {
		hs_wipe(&next, sizeof(next));
		return;
	}
	memcpy(s->ctl_prev, s->keys.ctl, WIRE_KEY_LEN);
	hs_wipe(next.send, sizeof(next.send));
	hs_wipe(next.recv, sizeof(next.recv));
	s->keys = next;
	hs_wipe(&next, sizeof(next));
	hs_wipe(&s->rekey_eph, sizeof(s->rekey_eph));
	s->key_id = next_id;
	s->rekeying = false;
	s->keyed_ns = now;
	ctl_save(c, s);
	send_rekey_done(c, s);
	c->client.rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
	snprintf(detail, sizeof(detail), "rekey %u: new data keys, key id %u",
		 s->rekey_seq, s->key_id);
	ctl_audit(c, AUDIT_REKEY, s->id, detail);
}

static void handle_terminate(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct wire_session_mac m;
	struct csession *s;

	if (wire_decode_session_mac(p->buf, p->len, JUMP_MSG_TERMINATE, &m))
		return;
	s = ctl_find(c, m.session_id);
	if (!s)
		return;
	if (!hs_mac_ok(p->buf, p->len, s->keys.ctl)) {
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "terminate from the server");
	restart(c, s, JUMP_REASON_PEER_TERMINATE, now);
}

void client_packet(struct ctl *c, struct udp_packet *p)
{
	uint64_t now = ctl_now();

	/* Only the server talks to a client. */
	if (!udp_same(&p->src, &c->client.server_addr))
		return;
	switch (wire_type(p->buf, p->len)) {
	case JUMP_MSG_HANDSHAKE_RESP:
		handle_resp(c, p, now);
		break;
	case JUMP_MSG_HANDSHAKE_ACK:
		handle_ack(c, p, now);
		break;
	case JUMP_MSG_COOKIE_REPLY:
		handle_cookie(c, p, now);
		break;
	case JUMP_MSG_REATTACH_CHALLENGE:
		handle_challenge(c, p);
		break;
	case JUMP_MSG_REATTACH_ACK:
		handle_reattach_ack(c, p, now);
		break;
	case JUMP_MSG_REATTACH_REJECT:
		handle_reject(c, p, now);
		break;
	case JUMP_MSG_REKEY_RESP:
		handle_rekey_resp(c, p, now);
		break;
	case JUMP_MSG_TERMINATE:
		handle_terminate(c, p, now);
		break;
	default:
		break;
	}
}

static bool window_closed(struct ctl *c, struct csession *s, uint64_t now)
{
	return s->trouble_ns &&
	       now - s->trouble_ns >= (uint64_t)c->cfg.policy.recovery_window_ms * MS;
}

void client_timers(struct ctl *c, uint64_t now)
{
	struct ctl_client *cl = &c->client;
	struct csession *s;

	if (cl->hs_active && now >= cl->hs_next_ns)
		send_init(c, now);
	s = cl->birth;
	if (s && now >= s->deadline_ns) {
		restart(c, s, JUMP_REASON_BIRTH_TIMEOUT, now);
	} else if (s && now >= cl->hs_next_ns) {
		cl->hs_next_ns = now + (uint64_t)cl->hs_backoff_ms * MS;
		cl->hs_backoff_ms = next_backoff(c, cl->hs_backoff_ms);
		send_done(c, s);
	}
	s = the_session(c);
	if (!s)
		return;
	if (window_closed(c, s, now)) {
		log_info("session %016" PRIx64 ": recovery window closed", s->id);
		restart(c, s, JUMP_REASON_RECOVERY_WINDOW_EXCEEDED, now);
		return;
	}
	if (ctl_expired(c, s)) {
		log_info("session %016" PRIx64 ": SessionLifetime reached", s->id);
		restart(c, s, JUMP_REASON_KEY_EXPIRED, now);
		return;
	}
	if (cl->reattaching && now >= cl->retry_ns)
		send_request(c, s, now);
	if (!cl->reattaching && cl->rekey_next_ns && now >= cl->rekey_next_ns)
		start_rekey(c, s, now);
}

void client_on_session(struct ctl *c, struct csession *s, const struct jumpd_msg *m)
{
	if (s == c->client.birth)
		return;
	if (m->state == JUMP_STATE_DEGRADED)
		start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, ctl_now());
	/*
	 * jumpctl session reattach: someone else moved it to RECOVERING (jumpd
	 * never uses admin_reattach), so only the reattach itself is ours.
	 */
	else if (m->state == JUMP_STATE_RECOVERING && JUMPD_HAS(m, JUMP_A_REASON) &&
		 m->reason == JUMP_REASON_ADMIN_REATTACH)
		start_reattach(c, s, JUMP_REASON_ADMIN_REATTACH, ctl_now());
}

void client_on_report(struct ctl *c, struct csession *s, const struct jumpd_msg *m)
{
	if (m->cmd == JUMP_CMD_KEY_EXPIRING && !c->client.reattaching)
		start_rekey(c, s, ctl_now());
}

/* Is the bound uplink still usable, and is a preferred one back? */
void client_links_changed(struct ctl *c)
{
	struct ctl_client *cl = &c->client;
	struct csession *s = the_session(c);
	struct endpoint server, local;
	uint64_t version, now = ctl_now();
	uint8_t state;
	int best;

	if (!c->cfg.nuplinks || !s || cl->reattaching || !ctl_kernel(c, s->id, &state, &version))
		return;
	udp_to_endpoint(&cl->server_addr, &server);
	best = uplink_best(c->cfg.uplinks, c->cfg.nuplinks, &server, &local);
	if (best < 0)
		return;		/* nowhere to go: the liveness timers take over */
	if (cl->uplink < 0 || uplink_probe(&c->cfg.uplinks[cl->uplink], &server, &local)) {
		log_info("session %016" PRIx64 ": uplink %s is gone", s->id,
			 cl->uplink < 0 ? "?" : c->cfg.uplinks[cl->uplink].ifname);
		if (state == JUMP_STATE_ATTACHED)
			ctl_transition(c, s, JUMP_STATE_VOLATILE, JUMP_REASON_LINK_DOWN, NULL);
		start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
	} else if (best < cl->uplink && state == JUMP_STATE_ATTACHED) {
		log_info("session %016" PRIx64 ": preferred uplink back: planned switch", s->id);
		start_reattach(c, s, JUMP_REASON_PLANNED_SWITCH, now);
	}
}

/* Which uplink the adopted binding is on, for the link logic. */
static void find_uplink(struct ctl *c)
{
	struct ctl_client *cl = &c->client;
	struct endpoint server, local;
	size_t i;

	udp_to_endpoint(&cl->server_addr, &server);
	for (i = 0; i < c->cfg.nuplinks; i++)
		if (!uplink_probe(&c->cfg.uplinks[i], &server, &local) &&
		    same_path(&local, &cl->local)) {
			cl->uplink = (int)i;
			return;
		}
}

int client_start(struct ctl *c)
{
	struct ctl_client *cl = &c->client;
	struct csession *s;
	uint64_t version, now = ctl_now();
	uint8_t state;

	cl->server = &c->cfg.peers[0];
	pick_endpoint(c);
	if (c->cfg.nuplinks && uplink_watch_open(&c->uplinks)) {
		log_err("watching the uplinks: %s", strerror(errno));
		return -1;
	}
	s = the_session(c);
	if (!s) {
		start_birth(c, now);
		return 0;
	}
	/* Adopted after a restart: carry on where the kernel is. */
	if (s->remote.ss_family)
		cl->server_addr = s->remote;
	find_uplink(c);
	cl->rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
	if (ctl_kernel(c, s->id, &state, &version) &&
	    (state == JUMP_STATE_DEGRADED || state == JUMP_STATE_RECOVERING)) {
		if (state == JUMP_STATE_RECOVERING)
			cl->reattaching = false;
		start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
	}
	return 0;
}

void client_stop(struct ctl *c)
{
	struct ctl_client *cl = &c->client;

	if (c->cfg.role != JUMP_ROLE_CLIENT)
		return;
	uplink_watch_close(&c->uplinks);
	hs_wipe(&cl->hs, sizeof(cl->hs));
	if (cl->new_fd >= 0 && cl->new_fd != cl->fd)
		close_fd(c, &cl->new_fd);
	/* cl->fd is among c->socks, closed by ctl_stop. */
}
