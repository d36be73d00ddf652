// SPDX-License-Identifier: GPL-2.0
/*
 * The audit record format: exact bytes out, strict parsing in (an edited
 * file must never crash the reader), and the hash chain finding every kind
 * of tampering on the right line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jump_audit.h"
#include "tap.h"

#define N 5
#define PREV1 "0000000000000000000000000000000000000000000000000000000000000000"

static char lines[N][JUMP_AUDIT_LINE_MAX + 1];
static char hashes[N][JUMP_AUDIT_HASH_LEN];

static struct jump_audit_record full_record(void)
{
	return (struct jump_audit_record){
		.seq = 12, .time = "2026-11-25T11:30:00.123456789Z",
		.host = "h", .ifname = "jump0", .event = "transition",
		.session = "00000000deadbeef", .from = "attached",
		.to = "recovering", .reason = "transport_dead",
		.reject = "not_owner", .version = 7,
		.peer = "AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=",
		.source = "10.0.0.2:51820",
		.detail = "q\" b\\ n\n t\t \x01 \x7f \xc3\xa9",
		.prev = PREV1,
	};
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_record(const struct jump_audit_record *a,
			const struct jump_audit_record *b)
{
	return a->seq == b->seq && a->version == b->version &&
	       same_str(a->time, b->time) && same_str(a->host, b->host) &&
	       same_str(a->ifname, b->ifname) && same_str(a->event, b->event) &&
	       same_str(a->session, b->session) && same_str(a->from, b->from) &&
	       same_str(a->to, b->to) && same_str(a->reason, b->reason) &&
	       same_str(a->reject, b->reject) && same_str(a->peer, b->peer) &&
	       same_str(a->source, b->source) && same_str(a->detail, b->detail) &&
	       same_str(a->prev, b->prev);
}

static void test_format(void)
{
	static const char want[] =
		"{\"seq\":12,\"time\":\"2026-11-25T11:30:00.123456789Z\",\"host\":\"h\","
		"\"ifname\":\"jump0\",\"event\":\"transition\",\"session\":\"00000000deadbeef\","
		"\"from\":\"attached\",\"to\":\"recovering\",\"reason\":\"transport_dead\","
		"\"reject\":\"not_owner\",\"version\":7,"
		"\"peer\":\"AwXS1a3bqYH5Bn6ZxfIv0m9a2oC0l0mbMzZt2pYp6l0=\","
		"\"source\":\"10.0.0.2:51820\","
		"\"detail\":\"q\\\" b\\\\ n\\u000a t\\u0009 \\u0001 \\u007f \xc3\xa9\","
		"\"prev\":\"" PREV1 "\"}";
	struct jump_audit_record r = full_record();
	struct jump_audit_parsed p;
	char buf[JUMP_AUDIT_LINE_MAX + 1], again[JUMP_AUDIT_LINE_MAX + 1];
	int len;

	len = jump_audit_format(buf, sizeof(buf), &r);
	tap_ok(len == (int)strlen(want) && !strcmp(buf, want),
	       "every field in its order, control characters as \\u00XX");
	tap_ok(!jump_audit_parse(buf, len, &p) && same_record(&p.r, &r),
	       "it parses back to the same record, escapes undone");
	tap_ok(jump_audit_format(again, sizeof(again), &p.r) == len &&
	       !memcmp(again, buf, len), "and formats again to the same bytes");
	r = (struct jump_audit_record){ .seq = 1, .time = "t", .event = "start",
					.prev = PREV1 };
	len = jump_audit_format(buf, sizeof(buf), &r);
	tap_ok(len > 0 && !strcmp(buf, "{\"seq\":1,\"time\":\"t\",\"event\":\"start\",\"prev\":\""
				  PREV1 "\"}"), "absent fields are left out");
	tap_ok(jump_audit_format(buf, len, &r) == -1 &&
	       jump_audit_format(buf, len + 1, &r) == len,
	       "a buffer one byte short is refused, not overrun");
	r.prev = "00";
	tap_ok(jump_audit_format(buf, sizeof(buf), &r) == -1, "a prev that is no hash is refused");
	r.prev = PREV1;
	r.time = NULL;
	tap_ok(jump_audit_format(buf, sizeof(buf), &r) == -1, "a record without time is refused");
}

static void test_detail_cut(void)
{
	char detail[2000], buf[JUMP_AUDIT_LINE_MAX + 1];
	struct jump_audit_record r = full_record();
	struct jump_audit_parsed p;
	int len, i;

	/* 'a' then two-byte characters: byte 512 falls inside one. */
	detail[0] = 'a';
	for (i = 1; i + 1 < (int)sizeof(detail) - 1; i += 2) {
		detail[i] = '\xc3';
		detail[i + 1] = '\xa9';
	}
	detail[i] = '\0';
	r.detail = detail;
	len = jump_audit_format(buf, sizeof(buf), &r);
	tap_ok(len > 0 && !jump_audit_parse(buf, len, &p) &&
	       strlen(p.r.detail) == JUMP_AUDIT_DETAIL_MAX - 1 &&
	       !strncmp(p.r.detail, detail, JUMP_AUDIT_DETAIL_MAX - 1),
	       "a long detail is cut to %d bytes, not inside a UTF-8 character",
	       JUMP_AUDIT_DETAIL_MAX);
	memset(detail, 1, sizeof(detail) - 1);
	len = jump_audit_format(buf, sizeof(buf), &r);
	tap_ok(len > 0 && len <= JUMP_AUDIT_LINE_MAX,
	       "the worst detail still fits a line (%d bytes)", len);
}

