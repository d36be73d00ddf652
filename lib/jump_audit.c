// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jump_audit.h"

const char jump_audit_zero_hash[JUMP_AUDIT_HASH_LEN] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char *const event_names[JUMP_AUDIT_EVENTS] = {
	"start", "stop", "reload", "transition", "accept", "reject",
	"rate_limit", "cookie", "rekey", "ownership",
};

const char *jump_audit_event_name(unsigned int event)
{
	return event < JUMP_AUDIT_EVENTS ? event_names[event] : "?";
}

int jump_audit_event_parse(const char *name)
{
	int i;

	for (i = 0; i < JUMP_AUDIT_EVENTS; i++)
		if (!strcmp(name, event_names[i]))
			return i;
	return -1;
}

/* The keys in their one order; the parser and the formatter share it. */
enum field_type { F_U64, F_STR };
struct field {
	const char *key;
	enum field_type type;
	size_t off;
	bool required;
};

#define U64(k, req) { #k, F_U64, offsetof(struct jump_audit_record, k), req }
#define STR(k, req) { #k, F_STR, offsetof(struct jump_audit_record, k), req }
static const struct field fields[] = {
	U64(seq, true), STR(time, true), STR(host, false), STR(ifname, false),
	STR(event, true), STR(session, false), STR(from, false),
	STR(to, false), STR(reason, false), STR(reject, false),
	U64(version, false), STR(peer, false), STR(source, false),
	STR(detail, false), STR(prev, true),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t *u64_at(const struct jump_audit_record *r, const struct field *f)
{
	return (uint64_t *)((char *)r + f->off);
}

static const char **str_at(const struct jump_audit_record *r, const struct field *f)
{
	return (const char **)((char *)r + f->off);
}

void jump_audit_hash(const void *line, size_t len, char hex[JUMP_AUDIT_HASH_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, line, len);
	sodium_bin2hex(hex, JUMP_AUDIT_HASH_LEN, h, sizeof(h));
}

void jump_audit_time(uint64_t ns, char buf[JUMP_AUDIT_TIME_LEN])
{
	time_t sec = ns / 1000000000;
	struct tm tm;

	if (!gmtime_r(&sec, &tm) ||
	    !strftime(buf, JUMP_AUDIT_TIME_LEN, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, JUMP_AUDIT_TIME_LEN, "?");
		return;
	}
	snprintf(buf + 19, JUMP_AUDIT_TIME_LEN - 19, ".%09uZ",
		 (unsigned int)(ns % 1000000000));
}

static bool is_hash(const char *s)
{
	size_t i;

	for (i = 0; i < JUMP_AUDIT_HASH_LEN - 1; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[i] == '\0';
}

/* ---- Formatting ---- */

struct out {
	char *buf;
	size_t size, len;
	bool overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->overflow || o->size - o->len <= n) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_u64(struct out *o, uint64_t v)
{
	char num[24], *p = num + sizeof(num);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, p, num + sizeof(num) - p);
}

/* Cuts at most @max bytes, never inside a UTF-8 sequence. */
static size_t cut_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static bool plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '"' && c != '\\';
}

/* Runs of plain bytes are copied at once; the rest escaped. */
static void put_string(struct out *o, const char *s, size_t n)
{
	char esc[8];
	unsigned char c;
	size_t i, run;

	put(o, "\"", 1);
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && plain(s[i + run]); run++)
			;
		if (run) {
			put(o, s + i, run);
			continue;
		}
		c = s[i];
		run = 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = c;
			put(o, esc, 2);
		} else {
			put(o, esc, snprintf(esc, sizeof(esc), "\\u%04x", c));
		}
	}
	put(o, "\"", 1);
}

static void put_field(struct out *o, const struct jump_audit_record *r,
		      const struct field *f)
{
	const char *s;

	put(o, o->len > 1 ? ",\"" : "\"", o->len > 1 ? 2 : 1);
	put(o, f->key, strlen(f->key));
	put(o, "\":", 2);
	if (f->type == F_U64) {
		put_u64(o, *u64_at(r, f));
		return;
	}
	s = *str_at(r, f);
	put_string(o, s, f->off == offsetof(struct jump_audit_record, detail) ?
		   cut_len(s, JUMP_AUDIT_DETAIL_MAX) : strlen(s));
}

static bool present(const struct jump_audit_record *r, const struct field *f)
{
	return f->type == F_U64 ? *u64_at(r, f) != 0 : *str_at(r, f) != NULL;
}

