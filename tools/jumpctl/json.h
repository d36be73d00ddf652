/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: compact, or pretty (-p) as ip(8) does. */
#ifndef JUMPCTL_JSON_H
#define JUMPCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Deeper than anything jumpctl writes (a list of sessions with a binding). */
#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	bool pretty;
	bool after_key;		/* the next value follows "key": */
	int depth;
	bool comma[JSON_MAX_DEPTH];	/* the level already has an item */
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

/* Writes @s as a JSON string literal, quoted and escaped. */
void json_escape(FILE *f, const char *s);

#endif /* JUMPCTL_JSON_H */
