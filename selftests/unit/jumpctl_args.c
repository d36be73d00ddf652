// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl's parsing: everything a user types is checked here, without a
 * kernel, and so are the netlink requests the parsed lines become.
 *
 * Over 600 lines: one case per command line and per refusal, each a few
 * independent lines; the file is jumpctl's grammar, checked.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <sodium.h>

#include "args.h"
#include "json.h"
#include "jumpctl.h"
#include "link.h"
#include "monitor.h"
#include "policy.h"
#include "session.h"
#include "tap.h"

#define KEY "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0="

/* What the last parse wrote to stderr. */
static char err_text[512];

/* Splits @line on blanks into @argv (pointing into @buf). */
static int split(const char *line, char *buf, size_t len, char **argv)
{
	char *save, *w;
	int argc = 0;

	snprintf(buf, len, "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 31;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

typedef int (*parse_fn)(int argc, char **argv, void *out);

/* Runs @parse on @argv with stderr captured into err_text. */
static int run_parse_argv(parse_fn parse, int argc, char **argv, void *out)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	if (!tmp)
		abort();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	ret = parse(argc, argv, out);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(err_text, 1, sizeof(err_text) - 1, tmp);
	err_text[n] = '\0';
	fclose(tmp);
	return ret;
}

/* Runs @parse on @line with stderr captured into err_text. */
static int run_parse(parse_fn parse, const char *line, void *out)
{
	static char buf[8192];
	char *argv[32];
	int argc = split(line, buf, sizeof(buf), argv);

	return run_parse_argv(parse, argc, argv, out);
}

static int session_fn(int argc, char **argv, void *out)
{
	return session_parse(argc, argv, out);
}

static int link_fn(int argc, char **argv, void *out)
{
	return link_parse(argc, argv, out);
}

static int monitor_fn(int argc, char **argv, void *out)
{
	return monitor_parse(argc, argv, out);
}

static int options_fn(int argc, char **argv, void *out)
{
	return options_parse(argc, argv, out);
}

static int session_line(const char *line, struct session_args *a)
{
	return run_parse(session_fn, line, a);
}

/* A usage error: exit status 1, and one line "Error: ....\n" on stderr. */
static bool usage_err(int ret)
{
	size_t len = strlen(err_text);

	return ret == EXIT_USAGE && !strncmp(err_text, "Error: ", 7) &&
	       len > 9 && !strcmp(err_text + len - 2, ".\n") &&
	       strchr(err_text, '\n') == err_text + len - 1;
}

static void test_keywords(void)
{
	static const char *const kw[] = { "show", "set", "add", "del", NULL };

	tap_ok(match_keyword("add", kw) == 2, "a full keyword matches itself");
	tap_ok(match_keyword("a", kw) == 2, "a unique prefix matches (a = add)");
	tap_ok(match_keyword("s", kw) == 0,
	       "an ambiguous prefix resolves to the first listed (s = show)");
	tap_ok(match_keyword("se", kw) == 1, "a longer prefix disambiguates (se = set)");
	tap_ok(match_keyword("adds", kw) == -1, "a word longer than the keyword does not match");
	tap_ok(match_keyword("x", kw) == -1, "an unknown word does not match");
	tap_ok(match_keyword("", kw) == -1, "the empty word matches nothing");
	tap_ok(match_keyword("S", kw) == -1, "matching is case sensitive");
	tap_ok(match_keyword_mask("s", kw, 1U << 1 | 1U << 3) == 1,
	       "a mask leaves out keywords the command does not take");
	tap_ok(match_keyword_mask("a", kw, 1U << 1) == -1,
	       "a masked-out keyword does not match");
}

static void test_numbers(void)
{
	uint64_t v = 7;
	uint32_t u;
	uint16_t p;

	tap_ok(parse_u64("0", &v) == 0 && v == 0, "u64 0 parses");
	tap_ok(parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX,
	       "u64 max parses");
	tap_ok(parse_u64("18446744073709551616", &v) != 0, "u64 max + 1 is refused");
	tap_ok(parse_u64("99999999999999999999", &v) != 0, "a 20-digit overflow is refused");
	tap_ok(parse_u64("-1", &v) != 0, "a negative number is refused");
	tap_ok(parse_u64("+1", &v) != 0, "a plus sign is refused");
	tap_ok(parse_u64(" 1", &v) != 0 && parse_u64("\t1", &v) != 0,
	       "leading blanks are refused");
	tap_ok(parse_u64("", &v) != 0, "an empty number is refused");
	tap_ok(parse_u64("1x", &v) != 0 && parse_u64("1 ", &v) != 0,
	       "trailing junk is refused");
	tap_ok(parse_u64("0x10", &v) != 0, "versions are decimal, not hex");
	v = 7;
	parse_u64("12a", &v);
	tap_ok(v == 7, "a refused number leaves the output alone");
	tap_ok(parse_u32("4294967295", &u) == 0 && u == UINT32_MAX, "u32 max parses");
	tap_ok(parse_u32("4294967296", &u) != 0, "u32 overflow is refused");
	tap_ok(parse_port("65535", &p) == 0 && p == 65535, "port 65535 parses");
	tap_ok(parse_port("0", &p) == 0 && p == 0, "port 0 parses (the kernel judges it)");
	tap_ok(parse_port("65536", &p) != 0, "port 65536 is refused");
	tap_ok(parse_port("http", &p) != 0, "a service name is not a port");
}

static void test_ids(void)
{
	char buf[SESSION_ID_LEN];
	uint64_t v;

	tap_ok(parse_session_id("3f2a9c0b1d2e4f60", &v) == 0 &&
	       v == 0x3f2a9c0b1d2e4f60ULL, "an id is 16 hex digits");
	tap_ok(parse_session_id("0x00000000000000c1", &v) == 0 && v == 0xc1,
	       "an id may start with 0x");
	tap_ok(parse_session_id("0XC1", &v) == 0 && v == 0xc1,
	       "0X and upper-case digits are accepted");
	tap_ok(parse_session_id("c1", &v) == 0 && v == 0xc1, "a short id needs no padding");
	tap_ok(parse_session_id("ffffffffffffffff", &v) == 0 && v == UINT64_MAX,
	       "the largest id parses");
	tap_ok(parse_session_id("10000000000000000", &v) != 0, "17 hex digits are refused");
	tap_ok(parse_session_id("zz", &v) != 0, "a non-hex id is refused");
	tap_ok(parse_session_id("0x", &v) != 0 && parse_session_id("", &v) != 0,
	       "an empty id is refused");
	tap_ok(parse_session_id("0x0x5", &v) != 0, "0x only once");
	tap_ok(parse_session_id("-1", &v) != 0 && parse_session_id(" 1", &v) != 0,
	       "a sign or a blank in an id is refused");
	format_session_id(0xc1, buf);
	tap_ok(!strcmp(buf, "00000000000000c1"), "ids print as 16 lower-case hex digits");
	format_session_id(UINT64_MAX, buf);
	tap_ok(!strcmp(buf, "ffffffffffffffff"), "the largest id prints whole");
}

static void test_endpoints(void)
{
	struct endpoint ep;
	char buf[ENDPOINT_LEN];

	tap_ok(parse_endpoint("10.0.0.1:51820", &ep) == 0 && ep.family == AF_INET &&
	       ep.port == 51820 && ep.addr.v4.s_addr == htonl(0x0a000001),
	       "an IPv4 endpoint parses");
	format_endpoint(&ep, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "10.0.0.1:51820"), "an IPv4 endpoint prints back");
	tap_ok(parse_endpoint("[2001:db8::1]:443", &ep) == 0 && ep.family == AF_INET6 &&
	       ep.port == 443 && ep.addr.v6.s6_addr[15] == 1,
	       "an IPv6 endpoint parses");
	format_endpoint(&ep, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "[2001:db8::1]:443"), "an IPv6 endpoint prints back");
	tap_ok(parse_endpoint("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535", &ep) == 0,
	       "the longest IPv6 endpoint parses");
	format_endpoint(&ep, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"),
	       "the longest IPv6 endpoint fits the buffer");
	tap_ok(parse_endpoint("10.0.0.1", &ep) != 0, "a missing port is refused");
	tap_ok(parse_endpoint("10.0.0.1:", &ep) != 0, "an empty port is refused");
	tap_ok(parse_endpoint("10.0.0.1:65536", &ep) != 0, "a port over 65535 is refused");
	tap_ok(parse_endpoint("10.0.0.1:1:2", &ep) != 0, "two colons after IPv4 are refused");
	tap_ok(parse_endpoint("2001:db8::1:443", &ep) != 0, "IPv6 without brackets is refused");
	tap_ok(parse_endpoint("[2001:db8::1]443", &ep) != 0, "a missing colon after ] is refused");
	tap_ok(parse_endpoint("[2001:db8::1:443", &ep) != 0, "a missing ] is refused");
	tap_ok(parse_endpoint("[10.0.0.1]:1", &ep) != 0, "IPv4 in brackets is refused");
	tap_ok(parse_endpoint("10.0.0.300:1", &ep) != 0, "a bad IPv4 address is refused");
	tap_ok(parse_endpoint(":1", &ep) != 0 && parse_endpoint("[]:1", &ep) != 0,
	       "an empty address is refused");
	tap_ok(parse_endpoint("host.example:1", &ep) != 0, "names are not resolved");
	tap_ok(parse_endpoint("[fe80::1%eth0]:1", &ep) != 0, "a scope id is refused");
	tap_ok(ep.family == 0, "a refused endpoint is left empty");
}

