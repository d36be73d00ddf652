// SPDX-License-Identifier: GPL-2.0
/*
 * The core's audit helpers: one record per accept and per reject of an
 * authentic packet (within a budget), each transition of the device's
 * sessions, and the flood counters (malformed, over a rate, not
 * authenticated, rejects past the budget, unbound-source reports past
 * theirs) summarized once a second, so that an attacker cannot turn the
 * audit log into a denial of service. Role-neutral: both roles call in.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ctl.h"
#include "ctl_audit.h"
#include "jump_names.h"
#include "log.h"

#define SUMMARY_NS	1000000000ULL	/* floods are audited once a second */
/*
 * Rejects are recorded one by one up to this rate (a second) and burst;
 * beyond that they are counted by reason and summarized, so that forged
 * packets that pass the rate limits cannot make the audit log the target.
 */
#define REJECT_RECORDS_RATE	50
#define REJECT_RECORDS_BURST	100

static void audit_src(const struct sockaddr_storage *src, char *buf, size_t len)
{
	if (src && src->ss_family)
		udp_format(src, buf, len);
	else
		buf[0] = '\0';
}

void ctl_audit_reject(struct ctl *c, uint64_t id, int reject, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_REJECT);
	char where[64];

	if (reject >= 0 && reject <= JUMP_REJECT_MAX &&
	    !rl_take(&c->reject_budget, REJECT_RECORDS_RATE, REJECT_RECORDS_BURST, ctl_now())) {
		c->unrecorded[reject]++;
		return;
	}
	audit_src(src, where, sizeof(where));
	e.session = id;
	e.reject = reject;
	e.peer = peer;
	e.source = where[0] ? where : NULL;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

void ctl_count_unauthenticated(struct ctl *c, int reject)
{
	if (reject >= 0 && reject <= JUMP_REJECT_MAX)
		c->unauthenticated[reject]++;
}

void ctl_audit_accept(struct ctl *c, uint64_t id, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_ACCEPT);
	char where[64];

	audit_src(src, where, sizeof(where));
	e.session = id;
	e.peer = peer;
	e.source = where[0] ? where : NULL;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

void ctl_audit_owner(void *ctx, uint64_t id, int reason, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_OWNERSHIP);
	struct ctl *c = ctx;
	bool bad = reason != JUMP_OWNER_CLAIMED && reason != JUMP_OWNER_MOVED &&
		   reason != JUMP_OWNER_ADOPTED && reason != JUMP_OWNER_RELEASED &&
		   reason != JUMP_OWNER_LEASE_RENEWED;

	if (bad)
		log_warn("ownership %016" PRIx64 " %s: %s", id, jump_owner_reason_name(reason),
			 detail);
	else
		log_info("ownership %016" PRIx64 " %s: %s", id,
			 jump_owner_reason_name(reason), detail);
	e.session = id;
	e.owner = reason;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

void ctl_audit(struct ctl *c, enum audit_event ev, uint64_t id, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(ev);

	e.session = id;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

/* Every transition of this device's sessions, whoever made it, is one record. */
void ctl_audit_transition(struct ctl *c, const struct jumpd_msg *m)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_TRANSITION);
	struct csession *s = ctl_find(c, m->id);

	e.session = m->id;
	e.from = JUMPD_HAS(m, JUMP_A_PREV_STATE) ? m->prev_state : -1;
	e.to = m->state;
	e.reason = JUMPD_HAS(m, JUMP_A_REASON) ? m->reason : -1;
	e.version = m->version;
	e.peer = s ? s->peer_pub : NULL;
	audit_write(&c->audit, &e);
}

/*
 * Authentic data from outside the binding is never followed: only a
 * verified reattach moves a binding. Replays of captured packets are
 * reported too, so the records have a budget, per session and in all (a
 * record costs several fsyncs); the rest are counted and summarized.
 */
void ctl_audit_unbound(struct ctl *c, struct csession *s, uint64_t id)
{
	uint64_t now = ctl_now();

	uint64_t period = JUMP_UNBOUND_RECORDS_INTERVAL_MS * 1000000ULL;

	/* The session's token is taken only if the global one was there too. */
	if ((s && !rl_period_ready(&s->unbound_records, JUMP_UNBOUND_RECORDS_PER_SESSION,
				   period, now)) ||
	    !rl_take(&c->unbound_budget, JUMP_UNBOUND_RECORDS_RATE,
		     JUMP_UNBOUND_RECORDS_RATE, now)) {
		c->unbound_unrecorded++;
		return;
	}
	if (s)
		rl_period_take(&s->unbound_records, JUMP_UNBOUND_RECORDS_PER_SESSION, period, now);
	ctl_audit(c, AUDIT_REJECT, id,
		  "authentic data from outside the binding: dropped, binding kept");
}

void ctl_audit_sync(struct ctl *c)
{
	audit_sync(&c->audit);
}

/* One summary record: written whatever the reject budget says. */
static void summary(struct ctl *c, enum audit_event ev, int reject, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(ev);

	e.reject = reject;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

/* One summary record a second at most for each reason counted in @count. */
static void summarize_by_reason(struct ctl *c, uint64_t *count, uint64_t *logged_ns,
				uint64_t now, const char *what)
{
	char detail[160];
	int r;

	if (now - *logged_ns < SUMMARY_NS)
		return;
	*logged_ns = now;
	for (r = 0; r <= JUMP_REJECT_MAX; r++) {
		if (!count[r])
			continue;
		snprintf(detail, sizeof(detail), "%" PRIu64 " %s", count[r], what);
		summary(c, AUDIT_REJECT, r, detail);
		count[r] = 0;
	}
}

/*
 * Once a second at most: what floods cost us, as counts. Malformed packets,
 * packets over the rate limits and rejects past the budget are never
 * recorded one by one.
 */
void ctl_audit_floods(struct ctl *c, uint64_t now)
{
	char detail[128];

	if (c->garbage && now - c->garbage_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " malformed or unauthenticated control packets dropped",
			 c->garbage);
		summary(c, AUDIT_REJECT, JUMP_REJECT_MALFORMED, detail);
		c->garbage = 0;
		c->garbage_logged_ns = now;
	}
	if (c->limited && now - c->limited_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " control packets over the rate limits dropped",
			 c->limited);
		summary(c, AUDIT_RATE_LIMIT, JUMP_REJECT_RATE_LIMITED, detail);
		c->limited = 0;
		c->limited_logged_ns = now;
	}
	if (c->unbound_unrecorded && now - c->unbound_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " authentic packets from outside "
			 "a binding (unbound_source reports) not recorded one by one",
			 c->unbound_unrecorded);
		summary(c, AUDIT_REJECT, -1, detail);
		c->unbound_unrecorded = 0;
		c->unbound_logged_ns = now;
	}
	summarize_by_reason(c, c->unauthenticated, &c->unauthenticated_logged_ns, now,
			    "control packets that did not authenticate refused: not recorded one by one");
	snprintf(detail, sizeof(detail),
		 "more rejects for this reason, over %d a second: not recorded one by one",
		 REJECT_RECORDS_RATE);
	summarize_by_reason(c, c->unrecorded, &c->unrecorded_logged_ns, now, detail);
}

