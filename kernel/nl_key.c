// SPDX-License-Identifier: GPL-2.0
/*
 * Key commands of the "jump" family: KEY_NEW, KEY_SWAP and KEY_DEL, each
 * on the session a request names, under the device's table lock.
 */
#include <net/genetlink.h>
#include <net/netlink.h>

#include "crypto.h"
#include "device.h"
#include "netlink.h"
#include "nl_key.h"
#include "nl_parse.h"
#include "session.h"

/* Runs @fn on the session a key request names, under the table lock. */
static int key_request(struct genl_info *info,
		       int (*fn)(struct jump_session *s, struct nlattr **tb,
				 struct netlink_ext_ack *extack))
{
	struct nlattr *tb[JUMP_KEY_A_MAX + 1] = {};
	struct jump_device *jd;
	struct jump_session *s;
	int err;

	if (!jump_nl_require(info, JUMP_A_SESSION_ID, "missing session id (JUMP_A_SESSION_ID)"))
		return -EINVAL;
	if (info->attrs[JUMP_A_KEY]) {
		err = nla_parse_nested(tb, JUMP_KEY_A_MAX, info->attrs[JUMP_A_KEY],
				       jump_key_policy, info->extack);
		if (err)
			return err;
	}
	jd = jump_nl_info_device(info);
	if (IS_ERR(jd))
		return PTR_ERR(jd);
	mutex_lock(&jd->table_lock);
	s = jump_nl_info_session(jd, info);
	err = s ? fn(s, tb, info->extack) : -ENOENT;
	mutex_unlock(&jd->table_lock);
	dev_put(jd->dev);
	return err;
}

static bool key_require(struct nlattr **tb, int attr, struct netlink_ext_ack *extack,
			const char *msg)
{
	if (tb[attr])
		return true;
	extack->_msg = msg;	/* callers pass literals only */
	return false;
}

static int key_new(struct jump_session *s, struct nlattr **tb,
		   struct netlink_ext_ack *extack)
{
	struct jump_key *k;
	u64 counter = 0;
	int err;

	if (!key_require(tb, JUMP_KEY_A_SLOT, extack, "missing key slot (JUMP_KEY_A_SLOT in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_ID, extack, "missing key id (JUMP_KEY_A_ID in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_TX, extack, "missing transmit key (JUMP_KEY_A_TX in JUMP_A_KEY)") ||
	    !key_require(tb, JUMP_KEY_A_RX, extack, "missing receive key (JUMP_KEY_A_RX in JUMP_A_KEY)"))
		return -EINVAL;
	/* A key taken over from another node starts past what it sent. */
	if (tb[JUMP_KEY_A_TX_COUNTER])
		counter = nla_get_u64(tb[JUMP_KEY_A_TX_COUNTER]);
	if (counter >= jump_key_tx_limit()) {
		NL_SET_ERR_MSG_ATTR(extack, tb[JUMP_KEY_A_TX_COUNTER],
				    "transmit counter at or past the key's limit");
		return -ERANGE;
	}
	k = jump_key_new(nla_get_u8(tb[JUMP_KEY_A_ID]), nla_data(tb[JUMP_KEY_A_TX]),
			 nla_data(tb[JUMP_KEY_A_RX]), counter);
	if (!k)
		return -ENOMEM;
	err = jump_key_install(s, nla_get_u8(tb[JUMP_KEY_A_SLOT]), k, extack);
	if (err)
		jump_key_destroy(k);
	return err;
}

static int key_swap(struct jump_session *s, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	return jump_key_swap(s, extack);
}

static int key_del(struct jump_session *s, struct nlattr **tb,
		   struct netlink_ext_ack *extack)
{
	if (!key_require(tb, JUMP_KEY_A_SLOT, extack, "missing key slot (JUMP_KEY_A_SLOT in JUMP_A_KEY)"))
		return -EINVAL;
	return jump_key_delete(s, nla_get_u8(tb[JUMP_KEY_A_SLOT]), extack);
}

int jump_nl_key_new(struct sk_buff *skb, struct genl_info *info)
{
	if (!jump_nl_require(info, JUMP_A_KEY, "missing key (JUMP_A_KEY)"))
		return -EINVAL;
	return key_request(info, key_new);
}

int jump_nl_key_swap(struct sk_buff *skb, struct genl_info *info)
{
	return key_request(info, key_swap);
}

int jump_nl_key_del(struct sk_buff *skb, struct genl_info *info)
{
	if (!jump_nl_require(info, JUMP_A_KEY, "missing key slot (JUMP_A_KEY)"))
		return -EINVAL;
	return key_request(info, key_del);
}
