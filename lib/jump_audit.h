/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The audit file's record format, written by jumpd and read by jumpctl
 * (Documentation/audit.rst): one flat JSON object per line, keys in a fixed
 * order, string or unsigned integer values only, and each record carrying
 * the SHA-256 of the line before it, so that a removed, reordered or edited
 * record breaks the chain.
 *
 * The file may have been written by anyone who got at it: the parser and
 * the verifier take any bytes, and refuse rather than guess.
 */
#ifndef JUMP_AUDIT_H
#define JUMP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Where jumpd keeps them unless its config says otherwise (AuditLog,
 * StateDirectory): <dir>/<ifname>.audit.jsonl and <state>/<ifname>/audit.head.
 */
#define JUMP_AUDIT_DIR		"/var/log/jump"
#define JUMP_AUDIT_STATE_DIR	"/var/lib/jump"
#define JUMP_AUDIT_SUFFIX	".audit.jsonl"
#define JUMP_AUDIT_HEAD_NAME	"audit.head"

/* Longest line, newline excluded; longer ones are not records. */
#define JUMP_AUDIT_LINE_MAX	4096
/* The writer cuts "detail" to this many bytes so a record always fits. */
#define JUMP_AUDIT_DETAIL_MAX	512
/* Hex SHA-256 and its NUL. */
#define JUMP_AUDIT_HASH_LEN	65
/* "2026-11-25T11:30:00.123456789Z" and its NUL. */
#define JUMP_AUDIT_TIME_LEN	31
/* "<seq> <hex>\n" of the head file, with room to spare. */
#define JUMP_AUDIT_HEAD_MAX	96

/*
 * The event names, indexed as jumpd's enum audit_event (daemon/audit.h
 * asserts the count): "start", "stop", "reload", "transition", "accept",
 * "reject", "rate_limit", "cookie", "rekey", "ownership".
 */
#define JUMP_AUDIT_EVENTS	10
/* "?" beyond the table. */
const char *jump_audit_event_name(unsigned int event);
/* The index of @name, or -1. */
int jump_audit_event_parse(const char *name);

/*
 * One record. Strings are NULL when absent (seq, time, event and prev are
 * never absent); version 0 is absent. In the file the keys come in exactly
 * this order.
 */
struct jump_audit_record {
	uint64_t seq;		/* 1, 2, 3... */
	const char *time;	/* UTC, nanoseconds: JUMP_AUDIT_TIME_LEN */
	const char *host;
	const char *ifname;
	const char *event;	/* jump_audit_event_name() */
	const char *session;	/* 16 hex digits */
	const char *from;	/* jump_state_name() */
	const char *to;
	const char *reason;	/* jump_reason_name() */
	const char *reject;	/* jump_reject_name() */
	uint64_t version;
	const char *peer;	/* base64 public key */
	const char *source;	/* "addr:port" */
	const char *detail;
	const char *prev;	/* hex SHA-256 of the previous line */
};

/* A parsed line: the record's strings point into buf. */
struct jump_audit_parsed {
	struct jump_audit_record r;
	char buf[JUMP_AUDIT_LINE_MAX + 1];
};

/* The first record's prev: 64 zeros. */
extern const char jump_audit_zero_hash[JUMP_AUDIT_HASH_LEN];

/* Hex SHA-256 of the @len bytes of @line (no newline). */
void jump_audit_hash(const void *line, size_t len, char hex[JUMP_AUDIT_HASH_LEN]);

/* @ns (CLOCK_REALTIME) as "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ". */
void jump_audit_time(uint64_t ns, char buf[JUMP_AUDIT_TIME_LEN]);

/*
 * Formats @r as one line, without the newline, NUL terminated, with
 * r->seq and r->prev as given. Returns the length, or -1 if a required
 * field is missing, prev is not 64 hex digits or the line does not fit
 * @size (at most JUMP_AUDIT_LINE_MAX is ever needed past the detail cut).
 */
int jump_audit_format(char *buf, size_t size, const struct jump_audit_record *r);

/*
 * Parses the @len bytes of @line (no newline) into @out. 0, or -1 for
 * anything but this format: another key order, an unknown or repeated key,
 * a missing required key, a value of another type, a NUL or a raw control
 * character, an escape other than \" \\ \/ \b \f \n \r \t \u0001-\u007f,
 * a number with a sign or leading zero or beyond 64 bits, blanks, or bytes
 * after the closing brace. prev must be 64 lower-case hex digits.
 */
int jump_audit_parse(const char *line, size_t len, struct jump_audit_parsed *out);

/*
 * "<seq> <hex>" of the head file: 0 or -1. @s may end in a newline. Seq 0
 * (with 64 zeros) is the head of a file that has no records yet.
 */
int jump_audit_head_parse(const char *s, uint64_t *seq, char hex[JUMP_AUDIT_HASH_LEN]);

enum jump_audit_problem {
	JUMP_AUDIT_OK,
	JUMP_AUDIT_UNPARSEABLE,	/* not a record (or longer than LINE_MAX) */
	JUMP_AUDIT_BAD_SEQ,	/* seq is not the previous one's plus one */
	JUMP_AUDIT_BAD_PREV,	/* prev is not the hash of the line before */
	JUMP_AUDIT_TRUNCATED,	/* the last line has no newline */
	JUMP_AUDIT_HEAD_CUT,	/* the head's record is not in the file */
	JUMP_AUDIT_HEAD_MISMATCH, /* the head's record is, with another hash */
	JUMP_AUDIT_READ_ERROR,
};

/* A phrase for messages: "seq is not the previous record's plus one"... */
const char *jump_audit_problem_str(enum jump_audit_problem p);

struct jump_audit_head {
	uint64_t seq;
	char hash[JUMP_AUDIT_HASH_LEN];
};

struct jump_audit_result {
	enum jump_audit_problem problem;
	uint64_t line;		/* 1-based line of the problem; 0 if none */
	uint64_t records;	/* records read intact before it */
	uint64_t last_seq;	/* of the last intact record; 0 if none */
	char last_hash[JUMP_AUDIT_HASH_LEN];	/* of its line */
};

/*
 * Reads @f to its end and reports the first problem in @res; with @head,
 * also that the head's record is in the file with the head's hash (records
 * cut off the end leave the head pointing past the last line, reported on
 * the line after it). A head behind the file's last record is fine as long
 * as its record matches: jumpd updates the head just after the record.
 * Returns 0 when intact, -1 otherwise.
 */
int jump_audit_verify(FILE *f, const struct jump_audit_head *head,
		      struct jump_audit_result *res);

/*
 * The next line of @f into @buf (up to JUMP_AUDIT_LINE_MAX bytes kept, the
 * rest of a longer line skipped), without its newline. Returns the length
 * kept, or -1 at the end of the file. *@newline says whether it ended in
 * one, *@too_long whether bytes were skipped. Reads any bytes, NUL too.
 */
long jump_audit_getline(FILE *f, char buf[JUMP_AUDIT_LINE_MAX + 1],
			bool *newline, bool *too_long);

#endif /* JUMP_AUDIT_H */