int jump_audit_format(char *buf, size_t size, const struct jump_audit_record *r)
{
	struct out o = { .buf = buf, .size = size };
	size_t i;

	if (!r->time || !r->event || !r->prev || !is_hash(r->prev) || !r->seq)
		return -1;
	put(&o, "{", 1);
	for (i = 0; i < NFIELDS; i++)
		if (present(r, &fields[i]))
			put_field(&o, r, &fields[i]);
	put(&o, "}", 1);
	return o.overflow ? -1 : (int)o.len;
}

/* ---- Parsing ---- */

struct in {
	const char *p, *end;
	char *out;		/* where the next string is decoded */
};

static bool eat(struct in *in, char c)
{
	if (in->p == in->end || *in->p != c)
		return false;
	in->p++;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \u0001 to \u007f: the writer never needs more, and NUL would cut. */
static int parse_u_escape(struct in *in)
{
	int i, d, v = 0;

	if (in->end - in->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		d = hex_digit(*in->p++);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v >= 1 && v <= 0x7f ? v : -1;
}

static int parse_escape(struct in *in)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *c;

	if (in->p == in->end)
		return -1;
	if (*in->p == 'u') {
		in->p++;
		return parse_u_escape(in);
	}
	c = memchr(from, *in->p, sizeof(from) - 1);
	if (!c)
		return -1;
	in->p++;
	return (unsigned char)to[c - from];
}

/* Decodes a string literal into in->out; returns its start or NULL. */
static const char *parse_string(struct in *in)
{
	char *start = in->out;
	unsigned char c;
	int v;

	if (!eat(in, '"'))
		return NULL;
	while (in->p < in->end) {
		c = *in->p++;
		if (c == '"') {
			*in->out++ = '\0';
			return start;
		}
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			v = parse_escape(in);
			if (v < 0)
				return NULL;
			c = v;
		}
		*in->out++ = c;
	}
	return NULL;
}

