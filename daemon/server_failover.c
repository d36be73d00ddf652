// SPDX-License-Identifier: GPL-2.0
/*
 * Failover (Documentation/jumpd.rst, "Failover"): a REATTACH_REQUEST for a
 * session this node does not hold, whose owner died. With ClusterKeyFile
 * every owner keeps its sessions' state sealed in etcd beside their
 * records (ctl_save()); the record goes with the owner's lease, the sealed
 * state stays. Here a node finds such an orphan, authenticates the request
 * with the reattach key it opened and judges its freshness (nothing is
 * claimed for a forged or stale request), claims the record (CAS: it must
 * still be absent), creates the session in its kernel with the same id,
 * receiver index and a version past the owner's, installs the data key
 * with its send counter past anything the owner could have used, and puts
 * it in recovering without a binding (failover). Then the request goes on
 * as any other: the challenge, the confirm from the new path, the commit.
 * No binding moves before that proof.
 */
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "ctl_audit.h"
#include "log.h"
#include "seal.h"
#include "server.h"
#include "store.h"
#include "sync.h"

#define MS	1000000ULL

/* Is @m authentic under the opened state, and newer than what it sealed? */
static bool request_fresh(struct ctl *c, const struct udp_packet *p,
			  const struct wire_reattach_request *m, const struct seal_state *st)
{
	uint64_t wall = ctl_realtime(), skew = (uint64_t)c->cfg.policy.clock_skew_ms * MS;

	if (!hs_mac_ok(p->buf, p->len, st->reattach)) {
		ctl_count_unauthenticated(c, JUMP_REJECT_AUTH_FAILED);
		return false;
	}
	if (m->attempt <= st->attempt || m->epoch <= st->epoch) {
		ctl_audit_reject(c, m->session_id, JUMP_REJECT_STALE_ATTEMPT, st->peer_pub,
				 &p->src, "failover refused: the request is not newer than the sealed state");
		return false;
	}
	if (m->timestamp_ns + skew < wall || m->timestamp_ns > wall + skew) {
		ctl_audit_reject(c, m->session_id, JUMP_REJECT_CLOCK_SKEW, st->peer_pub,
				 &p->src, "failover refused: the request's timestamp is off");
		return false;
	}
	return true;
}

static void restore(struct csession *s, const struct seal_state *st, uint32_t local_index)
{
	memcpy(s->peer_pub, st->peer_pub, sizeof(s->peer_pub));
	memcpy(s->keys.ctl, st->ctl, sizeof(s->keys.ctl));
	memcpy(s->keys.reattach, st->reattach, sizeof(s->keys.reattach));
	memcpy(s->keys.chain, st->chain, sizeof(s->keys.chain));
	memcpy(s->keys.send, st->tx, sizeof(s->keys.send));
	memcpy(s->keys.recv, st->rx, sizeof(s->keys.recv));
	memcpy(s->reattach_prev, st->reattach_prev, sizeof(s->reattach_prev));
	memcpy(s->last_nonce, st->last_nonce, sizeof(s->last_nonce));
	s->attempt = st->attempt;
	s->epoch = st->epoch;
	s->key_id = st->key_id;
	s->rekey_seq = st->rekey_seq;
	s->remote_index = st->remote_index;
	s->local_index = local_index;
	s->born_ns = st->born_ns;
	s->fd = -1;
}

