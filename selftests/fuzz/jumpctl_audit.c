// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl audit verify and show (tools/jumpctl/audit.c, lib/jump_audit.c)
 * on a hostile file: the verifier reads it to the end and says intact or
 * broken, show prints only what is printable.
 */
#include <stdio.h>
#include <stdlib.h>

#include "audit.h"
#include "fuzz.h"
#include "jump_audit.h"
#include "jumpctl.h"

static void show(const uint8_t *data, size_t size)
{
	struct audit_args a = { .cmd = AUDIT_SHOW, .file = "-" };
	char *text = NULL;
	size_t len = 0, i;
	FILE *in = fmemopen((void *)data, size, "r");
	FILE *out = open_memstream(&text, &len);
	FILE *err = fopen("/dev/null", "w");

	if (!in || !out || !err)
		abort();
	opt.details = size & 1;
	audit_show(&a, in, out, err);
	fclose(out);
	/* A record's fields reach a terminal: no control character but newline. */
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			abort();
	free(text);
	fclose(in);
	fclose(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jump_audit_result res;
	FILE *in, *null;

	if (!size)
		return 0;
	in = fmemopen((void *)data, size, "r");
	null = fopen("/dev/null", "w");
	if (!in || !null)
		abort();
	audit_verify(in, NULL, null, null);
	rewind(in);
	if (jump_audit_verify(in, NULL, &res) == 0 && res.problem)
		abort();
	fclose(in);
	fclose(null);
	show(data, size);
	return 0;
}
