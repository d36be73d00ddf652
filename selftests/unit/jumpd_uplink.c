// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's uplinks on the host, unprivileged where possible: probing by
 * interface and by address over loopback, failures for what does not exist
 * or has no route, preference order, sockets bound as asked, and the
 * netlink watch (idle, spoofed, and, in a network namespace of our own when
 * the system lets us have one, a real link change).
 *
 * SO_BINDTODEVICE may need CAP_NET_RAW: those checks say "# skipped" and
 * pass only when the kernel answered EPERM, never silently.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tap.h"
#include "uplink.h"

#define SKIP	77

/* EPERM if SO_BINDTODEVICE needs a privilege we lack, else 0. */
static int bind_dev_err;

static struct endpoint ep(const char *s)
{
	struct endpoint e;

	if (parse_endpoint(s, &e) < 0)
		abort();
	return e;
}

static struct config_uplink by_name(const char *name)
{
	struct config_uplink u;

	memset(&u, 0, sizeof(u));
	snprintf(u.ifname, sizeof(u.ifname), "%s", name);
	return u;
}

static struct config_uplink by_addr(const char *s)
{
	struct config_uplink u;

	memset(&u, 0, sizeof(u));
	u.addr = ep(s);
	u.addr.port = 0;
	return u;
}

static bool same_addr(const struct endpoint *a, const char *s)
{
	struct endpoint b = ep(s);

	return a->family == b.family && a->port == 0 &&
	       !memcmp(&a->addr, &b.addr, a->family == AF_INET ? 4 : 16);
}

/* The result of an interface check, or a skip when only privilege is missing. */
static void ok_or_eperm(int pass, int err, const char *what)
{
	if (!pass && err == EPERM) {
		printf("# skipped: SO_BINDTODEVICE needs CAP_NET_RAW here: %s\n", what);
		tap_ok(1, "%s # SKIP no CAP_NET_RAW", what);
		return;
	}
	tap_ok(pass, "%s", what);
}

static void test_probe_iface(void)
{
	struct config_uplink lo = by_name("lo"), none = by_name("nosuch0"), bad;
	struct endpoint server = ep("127.0.0.1:51820"), local;
	int ret, err;

	errno = 0;
	ret = uplink_probe(&lo, &server, &local);
	err = errno;
	ok_or_eperm(ret == 0 && same_addr(&local, "127.0.0.1:0"), err,
		    "interface lo reaches 127.0.0.1, from 127.0.0.1");
	server = ep("192.0.2.1:51820");
	errno = 0;
	ret = uplink_probe(&lo, &server, &local);
	err = errno;
	if (err == EPERM)
		ok_or_eperm(0, err, "lo has no route to 192.0.2.1");
	else
		tap_ok(ret == -1 && err == ENETUNREACH && local.family == 0,
		       "lo has no route to 192.0.2.1, though a bound socket would connect (%s)",
		       strerror(err));
	errno = 0;
	tap_ok(uplink_probe(&none, &server, &local) == -1 && errno == ENODEV,
	       "a nonexistent interface cannot reach anything");
	memset(&bad, 'x', sizeof(bad));
	errno = 0;
	tap_ok(uplink_probe(&bad, &server, &local) == -1 && errno == ENODEV,
	       "an interface name without its NUL is refused, not read past");
}

