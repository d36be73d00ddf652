// SPDX-License-Identifier: GPL-2.0
/* The state directory: what a restarted jumpd needs comes back intact. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "store.h"
#include "tap.h"

static char dir[64];

static void fill(struct csession *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->id = 0x0123456789abcdefULL;
	s->role = JUMP_ROLE_SERVER;
	for (i = 0; i < JUMP_PUBKEY_LEN; i++) {
		s->peer_pub[i] = (uint8_t)i;
		s->keys.ctl[i] = (uint8_t)(i + 1);
		s->keys.reattach[i] = (uint8_t)(i + 2);
		s->reattach_prev[i] = (uint8_t)(i + 3);
		s->keys.chain[i] = (uint8_t)(i + 4);
		s->keys.unlink[i] = (uint8_t)(i + 5);
	}
	s->unlinkable = true;
	memset(s->last_nonce, 0xa5, sizeof(s->last_nonce));
	s->attempt = 12345678901ULL;
	s->epoch = 7;
	s->key_id = 200;
	s->rekey_seq = 9;
	s->remote_index = 42;
}

static void test_round_trip(void)
{
	struct csession a, b;
	char path[128];
	struct stat st;

	fill(&a);
	tap_ok(store_save(dir, &a) == 0, "a session is saved");
	snprintf(path, sizeof(path), "%s/0123456789abcdef.session", dir);
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	       "its file is mode 0600 (it holds secrets)");
	tap_ok(store_exists(dir, a.id), "store_exists sees it");
	memset(&b, 0, sizeof(b));
	tap_ok(store_load(dir, a.id, &b) == 0, "it loads back");
	tap_ok(b.id == a.id && b.role == a.role && b.attempt == a.attempt &&
	       b.epoch == a.epoch && b.key_id == a.key_id &&
	       b.rekey_seq == a.rekey_seq && b.remote_index == a.remote_index &&
	       b.unlinkable,
	       "numbers and the unlinkable flag survive");
	tap_ok(!memcmp(b.peer_pub, a.peer_pub, sizeof(a.peer_pub)) &&
	       !memcmp(b.keys.ctl, a.keys.ctl, sizeof(a.keys.ctl)) &&
	       !memcmp(b.keys.reattach, a.keys.reattach, sizeof(a.keys.reattach)) &&
	       !memcmp(b.reattach_prev, a.reattach_prev, sizeof(a.reattach_prev)) &&
	       !memcmp(b.keys.chain, a.keys.chain, sizeof(a.keys.chain)) &&
	       !memcmp(b.keys.unlink, a.keys.unlink, sizeof(a.keys.unlink)) &&
	       !memcmp(b.last_nonce, a.last_nonce, sizeof(a.last_nonce)),
	       "keys and nonce survive");
	tap_ok(store_load(dir, 0x42, &b) == -1, "an unknown id does not load");
	store_remove(dir, a.id);
	tap_ok(!store_exists(dir, a.id), "removed, it is gone");
}

static void test_bad_files(void)
{
	struct csession s;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/00000000000000aa.session", dir);
	f = fopen(path, "w");
	fputs("jumpd-session 1\nid=00000000000000aa\nattempt=notanumber\n", f);
	fclose(f);
	tap_ok(store_load(dir, 0xaa, &s) == -1, "a bad value refuses the file");
	f = fopen(path, "w");
	fputs("something else\n", f);
	fclose(f);
	tap_ok(store_load(dir, 0xaa, &s) == -1, "a file without the header is refused");
	f = fopen(path, "w");
	fputs("jumpd-session 1\nid=00000000000000bb\n", f);
	fclose(f);
	tap_ok(store_load(dir, 0xaa, &s) == -1, "a file naming another id is refused");
	f = fopen(path, "w");
	fputs("jumpd-session 1\nid=00000000000000aa\nctl=abcd\n", f);
	fclose(f);
	tap_ok(store_load(dir, 0xaa, &s) == -1, "a short key is refused");
	unlink(path);
}

static void test_peer_timestamps(void)
{
	uint8_t pub[JUMP_PUBKEY_LEN] = { 1, 2, 3 };
	uint8_t other[JUMP_PUBKEY_LEN] = { 9 };

	tap_ok(store_peer_timestamp(dir, pub) == 0, "no timestamp yet: 0");
	tap_ok(store_set_peer_timestamp(dir, pub, 1764000000123456789ULL) == 0 &&
	       store_peer_timestamp(dir, pub) == 1764000000123456789ULL,
	       "a peer's newest handshake timestamp is kept");
	tap_ok(store_peer_timestamp(dir, other) == 0, "per peer");
}

int main(void)
{
	char cmd[96];

	log_stream = fopen("/dev/null", "w");
	snprintf(dir, sizeof(dir), "/tmp/jumpd-store.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	strcat(dir, "/state");
	tap_ok(store_init(dir) == 0, "the state directory is created");
	test_round_trip();
	test_bad_files();
	test_peer_timestamps();
	snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)(strlen(dir) - 6), dir);
	if (system(cmd))
		return 1;
	fclose(log_stream);
	return tap_done();
}
