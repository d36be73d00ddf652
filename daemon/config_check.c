// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's config, when the file ends: the relations between peers. No two
 * [Peer] sections share a PublicKey, and no address belongs to two peers:
 * the AllowedIPs prefixes of different peers neither repeat nor contain
 * each other. Both are checked on sorted copies, so that 65536 peers take
 * O(n log n), and both report the earliest line at fault.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "config_parser.h"

static int cmp_key_ref(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int r = memcmp(x->key, y->key, JUMP_PUBKEY_LEN);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* Sorted, so 65536 peers take no 2^31 comparisons; the first line wins. */
static int check_duplicate_keys(struct parser *p)
{
	unsigned int bad = 0, first = 0;
	size_t i;

	if (p->nkeys < 2)
		return 0;
	qsort(p->keys, p->nkeys, sizeof(*p->keys), cmp_key_ref);
	for (i = 1; i < p->nkeys; i++) {
		if (memcmp(p->keys[i - 1].key, p->keys[i].key, JUMP_PUBKEY_LEN))
			continue;
		if (!bad || p->keys[i].line < bad) {
			bad = p->keys[i].line;
			first = p->keys[i - 1].line;
		}
	}
	if (bad)
		return config_fail(p, bad, "this PublicKey is also the one at line %u: one [Peer] per key",
				   first);
	return 0;
}

static int cmp_prefix(const struct prefix *x, const struct prefix *y)
{
	int r;

	if (x->family != y->family)
		return x->family - y->family;
	r = memcmp(&x->addr, &y->addr, x->family == AF_INET6 ? 16 : 4);
	return r ? r : x->len - y->len;
}

static int cmp_prefix_ref(const void *a, const void *b)
{
	const struct prefix_ref *x = a, *y = b;
	int r = cmp_prefix(&x->p, &y->p);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

static bool prefix_contains(const struct prefix *outer, const struct prefix *in)
{
	const uint8_t *a = (const uint8_t *)&outer->addr;
	const uint8_t *b = (const uint8_t *)&in->addr;
	unsigned int full = outer->len / 8, rest = outer->len % 8;

	if (outer->family != in->family || outer->len > in->len)
		return false;
	if (memcmp(a, b, full))
		return false;
	return !rest || !((a[full] ^ b[full]) & (0xff << (8 - rest)));
}

/* Of all overlaps, the one whose later line comes first in the file. */
struct overlap {
	const struct prefix_ref *early, *late;
};

static void note_overlap(struct overlap *o, const struct prefix_ref *a,
			 const struct prefix_ref *b)
{
	const struct prefix_ref *early = a->line <= b->line ? a : b;
	const struct prefix_ref *late = early == a ? b : a;

	if (!o->late || late->line < o->late->line) {
		o->early = early;
		o->late = late;
	}
}

static int report_overlap(struct parser *p, const struct overlap *o)
{
	const struct prefix_ref *early = o->early, *late = o->late;
	char a[PREFIX_LEN], b[PREFIX_LEN];

	format_prefix(&late->p, a, sizeof(a));
	format_prefix(&early->p, b, sizeof(b));
	if (early->peer == late->peer)
		return config_fail(p, late->line, "AllowedIPs %s is listed twice", a);
	return config_fail(p, late->line, "AllowedIPs %s overlaps %s of the [Peer] at line %u: each address belongs to one peer",
			   a, b, p->c->peers[early->peer].line);
}

/*
 * Sorted by address then length, every prefix follows the prefixes that
 * contain it, so a stack of the enclosing ones finds each overlap in
 * O(n log n). A peer may nest its own prefixes, never repeat one.
 */
static int check_overlaps(struct parser *p)
{
	const struct prefix_ref *stack[129 + 1];
	struct overlap o = { 0 };
	size_t i, depth = 0, j;

	if (p->nprefixes < 2)
		return 0;
	qsort(p->prefixes, p->nprefixes, sizeof(*p->prefixes), cmp_prefix_ref);
	for (i = 0; i < p->nprefixes; i++) {
		const struct prefix_ref *e = &p->prefixes[i];

		while (depth && !prefix_contains(&stack[depth - 1]->p, &e->p))
			depth--;
		for (j = 0; j < depth; j++)
			if (stack[j]->peer != e->peer || stack[j]->p.len == e->p.len)
				note_overlap(&o, stack[j], e);
		/* Equal prefixes are one level: the stack stays <= 129 deep. */
		if (!depth || stack[depth - 1]->p.len != e->p.len)
			stack[depth++] = e;
	}
	return o.late ? report_overlap(p, &o) : 0;
}

int config_check_peers(struct parser *p)
{
	return check_duplicate_keys(p) ?: check_overlaps(p);
}
