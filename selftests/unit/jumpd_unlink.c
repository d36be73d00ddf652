// SPDX-License-Identifier: GPL-2.0
/*
 * Unlinkable migration (daemon/unlink.c, daemon/ctl_unlink.c): the
 * derivations against known answers (computed with Python's
 * hashlib.blake2b), both ends' bindings agree, every sealed type keeps
 * nothing of its plain bytes but the type and is padded to one length,
 * opening restores it exactly, and the core's tag table finds a session
 * by the tags of its epochs and no other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <sodium.h>

#include "ctl.h"
#include "log.h"
#include "tap.h"
#include "unlink.h"

static uint8_t key[WIRE_KEY_LEN];

static void test_known_answers(void)
{
	static const uint8_t mask[JUMP_HEADER_MASK_LEN] = {
		0xa5, 0x16, 0x6f, 0x98, 0x41, 0x8d, 0x0a, 0x2f, 0x90, 0x33, 0x2c, 0x55, 0xbd,
	};
	uint8_t m[JUMP_HEADER_MASK_LEN];

	tap_ok(unlink_tag(key, 7) == 0xea70b99bfa62577cULL,
	       "tag = BLAKE2b-128(unlink, \"jump tag\" || be32(epoch))[0..8)");
	tap_ok(unlink_index(key, 7, JUMP_ROLE_SERVER) == 0xf25153f7,
	       "index = BLAKE2b-128(unlink, \"jump index\" || be32(epoch) || role)[0..4)");
	unlink_mask(key, 7, JUMP_ROLE_CLIENT, m);
	tap_ok(!memcmp(m, mask, sizeof(m)),
	       "mask = BLAKE2b-128(unlink, \"jump mask\" || be32(epoch) || role)[0..13)");
}

static void test_bindings(void)
{
	struct jumpd_binding c = { 0 }, s = { 0 };
	unsigned int bad = 0, same = 0;
	uint32_t e;

	for (e = 1; e < 2000; e++) {
		bad += unlink_index(key, e, JUMP_ROLE_CLIENT) <= JUMP_MAX_SESSIONS;
		bad += unlink_index(key, e, JUMP_ROLE_SERVER) <= JUMP_MAX_SESSIONS;
		same += unlink_tag(key, e) == unlink_tag(key, e + 1);
	}
	tap_ok(!bad, "every derived index lies above JUMP_MAX_SESSIONS (the device's own)");
	tap_ok(!same, "each epoch has its own tag");
	unlink_binding(key, JUMP_ROLE_CLIENT, 5, &c);
	unlink_binding(key, JUMP_ROLE_SERVER, 5, &s);
	tap_ok(c.local_index == s.remote_index && c.remote_index == s.local_index &&
	       c.local_index != c.remote_index &&
	       !memcmp(c.tx_mask, s.rx_mask, sizeof(c.tx_mask)) &&
	       !memcmp(c.rx_mask, s.tx_mask, sizeof(c.rx_mask)) &&
	       memcmp(c.tx_mask, c.rx_mask, sizeof(c.tx_mask)),
	       "both ends agree: one's local index and tx mask are the other's remote and rx");
	unlink_binding(key, JUMP_ROLE_CLIENT, 6, &s);
	tap_ok(s.local_index != c.local_index && s.remote_index != c.remote_index &&
	       memcmp(s.tx_mask, c.tx_mask, sizeof(c.tx_mask)),
	       "the next epoch's indices and masks are others");
}

/* A plain message of @type: distinct bytes after the header, id at 4. */
static size_t plain(uint8_t *buf, int type, uint64_t id)
{
	size_t n = wire_length(type), i;

	memset(buf, 0, WIRE_MAX_LEN);
	buf[0] = (uint8_t)type;
	buf[1] = type == JUMP_MSG_TERMINATE || type == JUMP_MSG_REATTACH_REJECT ? 3 : 0;
	for (i = 0; i < 8; i++)
		buf[4 + i] = (uint8_t)(id >> (56 - 8 * i));
	for (i = 12; i < n; i++)
		buf[i] = (uint8_t)(i * 13 + type);
	return n;
}

/* Does any 4-byte run of @a's bytes [from, to) appear in @b? */
static bool shares_run(const uint8_t *a, size_t from, size_t to, const uint8_t *b, size_t blen)
{
	size_t i, j;

	for (i = from; i + 4 <= to; i++)
		for (j = 0; j + 4 <= blen; j++)
			if (!memcmp(a + i, b + j, 4))
				return true;
	return false;
}

