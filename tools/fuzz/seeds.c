// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora of the libFuzzer harnesses (selftests/fuzz/) into
 * DIR/NAME/: valid inputs made by jumpd's own encoders, so that mutation
 * starts from what the parsers accept. "make fuzz-seeds" runs it; the
 * files are committed, so a fresh checkout fuzzes from the same seeds.
 *
 *   seeds DIR
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <netlink/genl/genl.h>

#include <sodium.h>

#include "audit.h"
#include "handshake.h"
#include "log.h"
#include "unlink.h"
#include "wire.h"

static const char *top;

static void put(const char *name, const char *file, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, name);
	if (mkdir(path, 0755) && errno != EEXIST)
		exit(1);
	snprintf(path, sizeof(path), "%s/%s/%s", top, name, file);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		exit(1);
}

static void text(const char *name, const char *file, const char *s)
{
	put(name, file, s, strlen(s));
}

/* The unlink key of the jumpd_wire harness (selftests/fuzz/jumpd_wire.c). */
static const uint8_t fuzz_unlink_key[WIRE_KEY_LEN] = { 1 };

static void sealed(const char *file, uint8_t *b, size_t len)
{
	put("jumpd_wire", file, b, unlink_seal(b, len, fuzz_unlink_key,
					       unlink_tag(fuzz_unlink_key, 2)));
}
#define W_SEALED(f, call) sealed(f, b, call)

/* jumpd_wire: one of every message, as encoded. */
static void wire(void)
{
	uint8_t b[WIRE_MAX_LEN];
	char file[32];
	static const uint8_t nonce_types[] = { JUMP_MSG_REATTACH_CHALLENGE,
		JUMP_MSG_REATTACH_CONFIRM, JUMP_MSG_REBIND_CHALLENGE, JUMP_MSG_REBIND_CONFIRM };
	size_t i;

#define W(f, call) put("jumpd_wire", f, b, call)
	W("handshake_init", wire_encode_handshake_init(b, &(struct wire_handshake_init){ .hsid = 1 }));
	W("handshake_resp", wire_encode_handshake_resp(b, &(struct wire_handshake_resp){ .hsid = 1 }));
	W("cookie_reply", wire_encode_cookie_reply(b, &(struct wire_cookie_reply){ .ref = 1 }));
	W("handshake_done", wire_encode_handshake_done(b,
			&(struct wire_handshake_done){ .session_id = 1 }));
	W("handshake_ack", wire_encode_session_mac(b, JUMP_MSG_HANDSHAKE_ACK,
						   &(struct wire_session_mac){ .session_id = 1 }));
	W("terminate", wire_encode_session_mac(b, JUMP_MSG_TERMINATE,
					       &(struct wire_session_mac){ .reason = 3, .session_id = 1 }));
	W("reattach_request", wire_encode_reattach_request(b, &(struct wire_reattach_request){
		.session_id = 1, .epoch = 2, .attempt = 1 }));
	for (i = 0; i < sizeof(nonce_types); i++) {
		snprintf(file, sizeof(file), "nonce_%u", nonce_types[i]);
		W(file, wire_encode_reattach_nonce(b, nonce_types[i],
						   &(struct wire_reattach_nonce){ .session_id = 1 }));
	}
	W("reattach_ack", wire_encode_reattach_ack(b,
			&(struct wire_reattach_ack){ .session_id = 1, .epoch = 2 }));
	W("reattach_reject", wire_encode_reattach_reject(b,
			&(struct wire_reattach_reject){ .reason = 2 }));
	W("rekey_init", wire_encode_rekey(b, JUMP_MSG_REKEY_INIT, &(struct wire_rekey){ .rekey_seq = 1 }));
	W("rekey_resp", wire_encode_rekey(b, JUMP_MSG_REKEY_RESP, &(struct wire_rekey){ .rekey_seq = 1 }));
	W("rekey_done", wire_encode_rekey_done(b, &(struct wire_rekey_done){ .rekey_seq = 1 }));
	W("standby_request", wire_encode_request(b, JUMP_MSG_STANDBY_REQUEST,
		&(struct wire_reattach_request){ .session_id = 1, .epoch = 1, .attempt = 2 }));
	W("standby_promote", wire_encode_request(b, JUMP_MSG_STANDBY_PROMOTE,
		&(struct wire_reattach_request){ .session_id = 1, .epoch = 2, .attempt = 3 }));
	W("standby_ack", wire_encode_ack(b, JUMP_MSG_STANDBY_ACK,
		&(struct wire_reattach_ack){ .session_id = 1, .attempt = 2, .epoch = 1 }));
	W("standby_keepalive", wire_encode_ack(b, JUMP_MSG_STANDBY_KEEPALIVE,
		&(struct wire_reattach_ack){ .session_id = 1, .attempt = 4, .epoch = 1 }));
#undef W
	/* Sealed (unlinkable migration), with the harness's unlink key. */
	W_SEALED("sealed_request", wire_encode_reattach_request(b, &(struct wire_reattach_request){
		.session_id = 1, .epoch = 2, .attempt = 1 }));
	W_SEALED("sealed_ack", wire_encode_reattach_ack(b,
			&(struct wire_reattach_ack){ .session_id = 1, .epoch = 2 }));
	W_SEALED("sealed_challenge", wire_encode_reattach_nonce(b, JUMP_MSG_REATTACH_CHALLENGE,
			&(struct wire_reattach_nonce){ .session_id = 1 }));
	W_SEALED("sealed_cookie_reply", wire_encode_cookie_reply(b,
			&(struct wire_cookie_reply){ .ref = 1 }));
}

