// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane's common ground: setup from the config, the session
 * table, kernel changes with their audit records, and dispatch of packets,
 * timers and kernel events to the role's code (server.c, client.c).
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
#include "jump_names.h"
#include "log.h"
#include "store.h"
#include "sync.h"

#define TABLE_SIZE	1024	/* buckets; chains stay short up to MaxSessions */
#define RL_SLOTS	4096
#define SUMMARY_NS	1000000000ULL	/* floods are audited once a second */
/*
 * Rejects are recorded one by one up to this rate (a second) and burst;
 * beyond that they are counted by reason and summarized, so that forged
 * packets that pass the rate limits cannot make the audit log the target.
 */
#define REJECT_RECORDS_RATE	50
#define REJECT_RECORDS_BURST	100

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

static size_t bucket_of(const struct ctl *c, uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) % c->table_size;
}

struct csession *ctl_find(struct ctl *c, uint64_t id)
{
	struct csession *s;

	for (s = c->table[bucket_of(c, id)]; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

struct csession *ctl_add(struct ctl *c, uint64_t id, uint8_t role)
{
	struct csession *s = sodium_malloc(sizeof(*s));
	size_t b = bucket_of(c, id);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->role = role;
	s->fd = -1;
	s->next = c->table[b];
	c->table[b] = s;
	c->count++;
	return s;
}

void ctl_remove(struct ctl *c, struct csession *s)
{
	struct csession **pp;

	for (pp = &c->table[bucket_of(c, s->id)]; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			c->count--;
			break;
		}
	}
	if (c->client.birth == s)
		c->client.birth = NULL;
	sodium_free(s);	/* wipes it */
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

bool ctl_kernel(struct ctl *c, uint64_t id, uint8_t *state, uint64_t *version)
{
	const struct view_session *v = view_find(&c->d->view, c->ifindex, id);

	if (!v)
		return false;
	*state = v->state;
	*version = v->version;
	return true;
}

int ctl_transition(struct ctl *c, struct csession *s, uint8_t state, uint16_t reason,
		   const struct jumpd_binding *b)
{
	struct jumpd_msg out;
	uint64_t version;
	uint8_t now;
	int err, tries;

	for (tries = 0; tries < 2; tries++) {
		if (tries || !ctl_kernel(c, s->id, &now, &version)) {
			/*
			 * The view learns of our own changes from their events,
			 * which are also what the audit records: ask the kernel.
			 */
			err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out);
			if (err)
				break;
			version = out.version;
		}
		err = jumpd_nl_session_transition(&c->d->nl, c->ifindex, s->id, version,
						  state, reason, b, &out);
		/*
		 * The view catches up with the event; until then a change
		 * right after this one loses its CAS once and asks again.
		 */
		if (!err)
			return 0;
		/* Lost the CAS (a kernel timer moved first): read again, once. */
		if (err != -ESTALE)
			break;
	}
	jumpd_nl_log_error(&c->d->nl, "session transition", err);
	return err;
}

void ctl_save(struct ctl *c, struct csession *s)
{
	store_save(c->cfg.state_dir, s);
}

void ctl_send(struct ctl *c, int fd, const struct endpoint *local,
	      const struct sockaddr_storage *dst, uint8_t *buf, size_t len,
	      const uint8_t *key)
{
	char where[64];

	if (key)
		hs_mac_seal(buf, len, key);
	if (udp_send(fd, local, dst, buf, len)) {
		udp_format(dst, where, sizeof(where));
		log_debug("sending %s to %s: %s", jump_msg_name(buf[0]), where,
			  strerror(errno));
	}
}

bool ctl_expired(struct ctl *c, const struct csession *s)
{
	uint64_t life = (uint64_t)c->cfg.policy.session_lifetime_ms * 1000000ULL;

	return life && s->born_ns && ctl_realtime() - s->born_ns >= life;
}

void ctl_terminate(struct ctl *c, struct csession *s, uint16_t reason, bool tell_peer)
{
	uint8_t buf[WIRE_MAX_LEN];
	uint8_t state;
	uint64_t version;
	int err = 0, tries;

	if (tell_peer && s->fd >= 0 && s->remote.ss_family) {
		struct wire_session_mac m = { .reason = (uint8_t)reason, .session_id = s->id };
		size_t len = wire_encode_session_mac(buf, JUMP_MSG_TERMINATE, &m);

		ctl_send(c, s->fd, &s->local, &s->remote, buf, len, s->keys.ctl);
	}
	for (tries = 0; tries < 2; tries++) {
		/*
		 * A session created a moment ago may not be in the view yet (its
		 * event is still queued): ask the kernel, or it outlives us.
		 */
		if (!ctl_kernel(c, s->id, &state, &version)) {
			struct jumpd_msg out;

			err = jumpd_nl_session_get(&c->d->nl, c->ifindex, s->id, &out);
			if (err)
				break;
			version = out.version;
		}
		err = jumpd_nl_session_del(&c->d->nl, c->ifindex, s->id, version, reason);
		if (err != -ESTALE)
			break;
		/* The view is behind the kernel: catch up and retry. */
		jumpd_read_events(c->d);
	}
	if (err && err != -ENOENT)
		jumpd_nl_log_error(&c->d->nl, "terminating a session", err);
	owner_release(&c->owner, s->id);
	store_remove(c->cfg.state_dir, s->id);
	ctl_remove(c, s);
}

int ctl_install_keys(struct ctl *c, struct csession *s, const struct hs_keys *keys,
		     uint8_t slot, uint8_t key_id)
{
	int err = jumpd_nl_key_new(&c->d->nl, c->ifindex, s->id, slot, key_id,
				   keys->send, keys->recv);

	if (err) {
		jumpd_nl_log_error(&c->d->nl, "installing a key", err);
		return -1;
	}
	return 0;
}

static void audit_src(const struct sockaddr_storage *src, char *buf, size_t len)
{
	if (src && src->ss_family)
		udp_format(src, buf, len);
	else
		buf[0] = '\0';
}

void ctl_audit_reject(struct ctl *c, uint64_t id, int reject, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_REJECT);
	char where[64];

