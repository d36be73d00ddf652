// SPDX-License-Identifier: GPL-2.0
/* The fake jump.ko of fake_kernel.h. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "fake_kernel.h"
#include "genl.h"
#include "jump_fsm.h"
#include "sync.h"

#define FK_SESSIONS	16
#define FK_EVENTS	64
#define A(x)		(1ULL << (x))

struct fk_session {
	bool used;
	uint64_t id, version;
	uint8_t role, state;
	uint32_t local_index;
	uint8_t pubkey[JUMP_PUBKEY_LEN];
	struct jumpd_binding binding;
};

static struct {
	struct jumpd *d;
	uint32_t ifindex;
	uint64_t seq, next_id, last_id;
	unsigned int fail;
	struct fk_session s[FK_SESSIONS];
	struct jumpd_msg q[FK_EVENTS];
	unsigned int nq;
} fk;

void fake_kernel_reset(struct jumpd *d, uint32_t ifindex)
{
	memset(&fk, 0, sizeof(fk));
	fk.d = d;
	fk.ifindex = ifindex;
	fk.next_id = 0x1000;
}

void fake_kernel_fail(unsigned int n)
{
	fk.fail = n;
}

uint64_t fake_kernel_last_id(void)
{
	return fk.last_id;
}

static bool failing(void)
{
	if (!fk.fail)
		return false;
	fk.fail--;
	return true;
}

static struct fk_session *find(uint32_t ifindex, uint64_t id)
{
	unsigned int i;

	if (ifindex != fk.ifindex)
		return NULL;
	for (i = 0; i < FK_SESSIONS; i++)
		if (fk.s[i].used && fk.s[i].id == id)
			return &fk.s[i];
	return NULL;
}

int fake_kernel_state(uint64_t id)
{
	struct fk_session *s = find(fk.ifindex, id);

	return s ? s->state : -1;
}

static void fill(const struct fk_session *s, uint8_t cmd, struct jumpd_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->cmd = cmd;
	m->ifindex = fk.ifindex;
	m->id = s->id;
	m->version = s->version;
	m->role = s->role;
	m->state = s->state;
	m->local_index = s->local_index;
	memcpy(m->peer_pubkey, s->pubkey, sizeof(m->peer_pubkey));
	m->binding = s->binding;
	m->binding.fd = -1;
	m->present = A(JUMP_A_IFINDEX) | A(JUMP_A_SESSION_ID) | A(JUMP_A_VERSION) |
		     A(JUMP_A_ROLE) | A(JUMP_A_STATE) | A(JUMP_A_LOCAL_INDEX) |
		     A(JUMP_A_PEER_PUBKEY);
	if (s->binding.family)
		m->present |= A(JUMP_A_BINDING);
	m->source.fd = -1;
}

static void queue(const struct jumpd_msg *m)
{
	if (fk.nq < FK_EVENTS)
		fk.q[fk.nq++] = *m;
}

static void event(const struct fk_session *s, uint8_t cmd, uint8_t prev, uint16_t reason)
{
	struct jumpd_msg m;

	fill(s, cmd, &m);
	m.seq = ++fk.seq;
	m.prev_state = prev;
	m.reason = reason;
	m.present |= A(JUMP_A_EVENT_SEQ) | A(JUMP_A_REASON);
	if (cmd == JUMP_CMD_SESSION_EVENT)
		m.present |= A(JUMP_A_PREV_STATE);
	queue(&m);
}

void fake_kernel_flush(void)
{
	unsigned int i;

	/* Events may cause requests, and those events: drain them all. */
	for (i = 0; i < fk.nq; i++) {
		struct jumpd_msg m = fk.q[i];

		jumpd_apply_event(&m, fk.d);
	}
	fk.nq = 0;
}

static int change(struct fk_session *s, uint8_t state, uint16_t reason,
		  unsigned int origin, const struct jumpd_binding *b)
{
	uint8_t prev = s->state;

	if (state > JUMP_STATE_MAX || jump_fsm_check(prev, state, reason, origin))
		return -EINVAL;
	if (jump_fsm_binds(prev, state) && (!b || !b->family))
		return -EINVAL;
	s->state = state;
	s->version++;
	if (b && b->family) {
		s->binding = *b;
		if (!s->binding.epoch)
			s->binding.epoch = 1;
	}
	event(s, JUMP_CMD_SESSION_EVENT, prev, reason);
	if (state == JUMP_STATE_TERMINATED)
		s->used = false;
	return 0;
}

int fake_kernel_move(uint64_t id, uint8_t state, uint16_t reason)
{
	struct fk_session *s = find(fk.ifindex, id);

	return s ? change(s, state, reason, JUMP_ORIGIN_KERNEL, NULL) : -1;
}

void fake_kernel_report(uint8_t cmd, uint64_t id, const struct sockaddr_storage *src)
{
	struct fk_session *s = find(fk.ifindex, id);
	struct jumpd_msg m;

	if (!s)
		return;
	fill(s, cmd, &m);
	if (cmd == JUMP_CMD_UNBOUND_SOURCE && src && src->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)src;

		m.source.family = AF_INET;
		m.source.remote.v4 = sin->sin_addr;
		m.source.remote_port = ntohs(sin->sin_port);
		m.present |= A(JUMP_A_SOURCE);
	}
	queue(&m);
}

int __wrap_jumpd_nl_session_new(struct jumpd_nl *nl, uint32_t ifindex, uint8_t role,
				uint64_t id, const uint8_t pubkey[JUMP_PUBKEY_LEN],
				struct jumpd_msg *out);
