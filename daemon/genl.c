// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "jump_names.h"
#include "log.h"

static struct nla_policy jump_policy[JUMP_A_MAX + 1] = {
	[JUMP_A_IFINDEX] = { .type = NLA_U32 },
	[JUMP_A_IFNAME] = { .type = NLA_STRING },
	[JUMP_A_SESSION_ID] = { .type = NLA_U64 },
	[JUMP_A_ROLE] = { .type = NLA_U8 },
	[JUMP_A_STATE] = { .type = NLA_U8 },
	[JUMP_A_PREV_STATE] = { .type = NLA_U8 },
	[JUMP_A_VERSION] = { .type = NLA_U64 },
	[JUMP_A_REASON] = { .type = NLA_U16 },
	[JUMP_A_EVENT_SEQ] = { .type = NLA_U64 },
	[JUMP_A_BINDING] = { .type = NLA_NESTED },
	[JUMP_A_STATS] = { .type = NLA_NESTED },
	[JUMP_A_STATE_COUNTS] = { .type = NLA_NESTED },
};

struct sync_ctx {
	struct jumpd_nl *nl;
	struct view *view;
	uint32_t ifindex[VIEW_MAX_DEVICES];
	unsigned int ndev;
	bool lost;
};

static int parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, JUMP_A_MAX, jump_policy);
}

/* A session message as the view holds it; -1 if it lacks the essentials. */
static int to_view(struct nlattr **tb, struct view_session *s)
{
	if (!tb[JUMP_A_IFINDEX] || !tb[JUMP_A_SESSION_ID] ||
	    !tb[JUMP_A_VERSION] || !tb[JUMP_A_STATE])
		return -1;
	memset(s, 0, sizeof(*s));
	s->ifindex = nla_get_u32(tb[JUMP_A_IFINDEX]);
	s->id = nla_get_u64(tb[JUMP_A_SESSION_ID]);
	s->version = nla_get_u64(tb[JUMP_A_VERSION]);
	s->state = nla_get_u8(tb[JUMP_A_STATE]);
	if (tb[JUMP_A_ROLE])
		s->role = nla_get_u8(tb[JUMP_A_ROLE]);
	return 0;
}

static int device_cb(struct nl_msg *msg, void *arg)
{
	struct sync_ctx *ctx = arg;
	struct nlattr *tb[JUMP_A_MAX + 1];
	uint32_t ifindex;

	if (parse(msg, tb) || !tb[JUMP_A_IFINDEX] || !tb[JUMP_A_EVENT_SEQ])
		return NL_SKIP;
	ifindex = nla_get_u32(tb[JUMP_A_IFINDEX]);
	if (ctx->nl->only_ifindex && ifindex != ctx->nl->only_ifindex)
		return NL_OK;
	if (ctx->ndev == VIEW_MAX_DEVICES)
		return NL_OK;
	ctx->ifindex[ctx->ndev++] = ifindex;
	/* Events up to here are in the dump that follows. */
	view_set_seq(ctx->view, ifindex, nla_get_u64(tb[JUMP_A_EVENT_SEQ]));
	return NL_OK;
}

static int session_cb(struct nl_msg *msg, void *arg)
{
	struct sync_ctx *ctx = arg;
	struct nlattr *tb[JUMP_A_MAX + 1];
	struct view_session s;

	if (parse(msg, tb) || to_view(tb, &s))
		return NL_SKIP;
	if (view_update(ctx->view, &s) == VIEW_NOMEM)
		log_err("out of memory holding session %016" PRIx64, s.id);
	return NL_OK;
}

