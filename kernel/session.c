// SPDX-License-Identifier: GPL-2.0
/*
 * The session table: identity, state, version and the single transport
 * binding of every session of a device.
 *
 * Every transition, whoever asks for it, goes through jump_session_change()
 * or __jump_session_apply() under the session lock: the version is compared,
 * the transition table consulted, the binding swapped, the version bumped and
 * the event sent in one critical section, so no observer ever sees a half
 * applied change or two bindings.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/timekeeping.h>
#include <net/netlink.h>

#include "crypto.h"
#include "device.h"
#include "event.h"
#include "prefix.h"
#include "session.h"
#include "timers.h"
#include "jump_fsm.h"

/*
 * A cache of its own makes live sessions countable in /proc/slabinfo, which
 * is how the tests prove teardown leaks nothing.
 */
static struct kmem_cache *session_cache;

static const struct rhashtable_params session_ht_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct jump_session, id),
	.head_offset = offsetof(struct jump_session, node),
	.automatic_shrinking = true,
};

/* Messages come from static tables or literals, as extack requires. */
static void set_err(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

int __init jump_session_cache_init(void)
{
	session_cache = KMEM_CACHE(jump_session, 0);
	return session_cache ? 0 : -ENOMEM;
}

void jump_session_cache_uninit(void)
{
	/* Wait for session_free_rcu() callbacks still in flight. */
	rcu_barrier();
	kmem_cache_destroy(session_cache);
}

static void session_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(session_cache, container_of(rcu, struct jump_session, rcu));
}

int jump_sessions_init(struct jump_device *jd)
{
	xa_init_flags(&jd->sessions_by_index, XA_FLAGS_ALLOC1);
	xa_init(&jd->sessions_by_wire);
	return rhashtable_init(&jd->sessions_by_id, &session_ht_params);
}

/* The table is empty by now: ndo_uninit terminated every session. */
void jump_sessions_destroy(struct jump_device *jd)
{
	WARN_ON(!xa_empty(&jd->sessions_by_index));
	WARN_ON(!xa_empty(&jd->sessions_by_wire));
	rhashtable_destroy(&jd->sessions_by_id);
	xa_destroy(&jd->sessions_by_index);
	xa_destroy(&jd->sessions_by_wire);
}

/*
 * A server's id comes from the CSPRNG and is unique within the device; a
 * client's is the one its server handed out, and a taken-over server
 * session's the one its first owner drew: neither may collide.
 */
static int session_insert_id(struct jump_device *jd, struct jump_session *s,
			     u64 id, bool given, struct netlink_ext_ack *extack)
{
	int err, tries;

	if (given) {
		s->id = id;
		err = rhashtable_lookup_insert_fast(&jd->sessions_by_id,
						    &s->node, session_ht_params);
		if (err == -EEXIST)
			set_err(extack, "session id already exists on this device");
		return err;
	}
	for (tries = 0; tries < 4; tries++) {
		s->id = get_random_u64();
		if (!s->id)
			continue;
		err = rhashtable_lookup_insert_fast(&jd->sessions_by_id,
						    &s->node, session_ht_params);
		if (err != -EEXIST)
			return err;
	}
	return -EEXIST;
}

/* Caller holds jd->table_lock. */
/*
 * Reserves the receiver index: the next free one, or the one given (a
 * cluster node's own draw, or the one a taken-over session had). The
 * index space is also what bounds the table size.
 */
static int session_reserve_index(struct jump_device *jd, struct jump_session *s,
				 const struct jump_takeover *to,
				 struct netlink_ext_ack *extack)
{
	int err;

	if (!to) {
		err = xa_alloc(&jd->sessions_by_index, &s->index, NULL,
			       XA_LIMIT(1, JUMP_MAX_SESSIONS), GFP_KERNEL);
		if (err == -EBUSY)
			set_err(extack, "session table is full");
		return err;
	}
	s->index = to->index;
	err = xa_insert(&jd->sessions_by_index, s->index, NULL, GFP_KERNEL);
	if (err == -EBUSY) {
		set_err(extack, "receiver index already in use on this device");
		err = -EEXIST;
	}
	return err;
}

struct jump_session *jump_session_create(struct jump_device *jd, u8 role,
					 u64 id, const u8 *peer_pubkey,
					 const struct jump_takeover *to,
					 struct netlink_ext_ack *extack)
{
	struct jump_session *s;
	void *old;
	int err;

