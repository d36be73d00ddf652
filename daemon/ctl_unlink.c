// SPDX-License-Identifier: GPL-2.0
/*
 * Unlinkable migration in the core (Documentation/protocol.rst,
 * "Unlinkable migration"): the table that finds a session by the tag a
 * sealed message carries (CTL_TAGS entries per session: the tags of the
 * epochs before, at and after its current one, so a retry after a lost
 * ACK finds it too), the opening of received messages before anyone reads
 * them and the sealing of sent ones after their MAC. A lookup is one
 * bucket walk, no crypto: a flood of made-up tags costs what any unknown
 * session id costs.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctl.h"
#include "log.h"
#include "store.h"
#include "unlink.h"

_Static_assert(WIRE_MAX_LEN >= JUMP_UNLINKABLE_CTL_LEN, "a send buffer holds a sealed message");

static size_t bucket_of(uint64_t tag)
{
	return (size_t)((tag * 0x9e3779b97f4a7c15ULL) >> 40) % CTL_TAG_BUCKETS;
}

/* A session with an unlink key: one born under a jumpd that derives it. */
static bool has_key(const struct csession *s)
{
	return !sodium_is_zero(s->keys.unlink, sizeof(s->keys.unlink));
}

void ctl_tags_drop(struct ctl *c, struct csession *s)
{
	struct ctl_tag **pp;
	int i;

	if (!s->tagged)
		return;
	for (i = 0; i < CTL_TAGS; i++) {
		for (pp = &c->tag_table[bucket_of(s->tags[i].tag)]; *pp; pp = &(*pp)->next) {
			if (*pp == &s->tags[i]) {
				*pp = s->tags[i].next;
				break;
			}
		}
	}
	s->tagged = false;
}

void ctl_tags_sync(struct ctl *c, struct csession *s)
{
	struct ctl_tag *t;
	size_t b;
	int i;

	if (!has_key(s) || (s->tagged && s->tags_epoch == s->epoch))
		return;
	if (!c->tag_table) {
		c->tag_table = calloc(CTL_TAG_BUCKETS, sizeof(*c->tag_table));
		if (!c->tag_table) {
			log_err("no memory for the tag table");
			return;
		}
	}
	ctl_tags_drop(c, s);
	for (i = 0; i < CTL_TAGS; i++) {
		t = &s->tags[i];
		t->tag = unlink_tag(s->keys.unlink, s->epoch - 1 + i);
		t->s = s;
		b = bucket_of(t->tag);
		t->next = c->tag_table[b];
		c->tag_table[b] = t;
	}
	s->tags_epoch = s->epoch;
	s->tagged = true;
}

struct csession *ctl_tag_find(struct ctl *c, uint64_t tag)
{
	struct ctl_tag *t;

	if (!c->tag_table)
		return NULL;
	for (t = c->tag_table[bucket_of(tag)]; t; t = t->next)
		if (t->tag == tag)
			return t->s;
	return NULL;
}

void ctl_tags_free(struct ctl *c)
{
	free(c->tag_table);
	c->tag_table = NULL;
}

void ctl_unlink_open(struct ctl *c, struct udp_packet *p)
{
	struct csession *s;
	uint64_t tag;

	p->sealed = false;
	if (unlink_peek(p->buf, p->len, &tag))
		return;
	s = ctl_tag_find(c, tag);
	if (!s || unlink_open(p->buf, &p->len, s->keys.unlink, s->id))
		return;		/* the session id of a plain message, or garbage */
	p->sealed = true;
	p->sealed_id = s->id;
	p->sealed_tag = tag;
	if (!s->unlinkable) {
		/* The client seals: from now on, so does the server. */
		s->unlinkable = true;
		log_info("session %016" PRIx64 ": unlinkable (the peer seals its messages)",
			 s->id);
		store_save(c->cfg.state_dir, s);
	}
}

/* The session a message names at offset 4: its id, or a cookie's ref. */
static struct csession *named(struct ctl *c, const uint8_t *buf, size_t len)
{
	uint64_t id = 0;
	int i;

	if (wire_type(buf, len) == JUMP_MSG_COOKIE_REPLY && len == WIRE_COOKIE_REPLY_LEN) {
		for (i = 0; i < 8; i++)
			id = id << 8 | buf[4 + i];
		return ctl_find(c, id);
	}
	return wire_session_id(buf, len, &id) ? NULL : ctl_find(c, id);
}

/* Does @buf, sent on @fd to @dst, answer the packet being handled? */
static bool answers(const struct ctl *c, const struct csession *s, int fd,
		    const struct sockaddr_storage *dst)
{
	const struct udp_packet *p = c->current;

	return p && p->sealed && p->sealed_id == s->id && p->fd == fd &&
	       udp_same(&p->src, dst);
}

size_t ctl_unlink_seal(struct ctl *c, int fd, const struct sockaddr_storage *dst,
		       uint8_t *buf, size_t len)
{
	struct csession *s;
	uint64_t tag;

	if (!unlink_type(wire_type(buf, len)))
		return len;
	s = named(c, buf, len);
	if (!s || !s->unlinkable || !has_key(s))
		return len;
	ctl_tags_sync(c, s);
	tag = answers(c, s, fd, dst) ? c->current->sealed_tag :
	      unlink_tag(s->keys.unlink, unlink_epoch(buf, len, s->epoch));
	return unlink_seal(buf, len, s->keys.unlink, tag);
}

void ctl_unlink_bind(const struct csession *s, uint32_t epoch, struct jumpd_binding *b)
{
	if (s->unlinkable && has_key(s))
		unlink_binding(s->keys.unlink, s->role, epoch, b);
}
