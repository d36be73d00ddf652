// SPDX-License-Identifier: GPL-2.0
/* jumpctl session: add, show, set, del, terminate and reattach sessions. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "jump_names.h"
#include "jumpctl.h"
#include "msg.h"
#include "nl.h"
#include "output.h"
#include "session.h"

_Static_assert(SESSION_REQUEST_MAX <= NL_BUF_SIZE,
	       "the largest session request must fit the netlink buffer");

/* Order is priority for abbreviations: "s" is show, "se" set. */
static const char *const commands[] = {
	"show", "list", "set", "add", "del", "delete", "terminate", "reattach",
	"key", "help", NULL,
};
enum { CMD_KEY = 8 };
static const enum session_cmd command_of[] = {
	SESSION_SHOW, SESSION_SHOW, SESSION_SET, SESSION_ADD, SESSION_DEL,
	SESSION_DEL, SESSION_TERMINATE, SESSION_REATTACH,
	SESSION_HELP /* key: see key_commands */, SESSION_HELP,
};
static const char *const key_commands[] = {
	"add", "swap", "del", "delete", "help", NULL,
};
static const enum session_cmd key_command_of[] = {
	SESSION_KEY_ADD, SESSION_KEY_SWAP, SESSION_KEY_DEL, SESSION_KEY_DEL,
	SESSION_HELP,
};

/*
 * Abbreviations are matched among the keywords the command takes, in this
 * order, which is also their order in the usage: in "set", "r" is reason.
 */
enum { KW_DEV, KW_ID, KW_ROLE, KW_PEER, KW_VERSION, KW_STATE, KW_REASON,
       KW_LOCAL, KW_REMOTE, KW_EPOCH, KW_SOCK_FD, KW_REMOTE_INDEX,
       KW_ALLOWED_IPS, KW_KEEPALIVE, KW_VOLATILE, KW_DEGRADED, KW_SLOT,
       KW_KEY_ID, KW_TX_KEY, KW_RX_KEY };
static const char *const keywords[] = {
	"dev", "id", "role", "peer", "version", "state", "reason", "local",
	"remote", "epoch", "sock-fd", "remote-index", "allowed-ips",
	"keepalive", "volatile", "degraded", "slot", "key-id", "tx-key",
	"rx-key", NULL,
};
#define KW(k) (1U << KW_##k)
/* "set" is a transition or a settings change: never both at once. */
#define KW_TRANSITION (KW(VERSION) | KW(STATE) | KW(REASON) | KW(LOCAL) | \
		       KW(REMOTE) | KW(EPOCH) | KW(SOCK_FD))
#define KW_SETTINGS (KW(REMOTE_INDEX) | KW(ALLOWED_IPS) | KW(KEEPALIVE) | \
		     KW(VOLATILE) | KW(DEGRADED))
static const unsigned int allowed[] = {
	[SESSION_SHOW] = KW(DEV) | KW(ID) | KW(STATE) | KW(PEER),
	[SESSION_SET] = KW(DEV) | KW(ID) | KW_TRANSITION | KW_SETTINGS,
	[SESSION_ADD] = KW(DEV) | KW(ROLE) | KW(PEER) | KW(ID),
	[SESSION_DEL] = KW(DEV) | KW(ID) | KW(VERSION) | KW(REASON),
	[SESSION_KEY_ADD] = KW(DEV) | KW(ID) | KW(SLOT) | KW(KEY_ID) |
			    KW(TX_KEY) | KW(RX_KEY),
	[SESSION_KEY_SWAP] = KW(DEV) | KW(ID),
	[SESSION_KEY_DEL] = KW(DEV) | KW(ID) | KW(SLOT),
	[SESSION_TERMINATE] = KW(DEV) | KW(ID) | KW(REASON),
	[SESSION_REATTACH] = KW(DEV) | KW(ID),
	[SESSION_HELP] = 0,
};