	s = kmem_cache_zalloc(session_cache, GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->jd = jd;
	s->role = role;
	memcpy(s->peer_pubkey, peer_pubkey, JUMP_PUBKEY_LEN);
	spin_lock_init(&s->lock);
	s->state = JUMP_STATE_BIRTH;
	s->reason = JUMP_REASON_SESSION_CREATED;
	s->version = to ? to->version : 1;
	s->created_ns = ktime_get_real_ns();
	s->changed_ns = s->created_ns;
	s->keepalive_ms = JUMP_DEFAULT_KEEPALIVE_MS;
	s->volatile_ms = JUMP_DEFAULT_VOLATILE_MS;
	s->degraded_ms = JUMP_DEFAULT_DEGRADED_MS;
	jump_timers_init(s);

	err = session_reserve_index(jd, s, to, extack);
	if (err)
		goto err_free;
	if (to && to->id)
		id = to->id;
	err = session_insert_id(jd, s, id, (to && to->id) || role == JUMP_ROLE_CLIENT,
				extack);
	if (err)
		goto err_index;
	old = xa_store(&jd->sessions_by_index, s->index, s, GFP_KERNEL);
	err = xa_err(old);
	if (err)
		goto err_id;

	atomic_inc(&jd->state_counts[JUMP_STATE_BIRTH]);
	spin_lock_bh(&s->lock);
	jump_event_created(s);
	spin_unlock_bh(&s->lock);
	return s;

err_id:
	rhashtable_remove_fast(&jd->sessions_by_id, &s->node, session_ht_params);
err_index:
	xa_erase(&jd->sessions_by_index, s->index);
err_free:
	kmem_cache_free(session_cache, s);
	return ERR_PTR(err);
}

/*
 * What lockdep would say, on a kernel without lockdep (Debian's): a
 * sleepable context that is not inside rcu_read_lock() is no RCU reader.
 * Preemptible RCU counts the nesting per task: one load.
 */
static void jump_assert_rcu_reader(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(), "jump: RCU lookup outside an RCU reader");
#ifdef CONFIG_PREEMPT_RCU
	WARN_ONCE(preemptible() && !rcu_preempt_depth(),
		  "jump: RCU lookup outside an RCU reader");
#endif
}

/*
 * The table's resize worker frees old bucket arrays after an RCU grace
 * period, so even a lookup under the table lock reads them as an RCU
 * reader; the lock is what keeps the session found alive afterwards.
 */
static struct jump_session *session_find(struct jump_device *jd, u64 id)
{
	jump_assert_rcu_reader();
	return rhashtable_lookup(&jd->sessions_by_id, &id, session_ht_params);
}

/* Caller holds jd->table_lock, or is an RCU reader itself. */
struct jump_session *jump_session_lookup(struct jump_device *jd, u64 id)
{
	struct jump_session *s;

	rcu_read_lock();
	s = session_find(jd, id);
	rcu_read_unlock();
	return s;
}

/*
 * Unlinkable migration: the receiver index of @b, if it has its own, now
 * finds @s (caller holds s->lock). The data path takes a packet for it
 * only once @b is the session's binding, so claiming it first is safe;
 * an index another session holds fails the change whole.
 */
static int wire_index_claim(struct jump_session *s, const struct jump_binding *b,
			    struct netlink_ext_ack *extack)
{
	int err;

	if (!b || !b->local_index)
		return 0;
	err = xa_insert(&s->jd->sessions_by_wire, b->local_index, s, GFP_ATOMIC);
	if (err == -EBUSY)
		set_err(extack, "the binding's receiver index is taken: derive another");
	return err;
}

static void wire_index_release(struct jump_session *s, const struct jump_binding *b)
{
	if (b && b->local_index)
		xa_erase(&s->jd->sessions_by_wire, b->local_index);
}

/* Epochs only grow: a packet of an older binding can never pass for new. */
static void binding_replace(struct jump_session *s, struct jump_binding *new)
{
	struct jump_binding *old;

	if (new) {
		if (!new->epoch)
			new->epoch = s->last_epoch + 1;
		s->last_epoch = new->epoch;
	}
	old = rcu_replace_pointer(s->binding, new, lockdep_is_held(&s->lock));
	wire_index_release(s, old);
	jump_binding_release(old);
}

/* Caller holds s->lock. The data path never saw it: freed after a grace period all the same. */
static void standby_replace(struct jump_session *s, struct jump_binding *new)
{
	jump_binding_release(s->standby);
	s->standby = new;
}

/* Caller holds s->lock and has checked the transition. */
static void __jump_session_apply(struct jump_session *s, u8 to, u16 reason,
				 struct jump_binding *binding)
{
	struct jump_device *jd = s->jd;
	u8 from = s->state;

