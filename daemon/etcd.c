// SPDX-License-Identifier: GPL-2.0
/*
 * etcd's v3 JSON gateway (etcd.h): requests built with snprintf (every
 * string in them is base64 or a number, nothing to escape), replies read
 * with json-c under a depth and a size limit, and libcurl with a timeout
 * per attempt, no redirects, no signals (the lease keeper is a thread).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <sodium.h>

#include "etcd.h"

#define JSON_DEPTH	16
#define B64_LEN(n)	(sodium_base64_ENCODED_LEN((n), sodium_base64_VARIANT_ORIGINAL))

struct etcd {
	CURL *curl;
	char *urls[ETCD_MAX_ENDPOINTS];
	unsigned int nurls, last;	/* last: the endpoint that answered last */
	unsigned int timeout_ms;
	enum etcd_status status;
	bool reached;
	char err[ETCD_ERR_LEN];
	char reply[ETCD_REPLY_MAX + 1];
	size_t reply_len;
	bool overflow;
};

static int __attribute__((format(printf, 2, 3))) fail(char err[ETCD_ERR_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ETCD_ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* Building */

static int b64(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (B64_LEN(n) > len)
		return -1;
	sodium_bin2base64(out, len, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

static int built(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int etcd_build_range(char *buf, size_t len, const char *key)
{
	char k[B64_LEN(ETCD_KEY_MAX)];

	if (strlen(key) > ETCD_KEY_MAX || b64(k, sizeof(k), key))
		return -1;
	return built(snprintf(buf, len, "{\"key\":\"%s\"}", k), len);
}

int etcd_build_put_if(char *buf, size_t len, const char *key, int64_t mod_revision,
		      const char *value, int64_t lease)
{
	char k[B64_LEN(ETCD_KEY_MAX)], v[B64_LEN(ETCD_VALUE_MAX)], cmp[96], l[48] = "";

	if (strlen(key) > ETCD_KEY_MAX || strlen(value) > ETCD_VALUE_MAX ||
	    mod_revision < 0 || lease < 0 || b64(k, sizeof(k), key) || b64(v, sizeof(v), value))
		return -1;
	/* Absent: its create_revision is 0. Else: its mod_revision is ours. */
	if (mod_revision)
		snprintf(cmp, sizeof(cmp), "\"target\":\"MOD\",\"mod_revision\":\"%" PRId64 "\"",
			 mod_revision);
	else
		snprintf(cmp, sizeof(cmp), "\"target\":\"CREATE\",\"create_revision\":\"0\"");
	if (lease)
		snprintf(l, sizeof(l), ",\"lease\":\"%" PRId64 "\"", lease);
	return built(snprintf(buf, len,
			      "{\"compare\":[{\"key\":\"%s\",\"result\":\"EQUAL\",%s}],"
			      "\"success\":[{\"request_put\":{\"key\":\"%s\",\"value\":\"%s\"%s}}],"
			      "\"failure\":[{\"request_range\":{\"key\":\"%s\"}}]}",
			      k, cmp, k, v, l, k), len);
}

int etcd_build_delete_if(char *buf, size_t len, const char *key, int64_t mod_revision)
{
	char k[B64_LEN(ETCD_KEY_MAX)];

	if (strlen(key) > ETCD_KEY_MAX || mod_revision <= 0 || b64(k, sizeof(k), key))
		return -1;
	return built(snprintf(buf, len,
			      "{\"compare\":[{\"key\":\"%s\",\"result\":\"EQUAL\","
			      "\"target\":\"MOD\",\"mod_revision\":\"%" PRId64 "\"}],"
			      "\"success\":[{\"request_delete_range\":{\"key\":\"%s\"}}]}",
			      k, mod_revision, k), len);
}

int etcd_build_put_fenced(char *buf, size_t len, const char *fence, int64_t fence_revision,
			  const char *key, const char *value)
{
	char f[B64_LEN(ETCD_KEY_MAX)], k[B64_LEN(ETCD_KEY_MAX)], v[B64_LEN(ETCD_VALUE_MAX)];

	if (strlen(fence) > ETCD_KEY_MAX || strlen(key) > ETCD_KEY_MAX ||
	    strlen(value) > ETCD_VALUE_MAX || fence_revision <= 0 ||
	    b64(f, sizeof(f), fence) || b64(k, sizeof(k), key) || b64(v, sizeof(v), value))
		return -1;
	return built(snprintf(buf, len,
			      "{\"compare\":[{\"key\":\"%s\",\"result\":\"EQUAL\","
			      "\"target\":\"MOD\",\"mod_revision\":\"%" PRId64 "\"}],"
			      "\"success\":[{\"request_put\":{\"key\":\"%s\",\"value\":\"%s\"}}],"
			      "\"failure\":[{\"request_range\":{\"key\":\"%s\"}}]}",
			      f, fence_revision, k, v, f), len);
}

int etcd_build_delete_both_if(char *buf, size_t len, const char *key, int64_t mod_revision,
			      const char *also)
{
	char k[B64_LEN(ETCD_KEY_MAX)], a[B64_LEN(ETCD_KEY_MAX)];

	if (strlen(key) > ETCD_KEY_MAX || strlen(also) > ETCD_KEY_MAX || mod_revision <= 0 ||
	    b64(k, sizeof(k), key) || b64(a, sizeof(a), also))
		return -1;
	return built(snprintf(buf, len,
			      "{\"compare\":[{\"key\":\"%s\",\"result\":\"EQUAL\","
			      "\"target\":\"MOD\",\"mod_revision\":\"%" PRId64 "\"}],"
			      "\"success\":[{\"request_delete_range\":{\"key\":\"%s\"}},"
			      "{\"request_delete_range\":{\"key\":\"%s\"}}]}",
			      k, mod_revision, k, a), len);
}

/* Parsing */

/* The reply as one JSON object, or NULL with the reason. */
static struct json_object *parse_object(const char *body, size_t blen, char err[ETCD_ERR_LEN])
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t used, i;

	if (blen > ETCD_REPLY_MAX) {
		fail(err, "reply longer than %d bytes", ETCD_REPLY_MAX);
		return NULL;
	}
	if (memchr(body, '\0', blen)) {
		fail(err, "NUL byte in the reply");
		return NULL;
	}
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok) {
		fail(err, "out of memory");
		return NULL;
	}
	o = json_tokener_parse_ex(tok, body, (int)blen);
	used = (size_t)json_tokener_get_parse_end(tok);
	if (!o) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		fail(err, "reply is not JSON: %s", je == json_tokener_continue ?
		     "cut short" : json_tokener_error_desc(je));
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	for (i = used; i < blen; i++)
		if (!isspace((unsigned char)body[i])) {
			fail(err, "reply has bytes after its JSON");
			json_object_put(o);
			return NULL;
		}
	if (!json_object_is_type(o, json_type_object)) {
		fail(err, "reply is not a JSON object");
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* etcd's own error ({"error": ..., "code": ..., "message": ...}): -1 with it. */
static int etcd_said_no(struct json_object *o, char err[ETCD_ERR_LEN])
{
	struct json_object *m;

	if (!json_object_object_get_ex(o, "error", &m) &&
	    !json_object_object_get_ex(o, "message", &m))
		return 0;
	if (json_object_is_type(m, json_type_string))
		return fail(err, "etcd: %.200s", json_object_get_string(m));
	return fail(err, "etcd answered an error");
}

/*
 * An int64 field: absent is 0 (protobuf's JSON leaves zeros out); a
 * decimal string (or a JSON integer) in range, else -1.
 */
static int get_int(struct json_object *o, const char *name, int64_t *v,
		   char err[ETCD_ERR_LEN])
{
	struct json_object *f;
	const char *s;
	char *end;
	long long x;

	*v = 0;
	if (!json_object_object_get_ex(o, name, &f))
		return 0;
	if (json_object_is_type(f, json_type_int)) {
		errno = 0;
		*v = json_object_get_int64(f);
		if (errno)
			return fail(err, "%s out of range", name);
		return 0;
	}
	if (!json_object_is_type(f, json_type_string))
		return fail(err, "%s is not a number", name);
	s = json_object_get_string(f);
	if (!*s || strlen(s) > 20 || !(isdigit((unsigned char)*s) || *s == '-'))
		return fail(err, "%s is not a number", name);
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return fail(err, "%s is not a number", name);
	*v = x;
	return 0;
}

static struct json_object *get_object(struct json_object *o, const char *name)
{
	struct json_object *f;

	if (!json_object_object_get_ex(o, name, &f) || !json_object_is_type(f, json_type_object))
		return NULL;
	return f;
}

/* Every reply carries a header with the store's revision. */
static int get_header(struct json_object *o, int64_t *revision, char err[ETCD_ERR_LEN])
{
	struct json_object *h = get_object(o, "header");

	if (!h)
		return fail(err, "reply without a header");
	if (get_int(h, "revision", revision, err))
		return -1;
	if (*revision < 0)
		return fail(err, "negative revision");
	return 0;
}

static int get_kv(struct json_object *o, struct etcd_kv *kv, char err[ETCD_ERR_LEN])
{
	struct json_object *f;
	const char *v = "";
	size_t vlen = 0;

	memset(kv, 0, sizeof(*kv));
	if (!json_object_is_type(o, json_type_object))
		return fail(err, "a kv is not an object");
	if (get_int(o, "create_revision", &kv->create_revision, err) ||
	    get_int(o, "mod_revision", &kv->mod_revision, err) ||
	    get_int(o, "version", &kv->version, err) ||
	    get_int(o, "lease", &kv->lease, err))
		return -1;
	if (kv->create_revision <= 0 || kv->mod_revision < kv->create_revision)
		return fail(err, "a kv with impossible revisions");
	if (json_object_object_get_ex(o, "value", &f)) {
		if (!json_object_is_type(f, json_type_string))
			return fail(err, "value is not a string");
		v = json_object_get_string(f);
	}
	if (strlen(v) > B64_LEN(ETCD_VALUE_MAX) ||
	    sodium_base642bin((unsigned char *)kv->value, ETCD_VALUE_MAX, v, strlen(v), NULL,
			      &vlen, NULL, sodium_base64_VARIANT_ORIGINAL))
		return fail(err, "value is not base64 of at most %d bytes", ETCD_VALUE_MAX);
	if (memchr(kv->value, '\0', vlen))
		return fail(err, "value holds a NUL byte");
	kv->value[vlen] = '\0';
	kv->value_len = vlen;
	return 0;
}

/* A range's kvs: none, or exactly one (ranges here name one key). */
static int get_kvs(struct json_object *o, bool *found, struct etcd_kv *kv,
		   char err[ETCD_ERR_LEN])
{
	struct json_object *kvs;

	*found = false;
	memset(kv, 0, sizeof(*kv));
	if (!json_object_object_get_ex(o, "kvs", &kvs))
		return 0;
	if (!json_object_is_type(kvs, json_type_array))
		return fail(err, "kvs is not an array");
	if (json_object_array_length(kvs) == 0)
		return 0;
	if (json_object_array_length(kvs) != 1)
		return fail(err, "more than one kv for one key");
	*found = true;
	return get_kv(json_object_array_get_idx(kvs, 0), kv, err);
}

int etcd_parse_range(const char *body, size_t blen, bool *found, struct etcd_kv *kv,
		     char err[ETCD_ERR_LEN])
{
	struct json_object *o = parse_object(body, blen, err);
	int64_t rev;
	int ret;

	if (!o)
		return -1;
	ret = etcd_said_no(o, err) ?: get_header(o, &rev, err) ?: get_kvs(o, found, kv, err);
	json_object_put(o);
	return ret;
}

static int get_bool(struct json_object *o, const char *name, bool *v, char err[ETCD_ERR_LEN])
{
	struct json_object *f;

	*v = false;
	if (!json_object_object_get_ex(o, name, &f))
		return 0;
	if (!json_object_is_type(f, json_type_boolean))
		return fail(err, "%s is not a boolean", name);
	*v = json_object_get_boolean(f);
	return 0;
}

/* The failure branch's one range response, if there is one. */
static int get_txn_range(struct json_object *o, struct etcd_txn_reply *r, char err[ETCD_ERR_LEN])
{
	struct json_object *resps, *rr;

	if (!json_object_object_get_ex(o, "responses", &resps))
		return 0;
	if (!json_object_is_type(resps, json_type_array))
		return fail(err, "responses is not an array");
	if (json_object_array_length(resps) != 1)
		return fail(err, "not one response in the transaction's reply");
	rr = json_object_array_get_idx(resps, 0);
	if (!json_object_is_type(rr, json_type_object))
		return fail(err, "a response is not an object");
	rr = get_object(rr, "response_range");
	if (!rr)
		return fail(err, "the failed transaction's response is not a range");
	return get_kvs(rr, &r->found, &r->kv, err);
}

int etcd_parse_txn(const char *body, size_t blen, struct etcd_txn_reply *r,
		   char err[ETCD_ERR_LEN])
{
	struct json_object *o = parse_object(body, blen, err);
	int ret;

	memset(r, 0, sizeof(*r));
	if (!o)
		return -1;
	ret = etcd_said_no(o, err) ?: get_header(o, &r->revision, err) ?:
	      get_bool(o, "succeeded", &r->succeeded, err);
	if (!ret && !r->succeeded)
		ret = get_txn_range(o, r, err);
	json_object_put(o);
	return ret;
}

int etcd_parse_grant(const char *body, size_t blen, int64_t *id, char err[ETCD_ERR_LEN])
{
	struct json_object *o = parse_object(body, blen, err);
	int64_t rev, ttl;
	int ret;

	*id = 0;
	if (!o)
		return -1;
	ret = etcd_said_no(o, err) ?: get_header(o, &rev, err) ?: get_int(o, "ID", id, err) ?:
	      get_int(o, "TTL", &ttl, err);
	if (!ret && (*id <= 0 || ttl <= 0))
		ret = fail(err, "lease grant without a lease");
	json_object_put(o);
	return ret;
}

/* The gateway streams keepalive replies: {"result": {...}} or {"error": {...}}. */
int etcd_parse_keepalive(const char *body, size_t blen, int64_t *ttl_s, char err[ETCD_ERR_LEN])
{
	struct json_object *o = parse_object(body, blen, err), *res, *e;
	int64_t rev, id;
	int ret;

	*ttl_s = 0;
	if (!o)
		return -1;
	e = get_object(o, "error");
	res = get_object(o, "result");
	if (e)
		ret = etcd_said_no(e, err) ?: fail(err, "etcd answered an error");
	else if (!res)
		ret = etcd_said_no(o, err) ?: fail(err, "keepalive reply without a result");
	else
		ret = get_header(res, &rev, err) ?: get_int(res, "ID", &id, err) ?:
		      get_int(res, "TTL", ttl_s, err);
	if (!ret && *ttl_s < 0)
		ret = fail(err, "negative TTL");
	json_object_put(o);
	return ret;
}

int etcd_parse_status(const char *body, size_t blen, int64_t *leader, char err[ETCD_ERR_LEN])
{
	struct json_object *o = parse_object(body, blen, err), *f;
	int64_t rev;
	int ret;

	*leader = 0;
	if (!o)
		return -1;
	ret = etcd_said_no(o, err) ?: get_header(o, &rev, err);
	/* Member ids are unsigned 64-bit: any digits but "0" name a leader. */
	if (!ret && json_object_object_get_ex(o, "leader", &f)) {
		const char *s = json_object_get_string(f);

		if (!json_object_is_type(f, json_type_string) || !*s || strlen(s) > 20 ||
		    strspn(s, "0123456789") != strlen(s))
			ret = fail(err, "leader is not a member id");
		else
			*leader = strcmp(s, "0") ? 1 : 0;
	}
	json_object_put(o);
	return ret;
}

/* Transport */

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct etcd *e = data;
	size_t n = size * nmemb;

	if (e->reply_len + n > ETCD_REPLY_MAX) {
		e->overflow = true;
		return 0;	/* libcurl stops: CURLE_WRITE_ERROR */
	}
	memcpy(e->reply + e->reply_len, ptr, n);
	e->reply_len += n;
	return n;
}

struct etcd *etcd_new(const char *endpoints, unsigned int timeout_ms, char err[ETCD_ERR_LEN])
{
	struct etcd *e = calloc(1, sizeof(*e));
	char *list, *tok, *save = NULL;

	if (!e || !(list = strdup(endpoints))) {
		free(e);
		fail(err, "out of memory");
		return NULL;
	}
	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (e->nurls == ETCD_MAX_ENDPOINTS) {
			fail(err, "more than %d endpoints", ETCD_MAX_ENDPOINTS);
			goto err;
		}
		if (strncmp(tok, "http://", 7) && strncmp(tok, "https://", 8)) {
			fail(err, "endpoint %.64s is not an http:// or https:// URL", tok);
			goto err;
		}
		e->urls[e->nurls] = strdup(tok);
		if (!e->urls[e->nurls++]) {
			fail(err, "out of memory");
			goto err;
		}
	}
	if (!e->nurls) {
		fail(err, "no endpoint");
		goto err;
	}
	e->curl = curl_easy_init();
	if (!e->curl) {
		fail(err, "libcurl cannot start");
		goto err;
	}
	e->timeout_ms = timeout_ms;
	free(list);
	return e;
err:
	free(list);
	etcd_free(e);
	return NULL;
}

void etcd_free(struct etcd *e)
{
	unsigned int i;

	if (!e)
		return;
	if (e->curl)
		curl_easy_cleanup(e->curl);
	for (i = 0; i < e->nurls; i++)
		free(e->urls[i]);
	free(e);
}

enum etcd_status etcd_status(const struct etcd *e)
{
	return e->status;
}

const char *etcd_error(const struct etcd *e)
{
	return e->err;
}

bool etcd_reached(const struct etcd *e)
{
	return e->reached;
}

/* One POST to one endpoint: 0 with the reply in e->reply, or -1. */
static int post_one(struct etcd *e, const char *url, const char *path, const char *body)
{
	char full[512];
	long code = 0;
	bool reached = false;
	CURLcode rc;

	snprintf(full, sizeof(full), "%s%s", url, path);
	e->reply_len = 0;
	e->overflow = false;
	curl_easy_reset(e->curl);
	curl_easy_setopt(e->curl, CURLOPT_URL, full);
	curl_easy_setopt(e->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, (long)e->timeout_ms);
	curl_easy_setopt(e->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)e->timeout_ms);
	curl_easy_setopt(e->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, e);
	rc = curl_easy_perform(e->curl);
	if (rc == CURLE_OK || rc == CURLE_WRITE_ERROR || rc == CURLE_OPERATION_TIMEDOUT ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR) {
		double connect = 0;

		curl_easy_getinfo(e->curl, CURLINFO_CONNECT_TIME, &connect);
		reached = rc == CURLE_OK || connect > 0;
	}
	e->reached |= reached;
	if (rc != CURLE_OK) {
		e->status = e->overflow ? ETCD_GARBAGE :
			    rc == CURLE_OPERATION_TIMEDOUT && reached ? ETCD_TIMEOUT :
			    reached ? ETCD_GARBAGE : ETCD_UNREACHABLE;
		return fail(e->err, "%s: %s", full, e->overflow ? "reply too long" :
			    curl_easy_strerror(rc));
	}
	curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &code);
	e->reply[e->reply_len] = '\0';
	/* Errors come as JSON too: the parser reads them (ETCD_REFUSED). */
	if (code != 200 && (code < 400 || code > 599)) {
		e->status = ETCD_GARBAGE;
		return fail(e->err, "%s: HTTP status %ld", full, code);
	}
	return 0;
}

/*
 * POST @body to @path on the endpoints in turn, from the last good one:
 * 0 with the reply, or -1 (status and error set by the last attempt).
 */
static int post(struct etcd *e, const char *path, const char *body)
{
	/* What an attempt tells: a member that answered, badly or late, most. */
	static const int rank[] = {
		[ETCD_OK] = 0, [ETCD_UNREACHABLE] = 1, [ETCD_GARBAGE] = 2,
		[ETCD_REFUSED] = 3, [ETCD_TIMEOUT] = 3,
	};
	enum etcd_status best = ETCD_OK;
	char why[ETCD_ERR_LEN] = "";
	unsigned int i, at;

	e->reached = false;
	for (i = 0; i < e->nurls; i++) {
		at = (e->last + i) % e->nurls;
		e->status = ETCD_OK;
		e->err[0] = '\0';
		if (!post_one(e, e->urls[at], path, body)) {
			e->last = at;
			return 0;
		}
		if (rank[e->status] > rank[best]) {
			best = e->status;
			memcpy(why, e->err, sizeof(why));
		}
	}
	e->status = best;
	memcpy(e->err, why, sizeof(why));
	return -1;
}

/* A parser's verdict on the reply: an error is etcd's (REFUSED) or garbage. */
static int judged(struct etcd *e, int ret, const char *what)
{
	char tmp[ETCD_ERR_LEN + 32];

	if (!ret)
		return 0;
	e->status = strncmp(e->err, "etcd: ", 6) && strcmp(e->err, "etcd answered an error") ?
		    ETCD_GARBAGE : ETCD_REFUSED;
	snprintf(tmp, sizeof(tmp), "%s: %s", what, e->err);
	snprintf(e->err, sizeof(e->err), "%.*s", (int)sizeof(e->err) - 1, tmp);
	return -1;
}

int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv)
{
	char req[1024];
	bool found;

	if (etcd_build_range(req, sizeof(req), key))
		return fail(e->err, "key too long");
	if (post(e, "/v3/kv/range", req))
		return -1;
	if (judged(e, etcd_parse_range(e->reply, e->reply_len, &found, kv, e->err), "range"))
		return -1;
	return found;
}

