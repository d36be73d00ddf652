/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client's uplinks: which one can reach the server now, from which local
 * address, and a netlink socket that says when that may have changed.
 *
 * An uplink is an interface (its packets leave through it, whatever the
 * routing table prefers) or a local address (the routing table picks the
 * way out, source-based rules included). The daemon watches for link,
 * address and route changes and probes again; nothing here keeps state.
 */
#ifndef JUMPD_UPLINK_H
#define JUMPD_UPLINK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"		/* struct config_uplink */
#include "jump_parse.h"		/* struct endpoint */

struct uplink_watch {
	int fd;			/* -1 when closed */
};

/*
 * A NETLINK_ROUTE socket (nonblocking, close-on-exec) joined to the link,
 * IPv4/IPv6 address and IPv4/IPv6 route groups. 0, or -1 with errno.
 */
int uplink_watch_open(struct uplink_watch *w);
/*
 * Drains everything queued. 1 if any link, address or route message came
 * from the kernel, or the socket overran (ENOBUFS: something changed, we do
 * not know what); 0 if nothing; -1 with errno on any other error.
 */
int uplink_watch_read(struct uplink_watch *w);
void uplink_watch_close(struct uplink_watch *w);

/*
 * Can uplink @u reach @server right now, and from which local address?
 * 0 with @local filled (family and address, port 0), or -1 with errno:
 *   interface: it exists, is IFF_UP and IFF_RUNNING, has an address of
 *     @server's family and a route to @server through it (ENODEV, ENETDOWN,
 *     EADDRNOTAVAIL, ENETUNREACH; EPERM where SO_BINDTODEVICE needs
 *     CAP_NET_RAW);
 *   address: it is assigned here (EADDRNOTAVAIL), of @server's family
 *     (EAFNOSUPPORT), with a route from it to @server (ENETUNREACH);
 *   neither (no name, address family 0: a client without Uplink): the
 *     local address the routing table picks for @server (ENETUNREACH).
 */
int uplink_probe(const struct config_uplink *u, const struct endpoint *server,
		 struct endpoint *local);

/* The first usable of @n uplinks in preference order: its index, or -1. */
int uplink_best(const struct config_uplink *uplinks, size_t n,
		const struct endpoint *server, struct endpoint *local);

/*
 * A UDP socket (nonblocking, close-on-exec) for uplink @u, bound to @local
 * at @port (host order, 0: any) and, for an interface uplink, to the
 * interface (SO_BINDTODEVICE). The fd, or -1 with errno.
 */
int uplink_socket(const struct config_uplink *u, const struct endpoint *local,
		  uint16_t port);

#endif /* JUMPD_UPLINK_H */