int __wrap_jumpd_nl_session_new(struct jumpd_nl *nl, uint32_t ifindex, uint8_t role,
				uint64_t id, const uint8_t pubkey[JUMP_PUBKEY_LEN],
				struct jumpd_msg *out)
{
	struct fk_session *s = NULL;
	unsigned int i;

	if (failing())
		return -ENOMEM;
	if (ifindex != fk.ifindex || role < JUMP_ROLE_CLIENT || role > JUMP_ROLE_MAX)
		return -EINVAL;
	if (!id)
		id = fk.next_id++;
	if (find(ifindex, id))
		return -EEXIST;
	for (i = 0; i < FK_SESSIONS && !s; i++)
		if (!fk.s[i].used)
			s = &fk.s[i];
	if (!s)
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->id = id;
	s->version = 1;
	s->role = role;
	s->state = JUMP_STATE_BIRTH;
	s->local_index = (uint32_t)(s - fk.s) + 1;
	memcpy(s->pubkey, pubkey, sizeof(s->pubkey));
	fk.last_id = id;
	event(s, JUMP_CMD_SESSION_NEW, 0, 0);
	if (out)
		fill(s, JUMP_CMD_SESSION_NEW, out);
	return 0;
}

int __wrap_jumpd_nl_session_get(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				struct jumpd_msg *out);
int __wrap_jumpd_nl_session_get(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				struct jumpd_msg *out)
{
	struct fk_session *s = find(ifindex, id);

	if (failing())
		return -ENOMEM;
	if (!s)
		return -ENOENT;
	if (out)
		fill(s, JUMP_CMD_SESSION_GET, out);
	return 0;
}

int __wrap_jumpd_nl_session_settings(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				     const struct jumpd_settings *set);
int __wrap_jumpd_nl_session_settings(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				     const struct jumpd_settings *set)
{
	if (failing())
		return -ENOMEM;
	if (set->set_prefixes && set->nprefixes > JUMP_MAX_PREFIXES)
		return -E2BIG;
	return find(ifindex, id) ? 0 : -ENOENT;
}

int __wrap_jumpd_nl_session_transition(struct jumpd_nl *nl, uint32_t ifindex,
				       uint64_t id, uint64_t version, uint8_t state,
				       uint16_t reason, const struct jumpd_binding *b,
				       struct jumpd_msg *out);
int __wrap_jumpd_nl_session_transition(struct jumpd_nl *nl, uint32_t ifindex,
				       uint64_t id, uint64_t version, uint8_t state,
				       uint16_t reason, const struct jumpd_binding *b,
				       struct jumpd_msg *out)
{
	struct fk_session *s = find(ifindex, id);
	int err;

	if (failing())
		return -ENOMEM;
	if (!s)
		return -ENOENT;
	if (s->version != version)
		return -ESTALE;
	err = change(s, state, reason, JUMP_ORIGIN_USER, b);
	if (!err && out)
		fill(s, JUMP_CMD_SESSION_SET, out);
	return err;
}

int __wrap_jumpd_nl_session_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				uint64_t version, uint16_t reason);
int __wrap_jumpd_nl_session_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
				uint64_t version, uint16_t reason)
{
	struct fk_session *s = find(ifindex, id);

	if (failing())
		return -ENOMEM;
	if (!s)
		return -ENOENT;
	if (version && s->version != version)
		return -ESTALE;
	return change(s, JUMP_STATE_TERMINATED, reason ? reason : JUMP_REASON_ADMIN_TERMINATE,
		      JUMP_ORIGIN_USER, NULL);
}

int __wrap_jumpd_nl_key_new(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			    uint8_t slot, uint8_t key_id,
			    const uint8_t tx[JUMP_KEY_LEN], const uint8_t rx[JUMP_KEY_LEN]);
int __wrap_jumpd_nl_key_new(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			    uint8_t slot, uint8_t key_id,
			    const uint8_t tx[JUMP_KEY_LEN], const uint8_t rx[JUMP_KEY_LEN])
{
	if (failing())
		return -ENOMEM;
	return find(ifindex, id) ? 0 : -ENOENT;
}

int __wrap_jumpd_nl_key_swap(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id);
int __wrap_jumpd_nl_key_swap(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id)
{
	if (failing())
		return -ENOMEM;
	return find(ifindex, id) ? 0 : -ENOENT;
}

int __wrap_jumpd_nl_key_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			    uint8_t slot);
int __wrap_jumpd_nl_key_del(struct jumpd_nl *nl, uint32_t ifindex, uint64_t id,
			    uint8_t slot)
{
	return find(ifindex, id) ? 0 : -ENOENT;
}

int __wrap_jumpd_nl_socket_get(struct jumpd_nl *nl, uint32_t ifindex,
			       const struct jumpd_binding *local);
int __wrap_jumpd_nl_socket_get(struct jumpd_nl *nl, uint32_t ifindex,
			       const struct jumpd_binding *local)
{
	return -ENOENT;
}

int __wrap_jumpd_nl_dump_sessions(struct jumpd_nl *nl, uint32_t ifindex,
				  jumpd_msg_fn fn, void *arg);
int __wrap_jumpd_nl_dump_sessions(struct jumpd_nl *nl, uint32_t ifindex,
				  jumpd_msg_fn fn, void *arg)
{
	return 0;	/* a fresh device: nothing to adopt */
}

struct iovec;
int __wrap_sd_journal_sendv(const struct iovec *iov, int n);
int __wrap_sd_journal_sendv(const struct iovec *iov, int n)
{
	return 0;	/* a fuzzer's records are nobody's business */
}