	if (reject >= 0 && reject <= JUMP_REJECT_MAX &&
	    !rl_take(&c->reject_budget, REJECT_RECORDS_RATE, REJECT_RECORDS_BURST, ctl_now())) {
		c->unrecorded[reject]++;
		return;
	}
	audit_src(src, where, sizeof(where));
	e.session = id;
	e.reject = reject;
	e.peer = peer;
	e.source = where[0] ? where : NULL;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

void ctl_count_unauthenticated(struct ctl *c, int reject)
{
	if (reject >= 0 && reject <= JUMP_REJECT_MAX)
		c->unauthenticated[reject]++;
}

void ctl_audit_accept(struct ctl *c, uint64_t id, const uint8_t *peer,
		      const struct sockaddr_storage *src, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_ACCEPT);
	char where[64];

	audit_src(src, where, sizeof(where));
	e.session = id;
	e.peer = peer;
	e.source = where[0] ? where : NULL;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

void ctl_audit(struct ctl *c, enum audit_event ev, uint64_t id, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(ev);

	e.session = id;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

/* Every transition of this device's sessions, whoever made it, is one record. */
static void audit_transition(struct ctl *c, const struct jumpd_msg *m)
{
	struct audit_entry e = AUDIT_ENTRY(AUDIT_TRANSITION);
	struct csession *s = ctl_find(c, m->id);

	e.session = m->id;
	e.from = JUMPD_HAS(m, JUMP_A_PREV_STATE) ? m->prev_state : -1;
	e.to = m->state;
	e.reason = JUMPD_HAS(m, JUMP_A_REASON) ? m->reason : -1;
	e.version = m->version;
	e.peer = s ? s->peer_pub : NULL;
	audit_write(&c->audit, &e);
}

void ctl_on_session(struct jumpd *d, const struct jumpd_msg *m)
{
	struct ctl *c = d->ctl;
	struct csession *s;

	if (!c || m->ifindex != c->ifindex)
		return;
	audit_transition(c, m);
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
	if (c->cfg.role == JUMP_ROLE_CLIENT)
		client_on_session(c, s, m);
}

/*
 * Authentic data from outside the binding is never followed: only a
 * verified reattach moves a binding. Replays of captured packets are
 * reported too, so the records have a budget, per session and in all (a
 * record costs several fsyncs); the rest are counted and summarized.
 */
static void audit_unbound(struct ctl *c, struct csession *s, uint64_t id)
{
	uint64_t now = ctl_now();

	uint64_t period = JUMP_UNBOUND_RECORDS_INTERVAL_MS * 1000000ULL;

	/* The session's token is taken only if the global one was there too. */
	if ((s && !rl_period_ready(&s->unbound_records, JUMP_UNBOUND_RECORDS_PER_SESSION,
				   period, now)) ||
	    !rl_take(&c->unbound_budget, JUMP_UNBOUND_RECORDS_RATE,
		     JUMP_UNBOUND_RECORDS_RATE, now)) {
		c->unbound_unrecorded++;
		return;
	}
	if (s)
		rl_period_take(&s->unbound_records, JUMP_UNBOUND_RECORDS_PER_SESSION, period, now);
	ctl_audit(c, AUDIT_REJECT, id,
		  "authentic data from outside the binding: dropped, binding kept");
}

void ctl_on_report(struct jumpd *d, const struct jumpd_msg *m)
{
	struct ctl *c = d->ctl;
	struct csession *s;

	if (!c || m->ifindex != c->ifindex)
		return;
	s = ctl_find(c, m->id);
	if (m->cmd == JUMP_CMD_UNBOUND_SOURCE) {
		audit_unbound(c, s, m->id);
		return;
	}
	if (s && c->cfg.role == JUMP_ROLE_CLIENT)
		client_on_report(c, s, m);
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
	for (i = 0; i < c->table_size; i++) {
		for (s = c->table[i]; s; s = next) {
			next = s->next;
			if (s == c->client.birth)
				continue;
			if (!ctl_kernel(c, s->id, &state, &version)) {
				log_info("session %016" PRIx64 ": gone from the kernel", s->id);
				store_remove(c->cfg.state_dir, s->id);
				ctl_remove(c, s);
			}
		}
	}
}

int ctl_timeout_ms(struct ctl *c)
{
	uint64_t now = ctl_now(), next = UINT64_MAX;
	struct csession *s;
	size_t i;
	int k;

	for (i = 0; i < c->table_size; i++) {
		for (s = c->table[i]; s; s = s->next) {
			if (s->deadline_ns && s->deadline_ns < next)
				next = s->deadline_ns;
			for (k = 0; k < CTL_MAX_PENDING; k++)
				if (s->pending[k].used && s->pending[k].deadline_ns < next)
					next = s->pending[k].deadline_ns;
		}
	}
	if (c->cfg.role == JUMP_ROLE_CLIENT) {
		if (c->client.hs_active && c->client.hs_next_ns < next)
			next = c->client.hs_next_ns;
		if (c->client.reattaching && c->client.retry_ns < next)
			next = c->client.retry_ns;
		if (c->client.rekey_next_ns && c->client.rekey_next_ns < next)
			next = c->client.rekey_next_ns;
	}
	/* Recovery windows and summaries are checked at least every 250 ms. */
	if (next > now + 250000000ULL)
		next = now + 250000000ULL;
	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

/* One summary record: written whatever the reject budget says. */
static void summary(struct ctl *c, enum audit_event ev, int reject, const char *detail)
{
	struct audit_entry e = AUDIT_ENTRY(ev);

	e.reject = reject;
	e.detail = detail;
	audit_write(&c->audit, &e);
}

/* One summary record a second at most for each reason counted in @count. */
static void summarize_by_reason(struct ctl *c, uint64_t *count, uint64_t *logged_ns,
				uint64_t now, const char *what)
{
	char detail[160];
	int r;

	if (now - *logged_ns < SUMMARY_NS)
		return;
	*logged_ns = now;
	for (r = 0; r <= JUMP_REJECT_MAX; r++) {
		if (!count[r])
			continue;
		snprintf(detail, sizeof(detail), "%" PRIu64 " %s", count[r], what);
		summary(c, AUDIT_REJECT, r, detail);
		count[r] = 0;
	}
}

/*
 * Once a second at most: what floods cost us, as counts. Malformed packets,
 * packets over the rate limits and rejects past the budget are never
 * recorded one by one.
 */
static void summarize_floods(struct ctl *c, uint64_t now)
{
	char detail[128];

	if (c->garbage && now - c->garbage_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " malformed or unauthenticated control packets dropped",
			 c->garbage);
		summary(c, AUDIT_REJECT, JUMP_REJECT_MALFORMED, detail);
		c->garbage = 0;
		c->garbage_logged_ns = now;
	}
	if (c->limited && now - c->limited_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " control packets over the rate limits dropped",
			 c->limited);
		summary(c, AUDIT_RATE_LIMIT, JUMP_REJECT_RATE_LIMITED, detail);
		c->limited = 0;
		c->limited_logged_ns = now;
	}
	if (c->unbound_unrecorded && now - c->unbound_logged_ns >= SUMMARY_NS) {
		snprintf(detail, sizeof(detail), "%" PRIu64 " authentic packets from outside "
			 "a binding (unbound_source reports) not recorded one by one",
			 c->unbound_unrecorded);
		summary(c, AUDIT_REJECT, -1, detail);
		c->unbound_unrecorded = 0;
		c->unbound_logged_ns = now;
	}
	summarize_by_reason(c, c->unauthenticated, &c->unauthenticated_logged_ns, now,
			    "control packets that did not authenticate refused: not recorded one by one");
	snprintf(detail, sizeof(detail),
		 "more rejects for this reason, over %d a second: not recorded one by one",
		 REJECT_RECORDS_RATE);
	summarize_by_reason(c, c->unrecorded, &c->unrecorded_logged_ns, now, detail);
}

void ctl_run_timers(struct ctl *c)
{
	uint64_t now = ctl_now();
	struct csession *s, *next;
	size_t i;

	summarize_floods(c, now);
	if (c->under_load && !rl_under_load(&c->rl, now)) {
		c->under_load = false;
		ctl_audit(c, AUDIT_COOKIE, 0, "load is back under the cookie threshold: cookies off");
	}
	if (c->cfg.role == JUMP_ROLE_CLIENT) {
		client_timers(c, now);
		return;
	}
	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = next) {
			next = s->next;
			server_timers(c, s, now);
		}
}

