// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl's output: messages shaped as the kernel sends them are parsed and
 * printed, and the exact text and JSON are checked; so is the monitor's
 * accounting of event sequence numbers.
 *
 * Over 600 lines: each case is a message and the exact text it prints,
 * which is long by nature; they share the message builders above them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>

#include "json_check.h"
#include "jump_names.h"
#include "jumpctl.h"
#include "monitor.h"
#include "msg.h"
#include "nl.h"
#include "output.h"
#include "session.h"
#include "tap.h"

#define KEY "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0="
#define ID 0x3f2a9c0b1d2e4f60ULL
#define CREATED 1700000000123456789ULL	/* 2023-11-14T22:13:20.123Z */
#define CHANGED 1700000001456000000ULL	/* 2023-11-14T22:13:21.456Z */

static char buf[65536];

enum { BOUND = 1, EVENT = 2, V6 = 4, DP = 8, DROPS = 16 };

static void put_prefix(struct nlmsghdr *nlh, int family, const void *addr,
		       uint8_t len)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIX);

	if (family == AF_INET)
		mnl_attr_put(nlh, JUMP_PREFIX_A_IPV4, 4, addr);
	else
		mnl_attr_put(nlh, JUMP_PREFIX_A_IPV6, 16, addr);
	mnl_attr_put_u8(nlh, JUMP_PREFIX_A_LEN, len);
	mnl_attr_nest_end(nlh, nest);
}

static void put_key_info(struct nlmsghdr *nlh, int type, uint8_t slot, uint8_t id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, JUMP_KEY_A_SLOT, slot);
	mnl_attr_put_u8(nlh, JUMP_KEY_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
}

/* The data path's session attributes, as the kernel would send them. */
static void put_data_path(struct nlmsghdr *nlh)
{
	struct in6_addr fd00 = { .s6_addr = { 0xfd } };
	uint32_t v4 = htonl(0x0a000002);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, JUMP_A_LOCAL_INDEX, 305419896);
	mnl_attr_put_u32(nlh, JUMP_A_REMOTE_INDEX, 7);
	nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES);
	put_prefix(nlh, AF_INET, &v4, 32);
	put_prefix(nlh, AF_INET6, &fd00, 64);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, 1000);
	mnl_attr_put_u32(nlh, JUMP_A_VOLATILE_MS, 3000);
	mnl_attr_put_u32(nlh, JUMP_A_DEGRADED_MS, 6000);
	nest = mnl_attr_nest_start(nlh, JUMP_A_KEYS);
	put_key_info(nlh, JUMP_A_KEY, JUMP_KEY_SLOT_PRIMARY, 1);
	put_key_info(nlh, JUMP_A_KEY, JUMP_KEY_SLOT_SECONDARY, 255);
	mnl_attr_nest_end(nlh, nest);
}

/* DROPS: drop d counts 100 + d; and a newer kernel's drop, skipped. */
static void put_drops(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, JUMP_STATS_A_DROPS);
	unsigned int d;

	for (d = 0; d < __JUMP_DROP_MAX; d++)
		mnl_attr_put_u64(nlh, d + 1, 100 + d);
	mnl_attr_put_u64(nlh, __JUMP_DROP_MAX + 1, 99);
	mnl_attr_nest_end(nlh, nest);
}

/* A session message as jump_nl_put_session() builds it, pads included. */
static struct nlmsghdr *session_msg(uint8_t cmd, int flags)
{
	struct nlmsghdr *nlh = genl_request(buf, 42, cmd, 0);
	uint8_t key[JUMP_PUBKEY_LEN];
	struct in6_addr a6 = IN6ADDR_LOOPBACK_INIT;
	struct nlattr *nest;

	parse_pubkey(KEY, key);
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put(nlh, JUMP_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, ID);
	mnl_attr_put_u8(nlh, JUMP_A_ROLE, JUMP_ROLE_SERVER);
	mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, key);
	mnl_attr_put_u8(nlh, JUMP_A_STATE, JUMP_STATE_ATTACHED);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, 3);
	mnl_attr_put_u16(nlh, JUMP_A_REASON, JUMP_REASON_HANDSHAKE_COMPLETE);
	mnl_attr_put_u64(nlh, JUMP_A_CREATED_NS, CREATED);
	mnl_attr_put_u64(nlh, JUMP_A_CHANGED_NS, CHANGED);
	if (flags & BOUND) {
		nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);
		if (flags & V6) {
			mnl_attr_put(nlh, JUMP_BIND_A_LOCAL_IPV6, 16, &a6);
			a6.s6_addr[0] = 0x20;
			mnl_attr_put(nlh, JUMP_BIND_A_REMOTE_IPV6, 16, &a6);
		} else {
			mnl_attr_put_u32(nlh, JUMP_BIND_A_LOCAL_IPV4, htonl(0x0a000001));
			mnl_attr_put_u32(nlh, JUMP_BIND_A_REMOTE_IPV4, htonl(0x0a000002));
		}
		mnl_attr_put_u16(nlh, JUMP_BIND_A_LOCAL_PORT, htons(51820));
		mnl_attr_put_u16(nlh, JUMP_BIND_A_REMOTE_PORT, htons(40000));
		mnl_attr_put_u32(nlh, JUMP_BIND_A_EPOCH, 1);
		mnl_attr_nest_end(nlh, nest);
	}
	nest = mnl_attr_nest_start(nlh, JUMP_A_STATS);
	mnl_attr_put(nlh, JUMP_STATS_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, JUMP_STATS_A_RX_PACKETS, 10);
	mnl_attr_put_u64(nlh, JUMP_STATS_A_RX_BYTES, 1000);
	mnl_attr_put_u64(nlh, JUMP_STATS_A_TX_PACKETS, 20);
	mnl_attr_put_u64(nlh, JUMP_STATS_A_TX_BYTES, 2000);
	mnl_attr_put_u64(nlh, JUMP_STATS_A_TRANSITIONS, 2);
	if (flags & DROPS)
		put_drops(nlh);
	mnl_attr_nest_end(nlh, nest);
	if (flags & DP)
		put_data_path(nlh);
	if (flags & EVENT) {
		mnl_attr_put_u64(nlh, JUMP_A_EVENT_SEQ, 12);
		if (cmd == JUMP_CMD_SESSION_EVENT)
			mnl_attr_put_u8(nlh, JUMP_A_PREV_STATE, JUMP_STATE_BIRTH);
	}
	/* A newer kernel's attribute: skipped. */
	mnl_attr_put_u32(nlh, JUMP_A_MAX + 5, 0xdead);
	return nlh;
}

