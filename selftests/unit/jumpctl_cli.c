// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl as a whole program, without a kernel: help at every level (to
 * stdout, exit 0), every usage error of the issue 5 commands (one
 * "Error:" line, exit 1, before any socket: a socket would find no jump
 * family here and exit 2), and policy show of the example configs, text
 * and JSON, the JSON read back by a real parser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_check.h"
#include "jumpctl.h"
#include "tap.h"

#define KEY "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0="
/*
 * Private keys, as jumpctl key genkey writes them: the server's (its public
 * key is client.conf's [Peer]) and a client's (server.conf's first [Peer]).
 */
#define SERVER_PRIV "GDU+B1+lh8O2FDHdlVtJ5vE1KfPNnHNz1n/B34j+tEs="
#define CLIENT_PRIV "aBJ6kF2DU/Jl1HwKs1DqJ3ozTRz0X+qjShHaGeaTHUY="

static char out_text[16384], err_text[8192];
static char dir[] = "/tmp/jumpctl_cli.XXXXXX";

/* "jumpctl @line" as typed, split on blanks; stdout and stderr captured. */
static int jumpctl(const char *line)
{
	char buf[8192], *argv[40], *save, *w;
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 0, o, e, ret;
	size_t n;

	if (!out || !err)
		abort();
	snprintf(buf, sizeof(buf), "jumpctl %s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 39; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	o = dup(1);
	e = dup(2);
	dup2(fileno(out), 1);
	dup2(fileno(err), 2);
	ret = jumpctl_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(e, 2);
	close(o);
	close(e);
	rewind(out);
	n = fread(out_text, 1, sizeof(out_text) - 1, out);
	out_text[n] = '\0';
	rewind(err);
	n = fread(err_text, 1, sizeof(err_text) - 1, err);
	err_text[n] = '\0';
	fclose(out);
	fclose(err);
	return ret;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Help: exit 0, the usage on stdout holding @want, nothing on stderr. */
static void help(const char *line, const char *want)
{
	int ret = jumpctl(line);

	if (!tap_ok(ret == EXIT_OK && starts_with(out_text, "Usage: jumpctl ") &&
		    strstr(out_text, want) && !err_text[0],
		    "jumpctl %s: usage on stdout, exit 0", line))
		printf("# ret %d, stderr: %s", ret, err_text);
}

/* A usage error: exit 1, one line "Error: ....\n", nothing on stdout. */
static bool usage_error_of(const char *line, const char *want)
{
	int ret = jumpctl(line);
	size_t len = strlen(err_text);
	bool ok;

	ok = ret == EXIT_USAGE && !out_text[0] && !strncmp(err_text, "Error: ", 7) &&
	     len > 9 && !strcmp(err_text + len - 2, ".\n") &&
	     strchr(err_text, '\n') == err_text + len - 1 && strstr(err_text, want);
	if (!ok)
		printf("# jumpctl %s: ret %d, stderr: %s", line, ret, err_text);
	return ok;
}

static void usage_err(const char *line, const char *want)
{
	tap_ok(usage_error_of(line, want), "jumpctl %s: exit 1 before any socket (%s)",
	       line, want);
}

static void test_help(void)
{
	static const char *const objects[] = {
		"link", "session", "policy", "monitor", "key", "audit",
	};
	static const char *const lines[][2] = {
		{ "link show help", "jumpctl link show [ NAME ]" },
		{ "link add jump0 help", "jumpctl link add NAME" },
		{ "link del jump0 help", "jumpctl link del NAME" },
		{ "session show help", "jumpctl session show [ dev NAME ] [ id ID ] [ state STATE ] [ peer PUBKEY ]" },
		{ "session show dev jump0 state attached help", "jumpctl session show [ dev NAME ]" },
		{ "session set help", "jumpctl session set dev NAME" },
		{ "session add help", "jumpctl session add dev NAME" },
		{ "session del help", "jumpctl session del dev NAME" },
		{ "session terminate help", "jumpctl session terminate dev NAME id ID [ reason REASON ]" },
		{ "session terminate dev jump0 id 1 help", "jumpctl session terminate" },
		{ "session reattach help", "jumpctl session reattach dev NAME id ID" },
		{ "session reattach dev jump0 help", "jumpctl session reattach" },
		{ "session key help", "jumpctl session key add" },
		{ "session key add help", "jumpctl session key add" },
		{ "session key swap help", "jumpctl session key swap" },
		{ "session key del help", "jumpctl session key del" },
		{ "policy show help", "jumpctl policy show dev NAME [ config FILE ]" },
		{ "policy show dev jump0 help", "jumpctl policy show" },
		{ "monitor dev jump0 help", "monitor [ dev NAME ]" },
		{ "key genkey help", "jumpctl key genkey" },
		{ "key pubkey help", "jumpctl key pubkey" },
		{ "audit show help", "jumpctl audit show" },
		{ "audit verify help", "jumpctl audit verify" },
	};
	char line[64], want[64];
	size_t i;

	help("help", "OBJECT := { link | session | policy | monitor | key | audit | help }");
	help("-h", "OBJECT := { link | session | policy | monitor | key | audit | help }");
	help("-help", "OPTIONS :=");
	help("help help", "OBJECT :=");
	help("help bogus", "OBJECT :=");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		snprintf(line, sizeof(line), "%s help", objects[i]);
		snprintf(want, sizeof(want), "%s", objects[i]);
		help(line, want);
		snprintf(line, sizeof(line), "help %s", objects[i]);
		help(line, want);
	}
	help("p help", "jumpctl policy help");
	help("help pol", "jumpctl policy help");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		help(lines[i][0], lines[i][1]);
}

static void test_usage_errors(void)
{
	char line[5200], name[4200];
	int ret;

	/* The control: a command that gets as far as the kernel exits 2 here. */
	ret = jumpctl("session terminate dev nosuchjump9 id 1");
	tap_ok(ret == EXIT_KERNEL && starts_with(err_text, "Error: ") && !out_text[0],
	       "a well-formed terminate reaches netlink and fails there: exit 2 (%.40s)",
	       err_text);
	ret = jumpctl("session reattach dev nosuchjump9 id 1");
	tap_ok(ret == EXIT_KERNEL && starts_with(err_text, "Error: "),
	       "so does a well-formed reattach");

	usage_err("session show state att", "\"att\"");
	usage_err("session show state Attached", "\"Attached\"");
	usage_err("session show state", "\"state\" needs a value");
	usage_err("session show peer AAAA", "public key");
	usage_err("session show peer", "\"peer\" needs a value");
	usage_err("session show state attached state degraded", "given twice");
	usage_err("session show peer " KEY " peer " KEY, "given twice");
	usage_err("session show dev", "\"dev\" needs a value");
	usage_err("session show dev 0123456789abcdef", "device name");
	usage_err("session show role client", "unexpected \"role\"");
	usage_err("session show reason admin_terminate", "unexpected \"reason\"");
	usage_err("session show version 1", "unexpected \"version\"");
	usage_err("session show id", "\"id\" needs a value");
	usage_err("session show id 10000000000000000", "session id");
	usage_err("session terminate", "needs \"dev\"");
	usage_err("session terminate dev jump0", "needs \"id\"");
	usage_err("session terminate id 1", "needs \"dev\"");
	usage_err("session terminate dev jump0 id 1 reason", "\"reason\" needs a value");
	usage_err("session terminate dev jump0 id 1 reason bogus", "\"bogus\"");
	usage_err("session terminate dev jump0 id 1 reason admin", "\"admin\"");
	usage_err("session terminate dev jump0 id 1 reason admin_terminate reason peer_terminate",
		  "given twice");
	usage_err("session terminate dev jump0 id 1 version 2", "unexpected \"version\"");
	usage_err("session terminate dev jump0 id 1 state terminated", "unexpected \"state\"");
	usage_err("session terminate dev jump0 id 1 peer " KEY, "unexpected \"peer\"");
	usage_err("session terminate dev jump0 id xyz", "\"xyz\"");
	usage_err("session terminate dev 0123456789abcdef id 1", "device name");
	usage_err("session reattach", "needs \"dev\"");
	usage_err("session reattach dev jump0", "needs \"id\"");
	usage_err("session reattach id 1", "needs \"dev\"");
	usage_err("session reattach dev jump0 id 1 reason admin_reattach", "unexpected \"reason\"");
	usage_err("session reattach dev jump0 id 1 state recovering", "unexpected \"state\"");
	usage_err("session reattach dev jump0 id 1 version 3", "unexpected \"version\"");
	usage_err("session reattach dev jump0 id 1 local 10.0.0.1:1 remote 10.0.0.2:2",
		  "unexpected \"local\"");
	usage_err("session reattach dev jump0 id", "\"id\" needs a value");
	usage_err("session reattach dev jump0 id 1 id 2", "given twice");
	usage_err("session reattach dev jump0 id -1", "\"-1\"");
	usage_err("session frob", "unknown session command \"frob\"");
	usage_err("policy", "needs \"dev\"");
	usage_err("policy show", "needs \"dev\"");
	usage_err("policy show config /tmp/x.conf", "needs \"dev\"");
	usage_err("policy show dev", "\"dev\" needs a value");
	usage_err("policy show dev jump0 config", "\"config\" needs a value");
	usage_err("policy show dev jump0 dev jump1", "given twice");
	usage_err("policy show dev jump0 config a config b", "given twice");
	usage_err("policy show dev jump0 id 1", "unexpected \"id\"");
	usage_err("policy frob", "unexpected \"frob\"");
	usage_err("policy show dev 0123456789abcdef", "device name");
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(line, sizeof(line), "policy show dev jump0 config /%s", name);
	usage_err(line, "too long");
	usage_err("bogus", "object \"bogus\" is unknown");
	usage_err("-j -x policy show dev jump0", "option \"-x\"");
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) || chmod(path, mode)) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* examples/NAME into our directory, beside a key file jump0.key. */
static bool copy_example(const char *name, char *path, size_t len)
{
	char src[256], text[8192];
	size_t n;
	FILE *f;

	snprintf(src, sizeof(src), "examples/%s", name);
	f = fopen(src, "r");
	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	snprintf(path, len, "%s/%s", dir, name);
	write_file(path, text, 0644);
	return true;
}

