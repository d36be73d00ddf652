// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's config file: every field of a server and a client, every default,
 * every class of error with its line, key file permissions, CRLF, and that
 * a failed load leaves nothing behind (the ASan build checks for leaks).
 *
 * Over 600 lines: one case per key and per error class, each a few
 * independent lines; the file is the config format's checklist.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

/* Made with jumpctl key genkey / pubkey. */
#define SERVER_PRIV	"GDU+B1+lh8O2FDHdlVtJ5vE1KfPNnHNz1n/B34j+tEs="
#define SERVER_PUB	"88EWqV4kVrwUFypAef8rdX4+9H3M7FDQKzSyxZywzT8="
#define C1_PRIV		"aBJ6kF2DU/Jl1HwKs1DqJ3ozTRz0X+qjShHaGeaTHUY="
#define C1_PUB		"3ia3B3LvifAvtTeSVubaE9KI8FhLECycjrX41AvpNGs="
#define C2_PUB		"6SyI52qWnmu8ewwJFA74ZXaWBQwXH0clpACRiEsvhAc="

/* Lines 1-4 and 1-3. */
#define SRV "[Interface]\nRole = server\nPrivateKey = " SERVER_PRIV "\nListenPort = 51820\n"
#define CLI "[Interface]\nRole = client\nPrivateKey = " C1_PRIV "\n"
/* Three lines. */
#define CLI_PEER "[Peer]\nPublicKey = " SERVER_PUB "\nEndpoint = 192.0.2.1:51820\n"

static char dir[] = "/tmp/jumpd_config.XXXXXX";
static char conf[sizeof(dir) + 16];
static const struct config zero;

static void write_file(const char *path, const char *text, size_t len,
		       mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) ||
	    chmod(path, mode)) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static int load_len(const char *text, size_t len, struct config *c,
		    char err[CONFIG_ERR_LEN])
{
	write_file(conf, text, len, 0600);
	return config_load(conf, "jump0", c, err);
}

static int load(const char *text, struct config *c, char err[CONFIG_ERR_LEN])
{
	return load_len(text, strlen(text), c, err);
}

static bool is_zero(const struct config *c)
{
	return !memcmp(c, &zero, sizeof(*c));
}

/* Fails at @line (0: the whole file) with @what in the message, and leaves c zeroed. */
static void expect_err_len(const char *text, size_t len, unsigned int line,
			   const char *what, const char *name)
{
	char err[CONFIG_ERR_LEN], want[sizeof(conf) + 16];
	struct config c;
	int ret;

	memset(&c, 0x5a, sizeof(c));
	ret = load_len(text, len, &c, err);
	if (line)
		snprintf(want, sizeof(want), "%s:%u: ", conf, line);
	else
		snprintf(want, sizeof(want), "%s: ", conf);
	if (!tap_ok(ret == -1 && !strncmp(err, want, strlen(want)) &&
		    strstr(err, what) && is_zero(&c), "%s", name))
		printf("# want %s...%s\n# got  %s (ret %d, zeroed %d)\n", want,
		       what, ret ? err : "success", ret, is_zero(&c));
	if (!ret)
		config_free(&c);
}

static void expect_err(const char *text, unsigned int line, const char *what,
		       const char *name)
{
	expect_err_len(text, strlen(text), line, what, name);
}

static bool key_is(const uint8_t key[JUMP_PUBKEY_LEN], const char *b64)
{
	uint8_t want[JUMP_PUBKEY_LEN];

	return !parse_pubkey(b64, want) && !memcmp(key, want, JUMP_PUBKEY_LEN);
}

static bool prefix_is(const struct prefix *p, const char *s)
{
	char buf[PREFIX_LEN];

	format_prefix(p, buf, sizeof(buf));
	return !strcmp(buf, s);
}

static bool endpoint_is(const struct endpoint *ep, const char *s)
{
	char buf[ENDPOINT_LEN];

	format_endpoint(ep, buf, sizeof(buf));
	return !strcmp(buf, s);
}

static const char server_full[] =
	"# a server with every key set\n"		/* 1 */
	"\n"
	"[Interface]\n"
	"  role=Server\n"
	"PRIVATEKEY = " SERVER_PRIV "  # inline\n"	/* 5 */
	"listenport = 443\n"
	"StateDirectory = /srv/jump/state\n"
	"AuditLog = /srv/jump/audit#1.jsonl\n"
	"[policy]\n"
	"Keepalive = 2s\n"				/* 10 */
	"VolatileAfter = 5000ms\n"
	"DegradedAfter = 1m\n"
	"RecoveryWindow = 1h\n"
	"SwitchInterval = 2m\n"
	"RetryInitial = 100ms\n"			/* 15 */
	"RetryMax = 8s\n"
	"BirthTimeout = 20s\n"
	"PathValidationTimeout = 3s\n"
	"ClockSkew = 45s\n"
	"RekeyInterval = 10m\n"				/* 20 */
	"SessionLifetime = 24h\n"
	"MaxSwitches = 5\n"
	"SourceRate = 7\n"
	"SourceBurst = 9\n"
	"GlobalRate = 700\n"				/* 25 */
	"GlobalBurst = 900\n"
	"CookieThreshold = 300\n"
	"MaxSessions = 1048576\n"
	"RebindProbe = yes\n"				/* 30 */
	"StandbyPath = yes\n"
	"StandbyKeepalive = 20s\n"
	"Unlinkable = yes\n"
	"[Peer]\n"
	"PublicKey = " C1_PUB "\n"
	"AllowedIPs = 10.8.0.2/32, fd00:8::2/128\n"
	"\t[PEER]\t\n"
	"publickey=" C2_PUB "\n"
	"AllowedIPs=10.8.0.3\n";

