// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's config file (Documentation/configuration.rst). Everything in the
 * file is untrusted: each value is checked where it is read, each relation
 * between values when its section ends, and relations between peers when
 * the file ends. The first problem stops the load and leaves nothing behind.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "config.h"

#define LINE_LIMIT	4096
#define SHOWN_LEN	64
/* A long path keeps its end, the file's name, and leaves room for the problem. */
#define SHOWN_PATH	200
_Static_assert(3 + SHOWN_PATH + 16 + 2 < CONFIG_ERR_LEN, "a message fits after the path");
#define MS_PER_S	1000u
#define MS_PER_M	(60u * MS_PER_S)
#define MS_PER_H	(60u * MS_PER_M)

enum section { SEC_NONE, SEC_INTERFACE, SEC_POLICY, SEC_PEER };

static const char *const section_names[] = {
	[SEC_NONE] = "", [SEC_INTERFACE] = "Interface",
	[SEC_POLICY] = "Policy", [SEC_PEER] = "Peer",
};

enum key {
	K_ROLE, K_PRIVATE_KEY, K_PRIVATE_KEY_FILE, K_LISTEN_PORT, K_UPLINK,
	K_STATE_DIR, K_AUDIT_LOG,
	K_KEEPALIVE, K_VOLATILE, K_DEGRADED, K_RECOVERY, K_SWITCH_INTERVAL,
	K_RETRY_INITIAL, K_RETRY_MAX, K_BIRTH_TIMEOUT, K_PATH_TIMEOUT,
	K_CLOCK_SKEW, K_REKEY, K_LIFETIME,
	K_MAX_SWITCHES, K_SOURCE_RATE, K_SOURCE_BURST, K_GLOBAL_RATE,
	K_GLOBAL_BURST, K_COOKIE, K_MAX_SESSIONS,
	K_PUBLIC_KEY, K_ALLOWED_IPS, K_ENDPOINT,
	K_COUNT
};

/* One AllowedIPs entry, with where it came from, for the overlap check. */
struct prefix_ref {
	struct prefix p;
	size_t peer;
	unsigned int line;
};

/* One PublicKey, for the duplicate check. */
struct key_ref {
	uint8_t key[JUMP_PUBKEY_LEN];
	unsigned int line;
};

struct parser {
	struct config *c;
	char *err;
	unsigned int line;
	enum section sec;
	unsigned int sec_line;
	unsigned int interface_line, policy_line;
	/* Line of each key's first occurrence in the current section. */
	unsigned int seen[K_COUNT];
	/* Policy keys stay remembered after [Policy] for the cross checks. */
	unsigned int policy_seen[K_COUNT];
	struct prefix_ref *prefixes;
	size_t nprefixes;
	struct key_ref *keys;
	size_t nkeys;
};

struct key_def {
	const char *name;
	enum section sec;
	bool multi;
	int (*set)(struct parser *p, enum key k, char *val);
	size_t off;		/* in struct config_policy */
	uint32_t min, max;	/* policy values, in ms for durations */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct parser *p, unsigned int line, const char *fmt, ...)
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
static const char *shown(const char *v, char buf[SHOWN_LEN])
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

