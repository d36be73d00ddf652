// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "ctl.h"
#include "log.h"
#include "store.h"

#define STORE_MAGIC	"jumpd-session 1"

static void session_path(const char *dir, uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%016" PRIx64 ".session", dir, id);
}

int store_init(const char *dir)
{
	char path[4096];
	char *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			goto err;
		*p = '/';
	}
	if (mkdir(path, 0700) && errno != EEXIST)
		goto err;
	return 0;
err:
	log_err("state directory %s: %s", path, strerror(errno));
	return -1;
}

static void put_hex(FILE *f, const char *name, const uint8_t *b, size_t len)
{
	size_t i;

	fprintf(f, "%s=", name);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", b[i]);
	fputc('\n', f);
}

static int get_hex(const char *v, uint8_t *b, size_t len)
{
	size_t i;
	unsigned int x;

	if (strlen(v) != len * 2)
		return -1;
	for (i = 0; i < len; i++) {
		if (sscanf(v + 2 * i, "%2x", &x) != 1)
			return -1;
		b[i] = (uint8_t)x;
	}
	return 0;
}

/* Writes @path through a temporary file, fsynced, then renamed over it. */
static int write_atomic(const char *path, void (*fill)(FILE *f, const void *arg),
			const void *arg)
{
	char tmp[4200];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto err;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto err;
	}
	fill(f, arg);
	if (fflush(f) || fsync(fd) || fclose(f)) {
		unlink(tmp);
		goto err;
	}
	if (rename(tmp, path))
		goto err;
	return 0;
err:
	log_err("writing %s: %s", path, strerror(errno));
	return -1;
}

static void fill_session(FILE *f, const void *arg)
{
	const struct csession *s = arg;

	fprintf(f, "%s\n", STORE_MAGIC);
	fprintf(f, "id=%016" PRIx64 "\nrole=%u\n", s->id, s->role);
	put_hex(f, "peer", s->peer_pub, sizeof(s->peer_pub));
	put_hex(f, "ctl", s->keys.ctl, sizeof(s->keys.ctl));
	put_hex(f, "reattach", s->keys.reattach, sizeof(s->keys.reattach));
	put_hex(f, "reattach_prev", s->reattach_prev, sizeof(s->reattach_prev));
	put_hex(f, "chain", s->keys.chain, sizeof(s->keys.chain));
	put_hex(f, "last_nonce", s->last_nonce, sizeof(s->last_nonce));
	fprintf(f, "attempt=%" PRIu64 "\nepoch=%u\nkey_id=%u\nrekey_seq=%u\n",
		s->attempt, s->epoch, s->key_id, s->rekey_seq);
	fprintf(f, "remote_index=%u\n", s->remote_index);
	/* Kept only for failover (ClusterKeyFile): else wiped once installed. */
	if (!sodium_is_zero(s->keys.send, sizeof(s->keys.send))) {
		put_hex(f, "send", s->keys.send, sizeof(s->keys.send));
		put_hex(f, "recv", s->keys.recv, sizeof(s->keys.recv));
	}
	put_hex(f, "unlink", s->keys.unlink, sizeof(s->keys.unlink));
	fprintf(f, "unlinkable=%u\n", s->unlinkable);
}

int store_save(const char *dir, const struct csession *s)
{
	char path[4096];

	session_path(dir, s->id, path, sizeof(path));
	return write_atomic(path, fill_session, s);
}

