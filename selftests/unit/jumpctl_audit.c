// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl audit: the command line, show's filters and its safe printing of
 * a file anyone may have edited, and verify's verdicts and exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "jump_audit.h"
#include "jumpctl.h"
#include "tap.h"

#define PEER "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0="

static char dir[64], good[128], broken[128], head_ok[128], head_cut[128];
static char out_text[8192], err_text[8192];

/* Runs @fn with stdout and stderr in out_text and err_text. */
static int run_captured(int (*fn)(int, char **), int argc, char **argv)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int o, e, ret;
	size_t n;

	fflush(stdout);
	fflush(stderr);
	o = dup(1);
	e = dup(2);
	dup2(fileno(out), 1);
	dup2(fileno(err), 2);
	ret = fn(argc, argv);
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

/* "audit ARGS..." as typed, split on blanks. */
static int jumpctl(const char *line)
{
	char buf[512], *argv[32], *save, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return run_captured(do_audit, argc, argv);
}

static int parse(const char *line, struct audit_args *a)
{
	char buf[512], *argv[32], *save, *w;
	FILE *err = tmpfile();
	int argc = 0, e, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	fflush(stderr);
	e = dup(2);
	dup2(fileno(err), 2);
	ret = audit_parse(argc, argv, a);
	fflush(stderr);
	dup2(e, 2);
	close(e);
	fclose(err);
	return ret;
}

static const struct jump_audit_record records[] = {
	{ .event = "start", .detail = "/etc/jump/jump0.conf" },
	{ .event = "transition", .session = "00000000deadbeef", .from = "birth",
	  .to = "attached", .reason = "handshake_complete", .version = 2,
	  .peer = PEER, .source = "10.0.0.2:51820" },
	{ .event = "reject", .reject = "auth_failed", .source = "192.0.2.7:4000",
	  .detail = "evil \x1b[2J\"quote\"" },
	{ .event = "transition", .session = "00000000deadbeef", .from = "attached",
	  .to = "recovering", .reason = "transport_dead", .version = 3 },
	{ .event = "transition", .session = "0000000000000abc", .from = "birth",
	  .to = "terminated", .reason = "auth_failed", .version = 1 },
};
#define NREC (sizeof(records) / sizeof(records[0]))

/* The chained file of records[] (all but @skip, 0: none) and its head. */
static void make_file(const char *path, const char *head, unsigned int skip)
{
	char line[JUMP_AUDIT_LINE_MAX + 1], prev[JUMP_AUDIT_HASH_LEN];
	FILE *f = fopen(path, "w"), *h;
	struct jump_audit_record r;
	unsigned int i;
	int len;

	memcpy(prev, jump_audit_zero_hash, sizeof(prev));
	for (i = 0; i < NREC; i++) {
		r = records[i];
		r.seq = i + 1;
		r.time = "2026-11-25T11:30:00.000000001Z";
		r.host = "h";
		r.ifname = "jump0";
		r.prev = prev;
		len = jump_audit_format(line, sizeof(line), &r);
		if (i + 1 != skip)
			fprintf(f, "%s\n", line);
		jump_audit_hash(line, len, prev);
	}
	fclose(f);
	if (!head)
		return;
	h = fopen(head, "w");
	fprintf(h, "%zu %s\n", NREC, prev);
	fclose(h);
}

static void test_parse(void)
{
	struct audit_args a;

	tap_ok(!parse("show file /x", &a) && a.cmd == AUDIT_SHOW && !strcmp(a.path, "/x"),
	       "show file FILE");
	tap_ok(!parse("file /x", &a) && a.cmd == AUDIT_SHOW, "no command is show");
	tap_ok(!parse("s d jump0", &a) && a.cmd == AUDIT_SHOW &&
	       !strcmp(a.path, "/var/log/jump/jump0.audit.jsonl"),
	       "dev NAME reads jumpd's default file; \"s\" is show, \"d\" dev");
	tap_ok(!parse("show f /x s 0xabc e transition r auth_failed si 4", &a) &&
	       a.has_session && a.session == 0xabc && !strcmp(a.event, "transition") &&
	       !strcmp(a.reason, "auth_failed") && a.since == 4,
	       "show's keywords abbreviate in the usage's order (\"s\" session, \"si\" since)");
	tap_ok(!parse("show f /x reason not_owner", &a), "reason takes a reject too");
	tap_ok(!parse("v f /x h /h", &a) && a.cmd == AUDIT_VERIFY &&
	       !strcmp(a.head_path, "/h"), "verify file FILE head FILE");
	tap_ok(!parse("verify dev nosuchdev0", &a) && !a.head_path[0],
	       "verify dev NAME without a head there checks none");
	tap_ok(!parse("show f /x help", &a) && a.cmd == AUDIT_HELP, "help anywhere");
	tap_ok(parse("show", &a) == EXIT_USAGE &&
	       parse("show file /x dev jump0", &a) == EXIT_USAGE &&
	       parse("show file", &a) == EXIT_USAGE &&
	       parse("show file /x file /y", &a) == EXIT_USAGE,
	       "usage errors: no file, file and dev, no value, twice");
	tap_ok(parse("show f /x event trans", &a) == EXIT_USAGE &&
	       parse("show f /x reason bogus", &a) == EXIT_USAGE &&
	       parse("show f /x session xyz", &a) == EXIT_USAGE &&
	       parse("show f /x since -1", &a) == EXIT_USAGE &&
	       parse("show f /x head /h", &a) == EXIT_USAGE &&
	       parse("verify f /x since 1", &a) == EXIT_USAGE &&
	       parse("bogus f /x", &a) == EXIT_USAGE,
	       "usage errors: bad values, values abbreviated, keywords of the other command");
}