void ctl_read_socket(struct ctl *c, int fd)
{
	static struct udp_packet p;
	int i, n;

	/* A bounded batch: a flood on one socket must not starve the others. */
	for (i = 0; i < 256; i++) {
		n = udp_recv(fd, &p);
		if (n <= 0)
			return;
		if (c->cfg.role == JUMP_ROLE_SERVER)
			server_packet(c, &p);
		else
			client_packet(c, &p);
	}
}

static int open_listeners(struct ctl *c)
{
	static const int families[] = { AF_INET, AF_INET6 };
	unsigned int i;
	int fd;

	for (i = 0; i < 2; i++) {
		fd = udp_listen(families[i], c->cfg.listen_port);
		if (fd < 0 && errno == EADDRINUSE) {
			/* The kernel still holds it from before a restart: adopted later. */
			log_info("port %u (%s) is held: taking it back from the kernel",
				 c->cfg.listen_port, families[i] == AF_INET ? "IPv4" : "IPv6");
			continue;
		}
		if (fd < 0) {
			if (families[i] == AF_INET6 && errno == EAFNOSUPPORT)
				continue;
			log_err("listening on port %u: %s", c->cfg.listen_port, strerror(errno));
			return -1;
		}
		if (ctl_add_socket(c, fd))
			return -1;
	}
	return 0;
}