int etcd_put_if(struct etcd *e, const char *key, int64_t mod_revision, const char *value,
		int64_t lease, struct etcd_txn_reply *r)
{
	char req[4096];

	if (etcd_build_put_if(req, sizeof(req), key, mod_revision, value, lease))
		return fail(e->err, "key or value too long");
	if (post(e, "/v3/kv/txn", req))
		return -1;
	if (judged(e, etcd_parse_txn(e->reply, e->reply_len, r, e->err), "txn"))
		return -1;
	if (r->succeeded)
		r->kv.mod_revision = r->revision;
	return r->succeeded;
}

int etcd_delete_if(struct etcd *e, const char *key, int64_t mod_revision)
{
	struct etcd_txn_reply r;
	char req[1024];

	if (etcd_build_delete_if(req, sizeof(req), key, mod_revision))
		return fail(e->err, "key too long");
	if (post(e, "/v3/kv/txn", req))
		return -1;
	if (judged(e, etcd_parse_txn(e->reply, e->reply_len, &r, e->err), "txn"))
		return -1;
	return r.succeeded;
}

int etcd_put_fenced(struct etcd *e, const char *fence, int64_t fence_revision,
		    const char *key, const char *value)
{
	struct etcd_txn_reply r;
	char req[4096];

	if (etcd_build_put_fenced(req, sizeof(req), fence, fence_revision, key, value))
		return fail(e->err, "key or value too long");
	if (post(e, "/v3/kv/txn", req))
		return -1;
	if (judged(e, etcd_parse_txn(e->reply, e->reply_len, &r, e->err), "txn"))
		return -1;
	return r.succeeded;
}

