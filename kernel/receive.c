// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the encap_rcv hook of the bound UDP sockets takes the data
 * packets, which queue.c opens on another CPU (jump_receive_data()). In
 * order, cheapest first: header, session by receiver index, key by id, replay pre-check,
 * then the AEAD; only an authentic packet enters the replay window and is
 * judged against the binding (invariant 1: it never moves the binding) and
 * the epoch, and only then delivered, if its inner source is the session's.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/gro_cells.h>

#include "bind.h"
#include "crypto.h"
#include "data.h"
#include "device.h"
#include "event.h"
#include "prefix.h"
#include "queue.h"
#include "session.h"
#include "socket.h"
#include "timers.h"

static void drop(struct jump_device *jd, struct jump_session *s,
		 struct sk_buff *skb, enum jump_drop why)
{
	jump_count_drop(jd->drops, s ? &s->counters : NULL, true, why);
	kfree_skb(skb);
}

static void outer_endpoints(struct sk_buff *skb, struct jump_endpoint *src,
			    struct jump_endpoint *dst)
{
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->port = udp_hdr(skb)->source;
	dst->port = udp_hdr(skb)->dest;
	if (skb->protocol == htons(ETH_P_IP)) {
		src->family = dst->family = AF_INET;
		src->addr.ip4 = ip_hdr(skb)->saddr;
		dst->addr.ip4 = ip_hdr(skb)->daddr;
	} else {
		src->family = dst->family = AF_INET6;
		src->addr.ip6 = ipv6_hdr(skb)->saddr;
		dst->addr.ip6 = ipv6_hdr(skb)->daddr;
	}
}

/* The decrypted packet must be one whole IPv4 or IPv6 packet; trims padding. */
static bool inner_packet_ok(struct sk_buff *skb)
{
	unsigned int len;

	if (skb->len >= sizeof(struct iphdr) && ip_hdr(skb)->version == 4) {
		len = ntohs(ip_hdr(skb)->tot_len);
		if (ip_hdr(skb)->ihl < 5 || len < ip_hdr(skb)->ihl * 4)
			return false;
		skb->protocol = htons(ETH_P_IP);
	} else if (skb->len >= sizeof(struct ipv6hdr) &&
		   ipv6_hdr(skb)->version == 6) {
		len = sizeof(struct ipv6hdr) + ntohs(ipv6_hdr(skb)->payload_len);
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		return false;
	}
	return len <= skb->len && !pskb_trim(skb, len);
}

/* From here on the packet belongs to our device, not to the transport. */
static void deliver(struct jump_device *jd, struct jump_session *s,
		    struct sk_buff *skb)
{
	unsigned int len = skb->len;