/* jumpd_handshake: the harness's keys (selftests/fuzz/jumpd_handshake.c). */
static void handshake(void)
{
	struct hs_keypair server, client, eph;
	struct hs_initiator st;
	struct hs_responder rs;
	struct wire_handshake_init init;
	struct wire_handshake_resp resp;
	struct hs_keys keys;
	uint8_t b[1 + WIRE_MAX_LEN], zero[WIRE_COOKIE_LEN] = { 0 };
	size_t i, len;

	for (i = 0; i < WIRE_KEY_LEN; i++) {
		server.priv[i] = (uint8_t)(i + 1);
		client.priv[i] = (uint8_t)(0x80 + i);
		eph.priv[i] = (uint8_t)(0x40 + i);
	}
	hs_public_key(server.priv, server.pub);
	hs_public_key(client.priv, client.pub);
	hs_public_key(eph.priv, eph.pub);
	hs_initiator_start_eph(&st, &client, server.pub, &eph, 7, 1, &init);
	len = wire_encode_handshake_init(b + 1, &init);
	hs_seal_init(b + 1, server.pub, zero);
	b[0] = 0;
	put("jumpd_handshake", "init", b, 1 + len);
	b[0] = 0x80;
	put("jumpd_handshake", "init_seal", b, 1 + len);
	/* The RESP the harness's waiting client expects. */
	if (wire_decode_handshake_init(b + 1, len, &init) ||
	    hs_responder_consume(&rs, &server, &init) ||
	    hs_responder_reply(&rs, 0x1234, 9, &resp, &keys))
		exit(1);
	len = wire_encode_handshake_resp(b + 1, &resp);
	hs_seal_resp(b + 1, client.pub);
	b[0] = 0;
	put("jumpd_handshake", "resp", b, 1 + len);
	b[0] = 0x80;
	put("jumpd_handshake", "resp_seal", b, 1 + len);
	b[0] = 1;
	memcpy(b + 1, eph.pub, WIRE_KEY_LEN);
	put("jumpd_handshake", "rekey", b, 1 + WIRE_KEY_LEN);
	memset(b + 1, 0, WIRE_KEY_LEN);
	put("jumpd_handshake", "rekey_zero", b, 1 + WIRE_KEY_LEN);
}

/* A conversation's frames (selftests/fuzz/fuzz.h). */
struct conv {
	uint8_t b[4096];
	size_t len;
};

static void frame(struct conv *c, uint8_t flags, const void *buf, size_t len)
{
	c->b[c->len++] = flags;
	c->b[c->len++] = (uint8_t)len;
	memcpy(c->b + c->len, buf, len);
	c->len += len;
}

