/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl session's netlink requests: struct session_args (parsed by
 * session_parse()) in, a generic netlink message out; unit tested on its
 * own, no socket needed.
 */
#ifndef JUMPCTL_SESSION_REQUEST_H
#define JUMPCTL_SESSION_REQUEST_H

#include <stdint.h>
#include <libmnl/libmnl.h>

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

#endif /* JUMPCTL_SESSION_REQUEST_H */