static void test_keys(void)
{
	uint8_t k[JUMP_PUBKEY_LEN];
	char buf[PUBKEY_B64_LEN];

	tap_ok(parse_pubkey(KEY, k) == 0 && k[0] == 0x03, "a base64 key of 32 bytes parses");
	format_pubkey(k, buf);
	tap_ok(!strcmp(buf, KEY), "the key prints back identically");
	{
		char want[PUBKEY_B64_LEN];
		int i, same = 0;

		for (i = 0; i < 1000; i++) {
			randombytes_buf(k, sizeof(k));
			if (i == 0)
				memset(k, 0xff, sizeof(k));
			format_pubkey(k, buf);
			sodium_bin2base64(want, sizeof(want), k, sizeof(k),
					  sodium_base64_VARIANT_ORIGINAL);
			same += !strcmp(buf, want);
		}
		tap_ok(same == 1000, "format_pubkey() writes what sodium_bin2base64() does (%d of 1000)",
		       same);
	}
	tap_ok(parse_pubkey("AAAA", k) != 0, "a short key is refused");
	tap_ok(parse_pubkey(KEY "AAAA", k) != 0, "a long key is refused");
	tap_ok(parse_pubkey("!wXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=", k) != 0,
	       "a non-base64 character is refused");
	tap_ok(parse_pubkey("AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0A", k) != 0,
	       "a key without its padding is refused");
	tap_ok(parse_pubkey("AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l1=", k) != 0,
	       "a non-canonical last character is refused");
	tap_ok(parse_pubkey("AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp-l0=", k) != 0,
	       "URL-safe base64 is refused");
	tap_ok(parse_pubkey("AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pY p6l0=", k) != 0,
	       "a blank inside the key is refused");
}

static char *json_of(void (*write)(struct json *j), bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	if (!f)
		abort();
	json_init(&j, f, pretty);
	write(&j);
	fclose(f);
	return buf;
}

static void write_escapes(struct json *j)
{
	json_string(j, "q\"b\\n\nt\tr\rb\bf\fc\x01\x1f\x7f é");
}

/* Twice the buffer in one string, then 60 small items, then a number. */
static void write_long(struct json *j)
{
	static char big[2 * JSON_BUF_SIZE - 1];
	int i;

	memset(big, 'a', sizeof(big) - 1);
	json_open(j, '[');
	json_string(j, big);
	for (i = 0; i < 60; i++)
		json_string(j, "x");
	json_u64(j, 1);
	json_close(j, ']');
}

static void write_nested(struct json *j)
{
	json_open(j, '[');
	json_open(j, '{');
	json_kv_str(j, "a", "x");
	json_kv_u64(j, "n", UINT64_MAX);
	json_key(j, "o");
	json_open(j, '{');
	json_close(j, '}');
	json_key(j, "l");
	json_open(j, '[');
	json_u64(j, 1);
	json_u64(j, 2);
	json_close(j, ']');
	json_close(j, '}');
	json_open(j, '{');
	json_close(j, '}');
	json_close(j, ']');
}

static void test_json(void)
{
	char *s;

	s = json_of(write_escapes, false);
	tap_ok(!strcmp(s, "\"q\\\"b\\\\n\\nt\\tr\\rb\\bf\\fc\\u0001\\u001f\\u007f é\""),
	       "JSON strings escape quotes, backslashes and control characters (%s)", s);
	free(s);
	s = json_of(write_nested, false);
	tap_ok(!strcmp(s, "[{\"a\":\"x\",\"n\":18446744073709551615,\"o\":{},\"l\":[1,2]},{}]"),
	       "compact JSON separates items and keeps empty containers (%s)", s);
	free(s);
	s = json_of(write_long, false);
	tap_ok(strlen(s) == 1 + 2 * JSON_BUF_SIZE + 4 * 60 + 3 && !strncmp(s, "[\"aaa", 5) &&
	       !strcmp(s + strlen(s) - 6, "\"x\",1]"),
	       "past the writer's buffer nothing is lost or reordered (%zu bytes)", strlen(s));
	free(s);
	s = json_of(write_nested, true);
	tap_ok(!strcmp(s, "[\n    {\n        \"a\": \"x\",\n        \"n\": 18446744073709551615,\n"
			  "        \"o\": {},\n        \"l\": [\n            1,\n            2\n"
			  "        ]\n    },\n    {}\n]"),
	       "pretty JSON indents by four spaces, one item per line");
	free(s);
}

static void test_options(void)
{
	struct options o;
	char *argv[8];

	tap_ok(run_parse(options_fn, "-j -s -d -t link", &o) == 4 && o.json &&
	       o.stats && o.details && o.timestamp && !o.pretty,
	       "options stop at the object and set their flags");
	tap_ok(run_parse(options_fn, "-p session", &o) == 1 && o.pretty && o.json,
	       "-p implies -j");
	tap_ok(run_parse(options_fn, "--json -stats -statistics -Version", &o) == 4 &&
	       o.json && o.stats && o.version, "long forms and --options work");
	tap_ok(run_parse(options_fn, "-b file", &o) == 2 && o.batch &&
	       !strcmp(o.batch, "file"), "-batch takes the next word");
	tap_ok(usage_err(run_parse(options_fn, "-batch", &o) < 0 ? EXIT_USAGE : 0),
	       "-batch without a file is a usage error");
	tap_ok(usage_err(run_parse(options_fn, "-x", &o) < 0 ? EXIT_USAGE : 0),
	       "an unknown option is a usage error");
	tap_ok(usage_err(run_parse(options_fn, "-", &o) < 0 ? EXIT_USAGE : 0),
	       "a lone dash is a usage error");
	argv[0] = NULL;
	tap_ok(options_parse(0, argv, &o) == 0, "no options at all");
}