enum { SEAL_CTL = 1, SEAL_REATTACH = 2, SEAL_MAC1 = 3, SET_ID = 4, KERNEL = 0x40 };
#define FROM(n)	((n) << 3)

static size_t msg(uint8_t *b, int type)
{
	switch (type) {
	case JUMP_MSG_REATTACH_REQUEST:
		return wire_encode_reattach_request(b, &(struct wire_reattach_request){
			.epoch = 2, .attempt = 5 });
	case JUMP_MSG_REATTACH_CHALLENGE:
	case JUMP_MSG_REATTACH_CONFIRM:
	case JUMP_MSG_REBIND_CHALLENGE:
	case JUMP_MSG_REBIND_CONFIRM:
		return wire_encode_reattach_nonce(b, type, &(struct wire_reattach_nonce){ .attempt = 5 });
	case JUMP_MSG_REATTACH_ACK:
		return wire_encode_reattach_ack(b, &(struct wire_reattach_ack){ .attempt = 5, .epoch = 2 });
	case JUMP_MSG_STANDBY_REQUEST:
	case JUMP_MSG_STANDBY_PROMOTE:
		return wire_encode_request(b, type, &(struct wire_reattach_request){
			.epoch = 2, .attempt = 5 });
	case JUMP_MSG_STANDBY_ACK:
	case JUMP_MSG_STANDBY_KEEPALIVE:
		return wire_encode_ack(b, type, &(struct wire_reattach_ack){ .attempt = 5, .epoch = 1 });
	case JUMP_MSG_REATTACH_REJECT:
		return wire_encode_reattach_reject(b,
			&(struct wire_reattach_reject){ .reason = 1, .attempt = 5 });
	case JUMP_MSG_REKEY_INIT:
	case JUMP_MSG_REKEY_RESP:
		return wire_encode_rekey(b, type,
			&(struct wire_rekey){ .rekey_seq = 1, .ephemeral = { 9, 9, 9 } });
	case JUMP_MSG_REKEY_DONE:
		return wire_encode_rekey_done(b, &(struct wire_rekey_done){ .rekey_seq = 1 });
	case JUMP_MSG_TERMINATE:
	case JUMP_MSG_HANDSHAKE_ACK:
		return wire_encode_session_mac(b, type, &(struct wire_session_mac){ .reason = 5 });
	case JUMP_MSG_HANDSHAKE_DONE:
		return wire_encode_handshake_done(b, &(struct wire_handshake_done){ .client_index = 3 });
	case JUMP_MSG_COOKIE_REPLY:
		return wire_encode_cookie_reply(b, &(struct wire_cookie_reply){ .ref = 42 });
	case JUMP_MSG_HANDSHAKE_INIT:
		return wire_encode_handshake_init(b, &(struct wire_handshake_init){ .hsid = 3 });
	default:
		return 0;
	}
}

/* One conversation per message type the role receives, sealed as it would be. */
static void conversation(const char *name, uint8_t policy, const int *types, size_t n)
{
	uint8_t b[WIRE_MAX_LEN], k[2];
	struct conv c;
	char file[32];
	size_t i;

	for (i = 0; i < n; i++) {
		int t = types[i];
		uint8_t seal = t == JUMP_MSG_HANDSHAKE_INIT ? SEAL_MAC1 :
			       t >= JUMP_MSG_REATTACH_REQUEST && t <= JUMP_MSG_REATTACH_REJECT ? SEAL_REATTACH :
			       t >= JUMP_MSG_REBIND_CHALLENGE ? SEAL_REATTACH : SEAL_CTL;

		c.len = 0;
		c.b[c.len++] = policy;
		frame(&c, seal | SET_ID | FROM(t == JUMP_MSG_REATTACH_REQUEST ? 1 : 0), b, msg(b, t));
		snprintf(file, sizeof(file), "type_%02d", t);
		put(name, file, c.b, c.len);
	}
	/* The kernel: the path degrades; unbound data; a key expiring. */
	c.len = 0;
	c.b[c.len++] = policy | 1;
	k[0] = JUMP_STATE_VOLATILE;
	k[1] = JUMP_REASON_RX_SILENCE;
	frame(&c, KERNEL, k, 2);
	k[0] = JUMP_STATE_DEGRADED;
	frame(&c, KERNEL, k, 2);
	frame(&c, SEAL_REATTACH | SET_ID | FROM(1), b, msg(b, JUMP_MSG_REATTACH_REQUEST));
	put(name, "degraded", c.b, c.len);
	c.len = 0;
	c.b[c.len++] = policy | 1;
	k[0] = 0x80;
	frame(&c, KERNEL | FROM(2), k, 2);
	frame(&c, SEAL_REATTACH | SET_ID | FROM(2), b, msg(b, JUMP_MSG_REBIND_CONFIRM));
	put(name, "unbound", c.b, c.len);
	c.len = 0;
	c.b[c.len++] = policy;
	k[0] = 0x81;
	frame(&c, KERNEL, k, 2);
	frame(&c, SEAL_CTL | SET_ID, b, msg(b, JUMP_MSG_REKEY_INIT));
	frame(&c, SEAL_CTL | SET_ID, b, msg(b, JUMP_MSG_REKEY_RESP));
	frame(&c, SEAL_CTL | SET_ID, b, msg(b, JUMP_MSG_REKEY_DONE));
	put(name, "key_expiring", c.b, c.len);
}

