// SPDX-License-Identifier: GPL-2.0
/*
 * The load of the control-plane section of make bench
 * (tools/bench/ctlplane.sh, Documentation/benchmark.rst "Control plane"),
 * built from jumpd's own code: the session's state file read by
 * store_load(), requests encoded by wire.c and MACed by handshake.c, so
 * that what is measured is jumpd, not the generator.
 *
 *   cp_load valid SESSIONFILE SECONDS [FROM [TO]]
 *	fresh, valid REATTACH_REQUESTs (MACed with the session's reattach
 *	key, each a new attempt) from one port of FROM, 128 in flight, to
 *	TO; a REATTACH_CHALLENGE back is a request jumpd validated. Sent with sendmmsg(2), read with recvmmsg(2): the
 *	generator must cost less than what it measures.
 *	{"sent", "challenges", "other_replies", "seconds", "per_s"}
 *   cp_load flood SECONDS [SESSIONFILE] [FROM [TO]]
 *	as fast as one CPU sends: forged REATTACH_REQUESTs (a wrong MAC; of
 *	the session if a file is given, so that each costs jumpd its MAC
 *	checks) and garbage, alternately, sendmmsg(2) batches from one port.
 *	{"sent", "seconds", "per_s"}
 *   cp_load mac SECONDS
 *	the bare MAC verify loop (hs_mac_ok() over a REATTACH_REQUEST) on
 *	this CPU: {"mac_verify_per_s"}
 *
 * FROM defaults to 10.3.0.1 (valid) or 10.3.0.66 (flood), TO to
 * 10.3.0.2:51820: the roaming topology's router and server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#include <sodium.h>

#include "ctl.h"
#include "handshake.h"
#include "store.h"
#include "wire.h"

/*
 * One port, 128 in flight: the requests of one session must reach jumpd in
 * the order of their attempts, as one client's do (jumpd orders a batch a
 * round per source, and keeps only the newest attempts pending: from
 * several ports, older ones would be taken after newer ones, and dropped).
 * Below jumpd's read batch of 256, so that none is shed.
 */
#define CP_PORTS	1
#define CP_PER_PORT	128	/* requests in flight per port */
#define CP_FLOOD_BATCH	64	/* datagrams per sendmmsg(2) */
#define CP_LOST_MS	500	/* nothing back this long: a quarter counted lost */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "cp_load: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void addr(const char *s, uint16_t port, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(colon ? (uint16_t)atoi(colon + 1) : port);
	snprintf(host, sizeof(host), "%.*s", (int)n, s);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		fprintf(stderr, "cp_load: not an IPv4 address: %s\n", s);
		exit(2);
	}
}

static int bound(const struct sockaddr_in *from)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = *from;

	sin.sin_port = 0;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	return fd;
}

/* The session of a state file ".../ID.session", as jumpd stored it. */
static void load_session(const char *file, struct csession *s)
{
	char *a = strdup(file), *b = strdup(file);
	uint64_t id;

	if (!a || !b || sscanf(basename(b), "%" SCNx64 ".session", &id) != 1 ||
	    store_load(dirname(a), id, s)) {
		fprintf(stderr, "cp_load: cannot read the session file %s\n", file);
		exit(2);
	}
	free(a);
	free(b);
}

static size_t request(uint8_t *buf, const struct csession *s, uint64_t attempt,
		      const uint8_t *key)
{
	struct wire_reattach_request m = {
		.session_id = s->id, .epoch = s->epoch + 1, .attempt = attempt,
		.timestamp_ns = ctl_realtime(),
	};
	size_t len = wire_encode_reattach_request(buf, &m);

	if (key)
		hs_mac_seal(buf, len, key);
	else
		randombytes_buf(buf + len - WIRE_MAC_LEN, WIRE_MAC_LEN);
	return len;
}

