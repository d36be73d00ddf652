// SPDX-License-Identifier: GPL-2.0
/*
 * Packet queues: the AEAD on another CPU than the one that took the packet.
 *
 * encap_rcv runs in the softirq of the CPU that received the datagram. For
 * a sender on the same host (a veth pair, a container) that is the
 * sender's own CPU, and with few flows it is one CPU for all of them:
 * opening the packets there puts transmit, receive and the AEAD of both on
 * one core while the others idle. So data packets wait in a queue and a
 * work item on the next online CPU opens them, the way RPS hands packets
 * to another CPU's backlog; receive.c does the rest unchanged. Transmit
 * can do the same with sealing (see queues_tx below).
 *
 * Order: a session's packets always go to the same queue (by its index),
 * each queue has one work item, and a workqueue never runs one work item
 * on two CPUs at once. So a session's packets are sealed (each under the
 * next counter) or opened, checked against the replay window and
 * delivered in the order they came, exactly as they were inline: the
 * replay window still sees each counter after its packet was
 * authenticated, one at a time.
 *
 * Lifetime: a received packet in a queue holds a reference to its
 * jump_sock, which holds the device; the device's destructor waits for
 * the work items. Transmit queues are emptied when the device is
 * unregistered, after the last ndo_start_xmit.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/dst.h>

#include "data.h"
#include "device.h"
#include "queue.h"
#include "session.h"
#include "socket.h"

static unsigned int queues = 1;
module_param(queues, uint, 0644);
MODULE_PARM_DESC(queues, "work on another CPU: 1 opening received packets, 2 sealing sent ones, 3 both, 0 none");

/* What a queued packet carries in skb->cb. */
struct jump_queue_cb {
	struct jump_sock *js;	/* receive: holds a reference */
	unsigned int off;	/* receive: of the data header */
};

static struct workqueue_struct *jump_queue_wq;

static struct jump_queue_cb *queue_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct jump_queue_cb) > sizeof(skb->cb));
	return (struct jump_queue_cb *)skb->cb;
}

