// SPDX-License-Identifier: GPL-2.0
/* jumpctl help { states | reasons | rejects | roles | slots | events } */
#include <string.h>

#include "args.h"
#include "jump_audit.h"
#include "jump_names.h"
#include "names.h"

/* Order is priority for abbreviations: "r" is reasons. */
const char *const names_lists[] = {
	"states", "reasons", "rejects", "roles", "slots", "events", NULL,
};

static const struct {
	const char *(*name)(unsigned int value);
	unsigned int count;
} lists[] = {
	{ jump_state_name, __JUMP_STATE_MAX },
	{ jump_reason_name, __JUMP_REASON_MAX },
	{ jump_reject_name, __JUMP_REJECT_MAX },
	{ jump_role_name, __JUMP_ROLE_MAX },
	{ jump_key_slot_name, __JUMP_KEY_SLOT_MAX },
	{ jump_audit_event_name, JUMP_AUDIT_EVENTS },
};
_Static_assert(sizeof(lists) / sizeof(lists[0]) ==
	       sizeof(names_lists) / sizeof(names_lists[0]) - 1,
	       "one table per NAMES word");

int names_print(const char *word, FILE *out)
{
	int i = match_keyword(word, names_lists);
	unsigned int v;
	const char *name;

	if (i < 0)
		return -1;
	/* Every value of the enum, in its order; a hole ("?") is no name. */
	for (v = 0; v < lists[i].count; v++) {
		name = lists[i].name(v);
		if (strcmp(name, "?"))
			fprintf(out, "%s\n", name);
	}
	return 0;
}
