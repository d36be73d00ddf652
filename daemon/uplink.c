// SPDX-License-Identifier: GPL-2.0
/*
 * Uplink probing and the netlink watch that triggers it.
 *
 * The kernel answers "can I get there, and from where" for us: a connected
 * UDP socket sends nothing but does the route lookup and picks the source
 * address. For interface uplinks that is not quite enough, see route_via().
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "uplink.h"

#define UPLINK_GROUPS	(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | \
			 RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE)

/* Room for a few dozen notifications per read; more just loops. */
#define WATCH_BUF	16384
#define ROUTE_BUF	4096

static int ep_to_sa(const struct endpoint *ep, uint16_t port,
		    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = ep->addr.v4;
		*len = sizeof(*sin);
		return 0;
	}
	if (ep->family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = ep->addr.v6;
		*len = sizeof(*sin6);
		return 0;
	}
	errno = EAFNOSUPPORT;
	return -1;
}

/* The address only, port 0; an unspecified address is no source at all. */
static int sa_to_ep(const struct sockaddr_storage *ss, struct endpoint *ep)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	memset(ep, 0, sizeof(*ep));
	ep->family = ss->ss_family;
	if (ss->ss_family == AF_INET && sin->sin_addr.s_addr != htonl(INADDR_ANY)) {
		ep->addr.v4 = sin->sin_addr;
		return 0;
	}
	if (ss->ss_family == AF_INET6 && !IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr)) {
		ep->addr.v6 = sin6->sin6_addr;
		return 0;
	}
	memset(ep, 0, sizeof(*ep));
	errno = EADDRNOTAVAIL;
	return -1;
}

static void close_keep_errno(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
}

static int udp_socket(int family)
{
	return socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int uplink_watch_open(struct uplink_watch *w)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = UPLINK_GROUPS };

	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_ROUTE);
	if (w->fd < 0)
		return -1;
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close_keep_errno(w->fd);
		w->fd = -1;
		return -1;
	}
	return 0;
}

static bool is_change(uint16_t type)
{
	switch (type) {
	case RTM_NEWLINK: case RTM_DELLINK:
	case RTM_NEWADDR: case RTM_DELADDR:
	case RTM_NEWROUTE: case RTM_DELROUTE:
		return true;
	}
	return false;
}

static bool has_change(const void *buf, size_t len)
{
	const struct nlmsghdr *nh;

	for (nh = buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len))
		if (is_change(nh->nlmsg_type))
			return true;
	return false;
}

int uplink_watch_read(struct uplink_watch *w)
{
	union { struct nlmsghdr nh; char b[WATCH_BUF]; } buf;
	struct sockaddr_nl sa;
	socklen_t salen;
	int changed = 0;
	ssize_t n;

	for (;;) {
		salen = sizeof(sa);
		n = recvfrom(w->fd, &buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&sa, &salen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return changed;
		if (n < 0 && errno == ENOBUFS) {
			/* Notifications were lost: assume any of them. */
			changed = 1;
			continue;
		}
		if (n < 0)
			return -1;
		/* Other processes can unicast to us: only the kernel speaks. */
		if (salen != sizeof(sa) || sa.nl_pid)
			continue;
		if ((size_t)n > sizeof(buf) || has_change(&buf, n))
			changed = 1;
	}
}

void uplink_watch_close(struct uplink_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

static void add_attr(struct nlmsghdr *nh, uint16_t type, const void *data,
		     size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static int route_ask(int fd, const struct endpoint *dst, unsigned int ifindex)
{
	union { struct nlmsghdr nh; char b[NLMSG_SPACE(sizeof(struct rtmsg)) +
					  2 * RTA_SPACE(16)]; } req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct rtmsg *rtm = NLMSG_DATA(&req.nh);
	size_t alen = dst->family == AF_INET ? 4 : 16;
	uint32_t oif = ifindex;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*rtm));
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = 1;
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = alen * 8;
	/* Report the table that matched (0: none), not always main. */
	rtm->rtm_flags = RTM_F_LOOKUP_TABLE;
	add_attr(&req.nh, RTA_DST, &dst->addr, alen);
	add_attr(&req.nh, RTA_OIF, &oif, sizeof(oif));
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -1;
	return 0;
}

/* 0 if @nh is a route from a routing table through @ifindex. */
static int route_check(const struct nlmsghdr *nh, unsigned int ifindex)
{
	const struct rtmsg *rtm = NLMSG_DATA(nh);
	uint32_t table, oif = 0;
	const struct rtattr *rta;
	size_t alen;
	int err;

	if (nh->nlmsg_type == NLMSG_ERROR && nh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		err = *(const int *)NLMSG_DATA(nh);
		errno = err < 0 ? -err : EPROTO;
		return -1;
	}
	if (nh->nlmsg_type != RTM_NEWROUTE || nh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		goto unreachable;
	table = rtm->rtm_table;
	alen = RTM_PAYLOAD(nh);
	for (rta = RTM_RTA(rtm); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
		if (RTA_PAYLOAD(rta) < sizeof(uint32_t))
			continue;
		if (rta->rta_type == RTA_TABLE)
			memcpy(&table, RTA_DATA(rta), sizeof(table));
		else if (rta->rta_type == RTA_OIF)
			memcpy(&oif, RTA_DATA(rta), sizeof(oif));
	}
	/* Table 0: no table had a route, see route_via(). */
	if (table != RT_TABLE_UNSPEC && oif == ifindex)
		return 0;
unreachable:
	errno = ENETUNREACH;
	return -1;
}

/*
 * Does a routing table send @dst out of @ifindex? A socket bound to a
 * device connects even without: when no route goes through the device,
 * IPv4 assumes the destination is on its link (ip_route_output_key_hash_rcu,
 * "routing tables are wrong"), which would make any interface with an
 * address look usable. RTM_GETROUTE with RTM_F_LOOKUP_TABLE tells the two
 * apart: that fallback comes from no table (table 0).
 */
static int route_via(const struct endpoint *dst, unsigned int ifindex)
{
	union { struct nlmsghdr nh; char b[ROUTE_BUF]; } buf;
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	int fd, ret = -1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (route_ask(fd, dst, ifindex) < 0)
		goto out;
	/* rtnetlink answers within sendto(): the reply is already queued. */
	n = recvfrom(fd, &buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sa, &salen);
	if (n < 0)
		goto out;
	if (sa.nl_pid || !NLMSG_OK(&buf.nh, (size_t)n)) {
		errno = EPROTO;
		goto out;
	}
	ret = route_check(&buf.nh, ifindex);
out:
	close_keep_errno(fd);
	return ret;
}

static bool is_loopback(const struct endpoint *ep)
{
	if (ep->family == AF_INET)
		return (ntohl(ep->addr.v4.s_addr) >> 24) == IN_LOOPBACKNET;
	return ep->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&ep->addr.v6);
}

/* Connects @fd to @server and reads back the source the kernel chose. */
static int connect_source(int fd, const struct endpoint *server,
			  struct endpoint *local)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (ep_to_sa(server, server->port, &ss, &len) < 0 ||
	    connect(fd, (struct sockaddr *)&ss, len) < 0)
		return -1;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    sa_to_ep(&ss, local) < 0)
		return -1;
	/* IPv6 connects ::1 to anywhere; nothing would ever come back. */
	if (is_loopback(local) && !is_loopback(server)) {
		errno = ENETUNREACH;
		return -1;
	}
	return 0;
}