static void test_parse_refuses(void)
{
	static const char *const bad[] = {
		"", "{", "}", "{}", "[]", "null", " {}",
		"{\"time\":\"t\",\"seq\":1,\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"color\":\"x\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"t\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":\"1\",\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":-1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":01,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":0,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1.5,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":18446744073709551616,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":{},\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":[\"t\"],\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":true,\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":null,\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1, \"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"} ",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}{}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\",}",
		"{\"seq\":1,\"time\":\"t\tx\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"\\u0000\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"\\u0080\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"\\u00\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"\\x41\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "0\"}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"}",
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1,
		"{\"seq\":1,\"time\":\"t\",\"event\":\"e\",\"prev\":\"" PREV1 "\"",
	};
	char nul[] = "{\"seq\":1,\"time\":\"t\0\",\"event\":\"e\",\"prev\":\"" PREV1 "\"}";
	static const char esc[] = "{\"seq\":1,\"time\":\"\\/\\b\\f\\n\\r\\t\\u0041\","
		"\"event\":\"e\",\"prev\":\"" PREV1 "\"}";
	struct jump_audit_parsed p;
	char *big;
	size_t i;
	int refused = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (jump_audit_parse(bad[i], strlen(bad[i]), &p))
			refused++;
		else
			printf("# parsed: %s\n", bad[i]);
	}
	tap_ok(refused == (int)(sizeof(bad) / sizeof(bad[0])),
	       "%d malformed lines are refused (order, types, escapes, blanks)", refused);
	tap_ok(jump_audit_parse(nul, sizeof(nul) - 1, &p) == -1, "a NUL inside a string is refused");
	tap_ok(!jump_audit_parse(esc, strlen(esc), &p) &&
	       !strcmp(p.r.time, "/\b\f\n\r\tA"),
	       "JSON's short escapes and \\u0041 are read");
	big = malloc(JUMP_AUDIT_LINE_MAX + 2);
	memset(big, 'x', JUMP_AUDIT_LINE_MAX + 1);
	tap_ok(jump_audit_parse(big, JUMP_AUDIT_LINE_MAX + 1, &p) == -1,
	       "a line longer than %d bytes is refused", JUMP_AUDIT_LINE_MAX);
	free(big);
}

static void test_helpers(void)
{
	char hex[JUMP_AUDIT_HASH_LEN], t[JUMP_AUDIT_TIME_LEN];
	uint64_t seq;

	jump_audit_hash("abc", 3, hex);
	tap_ok(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	       "the hash is SHA-256 in lower-case hex");
	jump_audit_time(1700000000123456789ULL, t);
	tap_ok(!strcmp(t, "2023-11-14T22:13:20.123456789Z"), "time is UTC with nanoseconds: %s", t);
	tap_ok(!jump_audit_head_parse("42 " PREV1 "\n", &seq, hex) && seq == 42 &&
	       !strcmp(hex, PREV1), "a head line parses");
	tap_ok(!jump_audit_head_parse("0 " PREV1 "\n", &seq, hex) && seq == 0,
	       "so does the head of a file without records");
	tap_ok(jump_audit_head_parse("42 " PREV1 "\n\n", &seq, hex) &&
	       jump_audit_head_parse("42  " PREV1, &seq, hex) &&
	       jump_audit_head_parse("42 00", &seq, hex) &&
	       jump_audit_head_parse("x " PREV1, &seq, hex) &&
	       jump_audit_head_parse("01 " PREV1, &seq, hex),
	       "and a damaged one does not");
	tap_ok(!strcmp(jump_audit_event_name(3), "transition") &&
	       jump_audit_event_parse("rate_limit") == 6 &&
	       jump_audit_event_parse("transit") == -1 &&
	       !strcmp(jump_audit_event_name(JUMP_AUDIT_EVENTS), "?"),
	       "event names, both ways");
}