#define SERVER_TEXT \
	"Keepalive 1s\nVolatileAfter 3s\nDegradedAfter 6s\nRecoveryWindow 2m\n" \
	"MaxSwitches 10\nSwitchInterval 1m\nRetryInitial 250ms (default)\n" \
	"RetryMax 4s (default)\nBirthTimeout 10s (default)\n" \
	"PathValidationTimeout 2s (default)\nClockSkew 30s\nSourceRate 10\n" \
	"SourceBurst 20\nGlobalRate 1000\nGlobalBurst 2000\nCookieThreshold 500\n" \
	"RekeyInterval 2m\nSessionLifetime 0\nMaxSessions 1024\n" \
	"RebindProbe no (default)\nStandbyPath no (default)\n" \
	"StandbyKeepalive 15s (default)\nUnlinkable no (default)\n"
#define SERVER_JSON \
	"{\"Keepalive\":1000,\"VolatileAfter\":3000,\"DegradedAfter\":6000," \
	"\"RecoveryWindow\":120000,\"MaxSwitches\":10,\"SwitchInterval\":60000," \
	"\"RetryInitial\":250,\"RetryMax\":4000,\"BirthTimeout\":10000," \
	"\"PathValidationTimeout\":2000,\"ClockSkew\":30000,\"SourceRate\":10," \
	"\"SourceBurst\":20,\"GlobalRate\":1000,\"GlobalBurst\":2000," \
	"\"CookieThreshold\":500,\"RekeyInterval\":120000,\"SessionLifetime\":0," \
	"\"MaxSessions\":1024,\"RebindProbe\":0,\"StandbyPath\":0," \
	"\"StandbyKeepalive\":15000,\"Unlinkable\":0,\"defaults\":[\"RetryInitial\"," \
	"\"RetryMax\",\"BirthTimeout\",\"PathValidationTimeout\",\"RebindProbe\"," \
	"\"StandbyPath\",\"StandbyKeepalive\",\"Unlinkable\"]}\n"