static void conversations(void)
{
	static const int server_types[] = {
		JUMP_MSG_HANDSHAKE_INIT, JUMP_MSG_HANDSHAKE_DONE, JUMP_MSG_REATTACH_REQUEST,
		JUMP_MSG_REATTACH_CONFIRM, JUMP_MSG_REKEY_INIT, JUMP_MSG_REKEY_DONE,
		JUMP_MSG_TERMINATE, JUMP_MSG_REBIND_CONFIRM,
	};
	static const int client_types[] = {
		JUMP_MSG_COOKIE_REPLY, JUMP_MSG_HANDSHAKE_ACK, JUMP_MSG_REATTACH_CHALLENGE,
		JUMP_MSG_REATTACH_ACK, JUMP_MSG_REATTACH_REJECT, JUMP_MSG_REKEY_RESP,
		JUMP_MSG_TERMINATE, JUMP_MSG_REBIND_CHALLENGE,
	};

	conversation("jumpd_server", 0, server_types, sizeof(server_types) / sizeof(int));
	conversation("jumpd_client", 1, client_types, sizeof(client_types) / sizeof(int));
	/* Without Uplink: the routing table picks the path. */
	text("jumpd_client", "no_uplink", "\x00");
}

/* Kernel messages, as jump.ko sends them (Documentation/netlink.rst). */
static void binding(struct nl_msg *m, int type)
{
	struct nlattr *n = nla_nest_start(m, type);

	nla_put_u32(m, JUMP_BIND_A_LOCAL_IPV4, htonl(0x0a000001));
	nla_put_u16(m, JUMP_BIND_A_LOCAL_PORT, htons(51820));
	nla_put_u32(m, JUMP_BIND_A_REMOTE_IPV4, htonl(0x0a000002));
	nla_put_u16(m, JUMP_BIND_A_REMOTE_PORT, htons(4242));
	nla_put_u32(m, JUMP_BIND_A_EPOCH, 3);
	if (type == JUMP_A_BINDING) {	/* an unlinkable binding's own indices */
		nla_put_u32(m, JUMP_BIND_A_LOCAL_INDEX, 0x8a3f0001);
		nla_put_u32(m, JUMP_BIND_A_REMOTE_INDEX, 0x7c110002);
	}
	nla_nest_end(m, n);
}

static void stats(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, JUMP_A_STATS), *d;
	int i;

	for (i = JUMP_STATS_A_RX_PACKETS; i <= JUMP_STATS_A_TRANSITIONS; i++)
		nla_put_u64(m, i, 1000 + i);
	d = nla_nest_start(m, JUMP_STATS_A_DROPS);
	for (i = 1; i < 6; i++)
		nla_put_u64(m, i, i);
	nla_nest_end(m, d);
	nla_nest_end(m, n);
}

