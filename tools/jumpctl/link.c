// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl link: jump devices. Created and deleted through rtnetlink as
 * ip(8) would; shown through the jump family, which knows the sessions.
 */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "args.h"
#include "jumpctl.h"
#include "link.h"
#include "msg.h"
#include "nl.h"
#include "output.h"

/* Order is priority for abbreviations, as in ip(8). */
static const char *const commands[] = {
	"show", "list", "add", "del", "delete", "help", NULL,
};
static const enum link_cmd command_of[] = {
	LINK_SHOW, LINK_SHOW, LINK_ADD, LINK_DEL, LINK_DEL, LINK_HELP,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl link add NAME [ mtu MTU ]\n"
		"       jumpctl link del NAME\n"
		"       jumpctl link show [ NAME ]\n"
		"       jumpctl link help\n"
		"show lists the sessions per state and the last event sequence\n"
		"number of one device, or of every jump device of the namespace;\n"
		"with -s also its packet counters and drops by cause.\n");
}

static int parse_add_args(int argc, char **argv, struct link_args *a)
{
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!matches(argv[0], "mtu"))
			return usage_error("unexpected \"%s\" in \"link add\"; try \"jumpctl link help\"",
					   argv[0]);
		if (a->mtu)
			return usage_error("\"mtu\" given twice");
		if (argc < 2 || parse_u32(argv[1], &a->mtu) || !a->mtu)
			return usage_error("\"mtu\" needs a positive number");
	}
	return 0;
}

int link_parse(int argc, char **argv, struct link_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->cmd = LINK_SHOW;
	if (argc > 0) {
		i = match_keyword(argv[0], commands);
		if (i < 0)
			return usage_error("unknown link command \"%s\"; try \"jumpctl link help\"",
					   argv[0]);
		a->cmd = command_of[i];
		argc--, argv++;
	}
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			a->cmd = LINK_HELP;
	if (a->cmd == LINK_HELP)
		return 0;
	/* "dev NAME" as ip(8) allows; a device named "dev" still works alone. */
	if (argc > 1 && !strcmp(argv[0], "dev"))
		argc--, argv++;
	if (argc == 0) {
		if (a->cmd == LINK_SHOW)
			return 0;
		return usage_error("\"link %s\" needs a device name",
				   a->cmd == LINK_ADD ? "add" : "del");
	}
	a->name = argv[0];
	if (!valid_ifname(a->name))
		return usage_error("invalid device name \"%s\" (1 to %d characters)",
				   a->name, IF_NAMESIZE - 1);
	if (a->cmd == LINK_ADD)
		return parse_add_args(argc - 1, argv + 1, a);
	if (argc > 1)
		return usage_error("unexpected \"%s\"; try \"jumpctl link help\"",
				   argv[1]);
	return 0;
}

struct nlmsghdr *link_request(void *buf, const struct link_args *a)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *info;

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (a->cmd == LINK_ADD) {
		nlh->nlmsg_type = RTM_NEWLINK;
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	} else {
		nlh->nlmsg_type = RTM_DELLINK;
	}
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, a->name);
	if (a->cmd == LINK_ADD) {
		if (a->mtu)
			mnl_attr_put_u32(nlh, IFLA_MTU, a->mtu);
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, JUMP_LINK_KIND);
		mnl_attr_nest_end(nlh, info);
	}
	return nlh;
}

static int link_change(const struct link_args *a)
{
	struct nl nl;
	int err;

	err = nl_open_rtnl(&nl);
	if (err)
		return err;
	err = nl_talk(&nl, link_request(nl.buf, a), NULL, NULL);
	if (err)
		err = nl_report(&nl, err);
	nl_close(&nl);
	return err;
}

static int device_cb(const struct nlmsghdr *nlh, void *data)
{
	struct device_msg d;

	if (parse_device_msg(nlh, &d) == 0)
		listing_device(data, &d);
	return MNL_CB_OK;
}

static int link_show(const char *name)
{
	struct listing out;
	struct nlmsghdr *nlh;
	struct nl *nl;
	int err;

	err = genl_socket(&nl);
	if (err)
		return err;
	nlh = nl_dev_get_request(nl, name);
	listing_init(&out, stdout);
	err = nl_talk(nl, nlh, device_cb, &out);
	listing_end(&out, !err);
	return err ? nl_report(nl, err) : EXIT_OK;
}

int do_link(int argc, char **argv)
{
	struct link_args a;
	int err;

	err = link_parse(argc, argv, &a);
	if (err)
		return err;
	switch (a.cmd) {
	case LINK_HELP:
		usage(stdout);
		return EXIT_OK;
	case LINK_SHOW:
		return link_show(a.name);
	default:
		return link_change(&a);
	}
}
