// SPDX-License-Identifier: GPL-2.0
/*
 * The server's control plane without a kernel: a ctl set up by hand (its
 * kernel view filled in, a fake ownership authority that counts its
 * lookups, an audit file in a temporary directory) and real UDP sockets on
 * 127.0.0.1 for the client and for whoever else sends, so that what the
 * server answers, and to whom, is read off the sockets. The ctl runs the
 * server role (server_role, its area allocated here as ctl_start() would)
 * and every packet goes in through server_packet(), as from the socket.
 *
 * Over 600 lines: the setup of that fake server is a third of it; each
 * scenario after it (authentication first, copies of a request, rates,
 * unbound reports, the standby's refusals) needs all of it.
 */
#include <arpa/inet.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "ctl.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "sync.h"
#include "tap.h"

#define IFINDEX		7
#define ID		0x5eed5eed00000001ULL
#define NSOCKS		12

static struct jumpd d;
static struct ctl c;
static char dir[64], audit_path[128];
static int srv;				/* the server's socket */
static struct endpoint srv_local;
static int socks[NSOCKS];		/* socks[0] is the client, the others anyone */
static struct sockaddr_storage addrs[NSOCKS];
static const uint8_t peer[JUMP_PUBKEY_LEN] = { 9, 9, 9 };
static uint8_t reattach_key[WIRE_KEY_LEN];

/* The fake ownership authority: owns what it is told to, counts its lookups. */
static bool owned = true;
static unsigned int owns_calls;

static int fake_claim(struct owner *o, uint64_t id)
{
	return 0;
}

static bool fake_owns(struct owner *o, uint64_t id)
{
	owns_calls++;
	return owned;
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

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len))
		abort();
	return fd;
}