static void test_seal_open(void)
{
	uint8_t p[WIRE_MAX_LEN], s[WIRE_MAX_LEN], o[WIRE_MAX_LEN];
	unsigned int sealed = 0, types = 0, kept = 0, opened = 0, leaks = 0;
	size_t n, len;
	int t;

	for (t = 1; t <= JUMP_MSG_MAX; t++) {
		n = plain(p, t, 0x0123456789abcdefULL);
		memcpy(s, p, sizeof(p));
		len = unlink_seal(s, n, key, unlink_tag(key, 9));
		if (!unlink_type(t)) {
			kept += len == n && !memcmp(s, p, n);
			continue;
		}
		types++;
		sealed += len == JUMP_UNLINKABLE_CTL_LEN && s[0] == t &&
			  unlink_peek(s, len, &(uint64_t){ 0 }) == 0;
		leaks += shares_run(p, 4, n - WIRE_MAC_LEN, s, len);
		memcpy(o, s, sizeof(s));
		opened += !unlink_open(o, &len, key, 0x0123456789abcdefULL) && len == n &&
			  !memcmp(o, p, n);
	}
	tap_ok(types == 16 && kept == JUMP_MSG_MAX - 16,
	       "every type after the birth handshake is sealed, the handshake's and data are not");
	tap_ok(sealed == types, "a sealed message keeps its type and is JUMP_UNLINKABLE_CTL_LEN bytes");
	tap_ok(!leaks, "no 4 bytes of a plain message's id and fields are left in its sealed form");
	tap_ok(opened == types, "opening restores each plain message exactly");

	n = plain(p, JUMP_MSG_REATTACH_ACK, 42);
	len = unlink_seal(p, n, key, 77);
	p[len - 1] = 1;
	memcpy(o, p, sizeof(p));
	tap_ok(unlink_open(o, &len, key, 42) == -1 && !memcmp(o, p, sizeof(p)),
	       "padding that is not zero is refused, the buffer left as it was");
	len = WIRE_REATTACH_ACK_LEN;
	tap_ok(unlink_open(o, &len, key, 42) == -1, "so is a message of its plain length");
	n = plain(p, JUMP_MSG_REATTACH_ACK, 42);
	tap_ok(unlink_seal(p, n - 1, key, 77) == n - 1, "a message of a wrong length is not sealed");
}

static uint8_t *epoch_at(uint8_t *buf, size_t off, uint32_t e)
{
	buf[off] = e >> 24;
	buf[off + 1] = e >> 16;
	buf[off + 2] = e >> 8;
	buf[off + 3] = e;
	return buf;
}

static void test_epochs(void)
{
	uint8_t b[WIRE_MAX_LEN];

	plain(b, JUMP_MSG_REATTACH_REQUEST, 1);
	tap_ok(unlink_epoch(epoch_at(b, 12, 8), WIRE_REATTACH_REQUEST_LEN, 7) == 8,
	       "a REATTACH_REQUEST carries the tag of the epoch it asks for");
	plain(b, JUMP_MSG_STANDBY_REQUEST, 1);
	tap_ok(unlink_epoch(epoch_at(b, 12, 7), WIRE_STANDBY_REQUEST_LEN, 7) == 8,
	       "a STANDBY_REQUEST the tag of the epoch its promotion takes");
	plain(b, JUMP_MSG_REATTACH_ACK, 1);
	tap_ok(unlink_epoch(epoch_at(b, 20, 8), WIRE_REATTACH_ACK_LEN, 8) == 8,
	       "a REATTACH_ACK the tag of the epoch it committed");
	plain(b, JUMP_MSG_STANDBY_ACK, 1);
	tap_ok(unlink_epoch(epoch_at(b, 20, 7), WIRE_STANDBY_ACK_LEN, 7) == 8,
	       "a STANDBY_ACK its standby's");
	plain(b, JUMP_MSG_REKEY_INIT, 1);
	tap_ok(unlink_epoch(b, WIRE_REKEY_INIT_LEN, 7) == 7,
	       "a rekey the current epoch's");
	plain(b, JUMP_MSG_REATTACH_CHALLENGE, 1);
	tap_ok(unlink_epoch(b, WIRE_REATTACH_CHALLENGE_LEN, 7) == 8,
	       "a path challenge the next epoch's");
}