static int iface_running(int fd, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	if ((ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING)) {
		errno = ENETDOWN;
		return -1;
	}
	return 0;
}

static int probe_iface(const char *name, const struct endpoint *server,
		       struct endpoint *local)
{
	unsigned int ifindex;
	int fd, ret = -1;

	if (!valid_ifname(name)) {
		errno = ENODEV;
		return -1;
	}
	ifindex = if_nametoindex(name);
	if (!ifindex)
		return -1;
	fd = udp_socket(server->family);
	if (fd < 0)
		return -1;
	if (iface_running(fd, name) == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, strlen(name) + 1) == 0 &&
	    connect_source(fd, server, local) == 0)
		ret = route_via(server, ifindex);
	close_keep_errno(fd);
	return ret;
}

/*
 * An address uplink; one of family 0 (no Uplink configured) is any local
 * address: the routing table picks the source, as connect(2) does.
 */
static int probe_addr(const struct endpoint *addr, const struct endpoint *server,
		      struct endpoint *local)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret = -1;

	if (!addr->family) {
		fd = udp_socket(server->family);
		if (fd < 0)
			return -1;
		ret = connect_source(fd, server, local);
		close_keep_errno(fd);
		return ret;
	}
	if (addr->family != server->family) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (ep_to_sa(addr, 0, &ss, &len) < 0)
		return -1;
	fd = udp_socket(addr->family);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) == 0)
		ret = connect_source(fd, server, local);
	close_keep_errno(fd);
	return ret;
}

int uplink_probe(const struct config_uplink *u, const struct endpoint *server,
		 struct endpoint *local)
{
	int ret;

	/* The name comes from a config file: never read past its array. */
	if (memchr(u->ifname, '\0', sizeof(u->ifname)) == NULL) {
		errno = ENODEV;
		return -1;
	}
	if (u->ifname[0])
		ret = probe_iface(u->ifname, server, local);
	else
		ret = probe_addr(&u->addr, server, local);
	if (ret < 0)
		memset(local, 0, sizeof(*local));
	return ret;
}

int uplink_best(const struct config_uplink *uplinks, size_t n,
		const struct endpoint *server, struct endpoint *local)
{
	size_t i;

	for (i = 0; i < n && i <= INT32_MAX; i++)
		if (uplink_probe(&uplinks[i], server, local) == 0)
			return i;
	return -1;
}

int uplink_socket(const struct config_uplink *u, const struct endpoint *local,
		  uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (memchr(u->ifname, '\0', sizeof(u->ifname)) == NULL) {
		errno = ENODEV;
		return -1;
	}
	if (ep_to_sa(local, port, &ss, &len) < 0)
		return -1;
	fd = udp_socket(local->family);
	if (fd < 0)
		return -1;
	if (u->ifname[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, u->ifname,
				       strlen(u->ifname) + 1) < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		goto fail;
	return fd;
fail:
	close_keep_errno(fd);
	return -1;
}
