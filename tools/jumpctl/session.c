// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl session: add, show, set, del, terminate and reattach sessions.
 * The driver: it parses (session_parse.c), opens the socket a binding
 * hands over, sends what session_request.c builds and prints the replies;
 * show without dev walks every device, terminate and reattach read the
 * version and compare-and-swap on it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "jumpctl.h"
#include "msg.h"
#include "nl.h"
#include "output.h"
#include "session.h"

int session_open_socket(struct session_args *a)
{
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
	char ep[ENDPOINT_LEN];
	socklen_t len;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	if (a->local.family == AF_INET) {
		sa.v4.sin_family = AF_INET;
		sa.v4.sin_addr = a->local.addr.v4;
		sa.v4.sin_port = htons(a->local.port);
		len = sizeof(sa.v4);
	} else {
		sa.v6.sin6_family = AF_INET6;
		sa.v6.sin6_addr = a->local.addr.v6;
		sa.v6.sin6_port = htons(a->local.port);
		len = sizeof(sa.v6);
	}
	format_endpoint(&a->local, ep, sizeof(ep));
	fd = socket(a->local.family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0 ||
	    (a->local.family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))) {
		fprintf(stderr, "Error: cannot open a UDP socket for %s: %m.\n", ep);
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sa, len) == 0) {
		a->sock_fd = fd;
		return EXIT_OK;
	}
	if (errno == EADDRINUSE) {
		/* Most likely the device's own: the kernel reuses it. */
		close(fd);
		a->sock_fd = -1;
		return EXIT_OK;
	}
	fprintf(stderr, "Error: cannot bind a UDP socket to %s: %m.\n", ep);
fail:
	if (fd >= 0)
		close(fd);
	return EXIT_KERNEL;
}

static bool wanted(const struct session_args *a, const struct session_msg *s)
{
	return (a->state < 0 || s->state == a->state) &&
	       (!a->has_peer || !memcmp(s->pubkey, a->peer, JUMP_PUBKEY_LEN));
}

bool session_show_msg(struct listing *l, const struct session_args *a,
		      const struct nlmsghdr *nlh, const char *dev)
{
	/* Static: a session message holds a prefix list. */
	static struct session_msg s;

	/* 100,000 sessions: their stats are not read unless shown. */
	if (parse_session_msg_stats(nlh, &s, opt.stats))
		return false;
	if (wanted(a, &s))
		listing_session(l, &s, dev);
	return true;
}

struct show {
	struct listing out;
	const struct session_args *a;
	const char *dev;
	unsigned int sessions;	/* the kernel sent, filtered or not */
};

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show *show = data;
	static struct session_msg s;

	/* Only show filters: a reattach's reply is in the state it asked for. */
	if (show->a->cmd == SESSION_SHOW)
		show->sessions += session_show_msg(&show->out, show->a, nlh, show->dev);
	else if (parse_session_msg(nlh, &s) == 0)
		listing_session(&show->out, &s, show->dev);
	return MNL_CB_OK;
}

static bool is_key_cmd(enum session_cmd cmd)
{
	return cmd == SESSION_KEY_ADD || cmd == SESSION_KEY_SWAP ||
	       cmd == SESSION_KEY_DEL;
}

/*
 * Sends the request for @a and prints the reply; key material is wiped
 * from everything after. Returns 0 or -errno (nl->errmsg has the extack).
 */
static int session_send(struct nl *nl, struct session_args *a)
{
	bool quiet = a->cmd == SESSION_DEL || a->cmd == SESSION_TERMINATE ||
		     is_key_cmd(a->cmd);
	struct show show = { .a = a };
	struct nlmsghdr *nlh;
	size_t len;
	int err;

	nlh = session_request(nl->buf, nl->family, a);
	len = nlh->nlmsg_len;
	session_wipe_keys(a);
	/* Replies name the device by index; the name is the one we sent. */
	show.dev = a->dev;
	listing_init(&show.out, stdout);
	err = nl_talk(nl, nlh, quiet ? NULL : session_cb, &show);
	if (a->cmd == SESSION_KEY_ADD)
		explicit_bzero(nl->buf, len);
	/* del and the key commands answer with a bare ack: nothing to print. */
	if (!quiet)
		listing_end(&show.out, !err);
	return err;
}

/* The names of the jump devices, from a DEV_GET dump. */
struct devices {
	char (*names)[IF_NAMESIZE];
	size_t n, cap;
	bool nomem;
};

static int device_name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct devices *d = data;
	struct device_msg m;
	void *tmp;

	if (parse_device_msg(nlh, &m) || d->nomem)
		return MNL_CB_OK;
	if (d->n == d->cap) {
		tmp = realloc(d->names, (d->cap ? 2 * d->cap : 8) * sizeof(*d->names));
		/* Read the dump to its end all the same: the socket is reused. */
		if (!tmp) {
			d->nomem = true;
			return MNL_CB_OK;
		}
		d->names = tmp;
		d->cap = d->cap ? 2 * d->cap : 8;
	}
	memcpy(d->names[d->n++], m.ifname, IF_NAMESIZE);
	return MNL_CB_OK;
}

