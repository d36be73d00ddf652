// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: a seeded generator of hostile netlink requests for
 * jump.ko, run for a set time. Generic netlink for family "jump": every
 * command (and a few past the last), every attribute with good values, out
 * of range ones, wrong types and lengths, nested garbage, huge prefix
 * arrays, stale versions, stale and foreign session ids, descriptors of
 * every kind in a binding, other genl versions and flags, and byte-level
 * mutations of what it built; rtnetlink link messages for kind "jump"
 * (create, delete, up, down, MTU, garbage in IFLA_INFO_DATA). Devices are
 * deleted and made again now and then, so sessions die with their device
 * too. Replies are read and their ids kept, to aim at live sessions.
 *
 * Prints one line of totals at the end; exits 0 unless it could not start.
 * The test (85-nlfuzz.sh) judges the kernel: its log, and the unload.
 *
 *   nlfuzz [-s SEED] [-t SECONDS] [-v]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/jump.h>

#include "jumpctl.h"
#include "nl.h"

#define NDEVS		3
#define NIDS		64
#define NFDS		8
#define BUF		(256 * 1024)

static uint64_t rng;
static struct nl gnl, rnl;
static int ifindex[NDEVS];
static uint64_t ids[NIDS], versions[NIDS];
static unsigned int nids;
static int fds[NFDS];
static uint64_t sent_genl, sent_rtnl, accepted, refused, mutated, recreated;
static bool verbose;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static void fill(void *p, size_t len)
{
	uint8_t *b = p;

	while (len--)
		*b++ = (uint8_t)rnd();
}

/* A value that sits on an edge more often than chance would put it there. */
static uint64_t edgy(void)
{
	static const uint64_t edges[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, ~0ULL, ~0ULL >> 1 };

	return chance(50) ? edges[below(sizeof(edges) / sizeof(edges[0]))] : rnd();
}

static uint64_t some_id(void)
{
	if (nids && chance(80))
		return ids[below(nids)];
	return edgy();
}

static uint64_t version_of(uint64_t id)
{
	unsigned int i;

	for (i = 0; i < nids; i++)
		if (ids[i] == id)
			return chance(80) ? versions[i] : versions[i] + below(3) - 1;
	return edgy();
}

static void remember(uint64_t id, uint64_t version)
{
	unsigned int i;

	for (i = 0; i < nids; i++)
		if (ids[i] == id) {
			versions[i] = version;
			return;
		}
	i = nids < NIDS ? nids++ : below(NIDS);
	ids[i] = id;
	versions[i] = version;
}

static uint32_t some_ifindex(void)
{
	if (chance(85))
		return ifindex[below(NDEVS)];
	return chance(50) ? 1 : (uint32_t)edgy();	/* lo: not a jump device */
}

/* An attribute of @len bytes of garbage, or of a wrong size for its type. */
static void garbage(struct nlmsghdr *nlh, uint16_t type)
{
	uint8_t b[64];
	size_t len = below(chance(50) ? 9 : sizeof(b));

	fill(b, len);
	mnl_attr_put(nlh, type, len, b);
}

static void put_u(struct nlmsghdr *nlh, uint16_t type, int bytes, uint64_t v)
{
	if (chance(8)) {
		garbage(nlh, type);
		return;
	}
	switch (bytes) {
	case 1: mnl_attr_put_u8(nlh, type, (uint8_t)v); break;
	case 2: mnl_attr_put_u16(nlh, type, (uint16_t)v); break;
	case 4: mnl_attr_put_u32(nlh, type, (uint32_t)v); break;
	default: mnl_attr_put_u64(nlh, type, v); break;
	}
}

static void put_addr(struct nlmsghdr *nlh, uint16_t v4, uint16_t v6, bool local)
{
	struct in6_addr a6;
	uint32_t a4;

	if (chance(70)) {
		a4 = chance(80) ? htonl(local ? 0x0a000001 : 0x0a000002 + below(4)) : (uint32_t)rnd();
		put_u(nlh, v4, 4, a4);
	} else {
		inet_pton(AF_INET6, local ? "fd00::1" : "fd00::2", &a6);
		if (chance(20))
			fill(&a6, sizeof(a6));
		mnl_attr_put(nlh, v6, chance(90) ? sizeof(a6) : below(17), &a6);
	}
	if (chance(10))	/* both families at once */
		put_u(nlh, v4, 4, htonl(0x0a000003));
}