static void test_session_lines(void)
{
	struct session_args a;
	char line[256];

	snprintf(line, sizeof(line), "add dev jump0 role server peer %s", KEY);
	tap_ok(session_line(line, &a) == 0 && a.cmd == SESSION_ADD &&
	       a.role == JUMP_ROLE_SERVER && !a.has_id && a.has_peer &&
	       !strcmp(a.dev, "jump0"), "session add for a server");
	snprintf(line, sizeof(line), "a d jump0 r client p %s i 0xc1", KEY);
	tap_ok(session_line(line, &a) == 0 && a.cmd == SESSION_ADD &&
	       a.role == JUMP_ROLE_CLIENT && a.has_id && a.id == 0xc1,
	       "abbreviated command and keywords (a d r p i)");
	tap_ok(session_line("set dev j id 1 version 2 state attached reason reattach_complete "
			    "local 1.2.3.4:1 remote [::1]:2", &a) == 0 &&
	       a.cmd == SESSION_SET && a.version == 2 && a.state == JUMP_STATE_ATTACHED &&
	       a.reason == JUMP_REASON_REATTACH_COMPLETE && a.local.family == AF_INET &&
	       a.remote.family == AF_INET6 && a.remote.port == 2,
	       "session set with a binding (families are the kernel's to judge)");
	tap_ok(session_line("se d j i 1 v 2 s volatile r link_down", &a) == 0 &&
	       a.cmd == SESSION_SET && a.state == JUMP_STATE_VOLATILE &&
	       a.reason == JUMP_REASON_LINK_DOWN,
	       "in set, \"r\" is reason (before remote), \"s\" is state");
	tap_ok(session_line("set dev j id 1 version 2 state attached reason reattach_complete "
			    "l 1.2.3.4:1 rem 5.6.7.8:9", &a) == 0 && a.has_remote &&
	       a.remote.port == 9, "\"rem\" is remote");
	tap_ok(session_line("show dev j", &a) == 0 && a.cmd == SESSION_SHOW && !a.has_id,
	       "session show without id (a dump)");
	tap_ok(session_line("s dev j id 3f2a9c0b1d2e4f60", &a) == 0 && a.cmd == SESSION_SHOW &&
	       a.id == 0x3f2a9c0b1d2e4f60ULL, "\"s\" is show, with an id");
	tap_ok(session_line("list dev j", &a) == 0 && a.cmd == SESSION_SHOW, "list is show");
	tap_ok(usage_err(session_line("dev j", &a)),
	       "a keyword in the command's place is not taken for show");
	tap_ok(session_line("del dev j id 1 version 4", &a) == 0 && a.cmd == SESSION_DEL &&
	       a.reason < 0, "session del without a reason");
	tap_ok(session_line("delete dev j id 1 version 4 reason peer_terminate", &a) == 0 &&
	       a.reason == JUMP_REASON_PEER_TERMINATE, "delete with a reason");
	tap_ok(session_line("help", &a) == 0 && a.cmd == SESSION_HELP, "session help");
	tap_ok(session_line("del dev j id 1 help", &a) == 0 && a.cmd == SESSION_HELP,
	       "help in a keyword's place asks for help");

	tap_ok(session_line("", &a) == 0 && a.cmd == SESSION_SHOW && !a.dev,
	       "session alone shows every device's sessions");
	tap_ok(usage_err(session_line("set", &a)) && strstr(err_text, "\"dev\"") != NULL,
	       "set with no dev is a usage error naming dev");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached", &a)) &&
	       strstr(err_text, "\"reason\""), "set without a reason names reason");
	tap_ok(usage_err(session_line("set dev j version 2", &a)) && strstr(err_text, "\"id\""),
	       "set names the first keyword missing (id)");
	snprintf(line, sizeof(line), "add dev j peer %s", KEY);
	tap_ok(usage_err(session_line(line, &a)) && strstr(err_text, "\"role\""),
	       "add without a role names role");
	tap_ok(usage_err(session_line("del dev j id 1", &a)) && strstr(err_text, "\"version\""),
	       "del without a version names version");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached "
				      "reason handshake_complete local 1.2.3.4:5", &a)),
	       "a binding needs both ends");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state Attached reason link_down", &a)),
	       "states are exact names (case)");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state att reason link_down", &a)),
	       "states are never abbreviated");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached reason link", &a)),
	       "reasons are never abbreviated");
	tap_ok(usage_err(session_line("add dev j role serv peer " KEY, &a)),
	       "roles are never abbreviated");
	tap_ok(usage_err(session_line("show dev j id zz", &a)) && strstr(err_text, "\"zz\""),
	       "a bad id is a usage error quoting it");
	tap_ok(usage_err(session_line("set dev x id 1 version 99999999999999999999 "
				      "state attached reason none", &a)),
	       "a version overflow is a usage error");
	tap_ok(usage_err(session_line("add dev j role server peer AAAA", &a)),
	       "a bad key is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 version 1 state attached "
				      "reason none local 1.2.3.4 remote 1.2.3.4:1", &a)),
	       "a bad address is a usage error");
	tap_ok(usage_err(session_line("show dev j dev k", &a)), "a keyword given twice is refused");
	tap_ok(usage_err(session_line("show dev j role server", &a)),
	       "a keyword the command does not take is refused");
	tap_ok(usage_err(session_line("show dev", &a)), "a keyword without value is refused");
	tap_ok(usage_err(session_line("frob dev j", &a)), "an unknown command is refused");
	tap_ok(usage_err(session_line("show dev 0123456789abcdef", &a)),
	       "a device name of 16 characters is refused");
}

#define KEY2 "Ym9ndXMga2V5IG9mIDMyIGJ5dGVzIGZvciB0ZXN0cyE="

static void test_prefixes(void)
{
	struct prefix p;
	char buf[PREFIX_LEN];

	tap_ok(parse_prefix("10.0.0.0/24", &p) == 0 && p.family == AF_INET &&
	       p.len == 24 && p.addr.v4.s_addr == htonl(0x0a000000),
	       "an IPv4 prefix parses");
	tap_ok(parse_prefix("10.0.0.2", &p) == 0 && p.len == 32,
	       "an IPv4 address without a length is a /32");
	tap_ok(parse_prefix("fd00::/64", &p) == 0 && p.family == AF_INET6 &&
	       p.len == 64 && p.addr.v6.s6_addr[0] == 0xfd, "an IPv6 prefix parses");
	tap_ok(parse_prefix("fd00::2", &p) == 0 && p.len == 128,
	       "an IPv6 address without a length is a /128");
	tap_ok(parse_prefix("0.0.0.0/0", &p) == 0 && p.len == 0 &&
	       parse_prefix("::/0", &p) == 0, "default routes parse");
	tap_ok(parse_prefix("10.0.0.1/24", &p) == PREFIX_HOST_BITS,
	       "host bits set are refused as such");
	tap_ok(parse_prefix("10.0.0.128/25", &p) == 0 &&
	       parse_prefix("10.0.0.192/25", &p) == PREFIX_HOST_BITS,
	       "host bits are checked inside a byte");
	tap_ok(parse_prefix("fd00::1/127", &p) == PREFIX_HOST_BITS &&
	       parse_prefix("fd00::1/112", &p) == PREFIX_HOST_BITS &&
	       parse_prefix("fd00::1:0/112", &p) == 0,
	       "IPv6 host bits are refused");
	tap_ok(parse_prefix("10.0.0.0/33", &p) == PREFIX_BAD &&
	       parse_prefix("fd00::/129", &p) == PREFIX_BAD, "a length too long is refused");
	tap_ok(parse_prefix("10.0.0.0/", &p) == PREFIX_BAD &&
	       parse_prefix("10.0.0.0/-1", &p) == PREFIX_BAD &&
	       parse_prefix("10.0.0.0/0024", &p) == PREFIX_BAD &&
	       parse_prefix("10.0.0.0/24/1", &p) == PREFIX_BAD,
	       "a bad length is refused");
	tap_ok(parse_prefix("", &p) == PREFIX_BAD && parse_prefix("/24", &p) == PREFIX_BAD &&
	       parse_prefix("10.0.0/24", &p) == PREFIX_BAD &&
	       parse_prefix("none", &p) == PREFIX_BAD &&
	       parse_prefix("[fd00::]/64", &p) == PREFIX_BAD, "a bad address is refused");
	tap_ok(p.family == 0, "a refused prefix is left empty");
	parse_prefix("fd00:1:2::/48", &p);
	format_prefix(&p, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "fd00:1:2::/48"), "a prefix prints back");
	parse_prefix("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &p);
	format_prefix(&p, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
	       "the longest prefix fits the buffer");
}

static void test_base64(void)
{
	uint8_t k[JUMP_KEY_LEN];

	tap_ok(parse_base64(KEY2, k, JUMP_KEY_LEN) == 0 && k[0] == 'b',
	       "a data key is base64 of JUMP_KEY_LEN bytes");
	tap_ok(parse_base64("AAAA", k, JUMP_KEY_LEN) != 0 &&
	       parse_base64(KEY2 "AAAA", k, JUMP_KEY_LEN) != 0,
	       "a key of the wrong length is refused");
	tap_ok(parse_base64("AAAA", k, 3) == 0 && parse_base64("AAA=", k, 2) == 0 &&
	       parse_base64("AAAA", k, 2) != 0, "other lengths follow the padding");
}