static const char *const cmd_names[] = {
	[SESSION_SHOW] = "show", [SESSION_SET] = "set", [SESSION_ADD] = "add",
	[SESSION_DEL] = "del", [SESSION_KEY_ADD] = "key add",
	[SESSION_KEY_SWAP] = "key swap", [SESSION_KEY_DEL] = "key del",
	[SESSION_TERMINATE] = "terminate", [SESSION_REATTACH] = "reattach",
	[SESSION_HELP] = "help",
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl session add dev NAME role { client | server } peer PUBKEY [ id ID ]\n"
		"       jumpctl session show [ dev NAME ] [ id ID ] [ state STATE ] [ peer PUBKEY ]\n"
		"       jumpctl session set dev NAME id ID version VERSION state STATE\n"
		"                           reason REASON [ local ADDR:PORT remote ADDR:PORT\n"
		"                           [ epoch EPOCH ] [ sock-fd FD ] ]\n"
		"       jumpctl session set dev NAME id ID [ remote-index INDEX ]\n"
		"                           [ allowed-ips { PREFIX[,PREFIX...] | none } ]\n"
		"                           [ keepalive MS ] [ volatile MS ] [ degraded MS ]\n"
		"       jumpctl session del dev NAME id ID version VERSION [ reason REASON ]\n"
		"       jumpctl session terminate dev NAME id ID [ reason REASON ]\n"
		"       jumpctl session reattach dev NAME id ID\n"
		"       jumpctl session key add dev NAME id ID slot SLOT key-id KEYID\n"
		"                               tx-key KEY rx-key KEY\n"
		"       jumpctl session key swap dev NAME id ID\n"
		"       jumpctl session key del dev NAME id ID slot SLOT\n"
		"       jumpctl session help\n"
		"ID is up to 16 hex digits (0x optional), printed as 16; a client session\n"
		"takes the id its server gave, a server session's id comes from the kernel.\n"
		"PUBKEY is base64 of 32 bytes, as wg(8) prints it. VERSION is the version\n"
		"last seen (compare-and-swap). ADDR:PORT is 192.0.2.1:51820 or\n"
		"[2001:db8::1]:51820; local and remote are one family, and are given for\n"
		"birth -> attached and recovering -> attached only. EPOCH must exceed\n"
		"every earlier one (default: the last plus one). Without sock-fd, jumpctl\n"
		"binds a UDP socket to the local address and hands it to the kernel; if\n"
		"the address is in use, the kernel reuses the device's socket for it.\n"
		"sock-fd FD hands over an inherited UDP socket instead.\n"
		"show without dev lists every jump device of the namespace; state and\n"
		"peer list only the sessions in that state, or of that peer.\n"
		"terminate is del without a version: it reads the session's version and\n"
		"deletes on it, reading once more if it moved in between (default reason\n"
		"admin_terminate). reattach moves a client session from attached, volatile\n"
		"or degraded to recovering, reason admin_reattach (read and retried the\n"
		"same way); the client's jumpd then reattaches it to its best usable\n"
		"uplink, the old binding carrying traffic until the new one commits.\n"
		"A server session is refused: only a client reattaches.\n"
		"A set with any of remote-index, allowed-ips, keepalive, volatile,\n"
		"degraded changes settings, not the state: it takes no version, state,\n"
		"reason or binding. PREFIX is 10.0.0.0/24 or fd00::/64 (host bits clear;\n"
		"no length means one address); the list replaces the session's, none\n"
		"empties it (at most %d). MS is milliseconds, %d to %d.\n"
		"SLOT := { primary | secondary }; KEYID is 0 to 255; KEY is base64 of\n"
		"%d bytes (tx-key encrypts what we send, rx-key what we receive).\n"
		"STATE := { birth | attached | volatile | degraded | recovering | terminated }\n"
		"REASON := a reason of Documentation/state-machine.rst, e.g. handshake_complete\n"
		"Keywords may be abbreviated (\"r\" is the first of role, reason, remote that\n"
		"the command takes); values may not.\n",
		JUMP_MAX_PREFIXES, JUMP_MIN_LIVENESS_MS, JUMP_MAX_LIVENESS_MS,
		JUMP_KEY_LEN);
}

static int bad_value(const char *what, const char *val, const char *hint)
{
	return usage_error("invalid %s \"%s\" (%s)", what, val, hint);
}

static int parse_ms(const char *what, const char *val, uint32_t *ms,
		    unsigned int *liveness, unsigned int bit)
{
	*liveness |= bit;
	if (parse_u32(val, ms) || *ms < JUMP_MIN_LIVENESS_MS ||
	    *ms > JUMP_MAX_LIVENESS_MS)
		return usage_error("invalid %s \"%s\" (milliseconds, %d to %d)",
				   what, val, JUMP_MIN_LIVENESS_MS,
				   JUMP_MAX_LIVENESS_MS);
	return 0;
}

