// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl help NAMES: each list is every name of its enum, in order, each
 * one a value the command line takes back; the bash completion reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jump_audit.h"
#include "jump_names.h"
#include "jumpctl.h"
#include "names.h"
#include "tap.h"

static char out[4096];

/* names_print(@word) into out; its return value. */
static int print(const char *word)
{
	FILE *f = fmemopen(out, sizeof(out), "w");
	int rc;

	rc = names_print(word, f);
	fclose(f);
	return rc;
}

/* Lines of out that parse back to their own index; -1 at the first that does not. */
static int parsed_in_order(int (*parse)(const char *))
{
	char buf[sizeof(out)], *line, *save;
	int n = 0;

	memcpy(buf, out, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (parse(line) != n)
			return -1;
		n++;
	}
	return n;
}

static int audit_event_parse(const char *name)
{
	return jump_audit_event_parse(name);
}

static const struct {
	const char *word;
	int (*parse)(const char *);
	int count;
	const char *first;
} cases[] = {
	{ "states", jump_state_parse, __JUMP_STATE_MAX, "birth\n" },
	{ "reasons", jump_reason_parse, __JUMP_REASON_MAX, "none\n" },
	{ "rejects", jump_reject_parse, __JUMP_REJECT_MAX, "none\n" },
	{ "roles", jump_role_parse, __JUMP_ROLE_MAX, "client\n" },
	{ "slots", jump_key_slot_parse, __JUMP_KEY_SLOT_MAX, "primary\n" },
	{ "events", audit_event_parse, JUMP_AUDIT_EVENTS, "start\n" },
};

int main(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = print(cases[i].word);
		tap_ok(rc == 0 && !strncmp(out, cases[i].first, strlen(cases[i].first)) &&
		       parsed_in_order(cases[i].parse) == cases[i].count,
		       "help %s: all %d names in enum order, each parses back",
		       cases[i].word, cases[i].count);
	}
	tap_ok(names_lists[i] == NULL, "names_lists has one word per list (%u)", i);

	rc = print("states");
	tap_ok(rc == 0 && strstr(out, "\nrecovering\nterminated\n"),
	       "help states ends with recovering and terminated");
	rc = print("reasons");
	tap_ok(rc == 0 && strstr(out, "\nadmin_reattach\n") && strstr(out, "\nkey_expired\n"),
	       "help reasons holds admin_reattach and key_expired");
	rc = print("r");
	tap_ok(rc == 0 && !strncmp(out, "none\nsession_created\n", 21),
	       "\"r\" abbreviates reasons, the first listed");
	rc = print("rej");
	tap_ok(rc == 0 && strstr(out, "\nwrong_path\n"), "\"rej\" is rejects");
	out[0] = '\0';
	rc = print("statez");
	tap_ok(rc == -1 && out[0] == '\0', "an unknown word is no list and prints nothing");
	rc = print("");
	tap_ok(rc == -1, "an empty word is no list");
	return tap_done();
}
