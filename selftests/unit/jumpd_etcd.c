// SPDX-License-Identifier: GPL-2.0
/*
 * etcd.c's requests and its reading of replies: what etcd's gateway sends,
 * and what a broken or hostile one could (garbage, wrong types, numbers out
 * of range, a reply too long, nested too deep): an error with a reason,
 * never a crash. No server: an endpoint nobody listens on is "unreachable".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etcd.h"
#include "tap.h"

static char err[ETCD_ERR_LEN];

#define LEN(s)	strlen(s)

static void test_build(void)
{
	char buf[4096], tiny[16];

	tap_ok(!etcd_build_range(buf, sizeof(buf), "/jump/a") &&
	       !strcmp(buf, "{\"key\":\"L2p1bXAvYQ==\"}"), "a range names its key in base64");
	tap_ok(!etcd_build_put_if(buf, sizeof(buf), "k", 0, "v", 7) &&
	       strstr(buf, "\"target\":\"CREATE\",\"create_revision\":\"0\"") &&
	       strstr(buf, "\"lease\":\"7\"") && strstr(buf, "\"value\":\"dg==\""),
	       "a claim compares create_revision with 0 and puts under the lease");
	tap_ok(!etcd_build_put_if(buf, sizeof(buf), "k", 42, "v", 0) &&
	       strstr(buf, "\"target\":\"MOD\",\"mod_revision\":\"42\"") && !strstr(buf, "lease"),
	       "a move compares mod_revision");
	tap_ok(etcd_build_put_if(tiny, sizeof(tiny), "k", 42, "v", 0) == -1,
	       "a request that does not fit is refused, not cut");
	tap_ok(etcd_build_put_if(buf, sizeof(buf), "k", -1, "v", 0) == -1,
	       "a negative revision is refused");
	tap_ok(!etcd_build_delete_if(buf, sizeof(buf), "k", 5) &&
	       strstr(buf, "request_delete_range"), "a delete compares mod_revision");
	/* "f" is Zg==, "s" cw==, "v" dg== in base64. */
	tap_ok(!etcd_build_put_fenced(buf, sizeof(buf), "f", 9, "s", "v") &&
	       strstr(buf, "\"compare\":[{\"key\":\"Zg==\",\"result\":\"EQUAL\",\"target\":\"MOD\",\"mod_revision\":\"9\"}]") &&
	       strstr(buf, "\"request_put\":{\"key\":\"cw==\",\"value\":\"dg==\"}") &&
	       !strstr(buf, "lease"),
	       "a sealed state is put without a lease, fenced by its record's mod_revision");
	tap_ok(etcd_build_put_fenced(buf, sizeof(buf), "f", 0, "s", "v") == -1,
	       "a fenced put needs the record's revision");
	tap_ok(!etcd_build_delete_both_if(buf, sizeof(buf), "f", 9, "s") &&
	       strstr(buf, "\"mod_revision\":\"9\"") &&
	       strstr(buf, "{\"request_delete_range\":{\"key\":\"Zg==\"}},{\"request_delete_range\":{\"key\":\"cw==\"}}"),
	       "the end deletes the record and its sealed state in one transaction");
}

