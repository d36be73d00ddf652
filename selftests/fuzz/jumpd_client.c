// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's client receive path on hostile datagrams: a real jumpd control
 * plane (ctl_start() on a client config whose server is socket 0 of the
 * harness, the fake kernel of fake_kernel.h behind it). Each input first
 * lets the client be born the proper way (its INIT answered by a RESP from
 * the server's key, its DONE by an ACK), so that the fuzzer starts from an
 * attached session whose keys it may use, then plays its frames as
 * jumpd_server.c does (socket 0 is the server's address here).
 *
 * Byte 0 of the input: bit 0 names an Uplink (lo), or none: the routing
 * table picks the path. Either way the client must send its INIT.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fake_kernel.h"
#include "fuzz.h"
#include "harness.h"

static struct hs_keys keys;
static uint64_t id;
static struct sockaddr_storage client_addr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	harness_init(true);
	return 0;
}

static int start(bool uplink)
{
	return harness_start(
		"[Interface]\nRole = client\nPrivateKey = %s\n%s"
		"StateDirectory = %s/state\nAuditLog = %s/audit.log\n"
		"[Peer]\nPublicKey = %s\nEndpoint = 127.0.0.1:%u\nAllowedIPs = 0.0.0.0/0\n",
		h.client_priv_b64, uplink ? "Uplink = lo\n" : "", h.dir, h.dir,
		h.server_b64, h.port);
}

/* The server's side of the birth: RESP to the INIT, ACK to the DONE. */
static void birth(void)
{
	uint8_t buf[WIRE_MAX_LEN];
	struct wire_handshake_init init;
	struct wire_handshake_resp resp;
	struct wire_session_mac ack = { 0 };
	struct hs_responder st;
	size_t len;

	memset(&keys, 0, sizeof(keys));
	id = 0x5eed0001;
	harness_pump();
	if (harness_recv(0, buf, sizeof(buf), &client_addr) != WIRE_HANDSHAKE_INIT_LEN)
		abort();	/* the client never sent its INIT: it cannot reach its server */
	if (wire_decode_handshake_init(buf, WIRE_HANDSHAKE_INIT_LEN, &init) ||
	    hs_responder_consume(&st, &h.server, &init) ||
	    hs_responder_reply(&st, id, 77, &resp, &keys))
		abort();
	len = wire_encode_handshake_resp(buf, &resp);
	hs_seal_resp(buf, h.client.pub);
	harness_send(0, &client_addr, buf, len);
	if (harness_recv(0, buf, sizeof(buf), &client_addr) != WIRE_HANDSHAKE_DONE_LEN)
		abort();	/* a proper RESP always gets its DONE */
	ack.session_id = id;
	len = wire_encode_session_mac(buf, JUMP_MSG_HANDSHAKE_ACK, &ack);
	hs_mac_seal(buf, len, keys.ctl);
	harness_send(0, &client_addr, buf, len);
	harness_drain();
	if (fake_kernel_state(id) != JUMP_STATE_ATTACHED)
		abort();	/* and its ACK attaches the session */
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
	if ((flags & 4) && len >= 12)
		put_be64(b + 4, id);
	/* A request's timestamp must be fresh: a seed's is not. */
	if ((flags & 4) && len >= 32 && b[0] == JUMP_MSG_REATTACH_REQUEST)
		put_be64(b + 24, ctl_realtime());
	if ((flags & 3) == 1 && len > WIRE_MAC_LEN)
		hs_mac_seal(b, len, keys.ctl);
	else if ((flags & 3) == 2 && len > WIRE_MAC_LEN)
		hs_mac_seal(b, len, keys.reattach);
	else if ((flags & 3) == 3 && len == WIRE_HANDSHAKE_RESP_LEN)
		hs_seal_resp(b, h.client.pub);
	harness_send(from, &client_addr, b, len);
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