/* Audit records written so far. */
static unsigned int records(void)
{
	FILE *f = fopen(audit_path, "r");
	unsigned int n = 0;
	int ch;

	if (!f)
		return 0;
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* Audit records whose line holds @what. */
static unsigned int records_with(const char *what)
{
	FILE *f = fopen(audit_path, "r");
	char line[4096];
	unsigned int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/* The kernel's view of the session: @state, at a newer version. */
static void kernel_holds(uint8_t state)
{
	static uint64_t version;
	struct view_session vs = {
		.ifindex = IFINDEX, .id = ID, .version = ++version,
		.role = JUMP_ROLE_SERVER, .state = state,
	};

	view_upsert(&d.view, &vs, NULL);
}

static struct csession *session(void)
{
	return ctl_find(&c, ID);
}

/* A fresh server with one attached session at epoch 1, nothing committed yet. */
static void setup(void)
{
	struct sockaddr_storage ss;
	struct csession *s;
	int i;

	memset(&d, 0, sizeof(d));
	memset(&c, 0, sizeof(c));
	view_init(&d.view);
	view_dev_add(&d.view, IFINDEX, "jump0", true);
	d.ctl = &c;
	c.d = &d;
	c.ifindex = IFINDEX;
	c.cfg.role = JUMP_ROLE_SERVER;
	c.ops = &server_role;
	c.role_priv = calloc(1, server_role.priv);
	config_policy_defaults(&c.cfg.policy);
	strcpy(dir, "/tmp/jumpd-server.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(c.cfg.state_dir, sizeof(c.cfg.state_dir), "%s/state", dir);
	snprintf(audit_path, sizeof(audit_path), "%s/audit.log", dir);
	if (store_init(c.cfg.state_dir) || audit_open(&c.audit, audit_path, "jump0"))
		abort();
	c.audit.journal = 0;
	c.owner.ops = &fake_ops;
	owned = true;
	owns_calls = 0;
	/* No rate limit unless a test sets one: their own tests are elsewhere. */
	c.cfg.policy.source_rate = c.cfg.policy.source_burst = 1000000;
	c.cfg.policy.global_rate = c.cfg.policy.global_burst = 1000000;
	c.cfg.policy.cookie_threshold = 10000000;
	c.table_size = 64;
	c.table = calloc(c.table_size, sizeof(*c.table));
	if (!c.table || !c.role_priv || rl_init(&server_ctl(&c)->rl, c.cfg.policy.source_rate, c.cfg.policy.source_burst,
				c.cfg.policy.global_rate, c.cfg.policy.global_burst,
				c.cfg.policy.cookie_threshold, 256, ctl_now()))
		abort();
	srv = udp_socket(&ss);
	udp_to_endpoint(&ss, &srv_local);
	for (i = 0; i < NSOCKS; i++)
		socks[i] = udp_socket(&addrs[i]);
	s = ctl_add(&c, ID, JUMP_ROLE_SERVER);
	memcpy(s->peer_pub, peer, sizeof(peer));
	randombytes_buf(reattach_key, sizeof(reattach_key));
	memcpy(s->keys.reattach, reattach_key, sizeof(reattach_key));
	randombytes_buf(s->reattach_prev, sizeof(s->reattach_prev));
	randombytes_buf(s->keys.ctl, sizeof(s->keys.ctl));
	s->epoch = 1;
	s->fd = srv;
	s->local = srv_local;
	s->remote = addrs[0];
	kernel_holds(JUMP_STATE_ATTACHED);
}

static void teardown(void)
{
	int i;

	for (i = 0; i < NSOCKS; i++)
		close(socks[i]);
	close(srv);
	while (c.count)
		for (size_t b = 0; b < c.table_size; b++)
			if (c.table[b])
				ctl_remove(&c, c.table[b]);
	free(c.table);
	rl_free(&server_ctl(&c)->rl);
	free(c.role_priv);
	audit_close(&c.audit);
	view_free(&d.view);
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* @buf as if it came from socks[@from] to the server's socket. */
static void deliver(int from, const uint8_t *buf, size_t len)
{
	static struct udp_packet p;

	memset(&p, 0, sizeof(p));
	p.fd = srv;
	p.src = addrs[from];
	p.local = srv_local;
	p.len = len;
	memcpy(p.buf, buf, len);
	server_packet(&c, &p);
}

/* A REATTACH_REQUEST for epoch 2 and @attempt, MACed with @key (NULL: a forged MAC). */
static size_t request(uint8_t *buf, uint64_t attempt, const uint8_t *cookie,
		      const uint8_t *key)
{
	struct wire_reattach_request m = {
		.session_id = ID, .epoch = 2, .attempt = attempt,
		.timestamp_ns = ctl_realtime(),
	};
	size_t len;

	if (cookie)
		memcpy(m.cookie, cookie, sizeof(m.cookie));
	len = wire_encode_reattach_request(buf, &m);
	if (key)
		hs_mac_seal(buf, len, key);
	else
		randombytes_buf(buf + len - WIRE_MAC_LEN, WIRE_MAC_LEN);
	return len;
}

/* The next datagram the server sent to socks[@to]: its type, or -1 if none. */
static int received(int to, uint8_t *buf, size_t *len)
{
	uint8_t tmp[WIRE_MAX_LEN];
	ssize_t n;

	if (!buf)
		buf = tmp;
	n = recv(socks[to], buf, WIRE_MAX_LEN, MSG_DONTWAIT);
	if (n <= 0)
		return -1;
	if (len)
		*len = (size_t)n;
	return buf[0];
}

/* Reads everything queued for socks[@to]; how many were of @type. */
static unsigned int drain(int to, int type)
{
	unsigned int n = 0;
	int t;

	while ((t = received(to, NULL, NULL)) >= 0)
		n += t == type;
	return n;
}

/*
 * Authenticate first: a forged request used to cost an ownership lookup
 * (an access(2) on the state directory) and, when the kernel had no such
 * session, an fsync'd audit record, all before its MAC was checked.
 */
static void test_authenticate_first(void)
{
	uint8_t buf[WIRE_MAX_LEN];
	unsigned int before, i;
	size_t len;

	setup();
	kernel_holds(JUMP_STATE_BIRTH);
	before = records();
	len = request(buf, 1, NULL, NULL);
	deliver(1, buf, len);
	tap_ok(owns_calls == 0 && records() == before && received(1, NULL, NULL) < 0 &&
	       c.unauthenticated[JUMP_REJECT_AUTH_FAILED] == 1,
	       "a forged REATTACH_REQUEST costs a MAC check and a counter: no ownership lookup, no audit record");
	for (i = 0; i < 999; i++) {
		len = request(buf, 2 + i, NULL, NULL);
		deliver(1 + i % (NSOCKS - 1), buf, len);
	}
	tap_ok(owns_calls == 0 && records() == before,
	       "1000 forged requests: nothing written (%u records)", records() - before);
	ctl_run_timers(&c);
	tap_ok(records() == before + 1 &&
	       records_with("\"reject\":\"auth_failed\"") == 1 &&
	       records_with("1000 control packets that did not authenticate") == 1,
	       "then one summary record: 1000 that did not authenticate (auth_failed)");
	wire_encode_reattach_request(buf, &(struct wire_reattach_request){ .session_id = ID + 1 });
	deliver(1, buf, WIRE_REATTACH_REQUEST_LEN);
	tap_ok(c.unauthenticated[JUMP_REJECT_UNKNOWN_SESSION] == 1 && records() == before + 1,
	       "a request for an unknown session: a counter (unknown_session), no record");
	owned = false;
	len = request(buf, 1, NULL, reattach_key);
	deliver(0, buf, len);
	tap_ok(owns_calls == 1 && records_with("\"reject\":\"not_owner\"") == 1,
	       "an authentic request for a session owned elsewhere is still audited (not_owner)");
	owned = true;
	len = request(buf, 2, NULL, reattach_key);
	deliver(0, buf, len);
	tap_ok(records_with("\"reject\":\"session_terminated\"") == 1,
	       "an authentic request for a session the kernel holds in birth: session_terminated");
	teardown();
}

/* The confirm the client sends for the challenge in @ch (as received). */
static bool confirm_from(int from, const uint8_t *ch, size_t len, int *reject)
{
	struct wire_reattach_nonce m;
	struct udp_packet p;
	uint8_t buf[WIRE_MAX_LEN];

	if (wire_decode_reattach_nonce(ch, len, JUMP_MSG_REATTACH_CHALLENGE, &m))
		return false;
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &m);
	hs_mac_seal(buf, len, reattach_key);
	memset(&p, 0, sizeof(p));
	p.fd = srv;
	p.src = addrs[from];
	p.local = srv_local;
	p.len = len;
	memcpy(p.buf, buf, len);
	return server_validated(&c, &p, session(), &m, reject) != NULL;
}

static unsigned int pending_used(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < SERVER_MAX_PENDING; i++)
		n += server_session(session())->pending[i].used;
	return n;
}

/*
 * One sniffed REATTACH_REQUEST used to block a reattach: copies of it from
 * four other ports each took a pending validation, the oldest (the real
 * client's) evicted, on every retry. Copies now cost no state: the
 * challenge is a MAC over (session, attempt, epoch, source), any source
 * that answers its own challenge validates, and the challenges sent for
 * one attempt are bounded (beyond, a COOKIE_REPLY: a real client comes
 * back with the cookie of its address and is challenged whatever the
 * copies did).
 */
static void test_copies_of_a_request(void)
{
	uint8_t req[WIRE_MAX_LEN], ch[WIRE_MAX_LEN], cookie[WIRE_COOKIE_LEN];
	unsigned int challenged = 0, cookies = 0;
	size_t len, chlen;
	int i, reject = -1;
	bool ok;

	setup();
	len = request(req, 1, NULL, reattach_key);
	deliver(0, req, len);
	tap_ok(received(0, ch, &chlen) == JUMP_MSG_REATTACH_CHALLENGE,
	       "the client's request is answered with a REATTACH_CHALLENGE");
	for (i = 1; i <= 8; i++)
		deliver(i, req, len);
	ok = confirm_from(0, ch, chlen, &reject);
	tap_ok(ok, "8 copies of it from other ports: the client's confirm still validates its path");
	tap_ok(pending_used() == 1, "the copies hold no state: one pending validation for the attempt");
	for (i = 1; i <= 8; i++) {
		int t = received(i, NULL, NULL);

		challenged += t == JUMP_MSG_REATTACH_CHALLENGE;
		cookies += t == JUMP_MSG_COOKIE_REPLY;
		drain(i, -1);
	}
	tap_ok(challenged == JUMP_REATTACH_CHALLENGES - 1 && cookies == 8 - challenged,
	       "challenges for one attempt are bounded: %u copies challenged, %u got a COOKIE_REPLY",
	       challenged, cookies);
	tap_ok(!confirm_from(5, ch, chlen, &reject) && reject == JUMP_REJECT_WRONG_PATH,
	       "the client's confirm replayed from another port does not validate (wrong_path)");

	/* An attacker who wins every race: its copies arrive first. */
	len = request(req, 2, NULL, reattach_key);
	for (i = 1; i <= 8; i++)
		deliver(i, req, len);
	deliver(0, req, len);
	tap_ok(received(0, ch, &chlen) == JUMP_MSG_COOKIE_REPLY,
	       "copies first, past the budget: the client gets a COOKIE_REPLY for its address");
	memcpy(cookie, ch + 12, sizeof(cookie));
	len = request(req, 3, cookie, reattach_key);
	for (i = 1; i <= 8; i++)
		deliver(i, req, len);
	deliver(0, req, len);
	tap_ok(received(0, ch, &chlen) == JUMP_MSG_REATTACH_CHALLENGE && confirm_from(0, ch, chlen, &reject),
	       "its retry with that cookie is challenged after 8 copies, and its confirm validates");
	teardown();
}

/* Uses up the source bucket of 127.0.0.1 from socks[@from]: garbage. */
static void flood_address(int from)
{
	static const uint8_t junk[8] = { JUMP_MSG_TERMINATE };
	int i;

	for (i = 0; i < 50; i++)
		deliver(from, junk, sizeof(junk));
}

/*
 * The per-source limit is keyed by address: a spoofer of the client's
 * address, or a neighbour behind the same CGNAT address, over SourceRate
 * used to silence the client's reattach and rekey. A packet that proves
 * it receives there (its cookie, the answer to our challenge, the bound
 * address) now passes the source limit, and a request without a cookie is
 * answered with one.
 */
static void test_source_rate(void)
{
	uint8_t req[WIRE_MAX_LEN], buf[WIRE_MAX_LEN], cookie[WIRE_COOKIE_LEN];
	struct wire_handshake_done done = { .session_id = ID, .client_index = 5 };
	struct wire_reattach_reject rj;
	uint64_t limited;
	size_t len;
	int ok_reject = 0;

	setup();
	/* The client reattaches from socks[0]; its binding is on socks[11]. */
	session()->remote = addrs[11];
	rl_set_rates(&server_ctl(&c)->rl, 1, 1, 1000000, 1000000, 10000000);
	flood_address(5);
	limited = c.limited;
	flood_address(5);
	tap_ok(c.limited == limited + 50,
	       "a neighbour on the client's address over SourceRate is dropped");
	len = request(req, 1, NULL, reattach_key);
	deliver(0, req, len);
	tap_ok(received(0, buf, &len) == JUMP_MSG_COOKIE_REPLY,
	       "the client's request over its address's rate gets a COOKIE_REPLY, not silence");
	memcpy(cookie, buf + 12, sizeof(cookie));
	flood_address(5);
	len = request(req, 2, cookie, reattach_key);
	deliver(0, req, len);
	tap_ok(received(0, buf, &len) == JUMP_MSG_REATTACH_CHALLENGE,
	       "its request carrying the cookie passes the source limit and is challenged");
	/* MaxSwitches used up meanwhile: the confirm is answered with a reject. */
	server_session(session())->switches.tokens_milli = 0;
	server_session(session())->switches.last_ns = ctl_now();
	flood_address(5);
	{
		struct wire_reattach_nonce m;

		wire_decode_reattach_nonce(buf, len, JUMP_MSG_REATTACH_CHALLENGE, &m);
		len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &m);
		hs_mac_seal(buf, len, reattach_key);
		deliver(0, buf, len);
	}
	if (received(0, buf, &len) == JUMP_MSG_REATTACH_REJECT &&
	    !wire_decode_reattach_reject(buf, len, &rj))
		ok_reject = rj.reason == JUMP_REJECT_SWITCH_RATE;
	tap_ok(ok_reject, "its confirm from the challenged address passes the source limit too");
	flood_address(5);
	len = wire_encode_handshake_done(buf, &done);
	hs_mac_seal(buf, len, session()->keys.ctl);
	deliver(11, buf, len);
	tap_ok(received(11, NULL, NULL) == JUMP_MSG_HANDSHAKE_ACK,
	       "a session message from the bound address passes the source limit (a repeated DONE is acked)");
	teardown();
}

static void unbound_event(uint64_t id)
{
	struct jumpd_msg m = { .cmd = JUMP_CMD_UNBOUND_SOURCE, .ifindex = IFINDEX, .id = id };

	ctl_on_report(&d, &m);
}

/*
 * The kernel reports authentic packets from outside a binding (replays
 * among them) at most once a second per session; jumpd wrote one fsync'd
 * record for each report, for every session, without a budget.
 */
static void test_unbound_source_budget(void)
{
	unsigned int before, i;

	setup();
	before = records();
	for (i = 0; i < 1000; i++)
		unbound_event(ID);
	tap_ok(records() - before == JUMP_UNBOUND_RECORDS_PER_SESSION,
	       "1000 unbound_source events for one session: %d records, the rest counted",
	       JUMP_UNBOUND_RECORDS_PER_SESSION);
	before = records();
	for (i = 0; i < 1000; i++)
		unbound_event(ID + 1 + i);
	tap_ok(records() - before < 100,
	       "events for 1000 other sessions: fewer than one in ten recorded, whatever the time taken (%u)",
	       records() - before);
	before = records();
	ctl_run_timers(&c);
	tap_ok(records() == before + 1 &&
	       records_with("authentic packets from outside a binding (unbound_source reports) not recorded one by one") == 1,
	       "then one summary record of those not recorded");
	teardown();
}

/* A packet of @len bytes from @addr:@port, for ctl_read_order(). */
static void packet_from(struct udp_packet *p, const char *addr, uint16_t port,
			const uint8_t *buf, size_t len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&p->src;

	memset(p, 0, sizeof(*p));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, addr, &sin->sin_addr);
	p->fd = srv;
	p->local = srv_local;
	p->len = len;
	memcpy(p->buf, buf, len);
}

