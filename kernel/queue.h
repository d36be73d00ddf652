/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _JUMP_QUEUE_H
#define _JUMP_QUEUE_H

#include <linux/skbuff.h>
#include <linux/workqueue.h>

struct jump_device;
struct jump_sock;

/* Data packets waiting for another CPU, and the one work item that opens them. */
struct jump_queue {
	struct sk_buff_head skbs;
	spinlock_t run;		/* held by whoever runs a batch, in order */
	struct work_struct work;
} ____cacheline_aligned_in_smp;

int jump_queues_init(struct jump_device *jd);
/* Process context; no socket of the device is left to queue more. */
void jump_queues_destroy(struct jump_device *jd);

/*
 * From encap_rcv: opens the data packet at @off on another CPU, or here
 * when there is no other. Consumes @skb.
 */
void jump_rx_queue(struct jump_sock *js, struct sk_buff *skb, unsigned int off);

int jump_queue_init(void);
void jump_queue_uninit(void);

#endif /* _JUMP_QUEUE_H */
