// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <linux/jump.h>

#include "jumpctl.h"
#include "nl.h"

struct talk {
	struct nl *nl;
	nl_msg_cb cb;
	void *data;
};

static int open_socket(struct nl *nl, int bus)
{
	int one = 1;

	/* Not the buffer: 32 KiB of zeroes per command of a batch. */
	memset(nl, 0, offsetof(struct nl, buf));
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "Error: cannot open a netlink socket: %s.\n",
			strerror(errno));
		if (nl->sock)
			mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return EXIT_KERNEL;
	}
	/*
	 * Ask for the kernel's own words on every error, and acks without
	 * our request echoed back. Kernels without them still work, with
	 * strerror() for a message: failures are not fatal.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return EXIT_OK;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static void copy_extack(struct nl *nl, const struct nlmsghdr *nlh,
			unsigned int offset)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(attr, nlh, offset) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
				 mnl_attr_get_str(attr));
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct talk *t = data;
	unsigned int offset = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!err->error)
		return MNL_CB_STOP;
	/* mnl_attr_for_each() counts the offset from the payload. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	copy_extack(t->nl, nlh, offset);
	errno = -err->error;
	return MNL_CB_ERROR;
}

/* A dump that fails ends in NLMSG_DONE carrying the error and its extack. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	copy_extack(t->nl, nlh, sizeof(int));
	errno = -err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb cb, void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int ret;

	nl->errmsg[0] = '\0';
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, &t,
				  ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -(errno ? errno : EIO) : 0;
}

int nl_report(const struct nl *nl, int err)
{
	if (nl->errmsg[0])
		fprintf(stderr, "Error: %s.\n", nl->errmsg);
	else
		fprintf(stderr, "Error: %s.\n", strerror(-err));
	return EXIT_KERNEL;
}

int nl_open_rtnl(struct nl *nl)
{
	return open_socket(nl, NETLINK_ROUTE);
}

struct family_info {
	uint16_t id;
	uint32_t group;
};

static int group_cb(const struct nlattr *nest, struct family_info *fi)
{
	const struct nlattr *grp, *attr;

	mnl_attr_for_each_nested(grp, nest) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(attr, grp) {
			if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME &&
			    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
				name = mnl_attr_get_str(attr);
			if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
			    !mnl_attr_validate(attr, MNL_TYPE_U32))
				id = mnl_attr_get_u32(attr);
		}
		if (name && !strcmp(name, JUMP_MCGRP_EVENTS))
			fi->group = id;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    !mnl_attr_validate(attr, MNL_TYPE_U16))
			fi->id = mnl_attr_get_u16(attr);
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GROUPS)
			group_cb(attr, fi);
	}
	return MNL_CB_OK;
}

/* Resolving the family by name also autoloads jump.ko. */
int nl_open_genl(struct nl *nl)
{
	struct family_info fi = { 0 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int err;

	err = open_socket(nl, NETLINK_GENERIC);
	if (err)
		return err;
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, JUMP_GENL_NAME);
	err = nl_talk(nl, nlh, family_cb, &fi);
	if (err == -ENOENT || (!err && !fi.id)) {
		fprintf(stderr, "Error: jump module not loaded (family \"%s\" not found).\n",
			JUMP_GENL_NAME);
		nl_close(nl);
		return EXIT_KERNEL;
	}
	if (err) {
		err = nl_report(nl, err);
		nl_close(nl);
		return err;
	}
	nl->family = fi.id;
	nl->events_group = fi.group;
	return EXIT_OK;
}

static struct nl genl_nl;

int genl_socket(struct nl **nl)
{
	int err = EXIT_OK;

	if (!genl_nl.sock)
		err = nl_open_genl(&genl_nl);
	*nl = &genl_nl;
	return err;
}

void genl_socket_close(void)
{
	nl_close(&genl_nl);
}

struct nlmsghdr *genl_request(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = JUMP_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *nl_genl_request(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	return genl_request(nl->buf, nl->family, cmd, flags);
}

struct nlmsghdr *nl_dev_get_request(struct nl *nl, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = nl_genl_request(nl, JUMP_CMD_DEV_GET, name ? NLM_F_ACK : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, JUMP_A_IFNAME, name);
	return nlh;
}

int nl_join_events(struct nl *nl)
{
	int group = nl->events_group, rcvbuf = 32 << 20;

	if (!group) {
		fprintf(stderr, "Error: the jump family has no \"%s\" group.\n",
			JUMP_MCGRP_EVENTS);
		return EXIT_KERNEL;
	}
	/*
	 * A deep queue: deleting a device sends one event per session in a
	 * burst. SO_RCVBUF is capped by rmem_max; FORCE (CAP_NET_ADMIN, which
	 * joining the group needs anyway) is not.
	 */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0) {
		fprintf(stderr, "Error: cannot join the events group: %s.\n",
			strerror(errno));
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

int nl_recv(struct nl *nl, nl_msg_cb cb, void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };
	ssize_t n;
	int ret;

	n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
	if (n < 0)
		return -errno;
	/* Sequence 0 and port 0: multicast messages are nobody's answer. */
	ret = mnl_cb_run2(nl->buf, n, 0, 0, data_cb, &t, ctl_cbs,
			  NLMSG_MIN_TYPE);
	return ret < 0 ? -(errno ? errno : EIO) : 0;
}
