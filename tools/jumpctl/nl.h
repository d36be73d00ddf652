/* SPDX-License-Identifier: GPL-2.0 */
/* libmnl sockets for the jump genl family and for rtnetlink. */
#ifndef JUMPCTL_NL_H
#define JUMPCTL_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Large enough for the biggest dump skb the kernel builds (32 KiB). */
#define NL_BUF_SIZE 32768

struct nl {
	struct mnl_socket *sock;
	uint16_t family;	/* genl family id; 0 on an rtnetlink socket */
	uint32_t events_group;
	unsigned int seq, portid;
	char errmsg[256];	/* extack message of the last failure */
	char buf[NL_BUF_SIZE];
};

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Both print their own "Error: ..." and return an exit status. */
int nl_open_genl(struct nl *nl);
int nl_open_rtnl(struct nl *nl);
void nl_close(struct nl *nl);

/* A request to the jump family in nl->buf. */
struct nlmsghdr *nl_genl_request(struct nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Sends @nlh and feeds each reply to @cb until the ack or the end of the
 * dump. Returns 0, or -errno with nl->errmsg set from the extack.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb cb, void *data);

/* Prints "Error: <extack or strerror>." and returns EXIT_KERNEL. */
int nl_report(const struct nl *nl, int err);

/*
 * The jump family socket, opened on first use and kept, so a batch of
 * 100,000 commands resolves the family once. Returns an exit status.
 */
int genl_socket(struct nl **nl);
void genl_socket_close(void);

int nl_join_events(struct nl *nl);
/* Reads events until @cb stops or an error; ENOBUFS is returned to the
 * caller, which decides how to report the loss.
 */
int nl_recv_events(struct nl *nl, nl_msg_cb cb, void *data);

#endif /* JUMPCTL_NL_H */
