/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's view of the kernel's sessions. The kernel is the source of truth;
 * the view is rebuilt from a dump plus the event stream, and only ever moves
 * forward: an update whose version is not newer than what is held is stale.
 */
#ifndef JUMPD_VIEW_H
#define JUMPD_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct view_session {
	struct view_session *next;
	uint32_t ifindex;
	uint64_t id;
	uint64_t version;
	uint8_t role;
	uint8_t state;
};

#define VIEW_MAX_DEVICES 64

struct view {
	struct view_session **buckets;
	size_t nbuckets;	/* a power of two */
	size_t count;
	unsigned int ndev;
	struct {
		uint32_t ifindex;
		uint64_t seq;	/* last event sequence number accounted for */
	} dev[VIEW_MAX_DEVICES];
};

enum view_result {
	VIEW_APPLIED,
	VIEW_STALE,	/* not newer than the view: ignored */
	VIEW_REMOVED,	/* terminated: gone from the view */
	VIEW_NOMEM,
};

enum view_seq {
	VIEW_SEQ_NEXT,	/* the one expected */
	VIEW_SEQ_OLD,	/* already accounted for (queued before a dump) */
	VIEW_SEQ_GAP,	/* events were lost: resynchronize */
};

int view_init(struct view *v);
void view_free(struct view *v);
struct view_session *view_find(const struct view *v, uint32_t ifindex, uint64_t id);
/* A session as a dump or an event shows it. */
enum view_result view_update(struct view *v, const struct view_session *s);
/* Drops every session of a device (before a resync of that device). */
void view_forget_device(struct view *v, uint32_t ifindex);

/* Sequence bookkeeping per device. */
void view_set_seq(struct view *v, uint32_t ifindex, uint64_t seq);
enum view_seq view_check_seq(struct view *v, uint32_t ifindex, uint64_t seq);
size_t view_count_state(const struct view *v, uint8_t state);

#endif /* JUMPD_VIEW_H */