static unsigned int position(const uint16_t *order, unsigned int k, unsigned int index)
{
	unsigned int i;

	for (i = 0; i < k; i++)
		if (order[i] == index)
			return i;
	return k;
}

/*
 * A forged flood from one source used to go through the MAC checks packet
 * by packet, in the order it came, ahead of a real client's request: 21k
 * forged packets a second took a legitimate reattach's p99 from 48 ms to
 * 5 s. A batch is now ordered, proven sources first and then one packet
 * per source (address and port) a round, and a full batch gives a source
 * CTL_SOURCE_BUDGET packets at most, the rest dropped before any MAC.
 */
static void test_batch_order(void)
{
	static struct udp_packet p[CTL_READ_BATCH];
	uint8_t buf[WIRE_MAX_LEN];
	uint16_t order[CTL_READ_BATCH];
	const struct sockaddr_in *bound = (const struct sockaddr_in *)&addrs[0];
	char bound_addr[INET_ADDRSTRLEN];
	unsigned int i, k, n = CTL_READ_BATCH, legit = n - 3, mine = n - 1, floods = 0;
	unsigned int neighbour = n - 2;
	uint64_t limited;
	size_t len;

	setup();
	inet_ntop(AF_INET, &bound->sin_addr, bound_addr, sizeof(bound_addr));
	for (i = 0; i < n - 3; i++) {
		len = request(buf, 100 + i, NULL, NULL);
		packet_from(&p[i], "10.9.9.9", 1000, buf, len);
	}
	len = request(buf, 5, NULL, reattach_key);
	packet_from(&p[legit], "10.1.0.2", 4000, buf, len);
	/* Behind the flooder's CGNAT address, on a port of its own. */
	packet_from(&p[neighbour], "10.9.9.9", 5000, buf, len);
	len = request(buf, 6, NULL, reattach_key);
	packet_from(&p[mine], bound_addr, ntohs(bound->sin_port), buf, len);
	limited = c.limited;
	k = ctl_read_order(&c, p, n, true, order);
	for (i = 0; i < k; i++)
		floods += order[i] < n - 3;
	tap_ok(k == CTL_SOURCE_BUDGET + 3 && floods == CTL_SOURCE_BUDGET &&
	       c.limited == limited + n - k,
	       "a full batch: the flooding source gets %d packets, %u dropped before any MAC",
	       CTL_SOURCE_BUDGET, n - k);
	tap_ok(order[0] == mine, "the packet from the bound address goes first");
	tap_ok(position(order, k, legit) <= 3 && position(order, k, neighbour) <= 3,
	       "a new source's first packet goes in the first round (at %u), even behind the flooder's address (at %u)",
	       position(order, k, legit), position(order, k, neighbour));
	for (i = 1; i < k; i++)
		if (order[i] < n - 3 && order[i - 1] < n - 3 && order[i] < order[i - 1])
			break;
	tap_ok(i == k, "one source's packets keep their order");
	limited = c.limited;
	k = ctl_read_order(&c, p, n, false, order);
	tap_ok(k == n && c.limited == limited && order[0] == mine,
	       "a batch that did not fill: all handled, the bound address still first");
	for (i = 0; i < n; i++)
		p[i] = p[mine];
	tap_ok(ctl_read_order(&c, p, n, true, order) == n,
	       "a full batch from the bound address: none dropped (a spoofer of it must not silence it)");
	teardown();
}

