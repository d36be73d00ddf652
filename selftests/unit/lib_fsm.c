// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's transition table against DESIGN.md's session model, written
 * out independently here: every (from, to, reason, origin) combination is
 * checked, so a rule added or lost on either side fails the test.
 */
#include <stdlib.h>
#include <string.h>

#include "jump_fsm.h"
#include "jump_names.h"
#include "tap.h"

/* "from to reason origins", origins: k = kernel, u = user. */
static const char *const legal[] = {
	"birth attached handshake_complete u",
	"birth terminated birth_timeout u",
	"birth terminated auth_failed u",
	"birth recovering failover u",
	"attached volatile rx_silence k",
	"attached volatile link_down u",
	"attached volatile route_change u",
	"volatile attached rx_resumed k",
	"degraded attached rx_resumed k",
	"volatile degraded rx_silence k",
	"recovering attached reattach_complete u",
	"attached attached standby_promoted u",
	"volatile attached standby_promoted u",
	"degraded attached standby_promoted u",
	"recovering attached standby_promoted u",
};

/* A standby is set or cleared in these states, which it keeps. */
static const char *const standby_states[] = {
	"attached", "volatile", "degraded", "recovering",
};

static const char *const recover_reasons[] = {
	"transport_dead", "planned_switch", "admin_reattach", "reattach_requested",
};

static const char *const terminate_reasons[] = {
	"recovery_window_exceeded", "switch_rate_exceeded", "admin_terminate",
	"peer_terminate", "ownership_lost",
};

static unsigned int expected_origins(unsigned int from, unsigned int to,
				     unsigned int reason)
{
	char f[32], t[32], r[64], o[4];
	unsigned int i, mask = 0;

	for (i = 0; i < sizeof(legal) / sizeof(legal[0]); i++) {
		if (sscanf(legal[i], "%31s %31s %63s %3s", f, t, r, o) != 4)
			abort();
		if (jump_state_parse(f) == (int)from && jump_state_parse(t) == (int)to &&
		    jump_reason_parse(r) == (int)reason)
			mask |= (strchr(o, 'k') ? JUMP_ORIGIN_KERNEL : 0) |
				(strchr(o, 'u') ? JUMP_ORIGIN_USER : 0);
	}
	if (to == JUMP_STATE_RECOVERING &&
	    (from == JUMP_STATE_ATTACHED || from == JUMP_STATE_VOLATILE ||
	     from == JUMP_STATE_DEGRADED))
		for (i = 0; i < 4; i++)
			if (jump_reason_parse(recover_reasons[i]) == (int)reason)
				mask |= JUMP_ORIGIN_USER;
	if (from == to && (reason == JUMP_REASON_STANDBY_READY ||
			   reason == JUMP_REASON_STANDBY_CLEARED))
		for (i = 0; i < 4; i++)
			if (jump_state_parse(standby_states[i]) == (int)from)
				mask |= JUMP_ORIGIN_USER;
	if (to == JUMP_STATE_TERMINATED && from != JUMP_STATE_TERMINATED) {
		for (i = 0; i < 5; i++)
			if (jump_reason_parse(terminate_reasons[i]) == (int)reason)
				mask |= JUMP_ORIGIN_USER;
		if (reason == JUMP_REASON_KEY_EXPIRED)
			mask |= JUMP_ORIGIN_USER | JUMP_ORIGIN_KERNEL;
		if (reason == JUMP_REASON_DEVICE_DELETED)
			mask |= JUMP_ORIGIN_KERNEL;
	}
	return mask;
}

