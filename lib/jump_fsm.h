/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The session state machine as data: which transitions are legal, with which
 * reasons, and who may ask for them. Pure C with no kernel or libc
 * dependency, so jump.ko enforces exactly the table the host unit tests check.
 */
#ifndef JUMP_FSM_H
#define JUMP_FSM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif
#include <linux/jump.h>

/*
 * NULL if @from -> @to for @reason is legal when requested by @origin (one
 * of enum jump_origin), otherwise a static message that says why not.
 */
const char *jump_fsm_check(unsigned int from, unsigned int to,
			   unsigned int reason, unsigned int origin);

/* Transitions that install a new transport binding (and must carry one). */
bool jump_fsm_binds(unsigned int from, unsigned int to);

/*
 * Reasons that change the standby binding, not the state (ready, cleared),
 * or make the standby the active binding (promoted): Documentation/state-machine.rst.
 */
bool jump_fsm_standby(unsigned int reason);

#endif /* JUMP_FSM_H */