/* The largest unit that says @ms exactly, as a person would write it. */
static const char *fmt_ms(uint32_t ms, char buf[CONFIG_VALUE_LEN])
{
	if (ms && ms % MS_PER_H == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%uh", ms / MS_PER_H);
	else if (ms && ms % MS_PER_M == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%um", ms / MS_PER_M);
	else if (ms && ms % MS_PER_S == 0)
		snprintf(buf, CONFIG_VALUE_LEN, "%us", ms / MS_PER_S);
	else
		snprintf(buf, CONFIG_VALUE_LEN, "%ums", ms);
	return buf;
}

/* Arrays grow at powers of two, so growth is amortized without a capacity. */
static int grow(void **arr, size_t n, size_t size)
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

static uint32_t *policy_field(struct config *c, size_t off)
{
	return (uint32_t *)((char *)&c->policy + off);
}

static struct config_peer *cur_peer(struct parser *p)
{
	return &p->c->peers[p->c->npeers - 1];
}

/* [Interface] */

static int set_role(struct parser *p, enum key k, char *val)
{
	char b[SHOWN_LEN];

	if (!strcasecmp(val, "server"))
		p->c->role = JUMP_ROLE_SERVER;
	else if (!strcasecmp(val, "client"))
		p->c->role = JUMP_ROLE_CLIENT;
	else
		return fail(p, p->line, "Role must be server or client, not \"%s\"",
			    shown(val, b));
	return 0;
}

static int exclusive_keys(struct parser *p, enum key k)
{
	enum key other = k == K_PRIVATE_KEY ? K_PRIVATE_KEY_FILE : K_PRIVATE_KEY;

	if (!p->seen[other])
		return 0;
	return fail(p, p->line, "PrivateKey and PrivateKeyFile (line %u) exclude each other: keep one",
		    p->seen[other]);
}

/* Never echoes the value: it may be a private key with a typo. */
static int set_private_key(struct parser *p, enum key k, char *val)
{
	if (exclusive_keys(p, k))
		return -1;
	if (parse_base64(val, p->c->private_key, JUMP_PUBKEY_LEN))
		return fail(p, p->line, "PrivateKey is not base64 of %d bytes (as \"jumpctl key genkey\" prints)",
			    JUMP_PUBKEY_LEN);
	return 0;
}

/* Relative to the config file's directory, so a config moves with its key. */
static int resolve_path(struct parser *p, const char *val, char *out,
			size_t len)
{
	const char *slash = strrchr(p->c->path, '/');
	int n;

	if (val[0] == '/' || !slash)
		n = snprintf(out, len, "%s", val);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - p->c->path),
			     p->c->path, val);
	if (n < 0 || (size_t)n >= len)
		return fail(p, p->line, "path too long");
	return 0;
}

