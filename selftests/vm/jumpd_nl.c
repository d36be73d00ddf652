// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: jumpd's netlink requests (daemon/genl.c) against jump.ko.
 * On device DEV, whose netns has ADDR (IPv4) locally, and a free PORT:
 * creates sessions, changes settings and keys, binds one with a socket of
 * its own, loses a CAS, gets the socket back with SOCKET_GET and deletes
 * the session. Prints "# step" per step; exits 0 if every step did what it
 * should, 1 at the first that did not.
 *
 *   jumpd_nl DEV ADDR PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "genl.h"
#include "jump_parse.h"

static struct jumpd_nl nl;

static void fail(const char *step, int err)
{
	printf("# FAILED: %s: %d (%s) ext \"%s\"\n", step, err,
	       err < 0 ? strerror(-err) : "unexpected", nl.ext.msg);
	exit(1);
}

#define CHECK(cond, step, err) do {		\
	if (!(cond))				\
		fail(step, err);		\
	printf("# %s\n", step);			\
} while (0)

static int bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0 ||
	    sin.sin_family != AF_INET)
		return -1;
	return ntohs(sin.sin_port);
}

int main(int argc, char **argv)
{
	uint8_t key[JUMP_PUBKEY_LEN] = { 1 }, tx[JUMP_KEY_LEN] = { 2 },
		rx[JUMP_KEY_LEN] = { 3 };
	struct jumpd_binding b = { .family = AF_INET, .fd = -1 };
	struct jumpd_settings set = { 0 };
	struct jumpd_msg srv, cli, m;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct prefix p;
	uint32_t ifindex;
	uint16_t port;
	int err, fd;

	if (argc != 4 || !(ifindex = if_nametoindex(argv[1])) ||
	    inet_pton(AF_INET, argv[2], &b.local.v4) != 1 ||
	    parse_port(argv[3], &port)) {
		fprintf(stderr, "usage: jumpd_nl DEV ADDR PORT\n");
		return 2;
	}
	if (jumpd_nl_open(&nl))
		return 1;

	err = jumpd_nl_session_new(&nl, ifindex, JUMP_ROLE_SERVER, 0, key, &srv);
	CHECK(!err && srv.id && srv.state == JUMP_STATE_BIRTH && srv.version == 1 &&
	      srv.local_index && !memcmp(srv.peer_pubkey, key, sizeof(key)),
	      "session_new (server): id, state, version, index, key", err);
	err = jumpd_nl_session_new(&nl, ifindex, JUMP_ROLE_CLIENT, srv.id + 1, key, &cli);
	CHECK(!err && cli.id == srv.id + 1 && cli.role == JUMP_ROLE_CLIENT,
	      "session_new (client) with the given id", err);
	err = jumpd_nl_session_new(&nl, ifindex, JUMP_ROLE_CLIENT, srv.id + 1, key, &m);
	CHECK(err == -EEXIST && nl.ext.msg[0],
	      "session_new of an existing id: -EEXIST with the kernel's message", err);

	if (parse_prefix("10.77.0.0/16", &p))
		return 1;
	set.remote_index = 99;
	set.prefixes = &p;
	set.nprefixes = 1;
	set.set_prefixes = true;
	set.keepalive_ms = 500;
	err = jumpd_nl_session_settings(&nl, ifindex, srv.id, &set);
	CHECK(!err, "session_settings: remote index, prefixes, keepalive", err);
	err = jumpd_nl_session_get(&nl, ifindex, srv.id, &m);
	CHECK(!err && m.id == srv.id && m.remote_index == 99 &&
	      m.local_index == srv.local_index,
	      "session_get sees the settings", err);

	err = jumpd_nl_key_new(&nl, ifindex, srv.id, JUMP_KEY_SLOT_PRIMARY, 1, tx, rx);
	CHECK(!err, "key_new primary (an ack, no reply)", err);
	err = jumpd_nl_key_new(&nl, ifindex, srv.id, JUMP_KEY_SLOT_SECONDARY, 2, rx, tx);
	CHECK(!err, "key_new secondary", err);
	err = jumpd_nl_key_swap(&nl, ifindex, srv.id);
	CHECK(!err, "key_swap", err);
	err = jumpd_nl_key_del(&nl, ifindex, srv.id, JUMP_KEY_SLOT_SECONDARY);
	CHECK(!err, "key_del secondary", err);

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sin.sin_addr = b.local.v4;
	sin.sin_port = htons(port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("socket");
		return 1;
	}
	b.local_port = port;
	inet_pton(AF_INET, "192.0.2.9", &b.remote.v4);
	b.remote_port = 4444;
	b.epoch = 5;
	b.fd = fd;
	err = jumpd_nl_session_transition(&nl, ifindex, srv.id, 1, JUMP_STATE_ATTACHED,
					  JUMP_REASON_HANDSHAKE_COMPLETE, &b, &m);
	CHECK(!err && m.state == JUMP_STATE_ATTACHED && m.version == 2 &&
	      m.binding.family == AF_INET && m.binding.epoch == 5 &&
	      m.binding.local_port == port && m.binding.remote_port == 4444,
	      "transition birth -> attached with our socket: the binding in the reply", err);
	close(fd);
	err = jumpd_nl_session_transition(&nl, ifindex, srv.id, 1, JUMP_STATE_VOLATILE,
					  JUMP_REASON_LINK_DOWN, NULL, &m);
	CHECK(err == -ESTALE && nl.ext.msg[0], "a stale version loses the CAS: -ESTALE", err);

	b.remote_port = 0;
	fd = jumpd_nl_socket_get(&nl, ifindex, &b);
	CHECK(fd >= 0 && bound_port(fd) == port, "socket_get: a descriptor of our port", fd);
	close(fd);
	b.local_port = port + 1;
	err = jumpd_nl_socket_get(&nl, ifindex, &b);
	CHECK(err == -ENOENT && strstr(nl.ext.msg, "no socket"),
	      "socket_get of another port: -ENOENT with the kernel's message", err);

	err = jumpd_nl_session_del(&nl, ifindex, srv.id, 2, JUMP_REASON_ADMIN_TERMINATE);
	CHECK(!err, "session_del (an ack)", err);
	err = jumpd_nl_session_get(&nl, ifindex, srv.id, &m);
	CHECK(err == -ENOENT, "session_get after the delete: -ENOENT", err);
	err = jumpd_nl_session_del(&nl, ifindex, cli.id, 1, 0);
	CHECK(!err, "session_del with the kernel's default reason", err);
	jumpd_nl_close(&nl);
	return 0;
}