static struct nlmsghdr *device_msg_stats(bool stats)
{
	struct nlmsghdr *nlh = genl_request(buf, 42, JUMP_CMD_DEV_GET, 0);
	struct nlattr *nest;
	unsigned int s;

	nest = mnl_attr_nest_start(nlh, JUMP_A_STATE_COUNTS);
	for (s = 0; s < __JUMP_STATE_MAX; s++)
		mnl_attr_put_u32(nlh, s + 1, s == JUMP_STATE_ATTACHED ? 2 :
				 s == JUMP_STATE_BIRTH ? 1 : 0);
	mnl_attr_put_u32(nlh, __JUMP_STATE_MAX + 1, 99);	/* a newer state */
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put_strz(nlh, JUMP_A_IFNAME, "jump0");
	mnl_attr_put_u32(nlh, JUMP_A_SESSION_COUNT, 3);
	mnl_attr_put_u32(nlh, JUMP_A_MAX_SESSIONS, JUMP_MAX_SESSIONS);
	mnl_attr_put(nlh, JUMP_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, JUMP_A_EVENT_SEQ, 7);
	if (stats) {
		nest = mnl_attr_nest_start(nlh, JUMP_A_STATS);
		mnl_attr_put_u64(nlh, JUMP_STATS_A_RX_PACKETS, 1);
		mnl_attr_put_u64(nlh, JUMP_STATS_A_RX_BYTES, 2);
		mnl_attr_put_u64(nlh, JUMP_STATS_A_TX_PACKETS, 3);
		mnl_attr_put_u64(nlh, JUMP_STATS_A_TX_BYTES, 4);
		put_drops(nlh);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static struct nlmsghdr *device_msg(void)
{
	return device_msg_stats(false);
}

/* UNBOUND_SOURCE or KEY_EXPIRING, with a sequence number if @seq. */
static struct nlmsghdr *notice_msg(uint8_t cmd, bool seq, bool bound)
{
	struct nlmsghdr *nlh = genl_request(buf, 42, cmd, 0);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, 0xab);
	if (seq)
		mnl_attr_put_u64(nlh, JUMP_A_EVENT_SEQ, 13);
	if (cmd == JUMP_CMD_KEY_EXPIRING) {
		put_key_info(nlh, JUMP_A_KEY, JUMP_KEY_SLOT_PRIMARY, 1);
		mnl_attr_put_u16(nlh, JUMP_A_REASON, JUMP_REASON_KEY_EXPIRED);
		return nlh;
	}
	nest = mnl_attr_nest_start(nlh, JUMP_A_SOURCE);
	mnl_attr_put_u32(nlh, JUMP_BIND_A_REMOTE_IPV4, htonl(0xc0000207));
	mnl_attr_put_u16(nlh, JUMP_BIND_A_REMOTE_PORT, htons(4444));
	mnl_attr_nest_end(nlh, nest);
	if (bound) {
		nest = mnl_attr_nest_start(nlh, JUMP_A_BINDING);
		mnl_attr_put_u32(nlh, JUMP_BIND_A_LOCAL_IPV4, htonl(0x0a000001));
		mnl_attr_put_u32(nlh, JUMP_BIND_A_REMOTE_IPV4, htonl(0x0a000002));
		mnl_attr_put_u16(nlh, JUMP_BIND_A_LOCAL_PORT, htons(51820));
		mnl_attr_put_u16(nlh, JUMP_BIND_A_REMOTE_PORT, htons(40000));
		mnl_attr_put_u32(nlh, JUMP_BIND_A_EPOCH, 2);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

/* Output captured in memory. */
static char *out;
static size_t out_len;
static FILE *out_f;

static FILE *capture(void)
{
	free(out);
	out = NULL;
	out_f = open_memstream(&out, &out_len);
	if (!out_f)
		abort();
	return out_f;
}

static const char *captured(void)
{
	fclose(out_f);
	out_f = NULL;
	return out;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void set_opts(bool json, bool stats, bool details, bool timestamp)
{
	memset(&opt, 0, sizeof(opt));
	opt.json = json;
	opt.stats = stats;
	opt.details = details;
	opt.timestamp = timestamp;
}

static void test_parse(void)
{
	struct session_msg s;
	struct device_msg d;
	struct nlmsghdr *nlh;
	char key[PUBKEY_B64_LEN];

	tap_ok(parse_session_msg(session_msg(JUMP_CMD_SESSION_GET, BOUND), &s) == 0,
	       "a session message parses");
	format_pubkey(s.pubkey, key);
	tap_ok(s.cmd == JUMP_CMD_SESSION_GET && s.ifindex == 3 && s.id == ID &&
	       s.role == JUMP_ROLE_SERVER && s.state == JUMP_STATE_ATTACHED &&
	       s.version == 3 && s.reason == JUMP_REASON_HANDSHAKE_COMPLETE &&
	       s.created_ns == CREATED && s.changed_ns == CHANGED && !strcmp(key, KEY),
	       "every scalar field reads back");
	tap_ok(s.bound && s.local.family == AF_INET && s.local.port == 51820 &&
	       s.remote.addr.v4.s_addr == htonl(0x0a000002) && s.remote.port == 40000 &&
	       s.epoch == 1, "the binding reads back, ports in host order");
	tap_ok(s.counters.stats[JUMP_STATS_A_RX_PACKETS] == 10 &&
	       s.counters.stats[JUMP_STATS_A_TX_BYTES] == 2000 &&
	       s.counters.stats[JUMP_STATS_A_TRANSITIONS] == 2, "stats read back, pads skipped");
	tap_ok(!s.has_seq && !s.has_prev, "a reply has no event sequence or previous state");
	tap_ok(parse_session_msg_stats(session_msg(JUMP_CMD_SESSION_GET, BOUND), &s, false) == 0 &&
	       !(s.has & HAS_STATS) && !s.counters.stats[JUMP_STATS_A_RX_PACKETS] && s.bound &&
	       s.version == 3, "show without -s: the rest parsed, the stats left unread");

	parse_session_msg(session_msg(JUMP_CMD_SESSION_GET, 0), &s);
	tap_ok(!s.bound, "no binding attribute: not bound");
	parse_session_msg(session_msg(JUMP_CMD_SESSION_EVENT, EVENT | BOUND | V6), &s);
	tap_ok(s.has_seq && s.seq == 12 && s.has_prev && s.prev_state == JUMP_STATE_BIRTH &&
	       s.local.family == AF_INET6 && s.bound, "an event carries seq, from, IPv6");

	nlh = genl_request(buf, 42, JUMP_CMD_SESSION_GET, 0);
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put_u32(nlh, JUMP_A_SESSION_ID, 5);	/* too short: skipped */
	mnl_attr_put_u8(nlh, JUMP_A_STATE, 1);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, 1);
	tap_ok(parse_session_msg(nlh, &s) == -1,
	       "a message whose id has the wrong size is refused");
	nlh = mnl_nlmsg_put_header(buf);
	tap_ok(parse_session_msg(nlh, &s) == -1 && parse_device_msg(nlh, &d) == -1,
	       "a message too short for a genl header is refused");

	tap_ok(parse_device_msg(device_msg(), &d) == 0 && d.ifindex == 3 &&
	       !strcmp(d.ifname, "jump0") && d.sessions == 3 &&
	       d.max_sessions == JUMP_MAX_SESSIONS && d.event_seq == 7 &&
	       d.state_counts[JUMP_STATE_BIRTH] == 1 &&
	       d.state_counts[JUMP_STATE_ATTACHED] == 2,
	       "a device message parses; state counts are by state + 1");
}

#define TEXT_LINE1 "session 3f2a9c0b1d2e4f60 dev jump0 role server state attached version 3 peer " KEY "\n"
#define TEXT_BINDING "    binding local 10.0.0.1:51820 remote 10.0.0.2:40000 epoch 1\n"
#define TEXT_DETAILS "    reason handshake_complete created 2023-11-14T22:13:20.123+00:00 " \
		     "changed 2023-11-14T22:13:21.456+00:00\n"
#define TEXT_STATS "    stats rx_packets 10 rx_bytes 1000 tx_packets 20 tx_bytes 2000 transitions 2\n"
#define JSON_SESSION "{\"ifname\":\"jump0\",\"ifindex\":3,\"id\":\"3f2a9c0b1d2e4f60\"," \
	"\"role\":\"server\",\"peer\":\"" KEY "\",\"state\":\"attached\",\"version\":3," \
	"\"reason\":\"handshake_complete\",\"created_ns\":1700000000123456789," \
	"\"changed_ns\":1700000001456000000"
#define JSON_BINDING ",\"binding\":{\"local\":\"10.0.0.1:51820\",\"remote\":\"10.0.0.2:40000\",\"epoch\":1}"
#define JSON_STATS ",\"stats\":{\"rx_packets\":10,\"rx_bytes\":1000,\"tx_packets\":20," \
	"\"tx_bytes\":2000,\"transitions\":2}"

/* Prints @n copies of a session message through a listing. */
static const char *list_sessions(int flags, int n, bool ok)
{
	struct listing l;
	struct session_msg s;
	int i;

	parse_session_msg(session_msg(JUMP_CMD_SESSION_GET, flags), &s);
	listing_init(&l, capture());
	for (i = 0; i < n; i++)
		listing_session(&l, &s, "jump0");
	listing_end(&l, ok);
	return captured();
}

static void test_sessions(void)
{
	set_opts(false, false, false, false);
	tap_ok(!strcmp(list_sessions(BOUND, 1, true), TEXT_LINE1 TEXT_BINDING),
	       "text: one line, then the binding");
	tap_ok(!strcmp(list_sessions(0, 1, true), TEXT_LINE1), "text: no binding line unbound");
	set_opts(false, true, true, false);
	tap_ok(!strcmp(list_sessions(BOUND, 1, true),
		       TEXT_LINE1 TEXT_BINDING TEXT_DETAILS TEXT_STATS),
	       "text: -d adds reason and times, -s the stats");
	set_opts(false, false, false, false);
	tap_ok(!strcmp(list_sessions(0, 2, true), TEXT_LINE1 TEXT_LINE1),
	       "text: one block per session");
	tap_ok(!strcmp(list_sessions(0, 0, true), ""), "text: nothing for no session");

	set_opts(true, false, false, false);
	tap_ok(!strcmp(list_sessions(BOUND, 1, true), "[" JSON_SESSION JSON_BINDING "}]\n"),
	       "JSON: an array of one object, the same fields as text");
	tap_ok(!strcmp(list_sessions(0, 2, true), "[" JSON_SESSION "}," JSON_SESSION "}]\n"),
	       "JSON: unbound sessions have no binding; items separated");
	set_opts(true, true, false, false);
	tap_ok(!strcmp(list_sessions(BOUND, 1, true),
		       "[" JSON_SESSION JSON_BINDING JSON_STATS "}]\n"),
	       "JSON: -s adds the stats object");
	set_opts(true, false, false, false);
	tap_ok(!strcmp(list_sessions(0, 0, true), "[]\n"), "JSON: an empty dump is []");
	tap_ok(!strcmp(list_sessions(0, 0, false), ""), "JSON: a refused request prints nothing");
	tap_ok(!strcmp(list_sessions(0, 1, false), "[" JSON_SESSION "}]\n"),
	       "JSON: a dump that fails midway still closes its array");
	opt.pretty = true;
	list_sessions(BOUND, 1, true);
	tap_ok(starts_with(out, "[\n    {\n        \"ifname\": \"jump0\",\n") &&
	       strstr(out, "\n        \"binding\": {\n            \"local\": ") &&
	       ends_with(out, "\n            \"epoch\": 1\n        }\n    }\n]\n"),
	       "JSON: -p indents by four spaces, one field per line");
}

static void test_devices(void)
{
	struct device_msg d;
	struct listing l;

	parse_device_msg(device_msg(), &d);
	set_opts(false, false, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strcmp(captured(), "3: jump0: sessions 3 max 1048576 event_seq 7\n"
		       "    states birth 1 attached 2 volatile 0 degraded 0 recovering 0 terminated 0\n"),
	       "text: a device and its sessions per state");
	set_opts(true, false, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strcmp(captured(), "[{\"ifname\":\"jump0\",\"ifindex\":3,\"sessions\":3,"
		       "\"max_sessions\":1048576,\"event_seq\":7,\"states\":{\"birth\":1,"
		       "\"attached\":2,\"volatile\":0,\"degraded\":0,\"recovering\":0,"
		       "\"terminated\":0}}]\n"), "JSON: a device");
}

/*
 * A hostile device name reached the terminal as it was: the kernel allows
 * any byte in a name but '/', ':' and white space, so an ESC sequence in
 * one (a device an unprivileged netns owner may name) was printed raw by
 * show and monitor. Found by the jumpctl_msg fuzz harness.
 */
static void test_hostile_ifname_escaped(void)
{
	const char *hostile = "j\x1b[2J\x07\\";
	struct session_msg s;
	struct device_msg d;
	struct listing l;
	const char *text;
	FILE *f;

	parse_device_msg(device_msg(), &d);
	snprintf(d.ifname, sizeof(d.ifname), "%s", hostile);
	set_opts(false, false, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strncmp(captured(), "3: j\\x1b[2J\\x07\\x5c: sessions ",
			strlen("3: j\\x1b[2J\\x07\\x5c: sessions ")),
	       "text: a device name's control bytes and backslash are written \\xNN");
	parse_session_msg(session_msg(JUMP_CMD_SESSION_EVENT, EVENT), &s);
	f = capture();
	print_lost(f, &s, hostile, 1);
	print_event(f, &s, hostile);
	print_notice(f, &s, hostile);
	listing_init(&l, f);
	listing_session(&l, &s, hostile);
	text = captured();
	tap_ok(!strchr(text, '\x1b') && !strchr(text, '\x07') &&
	       strstr(text, "dev j\\x1b[2J\\x07\\x5c"),
	       "text: so is the name in monitor's and show's session lines");
	set_opts(true, false, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(strstr(captured(), "\"ifname\":\"j\\u001b[2J\\u0007\\\\\"") != NULL,
	       "JSON: the name is escaped as JSON strings are");
}

static const char *event(uint8_t cmd, int flags, uint64_t lost)
{
	struct session_msg s;
	FILE *f = capture();

	parse_session_msg(session_msg(cmd, flags | EVENT), &s);
	if (lost)
		print_lost(f, &s, "jump0", lost);
	print_event(f, &s, "jump0");
	return captured();
}

static void test_events(void)
{
	set_opts(false, false, false, false);
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_NEW, 0, 0),
		       "[seq 12] session 3f2a9c0b1d2e4f60 dev jump0: created role server version 3\n"),
	       "text: a created event");
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, BOUND, 0),
		       "[seq 12] session 3f2a9c0b1d2e4f60 dev jump0: birth -> attached "
		       "reason handshake_complete version 3\n"), "text: a transition");
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, 0, 4),
		       "[seq 12] dev jump0: lost 4 events\n[seq 12] session 3f2a9c0b1d2e4f60 "
		       "dev jump0: birth -> attached reason handshake_complete version 3\n"),
	       "text: a gap is reported before the event that shows it");
	set_opts(false, false, false, true);
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, 0, 0),
		       "2023-11-14T22:13:21.456+00:00 [seq 12] session 3f2a9c0b1d2e4f60 "
		       "dev jump0: birth -> attached reason handshake_complete version 3\n"),
	       "text: -t starts the line with the event's time");
	set_opts(false, false, true, false);
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, BOUND, 0),
		       "[seq 12] session 3f2a9c0b1d2e4f60 dev jump0: birth -> attached "
		       "reason handshake_complete version 3 binding local 10.0.0.1:51820 "
		       "remote 10.0.0.2:40000 epoch 1\n"),
	       "text: -d ends the line with the binding");
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, 0, 0),
		       "[seq 12] session 3f2a9c0b1d2e4f60 dev jump0: birth -> attached "
		       "reason handshake_complete version 3\n"),
	       "text: -d adds nothing to an unbound session's event");
	set_opts(true, false, false, false);
	tap_ok(!strcmp(event(JUMP_CMD_SESSION_EVENT, BOUND, 0),
		       "{\"seq\":12,\"event\":\"transition\",\"time_ns\":1700000001456000000,"
		       "\"ifname\":\"jump0\",\"ifindex\":3,\"id\":\"3f2a9c0b1d2e4f60\","
		       "\"role\":\"server\",\"peer\":\"" KEY "\",\"from\":\"birth\","
		       "\"state\":\"attached\",\"version\":3,\"reason\":\"handshake_complete\","
		       "\"created_ns\":1700000000123456789,\"changed_ns\":1700000001456000000"
		       JSON_BINDING "}\n"), "JSON: one object per line with every field");
	tap_ok(starts_with(event(JUMP_CMD_SESSION_NEW, 0, 0),
			   "{\"seq\":12,\"event\":\"created\",") && !strstr(out, "\"from\""),
	       "JSON: a created event has no from");
	opt.pretty = true;
	event(JUMP_CMD_SESSION_EVENT, 0, 2);
	tap_ok(starts_with(out, "{\"seq\":12,\"event\":\"lost\",\"time_ns\":1700000001456000000,"
			   "\"ifname\":\"jump0\",\"ifindex\":3,\"lost\":2}\n{\"seq\":12,") &&
	       count_lines(out) == 2,
	       "JSON: a gap is a line of its own; -p does not break JSON lines");
}