static bool have_ipv6_loopback(void)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_probe_addr(void)
{
	struct config_uplink a = by_addr("127.0.0.1:0"), gone = by_addr("192.0.2.77:0");
	struct config_uplink a6 = by_addr("[::1]:0");
	struct endpoint server = ep("127.0.0.1:51820"), local, server6 = ep("[::1]:51820");

	tap_ok(uplink_probe(&a, &server, &local) == 0 && same_addr(&local, "127.0.0.1:0"),
	       "address 127.0.0.1 reaches 127.0.0.1, from 127.0.0.1 (port 0)");
	errno = 0;
	tap_ok(uplink_probe(&gone, &server, &local) == -1 && errno == EADDRNOTAVAIL &&
	       local.family == 0, "an address not assigned here (192.0.2.77) fails");
	errno = 0;
	tap_ok(uplink_probe(&a, &server6, &local) == -1 && errno == EAFNOSUPPORT,
	       "an IPv4 uplink cannot reach an IPv6 server");
	if (!have_ipv6_loopback()) {
		printf("# skipped: no IPv6 loopback here\n");
		tap_ok(1, "address ::1 reaches ::1 # SKIP no IPv6");
		tap_ok(1, "::1 reaches nothing outside # SKIP no IPv6");
		return;
	}
	tap_ok(uplink_probe(&a6, &server6, &local) == 0 && same_addr(&local, "[::1]:0"),
	       "address ::1 reaches ::1, from ::1");
	server6 = ep("[2001:db8::1]:51820");
	errno = 0;
	tap_ok(uplink_probe(&a6, &server6, &local) == -1 && errno == ENETUNREACH,
	       "::1 reaches nothing outside, though IPv6 would connect it");
}

/*
 * A client without Uplink never reached its server: client_open_path()
 * probes an uplink of no name and address family 0 for "wherever the
 * routing table says", and probe_addr() refused it (EAFNOSUPPORT: family 0
 * is not the server's), so no INIT ever left. Found by the jumpd_client
 * fuzz harness.
 */
static void test_no_uplink_probe(void)
{
	struct config_uplink any = { .ifname = "" };
	struct endpoint server = ep("127.0.0.1:51820"), local;
	int fd;

	tap_ok(uplink_probe(&any, &server, &local) == 0 && same_addr(&local, "127.0.0.1:0"),
	       "no uplink configured: the routing table's source (127.0.0.1) reaches 127.0.0.1");
	fd = uplink_socket(&any, &local, 0);
	tap_ok(fd >= 0, "and a socket opens on it");
	if (fd >= 0)
		close(fd);
}

static void test_best(void)
{
	struct config_uplink list[4] = {
		by_name("nosuch0"), by_addr("192.0.2.77:0"), by_addr("127.0.0.1:0"),
		by_name("lo"),
	};
	struct endpoint server = ep("127.0.0.1:51820"), local;
	int i;

	tap_ok(uplink_best(list, 4, &server, &local) == 2 && same_addr(&local, "127.0.0.1:0"),
	       "best: the first usable uplink in order, with its source");
	tap_ok(uplink_best(list, 2, &server, &local) == -1 &&
	       uplink_best(list, 0, &server, &local) == -1,
	       "best: -1 when none is usable, or there are none");
	list[0] = by_name("lo");
	errno = 0;
	i = uplink_best(list, 3, &server, &local);
	ok_or_eperm(i == 0, bind_dev_err, "best: the interface, when it comes first");
}

static bool fd_flags_ok(int fd)
{
	return (fcntl(fd, F_GETFL) & O_NONBLOCK) && (fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0 || sin.sin_family != AF_INET ||
	    sin.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		return 0;
	return ntohs(sin.sin_port);
}

static void test_socket(void)
{
	struct config_uplink a = by_addr("127.0.0.1:0"), lo = by_name("lo");
	struct endpoint local = ep("127.0.0.1:0"), gone = ep("192.0.2.77:0");
	char dev[IF_NAMESIZE] = "";
	socklen_t len = sizeof(dev);
	uint16_t port;
	int fd, fd2, err;

	fd = uplink_socket(&a, &local, 0);
	port = fd >= 0 ? bound_port(fd) : 0;
	tap_ok(fd >= 0 && port && fd_flags_ok(fd),
	       "socket: bound to 127.0.0.1, any port (%u), nonblocking and close-on-exec", port);
	errno = 0;
	fd2 = uplink_socket(&a, &local, port);
	tap_ok(fd2 == -1 && errno == EADDRINUSE, "socket: a port in use is an error with errno");
	close(fd);
	fd = uplink_socket(&a, &local, port);
	tap_ok(fd >= 0 && bound_port(fd) == port, "socket: bound to the given port %u", port);
	if (fd >= 0)
		close(fd);
	errno = 0;
	tap_ok(uplink_socket(&a, &gone, 0) == -1 && errno == EADDRNOTAVAIL,
	       "socket: an address not assigned here is an error with errno");
	errno = 0;
	fd = uplink_socket(&lo, &local, 0);
	err = errno;
	ok_or_eperm(fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &len) == 0 &&
		    !strcmp(dev, "lo") && bound_port(fd), err,
		    "socket: an interface uplink's is bound to the interface too");
	if (fd >= 0)
		close(fd);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* A netlink message from a process, not the kernel, that looks like news. */
static int spoof_newlink(int to_fd)
{
	struct { struct nlmsghdr nh; struct ifinfomsg ifi; } msg;
	struct sockaddr_nl dst;
	socklen_t len = sizeof(dst);
	int fd, ret;

	if (getsockname(to_fd, (struct sockaddr *)&dst, &len) < 0)
		return -1;
	dst.nl_groups = 0;
	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = RTM_NEWLINK;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	ret = sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&dst, sizeof(dst));
	close(fd);
	return ret < 0 ? -1 : 0;
}