/*
 * A session the kernel holds and the state directory knows: jumpd carries
 * on with it. One the state directory does not know is left to the kernel
 * (its data keeps flowing) but cannot be reattached: said once, in the log.
 */
static int adopt(const struct jumpd_msg *m, void *arg)
{
	struct ctl *c = arg;
	struct csession *s;

	if (m->ifindex != c->ifindex || ctl_find(c, m->id))
		return 0;
	s = ctl_add(c, m->id, m->role);
	if (!s)
		return -ENOMEM;
	if (store_load(c->cfg.state_dir, m->id, s)) {
		log_warn("session %016" PRIx64 ": no state in %s: jumpd leaves it to the kernel",
			 m->id, c->cfg.state_dir);
		ctl_remove(c, s);
		return 0;
	}
	s->local_index = m->local_index;
	s->remote_index = m->remote_index;
	s->born_ns = m->created_ns;
	if (m->binding.family) {
		s->local.family = m->binding.family;
		if (m->binding.family == AF_INET)
			s->local.addr.v4 = m->binding.local.v4;
		else
			s->local.addr.v6 = m->binding.local.v6;
		s->local.port = m->binding.local_port;
		{
			struct endpoint r = { .family = m->binding.family,
					      .port = m->binding.remote_port };

			if (r.family == AF_INET)
				r.addr.v4 = m->binding.remote.v4;
			else
				r.addr.v6 = m->binding.remote.v6;
			udp_to_sockaddr(&r, &s->remote);
		}
		s->epoch = m->binding.epoch ? m->binding.epoch : s->epoch;
		s->fd = -2;	/* taken back from the kernel after the dump */
	}
	if (m->state == JUMP_STATE_DEGRADED || m->state == JUMP_STATE_RECOVERING)
		s->trouble_ns = ctl_now();
	log_info("session %016" PRIx64 ": adopted from the kernel (%s, version %" PRIu64 ")",
		 m->id, jump_state_name(m->state), m->version);
	return 0;
}