/* "set dev j id 1 allowed-ips LIST" with @n prefixes of @family. */
static int prefix_line(unsigned int n, int family, struct session_args *a)
{
	size_t cap = n * 24 + 1, len = 0;
	char *list = malloc(cap), dev[] = "dev", j[] = "j", id[] = "id", one[] = "1";
	char set[] = "set", ips[] = "allowed-ips";
	char *argv[] = { set, dev, j, id, one, ips, list, NULL };
	unsigned int i;
	int ret;

	if (!list)
		abort();
	list[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(list + len, cap - len, family == AF_INET ?
				"%s10.%u.%u.0/24" : "%sfd00:%x::/32", i ? "," : "",
				i / 256, i % 256);
	ret = run_parse_argv(session_fn, 7, argv, a);
	free(list);
	return ret;
}

static void test_data_path_lines(void)
{
	static struct session_args a;
	char line[512];

	tap_ok(session_line("set dev j id 1 version 2 state attached reason handshake_complete "
			    "local 1.2.3.4:1 remote 5.6.7.8:2 epoch 7 sock-fd 5", &a) == 0 &&
	       a.has_epoch && a.epoch == 7 && a.sock_fd == 5 && !a.settings,
	       "a transition takes epoch and sock-fd");
	tap_ok(session_line("set dev j id 1 version 2 state attached reason handshake_complete "
			    "local 1.2.3.4:1 remote 5.6.7.8:2", &a) == 0 &&
	       !a.has_epoch && a.sock_fd == -1, "without them: no epoch, no fd (yet)");
	tap_ok(session_line("se d j i 1 v 2 s attached r handshake_complete l 1.2.3.4:1 "
			    "rem 5.6.7.8:2 e 3 so 4", &a) == 0 && a.epoch == 3 && a.sock_fd == 4,
	       "\"e\" is epoch, \"so\" sock-fd (\"s\" stays state)");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state volatile reason link_down "
				      "epoch 3", &a)) && strstr(err_text, "binding"),
	       "epoch without a binding is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state volatile reason link_down "
				      "sock-fd 3", &a)) && strstr(err_text, "\"sock-fd\""),
	       "sock-fd without a binding is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached reason none "
				      "local 1.2.3.4:1 remote 5.6.7.8:2 sock-fd -1", &a)) &&
	       usage_err(session_line("set dev j id 1 version 2 state attached reason none "
				      "local 1.2.3.4:1 remote 5.6.7.8:2 sock-fd 2147483648", &a)),
	       "a bad socket fd is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached reason none "
				      "local 1.2.3.4:1 remote 5.6.7.8:2 epoch 4294967296", &a)),
	       "an epoch overflow is a usage error");

	tap_ok(session_line("set dev j id 1 remote-index 4294967295 allowed-ips "
			    "10.0.0.2,fd00::/64 keepalive 100 volatile 3000 degraded 3600000",
			    &a) == 0 && a.settings && a.has_remote_index &&
	       a.remote_index == UINT32_MAX && a.has_prefixes && a.nprefixes == 2 &&
	       a.prefixes[0].len == 32 && a.prefixes[1].family == AF_INET6 &&
	       a.liveness == (LIVE_KEEPALIVE | LIVE_VOLATILE | LIVE_DEGRADED) &&
	       a.keepalive_ms == 100 && a.volatile_ms == 3000 && a.degraded_ms == 3600000 &&
	       a.state < 0 && !a.has_version, "a settings change with every setting");
	tap_ok(session_line("se d j i 1 a none", &a) == 0 && a.settings && a.has_prefixes &&
	       a.nprefixes == 0, "allowed-ips none, abbreviated (a)");
	tap_ok(session_line("set dev j id 1 k 1000 vo 2000 deg 4000 remote-i 7", &a) == 0 &&
	       a.keepalive_ms == 1000 && a.volatile_ms == 2000 && a.degraded_ms == 4000 &&
	       a.remote_index == 7, "k is keepalive, vo volatile, deg degraded, remote-i remote-index");
	tap_ok(session_line("set de j2 id 1 keepalive 1000", &a) == 0 &&
	       !strcmp(a.dev, "j2"), "... but \"de\" is still dev");
	tap_ok(usage_err(session_line("set dev j id 1", &a)) && strstr(err_text, "\"version\""),
	       "set with neither a transition nor a setting asks for a version");
	tap_ok(usage_err(session_line("set dev j keepalive 1000", &a)) && strstr(err_text, "\"id\""),
	       "a settings change needs an id");
	tap_ok(usage_err(session_line("set dev j id 1 version 2 state attached reason none "
				      "keepalive 1000", &a)) &&
	       strstr(err_text, "a transition and a settings change are separate commands"),
	       "mixing a transition with a setting is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips none local 1.2.3.4:1 "
				      "remote 1.2.3.4:2", &a)) &&
	       strstr(err_text, "separate commands"), "... so is a binding with a setting");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips 10.0.0.1/24", &a)) &&
	       strstr(err_text, "\"10.0.0.1/24\"") && strstr(err_text, "host bits"),
	       "host bits set: a usage error naming the prefix");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips 10.0.0.0/24,10.1.0.0/33", &a)) &&
	       strstr(err_text, "\"10.1.0.0/33\""), "a bad prefix in a list is named");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips 10.0.0.0/24,,10.1.0.0/16", &a)) &&
	       usage_err(session_line("set dev j id 1 allowed-ips 10.0.0.0/24,", &a)) &&
	       usage_err(session_line("set dev j id 1 allowed-ips ,10.0.0.0/24", &a)),
	       "an empty item in a list is refused");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips none,10.0.0.0/8", &a)),
	       "none is not a prefix inside a list");
	tap_ok(usage_err(session_line("set dev j id 1 allowed-ips "
				      "1111:2222:3333:4444:5555:6666:7777:8888:9999/128", &a)),
	       "an item too long for any prefix is refused");
	tap_ok(prefix_line(JUMP_MAX_PREFIXES, AF_INET6, &a) == 0 &&
	       a.nprefixes == JUMP_MAX_PREFIXES, "JUMP_MAX_PREFIXES prefixes are taken");
	tap_ok(usage_err(prefix_line(JUMP_MAX_PREFIXES + 1, AF_INET, &a)) &&
	       strstr(err_text, "too many prefixes"), "one more is a usage error");
	tap_ok(usage_err(session_line("set dev j id 1 keepalive 99", &a)) &&
	       usage_err(session_line("set dev j id 1 volatile 3600001", &a)) &&
	       usage_err(session_line("set dev j id 1 degraded 1s", &a)),
	       "liveness times outside JUMP_MIN/MAX_LIVENESS_MS are usage errors");
	tap_ok(usage_err(session_line("set dev j id 1 remote-index -1", &a)),
	       "a bad remote index is a usage error");

	snprintf(line, sizeof(line), "key add dev j id 1 slot primary key-id 255 tx-key %s "
		 "rx-key %s", KEY2, KEY);
	tap_ok(session_line(line, &a) == 0 && a.cmd == SESSION_KEY_ADD &&
	       a.slot == JUMP_KEY_SLOT_PRIMARY && a.has_key_id && a.key_id == 255 &&
	       a.has_tx && a.has_rx && a.tx[0] == 'b' && a.rx[0] == 0x03,
	       "session key add");
	session_wipe_keys(&a);
	tap_ok(a.tx[0] == 0 && a.rx[0] == 0 && a.key_words[0] && a.key_words[0][0] == 0 &&
	       a.key_words[1][0] == 0 && a.key_words[1][5] == 0,
	       "wiping clears the keys and the words they came from");
	snprintf(line, sizeof(line), "k a d j i 1 s secondary k 0 t %s r %s", KEY2, KEY);
	tap_ok(session_line(line, &a) == 0 && a.cmd == SESSION_KEY_ADD &&
	       a.slot == JUMP_KEY_SLOT_SECONDARY && a.key_id == 0,
	       "abbreviated: k a, s slot, k key-id, t tx-key, r rx-key");
	tap_ok(session_line("key swap dev j id 1", &a) == 0 && a.cmd == SESSION_KEY_SWAP &&
	       a.slot < 0, "session key swap");
	tap_ok(session_line("key del dev j id 1 slot secondary", &a) == 0 &&
	       a.cmd == SESSION_KEY_DEL && a.slot == JUMP_KEY_SLOT_SECONDARY, "session key del");
	tap_ok(session_line("key delete dev j id 1 slot primary", &a) == 0 &&
	       a.cmd == SESSION_KEY_DEL, "session key delete");
	tap_ok(session_line("key help", &a) == 0 && a.cmd == SESSION_HELP, "session key help");
	tap_ok(usage_err(session_line("key", &a)) && strstr(err_text, "swap"),
	       "session key alone is a usage error");
	tap_ok(usage_err(session_line("key frob dev j", &a)), "an unknown key command");
	tap_ok(usage_err(session_line("key del dev j id 1", &a)) && strstr(err_text, "\"slot\""),
	       "key del without a slot names slot");
	snprintf(line, sizeof(line), "key add dev j id 1 key-id 1 tx-key %s rx-key %s", KEY2, KEY);
	tap_ok(usage_err(session_line(line, &a)) && strstr(err_text, "\"slot\""),
	       "key add without a slot names slot");
	snprintf(line, sizeof(line), "key add dev j id 1 slot primary tx-key %s rx-key %s", KEY2, KEY);
	tap_ok(usage_err(session_line(line, &a)) && strstr(err_text, "\"key-id\""),
	       "key add without a key id names key-id");
	snprintf(line, sizeof(line), "key add dev j id 1 slot primary key-id 1 tx-key %s", KEY2);
	tap_ok(usage_err(session_line(line, &a)) && strstr(err_text, "\"rx-key\""),
	       "key add without an rx key names rx-key");
	snprintf(line, sizeof(line), "key add dev j id 1 slot primary key-id 256 tx-key %s "
		 "rx-key %s", KEY2, KEY);
	tap_ok(usage_err(session_line(line, &a)) && strstr(err_text, "\"256\""),
	       "key id 256 is out of range");
	tap_ok(usage_err(session_line("key add dev j id 1 slot primary key-id 1 "
				      "tx-key AAAAsecretAAAA rx-key " KEY, &a)) &&
	       !strstr(err_text, "secret") && strstr(err_text, "tx-key"),
	       "a bad key is a usage error that does not echo it");
	snprintf(line, sizeof(line), "key add dev j id 1 slot primary key-id 1 tx-key %s "
		 "rx-key %.40s", KEY2, KEY);
	tap_ok(usage_err(session_line(line, &a)), "a key of the wrong length is refused");
	tap_ok(usage_err(session_line("key del dev j id 1 slot Primary", &a)) &&
	       usage_err(session_line("key del dev j id 1 slot prim", &a)) &&
	       usage_err(session_line("key del dev j id 1 slot 0", &a)),
	       "slots are exact names");
	tap_ok(usage_err(session_line("key swap dev j id 1 slot primary", &a)),
	       "key swap takes no slot");
	tap_ok(usage_err(session_line("show dev j keepalive 1000", &a)) &&
	       usage_err(session_line("add dev j role server peer " KEY " slot primary", &a)),
	       "other commands do not take the new keywords");
}

