// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd following the kernel, without a kernel: events applied on top of a
 * dump, the line logged for each, gaps turned into resync requests, and the
 * startup replay that loses nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/jump.h>

#include "log.h"
#include "sync.h"
#include "tap.h"

#define JUMP0		7
#define JUMP1		8
#define ID		0x3f2a9c0b1d2e4f60ULL
#define ATTR(a)		(1ULL << (a))

static char *logbuf;
static size_t loglen, logmark;

/* What was logged since the last call. */
static const char *logged(void)
{
	const char *s;

	fflush(log_stream);
	s = logbuf + logmark;
	logmark = loglen;
	return s;
}

static struct jumpd_msg event(uint8_t cmd, uint32_t ifindex, uint64_t id,
			      uint64_t seq, uint8_t prev, uint8_t state,
			      uint64_t version, uint16_t reason)
{
	struct jumpd_msg m = {
		.cmd = cmd, .ifindex = ifindex, .id = id, .seq = seq,
		.role = JUMP_ROLE_CLIENT, .prev_state = prev, .state = state,
		.version = version, .reason = reason,
	};

	m.present = ATTR(JUMP_A_IFINDEX) | ATTR(JUMP_A_SESSION_ID) |
		    ATTR(JUMP_A_ROLE) | ATTR(JUMP_A_STATE) | ATTR(JUMP_A_VERSION) |
		    ATTR(JUMP_A_REASON) | ATTR(JUMP_A_EVENT_SEQ);
	if (cmd == JUMP_CMD_SESSION_EVENT)
		m.present |= ATTR(JUMP_A_PREV_STATE);
	return m;
}

static struct jumpd_msg created(uint32_t ifindex, uint64_t id, uint64_t seq)
{
	return event(JUMP_CMD_SESSION_NEW, ifindex, id, seq, 0, JUMP_STATE_BIRTH, 1,
		     JUMP_REASON_SESSION_CREATED);
}

static struct jumpd_msg moved(uint32_t ifindex, uint64_t id, uint64_t seq,
			      uint8_t prev, uint8_t state, uint64_t version,
			      uint16_t reason)
{
	return event(JUMP_CMD_SESSION_EVENT, ifindex, id, seq, prev, state, version,
		     reason);
}

static int apply(struct jumpd *d, struct jumpd_msg m)
{
	return jumpd_apply_event(&m, d);
}

/* A view as a dump left it: jump0 at event 10 holding ID attached at v3. */
static void dumped(struct jumpd *d, const char *only)
{
	struct view_session s = {
		.ifindex = JUMP0, .id = ID, .version = 3,
		.role = JUMP_ROLE_CLIENT, .state = JUMP_STATE_ATTACHED,
	};

	memset(d, 0, sizeof(*d));
	view_init(&d->view);
	d->only = only;
	view_dev_add(&d->view, JUMP0, "jump0", true)->seq = 10;
	view_dev_add(&d->view, JUMP1, "jump1", !only)->seq = 20;
	view_upsert(&d->view, &s, NULL);
	logged();
}

static uint8_t state_of(const struct jumpd *d, uint32_t ifindex, uint64_t id)
{
	const struct view_session *s = view_find(&d->view, ifindex, id);

	return s ? s->state : 0xff;
}

static void test_log_lines(void)
{
	struct jumpd d;

	dumped(&d, NULL);
	tap_ok(apply(&d, moved(JUMP0, ID, 11, JUMP_STATE_ATTACHED, JUMP_STATE_VOLATILE,
			       4, JUMP_REASON_LINK_DOWN)) == 0 &&
	       !strcmp(logged(), "session 3f2a9c0b1d2e4f60 dev jump0: attached -> volatile"
			" (link_down) version 4\n") &&
	       state_of(&d, JUMP0, ID) == JUMP_STATE_VOLATILE,
	       "a transition is applied and logged as one line");
	tap_ok(apply(&d, created(JUMP0, 0xa4, 12)) == 0 &&
	       !strcmp(logged(), "session 00000000000000a4 dev jump0: created role client"
			" version 1\n") && state_of(&d, JUMP0, 0xa4) == JUMP_STATE_BIRTH,
	       "a created session is added and logged");
	tap_ok(apply(&d, moved(JUMP0, 0xa4, 13, JUMP_STATE_BIRTH, JUMP_STATE_TERMINATED,
			       2, JUMP_REASON_AUTH_FAILED)) == 0 &&
	       !strcmp(logged(), "session 00000000000000a4 dev jump0: birth -> terminated"
			" (auth_failed) version 2\n") && !view_find(&d.view, JUMP0, 0xa4),
	       "a terminated session is removed and logged");
	tap_ok(!d.resync_dev && !d.resync_all, "no resync asked for along the way");
	view_free(&d.view);
}