/* One PREFIX of a list, @len bytes at @s. */
static int parse_list_item(const char *s, size_t len, struct prefix *p)
{
	char item[PREFIX_LEN];
	int err;

	if (len >= sizeof(item))
		return usage_error("invalid prefix \"%.*s\" (too long)",
				   (int)(len > 64 ? 64 : len), s);
	memcpy(item, s, len);
	item[len] = '\0';
	err = parse_prefix(item, p);
	if (err == PREFIX_HOST_BITS)
		return bad_value("prefix", item, "host bits are set");
	if (err)
		return bad_value("prefix", item,
				 "ADDR[/LEN], e.g. 10.0.0.0/24 or fd00::/64");
	return 0;
}

/* "none", or PREFIX[,PREFIX...]: no empty item, at most JUMP_MAX_PREFIXES. */
static int parse_prefix_list(const char *val, struct session_args *a)
{
	const char *s = val, *comma;
	int err;

	a->has_prefixes = true;
	a->nprefixes = 0;
	if (!strcmp(val, "none"))
		return 0;
	for (;;) {
		comma = strchr(s, ',');
		if (a->nprefixes == JUMP_MAX_PREFIXES)
			return usage_error("too many prefixes in \"allowed-ips\" (at most %d)",
					   JUMP_MAX_PREFIXES);
		err = parse_list_item(s, comma ? (size_t)(comma - s) : strlen(s),
				      &a->prefixes[a->nprefixes]);
		if (err)
			return err;
		a->nprefixes++;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

/* Key material is never echoed back. */
static int parse_key_value(const char *what, char *val, uint8_t *key,
			   bool *has, char **word)
{
	*has = true;
	*word = val;
	if (parse_base64(val, key, JUMP_KEY_LEN))
		return usage_error("invalid %s (base64 of %d bytes; not shown)",
				   what, JUMP_KEY_LEN);
	return 0;
}

static int parse_value(int kw, char *val, struct session_args *a)
{
	uint32_t v;

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
	case KW_REMOTE:
		a->has_remote = true;
		return parse_endpoint(val, &a->remote) ? bad_value("remote address",
			val, "ADDR:PORT or [ADDR6]:PORT") : 0;
	case KW_EPOCH:
		a->has_epoch = true;
		return parse_u32(val, &a->epoch) ?
		       bad_value("epoch", val, "a decimal 32-bit number") : 0;
	case KW_SOCK_FD:
		if (parse_u32(val, &v) || v > INT32_MAX)
			return bad_value("socket fd", val, "a file descriptor number");
		a->sock_fd = v;
		return 0;
	case KW_REMOTE_INDEX:
		a->has_remote_index = true;
		return parse_u32(val, &a->remote_index) ?
		       bad_value("remote index", val, "a decimal 32-bit number") : 0;
	case KW_ALLOWED_IPS:
		return parse_prefix_list(val, a);
	case KW_KEEPALIVE:
		return parse_ms("keepalive", val, &a->keepalive_ms,
				&a->liveness, LIVE_KEEPALIVE);
	case KW_VOLATILE:
		return parse_ms("volatile", val, &a->volatile_ms,
				&a->liveness, LIVE_VOLATILE);
	case KW_DEGRADED:
		return parse_ms("degraded", val, &a->degraded_ms,
				&a->liveness, LIVE_DEGRADED);
	case KW_SLOT:
		a->slot = jump_key_slot_parse(val);
		return a->slot < 0 ?
		       bad_value("slot", val, "primary or secondary") : 0;
	case KW_KEY_ID:
		a->has_key_id = true;
		if (parse_u32(val, &v) || v > UINT8_MAX)
			return bad_value("key id", val, "0 to 255");
		a->key_id = v;
		return 0;
	case KW_TX_KEY:
		return parse_key_value("tx-key", val, a->tx, &a->has_tx,
				       &a->key_words[0]);
	default:
		return parse_key_value("rx-key", val, a->rx, &a->has_rx,
				       &a->key_words[1]);
	}
}

/* What each command cannot do without. */
static const unsigned int required[] = {
	[SESSION_SHOW] = 0,
	[SESSION_SET] = KW(DEV) | KW(ID) | KW(VERSION) | KW(STATE) | KW(REASON),
	[SESSION_ADD] = KW(DEV) | KW(ROLE) | KW(PEER),
	[SESSION_DEL] = KW(DEV) | KW(ID) | KW(VERSION),
	[SESSION_KEY_ADD] = KW(DEV) | KW(ID) | KW(SLOT) | KW(KEY_ID) |
			    KW(TX_KEY) | KW(RX_KEY),
	[SESSION_KEY_SWAP] = KW(DEV) | KW(ID),
	[SESSION_KEY_DEL] = KW(DEV) | KW(ID) | KW(SLOT),
	[SESSION_TERMINATE] = KW(DEV) | KW(ID),
	[SESSION_REATTACH] = KW(DEV) | KW(ID),
	[SESSION_HELP] = 0,
};

/* Names the first keyword missing, in the order of the usage. */
static int check_required(struct session_args *a, unsigned int seen)
{
	unsigned int need = required[a->cmd], missing;
	int kw;

	if (a->cmd == SESSION_SET && (seen & KW_SETTINGS)) {
		if (seen & KW_TRANSITION)
			return usage_error("a transition and a settings change are separate commands; try \"jumpctl session help\"");
		a->settings = true;
		need = KW(DEV) | KW(ID);
	}
	missing = need & ~seen;
	if (missing) {
		kw = __builtin_ctz(missing);
		return usage_error("\"session %s\" needs \"%s\"; try \"jumpctl session help\"",
				   cmd_names[a->cmd], keywords[kw]);
	}
	if (a->has_local != a->has_remote)
		return usage_error("a binding needs both \"local\" and \"remote\"");
	if ((seen & (KW(EPOCH) | KW(SOCK_FD))) && !a->has_local)
		return usage_error("\"%s\" needs a binding (\"local\" and \"remote\")",
				   seen & KW(EPOCH) ? "epoch" : "sock-fd");
	/* The one transition an administrator asks a client's jumpd for. */
	if (a->cmd == SESSION_REATTACH) {
		a->state = JUMP_STATE_RECOVERING;
		a->reason = JUMP_REASON_ADMIN_REATTACH;
	}
	return 0;
}

/* "session key COMMAND": the command, or a usage error. */
static int parse_key_command(int argc, char **argv, struct session_args *a)
{
	int i;

	if (argc < 1)
		return usage_error("\"session key\" needs add, swap or del; try \"jumpctl session help\"");
	i = match_keyword(argv[0], key_commands);
	if (i < 0)
		return usage_error("unknown session key command \"%s\"; try \"jumpctl session help\"",
				   argv[0]);
	a->cmd = key_command_of[i];
	return 0;
}

int session_parse(int argc, char **argv, struct session_args *a)
{
	unsigned int seen = 0;
	int i, kw, err;

	memset(a, 0, sizeof(*a));
	a->role = a->state = a->reason = a->slot = a->sock_fd = -1;
	a->cmd = SESSION_SHOW;
	if (argc > 0) {
		i = match_keyword(argv[0], commands);
		if (i < 0)
			return usage_error("unknown session command \"%s\"; try \"jumpctl session help\"",
					   argv[0]);
		a->cmd = command_of[i];
		argc--, argv++;
		if (i == CMD_KEY) {
			err = parse_key_command(argc, argv, a);
			if (err)
				return err;
			argc--, argv++;
		}
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
	[SESSION_KEY_ADD] = JUMP_CMD_KEY_NEW,
	[SESSION_KEY_SWAP] = JUMP_CMD_KEY_SWAP,
	[SESSION_KEY_DEL] = JUMP_CMD_KEY_DEL,
	[SESSION_TERMINATE] = JUMP_CMD_SESSION_DEL,
	[SESSION_REATTACH] = JUMP_CMD_SESSION_SET,
};

static void put_binding(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);

	put_endpoint(nlh, &a->local, JUMP_BIND_A_LOCAL_IPV4,
		     JUMP_BIND_A_LOCAL_IPV6, JUMP_BIND_A_LOCAL_PORT);
	put_endpoint(nlh, &a->remote, JUMP_BIND_A_REMOTE_IPV4,
		     JUMP_BIND_A_REMOTE_IPV6, JUMP_BIND_A_REMOTE_PORT);
	if (a->has_epoch)
		mnl_attr_put_u32(nlh, JUMP_BIND_A_EPOCH, a->epoch);
	if (a->sock_fd >= 0)
		mnl_attr_put_u32(nlh, JUMP_BIND_A_SOCKET_FD, a->sock_fd);
	mnl_attr_nest_end(nlh, nest);
}

/* PREFIXES: a PREFIX nest each; an empty nest empties the set. */
static void put_prefixes(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *list, *nest;
	const struct prefix *p;
	unsigned int i;

	list = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES);
	for (i = 0; i < a->nprefixes; i++) {
		p = &a->prefixes[i];
		nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIX);
		if (p->family == AF_INET)
			mnl_attr_put(nlh, JUMP_PREFIX_A_IPV4, 4, &p->addr.v4);
		else
			mnl_attr_put(nlh, JUMP_PREFIX_A_IPV6, 16, &p->addr.v6);
		mnl_attr_put_u8(nlh, JUMP_PREFIX_A_LEN, p->len);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_nest_end(nlh, list);
}

