/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's UDP sockets: the server's listening sockets (one per family, so
 * that the kernel can take either over) and the client's per-path ones.
 * Receiving learns the local address a datagram came to (IP_PKTINFO), which
 * the server's binding needs; sending can pick the source address.
 */
#ifndef JUMPD_UDP_H
#define JUMPD_UDP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "genl.h"
#include "jump_parse.h"

struct udp_packet {
	int fd;				/* the socket it came on */
	struct sockaddr_storage src;	/* the peer */
	struct endpoint local;		/* where it was sent to (port: the socket's) */
	size_t len;
	uint8_t buf[2048];
	/* Opened from a sealed message (ctl_unlink.c): its session and tag. */
	bool sealed;
	uint64_t sealed_id, sealed_tag;
};

/* A listening socket on @port (host order), any address of @family. */
int udp_listen(int family, uint16_t port);
/* Turns on local address reporting on a socket we did not open (SOCKET_GET). */
int udp_want_pktinfo(int fd, int family);
/*
 * The receive buffer of @fd at @bytes: SO_RCVBUFFORCE (CAP_NET_ADMIN, past
 * net.core.rmem_max), else SO_RCVBUF (capped at rmem_max). 0 or -1.
 */
int udp_set_rcvbuf(int fd, int bytes);
/* recvmmsg(2) takes at most this many datagrams per call. */
#define UDP_BATCH	64
/*
 * Up to @n (at most UDP_BATCH) datagrams in one system call, into p[0..]:
 * how many, 0 if none is queued, -1 on error. A flood costs one call per
 * batch, not one (and a getsockname) per packet.
 */
int udp_recv_batch(int fd, struct udp_packet *p, unsigned int n);
/* Sends @len bytes to @dst, from @local's address if it is set. 0 or -1. */
int udp_send(int fd, const struct endpoint *local, const struct sockaddr_storage *dst,
	     const void *buf, size_t len);

void udp_to_endpoint(const struct sockaddr_storage *ss, struct endpoint *ep);
void udp_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss);
/* Same family, address and port. */
int udp_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
/* "addr:port" for logs and audit records. */
void udp_format(const struct sockaddr_storage *ss, char *buf, size_t len);
/* The local port of a socket (host order), 0 on error. */
uint16_t udp_local_port(int fd);

/* A binding from a local address and port and a peer. */
void udp_binding(struct jumpd_binding *b, const struct endpoint *local,
		 uint16_t local_port, const struct sockaddr_storage *remote,
		 uint32_t epoch, int fd);

#endif /* JUMPD_UDP_H */
