// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's generic netlink: requests on the request socket, from the send
 * to the last message of the answer, and the kernel's refusals.
 *
 * libnl 3.7 neither asks for extended acks nor reads them, and ignores the
 * error a dump reports in its NLMSG_DONE; both are done here. Requests run
 * without libnl's auto-ack and check the sequence number themselves, so the
 * tail of a request abandoned half way (a timeout) is skipped as not ours
 * instead of derailing every later request.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include <linux/jump.h>

#include "genl.h"
#include "genl_shared.h"
#include "log.h"

void jumpd_nl_log_error(const struct jumpd_nl *nl, const char *what, int err)
{
	const struct jumpd_extack *ext = &nl->ext;

	if (ext->msg[0] && ext->miss_type >= 0)
		log_err("%s: %s: %s (missing attribute %d)", what, strerror(-err),
			ext->msg, ext->miss_type);
	else if (ext->msg[0])
		log_err("%s: %s: %s", what, strerror(-err), ext->msg);
	else
		log_err("%s: %s", what, strerror(-err));
}

/* libnl's error codes are not errnos; keep the ones callers act on. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_DUMP_INTR:
		return -EINTR;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	default:
		return -EIO;
	}
}

/* One request in flight on the request socket. */
struct request {
	struct jumpd_nl *nl;
	uint32_t seq;
	bool done;
	bool intr;
	int err;
	jumpd_dev_fn dev_fn;
	jumpd_msg_fn msg_fn;
	void *arg;
};

static int request_seq(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	/* Left over from a request that gave up (timed out): not ours. */
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int request_item(struct request *r, struct nlmsghdr *nlh)
{
	struct jumpd_dev_info d;
	struct jumpd_msg m;

	if (nlh->nlmsg_type != r->nl->family)
		return -EBADMSG;
	if (r->dev_fn)
		return jumpd_parse_dev(nlh, &d) ?: r->dev_fn(&d, r->arg);
	if (jumpd_parse_session(nlh, &m))
		return -EBADMSG;
	return r->msg_fn ? r->msg_fn(&m, r->arg) : 0;
}

static int request_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *r = arg;

	if (!(nlh->nlmsg_flags & NLM_F_MULTI))
		r->done = true;		/* a doit reply is the whole answer */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	/* After a failure the rest of a dump is still read, but ignored. */
	if (!r->err)
		r->err = request_item(r, nlh);
	return NL_OK;
}

static int request_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *r = arg;

	r->done = true;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	/* A dump that fails reports its error here, not in an NLMSG_ERROR. */
	jumpd_parse_extack(nlh, &r->nl->ext);
	if (!r->err)
		r->err = r->nl->ext.error;
	return NL_STOP;
}

static int request_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload of the message it is reading. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct request *r = arg;

	r->done = true;
	jumpd_parse_extack(nlh, &r->nl->ext);
	if (!r->err)
		r->err = e->error;
	return NL_SKIP;
}

/* The ack of a request that has no other reply (NLM_F_ACK, error 0). */
static int request_ack(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	r->done = true;
	return NL_STOP;
}

static struct nl_cb *request_cb(struct request *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, request_seq, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, request_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, request_valid, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, request_done, r);
	nl_cb_err(cb, NL_CB_CUSTOM, request_error, r);
	return cb;
}

/* Records a libnl failure where jumpd_nl_log_error() finds it. */
int jumpd_nl_transport_error(struct jumpd_nl *nl, int nle)
{
	snprintf(nl->ext.msg, sizeof(nl->ext.msg), "netlink: %s", nl_geterror(nle));
	return nle == -NLE_AGAIN ? -ETIMEDOUT : nle_errno(nle);
}

static int request_recv(struct jumpd_nl *nl, struct request *r)
{
	struct nl_cb *cb = request_cb(r);
	int err = 0;

	if (!cb)
		return -ENOMEM;
	while (!r->done) {
		err = nl_recvmsgs(nl->req, cb);
		if (err < 0 && !r->done) {
			err = jumpd_nl_transport_error(nl, err);
			break;
		}
		err = 0;
	}
	nl_cb_put(cb);
	if (err)
		return err;
	if (r->err)
		return r->err;
	return r->intr ? -EINTR : 0;
}

void jumpd_nl_reset_ext(struct jumpd_nl *nl)
{
	memset(&nl->ext, 0, sizeof(nl->ext));
	nl->ext.miss_type = -1;
}

/* Wipes what the message held (key material) before freeing it. */
static void free_wiped(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	explicit_bzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

/*
 * Sends @msg, built by a jumpd_build_*() (or failing with @built < 0, then
 * not sent), and reads the answer into @r. Frees @msg, wiped.
 */
static int send_request(struct jumpd_nl *nl, struct nl_msg *msg, int built,
			struct request *r)
{
	int err;

	jumpd_nl_reset_ext(nl);
	r->nl = nl;
	if (!msg)
		return -ENOMEM;
	if (built < 0) {
		free_wiped(msg);
		return built;
	}
	err = nl_send_auto(nl->req, msg);
	/* nl_send_auto() filled in the sequence number. */
	r->seq = nlmsg_hdr(msg)->nlmsg_seq;
	free_wiped(msg);
	if (err < 0)
		return jumpd_nl_transport_error(nl, err);
	return request_recv(nl, r);
}

static int request(struct jumpd_nl *nl, uint8_t cmd, int flags,
		   uint32_t ifindex, struct request *r)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = 0;

	if (msg)
		built = jumpd_put_header(msg, nl->family, cmd, flags, ifindex);
	return send_request(nl, msg, built, r);
}

