// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl's command-line parsers on any words: the global options, then
 * every object's parser (session, link, policy, monitor, audit) on what
 * follows, and the request a parsed session or link command would send.
 * The input is the words, NUL-separated; nothing reaches the kernel.
 */
#include <stdlib.h>

#include "audit.h"
#include "fuzz.h"
#include "jumpctl.h"
#include "link.h"
#include "monitor.h"
#include "policy.h"
#include "session_parse.h"
#include "session_request.h"

#define MAX_WORDS 64

static int split(const uint8_t *data, size_t size, char *text, char **argv)
{
	int argc = 0;
	size_t i, start = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i <= size && argc < MAX_WORDS; i++)
		if (text[i] == '\0') {
			argv[argc++] = text + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	return argc;
}

static void parse_all(int argc, char **argv)
{
	static uint64_t buf[(SESSION_REQUEST_MAX + 4096) / 8];
	struct session_args sa;
	struct link_args la;
	struct policy_args pa;
	struct monitor_args ma;
	struct audit_args aa;

	memset(&sa, 0, sizeof(sa));
	if (session_parse(argc, argv, &sa) == 0) {
		if (sa.cmd != SESSION_HELP && sa.cmd != SESSION_SHOW &&
		    !session_request(buf, 0x20, &sa))
			abort();
		session_wipe_keys(&sa);
	}
	memset(&la, 0, sizeof(la));
	if (link_parse(argc, argv, &la) == 0 && (la.cmd == LINK_ADD || la.cmd == LINK_DEL))
		link_request(buf, &la);
	memset(&pa, 0, sizeof(pa));
	policy_parse(argc, argv, &pa);
	memset(&ma, 0, sizeof(ma));
	monitor_parse(argc, argv, &ma);
	memset(&aa, 0, sizeof(aa));
	audit_parse(argc, argv, &aa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 1], *text;
	struct options o;
	int argc, n;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (!text)
		abort();
	argc = split(data, size, text, argv);
	memset(&o, 0, sizeof(o));
	n = options_parse(argc, argv, &o);
	if (n > argc)
		abort();
	if (n >= 0 && n < argc)
		parse_all(argc - n - 1, argv + n + 1);
	free(text);
	return 0;
}