/* The kernel's half: settings, the key at its counter, recovering. 0 or -1 (logged). */
static int install(struct ctl *c, struct csession *s, const struct seal_state *st,
		   const struct config_peer *peer)
{
	const struct config_policy *pol = &c->cfg.policy;
	struct jumpd_settings set = {
		.remote_index = st->remote_index, .prefixes = peer->prefixes,
		.nprefixes = peer->nprefixes, .set_prefixes = true,
		.keepalive_ms = pol->keepalive_ms, .volatile_ms = pol->volatile_ms,
		.degraded_ms = pol->degraded_ms,
	};
	int err;

	err = jumpd_nl_session_settings(&c->d->nl, c->ifindex, s->id, &set);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "failover: the session's settings", err);
		return -1;
	}
	err = jumpd_nl_key_new_at(&c->d->nl, c->ifindex, s->id, JUMP_KEY_SLOT_PRIMARY,
				  st->key_id, st->tx, st->rx, st->tx_counter);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "failover: the data key", err);
		return -1;
	}
	if (ctl_transition(c, s, JUMP_STATE_RECOVERING, JUMP_REASON_FAILOVER, NULL))
		return -1;
	/* The view learns of it from the events: read them before the request goes on. */
	jumpd_read_events(c->d);
	return 0;
}

/* Undoes a takeover that failed half way: the sealed state stays for another try. */
static void undo(struct ctl *c, struct csession *s, uint64_t version)
{
	struct jumpd_msg out;

	if (!jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out))
		version = out.version;
	jumpd_nl_session_del(&c->d->nl, c->ifindex, s->id, version, JUMP_REASON_ADMIN_TERMINATE);
	owner_drop(&c->owner, s->id);
	store_remove(c->cfg.state_dir, s->id);
	ctl_remove(c, s);
}

static struct csession *take_over(struct ctl *c, const struct seal_state *st,
				  const struct config_peer *peer, uint64_t now)
{
	struct jumpd_takeover to = {
		.id = st->id, .index = st->local_index, .version = st->version + 1,
	};
	struct jumpd_msg out;
	struct csession *s;
	int err;

	if (owner_take(&c->owner, st->id, to.version, st->epoch))
		return NULL;
	ctl_audit_sync(c);
	err = jumpd_nl_session_takeover(&c->d->nl, c->ifindex, &to, st->peer_pub, &out);
	if (err) {
		jumpd_nl_log_error(&c->d->nl, "failover: creating the session", err);
		owner_drop(&c->owner, st->id);
		return NULL;
	}
	s = ctl_add(c, st->id, JUMP_ROLE_SERVER);
	if (!s) {
		jumpd_nl_session_del(&c->d->nl, c->ifindex, st->id, out.version,
				     JUMP_REASON_ADMIN_TERMINATE);
		owner_drop(&c->owner, st->id);
		return NULL;
	}
	restore(s, st, out.local_index);
	s->keyed_ns = now;
	if (install(c, s, st, peer)) {
		undo(c, s, out.version);
		return NULL;
	}
	s->trouble_ns = now;	/* the recovery window runs from the takeover */
	ctl_save(c, s);
	log_info("session %016" PRIx64 ": taken over (failover), index %u, version %" PRIu64
		 ", epoch %u, attempt %" PRIu64 ": validating the client's reattach", s->id,
		 s->local_index, to.version, s->epoch, s->attempt);
	return s;
}

struct csession *server_failover(struct ctl *c, struct udp_packet *p,
				 const struct wire_reattach_request *m, uint64_t now)
{
	struct server_ctl *sc = server_ctl(c);
	const struct config_peer *peer;
	struct csession *s = NULL;
	struct seal_state st;

	if (!owner_sealing(&c->owner))
		return NULL;
	/* Each lookup costs etcd round trips: a budget for all sources together. */
	if (!rl_take(&sc->failover, JUMP_FAILOVER_LOOKUP_RATE, JUMP_FAILOVER_LOOKUP_RATE, now)) {
		c->limited++;
		return NULL;
	}
	if (owner_orphan(&c->owner, m->session_id, &st) != 1)
		return NULL;
	peer = config_find_peer(&c->cfg, st.peer_pub);
	if (!peer)
		log_warn("session %016" PRIx64 ": failover refused: its peer is not in this node's config",
			 m->session_id);
	else if (request_fresh(c, p, m, &st))
		s = take_over(c, &st, peer, now);
	sodium_memzero(&st, sizeof(st));
	return s;
}