static void test_server_full(void)
{
	const struct config_policy *p;
	char err[CONFIG_ERR_LEN];
	struct config c;

	if (!tap_ok(!load(server_full, &c, err), "a server with every key loads"))
		printf("# %s\n", err);
	p = &c.policy;
	tap_ok(!strcmp(c.path, conf) && c.role == JUMP_ROLE_SERVER &&
	       c.listen_port == 443 && c.nuplinks == 0,
	       "path, Role (any case), ListenPort");
	tap_ok(key_is(c.private_key, SERVER_PRIV) && key_is(c.public_key, SERVER_PUB),
	       "PrivateKey, and the public key derived from it");
	tap_ok(!strcmp(c.state_dir, "/srv/jump/state") &&
	       !strcmp(c.audit_log, "/srv/jump/audit#1.jsonl"),
	       "StateDirectory, AuditLog ('#' not after a blank is no comment)");
	tap_ok(p->keepalive_ms == 2000 && p->volatile_ms == 5000 &&
	       p->degraded_ms == 60000 && p->recovery_window_ms == 3600000,
	       "Keepalive, VolatileAfter, DegradedAfter, RecoveryWindow in ms");
	tap_ok(p->switch_interval_ms == 120000 && p->retry_initial_ms == 100 &&
	       p->retry_max_ms == 8000 && p->birth_timeout_ms == 20000 &&
	       p->path_timeout_ms == 3000 && p->clock_skew_ms == 45000,
	       "SwitchInterval, RetryInitial, RetryMax, BirthTimeout, PathValidationTimeout, ClockSkew");
	tap_ok(p->rekey_interval_ms == 600000 && p->session_lifetime_ms == 86400000,
	       "RekeyInterval, SessionLifetime");
	tap_ok(p->max_switches == 5 && p->source_rate == 7 && p->source_burst == 9 &&
	       p->global_rate == 700 && p->global_burst == 900 &&
	       p->cookie_threshold == 300 && p->max_sessions == JUMP_MAX_SESSIONS,
	       "MaxSwitches, the rates and bursts, CookieThreshold, MaxSessions");
	tap_ok(p->rebind_probe == 1, "RebindProbe = yes");
	tap_ok(p->standby_path == 1 && p->standby_keepalive_ms == 20000,
	       "StandbyPath = yes, StandbyKeepalive in ms");
	tap_ok(p->unlinkable == 1, "Unlinkable = yes");
	tap_ok(c.policy_set == (1U << CONFIG_POLICY_KEYS) - 1,
	       "every [Policy] key is marked as set in the file");
	tap_ok(c.npeers == 2 && c.peers[0].line == 33 && c.peers[1].line == 36 &&
	       key_is(c.peers[0].pubkey, C1_PUB) && key_is(c.peers[1].pubkey, C2_PUB),
	       "two peers, in order, with their lines and keys");
	tap_ok(c.npeers == 2 && c.peers[0].nprefixes == 2 &&
	       prefix_is(&c.peers[0].prefixes[0], "10.8.0.2/32") &&
	       prefix_is(&c.peers[0].prefixes[1], "fd00:8::2/128") &&
	       c.peers[1].nprefixes == 1 &&
	       prefix_is(&c.peers[1].prefixes[0], "10.8.0.3/32") &&
	       !c.peers[0].nendpoints && !c.peers[1].nendpoints,
	       "AllowedIPs of both families; no length is a host");
	tap_ok(c.npeers == 2 && config_find_peer(&c, c.peers[1].pubkey) == &c.peers[1] &&
	       !config_find_peer(&c, c.public_key), "config_find_peer");
	config_free(&c);
	tap_ok(is_zero(&c), "config_free leaves a zeroed config");
	config_free(&c);
	tap_ok(is_zero(&c), "config_free on a zeroed config is harmless");
}

static void test_client_full(void)
{
	char err[CONFIG_ERR_LEN], key[sizeof(dir) + 16], text[1024];
	struct config c;

	snprintf(key, sizeof(key), "%s/abs.key", dir);
	write_file(key, C1_PRIV "\n", strlen(C1_PRIV) + 1, 0600);
	snprintf(text, sizeof(text),
		 "[Interface]\nRole = client\nPrivateKeyFile = %s\nListenPort = 0\n"
		 "Uplink = wlan0\nUplink = 192.0.2.7\nUplink = 2001:db8::7\n"
		 "[Peer]\nPublicKey = " SERVER_PUB "\nAllowedIPs = 0.0.0.0/0, ::/0\n"
		 "Endpoint = [2001:db8::1]:51820\nEndpoint = 192.0.2.1:443\n", key);
	if (!tap_ok(!load(text, &c, err), "a client with every key loads"))
		printf("# %s\n", err);
	tap_ok(c.role == JUMP_ROLE_CLIENT && c.listen_port == 0 &&
	       key_is(c.private_key, C1_PRIV) && key_is(c.public_key, C1_PUB),
	       "Role, ListenPort 0, the key from an absolute PrivateKeyFile");
	tap_ok(c.nuplinks == 3 && !strcmp(c.uplinks[0].ifname, "wlan0") &&
	       c.uplinks[0].addr.family == 0 &&
	       !c.uplinks[1].ifname[0] && c.uplinks[1].addr.family == AF_INET &&
	       c.uplinks[1].addr.addr.v4.s_addr == inet_addr("192.0.2.7") &&
	       c.uplinks[2].addr.family == AF_INET6 && c.uplinks[2].addr.port == 0,
	       "Uplinks in order: an interface, an IPv4 and an IPv6 address");
	tap_ok(c.npeers == 1 && c.peers[0].nendpoints == 2 &&
	       endpoint_is(&c.peers[0].endpoints[0], "[2001:db8::1]:51820") &&
	       endpoint_is(&c.peers[0].endpoints[1], "192.0.2.1:443"),
	       "Endpoints in order");
	tap_ok(c.npeers == 1 && c.peers[0].nprefixes == 2 &&
	       prefix_is(&c.peers[0].prefixes[0], "0.0.0.0/0") &&
	       prefix_is(&c.peers[0].prefixes[1], "::/0"), "AllowedIPs of the client");
	config_free(&c);
	unlink(key);
}

