// SPDX-License-Identifier: GPL-2.0
/*
 * The client role: it births its one session with the server, keeps it
 * keyed, and (client_reattach.c) moves it to another path when its own
 * goes (the kernel says DEGRADED, or rtnetlink says the uplink is gone),
 * when a preferred uplink comes back or when an administrator asks for it
 * (jumpctl session reattach): planned, make-before-break switches, the old
 * binding carrying traffic until the new one commits.
 *
 * This file: rekeys, terminations, the dispatch of packets, timers and
 * kernel events, and the ops the core calls (client_role); the birth
 * handshake is in client_birth.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "client.h"
#include "ctl_audit.h"
#include "jump_names.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define MS	1000000ULL

struct csession *client_the_session(struct ctl *c)
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next)
			if (s != client_ctl(c)->birth)
				return s;
	return NULL;
}

void client_close_fd(struct ctl *c, int *fd)
{
	if (*fd < 0)
		return;
	ctl_drop_socket(c, *fd);
	close(*fd);
	*fd = -1;
}

uint32_t client_next_backoff(struct ctl *c, uint32_t ms)
{
	uint32_t max = c->cfg.policy.retry_max_ms;

	return ms >= max / 2 ? max : ms * 2;
}

/*
 * The server's address on a path through uplink @i: the first Endpoint,
 * from the one tried first on, that the uplink reaches. So an IPv4-only
 * uplink and an IPv6-only one each find the server by the family they have.
 */
int client_probe_path(struct ctl *c, int i, struct endpoint *local,
		      struct sockaddr_storage *server)
{
	static const struct config_uplink any = { .ifname = "" };
	const struct config_uplink *u = i < 0 ? &any : &c->cfg.uplinks[i];
	struct client_ctl *cl = client_ctl(c);
	size_t k, n = cl->server->nendpoints;
	const struct endpoint *ep;

	for (k = 0; k < n; k++) {
		ep = &cl->server->endpoints[(cl->endpoint + k) % n];
		if (uplink_probe(u, ep, local) == 0) {
			udp_to_sockaddr(ep, server);
			return 0;
		}
	}
	return -1;
}

int client_best_path(struct ctl *c, struct endpoint *local, struct sockaddr_storage *server)
{
	size_t i;

	for (i = 0; i < c->cfg.nuplinks; i++)
		if (client_probe_path(c, (int)i, local, server) == 0)
			return (int)i;
	return -1;
}

void client_bound_endpoint(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);
	struct sockaddr_storage ss;
	size_t i;

	for (i = 0; i < cl->server->nendpoints; i++) {
		udp_to_sockaddr(&cl->server->endpoints[i], &ss);
		if (udp_same(&ss, &cl->server_addr)) {
			cl->endpoint = i;
			return;
		}
	}
}

bool client_from_server(const struct client_ctl *cl, const struct sockaddr_storage *src)
{
	return udp_same(src, &cl->server_addr) ||
	       (cl->new_fd >= 0 && udp_same(src, &cl->new_server)) ||
	       (cl->sb_fd >= 0 && udp_same(src, &cl->sb_server));
}

/*
 * A socket on the best usable uplink (or, with none configured, on the
 * address the routing table picks) to the server's address it reaches:
 * 0 with @fd, @local, @uplink and @server, or -1.
 */
int client_open_path(struct ctl *c, int *fd, struct endpoint *local, int *uplink,
		     struct sockaddr_storage *server)
{
	static const struct config_uplink any = { .ifname = "" };
	const struct config_uplink *u = &any;

	if (c->cfg.nuplinks) {
		*uplink = client_best_path(c, local, server);
		if (*uplink < 0)
			return -1;
		u = &c->cfg.uplinks[*uplink];
	} else {
		/* No uplinks configured: wherever the routing table says. */
		*uplink = -1;
		if (client_probe_path(c, -1, local, server))
			return -1;
	}
	*fd = uplink_socket(u, local, c->cfg.listen_port);
	if (*fd < 0) {
		log_warn("opening a socket for the path to the server: %s", strerror(errno));
		return -1;
	}
	ctl_add_socket(c, *fd);
	return 0;
}