static void put_settings(struct nlmsghdr *nlh, const struct session_args *a)
{
	if (a->has_remote_index)
		mnl_attr_put_u32(nlh, JUMP_A_REMOTE_INDEX, a->remote_index);
	if (a->has_prefixes)
		put_prefixes(nlh, a);
	if (a->liveness & LIVE_KEEPALIVE)
		mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, a->keepalive_ms);
	if (a->liveness & LIVE_VOLATILE)
		mnl_attr_put_u32(nlh, JUMP_A_VOLATILE_MS, a->volatile_ms);
	if (a->liveness & LIVE_DEGRADED)
		mnl_attr_put_u32(nlh, JUMP_A_DEGRADED_MS, a->degraded_ms);
}

/* KEY {SLOT, ID, TX, RX} for key add, KEY {SLOT} for key del. */
static void put_key(struct nlmsghdr *nlh, const struct session_args *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, JUMP_A_KEY);

	mnl_attr_put_u8(nlh, JUMP_KEY_A_SLOT, a->slot);
	if (a->has_key_id)
		mnl_attr_put_u8(nlh, JUMP_KEY_A_ID, a->key_id);
	if (a->has_tx)
		mnl_attr_put(nlh, JUMP_KEY_A_TX, JUMP_KEY_LEN, a->tx);
	if (a->has_rx)
		mnl_attr_put(nlh, JUMP_KEY_A_RX, JUMP_KEY_LEN, a->rx);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * Only what was given: the kernel's policy is strict and its messages say
 * what is missing or refused better than we could guess (client id
 * required, server id forbidden, binding for this transition or not).
 */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a)
{
	bool show = a->cmd == SESSION_SHOW, dump = show && !a->has_id;
	struct nlmsghdr *nlh;

	nlh = genl_request(buf, family, genl_cmd[a->cmd],
			   dump ? NLM_F_DUMP : NLM_F_ACK);
	/* By name: the kernel resolves it in our netns in the same step. */
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, a->dev);
	if (a->has_id)
		mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, a->id);
	if (a->role >= 0)
		mnl_attr_put_u8(nlh, JUMP_A_ROLE, a->role);
	/* Show filters on state and peer itself: the kernel gets neither. */
	if (a->has_peer && !show)
		mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, a->peer);
	if (a->has_version)
		mnl_attr_put_u64(nlh, JUMP_A_VERSION, a->version);
	if (a->state >= 0 && !show)
		mnl_attr_put_u8(nlh, JUMP_A_STATE, a->state);
	if (a->reason >= 0)
		mnl_attr_put_u16(nlh, JUMP_A_REASON, a->reason);
	if (a->has_local && a->has_remote)
		put_binding(nlh, a);
	put_settings(nlh, a);
	if (a->slot >= 0)
		put_key(nlh, a);
	return nlh;
}

