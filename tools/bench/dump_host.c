// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl's half of a session dump on the host, without a kernel
 * (Documentation/benchmark.rst, "Scale"): N session messages built as
 * jump.ko's dump builds them (jump_nl_put_session() with its detail: data
 * path and keys, no prefixes, as tools/bench/scale.sh makes them; stats
 * and drops with -s, as the dump sends them only when asked), packed into 32 KB buffers as the kernel packs its dump skbs, and
 * handed to session_show_msg() as "jumpctl -j session show" does, its
 * output to /dev/null. Run it under valgrind --tool=callgrind for
 * instruction counts, or alone for the time.
 *
 *   dump_host [N [-s] [-t]]    N (100000) sessions; -s stats; -t text
 *
 * Prints {"sessions": N, "seconds": S, "per_s": R, "bytes_in": B}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "jumpctl.h"
#include "output.h"
#include "session.h"

#define SKB	32768

static size_t put_session(char *buf, uint64_t id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct nlattr *nest, *drops;
	uint8_t pub[JUMP_PUBKEY_LEN] = { 1, 2, 3 };
	int i;

	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g->cmd = JUMP_CMD_SESSION_GET;
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	mnl_attr_put_u32(nlh, JUMP_A_LOCAL_INDEX, (uint32_t)id);
	mnl_attr_put_u8(nlh, JUMP_A_ROLE, JUMP_ROLE_CLIENT);
	mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, sizeof(pub), pub);
	mnl_attr_put_u8(nlh, JUMP_A_STATE, JUMP_STATE_BIRTH);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, 1);
	mnl_attr_put_u16(nlh, JUMP_A_REASON, 0);
	mnl_attr_put_u64(nlh, JUMP_A_CREATED_NS, 1764900000000000000ULL + id);
	mnl_attr_put_u64(nlh, JUMP_A_CHANGED_NS, 1764900000000000000ULL + id);
	mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, 10000);
	mnl_attr_put_u32(nlh, JUMP_A_VOLATILE_MS, 30000);
	mnl_attr_put_u32(nlh, JUMP_A_DEGRADED_MS, 60000);
	nest = mnl_attr_nest_start(nlh, JUMP_A_KEYS);
	mnl_attr_nest_end(nlh, nest);
	if (opt.stats) {	/* the kernel's dump sends them only when asked */
		nest = mnl_attr_nest_start(nlh, JUMP_A_STATS);
		for (i = JUMP_STATS_A_RX_PACKETS; i <= JUMP_STATS_A_TRANSITIONS; i++)
			mnl_attr_put_u64(nlh, i, 0);
		drops = mnl_attr_nest_start(nlh, JUMP_STATS_A_DROPS);
		for (i = 0; i < __JUMP_DROP_MAX; i++)
			mnl_attr_put_u64(nlh, i + 1, 0);
		mnl_attr_nest_end(nlh, drops);
		mnl_attr_nest_end(nlh, nest);
	}
	nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES);
	mnl_attr_nest_end(nlh, nest);
	return nlh->nlmsg_len;
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct session_args a = { .cmd = SESSION_SHOW, .state = -1 };

	session_show_msg(data, &a, nlh, "jump0");
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	static char skb[SKB];
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 100000, i = 0;
	struct timespec t0, t1;
	struct listing l;
	size_t len, one, bytes = 0;
	double secs;
	FILE *out = fopen("/dev/null", "w");
	int k;

	opt.json = true;
	for (k = 2; k < argc; k++) {
		opt.stats |= !strcmp(argv[k], "-s");
		opt.json &= strcmp(argv[k], "-t") != 0;
	}
	if (!out)
		return 1;
	listing_init(&l, out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (i < n) {
		/* As many as fit, as the kernel packs a dump skb. */
		for (len = 0; i < n && len + 1024 < SKB; i++, len += one)
			one = put_session(skb + len, i + 1);
		mnl_cb_run(skb, len, 0, 0, show_cb, &l);
		bytes += len;
	}
	listing_end(&l, true);
	fflush(out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("{\"sessions\": %u, \"seconds\": %.3f, \"per_s\": %.0f, \"bytes_in\": %zu}\n",
	       n, secs, n / secs, bytes);
	return 0;
}
