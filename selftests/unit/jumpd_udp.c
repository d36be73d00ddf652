// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's batched socket reads (udp_recv_batch(), recvmmsg): every
 * datagram comes out once, in order, with its source, length, local
 * address and port, UDP_BATCH at a time at most; an empty socket gives 0.
 * udp_format() writes an IPv4 source by hand (one per audit record) exactly
 * as inet_ntop(3) and "%s:%u" would.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "udp.h"
#include "tap.h"

#define SENT	(UDP_BATCH + 6)

static struct udp_packet p[UDP_BATCH];

static int bound(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len))
		abort();
	return fd;
}

static void test_format(void)
{
	static const char *const addrs[] = {
		"0.0.0.0", "255.255.255.255", "10.0.0.2", "192.168.100.9", "1.20.100.255",
	};
	static const unsigned int ports[] = { 0, 9, 10, 99, 100, 999, 1000, 51820, 65535 };
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	char got[64], want[64], tiny[8];
	unsigned int i, k, same = 0, all = 0;

	sin->sin_family = AF_INET;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		for (k = 0; k < sizeof(ports) / sizeof(ports[0]); k++, all++) {
			inet_pton(AF_INET, addrs[i], &sin->sin_addr);
			sin->sin_port = htons(ports[k]);
			udp_format(&ss, got, sizeof(got));
			snprintf(want, sizeof(want), "%s:%u", addrs[i], ports[k]);
			same += !strcmp(got, want);
		}
	tap_ok(same == all, "udp_format() of IPv4 as inet_ntop and %%u would (%u of %u)", same, all);
	inet_pton(AF_INET, "255.255.255.255", &sin->sin_addr);
	udp_format(&ss, tiny, sizeof(tiny));
	tap_ok(!strcmp(tiny, "255.255"), "a buffer too small is cut, terminated (%s)", tiny);
}

int main(void)
{
	struct sockaddr_in to, from;
	int srv = bound(&to), cli = bound(&from);
	uint8_t buf[200];
	bool in_order = true, whole = true;
	int i, n, first, second;

	if (udp_want_pktinfo(srv, AF_INET))
		abort();
	tap_ok(udp_recv_batch(srv, p, UDP_BATCH) == 0, "an empty socket: 0");
	for (i = 0; i < SENT; i++) {
		memset(buf, i, sizeof(buf));
		sendto(cli, buf, 10 + i, 0, (struct sockaddr *)&to, sizeof(to));
	}
	first = udp_recv_batch(srv, p, UDP_BATCH);
	for (i = 0; i < first; i++) {
		const struct sockaddr_in *src = (const struct sockaddr_in *)&p[i].src;

		in_order &= p[i].len == (size_t)(10 + i) && p[i].buf[0] == i;
		whole &= p[i].fd == srv && src->sin_port == from.sin_port &&
			 p[i].local.family == AF_INET &&
			 p[i].local.addr.v4.s_addr == htonl(INADDR_LOOPBACK) &&
			 p[i].local.port == ntohs(to.sin_port);
	}
	tap_ok(first == UDP_BATCH, "%d queued: the first call takes UDP_BATCH (%d)", SENT, first);
	tap_ok(in_order, "in the order sent, each its own length");
	tap_ok(whole, "each with its source, the socket, and the local address and port");
	second = udp_recv_batch(srv, p, UDP_BATCH);
	tap_ok(second == SENT - UDP_BATCH && p[0].buf[0] == UDP_BATCH,
	       "the next call the %d left (%d)", SENT - UDP_BATCH, second);
	tap_ok(udp_recv_batch(srv, p, UDP_BATCH) == 0, "then 0: nothing read twice");
	sendto(cli, buf, 5, 0, (struct sockaddr *)&to, sizeof(to));
	sendto(cli, buf, 6, 0, (struct sockaddr *)&to, sizeof(to));
	n = udp_recv_batch(srv, p, 1);
	tap_ok(n == 1 && p[0].len == 5 && udp_recv_batch(srv, p, 1) == 1 && p[0].len == 6,
	       "a smaller n is respected");
	close(srv);
	close(cli);
	test_format();
	return tap_done();
}
