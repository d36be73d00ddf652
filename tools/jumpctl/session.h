/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl session: a command line is parsed into struct session_args
 * (session_parse.h: usage errors, no kernel needed), which session_request()
 * turns into a netlink request (session_request.h); both are unit tested
 * on their own. session.c drives them: the socket a binding hands over,
 * the listing of show, and the read-then-CAS of terminate and reattach.
 */
#ifndef JUMPCTL_SESSION_H
#define JUMPCTL_SESSION_H

#include <stdbool.h>
#include <libmnl/libmnl.h>

#include "output.h"
#include "session_parse.h"
#include "session_request.h"

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