static int show_devices(struct nl *nl, struct session_args *a,
			const struct devices *devs)
{
	char id[SESSION_ID_LEN];
	struct show show = { .a = a };
	size_t i;
	int err = 0;

	listing_init(&show.out, stdout);
	for (i = 0; i < devs->n && !err; i++) {
		a->dev = show.dev = devs->names[i];
		err = nl_talk(nl, session_request(nl->buf, nl->family, a),
			      session_cb, &show);
		/* Deleted since the list was made; with an id, not this one's. */
		if (err == -ENODEV || (a->has_id && err == -ENOENT))
			err = 0;
	}
	a->dev = NULL;
	if (!err && a->has_id && !show.sessions) {
		listing_end(&show.out, false);
		format_session_id(a->id, id);
		fprintf(stderr, "Error: no session %s on any jump device.\n", id);
		return EXIT_KERNEL;
	}
	listing_end(&show.out, !err);
	return err ? nl_report(nl, err) : EXIT_OK;
}

/* show without dev: every jump device of the namespace, in one listing. */
static int show_every_device(struct nl *nl, struct session_args *a)
{
	struct devices devs = { 0 };
	int err;

	err = nl_talk(nl, nl_dev_get_request(nl, NULL), device_name_cb, &devs);
	if (!err && devs.nomem)
		err = -ENOMEM;
	err = err ? nl_report(nl, err) : show_devices(nl, a, &devs);
	free(devs.names);
	return err;
}

struct got {
	struct session_msg *s;
	bool found;
};

static int got_cb(const struct nlmsghdr *nlh, void *data)
{
	struct got *got = data;

	if (parse_session_msg(nlh, got->s) == 0)
		got->found = true;
	return MNL_CB_OK;
}

static int read_session(struct nl *nl, const struct session_args *a,
			struct session_msg *s)
{
	struct got got = { .s = s };
	int err;

	err = nl_talk(nl, session_get_request(nl->buf, nl->family, a->dev, a->id),
		      got_cb, &got);
	return err ? err : got.found ? 0 : -EBADMSG;
}

/*
 * Only the client's jumpd can reattach: it picks the new path and proves
 * it to the server. The kernel would take the transition on a server
 * session too, and leave it recovering with nobody to move it.
 */
static int not_a_client(const struct session_args *a)
{
	char id[SESSION_ID_LEN];

	format_session_id(a->id, id);
	return usage_error("session %s of %s is a server session: only a client reattaches (its jumpd moves it, the server follows)",
			   id, a->dev);
}

/*
 * terminate and reattach: the version read, then a compare-and-swap on it;
 * if it moved in between (a liveness timer, jumpd), read again, once.
 */
static int session_cas(struct nl *nl, struct session_args *a)
{
	static struct session_msg s;
	int err = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		err = read_session(nl, a, &s);
		if (err)
			break;
		if (a->cmd == SESSION_REATTACH && s.role != JUMP_ROLE_CLIENT)
			return not_a_client(a);
		a->has_version = true;
		a->version = s.version;
		err = session_send(nl, a);
		if (err != -ESTALE)
			break;
	}
	return err ? nl_report(nl, err) : EXIT_OK;
}

int do_session(int argc, char **argv)
{
	/* Static: the arguments hold a prefix list. */
	static struct session_args a;
	bool own_socket = false;
	struct nl *nl;
	int err;

	err = session_parse(argc, argv, &a);
	if (err) {
		session_wipe_keys(&a);
		return err;
	}
	if (a.cmd == SESSION_HELP) {
		session_usage(stdout);
		return EXIT_OK;
	}
	if (a.sock_fd >= 0 && fcntl(a.sock_fd, F_GETFD) < 0)
		return usage_error("\"sock-fd %d\" is not an open file descriptor",
				   a.sock_fd);
	err = genl_socket(&nl);
	if (!err && a.has_local && a.sock_fd < 0) {
		err = session_open_socket(&a);
		own_socket = a.sock_fd >= 0;
	}
	if (err) {
		session_wipe_keys(&a);
		return err;
	}
	if (a.cmd == SESSION_SHOW && !a.dev)
		return show_every_device(nl, &a);
	if (a.cmd == SESSION_TERMINATE || a.cmd == SESSION_REATTACH)
		return session_cas(nl, &a);
	err = session_send(nl, &a);
	/* The kernel holds its own reference to the socket now. */
	if (own_socket)
		close(a.sock_fd);
	return err ? nl_report(nl, err) : EXIT_OK;
}