#define DEF(n, f, v) { n, offsetof(struct config_policy, f), v }

static void test_defaults(void)
{
	static const struct { const char *name; size_t off; uint32_t want; } tests[] = {
		DEF("Keepalive", keepalive_ms, JUMP_DEFAULT_KEEPALIVE_MS),
		DEF("VolatileAfter", volatile_ms, JUMP_DEFAULT_VOLATILE_MS),
		DEF("DegradedAfter", degraded_ms, JUMP_DEFAULT_DEGRADED_MS),
		DEF("RecoveryWindow", recovery_window_ms, 60000),
		DEF("MaxSwitches", max_switches, 10),
		DEF("SwitchInterval", switch_interval_ms, 60000),
		DEF("RetryInitial", retry_initial_ms, 250),
		DEF("RetryMax", retry_max_ms, 4000),
		DEF("BirthTimeout", birth_timeout_ms, 10000),
		DEF("PathValidationTimeout", path_timeout_ms, 2000),
		DEF("ClockSkew", clock_skew_ms, 30000),
		DEF("SourceRate", source_rate, 10),
		DEF("SourceBurst", source_burst, 20),
		DEF("GlobalRate", global_rate, 1000),
		DEF("GlobalBurst", global_burst, 2000),
		DEF("CookieThreshold", cookie_threshold, 500),
		DEF("RekeyInterval", rekey_interval_ms, 120000),
		DEF("SessionLifetime", session_lifetime_ms, 0),
		DEF("MaxSessions", max_sessions, 1024),
		DEF("RebindProbe", rebind_probe, 0),
		DEF("StandbyPath", standby_path, 0),
		DEF("StandbyKeepalive", standby_keepalive_ms, 15000),
		DEF("Unlinkable", unlinkable, 0),
	};
	char err[CONFIG_ERR_LEN], buf[CONFIG_VALUE_LEN];
	struct config_policy d;
	const char *name;
	struct config c;
	size_t i, n;

	_Static_assert(sizeof(tests) / sizeof(tests[0]) * sizeof(uint32_t) ==
		       sizeof(struct config_policy), "every policy field has a test");
	config_policy_defaults(&d);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		uint32_t got = *(const uint32_t *)((const char *)&d + tests[i].off);

		if (!tap_ok(got == tests[i].want, "default %s = %u", tests[i].name,
			    tests[i].want))
			printf("# got %u\n", got);
	}
	for (i = 0, n = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		name = config_policy_name(tests[i].off / sizeof(uint32_t));
		n += name && !strcmp(name, tests[i].name) &&
		     config_policy_value(&d, tests[i].off / sizeof(uint32_t)) == tests[i].want;
	}
	tap_ok(n == CONFIG_POLICY_KEYS && !config_policy_name(CONFIG_POLICY_KEYS),
	       "config_policy_name() and _value() give each field's key and value, NULL past them");
	tap_ok(config_policy_is_duration(0) && !config_policy_is_duration(4) &&
	       !strcmp(config_policy_format(&d, 0, buf), "1s") &&
	       !strcmp(config_policy_format(&d, 6, buf), "250ms") &&
	       !strcmp(config_policy_format(&d, 4, buf), "10") &&
	       !strcmp(config_policy_format(&d, 17, buf), "0"),
	       "config_policy_format() spells values as the file would (1s, 250ms, 10, 0)");
	tap_ok(!config_default_path("jump0", buf, sizeof(buf)) &&
	       !strcmp(buf, "/etc/jump/jump0.conf") &&
	       config_default_path("jump0", buf, 20) == -1,
	       "config_default_path() is /etc/jump/IFNAME.conf, -1 if it does not fit");
	if (!tap_ok(!load(SRV, &c, err), "a minimal server loads"))
		printf("# %s\n", err);
	tap_ok(!memcmp(&c.policy, &d, sizeof(d)) && c.policy_set == 0,
	       "without [Policy], the policy is config_policy_defaults(), none set");
	tap_ok(c.npeers == 0 && !c.peers && c.nuplinks == 0,
	       "a server may have no peers yet");
	config_free(&c);
	if (!tap_ok(!load(SRV "[Policy]\nmaxsessions = 5\nKeepalive = 1s\n", &c, err) &&
		    c.policy_set == (1U << 0 | 1U << 18),
		    "keys in the file are set, even at their default value"))
		printf("# %s, set %#x\n", err, c.policy_set);
	tap_ok(!strcmp(c.state_dir, "/var/lib/jump/jump0"),
	       "StateDirectory defaults to /var/lib/jump/IFNAME");
	tap_ok(!strcmp(c.audit_log, "/var/log/jump/jump0.audit.jsonl"),
	       "AuditLog defaults to /var/log/jump/IFNAME.audit.jsonl");
	config_free(&c);
	if (!tap_ok(!load(CLI CLI_PEER, &c, err), "a minimal client loads"))
		printf("# %s\n", err);
	tap_ok(c.listen_port == 0 && c.nuplinks == 0 && c.npeers == 1 &&
	       c.peers[0].nprefixes == 0, "client: no ListenPort is 0 (any), no Uplink");
	config_free(&c);
}