static void session(struct nl_msg *m, uint8_t cmd, bool full)
{
	static const uint8_t key[JUMP_PUBKEY_LEN] = { 1, 2, 3 };
	struct nlattr *n, *p, *k;
	uint32_t v4 = htonl(0x0a080002);

	genlmsg_put(m, 0, 1, 0x20, 0, 0, cmd, JUMP_GENL_VERSION);
	nla_put_u32(m, JUMP_A_IFINDEX, 3);
	nla_put_u64(m, JUMP_A_SESSION_ID, 0x1122334455667788ULL);
	nla_put_u8(m, JUMP_A_ROLE, JUMP_ROLE_SERVER);
	nla_put_u8(m, JUMP_A_STATE, JUMP_STATE_ATTACHED);
	nla_put_u8(m, JUMP_A_PREV_STATE, JUMP_STATE_BIRTH);
	nla_put_u64(m, JUMP_A_VERSION, 4);
	nla_put_u16(m, JUMP_A_REASON, JUMP_REASON_HANDSHAKE_COMPLETE);
	nla_put_u64(m, JUMP_A_EVENT_SEQ, 9);
	nla_put(m, JUMP_A_PEER_PUBKEY, sizeof(key), key);
	nla_put_u64(m, JUMP_A_CREATED_NS, 1);
	nla_put_u64(m, JUMP_A_CHANGED_NS, 2);
	binding(m, JUMP_A_BINDING);
	if (!full)
		return;
	binding(m, JUMP_A_SOURCE);
	nla_put_u32(m, JUMP_A_LOCAL_INDEX, 5);
	nla_put_u32(m, JUMP_A_REMOTE_INDEX, 6);
	nla_put_u32(m, JUMP_A_KEEPALIVE_MS, 1000);
	nla_put_u32(m, JUMP_A_VOLATILE_MS, 3000);
	nla_put_u32(m, JUMP_A_DEGRADED_MS, 6000);
	n = nla_nest_start(m, JUMP_A_PREFIXES);
	p = nla_nest_start(m, JUMP_A_PREFIX);
	nla_put(m, JUMP_PREFIX_A_IPV4, 4, &v4);
	nla_put_u8(m, JUMP_PREFIX_A_LEN, 32);
	nla_nest_end(m, p);
	nla_nest_end(m, n);
	n = nla_nest_start(m, JUMP_A_KEYS);
	k = nla_nest_start(m, JUMP_A_KEY);
	nla_put_u8(m, JUMP_KEY_A_SLOT, 0);
	nla_put_u8(m, JUMP_KEY_A_ID, 1);
	nla_nest_end(m, k);
	nla_nest_end(m, n);
	k = nla_nest_start(m, JUMP_A_KEY);
	nla_put_u8(m, JUMP_KEY_A_SLOT, 1);
	nla_put_u8(m, JUMP_KEY_A_ID, 2);
	nla_nest_end(m, k);
	stats(m);
}

static void device(struct nl_msg *m, const char *name)
{
	struct nlattr *n;
	int i;

	genlmsg_put(m, 0, 1, 0x20, 0, 0, JUMP_CMD_DEV_GET, JUMP_GENL_VERSION);
	nla_put_u32(m, JUMP_A_IFINDEX, 3);
	nla_put_string(m, JUMP_A_IFNAME, name);
	nla_put_u32(m, JUMP_A_SESSION_COUNT, 2);
	nla_put_u32(m, JUMP_A_MAX_SESSIONS, 1024);
	nla_put_u64(m, JUMP_A_EVENT_SEQ, 9);
	n = nla_nest_start(m, JUMP_A_STATE_COUNTS);
	for (i = 0; i <= JUMP_STATE_MAX; i++)
		nla_put_u32(m, i + 1, i);
	nla_nest_end(m, n);
	stats(m);
}