static int dump(struct jumpd_nl *nl, uint8_t cmd, uint32_t ifindex,
		nl_recvmsg_msg_cb_t cb, void *arg)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err = -NLE_NOMEM;

	if (!msg)
		return err;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_DUMP, cmd, JUMP_GENL_VERSION))
		goto out;
	if (ifindex && nla_put_u32(msg, JUMP_A_IFINDEX, ifindex) < 0)
		goto out;
	nl_socket_modify_cb(nl->req, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	err = nl_send_auto(nl->req, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(nl->req);
out:
	nlmsg_free(msg);
	return err;
}

int jumpd_nl_sync(struct jumpd_nl *nl, struct view *view)
{
	struct sync_ctx ctx = { .nl = nl, .view = view };
	unsigned int i;
	int err;

	err = dump(nl, JUMP_CMD_DEV_GET, 0, device_cb, &ctx);
	if (err < 0) {
		log_err("cannot list jump devices: %s", nl_geterror(err));
		return -1;
	}
	for (i = 0; i < ctx.ndev; i++) {
		view_forget_device(view, ctx.ifindex[i]);
		err = dump(nl, JUMP_CMD_SESSION_GET, ctx.ifindex[i], session_cb, &ctx);
		if (err < 0) {
			log_err("cannot dump sessions of ifindex %u: %s",
				ctx.ifindex[i], nl_geterror(err));
			return -1;
		}
	}
	log_info("synchronized: %u device(s), %zu session(s)", ctx.ndev, view->count);
	return 0;
}

static void log_event(struct nlattr **tb, const struct view_session *s, bool created)
{
	char ifname[IF_NAMESIZE] = "?";
	uint16_t reason = tb[JUMP_A_REASON] ? nla_get_u16(tb[JUMP_A_REASON]) : 0;

	if_indextoname(s->ifindex, ifname);
	if (created) {
		log_info("session %016" PRIx64 " dev %s: created role %s version %" PRIu64,
			 s->id, ifname, jump_role_name(s->role), s->version);
		return;
	}
	log_info("session %016" PRIx64 " dev %s: %s -> %s (%s) version %" PRIu64,
		 s->id, ifname,
		 tb[JUMP_A_PREV_STATE] ? jump_state_name(nla_get_u8(tb[JUMP_A_PREV_STATE])) : "?",
		 jump_state_name(s->state), jump_reason_name(reason), s->version);
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *genl = nlmsg_data(nlmsg_hdr(msg));
	struct sync_ctx *ctx = arg;
	struct nlattr *tb[JUMP_A_MAX + 1];
	struct view_session s;
	enum view_seq seq;

	if (parse(msg, tb) || to_view(tb, &s) || !tb[JUMP_A_EVENT_SEQ])
		return NL_SKIP;
	if (ctx->nl->only_ifindex && s.ifindex != ctx->nl->only_ifindex)
		return NL_OK;
	seq = view_check_seq(ctx->view, s.ifindex, nla_get_u64(tb[JUMP_A_EVENT_SEQ]));
	if (seq == VIEW_SEQ_GAP) {
		ctx->lost = true;
		return NL_STOP;
	}
	if (view_update(ctx->view, &s) == VIEW_STALE)
		return NL_OK;
	log_event(tb, &s, genl->cmd == JUMP_CMD_SESSION_NEW);
	return NL_OK;
}

int jumpd_nl_read_events(struct jumpd_nl *nl, struct view *view)
{
	struct sync_ctx ctx = { .nl = nl, .view = view };
	int err;

	nl_socket_modify_cb(nl->events, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &ctx);
	err = nl_recvmsgs_default(nl->events);
	if (ctx.lost) {
		log_warn("event sequence gap: events were lost, resynchronizing");
		return 1;
	}
	if (err == -NLE_NOMEM) {
		/* ENOBUFS: the kernel dropped events for us. */
		log_warn("event socket overrun, resynchronizing");
		return 1;
	}
	if (err < 0 && err != -NLE_AGAIN) {
		log_err("reading events: %s", nl_geterror(err));
		return -1;
	}
	return 0;
}

static struct nl_sock *connect_genl(void)
{
	struct nl_sock *sock = nl_socket_alloc();

	if (!sock)
		return NULL;
	if (genl_connect(sock) < 0) {
		nl_socket_free(sock);
		return NULL;
	}
	return sock;
}

int jumpd_nl_open(struct jumpd_nl *nl)
{
	nl->req = connect_genl();
	nl->events = connect_genl();
	if (!nl->req || !nl->events) {
		log_err("cannot open a generic netlink socket: %s", strerror(errno));
		goto err;
	}
	nl->family = genl_ctrl_resolve(nl->req, JUMP_GENL_NAME);
	if (nl->family < 0) {
		log_err("jump module not loaded (family \"%s\" not found)", JUMP_GENL_NAME);
		goto err;
	}
	nl->events_group = genl_ctrl_resolve_grp(nl->req, JUMP_GENL_NAME, JUMP_MCGRP_EVENTS);
	if (nl->events_group < 0) {
		log_err("the jump family has no \"%s\" group", JUMP_MCGRP_EVENTS);
		goto err;
	}
	/* Events are unsolicited: no sequence numbers to check. */
	nl_socket_disable_seq_check(nl->events);
	nl_socket_set_nonblocking(nl->events);
	nl_socket_set_buffer_size(nl->events, 32 << 20, 0);
	if (nl_socket_add_membership(nl->events, nl->events_group) < 0) {
		log_err("cannot join the events group (CAP_NET_ADMIN needed)");
		goto err;
	}
	return 0;
err:
	jumpd_nl_close(nl);
	return -1;
}

void jumpd_nl_close(struct jumpd_nl *nl)
{
	if (nl->req)
		nl_socket_free(nl->req);
	if (nl->events)
		nl_socket_free(nl->events);
	nl->req = nl->events = NULL;
}

int jumpd_nl_events_fd(const struct jumpd_nl *nl)
{
	return nl_socket_get_fd(nl->events);
}
