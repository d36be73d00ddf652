/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's control plane in a harness: a config written to a scratch
 * directory, ctl_start() on it for the loopback device, the fake kernel of
 * fake_kernel.h behind it, and HARNESS_SOCKS UDP sockets on 127.0.0.1 that
 * play the peer (socket 0) and anyone else. Datagrams go in through the
 * real sockets and ctl_read_socket(), as in jumpd's loop.
 */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ctl.h"
#include "handshake.h"
#include "sync.h"

#define HARNESS_SOCKS	8

struct harness {
	struct jumpd d;
	struct ctl c;
	char dir[64];
	char conf[128];
	uint16_t port;		/* the server's: jumpd's ListenPort, or socket 0's */
	int socks[HARNESS_SOCKS];
	struct sockaddr_storage addrs[HARNESS_SOCKS];
	struct hs_keypair server, client;
	char server_b64[64], client_b64[64];		/* public keys */
	char server_priv_b64[64], client_priv_b64[64];
	bool running;
};

extern struct harness h;

/* Once: scratch directory, sockets, keys; @server_port: socket 0 is the server. */
void harness_init(bool server_port);
/* Writes @conf (a printf format, then its args) and runs ctl_start(). 0 or -1. */
int harness_start(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void harness_stop(void);
/* Sends from socket @from to @dst, then lets jumpd read and the kernel's events arrive. */
void harness_send(int from, const struct sockaddr_storage *dst, const uint8_t *buf, size_t len);
/* jumpd's sockets are read, the queued events applied, the timers run. */
void harness_pump(void);
/* The next datagram queued on socket @to: its length, or -1. */
long harness_recv(int to, uint8_t *buf, size_t cap, struct sockaddr_storage *src);
void harness_drain(void);

#endif /* FUZZ_HARNESS_H */
