/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_DATA_H
#define _JUMP_DATA_H

#include <linux/skbuff.h>
#include <linux/jump.h>

struct jump_session;
struct jump_sock;

/* The data header of Documentation/protocol.rst; all of it is AEAD data. */
struct jump_data_hdr {
	u8 type;
	u8 key_id;
	__be16 reserved;
	__be32 receiver;
	__be32 epoch;
	__be64 counter;
} __packed;

/* Transmit: caller holds rcu_read_lock_bh(). Consume @skb. */
void jump_send(struct jump_session *s, struct sk_buff *skb);
void jump_send_keepalive(struct jump_session *s);
/* A probe: the peer answers it with a keepalive (timers.c). */
void jump_send_probe(struct jump_session *s);

/* encap_rcv: 0 when the packet was ours (consumed), 1 to pass it on. */
int jump_receive(struct jump_sock *js, struct sk_buff *skb);
/*
 * The data packet at @off, opened, checked and delivered or dropped, here
 * (from encap_rcv or a receive queue). Caller holds rcu_read_lock() with
 * BHs off. Consumes @skb.
 */
void jump_receive_data(struct jump_sock *js, struct sk_buff *skb,
		       unsigned int off);

#endif /* _JUMP_DATA_H */
