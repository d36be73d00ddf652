// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's server receive path on hostile datagrams: a real jumpd control
 * plane (ctl_start() on a server config, its sockets, its audit log, the
 * fake kernel of fake_kernel.h behind it). Each input first gives birth to
 * a session the proper way (INIT, RESP, DONE from socket 0, the client),
 * so that the fuzzer starts from an attached session whose keys it may
 * use, then plays its frames (fuzz.h):
 *
 *   flags bits 0-1  seal: 0 as is, 1 the control key's MAC, 2 the reattach
 *                   key's, 3 an INIT's mac1 (the server's public key)
 *   bit 2           put the session's id at offset 4 first (and a fresh
 *                   timestamp in a REATTACH_REQUEST)
 *   bits 3-5        which socket sends it (0: the client's)
 *   bit 6           not a datagram: the kernel moves the session to state
 *                   byte 0 with reason byte 1, or (byte 0 >= 0x80) reports
 *                   unbound data from the sending socket, or a key expiring
 *   bit 7           a request to the kernel fails next
 *
 * Byte 0 of the input picks the policy: generous limits, or tight ones
 * with cookies under load and RebindProbe.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "fake_kernel.h"
#include "fuzz.h"
#include "harness.h"

static struct hs_keys keys;
static uint64_t id;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init(false);
	return 0;
}

static int start(bool tight)
{
	return harness_start(
		"[Interface]\nRole = server\nPrivateKey = %s\nListenPort = %u\n"
		"StateDirectory = %s/state\nAuditLog = %s/audit.log\n"
		"[Policy]\n%s"
		"[Peer]\nPublicKey = %s\nAllowedIPs = 10.8.0.2/32, fd00::2/128\n",
		h.server_priv_b64, h.port, h.dir, h.dir,
		tight ? "SourceRate = 5\nSourceBurst = 10\nCookieThreshold = 1\n"
			"MaxSwitches = 2\nRebindProbe = yes\nMaxSessions = 2\n" :
			"SourceRate = 100000\nSourceBurst = 100000\nGlobalRate = 100000\n"
			"GlobalBurst = 100000\nCookieThreshold = 100000\n",
		h.client_b64);
}

static struct sockaddr_storage server_addr(void)
{
	struct sockaddr_storage ss = h.addrs[0];

	((struct sockaddr_in *)&ss)->sin_port = htons(h.port);
	return ss;
}

/* INIT, RESP, DONE: the session is attached and its keys known. */
static void birth(void)
{
	struct sockaddr_storage dst = server_addr(), src;
	uint8_t buf[WIRE_MAX_LEN], zero[WIRE_COOKIE_LEN] = { 0 };
	struct wire_handshake_init init;
	struct wire_handshake_resp resp;
	struct wire_handshake_done done = { 0 };
	struct hs_initiator st;
	uint32_t index;
	size_t len;

	memset(&keys, 0, sizeof(keys));
	id = 0;
	if (hs_initiator_start(&st, &h.client, h.server.pub, 42, ctl_realtime(), &init))
		abort();
	len = wire_encode_handshake_init(buf, &init);
	hs_seal_init(buf, h.server.pub, zero);
	harness_send(0, &dst, buf, len);
	if (harness_recv(0, buf, sizeof(buf), &src) != WIRE_HANDSHAKE_RESP_LEN ||
	    wire_decode_handshake_resp(buf, WIRE_HANDSHAKE_RESP_LEN, &resp) ||
	    hs_initiator_finish(&st, &resp, &id, &index, &keys))
		return;		/* cookies, or a MaxSessions reached: fine */
	done.session_id = id;
	done.client_index = 99;
	len = wire_encode_handshake_done(buf, &done);
	hs_mac_seal(buf, len, keys.ctl);
	harness_send(0, &dst, buf, len);
	harness_drain();
}

static void put_be64(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void kernel(const uint8_t *b, size_t len, int from)
{
	if (len < 2)
		return;
	if (b[0] < 0x80)
		fake_kernel_move(id, b[0] % (JUMP_STATE_MAX + 1), b[1]);
	else if (b[0] & 1)
		fake_kernel_report(JUMP_CMD_KEY_EXPIRING, id, NULL);
	else
		fake_kernel_report(JUMP_CMD_UNBOUND_SOURCE, id, &h.addrs[from]);
	harness_pump();
}

static void datagram(uint8_t flags, uint8_t *b, size_t len, int from)
{
	static const uint8_t zero[WIRE_COOKIE_LEN];
	struct sockaddr_storage dst = server_addr();

	if ((flags & 4) && len >= 12)
		put_be64(b + 4, id);
	/* A request's timestamp must be fresh: a seed's is not. */
	if ((flags & 4) && len >= 32 && b[0] == JUMP_MSG_REATTACH_REQUEST)
		put_be64(b + 24, ctl_realtime());
	switch (flags & 3) {
	case 1:
		if (len > WIRE_MAC_LEN)
			hs_mac_seal(b, len, keys.ctl);
		break;
	case 2:
		if (len > WIRE_MAC_LEN)
			hs_mac_seal(b, len, keys.reattach);
		break;
	case 3:
		if (len == WIRE_HANDSHAKE_INIT_LEN)
			hs_seal_init(b, h.server.pub, zero);
		break;
	}
	harness_send(from, &dst, b, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags, buf[256];
	size_t len;
	int from;

	if (size < 1)
		return 0;
	in.p++;
	in.left--;
	if (start(data[0] & 1))
		abort();
	birth();
	/* Without cookies or limits in the way, a proper birth attaches. */
	if (!(data[0] & 1) && fake_kernel_state(id) != JUMP_STATE_ATTACHED)
		abort();
	while (fuzz_frame(&in, &flags, buf, sizeof(buf), &len) == 0) {
		from = (flags >> 3) & 7;
		if (flags & 0x80)
			fake_kernel_fail(1);
		if (flags & 0x40)
			kernel(buf, len, from);
		else
			datagram(flags, buf, len, from);
		fake_kernel_fail(0);
		harness_drain();
	}
	harness_stop();
	return 0;
}
