/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ownership authority: which node may change a session. A session is
 * changed only by its owner. Two backends: the single node's (owner.c:
 * every session this node birthed is owned here, remembered by the state
 * directory) and the cluster's (owner_etcd.c: a record per session in
 * etcd, created and moved by compare-and-swap on its mod_revision, under
 * the node's lease; Documentation/jumpd.rst, "Cluster ownership").
 */
#ifndef JUMPD_OWNER_H
#define JUMPD_OWNER_H

#include <stdbool.h>
#include <stdint.h>

struct owner;
struct config;
struct seal_state;

/* The node's standing, judged once a loop turn (owner_standing()). */
enum owner_standing {
	OWNER_OK,	/* it may claim and commit */
	OWNER_FROZEN,	/* etcd answers without a quorum: no commits, keep forwarding */
	OWNER_FENCED,	/* its lease is lost: end every session it held (once) */
};

struct owner_ops {
	const char *name;
	/* Records this node as the owner of a new session: 0, or -1 (refuse it). */
	int (*claim)(struct owner *o, uint64_t id);
	/* Is the session owned by this node right now? */
	bool (*owns)(struct owner *o, uint64_t id);
	/*
	 * A transition of @id is about to be committed, from kernel version
	 * @version to a binding of @epoch: 0 if it may (the record moved
	 * with it), -1 if not (recorded: fenced, or the record is not ours).
	 */
	int (*move)(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch);
	/* The session ended: its record goes. */
	void (*release)(struct owner *o, uint64_t id);
	/* @now: CLOCK_MONOTONIC ns. */
	enum owner_standing (*standing)(struct owner *o, uint64_t now);
	void (*free)(struct owner *o);

	/*
	 * Failover (ClusterKeyFile; NULL without): Documentation/jumpd.rst,
	 * "Failover". @stash seals @st and stores it beside the session's
	 * record, fenced by it (only the holder at its revision writes):
	 * 0, or -1 (logged; the last stored state stays).
	 */
	int (*stash)(struct owner *o, const struct seal_state *st);
	/*
	 * A session this node does not hold: 1 with its opened state in @st
	 * if it has one and its owner's record is gone (the owner's lease
	 * ran out); 0 if not (none, or a live owner holds it); -1 if etcd
	 * failed or the state does not open (recorded).
	 */
	int (*orphan)(struct owner *o, uint64_t id, struct seal_state *st);
	/* Claims an orphan (CAS: the record absent) with reason failover: 0 or -1. */
	int (*take)(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch);
	/* A takeover that failed half way: the record goes, the sealed state stays. */
	void (*drop)(struct owner *o, uint64_t id);
};

/* What a backend records: an ownership change or refusal (enum jump_owner_reason). */
typedef void (*owner_record_fn)(void *ctx, uint64_t id, int reason, const char *detail);

struct owner {
	const struct owner_ops *ops;
	void *priv;
	owner_record_fn record;		/* NULL: nothing recorded */
	void *ctx;
};

/*
 * The single-node authority: owns what it claimed, remembered in
 * @state_dir so that a restart keeps ownership.
 */
int owner_local_init(struct owner *o, const char *state_dir);
/*
 * The cluster authority of @cfg's [Cluster]: a lease granted (and kept
 * alive by a thread of its own) before it returns 0; -1 (logged) if etcd
 * cannot grant one. Records go under /jump/<ifname>/; `jumpctl session
 * show` reads the owner from <state_dir>/<id>.owner.
 */
int owner_etcd_init(struct owner *o, const struct config *cfg, const char *ifname);
/*
 * The sealed state of session @id goes under <prefix>sealed/<id>, also its
 * associated data: "/jump/<ifname>/sealed/<016x id>".
 */
#define OWNER_SEALED_DIR	"sealed/"

void owner_free(struct owner *o);

static inline int owner_claim(struct owner *o, uint64_t id)
{
	return o->ops->claim(o, id);
}

static inline bool owner_owns(struct owner *o, uint64_t id)
{
	return o->ops->owns(o, id);
}

static inline int owner_move(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch)
{
	return o->ops->move ? o->ops->move(o, id, version, epoch) : 0;
}

static inline void owner_release(struct owner *o, uint64_t id)
{
	o->ops->release(o, id);
}

/* Does this node seal its sessions' state for failover? */
static inline bool owner_sealing(const struct owner *o)
{
	return o->ops && o->ops->stash;
}

static inline int owner_stash(struct owner *o, const struct seal_state *st)
{
	return o->ops->stash ? o->ops->stash(o, st) : 0;
}

static inline int owner_orphan(struct owner *o, uint64_t id, struct seal_state *st)
{
	return o->ops->orphan ? o->ops->orphan(o, id, st) : 0;
}

static inline int owner_take(struct owner *o, uint64_t id, uint64_t version, uint32_t epoch)
{
	return o->ops->take ? o->ops->take(o, id, version, epoch) : -1;
}

static inline void owner_drop(struct owner *o, uint64_t id)
{
	if (o->ops->drop)
		o->ops->drop(o, id);
}

static inline enum owner_standing owner_standing(struct owner *o, uint64_t now)
{
	return o->ops->standing ? o->ops->standing(o, now) : OWNER_OK;
}

#endif /* JUMPD_OWNER_H */
