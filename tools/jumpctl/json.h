/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: compact, or pretty (-p) as ip(8) does.
 * It writes into its own buffer, out to the FILE when the buffer is full
 * and whenever a top-level value is complete (the outermost container
 * closed), so a caller's own writes after it come in order; json_flush()
 * for anything else.
 */
#ifndef JUMPCTL_JSON_H
#define JUMPCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Deeper than anything jumpctl writes (a list of sessions with a binding). */
#define JSON_MAX_DEPTH 8
/* The writer's buffer. */
#define JSON_BUF_SIZE 16384

struct json {
	FILE *f;
	bool pretty;
	bool after_key;		/* the next value follows "key": */
	int depth;
	bool comma[JSON_MAX_DEPTH];	/* the level already has an item */
	size_t len;			/* of buf, not yet written to f */
	char buf[JSON_BUF_SIZE];
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_open(struct json *j, char bracket);	/* '{' or '[' */
void json_close(struct json *j, char bracket);	/* '}' or ']' */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);

/* Shorthands for "key": value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
/* Writes out what the buffer holds. */
void json_flush(struct json *j);

#endif /* JUMPCTL_JSON_H */