/* Reads what came back on @fd (recvmmsg): how many, challenges counted apart. */
static unsigned int drain(int fd, uint64_t *challenges, uint64_t *other)
{
	static uint8_t bufs[CP_PER_PORT][WIRE_MAX_LEN];
	struct mmsghdr mm[CP_PER_PORT];
	struct iovec iov[CP_PER_PORT];
	unsigned int total = 0;
	int i, n;

	do {
		for (i = 0; i < CP_PER_PORT; i++) {
			iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = sizeof(bufs[i]) };
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		n = recvmmsg(fd, mm, CP_PER_PORT, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++) {
			if (mm[i].msg_len > 0 && bufs[i][0] == JUMP_MSG_REATTACH_CHALLENGE)
				(*challenges)++;
			else
				(*other)++;
		}
		total += n > 0 ? n : 0;
	} while (n == CP_PER_PORT);
	return total;
}

/* Fresh requests to refill @fd's share of the window: one sendmmsg(2). */
static unsigned int refill(int fd, const struct sockaddr_in *to, const struct csession *s,
			   uint64_t *attempt, unsigned int n)
{
	static uint8_t bufs[CP_PER_PORT][WIRE_REATTACH_REQUEST_LEN];
	struct mmsghdr mm[CP_PER_PORT];
	struct iovec iov[CP_PER_PORT];
	unsigned int i;
	int sent;

	for (i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i],
					 .iov_len = request(bufs[i], s, ++*attempt, s->keys.reattach) };
		mm[i] = (struct mmsghdr){ .msg_hdr = {
			.msg_name = (void *)to, .msg_namelen = sizeof(*to),
			.msg_iov = &iov[i], .msg_iovlen = 1,
		} };
	}
	sent = n ? sendmmsg(fd, mm, n, 0) : 0;
	return sent > 0 ? sent : 0;
}

static int valid(int argc, char **argv)
{
	uint64_t sent = 0, challenges = 0, other = 0, attempt, end, t0;
	unsigned int inflight[CP_PORTS] = { 0 }, got, k;
	struct pollfd pfd[CP_PORTS];
	struct sockaddr_in from, to;
	struct csession s;
	double secs;
	int n;

	if (argc < 4)
		return 2;
	memset(&s, 0, sizeof(s));
	load_session(argv[2], &s);
	secs = atof(argv[3]);
	addr(argc > 4 ? argv[4] : "10.3.0.1", 0, &from);
	addr(argc > 5 ? argv[5] : "10.3.0.2", 51820, &to);
	for (k = 0; k < CP_PORTS; k++)
		pfd[k] = (struct pollfd){ .fd = bound(&from), .events = POLLIN };
	/* Attempts far past the client's own, so that each is fresh. */
	attempt = s.attempt + 100000;
	t0 = mono_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (mono_ns() < end) {
		for (k = 0; k < CP_PORTS; k++) {
			got = refill(pfd[k].fd, &to, &s, &attempt, CP_PER_PORT - inflight[k]);
			inflight[k] += got;
			sent += got;
		}
		n = poll(pfd, CP_PORTS, CP_LOST_MS);
		if (n <= 0) {	/* nothing back for a while: count a quarter lost */
			for (k = 0; k < CP_PORTS; k++)
				inflight[k] -= inflight[k] < CP_PER_PORT / 4 ? inflight[k] : CP_PER_PORT / 4;
			continue;
		}
		for (k = 0; k < CP_PORTS; k++) {
			if (!(pfd[k].revents & POLLIN))
				continue;
			got = drain(pfd[k].fd, &challenges, &other);
			inflight[k] -= got < inflight[k] ? got : inflight[k];
		}
	}
	secs = (mono_ns() - t0) / 1e9;
	printf("{\"sent\": %" PRIu64 ", \"challenges\": %" PRIu64 ", \"other_replies\": %" PRIu64
	       ", \"seconds\": %.2f, \"per_s\": %.0f, \"ports\": %d, \"window\": %d}\n",
	       sent, challenges, other, secs, challenges / secs, CP_PORTS, CP_PORTS * CP_PER_PORT);
	return 0;
}