/* A descriptor of the socket holding @s's local end, reused if we have it. */
static int take_socket(struct ctl *c, struct csession *s)
{
	struct jumpd_binding local = { .family = s->local.family,
				       .local_port = s->local.port };
	int i, fd;

	for (i = 0; i < c->nsocks; i++)
		if (udp_local_port(c->socks[i]) == s->local.port)
			return c->socks[i];
	if (local.family == AF_INET)
		local.local.v4 = s->local.addr.v4;
	else
		local.local.v6 = s->local.addr.v6;
	fd = jumpd_nl_socket_get(&c->d->nl, c->ifindex, &local);
	if (fd < 0) {
		jumpd_nl_log_error(&c->d->nl, "taking back a session's socket", fd);
		return -1;
	}
	udp_want_pktinfo(fd, local.family);
	ctl_add_socket(c, fd);
	return fd;
}

/*
 * After the dump (no request may run inside one): the sockets a killed
 * jumpd left with the kernel, one descriptor each.
 */
static void take_sockets(struct ctl *c)
{
	struct csession *s;
	size_t i;

	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = s->next) {
			if (s->fd != -2)
				continue;
			s->fd = take_socket(c, s);
			if (s->fd >= 0 && c->cfg.role == JUMP_ROLE_CLIENT && c->client.fd < 0) {
				c->client.fd = s->fd;
				c->client.local = s->local;
			}
		}
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