#define PEER1 "[Peer]\nPublicKey = " C1_PUB "\n"
#define PEER2 "[Peer]\nPublicKey = " C2_PUB "\n"

static void test_structure_errors(void)
{
	char text[8192];

	expect_err("Role = server\n", 1, "Role before any section",
		   "a key before any section");
	expect_err("\n# nothing\n[Peers]\n", 3, "unknown section [Peers]",
		   "an unknown section");
	expect_err(SRV "[Peer\n", 5, "ends with ']'", "a header without ']'");
	expect_err(SRV "Colour = blue\n", 5, "unknown key \"Colour\" in [Interface]",
		   "an unknown key");
	expect_err(SRV "endpoint = 192.0.2.1:1\n", 5,
		   "Endpoint is not valid in [Interface]: it belongs in [Peer]",
		   "a key of another section");
	expect_err(SRV "[Policy]\nPublicKey = " C1_PUB "\n", 6,
		   "PublicKey is not valid in [Policy]", "a [Peer] key in [Policy]");
	expect_err(SRV "listenport = 1\n", 5, "ListenPort is already set at line 4",
		   "a single-valued key twice");
	expect_err(SRV PEER1 "PublicKey = " C2_PUB "\n", 7,
		   "PublicKey is already set at line 6", "PublicKey twice in one peer");
	expect_err(SRV "ListenPort 51820\n", 5, "expected Key = Value",
		   "a line without '='");
	expect_err(SRV "= 5\n", 5, "no key before '='", "a line without a key");
	expect_err(SRV "AuditLog =   # nothing\n", 5, "AuditLog has no value",
		   "an empty value");
	expect_err("", 0, "no [Interface] section", "an empty file");
	expect_err("# comments only\n\n", 0, "no [Interface] section",
		   "a file of comments");
	expect_err("[Peer]\n", 1, "[Peer] before [Interface]",
		   "[Interface] must come first");
	expect_err(SRV "[Interface]\n", 5, "a second [Interface] (the first is at line 1)",
		   "two [Interface] sections");
	expect_err(SRV "[Policy]\n[Policy]\n", 6, "a second [Policy] (the first is at line 5)",
		   "two [Policy] sections");
	expect_err_len(SRV "Ro\0le = server\n", sizeof(SRV) + 14, 5, "NUL byte",
		       "a NUL byte");
	snprintf(text, sizeof(text), SRV "#%04096d\n", 0);
	expect_err(text, 5, "line longer than 4096 bytes", "a 4097-byte line");
}

static void test_long_lines(void)
{
	char text[8192], err[CONFIG_ERR_LEN];
	struct config c;

	snprintf(text, sizeof(text), SRV "#%04095d\r\n", 0);
	if (!tap_ok(!load(text, &c, err), "a 4096-byte line (and CR LF) is fine"))
		printf("# %s\n", err);
	config_free(&c);
	snprintf(text, sizeof(text), SRV "#%04095d", 0);
	if (!tap_ok(!load(text, &c, err), "so is a last line without a newline"))
		printf("# %s\n", err);
	config_free(&c);
}

static void test_interface_errors(void)
{
	char text[2048];
	int i, n;

	expect_err("[Interface]\nPrivateKey = " SERVER_PRIV "\nListenPort = 1\n", 0,
		   "[Interface] has no Role", "Role is required");
	expect_err("[Interface]\nRole = router\n", 2,
		   "Role must be server or client, not \"router\"", "a bad Role");
	expect_err("[Interface]\nRole = server\nListenPort = 1\n", 0,
		   "has no PrivateKey or PrivateKeyFile", "a private key is required");
	expect_err(SRV "PrivateKeyFile = jump0.key\n", 5,
		   "PrivateKey and PrivateKeyFile (line 3) exclude each other",
		   "PrivateKey and PrivateKeyFile together");
	expect_err("[Interface]\nRole = server\nPrivateKey = c2VjcmV0\n", 3,
		   "PrivateKey is not base64 of 32 bytes", "a bad PrivateKey");
	expect_err("[Interface]\nRole = server\nPrivateKey = " SERVER_PRIV "\n", 0,
		   "a server needs a ListenPort", "a server without ListenPort");
	expect_err("[Interface]\nRole = server\nPrivateKey = " SERVER_PRIV "\nListenPort = 0\n",
		   4, "a server's ListenPort must be 1 to 65535", "a server with ListenPort 0");
	expect_err("[Interface]\nRole = server\nListenPort = 65536\n", 3,
		   "ListenPort \"65536\" is not a port", "ListenPort out of range");
	expect_err("[Interface]\nRole = server\nListenPort = 80x\n", 3,
		   "is not a port", "trailing garbage in a port");
	expect_err(SRV "Uplink = eth0\n", 5, "Uplink is for clients only",
		   "Uplink on a server");
	expect_err(CLI "Uplink = eth/0\n", 4,
		   "Uplink \"eth/0\" is neither an IP address nor an interface name",
		   "an Uplink with '/'");
	expect_err(CLI "Uplink = wlan 0\n", 4, "neither an IP address",
		   "an Uplink with a blank");
	expect_err(CLI "Uplink = abcdefghijklmnop\n", 4, "neither an IP address",
		   "a 16-byte Uplink name");
	expect_err(CLI "Uplink = wlan0\nUplink = WLAN1\nUplink = wlan0\n", 6,
		   "Uplink \"wlan0\" is listed twice", "an Uplink twice");
	n = snprintf(text, sizeof(text), CLI);
	for (i = 0; i < CONFIG_MAX_UPLINKS + 1; i++)
		n += snprintf(text + n, sizeof(text) - n, "Uplink = eth%d\n", i);
	expect_err(text, 4 + CONFIG_MAX_UPLINKS, "more than 8 Uplinks",
		   "too many Uplinks");
	expect_err(SRV "StateDirectory = state\n", 5,
		   "StateDirectory \"state\" is not an absolute path",
		   "a relative StateDirectory");
}

