/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON checked by a real parser, not by our own writer's idea of JSON:
 * python3's json module, strict (no NaN, no duplicate keys, nothing after
 * the value but blanks). Host unit tests only.
 */
#ifndef JUMP_JSON_CHECK_H
#define JUMP_JSON_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSON_CHECK_SCRIPT \
	"import json, sys\n" \
	"def pairs(p):\n" \
	"    d = dict(p)\n" \
	"    if len(d) != len(p):\n" \
	"        raise ValueError('duplicate key')\n" \
	"    return d\n" \
	"def bad(c):\n" \
	"    raise ValueError(c)\n" \
	"v = json.loads(sys.stdin.read(), object_pairs_hook=pairs, parse_constant=bad)\n" \
	"print(json.dumps(v, sort_keys=True))\n"

/*
 * True if @text is one JSON value, as python3 reads it; then @canon (if
 * not NULL, @len bytes) holds it re-serialized with sorted keys and
 * python's blanks, one line, for comparisons that ignore key order.
 */
static inline bool json_check(const char *text, char *canon, size_t len)
{
	char in[] = "/tmp/jump_json_check.XXXXXX", cmd[4096];
	size_t n = 0, tlen = strlen(text);
	FILE *p;
	int fd, status;
	bool ok;

	fd = mkstemp(in);
	if (fd < 0)
		return false;
	ok = write(fd, text, tlen) == (ssize_t)tlen;
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$JUMP_JSON_CHECK\" < %s 2>/dev/null", in);
	setenv("JUMP_JSON_CHECK", JSON_CHECK_SCRIPT, 1);
	p = ok ? popen(cmd, "r") : NULL;
	if (p) {
		if (canon && len) {
			n = fread(canon, 1, len - 1, p);
			canon[n] = '\0';
			if (n && canon[n - 1] == '\n')
				canon[n - 1] = '\0';
		} else {
			while (fgetc(p) != EOF)
				;
		}
		status = pclose(p);
		ok = status == 0;
	} else {
		ok = false;
	}
	unlink(in);
	return ok;
}

#endif /* JUMP_JSON_CHECK_H */
