/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake jump.ko for the harnesses that run jumpd's control plane: the
 * requests jumpd sends (genl_request.c's jumpd_nl_*, wrapped at link time
 * by the Makefile) act on a small session table with the kernel's rules
 * (versions, the transition table of lib/jump_fsm.c), and what changed
 * comes back as events, in order, when the harness flushes them: as from
 * the event socket, never inside the request that caused them.
 */
#ifndef FUZZ_FAKE_KERNEL_H
#define FUZZ_FAKE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct jumpd;

/* Forgets every session and event; events go to @d's view for @ifindex. */
void fake_kernel_reset(struct jumpd *d, uint32_t ifindex);
/* Applies the queued events (jumpd_apply_event), oldest first. */
void fake_kernel_flush(void);
/* The next @n requests fail with -ENOMEM (a refusal jumpd must survive). */
void fake_kernel_fail(unsigned int n);
/* A change the kernel makes on its own (a timer): 0, or -1 if illegal. */
int fake_kernel_move(uint64_t id, uint8_t state, uint16_t reason);
/* A data path report: UNBOUND_SOURCE from @src, or KEY_EXPIRING. */
void fake_kernel_report(uint8_t cmd, uint64_t id, const struct sockaddr_storage *src);
/* The state of session @id, -1 if there is none. */
int fake_kernel_state(uint64_t id);
/* The id of the newest session, 0 if none. */
uint64_t fake_kernel_last_id(void);

#endif /* FUZZ_FAKE_KERNEL_H */