static void netlink(void)
{
	static const char *const names[] = { "jumpd_genl", "jumpctl_msg" };
	struct { const char *file; int kind; uint8_t cmd; const char *ifname; } msgs[] = {
		{ "session_get", 0, JUMP_CMD_SESSION_GET, NULL },
		{ "session_new", 1, JUMP_CMD_SESSION_NEW, NULL },
		{ "session_event", 1, JUMP_CMD_SESSION_EVENT, NULL },
		{ "unbound_source", 1, JUMP_CMD_UNBOUND_SOURCE, NULL },
		{ "key_expiring", 1, JUMP_CMD_KEY_EXPIRING, NULL },
		{ "dev_get", 2, 0, "jump0" },
		{ "dev_hostile", 2, 0, "j\x1b[2J\x07" },
		{ "error", 3, 0, NULL },
	};
	size_t i, j;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		struct nl_msg *m = nlmsg_alloc_simple(0x20, 0);
		struct nlmsghdr *nlh;

		if (msgs[i].kind == 0)
			session(m, msgs[i].cmd, true);
		else if (msgs[i].kind == 1)
			session(m, msgs[i].cmd, false);
		else if (msgs[i].kind == 2)
			device(m, msgs[i].ifname);
		nlh = nlmsg_hdr(m);
		if (msgs[i].kind == 3) {
			/* NLMSG_ERROR with an extended ack: the error, the request, the message. */
			struct nlmsgerr e = { .error = -EINVAL };

			nlh->nlmsg_type = NLMSG_ERROR;
			nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
			e.msg.nlmsg_len = sizeof(e.msg);
			nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
			nla_put_string(m, NLMSGERR_ATTR_MSG, "bad attribute");
			nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, JUMP_A_SESSION_ID);
			nlh = nlmsg_hdr(m);
		}
		for (j = 0; j < 2; j++)
			put(names[j], msgs[i].file, nlh, nlh->nlmsg_len);
		nlmsg_free(m);
	}
}

static const char server_conf[] =
	"[Interface]\nRole = server\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
	"ListenPort = 51820\nStateDirectory = /run/jump/x\nAuditLog = /var/log/jump/x.log\n"
	"[Policy]\nKeepalive = 1s\nVolatileAfter = 3s\nDegradedAfter = 6s\n"
	"RecoveryWindow = 2m # a comment\nMaxSwitches = 10\nSwitchInterval = 60s\n"
	"ClockSkew = 30s\nSourceRate = 10\nSourceBurst = 20\nGlobalRate = 1000\n"
	"GlobalBurst = 2000\nCookieThreshold = 500\nRekeyInterval = 2m\n"
	"SessionLifetime = 0\nMaxSessions = 1024\nRebindProbe = yes\nRetryInitial = 250ms\n"
	"RetryMax = 4s\nBirthTimeout = 10s\nPathValidationTimeout = 2s\n"
	"[Peer]\nPublicKey = 3ia3B3LvifAvtTeSVubaE9KI8FhLECycjrX41AvpNGs=\n"
	"AllowedIPs = 10.8.0.2/32, fd00:8::2/128\n"
	"[Peer]\nPublicKey = 6SyI52qWnmu8ewwJFA74ZXaWBQwXH0clpACRiEsvhAc=\n"
	"AllowedIPs = 10.8.0.3/32\nAllowedIPs = 192.168.50.0/24\n";
static const char client_conf[] =
	"[Interface]\nRole = client\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
	"Uplink = wlan0\nUplink = 192.0.2.5\nUplink = [2001:db8::5]\n"
	"[Policy]\nKeepalive = 500ms\nVolatileAfter = 2s\nDegradedAfter = 4s\n"
	"[Peer]\nPublicKey = 88EWqV4kVrwUFypAef8rdX4+9H3M7FDQKzSyxZywzT8=\n"
	"AllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = 192.0.2.1:51820\n"
	"Endpoint = [2001:db8::1]:51820\nEndpoint = vpn.example:51820\n";

static void configs(void)
{
	text("jumpd_config", "server", server_conf);
	text("jumpd_config", "client", client_conf);
	text("jumpd_config", "key_file", "[Interface]\nRole = server\nPrivateKeyFile = /nonexistent\n"
	     "ListenPort = 1\n[Peer]\nPublicKey = 3ia3B3LvifAvtTeSVubaE9KI8FhLECycjrX41AvpNGs=\n");
	text("jumpd_config", "duplicate", "[Interface]\nRole = client\nRole = server\n");
	text("jumpd_config", "no_peer", "[Interface]\nRole = client\n"
	     "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n");
	text("jumpd_config", "crlf", "[Interface]\r\nRole = server\r\n\t ListenPort=  9 \r\n");
	text("jumpd_config", "unknown", "[Nope]\nX = y\n[Interface]\nNope = 1\n");
}