struct nlmsghdr *session_get_request(void *buf, uint16_t family,
				     const char *dev, uint64_t id)
{
	struct nlmsghdr *nlh;

	nlh = genl_request(buf, family, JUMP_CMD_SESSION_GET, NLM_F_ACK);
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, dev);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, id);
	return nlh;
}

int session_open_socket(struct session_args *a)
{
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} sa;
	char ep[ENDPOINT_LEN];
	socklen_t len;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	if (a->local.family == AF_INET) {
		sa.v4.sin_family = AF_INET;
		sa.v4.sin_addr = a->local.addr.v4;
		sa.v4.sin_port = htons(a->local.port);
		len = sizeof(sa.v4);
	} else {
		sa.v6.sin6_family = AF_INET6;
		sa.v6.sin6_addr = a->local.addr.v6;
		sa.v6.sin6_port = htons(a->local.port);
		len = sizeof(sa.v6);
	}
	format_endpoint(&a->local, ep, sizeof(ep));
	fd = socket(a->local.family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0 ||
	    (a->local.family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))) {
		fprintf(stderr, "Error: cannot open a UDP socket for %s: %m.\n", ep);
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&sa, len) == 0) {
		a->sock_fd = fd;
		return EXIT_OK;
	}
	if (errno == EADDRINUSE) {
		/* Most likely the device's own: the kernel reuses it. */
		close(fd);
		a->sock_fd = -1;
		return EXIT_OK;
	}
	fprintf(stderr, "Error: cannot bind a UDP socket to %s: %m.\n", ep);
