/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's audit records (ctl_audit.c): what the roles record of their
 * decisions, and what the core records of transitions and floods.
 */
#ifndef JUMPD_CTL_AUDIT_H
#define JUMPD_CTL_AUDIT_H

#include "ctl.h"

/* Audit helpers: a reject, an accept, a free-text record. */
void ctl_audit_reject(struct ctl *c, uint64_t id, int reject, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail);
void ctl_audit_accept(struct ctl *c, uint64_t id, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail);
void ctl_audit(struct ctl *c, enum audit_event ev, uint64_t id, const char *detail);
/* An ownership change or refusal (owner.h's owner_record_fn; @ctx is the ctl): logged too. */
void ctl_audit_owner(void *ctx, uint64_t id, int reason, const char *detail);
/* A packet that did not authenticate: counted by @reject, summarized. */
void ctl_count_unauthenticated(struct ctl *c, int reject);

/* A transition of one of the device's sessions, whoever made it. */
void ctl_audit_transition(struct ctl *c, const struct jumpd_msg *m);
/* An unbound_source report of @id (@s: jumpd's session, or NULL), within budget. */
void ctl_audit_unbound(struct ctl *c, struct csession *s, uint64_t id);
/* Once a second at most: the flood counters as summary records. */
void ctl_audit_floods(struct ctl *c, uint64_t now);
/*
 * Group commit (audit.h): every record written so far made durable. The
 * loop calls it after each batch of packets and each turn of the timers,
 * the core before every change it asks of the kernel.
 */
void ctl_audit_sync(struct ctl *c);

#endif /* JUMPD_CTL_AUDIT_H */
