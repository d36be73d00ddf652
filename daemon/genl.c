// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's generic netlink over libnl-genl-3: the two sockets. Opening them,
 * resolving the "jump" family and its events group, the request socket's
 * options (extended acks, a timeout), and the event socket: its buffer,
 * its membership and reading what arrives on it. The requests themselves
 * are genl_request.c's, the messages genl_build.c's and genl_parse.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "genl_shared.h"
#include "log.h"

/*
 * Room for a burst of events while jumpd is busy (a dump, a resync). Taken
 * with SO_RCVBUFFORCE, which jumpd may use anyway (it needs CAP_NET_ADMIN
 * for the group), so net.core.rmem_max does not cap it. An overrun beyond
 * this is detected (ENOBUFS) and repaired by a dump.
 */
#define EVENTS_RCVBUF	(32 << 20)
/* A kernel that stops answering must not hang the daemon forever. */
#define REQUEST_TIMEOUT_SEC	10

static int events_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;		/* multicast: no sequence numbers to check */
}

static int events_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct jumpd_nl *nl = arg;
	struct jumpd_msg m;
	int err;

	if (!nl->events_fn || nl->events_err || nlh->nlmsg_type != nl->family)
		return NL_SKIP;
	err = jumpd_parse_session(nlh, &m);
	if (!err)
		err = nl->events_fn(&m, nl->events_arg);
	if (err < 0)
		nl->events_err = err;
	return NL_OK;
}

int jumpd_nl_read_events(struct jumpd_nl *nl, jumpd_msg_fn fn, void *arg)
{
	int n;

	jumpd_nl_reset_ext(nl);
	nl->events_fn = fn;
	nl->events_arg = arg;
	nl->events_err = 0;
	n = nl_recvmsgs_report(nl->events, nl->events_cb);
	nl->events_fn = NULL;
	if (n == 0 || n == -NLE_AGAIN)
		return 0;
	/* recvmsg()'s ENOBUFS, which libnl reports as NLE_NOMEM. */
	if (n == -NLE_NOMEM)
		return -ENOBUFS;
	if (n < 0)
		return jumpd_nl_transport_error(nl, n);
	return nl->events_err ?: 1;
}

int jumpd_nl_events_fd(const struct jumpd_nl *nl)
{
	return nl_socket_get_fd(nl->events);
}

static struct nl_sock *open_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk) {
		log_err("cannot allocate a netlink socket");
		return NULL;
	}
	err = genl_connect(sk);
	if (err < 0) {
		log_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

static int resolve(struct jumpd_nl *nl)
{
	nl->family = genl_ctrl_resolve(nl->req, JUMP_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		log_err("jump module not loaded: no generic netlink family \"%s\" (modprobe jump)",
			JUMP_GENL_NAME);
		return -1;
	}
	if (nl->family < 0) {
		log_err("cannot resolve the \"%s\" family: %s", JUMP_GENL_NAME,
			nl_geterror(nl->family));
		return -1;
	}
	nl->events_group = genl_ctrl_resolve_grp(nl->req, JUMP_GENL_NAME,
						 JUMP_MCGRP_EVENTS);
	if (nl->events_group < 0) {
		log_err("the \"%s\" family has no \"%s\" group: %s", JUMP_GENL_NAME,
			JUMP_MCGRP_EVENTS, nl_geterror(nl->events_group));
		return -1;
	}
	return 0;
}

/* After resolve(): genl_ctrl_resolve() relies on libnl's auto-ack. */
static void setup_requests(struct nl_sock *sk)
{
	struct timeval tv = { .tv_sec = REQUEST_TIMEOUT_SEC };
	int one = 1, fd = nl_socket_get_fd(sk);

	nl_socket_disable_auto_ack(sk);
	/* A session with every prefix is a reply larger than libnl's buffer. */
	nl_socket_enable_msg_peek(sk);
	/* Before Linux 4.12 errors simply come without a message. */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		log_debug("no extended acks: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		log_debug("no request timeout: %s", strerror(errno));
}

static int setup_events(struct jumpd_nl *nl)
{
	int size = EVENTS_RCVBUF, fd = nl_socket_get_fd(nl->events);
	int err;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_warn("cannot enlarge the event socket buffer: %s", strerror(errno));
	err = nl_socket_set_nonblocking(nl->events);
	if (err < 0) {
		log_err("event socket: %s", nl_geterror(err));
		return -1;
	}
	nl->events_cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->events_cb) {
		log_err("out of memory");
		return -1;
	}
	nl_cb_set(nl->events_cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, events_seq, NULL);
	nl_cb_set(nl->events_cb, NL_CB_VALID, NL_CB_CUSTOM, events_valid, nl);
	err = nl_socket_add_membership(nl->events, nl->events_group);
	if (err < 0) {
		log_err("cannot join the \"%s\" group: %s (jumpd needs CAP_NET_ADMIN)",
			JUMP_MCGRP_EVENTS, nl_geterror(err));
		return -1;
	}
	return 0;
}

int jumpd_nl_open(struct jumpd_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->req = open_socket();
	if (!nl->req)
		goto err;
	nl->events = open_socket();
	if (!nl->events || resolve(nl))
		goto err;
	setup_requests(nl->req);
	if (setup_events(nl))
		goto err;
	return 0;
err:
	jumpd_nl_close(nl);
	return -1;
}

void jumpd_nl_close(struct jumpd_nl *nl)
{
	nl_cb_put(nl->events_cb);
	nl_socket_free(nl->req);
	nl_socket_free(nl->events);
	memset(nl, 0, sizeof(*nl));
}
