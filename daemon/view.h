/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's view of the kernel's sessions.
 *
 * The kernel is the source of truth; the view is rebuilt from a dump plus the
 * event stream and only ever moves forward: an update whose version is not
 * newer than the one held is stale and ignored. Per device, the view also
 * remembers the last event sequence number it accounted for, so a lost event
 * shows up as a gap.
 *
 * No netlink here: the view is plain data, tested on the host.
 */
#ifndef JUMPD_VIEW_H
#define JUMPD_VIEW_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

struct view_session {
	uint64_t id;
	uint64_t version;
	uint32_t ifindex;	/* never 0: 0 marks a free slot of the table */
	uint8_t role;		/* enum jump_role */
	uint8_t state;		/* enum jump_state */
};

struct view_dev {
	uint32_t ifindex;
	bool followed;		/* false: -i names another device, or gone */
	bool gone;		/* deleted: its trailing events are ignored */
	uint64_t seq;		/* last EVENT_SEQ accounted for */
	char name[IF_NAMESIZE];
};

/*
 * Sessions live in an open-addressing table (linear probing, backward-shift
 * deletion): one allocation for all of them, no tombstones. Devices are few
 * (each one is a netdevice) and sit in a plain array.
 */
struct view {
	struct view_session *slots;	/* NULL until the first session */
	size_t mask;			/* number of slots - 1 (a power of 2) */
	size_t count;
	/* How many of them are in each state: what jumpd's STATUS= shows. */
	size_t states[JUMP_STATE_MAX + 1];
	struct view_dev *devs;
	size_t ndevs;
	size_t devs_cap;
};

enum view_result {
	VIEW_ADDED,	/* a session the view did not hold */
	VIEW_UPDATED,	/* newer version of a held session */
	VIEW_REMOVED,	/* terminated: dropped from the view */
	VIEW_ABSENT,	/* terminated, and the view did not hold it anyway */
	VIEW_STALE,	/* version not newer than the held one: ignored */
	VIEW_INVALID,	/* ifindex 0 */
	VIEW_NOMEM,
};

enum view_seq {
	VIEW_SEQ_NEXT,	/* exactly the next one: accounted for */
	VIEW_SEQ_OLD,	/* not newer than the last dump: already in the view */
	VIEW_SEQ_GAP,	/* events were lost: resynchronize the device */
};

/* An empty view; it allocates on first use, so this cannot fail. */
void view_init(struct view *v);
/* Frees everything; the view is empty and usable again afterwards. */
void view_free(struct view *v);

/*
 * The held session, or NULL. The pointer is valid until the next change of
 * the view (the table moves entries around).
 */
const struct view_session *view_find(const struct view *v, uint32_t ifindex,
				     uint64_t id);

/*
 * Applies a session as a dump or an event shows it: inserts it, or replaces
 * the held one if @s->version is newer; a TERMINATED state removes it.
 * @held, if not NULL, receives the version held before (0 if none).
 */
enum view_result view_upsert(struct view *v, const struct view_session *s,
			     uint64_t *held);

/* Drops every session of a device (before a dump of it); returns how many. */
size_t view_forget_sessions(struct view *v, uint32_t ifindex);

/*
 * Devices. view_dev_add() returns the entry for @ifindex, creating it with
 * seq 0 if needed, and sets its name and followed flag (and clears gone);
 * NULL on ENOMEM. Entry pointers are valid until the next view_dev_add().
 */
struct view_dev *view_dev_find(const struct view *v, uint32_t ifindex);
struct view_dev *view_dev_add(struct view *v, uint32_t ifindex,
			      const char *name, bool followed);
/*
 * A device was deleted: its sessions leave the view, and the entry stays
 * behind, unfollowed and marked gone, so that the events still queued for
 * it (one per session it terminated) are ignored without a lookup each.
 */
void view_dev_gone(struct view *v, uint32_t ifindex);

/* Classifies the EVENT_SEQ of an event of @d; NEXT also records it. */
enum view_seq view_dev_check_seq(struct view_dev *d, uint64_t seq);

#endif /* JUMPD_VIEW_H */