static void test_private_key_not_shown(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	load("[Interface]\nRole = server\nPrivateKey = " SERVER_PRIV "x\n", &c, err);
	tap_ok(!strstr(err, SERVER_PRIV), "a bad PrivateKey is not echoed: %s", err);
}

static void test_peer_errors(void)
{
	char text[16384];
	int i, n;

	expect_err(CLI, 0, "a client needs a [Peer]", "a client without a peer");
	expect_err(CLI CLI_PEER "[Peer]\n", 7,
		   "a client has exactly one [Peer], its server (the first is at line 4)",
		   "a client with two peers");
	expect_err(CLI "[Peer]\nPublicKey = " SERVER_PUB "\n", 4,
		   "a client's [Peer] needs at least one Endpoint", "a client peer without Endpoint");
	expect_err(CLI "[Peer]\nPublicKey = " SERVER_PUB "\nEndpoint = vpn.example.com:51820\n",
		   6, "Endpoint \"vpn.example.com:51820\" is not ADDRESS:PORT",
		   "an Endpoint with a host name");
	expect_err(CLI "[Peer]\nPublicKey = " SERVER_PUB "\nEndpoint = 192.0.2.1:0\n",
		   6, "is not ADDRESS:PORT", "an Endpoint with port 0");
	expect_err(CLI "[Peer]\nPublicKey = " SERVER_PUB "\nEndpoint = 192.0.2.1:1x\n",
		   6, "is not ADDRESS:PORT", "trailing garbage in an Endpoint port");
	expect_err(CLI CLI_PEER "Endpoint = 192.0.2.1:51820\n", 7,
		   "Endpoint 192.0.2.1:51820 is listed twice", "an Endpoint twice");
	n = snprintf(text, sizeof(text), CLI "[Peer]\nPublicKey = " SERVER_PUB "\n");
	for (i = 0; i < CONFIG_MAX_ENDPOINTS + 1; i++)
		n += snprintf(text + n, sizeof(text) - n, "Endpoint = 192.0.2.%d:1\n", i);
	expect_err(text, 6 + CONFIG_MAX_ENDPOINTS, "more than 8 Endpoints",
		   "too many Endpoints");
	expect_err(SRV PEER1 "Endpoint = 192.0.2.1:51820\n", 7,
		   "Endpoint is not valid on a server", "Endpoint on a server");
	expect_err(SRV "[Peer]\nAllowedIPs = 10.0.0.0/8\n", 5, "[Peer] has no PublicKey",
		   "a peer without PublicKey");
	expect_err(SRV PEER1 PEER2 "[Peer]\nPublicKey = " SERVER_PUB "\n", 10,
		   "PublicKey is this interface's own public key", "a peer with our own key");
	expect_err(SRV "[Peer]\nPublicKey = 88EWqV4kVrwUFypAef8rdX4+9H3M7FDQKzSyxZywzT8\n",
		   6, "PublicKey is not base64 of 32 bytes", "a PublicKey without padding");
	expect_err(SRV PEER1 PEER2 "AllowedIPs = 10.0.0.2\n" PEER1 "AllowedIPs = 10.0.0.3\n",
		   11, "this PublicKey is also the one at line 6",
		   "the same PublicKey in two peers names both lines");
}

static void test_allowed_ips_errors(void)
{
	char text[16384];
	int i, n;

	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/8, 10.0.0.1/24\n", 7,
		   "host bits set in 10.0.0.1/24: did you mean 10.0.0.0/24?",
		   "host bits set: the message suggests the prefix");
	expect_err(SRV PEER1 "AllowedIPs = fd00::1/64\n", 7,
		   "host bits set in fd00::1/64: did you mean fd00::/64?",
		   "host bits set in IPv6");
	expect_err(SRV PEER1 "AllowedIPs = 10.1.2.3/9\n", 7, "did you mean 10.0.0.0/9?",
		   "host bits set inside a byte");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/33\n", 7,
		   "AllowedIPs entry \"10.0.0.0/33\" is not a prefix", "a bad prefix length");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/8x\n", 7, "is not a prefix",
		   "trailing garbage in a prefix");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/8,,10.1.0.0/16\n", 7,
		   "empty entry in AllowedIPs", "an empty list entry");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/24\n" PEER2
		   "AllowedIPs = 192.168.0.0/24, 10.0.0.128/25\n", 10,
		   "AllowedIPs 10.0.0.128/25 overlaps 10.0.0.0/24 of the [Peer] at line 5",
		   "a prefix inside another peer's prefix");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.128/25\n" PEER2
		   "AllowedIPs = 10.0.0.0/24\n", 10,
		   "AllowedIPs 10.0.0.0/24 overlaps 10.0.0.128/25 of the [Peer] at line 5",
		   "a prefix holding another peer's prefix");
	expect_err(SRV PEER1 "AllowedIPs = 0.0.0.0/0\n" PEER2
		   "AllowedIPs = fd00::/8\nAllowedIPs = 10.0.0.1\n", 11,
		   "overlaps 0.0.0.0/0 of the [Peer] at line 5",
		   "0.0.0.0/0 overlaps every IPv4 prefix of another peer, not IPv6");
	expect_err(SRV PEER1 "AllowedIPs = 10.0.0.0/8, 10.0.0.0/16, 10.0.0.0/16\n", 7,
		   "AllowedIPs 10.0.0.0/16 is listed twice", "a prefix twice in one peer");
	n = snprintf(text, sizeof(text), SRV PEER1);
	for (i = 0; i < JUMP_MAX_PREFIXES + 1; i++)
		n += snprintf(text + n, sizeof(text) - n, "AllowedIPs = 10.%d.%d.0/24\n",
			      i / 256, i % 256);
	expect_err(text, 7 + JUMP_MAX_PREFIXES, "more than 256 AllowedIPs in one peer",
		   "too many AllowedIPs");
}

