// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping jumpd's view equal to the kernel's sessions: dumps, events, and
 * the resynchronizations that repair lost events.
 *
 * A device's EVENT_SEQ is read (DEV_GET) before its sessions are dumped, so
 * every event up to it is reflected in the dump and every later one is still
 * to come on the event socket, which was subscribed before any of this.
 *
 * An event at or below that number is old, but it is still applied by
 * version rather than dropped by number: when the dump has it, the version
 * check makes it a no-op, and nothing rests on the dump having caught every
 * event numbered before it. A session created and terminated between the
 * subscription and the dump is thus replayed in order, and leaves no trace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jump_names.h"
#include "log.h"
#include "sync.h"

/* Events read per wakeup before signals get a look in. */
#define EVENT_BATCH	1024
/* Datagrams dropped at most after an overrun before dumping anyway. */
#define DRAIN_MAX	(1 << 20)
/* Dumps the kernel flags inconsistent (NLM_F_DUMP_INTR) are redone. */
#define DUMP_TRIES	3

#define ATTR(a)		(1ULL << (a))
#define SESSION_ATTRS	(ATTR(JUMP_A_IFINDEX) | ATTR(JUMP_A_SESSION_ID) | \
			 ATTR(JUMP_A_ROLE) | ATTR(JUMP_A_STATE) | ATTR(JUMP_A_VERSION))

static bool has_all(const struct jumpd_msg *m, uint64_t attrs)
{
	return (m->present & attrs) == attrs;
}

static bool wanted(const struct jumpd *d, const char *name)
{
	return !d->only || !strcmp(d->only, name);
}

static void to_view(const struct jumpd_msg *m, struct view_session *s)
{
	memset(s, 0, sizeof(*s));
	s->ifindex = m->ifindex;
	s->id = m->id;
	s->version = m->version;
	s->role = m->role;
	s->state = m->state;
}

/* One device being loaded from a dump. */
struct load {
	struct jumpd *d;
	uint32_t ifindex;
	size_t sessions;
	size_t skipped;
};

static int load_session(const struct jumpd_msg *m, void *arg)
{
	struct load *l = arg;
	struct view_session s;

	if (!has_all(m, SESSION_ATTRS) || m->ifindex != l->ifindex) {
		l->skipped++;
		return 0;
	}
	to_view(m, &s);
	switch (view_upsert(&l->d->view, &s, NULL)) {
	case VIEW_NOMEM:
		return -ENOMEM;
	case VIEW_ADDED:
		l->sessions++;
		break;
	default:
		break;
	}
	return 0;
}

/* Dumps a device's sessions into the view, redoing inconsistent dumps. */
static int dump_dev(struct jumpd *d, struct load *l, bool fresh)
{
	int err = 0, tries;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		/* A fresh view holds nothing of the device to forget. */
		if (!fresh || tries)
			view_forget_sessions(&d->view, l->ifindex);
		l->sessions = 0;
		l->skipped = 0;
		err = jumpd_nl_dump_sessions(&d->nl, l->ifindex, load_session, l);
		if (err != -EINTR)
			break;
	}
	return err;
}

/*
 * Between the listing and the dump the device went away, or its index now
 * names something else: either way it has no sessions left to follow.
 */
static bool gone(int err)
{
	return err == -ENODEV || err == -EOPNOTSUPP;
}

/*
 * Loads one device from @info, a DEV_GET answer read before the dump. On a
 * @fresh (empty) view nothing needs forgetting first. 0, or -1 after logging.
 */
static int load_dev(struct jumpd *d, const struct jumpd_dev_info *info, bool fresh)
{
	struct load l = { .d = d, .ifindex = info->ifindex };
	struct view_dev *dev;
	char what[64];
	int err;

	dev = view_dev_add(&d->view, info->ifindex, info->name, wanted(d, info->name));
	if (!dev) {
		log_err("out of memory holding dev %s", info->name);
		return -1;
	}
	dev->seq = info->seq;
	if (!dev->followed) {
		/* Renamed away from -i's name since the last look. */
		view_forget_sessions(&d->view, info->ifindex);
		return 0;
	}
	err = dump_dev(d, &l, fresh);
	if (gone(err)) {
		log_info("dev %s: gone", info->name);
		view_dev_gone(&d->view, info->ifindex);
		return 0;
	}
	if (err) {
		snprintf(what, sizeof(what), "dumping the sessions of dev %s", info->name);
		jumpd_nl_log_error(&d->nl, what, err);
		return -1;
	}
	if (l.skipped)
		log_warn("dev %s: %zu malformed session message(s) in the dump ignored",
			 info->name, l.skipped);
	log_msg(fresh ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO,
		"dev %s: %s%zu session(s), event seq %" PRIu64, info->name,
		fresh ? "" : "resynchronized, ", l.sessions, info->seq);
	return 0;
}

