// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl session's command line: the commands, their keywords, the values
 * each takes and which are required, read into struct session_args. Only
 * usage errors here; nothing talks to the kernel.
 */
#include <stdio.h>
#include <string.h>

#include "jump_names.h"
#include "jumpctl.h"
#include "session_parse.h"

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

void session_usage(FILE *f)
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
		"birth -> attached and recovering -> attached only, or with reason\n"
		"standby_ready, where they name the standby path (no epoch), set beside\n"
		"the binding in the state the session is in; standby_cleared removes it,\n"
		"state attached reason standby_promoted makes it the binding, epoch the\n"
		"last plus one. EPOCH must exceed\n"
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

void session_wipe_keys(struct session_args *a)
{
	unsigned int i;

	explicit_bzero(a->tx, sizeof(a->tx));
	explicit_bzero(a->rx, sizeof(a->rx));
	for (i = 0; i < 2; i++)
		if (a->key_words[i])
			explicit_bzero(a->key_words[i], strlen(a->key_words[i]));
}
