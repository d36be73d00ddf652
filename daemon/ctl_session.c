// SPDX-License-Identifier: GPL-2.0
/*
 * The core's sessions: the table (each session with its role's area after
 * it), the changes jumpd makes to them in the kernel (CAS transitions,
 * keys, termination) and in the state directory, and their adoption from
 * the kernel after a restart. Role-neutral: both roles call in, nothing
 * here calls a role but through c->ops.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "ctl.h"
#include "ctl_audit.h"
#include "jump_names.h"
#include "log.h"
#include "seal.h"
#include "store.h"
#include "sync.h"

static size_t bucket_of(const struct ctl *c, uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) % c->table_size;
}

struct csession *ctl_find(struct ctl *c, uint64_t id)
{
	struct csession *s;

	for (s = c->table[bucket_of(c, id)]; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

/* A session and its role's area after it, a multiple of the alignment. */
static size_t session_size(const struct ctl *c)
{
	size_t priv = c->ops ? c->ops->session_priv : 0;
	size_t align = CTL_PRIV_ALIGN - 1;

	return ((sizeof(struct csession) + align) & ~align) + ((priv + align) & ~align);
}

struct csession *ctl_add(struct ctl *c, uint64_t id, uint8_t role)
{
	size_t size = session_size(c);
	struct csession *s = sodium_malloc(size);	/* it holds keys */
	size_t b = bucket_of(c, id);

	if (!s)
		return NULL;
	memset(s, 0, size);
	s->id = id;
	s->role = role;
	s->fd = -1;
	s->next = c->table[b];
	c->table[b] = s;
	c->count++;
	return s;
}

void ctl_remove(struct ctl *c, struct csession *s)
{
	struct csession **pp;

	ctl_tags_drop(c, s);
	for (pp = &c->table[bucket_of(c, s->id)]; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			c->count--;
			break;
		}
	}
	if (c->ops && c->ops->forget)
		c->ops->forget(c, s);
	sodium_free(s);	/* wipes it */
}

bool ctl_kernel(struct ctl *c, uint64_t id, uint8_t *state, uint64_t *version)
{
	const struct view_session *v = view_find(&c->d->view, c->ifindex, id);

	if (!v)
		return false;
	*state = v->state;
	*version = v->version;
	return true;
}

int ctl_transition(struct ctl *c, struct csession *s, uint8_t state, uint16_t reason,
		   const struct jumpd_binding *b)
{
	struct jumpd_msg out;
	uint64_t version;
	uint8_t now;
	int err, tries;

	/*
	 * The owner first (a CAS on the cluster's record, fenced by the
	 * lease): a node that may not own the session commits nothing.
	 */
	if (state != JUMP_STATE_TERMINATED &&
	    owner_move(&c->owner, s->id, ctl_kernel(c, s->id, &now, &version) ? version : 0,
		       b ? b->epoch : s->epoch)) {
		ctl_audit_sync(c);
		return -EPERM;
	}
	/* What led here is on disk before the kernel acts on it. */
	ctl_audit_sync(c);
	for (tries = 0; tries < 2; tries++) {
		if (tries || !ctl_kernel(c, s->id, &now, &version)) {
			/*
			 * The view learns of our own changes from their events,
			 * which are also what the audit records: ask the kernel.
			 */
			err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out);
			if (err)
				break;
			version = out.version;
		}
		err = jumpd_nl_session_transition(&c->d->nl, c->ifindex, s->id, version,
						  state, reason, b, &out);
		/*
		 * The view catches up with the event; until then a change
		 * right after this one loses its CAS once and asks again.
		 */
		if (!err)
			return 0;
		/* Lost the CAS (a kernel timer moved first): read again, once. */
		if (err != -ESTALE)
			break;
	}
	jumpd_nl_log_error(&c->d->nl, "session transition", err);
	return err;
}

int ctl_standby(struct ctl *c, struct csession *s, const struct jumpd_binding *b)
{
	uint16_t reason = b ? JUMP_REASON_STANDBY_READY : JUMP_REASON_STANDBY_CLEARED;
	struct jumpd_msg out;
	int err, tries;

	ctl_audit_sync(c);
	for (tries = 0; tries < 2; tries++) {
		/* The state it stays in is part of the CAS: read both. */
		err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out);
		if (err)
			break;
		err = jumpd_nl_session_transition(&c->d->nl, c->ifindex, s->id, out.version,
						  out.state, reason, b, &out);
		if (err != -ESTALE)
			break;
	}
	if (err)
		jumpd_nl_log_error(&c->d->nl, "standby change", err);
	return err;
}

