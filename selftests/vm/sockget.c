// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: JUMP_CMD_SOCKET_GET, and what the descriptor it returns
 * is. Prints one line
 *
 *   fd N type dgram proto udp local ADDR:PORT cloexec 1 reply-local ADDR:PORT
 *
 * then, with -r SECS, waits that long for one datagram on the descriptor and
 * prints "recv from ADDR:PORT len N data HEX"; with -x CMD, runs "sh -c CMD"
 * while it holds the descriptor and exits with its status. A refusal prints
 * "Error: <the kernel's message>." and exits 2, as jumpctl does.
 *
 *   sockget [-r SECS] [-x CMD] DEV ADDR:PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/jump.h>

#include "jump_parse.h"
#include "jumpctl.h"
#include "nl.h"

struct reply {
	int fd;
	struct endpoint local;
};

static int binding_cb(const struct nlattr *attr, void *data)
{
	struct reply *r = data;

	switch (mnl_attr_get_type(attr)) {
	case JUMP_BIND_A_SOCKET_FD:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		r->fd = mnl_attr_get_u32(attr);
		break;
	case JUMP_BIND_A_LOCAL_IPV4:
		if (mnl_attr_get_payload_len(attr) != 4)
			return MNL_CB_ERROR;
		r->local.family = AF_INET;
		memcpy(&r->local.addr.v4, mnl_attr_get_payload(attr), 4);
		break;
	case JUMP_BIND_A_LOCAL_IPV6:
		if (mnl_attr_get_payload_len(attr) != 16)
			return MNL_CB_ERROR;
		r->local.family = AF_INET6;
		memcpy(&r->local.addr.v6, mnl_attr_get_payload(attr), 16);
		break;
	case JUMP_BIND_A_LOCAL_PORT:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		r->local.port = ntohs(mnl_attr_get_u16(attr));
		break;
	}
	return MNL_CB_OK;
}

static int top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) != JUMP_A_BINDING)
		return MNL_CB_OK;
	return mnl_attr_parse_nested(attr, binding_cb, data);
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, data);
}

static void print_sockname(int fd, const char *label)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct endpoint ep = { 0 };
	char buf[ENDPOINT_LEN];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		printf(" %s ?", label);
		return;
	}
	ep.family = ss.ss_family;
	if (ss.ss_family == AF_INET) {
		ep.addr.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
		ep.port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else {
		ep.addr.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		ep.port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	format_endpoint(&ep, buf, sizeof(buf));
	printf(" %s %s", label, buf);
}

static void describe(int fd, const struct endpoint *reply_local)
{
	int type = 0, proto = 0, flags = fcntl(fd, F_GETFD);
	socklen_t len = sizeof(int);
	char buf[ENDPOINT_LEN];
	struct stat st;

	printf("fd %d", fd);
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		printf(" not-a-socket\n");
		return;
	}
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(int);
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
	printf(" type %s proto %s", type == SOCK_DGRAM ? "dgram" : "other",
	       proto == IPPROTO_UDP ? "udp" : "other");
	print_sockname(fd, "local");
	format_endpoint(reply_local, buf, sizeof(buf));
	printf(" cloexec %d reply-local %s\n", flags >= 0 && (flags & FD_CLOEXEC), buf);
}

static int receive(int fd, int secs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned char data[2048];
	struct endpoint ep = { 0 };
	char buf[ENDPOINT_LEN];
	ssize_t n, i;

	if (poll(&p, 1, secs * 1000) <= 0) {
		printf("recv timeout\n");
		return 1;
	}
	n = recvfrom(fd, data, sizeof(data), MSG_DONTWAIT,
		     (struct sockaddr *)&ss, &len);
	if (n < 0) {
		printf("recv error %s\n", strerror(errno));
		return 1;
	}
	ep.family = ss.ss_family;
	if (ss.ss_family == AF_INET) {
		ep.addr.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
		ep.port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else {
		ep.addr.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		ep.port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	format_endpoint(&ep, buf, sizeof(buf));
	printf("recv from %s len %zd data ", buf, n);
	for (i = 0; i < n; i++)
		printf("%02x", data[i]);
	putchar('\n');
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: sockget [-r SECS] [-x CMD] DEV ADDR:PORT\n");
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct reply r = { .fd = -1 };
	const char *cmd = NULL;
	struct nlmsghdr *nlh;
	struct endpoint ep;
	struct nlattr *nest;
	int c, secs = -1, err;
	struct nl *nl;

	while ((c = getopt(argc, argv, "r:x:")) != -1) {
		if (c == 'r')
			secs = atoi(optarg);
		else if (c == 'x')
			cmd = optarg;
		else
			return usage();
	}
	if (argc - optind != 2 || !valid_ifname(argv[optind]) ||
	    parse_endpoint(argv[optind + 1], &ep))
		return usage();
	err = genl_socket(&nl);
	if (err)
		return err;
	nlh = nl_genl_request(nl, JUMP_CMD_SOCKET_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, argv[optind]);
	nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);
	if (ep.family == AF_INET)
		mnl_attr_put(nlh, JUMP_BIND_A_LOCAL_IPV4, 4, &ep.addr.v4);
	else
		mnl_attr_put(nlh, JUMP_BIND_A_LOCAL_IPV6, 16, &ep.addr.v6);
	mnl_attr_put_u16(nlh, JUMP_BIND_A_LOCAL_PORT, htons(ep.port));
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nl, nlh, reply_cb, &r);
	if (err)
		return nl_report(nl, err);
	if (r.fd < 0) {
		fprintf(stderr, "Error: the reply carries no JUMP_BIND_A_SOCKET_FD.\n");
		return EXIT_KERNEL;
	}
	describe(r.fd, &r.local);
	fflush(stdout);
	if (secs >= 0 && receive(r.fd, secs))
		return EXIT_KERNEL;
	if (cmd) {
		err = system(cmd);
		return err < 0 || !WIFEXITED(err) ? 127 : WEXITSTATUS(err);
	}
	return EXIT_OK;
}