#define CLIENT_TEXT \
	"Keepalive 500ms\nVolatileAfter 2s\nDegradedAfter 4s\n" \
	"RecoveryWindow 1m (default)\nMaxSwitches 10 (default)\n" \
	"SwitchInterval 1m (default)\nRetryInitial 250ms\nRetryMax 4s\n" \
	"BirthTimeout 10s (default)\nPathValidationTimeout 2s (default)\n" \
	"ClockSkew 30s (default)\nSourceRate 10 (default)\nSourceBurst 20 (default)\n" \
	"GlobalRate 1000 (default)\nGlobalBurst 2000 (default)\n" \
	"CookieThreshold 500 (default)\nRekeyInterval 2m (default)\n" \
	"SessionLifetime 0 (default)\nMaxSessions 1024 (default)\n" \
	"RebindProbe no (default)\nStandbyPath no (default)\n" \
	"StandbyKeepalive 15s (default)\nUnlinkable no (default)\n"
/* As python's json.dumps(sort_keys=True) writes it back. */
#define CLIENT_CANON \
	"{\"BirthTimeout\": 10000, \"ClockSkew\": 30000, \"CookieThreshold\": 500, " \
	"\"DegradedAfter\": 4000, \"GlobalBurst\": 2000, \"GlobalRate\": 1000, " \
	"\"Keepalive\": 500, \"MaxSessions\": 1024, \"MaxSwitches\": 10, " \
	"\"PathValidationTimeout\": 2000, \"RebindProbe\": 0, \"RecoveryWindow\": 60000, " \
	"\"RekeyInterval\": 120000, \"RetryInitial\": 250, \"RetryMax\": 4000, " \
	"\"SessionLifetime\": 0, \"SourceBurst\": 20, \"SourceRate\": 10, " \
	"\"StandbyKeepalive\": 15000, \"StandbyPath\": 0, " \
	"\"SwitchInterval\": 60000, \"Unlinkable\": 0, \"VolatileAfter\": 2000, \"defaults\": " \
	"[\"RecoveryWindow\", \"MaxSwitches\", \"SwitchInterval\", \"BirthTimeout\", " \
	"\"PathValidationTimeout\", \"ClockSkew\", \"SourceRate\", \"SourceBurst\", " \
	"\"GlobalRate\", \"GlobalBurst\", \"CookieThreshold\", \"RekeyInterval\", " \
	"\"SessionLifetime\", \"MaxSessions\", \"RebindProbe\", \"StandbyPath\", " \
	"\"StandbyKeepalive\", \"Unlinkable\"]}"

