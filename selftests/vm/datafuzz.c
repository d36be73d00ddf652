// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: hostile datagrams at a jump device's bound UDP port, as
 * fast as they go, for a set time, while a real session carries traffic.
 * Seeded, of every kind the data path must shrug off:
 *
 *   short     a DATA type byte and less than a header and a tag
 *   header    a DATA header with reserved bits set
 *   index     a DATA header for a receiver index that is not there
 *   keyid     the session's index with a key id it does not hold
 *   tag       the session's index and key, any counter, a random tag
 *   replay    a DATA packet of the real session (or one of ours), captured
 *             on IFACE on its way to the device, sent again from our port
 *   mutant    such a packet with a byte changed (header, epoch, counter,
 *             ciphertext or tag: all of it is authenticated)
 *   control   any other type byte (control packets go to the socket's
 *             owner, not the data path), of any length
 *   big       oversized (up to 64 KiB, fragmented on the way)
 *
 * Every datagram of the DATA type (the first six kinds, "data" in the
 * totals) must be dropped by the device under exactly one reason; the
 * test (86-datafuzz.sh) compares the drop counters with this count.
 *
 *   datafuzz -d ADDR:PORT -r INDEX -k KEYID -i IFACE [-s SEED] [-t SECONDS]
 *
 * Prints one line of totals per kind and "data N" at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <sys/socket.h>
#include <linux/jump.h>

#define HDR_LEN		20	/* type, key id, reserved, receiver, epoch, counter */
#define TAG_LEN		16
#define NCAP		32

enum kind { SHORT, HEADER, INDEX, KEYID, TAG, REPLAY, MUTANT, CONTROL, BIG, NKINDS };
static const char *const kind_names[NKINDS] = {
	"short", "header", "index", "keyid", "tag", "replay", "mutant", "control", "big",
};

static uint64_t rng;
static uint64_t sent[NKINDS], errors;
/* Captures: [0] the real session's packets, [1] our own datagrams. */
static uint8_t cap[2][NCAP][2048];
static size_t cap_len[2][NCAP];
static unsigned int ncap[2], cap_next[2];
static uint16_t own_port;
static uint64_t real_replays;
static uint32_t receiver;
static uint8_t key_id;
static uint16_t dport;

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

static void fill(uint8_t *b, size_t len)
{
	while (len--)
		*b++ = (uint8_t)rnd();
}

static void header(uint8_t *b, uint32_t index, uint8_t kid)
{
	uint64_t counter = below(2) ? below(1000) : rnd();
	uint32_t be32;
	int i;

	b[0] = JUMP_MSG_DATA;
	b[1] = kid;
	b[2] = b[3] = 0;
	be32 = htonl(index);
	memcpy(b + 4, &be32, 4);
	be32 = htonl(below(4));
	memcpy(b + 8, &be32, 4);
	for (i = 0; i < 8; i++)
		b[12 + i] = (uint8_t)(counter >> (56 - 8 * i));
}

/* Data packets of the real session on their way to the device: keep them. */
static void capture(int pfd)
{
	uint8_t frame[2048];
	ssize_t n;
	int r;

	/* Our own datagrams go by too: a replay of one is as good. */
	while ((n = recv(pfd, frame, sizeof(frame), MSG_DONTWAIT)) > 0) {
		const struct iphdr *ip = (const struct iphdr *)frame;
		const struct udphdr *udp;
		size_t hl;

		if (n < (ssize_t)sizeof(*ip) || ip->version != 4 || ip->protocol != IPPROTO_UDP)
			continue;
		hl = ip->ihl * 4u;
		if ((size_t)n < hl + sizeof(*udp) + HDR_LEN + TAG_LEN)
			continue;
		udp = (const struct udphdr *)(frame + hl);
		if (ntohs(udp->dest) != dport || frame[hl + sizeof(*udp)] != JUMP_MSG_DATA)
			continue;
		r = ntohs(udp->source) == own_port;
		cap_len[r][cap_next[r]] = (size_t)n - hl - sizeof(*udp);
		memcpy(cap[r][cap_next[r]], frame + hl + sizeof(*udp), cap_len[r][cap_next[r]]);
		cap_next[r] = (cap_next[r] + 1) % NCAP;
		if (ncap[r] < NCAP)
			ncap[r]++;
	}
}

