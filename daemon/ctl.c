// SPDX-License-Identifier: GPL-2.0
/*
 * The core's entry points: setup from the config (the role picked from
 * the table main.c hands in), reload, the sockets, and the loop's calls
 * (packets, timers, kernel events), passed to the role through c->ops and
 * to nothing else. The session table is in ctl_session.c, the audit
 * helpers in ctl_audit.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "ctl.h"
#include "ctl_audit.h"
#include "jump_names.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define TABLE_SIZE	1024	/* buckets; chains stay short up to MaxSessions */
uint64_t ctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t ctl_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void ctl_trace(uint64_t id, const char *step)
{
	uint64_t t;

	if (!log_verbose)
		return;
	t = ctl_realtime();
	log_debug("trace %016" PRIx64 " %s %" PRIu64 ".%09" PRIu64, id, step,
		  t / 1000000000, t % 1000000000);
}

int ctl_add_socket(struct ctl *c, int fd)
{
	int i;

	for (i = 0; i < c->nsocks; i++)
		if (c->socks[i] == fd)
			return 0;
	if (c->nsocks == CTL_MAX_SOCKETS) {
		log_err("too many control sockets");
		return -1;
	}
	c->socks[c->nsocks++] = fd;
	/* Room for a burst while jumpd sheds a flood (ctl_read.c). */
	udp_set_rcvbuf(fd, CTL_RCVBUF);
	return 0;
}

void ctl_drop_socket(struct ctl *c, int fd)
{
	int i;

	for (i = 0; i < c->nsocks; i++) {
		if (c->socks[i] == fd) {
			c->socks[i] = c->socks[--c->nsocks];
			return;
		}
	}
}

void ctl_send(struct ctl *c, int fd, const struct endpoint *local,
	      const struct sockaddr_storage *dst, uint8_t *buf, size_t len,
	      const uint8_t *key)
{
	uint8_t out[WIRE_MAX_LEN];
	char where[64];

	if (key)
		hs_mac_seal(buf, len, key);
	/* Sealed after the MAC, in a copy: callers may send @buf again. */
	if (len <= sizeof(out)) {
		memcpy(out, buf, len);
		len = ctl_unlink_seal(c, fd, dst, out, len);
		buf = out;
	}
	if (udp_send(fd, local, dst, buf, len)) {
		udp_format(dst, where, sizeof(where));
		log_debug("sending %s to %s: %s", jump_msg_name(buf[0]), where,
			  strerror(errno));
	}
}

void ctl_on_session(struct jumpd *d, const struct jumpd_msg *m)
{
	struct ctl *c = d->ctl;
	struct csession *s;

	if (!c || m->ifindex != c->ifindex)
		return;
	if (log_verbose && m->state <= JUMP_STATE_MAX) {
		char step[40];

		snprintf(step, sizeof(step), "kernel_event_%s", jump_state_name(m->state));
		ctl_trace(m->id, step);
	}
	ctl_audit_transition(c, m);
	s = ctl_find(c, m->id);
	if (!s)
		return;
	if (m->state == JUMP_STATE_TERMINATED) {
		/* Ended by the kernel or another tool: nothing left to guard. */
		owner_release(&c->owner, s->id);
		store_remove(c->cfg.state_dir, s->id);
		ctl_remove(c, s);
		return;
	}
	if (m->state == JUMP_STATE_DEGRADED || m->state == JUMP_STATE_RECOVERING) {
		if (!s->trouble_ns)
			s->trouble_ns = ctl_now();
	} else {
		s->trouble_ns = 0;
	}
	/* The server's timers watch its sessions; the client reacts at once. */
	if (c->ops->on_session)
		c->ops->on_session(c, s, m);
}

void ctl_on_report(struct jumpd *d, const struct jumpd_msg *m)
{
	struct ctl *c = d->ctl;
	struct csession *s;

	if (!c || m->ifindex != c->ifindex)
		return;
	s = ctl_find(c, m->id);
	if (m->cmd == JUMP_CMD_UNBOUND_SOURCE) {
		ctl_trace(m->id, "unbound_source_event");
		ctl_audit_unbound(c, s, m->id);
	}
	if (s && c->ops->on_report)
		c->ops->on_report(c, s, m);
}