struct dev_list {
	struct jumpd_dev_info *v;
	size_t n;
	size_t cap;
};

static int collect_dev(const struct jumpd_dev_info *info, void *arg)
{
	struct dev_list *l = arg;
	size_t cap = l->cap ? l->cap * 2 : 8;
	struct jumpd_dev_info *v;

	if (l->n == l->cap) {
		v = reallocarray(l->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *info;
	return 0;
}

static size_t count_followed(const struct view *v)
{
	size_t i, n = 0;

	for (i = 0; i < v->ndevs; i++)
		n += v->devs[i].followed;
	return n;
}

int jumpd_sync_all(struct jumpd *d)
{
	struct dev_list list = { 0 };
	size_t i, n;
	int err;

	err = jumpd_nl_list_devices(&d->nl, collect_dev, &list);
	if (err) {
		jumpd_nl_log_error(&d->nl, "listing the jump devices", err);
		goto out;
	}
	/* From nothing: a device deleted meanwhile leaves with its sessions. */
	view_free(&d->view);
	d->resync_dev = 0;
	d->resync_all = false;
	for (i = 0; i < list.n && !err; i++)
		err = load_dev(d, &list.v[i], true);
	if (err)
		goto out;
	n = count_followed(&d->view);
	log_info("synchronized: %zu device(s), %zu session(s)", n, d->view.count);
	if (d->only && !n)
		log_warn("no jump device named %s yet", d->only);
out:
	free(list.v);
	return err ? -1 : 0;
}

int jumpd_sync_dev(struct jumpd *d, uint32_t ifindex)
{
	struct jumpd_dev_info info;
	char what[64];
	int err;

	err = jumpd_nl_get_device(&d->nl, ifindex, &info);
	if (gone(err)) {
		log_info("dev #%u: gone", ifindex);
		view_dev_gone(&d->view, ifindex);
		return 0;
	}
	if (err) {
		snprintf(what, sizeof(what), "reading dev #%u", ifindex);
		jumpd_nl_log_error(&d->nl, what, err);
		return -1;
	}
	return load_dev(d, &info, false);
}

/* Two devices to resynchronize at once are rare: then do all. */
static void need_resync(struct jumpd *d, uint32_t ifindex)
{
	if (ifindex && (!d->resync_dev || d->resync_dev == ifindex))
		d->resync_dev = ifindex;
	else
		d->resync_all = true;
}

/*
 * The device of an event. One not seen yet was created since the last
 * listing: it starts with sequence 0, since its events start at 1; if some
 * were missed, the first one seen is a gap and the device gets dumped. One
 * that no longer exists was deleted meanwhile, and every session it had is
 * terminated: its events are ignored. Event 1 on the index of a gone device
 * is a new device that reuses the index.
 */
static struct view_dev *event_dev(struct jumpd *d, uint32_t ifindex, uint64_t seq)
{
	struct view_dev *dev = view_dev_find(&d->view, ifindex);
	char name[IF_NAMESIZE];

	if (dev && !(dev->gone && seq == 1))
		return dev;
	if (dev)
		dev->seq = 0;
	if (if_indextoname(ifindex, name))
		return view_dev_add(&d->view, ifindex, name, wanted(d, name));
	snprintf(name, sizeof(name), "#%u", ifindex);
	dev = view_dev_add(&d->view, ifindex, name, false);
	if (dev)
		dev->gone = true;
	return dev;
}

static void log_event(const char *dev, const struct jumpd_msg *m)
{
	if (m->cmd == JUMP_CMD_SESSION_NEW) {
		log_info("session %016" PRIx64 " dev %s: created role %s version %" PRIu64,
			 m->id, dev, jump_role_name(m->role), m->version);
		return;
	}
	log_info("session %016" PRIx64 " dev %s: %s -> %s (%s) version %" PRIu64,
		 m->id, dev,
		 JUMPD_HAS(m, JUMP_A_PREV_STATE) ? jump_state_name(m->prev_state) : "?",
		 jump_state_name(m->state),
		 JUMPD_HAS(m, JUMP_A_REASON) ? jump_reason_name(m->reason) : "?",
		 m->version);
}

static int apply_session(struct jumpd *d, const char *dev, const struct jumpd_msg *m)
{
	struct view_session s;
	uint64_t held;

	to_view(m, &s);
	switch (view_upsert(&d->view, &s, &held)) {
	case VIEW_NOMEM:
		log_err("out of memory holding session %016" PRIx64, m->id);
		return -ENOMEM;
	case VIEW_STALE:
		log_debug("session %016" PRIx64 " dev %s: version %" PRIu64
			  " is not newer than %" PRIu64 ", ignored",
			  m->id, dev, m->version, held);
		return 0;
	default:
		log_event(dev, m);
		if (d->on_session)
			d->on_session(d, m);
		return 0;
	}
}

int jumpd_apply_event(const struct jumpd_msg *m, void *arg)
{
	struct jumpd *d = arg;
	struct view_dev *dev;

	/*
	 * Data path reports carry no sequence number: they change no session
	 * state, so losing one needs no resync; the control plane acts on them.
	 */
	if (m->cmd == JUMP_CMD_UNBOUND_SOURCE || m->cmd == JUMP_CMD_KEY_EXPIRING) {
		log_info("session %016" PRIx64 " dev #%u: %s", m->id, m->ifindex,
			 jump_cmd_name(m->cmd));
		if (d->on_report)
			d->on_report(d, m);
		return 0;
	}
	if (!has_all(m, ATTR(JUMP_A_IFINDEX) | ATTR(JUMP_A_EVENT_SEQ)) || !m->ifindex) {
		log_warn("event without a device or a sequence number: resynchronizing");
		need_resync(d, 0);
		return 0;
	}
	dev = event_dev(d, m->ifindex, m->seq);
	if (!dev) {
		log_err("out of memory holding dev #%u", m->ifindex);
		return -ENOMEM;
	}
	if (!dev->followed)
		return 0;
	if (view_dev_check_seq(dev, m->seq) == VIEW_SEQ_GAP) {
		log_warn("dev %s: event %" PRIu64 " follows %" PRIu64
			 ": events were lost, resynchronizing",
			 dev->name, m->seq, dev->seq);
		need_resync(d, m->ifindex);
		return 0;
	}
	/* A kind of event this build does not know: counted, not applied. */
	if (m->cmd != JUMP_CMD_SESSION_NEW && m->cmd != JUMP_CMD_SESSION_EVENT) {
		log_debug("dev %s: %s event ignored", dev->name, jump_cmd_name(m->cmd));
		return 0;
	}
	if (!has_all(m, SESSION_ATTRS)) {
		log_warn("dev %s: event %" PRIu64 " lacks session attributes: resynchronizing",
			 dev->name, m->seq);
		need_resync(d, m->ifindex);
		return 0;
	}
	return apply_session(d, dev->name, m);
}

static int resync_pending(struct jumpd *d)
{
	uint32_t ifindex = d->resync_dev;
	bool all = d->resync_all;

	int err = 0;

	d->resync_dev = 0;
	d->resync_all = false;
	if (all)
		err = jumpd_sync_all(d);
	else if (ifindex)
		err = jumpd_sync_dev(d, ifindex);
	else
		return 0;
	if (!err && d->on_resync)
		d->on_resync(d);
	return err;
}

/*
 * After an overrun the socket buffer is full, and the events in it were all
 * sent before the dump that follows, which covers them. Dropping them first
 * makes room for the events that happen during the dump; otherwise those
 * would overrun the buffer again, and a busy device would never catch up.
 */
static void drain_events(struct jumpd *d)
{
	int i, n;

	for (i = 0; i < DRAIN_MAX; i++) {
		n = jumpd_nl_read_events(&d->nl, NULL, NULL);
		if (n == 0 || (n < 0 && n != -ENOBUFS))
			return;
	}
}

int jumpd_read_events(struct jumpd *d)
{
	int i, n;

	for (i = 0; i < EVENT_BATCH; i++) {
		n = jumpd_nl_read_events(&d->nl, jumpd_apply_event, d);
		if (n == 0)
			return 0;
		if (n == -ENOBUFS) {
			log_warn("event socket overrun: events were lost, resynchronizing");
			drain_events(d);
			d->resync_all = true;
		} else if (n == -EBADMSG) {
			log_warn("malformed event: resynchronizing");
			d->resync_all = true;
		} else if (n < 0) {
			jumpd_nl_log_error(&d->nl, "reading events", n);
			return -1;
		}
		if (resync_pending(d))
			return -1;
	}
	return 0;
}
