// SPDX-License-Identifier: GPL-2.0
/*
 * The sd_notify(3) protocol for jumpd (notify.h). libsystemd does the
 * sending: it finds NOTIFY_SOCKET (a path or an abstract name) on each call
 * and is a no-op without it. We check once ourselves, so that a jumpd not
 * run by systemd does not even format its status.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "jump_names.h"
#include "log.h"
#include "notify.h"

#define NS_PER_MS	1000000ULL

void notify_init(struct notify *n, uint64_t now)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	uint64_t usec = 0;

	memset(n, 0, sizeof(*n));
	n->enabled = sock && *sock;
	if (!n->enabled)
		return;
	/* > 0 only if WATCHDOG_USEC is set and WATCHDOG_PID, if set, is us. */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec) {
		/* Half the interval, as sd_watchdog_enabled(3) recommends. */
		n->ping_ns = usec * 1000 / 2;
		n->next_ping_ns = now + n->ping_ns;
		log_info("systemd watchdog: a ping every %llu ms",
			 (unsigned long long)(n->ping_ns / NS_PER_MS));
	}
}

void notify_format_status(char *buf, size_t len, const size_t count[JUMP_STATE_MAX + 1])
{
	size_t total = 0, used;
	unsigned int st;
	bool first = true;

	for (st = 0; st <= JUMP_STATE_MAX; st++)
		total += count[st];
	if (!total) {
		snprintf(buf, len, "no sessions");
		return;
	}
	used = snprintf(buf, len, "%zu session%s:", total, total == 1 ? "" : "s");
	for (st = 0; st <= JUMP_STATE_MAX && used < len; st++) {
		if (!count[st])
			continue;
		used += snprintf(buf + used, len - used, "%s %zu %s", first ? "" : ",",
				 count[st], jump_state_name(st));
		first = false;
	}
}

static void send_msg(struct notify *n, const char *msg)
{
	int err = sd_notify(0, msg);

	/* Once: should the manager's socket be gone, the watchdog says the rest. */
	if (err < 0 && !n->warned) {
		log_warn("sd_notify: %s", strerror(-err));
		n->warned = true;
	}
}

/* Appends "STATUS=..." to @buf and remembers what it showed. */
static void append_status(struct notify *n, char *buf, size_t len,
			  const size_t count[JUMP_STATE_MAX + 1], uint64_t now)
{
	size_t used = strlen(buf);
	char status[NOTIFY_STATUS_LEN];

	notify_format_status(status, sizeof(status), count);
	snprintf(buf + used, len - used, "STATUS=%s\n", status);
	memcpy(n->shown, count, sizeof(n->shown));
	n->next_status_ns = now + NOTIFY_STATUS_MIN_NS;
}

static bool status_changed(const struct notify *n, const size_t count[JUMP_STATE_MAX + 1])
{
	return n->ready && memcmp(n->shown, count, sizeof(n->shown)) != 0;
}

void notify_ready(struct notify *n, const size_t count[JUMP_STATE_MAX + 1], uint64_t now)
{
	char msg[32 + NOTIFY_STATUS_LEN] = "READY=1\n";

	if (!n->enabled)
		return;
	append_status(n, msg, sizeof(msg), count, now);
	n->ready = true;
	send_msg(n, msg);
}

void notify_reloading(struct notify *n, uint64_t now)
{
	char msg[64];

	if (!n->enabled)
		return;
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu\n",
		 (unsigned long long)(now / 1000));
	send_msg(n, msg);
}

void notify_stopping(struct notify *n)
{
	if (n->enabled)
		send_msg(n, "STOPPING=1\n");
}

void notify_tick(struct notify *n, const size_t count[JUMP_STATE_MAX + 1], uint64_t now)
{
	char msg[32 + NOTIFY_STATUS_LEN] = "";

	if (!n->enabled)
		return;
	if (n->ping_ns && now >= n->next_ping_ns) {
		strcpy(msg, "WATCHDOG=1\n");
		n->next_ping_ns = now + n->ping_ns;
	}
	if (status_changed(n, count) && now >= n->next_status_ns)
		append_status(n, msg, sizeof(msg), count, now);
	if (*msg)
		send_msg(n, msg);
}

static uint64_t min_deadline(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int notify_timeout_ms(const struct notify *n, const size_t count[JUMP_STATE_MAX + 1],
		      uint64_t now)
{
	uint64_t deadline = UINT64_MAX, ms;

	if (!n->enabled)
		return -1;
	if (n->ping_ns)
		deadline = n->next_ping_ns;
	if (status_changed(n, count))
		deadline = min_deadline(deadline, n->next_status_ns);
	if (deadline == UINT64_MAX)
		return -1;
	if (deadline <= now)
		return 0;
	/* Rounded up: waking a little early would only spin. */
	ms = (deadline - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}
