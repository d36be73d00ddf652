// SPDX-License-Identifier: GPL-2.0
/*
 * What the values of [Interface] and [Peer] mean: the role, the private key
 * (inline or in a key file that only its owner may read), the listen port,
 * uplinks, paths, a peer's public key, AllowedIPs prefixes and endpoints;
 * each checked as it is read. Then what each of those sections must hold
 * when it ends. config.c reads the file and calls these through its table
 * of keys; relations between peers are config_check.c's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "config.h"
#include "config_parser.h"

static struct config_peer *cur_peer(struct parser *p)
{
	return &p->c->peers[p->c->npeers - 1];
}

/* [Interface] */

int config_set_role(struct parser *p, enum key k, char *val)
{
	char b[SHOWN_LEN];

	if (!strcasecmp(val, "server"))
		p->c->role = JUMP_ROLE_SERVER;
	else if (!strcasecmp(val, "client"))
		p->c->role = JUMP_ROLE_CLIENT;
	else
		return config_fail(p, p->line, "Role must be server or client, not \"%s\"",
				   config_shown(val, b));
	return 0;
}

static int exclusive_keys(struct parser *p, enum key k)
{
	enum key other = k == K_PRIVATE_KEY ? K_PRIVATE_KEY_FILE : K_PRIVATE_KEY;

	if (!p->seen[other])
		return 0;
	return config_fail(p, p->line, "PrivateKey and PrivateKeyFile (line %u) exclude each other: keep one",
			   p->seen[other]);
}

/* Never echoes the value: it may be a private key with a typo. */
int config_set_private_key(struct parser *p, enum key k, char *val)
{
	if (exclusive_keys(p, k))
		return -1;
	if (parse_base64(val, p->c->private_key, JUMP_PUBKEY_LEN))
		return config_fail(p, p->line, "PrivateKey is not base64 of %d bytes (as \"jumpctl key genkey\" prints)",
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
		return config_fail(p, p->line, "path too long");
	return 0;
}

static int key_file_stat(struct parser *p, int fd, const char *path)
{
	char b[SHOWN_LEN];
	struct stat st;

	if (fstat(fd, &st))
		return config_fail(p, p->line, "cannot stat key file %s: %s",
				   config_shown(path, b), strerror(errno));
	if (!S_ISREG(st.st_mode))
		return config_fail(p, p->line, "key file %s is not a regular file",
				   config_shown(path, b));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return config_fail(p, p->line, "key file %s is readable or writable by group or others (mode %04o): chmod 600 it",
				   config_shown(path, b), (unsigned int)(st.st_mode & 07777));
	return 0;
}

/* One base64 line of 32 bytes, as "jumpctl key genkey > FILE" writes it. */
static int key_file_read(struct parser *p, int fd, const char *path, uint8_t *key)
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
		err = config_fail(p, p->line, "cannot read key file %s: %s",
				  config_shown(path, b), strerror(errno));
	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	buf[len] = '\0';
	if (!err && (strlen(buf) != len ||
		     parse_base64(buf, key, JUMP_PUBKEY_LEN)))
		err = config_fail(p, p->line, "key file %s does not hold one base64 key of %d bytes (as \"jumpctl key genkey\" writes)",
				  config_shown(path, b), JUMP_PUBKEY_LEN);
	sodium_memzero(buf, sizeof(buf));
	return err;
}

