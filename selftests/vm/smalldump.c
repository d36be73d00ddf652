// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: a session dump as a small netlink client makes it, whose
 * receive buffer is one page (libmnl's MNL_SOCKET_BUFFER_SIZE) so that the
 * kernel sizes its dump messages after that page unless the family asks for
 * more. Receives each message whole (peeking at its size first, as libnl
 * does) and prints
 *
 *   sessions N prefixes P end done|error ERRNO
 *
 * where N counts the sessions in the dump and P their prefixes.
 *
 *   smalldump DEV
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/jump.h>
#include <libmnl/libmnl.h>

static char small[4096];

static int family_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* The family id, through a reply read into one page. */
static uint16_t resolve(struct mnl_socket *nl)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(small);
	struct genlmsghdr *g;
	uint16_t id = 0;
	ssize_t n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, JUMP_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return 0;
	n = mnl_socket_recvfrom(nl, small, sizeof(small));
	if (n > 0)
		mnl_attr_parse((struct nlmsghdr *)small, sizeof(*g), family_cb, &id);
	return id;
}

static int count_prefixes(const struct nlattr *attr, void *data)
{
	unsigned int *prefixes = data;
	const struct nlattr *p;

	if (mnl_attr_get_type(attr) == JUMP_A_PREFIXES)
		mnl_attr_for_each_nested(p, attr)
			(*prefixes)++;
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	unsigned int sessions = 0, prefixes = 0, ifindex;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint16_t family;
	char *buf;
	int n;

	if (argc != 2 || !(ifindex = if_nametoindex(argv[1]))) {
		fprintf(stderr, "usage: smalldump DEV\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    !(family = resolve(nl))) {
		perror("smalldump: jump family");
		return 1;
	}
	nlh = mnl_nlmsg_put_header(small);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = JUMP_CMD_SESSION_GET;
	g->version = JUMP_GENL_VERSION;
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, ifindex);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("smalldump: send");
		return 1;
	}
	for (;;) {
		n = recv(mnl_socket_get_fd(nl), NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n <= 0 || !(buf = malloc(n)))
			return 1;
		n = recv(mnl_socket_get_fd(nl), buf, n, 0);
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR) {
				int err = *(int *)mnl_nlmsg_get_payload(nlh);

				printf("sessions %u prefixes %u end %s %d\n", sessions,
				       prefixes, err ? "error" : "done", -err);
				return 0;
			}
			sessions++;
			mnl_attr_parse(nlh, sizeof(*g), count_prefixes, &prefixes);
		}
		free(buf);
	}
}
