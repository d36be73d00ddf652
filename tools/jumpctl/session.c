// SPDX-License-Identifier: GPL-2.0
/* jumpctl session: add, show, set and del sessions of a jump device. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "jump_names.h"
#include "jumpctl.h"
#include "msg.h"
#include "nl.h"
#include "output.h"
#include "session.h"

/* Order is priority for abbreviations: "s" is show, "se" set. */
static const char *const commands[] = {
	"show", "list", "set", "add", "del", "delete", "help", NULL,
};
static const enum session_cmd command_of[] = {
	SESSION_SHOW, SESSION_SHOW, SESSION_SET, SESSION_ADD, SESSION_DEL,
	SESSION_DEL, SESSION_HELP,
};

/*
 * Abbreviations are matched among the keywords the command takes, in this
 * order, which is also their order in the usage: in "set", "r" is reason.
 */
enum { KW_DEV, KW_ID, KW_ROLE, KW_PEER, KW_VERSION, KW_STATE, KW_REASON,
       KW_LOCAL, KW_REMOTE };
static const char *const keywords[] = {
	"dev", "id", "role", "peer", "version", "state", "reason", "local",
	"remote", NULL,
};
#define KW(k) (1U << KW_##k)
static const unsigned int allowed[] = {
	[SESSION_SHOW] = KW(DEV) | KW(ID),
	[SESSION_SET] = KW(DEV) | KW(ID) | KW(VERSION) | KW(STATE) |
			KW(REASON) | KW(LOCAL) | KW(REMOTE),
	[SESSION_ADD] = KW(DEV) | KW(ROLE) | KW(PEER) | KW(ID),
	[SESSION_DEL] = KW(DEV) | KW(ID) | KW(VERSION) | KW(REASON),
	[SESSION_HELP] = 0,
};

static const char *const cmd_names[] = {
	[SESSION_SHOW] = "show", [SESSION_SET] = "set", [SESSION_ADD] = "add",
	[SESSION_DEL] = "del", [SESSION_HELP] = "help",
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl session add dev NAME role { client | server } peer PUBKEY [ id ID ]\n"
		"       jumpctl session show dev NAME [ id ID ]\n"
		"       jumpctl session set dev NAME id ID version VERSION state STATE\n"
		"                           reason REASON [ local ADDR:PORT remote ADDR:PORT ]\n"
		"       jumpctl session del dev NAME id ID version VERSION [ reason REASON ]\n"
		"       jumpctl session help\n"
		"ID is up to 16 hex digits (0x optional), printed as 16; a client session\n"
		"takes the id its server gave, a server session's id comes from the kernel.\n"
		"PUBKEY is base64 of 32 bytes, as wg(8) prints it. VERSION is the version\n"
		"last seen (compare-and-swap). ADDR:PORT is 192.0.2.1:51820 or\n"
		"[2001:db8::1]:51820; local and remote are one family, and are given for\n"
		"birth -> attached and recovering -> attached only.\n"
		"STATE := { birth | attached | volatile | degraded | recovering | terminated }\n"
		"REASON := a reason of Documentation/state-machine.rst, e.g. handshake_complete\n"
		"Keywords may be abbreviated (\"r\" is the first of role, reason, remote that\n"
		"the command takes); values may not.\n");
}

static int bad_value(const char *what, const char *val, const char *hint)
{
	return usage_error("invalid %s \"%s\" (%s)", what, val, hint);
}

static int parse_value(int kw, const char *val, struct session_args *a)
{
	switch (kw) {
	case KW_DEV:
		a->dev = val;
		return valid_ifname(val) ? 0 :
		       bad_value("device name", val, "1 to 15 characters");
	case KW_ID:
		a->has_id = true;
		return parse_session_id(val, &a->id) ?
		       bad_value("session id", val, "up to 16 hex digits") : 0;
	case KW_ROLE:
		a->role = jump_role_parse(val);
		return a->role < 0 ?
		       bad_value("role", val, "client or server") : 0;
	case KW_PEER:
		a->has_peer = true;
		return parse_pubkey(val, a->peer) ?
		       bad_value("public key", val, "base64 of 32 bytes") : 0;
	case KW_VERSION:
		a->has_version = true;
		return parse_u64(val, &a->version) ?
		       bad_value("version", val, "a decimal 64-bit number") : 0;
	case KW_STATE:
		a->state = jump_state_parse(val);
		return a->state < 0 ? bad_value("state", val,
			"try \"jumpctl session help\"") : 0;
	case KW_REASON:
		a->reason = jump_reason_parse(val);
		return a->reason < 0 ? bad_value("reason", val,
			"see Documentation/state-machine.rst") : 0;
	case KW_LOCAL:
		a->has_local = true;
		return parse_endpoint(val, &a->local) ? bad_value("local address",
			val, "ADDR:PORT or [ADDR6]:PORT") : 0;
	default:
		a->has_remote = true;
		return parse_endpoint(val, &a->remote) ? bad_value("remote address",
			val, "ADDR:PORT or [ADDR6]:PORT") : 0;
	}
}