int config_read_key_file(struct parser *p, const char *val, uint8_t key[32])
{
	char path[sizeof(p->c->path)], b[SHOWN_LEN];
	int fd, err;

	if (resolve_path(p, val, path, sizeof(path)))
		return -1;
	/* O_NONBLOCK: a FIFO must not hang jumpd; fstat() then refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return config_fail(p, p->line, "cannot open key file %s: %s",
				   config_shown(path, b), strerror(errno));
	err = key_file_stat(p, fd, path) ?: key_file_read(p, fd, path, key);
	close(fd);
	return err;
}

int config_set_private_key_file(struct parser *p, enum key k, char *val)
{
	if (exclusive_keys(p, k))
		return -1;
	return config_read_key_file(p, val, p->c->private_key);
}

int config_set_listen_port(struct parser *p, enum key k, char *val)
{
	char b[SHOWN_LEN];

	if (parse_port(val, &p->c->listen_port))
		return config_fail(p, p->line, "ListenPort \"%s\" is not a port: 1 to 65535 (0: any, clients only)",
				   config_shown(val, b));
	return 0;
}

/* As the kernel's dev_valid_name(), so a name it would refuse fails here. */
bool config_ifname_ok(const char *s)
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

int config_set_uplink(struct parser *p, enum key k, char *val)
{
	struct config *c = p->c;
	struct config_uplink u = { 0 };
	char b[SHOWN_LEN];
	size_t i;

	if (c->nuplinks == CONFIG_MAX_UPLINKS)
		return config_fail(p, p->line, "more than %d Uplinks", CONFIG_MAX_UPLINKS);
	if (inet_pton(AF_INET, val, &u.addr.addr) == 1)
		u.addr.family = AF_INET;
	else if (inet_pton(AF_INET6, val, &u.addr.addr) == 1)
		u.addr.family = AF_INET6;
	else if (config_ifname_ok(val))
		strcpy(u.ifname, val);
	else
		return config_fail(p, p->line, "Uplink \"%s\" is neither an IP address nor an interface name (1 to %d bytes, no '/', ':' or blanks)",
				   config_shown(val, b), IF_NAMESIZE - 1);
	for (i = 0; i < c->nuplinks; i++)
		if (uplink_equal(&c->uplinks[i], &u))
			return config_fail(p, p->line, "Uplink \"%s\" is listed twice",
					   config_shown(val, b));
	c->uplinks[c->nuplinks++] = u;
	return 0;
}

/* Absolute: jumpd's working directory is nothing to depend on. */
int config_set_path(struct parser *p, enum key k, char *val)
{
	char *dst = k == K_STATE_DIR ? p->c->state_dir : p->c->audit_log;
	char b[SHOWN_LEN];

	if (val[0] != '/')
		return config_fail(p, p->line, "%s \"%s\" is not an absolute path",
				   k == K_STATE_DIR ? "StateDirectory" : "AuditLog",
				   config_shown(val, b));
	if (strlen(val) >= sizeof(p->c->state_dir))
		return config_fail(p, p->line, "path too long");
	strcpy(dst, val);
	return 0;
}

/* [Peer] */

int config_set_public_key(struct parser *p, enum key k, char *val)
{
	struct config_peer *peer = cur_peer(p);
	struct key_ref *ref;

	if (parse_pubkey(val, peer->pubkey))
		return config_fail(p, p->line, "PublicKey is not base64 of %d bytes (as \"jumpctl key pubkey\" prints)",
				   JUMP_PUBKEY_LEN);
	if (!sodium_memcmp(peer->pubkey, p->c->public_key, JUMP_PUBKEY_LEN))
		return config_fail(p, p->line, "PublicKey is this interface's own public key; a peer needs the other side's");
	if (config_grow((void **)&p->keys, p->nkeys, sizeof(*p->keys)))
		return config_fail(p, p->line, "out of memory");
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
	return config_fail(p, p->line, "host bits set in %s: did you mean %s?",
			   config_shown(item, b), fixed);
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
		return config_fail(p, p->line, "AllowedIPs entry \"%s\" is not a prefix like 10.0.0.0/24 or fd00::/64",
				   config_shown(item, b));
	if (peer->nprefixes == JUMP_MAX_PREFIXES)
		return config_fail(p, p->line, "more than %d AllowedIPs in one peer",
				   JUMP_MAX_PREFIXES);
	if (config_grow((void **)&peer->prefixes, peer->nprefixes, sizeof(pf)) ||
	    config_grow((void **)&p->prefixes, p->nprefixes, sizeof(*p->prefixes)))
		return config_fail(p, p->line, "out of memory");
	peer->prefixes[peer->nprefixes++] = pf;
	p->prefixes[p->nprefixes++] = (struct prefix_ref){
		.p = pf, .peer = p->c->npeers - 1, .line = p->line };
	return 0;
}

int config_set_allowed_ips(struct parser *p, enum key k, char *val)
{
	char *item, *next;

	for (item = val; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item = config_trim(item);
		if (!*item)
			return config_fail(p, p->line, "empty entry in AllowedIPs");
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

int config_set_endpoint(struct parser *p, enum key k, char *val)
{
	struct config_peer *peer = cur_peer(p);
	struct endpoint ep;
	char b[SHOWN_LEN];
	size_t i;

	if (p->c->role == JUMP_ROLE_SERVER)
		return config_fail(p, p->line, "Endpoint is not valid on a server: a server learns each client's address from its handshake");
	if (peer->nendpoints == CONFIG_MAX_ENDPOINTS)
		return config_fail(p, p->line, "more than %d Endpoints", CONFIG_MAX_ENDPOINTS);
	if (parse_endpoint(val, &ep) || !ep.port)
		return config_fail(p, p->line, "Endpoint \"%s\" is not ADDRESS:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820 (no host names, port 1 to 65535)",
				   config_shown(val, b));
	for (i = 0; i < peer->nendpoints; i++)
		if (endpoint_equal(&peer->endpoints[i], &ep))
			return config_fail(p, p->line, "Endpoint %s is listed twice",
					   config_shown(val, b));
	peer->endpoints[peer->nendpoints++] = ep;
	return 0;
}

/* Sections end */

int config_end_interface(struct parser *p)
{
	struct config *c = p->c;

	if (!p->seen[K_ROLE])
		return config_fail(p, 0, "[Interface] has no Role: add Role = server or Role = client");
	if (!p->seen[K_PRIVATE_KEY] && !p->seen[K_PRIVATE_KEY_FILE])
		return config_fail(p, 0, "[Interface] has no PrivateKey or PrivateKeyFile");
	if (c->role == JUMP_ROLE_SERVER && !p->seen[K_LISTEN_PORT])
		return config_fail(p, 0, "a server needs a ListenPort in [Interface]");
	if (c->role == JUMP_ROLE_SERVER && !c->listen_port)
		return config_fail(p, p->seen[K_LISTEN_PORT], "a server's ListenPort must be 1 to 65535");
	if (c->role == JUMP_ROLE_SERVER && c->nuplinks)
		return config_fail(p, p->seen[K_UPLINK], "Uplink is for clients only: a server answers on the path a packet came from");
	if (crypto_scalarmult_base(c->public_key, c->private_key))
		return config_fail(p, p->seen[K_PRIVATE_KEY] ?: p->seen[K_PRIVATE_KEY_FILE],
				   "the private key gives no valid public key");
	return 0;
}

int config_end_peer(struct parser *p)
{
	const struct config_peer *peer = cur_peer(p);

	if (!p->seen[K_PUBLIC_KEY])
		return config_fail(p, p->sec_line, "[Peer] has no PublicKey");
	if (p->c->role == JUMP_ROLE_CLIENT && !peer->nendpoints)
		return config_fail(p, p->sec_line, "a client's [Peer] needs at least one Endpoint, the server's address");
	return 0;
}
