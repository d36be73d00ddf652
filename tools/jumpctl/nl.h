/* SPDX-License-Identifier: GPL-2.0 */
/* libmnl sockets for the jump genl family and for rtnetlink. */
#ifndef JUMPCTL_NL_H
#define JUMPCTL_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * The kernel sizes dump skbs after our receive buffer, up to 32 KiB: a
 * buffer that large takes whole skbs and needs fewer system calls. Twice
 * that, for requests: a session's full prefix list takes over 32 KiB.
 */
#define NL_BUF_SIZE 65536

struct nl {
	struct mnl_socket *sock;
	uint16_t family;	/* genl family id; 0 on an rtnetlink socket */
	uint32_t events_group;	/* multicast group id; 0 if absent */
	unsigned int seq, portid;
	char errmsg[256];	/* extack message of the last failure */
	char buf[NL_BUF_SIZE];
};

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Both print their own "Error: ..." and return an exit status. */
int nl_open_genl(struct nl *nl);
int nl_open_rtnl(struct nl *nl);
void nl_close(struct nl *nl);

/* Starts a request to genl family @family in @buf (no socket needed). */
struct nlmsghdr *genl_request(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags);
/* The same in nl->buf, to the jump family. */
struct nlmsghdr *nl_genl_request(struct nl *nl, uint8_t cmd, uint16_t flags);
/* DEV_GET for device @name, or a dump of every jump device when NULL. */
struct nlmsghdr *nl_dev_get_request(struct nl *nl, const char *name);

/*
 * Sends @nlh and feeds each reply to @cb until the ack or the end of the
 * dump. Returns 0, or -errno with nl->errmsg set from the extack.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb cb, void *data);

/* Prints "Error: <extack or strerror>." and returns EXIT_KERNEL. */
int nl_report(const struct nl *nl, int err);

/*
 * The jump family socket, opened on first use and kept for the next
 * command of a batch. Returns an exit status.
 */
int genl_socket(struct nl **nl);
void genl_socket_close(void);

/* Joins JUMP_MCGRP_EVENTS. Returns an exit status. */
int nl_join_events(struct nl *nl);
/*
 * Receives one datagram of multicast messages and feeds them to @cb.
 * Returns 0 or -errno; -ENOBUFS means the socket overran and dropped some.
 */
int nl_recv(struct nl *nl, nl_msg_cb cb, void *data);

#endif /* JUMPCTL_NL_H */