/* A session message whose PREFIXES holds @n prefixes, @bad of them malformed. */
static struct nlmsghdr *prefixes_msg(unsigned int n, unsigned int bad)
{
	struct nlmsghdr *nlh = genl_request(buf, 42, JUMP_CMD_SESSION_GET, 0);
	struct nlattr *nest;
	uint32_t v4;
	unsigned int i;

	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, 3);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, ID);
	mnl_attr_put_u8(nlh, JUMP_A_STATE, JUMP_STATE_ATTACHED);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, 3);
	nest = mnl_attr_nest_start(nlh, JUMP_A_PREFIXES);
	for (i = 0; i < n; i++) {
		v4 = htonl(0x0a000000 | i << 8);
		put_prefix(nlh, AF_INET, &v4, i < bad ? 33 : 24);
	}
	mnl_attr_put_u32(nlh, JUMP_A_KEEPALIVE_MS, 5);	/* not a PREFIX: skipped */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_data_path_parse(void)
{
	static struct session_msg s;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char p[PREFIX_LEN];
	unsigned int d, wrong = 0;

	tap_ok(parse_session_msg(session_msg(JUMP_CMD_SESSION_GET, DP | DROPS), &s) == 0 &&
	       s.local_index == 305419896 && s.remote_index == 7 && s.keepalive_ms == 1000 &&
	       s.volatile_ms == 3000 && s.degraded_ms == 6000 &&
	       s.has == (HAS_LOCAL_INDEX | HAS_REMOTE_INDEX | HAS_PREFIXES | HAS_KEEPALIVE |
			 HAS_VOLATILE | HAS_DEGRADED | HAS_KEYS | HAS_STATS),
	       "indexes and liveness times read back");
	format_prefix(&s.prefixes[1], p, sizeof(p));
	tap_ok(s.nprefixes == 2 && s.prefixes[0].family == AF_INET &&
	       s.prefixes[0].len == 32 && !strcmp(p, "fd00::/64") && !s.prefixes_cut,
	       "prefixes read back");
	tap_ok(s.nkeys == 2 && s.keys[0].slot == JUMP_KEY_SLOT_PRIMARY && s.keys[0].id == 1 &&
	       s.keys[1].slot == JUMP_KEY_SLOT_SECONDARY && s.keys[1].id == 255,
	       "keys read back: slot and id");
	for (d = 0; d < __JUMP_DROP_MAX; d++)
		wrong += s.counters.drops[d] != 100 + d;
	tap_ok(s.counters.has_drops && wrong == 0 &&
	       s.counters.stats[JUMP_STATS_A_RX_PACKETS] == 10,
	       "drops read back by drop + 1; a newer drop is skipped");
	parse_session_msg(session_msg(JUMP_CMD_SESSION_GET, 0), &s);
	tap_ok(s.has == HAS_STATS && !s.counters.has_drops && s.nprefixes == 0,
	       "an older kernel's message has none of them");

	tap_ok(parse_session_msg(prefixes_msg(JUMP_MAX_PREFIXES + 100, 0), &s) == 0 &&
	       s.nprefixes == JUMP_MAX_PREFIXES && s.prefixes_cut &&
	       s.prefixes[JUMP_MAX_PREFIXES - 1].addr.v4.s_addr ==
	       htonl(0x0a000000 | (JUMP_MAX_PREFIXES - 1) << 8),
	       "an oversized prefix list is cut at JUMP_MAX_PREFIXES, never overflows");
	tap_ok(parse_session_msg(prefixes_msg(10, 3), &s) == 0 && s.nprefixes == 7 &&
	       !s.prefixes_cut && s.prefixes[0].addr.v4.s_addr == htonl(0x0a000300),
	       "malformed prefixes (length 33) and foreign attributes are skipped");

	nlh = prefixes_msg(0, 0);
	nest = mnl_attr_nest_start(nlh, JUMP_A_KEYS);
	for (d = 0; d < 5; d++)
		put_key_info(nlh, JUMP_A_KEY, d % 2, d);
	mnl_attr_nest_end(nlh, nest);
	tap_ok(parse_session_msg(nlh, &s) == 0 && s.nkeys == __JUMP_KEY_SLOT_MAX &&
	       s.keys[1].id == 1, "more keys than slots: the first ones are kept");

	tap_ok(parse_session_msg(notice_msg(JUMP_CMD_UNBOUND_SOURCE, false, true), &s) == 0 &&
	       s.cmd == JUMP_CMD_UNBOUND_SOURCE && (s.has & HAS_SOURCE) &&
	       s.source.port == 4444 && s.source.addr.v4.s_addr == htonl(0xc0000207) &&
	       s.bound && s.epoch == 2 && !s.has_seq,
	       "UNBOUND_SOURCE parses without state or version");
	tap_ok(parse_session_msg(notice_msg(JUMP_CMD_KEY_EXPIRING, true, false), &s) == 0 &&
	       (s.has & HAS_KEY) && s.key.slot == JUMP_KEY_SLOT_PRIMARY && s.key.id == 1 &&
	       s.reason == JUMP_REASON_KEY_EXPIRED && s.has_seq && s.seq == 13,
	       "KEY_EXPIRING parses: key, reason, seq");
	nlh = notice_msg(JUMP_CMD_KEY_EXPIRING, false, false);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = JUMP_CMD_SESSION_EVENT;
	tap_ok(parse_session_msg(nlh, &s) == -1,
	       "a session event without state is still refused");
}