static void test_show_lines(void)
{
	uint8_t key[JUMP_PUBKEY_LEN];
	struct session_args a;

	parse_pubkey(KEY, key);
	tap_ok(session_line("show", &a) == 0 && a.cmd == SESSION_SHOW && !a.dev &&
	       !a.has_id && a.state < 0 && !a.has_peer,
	       "show without dev: every device, no filter");
	tap_ok(session_line("show id c1", &a) == 0 && !a.dev && a.has_id && a.id == 0xc1,
	       "show id ID without dev: looked for on every device");
	tap_ok(session_line("show state degraded", &a) == 0 && !a.dev &&
	       a.state == JUMP_STATE_DEGRADED, "show state STATE");
	tap_ok(session_line("show dev j peer " KEY, &a) == 0 && !strcmp(a.dev, "j") &&
	       a.has_peer && !memcmp(a.peer, key, sizeof(key)), "show dev NAME peer PUBKEY");
	tap_ok(session_line("s s recovering p " KEY " d j i 5", &a) == 0 &&
	       a.state == JUMP_STATE_RECOVERING && a.has_peer && a.has_id && a.id == 5 &&
	       !strcmp(a.dev, "j"), "in show, \"s\" is state and \"p\" peer, in any order");
	tap_ok(session_line("list state terminated", &a) == 0 && a.cmd == SESSION_SHOW &&
	       a.state == JUMP_STATE_TERMINATED, "list takes the filters too");
	tap_ok(session_line("show state attached help", &a) == 0 && a.cmd == SESSION_HELP,
	       "show ... help asks for help");

	tap_ok(usage_err(session_line("show state att", &a)) && strstr(err_text, "\"att\""),
	       "show: a state is never abbreviated (quoted in the error)");
	tap_ok(usage_err(session_line("show state Attached", &a)),
	       "show: a state is an exact name (case)");
	tap_ok(usage_err(session_line("show state up", &a)), "show: an unknown state");
	tap_ok(usage_err(session_line("show state", &a)) && strstr(err_text, "\"state\""),
	       "show: state needs a value");
	tap_ok(usage_err(session_line("show peer AAAA", &a)) && strstr(err_text, "public key"),
	       "show: a peer is base64 of 32 bytes");
	tap_ok(usage_err(session_line("show peer", &a)), "show: peer needs a value");
	tap_ok(usage_err(session_line("show state attached state volatile", &a)) &&
	       strstr(err_text, "twice"), "show: state given twice");
	tap_ok(usage_err(session_line("show peer " KEY " peer " KEY, &a)),
	       "show: peer given twice");
	tap_ok(usage_err(session_line("show reason link_down", &a)) &&
	       usage_err(session_line("show version 3", &a)),
	       "show takes no reason or version");
	tap_ok(usage_err(session_line("show dev", &a)), "show: dev needs a value");
}

static void test_terminate_reattach_lines(void)
{
	struct session_args a;

	tap_ok(session_line("terminate dev j id 1", &a) == 0 && a.cmd == SESSION_TERMINATE &&
	       !strcmp(a.dev, "j") && a.id == 1 && a.reason < 0 && !a.has_version,
	       "terminate dev NAME id ID: no reason (the kernel's default), no version yet");
	tap_ok(session_line("terminate dev j id 1 reason ownership_lost", &a) == 0 &&
	       a.reason == JUMP_REASON_OWNERSHIP_LOST, "terminate with a reason");
	tap_ok(session_line("t d j i 1 r peer_terminate", &a) == 0 &&
	       a.cmd == SESSION_TERMINATE && a.reason == JUMP_REASON_PEER_TERMINATE,
	       "\"t\" is terminate; in it \"r\" is reason");
	tap_ok(session_line("reattach dev j id 0x2a", &a) == 0 && a.cmd == SESSION_REATTACH &&
	       a.id == 0x2a && a.state == JUMP_STATE_RECOVERING &&
	       a.reason == JUMP_REASON_ADMIN_REATTACH && !a.has_version && !a.has_local,
	       "reattach: recovering with admin_reattach, no binding, no version yet");
	tap_ok(session_line("r i 1 d j", &a) == 0 && a.cmd == SESSION_REATTACH,
	       "\"r\" is reattach, keywords in any order");
	tap_ok(session_line("terminate dev j help", &a) == 0 && a.cmd == SESSION_HELP &&
	       session_line("reattach help", &a) == 0 && a.cmd == SESSION_HELP,
	       "terminate ... help and reattach help ask for help");

	tap_ok(usage_err(session_line("terminate", &a)) && strstr(err_text, "\"dev\""),
	       "terminate alone names dev");
	tap_ok(usage_err(session_line("terminate dev j", &a)) && strstr(err_text, "\"id\""),
	       "terminate without id names id");
	tap_ok(usage_err(session_line("terminate id 1", &a)) && strstr(err_text, "\"dev\""),
	       "terminate without dev names dev (it is never every device)");
	tap_ok(usage_err(session_line("terminate dev j id 1 reason bogus", &a)),
	       "terminate: an unknown reason");
	tap_ok(usage_err(session_line("terminate dev j id 1 reason admin", &a)),
	       "terminate: reasons are never abbreviated");
	tap_ok(usage_err(session_line("terminate dev j id 1 reason", &a)),
	       "terminate: reason needs a value");
	tap_ok(usage_err(session_line("terminate dev j id 1 version 3", &a)) &&
	       strstr(err_text, "\"version\""),
	       "terminate takes no version (that is del)");
	tap_ok(usage_err(session_line("terminate dev j id 1 state terminated", &a)),
	       "terminate takes no state");
	tap_ok(usage_err(session_line("terminate dev j id zz", &a)), "terminate: a bad id");
	tap_ok(usage_err(session_line("terminate dev j id 1 id 2", &a)),
	       "terminate: id given twice");
	tap_ok(usage_err(session_line("reattach", &a)) && strstr(err_text, "\"dev\""),
	       "reattach alone names dev");
	tap_ok(usage_err(session_line("reattach dev j", &a)) && strstr(err_text, "\"id\""),
	       "reattach without id names id");
	tap_ok(usage_err(session_line("reattach id 1", &a)), "reattach without dev");
	tap_ok(usage_err(session_line("reattach dev j id 1 reason admin_reattach", &a)) &&
	       usage_err(session_line("reattach dev j id 1 state recovering", &a)) &&
	       usage_err(session_line("reattach dev j id 1 version 1", &a)),
	       "reattach takes no reason, state or version: they are its own");
	tap_ok(usage_err(session_line("reattach dev j id 1 local 1.2.3.4:1 remote 5.6.7.8:2", &a)),
	       "reattach takes no binding: jumpd picks the path");
	tap_ok(usage_err(session_line("reattach dev 0123456789abcdef id 1", &a)),
	       "reattach: a 16-character device name");
}

