// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jump_audit.h"
#include "jump_names.h"
#include "jumpctl.h"
#include "output.h"

void format_time_ns(uint64_t ns, char buf[TIME_LEN])
{
	time_t sec = ns / 1000000000;
	unsigned int ms = ns % 1000000000 / 1000000, off;
	char date[24];
	struct tm tm;

	if (!localtime_r(&sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, TIME_LEN, "?");
		return;
	}
	/* %z gives +hhmm; ISO 8601's extended form wants +hh:mm. */
	off = labs(tm.tm_gmtoff) / 60 % (100 * 60);
	snprintf(buf, TIME_LEN, "%s.%03u%c%02u:%02u", date, ms,
		 tm.tm_gmtoff < 0 ? '-' : '+', off / 60, off % 60);
}

const char *format_ifname(const char *name, char buf[IFNAME_TEXT_LEN])
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = 0;

	for (; *p && n + 5 <= IFNAME_TEXT_LEN; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			n += snprintf(buf + n, IFNAME_TEXT_LEN - n, "\\x%02x", *p);
		else
			buf[n++] = (char)*p;
	}
	buf[n] = '\0';
	return buf;
}

static void json_binding(struct json *j, const struct session_msg *s)
{
	char ep[ENDPOINT_LEN];

	json_key(j, "binding");
	json_open(j, '{');
	format_endpoint(&s->local, ep, sizeof(ep));
	json_kv_str(j, "local", ep);
	format_endpoint(&s->remote, ep, sizeof(ep));
	json_kv_str(j, "remote", ep);
	json_kv_u64(j, "epoch", s->epoch);
	if (s->bind_local_index) {	/* an unlinkable binding's own indices */
		json_kv_u64(j, "local_index", s->bind_local_index);
		json_kv_u64(j, "remote_index", s->bind_remote_index);
	}
	json_close(j, '}');
}

/* "standby": {"local": A, "remote": B}: a validated path that carries no data. */
static void json_standby(struct json *j, const struct session_msg *s)
{
	char ep[ENDPOINT_LEN];

	json_key(j, "standby");
	json_open(j, '{');
	format_endpoint(&s->standby_local, ep, sizeof(ep));
	json_kv_str(j, "local", ep);
	format_endpoint(&s->standby_remote, ep, sizeof(ep));
	json_kv_str(j, "remote", ep);
	json_close(j, '}');
}

/* Every stat named (sessions), or only those the kernel sent (devices). */
static bool stat_shown(const struct counters *c, unsigned int i, bool all)
{
	return jump_stat_name(i) && (all || (c->present & 1U << i));
}

/* "stats": {"rx_packets": N, ..., "drops": {"bad_header": N, ...}} */
static void json_counters(struct json *j, const struct counters *c, bool all)
{
	unsigned int i;

	json_key(j, "stats");
	json_open(j, '{');
	for (i = 0; i <= JUMP_STATS_A_MAX; i++)
		if (stat_shown(c, i, all))
			json_kv_u64(j, jump_stat_name(i), c->stats[i]);
	if (c->has_drops) {
		json_key(j, "drops");
		json_open(j, '{');
		for (i = 0; i < __JUMP_DROP_MAX; i++)
			json_kv_u64(j, jump_drop_name(i), c->drops[i]);
		json_close(j, '}');
	}
	json_close(j, '}');
}

/*
 *     stats rx_packets N rx_bytes N tx_packets N tx_bytes N ...
 *     drops bad_header N no_session N ... nomem N
 */
static void text_counters(FILE *f, const struct counters *c, bool all)
{
	unsigned int i;

	fputs("    stats", f);
	for (i = 0; i <= JUMP_STATS_A_MAX; i++)
		if (stat_shown(c, i, all))
			fprintf(f, " %s %" PRIu64, jump_stat_name(i), c->stats[i]);
	fputc('\n', f);
	if (!c->has_drops)
		return;
	fputs("    drops", f);
	for (i = 0; i < __JUMP_DROP_MAX; i++)
		fprintf(f, " %s %" PRIu64, jump_drop_name(i), c->drops[i]);
	fputc('\n', f);
}

static void json_prefixes(struct json *j, const struct session_msg *s)
{
	char p[PREFIX_LEN];
	unsigned int i;

	json_key(j, "allowed_ips");
	json_open(j, '[');
	for (i = 0; i < s->nprefixes; i++) {
		format_prefix(&s->prefixes[i], p, sizeof(p));
		json_string(j, p);
	}
	json_close(j, ']');
}

