// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	/* Not the buffer: 16 KB zeroed per monitor event would be waste. */
	j->f = f;
	j->pretty = pretty;
	j->after_key = false;
	j->depth = 0;
	j->len = 0;
}

void json_flush(struct json *j)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, j->f);
	j->len = 0;
}

/*
 * The writer's own buffer, not stdio's: a dump of 100,000 sessions is
 * millions of keys and values, and a locked stdio call for each was most
 * of the time jumpctl -j spent on it.
 */
static void put(struct json *j, const char *s, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		json_flush(j);
		if (n > sizeof(j->buf)) {
			fwrite(s, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void put_c(struct json *j, char c)
{
	if (j->len == sizeof(j->buf))
		json_flush(j);
	j->buf[j->len++] = c;
}

/* A value at the top level is whole: out it goes, before the caller's '\n'. */
static void done(struct json *j)
{
	if (j->depth == 0)
		json_flush(j);
}

static void newline_indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	put_c(j, '\n');
	for (i = 0; i < j->depth; i++)
		put(j, "    ", 4);
}

/* The separator and indentation a value or a key needs before it. */
static void begin_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->comma[j->depth - 1])
		put_c(j, ',');
	j->comma[j->depth - 1] = true;
	newline_indent(j);
}

void json_open(struct json *j, char bracket)
{
	/* A programming error, not input: nesting is fixed by the code. */
	if (j->depth == JSON_MAX_DEPTH)
		return;
	begin_item(j);
	put_c(j, bracket);
	j->comma[j->depth++] = false;
}

void json_close(struct json *j, char bracket)
{
	if (j->depth == 0)
		return;
	j->depth--;
	/* Empty containers stay on one line: {} and []. */
	if (j->comma[j->depth])
		newline_indent(j);
	put_c(j, bracket);
	done(j);
}

/*
 * What a byte becomes in a JSON string: 0 as it is, a letter for its short
 * escape (\n), 'u' for \u00XX.
 */
static const char escape_as[256] = {
	[0x00 ... 0x07] = 'u', ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
	[0x0b] = 'u', ['\f'] = 'f', ['\r'] = 'r', [0x0e ... 0x1f] = 'u',
	['"'] = '"', ['\\'] = '\\', [0x7f] = 'u',
};

/* Runs of plain characters go out whole. */
static void put_string(struct json *j, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;
	unsigned char c;
	char esc[6];

	put_c(j, '"');
	for (;;) {
		for (run = s; !escape_as[(unsigned char)*s]; s++)
			;
		put(j, run, s - run);
		c = *s++;
		if (!c)
			break;
		esc[0] = '\\';
		esc[1] = escape_as[c];
		if (esc[1] != 'u') {
			put(j, esc, 2);
			continue;
		}
		esc[2] = '0';
		esc[3] = '0';
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 0xf];
		put(j, esc, 6);
	}
	put_c(j, '"');
}

void json_key(struct json *j, const char *key)
{
	begin_item(j);
	put_string(j, key);
	if (j->pretty)
		put(j, ": ", 2);
	else
		put_c(j, ':');
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	begin_item(j);
	put_string(j, s);
	done(j);
}

void json_u64(struct json *j, uint64_t v)
{
	char buf[20], *p = buf + sizeof(buf);

	begin_item(j);
	do
		*--p = '0' + v % 10;
	while (v /= 10);
	put(j, p, buf + sizeof(buf) - p);
	done(j);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}
