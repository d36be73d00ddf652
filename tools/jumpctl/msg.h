/* SPDX-License-Identifier: GPL-2.0 */
/* Session and device messages from the kernel: parsed, then printed. */
#ifndef JUMPCTL_MSG_H
#define JUMPCTL_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "args.h"
#include "json.h"

struct session_msg {
	uint32_t ifindex;
	uint64_t id;
	uint8_t role, state, prev_state;
	bool has_prev, has_seq, bound;
	uint8_t pubkey[JUMP_PUBKEY_LEN];
	uint64_t version, created_ns, changed_ns, seq;
	uint16_t reason;
	struct endpoint local, remote;
	uint32_t epoch;
	uint64_t stats[JUMP_STATS_A_MAX + 1];
};

struct device_msg {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t sessions, max_sessions;
	uint64_t event_seq;
	uint32_t state_counts[__JUMP_STATE_MAX];
};

/* 0, or -1 for a message that lacks what every such message carries. */
int parse_session_msg(const struct nlmsghdr *nlh, struct session_msg *s);
int parse_device_msg(const struct nlmsghdr *nlh, struct device_msg *d);

void print_session(struct json *j, const struct session_msg *s);
void print_device(struct json *j, const struct device_msg *d);
/* One monitor line: text, or a JSON object per line. */
void print_event(const struct session_msg *s, bool created);

/* "2026-11-25T07:40:01.123+0000" */
void format_time_ns(uint64_t ns, char *buf, unsigned int len);
const char *ifname_of(uint32_t ifindex, char buf[IF_NAMESIZE]);

#endif /* JUMPCTL_MSG_H */
