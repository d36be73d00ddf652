/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd and its service manager: the sd_notify(3) protocol. READY=1 once
 * the view is synchronized and the control plane is up; STATUS= with the
 * number of sessions in each state; WATCHDOG=1 at half the interval that
 * systemd asks for; RELOADING=1 ... READY=1 around SIGHUP; STOPPING=1.
 *
 * Without NOTIFY_SOCKET (jumpd not started by systemd as Type=notify) every
 * call returns at once and nothing is formatted or sent. Times are passed
 * in (CLOCK_MONOTONIC, ns), so the unit test drives the clock.
 */
#ifndef JUMPD_NOTIFY_H
#define JUMPD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

/* At most one STATUS= a second: a storm of transitions is not a storm of datagrams. */
#define NOTIFY_STATUS_MIN_NS	1000000000ULL
#define NOTIFY_STATUS_LEN	160

struct notify {
	bool enabled;			/* NOTIFY_SOCKET is set */
	bool ready;			/* READY=1 sent: STATUS= updates may follow */
	bool warned;			/* a failed send was logged once */
	uint64_t ping_ns;		/* watchdog ping interval; 0: no watchdog */
	uint64_t next_ping_ns;
	uint64_t next_status_ns;	/* earliest time for the next STATUS= */
	size_t shown[JUMP_STATE_MAX + 1];	/* the counts the last STATUS= showed */
};

/* Reads NOTIFY_SOCKET and the watchdog settings (WATCHDOG_USEC, WATCHDOG_PID). */
void notify_init(struct notify *n, uint64_t now);

/* "no sessions", or "3 sessions: 2 attached, 1 recovering" (states in enum order). */
void notify_format_status(char *buf, size_t len, const size_t count[JUMP_STATE_MAX + 1]);

/* READY=1 with the current STATUS=: at startup, and when a reload is done. */
void notify_ready(struct notify *n, const size_t count[JUMP_STATE_MAX + 1], uint64_t now);
/* RELOADING=1 (and MONOTONIC_USEC=, which systemd 253's notify-reload wants). */
void notify_reloading(struct notify *n, uint64_t now);
void notify_stopping(struct notify *n);

/* Each turn of the loop: a watchdog ping and a changed STATUS= when due. */
void notify_tick(struct notify *n, const size_t count[JUMP_STATE_MAX + 1], uint64_t now);
/*
 * How long poll(2) may sleep before notify_tick() has work, in ms; -1: no
 * deadline. A changed status waiting out its second counts as a deadline.
 */
int notify_timeout_ms(const struct notify *n, const size_t count[JUMP_STATE_MAX + 1],
		      uint64_t now);

#endif /* JUMPD_NOTIFY_H */