static void test_allowed_ips(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	if (!tap_ok(!load(SRV PEER1 "AllowedIPs = 10.0.0.0/16\n"
			  "AllowedIPs = 10.0.1.0/24 , fd00::/64\n"
			  "AllowedIPs=10.0.0.7\n" PEER2 "AllowedIPs = 10.1.0.0/16\n",
			  &c, err), "a peer may nest its own prefixes"))
		printf("# %s\n", err);
	tap_ok(c.npeers == 2 && c.peers[0].nprefixes == 4 &&
	       prefix_is(&c.peers[0].prefixes[0], "10.0.0.0/16") &&
	       prefix_is(&c.peers[0].prefixes[1], "10.0.1.0/24") &&
	       prefix_is(&c.peers[0].prefixes[2], "fd00::/64") &&
	       prefix_is(&c.peers[0].prefixes[3], "10.0.0.7/32") &&
	       c.peers[1].nprefixes == 1,
	       "repeated AllowedIPs accumulate, in order");
	config_free(&c);
}

#define POL SRV "[Policy]\n"

static void test_policy_errors(void)
{
	expect_err(POL "Keepalive = 5\n", 6, "Keepalive = 5 has no unit: add ms, s, m or h",
		   "a bare number");
	expect_err(POL "Keepalive = 3sx\n", 6, "Keepalive = 3sx is not a duration",
		   "trailing garbage in a duration");
	expect_err(POL "Keepalive = -1s\n", 6, "is not a duration", "a negative duration");
	expect_err(POL "Keepalive = 1.5s\n", 6, "is not a duration", "a fraction");
	expect_err(POL "Keepalive = 0\n", 6, "Keepalive = 0: only SessionLifetime may be 0",
		   "0 is for SessionLifetime only");
	expect_err(POL "Keepalive = 50ms\n", 6,
		   "Keepalive = 50ms is out of bounds: 100ms to 1h", "a liveness time too short");
	expect_err(POL "DegradedAfter = 61m\n", 6,
		   "DegradedAfter = 61m is out of bounds: 100ms to 1h", "a liveness time too long");
	expect_err(POL "ClockSkew = 5000000h\n", 6, "ClockSkew = 5000000h is too long",
		   "a duration that overflows 32 bits of ms");
	expect_err(POL "ClockSkew = 99999999999999999999999s\n", 6, "is too long",
		   "a duration that overflows 64 bits");
	expect_err(POL "Keepalive = 5s\n", 6,
		   "Keepalive (5s) must be less than VolatileAfter (3s): the kernel refuses",
		   "keepalive >= volatile");
	expect_err(POL "DegradedAfter = 5s\nVolatileAfter = 5s\n", 7,
		   "VolatileAfter (5s) must be less than DegradedAfter (5s)",
		   "volatile >= degraded, at the later key");
	expect_err(POL "RetryMax = 100ms\nRetryInitial = 200ms\n", 7,
		   "RetryInitial (200ms) must be at most RetryMax (100ms)",
		   "retry initial > retry max");
	expect_err(POL "RecoveryWindow = 5s\n" PEER1, 6,
		   "DegradedAfter (6s) must be at most RecoveryWindow (5s)",
		   "recovery window < degraded, found when [Policy] ends");
	expect_err(POL "RekeyInterval = 9999ms\n", 6,
		   "RekeyInterval = 9999ms is out of bounds: 10s to 24h", "rekey interval < 10s");
	expect_err(POL "RebindProbe = maybe\n", 6, "RebindProbe = maybe is not yes or no",
		   "a switch that is neither yes nor no");
	expect_err(POL "MaxSessions = 1048577\n", 6,
		   "MaxSessions = 1048577 is out of bounds: 1 to 1048576",
		   "more sessions than JUMP_MAX_SESSIONS");
	expect_err(POL "MaxSwitches = 0\n", 6, "MaxSwitches = 0 is out of bounds: 1 to 1000",
		   "a count of 0");
	expect_err(POL "SourceRate = 10x\n", 6, "SourceRate = 10x is not a whole number",
		   "trailing garbage in a count");
	expect_err(POL "GlobalRate = 4294967296\n", 6, "is not a whole number",
		   "a count over 32 bits");
}

