// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a control socket under load (Documentation/jumpd.rst, "Floods"):
 * up to CTL_READ_BATCH datagrams are read (recvmmsg, UDP_BATCH a call)
 * before any is looked at, then handled in an order that a flood cannot
 * take over: packets from proven sources first (the address a session is
 * bound to, or the confirm of a path being validated: the role says,
 * ops->proven, without any crypto), then the others a round at a time,
 * each source's first packet before anyone's second. When the read filled
 * the batch (more is waiting: jumpd is behind), an unproven source gets
 * CTL_SOURCE_BUDGET packets of it at most; the rest are dropped before any
 * MAC and counted with the rate-limit drops. A source is an address and a
 * port: keyed by address alone, a neighbour behind the client's CGNAT
 * address could have its flood take the client's turn.
 * Proven packets are never dropped here (a spoofer of a bound address
 * must not silence it); a role without ops->proven (the client, one
 * peer) keeps the order read and drops nothing. A forged
 * flood from few sources then costs a fraction of a system call per
 * packet, and a real client's packet waits for one batch at most.
 */
#include <string.h>

#include "ctl.h"
#include "ctl_audit.h"
#include "log.h"

#define SLOTS	(2 * CTL_READ_BATCH)	/* open addressing, half full at most */

struct source {
	struct endpoint addr;		/* address and port */
	uint16_t count;			/* its packets in the batch so far */
	bool used;
};

static uint32_t hash_addr(const struct endpoint *ep)
{
	const uint8_t *b = (const uint8_t *)&ep->addr;
	size_t i, n = ep->family == AF_INET ? 4 : 16;
	uint32_t h = 2166136261u;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return (h ^ ep->port) * 16777619u;
}

/* The packet's rank among its source's packets: 0 for the first. */
static uint16_t rank_of(struct source *tab, uint16_t *used, unsigned int *nused,
			const struct sockaddr_storage *src)
{
	struct endpoint ep;
	uint32_t i;

	udp_to_endpoint(src, &ep);
	for (i = hash_addr(&ep) % SLOTS;; i = (i + 1) % SLOTS) {
		if (!tab[i].used) {
			used[(*nused)++] = i;
			tab[i].used = true;
			tab[i].addr = ep;
			tab[i].count = 1;
			return 0;
		}
		if (!memcmp(&tab[i].addr, &ep, sizeof(ep)))
			return tab[i].count++;
	}
}

unsigned int ctl_read_order(struct ctl *c, struct udp_packet *p, unsigned int n, bool full,
			    uint16_t order[])
{
	/* Emptied after each batch, slot by slot: no 16 KB memset per packet. */
	static struct source tab[SLOTS];
	uint16_t rank[CTL_READ_BATCH], used[CTL_READ_BATCH];
	bool proven[CTL_READ_BATCH];
	unsigned int i, k = 0, r, max_rank = 0, budget, nused = 0;

	if (!c->ops->proven) {	/* the client: one peer, in the order it sent */
		for (i = 0; i < n; i++)
			order[i] = i;
		return n;
	}
	for (i = 0; i < n; i++) {
		proven[i] = c->ops->proven(c, &p[i]);
		rank[i] = rank_of(tab, used, &nused, &p[i].src);
		if (rank[i] > max_rank)
			max_rank = rank[i];
	}
	for (i = 0; i < nused; i++)
		tab[used[i]].used = false;
	budget = full ? CTL_SOURCE_BUDGET : CTL_READ_BATCH;
	/* Never dropped: a spoofer of a bound address must not silence it. */
	for (i = 0; i < n; i++)
		if (proven[i])
			order[k++] = i;
	for (r = 0; r <= max_rank && r < budget; r++)
		for (i = 0; i < n; i++)
			if (!proven[i] && rank[i] == r)
				order[k++] = i;
	c->limited += n - k;
	return k;
}

void ctl_read_socket(struct ctl *c, int fd)
{
	static struct udp_packet p[CTL_READ_BATCH];
	uint16_t order[CTL_READ_BATCH];
	unsigned int n = 0, k, i;
	int got;

	/*
	 * A bounded batch: a flood on one socket must not starve the others.
	 * Read UDP_BATCH at a time (recvmmsg), so that shedding a flood costs
	 * a fraction of a system call per packet. The batch's log lines go
	 * out together, after its records are durable.
	 */
	while (n < CTL_READ_BATCH) {
		got = udp_recv_batch(fd, p + n, CTL_READ_BATCH - n);
		if (got <= 0)
			break;
		n += got;
		if (got < UDP_BATCH)
			break;
	}
	if (!n)
		return;
	log_batch();
	/* Sealed messages name their session by a tag: opened before anything. */
	for (i = 0; i < n; i++)
		ctl_unlink_open(c, &p[i]);
	k = ctl_read_order(c, p, n, n == CTL_READ_BATCH, order);
	for (i = 0; i < k; i++) {
		c->current = &p[order[i]];
		c->ops->packet(c, &p[order[i]]);
	}
	c->current = NULL;
	ctl_audit_sync(c);
	log_flush();
}