#define TEXT_DP "    local-index 305419896 remote-index 7 keepalive 1000 volatile 3000 " \
		"degraded 6000\n    allowed-ips 10.0.0.2/32,fd00::/64\n" \
		"    keys primary 1 secondary 255\n"
#define DROP_VALUES(sep, q) \
	q "bad_header" q sep "100," q "no_session" q sep "101," q "no_key" q sep "102," \
	q "auth_failed" q sep "103," q "replay" q sep "104," q "unbound_source" q sep "105," \
	q "stale_epoch" q sep "106," q "inner_source" q sep "107," q "no_binding" q sep "108," \
	q "no_route" q sep "109," q "key_expired" q sep "110," q "nomem" q sep "111"
#define TEXT_DROPS "    drops bad_header 100 no_session 101 no_key 102 auth_failed 103 " \
	"replay 104 unbound_source 105 stale_epoch 106 inner_source 107 no_binding 108 " \
	"no_route 109 key_expired 110 nomem 111\n"
#define JSON_DP ",\"local_index\":305419896,\"remote_index\":7," \
	"\"allowed_ips\":[\"10.0.0.2/32\",\"fd00::/64\"],\"keepalive_ms\":1000," \
	"\"volatile_ms\":3000,\"degraded_ms\":6000,\"keys\":[{\"slot\":\"primary\",\"id\":1}," \
	"{\"slot\":\"secondary\",\"id\":255}]"
