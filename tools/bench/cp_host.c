// SPDX-License-Identifier: GPL-2.0
/*
 * The server's reattach path on the host, without a kernel: what one
 * validated REATTACH_REQUEST, one forged one and one bare MAC verify cost
 * (Documentation/benchmark.rst, "Control plane", "Where the time went").
 * A ctl set up by hand as in selftests/unit/jumpd_server.c (the kernel's
 * view filled in, every ownership lookup answered yes, the audit file and
 * state directory under DIR), packets sent over loopback UDP to the
 * server's socket and read by ctl_read_socket() in batches, as jumpd's
 * loop does. Run it under valgrind --tool=callgrind for instruction
 * counts, or alone for times.
 *
 *   cp_host [N [DIR]]     N (10000) of each kind; DIR (/tmp) for the files
 *   cp_host mac SECONDS   only the bare MAC verify loop, for SECONDS:
 *                         {"mac_verify_per_s": N} (tools/bench/ctlplane.sh
 *                         runs it on jumpd's core, for a ratio that does
 *                         not depend on the machine)
 *
 * Prints one JSON line: ns per valid request, per forged request, per
 * garbage packet and per bare MAC verify (hs_mac_ok() over a request),
 * and the rates they make.
 */
#include <arpa/inet.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "ctl.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "sync.h"

#define IFINDEX		7
#define ID		0x5eed5eed00000001ULL
#define NSOCKS		64		/* source ports; also the batch */

static struct jumpd d;
static struct ctl c;
static int srv;
static int socks[NSOCKS];
static uint8_t reattach_key[WIRE_KEY_LEN];

static int fake_claim(struct owner *o, uint64_t id)
{
	return 0;
}

static bool fake_owns(struct owner *o, uint64_t id)
{
	return true;
}

static void fake_release(struct owner *o, uint64_t id)
{
}

static const struct owner_ops fake_ops = {
	.name = "fake", .claim = fake_claim, .owns = fake_owns, .release = fake_release,
};

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int udp_socket(struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int big = 1 << 20;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len))
		abort();
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return fd;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void setup(const char *base, char *dir, size_t dirlen)
{
	struct view_session vs = {
		.ifindex = IFINDEX, .id = ID, .version = 1,
		.role = JUMP_ROLE_SERVER, .state = JUMP_STATE_ATTACHED,
	};
	struct sockaddr_storage ss;
	struct csession *s;
	char audit_path[640];
	int i;

	view_init(&d.view);
	view_dev_add(&d.view, IFINDEX, "jump0", true);
	d.ctl = &c;
	c.d = &d;
	c.ifindex = IFINDEX;
	c.cfg.role = JUMP_ROLE_SERVER;
	c.ops = &server_role;
	c.role_priv = calloc(1, server_role.priv);
	config_policy_defaults(&c.cfg.policy);
	snprintf(dir, dirlen, "%s/cp_host.XXXXXX", base);
	if (!mkdtemp(dir))
		abort();
	snprintf(c.cfg.state_dir, sizeof(c.cfg.state_dir), "%s/state", dir);
	snprintf(audit_path, sizeof(audit_path), "%s/audit.log", dir);
	if (store_init(c.cfg.state_dir) || audit_open(&c.audit, audit_path, "jump0"))
		abort();
	/* As jumpd: the head beside the state, records to journald too. */
	snprintf(audit_path, sizeof(audit_path), "%s/state/audit.head", dir);
	if (audit_set_head(&c.audit, audit_path))
		abort();
	c.owner.ops = &fake_ops;
	/* The policy of tools/bench/ctlplane.sh: every limit out of the way. */
	c.cfg.policy.source_rate = c.cfg.policy.source_burst = 1000000;
	c.cfg.policy.global_rate = c.cfg.policy.global_burst = 10000000;
	c.cfg.policy.cookie_threshold = 10000000;
	c.cfg.policy.max_switches = 1000;
	c.table_size = 64;
	c.table = calloc(c.table_size, sizeof(*c.table));
	if (!c.table || !c.role_priv || server_role.init(&c))
		abort();
	srv = udp_socket(&ss);
	if (udp_want_pktinfo(srv, AF_INET))
		abort();
	for (i = 0; i < NSOCKS; i++)
		socks[i] = udp_socket(&ss);
	s = ctl_add(&c, ID, JUMP_ROLE_SERVER);
	randombytes_buf(reattach_key, sizeof(reattach_key));
	memcpy(s->keys.reattach, reattach_key, sizeof(reattach_key));
	randombytes_buf(s->reattach_prev, sizeof(s->reattach_prev));
	s->epoch = 1;
	s->fd = srv;
	view_upsert(&d.view, &vs, NULL);
}

