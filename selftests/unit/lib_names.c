// SPDX-License-Identifier: GPL-2.0
/* Every uapi enum value has exactly one printable name, and names parse back. */
#include <string.h>

#include "jump_names.h"
#include "tap.h"

typedef const char *(*name_fn)(unsigned int);
typedef int (*parse_fn)(const char *);

static void check_table(const char *what, name_fn name, parse_fn parse,
			unsigned int count)
{
	unsigned int i, j, missing = 0, unparsed = 0, dup = 0;

	for (i = 0; i < count; i++) {
		if (!strcmp(name(i), "?"))
			missing++;
		if (parse && parse(name(i)) != (int)i)
			unparsed++;
		for (j = 0; j < i; j++)
			if (!strcmp(name(i), name(j)))
				dup++;
	}
	tap_ok(missing == 0, "every %s has a name", what);
	tap_ok(dup == 0, "%s names are unique", what);
	if (parse)
		tap_ok(unparsed == 0, "every %s name parses back to its value", what);
	tap_ok(!strcmp(name(count), "?"), "an unknown %s prints as ?", what);
	if (parse)
		tap_ok(parse("no-such-name") == -1 && parse("") == -1,
		       "an unknown %s name does not parse", what);
}

int main(void)
{
	check_table("state", jump_state_name, jump_state_parse, __JUMP_STATE_MAX);
	check_table("role", jump_role_name, jump_role_parse, __JUMP_ROLE_MAX);
	check_table("reason", jump_reason_name, jump_reason_parse, __JUMP_REASON_MAX);
	check_table("command", jump_cmd_name, NULL, __JUMP_CMD_MAX);
	check_table("drop", jump_drop_name, jump_drop_parse, __JUMP_DROP_MAX);
	check_table("key slot", jump_key_slot_name, jump_key_slot_parse,
		    __JUMP_KEY_SLOT_MAX);
	tap_ok(!strcmp(jump_drop_name(JUMP_DROP_AUTH), "auth_failed") &&
	       !strcmp(jump_drop_name(JUMP_DROP_UNBOUND), "unbound_source") &&
	       !strcmp(jump_drop_name(JUMP_DROP_SOURCE), "inner_source") &&
	       !strcmp(jump_drop_name(JUMP_DROP_NOMEM), "nomem"),
	       "drop names are the documented spellings");
	tap_ok(!strcmp(jump_key_slot_name(JUMP_KEY_SLOT_PRIMARY), "primary") &&
	       !strcmp(jump_key_slot_name(JUMP_KEY_SLOT_SECONDARY), "secondary"),
	       "key slots are primary and secondary");
	tap_ok(!strcmp(jump_cmd_name(JUMP_CMD_KEY_EXPIRING), "key_expiring"),
	       "the data path commands have names");
	tap_ok(!strcmp(jump_reason_name(JUMP_REASON_REATTACH_COMPLETE), "reattach_complete"),
	       "reason names are the lower-case uapi names");
	tap_ok(jump_stat_name(JUMP_STATS_A_RX_PACKETS) && jump_stat_name(JUMP_STATS_A_TRANSITIONS) &&
	       !jump_stat_name(JUMP_STATS_A_PAD) && !jump_stat_name(__JUMP_STATS_A_MAX),
	       "stats have names, padding and unknown values do not");
	tap_ok(!jump_stat_name(JUMP_STATS_A_DROPS),
	       "the drops nest is not a u64 stat (its entries are drops)");
	tap_ok(jump_state_parse("ATTACHED") == -1, "names are case sensitive");
	return tap_done();
}