/* After a resync the view may hold sessions jumpd missed, or miss some. */
void ctl_on_resync(struct jumpd *d)
{
	struct ctl *c = d->ctl;
	struct csession *s, *next;
	uint8_t state;
	uint64_t version;
	size_t i;

	if (!c)
		return;
	ctl_for_each_session_safe(c, i, s, next) {
		if (c->ops->just_created && c->ops->just_created(c, s))
			continue;
		if (!ctl_kernel(c, s->id, &state, &version)) {
			log_info("session %016" PRIx64 ": gone from the kernel", s->id);
			store_remove(c->cfg.state_dir, s->id);
			ctl_remove(c, s);
		}
	}
}

int ctl_timeout_ms(struct ctl *c)
{
	uint64_t now = ctl_now(), next = UINT64_MAX;
	struct csession *s;
	size_t i;

	ctl_for_each_session(c, i, s)
		if (s->deadline_ns && s->deadline_ns < next)
			next = s->deadline_ns;
	if (c->ops->next_deadline)
		next = c->ops->next_deadline(c, next);
	/* Recovery windows and summaries are checked at least every 250 ms. */
	if (next > now + 250000000ULL)
		next = now + 250000000ULL;
	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

/* A node whose lease is lost ends every session it held: it may own none. */
static void owner_timers(struct ctl *c, uint64_t now)
{
	struct csession *s, *next;
	size_t i;

	if (owner_standing(&c->owner, now) != OWNER_FENCED)
		return;
	ctl_for_each_session_safe(c, i, s, next)
		ctl_terminate(c, s, JUMP_REASON_OWNERSHIP_LOST, true);
}

void ctl_run_timers(struct ctl *c)
{
	uint64_t now = ctl_now();

	ctl_audit_floods(c, now);
	owner_timers(c, now);
	if (c->ops->timers)
		c->ops->timers(c, now);
	/* The records of this turn of the loop (events, a reload, timers). */
	ctl_audit_sync(c);
}

int ctl_watch_fd(struct ctl *c)
{
	return c->ops->watch_fd ? c->ops->watch_fd(c) : -1;
}

void ctl_watch_ready(struct ctl *c)
{
	if (c->ops->watch_ready)
		c->ops->watch_ready(c);
}

static int resolve_ifindex(struct ctl *c)
{
	c->ifindex = if_nametoindex(c->ifname);
	if (!c->ifindex) {
		log_err("interface %s: %s (create it first: ip link add %s type jump)",
			c->ifname, strerror(errno), c->ifname);
		return -1;
	}
	return 0;
}

/* The role of the config, its area, and its own setup. 0 or -1 (logged). */
static int setup_role(struct ctl *c, const struct ctl_role_ops *const roles[])
{
	c->ops = roles[c->cfg.role];
	if (!c->ops) {
		log_err("role %s: not built into this jumpd", jump_role_name(c->cfg.role));
		return -1;
	}
	if (c->ops->priv) {
		c->role_priv = calloc(1, c->ops->priv);
		if (!c->role_priv)
			return -1;
	}
	return c->ops->init ? c->ops->init(c) : 0;
}

int ctl_start(struct ctl *c, struct jumpd *d, const char *config_path, const char *ifname,
	      const struct ctl_role_ops *const roles[JUMP_ROLE_MAX + 1])
{
	char err[CONFIG_ERR_LEN];
	char detail[4200], head[4200];

	memset(c, 0, sizeof(*c));
	c->d = d;
	c->config_path = config_path;
	snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	if (sodium_init() < 0) {
		log_err("libsodium failed to initialize");
		return -1;
	}
	if (config_load(config_path, ifname, &c->cfg, err)) {
		log_err("%s", err);
		return -1;
	}
	if (setup_role(c, roles))
		return -1;
	c->table_size = TABLE_SIZE;
	c->table = calloc(c->table_size, sizeof(*c->table));
	snprintf(head, sizeof(head), "%s/%s", c->cfg.state_dir, JUMP_AUDIT_HEAD_NAME);
	c->owner.record = ctl_audit_owner;
	c->owner.ctx = c;
	if (!c->table || resolve_ifindex(c) || store_init(c->cfg.state_dir) ||
	    audit_open(&c->audit, c->cfg.audit_log, ifname) ||
	    audit_set_head(&c->audit, head) ||
	    (c->cfg.cluster.endpoints[0] ?
	     owner_etcd_init(&c->owner, &c->cfg, ifname) :
	     owner_local_init(&c->owner, c->cfg.state_dir)))
		return -1;
	snprintf(detail, sizeof(detail), "jumpd started: %s, role %s, config %s",
		 ifname, jump_role_name(c->cfg.role), config_path);
	ctl_audit(c, AUDIT_START, 0, detail);
	d->ctl = c;
	d->on_session = ctl_on_session;
	d->on_report = ctl_on_report;
	d->on_resync = ctl_on_resync;
	/* Carry on with what the kernel holds before taking anything new. */
	if (ctl_adopt(c))
		return -1;
	return c->ops->start ? c->ops->start(c) : 0;
}

void ctl_stop(struct ctl *c)
{
	struct csession *s, *next;
	size_t i;

	if (!c->table)
		return;
	ctl_audit(c, AUDIT_STOP, 0, "jumpd stopping: sessions stay in the kernel");
	if (c->ops->stop)
		c->ops->stop(c);
	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = next) {
			next = s->next;
			sodium_free(s);
		}
	free(c->table);
	c->table = NULL;
	ctl_tags_free(c);
	for (i = 0; i < (size_t)c->nsocks; i++)
		close(c->socks[i]);
	if (c->role_priv) {
		sodium_memzero(c->role_priv, c->ops->priv);	/* the role's secrets */
		free(c->role_priv);
		c->role_priv = NULL;
	}
	owner_free(&c->owner);
	audit_close(&c->audit);
	config_free(&c->cfg);
}