/* A JUMP_A_BINDING nest, or a JUMP_A_STANDBY one (@type): the same layout. */
static void binding(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	if (chance(90))
		put_addr(nlh, JUMP_BIND_A_LOCAL_IPV4, JUMP_BIND_A_LOCAL_IPV6, true);
	if (chance(90))
		put_u(nlh, JUMP_BIND_A_LOCAL_PORT, 2, htons(chance(80) ? 51820 + below(4) : (uint16_t)rnd()));
	if (chance(90))
		put_addr(nlh, JUMP_BIND_A_REMOTE_IPV4, JUMP_BIND_A_REMOTE_IPV6, false);
	if (chance(90))
		put_u(nlh, JUMP_BIND_A_REMOTE_PORT, 2, htons((uint16_t)rnd()));
	if (chance(60))
		put_u(nlh, JUMP_BIND_A_EPOCH, 4, chance(70) ? below(8) : edgy());
	if (chance(60))	/* UDP sockets, and whatever else a descriptor may be */
		put_u(nlh, JUMP_BIND_A_SOCKET_FD, 4,
		      chance(80) ? (uint64_t)fds[below(NFDS)] : edgy());
	if (chance(20)) {	/* an unlinkable binding: all four, or a part */
		uint8_t mask[JUMP_HEADER_MASK_LEN + 2];

		fill(mask, sizeof(mask));
		if (chance(80))
			put_u(nlh, JUMP_BIND_A_LOCAL_INDEX, 4,
			      chance(70) ? JUMP_MAX_SESSIONS + 1 + below(64) : edgy());
		if (chance(80))
			put_u(nlh, JUMP_BIND_A_REMOTE_INDEX, 4, chance(70) ? 1 + below(64) : edgy());
		if (chance(80))
			mnl_attr_put(nlh, JUMP_BIND_A_TX_MASK,
				     chance(90) ? JUMP_HEADER_MASK_LEN : below(sizeof(mask)), mask);
		if (chance(80))
			mnl_attr_put(nlh, JUMP_BIND_A_RX_MASK,
				     chance(90) ? JUMP_HEADER_MASK_LEN : below(sizeof(mask)), mask);
	}
	if (chance(5))
		garbage(nlh, (uint16_t)below(JUMP_BIND_A_MAX + 3));
	mnl_attr_nest_end(nlh, n);
}

static void prefixes(struct nlmsghdr *nlh)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES), *p;
	/* Up to past the limit: JUMP_MAX_PREFIXES is a bound the kernel enforces. */
	unsigned int i, count = chance(10) ? JUMP_MAX_PREFIXES - 2 + below(6) : below(5);
	uint8_t a6[16];

	for (i = 0; i < count && mnl_nlmsg_size(nlh->nlmsg_len) < BUF / 2 - 256; i++) {
		p = mnl_attr_nest_start(nlh, chance(95) ? JUMP_A_PREFIX : (uint16_t)below(8));
		if (chance(70)) {
			put_u(nlh, JUMP_PREFIX_A_IPV4, 4, htonl(0x0a080000 + i));
			put_u(nlh, JUMP_PREFIX_A_LEN, 1, chance(90) ? 24 + below(9) : edgy());
		} else {
			fill(a6, sizeof(a6));
			mnl_attr_put(nlh, JUMP_PREFIX_A_IPV6, chance(95) ? 16 : below(17), a6);
			put_u(nlh, JUMP_PREFIX_A_LEN, 1, chance(90) ? below(129) : edgy());
		}
		mnl_attr_nest_end(nlh, p);
	}
	mnl_attr_nest_end(nlh, n);
}

static void key(struct nlmsghdr *nlh)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, JUMP_A_KEY);
	uint8_t k[JUMP_KEY_LEN];

	if (chance(90))
		put_u(nlh, JUMP_KEY_A_SLOT, 1, chance(90) ? below(JUMP_KEY_SLOT_MAX + 1) : edgy());
	if (chance(90))
		put_u(nlh, JUMP_KEY_A_ID, 1, rnd());
	fill(k, sizeof(k));
	if (chance(90))
		mnl_attr_put(nlh, JUMP_KEY_A_TX, chance(95) ? JUMP_KEY_LEN : below(JUMP_KEY_LEN * 2), k);
	if (chance(90))
		mnl_attr_put(nlh, JUMP_KEY_A_RX, chance(95) ? JUMP_KEY_LEN : below(JUMP_KEY_LEN * 2), k);
	mnl_attr_nest_end(nlh, n);
}