/* The requests: build, send, read the answer. */

static int copy_msg(const struct jumpd_msg *m, void *arg)
{
	if (arg)
		*(struct jumpd_msg *)arg = *m;
	return 0;
}

/* Sends @msg built as @built; a session message in reply goes to @out. */
static int session_request(struct jumpd_nl *nl, struct nl_msg *msg, int built,
			   struct jumpd_msg *out)
{
	struct request r = { .msg_fn = copy_msg, .arg = out };

	return send_request(nl, msg, built, &r);
}

int jumpd_nl_session_new(struct jumpd_nl *nl, uint32_t ifindex, uint8_t role,
			 uint64_t id, const uint8_t pubkey[JUMP_PUBKEY_LEN],
			 struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_new(msg,
			       nl->family, ifindex, role, id, pubkey) : 0, out);
}

int jumpd_nl_session_takeover(struct jumpd_nl *nl, uint32_t ifindex,
			      const struct jumpd_takeover *to,
			      const uint8_t pubkey[JUMP_PUBKEY_LEN], struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();
	int built = msg ? jumpd_build_session_takeover(msg, nl->family, ifindex, to,
						       pubkey) : 0;

	return session_request(nl, msg, built, out);
}

int jumpd_nl_session_get(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_get(msg,
			       nl->family, ifindex, id) : 0, out);
}

int jumpd_nl_session_settings(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			      const struct jumpd_settings *set)
{
	/* Room for every prefix: IPv6, length and two nest headers each. */
	struct nl_msg *msg = nlmsg_alloc_size(4096 + set->nprefixes * 40);

	return session_request(nl, msg, msg ? jumpd_build_session_settings(msg,
			       nl->family, ifindex, id, set) : 0, NULL);
}

int jumpd_nl_session_transition(struct jumpd_nl *nl, uint32_t ifindex,
				uint64_t id, uint64_t version, uint8_t state,
				uint16_t reason, const struct jumpd_binding *b,
				struct jumpd_msg *out)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_transition(msg,
			       nl->family, ifindex, id, version, state, reason,
			       b) : 0, out);
}

int jumpd_nl_session_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			 uint64_t version, uint16_t reason)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_session_del(msg,
			       nl->family, ifindex, id, version, reason) : 0, NULL);
}

int jumpd_nl_key_new(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot, uint8_t key_id,
		     const uint8_t tx[JUMP_KEY_LEN], const uint8_t rx[JUMP_KEY_LEN])
{
	struct nl_msg *msg = nlmsg_alloc();

	/* send_request() wipes the keys from the message it frees. */
	return session_request(nl, msg, msg ? jumpd_build_key_new(msg,
			       nl->family, ifindex, id, slot, key_id, tx, rx) : 0,
			       NULL);
}

int jumpd_nl_key_new_at(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			uint8_t slot, uint8_t key_id, const uint8_t tx[JUMP_KEY_LEN],
			const uint8_t rx[JUMP_KEY_LEN], uint64_t tx_counter)
{
	struct nl_msg *msg = nlmsg_alloc();

	/* send_request() wipes the keys from the message it frees. */
	return session_request(nl, msg, msg ? jumpd_build_key_new_at(msg,
			       nl->family, ifindex, id, slot, key_id, tx, rx,
			       tx_counter) : 0, NULL);
}

int jumpd_nl_key_swap(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_key_swap(msg,
			       nl->family, ifindex, id) : 0, NULL);
}

int jumpd_nl_key_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
		     uint8_t slot)
{
	struct nl_msg *msg = nlmsg_alloc();

	return session_request(nl, msg, msg ? jumpd_build_key_del(msg,
			       nl->family, ifindex, id, slot) : 0, NULL);
}

int jumpd_nl_socket_get(struct jumpd_nl *nl, uint32_t ifindex,
			const struct jumpd_binding *local)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct jumpd_msg m = { .binding.fd = -1 };
	int err;

	err = session_request(nl, msg, msg ? jumpd_build_socket_get(msg,
			      nl->family, ifindex, local) : 0, &m);
	if (err)
		return err;
	if (m.cmd != JUMP_CMD_SOCKET_GET || m.binding.fd < 0) {
		snprintf(nl->ext.msg, sizeof(nl->ext.msg),
			 "the reply carries no socket descriptor");
		return -EBADMSG;
	}
	return m.binding.fd;
}

int jumpd_nl_list_devices(struct jumpd_nl *nl, jumpd_dev_fn fn, void *arg)
{
	struct request r = { .dev_fn = fn, .arg = arg };

	return request(nl, JUMP_CMD_DEV_GET, NLM_F_DUMP, 0, &r);
}

static int copy_dev(const struct jumpd_dev_info *d, void *arg)
{
	*(struct jumpd_dev_info *)arg = *d;
	return 0;
}

int jumpd_nl_get_device(struct jumpd_nl *nl, uint32_t ifindex,
			struct jumpd_dev_info *info)
{
	struct request r = { .dev_fn = copy_dev, .arg = info };

	return request(nl, JUMP_CMD_DEV_GET, 0, ifindex, &r);
}

int jumpd_nl_dump_sessions(struct jumpd_nl *nl, uint32_t ifindex,
			   jumpd_msg_fn fn, void *arg)
{
	struct request r = { .msg_fn = fn, .arg = arg };

	return request(nl, JUMP_CMD_SESSION_GET, NLM_F_DUMP, ifindex, &r);
}