/* show of the good file with @line's filters, output in out_text. */
static int show(const char *line)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "show file %s %s", good, line);
	return jumpctl(cmd);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_show(void)
{
	tap_ok(show("") == EXIT_OK && count_lines(out_text) == NREC,
	       "show prints every record");
	tap_ok(strstr(out_text, "2 2026-11-25T11:30:00.000000001Z transition session 00000000deadbeef birth -> attached reason handshake_complete version 2 source 10.0.0.2:51820\n") != NULL,
	       "one readable line per record");
	tap_ok(strstr(out_text, "3 2026-11-25T11:30:00.000000001Z reject reject auth_failed source 192.0.2.7:4000 detail \"evil \\x1b[2J\\x22quote\\x22\"\n") &&
	       !strchr(out_text, '\x1b'), "an escape sequence in the file never reaches the terminal");
	show("session deadbeef");
	tap_ok(count_lines(out_text) == 2 && !strncmp(out_text, "2 ", 2),
	       "session ID picks that session's records");
	show("event transition since 3");
	tap_ok(count_lines(out_text) == 2 && !strncmp(out_text, "4 ", 2),
	       "event and since together");
	show("reason auth_failed");
	tap_ok(count_lines(out_text) == 2 && !strncmp(out_text, "3 ", 2) &&
	       strstr(out_text, "\n5 "), "reason matches a reject and a reason of that name");
	show("event rekey");
	tap_ok(show("event rekey") == EXIT_OK && !out_text[0], "no match prints nothing");
	opt.json = true;
	show("since 5");
	opt.json = false;
	tap_ok(!strncmp(out_text, "{\"seq\":5,\"time\":", 16) && count_lines(out_text) == 1,
	       "-j prints the record's line unchanged");
	opt.details = true;
	show("since 2 event transition session deadbeef");
	opt.details = false;
	tap_ok(strstr(out_text, "host h dev jump0 transition") && strstr(out_text, "peer " PEER),
	       "-d adds host, device and peer");
}

static void test_show_garbage(void)
{
	char cmd[256];
	FILE *f = fopen(broken, "a");

	fputs("this is not a record\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "show file %s", broken);
	tap_ok(jumpctl(cmd) == EXIT_OK && count_lines(out_text) == NREC &&
	       strstr(err_text, "line 6 is not an audit record"),
	       "a line that is no record is skipped with a warning");
}

static void test_verify(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "verify file %s", good);
	tap_ok(jumpctl(cmd) == EXIT_OK && !strcmp(out_text, "ok: 5 records, chain intact\n"),
	       "an intact file: ok, exit 0");
	snprintf(cmd, sizeof(cmd), "verify file %s head %s", good, head_ok);
	tap_ok(jumpctl(cmd) == EXIT_OK &&
	       !strcmp(out_text, "ok: 5 records, chain intact, head at record 5\n"),
	       "with its head: ok");
	snprintf(cmd, sizeof(cmd), "verify file %s head %s", good, good);
	tap_ok(jumpctl(cmd) == EXIT_USAGE && strstr(err_text, "is not an audit head"),
	       "a head file that is none: exit 1");
	make_file(broken, head_cut, NREC);
	snprintf(cmd, sizeof(cmd), "verify file %s", broken);
	tap_ok(jumpctl(cmd) == EXIT_OK, "the last record cut off: the chain alone cannot tell");
	snprintf(cmd, sizeof(cmd), "verify file %s head %s", broken, head_cut);
	tap_ok(jumpctl(cmd) == EXIT_USAGE && !out_text[0] &&
	       !strncmp(err_text, "broken: line 5: records cut off the end", 39),
	       "the head can: broken: line 5, exit 1");
	make_file(broken, NULL, 2);
	snprintf(cmd, sizeof(cmd), "v f %s", broken);
	tap_ok(jumpctl(cmd) == EXIT_USAGE && !strncmp(err_text, "broken: line 2: seq", 19),
	       "record 2 removed: broken: line 2, exit 1");
	snprintf(cmd, sizeof(cmd), "verify file %s/nonexistent", dir);
	tap_ok(jumpctl(cmd) == EXIT_USAGE && strstr(err_text, "cannot open"),
	       "a missing file: exit 1");
	tap_ok(jumpctl("verify") == EXIT_USAGE && strstr(err_text, "Error:"),
	       "no file: a usage error, exit 1");
	tap_ok(jumpctl("help") == EXIT_OK && strstr(out_text, "Usage: jumpctl audit show"),
	       "help prints the usage");
}

int main(void)
{
	strcpy(dir, "/tmp/jumpctl_audit.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(good, sizeof(good), "%s/good.jsonl", dir);
	snprintf(broken, sizeof(broken), "%s/broken.jsonl", dir);
	snprintf(head_ok, sizeof(head_ok), "%s/good.head", dir);
	snprintf(head_cut, sizeof(head_cut), "%s/cut.head", dir);
	make_file(good, head_ok, 0);
	make_file(broken, NULL, 0);
	test_parse();
	test_show();
	test_show_garbage();
	test_verify();
	unlink(good);
	unlink(broken);
	unlink(head_ok);
	unlink(head_cut);
	rmdir(dir);
	return tap_done();
}