static void attribute(struct nlmsghdr *nlh, uint16_t type, uint64_t id)
{
	uint8_t pub[JUMP_PUBKEY_LEN];
	char name[IFNAMSIZ + 4];

	switch (type) {
	case JUMP_A_IFINDEX: put_u(nlh, type, 4, some_ifindex()); break;
	case JUMP_A_IFNAME:
		snprintf(name, sizeof(name), "jf%u", below(NDEVS + 1));
		if (chance(10))
			fill(name, below(sizeof(name)));
		mnl_attr_put(nlh, type, chance(90) ? strnlen(name, sizeof(name) - 1) + 1 :
			     below(sizeof(name)), name);
		break;
	case JUMP_A_SESSION_ID: put_u(nlh, type, 8, id); break;
	case JUMP_A_ROLE: put_u(nlh, type, 1, chance(90) ? 1 + below(2) : edgy()); break;
	case JUMP_A_PEER_PUBKEY:
		fill(pub, sizeof(pub));
		mnl_attr_put(nlh, type, chance(95) ? sizeof(pub) : below(sizeof(pub) + 4), pub);
		break;
	case JUMP_A_STATE: put_u(nlh, type, 1, chance(90) ? below(JUMP_STATE_MAX + 1) : edgy()); break;
	case JUMP_A_VERSION: put_u(nlh, type, 8, version_of(id)); break;
	case JUMP_A_REASON: put_u(nlh, type, 2, chance(90) ? below(JUMP_REASON_MAX + 1) : edgy()); break;
	case JUMP_A_BINDING:
	case JUMP_A_STANDBY: binding(nlh, type); break;
	case JUMP_A_REMOTE_INDEX: put_u(nlh, type, 4, chance(80) ? 1 + below(100) : edgy()); break;
	case JUMP_A_PREFIXES: prefixes(nlh); break;
	case JUMP_A_KEEPALIVE_MS:
	case JUMP_A_VOLATILE_MS:
	case JUMP_A_DEGRADED_MS:
		put_u(nlh, type, 4, chance(70) ? JUMP_MIN_LIVENESS_MS + below(20000) : edgy());
		break;
	case JUMP_A_KEY: key(nlh); break;
	default:
		/* Reply-only attributes, PAD, past the last one, nested garbage. */
		if (chance(50)) {
			struct nlattr *n = mnl_attr_nest_start(nlh, type);

			garbage(nlh, (uint16_t)below(8));
			mnl_attr_nest_end(nlh, n);
		} else {
			garbage(nlh, type);
		}
	}
}

/* What each command needs, that most requests carry it. */
static const uint16_t needs[][6] = {
	[JUMP_CMD_DEV_GET] = { JUMP_A_IFINDEX },
	[JUMP_CMD_SESSION_NEW] = { JUMP_A_IFINDEX, JUMP_A_ROLE, JUMP_A_PEER_PUBKEY, JUMP_A_SESSION_ID },
	[JUMP_CMD_SESSION_GET] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID },
	[JUMP_CMD_SESSION_SET] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID, JUMP_A_VERSION,
				   JUMP_A_STATE, JUMP_A_REASON, JUMP_A_BINDING },
	[JUMP_CMD_SESSION_DEL] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID, JUMP_A_VERSION, JUMP_A_REASON },
	[JUMP_CMD_KEY_NEW] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID, JUMP_A_KEY },
	[JUMP_CMD_KEY_SWAP] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID },
	[JUMP_CMD_KEY_DEL] = { JUMP_A_IFINDEX, JUMP_A_SESSION_ID, JUMP_A_KEY },
	[JUMP_CMD_SOCKET_GET] = { JUMP_A_IFINDEX, JUMP_A_BINDING },
};

static struct nlmsghdr *genl(void *buf)
{
	uint8_t cmd = chance(95) ? (uint8_t)below(__JUMP_CMD_MAX) : (uint8_t)below(256);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	uint64_t id = some_id();
	unsigned int i, extra;