#define JSON_DROPS ",\"drops\":{" DROP_VALUES(":", "\"") "}"

static void test_data_path_output(void)
{
	static struct session_msg s;
	struct device_msg d;
	struct listing l;
	char drops[512];
	unsigned int i;
	int n = 0;

	/* The expected drop list is spelled out: check it has every drop. */
	for (i = 0; i < __JUMP_DROP_MAX; i++)
		n += snprintf(drops + n, sizeof(drops) - n, "%s %u ", jump_drop_name(i), 100 + i);
	drops[n - 1] = '\n';
	tap_ok(!strncmp(TEXT_DROPS, "    drops ", 10) && !strcmp(TEXT_DROPS + 10, drops),
	       "the expected drops line names every drop");

	set_opts(false, false, false, false);
	tap_ok(!strcmp(list_sessions(BOUND | DP | DROPS, 1, true), TEXT_LINE1 TEXT_BINDING),
	       "text: the data path fields need -d, the drops -s");
	set_opts(false, true, true, false);
	tap_ok(!strcmp(list_sessions(BOUND | DP | DROPS, 1, true),
		       TEXT_LINE1 TEXT_BINDING TEXT_DETAILS TEXT_DP TEXT_STATS TEXT_DROPS),
	       "text: -d prints indexes, times, allowed-ips, keys; -s the drops");
	set_opts(false, false, true, false);
	list_sessions(0, 1, true);
	tap_ok(!strstr(out, "allowed-ips") && !strstr(out, "keys") && !strstr(out, "index"),
	       "text: an older kernel's session prints no empty data path lines");
	parse_session_msg(prefixes_msg(0, 0), &s);
	s.has |= HAS_KEYS;
	listing_init(&l, capture());
	listing_session(&l, &s, "jump0");
	listing_end(&l, true);
	tap_ok(strstr(captured(), "\n    allowed-ips none\n    keys none\n") != NULL,
	       "text: an empty prefix set and no keys print as none");

	set_opts(true, false, false, false);
	tap_ok(!strcmp(list_sessions(BOUND | DP | DROPS, 1, true),
		       "[" JSON_SESSION JSON_DP JSON_BINDING "}]\n"),
	       "JSON: the data path fields, always (as every field but stats)");
	set_opts(true, true, false, false);
	tap_ok(!strcmp(list_sessions(BOUND | DP | DROPS, 1, true),
		       "[" JSON_SESSION JSON_DP JSON_BINDING
		       ",\"stats\":{\"rx_packets\":10,\"rx_bytes\":1000,\"tx_packets\":20,"
		       "\"tx_bytes\":2000,\"transitions\":2" JSON_DROPS "}}]\n"),
	       "JSON: -s adds the drops object inside stats");
	opt.pretty = true;
	list_sessions(DP | DROPS, 1, true);
	tap_ok(strstr(out, "\n        \"keys\": [\n            {\n                \"slot\": \"primary\",") &&
	       strstr(out, "\n            \"drops\": {\n                \"bad_header\": 100,"),
	       "JSON: -p nests keys and drops");

	parse_device_msg(device_msg_stats(true), &d);
	set_opts(false, true, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strcmp(captured(), "3: jump0: sessions 3 max 1048576 event_seq 7\n"
		       "    states birth 1 attached 2 volatile 0 degraded 0 recovering 0 terminated 0\n"
		       "    stats rx_packets 1 rx_bytes 2 tx_packets 3 tx_bytes 4\n" TEXT_DROPS),
	       "text: link show -s prints the device's stats (those sent) and drops");
	set_opts(true, true, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strcmp(captured(), "[{\"ifname\":\"jump0\",\"ifindex\":3,\"sessions\":3,"
		       "\"max_sessions\":1048576,\"event_seq\":7,\"states\":{\"birth\":1,"
		       "\"attached\":2,\"volatile\":0,\"degraded\":0,\"recovering\":0,"
		       "\"terminated\":0},\"stats\":{\"rx_packets\":1,\"rx_bytes\":2,"
		       "\"tx_packets\":3,\"tx_bytes\":4" JSON_DROPS "}}]\n"),
	       "JSON: link show -s adds the device's stats object");
	set_opts(true, false, false, false);
	listing_init(&l, capture());
	listing_device(&l, &d);
	listing_end(&l, true);
	tap_ok(!strstr(captured(), "stats"), "JSON: no device stats without -s");
}

