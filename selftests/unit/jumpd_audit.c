// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's audit sink: the file and its directory are private, records chain
 * across restarts, the head follows the last record, and a file whose end
 * was damaged or cut is never appended to.
 */
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit.h"
#include "jump_audit.h"
#include "log.h"
#include "tap.h"

static char dir[64], path[128], head[128];
static char *logbuf;
static size_t loglen;

static const uint8_t peer[JUMP_PUBKEY_LEN] = { 1, 2, 3 };

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

/* Captures jumpd's log from here on. */
static void log_capture(void)
{
	if (log_stream)
		fclose(log_stream);
	free(logbuf);
	logbuf = NULL;
	log_stream = open_memstream(&logbuf, &loglen);
}

static bool logged(const char *what)
{
	fflush(log_stream);
	return logbuf && strstr(logbuf, what);
}

static int open_quiet(struct audit *a)
{
	int err = audit_open(a, path, "jump0");

	/* No test records in a real journal where the host runs one. */
	a->journal = access("/run/systemd/journal/socket", F_OK) != 0;
	return err;
}

static int write_transition(struct audit *a, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_TRANSITION);

	e.session = 0xdeadbeef;
	e.from = JUMP_STATE_ATTACHED;
	e.to = JUMP_STATE_RECOVERING;
	e.reason = JUMP_REASON_TRANSPORT_DEAD;
	e.version = 7;
	e.peer = peer;
	e.source = "10.0.0.2:51820";
	e.detail = detail;
	return audit_write(a, &e);
}

static int write_event(struct audit *a, enum audit_event ev)
{
	struct audit_entry e = AUDIT_ENTRY(ev);

	if (ev == AUDIT_REJECT)
		e.reject = JUMP_REJECT_UNKNOWN_PEER;
	return audit_write(a, &e);
}

static int verify(const char *head_path, struct jump_audit_result *res)
{
	struct jump_audit_head h, *hp = NULL;
	char line[JUMP_AUDIT_HEAD_MAX] = "";
	FILE *f;
	int err;

	if (head_path) {
		f = fopen(head_path, "r");
		if (!f || !fgets(line, sizeof(line), f) ||
		    jump_audit_head_parse(line, &h.seq, h.hash))
			return -2;
		fclose(f);
		hp = &h;
	}
	f = fopen(path, "r");
	if (!f)
		return -2;
	err = jump_audit_verify(f, hp, res);
	fclose(f);
	return err;
}

/* Line @n (1-based) of the file, parsed. */
static int parse_line(int n, struct jump_audit_parsed *p)
{
	char line[JUMP_AUDIT_LINE_MAX + 2];
	FILE *f = fopen(path, "r");
	int err = -1;

	while (f && n-- > 0 && fgets(line, sizeof(line), f))
		if (!n)
			err = jump_audit_parse(line, strcspn(line, "\n"), p);
	if (f)
		fclose(f);
	return err;
}

static void test_create(void)
{
	struct jump_audit_parsed p;
	struct jump_audit_result res;
	struct audit a;
	struct stat st;
	char sub[128];

	tap_ok(!open_quiet(&a) && a.seq == 0 && !strcmp(a.prev, jump_audit_zero_hash),
	       "a new file starts a chain at seq 0, prev zeros");
	snprintf(sub, sizeof(sub), "%s/log", dir);
	tap_ok(!stat(sub, &st) && (st.st_mode & 0777) == 0700, "its directory is made 0700");
	tap_ok(!stat(path, &st) && (st.st_mode & 0777) == 0600, "the file is 0600");
	tap_ok(fcntl(fileno(a.file), F_GETFD) & FD_CLOEXEC, "and not inherited by children");
	tap_ok(!audit_set_head(&a, head), "a missing head is started");
	log_capture();
	tap_ok(!write_event(&a, AUDIT_START) && !write_transition(&a, "line\nbreak") &&
	       !write_event(&a, AUDIT_REJECT) && a.seq == 3, "three records written");
	tap_ok(verify(head, &res) == 0 && res.records == 3 &&
	       !strcmp(res.last_hash, a.prev), "they verify, with the head");
	tap_ok(!parse_line(2, &p) && p.r.seq == 2 && !strcmp(p.r.event, "transition") &&
	       !strcmp(p.r.ifname, "jump0") && p.r.host &&
	       !strcmp(p.r.session, "00000000deadbeef") && !strcmp(p.r.from, "attached") &&
	       !strcmp(p.r.to, "recovering") && !strcmp(p.r.reason, "transport_dead") &&
	       !p.r.reject && p.r.version == 7 &&
	       !strcmp(p.r.peer, "AQIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") &&
	       !strcmp(p.r.source, "10.0.0.2:51820") && !strcmp(p.r.detail, "line\nbreak"),
	       "a transition record holds every field it was given");
	tap_ok(!parse_line(3, &p) && !strcmp(p.r.reject, "unknown_peer") && !p.r.session &&
	       !p.r.from && !p.r.reason && !p.r.version && !p.r.peer,
	       "a reject record holds its reject and nothing absent");
	tap_ok(logged("audit 2: jump0 transition session 00000000deadbeef attached -> recovering reason transport_dead version 7 peer AQIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= source 10.0.0.2:51820: line?break\n"),
	       "the log has one line per record, control characters masked");
	tap_ok(logged("audit 3: jump0 reject reject unknown_peer\n"), "a reject says which");
	audit_close(&a);
}