static void test_range(void)
{
	static const char ok[] =
		"{\"header\":{\"cluster_id\":\"1\",\"revision\":\"9\"},\"kvs\":[{\"key\":\"aw==\","
		"\"create_revision\":\"5\",\"mod_revision\":\"8\",\"version\":\"2\","
		"\"value\":\"aGVsbG8=\",\"lease\":\"694d7f1e3e0d8a04\"}],\"count\":\"1\"}";
	static const char ok2[] =
		"{\"header\":{\"revision\":\"9\"},\"kvs\":[{\"key\":\"aw==\","
		"\"create_revision\":\"5\",\"mod_revision\":\"8\",\"version\":\"2\","
		"\"value\":\"aGVsbG8=\",\"lease\":\"7587869812345678\"}],\"count\":\"1\"}\n";
	static const char *const bad[] = {
		"", "garbage", "{", "[]", "{\"kvs\":[]}", "{\"header\":5}",
		"{\"header\":{\"revision\":\"x\"}}",
		"{\"header\":{\"revision\":\"99999999999999999999\"}}",
		"{\"header\":{\"revision\":\"-3\"}}",
		"{\"header\":{},\"kvs\":{}}",
		"{\"header\":{},\"kvs\":[1]}",
		"{\"header\":{},\"kvs\":[{},{}]}",
		"{\"header\":{},\"kvs\":[{\"create_revision\":\"0\"}]}",
		"{\"header\":{},\"kvs\":[{\"create_revision\":\"5\",\"mod_revision\":\"4\"}]}",
		"{\"header\":{},\"kvs\":[{\"create_revision\":\"1\",\"mod_revision\":\"1\",\"value\":\"!!!\"}]}",
		"{\"header\":{},\"kvs\":[{\"create_revision\":\"1\",\"mod_revision\":\"1\",\"value\":7}]}",
		"{\"header\":{},\"kvs\":[{\"create_revision\":\"1\",\"mod_revision\":\"1\",\"value\":\"AA==\"}]}",
		"{\"header\":{}} trailing",
		"{\"error\":\"etcdserver: request timed out\",\"code\":14}",
	};
	struct etcd_kv kv;
	bool found;
	size_t i;
	int fails = 0;

	tap_ok(etcd_parse_range(ok, LEN(ok), &found, &kv, err) == -1 && strstr(err, "lease"),
	       "a lease id in hex (etcd sends decimal) is refused, naming the field");
	tap_ok(!etcd_parse_range(ok2, LEN(ok2), &found, &kv, err) && found &&
	       kv.create_revision == 5 && kv.mod_revision == 8 && kv.version == 2 &&
	       !strcmp(kv.value, "hello") && kv.value_len == 5 &&
	       kv.lease == 7587869812345678LL,
	       "a range reply is read: revisions, value, lease, and a trailing newline");
	tap_ok(!etcd_parse_range("{\"header\":{\"revision\":\"3\"}}", 27, &found, &kv, err) &&
	       !found, "no kvs: the key is absent");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (etcd_parse_range(bad[i], LEN(bad[i]), &found, &kv, err) != -1 || !err[0]) {
			fails++;
			printf("# accepted or no reason: %s\n", bad[i]);
		}
	}
	tap_ok(!fails, "%zu hostile range replies are each refused with a reason",
	       sizeof(bad) / sizeof(bad[0]));
	etcd_parse_range(bad[18], LEN(bad[18]), &found, &kv, err);
	tap_ok(!strcmp(err, "etcd: etcdserver: request timed out"), "etcd's own error is quoted");
}

static void test_txn(void)
{
	static const char won[] =
		"{\"header\":{\"revision\":\"12\"},\"succeeded\":true,\"responses\":"
		"[{\"response_put\":{\"header\":{\"revision\":\"12\"}}}]}";
	static const char lost[] =
		"{\"header\":{\"revision\":\"12\"},\"responses\":[{\"response_range\":"
		"{\"header\":{\"revision\":\"12\"},\"kvs\":[{\"key\":\"aw==\",\"create_revision\":\"10\","
		"\"mod_revision\":\"11\",\"version\":\"2\",\"value\":\"eA==\"}],\"count\":\"1\"}}]}";
	static const char gone[] =
		"{\"header\":{\"revision\":\"12\"},\"responses\":[{\"response_range\":"
		"{\"header\":{\"revision\":\"12\"}}}]}";
	static const char *const bad[] = {
		"{\"header\":{\"revision\":\"1\"},\"succeeded\":\"yes\"}",
		"{\"header\":{\"revision\":\"1\"},\"responses\":[]}",
		"{\"header\":{\"revision\":\"1\"},\"responses\":{}}",
		"{\"header\":{\"revision\":\"1\"},\"responses\":[{\"response_put\":{}}]}",
		"{\"header\":{\"revision\":\"1\"},\"responses\":[5]}",
		"{\"succeeded\":true}",
	};
	struct etcd_txn_reply r;
	size_t i;
	int fails = 0;

	tap_ok(!etcd_parse_txn(won, LEN(won), &r, err) && r.succeeded && r.revision == 12,
	       "a transaction that held: succeeded, at revision 12");
	tap_ok(!etcd_parse_txn(lost, LEN(lost), &r, err) && !r.succeeded && r.found &&
	       r.kv.mod_revision == 11 && !strcmp(r.kv.value, "x"),
	       "one that failed: succeeded left out is false, the holder is read");
	tap_ok(!etcd_parse_txn(gone, LEN(gone), &r, err) && !r.succeeded && !r.found,
	       "one that failed on an absent key: nobody holds it");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (etcd_parse_txn(bad[i], LEN(bad[i]), &r, err) != -1) {
			fails++;
			printf("# accepted: %s\n", bad[i]);
		}
	tap_ok(!fails, "%zu malformed transaction replies are refused",
	       sizeof(bad) / sizeof(bad[0]));
}