static int policy_fn(int argc, char **argv, void *out)
{
	return policy_parse(argc, argv, out);
}

static void test_policy_lines(void)
{
	static char long_name[5000];
	struct policy_args a;
	char line[5100];

	tap_ok(run_parse(policy_fn, "show dev jump0", &a) == 0 && a.cmd == POLICY_SHOW &&
	       !strcmp(a.dev, "jump0") && !strcmp(a.path, "/etc/jump/jump0.conf"),
	       "policy show dev NAME reads /etc/jump/NAME.conf");
	tap_ok(run_parse(policy_fn, "show dev jump0 config /tmp/x.conf", &a) == 0 &&
	       !strcmp(a.path, "/tmp/x.conf"), "config FILE replaces it");
	tap_ok(run_parse(policy_fn, "s c rel.conf d j", &a) == 0 && !strcmp(a.dev, "j") &&
	       !strcmp(a.path, "rel.conf"), "abbreviated, in any order, a relative FILE");
	tap_ok(run_parse(policy_fn, "dev j", &a) == 0 && a.cmd == POLICY_SHOW,
	       "without a command it is show");
	tap_ok(run_parse(policy_fn, "list dev j", &a) == 0 && a.cmd == POLICY_SHOW, "list is show");
	tap_ok(run_parse(policy_fn, "help", &a) == 0 && a.cmd == POLICY_HELP &&
	       run_parse(policy_fn, "show dev j help", &a) == 0 && a.cmd == POLICY_HELP,
	       "policy help, and help in a keyword's place");

	tap_ok(usage_err(run_parse(policy_fn, "", &a)) && strstr(err_text, "\"dev\""),
	       "policy alone names dev");
	tap_ok(usage_err(run_parse(policy_fn, "show", &a)) && strstr(err_text, "\"dev\""),
	       "policy show names dev");
	tap_ok(usage_err(run_parse(policy_fn, "show config x.conf", &a)),
	       "config without dev (jumpd loads it for a device)");
	tap_ok(usage_err(run_parse(policy_fn, "frob dev j", &a)) && strstr(err_text, "\"frob\""),
	       "an unknown policy command");
	tap_ok(usage_err(run_parse(policy_fn, "show dev", &a)), "dev needs a value");
	tap_ok(usage_err(run_parse(policy_fn, "show dev j config", &a)), "config needs a value");
	tap_ok(usage_err(run_parse(policy_fn, "show dev j dev k", &a)) &&
	       usage_err(run_parse(policy_fn, "show dev j config a config b", &a)),
	       "dev or config given twice");
	tap_ok(usage_err(run_parse(policy_fn, "show dev j id 1", &a)) &&
	       strstr(err_text, "\"id\""), "an unknown keyword");
	tap_ok(usage_err(run_parse(policy_fn, "show dev 0123456789abcdef", &a)),
	       "a 16-character device name");
	memset(long_name, 'x', sizeof(long_name) - 1);
	snprintf(line, sizeof(line), "show dev j config %s", long_name);
	tap_ok(usage_err(run_parse(policy_fn, line, &a)) && strstr(err_text, "too long"),
	       "a config path of 4999 bytes");
}

static void test_link_lines(void)
{
	struct link_args a;

	tap_ok(run_parse(link_fn, "", &a) == 0 && a.cmd == LINK_SHOW && !a.name,
	       "link alone shows every device");
	tap_ok(run_parse(link_fn, "sh jump0", &a) == 0 && a.cmd == LINK_SHOW &&
	       !strcmp(a.name, "jump0"), "link show NAME");
	tap_ok(run_parse(link_fn, "show dev jump0", &a) == 0 && !strcmp(a.name, "jump0"),
	       "link show dev NAME");
	tap_ok(run_parse(link_fn, "show dev", &a) == 0 && !strcmp(a.name, "dev"),
	       "a device may be named dev");
	tap_ok(run_parse(link_fn, "add jump0 mtu 1380", &a) == 0 && a.cmd == LINK_ADD &&
	       a.mtu == 1380, "link add with an mtu");
	tap_ok(run_parse(link_fn, "a jump0", &a) == 0 && a.cmd == LINK_ADD && a.mtu == 0,
	       "link add without an mtu leaves it to the kernel");
	tap_ok(run_parse(link_fn, "d jump0", &a) == 0 && a.cmd == LINK_DEL, "d is del");
	tap_ok(run_parse(link_fn, "add x help", &a) == 0 && a.cmd == LINK_HELP,
	       "help anywhere asks for help");
	tap_ok(usage_err(run_parse(link_fn, "add", &a)), "link add needs a name");
	tap_ok(usage_err(run_parse(link_fn, "del", &a)), "link del needs a name");
	tap_ok(usage_err(run_parse(link_fn, "add x mtu 0", &a)), "mtu 0 is refused");
	tap_ok(usage_err(run_parse(link_fn, "add x mtu", &a)), "mtu needs a value");
	tap_ok(usage_err(run_parse(link_fn, "add x mtu 1 mtu 2", &a)), "mtu given twice");
	tap_ok(usage_err(run_parse(link_fn, "add x bogus 1", &a)), "an unknown keyword in add");
	tap_ok(usage_err(run_parse(link_fn, "del x y", &a)), "del takes one name");
	tap_ok(usage_err(run_parse(link_fn, "show x y", &a)), "show takes one name");
	tap_ok(usage_err(run_parse(link_fn, "frobnicate", &a)), "an unknown link command");
	tap_ok(usage_err(run_parse(link_fn, "add 0123456789abcdef", &a)),
	       "a 16-character name is refused");
}

static void test_monitor_lines(void)
{
	struct monitor_args a;

	tap_ok(run_parse(monitor_fn, "", &a) == 0 && !a.dev && !a.help, "monitor everything");
	tap_ok(run_parse(monitor_fn, "d jump0", &a) == 0 && !strcmp(a.dev, "jump0"),
	       "monitor dev NAME, abbreviated");
	tap_ok(run_parse(monitor_fn, "help", &a) == 0 && a.help, "monitor help");
	tap_ok(usage_err(run_parse(monitor_fn, "dev", &a)), "dev needs a value");
	tap_ok(usage_err(run_parse(monitor_fn, "dev a dev b", &a)), "dev given twice");
	tap_ok(usage_err(run_parse(monitor_fn, "all", &a)), "an unknown keyword");
}

/* Attributes of a request, by type; nested ones by their own parse. */
static const struct nlattr *attrs[JUMP_A_MAX + 1];

static int collect_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= JUMP_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int count_attrs(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	int n = 0;

	memset(attrs, 0, sizeof(attrs));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, attrs);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		n++;
	return n;
}

