// SPDX-License-Identifier: GPL-2.0
/*
 * Session events on the "events" multicast group.
 *
 * The sequence number advances even when no message can be built (nobody
 * listening, or no memory), so a listener that misses an event sees a gap
 * and resynchronizes with a dump instead of silently diverging.
 */
#include <net/genetlink.h>

#include "bind.h"
#include "device.h"
#include "event.h"
#include "netlink.h"
#include "session.h"

static void event_send(struct jump_session *s, u8 cmd, u8 from)
{
	struct jump_device *jd = s->jd;
	struct net *net = dev_net(jd->dev);
	struct sk_buff *skb;
	void *hdr;
	u64 seq;

	lockdep_assert_held(&s->lock);

	/* Taken inside the session lock, which disabled BHs. */
	spin_lock(&jd->event_lock);
	seq = ++jd->event_seq;
	if (!genl_has_listeners(&jump_genl_family, net, 0))
		goto out;
	skb = genlmsg_new(jump_nl_session_size(false), GFP_ATOMIC);
	if (!skb)
		goto out;
	hdr = genlmsg_put(skb, 0, 0, &jump_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (jump_nl_put_session(skb, s, 0) ||
	    nla_put_u64_64bit(skb, JUMP_A_EVENT_SEQ, seq, JUMP_A_PAD) ||
	    (cmd == JUMP_CMD_SESSION_EVENT &&
	     nla_put_u8(skb, JUMP_A_PREV_STATE, from)))
		goto err_free;
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&jump_genl_family, net, skb, 0, 0, GFP_ATOMIC);
	goto out;
err_free:
	nlmsg_free(skb);
out:
	spin_unlock(&jd->event_lock);
}

void jump_event_created(struct jump_session *s)
{
	event_send(s, JUMP_CMD_SESSION_NEW, s->state);
}

void jump_event_transition(struct jump_session *s, u8 from)
{
	event_send(s, JUMP_CMD_SESSION_EVENT, from);
}

/* A report about @s that is not a transition: header, device, session id. */
static struct sk_buff *report_new(struct jump_session *s, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&jump_genl_family, dev_net(s->jd->dev), 0))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &jump_genl_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(skb, JUMP_A_IFINDEX, s->jd->dev->ifindex) ||
	    nla_put_u64_64bit(skb, JUMP_A_SESSION_ID, s->id, JUMP_A_PAD)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void report_send(struct jump_session *s, struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&jump_genl_family, dev_net(s->jd->dev), skb,
				0, 0, GFP_ATOMIC);
}

void jump_event_unbound_source(struct jump_session *s,
			       const struct jump_endpoint *src)
{
	unsigned long now = jiffies, last = READ_ONCE(s->unbound_event_at);
	struct jump_binding *b;
	struct sk_buff *skb;
	void *hdr;

	/* One a second per session: the drop counter has the full count. */
	if (last && time_before(now, last + HZ))
		return;
	if (cmpxchg(&s->unbound_event_at, last, now) != last)
		return;
	skb = report_new(s, JUMP_CMD_UNBOUND_SOURCE, &hdr);
	if (!skb)
		return;
	rcu_read_lock();
	b = rcu_dereference(s->binding);
	if (jump_nl_put_endpoint(skb, JUMP_A_SOURCE, NULL, src) ||
	    (b && jump_nl_put_binding(skb, b))) {
		rcu_read_unlock();
		nlmsg_free(skb);
		return;
	}
	rcu_read_unlock();
	report_send(s, skb, hdr);
}

void jump_event_key_expiring(struct jump_session *s, u8 key_id)
{
	struct nlattr *key;
	struct sk_buff *skb;
	void *hdr;

	skb = report_new(s, JUMP_CMD_KEY_EXPIRING, &hdr);
	if (!skb)
		return;
	/* Only the primary key transmits, so only it can run out. */
	key = nla_nest_start(skb, JUMP_A_KEY);
	if (!key || nla_put_u8(skb, JUMP_KEY_A_SLOT, JUMP_KEY_SLOT_PRIMARY) ||
	    nla_put_u8(skb, JUMP_KEY_A_ID, key_id)) {
		nlmsg_free(skb);
		return;
	}
	nla_nest_end(skb, key);
	if (nla_put_u16(skb, JUMP_A_REASON, JUMP_REASON_KEY_EXPIRED)) {
		nlmsg_free(skb);
		return;
	}
	report_send(s, skb, hdr);
}