/* Unsigned decimal, no leading zero, not 0 (0 is written as absent). */
static int parse_number(struct in *in, uint64_t *v)
{
	unsigned int d;

	*v = 0;
	if (in->p == in->end || *in->p < '1' || *in->p > '9')
		return -1;
	while (in->p < in->end && *in->p >= '0' && *in->p <= '9') {
		d = *in->p++ - '0';
		if (*v > (UINT64_MAX - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return 0;
}

/* The index of the field named by the key at in->p, after @last. */
static int parse_key(struct in *in, int last)
{
	const char *key = parse_string(in);
	size_t i;

	if (!key || !eat(in, ':'))
		return -1;
	for (i = last + 1; i < NFIELDS; i++)
		if (!strcmp(key, fields[i].key))
			return i;
	return -1;
}

static int parse_value(struct in *in, struct jump_audit_record *r,
		       const struct field *f)
{
	const char **s;

	if (f->type == F_U64)
		return parse_number(in, u64_at(r, f));
	s = str_at(r, f);
	*s = parse_string(in);
	return *s ? 0 : -1;
}

static int parse_members(struct in *in, struct jump_audit_record *r)
{
	int i, last = -1;

	if (eat(in, '}'))
		return 0;
	do {
		i = parse_key(in, last);
		if (i < 0 || parse_value(in, r, &fields[i]))
			return -1;
		last = i;
	} while (eat(in, ','));
	return eat(in, '}') ? 0 : -1;
}

int jump_audit_parse(const char *line, size_t len, struct jump_audit_parsed *out)
{
	struct in in = { .p = line, .end = line + len, .out = out->buf };
	size_t i;

	memset(&out->r, 0, sizeof(out->r));
	if (len > JUMP_AUDIT_LINE_MAX || !eat(&in, '{') ||
	    parse_members(&in, &out->r) || in.p != in.end)
		return -1;
	for (i = 0; i < NFIELDS; i++)
		if (fields[i].required && !present(&out->r, &fields[i]))
			return -1;
	return is_hash(out->r.prev) ? 0 : -1;
}

int jump_audit_head_parse(const char *s, uint64_t *seq, char hex[JUMP_AUDIT_HASH_LEN])
{
	struct in in = { .p = s, .end = s + strlen(s) };

	/* "0 <zeros>": the head of a file without records yet. */
	if (eat(&in, '0'))
		*seq = 0;
	else if (parse_number(&in, seq))
		return -1;
	if (!eat(&in, ' ') ||
	    in.end - in.p < JUMP_AUDIT_HASH_LEN - 1)
		return -1;
	memcpy(hex, in.p, JUMP_AUDIT_HASH_LEN - 1);
	hex[JUMP_AUDIT_HASH_LEN - 1] = '\0';
	in.p += JUMP_AUDIT_HASH_LEN - 1;
	eat(&in, '\n');
	return is_hash(hex) && in.p == in.end ? 0 : -1;
}

/* ---- Verifying ---- */

static const char *const problems[] = {
	[JUMP_AUDIT_OK] = "chain intact",
	[JUMP_AUDIT_UNPARSEABLE] = "not an audit record",
	[JUMP_AUDIT_BAD_SEQ] = "seq is not the previous record's plus one (a record removed or moved)",
	[JUMP_AUDIT_BAD_PREV] = "prev is not the hash of the line before (that line edited, or a record removed)",
	[JUMP_AUDIT_TRUNCATED] = "the last line is cut short (no newline)",
	[JUMP_AUDIT_HEAD_CUT] = "records cut off the end (the head names a record past the last line)",
	[JUMP_AUDIT_HEAD_MISMATCH] = "the head's record was changed (its hash differs from the head)",
	[JUMP_AUDIT_READ_ERROR] = "read error",
};

const char *jump_audit_problem_str(enum jump_audit_problem p)
{
	return (unsigned int)p < sizeof(problems) / sizeof(problems[0]) ?
	       problems[p] : "?";
}

long jump_audit_getline(FILE *f, char buf[JUMP_AUDIT_LINE_MAX + 1],
			bool *newline, bool *too_long)
{
	size_t n = 0;
	int c;

	*newline = *too_long = false;
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\n') {
			*newline = true;
			break;
		}
		if (n < JUMP_AUDIT_LINE_MAX)
			buf[n++] = c;
		else
			*too_long = true;
	}
	if (c == EOF && n == 0 && !*too_long)
		return -1;
	buf[n] = '\0';
	return n;
}

struct verifier {
	struct jump_audit_result *res;
	const struct jump_audit_head *head;
	uint64_t head_line;	/* the line whose seq is the head's; 0: none */
	bool head_ok;
	char line[JUMP_AUDIT_LINE_MAX + 1];
	struct jump_audit_parsed parsed;
};

static enum jump_audit_problem check_line(struct verifier *v, long len,
					  bool newline, bool too_long)
{
	struct jump_audit_result *res = v->res;
	const struct jump_audit_record *r = &v->parsed.r;

	/* No newline first: a cut line rarely parses, and that says why. */
	if (!newline)
		return JUMP_AUDIT_TRUNCATED;
	if (too_long || jump_audit_parse(v->line, len, &v->parsed))
		return JUMP_AUDIT_UNPARSEABLE;
	if (r->seq != res->last_seq + 1)
		return JUMP_AUDIT_BAD_SEQ;
	if (strcmp(r->prev, res->last_hash))
		return JUMP_AUDIT_BAD_PREV;
	jump_audit_hash(v->line, len, res->last_hash);
	res->last_seq = r->seq;
	res->records++;
	if (v->head && r->seq == v->head->seq) {
		v->head_line = res->line;
		v->head_ok = !strcmp(res->last_hash, v->head->hash);
	}
	return JUMP_AUDIT_OK;
}

static enum jump_audit_problem check_head(struct verifier *v)
{
	const struct jump_audit_head *head = v->head;

	if (head->seq == 0)
		return strcmp(head->hash, jump_audit_zero_hash) ?
		       JUMP_AUDIT_HEAD_MISMATCH : JUMP_AUDIT_OK;
	if (!v->head_line) {
		v->res->line++;		/* where the missing record was */
		return JUMP_AUDIT_HEAD_CUT;
	}
	v->res->line = v->head_line;
	return v->head_ok ? JUMP_AUDIT_OK : JUMP_AUDIT_HEAD_MISMATCH;
}

static void verify_lines(FILE *f, struct verifier *v)
{
	struct jump_audit_result *res = v->res;
	bool newline, too_long;
	long len;

	while ((len = jump_audit_getline(f, v->line, &newline, &too_long)) >= 0) {
		res->line++;
		res->problem = check_line(v, len, newline, too_long);
		if (res->problem)
			return;
	}
	if (ferror(f)) {
		res->problem = JUMP_AUDIT_READ_ERROR;
		return;
	}
	if (v->head)
		res->problem = check_head(v);
}

int jump_audit_verify(FILE *f, const struct jump_audit_head *head,
		      struct jump_audit_result *res)
{
	struct verifier *v;

	memset(res, 0, sizeof(*res));
	memcpy(res->last_hash, jump_audit_zero_hash, JUMP_AUDIT_HASH_LEN);
	/* Two line buffers: too big for a daemon thread's stack. */
	v = calloc(1, sizeof(*v));
	if (!v) {
		res->problem = JUMP_AUDIT_READ_ERROR;
		return -1;
	}
	v->res = res;
	v->head = head;
	verify_lines(f, v);
	free(v);
	if (res->problem == JUMP_AUDIT_OK)
		res->line = 0;
	return res->problem ? -1 : 0;
}