/* Caller has BHs off. The next online CPU; this one when it is alone. */
static int next_cpu(void)
{
	int cpu = cpumask_next(smp_processor_id(), cpu_online_mask);

	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

/* False when full: the caller drops. */
static bool enqueue(struct jump_queue *q, struct sk_buff *skb, int cpu)
{
	if (unlikely(skb_queue_len_lockless(&q->skbs) >= JUMP_RX_QUEUE_LEN))
		return false;
	skb_queue_tail(&q->skbs, skb);
	queue_work_on(cpu, jump_queue_wq, &q->work);
	return true;
}

void jump_rx_queue(struct jump_sock *js, struct sk_buff *skb, unsigned int off)
{
	struct jump_device *jd = js->jd;
	const struct jump_data_hdr *hdr;
	struct jump_queue *q;
	int cpu = next_cpu();

	/* Alone, or too short to name a session: receive.c judges it now. */
	if (!(READ_ONCE(queues) & 1) || cpu == smp_processor_id() ||
	    !pskb_may_pull(skb, off + sizeof(*hdr)) ||
	    !refcount_inc_not_zero(&js->refs))
		return jump_receive_data(js, skb, off);
	hdr = (const struct jump_data_hdr *)(skb->data + off);
	q = &jd->rx_queues[be32_to_cpu(hdr->receiver) % jd->nr_queues];
	/*
	 * The route may be a reference valid only under this RCU reader, and
	 * the device it came in on may go while it waits: ours stays.
	 */
	skb_dst_drop(skb);
	skb->dev = jd->dev;
	queue_cb(skb)->js = js;
	queue_cb(skb)->off = off;
	if (unlikely(!enqueue(q, skb, cpu))) {
		jump_count_drop(jd->drops, NULL, true, JUMP_DROP_NOMEM);
		kfree_skb(skb);
		jump_sock_put(js);
	}
}

void jump_tx_queue(struct jump_device *jd, struct jump_session *s,
		   struct sk_buff *skb)
{
	int cpu = next_cpu();

	if (!(READ_ONCE(queues) & 2) || cpu == smp_processor_id())
		return jump_send(s, skb);
	/* Only an ICMP error would have needed the inner route. */
	skb_dst_drop(skb);
	if (unlikely(!enqueue(&jd->tx_queues[s->index % jd->nr_queues], skb, cpu))) {
		jump_count_drop(jd->drops, &s->counters, false, JUMP_DROP_NOMEM);
		kfree_skb(skb);
	}
}

static void open_queued(struct jump_queue *q, struct sk_buff *skb)
{
	struct jump_sock *js = queue_cb(skb)->js;

	jump_receive_data(js, skb, queue_cb(skb)->off);
	jump_sock_put(js);
}

/* The session is looked up again: it may have gone while the packet waited. */
static void send_queued(struct jump_queue *q, struct sk_buff *skb)
{
	struct jump_device *jd = q->jd;
	struct jump_session *s;

	s = jump_prefix_lookup_skb(&jd->prefixes, skb, false);
	if (unlikely(!s)) {
		jump_count_drop(jd->drops, NULL, false, JUMP_DROP_NO_ROUTE);
		kfree_skb(skb);
		return;
	}
	jump_send(s, skb);
}

typedef void (*jump_queue_fn)(struct jump_queue *q, struct sk_buff *skb);

/* Up to NAPI_POLL_WEIGHT packets of @batch with BHs off; returns how many. */
static unsigned int run_some(struct jump_queue *q, struct sk_buff_head *batch,
			     jump_queue_fn fn)
{
	struct sk_buff *skb;
	unsigned int n;

	local_bh_disable();
	rcu_read_lock();
	for (n = 0; n < NAPI_POLL_WEIGHT && (skb = __skb_dequeue(batch)); n++)
		fn(q, skb);
	rcu_read_unlock();
	/* Delivers what GRO holds (gro_cells' NAPI runs here). */
	local_bh_enable();
	return n;
}

/*
 * Takes everything queued at once, runs it a batch at a time with BHs
 * off, and after JUMP_RX_QUEUE_LEN packets gives the rest back and queues
 * itself again, so that it does not hold its CPU's worker for ever.
 */
static void drain(struct jump_queue *q, jump_queue_fn fn)
{
	struct sk_buff_head batch;
	unsigned int done = 0;

	__skb_queue_head_init(&batch);
	for (;;) {
		if (skb_queue_empty(&batch)) {
			spin_lock_bh(&q->skbs.lock);
			skb_queue_splice_init(&q->skbs, &batch);
			spin_unlock_bh(&q->skbs.lock);
			if (skb_queue_empty(&batch))
				return;
		}
		if (done >= JUMP_RX_QUEUE_LEN) {
			spin_lock_bh(&q->skbs.lock);
			skb_queue_splice(&batch, &q->skbs);
			spin_unlock_bh(&q->skbs.lock);
			queue_work(jump_queue_wq, &q->work);
			return;
		}
		done += run_some(q, &batch, fn);
		cond_resched();
	}
}

static void rx_work(struct work_struct *work)
{
	drain(container_of(work, struct jump_queue, work), open_queued);
}

static void tx_work(struct work_struct *work)
{
	drain(container_of(work, struct jump_queue, work), send_queued);
}

static struct jump_queue *queues_new(struct jump_device *jd, unsigned int n,
				     work_func_t fn)
{
	struct jump_queue *qs = kcalloc(n, sizeof(*qs), GFP_KERNEL);
	unsigned int i;

	for (i = 0; qs && i < n; i++) {
		skb_queue_head_init(&qs[i].skbs);
		INIT_WORK(&qs[i].work, fn);
		qs[i].jd = jd;
	}
	return qs;
}

int jump_queues_init(struct jump_device *jd)
{
	unsigned int n = num_possible_cpus();

	jd->rx_queues = queues_new(jd, n, rx_work);
	jd->tx_queues = queues_new(jd, n, tx_work);
	if (!jd->rx_queues || !jd->tx_queues) {
		kfree(jd->rx_queues);
		kfree(jd->tx_queues);
		return -ENOMEM;
	}
	jd->nr_queues = n;
	return 0;
}

void jump_queues_stop_tx(struct jump_device *jd)
{
	unsigned int i;

	for (i = 0; i < jd->nr_queues; i++) {
		cancel_work_sync(&jd->tx_queues[i].work);
		skb_queue_purge(&jd->tx_queues[i].skbs);
	}
}

void jump_queues_destroy(struct jump_device *jd)
{
	unsigned int i;

	for (i = 0; i < jd->nr_queues; i++) {
		cancel_work_sync(&jd->rx_queues[i].work);
		/* A queued packet would still hold the device. */
		WARN_ON_ONCE(!skb_queue_empty(&jd->rx_queues[i].skbs));
	}
	jump_queues_stop_tx(jd);
	kfree(jd->rx_queues);
	kfree(jd->tx_queues);
	jd->nr_queues = 0;
}

int __init jump_queue_init(void)
{
	/* Like WireGuard's crypt workers: long-running, not to stall others. */
	jump_queue_wq = alloc_workqueue("jump_crypt", WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	return jump_queue_wq ? 0 : -ENOMEM;
}

/* Every device is gone: nothing is queued any more. */
void jump_queue_uninit(void)
{
	destroy_workqueue(jump_queue_wq);
}
