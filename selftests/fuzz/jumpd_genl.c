// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's decoders of what the kernel says (daemon/genl_parse.c) on any
 * netlink message: session messages, DEV_GET replies, extended acks.
 */
#include <stdlib.h>
#include <linux/netlink.h>

#include "fuzz.h"
#include "genl.h"

#define CAP 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t buf[CAP / 8];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct jumpd_dev_info dev;
	struct jumpd_extack ext;
	struct jumpd_msg m;

	if (size < sizeof(*nlh) || size > CAP)
		return 0;
	memcpy(buf, data, size);
	/* The socket layer has checked this much: the length fits the datagram. */
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > size)
		nlh->nlmsg_len = size;
	if (jumpd_parse_session(nlh, &m) == 0 && m.binding.family &&
	    m.binding.family != AF_INET && m.binding.family != AF_INET6)
		abort();
	if (jumpd_parse_dev(nlh, &dev) == 0 && !memchr(dev.name, '\0', sizeof(dev.name)))
		abort();
	nlh->nlmsg_type = NLMSG_ERROR;
	jumpd_parse_extack(nlh, &ext);
	if (!memchr(ext.msg, '\0', sizeof(ext.msg)))
		abort();
	nlh->nlmsg_type = NLMSG_DONE;
	jumpd_parse_extack(nlh, &ext);
	if (!memchr(ext.msg, '\0', sizeof(ext.msg)))
		abort();
	return 0;
}
