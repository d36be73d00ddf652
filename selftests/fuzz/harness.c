// SPDX-License-Identifier: GPL-2.0
/* The control plane harness of harness.h. */
#include <arpa/inet.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "client.h"
#include "fake_kernel.h"
#include "harness.h"
#include "log.h"
#include "server.h"

struct harness h;

static const struct ctl_role_ops *const roles[JUMP_ROLE_MAX + 1] = {
	[JUMP_ROLE_CLIENT] = &client_role,
	[JUMP_ROLE_SERVER] = &server_role,
};

static int loopback_socket(uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(port);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len))
		abort();
	return fd;
}

static void keypair(struct hs_keypair *kp, uint8_t seed, char *b64, char *priv_b64,
		    size_t len)
{
	size_t i;

	for (i = 0; i < WIRE_KEY_LEN; i++)
		kp->priv[i] = (uint8_t)(seed + 3 * i);
	kp->priv[0] &= 248;
	kp->priv[31] = (kp->priv[31] & 127) | 64;
	if (hs_public_key(kp->priv, kp->pub))
		abort();
	sodium_bin2base64(b64, len, kp->pub, WIRE_KEY_LEN, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(priv_b64, len, kp->priv, WIRE_KEY_LEN, sodium_base64_VARIANT_ORIGINAL);
}

static void remove_dir(void);

void harness_init(bool server_port)
{
	struct sockaddr_storage ss;
	int i, fd;

	if (sodium_init() < 0)
		abort();
	log_stream = fopen("/dev/null", "w");
	snprintf(h.dir, sizeof(h.dir), "/dev/shm/jump-fuzz.XXXXXX");
	if (!mkdtemp(h.dir)) {
		snprintf(h.dir, sizeof(h.dir), "/tmp/jump-fuzz.XXXXXX");
		if (!mkdtemp(h.dir))
			abort();
	}
	snprintf(h.conf, sizeof(h.conf), "%s/jump.conf", h.dir);
	for (i = 0; i < HARNESS_SOCKS; i++)
		h.socks[i] = loopback_socket(0, &h.addrs[i]);
	if (server_port) {
		h.port = ntohs(((struct sockaddr_in *)&h.addrs[0])->sin_port);
	} else {
		/* A free port for jumpd to listen on. */
		fd = loopback_socket(0, &ss);
		h.port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		close(fd);
	}
	keypair(&h.server, 0x11, h.server_b64, h.server_priv_b64, sizeof(h.server_b64));
	keypair(&h.client, 0x77, h.client_b64, h.client_priv_b64, sizeof(h.client_b64));
	atexit(remove_dir);
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return ftw->level ? remove(p) : 0;
}

static void remove_dir(void)
{
	nftw(h.dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	rmdir(h.dir);
}

int harness_start(const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	nftw(h.dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	f = fopen(h.conf, "w");
	if (!f)
		abort();
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	memset(&h.d, 0, sizeof(h.d));
	view_init(&h.d.view);
	view_dev_add(&h.d.view, 1, "lo", true);
	fake_kernel_reset(&h.d, 1);
	h.running = true;
	if (ctl_start(&h.c, &h.d, h.conf, "lo", roles)) {
		harness_stop();
		return -1;
	}
	fake_kernel_flush();
	return 0;
}

void harness_stop(void)
{
	if (!h.running)
		return;
	ctl_stop(&h.c);
	view_free(&h.d.view);
	harness_drain();
	h.running = false;
}

void harness_pump(void)
{
	int i;

	for (i = 0; i < h.c.nsocks; i++)
		ctl_read_socket(&h.c, h.c.socks[i]);
	fake_kernel_flush();
	ctl_run_timers(&h.c);
	fake_kernel_flush();
}

void harness_send(int from, const struct sockaddr_storage *dst, const uint8_t *buf, size_t len)
{
	sendto(h.socks[from % HARNESS_SOCKS], buf, len, 0, (const struct sockaddr *)dst,
	       sizeof(struct sockaddr_in));
	harness_pump();
}

long harness_recv(int to, uint8_t *buf, size_t cap, struct sockaddr_storage *src)
{
	socklen_t len = sizeof(*src);

	return recvfrom(h.socks[to % HARNESS_SOCKS], buf, cap, MSG_DONTWAIT,
			(struct sockaddr *)src, &len);
}

void harness_drain(void)
{
	struct sockaddr_storage ss;
	uint8_t buf[2048];
	int i;

	for (i = 0; i < HARNESS_SOCKS; i++)
		while (harness_recv(i, buf, sizeof(buf), &ss) >= 0)
			;
}
