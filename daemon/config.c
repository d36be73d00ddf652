// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's config file (Documentation/configuration.rst): the reader. Lines,
 * comments, [Section] headers and Key = Value assignments, the table of
 * keys that hands each value to its setter, and the messages that name the
 * file, the line and the problem.
 *
 * Everything in the file is untrusted: each value is checked where it is
 * read (config_value.c, config_policy.c), each relation between values when
 * its section ends, and relations between peers when the file ends
 * (config_check.c). The first problem stops the load and leaves nothing
 * behind.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

#include "config.h"
#include "config_parser.h"

#define LINE_LIMIT	4096
/* A long path keeps its end, the file's name, and leaves room for the problem. */
#define SHOWN_PATH	200
_Static_assert(3 + SHOWN_PATH + 16 + 2 < CONFIG_ERR_LEN, "a message fits after the path");

static const char *const section_names[] = {
	[SEC_NONE] = "", [SEC_INTERFACE] = "Interface",
	[SEC_POLICY] = "Policy", [SEC_PEER] = "Peer", [SEC_CLUSTER] = "Cluster",
};

int __attribute__((format(printf, 3, 4)))
config_fail(struct parser *p, unsigned int line, const char *fmt, ...)
{
	const char *path = p->c->path, *dots = "";
	size_t len = strlen(path);
	char at[16] = "";
	va_list ap;
	int n;

	if (len > SHOWN_PATH) {
		path += len - SHOWN_PATH;
		dots = "...";
	}
	if (line)
		snprintf(at, sizeof(at), ":%u", line);
	/* At most 3 + SHOWN_PATH + 11 + 2 bytes: the message always fits. */
	n = snprintf(p->err, CONFIG_ERR_LEN, "%s%s%s: ", dots, path, at);
	va_start(ap, fmt);
	vsnprintf(p->err + n, CONFIG_ERR_LEN - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Values end up in logs: no control characters, no screenfuls. */
const char *config_shown(const char *v, char buf[SHOWN_LEN])
{
	size_t i;

	for (i = 0; v[i] && i < SHOWN_LEN - 4; i++)
		buf[i] = isprint((unsigned char)v[i]) ? v[i] : '?';
	if (v[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Arrays grow at powers of two, so growth is amortized without a capacity. */
int config_grow(void **arr, size_t n, size_t size)
{
	void *tmp;

	if (n && (n & (n - 1)))
		return 0;
	tmp = realloc(*arr, (n ? 2 * n : 4) * size);
	if (!tmp)
		return -1;
	*arr = tmp;
	return 0;
}

char *config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* The keys: where each belongs, and what gives its value a meaning. */

#define DUR(n, f, lo, hi) { n, SEC_POLICY, false, config_set_duration, \
			    offsetof(struct config_policy, f), lo, hi }
#define CNT(n, f, hi) { n, SEC_POLICY, false, config_set_count, \
			offsetof(struct config_policy, f), 1, hi }

static const struct key_def keys[K_COUNT] = {
	[K_ROLE] = { "Role", SEC_INTERFACE, false, config_set_role },
	[K_PRIVATE_KEY] = { "PrivateKey", SEC_INTERFACE, false,
			    config_set_private_key },
	[K_PRIVATE_KEY_FILE] = { "PrivateKeyFile", SEC_INTERFACE, false,
				 config_set_private_key_file },
	[K_LISTEN_PORT] = { "ListenPort", SEC_INTERFACE, false,
			    config_set_listen_port },
	[K_UPLINK] = { "Uplink", SEC_INTERFACE, true, config_set_uplink },
	[K_STATE_DIR] = { "StateDirectory", SEC_INTERFACE, false, config_set_path },
	[K_AUDIT_LOG] = { "AuditLog", SEC_INTERFACE, false, config_set_path },
	[K_KEEPALIVE] = DUR("Keepalive", keepalive_ms,
			    JUMP_MIN_LIVENESS_MS, JUMP_MAX_LIVENESS_MS),
	[K_VOLATILE] = DUR("VolatileAfter", volatile_ms,
			   JUMP_MIN_LIVENESS_MS, JUMP_MAX_LIVENESS_MS),
	[K_DEGRADED] = DUR("DegradedAfter", degraded_ms,
			   JUMP_MIN_LIVENESS_MS, JUMP_MAX_LIVENESS_MS),
	[K_RECOVERY] = DUR("RecoveryWindow", recovery_window_ms,
			   JUMP_MIN_LIVENESS_MS, 24 * MS_PER_H),
	[K_SWITCH_INTERVAL] = DUR("SwitchInterval", switch_interval_ms,
				  MS_PER_S, 24 * MS_PER_H),
	[K_RETRY_INITIAL] = DUR("RetryInitial", retry_initial_ms,
				10, MS_PER_M),
	[K_RETRY_MAX] = DUR("RetryMax", retry_max_ms, 10, 10 * MS_PER_M),
	[K_BIRTH_TIMEOUT] = DUR("BirthTimeout", birth_timeout_ms,
				MS_PER_S, 10 * MS_PER_M),
	[K_PATH_TIMEOUT] = DUR("PathValidationTimeout", path_timeout_ms,
			       100, MS_PER_M),
	[K_CLOCK_SKEW] = DUR("ClockSkew", clock_skew_ms, MS_PER_S, MS_PER_H),
	[K_REKEY] = DUR("RekeyInterval", rekey_interval_ms,
			10 * MS_PER_S, 24 * MS_PER_H),
	[K_LIFETIME] = DUR("SessionLifetime", session_lifetime_ms,
			   MS_PER_M, UINT32_MAX),
	[K_MAX_SWITCHES] = CNT("MaxSwitches", max_switches, 1000),
	[K_SOURCE_RATE] = CNT("SourceRate", source_rate, 1000000),
	[K_SOURCE_BURST] = CNT("SourceBurst", source_burst, 1000000),
	[K_GLOBAL_RATE] = CNT("GlobalRate", global_rate, 10000000),
	[K_GLOBAL_BURST] = CNT("GlobalBurst", global_burst, 10000000),
	[K_COOKIE] = CNT("CookieThreshold", cookie_threshold, 10000000),
	[K_MAX_SESSIONS] = CNT("MaxSessions", max_sessions, JUMP_MAX_SESSIONS),
	[K_REBIND_PROBE] = { "RebindProbe", SEC_POLICY, false, config_set_flag,
			     offsetof(struct config_policy, rebind_probe), 0, 1 },
	[K_STANDBY_PATH] = { "StandbyPath", SEC_POLICY, false, config_set_flag,
			     offsetof(struct config_policy, standby_path), 0, 1 },
	[K_UNLINKABLE] = { "Unlinkable", SEC_POLICY, false, config_set_flag,
			   offsetof(struct config_policy, unlinkable), 0, 1 },
	[K_STANDBY_KEEPALIVE] = DUR("StandbyKeepalive", standby_keepalive_ms,
				    MS_PER_S, MS_PER_H),
	[K_PUBLIC_KEY] = { "PublicKey", SEC_PEER, false, config_set_public_key },
	[K_ALLOWED_IPS] = { "AllowedIPs", SEC_PEER, true,
			    config_set_allowed_ips },
	[K_ENDPOINT] = { "Endpoint", SEC_PEER, true, config_set_endpoint },
	[K_ENDPOINTS] = { "Endpoints", SEC_CLUSTER, false, config_set_endpoints },
	[K_NODE_NAME] = { "NodeName", SEC_CLUSTER, false, config_set_node_name },
	[K_CLUSTER_KEY_FILE] = { "ClusterKeyFile", SEC_CLUSTER, false,
				 config_set_cluster_key_file },
	[K_LEASE_TTL] = { "LeaseTTL", SEC_CLUSTER, false, config_set_lease_ttl, 0,
			  JUMP_MIN_LEASE_TTL_MS, JUMP_MAX_LEASE_TTL_MS },
};

const struct key_def *config_key(enum key k)
{
	return &keys[k];
}

int config_default_path(const char *ifname, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s.conf", CONFIG_DIR, ifname);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Sections end: the relations between their keys. */

static int end_section(struct parser *p)
{
	switch (p->sec) {
	case SEC_INTERFACE:
		return config_end_interface(p);
	case SEC_POLICY:
		return config_end_policy(p);
	case SEC_PEER:
		return config_end_peer(p);
	case SEC_CLUSTER:
		return config_end_cluster(p);
	default:
		return 0;
	}
}

/* Section headers */

static int begin_peer(struct parser *p)
{
	struct config *c = p->c;

	if (c->role == JUMP_ROLE_CLIENT && c->npeers)
		return config_fail(p, p->line, "a client has exactly one [Peer], its server (the first is at line %u)",
				   c->peers[0].line);
	if (c->npeers == CONFIG_MAX_PEERS)
		return config_fail(p, p->line, "more than %d peers", CONFIG_MAX_PEERS);
	if (config_grow((void **)&c->peers, c->npeers, sizeof(*c->peers)))
		return config_fail(p, p->line, "out of memory");
	c->peers[c->npeers++] = (struct config_peer){ .line = p->line };
	return 0;
}

static int begin_section(struct parser *p, enum section s)
{
	if (s != SEC_INTERFACE && !p->interface_line)
		return config_fail(p, p->line, "[%s] before [Interface]: [Interface] comes first",
				   section_names[s]);
	if (s == SEC_INTERFACE && p->interface_line)
		return config_fail(p, p->line, "a second [Interface] (the first is at line %u)",
				   p->interface_line);
	if (s == SEC_POLICY && p->policy_line)
		return config_fail(p, p->line, "a second [Policy] (the first is at line %u)",
				   p->policy_line);
	if (s == SEC_CLUSTER && p->cluster_line)
		return config_fail(p, p->line, "a second [Cluster] (the first is at line %u)",
				   p->cluster_line);
	if (s == SEC_PEER && begin_peer(p))
		return -1;
	if (s == SEC_INTERFACE)
		p->interface_line = p->line;
	if (s == SEC_POLICY)
		p->policy_line = p->line;
	if (s == SEC_CLUSTER)
		p->cluster_line = p->line;
	p->sec = s;
	p->sec_line = p->line;
	memset(p->seen, 0, sizeof(p->seen));
	return 0;
}

static int parse_header(struct parser *p, char *s)
{
	size_t len = strlen(s);
	char *name, b[SHOWN_LEN];
	enum section i;

	if (s[len - 1] != ']')
		return config_fail(p, p->line, "a section header ends with ']'");
	s[len - 1] = '\0';
	name = config_trim(s + 1);
	for (i = SEC_INTERFACE; i <= SEC_CLUSTER; i++)
		if (!strcasecmp(name, section_names[i]))
			break;
	if (i > SEC_CLUSTER)
		return config_fail(p, p->line, "unknown section [%s]: expected [Interface], [Policy], [Peer] or [Cluster]",
				   config_shown(name, b));
	if (end_section(p))
		return -1;
	return begin_section(p, i);
}

/* Keys */

static int unknown_key(struct parser *p, const char *key)
{
	char b[SHOWN_LEN];
	enum key k;

	for (k = 0; k < K_COUNT; k++)
		if (!strcasecmp(key, keys[k].name))
			return config_fail(p, p->line, "%s is not valid in [%s]: it belongs in [%s]",
					   keys[k].name, section_names[p->sec],
					   section_names[keys[k].sec]);
	return config_fail(p, p->line, "unknown key \"%s\" in [%s]", config_shown(key, b),
			   section_names[p->sec]);
}

static int parse_assignment(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *key, *val, b[SHOWN_LEN];
	enum key k;

	if (!eq)
		return config_fail(p, p->line, "expected Key = Value or a [Section]");
	*eq = '\0';
	key = config_trim(s);
	val = config_trim(eq + 1);
	if (!*key)
		return config_fail(p, p->line, "no key before '='");
	if (p->sec == SEC_NONE)
		return config_fail(p, p->line, "%s before any section: the file starts with [Interface]",
				   config_shown(key, b));
	for (k = 0; k < K_COUNT; k++)
		if (keys[k].sec == p->sec && !strcasecmp(key, keys[k].name))
			break;
	if (k == K_COUNT)
		return unknown_key(p, key);
	if (!*val)
		return config_fail(p, p->line, "%s has no value", keys[k].name);
	if (p->seen[k] && !keys[k].multi)
		return config_fail(p, p->line, "%s is already set at line %u", keys[k].name,
				   p->seen[k]);
	if (keys[k].set(p, k, val))
		return -1;
	if (!p->seen[k])
		p->seen[k] = p->line;
	if (p->sec == SEC_POLICY) {
		p->policy_seen[k] = p->line;
		/* What jumpctl policy show marks as not "(default)". */
		p->c->policy_set |= 1U << (keys[k].off / sizeof(uint32_t));
	}
	return 0;
}

/* '#' starts a comment at the start of a line or after a blank. */
static void strip_comment(char *s)
{
	char *h;

	for (h = strchr(s, '#'); h; h = strchr(h + 1, '#')) {
		if (h == s || isspace((unsigned char)h[-1])) {
			*h = '\0';
			return;
		}
	}
}

static int parse_line(struct parser *p, char *line)
{
	char *s;

	strip_comment(line);
	s = config_trim(line);
	if (!*s)
		return 0;
	if (*s == '[')
		return parse_header(p, s);
	return parse_assignment(p, s);
}

/*
 * 1 with a line in @buf, 0 at the end, -1 on error. By hand rather than
 * getline(): a NUL would hide the rest of a line, and a hostile file could
 * make one line as large as memory.
 */
static int read_line(struct parser *p, FILE *f, char buf[LINE_LIMIT + 2])
{
	size_t n = 0;
	int ch;

	p->line++;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (!ch)
			return config_fail(p, p->line, "NUL byte in line");
		if (n == LINE_LIMIT + 1)
			return config_fail(p, p->line, "line longer than %d bytes", LINE_LIMIT);
		buf[n++] = ch;
	}
	if (ferror(f))
		return config_fail(p, 0, "cannot read: %s", strerror(errno));
	if (ch == EOF && !n)
		return 0;
	if (n && buf[n - 1] == '\r')
		n--;
	if (n > LINE_LIMIT)
		return config_fail(p, p->line, "line longer than %d bytes", LINE_LIMIT);
	buf[n] = '\0';
	return 1;
}

/* File end */

static int end_file(struct parser *p)
{
	if (end_section(p))
		return -1;
	if (!p->interface_line)
		return config_fail(p, 0, "no [Interface] section");
	if (p->c->role == JUMP_ROLE_CLIENT && !p->c->npeers)
		return config_fail(p, 0, "a client needs a [Peer], its server, with an Endpoint");
	return config_check_peers(p);
}

static int set_default_paths(struct parser *p, const char *ifname)
{
	struct config *c = p->c;

	if (!c->state_dir[0])
		snprintf(c->state_dir, sizeof(c->state_dir), "%s/%s",
			 JUMP_AUDIT_STATE_DIR, ifname);
	if (!c->audit_log[0])
		snprintf(c->audit_log, sizeof(c->audit_log), "%s/%s%s",
			 JUMP_AUDIT_DIR, ifname, JUMP_AUDIT_SUFFIX);
	return 0;
}

static int parse_file(struct parser *p, FILE *f)
{
	char buf[LINE_LIMIT + 2];
	int ret;

	while ((ret = read_line(p, f, buf)) > 0) {
		ret = parse_line(p, buf);
		if (ret)
			break;
	}
	/* Lines may hold a private key. */
	sodium_memzero(buf, sizeof(buf));
	return ret ?: end_file(p);
}

static int load(struct parser *p, const char *path, const char *ifname)
{
	/* Our own stdio buffer, to wipe: it may hold a private key too. */
	char iobuf[BUFSIZ], b[SHOWN_LEN];
	FILE *f;
	int ret;

	if (!ifname || !config_ifname_ok(ifname))
		return config_fail(p, 0, "\"%s\" is not an interface name",
				   ifname ? config_shown(ifname, b) : "(null)");
	if (sodium_init() < 0)
		return config_fail(p, 0, "libsodium cannot initialize");
	f = fopen(path, "re");
	if (!f)
		return config_fail(p, 0, "cannot open: %s", strerror(errno));
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	ret = parse_file(p, f);
	fclose(f);
	sodium_memzero(iobuf, sizeof(iobuf));
	return ret ?: set_default_paths(p, ifname);
}

int config_load(const char *path, const char *ifname, struct config *c,
		char err[CONFIG_ERR_LEN])
{
	struct parser p = { .c = c, .err = err };
	int ret;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	snprintf(c->path, sizeof(c->path), "%s", path);
	config_policy_defaults(&c->policy);
	if (strlen(path) >= sizeof(c->path))
		ret = config_fail(&p, 0, "path too long");
	else
		ret = load(&p, path, ifname);
	free(p.prefixes);
	free(p.keys);
	if (ret)
		config_free(c);
	return ret;
}

void config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->npeers; i++)
		free(c->peers[i].prefixes);
	free(c->peers);
	sodium_memzero(c, sizeof(*c));
}

const struct config_peer *config_find_peer(const struct config *c,
					   const uint8_t pubkey[JUMP_PUBKEY_LEN])
{
	size_t i;

	for (i = 0; i < c->npeers; i++)
		if (!memcmp(c->peers[i].pubkey, pubkey, JUMP_PUBKEY_LEN))
			return &c->peers[i];
	return NULL;
}
