// SPDX-License-Identifier: GPL-2.0
/*
 * The cluster ownership authority (Documentation/jumpd.rst, "Cluster
 * ownership"): one etcd key per session, /jump/<ifname>/<id>, whose value
 * names the owning node, the session, its kernel version and its binding
 * epoch. A birth creates it (a transaction: create_revision == 0) under
 * the node's lease; each committed transition moves it (a transaction:
 * mod_revision unchanged since ours); the end deletes it.
 *
 * The lease is kept alive by a thread of its own (the event loop never
 * waits for it), which publishes under a mutex until when the lease is
 * surely alive: the monotonic time the last successful keepalive was sent,
 * plus the TTL, minus a margin (JUMP_LEASE_MARGIN_*), so etcd, which
 * counts the TTL from when it received the keepalive, expires it later
 * than this node stops believing in it. Past that deadline the node
 * commits nothing; it is fenced and ends its sessions, unless a member,
 * asked for its status after a failed keepalive, answered (etcd is there
 * but cannot renew: no quorum, an election), when it keeps forwarding and
 * refuses changes until the lease is renewed.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "config.h"
#include "etcd.h"
#include "log.h"
#include "owner.h"
#include "seal.h"

#define MS		1000000ULL
#define BUCKETS		1024
/* A call from the event loop waits at most this long for etcd. */
#define CALL_TIMEOUT_MS	1000

struct record {
	uint64_t id;
	int64_t mod_revision;
	unsigned int gen;		/* of the lease it is under */
	bool ended;			/* released while frozen: delete when renewed */
	struct record *next;
};

/* What the keeper thread publishes, under the lock. */
struct lease {
	int64_t id;			/* 0: none (etcd could not grant one yet) */
	unsigned int gen;		/* bumped with each new lease */
	uint64_t valid_until;		/* monotonic ns; 0: not valid */
	bool gone;			/* etcd said this lease is gone */
	bool no_leader;			/* since the last renewal, a member answered its status */
	bool abandon;			/* the loop gave it up: let it expire, take another */
	char why[ETCD_ERR_LEN];		/* the last keepalive's failure */
};

struct etcd_owner {
	struct etcd *kv;		/* the event loop's */
	struct etcd *keeper;		/* the thread's */
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	struct lease lease;		/* under lock */
	uint64_t ttl_ns, margin_ns;
	unsigned int ttl_s;
	unsigned int fenced_gen;	/* the loop ended the sessions of this gen (+1) */
	bool frozen;			/* said once per episode */
	unsigned int ended;		/* records with ended set */
	char node[JUMP_NODE_NAME_MAX + 1];
	char prefix[64];
	bool sealing;			/* ClusterKeyFile: failover */
	uint8_t cluster_key[JUMP_CLUSTER_KEY_LEN];
	char state_dir[4096];
	struct record *table[BUCKETS];
};