	/* A new path from a handshake or a reattach leaves no standby behind. */
	if ((binding && reason != JUMP_REASON_STANDBY_PROMOTED) ||
	    to == JUMP_STATE_TERMINATED)
		standby_replace(s, NULL);
	if (binding || to == JUMP_STATE_TERMINATED)
		binding_replace(s, binding);
	if (to == JUMP_STATE_TERMINATED)
		jump_keys_clear(s);
	WRITE_ONCE(s->state, to);
	s->reason = reason;
	s->version++;
	s->changed_ns = ktime_get_real_ns();
	s->transitions++;
	if (binding)
		jump_timers_start(s);
	atomic_dec(&jd->state_counts[from]);
	atomic_inc(&jd->state_counts[to]);
	jump_event_transition(s, from);
}

static int check_binding(const struct jump_session *s,
			 const struct jump_change *chg,
			 struct netlink_ext_ack *extack)
{
	bool binds = jump_fsm_binds(s->state, chg->to);

	/* A promotion moves the standby in: check_standby() judges it. */
	if (jump_fsm_standby(chg->reason))
		return 0;
	if (binds && !chg->binding) {
		set_err(extack, "this transition installs a binding: JUMP_A_BINDING is required");
		return -EINVAL;
	}
	if (!binds && chg->binding) {
		set_err(extack, "a binding changes only with handshake_complete or reattach_complete: the session keeps its single binding");
		return -EINVAL;
	}
	if (chg->binding && chg->binding->epoch &&
	    chg->binding->epoch <= s->last_epoch) {
		set_err(extack, "binding epoch must be greater than every earlier epoch of the session");
		return -EINVAL;
	}
	if (chg->binding && !chg->binding->epoch && s->last_epoch == U32_MAX) {
		set_err(extack, "the session's binding epochs are used up");
		return -ERANGE;
	}
	return 0;
}

static bool same_path(const struct jump_binding *a, const struct jump_binding *b)
{
	return a->sock == b->sock && jump_endpoint_equal(&a->remote, &b->remote) &&
	       jump_endpoint_equal(&a->local, &b->local);
}

static int check_standby(const struct jump_session *s,
			 const struct jump_change *chg,
			 struct netlink_ext_ack *extack)
{
	const struct jump_binding *active;

	active = rcu_dereference_protected(s->binding, lockdep_is_held(&s->lock));
	if (chg->reason != JUMP_REASON_STANDBY_READY && chg->standby) {
		set_err(extack, "a standby binding (JUMP_A_STANDBY) goes with standby_ready only");
		return -EINVAL;
	}
	if (!jump_fsm_standby(chg->reason))
		return 0;
	if (chg->binding) {
		set_err(extack, "a standby change moves no active binding: JUMP_A_BINDING is refused");
		return -EINVAL;
	}
	if (chg->reason == JUMP_REASON_STANDBY_READY && !chg->standby) {
		set_err(extack, "standby_ready needs the standby binding (JUMP_A_STANDBY)");
		return -EINVAL;
	}
	if (chg->reason != JUMP_REASON_STANDBY_READY && !s->standby) {
		set_err(extack, "the session has no standby binding");
		return -ENOENT;
	}
	if (chg->standby && (!active || same_path(active, chg->standby))) {
		set_err(extack, "a standby must be another path than the active binding");
		return -EINVAL;
	}
	if (chg->reason == JUMP_REASON_STANDBY_PROMOTED && s->last_epoch == U32_MAX) {
		set_err(extack, "the session's binding epochs are used up");
		return -ERANGE;
	}
	return 0;
}

/* Caller holds s->lock and has checked @chg: its standby is consumed. */
static void standby_apply(struct jump_session *s, const struct jump_change *chg)
{
	struct jump_binding *promoted = NULL;

	switch (chg->reason) {
	case JUMP_REASON_STANDBY_READY:
		standby_replace(s, chg->standby);
		break;
	case JUMP_REASON_STANDBY_CLEARED:
		standby_replace(s, NULL);
		break;
	case JUMP_REASON_STANDBY_PROMOTED:
		/* Its epoch is the next one: nothing sent before counts on it. */
		promoted = s->standby;
		s->standby = NULL;
		promoted->epoch = 0;
		break;
	}
	__jump_session_apply(s, chg->to, chg->reason, promoted);
}

/*
 * Compare-and-swap transition. On success the bindings in @chg, if any, are
 * owned by the session; on failure nothing changed and the caller frees them.
 */
