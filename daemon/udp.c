// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "udp.h"

int udp_want_pktinfo(int fd, int family)
{
	int on = 1;

	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
}

int udp_set_rcvbuf(int fd, int bytes)
{
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

int udp_listen(int family, uint16_t port)
{
	struct sockaddr_storage ss = { .ss_family = family };
	int fd, on = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		/* The IPv4 socket serves IPv4: the kernel's binding is per family. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)))
			goto err;
	}
	if (udp_want_pktinfo(fd, family) ||
	    bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
		 sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)))
		goto err;
	return fd;
err:
	{
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return -1;
}

static void take_pktinfo(struct msghdr *mh, struct endpoint *local)
{
	struct cmsghdr *c;

	memset(local, 0, sizeof(*local));
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->family = AF_INET;
			local->addr.v4 = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->family = AF_INET6;
			local->addr.v6 = pi.ipi6_addr;
		}
	}
}

int udp_recv_batch(int fd, struct udp_packet *p, unsigned int n)
{
	static union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) * 2];
		struct cmsghdr align;
	} control[UDP_BATCH];
	struct mmsghdr mm[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	uint16_t port;
	unsigned int i;
	int got;

	if (n > UDP_BATCH)
		n = UDP_BATCH;
	for (i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = p[i].buf, .iov_len = sizeof(p[i].buf) };
		mm[i] = (struct mmsghdr){ .msg_hdr = {
			.msg_name = &p[i].src, .msg_namelen = sizeof(p[i].src),
			.msg_iov = &iov[i], .msg_iovlen = 1,
			.msg_control = control[i].buf, .msg_controllen = sizeof(control[i].buf),
		} };
	}
	got = recvmmsg(fd, mm, n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	port = got ? udp_local_port(fd) : 0;
	for (i = 0; i < (unsigned int)got; i++) {
		p[i].fd = fd;
		p[i].len = mm[i].msg_len;
		/* A truncated datagram is longer than any control packet: malformed. */
		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
			p[i].len = sizeof(p[i].buf);
		take_pktinfo(&mm[i].msg_hdr, &p[i].local);
		p[i].local.port = port;
	}
	return got;
}

static size_t put_source(struct msghdr *mh, char *buf, const struct endpoint *local)
{
	struct cmsghdr *c;

	mh->msg_control = buf;
	if (local->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_spec_dst = local->addr.v4 };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = local->addr.v6 };

		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return mh->msg_controllen;
}

int udp_send(int fd, const struct endpoint *local, const struct sockaddr_storage *dst,
	     const void *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = (void *)dst,
		.msg_namelen = dst->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
							  sizeof(struct sockaddr_in6),
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	memset(&control, 0, sizeof(control));
	if (local && local->family == dst->ss_family)
		put_source(&mh, control.buf, local);
	return sendmsg(fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

void udp_to_endpoint(const struct sockaddr_storage *ss, struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		ep->family = AF_INET;
		ep->addr.v4 = sin->sin_addr;
		ep->port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		ep->family = AF_INET6;
		ep->addr.v6 = sin6->sin6_addr;
		ep->port = ntohs(sin6->sin6_port);
	}
}

void udp_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = ep->addr.v4;
		sin->sin_port = htons(ep->port);
	} else if (ep->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = ep->addr.v6;
		sin6->sin6_port = htons(ep->port);
	}
}

int udp_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct endpoint x, y;

	udp_to_endpoint(a, &x);
	udp_to_endpoint(b, &y);
	if (!x.family || x.family != y.family || x.port != y.port)
		return 0;
	if (x.family == AF_INET)
		return x.addr.v4.s_addr == y.addr.v4.s_addr;
	return !memcmp(&x.addr.v6, &y.addr.v6, sizeof(x.addr.v6));
}

void udp_format(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	struct endpoint ep;

	udp_to_endpoint(ss, &ep);
	if (!ep.family) {
		snprintf(buf, len, "?");
		return;
	}
	format_endpoint(&ep, buf, len);
}

uint16_t udp_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct endpoint ep;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	udp_to_endpoint(&ss, &ep);
	return ep.port;
}

void udp_binding(struct jumpd_binding *b, const struct endpoint *local,
		 uint16_t local_port, const struct sockaddr_storage *remote,
		 uint32_t epoch, int fd)
{
	struct endpoint r;

	memset(b, 0, sizeof(*b));
	udp_to_endpoint(remote, &r);
	b->family = r.family;
	if (r.family == AF_INET) {
		b->local.v4 = local->addr.v4;
		b->remote.v4 = r.addr.v4;
	} else {
		b->local.v6 = local->addr.v6;
		b->remote.v6 = r.addr.v6;
	}
	b->local_port = local_port;
	b->remote_port = r.port;
	b->epoch = epoch;
	b->fd = fd;
}
