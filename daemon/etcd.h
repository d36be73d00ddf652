/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of etcd's v3 API through its JSON gateway (POST
 * /v3/kv/range, /v3/kv/txn, /v3/lease/grant, /v3/lease/keepalive,
 * /v3/lease/revoke), over libcurl, with json-c parsing the replies: the
 * handful of calls the cluster ownership needs (owner_etcd.c), each bounded
 * by a timeout. Keys and values are base64 on the wire, 64-bit integers
 * are JSON strings, and a field at its zero value is left out (protobuf's
 * JSON mapping).
 *
 * Everything etcd answers is untrusted: a reply that is not what the call
 * expects (garbage, a wrong type, a number out of range, too long) is an
 * error with a reason in etcd_error(), never a crash and never a guess.
 * One struct etcd is used by one thread at a time.
 */
#ifndef JUMPD_ETCD_H
#define JUMPD_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETCD_ERR_LEN		256
#define ETCD_KEY_MAX		256	/* bytes of a key */
#define ETCD_VALUE_MAX		1024	/* bytes of a value we read or write */
#define ETCD_REPLY_MAX		65536	/* bytes of a reply; more is garbage */
#define ETCD_MAX_ENDPOINTS	8

/* How the last call went. */
enum etcd_status {
	ETCD_OK,
	ETCD_UNREACHABLE,	/* no endpoint took the connection */
	ETCD_TIMEOUT,		/* connected, no answer in time (no quorum?) */
	ETCD_REFUSED,		/* etcd answered with an error */
	ETCD_GARBAGE,		/* the answer is not what the call expects */
};

/* One key as etcd holds it. */
struct etcd_kv {
	int64_t create_revision;
	int64_t mod_revision;
	int64_t version;
	int64_t lease;
	char value[ETCD_VALUE_MAX + 1];	/* NUL-terminated; no NUL inside */
	size_t value_len;
};

/* A transaction's answer. */
struct etcd_txn_reply {
	int64_t revision;	/* of the store after it (header.revision) */
	bool succeeded;		/* did the comparison hold? */
	bool found;		/* failure branch's range found the key */
	struct etcd_kv kv;	/* which then holds it */
};

struct etcd;

/*
 * @endpoints: "http://host:port" URLs separated by commas (at most
 * ETCD_MAX_ENDPOINTS); each call tries them in turn, starting with the one
 * that answered last. @timeout_ms bounds each attempt. NULL with a reason
 * in @err.
 */
struct etcd *etcd_new(const char *endpoints, unsigned int timeout_ms, char err[ETCD_ERR_LEN]);
void etcd_free(struct etcd *e);
/* The last call's status and its reason, for a log line. */
enum etcd_status etcd_status(const struct etcd *e);
const char *etcd_error(const struct etcd *e);
/* Did the last call reach an etcd member (whatever it answered)? */
bool etcd_reached(const struct etcd *e);

/* 1: found, in @kv; 0: no such key; -1: error. */
int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv);
/*
 * Puts @value under @key (with @lease, 0: none) if the key does not exist
 * (@mod_revision 0) or its mod_revision is @mod_revision: 1 done (@r
 * revision is the key's new mod_revision); 0 the comparison failed (@r
 * found/kv say what holds the key now); -1 error.
 */
int etcd_put_if(struct etcd *e, const char *key, int64_t mod_revision, const char *value,
		int64_t lease, struct etcd_txn_reply *r);
/* Deletes @key if its mod_revision is @mod_revision: 1, 0 (it is not), -1. */
int etcd_delete_if(struct etcd *e, const char *key, int64_t mod_revision);
/*
 * Puts @value under @key (no lease) if @fence's mod_revision is
 * @fence_revision: a write only the holder of @fence at that revision
 * makes. 1 done, 0 @fence moved or is gone, -1 error.
 */
int etcd_put_fenced(struct etcd *e, const char *fence, int64_t fence_revision,
		    const char *key, const char *value);
/* Deletes @key and @also if @key's mod_revision is @mod_revision: 1, 0, -1. */
int etcd_delete_both_if(struct etcd *e, const char *key, int64_t mod_revision, const char *also);
/* A lease of @ttl_s seconds: 0 with its id, or -1. */
int etcd_lease_grant(struct etcd *e, unsigned int ttl_s, int64_t *id);
/* 1: renewed for @ttl_s (etcd's figure); 0: the lease is gone; -1: error. */
int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl_s);
/* 0 or -1. */
int etcd_lease_revoke(struct etcd *e, int64_t id);
/*
 * Asks each member in turn for its status (/v3/maintenance/status, which
 * a member answers alone, quorum or not): 1 if one answered that it has a
 * leader, 0 if one answered that it has none, -1 if none answered.
 */
int etcd_has_leader(struct etcd *e);

/*
 * The pure halves, for the unit tests: requests built into @buf (0, or -1
 * if it does not fit), replies parsed from @body (0, or -1 with the reason
 * in @err).
 */
int etcd_build_range(char *buf, size_t len, const char *key);
int etcd_build_put_if(char *buf, size_t len, const char *key, int64_t mod_revision,
		      const char *value, int64_t lease);
int etcd_build_delete_if(char *buf, size_t len, const char *key, int64_t mod_revision);
int etcd_build_put_fenced(char *buf, size_t len, const char *fence, int64_t fence_revision,
			  const char *key, const char *value);
int etcd_build_delete_both_if(char *buf, size_t len, const char *key, int64_t mod_revision,
			      const char *also);
int etcd_parse_range(const char *body, size_t blen, bool *found, struct etcd_kv *kv,
		     char err[ETCD_ERR_LEN]);
int etcd_parse_txn(const char *body, size_t blen, struct etcd_txn_reply *r,
		   char err[ETCD_ERR_LEN]);
int etcd_parse_grant(const char *body, size_t blen, int64_t *id, char err[ETCD_ERR_LEN]);
int etcd_parse_keepalive(const char *body, size_t blen, int64_t *ttl_s,
			 char err[ETCD_ERR_LEN]);
/* @leader: the member's leader's id, 0 for none. */
int etcd_parse_status(const char *body, size_t blen, int64_t *leader, char err[ETCD_ERR_LEN]);

#endif /* JUMPD_ETCD_H */