static void json_keys(struct json *j, const struct session_msg *s)
{
	unsigned int i;

	json_key(j, "keys");
	json_open(j, '[');
	for (i = 0; i < s->nkeys; i++) {
		json_open(j, '{');
		json_kv_str(j, "slot", jump_key_slot_name(s->keys[i].slot));
		json_kv_u64(j, "id", s->keys[i].id);
		if (s->keys[i].has_tx_counter)
			json_kv_u64(j, "tx_counter", s->keys[i].tx_counter);
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* What the data path adds to a session; each field only if it was sent. */
static void json_data_path(struct json *j, const struct session_msg *s)
{
	if (s->has & HAS_LOCAL_INDEX)
		json_kv_u64(j, "local_index", s->local_index);
	if (s->has & HAS_REMOTE_INDEX)
		json_kv_u64(j, "remote_index", s->remote_index);
	if (s->has & HAS_PREFIXES)
		json_prefixes(j, s);
	if (s->has & HAS_KEEPALIVE)
		json_kv_u64(j, "keepalive_ms", s->keepalive_ms);
	if (s->has & HAS_VOLATILE)
		json_kv_u64(j, "volatile_ms", s->volatile_ms);
	if (s->has & HAS_DEGRADED)
		json_kv_u64(j, "degraded_ms", s->degraded_ms);
	if (s->has & HAS_KEYS)
		json_keys(j, s);
}

/*
 * The fields of a session, inside an object the caller opened. JSON is for
 * programs: it always has everything but the stats, which follow -s as
 * in text (and as ip -j -s).
 */
static void json_session(struct json *j, const struct session_msg *s,
			 const char *ifname)
{
	char id[SESSION_ID_LEN], key[PUBKEY_B64_LEN];

	format_session_id(s->id, id);
	format_pubkey(s->pubkey, key);
	json_kv_str(j, "ifname", ifname);
	json_kv_u64(j, "ifindex", s->ifindex);
	json_kv_str(j, "id", id);
	json_kv_str(j, "role", jump_role_name(s->role));
	json_kv_str(j, "peer", key);
	if (s->has_prev)
		json_kv_str(j, "from", jump_state_name(s->prev_state));
	json_kv_str(j, "state", jump_state_name(s->state));
	json_kv_u64(j, "version", s->version);
	json_kv_str(j, "reason", jump_reason_name(s->reason));
	json_kv_u64(j, "created_ns", s->created_ns);
	json_kv_u64(j, "changed_ns", s->changed_ns);
	json_data_path(j, s);
	if (s->bound)
		json_binding(j, s);
	if (s->has_standby)
		json_standby(j, s);
	if (opt.stats)
		json_counters(j, &s->counters, true);
}

/* " NAME N" if the message had it. */
static void text_u32(FILE *f, const struct session_msg *s, unsigned int bit,
		     const char *name, uint32_t v)
{
	if (s->has & bit)
		fprintf(f, " %s %u", name, v);
}

/*
 *     local-index N remote-index N keepalive MS volatile MS degraded MS
 *     allowed-ips PREFIX,PREFIX,...          ("none" when empty)
 *     keys SLOT ID SLOT ID                   ("none" when empty)
 * The words are those of "session set"; each line only if it has a field.
 */
static void text_data_path(FILE *f, const struct session_msg *s)
{
	char p[PREFIX_LEN];
	unsigned int i;

	if (s->has & (HAS_LOCAL_INDEX | HAS_REMOTE_INDEX | HAS_KEEPALIVE |
		      HAS_VOLATILE | HAS_DEGRADED)) {
		fputs("   ", f);
		text_u32(f, s, HAS_LOCAL_INDEX, "local-index", s->local_index);
		text_u32(f, s, HAS_REMOTE_INDEX, "remote-index", s->remote_index);
		text_u32(f, s, HAS_KEEPALIVE, "keepalive", s->keepalive_ms);
		text_u32(f, s, HAS_VOLATILE, "volatile", s->volatile_ms);
		text_u32(f, s, HAS_DEGRADED, "degraded", s->degraded_ms);
		fputc('\n', f);
	}
	if (s->has & HAS_PREFIXES) {
		fputs("    allowed-ips ", f);
		for (i = 0; i < s->nprefixes; i++) {
			format_prefix(&s->prefixes[i], p, sizeof(p));
			fprintf(f, "%s%s", i ? "," : "", p);
		}
		fputs(s->nprefixes ? "\n" : "none\n", f);
	}
	if (s->has & HAS_KEYS) {
		fputs("    keys", f);
		for (i = 0; i < s->nkeys; i++)
			fprintf(f, " %s %u", jump_key_slot_name(s->keys[i].slot),
				s->keys[i].id);
		fputs(s->nkeys ? "\n" : " none\n", f);
	}
}

/*
 * session ID dev NAME role ROLE state STATE version N peer KEY
 *     binding local ADDR:PORT remote ADDR:PORT epoch N      (if bound)
 *             [local-index N remote-index N]   (an unlinkable binding's own)
 *     standby local ADDR:PORT remote ADDR:PORT              (if it has one)
 *     reason REASON created TIME changed TIME                (-d)
 *     local-index N remote-index N keepalive MS ...          (-d)
 *     allowed-ips PREFIX,...                                 (-d)
 *     keys SLOT ID ...                                       (-d)
 *     stats rx_packets N rx_bytes N tx_packets N ...         (-s)
 *     drops bad_header N no_session N ...                    (-s)
 */
static void text_session(FILE *f, const struct session_msg *s,
			 const char *ifname)
{
	char id[SESSION_ID_LEN], key[PUBKEY_B64_LEN], name[IFNAME_TEXT_LEN];
	char a[ENDPOINT_LEN > TIME_LEN ? ENDPOINT_LEN : TIME_LEN];
	char b[sizeof(a)];

	format_session_id(s->id, id);
	format_pubkey(s->pubkey, key);
	fprintf(f, "session %s dev %s role %s state %s version %" PRIu64
		" peer %s\n", id, format_ifname(ifname, name), jump_role_name(s->role),
		jump_state_name(s->state), s->version, key);
	if (s->bound) {
		format_endpoint(&s->local, a, sizeof(a));
		format_endpoint(&s->remote, b, sizeof(b));
		fprintf(f, "    binding local %s remote %s epoch %u", a, b, s->epoch);
		if (s->bind_local_index)
			fprintf(f, " local-index %u remote-index %u",
				s->bind_local_index, s->bind_remote_index);
		fputc('\n', f);
	}
	if (s->has_standby) {
		format_endpoint(&s->standby_local, a, sizeof(a));
		format_endpoint(&s->standby_remote, b, sizeof(b));
		fprintf(f, "    standby local %s remote %s\n", a, b);
	}
	if (opt.details) {
		format_time_ns(s->created_ns, a);
		format_time_ns(s->changed_ns, b);
		fprintf(f, "    reason %s created %s changed %s\n",
			jump_reason_name(s->reason), a, b);
		text_data_path(f, s);
	}
	if (opt.stats)
		text_counters(f, &s->counters, true);
}

void listing_init(struct listing *l, FILE *f)
{
	json_init(&l->j, f, opt.pretty);
	l->items = 0;
}

/* Opens the array at the first item (JSON), counts items (both). */
static bool listing_item(struct listing *l)
{
	if (opt.json && l->items == 0)
		json_open(&l->j, '[');
	l->items++;
	return opt.json;
}

/*
 * The node that owns the session, when jumpd runs a [Cluster]: "node=NAME"
 * in JUMP_AUDIT_STATE_DIR/IFNAME/ID.owner, which jumpd writes when it
 * claims the session and removes when it lets it go. False: no such file
 * (single node), or not one jumpd wrote.
 */
static bool session_owner(const char *ifname, uint64_t id, char node[JUMP_NODE_NAME_MAX + 1])
{
	char path[256], line[JUMP_NODE_NAME_MAX + 8];
	size_t i, len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%016" PRIx64 ".owner", JUMP_AUDIT_STATE_DIR,
		 ifname, id);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	len = strcspn(line, "\n");
	if (strncmp(line, "node=", 5) || len == 5 || len > 5 + JUMP_NODE_NAME_MAX)
		return false;
	for (i = 5; i < len; i++)
		if (!isalnum((unsigned char)line[i]) && !strchr("._-", line[i]))
			return false;
	memcpy(node, line + 5, len - 5);
	node[len - 5] = '\0';
	return true;
}

void listing_session(struct listing *l, const struct session_msg *s,
		     const char *ifname)
{
	char node[JUMP_NODE_NAME_MAX + 1];
	bool owned = session_owner(ifname, s->id, node);

	if (!listing_item(l)) {
		text_session(l->j.f, s, ifname);
		if (owned)
			fprintf(l->j.f, "    owner %s\n", node);
		return;
	}
	json_open(&l->j, '{');
	json_session(&l->j, s, ifname);
	if (owned)
		json_kv_str(&l->j, "owner", node);
	json_close(&l->j, '}');
}

/*
 * IFINDEX: IFNAME: sessions N max N event_seq N
 *     states birth N attached N volatile N degraded N recovering N ...
 *     stats rx_packets N ...                       (-s, what the kernel sent)
 *     drops bad_header N ...                       (-s)
 */
void listing_device(struct listing *l, const struct device_msg *d)
{
	struct json *j = &l->j;
	char name[IFNAME_TEXT_LEN];
	unsigned int i;

	if (!listing_item(l)) {
		fprintf(j->f, "%u: %s: sessions %u max %u event_seq %" PRIu64
			"\n    states", d->ifindex, format_ifname(d->ifname, name),
			d->sessions, d->max_sessions, d->event_seq);
		for (i = 0; i < __JUMP_STATE_MAX; i++)
			fprintf(j->f, " %s %u", jump_state_name(i),
				d->state_counts[i]);
		fputc('\n', j->f);
		if (opt.stats && d->has_stats)
			text_counters(j->f, &d->counters, false);
		return;
	}
	json_open(j, '{');
	json_kv_str(j, "ifname", d->ifname);
	json_kv_u64(j, "ifindex", d->ifindex);
	json_kv_u64(j, "sessions", d->sessions);
	json_kv_u64(j, "max_sessions", d->max_sessions);
	json_kv_u64(j, "event_seq", d->event_seq);
	json_key(j, "states");
	json_open(j, '{');
	for (i = 0; i < __JUMP_STATE_MAX; i++)
		json_kv_u64(j, jump_state_name(i), d->state_counts[i]);
	json_close(j, '}');
	if (opt.stats && d->has_stats)
		json_counters(j, &d->counters, false);
	json_close(j, '}');
}

void listing_end(struct listing *l, bool ok)
{
	if (!opt.json || (!l->items && !ok))
		return;
	if (!l->items)
		json_open(&l->j, '[');
	json_close(&l->j, ']');
	fputc('\n', l->j.f);
}

static void text_time(FILE *f, uint64_t ns)
{
	char when[TIME_LEN];

	if (!opt.timestamp)
		return;
	format_time_ns(ns, when);
	fprintf(f, "%s ", when);
}

/*
 * [seq N] session ID dev NAME: created role ROLE version N
 * [seq N] session ID dev NAME: FROM -> TO reason REASON version N
 * With -t, each starts with the event's time (CHANGED_NS); with -d, a bound
 * session's line ends with " binding local A remote B epoch N".
 */
void print_event(FILE *f, const struct session_msg *s, const char *ifname)
{
	bool created = s->cmd == JUMP_CMD_SESSION_NEW;
	char id[SESSION_ID_LEN], a[ENDPOINT_LEN], b[ENDPOINT_LEN];
	char name[IFNAME_TEXT_LEN];
	struct json j;

	if (opt.json) {
		/* JSON lines: one object per event, never pretty. */
		json_init(&j, f, false);
		json_open(&j, '{');
		json_kv_u64(&j, "seq", s->seq);
		json_kv_str(&j, "event", created ? "created" : "transition");
		json_kv_u64(&j, "time_ns", s->changed_ns);
		json_session(&j, s, ifname);
		json_close(&j, '}');
		fputc('\n', f);
		return;
	}
	text_time(f, s->changed_ns);
	format_session_id(s->id, id);
	fprintf(f, "[seq %" PRIu64 "] session %s dev %s: ", s->seq, id,
		format_ifname(ifname, name));
	if (created)
		fprintf(f, "created role %s version %" PRIu64,
			jump_role_name(s->role), s->version);
	else
		fprintf(f, "%s -> %s reason %s version %" PRIu64,
			jump_state_name(s->prev_state),
			jump_state_name(s->state), jump_reason_name(s->reason),
			s->version);
	/* What a reattach is about: where the session went. */
	if (opt.details && s->bound) {
		format_endpoint(&s->local, a, sizeof(a));
		format_endpoint(&s->remote, b, sizeof(b));
		fprintf(f, " binding local %s remote %s epoch %u", a, b,
			s->epoch);
	}
	fputc('\n', f);
}

static void json_notice(struct json *j, const struct session_msg *s,
			const char *ifname, bool unbound)
{
	char id[SESSION_ID_LEN], ep[ENDPOINT_LEN];

	json_kv_str(j, "event", unbound ? "unbound_source" : "key_expiring");
	json_kv_u64(j, "time_ns", s->changed_ns);
	json_kv_str(j, "ifname", ifname);
	json_kv_u64(j, "ifindex", s->ifindex);
	format_session_id(s->id, id);
	json_kv_str(j, "id", id);
	if (unbound) {
		format_endpoint(&s->source, ep, sizeof(ep));
		json_kv_str(j, "source", (s->has & HAS_SOURCE) ? ep : "?");
		if (s->bound)
			json_binding(j, s);
		return;
	}
	json_kv_str(j, "slot", jump_key_slot_name(s->key.slot));
	json_kv_u64(j, "key_id", s->key.id);
	json_kv_str(j, "reason", jump_reason_name(s->reason));
}

/*
 * [seq N] unbound-source session ID dev NAME from ADDR:PORT epoch N
 * [seq N] key-expiring session ID dev NAME slot SLOT key-id N reason REASON
 * "[seq N] " only if the kernel numbered the event; "epoch N" only if the
 * session is bound; -d adds " binding local A remote B" to the first.
 */
void print_notice(FILE *f, const struct session_msg *s, const char *ifname)
{
	bool unbound = s->cmd == JUMP_CMD_UNBOUND_SOURCE;
	char id[SESSION_ID_LEN], a[ENDPOINT_LEN], b[ENDPOINT_LEN];
	char name[IFNAME_TEXT_LEN];
	struct json j;

	if (opt.json) {
		json_init(&j, f, false);
		json_open(&j, '{');
		if (s->has_seq)
			json_kv_u64(&j, "seq", s->seq);
		json_notice(&j, s, ifname, unbound);
		json_close(&j, '}');
		fputc('\n', f);
		return;
	}
	text_time(f, s->changed_ns);
	if (s->has_seq)
		fprintf(f, "[seq %" PRIu64 "] ", s->seq);
	format_session_id(s->id, id);
	fprintf(f, "%s session %s dev %s", unbound ? "unbound-source" :
		"key-expiring", id, format_ifname(ifname, name));
	if (!unbound) {
		fprintf(f, " slot %s key-id %u reason %s\n",
			jump_key_slot_name(s->key.slot), s->key.id,
			jump_reason_name(s->reason));
		return;
	}
	format_endpoint(&s->source, a, sizeof(a));
	fprintf(f, " from %s", (s->has & HAS_SOURCE) ? a : "?");
	if (s->bound)
		fprintf(f, " epoch %u", s->epoch);
	if (opt.details && s->bound) {
		format_endpoint(&s->local, a, sizeof(a));
		format_endpoint(&s->remote, b, sizeof(b));
		fprintf(f, " binding local %s remote %s", a, b);
	}
	fputc('\n', f);
}

/*
 * [seq N] dev NAME: lost M events
 * N is the event that showed the gap (printed next); the lost ones are
 * N - M to N - 1.
 */
void print_lost(FILE *f, const struct session_msg *s, const char *ifname,
		uint64_t lost)
{
	char name[IFNAME_TEXT_LEN];
	struct json j;

	if (opt.json) {
		json_init(&j, f, false);
		json_open(&j, '{');
		json_kv_u64(&j, "seq", s->seq);
		json_kv_str(&j, "event", "lost");
		json_kv_u64(&j, "time_ns", s->changed_ns);
		json_kv_str(&j, "ifname", ifname);
		json_kv_u64(&j, "ifindex", s->ifindex);
		json_kv_u64(&j, "lost", lost);
		json_close(&j, '}');
		fputc('\n', f);
		return;
	}
	text_time(f, s->changed_ns);
	fprintf(f, "[seq %" PRIu64 "] dev %s: lost %" PRIu64 " events\n",
		s->seq, format_ifname(ifname, name), lost);
}