static void test_policy_examples(void)
{
	char server[128], client[128], key[128], line[512], canon[4096];
	int ret;

	if (!copy_example("server.conf", server, sizeof(server)) ||
	    !copy_example("client.conf", client, sizeof(client))) {
		tap_ok(1, "# SKIP examples/ not found from %s", getcwd(line, sizeof(line)));
		return;
	}
	snprintf(key, sizeof(key), "%s/jump0.key", dir);
	write_file(key, SERVER_PRIV "\n", 0600);

	snprintf(line, sizeof(line), "policy show dev jump0 config %s", server);
	ret = jumpctl(line);
	if (!tap_ok(ret == EXIT_OK && !strcmp(out_text, SERVER_TEXT) && !err_text[0],
		    "policy show of examples/server.conf: every key, (default) where unset"))
		printf("# ret %d\n%s%s", ret, out_text, err_text);
	snprintf(line, sizeof(line), "-j policy show dev jump0 config %s", server);
	ret = jumpctl(line);
	if (!tap_ok(ret == EXIT_OK && !strcmp(out_text, SERVER_JSON),
		    "-j policy show of examples/server.conf: numbers in ms, defaults listed"))
		printf("# ret %d\n%s%s", ret, out_text, err_text);
	tap_ok(json_check(out_text, canon, sizeof(canon)) &&
	       strstr(canon, "\"RecoveryWindow\": 120000"),
	       "... and a JSON parser reads it (RecoveryWindow = 2m is 120000)");

	write_file(key, CLIENT_PRIV "\n", 0600);
	snprintf(line, sizeof(line), "po s d jump0 c %s", client);
	ret = jumpctl(line);
	if (!tap_ok(ret == EXIT_OK && !strcmp(out_text, CLIENT_TEXT),
		    "policy show of examples/client.conf (abbreviated)"))
		printf("# ret %d\n%s%s", ret, out_text, err_text);
	snprintf(line, sizeof(line), "-j policy dev jump0 config %s", client);
	ret = jumpctl(line);
	if (!tap_ok(ret == EXIT_OK && json_check(out_text, canon, sizeof(canon)) &&
		    !strcmp(canon, CLIENT_CANON) &&
		    strchr(out_text, '\n') == out_text + strlen(out_text) - 1,
		    "-j policy of examples/client.conf: one object, as a parser reads it"))
		printf("# ret %d\n%s\n%s", ret, out_text, canon);
	snprintf(line, sizeof(line), "-p policy show dev jump0 config %s", client);
	ret = jumpctl(line);
	tap_ok(ret == EXIT_OK && starts_with(out_text, "{\n    \"Keepalive\": 500,\n    \"VolatileAfter\": 2000,\n") &&
	       json_check(out_text, canon, sizeof(canon)) && !strcmp(canon, CLIENT_CANON),
	       "-p pretty-prints the same object");

	/* Errors: the parser's FILE:LINE, exit 1, and nothing on stdout. */
	unlink(key);
	snprintf(line, sizeof(line), "-j policy show dev jump0 config %s", server);
	snprintf(canon, sizeof(canon), "%s:10: cannot open key file", server);
	tap_ok(usage_error_of(line, canon),
	       "the key file is checked as jumpd checks it: FILE:LINE, exit 1, no JSON");
	write_file(key, SERVER_PRIV "\n", 0644);
	tap_ok(usage_error_of(line, "chmod 600"), "a key file others may read is refused");
	write_file(key, CLIENT_PRIV "\n", 0600);
	write_file(client, "[Interface]\nRole = client\nPrivateKeyFile = jump0.key\n"
		   "[Policy]\nKeepalive = 5s\n[Peer]\nPublicKey = " KEY "\n"
		   "Endpoint = 192.0.2.1:1\n", 0644);
	snprintf(line, sizeof(line), "policy show dev jump0 config %s", client);
	snprintf(canon, sizeof(canon), "%s:5: Keepalive (5s) must be less than VolatileAfter (3s)",
		 client);
	tap_ok(usage_error_of(line, canon), "a bad [Policy]: the parser's own message and line");
	snprintf(line, sizeof(line), "policy show dev jump0 config %s/none.conf", dir);
	tap_ok(usage_error_of(line, "none.conf: cannot open: No such file or directory"),
	       "a missing config file");
	snprintf(line, sizeof(line), "policy show dev a:b config %s", server);
	tap_ok(usage_error_of(line, "\"a:b\" is not an interface name"),
	       "a name jumpd would refuse is refused as jumpd refuses it");
	unlink(key);
	unlink(server);
	unlink(client);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_help();
	test_usage_errors();
	test_policy_examples();
	rmdir(dir);
	return tap_done();
}