static void test_stale(void)
{
	struct jumpd d;

	dumped(&d, NULL);
	tap_ok(apply(&d, moved(JUMP0, ID, 9, JUMP_STATE_BIRTH, JUMP_STATE_ATTACHED, 2,
			       JUMP_REASON_HANDSHAKE_COMPLETE)) == 0 &&
	       !*logged() && view_find(&d.view, JUMP0, ID)->version == 3,
	       "a stale event queued before the dump changes nothing, logs nothing");
	tap_ok(apply(&d, moved(JUMP0, ID, 11, JUMP_STATE_VOLATILE, JUMP_STATE_ATTACHED, 3,
			       JUMP_REASON_RX_RESUMED)) == 0 &&
	       !*logged() && view_dev_find(&d.view, JUMP0)->seq == 11,
	       "a stale event after the dump is ignored but its number counted");
	tap_ok(apply(&d, moved(JUMP0, ID, 12, JUMP_STATE_ATTACHED, JUMP_STATE_VOLATILE, 4,
			       JUMP_REASON_RX_SILENCE)) == 0 && !d.resync_dev &&
	       state_of(&d, JUMP0, ID) == JUMP_STATE_VOLATILE,
	       "so the next one is no gap");
	view_free(&d.view);
}

static void test_gaps(void)
{
	struct jumpd d;

	dumped(&d, NULL);
	tap_ok(apply(&d, moved(JUMP0, ID, 12, JUMP_STATE_ATTACHED, JUMP_STATE_VOLATILE, 4,
			       JUMP_REASON_LINK_DOWN)) == 0 &&
	       d.resync_dev == JUMP0 && !d.resync_all &&
	       state_of(&d, JUMP0, ID) == JUMP_STATE_ATTACHED &&
	       strstr(logged(), "warning: dev jump0: event 12 follows 10"),
	       "a sequence gap asks for a resync of that device and applies nothing");
	tap_ok(apply(&d, created(JUMP0, 0xb1, 13)) == 0 && d.resync_dev == JUMP0 &&
	       !d.resync_all, "another gap on the same device still asks for that one");
	tap_ok(apply(&d, created(JUMP1, 0xb2, 25)) == 0 && d.resync_all,
	       "gaps on two devices ask for a full resync");
	view_free(&d.view);
}

static void test_devices(void)
{
	uint32_t lo = if_nametoindex("lo");
	struct jumpd d;

	dumped(&d, "jump0");
	tap_ok(apply(&d, created(JUMP1, 0xc1, 99)) == 0 && !view_find(&d.view, JUMP1, 0xc1) &&
	       !d.resync_dev && !d.resync_all && !*logged(),
	       "events of a device -i does not name are ignored");
	tap_ok(apply(&d, created(lo, 0xc2, 1)) == 0 && !view_find(&d.view, lo, 0xc2),
	       "with -i, a new device of another name is not followed");
	view_free(&d.view);

	dumped(&d, NULL);
	tap_ok(lo && apply(&d, created(lo, 0xc3, 1)) == 0 && view_find(&d.view, lo, 0xc3) &&
	       view_dev_find(&d.view, lo)->seq == 1 && strstr(logged(), "dev lo: created"),
	       "a device created after the dump is followed from its first event");
	view_free(&d.view);

	dumped(&d, NULL);
	tap_ok(apply(&d, created(lo, 0xc4, 5)) == 0 && d.resync_dev == lo &&
	       !view_find(&d.view, lo, 0xc4),
	       "a new device first seen mid-stream is a gap: it gets dumped");
	view_free(&d.view);

	dumped(&d, NULL);
	tap_ok(apply(&d, created(4343, 0xc5, 5)) == 0 &&
	       apply(&d, created(4343, 0xc6, 7)) == 0 && !d.resync_dev && !d.resync_all &&
	       !view_find(&d.view, 4343, 0xc5) && view_dev_find(&d.view, 4343)->gone,
	       "events of a device deleted meanwhile are ignored, without a resync");
	view_dev_gone(&d.view, JUMP0);
	tap_ok(apply(&d, created(JUMP0, 0xc7, 30)) == 0 && !d.resync_dev &&
	       !view_find(&d.view, JUMP0, ID) && !view_find(&d.view, JUMP0, 0xc7),
	       "a device found gone by a resync loses its sessions and later events");
	view_dev_gone(&d.view, lo);
	view_dev_add(&d.view, lo, "lo", true)->seq = 40;
	view_dev_gone(&d.view, lo);
	tap_ok(apply(&d, created(lo, 0xc8, 1)) == 0 && view_find(&d.view, lo, 0xc8) &&
	       view_dev_find(&d.view, lo)->followed && view_dev_find(&d.view, lo)->seq == 1,
	       "event 1 on the index of a gone device is a new device reusing it");
	view_free(&d.view);
}

