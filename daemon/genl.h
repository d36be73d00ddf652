/* SPDX-License-Identifier: GPL-2.0 */
/* jumpd's netlink: requests and dumps on one socket, events on another. */
#ifndef JUMPD_GENL_H
#define JUMPD_GENL_H

#include <stdint.h>

#include "view.h"

struct nl_sock;

struct jumpd_nl {
	struct nl_sock *req;
	struct nl_sock *events;
	int family;
	int events_group;
	uint32_t only_ifindex;	/* 0: every jump device of the netns */
};

/* 0, or -1 after logging why (e.g. the module is not loaded). */
int jumpd_nl_open(struct jumpd_nl *nl);
void jumpd_nl_close(struct jumpd_nl *nl);
int jumpd_nl_events_fd(const struct jumpd_nl *nl);

/*
 * Rebuilds @view from the kernel: devices (and their event sequence), then
 * their sessions. Call after the event socket is subscribed, so nothing that
 * happens meanwhile is missed.
 */
int jumpd_nl_sync(struct jumpd_nl *nl, struct view *view);

/*
 * Reads and applies pending events. Returns 0, 1 if events were lost (the
 * caller resyncs), or -1 on a socket error.
 */
int jumpd_nl_read_events(struct jumpd_nl *nl, struct view *view);

#endif /* JUMPD_GENL_H */