static uint64_t mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void record(struct owner *o, uint64_t id, int reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void record(struct owner *o, uint64_t id, int reason, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (o->record)
		o->record(o->ctx, id, reason, detail);
}

/* ---- The lease keeper (its own thread) ---- */

static void grant(struct etcd_owner *eo)
{
	int64_t id;
	uint64_t t0 = mono();

	if (etcd_lease_grant(eo->keeper, eo->ttl_s, &id))
		return;
	pthread_mutex_lock(&eo->lock);
	eo->lease.id = id;
	eo->lease.gen++;
	eo->lease.valid_until = t0 + eo->ttl_ns - eo->margin_ns;
	eo->lease.gone = false;
	eo->lease.abandon = false;
	eo->lease.no_leader = false;
	pthread_mutex_unlock(&eo->lock);
}

static void keepalive(struct etcd_owner *eo, int64_t id)
{
	uint64_t t0 = mono();
	int64_t ttl = 0;
	int ret = etcd_lease_keepalive(eo->keeper, id, &ttl);
	uint64_t ttl_ns = (uint64_t)ttl * 1000 * MS;
	char why[ETCD_ERR_LEN];
	int leader = 1;

	/*
	 * Failed: a member may still answer for itself (its status needs no
	 * quorum). One that answers means etcd is there but could not renew
	 * the lease: no quorum, or an election under way, when nobody can
	 * take a record over either. None answering: cut off.
	 */
	if (ret < 0) {
		snprintf(why, sizeof(why), "%s", etcd_error(eo->keeper));
		leader = etcd_has_leader(eo->keeper);
	}
	pthread_mutex_lock(&eo->lock);
	if (eo->lease.id == id && !eo->lease.abandon) {
		if (ret == 1) {
			/* etcd's TTL may be longer than ours (its minimum): ours counts. */
			if (ttl_ns > eo->ttl_ns)
				ttl_ns = eo->ttl_ns;
			eo->lease.valid_until = t0 + ttl_ns - eo->margin_ns;
			eo->lease.no_leader = false;
			eo->lease.why[0] = '\0';
		} else if (ret == 0) {
			eo->lease.gone = true;
			snprintf(eo->lease.why, sizeof(eo->lease.why), "etcd says the lease is gone");
		} else {
			if (leader >= 0)
				eo->lease.no_leader = true;
			snprintf(eo->lease.why, sizeof(eo->lease.why), "%.200s%s", why,
				 leader == 0 ? "; a member says it has no leader" :
				 leader == 1 ? "; a member answers, with a leader" : "");
		}
	}
	pthread_mutex_unlock(&eo->lock);
}

static void *keeper_main(void *arg)
{
	struct etcd_owner *eo = arg;
	uint64_t period = eo->ttl_ns / 4;
	struct timespec until;
	int64_t id;
	bool need;

	pthread_mutex_lock(&eo->lock);
	while (!eo->stop) {
		need = !eo->lease.id || eo->lease.gone || eo->lease.abandon;
		id = eo->lease.id;
		pthread_mutex_unlock(&eo->lock);
		if (need)
			grant(eo);
		else
			keepalive(eo, id);
		pthread_mutex_lock(&eo->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += (long)(period % 1000000000ULL);
		until.tv_sec += (time_t)(period / 1000000000ULL) + until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		while (!eo->stop && pthread_cond_timedwait(&eo->wake, &eo->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&eo->lock);
	return NULL;
}

/* A copy of the lease as the keeper last published it. */
static struct lease lease_now(struct etcd_owner *eo)
{
	struct lease l;

	pthread_mutex_lock(&eo->lock);
	l = eo->lease;
	pthread_mutex_unlock(&eo->lock);
	return l;
}

static bool lease_valid(const struct lease *l, uint64_t now)
{
	return l->id && !l->gone && !l->abandon && now < l->valid_until;
}

/* ---- The records ---- */

static struct record **slot(struct etcd_owner *eo, uint64_t id)
{
	struct record **pp = &eo->table[(id * 0x9e3779b97f4a7c15ULL) >> 54];

	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

static void key_of(struct etcd_owner *eo, uint64_t id, char key[ETCD_KEY_MAX])
{
	snprintf(key, ETCD_KEY_MAX, "%s%016" PRIx64, eo->prefix, id);
}

static void sealed_key_of(struct etcd_owner *eo, uint64_t id, char key[ETCD_KEY_MAX])
{
	snprintf(key, ETCD_KEY_MAX, "%s" OWNER_SEALED_DIR "%016" PRIx64, eo->prefix, id);
}

static void value_of(struct etcd_owner *eo, uint64_t id, uint64_t version, uint32_t epoch,
		     char value[ETCD_VALUE_MAX])
{
	snprintf(value, ETCD_VALUE_MAX,
		 "{\"node\":\"%s\",\"session\":\"%016" PRIx64 "\",\"version\":%" PRIu64
		 ",\"epoch\":%u}", eo->node, id, version, epoch);
}

/* <state_dir>/<id>.owner, for jumpctl session show: "node=NAME". */
static void owner_file(struct etcd_owner *eo, uint64_t id, bool present)
{
	char path[4200], tmp[4210];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%016" PRIx64 ".owner", eo->state_dir, id);
	if (!present) {
		unlink(path);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "node=%s\n", eo->node);
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

static void remember(struct etcd_owner *eo, uint64_t id, int64_t mod_revision,
		     unsigned int gen)
{
	struct record **pp = slot(eo, id), *r = *pp;

	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return;		/* not owned then: refused later, never wrong */
		r->id = id;
		*pp = r;
	}
	r->mod_revision = mod_revision;
	r->gen = gen;
	owner_file(eo, id, true);
}

static void forget(struct etcd_owner *eo, uint64_t id)
{
	struct record **pp = slot(eo, id), *r = *pp;

	if (!r)
		return;
	*pp = r->next;
	free(r);
	owner_file(eo, id, false);
}

/* Why etcd refused: enum jump_owner_reason. */
static int store_reason(struct etcd *e)
{
	switch (etcd_status(e)) {
	case ETCD_GARBAGE:
		return JUMP_OWNER_STORE_GARBAGE;
	case ETCD_TIMEOUT:
	case ETCD_REFUSED:
		return JUMP_OWNER_NO_QUORUM;
	default:
		return JUMP_OWNER_STORE_UNAVAILABLE;
	}
}

/* Is the standing good enough to change a record? 0, or -1 (recorded). */
static int may_change(struct owner *o, uint64_t id, struct lease *l, const char *what)
{
	struct etcd_owner *eo = o->priv;

	*l = lease_now(eo);
	if (lease_valid(l, mono()))
		return 0;
	record(o, id, l->id && l->no_leader && !l->gone ? JUMP_OWNER_NO_QUORUM :
	       JUMP_OWNER_LEASE_LOST, "%s refused: this node's lease is not surely alive (%s)",
	       what, l->why[0] ? l->why : l->abandon ? "given up at the fence, no new one yet" :
	       "no lease yet");
	return -1;
}

/*
 * Did this node write @kv, under its lease @lease? Only this node writes
 * under its lease: a record that is ours but not at the mod_revision we
 * know is a write of ours whose answer we missed (it timed out, and etcd
 * committed it later, when its quorum came back).
 */
static bool ours(struct etcd_owner *eo, const struct etcd_kv *kv, int64_t lease)
{
	char want[JUMP_NODE_NAME_MAX + 16];

	snprintf(want, sizeof(want), "{\"node\":\"%s\",", eo->node);
	return lease && kv->lease == lease && !strncmp(kv->value, want, strlen(want));
}

/*
 * Puts the record of @id (@mod_revision 0: create it) under the current
 * lease: 1 done, 0 another holds it, -1 refused (recorded).
 */
static int put_record(struct owner *o, uint64_t id, int64_t mod_revision, uint64_t version,
		      uint32_t epoch, const char *what)
{
	struct etcd_owner *eo = o->priv;
	char key[ETCD_KEY_MAX], value[ETCD_VALUE_MAX];
	struct etcd_txn_reply r;
	struct lease l;
	int ret;

	if (may_change(o, id, &l, what))
		return -1;
	key_of(eo, id, key);
	value_of(eo, id, version, epoch, value);
	ret = etcd_put_if(eo->kv, key, mod_revision, value, l.id, &r);
	if (ret == 0 && r.found && ours(eo, &r.kv, l.id)) {
		log_info("session %016" PRIx64 ": a write of ours landed late (revision %" PRId64
			 "): %s again from it", id, r.kv.mod_revision, what);
		ret = etcd_put_if(eo->kv, key, r.kv.mod_revision, value, l.id, &r);
	}
	if (ret < 0) {
		record(o, id, store_reason(eo->kv), "%s refused: %s", what, etcd_error(eo->kv));
		return -1;
	}
	if (ret == 0) {
		record(o, id, JUMP_OWNER_CAS_LOST, "%s refused: the record %s", what,
		       r.found ? r.kv.value : "is gone");
		return 0;
	}
	/* The answer took time: the lease must still be surely alive now. */
	if (!lease_valid(&l, mono())) {
		record(o, id, JUMP_OWNER_LEASE_LOST,
		       "%s refused: the lease ran out while etcd answered", what);
		return -1;
	}
	remember(eo, id, r.revision, l.gen);
	return 1;
}

static int etcd_claim(struct owner *o, uint64_t id)
{
	struct etcd_owner *eo = o->priv;

	if (put_record(o, id, 0, 0, 0, "claim") != 1)
		return -1;
	record(o, id, JUMP_OWNER_CLAIMED, "claimed by %s at revision %" PRId64, eo->node,
	       (*slot(eo, id))->mod_revision);
	return 0;
}

/*
 * A session of this node's with no record in memory (jumpd restarted):
 * its record, if it names this node or is gone, goes under the new lease.
 */
static bool adopt(struct owner *o, uint64_t id)
{
	struct etcd_owner *eo = o->priv;
	char key[ETCD_KEY_MAX], want[JUMP_NODE_NAME_MAX + 16];
	struct etcd_kv kv;
	int ret;

	key_of(eo, id, key);
	ret = etcd_get(eo->kv, key, &kv);
	if (ret < 0) {
		record(o, id, store_reason(eo->kv), "adoption refused: %s", etcd_error(eo->kv));
		return false;
	}
	snprintf(want, sizeof(want), "{\"node\":\"%s\",", eo->node);
	if (ret == 1 && strncmp(kv.value, want, strlen(want)))
		return false;	/* another node's */
	if (put_record(o, id, ret == 1 ? kv.mod_revision : 0, 0, 0, "adoption") != 1)
		return false;
	record(o, id, JUMP_OWNER_ADOPTED, "adopted by %s at revision %" PRId64, eo->node,
	       (*slot(eo, id))->mod_revision);
	return true;
}

static bool etcd_owns(struct owner *o, uint64_t id)
{
	struct etcd_owner *eo = o->priv;
	struct record *r = *slot(eo, id);
	struct lease l = lease_now(eo);

	if (!r)
		return adopt(o, id);
	return !r->ended && r->gen == l.gen && lease_valid(&l, mono());
}

static int etcd_move(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch)
{
	struct etcd_owner *eo = o->priv;
	struct record *r = *slot(eo, id);
	int64_t from;

	if (r && r->ended)
		r = NULL;
	if (!r && !adopt(o, id)) {
		record(o, id, JUMP_OWNER_CAS_LOST, "transition refused: not this node's session");
		return -1;
	}
	r = *slot(eo, id);
	from = r->mod_revision;
	if (put_record(o, id, from, version, epoch, "transition") != 1)
		return -1;
	record(o, id, JUMP_OWNER_MOVED, "moved from revision %" PRId64 " to %" PRId64
	       " (version %" PRIu64 ", epoch %u)", from, (*slot(eo, id))->mod_revision,
	       version, epoch);
	return 0;
}

/* Deletes the record at @rev, and with @sealed its sealed state: 1, 0, -1. */
static int delete_at(struct etcd_owner *eo, const char *key, int64_t rev, uint64_t id,
		     bool sealed)
{
	char skey[ETCD_KEY_MAX];

	if (!sealed)
		return etcd_delete_if(eo->kv, key, rev);
	sealed_key_of(eo, id, skey);
	return etcd_delete_both_if(eo->kv, key, rev, skey);
}

/*
 * Deletes the record of @r if it is still ours (and its sealed state,
 * unless @keep_sealed): 0, or -1 (etcd failed).
 */
static int delete_record(struct owner *o, struct record *r, int64_t lease, bool keep_sealed)
{
	struct etcd_owner *eo = o->priv;
	bool sealed = eo->sealing && !keep_sealed;
	char key[ETCD_KEY_MAX];
	struct etcd_kv kv;
	int ret;

	key_of(eo, r->id, key);
	ret = delete_at(eo, key, r->mod_revision, r->id, sealed);
	/* Not where we left it: a late write of ours, or another node's. */
	if (ret == 0 && etcd_get(eo->kv, key, &kv) == 1 && ours(eo, &kv, lease))
		ret = delete_at(eo, key, kv.mod_revision, r->id, sealed);
	if (ret < 0)
		return -1;
	if (ret == 1)
		record(o, r->id, JUMP_OWNER_RELEASED, "record deleted");
	return 0;
}

static void etcd_release(struct owner *o, uint64_t id)
{
	struct etcd_owner *eo = o->priv;
	struct record *r = *slot(eo, id);
	struct lease l = lease_now(eo);

	if (!r || r->ended)
		return;
	if (r->gen == l.gen && !lease_valid(&l, mono()) && !l.abandon && !l.gone) {
		/* Frozen: the lease may be renewed; the record goes then. */
		r->ended = true;
		eo->ended++;
		owner_file(eo, id, false);
		return;
	}
	/* A record under a lost lease goes with it. */
	if (r->gen == l.gen && lease_valid(&l, mono()) && delete_record(o, r, l.id, false))
		log_warn("session %016" PRIx64 ": its record stays until the lease ends: %s",
			 id, etcd_error(eo->kv));
	forget(eo, id);
}

/* The records of sessions that ended while the node was frozen: deleted now. */
static void sweep_ended(struct owner *o, const struct lease *l)
{
	struct etcd_owner *eo = o->priv;
	struct record *r, *n;
	size_t i;

	for (i = 0; i < BUCKETS && eo->ended; i++)
		for (r = eo->table[i]; r; r = n) {
			n = r->next;
			if (!r->ended)
				continue;
			if (r->gen == l->gen && delete_record(o, r, l->id, false))
				return;		/* etcd failed again: next turn */
			eo->ended--;
			forget(eo, r->id);
		}
}

/* Forgets the records of @gen: their sessions end now (the caller ends them). */
static void fence(struct owner *o, const struct lease *l)
{
	struct etcd_owner *eo = o->priv;

	record(o, 0, JUMP_OWNER_LEASE_LOST,
	       "lease %" PRId64 " lost (%s): no more commits, this node's sessions end",
	       l->id, l->gone ? "etcd says it is gone" :
	       l->why[0] ? l->why : "no keepalive answered in time");
	pthread_mutex_lock(&eo->lock);
	if (eo->lease.gen == l->gen)
		eo->lease.abandon = true;	/* let it expire; the keeper takes a new one */
	pthread_cond_signal(&eo->wake);
	pthread_mutex_unlock(&eo->lock);
	eo->fenced_gen = l->gen + 1;
}

static enum owner_standing etcd_standing(struct owner *o, uint64_t now)
{
	struct etcd_owner *eo = o->priv;
	struct lease l = lease_now(eo);

	if (lease_valid(&l, now)) {
		if (eo->frozen)
			record(o, 0, JUMP_OWNER_LEASE_RENEWED, "lease %" PRId64 " renewed", l.id);
		eo->frozen = false;
		if (eo->ended)
			sweep_ended(o, &l);
		return OWNER_OK;
	}
	if (!l.id || l.abandon || eo->fenced_gen == l.gen + 1)
		return OWNER_FROZEN;	/* nothing held under it: new claims wait */
	if (l.gone || !l.no_leader) {
		fence(o, &l);
		eo->frozen = false;
		return OWNER_FENCED;
	}
	if (!eo->frozen)
		record(o, 0, JUMP_OWNER_NO_QUORUM,
		       "lease %" PRId64 " not renewed, etcd answers without a quorum (%s): sessions keep forwarding, changes are refused",
		       l.id, l.why);
	eo->frozen = true;
	return OWNER_FROZEN;
}

/* ---- Failover: the sealed state (ClusterKeyFile) ---- */

static int etcd_stash(struct owner *o, const struct seal_state *st)
{
	struct etcd_owner *eo = o->priv;
	struct record *r = *slot(eo, st->id);
	char key[ETCD_KEY_MAX], skey[ETCD_KEY_MAX], text[SEAL_TEXT_MAX];
	struct lease l = lease_now(eo);
	int ret;

	if (!r || r->ended || r->gen != l.gen || !lease_valid(&l, mono()))
		return -1;	/* not surely ours: the fence refuses it anyway */
	key_of(eo, st->id, key);
	sealed_key_of(eo, st->id, skey);
	if (seal_state(eo->cluster_key, skey, st, text)) {
		log_warn("session %016" PRIx64 ": cannot seal its state", st->id);
		return -1;
	}
	ret = etcd_put_fenced(eo->kv, key, r->mod_revision, skey, text);
	if (ret < 0)
		log_warn("session %016" PRIx64 ": its sealed state is not stored, the last one stays: %s",
			 st->id, etcd_error(eo->kv));
	else if (ret == 0)
		record(o, st->id, JUMP_OWNER_CAS_LOST,
		       "sealed state refused: the record moved from revision %" PRId64,
		       r->mod_revision);
	return ret == 1 ? 0 : -1;
}

static int etcd_orphan(struct owner *o, uint64_t id, struct seal_state *st)
{
	struct etcd_owner *eo = o->priv;
	char key[ETCD_KEY_MAX], skey[ETCD_KEY_MAX];
	struct etcd_kv sealed, rec;
	int ret;

	sealed_key_of(eo, id, skey);
	ret = etcd_get(eo->kv, skey, &sealed);
	if (ret == 1) {
		/* Its owner's record goes with the owner's lease. */
		key_of(eo, id, key);
		ret = etcd_get(eo->kv, key, &rec);
		if (ret == 1) {
			log_debug("session %016" PRIx64 ": owned by a live node: %s", id, rec.value);
			return 0;
		}
		if (ret == 0)
			ret = 1;
	}
	if (ret < 0) {
		record(o, id, store_reason(eo->kv), "failover refused: %s", etcd_error(eo->kv));
		return -1;
	}
	if (ret == 0)
		return 0;	/* no sealed state: no session of this cluster's */
	if (seal_open(eo->cluster_key, skey, sealed.value, sealed.value_len, st) ||
	    st->id != id) {
		record(o, id, JUMP_OWNER_STORE_GARBAGE,
		       "failover refused: the sealed state does not open under the cluster key");
		return -1;
	}
	return 1;
}

static int etcd_take(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch)
{
	struct etcd_owner *eo = o->priv;

	if (put_record(o, id, 0, version, epoch, "failover") != 1)
		return -1;
	record(o, id, JUMP_OWNER_FAILOVER,
	       "taken over by %s at revision %" PRId64 " from its sealed state (version %"
	       PRIu64 ", epoch %u): the owner's record is gone", eo->node,
	       (*slot(eo, id))->mod_revision, version, epoch);
	return 0;
}

static void etcd_drop(struct owner *o, uint64_t id)
{
	struct etcd_owner *eo = o->priv;
	struct record *r = *slot(eo, id);
	struct lease l = lease_now(eo);

	if (!r)
		return;
	if (r->gen == l.gen && lease_valid(&l, mono()) && delete_record(o, r, l.id, true))
		log_warn("session %016" PRIx64 ": its record stays until the lease ends: %s",
			 id, etcd_error(eo->kv));
	forget(eo, id);
}

static void etcd_owner_free(struct owner *o)
{
	struct etcd_owner *eo = o->priv;
	struct record *r, *n;
	size_t i;

	if (!eo)
		return;
	if (eo->running) {
		pthread_mutex_lock(&eo->lock);
		eo->stop = true;
		pthread_cond_signal(&eo->wake);
		pthread_mutex_unlock(&eo->lock);
		pthread_join(eo->thread, NULL);
	}
	/* The lease is left to expire: a restarted jumpd adopts the records. */
	for (i = 0; i < BUCKETS; i++)
		for (r = eo->table[i]; r; r = n) {
			n = r->next;
			free(r);
		}
	etcd_free(eo->kv);
	etcd_free(eo->keeper);
	sodium_memzero(eo->cluster_key, sizeof(eo->cluster_key));
	pthread_cond_destroy(&eo->wake);
	pthread_mutex_destroy(&eo->lock);
	free(eo);
	curl_global_cleanup();
}

static const struct owner_ops etcd_ops = {
	.name = "etcd",
	.claim = etcd_claim,
	.owns = etcd_owns,
	.move = etcd_move,
	.release = etcd_release,
	.standing = etcd_standing,
	.free = etcd_owner_free,
};

/* With ClusterKeyFile: the same, and the sealed state for failover. */
static const struct owner_ops etcd_sealing_ops = {
	.name = "etcd",
	.claim = etcd_claim,
	.owns = etcd_owns,
	.move = etcd_move,
	.release = etcd_release,
	.standing = etcd_standing,
	.free = etcd_owner_free,
	.stash = etcd_stash,
	.orphan = etcd_orphan,
	.take = etcd_take,
	.drop = etcd_drop,
};

static int start_keeper(struct etcd_owner *eo)
{
	pthread_condattr_t ca;
	int err;

	pthread_mutex_init(&eo->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&eo->wake, &ca);
	pthread_condattr_destroy(&ca);
	/* The first lease before anything is claimed: no etcd, no start. */
	grant(eo);
	if (!eo->lease.id) {
		log_err("cluster: etcd grants no lease: %s", etcd_error(eo->keeper));
		return -1;
	}
	err = pthread_create(&eo->thread, NULL, keeper_main, eo);
	if (err) {
		log_err("cluster: cannot start the lease keeper: %s", strerror(err));
		return -1;
	}
	eo->running = true;
	return 0;
}

int owner_etcd_init(struct owner *o, const struct config *cfg, const char *ifname)
{
	const struct config_cluster *cl = &cfg->cluster;
	struct etcd_owner *eo = calloc(1, sizeof(*eo));
	uint64_t margin;
	char err[ETCD_ERR_LEN];
	unsigned int keeper_ms = cl->lease_ttl_ms / 4;

	if (!eo)
		return -1;
	o->ops = cl->has_key ? &etcd_sealing_ops : &etcd_ops;
	o->priv = eo;
	eo->sealing = cl->has_key;
	memcpy(eo->cluster_key, cl->key, sizeof(eo->cluster_key));
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		log_err("cluster: libcurl cannot initialize");
		return -1;
	}
	snprintf(eo->node, sizeof(eo->node), "%s", cl->node);
	snprintf(eo->prefix, sizeof(eo->prefix), "/jump/%s/", ifname);
	snprintf(eo->state_dir, sizeof(eo->state_dir), "%s", cfg->state_dir);
	eo->ttl_ns = (uint64_t)cl->lease_ttl_ms * MS;
	eo->ttl_s = (cl->lease_ttl_ms + 999) / 1000;
	margin = eo->ttl_ns * JUMP_LEASE_MARGIN_PERCENT / 100;
	eo->margin_ns = margin > JUMP_LEASE_MARGIN_MIN_MS * MS ? margin :
			JUMP_LEASE_MARGIN_MIN_MS * MS;
	eo->kv = etcd_new(cl->endpoints, CALL_TIMEOUT_MS, err);
	if (eo->kv)
		eo->keeper = etcd_new(cl->endpoints, keeper_ms, err);
	if (!eo->kv || !eo->keeper) {
		log_err("cluster: %s", err);
		return -1;
	}
	if (start_keeper(eo))
		return -1;
	log_info("cluster: node %s, etcd %s, lease %" PRId64 " (TTL %u ms, fenced %" PRIu64
		 " ms before etcd could expire it), failover %s", eo->node, cl->endpoints,
		 eo->lease.id, cl->lease_ttl_ms, (uint64_t)(eo->margin_ns / MS),
		 eo->sealing ? "on (ClusterKeyFile)" : "off");
	return 0;
}