void ctl_fill_seal(const struct csession *s, const struct jumpd_msg *k, struct seal_state *st)
{
	uint64_t room = UINT64_MAX - k->primary_tx_counter;

	memset(st, 0, sizeof(*st));
	st->id = s->id;
	st->local_index = k->local_index;
	st->remote_index = s->remote_index;
	st->version = k->version;
	memcpy(st->peer_pub, s->peer_pub, sizeof(st->peer_pub));
	memcpy(st->ctl, s->keys.ctl, sizeof(st->ctl));
	memcpy(st->reattach, s->keys.reattach, sizeof(st->reattach));
	memcpy(st->reattach_prev, s->reattach_prev, sizeof(st->reattach_prev));
	memcpy(st->chain, s->keys.chain, sizeof(st->chain));
	memcpy(st->last_nonce, s->last_nonce, sizeof(st->last_nonce));
	st->attempt = s->attempt;
	st->epoch = s->epoch;
	st->rekey_seq = s->rekey_seq;
	st->key_id = s->key_id;
	memcpy(st->tx, s->keys.send, sizeof(st->tx));
	memcpy(st->rx, s->keys.recv, sizeof(st->rx));
	/* Past anything this node could send before it seals again (the kernel refuses a wrap). */
	st->tx_counter = k->primary_tx_counter +
			 (room < JUMP_FAILOVER_COUNTER_JUMP ? room : JUMP_FAILOVER_COUNTER_JUMP);
	st->born_ns = s->born_ns;
	st->sealed_ns = ctl_realtime();
}

/*
 * Failover (ClusterKeyFile): what another node needs to take @s over,
 * sealed beside its record in etcd, from its first binding on (before it,
 * the client has nothing to reattach). A server's only.
 */
static void seal(struct ctl *c, struct csession *s)
{
	struct seal_state st;
	struct jumpd_msg k;
	int err;

	if (s->role != JUMP_ROLE_SERVER || !s->remote_index)
		return;
	if (sodium_is_zero(s->keys.send, sizeof(s->keys.send))) {
		log_warn("session %016" PRIx64 ": its data keys are not kept (a jumpd from before ClusterKeyFile): its sealed state is not renewed",
			 s->id);
		return;
	}
	err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &k);
	if (err || !k.has_primary || k.primary_id != s->key_id) {
		log_warn("session %016" PRIx64 ": no primary key %u to seal (%d)", s->id,
			 s->key_id, err);
		return;
	}
	ctl_fill_seal(s, &k, &st);
	owner_stash(&c->owner, &st);
	sodium_memzero(&st, sizeof(st));
}

void ctl_save(struct ctl *c, struct csession *s)
{
	ctl_tags_sync(c, s);	/* its epoch may have moved */
	store_save(c->cfg.state_dir, s);
	if (owner_sealing(&c->owner))
		seal(c, s);
}

bool ctl_expired(struct ctl *c, const struct csession *s)
{
	uint64_t life = (uint64_t)c->cfg.policy.session_lifetime_ms * 1000000ULL;

	return life && s->born_ns && ctl_realtime() - s->born_ns >= life;
}

void ctl_terminate(struct ctl *c, struct csession *s, uint16_t reason, bool tell_peer)
{
	uint8_t buf[WIRE_MAX_LEN];
	uint8_t state;
	uint64_t version;
	int err = 0, tries;

	if (tell_peer && s->fd >= 0 && s->remote.ss_family) {
		struct wire_session_mac m = { .reason = (uint8_t)reason, .session_id = s->id };
		size_t len = wire_encode_session_mac(buf, JUMP_MSG_TERMINATE, &m);

		ctl_send(c, s->fd, &s->local, &s->remote, buf, len, s->keys.ctl);
	}
	ctl_audit_sync(c);
	for (tries = 0; tries < 2; tries++) {
		/*
		 * A session created a moment ago may not be in the view yet (its
		 * event is still queued): ask the kernel, or it outlives us.
		 */
		if (!ctl_kernel(c, s->id, &state, &version)) {
			struct jumpd_msg out;

			err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out);
			if (err)
				break;
			version = out.version;
		}
		err = jumpd_nl_session_del(&c->d->nl, c->ifindex, s->id, version, reason);
		if (err != -ESTALE)
			break;
		/* The view is behind the kernel: catch up and retry. */
		jumpd_read_events(c->d);
	}
	if (err && err != -ENOENT)
		jumpd_nl_log_error(&c->d->nl, "terminating a session", err);
	owner_release(&c->owner, s->id);
	store_remove(c->cfg.state_dir, s->id);
	ctl_remove(c, s);
}