static void test_core(const char *dir)
{
	struct ctl c;
	struct csession *s, *other;
	struct udp_packet pk;
	uint8_t buf[WIRE_MAX_LEN];
	size_t n;

	memset(&c, 0, sizeof(c));
	snprintf(c.cfg.state_dir, sizeof(c.cfg.state_dir), "%s", dir);
	c.table_size = 16;
	c.table = calloc(c.table_size, sizeof(*c.table));
	s = ctl_add(&c, 0x1111, JUMP_ROLE_SERVER);
	other = ctl_add(&c, 0x2222, JUMP_ROLE_SERVER);
	memcpy(s->keys.unlink, key, sizeof(key));
	s->epoch = 3;
	other->epoch = 3;	/* no unlink key: a session of an older jumpd */
	ctl_save(&c, s);
	ctl_save(&c, other);
	tap_ok(ctl_tag_find(&c, unlink_tag(key, 2)) == s && ctl_tag_find(&c, unlink_tag(key, 3)) == s &&
	       ctl_tag_find(&c, unlink_tag(key, 4)) == s && !ctl_tag_find(&c, unlink_tag(key, 5)),
	       "a session is found by the tags of its epoch, the one before and the one after");

	/* The client's request for epoch 4, sealed as its ctl_send would. */
	n = plain(buf, JUMP_MSG_REATTACH_REQUEST, s->id);
	epoch_at(buf, 12, 4);
	memset(&pk, 0, sizeof(pk));
	memcpy(pk.buf, buf, n);
	pk.len = unlink_seal(pk.buf, n, key, unlink_tag(key, 4));
	tap_ok(!s->unlinkable, "a server's session is not unlinkable before its client seals");
	ctl_unlink_open(&c, &pk);
	tap_ok(pk.len == n && !memcmp(pk.buf, buf, n) && s->unlinkable,
	       "a sealed request is opened in place, and the server seals from then on");
	n = plain(buf, JUMP_MSG_REATTACH_ACK, s->id);
	epoch_at(buf, 20, 4);
	tap_ok(ctl_unlink_seal(&c, 3, &pk.src, buf, n) == JUMP_UNLINKABLE_CTL_LEN &&
	       unlink_peek(buf, JUMP_UNLINKABLE_CTL_LEN, &(uint64_t){ 0 }) == 0 &&
	       buf[4] == (uint8_t)(unlink_tag(key, 4) >> 56),
	       "its ACK goes out sealed with the tag of the epoch it committed");
	n = plain(buf, JUMP_MSG_REATTACH_ACK, other->id);
	tap_ok(ctl_unlink_seal(&c, 3, &pk.src, buf, n) == n, "another session's messages go out plain");

	/* The ends' epochs differ mid-switch: an answer keeps its path's tag. */
	n = plain(buf, JUMP_MSG_REKEY_INIT, s->id);
	memset(&pk, 0, sizeof(pk));
	memcpy(pk.buf, buf, n);
	pk.fd = 3;
	pk.src.ss_family = AF_INET;
	((struct sockaddr_in *)&pk.src)->sin_port = htons(40000);
	pk.len = unlink_seal(pk.buf, n, key, unlink_tag(key, 2));
	ctl_unlink_open(&c, &pk);
	c.current = &pk;
	n = plain(buf, JUMP_MSG_REKEY_RESP, s->id);
	ctl_unlink_seal(&c, 3, &pk.src, buf, n);
	tap_ok(buf[4] == (uint8_t)(unlink_tag(key, 2) >> 56) &&
	       buf[11] == (uint8_t)unlink_tag(key, 2),
	       "an answer goes back with the tag its packet came with (the old epoch's, on the old path)");
	n = plain(buf, JUMP_MSG_REKEY_RESP, s->id);
	ctl_unlink_seal(&c, 4, &pk.src, buf, n);
	tap_ok(buf[11] == (uint8_t)unlink_tag(key, 3),
	       "on another socket, the tag of the sender's epoch");
	c.current = NULL;

	memset(&pk, 0, sizeof(pk));
	pk.len = plain(pk.buf, JUMP_MSG_REATTACH_REQUEST, 0);
	pk.len = unlink_seal(pk.buf, pk.len, key, 0x5555);
	memcpy(buf, pk.buf, pk.len);
	ctl_unlink_open(&c, &pk);
	tap_ok(pk.len == JUMP_UNLINKABLE_CTL_LEN && !memcmp(pk.buf, buf, pk.len),
	       "an unknown tag leaves the packet as it came (it fails as an unknown session)");

	s->epoch = 4;
	ctl_save(&c, s);
	tap_ok(ctl_tag_find(&c, unlink_tag(key, 5)) == s && !ctl_tag_find(&c, unlink_tag(key, 2)),
	       "a new epoch files the session under the next tags");
	ctl_remove(&c, s);
	tap_ok(!ctl_tag_find(&c, unlink_tag(key, 4)), "a removed session's tags are gone");
	ctl_remove(&c, other);
	free(c.table);
	ctl_tags_free(&c);
}

int main(void)
{
	char dir[64], cmd[96];
	size_t i;

	log_stream = fopen("/dev/null", "w");
	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	snprintf(dir, sizeof(dir), "/tmp/jumpd-unlink.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_known_answers();
	test_bindings();
	test_seal_open();
	test_epochs();
	test_core(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		return 1;
	fclose(log_stream);
	return tap_done();
}