/* The confirm from a path being validated is proven; requests from it are not. */
static void test_proven(void)
{
	struct wire_reattach_nonce m = { .session_id = ID };
	struct server_pending *pp;
	struct udp_packet p;
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	setup();
	pp = &server_session(session())->pending[0];
	pp->used = true;
	pp->attempt = 9;
	packet_from(&p, "10.1.0.2", 4000, buf, 0);
	pp->src = p.src;
	m.attempt = 9;
	len = wire_encode_reattach_nonce(buf, JUMP_MSG_REATTACH_CONFIRM, &m);
	packet_from(&p, "10.1.0.2", 4000, buf, len);
	tap_ok(server_role.proven(&c, &p), "a confirm from the address being validated is proven");
	len = request(buf, 10, NULL, reattach_key);
	packet_from(&p, "10.1.0.2", 4000, buf, len);
	tap_ok(!server_role.proven(&c, &p), "a request from it is not: its requests keep their order");
	packet_from(&p, "10.1.0.3", 4000, buf, len);
	tap_ok(!server_role.proven(&c, &p), "nor one from anywhere else");
	teardown();
}

/*
 * End to end, through the socket: a queue of forged requests costs MAC
 * checks for CTL_SOURCE_BUDGET of each full batch only, and the client's
 * request behind them is challenged a batch later.
 */