static void audit_log(void)
{
	static const uint8_t peer[JUMP_PUBKEY_LEN] = { 7 };
	char dir[] = "/tmp/jump-seeds.XXXXXX", path[64], head[64], buf[8192];
	struct audit a;
	struct audit_entry e = AUDIT_ENTRY(AUDIT_TRANSITION);
	struct audit_entry r = AUDIT_ENTRY(AUDIT_REJECT);
	FILE *f;
	size_t n;

	if (!mkdtemp(dir))
		exit(1);
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	snprintf(head, sizeof(head), "%s/head", dir);
	if (audit_open(&a, path, "jump0") || audit_set_head(&a, head))
		exit(1);
	a.journal = 0;
	e.session = 0x1122334455667788ULL;
	e.from = JUMP_STATE_ATTACHED;
	e.to = JUMP_STATE_RECOVERING;
	e.reason = JUMP_REASON_ADMIN_REATTACH;
	e.version = 4;
	e.peer = peer;
	e.source = "192.0.2.7:4242";
	e.detail = "a \"quoted\" detail\\";
	r.session = e.session;
	r.reject = JUMP_REJECT_AUTH_FAILED;
	r.source = "[2001:db8::7]:99";
	audit_write(&a, &e);
	audit_write(&a, &r);
	audit_write(&a, &e);
	audit_sync(&a);
	audit_close(&a);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	put("jumpctl_audit", "chain", buf, n);
	put("jumpctl_audit", "cut", buf, n / 2);
	buf[n / 3] ^= 1;
	put("jumpctl_audit", "flipped", buf, n);
	text("jumpctl_audit", "garbage", "{\"seq\":1}\nnot json\n\n{}");
	unlink(path);
	unlink(head);
	rmdir(dir);
}

/* jumpctl_args: the words of command lines, NUL-separated. */
static void args(void)
{
	static const char *const lines[] = {
		"session\0add\0dev\0jump0\0role\0server\0peer\0"
		"3ia3B3LvifAvtTeSVubaE9KI8FhLECycjrX41AvpNGs=",
		"-j\0session\0set\0dev\0jump0\0id\0" "1122334455667788\0version\0"
		"4\0state\0attached\0reason\0handshake_complete\0local\0"
		"10.0.0.1:51820\0remote\0[2001:db8::1]:4242\0epoch\0" "3\0sock\0" "5",
		"session\0set\0dev\0jump0\0id\0" "1\0remote-index\0" "7\0allowed-ips\0"
		"10.8.0.2/32,fd00::/64\0keepalive\0" "1s\0volatile\0" "3s\0degraded\0" "6s",
		"session\0key\0add\0dev\0jump0\0id\0" "1\0slot\0primary\0key-id\0" "3\0"
		"tx\0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\0rx\0"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		"-s\0-d\0session\0show\0dev\0jump0\0state\0attached",
		"session\0terminate\0dev\0jump0\0id\0" "1\0version\0" "2\0reason\0admin_terminate",
		"session\0reattach\0dev\0jump0\0id\0" "1",
		"link\0add\0jump1\0mtu\0" "1400",
		"-p\0monitor\0dev\0jump0",
		"audit\0verify\0dev\0jump0\0head\0/run/jump/jump0/audit.head",
		"audit\0show\0file\0-\0session\0" "1\0event\0transition\0reason\0auth_failed\0since\0" "3",
		"policy\0show\0config\0/etc/jump/jump0.conf",
		"-batch\0-\0-t",
	};
	char file[16];
	size_t i, len;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *p = lines[i];

		/* Up to the double NUL at the end of the literal. */
		for (len = 0; p[len] || p[len + 1]; len++)
			;
		snprintf(file, sizeof(file), "line_%02zu", i);
		put("jumpctl_args", file, p, len);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 1;
	}
	if (sodium_init() < 0)
		return 1;
	log_stream = fopen("/dev/null", "w");
	top = argv[1];
	if (mkdir(top, 0755) && errno != EEXIST)
		return 1;
	wire();
	handshake();
	conversations();
	netlink();
	configs();
	audit_log();
	args();
	return 0;
}