int etcd_delete_both_if(struct etcd *e, const char *key, int64_t mod_revision, const char *also)
{
	struct etcd_txn_reply r;
	char req[2048];

	if (etcd_build_delete_both_if(req, sizeof(req), key, mod_revision, also))
		return fail(e->err, "key too long");
	if (post(e, "/v3/kv/txn", req))
		return -1;
	if (judged(e, etcd_parse_txn(e->reply, e->reply_len, &r, e->err), "txn"))
		return -1;
	return r.succeeded;
}

int etcd_lease_grant(struct etcd *e, unsigned int ttl_s, int64_t *id)
{
	char req[64];

	snprintf(req, sizeof(req), "{\"TTL\":\"%u\"}", ttl_s);
	if (post(e, "/v3/lease/grant", req))
		return -1;
	return judged(e, etcd_parse_grant(e->reply, e->reply_len, id, e->err), "lease grant");
}

int etcd_lease_keepalive(struct etcd *e, int64_t id, int64_t *ttl_s)
{
	char req[64];

	snprintf(req, sizeof(req), "{\"ID\":\"%" PRId64 "\"}", id);
	if (post(e, "/v3/lease/keepalive", req))
		return -1;
	if (judged(e, etcd_parse_keepalive(e->reply, e->reply_len, ttl_s, e->err),
		   "lease keepalive"))
		return -1;
	return *ttl_s > 0;
}

int etcd_has_leader(struct etcd *e)
{
	int64_t leader;
	unsigned int i;
	char err[ETCD_ERR_LEN];

	for (i = 0; i < e->nurls; i++) {
		if (post_one(e, e->urls[i], "/v3/maintenance/status", "{}"))
			continue;
		if (!etcd_parse_status(e->reply, e->reply_len, &leader, err))
			return leader ? 1 : 0;
	}
	return -1;
}

int etcd_lease_revoke(struct etcd *e, int64_t id)
{
	char req[64];
	int64_t rev;
	struct json_object *o;
	int ret;

	snprintf(req, sizeof(req), "{\"ID\":\"%" PRId64 "\"}", id);
	if (post(e, "/v3/lease/revoke", req))
		return -1;
	o = parse_object(e->reply, e->reply_len, e->err);
	ret = o ? etcd_said_no(o, e->err) ?: get_header(o, &rev, e->err) : -1;
	json_object_put(o);
	return judged(e, ret, "lease revoke");
}