int jump_session_change(struct jump_session *s, const struct jump_change *chg,
			unsigned int origin, struct netlink_ext_ack *extack)
{
	const char *why;
	int err = 0;

	spin_lock_bh(&s->lock);
	if (chg->expected_version != s->version) {
		set_err(extack, "stale session version: re-read the session and retry");
		err = -ESTALE;
		goto out;
	}
	why = jump_fsm_check(s->state, chg->to, chg->reason, origin);
	/* Only a server's session is taken over from another node. */
	if (!why && chg->reason == JUMP_REASON_FAILOVER &&
	    s->role != JUMP_ROLE_SERVER)
		why = "only a server session is taken over (failover)";
	if (why) {
		set_err(extack, why);
		err = -EINVAL;
		goto out;
	}
	err = check_binding(s, chg, extack) ?: check_standby(s, chg, extack) ?:
	      wire_index_claim(s, chg->reason == JUMP_REASON_STANDBY_PROMOTED ?
			       s->standby : chg->binding, extack);
	if (err)
		goto out;
	if (jump_fsm_standby(chg->reason))
		standby_apply(s, chg);
	else
		__jump_session_apply(s, chg->to, chg->reason, chg->binding);
out:
	spin_unlock_bh(&s->lock);
	return err;
}

bool jump_session_kernel_change(struct jump_session *s, u8 to, u16 reason)
{
	lockdep_assert_held(&s->lock);
	if (jump_fsm_check(s->state, to, reason, JUMP_ORIGIN_KERNEL))
		return false;
	__jump_session_apply(s, to, reason, NULL);
	return true;
}

static int check_liveness(const struct jump_settings *set,
			  struct netlink_ext_ack *extack)
{
	if (set->keepalive_ms < JUMP_MIN_LIVENESS_MS ||
	    set->degraded_ms > JUMP_MAX_LIVENESS_MS) {
		set_err(extack, "liveness times must lie between "
			__stringify(JUMP_MIN_LIVENESS_MS) " and "
			__stringify(JUMP_MAX_LIVENESS_MS) " ms");
		return -ERANGE;
	}
	if (set->keepalive_ms >= set->volatile_ms ||
	    set->volatile_ms >= set->degraded_ms) {
		set_err(extack, "liveness times must grow: keepalive < volatile < degraded");
		return -EINVAL;
	}
	return 0;
}

/*
 * Caller holds jd->table_lock. Checks everything first, then the prefixes
 * (the only step that can fail), then the rest: all or nothing.
 */
int jump_session_configure(struct jump_session *s, struct jump_settings *set,
			   struct netlink_ext_ack *extack)
{
	int err;

	/* Times not given keep their value; the table lock keeps them still. */
	if (!set->keepalive_ms)
		set->keepalive_ms = s->keepalive_ms;
	if (!set->volatile_ms)
		set->volatile_ms = s->volatile_ms;
	if (!set->degraded_ms)
		set->degraded_ms = s->degraded_ms;
	err = check_liveness(set, extack);
	if (err)
		return err;
	if (set->has_remote_index && !set->remote_index) {
		set_err(extack, "receiver index 0 is never used");
		return -EINVAL;
	}
	if (set->prefixes) {
		err = jump_prefix_set_replace(&s->jd->prefixes, s, set->prefixes,
					      extack);
		if (err)
			return err;
		set->prefixes = NULL;
	}
	spin_lock_bh(&s->lock);
	if (set->has_remote_index)
		WRITE_ONCE(s->remote_index, set->remote_index);
	s->keepalive_ms = set->keepalive_ms;
	s->volatile_ms = set->volatile_ms;
	s->degraded_ms = set->degraded_ms;
	jump_timers_kick(s);
	spin_unlock_bh(&s->lock);
	return 0;
}

/* Caller holds jd->table_lock; @s is TERMINATED. Readers may still hold it. */
void jump_session_remove(struct jump_session *s)
{
	struct jump_device *jd = s->jd;

	jump_prefix_set_clear(&jd->prefixes, s);
	jump_timers_stop(s);
	rhashtable_remove_fast(&jd->sessions_by_id, &s->node, session_ht_params);
	xa_erase(&jd->sessions_by_index, s->index);
	atomic_dec(&jd->state_counts[s->state]);
	call_rcu(&s->rcu, session_free_rcu);
}

/* Device teardown: caller holds jd->table_lock and has marked jd dead. */
void jump_session_terminate_all(struct jump_device *jd, u16 reason)
{
	struct jump_session *s;
	unsigned long index;

	xa_for_each(&jd->sessions_by_index, index, s) {
		spin_lock_bh(&s->lock);
		if (!WARN_ON_ONCE(jump_fsm_check(s->state, JUMP_STATE_TERMINATED,
						 reason, JUMP_ORIGIN_KERNEL)))
			__jump_session_apply(s, JUMP_STATE_TERMINATED, reason, NULL);
		spin_unlock_bh(&s->lock);
		jump_session_remove(s);
		cond_resched();
	}
}
