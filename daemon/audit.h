/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's audit trail: every transition and every security decision is one
 * record, sent to journald with structured fields and appended to a
 * JSON-lines file in which each record carries the hash of the one before
 * (lib/jump_audit.h has the format; `jumpctl audit verify` checks it).
 */
#ifndef JUMPD_AUDIT_H
#define JUMPD_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/jump.h>

#include "jump_audit.h"
#include "jump_parse.h"

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
	AUDIT_OWNERSHIP,	/* a session's owner changed, or a change was refused: owner */
	__AUDIT_EVENT_MAX
};

struct audit_entry {
	enum audit_event event;
	uint64_t session;	/* 0: none */
	int from;		/* enum jump_state, -1: none */
	int to;			/* enum jump_state, -1: none */
	int reason;		/* enum jump_reason, -1: none */
	int reject;		/* enum jump_reject, -1: none */
	int owner;		/* enum jump_owner_reason, in "reason" (no reason then), -1: none */
	uint64_t version;	/* 0: none */
	const uint8_t *peer;	/* JUMP_PUBKEY_LEN bytes, NULL: none */
	const char *source;	/* "addr:port" of the packet, NULL: none */
	const char *detail;	/* one line for people (MESSAGE), NULL: none */
};

/* Initialises an entry with every optional field at "none". */
#define AUDIT_ENTRY(ev) { .event = (ev), .from = -1, .to = -1, .reason = -1, .reject = -1, \
			  .owner = -1 }

/*
 * Group commit: records are appended as they happen and made durable
 * (fdatasync, then the head) together by audit_sync(), which jumpd calls
 * once per turn of its loop and before any change it asks of the kernel.
 * At most this many records wait for it: audit_write() syncs at the limit.
 */
#define AUDIT_GROUP_MAX	256

/* journald's socket, which sd_journal_sendv(3) sends to. */
#define AUDIT_JOURNAL_SOCKET	"/run/systemd/journal/socket"

struct audit {
	FILE *file;
	unsigned int unsynced;	/* records appended since the last audit_sync() */
	off_t size;		/* of the file: only jumpd appends */
	char host[256];		/* gethostname(), read again at each sync that writes */
	char ifname[16];
	uint64_t seq;		/* of the last record written */
	char prev[65];		/* hex hash of the last record */
	int journal;		/* 1: also send to journald */
	bool journal_present;	/* its socket, looked for once a second */
	time_t journal_checked;	/* the second it was looked for */
	time_t date_sec;	/* the second date[] was formatted for */
	char date[JUMP_AUDIT_TIME_LEN];	/* jump_audit_time() of date_sec */
	uint8_t peer[JUMP_PUBKEY_LEN];	/* the last peer recorded ... */
	char peer_b64[PUBKEY_B64_LEN];	/* ... and its base64 */
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
 * Keeps "<seq> <hex>" of the last durable record in @path (jumpd's state
 * dir, "audit.head"), rewritten atomically by each audit_sync(), so that
 * records cut off the end of the file are found (`jumpctl audit verify
 * head`). Checks it first: -1 (logged) unless the head's record is in the
 * file with the head's hash and the records after it (up to
 * AUDIT_GROUP_MAX: a crash of jumpd before it synced) chain from it to the
 * end, as new records would hide a cut. A missing head is started.
 * Without a file (journald only) there is no head: 0.
 */
int audit_set_head(struct audit *a, const char *path);
/*
 * One record, to both sinks: appended to the file with one write(2) (it
 * survives a crash of jumpd at once), durable only after the next
 * audit_sync() (a crash of the machine before it can lose it). 0 or -1
 * (logged).
 */
int audit_write(struct audit *a, const struct audit_entry *e);
/*
 * Makes every record written so far durable: fdatasync of the file, then
 * the head rewritten (tmp, fdatasync, rename, directory fsync) to name the
 * last one. Nothing to do if no record was written since: 0. 0 or -1
 * (logged).
 */
int audit_sync(struct audit *a);
/* audit_sync(), then closes. */
void audit_close(struct audit *a);

#endif /* JUMPD_AUDIT_H */