static uint8_t genl_cmd_of(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

static void test_session_requests(void)
{
	static char buf[8192];
	const struct nlattr *bind[JUMP_BIND_A_MAX + 1] = { 0 };
	const struct nlmsghdr *nlh;
	struct session_args a;

	session_line("show dev jump0", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(nlh->nlmsg_type == 42 && genl_cmd_of(nlh) == JUMP_CMD_SESSION_GET &&
	       (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP &&
	       count_attrs(nlh) == 1 && attrs[JUMP_A_IFNAME] &&
	       !strcmp(mnl_attr_get_str(attrs[JUMP_A_IFNAME]), "jump0"),
	       "show without id: a SESSION_GET dump naming the device only");
	opt.stats = true;
	nlh = session_request(buf, 42, &a);
	opt.stats = false;
	tap_ok(count_attrs(nlh) == 2 && attrs[JUMP_A_STATS] &&
	       mnl_attr_get_payload_len(attrs[JUMP_A_STATS]) == 0,
	       "with -s the dump asks for the stats: an empty STATS nest");

	session_line("show dev jump0 id ff", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(!(nlh->nlmsg_flags & NLM_F_DUMP) && (nlh->nlmsg_flags & NLM_F_ACK) &&
	       count_attrs(nlh) == 2 && mnl_attr_get_u64(attrs[JUMP_A_SESSION_ID]) == 0xff,
	       "show with id: a SESSION_GET doit with the id");

	session_line("add dev jump0 role server peer " KEY, &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_NEW && count_attrs(nlh) == 3 &&
	       mnl_attr_get_u8(attrs[JUMP_A_ROLE]) == JUMP_ROLE_SERVER &&
	       mnl_attr_get_payload_len(attrs[JUMP_A_PEER_PUBKEY]) == JUMP_PUBKEY_LEN &&
	       !attrs[JUMP_A_SESSION_ID], "add server: role and key, no id");

	session_line("set dev j id 1 version 7 state attached reason reattach_complete "
		     "local [2001:db8::1]:51820 remote [2001:db8::2]:40000", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_SET && count_attrs(nlh) == 6 &&
	       mnl_attr_get_u64(attrs[JUMP_A_VERSION]) == 7 &&
	       mnl_attr_get_u8(attrs[JUMP_A_STATE]) == JUMP_STATE_ATTACHED &&
	       mnl_attr_get_u16(attrs[JUMP_A_REASON]) == JUMP_REASON_REATTACH_COMPLETE &&
	       attrs[JUMP_A_BINDING], "set: id, version, state, reason and a binding");
	mnl_attr_parse_nested(attrs[JUMP_A_BINDING], collect_cb, bind);
	tap_ok(bind[JUMP_BIND_A_LOCAL_IPV6] && bind[JUMP_BIND_A_REMOTE_IPV6] &&
	       !bind[JUMP_BIND_A_LOCAL_IPV4] && !bind[JUMP_BIND_A_EPOCH] &&
	       mnl_attr_get_payload_len(bind[JUMP_BIND_A_REMOTE_IPV6]) == 16 &&
	       ((const uint8_t *)mnl_attr_get_payload(bind[JUMP_BIND_A_REMOTE_IPV6]))[15] == 2 &&
	       mnl_attr_get_u16(bind[JUMP_BIND_A_LOCAL_PORT]) == htons(51820) &&
	       mnl_attr_get_u16(bind[JUMP_BIND_A_REMOTE_PORT]) == htons(40000),
	       "the binding holds IPv6 addresses and big-endian ports, no epoch");

	session_line("set dev j id 1 version 7 state volatile reason link_down", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(count_attrs(nlh) == 5 && !attrs[JUMP_A_BINDING],
	       "set without local/remote sends no binding");

	session_line("del dev j id 1 version 9", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_DEL && count_attrs(nlh) == 3 &&
	       !attrs[JUMP_A_REASON], "del without reason leaves the default to the kernel");

	/* show without dev: the caller names each device in turn. */
	session_line("show state attached peer " KEY, &a);
	a.dev = "jump1";
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_GET &&
	       (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP && count_attrs(nlh) == 1 &&
	       !strcmp(mnl_attr_get_str(attrs[JUMP_A_IFNAME]), "jump1"),
	       "show's state and peer filters stay in jumpctl: a plain dump of the device");
	session_line("show dev j id 5 state degraded", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(!(nlh->nlmsg_flags & NLM_F_DUMP) && count_attrs(nlh) == 2 &&
	       !attrs[JUMP_A_STATE], "show with an id and a filter: a doit with the id only");

	nlh = session_get_request(buf, 42, "jump0", 0x2a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_GET && !(nlh->nlmsg_flags & NLM_F_DUMP) &&
	       (nlh->nlmsg_flags & NLM_F_ACK) && count_attrs(nlh) == 2 &&
	       !strcmp(mnl_attr_get_str(attrs[JUMP_A_IFNAME]), "jump0") &&
	       mnl_attr_get_u64(attrs[JUMP_A_SESSION_ID]) == 0x2a,
	       "the read before a CAS: SESSION_GET of the one session");

	session_line("terminate dev j id 1", &a);
	a.has_version = true;
	a.version = 8;
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_DEL && (nlh->nlmsg_flags & NLM_F_ACK) &&
	       count_attrs(nlh) == 3 && mnl_attr_get_u64(attrs[JUMP_A_VERSION]) == 8 &&
	       !attrs[JUMP_A_REASON],
	       "terminate: SESSION_DEL on the version read, the kernel's default reason");
	session_line("terminate dev j id 1 reason ownership_lost", &a);
	a.has_version = true;
	a.version = 9;
	nlh = session_request(buf, 42, &a);
	tap_ok(count_attrs(nlh) == 4 && mnl_attr_get_u64(attrs[JUMP_A_VERSION]) == 9 &&
	       mnl_attr_get_u16(attrs[JUMP_A_REASON]) == JUMP_REASON_OWNERSHIP_LOST,
	       "terminate with a reason sends it");

	session_line("reattach dev j id 2a", &a);
	a.has_version = true;
	a.version = 4;
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_SET && (nlh->nlmsg_flags & NLM_F_ACK) &&
	       count_attrs(nlh) == 5 && mnl_attr_get_u64(attrs[JUMP_A_SESSION_ID]) == 0x2a &&
	       mnl_attr_get_u64(attrs[JUMP_A_VERSION]) == 4 &&
	       mnl_attr_get_u8(attrs[JUMP_A_STATE]) == JUMP_STATE_RECOVERING &&
	       mnl_attr_get_u16(attrs[JUMP_A_REASON]) == JUMP_REASON_ADMIN_REATTACH &&
	       !attrs[JUMP_A_BINDING],
	       "reattach: a transition to recovering, admin_reattach, on the version read, no binding");
}

/* The nested attributes of @nest, by type (up to 16), and their count. */
static int nested(const struct nlattr *nest, const struct nlattr **tb)
{
	const struct nlattr *attr;
	int n = 0;

	memset(tb, 0, 16 * sizeof(*tb));
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) < 16)
			tb[mnl_attr_get_type(attr)] = attr;
		n++;
	}
	return n;
}

static void test_data_path_requests(void)
{
	/* Exactly the documented maximum: ASan catches a write past it. */
	static char buf[SESSION_REQUEST_MAX];
	static struct session_args a;
	const struct nlattr *tb[16], *pf[16], *attr;
	const struct nlmsghdr *nlh;
	unsigned int n, bad;
	char line[512];

	session_line("set dev j id 1 version 2 state attached reason handshake_complete "
		     "local 1.2.3.4:1 remote 5.6.7.8:2 epoch 7 sock-fd 5", &a);
	nlh = session_request(buf, 42, &a);
	count_attrs(nlh);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_SET && attrs[JUMP_A_BINDING] &&
	       nested(attrs[JUMP_A_BINDING], tb) == 6 &&
	       mnl_attr_get_u32(tb[JUMP_BIND_A_EPOCH]) == 7 &&
	       mnl_attr_get_payload_len(tb[JUMP_BIND_A_SOCKET_FD]) == 4 &&
	       mnl_attr_get_u32(tb[JUMP_BIND_A_SOCKET_FD]) == 5 &&
	       mnl_attr_get_u32(tb[JUMP_BIND_A_LOCAL_IPV4]) == htonl(0x01020304),
	       "the binding carries EPOCH and SOCKET_FD (u32)");

	session_line("set dev j id 1 remote-index 9 allowed-ips 10.0.0.0/24,fd00::2 "
		     "keepalive 100 volatile 3000 degraded 6000", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_SESSION_SET && count_attrs(nlh) == 7 &&
	       !attrs[JUMP_A_STATE] && !attrs[JUMP_A_VERSION] && !attrs[JUMP_A_REASON] &&
	       !attrs[JUMP_A_BINDING] && mnl_attr_get_u32(attrs[JUMP_A_REMOTE_INDEX]) == 9 &&
	       mnl_attr_get_u32(attrs[JUMP_A_KEEPALIVE_MS]) == 100 &&
	       mnl_attr_get_u32(attrs[JUMP_A_VOLATILE_MS]) == 3000 &&
	       mnl_attr_get_u32(attrs[JUMP_A_DEGRADED_MS]) == 6000 && attrs[JUMP_A_PREFIXES],
	       "settings: ifname, id, remote index, prefixes, three times; no state");
	n = 0;
	bad = 0;
	mnl_attr_for_each_nested(attr, attrs[JUMP_A_PREFIXES]) {
		bad += mnl_attr_get_type(attr) != JUMP_A_PREFIX;
		if (nested(attr, pf) != 2 || !pf[JUMP_PREFIX_A_LEN] ||
		    mnl_attr_get_payload_len(pf[JUMP_PREFIX_A_LEN]) != 1)
			bad++;
		else if (n == 0)
			bad += !pf[JUMP_PREFIX_A_IPV4] ||
			       mnl_attr_get_u32(pf[JUMP_PREFIX_A_IPV4]) != htonl(0x0a000000) ||
			       mnl_attr_get_u8(pf[JUMP_PREFIX_A_LEN]) != 24;
		else
			bad += !pf[JUMP_PREFIX_A_IPV6] ||
			       mnl_attr_get_payload_len(pf[JUMP_PREFIX_A_IPV6]) != 16 ||
			       ((const uint8_t *)mnl_attr_get_payload(pf[JUMP_PREFIX_A_IPV6]))[15] != 2 ||
			       mnl_attr_get_u8(pf[JUMP_PREFIX_A_LEN]) != 128;
		n++;
	}
	tap_ok(n == 2 && bad == 0,
	       "PREFIXES holds a PREFIX nest each: {IPV4, LEN 24}, {IPV6, LEN 128}");

	session_line("set dev j id 1 allowed-ips none", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(count_attrs(nlh) == 3 && attrs[JUMP_A_PREFIXES] &&
	       mnl_attr_get_payload_len(attrs[JUMP_A_PREFIXES]) == 0,
	       "allowed-ips none: an empty PREFIXES nest");
	session_line("set dev j id 1 keepalive 500", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(count_attrs(nlh) == 3 && !attrs[JUMP_A_PREFIXES] && attrs[JUMP_A_KEEPALIVE_MS],
	       "only the settings given are sent");

	prefix_line(JUMP_MAX_PREFIXES, AF_INET6, &a);
	nlh = session_request(buf, 42, &a);
	count_attrs(nlh);
	n = 0;
	mnl_attr_for_each_nested(attr, attrs[JUMP_A_PREFIXES])
		n++;
	tap_ok(n == JUMP_MAX_PREFIXES && nlh->nlmsg_len <= SESSION_REQUEST_MAX &&
	       nlh->nlmsg_len > JUMP_MAX_PREFIXES * 28,
	       "JUMP_MAX_PREFIXES IPv6 prefixes fit SESSION_REQUEST_MAX (%u bytes)",
	       nlh->nlmsg_len);

	snprintf(line, sizeof(line), "key add dev j id 1 slot secondary key-id 7 tx-key %s "
		 "rx-key %s", KEY2, KEY);
	session_line(line, &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_KEY_NEW && count_attrs(nlh) == 3 &&
	       attrs[JUMP_A_KEY] && nested(attrs[JUMP_A_KEY], tb) == 4 &&
	       mnl_attr_get_u8(tb[JUMP_KEY_A_SLOT]) == JUMP_KEY_SLOT_SECONDARY &&
	       mnl_attr_get_u8(tb[JUMP_KEY_A_ID]) == 7 &&
	       mnl_attr_get_payload_len(tb[JUMP_KEY_A_TX]) == JUMP_KEY_LEN &&
	       mnl_attr_get_payload_len(tb[JUMP_KEY_A_RX]) == JUMP_KEY_LEN &&
	       !memcmp(mnl_attr_get_payload(tb[JUMP_KEY_A_TX]), a.tx, JUMP_KEY_LEN) &&
	       !memcmp(mnl_attr_get_payload(tb[JUMP_KEY_A_RX]), a.rx, JUMP_KEY_LEN),
	       "key add: KEY_NEW with KEY {SLOT, ID, TX, RX}");
	session_line("key swap dev j id 1", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_KEY_SWAP && count_attrs(nlh) == 2 &&
	       (nlh->nlmsg_flags & NLM_F_ACK) && !attrs[JUMP_A_KEY],
	       "key swap: KEY_SWAP with the session only");
	session_line("key del dev j id 1 slot primary", &a);
	nlh = session_request(buf, 42, &a);
	tap_ok(genl_cmd_of(nlh) == JUMP_CMD_KEY_DEL && count_attrs(nlh) == 3 &&
	       nested(attrs[JUMP_A_KEY], tb) == 1 &&
	       mnl_attr_get_u8(tb[JUMP_KEY_A_SLOT]) == JUMP_KEY_SLOT_PRIMARY,
	       "key del: KEY_DEL with KEY {SLOT}");
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len))
		return 0;
	return ntohs(sin.sin_port);
}

