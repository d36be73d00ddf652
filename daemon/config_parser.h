/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the config loader, between config.c (the reader and its table of
 * keys) and the files that give values their meaning: config_value.c
 * ([Interface] and [Peer]), config_policy.c ([Policy]), config_cluster.c
 * ([Cluster]) and config_check.c (relations between peers). The rest of jumpd and jumpctl use config.h.
 *
 * Every function that takes a struct parser and returns int returns 0, or
 * -1 with "PATH:LINE: problem" written by config_fail().
 */
#ifndef JUMPD_CONFIG_PARSER_H
#define JUMPD_CONFIG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/jump.h>

#include "config.h"
#include "jump_parse.h"

#define SHOWN_LEN	64
#define MS_PER_S	1000u
#define MS_PER_M	(60u * MS_PER_S)
#define MS_PER_H	(60u * MS_PER_M)

enum section { SEC_NONE, SEC_INTERFACE, SEC_POLICY, SEC_PEER, SEC_CLUSTER };

enum key {
	K_ROLE, K_PRIVATE_KEY, K_PRIVATE_KEY_FILE, K_LISTEN_PORT, K_UPLINK,
	K_STATE_DIR, K_AUDIT_LOG,
	K_KEEPALIVE, K_VOLATILE, K_DEGRADED, K_RECOVERY, K_SWITCH_INTERVAL,
	K_RETRY_INITIAL, K_RETRY_MAX, K_BIRTH_TIMEOUT, K_PATH_TIMEOUT,
	K_CLOCK_SKEW, K_REKEY, K_LIFETIME,
	K_MAX_SWITCHES, K_SOURCE_RATE, K_SOURCE_BURST, K_GLOBAL_RATE,
	K_GLOBAL_BURST, K_COOKIE, K_MAX_SESSIONS, K_REBIND_PROBE,
	K_STANDBY_PATH, K_STANDBY_KEEPALIVE, K_UNLINKABLE,
	K_PUBLIC_KEY, K_ALLOWED_IPS, K_ENDPOINT,
	K_ENDPOINTS, K_NODE_NAME, K_LEASE_TTL, K_CLUSTER_KEY_FILE,
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
	unsigned int interface_line, policy_line, cluster_line;
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

/* config.c: the table of keys, and what every setter uses. */
const struct key_def *config_key(enum key k);
int __attribute__((format(printf, 3, 4)))
config_fail(struct parser *p, unsigned int line, const char *fmt, ...);
/* Values end up in logs: no control characters, no screenfuls. */
const char *config_shown(const char *v, char buf[SHOWN_LEN]);
/* Grows *@arr of @n elements when @n reaches a power of two. */
int config_grow(void **arr, size_t n, size_t size);
/* @s without its leading and trailing blanks (cut in place). */
char *config_trim(char *s);

/* config_value.c: [Interface] and [Peer]. */
int config_set_role(struct parser *p, enum key k, char *val);
int config_set_private_key(struct parser *p, enum key k, char *val);
int config_set_private_key_file(struct parser *p, enum key k, char *val);
/*
 * A key file (@val relative to the config's directory): a regular file of
 * mode 0600 or stricter holding one base64 line of 32 bytes, into @key.
 * 0, or -1 with the reason at the current line.
 */
int config_read_key_file(struct parser *p, const char *val, uint8_t key[32]);
int config_set_listen_port(struct parser *p, enum key k, char *val);
int config_set_uplink(struct parser *p, enum key k, char *val);
int config_set_path(struct parser *p, enum key k, char *val);
int config_set_public_key(struct parser *p, enum key k, char *val);
int config_set_allowed_ips(struct parser *p, enum key k, char *val);
int config_set_endpoint(struct parser *p, enum key k, char *val);
/* An interface name the kernel's dev_valid_name() accepts. */
bool config_ifname_ok(const char *s);
int config_end_interface(struct parser *p);
int config_end_peer(struct parser *p);

/* config_policy.c: [Policy]. */
int config_set_duration(struct parser *p, enum key k, char *val);
int config_set_count(struct parser *p, enum key k, char *val);
int config_set_flag(struct parser *p, enum key k, char *val);
int config_end_policy(struct parser *p);
/* A duration within @k's bounds, for any section. */
int config_read_duration(struct parser *p, enum key k, const char *val, uint32_t *ms);

/* config_cluster.c: [Cluster]. */
int config_set_endpoints(struct parser *p, enum key k, char *val);
int config_set_node_name(struct parser *p, enum key k, char *val);
int config_set_lease_ttl(struct parser *p, enum key k, char *val);
int config_set_cluster_key_file(struct parser *p, enum key k, char *val);
int config_end_cluster(struct parser *p);

/* config_check.c: at the end of the file, duplicate keys and prefix overlaps. */
int config_check_peers(struct parser *p);

#endif /* JUMPD_CONFIG_PARSER_H */
