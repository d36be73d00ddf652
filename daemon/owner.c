// SPDX-License-Identifier: GPL-2.0
/*
 * The single-node ownership authority. A session is owned here while its
 * state file exists in the state directory (store.c writes it at birth and
 * removes it at termination): the file is the ownership record, so a
 * restarted jumpd owns exactly what it owned before.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owner.h"
#include "store.h"

struct local_owner {
	char dir[4096];
};

static int local_claim(struct owner *o, uint64_t id)
{
	/* The state file written right after the claim is the record. */
	return 0;
}

static bool local_owns(struct owner *o, uint64_t id)
{
	struct local_owner *lo = o->priv;

	return store_exists(lo->dir, id);
}

static void local_release(struct owner *o, uint64_t id)
{
}

static const struct owner_ops local_ops = {
	.name = "local",
	.claim = local_claim,
	.owns = local_owns,
	.release = local_release,
};

int owner_local_init(struct owner *o, const char *state_dir)
{
	struct local_owner *lo = calloc(1, sizeof(*lo));

	if (!lo)
		return -1;
	snprintf(lo->dir, sizeof(lo->dir), "%s", state_dir);
	o->ops = &local_ops;
	o->priv = lo;
	return 0;
}

void owner_free(struct owner *o)
{
	if (o->ops && o->ops->free)
		o->ops->free(o);
	else
		free(o->priv);
	o->priv = NULL;
}