static int parse_line(struct csession *s, char *line)
{
	char *v = strchr(line, '=');
	unsigned int u;

	if (!v)
		return -1;
	*v++ = '\0';
	if (!strcmp(line, "id"))
		return sscanf(v, "%" SCNx64, &s->id) == 1 ? 0 : -1;
	if (!strcmp(line, "role"))
		return sscanf(v, "%u", &u) == 1 && u <= JUMP_ROLE_MAX ? (s->role = u, 0) : -1;
	if (!strcmp(line, "peer"))
		return get_hex(v, s->peer_pub, sizeof(s->peer_pub));
	if (!strcmp(line, "ctl"))
		return get_hex(v, s->keys.ctl, sizeof(s->keys.ctl));
	if (!strcmp(line, "reattach"))
		return get_hex(v, s->keys.reattach, sizeof(s->keys.reattach));
	if (!strcmp(line, "reattach_prev"))
		return get_hex(v, s->reattach_prev, sizeof(s->reattach_prev));
	if (!strcmp(line, "chain"))
		return get_hex(v, s->keys.chain, sizeof(s->keys.chain));
	if (!strcmp(line, "last_nonce"))
		return get_hex(v, s->last_nonce, sizeof(s->last_nonce));
	if (!strcmp(line, "attempt"))
		return sscanf(v, "%" SCNu64, &s->attempt) == 1 ? 0 : -1;
	if (!strcmp(line, "epoch"))
		return sscanf(v, "%u", &s->epoch) == 1 ? 0 : -1;
	if (!strcmp(line, "key_id"))
		return sscanf(v, "%u", &u) == 1 && u < 256 ? (s->key_id = u, 0) : -1;
	if (!strcmp(line, "rekey_seq"))
		return sscanf(v, "%u", &s->rekey_seq) == 1 ? 0 : -1;
	if (!strcmp(line, "send"))
		return get_hex(v, s->keys.send, sizeof(s->keys.send));
	if (!strcmp(line, "recv"))
		return get_hex(v, s->keys.recv, sizeof(s->keys.recv));
	if (!strcmp(line, "remote_index"))
		return sscanf(v, "%u", &s->remote_index) == 1 ? 0 : -1;
	if (!strcmp(line, "unlink"))
		return get_hex(v, s->keys.unlink, sizeof(s->keys.unlink));
	if (!strcmp(line, "unlinkable"))
		return sscanf(v, "%u", &u) == 1 && u <= 1 ? (s->unlinkable = u, 0) : -1;
	return 0;	/* a newer jumpd's field */
}

int store_load(const char *dir, uint64_t id, struct csession *s)
{
	char path[4096], line[256];
	unsigned int n = 0;
	uint64_t want = id;
	FILE *f;

	session_path(dir, id, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (n++ == 0) {
			if (strcmp(line, STORE_MAGIC))
				break;
			continue;
		}
		if (parse_line(s, line)) {
			log_err("%s:%u: bad line", path, n);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (n < 2 || s->id != want) {
		log_err("%s: not a session file of %016" PRIx64, path, want);
		return -1;
	}
	return 0;
}

void store_remove(const char *dir, uint64_t id)
{
	char path[4096];

	session_path(dir, id, path, sizeof(path));
	if (unlink(path) && errno != ENOENT)
		log_warn("removing %s: %s", path, strerror(errno));
}

bool store_exists(const char *dir, uint64_t id)
{
	char path[4096];

	session_path(dir, id, path, sizeof(path));
	return access(path, F_OK) == 0;
}

static void peer_path(const char *dir, const uint8_t pub[JUMP_PUBKEY_LEN],
		      char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/peer-", dir);
	size_t i;

	for (i = 0; i < 16 && n > 0 && (size_t)n + 3 < len; i++, n += 2)
		snprintf(buf + n, len - n, "%02x", pub[i]);
	snprintf(buf + n, len - n, ".ts");
}

uint64_t store_peer_timestamp(const char *dir, const uint8_t pub[JUMP_PUBKEY_LEN])
{
	char path[4096];
	uint64_t ts = 0;
	FILE *f;

	peer_path(dir, pub, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%" SCNu64, &ts) != 1)
		ts = UINT64_MAX;	/* unreadable: refuse rather than accept a replay */
	fclose(f);
	return ts;
}

static void fill_ts(FILE *f, const void *arg)
{
	fprintf(f, "%" PRIu64 "\n", *(const uint64_t *)arg);
}

int store_set_peer_timestamp(const char *dir, const uint8_t pub[JUMP_PUBKEY_LEN],
			     uint64_t ts)
{
	char path[4096];

	peer_path(dir, pub, path, sizeof(path));
	return write_atomic(path, fill_ts, &ts);
}
