// SPDX-License-Identifier: GPL-2.0
/*
 * Data keys and the AEAD. ChaCha20-Poly1305 comes from the kernel's
 * lib/crypto; the 64-bit packet counter is the nonce, so a key must never
 * send the same counter twice: the counter only goes up, and the key stops
 * sending well before it could wrap.
 */
#include <crypto/chacha20poly1305.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "crypto.h"
#include "session.h"
#include "timers.h"

/*
 * When a key asks for a rekey (a key_expiring event) and when it stops.
 * Module parameters so that tests can reach them in a few packets.
 */
static u64 rekey_after_packets = 1ULL << 60;
static u64 reject_after_packets = JUMP_REJECT_AFTER_MESSAGES;
module_param(rekey_after_packets, ullong, 0444);
MODULE_PARM_DESC(rekey_after_packets, "packets a key sends before asking for a rekey");
module_param(reject_after_packets, ullong, 0444);
MODULE_PARM_DESC(reject_after_packets, "packets a key sends before it refuses to send more");

u64 jump_key_tx_limit(void)
{
	return min(reject_after_packets, JUMP_REJECT_AFTER_MESSAGES);
}

struct jump_key *jump_key_new(u8 id, const u8 *tx, const u8 *rx, u64 tx_counter)
{
	struct jump_key *k = kzalloc(sizeof(*k), GFP_KERNEL);

	if (!k)
		return NULL;
	k->id = id;
	memcpy(k->tx, tx, JUMP_KEY_LEN);
	memcpy(k->rx, rx, JUMP_KEY_LEN);
	atomic64_set(&k->tx_counter, tx_counter);
	jump_replay_init(&k->replay);
	return k;
}

void jump_key_destroy(struct jump_key *k)
{
	kfree_sensitive(k);
}

static void key_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct jump_key, rcu));
}

static void key_release(struct jump_key *k)
{
	if (k)
		call_rcu(&k->rcu, key_free_rcu);
}

bool jump_key_next_nonce(struct jump_key *k, u64 *nonce, bool *expiring)
{
	u64 n = atomic64_inc_return(&k->tx_counter) - 1;
	u64 limit = jump_key_tx_limit();

	if (unlikely(n >= limit)) {
		/* Hold the counter at the limit: no wrap, ever. */
		atomic64_set(&k->tx_counter, limit);
		*expiring = !atomic_xchg(&k->expiring_sent, 1);
		return false;
	}
	*expiring = n >= rekey_after_packets && !atomic_xchg(&k->expiring_sent, 1);
	*nonce = n;
	return true;
}

struct jump_key *jump_key_primary(struct jump_session *s)
{
	return rcu_dereference_bh(s->keys[JUMP_KEY_SLOT_PRIMARY]);
}

struct jump_key *jump_key_by_id(struct jump_session *s, u8 id)
{
	struct jump_key *k;
	int slot;

	for (slot = 0; slot < __JUMP_KEY_SLOT_MAX; slot++) {
		k = rcu_dereference_bh(s->keys[slot]);
		if (k && k->id == id)
			return k;
	}
	return NULL;
}

static struct jump_key *slot_key(struct jump_session *s, int slot)
{
	return rcu_dereference_protected(s->keys[slot], lockdep_is_held(&s->lock));
}

int jump_key_install(struct jump_session *s, u8 slot, struct jump_key *k,
		     struct netlink_ext_ack *extack)
{
	struct jump_key *other, *old;
	int err = 0;

	spin_lock_bh(&s->lock);
	if (s->state == JUMP_STATE_TERMINATED) {
		NL_SET_ERR_MSG(extack, "session is terminated");
		err = -ENOENT;
		goto out;
	}
	/* Receive picks the key by id: the two slots must differ. */
	other = slot_key(s, !slot);
	if (other && other->id == k->id) {
		NL_SET_ERR_MSG(extack, "the other key slot already holds this key id");
		err = -EEXIST;
		goto out;
	}
	old = rcu_replace_pointer(s->keys[slot], k, lockdep_is_held(&s->lock));
	if (slot == JUMP_KEY_SLOT_PRIMARY && !old)
		jump_timers_start(s);
	key_release(old);
out:
	spin_unlock_bh(&s->lock);
	return err;
}

/*
 * Rekey without loss: the new key waits in the secondary slot (both ends
 * can receive with it) until the swap makes it the one transmit uses.
 */
int jump_key_swap(struct jump_session *s, struct netlink_ext_ack *extack)
{
	struct jump_key *primary, *secondary;
	int err = 0;

	spin_lock_bh(&s->lock);
	primary = slot_key(s, JUMP_KEY_SLOT_PRIMARY);
	secondary = slot_key(s, JUMP_KEY_SLOT_SECONDARY);
	if (!secondary) {
		NL_SET_ERR_MSG(extack, "no key in the secondary slot to swap in");
		err = -ENOENT;
	} else {
		rcu_assign_pointer(s->keys[JUMP_KEY_SLOT_PRIMARY], secondary);
		rcu_assign_pointer(s->keys[JUMP_KEY_SLOT_SECONDARY], primary);
		if (!primary)
			jump_timers_start(s);
	}
	spin_unlock_bh(&s->lock);
	return err;
}

int jump_key_delete(struct jump_session *s, u8 slot,
		    struct netlink_ext_ack *extack)
{
	struct jump_key *old;

	spin_lock_bh(&s->lock);
	old = rcu_replace_pointer(s->keys[slot], NULL, lockdep_is_held(&s->lock));
	spin_unlock_bh(&s->lock);
	if (!old) {
		NL_SET_ERR_MSG(extack, "key slot is empty");
		return -ENOENT;
	}
	key_release(old);
	return 0;
}

void jump_keys_clear(struct jump_session *s)
{
	int slot;

	for (slot = 0; slot < __JUMP_KEY_SLOT_MAX; slot++)
		key_release(rcu_replace_pointer(s->keys[slot], NULL,
						lockdep_is_held(&s->lock)));
}

void jump_seal(const struct jump_key *k, u8 *buf, size_t len,
	       const u8 *ad, size_t ad_len, u64 nonce)
{
	chacha20poly1305_encrypt(buf, buf, len, ad, ad_len, nonce, k->tx);
}

bool jump_open(const struct jump_key *k, u8 *buf, size_t len,
	       const u8 *ad, size_t ad_len, u64 nonce)
{
	return chacha20poly1305_decrypt(buf, buf, len, ad, ad_len, nonce, k->rx);
}