static const char *notice(uint8_t cmd, bool seq, bool bound)
{
	static struct session_msg s;
	FILE *f = capture();

	parse_session_msg(notice_msg(cmd, seq, bound), &s);
	s.changed_ns = CHANGED;	/* as the monitor stamps it */
	print_notice(f, &s, "jump0");
	return captured();
}

static void test_notices(void)
{
	set_opts(false, false, false, false);
	tap_ok(!strcmp(notice(JUMP_CMD_UNBOUND_SOURCE, false, true),
		       "unbound-source session 00000000000000ab dev jump0 from 192.0.2.7:4444 epoch 2\n"),
	       "text: unbound-source");
	tap_ok(!strcmp(notice(JUMP_CMD_UNBOUND_SOURCE, false, false),
		       "unbound-source session 00000000000000ab dev jump0 from 192.0.2.7:4444\n"),
	       "text: unbound-source of an unbound session has no epoch");
	tap_ok(!strcmp(notice(JUMP_CMD_KEY_EXPIRING, false, false),
		       "key-expiring session 00000000000000ab dev jump0 slot primary key-id 1 "
		       "reason key_expired\n"), "text: key-expiring");
	tap_ok(!strcmp(notice(JUMP_CMD_KEY_EXPIRING, true, false),
		       "[seq 13] key-expiring session 00000000000000ab dev jump0 slot primary "
		       "key-id 1 reason key_expired\n"), "text: a numbered notice shows its seq");
	set_opts(false, false, true, true);
	tap_ok(!strcmp(notice(JUMP_CMD_UNBOUND_SOURCE, true, true),
		       "2023-11-14T22:13:21.456+00:00 [seq 13] unbound-source session "
		       "00000000000000ab dev jump0 from 192.0.2.7:4444 epoch 2 binding local "
		       "10.0.0.1:51820 remote 10.0.0.2:40000\n"),
	       "text: -t starts with the time, -d ends with the binding");
	set_opts(true, false, false, false);
	tap_ok(!strcmp(notice(JUMP_CMD_UNBOUND_SOURCE, false, true),
		       "{\"event\":\"unbound_source\",\"time_ns\":1700000001456000000,"
		       "\"ifname\":\"jump0\",\"ifindex\":3,\"id\":\"00000000000000ab\","
		       "\"source\":\"192.0.2.7:4444\",\"binding\":{\"local\":\"10.0.0.1:51820\","
		       "\"remote\":\"10.0.0.2:40000\",\"epoch\":2}}\n"),
	       "JSON: unbound_source");
	opt.pretty = true;
	tap_ok(!strcmp(notice(JUMP_CMD_KEY_EXPIRING, true, false),
		       "{\"seq\":13,\"event\":\"key_expiring\",\"time_ns\":1700000001456000000,"
		       "\"ifname\":\"jump0\",\"ifindex\":3,\"id\":\"00000000000000ab\","
		       "\"slot\":\"primary\",\"key_id\":1,\"reason\":\"key_expired\"}\n"),
	       "JSON: key_expiring, one line even with -p, seq when numbered");
}