static void test_reopen(void)
{
	struct jump_audit_result res;
	struct audit a;
	char prev[JUMP_AUDIT_HASH_LEN];
	char big[400];
	int i, err = 0;

	verify(NULL, &res);
	tap_ok(!open_quiet(&a) && a.seq == 3 && !strcmp(a.prev, res.last_hash),
	       "reopening continues from the last record's seq and hash");
	tap_ok(!audit_set_head(&a, head), "the head agrees");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 30; i++)
		err |= write_transition(&a, big);
	memcpy(prev, a.prev, sizeof(prev));
	audit_close(&a);
	tap_ok(!err && !open_quiet(&a) && a.seq == 33 && !strcmp(a.prev, prev),
	       "also when the file is much longer than a line");
	audit_close(&a);
	tap_ok(verify(head, &res) == 0 && res.records == 33, "33 records, chain intact");
}

static void append(const char *text)
{
	FILE *f = fopen(path, "a");

	fputs(text, f);
	fclose(f);
}

/* Cuts @n bytes off the end of the file. */
static void cut(off_t n)
{
	struct stat st;

	if (stat(path, &st) || truncate(path, st.st_size - n))
		tap_ok(0, "cannot cut %s", path);
}

static void test_refuse_damaged_end(void)
{
	struct audit a;

	log_capture();
	append("garbage\n");
	tap_ok(open_quiet(&a) == -1 && !a.file && logged("not an audit record"),
	       "a last line that is not a record is refused, and the log says why");
	cut(1);
	tap_ok(open_quiet(&a) == -1 && logged("cut short"), "so is a last line without newline");
	cut(7);
	append("\n");
	tap_ok(open_quiet(&a) == -1, "and an empty last line");
	cut(1);
	tap_ok(!open_quiet(&a) && a.seq == 33, "the file mended, it opens again");
	audit_close(&a);
}

/* The last line's length, newline included. */
static off_t last_line_len(void)
{
	char line[JUMP_AUDIT_LINE_MAX + 2];
	off_t len = 0;
	FILE *f = fopen(path, "r");

	while (fgets(line, sizeof(line), f))
		len = strlen(line);
	fclose(f);
	return len;
}

static void write_head_file(uint64_t seq, const char *hash)
{
	FILE *f = fopen(head, "w");

	fprintf(f, "%llu %s\n", (unsigned long long)seq, hash);
	fclose(f);
}

static void test_head(void)
{
	struct jump_audit_result res;
	struct audit a;
	char other[JUMP_AUDIT_HASH_LEN];

	cut(last_line_len());
	log_capture();
	tap_ok(!open_quiet(&a) && audit_set_head(&a, head) == -1 && logged("cut off the end"),
	       "a file cut short of its head opens, but the head refuses it");
	audit_close(&a);
	tap_ok(verify(head, &res) == -1 && res.problem == JUMP_AUDIT_HEAD_CUT && res.line == 33,
	       "and verify finds the cut on line 33");
	memset(other, 'a', sizeof(other) - 1);
	other[sizeof(other) - 1] = '\0';
	write_head_file(32, other);
	tap_ok(!open_quiet(&a) && audit_set_head(&a, head) == -1,
	       "a head naming the last record with another hash is refused");
	audit_close(&a);
	write_head_file(32, "nonsense");
	tap_ok(!open_quiet(&a) && audit_set_head(&a, head) == -1, "so is a head that does not parse");
	audit_close(&a);
}

static void test_head_behind(void)
{
	struct jump_audit_result res;
	struct audit a;

	verify(NULL, &res);
	write_head_file(32, res.last_hash);
	/* Record 33 written, its head not: jumpd stopped between the two. */
	tap_ok(!open_quiet(&a) && !write_event(&a, AUDIT_STOP) && a.seq == 33,
	       "record 33 written without its head");
	audit_close(&a);
	tap_ok(!open_quiet(&a) && !audit_set_head(&a, head),
	       "a head one record behind is taken");
	audit_close(&a);
	tap_ok(verify(head, &res) == 0 && res.records == 33, "and brought up to date");
	verify(NULL, &res);
	write_head_file(31, res.last_hash);
	tap_ok(!open_quiet(&a) && audit_set_head(&a, head) == -1,
	       "a head further behind is not");
	audit_close(&a);
}

