/* SPDX-License-Identifier: GPL-2.0 */
/* jumpctl link: parsed command lines and the rtnetlink requests they make. */
#ifndef JUMPCTL_LINK_H
#define JUMPCTL_LINK_H

#include <stdint.h>
#include <libmnl/libmnl.h>

enum link_cmd {
	LINK_SHOW,
	LINK_ADD,
	LINK_DEL,
	LINK_HELP,
};

struct link_args {
	enum link_cmd cmd;
	const char *name;	/* NULL: show every jump device */
	uint32_t mtu;		/* 0: the kernel's default */
};

/* Returns 0, or prints "Error: ..." and returns EXIT_USAGE. */
int link_parse(int argc, char **argv, struct link_args *a);

/* RTM_NEWLINK (add) or RTM_DELLINK (del) for @a in @buf. */
struct nlmsghdr *link_request(void *buf, const struct link_args *a);

#endif /* JUMPCTL_LINK_H */
