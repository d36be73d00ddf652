// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

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

void json_escape(FILE *f, const char *s)
{
	static const char short_form[] = {
		['"'] = '"', ['\\'] = '\\', ['\b'] = 'b', ['\f'] = 'f',
		['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	};
	unsigned char c;

	fputc('"', f);
	for (; (c = *s); s++) {
		if (c < sizeof(short_form) && short_form[c])
			fprintf(f, "\\%c", short_form[c]);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
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
	begin_item(j);
	fprintf(j->f, "%" PRIu64, v);
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