static void pick_endpoint(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);

	udp_to_sockaddr(&cl->server->endpoints[cl->endpoint], &cl->server_addr);
}

void client_restart(struct ctl *c, struct csession *s, uint16_t reason, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);

	ctl_terminate(c, s, reason, false);
	client_standby_reset(c, 0);
	if (cl->new_fd != cl->fd)
		client_close_fd(c, &cl->new_fd);
	cl->new_fd = -1;
	cl->reattaching = false;
	cl->planned = false;
	client_close_fd(c, &cl->fd);
	client_start_birth(c, now);
}

static void handle_cookie(struct ctl *c, struct udp_packet *p, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct wire_cookie_reply m;
	struct csession *s;

	if (wire_decode_cookie_reply(p->buf, p->len, &m) ||
	    !client_from_server(cl, &p->src))
		return;
	memcpy(cl->cookie, m.cookie, sizeof(cl->cookie));
	cl->have_cookie = true;
	cl->answered = true;
	log_debug("cookie_reply: the server is under load, retrying with its cookie");
	s = client_the_session(c);
	if (cl->reattaching && s && m.ref == s->id)
		client_send_request(c, s, now);
	else if (cl->hs_active && m.ref == cl->hs.hsid)
		client_send_init(c, now);
}

static void send_rekey_init(struct ctl *c, struct csession *s)
{
	struct wire_rekey m = { .session_id = s->id, .rekey_seq = s->rekey_seq };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	memcpy(m.ephemeral, s->rekey_eph.pub, sizeof(m.ephemeral));
	len = wire_encode_rekey(buf, JUMP_MSG_REKEY_INIT, &m);
	ctl_send(c, client_ctl(c)->fd, &client_ctl(c)->local, &client_ctl(c)->server_addr, buf, len,
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
	client_ctl(c)->rekey_next_ns = now + (uint64_t)c->cfg.policy.retry_max_ms * MS;
	send_rekey_init(c, s);
}

static void send_rekey_done(struct ctl *c, struct csession *s)
{
	struct wire_rekey_done d = { .session_id = s->id, .rekey_seq = s->rekey_seq };
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = wire_encode_rekey_done(buf, &d);

	ctl_send(c, client_ctl(c)->fd, &client_ctl(c)->local, &client_ctl(c)->server_addr, buf, len,
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
		if (client_session(s)->has_ctl_prev &&
		    hs_mac_ok(p->buf, p->len, client_session(s)->ctl_prev))
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
	memcpy(client_session(s)->ctl_prev, s->keys.ctl, WIRE_KEY_LEN);
	client_session(s)->has_ctl_prev = true;
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
	client_ctl(c)->rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
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
	/*
	 * The server may end the session between our rekey and its receipt
	 * of our REKEY_DONE: it then still seals with the key before.
	 */
	if (!hs_mac_ok(p->buf, p->len, s->keys.ctl) &&
	    !(client_session(s)->has_ctl_prev &&
	      hs_mac_ok(p->buf, p->len, client_session(s)->ctl_prev))) {
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return;
	}
	ctl_audit_accept(c, s->id, s->peer_pub, &p->src, "terminate from the server");
	client_restart(c, s, JUMP_REASON_PEER_TERMINATE, now);
}

static void client_packet(struct ctl *c, struct udp_packet *p)
{
	uint64_t now = ctl_now();

	/* Only the server talks to a client. */
	if (!client_from_server(client_ctl(c), &p->src))
		return;
	switch (wire_type(p->buf, p->len)) {
	case JUMP_MSG_HANDSHAKE_RESP:
		client_handshake_resp(c, p, now);
		break;
	case JUMP_MSG_HANDSHAKE_ACK:
		client_handshake_ack(c, p, now);
		break;
	case JUMP_MSG_COOKIE_REPLY:
		handle_cookie(c, p, now);
		break;
	case JUMP_MSG_REATTACH_CHALLENGE:
		client_reattach_challenge(c, p);
		break;
	case JUMP_MSG_REBIND_CHALLENGE:
		client_rebind_challenge(c, p);
		break;
	case JUMP_MSG_REATTACH_ACK:
		client_reattach_ack(c, p, now);
		break;
	case JUMP_MSG_REATTACH_REJECT:
		client_reattach_reject(c, p, now);
		break;
	case JUMP_MSG_STANDBY_ACK:
		client_standby_ack(c, p);
		break;
	case JUMP_MSG_STANDBY_KEEPALIVE:
		client_standby_keepalive(c, p);
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

static void client_timers(struct ctl *c, uint64_t now)
{
	struct client_ctl *cl = client_ctl(c);
	struct csession *s;

	if (cl->hs_active && now >= cl->hs_next_ns)
		client_send_init(c, now);
	s = cl->birth;
	if (s && now >= s->deadline_ns) {
		client_restart(c, s, JUMP_REASON_BIRTH_TIMEOUT, now);
	} else if (s && now >= cl->hs_next_ns) {
		cl->hs_next_ns = now + (uint64_t)cl->hs_backoff_ms * MS;
		cl->hs_backoff_ms = client_next_backoff(c, cl->hs_backoff_ms);
		client_send_done(c, s);
	}
	s = client_the_session(c);
	if (!s)
		return;
	if (window_closed(c, s, now)) {
		log_info("session %016" PRIx64 ": recovery window closed", s->id);
		client_restart(c, s, JUMP_REASON_RECOVERY_WINDOW_EXCEEDED, now);
		return;
	}
	if (ctl_expired(c, s)) {
		log_info("session %016" PRIx64 ": SessionLifetime reached", s->id);
		client_restart(c, s, JUMP_REASON_KEY_EXPIRED, now);
		return;
	}
	client_planned_timer(c, s, now);
	if (cl->reattaching && now >= cl->retry_ns)
		client_send_request(c, s, now);
	if (!cl->reattaching && cl->rekey_next_ns && now >= cl->rekey_next_ns)
		start_rekey(c, s, now);
	client_standby_timers(c, s, now);
}

static void client_on_session(struct ctl *c, struct csession *s, const struct jumpd_msg *m)
{
	if (s == client_ctl(c)->birth)
		return;
	if (m->state == JUMP_STATE_DEGRADED)
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, ctl_now());
	/*
	 * jumpctl session reattach: someone else moved it to RECOVERING (jumpd
	 * never uses admin_reattach), so only the reattach itself is ours.
	 */
	else if (m->state == JUMP_STATE_RECOVERING && JUMPD_HAS(m, JUMP_A_REASON) &&
		 m->reason == JUMP_REASON_ADMIN_REATTACH)
		client_start_reattach(c, s, JUMP_REASON_ADMIN_REATTACH, ctl_now());
}

static void client_on_report(struct ctl *c, struct csession *s, const struct jumpd_msg *m)
{
	if (m->cmd == JUMP_CMD_KEY_EXPIRING && !client_ctl(c)->reattaching)
		start_rekey(c, s, ctl_now());
}

/* Which uplink the adopted binding is on, for the link logic. */
static void find_uplink(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);
	struct endpoint server, local;
	size_t i;

	udp_to_endpoint(&cl->server_addr, &server);
	for (i = 0; i < c->cfg.nuplinks; i++)
		if (!uplink_probe(&c->cfg.uplinks[i], &server, &local) &&
		    client_same_path(&local, &cl->local)) {
			cl->uplink = (int)i;
			return;
		}
}

static int client_start(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);
	struct csession *s;
	uint64_t version, now = ctl_now();
	uint8_t state;
	size_t i;

	/* The socket of an adopted binding, taken back from the kernel, is ours. */
	ctl_for_each_session(c, i, s)
		if (s->fd >= 0 && cl->fd < 0) {
			cl->fd = s->fd;
			cl->local = s->local;
		}
	cl->server = &c->cfg.peers[0];
	pick_endpoint(c);
	if (c->cfg.nuplinks && uplink_watch_open(&cl->uplinks)) {
		log_err("watching the uplinks: %s", strerror(errno));
		return -1;
	}
	s = client_the_session(c);
	if (!s) {
		client_start_birth(c, now);
		return 0;
	}
	/* Adopted after a restart: carry on where the kernel is. */
	if (s->remote.ss_family)
		cl->server_addr = s->remote;
	client_bound_endpoint(c);
	find_uplink(c);
	cl->rekey_next_ns = now + (uint64_t)c->cfg.policy.rekey_interval_ms * MS;
	if (ctl_kernel(c, s->id, &state, &version) &&
	    (state == JUMP_STATE_DEGRADED || state == JUMP_STATE_RECOVERING)) {
		if (state == JUMP_STATE_RECOVERING)
			cl->reattaching = false;
		client_start_reattach(c, s, JUMP_REASON_TRANSPORT_DEAD, now);
	}
	return 0;
}

static void client_stop(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);

	uplink_watch_close(&cl->uplinks);
	hs_wipe(&cl->hs, sizeof(cl->hs));
	if (cl->new_fd >= 0 && cl->new_fd != cl->fd)
		client_close_fd(c, &cl->new_fd);
	client_standby_reset(c, 0);
	/* cl->fd is among c->socks, closed by ctl_stop. */
}