int ctl_install_keys(struct ctl *c, struct csession *s, const struct hs_keys *keys,
		     uint8_t slot, uint8_t key_id)
{
	int err;

	ctl_audit_sync(c);
	err = jumpd_nl_key_new(&c->d->nl, c->ifindex, s->id, slot, key_id,
			       keys->send, keys->recv);

	if (err) {
		jumpd_nl_log_error(&c->d->nl, "installing a key", err);
		return -1;
	}
	return 0;
}

/*
 * A session the kernel holds and the state directory knows: jumpd carries
 * on with it. One the state directory does not know is left to the kernel
 * (its data keeps flowing) but cannot be reattached: said once, in the log.
 */
static int adopt(const struct jumpd_msg *m, void *arg)
{
	struct ctl *c = arg;
	struct csession *s;

	if (m->ifindex != c->ifindex || ctl_find(c, m->id))
		return 0;
	s = ctl_add(c, m->id, m->role);
	if (!s)
		return -ENOMEM;
	if (store_load(c->cfg.state_dir, m->id, s)) {
		log_warn("session %016" PRIx64 ": no state in %s: jumpd leaves it to the kernel",
			 m->id, c->cfg.state_dir);
		ctl_remove(c, s);
		return 0;
	}
	s->local_index = m->local_index;
	s->remote_index = m->remote_index;
	s->born_ns = m->created_ns;
	if (m->binding.family) {
		s->local.family = m->binding.family;
		if (m->binding.family == AF_INET)
			s->local.addr.v4 = m->binding.local.v4;
		else
			s->local.addr.v6 = m->binding.local.v6;
		s->local.port = m->binding.local_port;
		{
			struct endpoint r = { .family = m->binding.family,
					      .port = m->binding.remote_port };

			if (r.family == AF_INET)
				r.addr.v4 = m->binding.remote.v4;
			else
				r.addr.v6 = m->binding.remote.v6;
			udp_to_sockaddr(&r, &s->remote);
		}
		s->epoch = m->binding.epoch ? m->binding.epoch : s->epoch;
		s->fd = -2;	/* taken back from the kernel after the dump */
	}
	ctl_tags_sync(c, s);
	if (m->state == JUMP_STATE_DEGRADED || m->state == JUMP_STATE_RECOVERING)
		s->trouble_ns = ctl_now();
	log_info("session %016" PRIx64 ": adopted from the kernel (%s, version %" PRIu64 ")",
		 m->id, jump_state_name(m->state), m->version);
	return 0;
}

/* A descriptor of the socket holding @s's local end, reused if we have it. */
static int take_socket(struct ctl *c, struct csession *s)
{
	struct jumpd_binding local = { .family = s->local.family,
				       .local_port = s->local.port };
	int i, fd;

	for (i = 0; i < c->nsocks; i++)
		if (udp_local_port(c->socks[i]) == s->local.port)
			return c->socks[i];
	if (local.family == AF_INET)
		local.local.v4 = s->local.addr.v4;
	else
		local.local.v6 = s->local.addr.v6;
	fd = jumpd_nl_socket_get(&c->d->nl, c->ifindex, &local);
	if (fd < 0) {
		jumpd_nl_log_error(&c->d->nl, "taking back a session's socket", fd);
		return -1;
	}
	udp_want_pktinfo(fd, local.family);
	ctl_add_socket(c, fd);
	return fd;
}

/*
 * After the dump (no request may run inside one): the sockets a killed
 * jumpd left with the kernel, one descriptor each.
 */
static void take_sockets(struct ctl *c)
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next) {
			if (s->fd != -2)
				continue;
			s->fd = take_socket(c, s);
		}
}

/* What the kernel holds of this device, and the sockets of its bindings. */
int ctl_adopt(struct ctl *c)
{
	int ret = jumpd_nl_dump_sessions(&c->d->nl, c->ifindex, adopt, c);

	if (ret) {
		jumpd_nl_log_error(&c->d->nl, "dumping sessions", ret);
		return -1;
	}
	take_sockets(c);
	return 0;
}
