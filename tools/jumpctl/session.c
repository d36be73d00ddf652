// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jumpctl.h"
#include "jump_names.h"
#include "msg.h"
#include "nl.h"
#include "session.h"

/* Order is priority for abbreviations, as in ip(8): "s" is show. */
static const char *const commands[] = {
	[SESSION_SHOW] = "show", [SESSION_SET] = "set", [SESSION_ADD] = "add",
	[SESSION_DEL] = "del", [SESSION_HELP] = "help", NULL,
};

enum { KW_DEV, KW_ID, KW_ROLE, KW_PEER, KW_VERSION, KW_STATE, KW_REASON,
       KW_LOCAL, KW_REMOTE };
static const char *const keywords[] = {
	"dev", "id", "role", "peer", "version", "state", "reason", "local",
	"remote", NULL,
};

/* Which keywords each command takes. */
static const unsigned int allowed[] = {
	[SESSION_SHOW] = 1 << KW_DEV | 1 << KW_ID,
	[SESSION_SET] = 1 << KW_DEV | 1 << KW_ID | 1 << KW_VERSION | 1 << KW_STATE |
			1 << KW_REASON | 1 << KW_LOCAL | 1 << KW_REMOTE,
	[SESSION_ADD] = 1 << KW_DEV | 1 << KW_ROLE | 1 << KW_PEER | 1 << KW_ID,
	[SESSION_DEL] = 1 << KW_DEV | 1 << KW_ID | 1 << KW_VERSION | 1 << KW_REASON,
	[SESSION_HELP] = 0,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl session add dev NAME role { client | server } peer PUBKEY [ id ID ]\n"
		"       jumpctl session show dev NAME [ id ID ]\n"
		"       jumpctl session set dev NAME id ID version VERSION state STATE reason REASON\n"
		"                           [ local ADDR:PORT remote ADDR:PORT ]\n"
		"       jumpctl session del dev NAME id ID version VERSION [ reason REASON ]\n"
		"       jumpctl session help\n"
		"ID is 16 hex digits; PUBKEY is base64 (as wg(8) prints it); ADDR:PORT is\n"
		"1.2.3.4:51820 or [2001:db8::1]:51820. STATE and REASON are the names of\n"
		"Documentation/state-machine.rst, e.g. attached, handshake_complete.\n");
}

static int parse_value(int kw, const char *val, struct session_args *a)
{
	switch (kw) {
	case KW_DEV:
		a->dev = val;
		return 0;
	case KW_ID:
		a->has_id = true;
		return parse_session_id(val, &a->id) ?
		       usage_error("invalid session id \"%s\" (expected up to 16 hex digits)", val) : 0;
	case KW_ROLE:
		a->role = jump_role_parse(val);
		return a->role < 0 ? usage_error("invalid role \"%s\" (client or server)", val) : 0;
	case KW_PEER:
		a->has_peer = true;
		return parse_pubkey(val, a->peer) ?
		       usage_error("invalid public key \"%s\" (base64 of 32 bytes)", val) : 0;
	case KW_VERSION:
		a->has_version = true;
		return parse_u64(val, &a->version) ?
		       usage_error("invalid version \"%s\"", val) : 0;
	case KW_STATE:
		a->state = jump_state_parse(val);
		return a->state < 0 ? usage_error("unknown state \"%s\"", val) : 0;
	case KW_REASON:
		a->reason = jump_reason_parse(val);
		return a->reason < 0 ? usage_error("unknown reason \"%s\"", val) : 0;
	case KW_LOCAL:
		a->has_local = true;
		return parse_endpoint(val, &a->local) ?
		       usage_error("invalid local address \"%s\" (ADDR:PORT)", val) : 0;
	default:
		a->has_remote = true;
		return parse_endpoint(val, &a->remote) ?
		       usage_error("invalid remote address \"%s\" (ADDR:PORT)", val) : 0;
	}
}

static int check_required(const struct session_args *a)
{
	if (!a->dev)
		return usage_error("\"dev NAME\" is required");
	switch (a->cmd) {
	case SESSION_ADD:
		if (a->role < 0 || !a->has_peer)
			return usage_error("\"role\" and \"peer\" are required");
		break;
	case SESSION_SET:
		if (!a->has_id || !a->has_version || a->state < 0 || a->reason < 0)
			return usage_error("\"id\", \"version\", \"state\" and \"reason\" are required");
		if (a->has_local != a->has_remote)
			return usage_error("a binding needs both \"local\" and \"remote\"");
		break;
	case SESSION_DEL:
		if (!a->has_id || !a->has_version)
			return usage_error("\"id\" and \"version\" are required");
		break;
	default:
		break;
	}
	return 0;
}

