/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside jumpd's generic netlink, between genl.c (the sockets and the
 * event socket), genl_request.c (requests) and genl_build.c (messages to
 * send). The rest of jumpd uses genl.h.
 */
#ifndef JUMPD_GENL_SHARED_H
#define JUMPD_GENL_SHARED_H

#include <stdint.h>

struct jumpd_nl;
struct nl_msg;

/* genl_build.c: a genl header for @family and @cmd, and the device if any. */
int jumpd_put_header(struct nl_msg *msg, int family, uint8_t cmd, int flags,
		     uint32_t ifindex);

/* genl_request.c: clears nl->ext, as before a request or an event read. */
void jumpd_nl_reset_ext(struct jumpd_nl *nl);
/* Records a libnl failure @nle in nl->ext; the negative errno for it. */
int jumpd_nl_transport_error(struct jumpd_nl *nl, int nle);

#endif /* JUMPD_GENL_SHARED_H */