static size_t request(uint8_t *buf, uint64_t attempt, bool forged)
{
	struct wire_reattach_request m = {
		.session_id = ID, .epoch = 2, .attempt = attempt,
		.timestamp_ns = ctl_realtime(),
	};
	size_t len = wire_encode_reattach_request(buf, &m);

	if (forged)
		randombytes_buf(buf + len - WIRE_MAC_LEN, WIRE_MAC_LEN);
	else
		hs_mac_seal(buf, len, reattach_key);
	return len;
}

/* kind: 0 valid, 1 forged, 2 garbage. ns spent in jumpd's code per packet. */
static double run(int kind, unsigned int n)
{
	struct sockaddr_in to;
	socklen_t tolen = sizeof(to);
	static uint64_t attempt;
	uint8_t buf[WIRE_MAX_LEN], sink[WIRE_MAX_LEN];
	uint64_t spent = 0, t0;
	unsigned int i, k;
	size_t len;

	getsockname(srv, (struct sockaddr *)&to, &tolen);
	for (i = 0; i < n; i += NSOCKS) {
		for (k = 0; k < NSOCKS && i + k < n; k++) {
			if (kind == 2) {
				randombytes_buf(buf, 64);
				buf[0] = 0xee;
				len = 64;
			} else {
				len = request(buf, ++attempt, kind == 1);
			}
			sendto(socks[k], buf, len, 0, (struct sockaddr *)&to, sizeof(to));
		}
		t0 = now_ns();
		ctl_read_socket(&c, srv);
		spent += now_ns() - t0;
		for (k = 0; k < NSOCKS; k++)
			while (recv(socks[k], sink, sizeof(sink), MSG_DONTWAIT) > 0)
				;
	}
	ctl_run_timers(&c);
	return (double)spent / n;
}

static double mac_loop(unsigned int n)
{
	uint8_t buf[WIRE_MAX_LEN];
	size_t len = request(buf, 1, false);
	unsigned int i, ok = 0;
	uint64_t t0 = now_ns();

	for (i = 0; i < n; i++) {
		buf[8] = (uint8_t)i;	/* not the same input twice in a row */
		ok += hs_mac_ok(buf, len, reattach_key);
	}
	if (ok > n)
		abort();
	return (double)(now_ns() - t0) / n;
}

/* The bare verify loop alone, for @seconds: what jumpd's own MAC check costs. */
static int mac_only(double seconds)
{
	uint64_t end = now_ns() + (uint64_t)(seconds * 1e9), t0 = now_ns(), count = 0;

	randombytes_buf(reattach_key, sizeof(reattach_key));
	while (now_ns() < end) {
		mac_loop(10000);
		count += 10000;
	}
	printf("{\"mac_verify_per_s\": %.0f, \"seconds\": %.1f, \"mac\": \"keyed BLAKE2b-128 (crypto_generichash) over a %d-byte REATTACH_REQUEST, hs_mac_ok()\"}\n",
	       count * 1e9 / (now_ns() - t0), seconds, WIRE_REATTACH_REQUEST_LEN);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 10000;
	const char *base = argc > 2 ? argv[2] : "/tmp";
	double valid, forged, garbage, mac;
	char dir[512];

	if (sodium_init() < 0)
		return 1;
	if (argc > 2 && !strcmp(argv[1], "mac"))
		return mac_only(atof(argv[2]));
	if (!n)
		return 1;
	setup(base, dir, sizeof(dir));
	mac = mac_loop(n);
	valid = run(0, n);
	forged = run(1, n);
	garbage = run(2, n);
	printf("{\"n\": %u, \"valid_ns\": %.0f, \"forged_ns\": %.0f, \"garbage_ns\": %.0f, "
	       "\"mac_verify_ns\": %.0f, \"reattach_per_s\": %.0f, \"mac_verify_per_s\": %.0f, "
	       "\"ratio\": %.4f, \"forged_per_s\": %.0f, \"audit_records\": %llu}\n",
	       n, valid, forged, garbage, mac, 1e9 / valid, 1e9 / mac, mac / valid,
	       1e9 / forged, (unsigned long long)c.audit.seq);
	audit_close(&c.audit);
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}
