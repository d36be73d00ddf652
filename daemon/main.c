// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd: the Jumping VPN daemon. This first cut keeps a faithful view of
 * the kernel's sessions: subscribe to events, dump, replay, follow, and
 * resynchronize whenever an event may have been lost.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "genl.h"
#include "log.h"
#include "view.h"

#define JUMPD_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpd [ -f ] [ -i IFNAME ] [ -v ]\n"
		"  -f, --foreground  stay in the foreground (always; for wg-quick habits)\n"
		"  -i, --interface   follow only this jump device\n"
		"  -v, --verbose     debug logging\n"
		"  -h, --help        this text\n"
		"  -V, --version     version\n"
		"Signals: SIGHUP resynchronizes with the kernel; SIGINT/SIGTERM exit.\n");
}

static int resync(struct jumpd_nl *nl, struct view *view)
{
	view_free(view);
	if (view_init(view)) {
		log_err("out of memory");
		return -1;
	}
	return jumpd_nl_sync(nl, view);
}

static int open_signals(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -1;
	return signalfd(-1, &mask, SFD_CLOEXEC);
}

/* Returns 0 to go on, 1 to exit cleanly. */
static int handle_signal(int sfd, struct jumpd_nl *nl, struct view *view)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGHUP) {
		log_info("SIGHUP: resynchronizing with the kernel");
		return resync(nl, view) ? -1 : 0;
	}
	log_info("exiting on signal %u", si.ssi_signo);
	return 1;
}

static int run(struct jumpd_nl *nl, struct view *view, int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = jumpd_nl_events_fd(nl), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[1].revents) {
			ret = handle_signal(sfd, nl, view);
			if (ret)
				return ret > 0 ? 0 : -1;
		}
		if (pfd[0].revents) {
			ret = jumpd_nl_read_events(nl, view);
			if (ret < 0)
				return -1;
			if (ret > 0 && resync(nl, view))
				return -1;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "interface", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct jumpd_nl nl = { 0 };
	struct view view;
	int c, sfd, err = 1;

	while ((c = getopt_long(argc, argv, "fi:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'i':
			nl.only_ifindex = if_nametoindex(optarg);
			if (!nl.only_ifindex) {
				fprintf(stderr, "jumpd: no such interface \"%s\"\n", optarg);
				return 1;
			}
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("jumpd %s\n", JUMPD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 1;
	}
	sfd = open_signals();
	if (sfd < 0 || view_init(&view)) {
		fprintf(stderr, "jumpd: cannot start: %s\n", strerror(errno));
		return 1;
	}
	/* Subscribe before the dump: nothing that happens in between is lost. */
	if (jumpd_nl_open(&nl) == 0 && jumpd_nl_sync(&nl, &view) == 0) {
		log_info("jumpd %s started", JUMPD_VERSION);
		err = run(&nl, &view, sfd) ? 1 : 0;
	}
	jumpd_nl_close(&nl);
	view_free(&view);
	close(sfd);
	return err;
}