static void test_every_combination(void)
{
	unsigned int from, to, reason, origin, wrong = 0, legal_count = 0;

	for (from = 0; from < __JUMP_STATE_MAX; from++)
		for (to = 0; to < __JUMP_STATE_MAX; to++)
			for (reason = 0; reason < __JUMP_REASON_MAX; reason++)
				for (origin = JUMP_ORIGIN_KERNEL; origin <= JUMP_ORIGIN_USER; origin <<= 1) {
					int want = !!(expected_origins(from, to, reason) & origin);
					int got = !jump_fsm_check(from, to, reason, origin);

					legal_count += got;
					if (want != got) {
						wrong++;
						printf("# %s -> %s (%s) by %s: table says %s\n",
						       jump_state_name(from), jump_state_name(to),
						       jump_reason_name(reason),
						       origin == JUMP_ORIGIN_KERNEL ? "kernel" : "user",
						       got ? "legal" : "illegal");
					}
				}
	tap_ok(wrong == 0, "transition table matches DESIGN.md for all %d combinations",
	       __JUMP_STATE_MAX * __JUMP_STATE_MAX * __JUMP_REASON_MAX * 2);
	tap_ok(legal_count > 0, "some transitions are legal (%u)", legal_count);
}

/* The verdict is the expected refusal message (NULL means "legal"). */
static int refused_with(const char *got, const char *want)
{
	return got && !strcmp(got, want);
}

static void test_messages(void)
{
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_TERMINATED, JUMP_STATE_ATTACHED,
				      JUMP_REASON_RX_RESUMED, JUMP_ORIGIN_KERNEL),
		       "session is terminated"), "terminated is final");
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_ATTACHED, JUMP_STATE_BIRTH,
				      JUMP_REASON_NONE, JUMP_ORIGIN_USER),
		       "illegal state transition"), "attached -> birth is illegal");
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_BIRTH, JUMP_STATE_ATTACHED,
				      JUMP_REASON_RX_RESUMED, JUMP_ORIGIN_USER),
		       "reason code not valid for this transition"),
	       "a legal pair with the wrong reason names the reason");
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_VOLATILE, JUMP_STATE_DEGRADED,
				      JUMP_REASON_RX_SILENCE, JUMP_ORIGIN_USER),
		       "only the kernel may make this transition with this reason"),
	       "userspace cannot forge the kernel's rx_silence");
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_ATTACHED, JUMP_STATE_ATTACHED,
				      JUMP_REASON_RX_RESUMED, JUMP_ORIGIN_USER),
		       "session is already in that state"),
	       "only a standby change keeps the state");
	tap_ok(!jump_fsm_check(JUMP_STATE_DEGRADED, JUMP_STATE_DEGRADED,
			       JUMP_REASON_STANDBY_READY, JUMP_ORIGIN_USER),
	       "a standby is set without a state change");
	tap_ok(refused_with(jump_fsm_check(JUMP_STATE_BIRTH, JUMP_STATE_BIRTH,
				      JUMP_REASON_STANDBY_READY, JUMP_ORIGIN_USER),
		       "session is already in that state"),
	       "a session in birth has no standby");
	tap_ok(jump_fsm_check(JUMP_STATE_BIRTH, JUMP_STATE_ATTACHED,
			      __JUMP_REASON_MAX, JUMP_ORIGIN_USER) != NULL,
	       "an unknown reason is refused");
	tap_ok(jump_fsm_check(__JUMP_STATE_MAX, JUMP_STATE_ATTACHED,
			      JUMP_REASON_HANDSHAKE_COMPLETE, JUMP_ORIGIN_USER) != NULL,
	       "an unknown state is refused");
}

static void test_binds(void)
{
	unsigned int from, to, binds = 0;

	for (from = 0; from < __JUMP_STATE_MAX; from++)
		for (to = 0; to < __JUMP_STATE_MAX; to++)
			binds += jump_fsm_binds(from, to);
	tap_ok(jump_fsm_binds(JUMP_STATE_BIRTH, JUMP_STATE_ATTACHED) &&
	       jump_fsm_binds(JUMP_STATE_RECOVERING, JUMP_STATE_ATTACHED) &&
	       binds == 2, "only birth->attached and recovering->attached install a binding");
	tap_ok(!jump_fsm_binds(JUMP_STATE_VOLATILE, JUMP_STATE_ATTACHED),
	       "rx_resumed keeps the existing binding");
}

int main(void)
{
	test_every_combination();
	test_messages();
	test_binds();
	return tap_done();
}