/* The seq the head file names, 0 if none. */
static uint64_t head_seq(void)
{
	char line[JUMP_AUDIT_HEAD_MAX] = "", hash[JUMP_AUDIT_HASH_LEN];
	FILE *f = fopen(head, "r");
	uint64_t seq = 0;

	if (f && fgets(line, sizeof(line), f))
		jump_audit_head_parse(line, &seq, hash);
	if (f)
		fclose(f);
	return seq;
}

/* jumpd killed: what it appended stays, nothing more is synced. */
static void crash(struct audit *a)
{
	fclose(a->file);
	a->file = NULL;
	audit_close(a);
}

/* Removes line @n (1-based) of the file. */
static void remove_line(int n)
{
	char line[JUMP_AUDIT_LINE_MAX + 2], tmp[160];
	FILE *in = fopen(path, "r"), *out;
	int i = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	out = fopen(tmp, "w");
	while (fgets(line, sizeof(line), in))
		if (++i != n)
			fputs(line, out);
	fclose(in);
	fclose(out);
	rename(tmp, path);
}

/*
 * Group commit: records are appended at once and made durable, with the
 * head, by audit_sync(); a jumpd killed in between leaves up to
 * AUDIT_GROUP_MAX records past its head, which must still open.
 */
static void test_group_commit(void)
{
	struct jump_audit_result res;
	struct audit a;
	uint64_t h;
	int i, err = 0;

	verify(NULL, &res);
	write_head_file(res.records, res.last_hash);
	tap_ok(!open_quiet(&a) && !audit_set_head(&a, head) && head_seq() == a.seq,
	       "group commit: the head names the last record when it starts");
	h = a.seq;
	for (i = 0; i < 3; i++)
		err |= write_event(&a, AUDIT_REKEY);
	verify(NULL, &res);
	tap_ok(!err && res.records == h + 3 && head_seq() == h && a.unsynced == 3,
	       "3 records are in the file at once; the head waits for the sync");
	tap_ok(!audit_sync(&a) && head_seq() == h + 3 && a.unsynced == 0,
	       "audit_sync() makes them durable and moves the head to the last");
	tap_ok(!audit_sync(&a) && head_seq() == h + 3, "a sync with nothing new changes nothing");
	for (i = 0; i < 5; i++)
		err |= write_event(&a, AUDIT_REKEY);
	crash(&a);
	tap_ok(!err && head_seq() == h + 3 && !open_quiet(&a) && !audit_set_head(&a, head) &&
	       head_seq() == h + 8,
	       "killed with 5 records past its head: they chain from it, so it opens and catches up");
	audit_close(&a);
	tap_ok(verify(head, &res) == 0 && res.records == h + 8, "the chain verifies with the head");
	h += 8;
	for (i = 0, err = 0, open_quiet(&a); i < 3; i++)
		err |= write_event(&a, AUDIT_REKEY);
	crash(&a);
	remove_line((int)h + 2);
	log_capture();
	tap_ok(!err && !open_quiet(&a) && audit_set_head(&a, head) == -1 && logged("cut off the end"),
	       "a record taken out between the head and the end is refused");
	audit_close(&a);
	remove_line((int)h + 2);
	remove_line((int)h + 1);
	tap_ok(!open_quiet(&a) && !audit_set_head(&a, head), "the file back at its head opens");
	h = a.seq;
	for (i = 0, err = 0; i < AUDIT_GROUP_MAX + 10; i++)
		err |= write_event(&a, AUDIT_REKEY);
	tap_ok(!err && head_seq() == h + AUDIT_GROUP_MAX && a.unsynced == 10,
	       "never more than AUDIT_GROUP_MAX (%d) records wait for a sync", AUDIT_GROUP_MAX);
	audit_close(&a);
	tap_ok(head_seq() == h + AUDIT_GROUP_MAX + 10, "closing syncs the rest");
}