static int key_file_stat(struct parser *p, int fd, const char *path)
{
	char b[SHOWN_LEN];
	struct stat st;

	if (fstat(fd, &st))
		return fail(p, p->line, "cannot stat key file %s: %s",
			    shown(path, b), strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(p, p->line, "key file %s is not a regular file",
			    shown(path, b));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return fail(p, p->line, "key file %s is readable or writable by group or others (mode %04o): chmod 600 it",
			    shown(path, b), (unsigned int)(st.st_mode & 07777));
	return 0;
}

/* One base64 line, as "jumpctl key genkey > FILE" writes it. */
static int key_file_read(struct parser *p, int fd, const char *path)
{
	char buf[128], b[SHOWN_LEN];
	size_t len = 0;
	ssize_t n;
	int err = 0;

	do {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n > 0)
			len += n;
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (n < 0)
		err = fail(p, p->line, "cannot read key file %s: %s",
			   shown(path, b), strerror(errno));
	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	buf[len] = '\0';
	if (!err && (strlen(buf) != len ||
		     parse_base64(buf, p->c->private_key, JUMP_PUBKEY_LEN)))
		err = fail(p, p->line, "key file %s does not hold one base64 key of %d bytes (as \"jumpctl key genkey\" writes)",
			   shown(path, b), JUMP_PUBKEY_LEN);
	sodium_memzero(buf, sizeof(buf));
	return err;
}

static int set_private_key_file(struct parser *p, enum key k, char *val)
{
	char path[sizeof(p->c->path)], b[SHOWN_LEN];
	int fd, err;

	if (exclusive_keys(p, k) || resolve_path(p, val, path, sizeof(path)))
		return -1;
	/* O_NONBLOCK: a FIFO must not hang jumpd; fstat() then refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fail(p, p->line, "cannot open key file %s: %s",
			    shown(path, b), strerror(errno));
	err = key_file_stat(p, fd, path) ?: key_file_read(p, fd, path);
	close(fd);
	return err;
}

static int set_listen_port(struct parser *p, enum key k, char *val)
{
	char b[SHOWN_LEN];

	if (parse_port(val, &p->c->listen_port))
		return fail(p, p->line, "ListenPort \"%s\" is not a port: 1 to 65535 (0: any, clients only)",
			    shown(val, b));
	return 0;
}

/* As the kernel's dev_valid_name(), so a name it would refuse fails here. */
static bool uplink_ifname_ok(const char *s)
{
	if (!valid_ifname(s) || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

static bool uplink_equal(const struct config_uplink *a,
			 const struct config_uplink *b)
{
	return a->addr.family == b->addr.family &&
	       !strcmp(a->ifname, b->ifname) &&
	       !memcmp(&a->addr.addr, &b->addr.addr, sizeof(a->addr.addr));
}

static int set_uplink(struct parser *p, enum key k, char *val)
{
	struct config *c = p->c;
	struct config_uplink u = { 0 };
	char b[SHOWN_LEN];
	size_t i;

	if (c->nuplinks == CONFIG_MAX_UPLINKS)
		return fail(p, p->line, "more than %d Uplinks", CONFIG_MAX_UPLINKS);
	if (inet_pton(AF_INET, val, &u.addr.addr) == 1)
		u.addr.family = AF_INET;
	else if (inet_pton(AF_INET6, val, &u.addr.addr) == 1)
		u.addr.family = AF_INET6;
	else if (uplink_ifname_ok(val))
		strcpy(u.ifname, val);
	else
		return fail(p, p->line, "Uplink \"%s\" is neither an IP address nor an interface name (1 to %d bytes, no '/', ':' or blanks)",
			    shown(val, b), IF_NAMESIZE - 1);
	for (i = 0; i < c->nuplinks; i++)
		if (uplink_equal(&c->uplinks[i], &u))
			return fail(p, p->line, "Uplink \"%s\" is listed twice",
				    shown(val, b));
	c->uplinks[c->nuplinks++] = u;
	return 0;
}

/* Absolute: jumpd's working directory is nothing to depend on. */
static int set_path(struct parser *p, enum key k, char *val)
{
	char *dst = k == K_STATE_DIR ? p->c->state_dir : p->c->audit_log;
	char b[SHOWN_LEN];

	if (val[0] != '/')
		return fail(p, p->line, "%s \"%s\" is not an absolute path",
			    k == K_STATE_DIR ? "StateDirectory" : "AuditLog",
			    shown(val, b));
	if (strlen(val) >= sizeof(p->c->state_dir))
		return fail(p, p->line, "path too long");
	strcpy(dst, val);
	return 0;
}

/* [Policy] */

/* An integer and a unit: a bare number is too easy to misread. */
static int parse_duration(const char *val, uint32_t *ms, const char **why)
{
	static const struct { const char *unit; uint32_t ms; } units[] = {
		{ "ms", 1 }, { "s", MS_PER_S }, { "m", MS_PER_M }, { "h", MS_PER_H },
	};
	size_t digits = strspn(val, "0123456789"), i;
	char num[24];
	uint64_t v;

	*why = "is not a duration: an integer and ms, s, m or h, e.g. 500ms, 3s, 2m";
	if (!digits)
		return -1;
	*why = "is too long: at most 4294967295ms (about 49 days)";
	if (digits >= sizeof(num))
		return -1;
	memcpy(num, val, digits);
	num[digits] = '\0';
	if (parse_u64(num, &v))
		return -1;
	*why = "is not a duration: an integer and ms, s, m or h, e.g. 500ms, 3s, 2m";
	if (!val[digits]) {
		*why = "has no unit: add ms, s, m or h, e.g. 3s";
		return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(val + digits, units[i].unit))
			continue;
		if (v > UINT32_MAX / units[i].ms) {
			*why = "is too long: at most 4294967295ms (about 49 days)";
			return -1;
		}
		*ms = v * units[i].ms;
		return 0;
	}
	return -1;
}

static int set_duration(struct parser *p, enum key k, char *val);
static int set_count(struct parser *p, enum key k, char *val);

static int check_bounds(struct parser *p, const struct key_def *d, uint32_t v,
			bool ms)
{
	char lo[CONFIG_VALUE_LEN], hi[CONFIG_VALUE_LEN], got[CONFIG_VALUE_LEN];

	if (v >= d->min && v <= d->max)
		return 0;
	if (!ms)
		return fail(p, p->line, "%s = %u is out of bounds: %u to %u",
			    d->name, v, d->min, d->max);
	return fail(p, p->line, "%s = %s is out of bounds: %s to %s",
		    d->name, fmt_ms(v, got), fmt_ms(d->min, lo), fmt_ms(d->max, hi));
}

/* [Peer] */

static int set_public_key(struct parser *p, enum key k, char *val)
{
	struct config_peer *peer = cur_peer(p);
	struct key_ref *ref;

	if (parse_pubkey(val, peer->pubkey))
		return fail(p, p->line, "PublicKey is not base64 of %d bytes (as \"jumpctl key pubkey\" prints)",
			    JUMP_PUBKEY_LEN);
	if (!sodium_memcmp(peer->pubkey, p->c->public_key, JUMP_PUBKEY_LEN))
		return fail(p, p->line, "PublicKey is this interface's own public key; a peer needs the other side's");
	if (grow((void **)&p->keys, p->nkeys, sizeof(*p->keys)))
		return fail(p, p->line, "out of memory");
	ref = &p->keys[p->nkeys++];
	memcpy(ref->key, peer->pubkey, JUMP_PUBKEY_LEN);
	ref->line = p->line;
	return 0;
}

/*
 * @s was refused for its host bits alone, so its address parses as a host
 * prefix and its length is valid: mask the one with the other.
 */
static void clear_host_bits(struct prefix *pf, const char *s)
{
	uint8_t *a = (uint8_t *)&pf->addr;
	const char *slash = strchr(s, '/');
	char host[INET6_ADDRSTRLEN];
	unsigned int len, i;

	snprintf(host, sizeof(host), "%.*s", (int)(slash - s), s);
	parse_prefix(host, pf);
	len = atoi(slash + 1);
	for (i = len / 8; i < pf->len / 8u; i++)
		a[i] &= i == len / 8 ? (uint8_t)(0xff << (8 - len % 8)) : 0;
	pf->len = len;
}

static int host_bits_error(struct parser *p, const char *item)
{
	char b[SHOWN_LEN], fixed[PREFIX_LEN];
	struct prefix pf;

	clear_host_bits(&pf, item);
	format_prefix(&pf, fixed, sizeof(fixed));
	return fail(p, p->line, "host bits set in %s: did you mean %s?",
		    shown(item, b), fixed);
}

static int add_prefix(struct parser *p, const char *item)
{
	struct config_peer *peer = cur_peer(p);
	char b[SHOWN_LEN];
	struct prefix pf;
	int ret = parse_prefix(item, &pf);

	if (ret == PREFIX_HOST_BITS)
		return host_bits_error(p, item);
	if (ret)
		return fail(p, p->line, "AllowedIPs entry \"%s\" is not a prefix like 10.0.0.0/24 or fd00::/64",
			    shown(item, b));
	if (peer->nprefixes == JUMP_MAX_PREFIXES)
		return fail(p, p->line, "more than %d AllowedIPs in one peer",
			    JUMP_MAX_PREFIXES);
	if (grow((void **)&peer->prefixes, peer->nprefixes, sizeof(pf)) ||
	    grow((void **)&p->prefixes, p->nprefixes, sizeof(*p->prefixes)))
		return fail(p, p->line, "out of memory");
	peer->prefixes[peer->nprefixes++] = pf;
	p->prefixes[p->nprefixes++] = (struct prefix_ref){
		.p = pf, .peer = p->c->npeers - 1, .line = p->line };
	return 0;
}

static char *trim(char *s)
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

static int set_allowed_ips(struct parser *p, enum key k, char *val)
{
	char *item, *next;

	for (item = val; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = trim(item);
		if (!*item)
			return fail(p, p->line, "empty entry in AllowedIPs");
		if (add_prefix(p, item))
			return -1;
	}
	return 0;
}

static bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static int set_endpoint(struct parser *p, enum key k, char *val)
{
	struct config_peer *peer = cur_peer(p);
	struct endpoint ep;
	char b[SHOWN_LEN];
	size_t i;

	if (p->c->role == JUMP_ROLE_SERVER)
		return fail(p, p->line, "Endpoint is not valid on a server: a server learns each client's address from its handshake");
	if (peer->nendpoints == CONFIG_MAX_ENDPOINTS)
		return fail(p, p->line, "more than %d Endpoints", CONFIG_MAX_ENDPOINTS);
	if (parse_endpoint(val, &ep) || !ep.port)
		return fail(p, p->line, "Endpoint \"%s\" is not ADDRESS:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820 (no host names, port 1 to 65535)",
			    shown(val, b));
	for (i = 0; i < peer->nendpoints; i++)
		if (endpoint_equal(&peer->endpoints[i], &ep))
			return fail(p, p->line, "Endpoint %s is listed twice",
				    shown(val, b));
	peer->endpoints[peer->nendpoints++] = ep;
	return 0;
}

#define DUR(n, f, lo, hi) { n, SEC_POLICY, false, set_duration, \
			    offsetof(struct config_policy, f), lo, hi }
#define CNT(n, f, hi) { n, SEC_POLICY, false, set_count, \
			offsetof(struct config_policy, f), 1, hi }

static const struct key_def keys[K_COUNT] = {
	[K_ROLE] = { "Role", SEC_INTERFACE, false, set_role },
	[K_PRIVATE_KEY] = { "PrivateKey", SEC_INTERFACE, false, set_private_key },
	[K_PRIVATE_KEY_FILE] = { "PrivateKeyFile", SEC_INTERFACE, false,
				 set_private_key_file },
	[K_LISTEN_PORT] = { "ListenPort", SEC_INTERFACE, false, set_listen_port },
	[K_UPLINK] = { "Uplink", SEC_INTERFACE, true, set_uplink },
	[K_STATE_DIR] = { "StateDirectory", SEC_INTERFACE, false, set_path },
	[K_AUDIT_LOG] = { "AuditLog", SEC_INTERFACE, false, set_path },
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
	[K_PUBLIC_KEY] = { "PublicKey", SEC_PEER, false, set_public_key },
	[K_ALLOWED_IPS] = { "AllowedIPs", SEC_PEER, true, set_allowed_ips },
	[K_ENDPOINT] = { "Endpoint", SEC_PEER, true, set_endpoint },
};

static int set_duration(struct parser *p, enum key k, char *val)
{
	const struct key_def *d = &keys[k];
	const char *why;
	char b[SHOWN_LEN];
	uint32_t ms;

	/* "Unlimited" is a number without a unit, so it is spelled 0. */
	if (!strcmp(val, "0")) {
		if (k != K_LIFETIME)
			return fail(p, p->line, "%s = 0: only SessionLifetime may be 0 (unlimited)",
				    d->name);
		*policy_field(p->c, d->off) = 0;
		return 0;
	}
	if (parse_duration(val, &ms, &why))
		return fail(p, p->line, "%s = %s %s", d->name, shown(val, b), why);
	if (check_bounds(p, d, ms, true))
		return -1;
	*policy_field(p->c, d->off) = ms;
	return 0;
}

static int set_count(struct parser *p, enum key k, char *val)
{
	const struct key_def *d = &keys[k];
	char b[SHOWN_LEN];
	uint32_t v;

	if (parse_u32(val, &v))
		return fail(p, p->line, "%s = %s is not a whole number", d->name,
			    shown(val, b));
	if (check_bounds(p, d, v, false))
		return -1;
	*policy_field(p->c, d->off) = v;
	return 0;
}

void config_policy_defaults(struct config_policy *p)
{
	*p = (struct config_policy){
		.keepalive_ms = JUMP_DEFAULT_KEEPALIVE_MS,
		.volatile_ms = JUMP_DEFAULT_VOLATILE_MS,
		.degraded_ms = JUMP_DEFAULT_DEGRADED_MS,
		.recovery_window_ms = 60 * MS_PER_S,
		.max_switches = 10,
		.switch_interval_ms = 60 * MS_PER_S,
		.retry_initial_ms = 250,
		.retry_max_ms = 4 * MS_PER_S,
		.birth_timeout_ms = 10 * MS_PER_S,
		.path_timeout_ms = 2 * MS_PER_S,
		.clock_skew_ms = 30 * MS_PER_S,
		.source_rate = 10,
		.source_burst = 20,
		.global_rate = 1000,
		.global_burst = 2000,
		.cookie_threshold = 500,
		.rekey_interval_ms = 120 * MS_PER_S,
		.session_lifetime_ms = 0,
		.max_sessions = 1024,
	};
}

_Static_assert(CONFIG_POLICY_KEYS == K_MAX_SESSIONS - K_KEEPALIVE + 1,
	       "one [Policy] key per field of struct config_policy");
_Static_assert(CONFIG_POLICY_KEYS <= 32, "config.policy_set has a bit per key");

/* The key of field @i of struct config_policy; K_COUNT if none. */
static enum key policy_key(size_t i)
{
	enum key k;

	for (k = K_KEEPALIVE; k <= K_MAX_SESSIONS; k++)
		if (keys[k].off == i * sizeof(uint32_t))
			return k;
	return K_COUNT;
}

const char *config_policy_name(size_t i)
{
	enum key k = policy_key(i);

	return k == K_COUNT ? NULL : keys[k].name;
}

bool config_policy_is_duration(size_t i)
{
	enum key k = policy_key(i);

	return k != K_COUNT && keys[k].set == set_duration;
}

uint32_t config_policy_value(const struct config_policy *p, size_t i)
{
	if (i >= CONFIG_POLICY_KEYS)
		return 0;
	return *(const uint32_t *)((const char *)p + i * sizeof(uint32_t));
}

const char *config_policy_format(const struct config_policy *p, size_t i,
				 char buf[CONFIG_VALUE_LEN])
{
	uint32_t v = config_policy_value(p, i);

	/* SessionLifetime's 0 (unlimited) is the one bare number a duration takes. */
	if (!config_policy_is_duration(i) || !v)
		snprintf(buf, CONFIG_VALUE_LEN, "%u", v);
	else
		fmt_ms(v, buf);
	return buf;
}

int config_default_path(const char *ifname, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s.conf", CONFIG_DIR, ifname);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Sections end: the relations between their keys. */

/* The later of two keys' lines, or the section's when neither was set. */
static unsigned int later(struct parser *p, enum key a, enum key b)
{
	unsigned int la = p->policy_seen[a], lb = p->policy_seen[b];
	unsigned int l = la > lb ? la : lb;

	return l ? l : p->policy_line;
}

static int check_order(struct parser *p, enum key a, enum key b,
		       bool strict, const char *why)
{
	uint32_t va = *policy_field(p->c, keys[a].off);
	uint32_t vb = *policy_field(p->c, keys[b].off);
	char sa[CONFIG_VALUE_LEN], sb[CONFIG_VALUE_LEN];

	if (strict ? va < vb : va <= vb)
		return 0;
	return fail(p, later(p, a, b), "%s (%s) must be %s %s (%s)%s",
		    keys[a].name, fmt_ms(va, sa), strict ? "less than" : "at most",
		    keys[b].name, fmt_ms(vb, sb), why);
}

static int end_policy(struct parser *p)
{
	static const char kernel[] = ": the kernel refuses liveness times that do not grow";

	return check_order(p, K_KEEPALIVE, K_VOLATILE, true, kernel) ?:
	       check_order(p, K_VOLATILE, K_DEGRADED, true, kernel) ?:
	       check_order(p, K_DEGRADED, K_RECOVERY, false,
			   ": a session must be able to reach DEGRADED before its recovery window closes") ?:
	       check_order(p, K_RETRY_INITIAL, K_RETRY_MAX, false, "");
}

static int end_interface(struct parser *p)
{
	struct config *c = p->c;

	if (!p->seen[K_ROLE])
		return fail(p, 0, "[Interface] has no Role: add Role = server or Role = client");
	if (!p->seen[K_PRIVATE_KEY] && !p->seen[K_PRIVATE_KEY_FILE])
		return fail(p, 0, "[Interface] has no PrivateKey or PrivateKeyFile");
	if (c->role == JUMP_ROLE_SERVER && !p->seen[K_LISTEN_PORT])
		return fail(p, 0, "a server needs a ListenPort in [Interface]");
	if (c->role == JUMP_ROLE_SERVER && !c->listen_port)
		return fail(p, p->seen[K_LISTEN_PORT], "a server's ListenPort must be 1 to 65535");
	if (c->role == JUMP_ROLE_SERVER && c->nuplinks)
		return fail(p, p->seen[K_UPLINK], "Uplink is for clients only: a server answers on the path a packet came from");
	if (crypto_scalarmult_base(c->public_key, c->private_key))
		return fail(p, p->seen[K_PRIVATE_KEY] ?: p->seen[K_PRIVATE_KEY_FILE],
			    "the private key gives no valid public key");
	return 0;
}

static int end_peer(struct parser *p)
{
	const struct config_peer *peer = cur_peer(p);

	if (!p->seen[K_PUBLIC_KEY])
		return fail(p, p->sec_line, "[Peer] has no PublicKey");
	if (p->c->role == JUMP_ROLE_CLIENT && !peer->nendpoints)
		return fail(p, p->sec_line, "a client's [Peer] needs at least one Endpoint, the server's address");
	return 0;
}

static int end_section(struct parser *p)
{
	switch (p->sec) {
	case SEC_INTERFACE:
		return end_interface(p);
	case SEC_POLICY:
		return end_policy(p);
	case SEC_PEER:
		return end_peer(p);
	default:
		return 0;
	}
}

/* Section headers */

static int begin_peer(struct parser *p)
{
	struct config *c = p->c;

	if (c->role == JUMP_ROLE_CLIENT && c->npeers)
		return fail(p, p->line, "a client has exactly one [Peer], its server (the first is at line %u)",
			    c->peers[0].line);
	if (c->npeers == CONFIG_MAX_PEERS)
		return fail(p, p->line, "more than %d peers", CONFIG_MAX_PEERS);
	if (grow((void **)&c->peers, c->npeers, sizeof(*c->peers)))
		return fail(p, p->line, "out of memory");
	c->peers[c->npeers++] = (struct config_peer){ .line = p->line };
	return 0;
}

static int begin_section(struct parser *p, enum section s)
{
	if (s != SEC_INTERFACE && !p->interface_line)
		return fail(p, p->line, "[%s] before [Interface]: [Interface] comes first",
			    section_names[s]);
	if (s == SEC_INTERFACE && p->interface_line)
		return fail(p, p->line, "a second [Interface] (the first is at line %u)",
			    p->interface_line);
	if (s == SEC_POLICY && p->policy_line)
		return fail(p, p->line, "a second [Policy] (the first is at line %u)",
			    p->policy_line);
	if (s == SEC_PEER && begin_peer(p))
		return -1;
	if (s == SEC_INTERFACE)
		p->interface_line = p->line;
	if (s == SEC_POLICY)
		p->policy_line = p->line;
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
		return fail(p, p->line, "a section header ends with ']'");
	s[len - 1] = '\0';
	name = trim(s + 1);
	for (i = SEC_INTERFACE; i <= SEC_PEER; i++)
		if (!strcasecmp(name, section_names[i]))
			break;
	if (i > SEC_PEER)
		return fail(p, p->line, "unknown section [%s]: expected [Interface], [Policy] or [Peer]",
			    shown(name, b));
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
			return fail(p, p->line, "%s is not valid in [%s]: it belongs in [%s]",
				    keys[k].name, section_names[p->sec],
				    section_names[keys[k].sec]);
	return fail(p, p->line, "unknown key \"%s\" in [%s]", shown(key, b),
		    section_names[p->sec]);
}

static int parse_assignment(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *key, *val, b[SHOWN_LEN];
	enum key k;

	if (!eq)
		return fail(p, p->line, "expected Key = Value or a [Section]");
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return fail(p, p->line, "no key before '='");
	if (p->sec == SEC_NONE)
		return fail(p, p->line, "%s before any section: the file starts with [Interface]",
			    shown(key, b));
	for (k = 0; k < K_COUNT; k++)
		if (keys[k].sec == p->sec && !strcasecmp(key, keys[k].name))
			break;
	if (k == K_COUNT)
		return unknown_key(p, key);
	if (!*val)
		return fail(p, p->line, "%s has no value", keys[k].name);
	if (p->seen[k] && !keys[k].multi)
		return fail(p, p->line, "%s is already set at line %u", keys[k].name,
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
	s = trim(line);
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
			return fail(p, p->line, "NUL byte in line");
		if (n == LINE_LIMIT + 1)
			return fail(p, p->line, "line longer than %d bytes", LINE_LIMIT);
		buf[n++] = ch;
	}
	if (ferror(f))
		return fail(p, 0, "cannot read: %s", strerror(errno));
	if (ch == EOF && !n)
		return 0;
	if (n && buf[n - 1] == '\r')
		n--;
	if (n > LINE_LIMIT)
		return fail(p, p->line, "line longer than %d bytes", LINE_LIMIT);
	buf[n] = '\0';
	return 1;
}

/* File end: relations between peers. */

static int cmp_key_ref(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int r = memcmp(x->key, y->key, JUMP_PUBKEY_LEN);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* Sorted, so 65536 peers take no 2^31 comparisons; the first line wins. */
static int check_duplicate_keys(struct parser *p)
{
	unsigned int bad = 0, first = 0;
	size_t i;

	if (p->nkeys < 2)
		return 0;
	qsort(p->keys, p->nkeys, sizeof(*p->keys), cmp_key_ref);
	for (i = 1; i < p->nkeys; i++) {
		if (memcmp(p->keys[i - 1].key, p->keys[i].key, JUMP_PUBKEY_LEN))
			continue;
		if (!bad || p->keys[i].line < bad) {
			bad = p->keys[i].line;
			first = p->keys[i - 1].line;
		}
	}
	if (bad)
		return fail(p, bad, "this PublicKey is also the one at line %u: one [Peer] per key",
			    first);
	return 0;
}

static int cmp_prefix(const struct prefix *x, const struct prefix *y)
{
	int r;

	if (x->family != y->family)
		return x->family - y->family;
	r = memcmp(&x->addr, &y->addr, x->family == AF_INET6 ? 16 : 4);
	return r ? r : x->len - y->len;
}

static int cmp_prefix_ref(const void *a, const void *b)
{
	const struct prefix_ref *x = a, *y = b;
	int r = cmp_prefix(&x->p, &y->p);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

static bool prefix_contains(const struct prefix *outer, const struct prefix *in)
{
	const uint8_t *a = (const uint8_t *)&outer->addr;
	const uint8_t *b = (const uint8_t *)&in->addr;
	unsigned int full = outer->len / 8, rest = outer->len % 8;

	if (outer->family != in->family || outer->len > in->len)
		return false;
	if (memcmp(a, b, full))
		return false;
	return !rest || !((a[full] ^ b[full]) & (0xff << (8 - rest)));
}

/* Of all overlaps, the one whose later line comes first in the file. */
struct overlap {
	const struct prefix_ref *early, *late;
};

static void note_overlap(struct overlap *o, const struct prefix_ref *a,
			 const struct prefix_ref *b)
{
	const struct prefix_ref *early = a->line <= b->line ? a : b;
	const struct prefix_ref *late = early == a ? b : a;

	if (!o->late || late->line < o->late->line) {
		o->early = early;
		o->late = late;
	}
}

static int report_overlap(struct parser *p, const struct overlap *o)
{
	const struct prefix_ref *early = o->early, *late = o->late;
	char a[PREFIX_LEN], b[PREFIX_LEN];

	format_prefix(&late->p, a, sizeof(a));
	format_prefix(&early->p, b, sizeof(b));
	if (early->peer == late->peer)
		return fail(p, late->line, "AllowedIPs %s is listed twice", a);
	return fail(p, late->line, "AllowedIPs %s overlaps %s of the [Peer] at line %u: each address belongs to one peer",
		    a, b, p->c->peers[early->peer].line);
}

/*
 * Sorted by address then length, every prefix follows the prefixes that
 * contain it, so a stack of the enclosing ones finds each overlap in
 * O(n log n). A peer may nest its own prefixes, never repeat one.
 */
static int check_overlaps(struct parser *p)
{
	const struct prefix_ref *stack[129 + 1];
	struct overlap o = { 0 };
	size_t i, depth = 0, j;

	if (p->nprefixes < 2)
		return 0;
	qsort(p->prefixes, p->nprefixes, sizeof(*p->prefixes), cmp_prefix_ref);
	for (i = 0; i < p->nprefixes; i++) {
		const struct prefix_ref *e = &p->prefixes[i];

		while (depth && !prefix_contains(&stack[depth - 1]->p, &e->p))
			depth--;
		for (j = 0; j < depth; j++)
			if (stack[j]->peer != e->peer || stack[j]->p.len == e->p.len)
				note_overlap(&o, stack[j], e);
		/* Equal prefixes are one level: the stack stays <= 129 deep. */
		if (!depth || stack[depth - 1]->p.len != e->p.len)
			stack[depth++] = e;
	}
	return o.late ? report_overlap(p, &o) : 0;
}

static int end_file(struct parser *p)
{
	if (end_section(p))
		return -1;
	if (!p->interface_line)
		return fail(p, 0, "no [Interface] section");
	if (p->c->role == JUMP_ROLE_CLIENT && !p->c->npeers)
		return fail(p, 0, "a client needs a [Peer], its server, with an Endpoint");
	return check_duplicate_keys(p) ?: check_overlaps(p);
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

	if (!ifname || !uplink_ifname_ok(ifname))
		return fail(p, 0, "\"%s\" is not an interface name",
			    ifname ? shown(ifname, b) : "(null)");
	if (sodium_init() < 0)
		return fail(p, 0, "libsodium cannot initialize");
	f = fopen(path, "re");
	if (!f)
		return fail(p, 0, "cannot open: %s", strerror(errno));
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
		ret = fail(&p, 0, "path too long");
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