static void test_accounting(void)
{
	static struct monitor m;
	struct monitor_dev *d, *e;
	unsigned int i;
	bool all;

	monitor_baseline(&m, 3, "jump0", 5);
	d = monitor_dev(&m, 3);
	tap_ok(d && !strcmp(d->ifname, "jump0") && monitor_dev(&m, 3) == d,
	       "a device has one entry");
	tap_ok(monitor_account(d, 4) == 0 && monitor_account(d, 5) == 0,
	       "events queued before the baseline was taken are not gaps");
	tap_ok(monitor_account(d, 6) == 0, "the event after the baseline is no gap");
	tap_ok(monitor_account(d, 9) == 2, "a jump of 3 is 2 lost events");
	tap_ok(monitor_account(d, 10) == 0, "then the sequence goes on");
	tap_ok(monitor_account(d, 1) == 0 && d->seq == 1,
	       "a sequence restarting at 1 is a new device on the index, no loss");
	tap_ok(d->ifname[0] == '\0', "... whose name is looked up again");
	tap_ok(monitor_account(d, 2) == 0 && monitor_account(d, 5) == 2,
	       "... and is checked from there");
	tap_ok(monitor_account(d, 3) == 2, "a restart that skipped events counts them from 1");

	e = monitor_dev(&m, 4);
	tap_ok(e && monitor_account(e, 1) == 0,
	       "a device created after we started starts at 1");
	e = monitor_dev(&m, 5);
	tap_ok(monitor_account(e, 4) == 3, "... and missing its first events is a gap");

	all = true;
	for (i = 0; i < 2 * MONITOR_MAX_DEVICES; i++)
		all &= monitor_dev(&m, 100 + i) != NULL || m.ndev == MONITOR_MAX_DEVICES;
	tap_ok(all && monitor_dev(&m, 100000) == NULL && monitor_dev(&m, 3) == d,
	       "a full table takes no more devices, keeps the old ones");
}

#define KEY2 "Ym9ndXMga2V5IG9mIDMyIGJ5dGVzIGZvciB0ZXN0cyE="

/* Two devices' sessions, as two dumps would send them. */
static const struct {
	const char *ifname;
	uint32_t ifindex;
	uint64_t id;
	uint8_t state;
	const char *peer;
} fleet[] = {
	{ "jump0", 3, 1, JUMP_STATE_ATTACHED, KEY },
	{ "jump0", 3, 2, JUMP_STATE_DEGRADED, KEY2 },
	{ "jump0", 3, 3, JUMP_STATE_ATTACHED, KEY2 },
	{ "jump1", 4, 4, JUMP_STATE_ATTACHED, KEY },
	{ "jump1", 4, 5, JUMP_STATE_RECOVERING, KEY },
};

/* A client session of fleet[i], with the attributes every session has. */
static struct nlmsghdr *fleet_msg(size_t i)
{
	struct nlmsghdr *nlh = genl_request(buf, 42, JUMP_CMD_SESSION_GET, 0);
	uint8_t key[JUMP_PUBKEY_LEN];

	parse_pubkey(fleet[i].peer, key);
	mnl_attr_put_u32(nlh, JUMP_A_IFINDEX, fleet[i].ifindex);
	mnl_attr_put_u64(nlh, JUMP_A_SESSION_ID, fleet[i].id);
	mnl_attr_put_u8(nlh, JUMP_A_ROLE, JUMP_ROLE_CLIENT);
	mnl_attr_put(nlh, JUMP_A_PEER_PUBKEY, JUMP_PUBKEY_LEN, key);
	mnl_attr_put_u8(nlh, JUMP_A_STATE, fleet[i].state);
	mnl_attr_put_u64(nlh, JUMP_A_VERSION, fleet[i].id + 1);
	mnl_attr_put_u16(nlh, JUMP_A_REASON, JUMP_REASON_RX_SILENCE);
	mnl_attr_put_u64(nlh, JUMP_A_CREATED_NS, CREATED);
	mnl_attr_put_u64(nlh, JUMP_A_CHANGED_NS, CHANGED);
	return nlh;
}

