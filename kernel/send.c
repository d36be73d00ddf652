// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: GSO split, encrypt in place, encapsulate on the session's one
 * binding. Runs in the caller's context (ndo_start_xmit or the liveness
 * timer) with BHs off; no queues, so a packet is on the wire or dropped and
 * counted before xmit returns.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>

#include "crypto.h"
#include "data.h"
#include "device.h"
#include "event.h"
#include "session.h"
#include "socket.h"
#include "timers.h"

static_assert(sizeof(struct jump_data_hdr) == JUMP_DATA_HEADER_LEN);

static void drop(struct jump_session *s, struct sk_buff *skb, enum jump_drop why)
{
	jump_count_drop(s->jd->drops, &s->counters, false, why);
	kfree_skb(skb);
}

/*
 * Encryption writes the payload in place: it must be linear, ours alone
 * (TCP keeps clones for retransmission) and have room for our headers and
 * the tag.
 */
static bool make_writable(struct sk_buff *skb, unsigned int head,
			  unsigned int tail)
{
	int more_head, more_tail;

	if (skb_is_nonlinear(skb) && __skb_linearize(skb))
		return false;
	more_head = max_t(int, head - skb_headroom(skb), 0);
	more_tail = max_t(int, tail - skb_tailroom(skb), 0);
	if (more_head || more_tail || skb_cloned(skb))
		return !pskb_expand_head(skb, ALIGN(more_head, NET_SKB_PAD),
					 more_tail, GFP_ATOMIC);
	return true;
}

/* ECN of the inner packet, mirrored on the outer header (RFC 6040). */
static u8 outer_tos(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return INET_ECN_encapsulate(0, ip_hdr(skb)->tos);
	if (skb->protocol == htons(ETH_P_IPV6))
		return INET_ECN_encapsulate(0, ipv6_get_dsfield(ipv6_hdr(skb)));
	return 0;	/* a keepalive or a probe */
}

static void send_one(struct jump_session *s, struct sk_buff *skb)
{
	struct net_device *dev = s->jd->dev;
	unsigned int len = skb->len;
	struct jump_data_hdr *hdr;
	struct jump_binding *b;
	bool expiring = false;
	struct jump_key *k;
	u32 receiver;
	u64 nonce;
	u8 tos;

	b = rcu_dereference_bh(s->binding);
	receiver = b && b->remote_index ? b->remote_index : READ_ONCE(s->remote_index);
	if (unlikely(!b || !receiver))
		return drop(s, skb, JUMP_DROP_NO_BINDING);
	k = jump_key_primary(s);
	if (unlikely(!k))
		return drop(s, skb, JUMP_DROP_NO_KEY);
	if (!jump_key_next_nonce(k, &nonce, &expiring)) {
		if (expiring)
			jump_event_key_expiring(s, k->id);
		return drop(s, skb, JUMP_DROP_KEY_EXPIRED);
	}
	if (unlikely(expiring))
		jump_event_key_expiring(s, k->id);
	if (unlikely(!make_writable(skb, dev->needed_headroom, JUMP_TAG_LEN)))
		return drop(s, skb, JUMP_DROP_NOMEM);
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return drop(s, skb, JUMP_DROP_NOMEM);
	tos = outer_tos(skb);

	hdr = skb_push(skb, sizeof(*hdr));
	hdr->type = JUMP_MSG_DATA;
	/* The masks are 0 but in an unlinkable binding. */
	hdr->key_id = k->id ^ b->tx_mask.key_id;
	hdr->reserved = 0;
	hdr->receiver = cpu_to_be32(receiver);
	hdr->epoch = cpu_to_be32(b->epoch) ^ b->tx_mask.epoch;
	hdr->counter = cpu_to_be64(nonce) ^ b->tx_mask.counter;
	skb_put(skb, JUMP_TAG_LEN);
	jump_seal(k, (u8 *)(hdr + 1), len, (u8 *)hdr, sizeof(*hdr), nonce);

	skb->ip_summed = CHECKSUM_NONE;
	skb->encapsulation = 0;
	if (jump_sock_send(b, skb, dev, tos))
		return jump_count_drop(s->jd->drops, &s->counters, false,
				       JUMP_DROP_NO_ROUTE);
	jump_timers_sent(s);
	/* Keepalives and probes are not traffic. */
	if (len > JUMP_PROBE_LEN)
		jump_count(dev, &s->counters, false, len);
}

void jump_send(struct jump_session *s, struct sk_buff *skb)
{
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb))
		return send_one(s, skb);
	/* Each segment is sealed on its own: segment in software, first. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		return drop(s, skb, JUMP_DROP_NOMEM);
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		send_one(s, skb);
	}
}

/* A keepalive (@len 0) or a probe: an inner packet that is no packet. */
static void send_empty(struct jump_session *s, unsigned int len)
{
	struct net_device *dev = s->jd->dev;
	struct sk_buff *skb;

	/* Nothing to say yet without a key and the peer's index. */
	if (!jump_key_primary(s) || !READ_ONCE(s->remote_index))
		return;
	skb = alloc_skb(dev->needed_headroom + len + JUMP_TAG_LEN, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, dev->needed_headroom);
	if (len)
		memset(skb_put(skb, len), JUMP_PROBE_BYTE, len);
	send_one(s, skb);
}

void jump_send_keepalive(struct jump_session *s)
{
	send_empty(s, 0);
}

void jump_send_probe(struct jump_session *s)
{
	send_empty(s, JUMP_PROBE_LEN);
}
