// SPDX-License-Identifier: GPL-2.0
/* jumpctl monitor: the kernel's session events, as they happen. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "jumpctl.h"
#include "msg.h"
#include "nl.h"

#define MAX_DEVICES 256

/* Last sequence number seen per device: a gap means lost events. */
struct monitor {
	uint32_t ifindex_filter;
	unsigned int ndev;
	struct {
		uint32_t ifindex;
		uint64_t seq;
	} dev[MAX_DEVICES];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void report_lost(uint32_t ifindex, uint64_t seq, uint64_t lost)
{
	char ifname[IF_NAMESIZE];

	if (opt.json)
		printf("{\"seq\":%" PRIu64 ",\"event\":\"lost\",\"ifindex\":%u,\"lost\":%" PRIu64 "}\n",
		       seq, ifindex, lost);
	else
		printf("[seq %" PRIu64 "] dev %s: lost %" PRIu64 " events\n", seq,
		       ifname_of(ifindex, ifname), lost);
}

static void check_seq(struct monitor *m, const struct session_msg *s)
{
	unsigned int i;

	for (i = 0; i < m->ndev; i++)
		if (m->dev[i].ifindex == s->ifindex)
			break;
	if (i == m->ndev) {
		if (m->ndev == MAX_DEVICES)
			return;
		m->ndev++;
		m->dev[i].ifindex = s->ifindex;
	} else if (s->seq > m->dev[i].seq + 1) {
		report_lost(s->ifindex, s->seq, s->seq - m->dev[i].seq - 1);
	}
	m->dev[i].seq = s->seq;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct monitor *m = data;
	struct session_msg s;

	if (stop)
		return MNL_CB_STOP;
	if (parse_session_msg(nlh, &s) || !s.has_seq)
		return MNL_CB_OK;
	if (m->ifindex_filter && s.ifindex != m->ifindex_filter)
		return MNL_CB_OK;
	check_seq(m, &s);
	print_event(&s, genl->cmd == JUMP_CMD_SESSION_NEW);
	/* Readers are often pipes: every event must leave at once. */
	fflush(stdout);
	return MNL_CB_OK;
}

static int monitor_args(int argc, char **argv, struct monitor *m)
{
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			printf("Usage: jumpctl [ -j ] [ -t ] monitor [ dev NAME ]\n");
			return -1;
		}
		if (!matches(argv[0], "dev"))
			return usage_error("unexpected argument \"%s\"; try \"jumpctl monitor help\"", argv[0]);
		if (argc < 2)
			return usage_error("\"dev\" needs a value");
		m->ifindex_filter = if_nametoindex(argv[1]);
		if (!m->ifindex_filter) {
			fprintf(stderr, "Error: no such device \"%s\".\n", argv[1]);
			return EXIT_KERNEL;
		}
	}
	return 0;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static struct monitor m;
	struct nl *nl;
	int err;

	memset(&m, 0, sizeof(m));
	err = monitor_args(argc, argv, &m);
	if (err)
		return err < 0 ? EXIT_OK : err;
	err = genl_socket(&nl);
	if (err)
		return err;
	err = nl_join_events(nl);
	if (err)
		return err;
	/* No SA_RESTART: a signal must interrupt the blocking receive. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		err = nl_recv_events(nl, event_cb, &m);
		if (err == -ENOBUFS) {
			/* The socket overran: the next event shows the gap. */
			fprintf(stderr, "Warning: event socket overrun, events lost.\n");
			continue;
		}
		if (err == -EINTR || stop)
			break;
		if (err)
			return nl_report(nl, err);
	}
	return EXIT_OK;
}
