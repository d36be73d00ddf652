/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpd's configuration: /etc/jump/<ifname>.conf, in the INI style of
 * wg-quick (Documentation/configuration.rst, jump.conf(5)).
 *
 *   [Interface]  Role, PrivateKey or PrivateKeyFile, ListenPort, Uplink...
 *   [Policy]     the policy bounds; every one has a default
 *   [Peer]       PublicKey, AllowedIPs, Endpoint... (one per client on a
 *                server; exactly one, the server, on a client)
 *   [Cluster]    Endpoints, NodeName, LeaseTTL: a server's sessions owned
 *                through etcd; without it, single node
 *
 * A config either loads completely or not at all: the first error comes
 * back as "FILE:LINE: problem" and nothing is half applied.
 *
 * config.c reads the file through its table of keys (which spells each
 * [Policy] bound once); config_value.c, config_policy.c (which spells each
 * default once) and config_check.c say what the values mean.
 */
#ifndef JUMPD_CONFIG_H
#define JUMPD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

#include "jump_audit.h"		/* JUMP_AUDIT_DIR, JUMP_AUDIT_STATE_DIR: shared with jumpctl */
#include "jump_parse.h"		/* struct endpoint, struct prefix */

#define CONFIG_DIR		"/etc/jump"
#define CONFIG_MAX_UPLINKS	8
#define CONFIG_MAX_ENDPOINTS	8
#define CONFIG_MAX_PEERS	65536
#define CONFIG_ERR_LEN		512

/* Times in milliseconds; rates in packets per second. */
struct config_policy {
	uint32_t keepalive_ms;		/* Keepalive      (JUMP_DEFAULT_KEEPALIVE_MS) */
	uint32_t volatile_ms;		/* VolatileAfter  (JUMP_DEFAULT_VOLATILE_MS) */
	uint32_t degraded_ms;		/* DegradedAfter  (JUMP_DEFAULT_DEGRADED_MS) */
	uint32_t recovery_window_ms;	/* RecoveryWindow: DEGRADED/RECOVERING -> TERMINATED */
	uint32_t max_switches;		/* MaxSwitches per SwitchInterval */
	uint32_t switch_interval_ms;	/* SwitchInterval */
	uint32_t retry_initial_ms;	/* RetryInitial: first handshake/reattach retry */
	uint32_t retry_max_ms;		/* RetryMax: backoff doubles up to this */
	uint32_t birth_timeout_ms;	/* BirthTimeout: BIRTH -> TERMINATED */
	uint32_t path_timeout_ms;	/* PathValidationTimeout */
	uint32_t clock_skew_ms;		/* ClockSkew: reattach timestamps */
	uint32_t source_rate;		/* SourceRate: control packets per source */
	uint32_t source_burst;		/* SourceBurst */
	uint32_t global_rate;		/* GlobalRate: control packets in all */
	uint32_t global_burst;		/* GlobalBurst */
	uint32_t cookie_threshold;	/* CookieThreshold: packets/s before cookies are required */
	uint32_t rekey_interval_ms;	/* RekeyInterval */
	uint32_t session_lifetime_ms;	/* SessionLifetime: 0 = unlimited */
	uint32_t max_sessions;		/* MaxSessions */
	uint32_t rebind_probe;		/* RebindProbe: 1 = yes, 0 = no */
	uint32_t standby_path;		/* StandbyPath: client, 1 = yes, 0 = no */
	uint32_t standby_keepalive_ms;	/* StandbyKeepalive (JUMP_DEFAULT_STANDBY_KEEPALIVE_MS) */
	uint32_t unlinkable;		/* Unlinkable: client, 1 = yes, 0 = no */
};

/* An uplink, in preference order: an interface or a local address. */
struct config_uplink {
	char ifname[IF_NAMESIZE];	/* "" when given as an address */
	struct endpoint addr;		/* family 0 when given as an interface; port 0 */
};

struct config_peer {
	uint8_t pubkey[JUMP_PUBKEY_LEN];
	struct prefix *prefixes;	/* AllowedIPs */
	size_t nprefixes;
	struct endpoint endpoints[CONFIG_MAX_ENDPOINTS];	/* Endpoint, in order */
	size_t nendpoints;
	unsigned int line;		/* of its [Peer] header, for messages */
};

/* [Cluster]: etcd's endpoints, this node's name, its lease's TTL. */
#define CONFIG_ENDPOINTS_LEN	1024
struct config_cluster {
	char endpoints[CONFIG_ENDPOINTS_LEN];	/* "": no [Cluster], single node */
	char node[JUMP_NODE_NAME_MAX + 1];	/* NodeName: default the host name */
	uint32_t lease_ttl_ms;			/* LeaseTTL (JUMP_DEFAULT_LEASE_TTL_MS) */
	/* ClusterKeyFile: seals what a surviving node needs to take a session over. */
	bool has_key;
	uint8_t key[JUMP_CLUSTER_KEY_LEN];
};

struct config {
	char path[4096];
	uint8_t role;			/* enum jump_role */
	uint8_t private_key[JUMP_PUBKEY_LEN];
	uint8_t public_key[JUMP_PUBKEY_LEN];
	uint16_t listen_port;		/* host order; 0: any (client) */
	struct config_uplink uplinks[CONFIG_MAX_UPLINKS];
	size_t nuplinks;
	struct config_peer *peers;
	size_t npeers;
	struct config_policy policy;
	uint32_t policy_set;		/* bit i: [Policy] key i is in the file */
	char state_dir[4096];		/* StateDirectory: default JUMP_AUDIT_STATE_DIR/<ifname> */
	char audit_log[4096];		/* AuditLog: default JUMP_AUDIT_DIR/<ifname>JUMP_AUDIT_SUFFIX */
	struct config_cluster cluster;
};

/* Every default, as [Policy] documents them. */
void config_policy_defaults(struct config_policy *p);

/*
 * The [Policy] keys by index i: field i of struct config_policy (every one
 * a uint32_t, in the order of Documentation/configuration.rst), bit i of
 * config.policy_set. For "jumpctl policy show", which prints what jumpd
 * loads through this very parser.
 */
#define CONFIG_POLICY_KEYS	(sizeof(struct config_policy) / sizeof(uint32_t))
#define CONFIG_VALUE_LEN	24
/* "Keepalive", "MaxSwitches"... */
const char *config_policy_name(size_t i);
/* True for a duration (kept in ms), false for a count. */
bool config_policy_is_duration(size_t i);
uint32_t config_policy_value(const struct config_policy *p, size_t i);
/* The value as a config file would spell it: "1s", "250ms", "0", "10". */
const char *config_policy_format(const struct config_policy *p, size_t i,
				 char buf[CONFIG_VALUE_LEN]);

/* CONFIG_DIR/IFNAME.conf, the config jumpd reads for IFNAME; -1 if too long. */
int config_default_path(const char *ifname, char *buf, size_t len);

/*
 * Loads @path for interface @ifname into @c (which it owns afterwards:
 * config_free()). 0, or -1 with "PATH:LINE: problem" (or "PATH: problem")
 * in @err. A key file named by PrivateKeyFile is read here too, and must
 * not be readable by group or others.
 */
int config_load(const char *path, const char *ifname, struct config *c,
		char err[CONFIG_ERR_LEN]);
void config_free(struct config *c);

/* The peer with this public key, or NULL. */
const struct config_peer *config_find_peer(const struct config *c,
					   const uint8_t pubkey[JUMP_PUBKEY_LEN]);

#endif /* JUMPD_CONFIG_H */