/* [Cluster]: lines 5 on. */
#define CLU SRV "[Cluster]\n"
static void test_cluster(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	tap_ok(!load(SRV, &c, err) && !c.cluster.endpoints[0],
	       "no [Cluster]: single node (no endpoints)");
	config_free(&c);
	tap_ok(!load(CLU "Endpoints = http://10.0.0.1:2379, http://[fd00::1]:2379\n"
		     "NodeName = node-a\nLeaseTTL = 3s\n", &c, err) &&
	       !strcmp(c.cluster.endpoints, "http://10.0.0.1:2379, http://[fd00::1]:2379") &&
	       !strcmp(c.cluster.node, "node-a") && c.cluster.lease_ttl_ms == 3000,
	       "[Cluster] loads Endpoints, NodeName and LeaseTTL");
	config_free(&c);
	tap_ok(!load(CLU "Endpoints = http://127.0.0.1:2379\n", &c, err) &&
	       c.cluster.lease_ttl_ms == JUMP_DEFAULT_LEASE_TTL_MS && c.cluster.node[0],
	       "LeaseTTL and NodeName have defaults (the host name)");
	config_free(&c);
	expect_err(CLU "NodeName = a\n", 5, "[Cluster] has no Endpoints", "Endpoints is required");
	expect_err(CLU "Endpoints = 10.0.0.1:2379\n", 6, "is not http://HOST:PORT",
		   "an endpoint without a scheme");
	expect_err(CLU "Endpoints = http://x:2379/v3\n", 6, "is not http://HOST:PORT",
		   "an endpoint with a path");
	expect_err(CLU "Endpoints = ,\n", 6, "names no etcd member", "an empty endpoint list");
	expect_err(CLU "Endpoints = http://a:1,http://a:2,http://a:3,http://a:4,http://a:5,"
		   "http://a:6,http://a:7,http://a:8,http://a:9\n", 6, "more than 8 etcd members",
		   "too many endpoints");
	expect_err(CLU "Endpoints = http://a:1\nNodeName = a/b\n", 7, "NodeName = a/b: 1 to 63",
		   "a node name that is no file name");
	expect_err(CLU "Endpoints = http://a:1\nLeaseTTL = 1s\n", 7,
		   "LeaseTTL = 1s is out of bounds: 2s to 10m", "a lease shorter than 2s");
	expect_err(CLI "[Cluster]\nEndpoints = http://a:1\n" CLI_PEER, 4,
		   "[Cluster] is for servers only", "a client has no [Cluster]");
	expect_err(CLU "Endpoints = http://a:1\n[Cluster]\n", 7, "a second [Cluster]",
		   "one [Cluster]");
}

static void test_session_lifetime(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	if (!tap_ok(!load(POL "SessionLifetime = 0\nKeepalive = 100ms\nVolatileAfter = 59m\n"
			  "DegradedAfter = 3600000ms\nRecoveryWindow = 1h\n", &c, err),
		    "SessionLifetime = 0 and the liveness bounds themselves are fine"))
		printf("# %s\n", err);
	tap_ok(c.policy.session_lifetime_ms == 0 && c.policy.keepalive_ms == 100 &&
	       c.policy.degraded_ms == JUMP_MAX_LIVENESS_MS, "and are stored");
	config_free(&c);
}

static char *write_key(const char *name, const char *text, mode_t mode)
{
	static char path[sizeof(dir) + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, text, strlen(text), mode);
	return path;
}