static int flood(int argc, char **argv)
{
	static uint8_t bufs[CP_FLOOD_BATCH][WIRE_REATTACH_REQUEST_LEN];
	struct mmsghdr mm[CP_FLOOD_BATCH];
	struct iovec iov[CP_FLOOD_BATCH];
	struct sockaddr_in from, to;
	uint64_t sent = 0, end, t0, attempt = 1;
	struct csession s;
	int fd, i, n, arg = 3;
	double secs;

	if (argc < 3)
		return 2;
	secs = atof(argv[2]);
	memset(&s, 0, sizeof(s));
	s.id = 0x0123456789abcdefULL;
	if (argc > arg && strstr(argv[arg], ".session"))
		load_session(argv[arg++], &s);
	addr(argc > arg ? argv[arg] : "10.3.0.66", 0, &from);
	addr(argc > arg + 1 ? argv[arg + 1] : "10.3.0.2", 51820, &to);
	fd = bound(&from);
	for (i = 0; i < CP_FLOOD_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = sizeof(bufs[i]) };
		mm[i] = (struct mmsghdr){ .msg_hdr = {
			.msg_name = &to, .msg_namelen = sizeof(to),
			.msg_iov = &iov[i], .msg_iovlen = 1,
		} };
	}
	t0 = mono_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (mono_ns() < end) {
		/* Fresh forgeries each batch: a wrong MAC, else well formed. */
		for (i = 0; i < CP_FLOOD_BATCH; i++) {
			if (i % 2)
				randombytes_buf(bufs[i], sizeof(bufs[i]));
			else
				request(bufs[i], &s, ++attempt, NULL);
		}
		n = sendmmsg(fd, mm, CP_FLOOD_BATCH, 0);
		if (n > 0)
			sent += n;
		else if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
			die("sendmmsg");
	}
	secs = (mono_ns() - t0) / 1e9;
	printf("{\"sent\": %" PRIu64 ", \"seconds\": %.2f, \"per_s\": %.0f}\n",
	       sent, secs, sent / secs);
	return 0;
}

static int mac(int argc, char **argv)
{
	uint8_t key[WIRE_KEY_LEN], buf[WIRE_MAX_LEN];
	uint64_t count = 0, ok = 0, t0, end;
	struct csession s = { .id = 1 };
	double secs;
	size_t len;
	int i;

	if (argc < 3)
		return 2;
	secs = atof(argv[2]);
	randombytes_buf(key, sizeof(key));
	len = request(buf, &s, 1, key);
	t0 = mono_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (mono_ns() < end) {
		for (i = 0; i < 10000; i++) {
			buf[8] = (uint8_t)i;	/* not the same input twice in a row */
			ok += hs_mac_ok(buf, len, key);
		}
		count += 10000;
	}
	if (ok > count)
		abort();
	printf("{\"mac_verify_per_s\": %.0f, \"seconds\": %.1f, \"mac\": \"keyed BLAKE2b-128 (crypto_generichash) over a %d-byte REATTACH_REQUEST, hs_mac_ok()\"}\n",
	       count * 1e9 / (mono_ns() - t0), secs, WIRE_REATTACH_REQUEST_LEN);
	return 0;
}

int main(int argc, char **argv)
{
	int err = 2;

	if (sodium_init() < 0)
		return 1;
	if (argc > 1 && !strcmp(argv[1], "valid"))
		err = valid(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "flood"))
		err = flood(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "mac"))
		err = mac(argc, argv);
	if (err == 2)
		fprintf(stderr, "usage: cp_load valid SESSIONFILE SECONDS [FROM [TO]]\n"
			"       cp_load flood SECONDS [SESSIONFILE] [FROM [TO]]\n"
			"       cp_load mac SECONDS\n");
	return err;
}
