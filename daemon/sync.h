/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeping jumpd's view equal to the kernel's sessions.
 *
 * Order that loses nothing: subscribe to events (jumpd_nl_open), dump
 * (jumpd_sync_all: devices, then each device's sessions), then apply the
 * events that queued meanwhile (jumpd_read_events), where any whose version
 * is not newer than the view's is stale and ignored. A gap in a device's
 * EVENT_SEQ resynchronizes that device; a socket overrun or SIGHUP all of
 * them.
 */
#ifndef JUMPD_SYNC_H
#define JUMPD_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "genl.h"
#include "view.h"

struct jumpd {
	struct jumpd_nl nl;	/* must not move once open */
	struct view view;
	const char *only;	/* -i: follow only the jump device of this name */
	/*
	 * The control plane's hooks, called for each session event applied to
	 * the view (not for dumps), for each data path report, and after every
	 * resynchronization. NULL: only the view is kept (the unit tests).
	 */
	void (*on_session)(struct jumpd *d, const struct jumpd_msg *m);
	void (*on_report)(struct jumpd *d, const struct jumpd_msg *m);
	void (*on_resync)(struct jumpd *d);
	void *ctl;
	/* Found while reading events, done right after the datagram. */
	uint32_t resync_dev;
	bool resync_all;
};

/* Rebuilds the view of every (followed) device. 0, or -1 after logging. */
int jumpd_sync_all(struct jumpd *d);
/* Rebuilds the view of one device. 0, or -1 after logging. */
int jumpd_sync_dev(struct jumpd *d, uint32_t ifindex);

/*
 * Reads what the event socket holds (a bounded batch, so signals are not
 * starved) and resynchronizes wherever events were lost. 0, or -1 on an
 * error jumpd cannot repair (logged).
 */
int jumpd_read_events(struct jumpd *d);

/*
 * Applies one event to the view and logs it. Notes a needed resync in
 * @d->resync_dev / @d->resync_all rather than doing it, so it needs no
 * socket (the unit tests call it directly). 0, or -ENOMEM.
 */
int jumpd_apply_event(const struct jumpd_msg *m, void *arg);

#endif /* JUMPD_SYNC_H */