	nlh->nlmsg_type = gnl.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == JUMP_CMD_SESSION_GET || cmd == JUMP_CMD_DEV_GET || chance(3))
		nlh->nlmsg_flags |= chance(50) ? NLM_F_DUMP : 0;
	nlh->nlmsg_seq = ++gnl.seq;
	g->cmd = cmd;
	g->version = chance(95) ? JUMP_GENL_VERSION : (uint8_t)edgy();
	if (cmd == JUMP_CMD_SESSION_NEW && chance(70)) {
		/* A client's session takes the id its server gave; a server's, none. */
		bool client = chance(50);

		put_u(nlh, JUMP_A_IFINDEX, 4, some_ifindex());
		put_u(nlh, JUMP_A_ROLE, 1, client ? JUMP_ROLE_CLIENT : JUMP_ROLE_SERVER);
		attribute(nlh, JUMP_A_PEER_PUBKEY, id);
		if (client == chance(95))
			put_u(nlh, JUMP_A_SESSION_ID, 8, chance(90) ? rnd() : id);
	} else if (cmd < sizeof(needs) / sizeof(needs[0])) {
		for (i = 0; i < 6 && needs[cmd][i]; i++)
			if (chance(92))
				attribute(nlh, needs[cmd][i] == JUMP_A_BINDING &&
					  cmd == JUMP_CMD_SESSION_SET && chance(30) ?
					  JUMP_A_STANDBY : needs[cmd][i], id);
	}
	/* Strict validation refuses a whole request for one stray attribute. */
	for (extra = chance(20) ? 1 + below(2) : 0; extra; extra--)
		attribute(nlh, (uint16_t)below(JUMP_A_MAX + 3), id);
	return nlh;
}

static void mutate(struct nlmsghdr *nlh)
{
	uint8_t *b = (uint8_t *)nlh;
	unsigned int n;

	mutated++;
	for (n = 1 + below(4); n; n--) {
		size_t off = sizeof(*nlh) + below(nlh->nlmsg_len - sizeof(*nlh));

		if (off < nlh->nlmsg_len)
			b[off] = chance(50) ? (uint8_t)rnd() : b[off] ^ (uint8_t)(1u << below(8));
	}
	if (chance(20) && nlh->nlmsg_len > sizeof(*nlh) + 4)
		nlh->nlmsg_len -= below(nlh->nlmsg_len - sizeof(*nlh));	/* truncated */
}

/* Reads until the kernel's answer to @seq ends; keeps the ids it names. */
static int collect(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= JUMP_A_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void answer(struct nl *nl, uint32_t seq, char *buf)
{
	int fd = mnl_socket_get_fd(nl->sock), ret;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	bool done = false;

	while (!done && poll(&pfd, 1, 2000) > 0) {
		ssize_t n = recv(fd, buf, BUF, MSG_DONTWAIT);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			return;
		}
		for (; mnl_nlmsg_ok(nlh, (int)n); nlh = mnl_nlmsg_next(nlh, (int *)&n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error)
					refused++;
				else
					accepted++;
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else if (nl == &gnl) {
				const struct nlattr *tb[JUMP_A_MAX + 1] = { 0 };

				ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect, tb);
				if (ret >= 0 && tb[JUMP_A_SESSION_ID] && tb[JUMP_A_VERSION] &&
				    mnl_attr_get_payload_len(tb[JUMP_A_SESSION_ID]) == 8 &&
				    mnl_attr_get_payload_len(tb[JUMP_A_VERSION]) == 8)
					remember(mnl_attr_get_u64(tb[JUMP_A_SESSION_ID]),
						 mnl_attr_get_u64(tb[JUMP_A_VERSION]));
			}
		}
	}
}

static void send_msg(struct nl *nl, struct nlmsghdr *nlh, char *buf)
{
	uint32_t seq = nlh->nlmsg_seq;

	if (send(mnl_socket_get_fd(nl->sock), nlh, nlh->nlmsg_len, 0) < 0) {
		refused++;
		return;
	}
	answer(nl, seq, buf);
}

static struct nlmsghdr *link_msg(void *buf, uint16_t type, uint16_t flags, int dev)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	char name[IFNAMSIZ];

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++rnl.seq;
	ifi->ifi_family = AF_UNSPEC;
	snprintf(name, sizeof(name), "jf%d", dev);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static void link_kind(struct nlmsghdr *nlh)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO), *data;

	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, JUMP_LINK_KIND);
	if (chance(30)) {	/* jump takes no data: garbage must be refused or ignored */
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		garbage(nlh, (uint16_t)below(8));
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
}

