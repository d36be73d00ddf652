// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include <linux/jump.h>

#include "view.h"

#define VIEW_MIN_BUCKETS 1024

static size_t bucket_of(const struct view *v, uint32_t ifindex, uint64_t id)
{
	/* Server ids are random; client ids may be small and dense: mix. */
	uint64_t h = (id ^ ((uint64_t)ifindex << 32)) * 0x9e3779b97f4a7c15ULL;

	return (h >> 32) & (v->nbuckets - 1);
}

int view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->nbuckets = VIEW_MIN_BUCKETS;
	v->buckets = calloc(v->nbuckets, sizeof(*v->buckets));
	return v->buckets ? 0 : -1;
}

void view_free(struct view *v)
{
	struct view_session *s, *next;
	size_t i;

	for (i = 0; i < v->nbuckets; i++)
		for (s = v->buckets[i]; s; s = next) {
			next = s->next;
			free(s);
		}
	free(v->buckets);
	memset(v, 0, sizeof(*v));
}

struct view_session *view_find(const struct view *v, uint32_t ifindex, uint64_t id)
{
	struct view_session *s;

	for (s = v->buckets[bucket_of(v, ifindex, id)]; s; s = s->next)
		if (s->id == id && s->ifindex == ifindex)
			return s;
	return NULL;
}

/* Doubles the table when chains grow past two on average; failure is fine. */
static void maybe_grow(struct view *v)
{
	struct view_session **old = v->buckets, *s, *next;
	size_t oldn = v->nbuckets, i, b;

	if (v->count < v->nbuckets * 2)
		return;
	v->buckets = calloc(oldn * 2, sizeof(*v->buckets));
	if (!v->buckets) {
		v->buckets = old;
		return;
	}
	v->nbuckets = oldn * 2;
	for (i = 0; i < oldn; i++)
		for (s = old[i]; s; s = next) {
			next = s->next;
			b = bucket_of(v, s->ifindex, s->id);
			s->next = v->buckets[b];
			v->buckets[b] = s;
		}
	free(old);
}

static void unlink_session(struct view *v, struct view_session *victim)
{
	struct view_session **p = &v->buckets[bucket_of(v, victim->ifindex, victim->id)];

	while (*p != victim)
		p = &(*p)->next;
	*p = victim->next;
	free(victim);
	v->count--;
}

enum view_result view_update(struct view *v, const struct view_session *u)
{
	struct view_session *s = view_find(v, u->ifindex, u->id);
	size_t b;

	if (s && u->version <= s->version)
		return VIEW_STALE;
	if (u->state == JUMP_STATE_TERMINATED) {
		if (s)
			unlink_session(v, s);
		return VIEW_REMOVED;
	}
	if (!s) {
		s = malloc(sizeof(*s));
		if (!s)
			return VIEW_NOMEM;
		*s = *u;
		b = bucket_of(v, u->ifindex, u->id);
		s->next = v->buckets[b];
		v->buckets[b] = s;
		v->count++;
		maybe_grow(v);
		return VIEW_APPLIED;
	}
	s->version = u->version;
	s->state = u->state;
	s->role = u->role;
	return VIEW_APPLIED;
}

void view_forget_device(struct view *v, uint32_t ifindex)
{
	struct view_session **p, *s;
	size_t i;

	for (i = 0; i < v->nbuckets; i++) {
		p = &v->buckets[i];
		while ((s = *p)) {
			if (s->ifindex == ifindex) {
				*p = s->next;
				free(s);
				v->count--;
			} else {
				p = &s->next;
			}
		}
	}
}

static int dev_slot(struct view *v, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < v->ndev; i++)
		if (v->dev[i].ifindex == ifindex)
			return i;
	if (v->ndev == VIEW_MAX_DEVICES)
		return -1;
	v->dev[v->ndev].ifindex = ifindex;
	v->dev[v->ndev].seq = 0;
	return v->ndev++;
}

void view_set_seq(struct view *v, uint32_t ifindex, uint64_t seq)
{
	int i = dev_slot(v, ifindex);

	if (i >= 0)
		v->dev[i].seq = seq;
}

enum view_seq view_check_seq(struct view *v, uint32_t ifindex, uint64_t seq)
{
	int i = dev_slot(v, ifindex);

	if (i < 0)
		return VIEW_SEQ_GAP;
	if (seq <= v->dev[i].seq)
		return VIEW_SEQ_OLD;
	if (seq != v->dev[i].seq + 1)
		return VIEW_SEQ_GAP;
	v->dev[i].seq = seq;
	return VIEW_SEQ_NEXT;
}

size_t view_count_state(const struct view *v, uint8_t state)
{
	struct view_session *s;
	size_t i, n = 0;

	for (i = 0; i < v->nbuckets; i++)
		for (s = v->buckets[i]; s; s = s->next)
			n += s->state == state;
	return n;
}
