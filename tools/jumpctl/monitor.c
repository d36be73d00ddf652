// SPDX-License-Identifier: GPL-2.0
/* jumpctl monitor: the kernel's session events, as they happen. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "jumpctl.h"
#include "monitor.h"
#include "msg.h"
#include "nl.h"
#include "output.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl [ -j ] [ -t ] [ -d ] monitor [ dev NAME ]\n"
		"Prints every session event of the namespace (or of one device) as\n"
		"it happens, one line each, until interrupted:\n"
		"  [seq N] session ID dev NAME: created role ROLE version V\n"
		"  [seq N] session ID dev NAME: FROM -> TO reason REASON version V\n"
		"  [seq N] dev NAME: lost M events\n"
		"  unbound-source session ID dev NAME from ADDR:PORT epoch N\n"
		"  key-expiring session ID dev NAME slot SLOT key-id N reason key_expired\n"
		"The third reports a gap in the device's event sequence (events\n"
		"N - M to N - 1 never reached us). The last two come from the data\n"
		"path: authentic data from outside the session's binding (epoch is\n"
		"the binding's), and a key to replace now; they start with [seq N]\n"
		"too if the kernel numbers them. -t starts each line with the\n"
		"event's time (the time received when the kernel gives none), -d\n"
		"ends it with the session's binding; -j prints one JSON object per\n"
		"line, with every field.\n");
}

int monitor_parse(int argc, char **argv, struct monitor_args *a)
{
	memset(a, 0, sizeof(*a));
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			a->help = true;
			return 0;
		}
		if (!matches(argv[0], "dev"))
			return usage_error("unexpected \"%s\" in \"monitor\"; try \"jumpctl monitor help\"",
					   argv[0]);
		if (a->dev)
			return usage_error("\"dev\" given twice");
		if (argc < 2)
			return usage_error("\"dev\" needs a value");
		a->dev = argv[1];
		if (!valid_ifname(a->dev))
			return usage_error("invalid device name \"%s\" (1 to %d characters)",
					   a->dev, IF_NAMESIZE - 1);
	}
	return 0;
}

struct monitor_dev *monitor_dev(struct monitor *m, uint32_t ifindex)
{
	struct monitor_dev *d;
	unsigned int i;

	for (i = 0; i < m->ndev; i++)
		if (m->dev[i].ifindex == ifindex)
			return &m->dev[i];
	if (m->ndev == MONITOR_MAX_DEVICES)
		return NULL;
	d = &m->dev[m->ndev++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	return d;
}

void monitor_baseline(struct monitor *m, uint32_t ifindex, const char *ifname,
		      uint64_t seq)
{
	struct monitor_dev *d = monitor_dev(m, ifindex);

	if (!d)
		return;
	d->seq = seq;
	d->baseline = true;
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
}

uint64_t monitor_account(struct monitor_dev *d, uint64_t seq)
{
	uint64_t last = d->seq;

	if (d->baseline) {
		/* Issued before we looked, and after we joined: counted. */
		if (seq <= last)
			return 0;
		d->baseline = false;
	} else if (seq <= last) {
		/* Another device: its events count from 1, its name is new. */
		last = 0;
		d->ifname[0] = '\0';
	}
	d->seq = seq;
	return seq - last - 1;
}

/*
 * Names are looked up once per device: an event of a device being deleted
 * may come when the name is gone, and one ioctl per event would slow the
 * reader of a burst down until the socket overruns.
 */
