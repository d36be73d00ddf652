// SPDX-License-Identifier: GPL-2.0
/*
 * Session events on the "events" multicast group.
 *
 * The sequence number advances even when no message can be built (nobody
 * listening, or no memory), so a listener that misses an event sees a gap
 * and resynchronizes with a dump instead of silently diverging.
 */
#include <net/genetlink.h>

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
	skb = genlmsg_new(jump_nl_session_size(), GFP_ATOMIC);
	if (!skb)
		goto out;
	hdr = genlmsg_put(skb, 0, 0, &jump_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (jump_nl_put_session(skb, s) ||
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
