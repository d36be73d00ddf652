/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ownership authority: which node may reattach a session. A session is
 * changed only by its owner; with one node, every session this node birthed
 * is owned here. A cluster store (etcd: a CAS on the record's revision, a
 * lease per node) implements the same operations later, and its revision
 * becomes the fencing token.
 */
#ifndef JUMPD_OWNER_H
#define JUMPD_OWNER_H

#include <stdbool.h>
#include <stdint.h>

struct owner;

struct owner_ops {
	const char *name;
	/* Records this node as the owner of a new session: 0, or -1 (refuse it). */
	int (*claim)(struct owner *o, uint64_t id);
	/* Is the session owned by this node right now? */
	bool (*owns)(struct owner *o, uint64_t id);
	/* The session ended: its record goes. */
	void (*release)(struct owner *o, uint64_t id);
};

struct owner {
	const struct owner_ops *ops;
	void *priv;
};

/*
 * The single-node authority: owns what it claimed, remembered in
 * @state_dir so that a restart keeps ownership.
 */
int owner_local_init(struct owner *o, const char *state_dir);
void owner_free(struct owner *o);

static inline int owner_claim(struct owner *o, uint64_t id)
{
	return o->ops->claim(o, id);
}

static inline bool owner_owns(struct owner *o, uint64_t id)
{
	return o->ops->owns(o, id);
}

static inline void owner_release(struct owner *o, uint64_t id)
{
	o->ops->release(o, id);
}

#endif /* JUMPD_OWNER_H */
