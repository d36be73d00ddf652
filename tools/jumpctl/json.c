// SPDX-License-Identifier: GPL-2.0
#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	*j = (struct json){ .f = f, .pretty = pretty };
}

static void newline_indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
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
		fputc(',', j->f);
	j->comma[j->depth - 1] = true;
	newline_indent(j);
}

void json_open(struct json *j, char bracket)
{
	/* A programming error, not input: nesting is fixed by the code. */
	if (j->depth == JSON_MAX_DEPTH)
		return;
	begin_item(j);
	fputc(bracket, j->f);
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
	fputc(bracket, j->f);
}

/* Characters a JSON string cannot hold as they are. */
static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

/*
 * Runs of plain characters go out whole: a dump of 100,000 sessions is
 * millions of characters, and one stdio call per character was most of
 * the time jumpctl -j spent on it.
 */
void json_escape(FILE *f, const char *s)
{
	static const char short_form[] = {
		['"'] = '"', ['\\'] = '\\', ['\b'] = 'b', ['\f'] = 'f',
		['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	};
	const char *run;
	unsigned char c;

	fputc('"', f);
	for (;;) {
		for (run = s; *s && !needs_escape(*s); s++)
			;
		fwrite(run, 1, s - run, f);
		c = *s++;
		if (!c)
			break;
		if (c < sizeof(short_form) && short_form[c])
			fprintf(f, "\\%c", short_form[c]);
		else
			fprintf(f, "\\u%04x", c);
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	begin_item(j);
	json_escape(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	begin_item(j);
	json_escape(j->f, s);
}

void json_u64(struct json *j, uint64_t v)
{
	char buf[20], *p = buf + sizeof(buf);

	begin_item(j);
	do
		*--p = '0' + v % 10;
	while (v /= 10);
	fwrite(p, 1, buf + sizeof(buf) - p, j->f);
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