static void test_lease(void)
{
	static const char grant[] = "{\"header\":{\"revision\":\"3\"},\"ID\":\"7587869812345678\",\"TTL\":\"5\"}";
	static const char alive[] = "{\"result\":{\"header\":{\"revision\":\"3\"},\"ID\":\"7\",\"TTL\":\"5\"}}\n";
	static const char dead[] = "{\"result\":{\"header\":{\"revision\":\"3\"},\"ID\":\"7\"}}";
	static const char error[] = "{\"error\":{\"grpc_code\":14,\"http_code\":503,"
				    "\"message\":\"etcdserver: no leader\"}}";
	int64_t id, ttl;

	tap_ok(!etcd_parse_grant(grant, LEN(grant), &id, err) && id == 7587869812345678LL,
	       "a lease grant gives its id");
	tap_ok(etcd_parse_grant("{\"header\":{}}", 13, &id, err) == -1,
	       "a grant without an id is refused");
	tap_ok(!etcd_parse_keepalive(alive, LEN(alive), &ttl, err) && ttl == 5,
	       "a keepalive gives the renewed TTL");
	tap_ok(!etcd_parse_keepalive(dead, LEN(dead), &ttl, err) && ttl == 0,
	       "a keepalive without a TTL: the lease is gone");
	tap_ok(etcd_parse_keepalive(error, LEN(error), &ttl, err) == -1 &&
	       !strcmp(err, "etcd: etcdserver: no leader"), "a streamed error is refused and quoted");
	tap_ok(etcd_parse_keepalive("{\"result\":7}", 12, &ttl, err) == -1,
	       "a result that is no object is refused");
}

static void test_status(void)
{
	static const char led[] = "{\"header\":{\"revision\":\"1\"},\"version\":\"3.4.23\","
				  "\"leader\":\"13668033151171901709\",\"raftTerm\":\"2\"}";
	static const char alone[] = "{\"header\":{\"revision\":\"1\"},\"version\":\"3.4.23\"}";
	int64_t leader;

	tap_ok(!etcd_parse_status(led, LEN(led), &leader, err) && leader == 1,
	       "a member's status names its leader (an unsigned 64-bit id)");
	tap_ok(!etcd_parse_status(alone, LEN(alone), &leader, err) && leader == 0,
	       "a status without a leader: no quorum");
	tap_ok(etcd_parse_status("{\"header\":{},\"leader\":\"-1\"}", 26, &leader, err) == -1 &&
	       etcd_parse_status("{\"header\":{},\"leader\":7}", 24, &leader, err) == -1,
	       "a leader that is no member id is refused");
}

static void test_limits(void)
{
	size_t n = ETCD_REPLY_MAX + 10, i;
	char *big = malloc(n), *deep = malloc(4096);
	struct etcd_kv kv;
	bool found;

	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	tap_ok(etcd_parse_range(big, n, &found, &kv, err) == -1, "a reply longer than the limit is refused");
	for (i = 0; i < 2000; i++)
		deep[i] = '[';
	tap_ok(etcd_parse_range(deep, 2000, &found, &kv, err) == -1, "nesting 2000 deep is refused");
	tap_ok(etcd_parse_range("{\"a\":\"\0\"}", 8, &found, &kv, err) == -1,
	       "a NUL byte in a reply is refused");
	free(big);
	free(deep);
}

static void test_transport(void)
{
	struct etcd *e;
	struct etcd_kv kv;
	int64_t ttl;

	tap_ok(!etcd_new("ftp://x", 100, err) && strstr(err, "http"), "an endpoint that is not http is refused");
	tap_ok(!etcd_new(" , ", 100, err), "no endpoint is refused");
	e = etcd_new("http://127.0.0.1:1,http://127.0.0.1:2", 200, err);
	tap_ok(e != NULL, "two endpoints");
	if (!e)
		return;
	tap_ok(etcd_get(e, "/k", &kv) == -1 && etcd_status(e) == ETCD_UNREACHABLE &&
	       !etcd_reached(e) && etcd_error(e)[0], "nobody listening: unreachable, with a reason");
	tap_ok(etcd_lease_keepalive(e, 1, &ttl) == -1 && etcd_status(e) == ETCD_UNREACHABLE,
	       "a keepalive to nobody fails cleanly");
	etcd_free(e);
}

int main(void)
{
	test_build();
	test_range();
	test_txn();
	test_lease();
	test_status();
	test_limits();
	test_transport();
	return tap_done();
}
