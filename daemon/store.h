/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state directory: what jumpd must not forget across a restart, one
 * small file per session (mode 0600, written whole and renamed into place,
 * so a crash leaves the old file or the new one, never half of each), and
 * the newest handshake timestamp of each peer (so an old INIT replayed after
 * a restart is still stale).
 */
#ifndef JUMPD_STORE_H
#define JUMPD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/jump.h>

struct csession;

/* Creates @dir (0700) if needed. 0 or -1 (logged). */
int store_init(const char *dir);
int store_save(const char *dir, const struct csession *s);
/* 0: loaded; -1: no file or a bad one (logged). */
int store_load(const char *dir, uint64_t id, struct csession *s);
void store_remove(const char *dir, uint64_t id);
bool store_exists(const char *dir, uint64_t id);

uint64_t store_peer_timestamp(const char *dir, const uint8_t pub[JUMP_PUBKEY_LEN]);
int store_set_peer_timestamp(const char *dir, const uint8_t pub[JUMP_PUBKEY_LEN],
			     uint64_t ts);

#endif /* JUMPD_STORE_H */