static void test_watch_idle(void)
{
	struct uplink_watch w;

	tap_ok(uplink_watch_open(&w) == 0 && w.fd >= 0 && fd_flags_ok(w.fd),
	       "watch: opens nonblocking and close-on-exec");
	tap_ok(uplink_watch_read(&w) == 0, "watch: nothing to read on an idle socket is 0");
	/* Unicast between netlink sockets needs CAP_NET_ADMIN: so does spoofing. */
	if (spoof_newlink(w.fd) < 0 && errno == EPERM) {
		printf("# skipped: sending netlink to a process needs CAP_NET_ADMIN\n");
		tap_ok(1, "watch: a spoofed RTM_NEWLINK is ignored # SKIP no CAP_NET_ADMIN");
	} else {
		tap_ok(readable(w.fd) && uplink_watch_read(&w) == 0 && !readable(w.fd),
		       "watch: a RTM_NEWLINK from another process is drained and ignored");
	}
	uplink_watch_close(&w);
	uplink_watch_close(&w);
	tap_ok(w.fd == -1, "watch: closes, twice harmlessly");
}

static int set_up(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * In a new network namespace lo starts down: the probe must say so, and
 * bringing it up must show on the watch and make lo usable. Child exit
 * status: bit 0 probe while down wrong, bit 1 no change seen, bit 2 probe
 * while up wrong, SKIP no namespace for us.
 */
static int netns_child(void)
{
	struct config_uplink lo = by_name("lo");
	struct endpoint server = ep("127.0.0.1:51820"), local;
	struct uplink_watch w;
	int bad = 0, ret;

	if (unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return SKIP;
	if (uplink_watch_open(&w) < 0)
		return SKIP;
	errno = 0;
	if (uplink_probe(&lo, &server, &local) != -1 || errno != ENETDOWN)
		bad |= 1;
	if (set_up("lo") < 0)
		return SKIP;
	usleep(100000);	/* let anything the kernel defers arrive too */
	if (uplink_watch_read(&w) != 1 || uplink_watch_read(&w) != 0)
		bad |= 2;
	ret = uplink_probe(&lo, &server, &local);
	if ((ret || !same_addr(&local, "127.0.0.1:0")) && errno != EPERM)
		bad |= 4;
	uplink_watch_close(&w);
	return bad;
}

static void test_watch_change(void)
{
	int status = -1, i;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(netns_child());
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		tap_ok(0, "netns child ran");
		return;
	}
	status = WEXITSTATUS(status);
	if (status == SKIP) {
		printf("# skipped: no network namespace of our own here\n");
		for (i = 0; i < 3; i++)
			tap_ok(1, "link change checks # SKIP no netns");
		return;
	}
	tap_ok(!(status & 1), "an interface that is down cannot be used (ENETDOWN)");
	tap_ok(!(status & 2), "watch: bringing lo up reads as a change, then nothing more");
	tap_ok(!(status & 4), "and lo is usable once up");
}

static void check_bind_dev(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) < 0)
		bind_dev_err = errno;
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	check_bind_dev();
	test_probe_iface();
	test_probe_addr();
	test_no_uplink_probe();
	test_best();
	test_socket();
	test_watch_idle();
	test_watch_change();
	return tap_done();
}