/* Peers the new config no longer lists lose their sessions. */
static void end_removed_peers(struct ctl *c)
{
	struct csession *s, *next;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = next) {
			next = s->next;
			if (!config_find_peer(&c->cfg, s->peer_pub)) {
				ctl_audit(c, AUDIT_RELOAD, s->id,
					  "peer removed from the config: session ends");
				ctl_terminate(c, s, JUMP_REASON_ADMIN_TERMINATE, true);
			}
		}
}

/* The reloaded liveness times and prefixes, into every live session. */
static void apply_policy(struct ctl *c)
{
	const struct config_policy *p = &c->cfg.policy;
	const struct config_peer *peer;
	struct csession *s;
	size_t i;
	int err;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next) {
			struct jumpd_settings set = {
				.keepalive_ms = p->keepalive_ms,
				.volatile_ms = p->volatile_ms,
				.degraded_ms = p->degraded_ms,
			};

			peer = config_find_peer(&c->cfg, s->peer_pub);
			if (!peer)
				continue;
			set.prefixes = peer->prefixes;
			set.nprefixes = peer->nprefixes;
			set.set_prefixes = true;
			err = jumpd_nl_session_settings(&c->d->nl, c->ifindex, s->id, &set);
			if (err)
				jumpd_nl_log_error(&c->d->nl, "applying the reloaded policy", err);
		}
}

int ctl_reload(struct ctl *c)
{
	char err[CONFIG_ERR_LEN];
	struct config fresh;

	if (config_load(c->config_path, c->ifname, &fresh, err)) {
		struct audit_entry e = AUDIT_ENTRY(AUDIT_RELOAD);

		log_err("reload refused, the running config stays: %s", err);
		e.reject = JUMP_REJECT_MALFORMED;
		e.detail = err;
		audit_write(&c->audit, &e);
		return -1;
	}
	if (fresh.role != c->cfg.role || memcmp(fresh.private_key, c->cfg.private_key,
						 sizeof(fresh.private_key)) ||
	    fresh.listen_port != c->cfg.listen_port) {
		log_err("reload refused: Role, the private key and ListenPort need a restart");
		ctl_audit(c, AUDIT_RELOAD, 0, "reload refused: Role, PrivateKey and ListenPort need a restart");
		config_free(&fresh);
		return -1;
	}
	if (c->ops->reload_check && c->ops->reload_check(c, &fresh)) {
		config_free(&fresh);
		return -1;
	}
	config_free(&c->cfg);
	c->cfg = fresh;
	if (c->ops->reloaded)
		c->ops->reloaded(c);
	ctl_audit(c, AUDIT_RELOAD, 0, "config reloaded: new policy and peers apply");
	end_removed_peers(c);
	apply_policy(c);
	return 0;
}