/* One datagram of a random kind into @b: its length. */
static size_t make(uint8_t *b, size_t cap_size, enum kind *kind)
{
	enum kind k = (enum kind)below(NKINDS);
	size_t len = HDR_LEN + TAG_LEN + below(1400), i;
	int r;

	if ((k == REPLAY || k == MUTANT) && !ncap[0] && !ncap[1])
		k = TAG;
	if (k == BIG && below(4))
		k = CONTROL;	/* fewer of the slow ones */
	*kind = k;
	switch (k) {
	case SHORT:
		len = 1 + below(HDR_LEN + TAG_LEN - 1);
		fill(b, len);
		b[0] = JUMP_MSG_DATA;
		return len;
	case HEADER:
		header(b, receiver, key_id);
		b[2 + below(2)] |= (uint8_t)(1 + below(255));
		fill(b + HDR_LEN, len - HDR_LEN);
		return len;
	case INDEX:
		header(b, receiver + 1 + below(1000), key_id);
		fill(b + HDR_LEN, len - HDR_LEN);
		return len;
	case KEYID:
		header(b, receiver, (uint8_t)(key_id + 1 + below(254)));
		fill(b + HDR_LEN, len - HDR_LEN);
		return len;
	case TAG:
		header(b, receiver, key_id);
		fill(b + HDR_LEN, len - HDR_LEN);
		return len;
	case REPLAY:
	case MUTANT:
		/* The real session's packets most of the time, when there are some. */
		r = ncap[0] && (below(10) < 7 || !ncap[1]) ? 0 : 1;
		i = below(ncap[r]);
		len = cap_len[r][i];
		memcpy(b, cap[r][i], len);
		real_replays += r == 0;
		if (k == MUTANT) {
			size_t at = 1 + below((uint32_t)len - 1);

			b[at] ^= (uint8_t)(1 + below(255));
		}
		return len;
	case CONTROL:
		len = below(600);
		fill(b, len);
		if (len)
			b[0] = below(4) ? (uint8_t)(1 + below(JUMP_MSG_MAX)) : (uint8_t)rnd();
		if (len && b[0] == JUMP_MSG_DATA)
			b[0] = JUMP_MSG_HANDSHAKE_INIT;
		return len;
	default:
		len = 1500 + below((uint32_t)cap_size - 1500);
		fill(b, len);
		b[0] = below(2) ? JUMP_MSG_DATA : (uint8_t)rnd();
		if (b[0] == JUMP_MSG_DATA)
			header(b, receiver, key_id);
		return len;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static uint8_t buf[65000];
	struct sockaddr_in dst = { .sin_family = AF_INET }, src = { .sin_family = AF_INET };
	socklen_t slen = sizeof(src);
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	unsigned long seed = (unsigned long)time(NULL);
	const char *iface = NULL;
	uint64_t data = 0, total = 0;
	double seconds = 30, end;
	char addr[64], *colon;
	int c, fd, pfd, k;
	enum kind kind;
	size_t len;

	while ((c = getopt(argc, argv, "d:r:k:i:s:t:")) != -1) {
		switch (c) {
		case 'd':
			snprintf(addr, sizeof(addr), "%s", optarg);
			colon = strrchr(addr, ':');
			if (!colon)
				return 2;
			*colon = '\0';
			dport = (uint16_t)atoi(colon + 1);
			dst.sin_port = htons(dport);
			if (inet_pton(AF_INET, addr, &dst.sin_addr) != 1)
				return 2;
			break;
		case 'r': receiver = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'k': key_id = (uint8_t)strtoul(optarg, NULL, 0); break;
		case 'i': iface = optarg; break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 't': seconds = atof(optarg); break;
		default: return 2;
		}
	}
	if (!dport || !iface) {
		fprintf(stderr, "usage: datafuzz -d ADDR:PORT -r INDEX -k KEYID -i IFACE [-s SEED] [-t SECS]\n");
		return 2;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL | 1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	/*
	 * Cooked capture, frames without their link header. ETH_P_ALL: only
	 * such taps see what the host sends, not just what it receives.
	 */
	pfd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	ll.sll_ifindex = (int)if_nametoindex(iface);
	if (fd < 0 || pfd < 0 || !ll.sll_ifindex ||
	    bind(pfd, (struct sockaddr *)&ll, sizeof(ll)) ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
	    getsockname(fd, (struct sockaddr *)&src, &slen)) {
		perror("datafuzz: sockets");
		return 1;
	}
	own_port = ntohs(src.sin_port);
	end = now() + seconds;
	while (now() < end) {
		for (k = 0; k < 64; k++) {
			if (!(k & 15))
				capture(pfd);
			len = make(buf, sizeof(buf), &kind);
			if (sendto(fd, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst)) != (ssize_t)len) {
				errors++;
				continue;
			}
			sent[kind]++;
			total++;
			data += len && buf[0] == JUMP_MSG_DATA;
		}
	}
	printf("datafuzz: seed %lu, %.0f s, %" PRIu64 " datagrams, %" PRIu64 " send errors\n",
	       seed, seconds, total, errors);
	for (k = 0; k < NKINDS; k++)
		printf("%s %" PRIu64 "\n", kind_names[k], sent[k]);
	printf("replays of the session's own packets %" PRIu64 "\n", real_replays);
	printf("data %" PRIu64 "\n", data);
	return 0;
}
