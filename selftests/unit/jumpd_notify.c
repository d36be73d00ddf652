// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's sd_notify protocol against a socket of our own, as systemd's:
 * READY=1 with STATUS=, watchdog pings at half of WATCHDOG_USEC, STATUS=
 * only on a change and at most once a second, RELOADING=1 then READY=1,
 * STOPPING=1; and without NOTIFY_SOCKET, or for another WATCHDOG_PID,
 * nothing at all. The clock is ours: times are passed in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/jump.h>

#include "log.h"
#include "notify.h"
#include "tap.h"

#define SEC	1000000000ULL
#define MS	1000000ULL

static int sock = -1;
static char dir[] = "/tmp/jumpd_notify.XXXXXX";
static char path[sizeof(dir) + 16];

/* The manager's end: a datagram socket bound to a path, named by NOTIFY_SOCKET. */
static int listen_socket(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/notify", dir);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return 0;
}

/* The next datagram, or "" if none is waiting. */
static const char *next_msg(void)
{
	static char buf[512];
	ssize_t n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void set_counts(size_t *count, size_t birth, size_t attached, size_t recovering)
{
	memset(count, 0, sizeof(size_t) * (JUMP_STATE_MAX + 1));
	count[JUMP_STATE_BIRTH] = birth;
	count[JUMP_STATE_ATTACHED] = attached;
	count[JUMP_STATE_RECOVERING] = recovering;
}

static void test_format(void)
{
	size_t count[JUMP_STATE_MAX + 1];
	char buf[NOTIFY_STATUS_LEN];
	unsigned int st;

	set_counts(count, 0, 0, 0);
	notify_format_status(buf, sizeof(buf), count);
	tap_ok(!strcmp(buf, "no sessions"), "status of none: \"%s\"", buf);
	set_counts(count, 0, 1, 0);
	notify_format_status(buf, sizeof(buf), count);
	tap_ok(!strcmp(buf, "1 session: 1 attached"), "status of one: \"%s\"", buf);
	for (st = 0; st <= JUMP_STATE_MAX; st++)
		count[st] = 1000000 + st;
	notify_format_status(buf, sizeof(buf), count);
	tap_ok(!strcmp(buf, "6000015 sessions: 1000000 birth, 1000001 attached, "
		       "1000002 volatile, 1000003 degraded, 1000004 recovering, "
		       "1000005 terminated"),
	       "every state, in enum order, fits the buffer: \"%s\"", buf);
	notify_format_status(buf, 12, count);
	tap_ok(strlen(buf) == 11, "a short buffer cuts the status, never overruns it");
}

static void test_no_socket(void)
{
	size_t count[JUMP_STATE_MAX + 1];
	struct notify n;

	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "2000000", 1);
	unsetenv("WATCHDOG_PID");
	set_counts(count, 1, 0, 0);
	notify_init(&n, 0);
	notify_ready(&n, count, 0);
	notify_tick(&n, count, 10 * SEC);
	notify_reloading(&n, 11 * SEC);
	notify_stopping(&n);
	tap_ok(!n.enabled && notify_timeout_ms(&n, count, 0) == -1,
	       "without NOTIFY_SOCKET: disabled, no deadline");
	tap_ok(!*next_msg(), "without NOTIFY_SOCKET nothing is sent");
}

static void test_protocol(void)
{
	size_t count[JUMP_STATE_MAX + 1];
	char pid[16];
	struct notify n;
	const char *m;

	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	set_counts(count, 0, 0, 0);
	notify_init(&n, 0);
	tap_ok(n.enabled && n.ping_ns == SEC, "WATCHDOG_USEC=2000000: a ping every second");
	tap_ok(!*next_msg(), "nothing before ready");

	notify_ready(&n, count, 0);
	m = next_msg();
	tap_ok(!strcmp(m, "READY=1\nSTATUS=no sessions\n"), "READY=1 with the status");
	tap_ok(notify_timeout_ms(&n, count, 0) == 1000, "poll may sleep until the ping is due");
	notify_tick(&n, count, 500 * MS);
	tap_ok(!*next_msg(), "no ping before it is due, no status unchanged");
	notify_tick(&n, count, SEC);
	tap_ok(!strcmp(next_msg(), "WATCHDOG=1\n"), "WATCHDOG=1 at half the interval");

	set_counts(count, 0, 1, 0);
	tap_ok(notify_timeout_ms(&n, count, 1200 * MS) == 0, "a changed status is due now");
	notify_tick(&n, count, 1200 * MS);
	m = next_msg();
	tap_ok(!strcmp(m, "STATUS=1 session: 1 attached\n"), "a change sends STATUS=");

	set_counts(count, 0, 2, 1);
	notify_tick(&n, count, 1500 * MS);
	tap_ok(!*next_msg(), "a second change within the second waits");
	tap_ok(notify_timeout_ms(&n, count, 1500 * MS) == 500,
	       "meanwhile poll wakes for the ping");
	notify_tick(&n, count, 2 * SEC);
	tap_ok(!strcmp(next_msg(), "WATCHDOG=1\n"), "the ping comes alone");
	tap_ok(notify_timeout_ms(&n, count, 2 * SEC) == 200,
	       "then poll wakes for the waiting status");
	notify_tick(&n, count, 2200 * MS);
	m = next_msg();
	tap_ok(!strcmp(m, "STATUS=3 sessions: 2 attached, 1 recovering\n"),
	       "the status comes when its second is up");
	tap_ok(notify_timeout_ms(&n, count, 2200 * MS) == 800,
	       "an unchanged status sets no deadline of its own");

	notify_tick(&n, count, 10 * SEC);
	tap_ok(!strcmp(next_msg(), "WATCHDOG=1\n"), "a late loop pings at once");

	notify_reloading(&n, 11 * SEC);
	m = next_msg();
	tap_ok(!strcmp(m, "RELOADING=1\nMONOTONIC_USEC=11000000\n"),
	       "RELOADING=1 with MONOTONIC_USEC");
	set_counts(count, 1, 2, 1);
	notify_ready(&n, count, 11 * SEC);
	m = next_msg();
	tap_ok(!strcmp(m, "READY=1\nSTATUS=4 sessions: 1 birth, 2 attached, 1 recovering\n"),
	       "READY=1 after the reload, with the status");
	notify_stopping(&n);
	tap_ok(!strcmp(next_msg(), "STOPPING=1\n"), "STOPPING=1");
	tap_ok(!*next_msg(), "nothing else was sent");
}

static void test_other_pid(void)
{
	size_t count[JUMP_STATE_MAX + 1];
	struct notify n;

	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	set_counts(count, 0, 0, 0);
	notify_init(&n, 0);
	notify_ready(&n, count, 0);
	next_msg();
	notify_tick(&n, count, 60 * SEC);
	tap_ok(n.enabled && !n.ping_ns && notify_timeout_ms(&n, count, 0) == -1 &&
	       !*next_msg(), "the watchdog of another WATCHDOG_PID is not ours: no pings");
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	notify_init(&n, 0);
	tap_ok(n.enabled && !n.ping_ns, "no WATCHDOG_USEC: no pings");
}

int main(void)
{
	log_stream = fopen("/dev/null", "w");
	if (listen_socket()) {
		printf("1..0 # SKIP cannot bind an AF_UNIX datagram socket: %s\n",
		       strerror(errno));
		return 0;
	}
	test_format();
	test_no_socket();
	test_protocol();
	test_other_pid();
	close(sock);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
