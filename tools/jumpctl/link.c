// SPDX-License-Identifier: GPL-2.0
/* jumpctl link: jump devices, created through rtnetlink as ip(8) would. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "jumpctl.h"
#include "msg.h"
#include "nl.h"

enum { LINK_SHOW, LINK_ADD, LINK_DEL, LINK_HELP };
static const char *const commands[] = { "show", "list", "add", "del", "delete", "help", NULL };
static const int command_of[] = { LINK_SHOW, LINK_SHOW, LINK_ADD, LINK_DEL, LINK_DEL, LINK_HELP };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl link add NAME [ mtu MTU ]\n"
		"       jumpctl link del NAME\n"
		"       jumpctl link show [ [ dev ] NAME ]\n"
		"       jumpctl link help\n");
}

static int check_name(const char *name)
{
	if (!*name || strlen(name) >= IF_NAMESIZE)
		return usage_error("invalid device name \"%s\"", name);
	return 0;
}

static int link_change(int cmd, const char *name, uint32_t mtu)
{
	struct nlattr *info;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nl nl;
	int err;

	err = nl_open_rtnl(&nl);
	if (err)
		return err;
	nlh = mnl_nlmsg_put_header(nl.buf);
	nlh->nlmsg_type = cmd == LINK_ADD ? RTM_NEWLINK : RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == LINK_ADD)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (cmd == LINK_ADD) {
		if (mtu)
			mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, JUMP_LINK_KIND);
		mnl_attr_nest_end(nlh, info);
	}
	err = nl_talk(&nl, nlh, NULL, NULL);
	if (err)
		err = nl_report(&nl, err);
	nl_close(&nl);
	return err;
}

static int device_cb(const struct nlmsghdr *nlh, void *data)
{
	struct device_msg d;

	if (parse_device_msg(nlh, &d) == 0)
		print_device(data, &d);
	return MNL_CB_OK;
}

static int link_show(const char *name)
{
	struct nlmsghdr *nlh;
	struct json j;
	struct nl *nl;
	int err;

	err = genl_socket(&nl);
	if (err)
		return err;
	nlh = nl_genl_request(nl, JUMP_CMD_DEV_GET, name ? NLM_F_ACK : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, JUMP_A_IFNAME, name);
	json_init(&j, stdout, opt.pretty);
	if (opt.json)
		json_open(&j, '[');
	err = nl_talk(nl, nlh, device_cb, &j);
	if (opt.json) {
		json_close(&j, ']');
		putchar('\n');
	}
	return err ? nl_report(nl, err) : EXIT_OK;
}

static int link_add_args(int argc, char **argv, uint32_t *mtu)
{
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!matches(argv[0], "mtu"))
			return usage_error("unexpected argument \"%s\"; try \"jumpctl link help\"", argv[0]);
		if (argc < 2 || parse_u32(argv[1], mtu) || !*mtu)
			return usage_error("\"mtu\" needs a positive number");
	}
	return 0;
}

int do_link(int argc, char **argv)
{
	uint32_t mtu = 0;
	int cmd = LINK_SHOW, i, err;

	if (argc > 0) {
		i = match_keyword(argv[0], commands);
		if (i < 0)
			return usage_error("unknown link command \"%s\"; try \"jumpctl link help\"", argv[0]);
		cmd = command_of[i];
		argc--, argv++;
	}
	if (cmd == LINK_HELP || (argc > 0 && !strcmp(argv[argc - 1], "help"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (cmd == LINK_SHOW) {
		if (argc > 0 && !strcmp(argv[0], "dev"))
			argc--, argv++;
		if (argc > 1)
			return usage_error("unexpected argument \"%s\"", argv[1]);
		if (argc == 1 && check_name(argv[0]))
			return EXIT_USAGE;
		return link_show(argc ? argv[0] : NULL);
	}
	if (argc < 1)
		return usage_error("a device name is required");
	if (check_name(argv[0]))
		return EXIT_USAGE;
	if (cmd == LINK_DEL && argc > 1)
		return usage_error("unexpected argument \"%s\"", argv[1]);
	err = cmd == LINK_ADD ? link_add_args(argc - 1, argv + 1, &mtu) : 0;
	return err ? err : link_change(cmd, argv[0], mtu);
}
