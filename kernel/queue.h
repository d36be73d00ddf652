/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_QUEUE_H
#define _JUMP_QUEUE_H

#include <linux/skbuff.h>
#include <linux/workqueue.h>

struct jump_device;
struct jump_session;
struct jump_sock;

/* Packets waiting for another CPU, and the one work item that takes them. */
struct jump_queue {
	struct sk_buff_head skbs;
	struct work_struct work;
	struct jump_device *jd;
} ____cacheline_aligned_in_smp;

int jump_queues_init(struct jump_device *jd);
/* No transmit can queue any more (the device is closed and unlisted). */
void jump_queues_stop_tx(struct jump_device *jd);
/* Process context; no socket of the device is left to queue more. */
void jump_queues_destroy(struct jump_device *jd);

/*
 * From encap_rcv: opens the data packet at @off on another CPU, or here
 * when there is no other. Consumes @skb.
 */
void jump_rx_queue(struct jump_sock *js, struct sk_buff *skb, unsigned int off);
/* From ndo_start_xmit: seals and sends @skb for @s, likewise. */
void jump_tx_queue(struct jump_device *jd, struct jump_session *s,
		   struct sk_buff *skb);

int jump_queue_init(void);
void jump_queue_uninit(void);

#endif /* _JUMP_QUEUE_H */