static void test_read_flood(void)
{
	struct sockaddr_in from = { .sin_family = AF_INET }, to;
	uint8_t buf[WIRE_MAX_LEN];
	socklen_t tl = sizeof(to);
	int flooder, i, rcvbuf = 0;
	socklen_t rl = sizeof(rcvbuf);
	uint64_t macs;
	size_t len;

	setup();
	getsockname(srv, (struct sockaddr *)&to, &tl);
	from.sin_addr.s_addr = htonl(0x7f000009);	/* 127.0.0.9 */
	flooder = socket(AF_INET, SOCK_DGRAM, 0);
	if (flooder < 0 || bind(flooder, (struct sockaddr *)&from, sizeof(from)))
		abort();
	if (ctl_add_socket(&c, srv) || udp_want_pktinfo(srv, AF_INET))
		abort();
	getsockopt(srv, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &rl);
	tap_ok(geteuid() ? rcvbuf > 0 : rcvbuf >= CTL_RCVBUF,
	       "a control socket gets a receive buffer of CTL_RCVBUF (%d)", rcvbuf);
	for (i = 0; i < CTL_READ_BATCH + 50; i++) {
		len = request(buf, 100 + i, NULL, NULL);
		sendto(flooder, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
	}
	len = request(buf, 7, NULL, reattach_key);
	sendto(socks[1], buf, len, 0, (struct sockaddr *)&to, sizeof(to));
	ctl_read_socket(&c, srv);
	macs = c.unauthenticated[JUMP_REJECT_AUTH_FAILED];
	tap_ok(macs == CTL_SOURCE_BUDGET,
	       "a full batch of forgeries from one address: %d failed MAC checks (%llu)",
	       CTL_SOURCE_BUDGET, (unsigned long long)macs);
	ctl_read_socket(&c, srv);
	tap_ok(drain(1, JUMP_MSG_REATTACH_CHALLENGE) == 1,
	       "the client's request behind them is challenged at the next read");
	close(flooder);
	teardown();
}

/* A @type (STANDBY_REQUEST, STANDBY_PROMOTE) for @epoch and @attempt, MACed with @key (NULL: forged). */
static size_t standby_msg(uint8_t *buf, uint8_t type, uint32_t epoch, uint64_t attempt,
			  const uint8_t *key)
{
	struct wire_reattach_request m = {
		.session_id = ID, .epoch = epoch, .attempt = attempt,
		.timestamp_ns = ctl_realtime(),
	};
	size_t len = wire_encode_request(buf, type, &m);

	if (key)
		hs_mac_seal(buf, len, key);
	else
		randombytes_buf(buf + len - WIRE_MAC_LEN, WIRE_MAC_LEN);
	return len;
}

/* The reject the server sent to socks[@to]: its reason, or -1. */
static int rejected(int to)
{
	uint8_t buf[WIRE_MAX_LEN];
	size_t len;

	if (received(to, buf, &len) != JUMP_MSG_REATTACH_REJECT || len != WIRE_REATTACH_REJECT_LEN)
		return -1;
	return buf[1];
}

/*
 * StandbyPath's refusals, none of which may reach the kernel: a forged
 * promote, a promote from a path that is no standby, of the wrong epoch,
 * a keepalive from elsewhere, a standby request from the bound path; and
 * a standby's challenge is not a reattach's.
 */
static void test_standby_refusals(void)
{
	struct server_pending *pp;
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_reattach_ack ka = { .session_id = ID, .attempt = 1, .epoch = 1 };
	struct wire_reattach_nonce ch;
	unsigned int before;
	size_t len;
	int reject;

	setup();
	before = records();
	len = standby_msg(buf, JUMP_MSG_STANDBY_PROMOTE, 2, 1, NULL);
	deliver(1, buf, len);
	tap_ok(c.unauthenticated[JUMP_REJECT_AUTH_FAILED] == 1 && records() == before &&
	       received(1, NULL, NULL) < 0 && session()->epoch == 1,
	       "a forged STANDBY_PROMOTE costs a MAC check and a counter; nothing moves");
	len = standby_msg(buf, JUMP_MSG_STANDBY_PROMOTE, 2, 1, reattach_key);
	deliver(1, buf, len);
	tap_ok(records_with("\"reject\":\"no_standby\"") == 1 &&
	       rejected(1) == JUMP_REJECT_NO_STANDBY && session()->epoch == 1 &&
	       session()->attempt == 0,
	       "an authentic STANDBY_PROMOTE from no standby: no_standby, audited and answered");
	len = standby_msg(buf, JUMP_MSG_STANDBY_PROMOTE, 3, 2, reattach_key);
	deliver(1, buf, len);
	tap_ok(rejected(1) == JUMP_REJECT_STALE_ATTEMPT && session()->epoch == 1,
	       "a STANDBY_PROMOTE for an epoch other than the next: stale_attempt");
	len = wire_encode_ack(buf, JUMP_MSG_STANDBY_KEEPALIVE, &ka);
	hs_mac_seal(buf, len, reattach_key);
	deliver(1, buf, len);
	tap_ok(c.unauthenticated[JUMP_REJECT_NO_STANDBY] == 1 && received(1, NULL, NULL) < 0,
	       "a STANDBY_KEEPALIVE from no standby: counted (no_standby), not answered");
	len = standby_msg(buf, JUMP_MSG_STANDBY_REQUEST, 1, 3, reattach_key);
	deliver(0, buf, len);
	tap_ok(rejected(0) == JUMP_REJECT_WRONG_PATH && !pending_used(),
	       "a STANDBY_REQUEST from the bound path: wrong_path, nothing pending");
	len = standby_msg(buf, JUMP_MSG_STANDBY_REQUEST, 1, 4, reattach_key);
	deliver(1, buf, len);
	len = 0;
	pp = server_find_pending(session(), 4);
	tap_ok(pp && pp->standby && received(1, buf, &len) == JUMP_MSG_REATTACH_CHALLENGE &&
	       records_with("standby_request accepted") == 1,
	       "a STANDBY_REQUEST from another path is challenged there, pending as a standby");
	if (!wire_decode_reattach_nonce(buf, len, JUMP_MSG_REATTACH_CHALLENGE, &ch)) {
		pp->standby = false;	/* as if it were a reattach's */
		tap_ok(!server_nonce_ok(&c, session(), pp, &addrs[1], ch.nonce),
		       "its nonce answers no reattach of the same attempt (the standby label)");
		pp->standby = true;
		tap_ok(confirm_from(1, buf, len, &reject) && reject == JUMP_REJECT_NONE,
		       "... and validates the standby's path");
	} else {
		tap_ok(false, "its nonce answers no reattach of the same attempt (the standby label)");
		tap_ok(false, "... and validates the standby's path");
	}
	teardown();
}

int main(void)
{
	log_stream = fopen("/dev/null", "w");
	if (sodium_init() < 0)
		abort();
	test_authenticate_first();
	test_copies_of_a_request();
	test_source_rate();
	test_unbound_source_budget();
	test_batch_order();
	test_proven();
	test_read_flood();
	test_standby_refusals();
	return tap_done();
}