static int setup_limits(struct ctl *c)
{
	const struct config_policy *p = &c->cfg.policy;

	return rl_init(&c->rl, p->source_rate, p->source_burst, p->global_rate,
		       p->global_burst, p->cookie_threshold, RL_SLOTS, ctl_now());
}

int ctl_start(struct ctl *c, struct jumpd *d, const char *config_path, const char *ifname)
{
	char err[CONFIG_ERR_LEN];
	char detail[4200], head[4200];
	int ret;

	memset(c, 0, sizeof(*c));
	c->d = d;
	c->client.fd = c->client.new_fd = -1;
	c->client.uplink = c->client.new_uplink = -1;
	c->uplinks.fd = -1;
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
	randombytes_buf(c->challenge_secret, sizeof(c->challenge_secret));
	c->table_size = TABLE_SIZE;
	c->table = calloc(c->table_size, sizeof(*c->table));
	snprintf(head, sizeof(head), "%s/%s", c->cfg.state_dir, JUMP_AUDIT_HEAD_NAME);
	if (!c->table || resolve_ifindex(c) || store_init(c->cfg.state_dir) ||
	    audit_open(&c->audit, c->cfg.audit_log, ifname) ||
	    audit_set_head(&c->audit, head) ||
	    owner_local_init(&c->owner, c->cfg.state_dir) || setup_limits(c))
		return -1;
	snprintf(detail, sizeof(detail), "jumpd started: %s, role %s, config %s",
		 ifname, jump_role_name(c->cfg.role), config_path);
	ctl_audit(c, AUDIT_START, 0, detail);
	d->ctl = c;
	d->on_session = ctl_on_session;
	d->on_report = ctl_on_report;
	d->on_resync = ctl_on_resync;
	/* Carry on with what the kernel holds before taking anything new. */
	ret = jumpd_nl_dump_sessions(&d->nl, c->ifindex, adopt, c);
	if (ret) {
		jumpd_nl_log_error(&d->nl, "dumping sessions", ret);
		return -1;
	}
	take_sockets(c);
	if (c->cfg.role == JUMP_ROLE_SERVER)
		return open_listeners(c);
	return client_start(c);
}

void ctl_stop(struct ctl *c)
{
	struct csession *s, *next;
	size_t i;

	if (!c->table)
		return;
	ctl_audit(c, AUDIT_STOP, 0, "jumpd stopping: sessions stay in the kernel");
	client_stop(c);
	for (i = 0; i < c->table_size; i++)
		for (s = c->table[i]; s; s = next) {
			next = s->next;
			sodium_free(s);
		}
	free(c->table);
	c->table = NULL;
	for (i = 0; i < (size_t)c->nsocks; i++)
		close(c->socks[i]);
	rl_free(&c->rl);
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
	const struct config_policy *p;

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
	if (c->cfg.role == JUMP_ROLE_CLIENT && c->client.server) {
		/* The client's server entry moves with the config. */
		const struct config_peer *srv = config_find_peer(&fresh, c->client.server->pubkey);

		if (!srv) {
			log_err("reload refused: a client's server key cannot change without a restart");
			config_free(&fresh);
			return -1;
		}
		c->client.server = NULL;
		config_free(&c->cfg);
		c->cfg = fresh;
		c->client.server = config_find_peer(&c->cfg, fresh.peers[0].pubkey);
	} else {
		config_free(&c->cfg);
		c->cfg = fresh;
	}
	p = &c->cfg.policy;
	rl_set_rates(&c->rl, p->source_rate, p->source_burst, p->global_rate,
		     p->global_burst, p->cookie_threshold);
	ctl_audit(c, AUDIT_RELOAD, 0, "config reloaded: new policy and peers apply");
	end_removed_peers(c);
	apply_policy(c);
	return 0;
}
