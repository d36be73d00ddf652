/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What jumpctl prints: sessions, devices and events, as text or as JSON
 * with the same field names. Everything goes to the FILE given, so unit
 * tests can read it back.
 */
#ifndef JUMPCTL_OUTPUT_H
#define JUMPCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>

#include "json.h"
#include "msg.h"

/*
 * The output of one command: text blocks, or with -j one JSON array whose
 * '[' is written with the first item, so that a refused request leaves
 * stdout empty rather than holding a stray "[]".
 */
struct listing {
	struct json j;
	unsigned int items;
};

void listing_init(struct listing *l, FILE *f);
/* @ifname: session messages carry only the index; the caller knows it. */
void listing_session(struct listing *l, const struct session_msg *s,
		     const char *ifname);
void listing_device(struct listing *l, const struct device_msg *d);
/* Closes the array; with @ok and no items, prints "[]". */
void listing_end(struct listing *l, bool ok);

/* One monitor line: text, or one compact JSON object (JSON lines). */
void print_event(FILE *f, const struct session_msg *s, const char *ifname);
/*
 * One monitor line for a data path notice (UNBOUND_SOURCE, KEY_EXPIRING).
 * These carry no CHANGED_NS: the caller puts the receive time there.
 */
void print_notice(FILE *f, const struct session_msg *s, const char *ifname);
/* The line that reports @lost events missing before event @s. */
void print_lost(FILE *f, const struct session_msg *s, const char *ifname,
		uint64_t lost);

/*
 * A device name as text for a terminal: the kernel lets a name hold any
 * byte but '/', ':' and white space, so bytes below 0x20, from 0x7f, and
 * '\\' are written \xNN (as jumpctl audit show writes a record's fields).
 * Cut to the buffer. JSON escapes by itself.
 */
#define IFNAME_TEXT_LEN (4 * IF_NAMESIZE)
const char *format_ifname(const char *name, char buf[IFNAME_TEXT_LEN]);

/* ISO 8601 local time with milliseconds: 2026-11-25T07:40:01.123+01:00 */
#define TIME_LEN 48
void format_time_ns(uint64_t ns, char buf[TIME_LEN]);

#endif /* JUMPCTL_OUTPUT_H */
