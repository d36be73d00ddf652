// SPDX-License-Identifier: GPL-2.0
/* jumpctl's parsing: everything a user types, checked without a kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "args.h"
#include "json.h"
#include "jumpctl.h"
#include "session.h"
#include "tap.h"

static const char *const kw[] = { "show", "set", "add", "del", NULL };
static const char *key = "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=";

/* session_parse() on a space-separated line; usage errors go to /dev/null. */
static int parse_line(const char *line, struct session_args *a)
{
	static char buf[512];
	char *argv[32], *save, *w;
	int argc = 0, err, saved = dup(2), null = open("/dev/null", O_WRONLY);

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	dup2(null, 2);
	err = session_parse(argc, argv, a);
	dup2(saved, 2);
	close(null);
	close(saved);
	return err;
}

static void test_keywords(void)
{
	tap_ok(match_keyword("s", kw) == 0, "an abbreviation resolves by priority (s = show)");
	tap_ok(match_keyword("se", kw) == 1, "a longer abbreviation is unique (se = set)");
	tap_ok(match_keyword("add", kw) == 2, "a full keyword matches");
	tap_ok(match_keyword("adds", kw) == -1, "a longer word does not match");
	tap_ok(match_keyword("", kw) == -1, "the empty word does not match");
	tap_ok(match_keyword("x", kw) == -1, "an unknown word does not match");
}

static void test_numbers(void)
{
	uint64_t v;
	uint32_t u;

	tap_ok(parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX, "u64 max parses");
	tap_ok(parse_u64("18446744073709551616", &v) != 0, "u64 overflow is refused");
	tap_ok(parse_u64("-1", &v) != 0 && parse_u64("", &v) != 0 && parse_u64("1x", &v) != 0,
	       "negative, empty and trailing junk are refused");
	tap_ok(parse_u32("4294967296", &u) != 0, "u32 overflow is refused");
	tap_ok(parse_session_id("0x00000000000000c1", &v) == 0 && v == 0xc1, "ids are hex with 0x");
	tap_ok(parse_session_id("3f2a9c0b1d2e4f60", &v) == 0 && v == 0x3f2a9c0b1d2e4f60ULL,
	       "ids are hex without 0x");
	tap_ok(parse_session_id("3f2a9c0b1d2e4f601", &v) != 0, "an id over 16 digits is refused");
	tap_ok(parse_session_id("zz", &v) != 0, "a non-hex id is refused");
}

static void test_endpoints(void)
{
	struct endpoint ep;
	char buf[64];

	tap_ok(parse_endpoint("10.0.0.1:51820", &ep) == 0 && ep.family == AF_INET &&
	       ep.port == 51820, "IPv4 endpoint parses");
	format_endpoint(&ep, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "10.0.0.1:51820"), "IPv4 endpoint formats back");
	tap_ok(parse_endpoint("[2001:db8::1]:443", &ep) == 0 && ep.family == AF_INET6 &&
	       ep.port == 443, "IPv6 endpoint parses");
	format_endpoint(&ep, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "[2001:db8::1]:443"), "IPv6 endpoint formats back");
	tap_ok(parse_endpoint("10.0.0.1", &ep) != 0, "a missing port is refused");
	tap_ok(parse_endpoint("10.0.0.1:65536", &ep) != 0, "a port over 65535 is refused");
	tap_ok(parse_endpoint("2001:db8::1:443", &ep) != 0, "IPv6 without brackets is refused");
	tap_ok(parse_endpoint("[2001:db8::1]443", &ep) != 0, "a missing colon is refused");
	tap_ok(parse_endpoint("10.0.0.300:1", &ep) != 0, "a bad address is refused");
}

static void test_keys(void)
{
	uint8_t k[JUMP_PUBKEY_LEN];
	char buf[PUBKEY_B64_LEN];

	tap_ok(parse_pubkey(key, k) == 0, "a base64 key of 32 bytes parses");
	format_pubkey(k, buf, sizeof(buf));
	tap_ok(!strcmp(buf, key), "the key formats back identically");
	tap_ok(parse_pubkey("AAAA", k) != 0, "a short key is refused");
	tap_ok(parse_pubkey("!wXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=", k) != 0,
	       "a key with a non-base64 character is refused");
}

static void test_session_lines(void)
{
	struct session_args a;
	char line[256];

	snprintf(line, sizeof(line), "add dev jump0 role server peer %s", key);
	tap_ok(parse_line(line, &a) == 0 && a.cmd == SESSION_ADD && a.role == JUMP_ROLE_SERVER &&
	       !a.has_id && !strcmp(a.dev, "jump0"), "session add for a server");
	snprintf(line, sizeof(line), "a d jump0 ro client pe %s i c1", key);
	tap_ok(parse_line(line, &a) == 0 && a.cmd == SESSION_ADD && a.has_id && a.id == 0xc1,
	       "abbreviated keywords work");
	tap_ok(parse_line("set dev j id 1 version 2 state attached reason reattach_complete "
			  "local 1.2.3.4:1 remote [::1]:2", &a) == 0 &&
	       a.state == JUMP_STATE_ATTACHED && a.reason == JUMP_REASON_REATTACH_COMPLETE &&
	       a.has_local && a.remote.family == AF_INET6, "session set with a binding");
	tap_ok(parse_line("show dev j", &a) == 0 && a.cmd == SESSION_SHOW && !a.has_id,
	       "session show is a dump without id");
	tap_ok(parse_line("", &a) == EXIT_USAGE, "session with no dev is a usage error");
	tap_ok(parse_line("set dev j id 1 version 2 state attached", &a) == EXIT_USAGE,
	       "set without a reason is a usage error");
	tap_ok(parse_line("set dev j id 1 version 2 state attached reason handshake_complete local 1.2.3.4:5", &a) == EXIT_USAGE,
	       "a binding needs both ends");
	tap_ok(parse_line("set dev j id 1 version 2 state bogus reason link_down", &a) == EXIT_USAGE,
	       "an unknown state is a usage error");
	tap_ok(parse_line("show dev j id zz", &a) == EXIT_USAGE, "a bad id is a usage error");
	tap_ok(parse_line("show dev j dev k", &a) == EXIT_USAGE, "a keyword given twice is refused");
	tap_ok(parse_line("show dev j peer x", &a) == EXIT_USAGE,
	       "a keyword the command does not take is refused");
	tap_ok(parse_line("show dev", &a) == EXIT_USAGE, "a keyword without value is refused");
	tap_ok(parse_line("frob dev j", &a) == EXIT_USAGE, "an unknown command is refused");
	tap_ok(parse_line("del dev j id 1 help", &a) == 0 && a.cmd == SESSION_HELP,
	       "help anywhere asks for help");
}

static void test_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f, false);
	json_open(&j, '[');
	json_open(&j, '{');
	json_kv_str(&j, "a", "q\"uo\\te\n\x01");
	json_kv_u64(&j, "n", 18446744073709551615ULL);
	json_key(&j, "o");
	json_open(&j, '{');
	json_close(&j, '}');
	json_close(&j, '}');
	json_open(&j, '{');
	json_close(&j, '}');
	json_close(&j, ']');
	fclose(f);
	tap_ok(!strcmp(buf, "[{\"a\":\"q\\\"uo\\\\te\\n\\u0001\",\"n\":18446744073709551615,\"o\":{}},{}]"),
	       "JSON escapes strings and separates items (%s)", buf);
	free(buf);
}

int main(void)
{
	test_keywords();
	test_numbers();
	test_endpoints();
	test_keys();
	test_session_lines();
	test_json();
	return tap_done();
}