static int client_init(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);

	cl->fd = cl->new_fd = cl->sb_fd = -1;
	cl->uplink = cl->new_uplink = cl->sb_uplink = -1;
	cl->uplinks.fd = -1;
	return 0;
}

/* The client's server entry moves with the config; its key cannot change. */
static int client_reload_check(struct ctl *c, const struct config *fresh)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->server && !config_find_peer(fresh, cl->server->pubkey)) {
		log_err("reload refused: a client's server key cannot change without a restart");
		return -1;
	}
	return 0;
}

static void client_reloaded(struct ctl *c)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->server)
		cl->server = config_find_peer(&c->cfg, c->cfg.peers[0].pubkey);
}

static uint64_t client_next_deadline(struct ctl *c, uint64_t next)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->hs_active && cl->hs_next_ns < next)
		next = cl->hs_next_ns;
	if (cl->reattaching && cl->retry_ns < next)
		next = cl->retry_ns;
	if (cl->rekey_next_ns && cl->rekey_next_ns < next)
		next = cl->rekey_next_ns;
	return client_standby_deadline(c, next);
}

static void client_forget(struct ctl *c, struct csession *s)
{
	struct client_ctl *cl = client_ctl(c);

	if (cl->birth == s)
		cl->birth = NULL;
}

/* The session waiting for its ACK may not be in the view yet. */
static bool client_just_created(struct ctl *c, const struct csession *s)
{
	return s == client_ctl(c)->birth;
}

static int client_watch_fd(struct ctl *c)
{
	return client_ctl(c)->uplinks.fd;
}

static void client_watch_ready(struct ctl *c)
{
	if (uplink_watch_read(&client_ctl(c)->uplinks) > 0)
		client_links_changed(c);
}

const struct ctl_role_ops client_role = {
	.name = "client",
	.priv = sizeof(struct client_ctl),
	.session_priv = sizeof(struct client_session),
	.init = client_init,
	.start = client_start,
	.stop = client_stop,
	.reload_check = client_reload_check,
	.reloaded = client_reloaded,
	.packet = client_packet,
	.timers = client_timers,
	.next_deadline = client_next_deadline,
	.on_session = client_on_session,
	.on_report = client_on_report,
	.forget = client_forget,
	.just_created = client_just_created,
	.watch_fd = client_watch_fd,
	.watch_ready = client_watch_ready,
};