static void test_odd_events(void)
{
	struct jumpd_msg m;
	struct jumpd d;

	dumped(&d, NULL);
	m = created(JUMP0, 0xd1, 11);
	m.cmd = 200;
	tap_ok(apply(&d, m) == 0 && !view_find(&d.view, JUMP0, 0xd1) &&
	       apply(&d, created(JUMP0, 0xd2, 12)) == 0 && !d.resync_dev &&
	       view_find(&d.view, JUMP0, 0xd2),
	       "an event kind this build does not know is counted, not applied");
	m = created(JUMP0, 0xd3, 13);
	m.present &= ~ATTR(JUMP_A_EVENT_SEQ);
	tap_ok(apply(&d, m) == 0 && d.resync_all && !view_find(&d.view, JUMP0, 0xd3),
	       "an event without EVENT_SEQ asks for a full resync");
	d.resync_all = false;
	m = created(JUMP0, 0xd4, 13);
	m.present &= ~ATTR(JUMP_A_VERSION);
	tap_ok(apply(&d, m) == 0 && d.resync_dev == JUMP0 && !view_find(&d.view, JUMP0, 0xd4),
	       "an event lacking session attributes asks for a resync of its device");
	d.resync_dev = 0;
	m = created(JUMP0, 0xd5, 0);
	m.cmd = JUMP_CMD_UNBOUND_SOURCE;
	m.present &= ~ATTR(JUMP_A_EVENT_SEQ);
	tap_ok(apply(&d, m) == 0 && !d.resync_dev && !d.resync_all &&
	       !view_find(&d.view, JUMP0, 0xd5) && strstr(logged(), "unbound_source"),
	       "an unsequenced unbound_source report is logged, without a resync");
	view_free(&d.view);
}

/*
 * Startup: subscribed at event 5 of jump0, listed it at event 10, dumped it
 * a little later. Sessions 1 and 2 existed before; 2 moved at events 6 and 9
 * and 11, the last one after the listing but before the dump reached it;
 * 3 was created (7) and terminated (8) before the listing; 4 was created at
 * 12, after the dump. Replaying the queue must leave exactly what the kernel
 * holds: 1 birth, 2 degraded at v4, 4 birth.
 */
static void test_startup_replay(void)
{
	struct view_session s1 = { .ifindex = JUMP0, .id = 1, .version = 1,
				   .state = JUMP_STATE_BIRTH };
	struct view_session s2 = { .ifindex = JUMP0, .id = 2, .version = 4,
				   .state = JUMP_STATE_DEGRADED };
	struct jumpd_msg queue[] = {
		moved(JUMP0, 2, 6, JUMP_STATE_BIRTH, JUMP_STATE_ATTACHED, 2,
		      JUMP_REASON_HANDSHAKE_COMPLETE),
		created(JUMP0, 3, 7),
		moved(JUMP0, 3, 8, JUMP_STATE_BIRTH, JUMP_STATE_TERMINATED, 2,
		      JUMP_REASON_BIRTH_TIMEOUT),
		moved(JUMP0, 2, 9, JUMP_STATE_ATTACHED, JUMP_STATE_VOLATILE, 3,
		      JUMP_REASON_RX_SILENCE),
		moved(JUMP0, 2, 11, JUMP_STATE_VOLATILE, JUMP_STATE_DEGRADED, 4,
		      JUMP_REASON_RX_SILENCE),
		created(JUMP0, 4, 12),
	};
	struct jumpd d = { 0 };
	size_t i;
	int err = 0;

	view_init(&d.view);
	view_dev_add(&d.view, JUMP0, "jump0", true)->seq = 10;
	view_upsert(&d.view, &s1, NULL);
	view_upsert(&d.view, &s2, NULL);
	for (i = 0; i < sizeof(queue) / sizeof(queue[0]); i++)
		err |= apply(&d, queue[i]);
	tap_ok(!err && d.view.count == 3 && state_of(&d, JUMP0, 1) == JUMP_STATE_BIRTH &&
	       state_of(&d, JUMP0, 2) == JUMP_STATE_DEGRADED &&
	       view_find(&d.view, JUMP0, 2)->version == 4 && !view_find(&d.view, JUMP0, 3) &&
	       state_of(&d, JUMP0, 4) == JUMP_STATE_BIRTH &&
	       view_dev_find(&d.view, JUMP0)->seq == 12 && !d.resync_dev && !d.resync_all,
	       "startup: events queued during the dump replay to exactly the kernel's state");
	view_free(&d.view);
}

int main(void)
{
	log_stream = open_memstream(&logbuf, &loglen);
	if (!log_stream)
		return 1;
	test_log_lines();
	test_stale();
	test_gaps();
	test_devices();
	test_odd_events();
	test_startup_replay();
	fclose(log_stream);
	log_stream = NULL;
	free(logbuf);
	return tap_done();
}
