// SPDX-License-Identifier: GPL-2.0
/*
 * [Cluster] (Documentation/configuration.rst): etcd's client URLs, this
 * node's name in the ownership records, and its lease's time to live. Only
 * a server has one; without it jumpd is single-node and never talks to etcd.
 */
#include <ctype.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_parser.h"

#define MAX_ENDPOINTS	8	/* etcd.h's ETCD_MAX_ENDPOINTS */

/* "http://HOST:PORT" or https, HOST a name or an address, nothing after the port. */
static bool url_ok(const char *u, size_t len)
{
	size_t skip = !strncmp(u, "http://", 7) ? 7 : !strncmp(u, "https://", 8) ? 8 : 0;
	size_t i, colon = 0;

	if (!skip || len <= skip || len > 200)
		return false;
	for (i = skip; i < len; i++) {
		unsigned char ch = (unsigned char)u[i];

		if (ch == ':')
			colon = i;
		else if (!isalnum(ch) && !strchr(".-[]", ch))
			return false;
	}
	if (!colon || colon == skip || colon + 1 == len || len - colon - 1 > 5)
		return false;
	for (i = colon + 1; i < len; i++)
		if (!isdigit((unsigned char)u[i]))
			return false;
	return true;
}

int config_set_endpoints(struct parser *p, enum key k, char *val)
{
	size_t n = 0, len;
	const char *s = val;
	char b[SHOWN_LEN];

	if (strlen(val) >= CONFIG_ENDPOINTS_LEN)
		return config_fail(p, p->line, "Endpoints is longer than %d bytes",
				   CONFIG_ENDPOINTS_LEN - 1);
	while (*s) {
		s += strspn(s, ", ");
		if (!*s)
			break;
		len = strcspn(s, ", ");
		if (!url_ok(s, len)) {
			char one[256];

			snprintf(one, sizeof(one), "%.*s", (int)(len < 255 ? len : 255), s);
			return config_fail(p, p->line, "Endpoints: %s is not http://HOST:PORT",
					   config_shown(one, b));
		}
		if (++n > MAX_ENDPOINTS)
			return config_fail(p, p->line, "Endpoints: more than %d etcd members",
					   MAX_ENDPOINTS);
		s += len;
	}
	if (!n)
		return config_fail(p, p->line, "Endpoints names no etcd member");
	snprintf(p->c->cluster.endpoints, sizeof(p->c->cluster.endpoints), "%s", val);
	return 0;
}

/* Letters, digits, '.', '-' and '_': it goes into records and file names. */
static bool node_name_ok(const char *s)
{
	size_t i;

	if (!*s || strlen(s) > JUMP_NODE_NAME_MAX || *s == '.' || *s == '-')
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

int config_set_node_name(struct parser *p, enum key k, char *val)
{
	char b[SHOWN_LEN];

	if (!node_name_ok(val))
		return config_fail(p, p->line, "NodeName = %s: 1 to %d letters, digits, '.', '-' or '_', starting with a letter or digit",
				   config_shown(val, b), JUMP_NODE_NAME_MAX);
	snprintf(p->c->cluster.node, sizeof(p->c->cluster.node), "%s", val);
	return 0;
}

int config_set_lease_ttl(struct parser *p, enum key k, char *val)
{
	return config_read_duration(p, k, val, &p->c->cluster.lease_ttl_ms);
}

/* Checked and read like PrivateKeyFile: never echoed, mode 0600 at most. */
int config_set_cluster_key_file(struct parser *p, enum key k, char *val)
{
	_Static_assert(JUMP_CLUSTER_KEY_LEN == 32, "config_read_key_file() reads 32 bytes");
	if (config_read_key_file(p, val, p->c->cluster.key))
		return -1;
	p->c->cluster.has_key = true;
	return 0;
}

int config_end_cluster(struct parser *p)
{
	struct config_cluster *cl = &p->c->cluster;
	char host[256] = "";

	if (p->c->role != JUMP_ROLE_SERVER)
		return config_fail(p, p->sec_line, "[Cluster] is for servers only: a client's server owns its session");
	if (!p->seen[K_ENDPOINTS])
		return config_fail(p, p->sec_line, "[Cluster] has no Endpoints: etcd's client URLs");
	if (!cl->lease_ttl_ms)
		cl->lease_ttl_ms = JUMP_DEFAULT_LEASE_TTL_MS;
	if (!cl->node[0]) {
		if (gethostname(host, sizeof(host) - 1) || !node_name_ok(host))
			return config_fail(p, p->sec_line, "[Cluster]: the host name is no valid NodeName: set NodeName");
		snprintf(cl->node, sizeof(cl->node), "%s", host);
	}
	return 0;
}
