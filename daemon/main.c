// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd: the Jumping VPN daemon. It keeps a faithful view of the kernel's
 * sessions (subscribe to events, dump, apply what queued meanwhile, follow,
 * resynchronize whenever an event may have been lost) and, with a config,
 * runs the control plane of one jump device: births, reattaches, rekeys,
 * policy and audit: the core (ctl*.c) with the role the config names
 * (server*.c or client*.c), which only this file knows both of.
 *
 * It runs in the foreground and logs to stderr; under systemd (Type=notify)
 * it reports readiness, status, reloads and watchdog pings (notify.c).
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

#include "client.h"
#include "ctl.h"
#include "genl.h"
#include "log.h"
#include "notify.h"
#include "server.h"
#include "sync.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpd [-f] [-i IFNAME [-c CONFIG]] [-v]\n"
		"  -f, --foreground     run in the foreground (jumpd always does)\n"
		"  -i, --interface=DEV  follow only the jump device DEV, and run its\n"
		"                       control plane if " CONFIG_DIR "/DEV.conf exists\n"
		"  -c, --config=FILE    the control plane's config (needs -i)\n"
		"  -v, --verbose        log debug records too\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"SIGHUP reloads the config and resynchronizes with the kernel;\n"
		"SIGINT and SIGTERM exit.\n");
}

/* 0: go on; 1: exit now with *@status (help, version, a usage error). */
static int parse_options(int argc, char **argv, struct jumpd *d,
			 const char **config, int *status)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "interface", required_argument, NULL, 'i' },
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*status = 0;
	while ((c = getopt_long(argc, argv, "fi:c:vhV", longopts, NULL)) != -1) {
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
		case 'c':
			*config = optarg;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("jumpd %s (genl family \"%s\" version %d)\n",
			       JUMP_VERSION, JUMP_GENL_NAME, JUMP_GENL_VERSION);
			return 1;
		default:
			usage(stderr);
			*status = 2;
			return 1;
		}
	}
	if (optind < argc || (*config && !d->only)) {
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
static int handle_signals(struct jumpd *d, int sfd, struct notify *sd)
{
	struct signalfd_siginfo si;
	ssize_t n;

	while ((n = read(sfd, &si, sizeof(si))) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			log_info("exiting on SIG%s", sigabbrev_np(si.ssi_signo));
			return 1;
		}
		log_info("SIGHUP: resynchronizing with the kernel%s",
			 d->ctl ? ", reloading the config" : "");
		notify_reloading(sd, ctl_now());
		if (jumpd_sync_all(d))
			return -1;
		if (d->ctl) {
			ctl_on_resync(d);
			ctl_reload(d->ctl);
		}
		/* Ready again even if the config was refused: the old one runs on. */
		notify_ready(sd, d->view.states, ctl_now());
	}
	if (n < 0 && errno != EAGAIN) {
		log_err("reading signals: %s", strerror(errno));
		return -1;
	}
	return 0;
}

#define FIXED_FDS	3	/* signals, kernel events, uplinks */

/* The descriptors to wait on: the fixed ones, then the control sockets. */
static nfds_t poll_set(struct jumpd *d, struct pollfd *pfd, int sfd)
{
	struct ctl *c = d->ctl;
	nfds_t n = FIXED_FDS;
	int i;

	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = jumpd_nl_events_fd(&d->nl), .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = c ? ctl_watch_fd(c) : -1, .events = POLLIN };
	for (i = 0; c && i < c->nsocks; i++)
		pfd[n++] = (struct pollfd){ .fd = c->socks[i], .events = POLLIN };
	return n;
}

/* The nearer of the control plane's timers and systemd's (-1: none). */
static int poll_timeout(struct jumpd *d, const struct notify *sd)
{
	int ctl = d->ctl ? ctl_timeout_ms(d->ctl) : -1;
	int ntf = notify_timeout_ms(sd, d->view.states, ctl_now());

	if (ctl < 0)
		return ntf;
	return ntf < 0 || ctl < ntf ? ctl : ntf;
}

/* 0 on a clean exit, -1 on failure. */
static int run(struct jumpd *d, int sfd, struct notify *sd)
{
	struct pollfd pfd[FIXED_FDS + CTL_MAX_SOCKETS];
	struct ctl *c = d->ctl;
	nfds_t i, n;
	int ret;

	for (;;) {
		/* Pings only from here: a wedged loop is what the watchdog is for. */
		notify_tick(sd, d->view.states, ctl_now());
		n = poll_set(d, pfd, sfd);
		if (poll(pfd, n, poll_timeout(d, sd)) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return -1;
		}
		/* Signals first: SIGTERM must not wait behind an event storm. */
		if (pfd[0].revents) {
			ret = handle_signals(d, sfd, sd);
			if (ret)
				return ret > 0 ? 0 : -1;
		}
		/* POLLERR is how an overrun (ENOBUFS) shows: reading reports it. */
		if (pfd[1].revents && jumpd_read_events(d))
			return -1;
		if (!c)
			continue;
		if (pfd[2].revents)
			ctl_watch_ready(c);	/* the client's uplinks */
		/* The set may have changed above: read what was polled, if still ours. */
		for (i = FIXED_FDS; i < n; i++)
			if (pfd[i].revents)
				ctl_read_socket(c, pfd[i].fd);
		ctl_run_timers(c);
	}
}

/* -c, or the default config of -i's device if it exists: NULL for none. */
static const char *config_path(const struct jumpd *d, const char *given, char *buf,
			       size_t len)
{
	if (given)
		return given;
	if (!d->only)
		return NULL;
	if (config_default_path(d->only, buf, len))
		return NULL;
	return access(buf, F_OK) == 0 ? buf : NULL;
}

/* The roles this jumpd runs: the config's Role picks one. */
static const struct ctl_role_ops *const roles[JUMP_ROLE_MAX + 1] = {
	[JUMP_ROLE_CLIENT] = &client_role,
	[JUMP_ROLE_SERVER] = &server_role,
};

int main(int argc, char **argv)
{
	static struct ctl ctl;
	struct jumpd d = { 0 };
	struct notify sd;
	const char *config = NULL;
	char default_config[4096];
	int sfd, status;

	if (parse_options(argc, argv, &d, &config, &status))
		return status;
	config = config_path(&d, config, default_config, sizeof(default_config));
	sfd = open_signals();
	if (sfd < 0)
		return 1;
	view_init(&d.view);
	notify_init(&sd, ctl_now());
	log_info("jumpd %s starting: following %s%s%s", JUMP_VERSION,
		 d.only ? d.only : "every jump device",
		 config ? ", control plane from " : "", config ? config : "");
	status = 1;
	/* Subscribe before the dump: nothing that happens in between is lost. */
	if (jumpd_nl_open(&d.nl) == 0) {
		if (jumpd_sync_all(&d) == 0 &&
		    (!config || ctl_start(&ctl, &d, config, d.only, roles) == 0)) {
			/* Synchronized, and the control plane listens: ready. */
			notify_ready(&sd, d.view.states, ctl_now());
			if (run(&d, sfd, &sd) == 0)
				status = 0;
		}
		notify_stopping(&sd);
		if (config)
			ctl_stop(&ctl);
		jumpd_nl_close(&d.nl);
	}
	view_free(&d.view);
	close(sfd);
	return status;
}