static const char *dev_name(struct monitor_dev *d, uint32_t ifindex,
			    char buf[IF_NAMESIZE])
{
	if (d && d->ifname[0])
		return d->ifname;
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	else if (d)
		snprintf(d->ifname, sizeof(d->ifname), "%s", buf);
	return buf;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	char buf[IF_NAMESIZE];
	struct monitor *m = data;
	struct monitor_dev *d;
	/* Static: a session message holds a prefix list. */
	static struct session_msg s;
	const char *ifname;
	uint64_t lost = 0;
	bool notice;

	if (parse_session_msg(nlh, &s))
		return MNL_CB_OK;
	notice = s.cmd == JUMP_CMD_UNBOUND_SOURCE || s.cmd == JUMP_CMD_KEY_EXPIRING;
	/* Transitions are always numbered; notices may be. */
	if (!notice && (!s.has_seq || (s.cmd != JUMP_CMD_SESSION_NEW &&
				       s.cmd != JUMP_CMD_SESSION_EVENT)))
		return MNL_CB_OK;
	if (m->filter && s.ifindex != m->filter)
		return MNL_CB_OK;
	d = monitor_dev(m, s.ifindex);
	if (d && s.has_seq)
		lost = monitor_account(d, s.seq);
	ifname = dev_name(d, s.ifindex, buf);
	if (notice && !s.changed_ns)
		s.changed_ns = now_ns();
	if (lost)
		print_lost(stdout, &s, ifname, lost);
	if (notice)
		print_notice(stdout, &s, ifname);
	else
		print_event(stdout, &s, ifname);
	/* Readers are often pipes: every event must leave at once. */
	fflush(stdout);
	return MNL_CB_OK;
}

struct baseline {
	struct monitor *m;
	uint32_t ifindex;	/* of the last device in the answer */
};

static int baseline_cb(const struct nlmsghdr *nlh, void *data)
{
	struct baseline *b = data;
	struct device_msg d;

	if (parse_device_msg(nlh, &d) == 0) {
		monitor_baseline(b->m, d.ifindex, d.ifname, d.event_seq);
		b->ifindex = d.ifindex;
	}
	return MNL_CB_OK;
}

/*
 * Where each device's sequence stands, asked after joining the group: an
 * event issued before this answer is queued for us already, any later one
 * has a higher number. So a gap is visible from the first event on. With
 * "dev NAME" this also checks that NAME is a jump device, and gives the
 * index to filter on.
 */
static int take_baseline(struct monitor *m, const char *dev)
{
	struct baseline b = { .m = m };
	struct nlmsghdr *nlh;
	struct nl *nl;
	int err;

	err = genl_socket(&nl);
	if (err)
		return err;
	nlh = nl_dev_get_request(nl, dev);
	err = nl_talk(nl, nlh, baseline_cb, &b);
	if (err)
		return nl_report(nl, err);
	if (dev && !b.ifindex) {
		fprintf(stderr, "Error: no answer about device \"%s\".\n", dev);
		return EXIT_KERNEL;
	}
	m->filter = dev ? b.ifindex : 0;
	return EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* The socket overran: the kernel dropped events, counted by the next ones. */
static void report_overrun(void)
{
	if (opt.json)
		puts("{\"event\":\"overrun\"}");
	else
		puts("overrun: events were dropped; gaps follow per device");
	fflush(stdout);
}

/*
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so a signal
 * can neither be missed between a check of @stop and a blocking receive,
 * nor cut an event's line in half.
 */
static int event_loop(struct nl *nl, struct monitor *m, const sigset_t *wait)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock), .events = POLLIN };
	int err;

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, wait) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: poll: %s.\n", strerror(errno));
			return EXIT_KERNEL;
		}
		err = nl_recv(nl, event_cb, m);
		if (err == -ENOBUFS)
			report_overrun();
		else if (err && err != -EINTR && err != -EAGAIN)
			return nl_report(nl, err);
	}
	return EXIT_OK;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	/* Static: a receive buffer and a device table are too big for a stack. */
	static struct monitor m;
	static struct nl events;
	struct monitor_args a;
	sigset_t block, orig;
	int err;

	err = monitor_parse(argc, argv, &a);
	if (err)
		return err;
	if (a.help) {
		usage(stdout);
		return EXIT_OK;
	}
	memset(&m, 0, sizeof(m));
	stop = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* A socket of its own: events must not mix with the DEV_GET answers. */
	err = nl_open_genl(&events);
	if (!err) {
		err = nl_join_events(&events);
		if (!err)
			err = take_baseline(&m, a.dev);
		if (!err)
			err = event_loop(&events, &m, &orig);
		nl_close(&events);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return err;
}