int session_parse(int argc, char **argv, struct session_args *a)
{
	unsigned int seen = 0;
	int cmd, kw, err;

	memset(a, 0, sizeof(*a));
	a->role = a->state = a->reason = -1;
	a->cmd = SESSION_SHOW;
	if (argc > 0) {
		cmd = match_keyword(argv[0], commands);
		if (cmd < 0)
			return usage_error("unknown session command \"%s\"; try \"jumpctl session help\"", argv[0]);
		a->cmd = cmd;
		argc--, argv++;
	}
	if (a->cmd == SESSION_HELP)
		return 0;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			a->cmd = SESSION_HELP;
			return 0;
		}
		kw = match_keyword(argv[0], keywords);
		if (kw < 0 || !(allowed[a->cmd] & 1U << kw))
			return usage_error("unexpected argument \"%s\" for \"session %s\"; try \"jumpctl session help\"",
					   argv[0], commands[a->cmd]);
		if (seen & 1U << kw)
			return usage_error("\"%s\" given twice", keywords[kw]);
		seen |= 1U << kw;
		if (argc < 2)
			return usage_error("\"%s\" needs a value", keywords[kw]);
		err = parse_value(kw, argv[1], a);
		if (err)
			return err;
	}
	return check_required(a);
}

static void put_endpoint(struct nlmsghdr *nlh, const struct endpoint *ep,
			 int v4, int v6, int port)
{
	if (ep->family == AF_INET)
		mnl_attr_put(nlh, v4, sizeof(ep->addr.v4), &ep->addr.v4);
	else
		mnl_attr_put(nlh, v6, sizeof(ep->addr.v6), &ep->addr.v6);
	mnl_attr_put_u16(nlh, port, htons(ep->port));
}

static void put_request(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, a->dev);
	if (a->has_id)
		mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, a->id);
	if (a->role >= 0)
		mnl_attr_put_u8(nlh, JUMP_A_ROLE, a->role);
	if (a->has_peer)
		mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, a->peer);
	if (a->has_version)
		mnl_attr_put_u64(nlh, JUMP_A_VERSION, a->version);
	if (a->state >= 0)
		mnl_attr_put_u8(nlh, JUMP_A_STATE, a->state);
	if (a->reason >= 0)
		mnl_attr_put_u16(nlh, JUMP_A_REASON, a->reason);
	if (a->has_local) {
		nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);
		put_endpoint(nlh, &a->local, JUMP_BIND_A_LOCAL_IPV4,
			     JUMP_BIND_A_LOCAL_IPV6, JUMP_BIND_A_LOCAL_PORT);
		put_endpoint(nlh, &a->remote, JUMP_BIND_A_REMOTE_IPV4,
			     JUMP_BIND_A_REMOTE_IPV6, JUMP_BIND_A_REMOTE_PORT);
		mnl_attr_nest_end(nlh, nest);
	}
}

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	struct session_msg s;

	if (parse_session_msg(nlh, &s) == 0)
		print_session(data, &s);
	return MNL_CB_OK;
}

static const uint8_t request_cmd[] = {
	[SESSION_SHOW] = JUMP_CMD_SESSION_GET, [SESSION_SET] = JUMP_CMD_SESSION_SET,
	[SESSION_ADD] = JUMP_CMD_SESSION_NEW, [SESSION_DEL] = JUMP_CMD_SESSION_DEL,
};

int do_session(int argc, char **argv)
{
	struct session_args a;
	struct nlmsghdr *nlh;
	struct json j;
	struct nl *nl;
	bool dump;
	int err;

	err = session_parse(argc, argv, &a);
	if (err)
		return err;
	if (a.cmd == SESSION_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	err = genl_socket(&nl);
	if (err)
		return err;
	dump = a.cmd == SESSION_SHOW && !a.has_id;
	nlh = nl_genl_request(nl, request_cmd[a.cmd], dump ? NLM_F_DUMP : NLM_F_ACK);
	put_request(nlh, &a);

	json_init(&j, stdout, opt.pretty);
	if (opt.json && a.cmd != SESSION_DEL)
		json_open(&j, '[');
	err = nl_talk(nl, nlh, session_cb, &j);
	if (opt.json && a.cmd != SESSION_DEL) {
		json_close(&j, ']');
		putchar('\n');
	}
	return err ? nl_report(nl, err) : EXIT_OK;
}