static void test_sockets(void)
{
	static struct session_args a;
	char line[256];
	int fd, v6only = 0;
	socklen_t len = sizeof(v6only);
	uint16_t port;

	session_line("set dev j id 1 version 2 state attached reason handshake_complete "
		     "local 127.0.0.1:0 remote 127.0.0.2:2", &a);
	tap_ok(session_open_socket(&a) == 0 && a.sock_fd >= 0 && bound_port(a.sock_fd) != 0,
	       "a binding without sock-fd gets a bound UDP socket");
	fd = a.sock_fd;
	port = bound_port(fd);
	snprintf(line, sizeof(line), "set dev j id 1 version 2 state attached reason "
		 "handshake_complete local 127.0.0.1:%u remote 127.0.0.2:2", port);
	session_line(line, &a);
	tap_ok(session_open_socket(&a) == 0 && a.sock_fd == -1,
	       "an address in use: no socket, the kernel reuses its own");
	close(fd);
	session_line("set dev j id 1 version 2 state attached reason handshake_complete "
		     "local [::1]:0 remote [::1]:2", &a);
	if (session_open_socket(&a) == 0 && a.sock_fd >= 0) {
		getsockopt(a.sock_fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len);
		tap_ok(v6only == 1, "an IPv6 socket is IPV6_V6ONLY");
		close(a.sock_fd);
	} else {
		tap_ok(1, "# SKIP no IPv6 loopback here");
	}
	session_line("set dev j id 1 version 2 state attached reason handshake_complete "
		     "local 192.0.2.1:0 remote 127.0.0.2:2", &a);
	fflush(stderr);
	fd = dup(2);
	close(2);
	open("/dev/null", O_WRONLY);
	tap_ok(session_open_socket(&a) == EXIT_KERNEL && a.sock_fd == -1,
	       "an address not ours is an error, not a fallback");
	dup2(fd, 2);
	close(fd);
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= IFLA_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static void test_link_requests(void)
{
	static char buf[8192];
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 }, *info[IFLA_INFO_MAX + 1] = { 0 };
	struct link_args a = { .cmd = LINK_ADD, .name = "jump7", .mtu = 1380 };
	const struct nlmsghdr *nlh;

	nlh = link_request(buf, &a);
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, tb);
	tap_ok(nlh->nlmsg_type == RTM_NEWLINK &&
	       (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK)) ==
	       (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK) &&
	       !strcmp(mnl_attr_get_str(tb[IFLA_IFNAME]), "jump7") &&
	       mnl_attr_get_u32(tb[IFLA_MTU]) == 1380 && tb[IFLA_LINKINFO],
	       "link add: RTM_NEWLINK, create exclusive, name, mtu");
	mnl_attr_parse_nested(tb[IFLA_LINKINFO], link_attr_cb, info);
	tap_ok(info[IFLA_INFO_KIND] &&
	       !strcmp(mnl_attr_get_str(info[IFLA_INFO_KIND]), JUMP_LINK_KIND),
	       "link add: kind jump");

	a.cmd = LINK_DEL;
	memset(tb, 0, sizeof(tb));
	nlh = link_request(buf, &a);
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, tb);
	tap_ok(nlh->nlmsg_type == RTM_DELLINK && !(nlh->nlmsg_flags & NLM_F_CREATE) &&
	       tb[IFLA_IFNAME] && !tb[IFLA_LINKINFO], "link del: RTM_DELLINK by name");
}

int main(void)
{
	test_keywords();
	test_numbers();
	test_ids();
	test_endpoints();
	test_keys();
	test_json();
	test_options();
	test_session_lines();
	test_show_lines();
	test_terminate_reattach_lines();
	test_policy_lines();
	test_link_lines();
	test_monitor_lines();
	test_session_requests();
	test_prefixes();
	test_base64();
	test_data_path_lines();
	test_data_path_requests();
	test_sockets();
	test_link_requests();
	return tap_done();
}