/* What each command cannot do without. */
static const unsigned int required[] = {
	[SESSION_SHOW] = KW(DEV),
	[SESSION_SET] = KW(DEV) | KW(ID) | KW(VERSION) | KW(STATE) | KW(REASON),
	[SESSION_ADD] = KW(DEV) | KW(ROLE) | KW(PEER),
	[SESSION_DEL] = KW(DEV) | KW(ID) | KW(VERSION),
	[SESSION_HELP] = 0,
};

/* Names the first keyword missing, in the order of the usage. */
static int check_required(const struct session_args *a, unsigned int seen)
{
	unsigned int missing = required[a->cmd] & ~seen;
	int kw;

	if (missing) {
		kw = __builtin_ctz(missing);
		return usage_error("\"session %s\" needs \"%s\"; try \"jumpctl session help\"",
				   cmd_names[a->cmd], keywords[kw]);
	}
	if (a->has_local != a->has_remote)
		return usage_error("a binding needs both \"local\" and \"remote\"");
	return 0;
}

int session_parse(int argc, char **argv, struct session_args *a)
{
	unsigned int seen = 0;
	int i, kw, err;

	memset(a, 0, sizeof(*a));
	a->role = a->state = a->reason = -1;
	a->cmd = SESSION_SHOW;
	if (argc > 0) {
		i = match_keyword(argv[0], commands);
		if (i < 0)
			return usage_error("unknown session command \"%s\"; try \"jumpctl session help\"",
					   argv[0]);
		a->cmd = command_of[i];
		argc--, argv++;
	}
	if (a->cmd == SESSION_HELP)
		return 0;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "help")) {
			a->cmd = SESSION_HELP;
			return 0;
		}
		kw = match_keyword_mask(argv[0], keywords, allowed[a->cmd]);
		if (kw < 0)
			return usage_error("unexpected \"%s\" in \"session %s\"; try \"jumpctl session help\"",
					   argv[0], cmd_names[a->cmd]);
		if (seen & 1U << kw)
			return usage_error("\"%s\" given twice", keywords[kw]);
		seen |= 1U << kw;
		if (argc < 2)
			return usage_error("\"%s\" needs a value", keywords[kw]);
		err = parse_value(kw, argv[1], a);
		if (err)
			return err;
	}
	return check_required(a, seen);
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

static const uint8_t genl_cmd[] = {
	[SESSION_SHOW] = JUMP_CMD_SESSION_GET,
	[SESSION_SET] = JUMP_CMD_SESSION_SET,
	[SESSION_ADD] = JUMP_CMD_SESSION_NEW,
	[SESSION_DEL] = JUMP_CMD_SESSION_DEL,
};

/*
 * Only what was given: the kernel's policy is strict and its messages say
 * what is missing or refused better than we could guess (client id
 * required, server id forbidden, binding for this transition or not).
 */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a)
{
	bool dump = a->cmd == SESSION_SHOW && !a->has_id;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = genl_request(buf, family, genl_cmd[a->cmd],
			   dump ? NLM_F_DUMP : NLM_F_ACK);
	/* By name: the kernel resolves it in our netns in the same step. */
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
	if (a->has_local && a->has_remote) {
		nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);
		put_endpoint(nlh, &a->local, JUMP_BIND_A_LOCAL_IPV4,
			     JUMP_BIND_A_LOCAL_IPV6, JUMP_BIND_A_LOCAL_PORT);
		put_endpoint(nlh, &a->remote, JUMP_BIND_A_REMOTE_IPV4,
			     JUMP_BIND_A_REMOTE_IPV6, JUMP_BIND_A_REMOTE_PORT);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

struct show {
	struct listing out;
	const char *dev;
};

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show *show = data;
	struct session_msg s;

	if (parse_session_msg(nlh, &s) == 0)
		listing_session(&show->out, &s, show->dev);
	return MNL_CB_OK;
}

int do_session(int argc, char **argv)
{
	struct session_args a;
	struct nlmsghdr *nlh;
	struct show show;
	struct nl *nl;
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
	nlh = session_request(nl->buf, nl->family, &a);
	/* Replies name the device by index; the name is the one we sent. */
	show.dev = a.dev;
	listing_init(&show.out, stdout);
	err = nl_talk(nl, nlh, session_cb, &show);
	/* del answers with a bare ack: nothing to print, not even []. */
	if (a.cmd != SESSION_DEL)
		listing_end(&show.out, !err);
	return err ? nl_report(nl, err) : EXIT_OK;
}