	skb->dev = jd->dev;
	skb->pkt_type = PACKET_HOST;
	/* Authenticated end to end: no checksum left to doubt. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	skb->encapsulation = 0;
	skb_reset_inner_headers(skb);
	skb_probe_transport_header(skb);
	if (gro_cells_receive(&jd->gro_cells, skb) == NET_RX_SUCCESS)
		jump_count(jd->dev, &s->counters, true, len);
}

/*
 * The session a receiver index names, its binding, and the mask that
 * opens the header: an index above JUMP_MAX_SESSIONS is an unlinkable
 * binding's own, which counts only while that binding is the session's and
 * brings its mask; the session's own index none (a packet of an earlier,
 * plain binding then fails as stale_epoch, as it always did).
 */
static struct jump_session *session_by_index(struct jump_device *jd, u32 index,
					     struct jump_binding **b,
					     const struct jump_header_mask **mask)
{
	static const struct jump_header_mask none;
	struct jump_session *s;

	*mask = &none;
	if (index <= JUMP_MAX_SESSIONS) {
		s = xa_load(&jd->sessions_by_index, index);
		*b = s ? rcu_dereference(s->binding) : NULL;
		return s;
	}
	s = xa_load(&jd->sessions_by_wire, index);
	*b = s ? rcu_dereference(s->binding) : NULL;
	if (!*b || (*b)->local_index != index)
		return NULL;
	*mask = &(*b)->rx_mask;
	return s;
}

void jump_receive_data(struct jump_sock *js, struct sk_buff *skb,
		       unsigned int off)
{
	struct jump_device *jd = js->jd;
	struct jump_endpoint src, dst;
	struct jump_data_hdr *hdr, ad;
	struct jump_session *s = NULL;
	const struct jump_header_mask *mask;
	struct jump_binding *b;
	struct jump_key *k;
	unsigned int len;
	u64 counter;
	u32 epoch;

	if (!pskb_may_pull(skb, off + sizeof(*hdr) + JUMP_TAG_LEN))
		return drop(jd, NULL, skb, JUMP_DROP_BAD_HEADER);
	outer_endpoints(skb, &src, &dst);
	hdr = (struct jump_data_hdr *)(skb->data + off);
	if (hdr->reserved)
		return drop(jd, NULL, skb, JUMP_DROP_BAD_HEADER);
	s = session_by_index(jd, be32_to_cpu(hdr->receiver), &b, &mask);
	if (!s)
		return drop(jd, NULL, skb, JUMP_DROP_NO_SESSION);
	k = jump_key_by_id(s, hdr->key_id ^ mask->key_id);
	if (!k)
		return drop(jd, s, skb, JUMP_DROP_NO_KEY);
	counter = be64_to_cpu(hdr->counter ^ mask->counter);
	epoch = be32_to_cpu(hdr->epoch ^ mask->epoch);
	if (!jump_replay_fresh(&k->replay, counter))
		return drop(jd, s, skb, JUMP_DROP_REPLAY);

	if (skb_linearize_cow(skb))
		return drop(jd, s, skb, JUMP_DROP_NOMEM);
	memcpy(&ad, skb->data + off, sizeof(ad));
	__skb_pull(skb, off + sizeof(ad));
	if (!jump_open(k, skb->data, skb->len, (u8 *)&ad, sizeof(ad), counter))
		return drop(jd, s, skb, JUMP_DROP_AUTH);
	/*
	 * Authentic: its counter is spent, wherever it came from, so that a
	 * copy replayed from another source (or under an old epoch) costs a
	 * pre-check next time, not a decryption and an unbound_source event.
	 */
	if (!jump_replay_accept(&k->replay, counter))
		return drop(jd, s, skb, JUMP_DROP_REPLAY);

	if (!b || !jump_binding_accepts(b, js, &src, &dst)) {
		jump_event_unbound_source(s, &src);
		return drop(jd, s, skb, JUMP_DROP_UNBOUND);
	}
	if (epoch != b->epoch)
		return drop(jd, s, skb, JUMP_DROP_STALE_EPOCH);
	jump_timers_received(s);

	len = skb->len - JUMP_TAG_LEN;
	if (!len) {		/* keepalive */
		consume_skb(skb);
		return;
	}
	if (len == JUMP_PROBE_LEN) {
		if (skb->data[0] != JUMP_PROBE_BYTE)
			return drop(jd, s, skb, JUMP_DROP_BAD_HEADER);
		jump_timers_probed(s);
		consume_skb(skb);
		return;
	}
	skb_scrub_packet(skb, true);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	if (pskb_trim(skb, len) || !inner_packet_ok(skb))
		return drop(jd, s, skb, JUMP_DROP_BAD_HEADER);
	if (jump_prefix_lookup_skb(&jd->prefixes, skb, true) != s)
		return drop(jd, s, skb, JUMP_DROP_SOURCE);
	deliver(jd, s, skb);
}

int jump_receive(struct jump_sock *js, struct sk_buff *skb)
{
	unsigned int off = skb_transport_offset(skb) + sizeof(struct udphdr);

	/* Control packets and anything else go on to the socket's owner. */
	if (!pskb_may_pull(skb, off + 1) || skb->data[off] != JUMP_MSG_DATA)
		return 1;
	jump_rx_queue(js, skb, off);
	return 0;
}
