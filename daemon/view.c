// SPDX-License-Identifier: GPL-2.0
/*
 * The session table of jumpd's view: open addressing with linear probing.
 *
 * Deletion shifts the following entries of the probe run back (Knuth's
 * algorithm R) instead of leaving tombstones, so lookups stay short however
 * many sessions come and go: a VPN server churns through sessions all day.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/jump.h>

#include "view.h"

#define VIEW_MIN_SLOTS	1024
#define VIEW_MIN_DEVS	8

/* Grow at 3/4 full: linear probing degrades quickly beyond that. */
static bool too_full(size_t count, size_t slots)
{
	return count * 4 >= slots * 3;
}

/*
 * splitmix64's finalizer over (ifindex, id): client session ids are chosen
 * by servers and may be small and dense, so the bits need mixing before
 * masking, or neighbours would pile up in one probe run.
 */
static size_t home_slot(const struct view *v, uint32_t ifindex, uint64_t id)
{
	uint64_t h = id ^ ((uint64_t)ifindex * 0x9e3779b97f4a7c15ULL);

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h & v->mask;
}

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
}

void view_free(struct view *v)
{
	free(v->slots);
	free(v->devs);
	view_init(v);
}

/* The slot holding (ifindex, id), or the free slot ending its probe run. */
static size_t probe(const struct view *v, uint32_t ifindex, uint64_t id)
{
	size_t i = home_slot(v, ifindex, id);

	while (v->slots[i].ifindex &&
	       (v->slots[i].ifindex != ifindex || v->slots[i].id != id))
		i = (i + 1) & v->mask;
	return i;
}

const struct view_session *view_find(const struct view *v, uint32_t ifindex,
				     uint64_t id)
{
	size_t i;

	if (!v->slots || !ifindex)
		return NULL;
	i = probe(v, ifindex, id);
	return v->slots[i].ifindex ? &v->slots[i] : NULL;
}

/* Rehashes into twice the slots (or the minimum); on ENOMEM keeps the old. */
static int grow(struct view *v)
{
	size_t nslots = v->slots ? (v->mask + 1) * 2 : VIEW_MIN_SLOTS;
	struct view_session *old = v->slots;
	size_t oldn = v->slots ? v->mask + 1 : 0, i;

	v->slots = calloc(nslots, sizeof(*v->slots));
	if (!v->slots) {
		v->slots = old;
		return -1;
	}
	v->mask = nslots - 1;
	for (i = 0; i < oldn; i++)
		if (old[i].ifindex)
			v->slots[probe(v, old[i].ifindex, old[i].id)] = old[i];
	free(old);
	return 0;
}

/* Keeps v->states in step with the table; a state out of range counts nowhere. */
static void count_state(struct view *v, uint8_t state, int delta)
{
	if (state <= JUMP_STATE_MAX)
		v->states[state] += delta;
}

/* Is @home cyclically within (hole, j]? Then the entry at j must stay. */
static bool stays(size_t hole, size_t j, size_t home)
{
	if (hole <= j)
		return hole < home && home <= j;
	return hole < home || home <= j;
}

/* Empties slot @i and closes the hole, keeping every probe run unbroken. */
static void remove_at(struct view *v, size_t i)
{
	size_t j = i, home;

	count_state(v, v->slots[i].state, -1);
	for (;;) {
		j = (j + 1) & v->mask;
		if (!v->slots[j].ifindex)
			break;
		home = home_slot(v, v->slots[j].ifindex, v->slots[j].id);
		if (stays(i, j, home))
			continue;
		v->slots[i] = v->slots[j];
		i = j;
	}
	memset(&v->slots[i], 0, sizeof(v->slots[i]));
	v->count--;
}

static enum view_result insert(struct view *v, const struct view_session *s)
{
	if ((!v->slots || too_full(v->count + 1, v->mask + 1)) && grow(v))
		return VIEW_NOMEM;
	v->slots[probe(v, s->ifindex, s->id)] = *s;
	v->count++;
	count_state(v, s->state, 1);
	return VIEW_ADDED;
}

enum view_result view_upsert(struct view *v, const struct view_session *s,
			     uint64_t *held)
{
	struct view_session *cur = NULL;
	size_t i = 0;

	if (held)
		*held = 0;
	if (!s->ifindex)
		return VIEW_INVALID;
	if (v->slots) {
		i = probe(v, s->ifindex, s->id);
		if (v->slots[i].ifindex)
			cur = &v->slots[i];
	}
	if (cur && held)
		*held = cur->version;
	if (cur && s->version <= cur->version)
		return VIEW_STALE;
	if (s->state == JUMP_STATE_TERMINATED) {
		if (!cur)
			return VIEW_ABSENT;
		remove_at(v, i);
		return VIEW_REMOVED;
	}
	if (!cur)
		return insert(v, s);
	count_state(v, cur->state, -1);
	count_state(v, s->state, 1);
	*cur = *s;
	return VIEW_UPDATED;
}

/*
 * One pass; after a removal the same slot is looked at again, since an entry
 * from further along may have moved into it. Entries only ever move back
 * into the hole, so nothing not yet visited can slip behind the scan (one
 * that wraps around from the start of the table was visited and kept).
 */
size_t view_forget_sessions(struct view *v, uint32_t ifindex)
{
	size_t i, n = 0;

	if (!v->slots)
		return 0;
	for (i = 0; i <= v->mask; i++)
		while (v->slots[i].ifindex == ifindex) {
			remove_at(v, i);
			n++;
		}
	return n;
}

struct view_dev *view_dev_find(const struct view *v, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < v->ndevs; i++)
		if (v->devs[i].ifindex == ifindex)
			return &v->devs[i];
	return NULL;
}

static struct view_dev *dev_new(struct view *v, uint32_t ifindex)
{
	size_t cap = v->devs_cap ? v->devs_cap * 2 : VIEW_MIN_DEVS;
	struct view_dev *d;

	if (v->ndevs == v->devs_cap) {
		d = reallocarray(v->devs, cap, sizeof(*d));
		if (!d)
			return NULL;
		v->devs = d;
		v->devs_cap = cap;
	}
	d = &v->devs[v->ndevs++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	return d;
}

struct view_dev *view_dev_add(struct view *v, uint32_t ifindex,
			      const char *name, bool followed)
{
	struct view_dev *d = view_dev_find(v, ifindex);

	if (!d)
		d = dev_new(v, ifindex);
	if (!d)
		return NULL;
	d->followed = followed;
	d->gone = false;
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->name[sizeof(d->name) - 1] = '\0';
	return d;
}

void view_dev_gone(struct view *v, uint32_t ifindex)
{
	struct view_dev *d = view_dev_find(v, ifindex);

	view_forget_sessions(v, ifindex);
	if (!d)
		return;
	d->followed = false;
	d->gone = true;
}

enum view_seq view_dev_check_seq(struct view_dev *d, uint64_t seq)
{
	if (seq <= d->seq)
		return VIEW_SEQ_OLD;
	if (seq != d->seq + 1)
		return VIEW_SEQ_GAP;
	d->seq = seq;
	return VIEW_SEQ_NEXT;
}