fail:
	if (fd >= 0)
		close(fd);
	return EXIT_KERNEL;
}

void session_wipe_keys(struct session_args *a)
{
	unsigned int i;

	explicit_bzero(a->tx, sizeof(a->tx));
	explicit_bzero(a->rx, sizeof(a->rx));
	for (i = 0; i < 2; i++)
		if (a->key_words[i])
			explicit_bzero(a->key_words[i], strlen(a->key_words[i]));
}

static bool wanted(const struct session_args *a, const struct session_msg *s)
{
	return (a->state < 0 || s->state == a->state) &&
	       (!a->has_peer || !memcmp(s->pubkey, a->peer, JUMP_PUBKEY_LEN));
}

bool session_show_msg(struct listing *l, const struct session_args *a,
		      const struct nlmsghdr *nlh, const char *dev)
{
	/* Static: a session message holds a prefix list. */
	static struct session_msg s;

	if (parse_session_msg(nlh, &s))
		return false;
	if (wanted(a, &s))
		listing_session(l, &s, dev);
	return true;
}

struct show {
	struct listing out;
	const struct session_args *a;
	const char *dev;
	unsigned int sessions;	/* the kernel sent, filtered or not */
};

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show *show = data;
	static struct session_msg s;

	/* Only show filters: a reattach's reply is in the state it asked for. */
	if (show->a->cmd == SESSION_SHOW)
		show->sessions += session_show_msg(&show->out, show->a, nlh, show->dev);
	else if (parse_session_msg(nlh, &s) == 0)
		listing_session(&show->out, &s, show->dev);
	return MNL_CB_OK;
}

static bool is_key_cmd(enum session_cmd cmd)
{
	return cmd == SESSION_KEY_ADD || cmd == SESSION_KEY_SWAP ||
	       cmd == SESSION_KEY_DEL;
}

/*
 * Sends the request for @a and prints the reply; key material is wiped
 * from everything after. Returns 0 or -errno (nl->errmsg has the extack).
 */
static int session_send(struct nl *nl, struct session_args *a)
{
	bool quiet = a->cmd == SESSION_DEL || a->cmd == SESSION_TERMINATE ||
		     is_key_cmd(a->cmd);
	struct show show = { .a = a };
	struct nlmsghdr *nlh;
	size_t len;
	int err;

	nlh = session_request(nl->buf, nl->family, a);
	len = nlh->nlmsg_len;
	session_wipe_keys(a);
	/* Replies name the device by index; the name is the one we sent. */
	show.dev = a->dev;
	listing_init(&show.out, stdout);
	err = nl_talk(nl, nlh, quiet ? NULL : session_cb, &show);
	if (a->cmd == SESSION_KEY_ADD)
		explicit_bzero(nl->buf, len);
	/* del and the key commands answer with a bare ack: nothing to print. */
	if (!quiet)
		listing_end(&show.out, !err);
	return err;
}

/* The names of the jump devices, from a DEV_GET dump. */
struct devices {
	char (*names)[IF_NAMESIZE];
	size_t n, cap;
	bool nomem;
};

static int device_name_cb(const struct nlmsghdr *nlh, void *data)
{
	struct devices *d = data;
	struct device_msg m;
	void *tmp;

	if (parse_device_msg(nlh, &m) || d->nomem)
		return MNL_CB_OK;
	if (d->n == d->cap) {
		tmp = realloc(d->names, (d->cap ? 2 * d->cap : 8) * sizeof(*d->names));
		/* Read the dump to its end all the same: the socket is reused. */
		if (!tmp) {
			d->nomem = true;
			return MNL_CB_OK;
		}
		d->names = tmp;
		d->cap = d->cap ? 2 * d->cap : 8;
	}
	memcpy(d->names[d->n++], m.ifname, IF_NAMESIZE);
	return MNL_CB_OK;
}

