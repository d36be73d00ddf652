/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unlinkable migration (Documentation/protocol.rst, "Unlinkable
 * migration"): an observer of two paths of one session must not link
 * them by any field on the wire. From the session's unlink key (born with
 * the session, never sent) and a binding epoch come the session tag that
 * control messages carry instead of the session id, and the data path's
 * receiver indices and header masks of that epoch's binding.
 *
 * A control message is sealed after its MAC (over the plain message) and
 * opened before anything else reads it: the session id at offset 4 becomes
 * the tag, the bytes between it and the MAC are XORed with a keystream of
 * the tag, and the message is padded to JUMP_UNLINKABLE_CTL_LEN.
 */
#ifndef JUMPD_UNLINK_H
#define JUMPD_UNLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "genl.h"
#include "wire.h"

/* BLAKE2b-128(key, "jump tag" || be32(epoch)), its first 8 bytes. */
uint64_t unlink_tag(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch);
/*
 * The receiver index the @role end takes for @epoch (above
 * JUMP_MAX_SESSIONS), and the header mask the @role end sends with.
 */
uint32_t unlink_index(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch, uint8_t role);
void unlink_mask(const uint8_t key[WIRE_KEY_LEN], uint32_t epoch, uint8_t role,
		 uint8_t mask[JUMP_HEADER_MASK_LEN]);
/* Fills @b's indices and masks for @epoch, as seen from the @self end. */
void unlink_binding(const uint8_t key[WIRE_KEY_LEN], uint8_t self, uint32_t epoch,
		    struct jumpd_binding *b);

/* Is a message of @type sealed (every type after the birth handshake)? */
bool unlink_type(int type);
/*
 * The epoch whose tag the (plain) message in @buf carries, when its
 * sender's binding is at @current: that of the binding it asks for or
 * commits, or @current for what belongs to the current binding.
 */
uint32_t unlink_epoch(const uint8_t *buf, size_t len, uint32_t current);
/*
 * Seals the plain message of @len bytes in @buf (room for
 * JUMP_UNLINKABLE_CTL_LEN) with @tag: returns JUMP_UNLINKABLE_CTL_LEN, or
 * @len untouched if it cannot be sealed.
 */
size_t unlink_seal(uint8_t *buf, size_t len, const uint8_t key[WIRE_KEY_LEN], uint64_t tag);
/* The tag of a received message: 0, or -1 if it carries none. */
int unlink_peek(const uint8_t *buf, size_t len, uint64_t *tag);
/*
 * Opens a sealed message whose tag is @key's: the session id @id back in
 * place, the fields unmasked, the padding cut (*@len). 0, or -1 (a wrong
 * length or padding) leaving @buf as it was.
 */
int unlink_open(uint8_t *buf, size_t *len, const uint8_t key[WIRE_KEY_LEN], uint64_t id);

#endif /* JUMPD_UNLINK_H */
