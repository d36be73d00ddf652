/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl session: a command line is parsed into struct session_args
 * (session_parse.h: usage errors, no kernel needed), which session_request()
 * turns into a netlink request; both are unit tested on their own.
 * session.c drives them: the socket a binding hands over, the listing of
 * show, and the read-then-CAS of terminate and reattach.
 */
#ifndef JUMPCTL_SESSION_H
#define JUMPCTL_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "output.h"
#include "session_parse.h"

/*
 * The largest request: a settings change with JUMP_MAX_PREFIXES IPv6
 * prefixes (a PREFIX nest of 32 bytes each), and room for the rest.
 */
#define SESSION_PREFIX_NEST_LEN (3 * MNL_ATTR_HDRLEN + 16 + MNL_ALIGN(1))
#define SESSION_REQUEST_MAX (1024 + JUMP_MAX_PREFIXES * SESSION_PREFIX_NEST_LEN)

/*
 * The request for @a (not SESSION_HELP) in @buf (SESSION_REQUEST_MAX
 * bytes), for genl family @family. Show needs a->dev set. Terminate and
 * reattach are compare-and-swap requests: the caller sets a->version (and
 * has_version) from what session_get_request() read.
 */
struct nlmsghdr *session_request(void *buf, uint16_t family,
				 const struct session_args *a);
/* SESSION_GET of session @id of device @dev: the version a CAS starts from. */
struct nlmsghdr *session_get_request(void *buf, uint16_t family,
				     const char *dev, uint64_t id);

/*
 * Show: prints the session in @nlh, from device @dev, to @l if it passes
 * the state and peer filters of @a. Returns whether it was a session.
 */
bool session_show_msg(struct listing *l, const struct session_args *a,
		      const struct nlmsghdr *nlh, const char *dev);

/*
 * For a transition with a binding and no "sock-fd": a UDP socket of the
 * binding's family bound to its local address, in a->sock_fd. If the
 * address is in use, a->sock_fd stays -1 and the kernel reuses the socket
 * the device holds. Returns an exit status (printing "Error: ...").
 */
int session_open_socket(struct session_args *a);

#endif /* JUMPCTL_SESSION_H */
