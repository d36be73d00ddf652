/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Printable names of the uapi enums, shared by jumpd and jumpctl: the one
 * place they are spelled. Names are lower case, as on the command line.
 */
#ifndef JUMP_NAMES_H
#define JUMP_NAMES_H

#include <linux/jump.h>

/* "?" for a value this build does not know (a newer kernel). */
const char *jump_state_name(unsigned int state);
const char *jump_role_name(unsigned int role);
const char *jump_reason_name(unsigned int reason);
const char *jump_cmd_name(unsigned int cmd);
const char *jump_drop_name(unsigned int drop);		/* enum jump_drop */
const char *jump_key_slot_name(unsigned int slot);	/* enum jump_key_slot */
const char *jump_msg_name(unsigned int type);		/* enum jump_msg_type */
const char *jump_reject_name(unsigned int reject);	/* enum jump_reject */
const char *jump_owner_reason_name(unsigned int reason);	/* enum jump_owner_reason */
/*
 * NULL for the padding attribute, the DROPS nest (see jump_drop_name()) and
 * unknown values: no u64 to print.
 */
const char *jump_stat_name(unsigned int stat);

/* The value whose name is exactly @name, or -1. */
int jump_state_parse(const char *name);
int jump_role_parse(const char *name);
int jump_reason_parse(const char *name);
int jump_drop_parse(const char *name);
int jump_key_slot_parse(const char *name);
int jump_reject_parse(const char *name);
int jump_owner_reason_parse(const char *name);

#endif /* JUMP_NAMES_H */