/* "session @line" over the fleet, as the show of every device prints it. */
static const char *show_fleet(const char *line)
{
	static struct session_args a;
	char words[256], *argv[16], *save, *w;
	struct listing l;
	int argc = 0;
	size_t i;

	snprintf(words, sizeof(words), "%s", line);
	for (w = strtok_r(words, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (session_parse(argc, argv, &a))
		return "(usage error)";
	listing_init(&l, capture());
	for (i = 0; i < sizeof(fleet) / sizeof(fleet[0]); i++)
		if (!a.dev || !strcmp(a.dev, fleet[i].ifname))
			session_show_msg(&l, &a, fleet_msg(i), fleet[i].ifname);
	listing_end(&l, true);
	return captured();
}

#define S1 "session 0000000000000001 dev jump0 role client state attached version 2 peer " KEY "\n"
#define S2 "session 0000000000000002 dev jump0 role client state degraded version 3 peer " KEY2 "\n"
#define S3 "session 0000000000000003 dev jump0 role client state attached version 4 peer " KEY2 "\n"
#define S4 "session 0000000000000004 dev jump1 role client state attached version 5 peer " KEY "\n"
#define S5 "session 0000000000000005 dev jump1 role client state recovering version 6 peer " KEY "\n"
#define J(dev, idx, n, state, version, key) "{\"ifname\":\"" dev "\",\"ifindex\":" #idx \
	",\"id\":\"000000000000000" #n "\",\"role\":\"client\",\"peer\":\"" key "\"," \
	"\"state\":\"" state "\",\"version\":" #version "," \
	"\"reason\":\"rx_silence\",\"created_ns\":1700000000123456789," \
	"\"changed_ns\":1700000001456000000}"

static void test_json_checker(void)
{
	char canon[256];

	tap_ok(json_check("{\"b\": 1, \"a\": [true, null, \"x\\u00e9\"]}\n", canon,
			  sizeof(canon)) &&
	       !strcmp(canon, "{\"a\": [true, null, \"x\\u00e9\"], \"b\": 1}"),
	       "the JSON checker reads JSON and gives it back with sorted keys");
	tap_ok(!json_check("[{\"a\": 1,}]", NULL, 0), "it refuses a trailing comma");
	tap_ok(!json_check("{\"a\": 1, \"a\": 2}", NULL, 0), "it refuses a duplicate key");
	tap_ok(!json_check("[1]\n[2]\n", NULL, 0) && !json_check("[1] x", NULL, 0),
	       "it refuses anything after the value");
	tap_ok(!json_check("[NaN]", NULL, 0) && !json_check("", NULL, 0) &&
	       !json_check("{\"a\": \"\x01\"}", NULL, 0),
	       "it refuses NaN, nothing, and a raw control character");
}

static void test_show_filters(void)
{
	char canon[4096];

	set_opts(false, false, false, false);
	tap_ok(!strcmp(show_fleet("show"), S1 S2 S3 S4 S5),
	       "text: show without dev lists every device's sessions, each with its device");
	tap_ok(!strcmp(show_fleet("show state attached"), S1 S3 S4),
	       "text: state attached keeps the attached ones, of both devices");
	tap_ok(!strcmp(show_fleet("show peer " KEY), S1 S4 S5),
	       "text: peer keeps that peer's sessions");
	tap_ok(!strcmp(show_fleet("show state attached peer " KEY), S1 S4),
	       "text: state and peer together: both must hold");
	tap_ok(!strcmp(show_fleet("show dev jump1 state recovering"), S5),
	       "text: a filter on one device's dump");
	tap_ok(!strcmp(show_fleet("show state birth"), ""), "text: nothing passes: nothing printed");

	set_opts(true, false, false, false);
	show_fleet("show state attached peer " KEY);
	tap_ok(!strcmp(out, "[" J("jump0", 3, 1, "attached", 2, KEY) ","
		       J("jump1", 4, 4, "attached", 5, KEY) "]\n"),
	       "JSON: one array across the devices, only what passes");
	tap_ok(json_check(out, canon, sizeof(canon)) && canon[0] == '[' &&
	       strstr(canon, "\"ifname\": \"jump1\"") && !strstr(canon, KEY2),
	       "JSON: a parser reads it back: two sessions of peer " KEY);
	show_fleet("show peer " KEY2);
	tap_ok(!strcmp(out, "[" J("jump0", 3, 2, "degraded", 3, KEY2) ","
		       J("jump0", 3, 3, "attached", 4, KEY2) "]\n") && json_check(out, NULL, 0),
	       "JSON: peer only, and it parses");
	tap_ok(!strcmp(show_fleet("show state terminated"), "[]\n") && json_check(out, NULL, 0),
	       "JSON: nothing passes: [], which parses");
	opt.pretty = true;
	show_fleet("show");
	tap_ok(starts_with(out, "[\n    {\n        \"ifname\": \"jump0\",\n") &&
	       count_lines(out) == 5 * 12 + 2 && json_check(out, canon, sizeof(canon)),
	       "JSON: -p over every device parses too (%d lines)", count_lines(out));
}

static void test_time(void)
{
	char t[TIME_LEN];

	setenv("TZ", "UTC0", 1);
	tzset();
	format_time_ns(CREATED, t);
	tap_ok(!strcmp(t, "2023-11-14T22:13:20.123+00:00"), "UTC time with milliseconds (%s)", t);
	format_time_ns(0, t);
	tap_ok(!strcmp(t, "1970-01-01T00:00:00.000+00:00"), "the epoch");
	setenv("TZ", "IST-5:30", 1);
	tzset();
	format_time_ns(CREATED, t);
	tap_ok(!strcmp(t, "2023-11-15T03:43:20.123+05:30"), "a positive offset (%s)", t);
	setenv("TZ", "NST3:30", 1);
	tzset();
	format_time_ns(999999999, t);
	tap_ok(!strcmp(t, "1969-12-31T20:30:00.999-03:30"), "a negative offset (%s)", t);
	setenv("TZ", "UTC0", 1);
	tzset();
}

int main(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	test_parse();
	test_sessions();
	test_devices();
	test_hostile_ifname_escaped();
	test_events();
	test_data_path_parse();
	test_data_path_output();
	test_notices();
	test_accounting();
	test_json_checker();
	test_show_filters();
	test_time();
	free(out);
	return tap_done();
}
