// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd: the Jumping VPN daemon. This first cut keeps a faithful view of the
 * kernel's sessions: subscribe to events, dump, apply what queued meanwhile,
 * follow, and resynchronize whenever an event may have been lost.
 *
 * It runs in the foreground (systemd supervises it) and logs to stderr.
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

#include <linux/jump.h>

#include "genl.h"
#include "log.h"
#include "sync.h"

#define JUMPD_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpd [-f] [-i IFNAME] [-v]\n"
		"  -f, --foreground     run in the foreground (jumpd always does)\n"
		"  -i, --interface=DEV  follow only the jump device DEV\n"
		"  -v, --verbose        log debug records too\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"SIGHUP resynchronizes with the kernel; SIGINT and SIGTERM exit.\n");
}

/* 0: go on; 1: exit now with *@status (help, version, a usage error). */
static int parse_options(int argc, char **argv, struct jumpd *d, int *status)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "interface", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*status = 0;
	while ((c = getopt_long(argc, argv, "fi:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'i':
			if (!*optarg || strlen(optarg) >= IF_NAMESIZE) {
				fprintf(stderr, "jumpd: invalid interface name \"%s\"\n", optarg);
				*status = 2;
				return 1;
			}
			d->only = optarg;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("jumpd %s (genl family \"%s\" version %d)\n",
			       JUMPD_VERSION, JUMP_GENL_NAME, JUMP_GENL_VERSION);
			return 1;
		default:
			usage(stderr);
			*status = 2;
			return 1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		*status = 2;
		return 1;
	}
	return 0;
}

/* Signals arrive through a descriptor, so the loop needs no handlers. */
static int open_signals(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t mask;
	unsigned int i;
	int fd;

	sigemptyset(&mask);
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		sigaddset(&mask, signals[i]);
		/*
		 * An ignored signal is discarded before signalfd can see it,
		 * and SIG_IGN is inherited (a shell's background job ignores
		 * SIGINT): take the default, which blocking then holds back.
		 */
		if (sigaction(signals[i], &dfl, NULL)) {
			log_err("sigaction: %s", strerror(errno));
			return -1;
		}
	}
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		log_err("sigprocmask: %s", strerror(errno));
		return -1;
	}
	fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		log_err("signalfd: %s", strerror(errno));
	return fd;
}

/* 0: go on, 1: exit cleanly, -1: failure. */
static int handle_signals(struct jumpd *d, int sfd)
{
	struct signalfd_siginfo si;
	ssize_t n;

	while ((n = read(sfd, &si, sizeof(si))) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			log_info("exiting on SIG%s", sigabbrev_np(si.ssi_signo));
			return 1;
		}
		/* Nothing to reload yet: a reload is a resync for now. */
		log_info("SIGHUP: resynchronizing with the kernel (reload)");
		if (jumpd_sync_all(d))
			return -1;
	}
	if (n < 0 && errno != EAGAIN) {
		log_err("reading signals: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* 0 on a clean exit, -1 on failure. */
static int run(struct jumpd *d, int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = sfd, .events = POLLIN },
		{ .fd = jumpd_nl_events_fd(&d->nl), .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return -1;
		}
		/* Signals first: SIGTERM must not wait behind an event storm. */
		if (pfd[0].revents) {
			ret = handle_signals(d, sfd);
			if (ret)
				return ret > 0 ? 0 : -1;
		}
		/* POLLERR is how an overrun (ENOBUFS) shows: reading reports it. */
		if (pfd[1].revents && jumpd_read_events(d))
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct jumpd d = { 0 };
	int sfd, status;

	if (parse_options(argc, argv, &d, &status))
		return status;
	sfd = open_signals();
	if (sfd < 0)
		return 1;
	view_init(&d.view);
	log_info("jumpd %s starting: following %s", JUMPD_VERSION,
		 d.only ? d.only : "every jump device");
	status = 1;
	/* Subscribe before the dump: nothing that happens in between is lost. */
	if (jumpd_nl_open(&d.nl) == 0) {
		if (jumpd_sync_all(&d) == 0 && run(&d, sfd) == 0)
			status = 0;
		jumpd_nl_close(&d.nl);
	}
	view_free(&d.view);
	close(sfd);
	return status;
}