/* N chained records in lines[], their hashes in hashes[]. */
static void make_chain(void)
{
	static const char *const events[N] = {
		"start", "transition", "reject", "accept", "stop",
	};
	struct jump_audit_record r = full_record();
	const char *prev = PREV1;
	char detail[32];
	int i, len;

	for (i = 0; i < N; i++) {
		snprintf(detail, sizeof(detail), "record number %d", i + 1);
		r.seq = i + 1;
		r.event = events[i];
		r.detail = detail;
		r.prev = prev;
		len = jump_audit_format(lines[i], sizeof(lines[i]), &r);
		jump_audit_hash(lines[i], len, hashes[i]);
		prev = hashes[i];
	}
}

/* The file of lines[order[0]], lines[order[1]]... as a stream. */
static FILE *file_of(const int *order, int n, char *text, size_t size)
{
	size_t len = 0;
	int i;

	text[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(text + len, size - len, "%s\n", lines[order[i]]);
	return len ? fmemopen(text, len, "r") : tmpfile();
}

static int check(FILE *f, const struct jump_audit_head *head,
		 enum jump_audit_problem want, uint64_t line, const char *what)
{
	struct jump_audit_result res;

	jump_audit_verify(f, head, &res);
	fclose(f);
	if (!tap_ok(res.problem == want && res.line == line, "%s: %s", what,
		    want ? "reported on the right line" : "intact"))
		printf("# got problem %d (%s) on line %llu\n", res.problem,
		       jump_audit_problem_str(res.problem),
		       (unsigned long long)res.line);
	return res.problem;
}

static FILE *text_file(char *text, size_t len)
{
	return fmemopen(text, len, "r");
}

static void test_verify_order(void)
{
	static const int all[] = { 0, 1, 2, 3, 4 };
	static const int no_middle[] = { 0, 1, 3, 4 };
	static const int no_first[] = { 1, 2, 3, 4 };
	static const int swapped[] = { 0, 1, 3, 2, 4 };
	char text[N * (JUMP_AUDIT_LINE_MAX + 2)];
	struct jump_audit_result res;
	FILE *f;

	f = file_of(all, N, text, sizeof(text));
	tap_ok(!jump_audit_verify(f, NULL, &res) && res.records == N &&
	       res.last_seq == N && !strcmp(res.last_hash, hashes[N - 1]),
	       "an intact file: %d records, the last one's seq and hash", N);
	fclose(f);
	check(file_of(all, 0, text, sizeof(text)), NULL, JUMP_AUDIT_OK, 0, "an empty file");
	check(file_of(no_middle, N - 1, text, sizeof(text)), NULL,
	      JUMP_AUDIT_BAD_SEQ, 3, "a middle record removed");
	check(file_of(no_first, N - 1, text, sizeof(text)), NULL,
	      JUMP_AUDIT_BAD_SEQ, 1, "the first record removed");
	check(file_of(swapped, N, text, sizeof(text)), NULL,
	      JUMP_AUDIT_BAD_SEQ, 3, "two records swapped");
}

static void test_verify_edits(void)
{
	static const int all[] = { 0, 1, 2, 3, 4 };
	char text[N * (JUMP_AUDIT_LINE_MAX + 2)], *p;
	FILE *f;

	f = file_of(all, N, text, sizeof(text));
	fclose(f);
	p = strstr(text, "record number 3");
	p[7] = 'N';
	check(text_file(text, strlen(text)), NULL, JUMP_AUDIT_BAD_PREV, 4,
	      "a byte edited in the detail of line 3 (seen by line 4)");
	p[7] = '"';
	check(text_file(text, strlen(text)), NULL, JUMP_AUDIT_UNPARSEABLE, 3,
	      "a byte edited into garbage on line 3");
	p[7] = ' ';
	p = strstr(text, "record number 4");
	memcpy(strstr(p, "\"prev\":\"") + 8, hashes[0], 64);
	check(text_file(text, strlen(text)), NULL, JUMP_AUDIT_BAD_PREV, 4,
	      "a prev pointing at another record");
	f = file_of(all, N, text, sizeof(text));
	fclose(f);
	check(text_file(text, strlen(text) - 1), NULL, JUMP_AUDIT_TRUNCATED, N,
	      "the last newline missing");
	check(text_file(text, strlen(text) - 10), NULL, JUMP_AUDIT_TRUNCATED, N,
	      "the last line cut short");
	p = strstr(text, "record number 2");
	memmove(p + 1, p, strlen(p) + 1);
	*p = '\0';
	check(text_file(text, strlen(p + 1) + (p + 1 - text)), NULL,
	      JUMP_AUDIT_UNPARSEABLE, 2, "a NUL byte in line 2");
}

static void test_verify_renumbered(void)
{
	struct jump_audit_record r = full_record();
	char text[N * (JUMP_AUDIT_LINE_MAX + 2)], line[JUMP_AUDIT_LINE_MAX + 1];
	size_t len;

	/* Record 3 removed, 4 renumbered to 3 with its prev kept. */
	len = snprintf(text, sizeof(text), "%s\n%s\n", lines[0], lines[1]);
	r.seq = 3;
	r.event = "accept";
	r.detail = "record number 4";
	r.prev = hashes[2];
	jump_audit_format(line, sizeof(line), &r);
	len += snprintf(text + len, sizeof(text) - len, "%s\n", line);
	check(text_file(text, len), NULL, JUMP_AUDIT_BAD_PREV, 3,
	      "a record removed and the next renumbered");
	len = snprintf(text, sizeof(text), "%s\nnot json at all\n%s\n",
		       lines[0], lines[1]);
	check(text_file(text, len), NULL, JUMP_AUDIT_UNPARSEABLE, 2, "a garbage line");
}

static void test_verify_long_line(void)
{
	size_t len = 3 * JUMP_AUDIT_LINE_MAX;
	char *text = malloc(len);
	int n;

	n = snprintf(text, len, "%s\n", lines[0]);
	memset(text + n, 'x', len - n - 1);
	text[len - 1] = '\n';
	check(text_file(text, len), NULL, JUMP_AUDIT_UNPARSEABLE, 2,
	      "an endless line is skipped over, not held");
	free(text);
}

static struct jump_audit_head head_of(int i)
{
	struct jump_audit_head h = { .seq = i + 1 };

	memcpy(h.hash, hashes[i], JUMP_AUDIT_HASH_LEN);
	return h;
}

static void test_verify_head(void)
{
	static const int all[] = { 0, 1, 2, 3, 4 };
	char text[N * (JUMP_AUDIT_LINE_MAX + 2)];
	struct jump_audit_head h = head_of(N - 1);

	check(file_of(all, N, text, sizeof(text)), &h, JUMP_AUDIT_OK, 0,
	      "the head names the last record");
	check(file_of(all, N - 1, text, sizeof(text)), &h, JUMP_AUDIT_HEAD_CUT, N,
	      "the last record cut off");
	check(file_of(all, N - 2, text, sizeof(text)), &h, JUMP_AUDIT_HEAD_CUT, N - 1,
	      "the last two records cut off");
	check(file_of(all, 0, text, sizeof(text)), &h, JUMP_AUDIT_HEAD_CUT, 1,
	      "every record cut off");
	h = (struct jump_audit_head){ .seq = 0, .hash = PREV1 };
	check(file_of(all, 0, text, sizeof(text)), &h, JUMP_AUDIT_OK, 0,
	      "a head of seq 0 on an empty file");
	check(file_of(all, N, text, sizeof(text)), &h, JUMP_AUDIT_OK, 0,
	      "or behind a whole file");
	h = head_of(N - 2);
	check(file_of(all, N, text, sizeof(text)), &h, JUMP_AUDIT_OK, 0,
	      "a head one record behind (jumpd stopped between the two writes)");
	h.hash[0] ^= 1;
	check(file_of(all, N, text, sizeof(text)), &h, JUMP_AUDIT_HEAD_MISMATCH, N - 1,
	      "the head's record rewritten");
}

/* Any one byte changed anywhere is found once the head covers the end. */
static void test_verify_every_byte(void)
{
	static const int all[] = { 0, 1, 2, 3, 4 };
	static const unsigned char flips[] = { 0x01, 0x20, 0x80, 0xff };
	char text[N * (JUMP_AUDIT_LINE_MAX + 2)];
	struct jump_audit_head h = head_of(N - 1);
	struct jump_audit_result res;
	size_t i, j, len, missed = 0, tries = 0;
	FILE *f;

	f = file_of(all, N, text, sizeof(text));
	fclose(f);
	len = strlen(text);
	for (i = 0; i < len; i++) {
		for (j = 0; j < sizeof(flips); j++) {
			text[i] ^= flips[j];
			f = fmemopen(text, len, "r");
			if (!jump_audit_verify(f, &h, &res))
				missed++;
			fclose(f);
			text[i] ^= flips[j];
			tries++;
		}
	}
	tap_ok(!missed, "each of %zu one-byte changes is found (%zu missed)", tries, missed);
}

int main(void)
{
	test_format();
	test_detail_cut();
	test_parse_refuses();
	test_helpers();
	make_chain();
	test_verify_order();
	test_verify_edits();
	test_verify_renumbered();
	test_verify_long_line();
	test_verify_head();
	test_verify_every_byte();
	return tap_done();
}