/* A file of one record exactly JUMP_AUDIT_LINE_MAX long, after another. */
static void write_longest(const char *file)
{
	struct jump_audit_record r = { .seq = 1, .time = "t", .event = "start",
				       .source = "", .prev = jump_audit_zero_hash };
	char line[JUMP_AUDIT_LINE_MAX + 1], *pad;
	FILE *f = fopen(file, "w");
	int len;

	len = jump_audit_format(line, sizeof(line), &r);
	fprintf(f, "%s\n", line);
	jump_audit_hash(line, len, (char *)line);
	r.prev = strdup(line);
	r.seq = 2;
	len = jump_audit_format(line, sizeof(line), &r);
	pad = calloc(1, JUMP_AUDIT_LINE_MAX);
	memset(pad, 'a', JUMP_AUDIT_LINE_MAX - len);
	r.source = pad;
	len = jump_audit_format(line, sizeof(line), &r);
	fprintf(f, "%s\n", line);
	fclose(f);
	free(pad);
	free((char *)r.prev);
	tap_ok(len == JUMP_AUDIT_LINE_MAX, "a record of the longest length made");
}

static void test_edges(void)
{
	char other[128], other_head[128];
	struct audit a;

	snprintf(other, sizeof(other), "%s/log/jump/jump2.audit.jsonl", dir);
	snprintf(other_head, sizeof(other_head), "%s/state/jump2/audit.head", dir);
	tap_ok(!audit_open(&a, other, "jump2") && !audit_set_head(&a, other_head),
	       "an empty file gets a head of seq 0");
	audit_close(&a);
	tap_ok(!audit_open(&a, other, "jump2") && !audit_set_head(&a, other_head),
	       "which it takes back");
	audit_close(&a);
	write_longest(other);
	tap_ok(!audit_open(&a, other, "jump2") && a.seq == 2,
	       "a last line of the longest length is read back");
	audit_close(&a);
}

/*
 * What audit_write() builds without printf: the time (the date cached a
 * second), the peer (cached while it is the same), the session, the
 * summary line of the log.
 */
static void test_fields(void)
{
	static const uint8_t other[JUMP_PUBKEY_LEN] = { 9, 9, 9 };
	char b64[2][PUBKEY_B64_LEN], fields[PATH_MAX], want[256];
	struct audit_entry e = AUDIT_ENTRY(AUDIT_ACCEPT);
	struct jump_audit_parsed p;
	bool peers = true, times = true;
	struct audit a;
	uint64_t first;
	int i;

	snprintf(fields, sizeof(fields), "%s/fields.jsonl", dir);
	format_pubkey(peer, b64[0]);
	format_pubkey(other, b64[1]);
	if (audit_open(&a, fields, "jump9"))
		abort();
	a.journal = 0;
	first = a.seq;
	log_capture();
	for (i = 0; i < 6; i++) {
		e.session = 0x0123456789abcdefULL;
		e.peer = i % 3 == 2 ? other : peer;
		e.source = "10.0.0.2:51820";
		e.detail = "bell\a";
		audit_write(&a, &e);
	}
	audit_close(&a);
	strcpy(path, fields);
	for (i = 0; i < 6; i++) {
		const char *t;

		if (parse_line(first + i + 1, &p)) {
			times = peers = false;
			break;
		}
		peers &= !strcmp(p.r.peer, b64[i % 3 == 2]);
		t = p.r.time;
		times &= strlen(t) == 30 && t[4] == '-' && t[10] == 'T' && t[19] == '.' &&
			 t[29] == 'Z' && strspn(t + 20, "0123456789") == 9;
	}
	tap_ok(peers, "each record names its own peer, the same one or another");
	tap_ok(times, "each time is YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ");
	tap_ok(!parse_line(1, &p) && !strcmp(p.r.session, "0123456789abcdef") &&
	       !strcmp(p.r.detail, "bell\a"), "session in 16 hex digits, detail as given");
	snprintf(want, sizeof(want),
		 "audit 1: jump9 accept session 0123456789abcdef peer %s source 10.0.0.2:51820: bell?\n",
		 b64[0]);
	tap_ok(logged(want), "the log line says it all, control characters as '?'");
	snprintf(path, sizeof(path), "%s/log/jump/jump0.audit.jsonl", dir);
}

static void test_journal_only(void)
{
	struct audit a;

	tap_ok(!audit_open(&a, NULL, "jump1") && !a.file, "no path: journald only");
	a.journal = access("/run/systemd/journal/socket", F_OK) != 0;
	tap_ok(!write_event(&a, AUDIT_START) && !write_event(&a, AUDIT_STOP) && a.seq == 2,
	       "records still count");
	tap_ok(!audit_set_head(&a, head), "and there is no head to keep");
	audit_close(&a);
}

int main(void)
{
	strcpy(dir, "/tmp/jumpd_audit.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/log/jump/jump0.audit.jsonl", dir);
	snprintf(head, sizeof(head), "%s/state/jump0/audit.head", dir);
	log_capture();
	test_create();
	test_reopen();
	test_refuse_damaged_end();
	test_head();
	test_head_behind();
	test_group_commit();
	test_edges();
	test_fields();
	test_journal_only();
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	fclose(log_stream);
	free(logbuf);
	return tap_done();
}