static void remove_key(const char *name)
{
	char path[sizeof(dir) + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void test_key_file(void)
{
	char tmp[] = "/tmp/jumpd_config_key.XXXXXX", text[512], err[CONFIG_ERR_LEN];
	struct config c;
	int fd = mkstemp(tmp);

	if (fd < 0 || write(fd, SERVER_PRIV "\n", 45) != 45 || fchmod(fd, 0644)) {
		printf("Bail out! mkstemp: %s\n", strerror(errno));
		exit(1);
	}
	close(fd);
	snprintf(text, sizeof(text),
		 "[Interface]\nRole = server\nPrivateKeyFile = %s\nListenPort = 1\n", tmp);
	expect_err(text, 3, "is readable or writable by group or others (mode 0644)",
		   "a key file at 0644 is refused, saying why");
	chmod(tmp, 0640);
	expect_err(text, 3, "(mode 0640)", "a key file at 0640 too");
	chmod(tmp, 0600);
	if (!tap_ok(!load(text, &c, err), "a key file at 0600 loads"))
		printf("# %s\n", err);
	tap_ok(key_is(c.private_key, SERVER_PRIV) && key_is(c.public_key, SERVER_PUB),
	       "with its key");
	config_free(&c);
	unlink(tmp);
	expect_err(text, 3, "cannot open key file", "a missing key file");
	expect_err(text, 3, "No such file or directory", "says why");
}

static void test_key_file_relative(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	write_key("rel.key", C1_PRIV "\r\n", 0600);
	if (!tap_ok(!load("[Interface]\nRole = server\nPrivateKeyFile = rel.key\nListenPort = 1\n",
			  &c, err), "a relative PrivateKeyFile is found beside the config"))
		printf("# %s\n", err);
	tap_ok(key_is(c.public_key, C1_PUB), "with its key (CR LF ending)");
	config_free(&c);
	write_key("bad.key", "hello\n", 0600);
	expect_err("[Interface]\nPrivateKeyFile = bad.key\n", 2,
		   "does not hold one base64 key of 32 bytes", "a key file of garbage");
	write_key("two.key", C1_PRIV "\n" C1_PRIV "\n", 0600);
	expect_err("[Interface]\nPrivateKeyFile = two.key\n", 2,
		   "does not hold one base64 key", "a key file of two keys");
	expect_err("[Interface]\nPrivateKeyFile = .\n", 2, "is not a regular file",
		   "a directory as key file");
	remove_key("rel.key");
	remove_key("bad.key");
	remove_key("two.key");
}

/* ClusterKeyFile: read like PrivateKeyFile, errors at its file:line. */
static void test_cluster_key_file(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	write_key("cluster.key", C1_PRIV "\n", 0600);
	tap_ok(!load(CLU "Endpoints = http://a:1\n", &c, err) && !c.cluster.has_key,
	       "without ClusterKeyFile there is no cluster key (failover off)");
	config_free(&c);
	if (!tap_ok(!load(CLU "Endpoints = http://a:1\nClusterKeyFile = cluster.key\n", &c, err),
		    "a ClusterKeyFile beside the config loads"))
		printf("# %s\n", err);
	tap_ok(c.cluster.has_key && key_is(c.cluster.key, C1_PRIV), "with its 32 bytes");
	config_free(&c);
	write_key("cluster.key", C1_PRIV "\n", 0640);
	expect_err(CLU "Endpoints = http://a:1\nClusterKeyFile = cluster.key\n", 7,
		   "is readable or writable by group or others (mode 0640)",
		   "a ClusterKeyFile at 0640 is refused at its line");
	write_key("cluster.key", "c2hvcnQ=\n", 0600);
	expect_err(CLU "Endpoints = http://a:1\nClusterKeyFile = cluster.key\n", 7,
		   "does not hold one base64 key of 32 bytes", "a ClusterKeyFile of 5 bytes");
	remove_key("cluster.key");
	expect_err(CLU "Endpoints = http://a:1\nClusterKeyFile = cluster.key\n", 7,
		   "cannot open key file", "a missing ClusterKeyFile");
	expect_err(SRV "ClusterKeyFile = x\n", 5, "", "ClusterKeyFile outside [Cluster]");
}

static void test_crlf(void)
{
	char crlf[4096], err[CONFIG_ERR_LEN];
	struct config a, b;
	size_t i, n = 0;

	for (i = 0; server_full[i]; i++) {
		if (server_full[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = server_full[i];
	}
	crlf[n] = '\0';
	if (!tap_ok(!load(crlf, &b, err), "CR LF line endings load"))
		printf("# %s\n", err);
	load(server_full, &a, err);
	tap_ok(!memcmp(&a.policy, &b.policy, sizeof(a.policy)) &&
	       !memcmp(a.public_key, b.public_key, JUMP_PUBKEY_LEN) &&
	       !strcmp(a.audit_log, b.audit_log) && a.npeers == b.npeers &&
	       b.npeers == 2 && b.peers[1].nprefixes == 1 &&
	       !memcmp(a.peers[1].prefixes, b.peers[1].prefixes, sizeof(struct prefix)),
	       "and give the same config as LF");
	config_free(&a);
	config_free(&b);
}

/* Fails at the very end, with everything allocated: ASan's leak check. */
static void test_no_leak(void)
{
	static char text[65536];
	int i, n;

	n = snprintf(text, sizeof(text), SRV);
	for (i = 0; i < 200; i++) {
		uint8_t key[JUMP_PUBKEY_LEN] = { 1, (uint8_t)i, 7 };
		char b64[PUBKEY_B64_LEN];

		format_pubkey(key, b64);
		n += snprintf(text + n, sizeof(text) - n,
			      "[Peer]\nPublicKey = %s\nAllowedIPs = 10.%d.0.0/16, fd%02x::/16\n",
			      b64, i, i);
	}
	snprintf(text + n, sizeof(text) - n, "[Peer]\nPublicKey = " C1_PUB
		 "\nAllowedIPs = 10.7.7.0/24\n");
	expect_err(text, 4 + 3 * 200 + 3, "overlaps 10.7.0.0/16 of the [Peer] at line 26",
		   "a failure after 200 peers (ASan: and no leak)");
	text[n] = '\0';
	expect_err(strcat(text, "[Peer]\n"), 4 + 3 * 200 + 1, "[Peer] has no PublicKey",
		   "a failure at the last line");
}

static void test_open_errors(void)
{
	char err[CONFIG_ERR_LEN];
	struct config c;

	memset(&c, 1, sizeof(c));
	tap_ok(config_load("/nonexistent/jump0.conf", "jump0", &c, err) &&
	       !strcmp(err, "/nonexistent/jump0.conf: cannot open: No such file or directory") &&
	       is_zero(&c), "a missing file: PATH: cannot open: strerror");
	write_file(conf, SRV, strlen(SRV), 0600);
	tap_ok(config_load(conf, "bad/name", &c, err) && strstr(err, "not an interface name") &&
	       is_zero(&c), "an impossible interface name is refused");
}

/* The shipped examples load, given a key beside them. */
static void test_example(const char *repo, const char *name, uint8_t role,
			 size_t npeers)
{
	char path[4096 + 32], err[CONFIG_ERR_LEN];
	struct config c;
	FILE *f;
	static char text[16384];
	size_t len;

	snprintf(path, sizeof(path), "%s/examples/%s", repo, name);
	f = fopen(path, "r");
	if (!f) {
		tap_ok(1, "# SKIP %s: %s", path, strerror(errno));
		return;
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	write_key("jump0.key", role == JUMP_ROLE_SERVER ? SERVER_PRIV "\n" : C1_PRIV "\n",
		  0600);
	if (!tap_ok(!load(text, &c, err) && c.role == role && c.npeers == npeers,
		    "examples/%s loads", name))
		printf("# %s\n", err);
	config_free(&c);
	remove_key("jump0.key");
}

int main(void)
{
	char repo[4096];

	if (!getcwd(repo, sizeof(repo)) || !mkdtemp(dir)) {
		printf("Bail out! %s\n", strerror(errno));
		return 1;
	}
	snprintf(conf, sizeof(conf), "%s/jump0.conf", dir);
	/* Relative key files must be found beside the config, not here. */
	if (chdir("/")) {
		printf("Bail out! chdir: %s\n", strerror(errno));
		return 1;
	}
	test_server_full();
	test_client_full();
	test_defaults();
	test_structure_errors();
	test_long_lines();
	test_interface_errors();
	test_private_key_not_shown();
	test_peer_errors();
	test_allowed_ips_errors();
	test_allowed_ips();
	test_policy_errors();
	test_session_lifetime();
	test_cluster();
	test_key_file();
	test_key_file_relative();
	test_cluster_key_file();
	test_crlf();
	test_no_leak();
	test_open_errors();
	test_example(repo, "server.conf", JUMP_ROLE_SERVER, 2);
	test_example(repo, "client.conf", JUMP_ROLE_CLIENT, 1);
	unlink(conf);
	rmdir(dir);
	return tap_done();
}
