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

static inline enum owner_standing owner_standing(struct owner *o, uint64_t now)
{
	return o->ops->standing ? o->ops->standing(o, now) : OWNER_OK;
}

#endif /* JUMPD_OWNER_H */
