// SPDX-License-Identifier: GPL-2.0
/*
 * Receive queues: data packets are opened on another CPU than the one
 * that took them in.
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
 * on two CPUs at once. So a session's packets are opened, checked
 * against the replay window and delivered in the order they came, exactly as they were inline: the
 * replay window still sees each counter after its packet was
 * authenticated, one at a time.
 *
 * Lifetime: a queued packet holds a reference to its jump_sock, which
 * holds the device; the device's destructor waits for the work items.
 */
#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/dst.h>

#include "data.h"
#include "device.h"
#include "queue.h"
#include "socket.h"

static bool rx_queues = true;
module_param(rx_queues, bool, 0644);
MODULE_PARM_DESC(rx_queues, "open received data packets on another CPU (0: in encap_rcv, on the CPU that took them in)");

/* What a queued packet carries in skb->cb. */
struct jump_queue_cb {
	struct jump_sock *js;	/* holds a reference */
	unsigned int off;	/* of the data header */
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

static void open_queued(struct sk_buff *skb)
{
	struct jump_sock *js = queue_cb(skb)->js;

	jump_receive_data(js, skb, queue_cb(skb)->off);
	jump_sock_put(js);
}

/*
 * Runs up to NAPI_POLL_WEIGHT packets from the head of @q. Caller has BHs
 * off and holds q->run: batches run one at a time, in queue order, on
 * whichever CPU took the lock.
 */
static unsigned int run_batch(struct jump_queue *q)
{
	struct sk_buff_head batch;
	struct sk_buff *skb;
	unsigned int n;

	__skb_queue_head_init(&batch);
	spin_lock(&q->skbs.lock);
	for (n = 0; n < NAPI_POLL_WEIGHT && (skb = __skb_dequeue(&q->skbs)); n++)
		__skb_queue_tail(&batch, skb);
	spin_unlock(&q->skbs.lock);
	rcu_read_lock();
	while ((skb = __skb_dequeue(&batch)))
		open_queued(skb);
	rcu_read_unlock();
	return n;
}

/*
 * False when full: the caller drops. When the work item falls behind (a
 * quarter of the queue waits), the CPU that queues takes a batch itself
 * if no other batch is running: backpressure on the producer, the way
 * inline processing had it, instead of a queue that overflows.
 */
static bool enqueue(struct jump_queue *q, struct sk_buff *skb, int cpu)
{
	unsigned int len = skb_queue_len_lockless(&q->skbs);

	if (unlikely(len >= JUMP_QUEUE_LEN))
		return false;
	skb_queue_tail(&q->skbs, skb);
	queue_work_on(cpu, jump_queue_wq, &q->work);
	if (len >= JUMP_QUEUE_LEN / 4 && spin_trylock(&q->run)) {
		run_batch(q);
		spin_unlock(&q->run);
	}
	return true;
}

void jump_rx_queue(struct jump_sock *js, struct sk_buff *skb, unsigned int off)
{
	struct jump_device *jd = js->jd;
	const struct jump_data_hdr *hdr;
	struct jump_queue *q;
	int cpu = next_cpu();

	/* Alone, or too short to name a session: receive.c judges it now. */
	if (!READ_ONCE(rx_queues) || cpu == smp_processor_id() ||
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

/*
 * Runs what is queued a batch at a time with BHs off (GRO delivers each
 * batch when they come back on), and after JUMP_QUEUE_LEN packets queues
 * itself again, so that it does not hold its CPU's worker for ever.
 */
static void rx_work(struct work_struct *work)
{
	struct jump_queue *q = container_of(work, struct jump_queue, work);
	unsigned int n, done = 0;

	do {
		local_bh_disable();
		spin_lock(&q->run);
		n = run_batch(q);
		spin_unlock(&q->run);
		local_bh_enable();
		done += n;
		cond_resched();
	} while (n && done < JUMP_QUEUE_LEN);
	if (n)
		queue_work(jump_queue_wq, &q->work);
}

int jump_queues_init(struct jump_device *jd)
{
	unsigned int i, n = num_possible_cpus();
	struct jump_queue *qs = kcalloc(n, sizeof(*qs), GFP_KERNEL);

	if (!qs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		skb_queue_head_init(&qs[i].skbs);
		spin_lock_init(&qs[i].run);
		INIT_WORK(&qs[i].work, rx_work);
	}
	jd->rx_queues = qs;
	jd->nr_queues = n;
	return 0;
}

void jump_queues_destroy(struct jump_device *jd)
{
	unsigned int i;

	for (i = 0; i < jd->nr_queues; i++) {
		cancel_work_sync(&jd->rx_queues[i].work);
		/* A queued packet would still hold the device. */
		WARN_ON_ONCE(!skb_queue_empty(&jd->rx_queues[i].skbs));
	}
	kfree(jd->rx_queues);
	jd->rx_queues = NULL;
	jd->nr_queues = 0;
}

int __init jump_queue_init(void)
{
	/* Like WireGuard's crypt workers: long-running, not to stall others. */
	jump_queue_wq = alloc_workqueue("jump_rx", WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	return jump_queue_wq ? 0 : -ENOMEM;
}

/* Every device is gone: nothing is queued any more. */
void jump_queue_uninit(void)
{
	destroy_workqueue(jump_queue_wq);
}