/* Deletes jf@dev and makes it again: every session on it dies with it. */
static void recreate(int dev, char *buf)
{
	struct nlmsghdr *nlh;

	nlh = link_msg(buf, RTM_DELLINK, 0, dev);
	send_msg(&rnl, nlh, buf);
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, dev);
	link_kind(nlh);
	send_msg(&rnl, nlh, buf);
	nlh = link_msg(buf, RTM_NEWLINK, 0, dev);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_flags = IFF_UP;
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_change = IFF_UP;
	send_msg(&rnl, nlh, buf);
	ifindex[dev] = (int)if_nametoindex((char[IFNAMSIZ]){ 'j', 'f', (char)('0' + dev) });
	recreated++;
}

static void rtnl(char *buf)
{
	int dev = (int)below(NDEVS + 1);	/* jf3: never made by recreate() */
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	sent_rtnl++;
	switch (below(5)) {
	case 0:
		nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | (chance(50) ? NLM_F_EXCL : 0), dev);
		if (chance(50))
			put_u(nlh, IFLA_MTU, 4, chance(50) ? 500 + below(9000) : edgy());
		link_kind(nlh);
		break;
	case 1:
		nlh = link_msg(buf, RTM_DELLINK, 0, dev);
		break;
	case 2:
		nlh = link_msg(buf, RTM_NEWLINK, 0, dev);
		ifi = mnl_nlmsg_get_payload(nlh);
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = chance(70) ? IFF_UP : 0;
		break;
	case 3:
		nlh = link_msg(buf, RTM_NEWLINK, 0, dev);
		put_u(nlh, IFLA_MTU, 4, chance(50) ? 68 + below(9000) : edgy());
		break;
	default:
		nlh = link_msg(buf, RTM_GETLINK, 0, dev);
		break;
	}
	if (chance(5))
		mutate(nlh);
	send_msg(&rnl, nlh, buf);
	if (dev < NDEVS)
		ifindex[dev] = (int)if_nametoindex((char[IFNAMSIZ]){ 'j', 'f', (char)('0' + dev) });
}

/* UDP sockets on the test's local addresses, a TCP one, and the netlink ones. */
static void open_fds(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a000001) };
	int i;

	for (i = 0; i < NFDS - 3; i++) {
		fds[i] = socket(i % 3 == 2 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		sin.sin_port = htons(51820 + i);
		if (i % 3 != 2)
			bind(fds[i], (struct sockaddr *)&sin, sizeof(sin));
	}
	fds[NFDS - 3] = socket(AF_INET, SOCK_STREAM, 0);
	fds[NFDS - 2] = mnl_socket_get_fd(gnl.sock);
	fds[NFDS - 1] = 9999;	/* not open */
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char buf[BUF], reply[BUF];
	unsigned long seed = (unsigned long)time(NULL);
	double seconds = 60, end;
	struct nlmsghdr *nlh;
	int opt_c, i;

	while ((opt_c = getopt(argc, argv, "s:t:v")) != -1) {
		if (opt_c == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt_c == 't')
			seconds = atof(optarg);
		else if (opt_c == 'v')
			verbose = true;
		else
			return 2;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL | 1;
	if (nl_open_genl(&gnl) || nl_open_rtnl(&rnl))
		return 1;
	open_fds();
	for (i = 0; i < NDEVS; i++)
		recreate(i, reply);
	end = now() + seconds;
	while (now() < end) {
		if (chance(3)) {
			rtnl(reply);
			continue;
		}
		if (chance(1)) {
			recreate((int)below(NDEVS), reply);
			continue;
		}
		nlh = genl(buf);
		if (chance(10))
			mutate(nlh);
		sent_genl++;
		if (verbose)
			fprintf(stderr, "cmd %u len %u\n", ((struct genlmsghdr *)(nlh + 1))->cmd,
				nlh->nlmsg_len);
		send_msg(&gnl, nlh, reply);
	}
	printf("nlfuzz: seed %lu, %.0f s: %" PRIu64 " genl and %" PRIu64 " rtnl messages "
	       "(%" PRIu64 " mutated), %" PRIu64 " accepted, %" PRIu64 " refused, "
	       "%" PRIu64 " device rebirths, %u session ids seen\n",
	       seed, seconds, sent_genl, sent_rtnl, mutated, accepted, refused, recreated, nids);
	for (i = 0; i < NDEVS; i++)
		send_msg(&rnl, link_msg(buf, RTM_DELLINK, 0, i), reply);
	return 0;
}