static int show_devices(struct nl *nl, struct session_args *a,
			const struct devices *devs)
{
	char id[SESSION_ID_LEN];
	struct show show = { .a = a };
	size_t i;
	int err = 0;

	listing_init(&show.out, stdout);
	for (i = 0; i < devs->n && !err; i++) {
		a->dev = show.dev = devs->names[i];
		err = nl_talk(nl, session_request(nl->buf, nl->family, a),
			      session_cb, &show);
		/* Deleted since the list was made; with an id, not this one's. */
		if (err == -ENODEV || (a->has_id && err == -ENOENT))
			err = 0;
	}
	a->dev = NULL;
	if (!err && a->has_id && !show.sessions) {
		listing_end(&show.out, false);
		format_session_id(a->id, id);
		fprintf(stderr, "Error: no session %s on any jump device.\n", id);
		return EXIT_KERNEL;
	}
	listing_end(&show.out, !err);
	return err ? nl_report(nl, err) : EXIT_OK;
}

/* show without dev: every jump device of the namespace, in one listing. */
static int show_every_device(struct nl *nl, struct session_args *a)
{
	struct devices devs = { 0 };
	int err;

	err = nl_talk(nl, nl_dev_get_request(nl, NULL), device_name_cb, &devs);
	if (!err && devs.nomem)
		err = -ENOMEM;
	err = err ? nl_report(nl, err) : show_devices(nl, a, &devs);
	free(devs.names);
	return err;
}

struct got {
	struct session_msg *s;
	bool found;
};

static int got_cb(const struct nlmsghdr *nlh, void *data)
{
	struct got *got = data;

	if (parse_session_msg(nlh, got->s) == 0)
		got->found = true;
	return MNL_CB_OK;
}

static int read_session(struct nl *nl, const struct session_args *a,
			struct session_msg *s)
{
	struct got got = { .s = s };
	int err;

	err = nl_talk(nl, session_get_request(nl->buf, nl->family, a->dev, a->id),
		      got_cb, &got);
	return err ? err : got.found ? 0 : -EBADMSG;
}

/*
 * Only the client's jumpd can reattach: it picks the new path and proves
 * it to the server. The kernel would take the transition on a server
 * session too, and leave it recovering with nobody to move it.
 */
static int not_a_client(const struct session_args *a)
{
	char id[SESSION_ID_LEN];

	format_session_id(a->id, id);
	return usage_error("session %s of %s is a server session: only a client reattaches (its jumpd moves it, the server follows)",
			   id, a->dev);
}

/*
 * terminate and reattach: the version read, then a compare-and-swap on it;
 * if it moved in between (a liveness timer, jumpd), read again, once.
 */
static int session_cas(struct nl *nl, struct session_args *a)
{
	static struct session_msg s;
	int err = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		err = read_session(nl, a, &s);
		if (err)
			break;
		if (a->cmd == SESSION_REATTACH && s.role != JUMP_ROLE_CLIENT)
			return not_a_client(a);
		a->has_version = true;
		a->version = s.version;
		err = session_send(nl, a);
		if (err != -ESTALE)
			break;
	}
	return err ? nl_report(nl, err) : EXIT_OK;
}

int do_session(int argc, char **argv)
{
	/* Static: the arguments hold a prefix list. */
	static struct session_args a;
	bool own_socket = false;
	struct nl *nl;
	int err;

	err = session_parse(argc, argv, &a);
	if (err) {
		session_wipe_keys(&a);
		return err;
	}
	if (a.cmd == SESSION_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	if (a.sock_fd >= 0 && fcntl(a.sock_fd, F_GETFD) < 0)
		return usage_error("\"sock-fd %d\" is not an open file descriptor",
				   a.sock_fd);
	err = genl_socket(&nl);
	if (!err && a.has_local && a.sock_fd < 0) {
		err = session_open_socket(&a);
		own_socket = a.sock_fd >= 0;
	}
	if (err) {
		session_wipe_keys(&a);
		return err;
	}
	if (a.cmd == SESSION_SHOW && !a.dev)
		return show_every_device(nl, &a);
	if (a.cmd == SESSION_TERMINATE || a.cmd == SESSION_REATTACH)
		return session_cas(nl, &a);
	err = session_send(nl, &a);
	/* The kernel holds its own reference to the socket now. */
	if (own_socket)
		close(a.sock_fd);
	return err ? nl_report(nl, err) : EXIT_OK;
}
