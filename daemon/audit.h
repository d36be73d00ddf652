/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's audit trail: every transition and every security decision is one
 * record, sent to journald with structured fields and appended to a
 * JSON-lines file in which each record carries the hash of the one before
 * (lib/jump_audit.h has the format; `jumpctl audit verify` checks it).
 */
#ifndef JUMPD_AUDIT_H
#define JUMPD_AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include <linux/jump.h>

enum audit_event {
	AUDIT_START,		/* jumpd started (detail: config path) */
	AUDIT_STOP,		/* jumpd stopping */
	AUDIT_RELOAD,		/* config reloaded (or refused: reject set) */
	AUDIT_TRANSITION,	/* a session changed state: from, to, reason, version */
	AUDIT_ACCEPT,		/* a handshake or reattach step accepted */
	AUDIT_REJECT,		/* a control packet refused: reject */
	AUDIT_RATE_LIMIT,	/* rate limiting started dropping (per source or global) */
	AUDIT_COOKIE,		/* cookie mode switched on or off */
	AUDIT_REKEY,		/* new data keys installed */
	__AUDIT_EVENT_MAX
};

struct audit_entry {
	enum audit_event event;
	uint64_t session;	/* 0: none */
	int from;		/* enum jump_state, -1: none */
	int to;			/* enum jump_state, -1: none */
	int reason;		/* enum jump_reason, -1: none */
	int reject;		/* enum jump_reject, -1: none */
	uint64_t version;	/* 0: none */
	const uint8_t *peer;	/* JUMP_PUBKEY_LEN bytes, NULL: none */
	const char *source;	/* "addr:port" of the packet, NULL: none */
	const char *detail;	/* one line for people (MESSAGE), NULL: none */
};

/* Initialises an entry with every optional field at "none". */
#define AUDIT_ENTRY(ev) { .event = (ev), .from = -1, .to = -1, .reason = -1, .reject = -1 }

struct audit {
	FILE *file;
	char ifname[16];
	uint64_t seq;		/* of the last record written */
	char prev[65];		/* hex hash of the last record */
	int journal;		/* 1: also send to journald */
	char *head;		/* audit_set_head(); NULL: none */
};

/*
 * Opens (creating, mode 0600, and its directory) the JSON-lines file and
 * continues its chain from its last record. A file whose last record does
 * not parse is not appended to: -1 with the reason logged, so a broken
 * chain is never hidden behind new records. @path NULL: journald only.
 */
int audit_open(struct audit *a, const char *path, const char *ifname);
/*
 * Keeps "<seq> <hex>" of the last record in @path (jumpd's state dir,
 * "audit.head"), rewritten atomically after each record, so that records
 * cut off the end of the file are found (`jumpctl audit verify head`).
 * Checks it first: -1 (logged) if the file no longer ends at the head's
 * record, as new records would hide the cut. A missing head is started.
 * Without a file (journald only) there is no head: 0.
 */
int audit_set_head(struct audit *a, const char *path);
/* One record, to both sinks; flushed before returning. 0 or -1 (logged). */
int audit_write(struct audit *a, const struct audit_entry *e);
void audit_close(struct audit *a);

#endif /* JUMPD_AUDIT_H */
