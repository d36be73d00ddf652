// SPDX-License-Identifier: GPL-2.0
/*
 * VM test helper: a HANDSHAKE_INIT as the client would send it now (its
 * static key from KEYFILE, to the server of public key SERVER_PUB, base64
 * as jumpctl prints them; mac1 set, no cookie), printed in hex. A test
 * sends it later, as an attacker replays an INIT it captured and withheld
 * from the server.
 *
 *   jumpd_mkinit KEYFILE SERVER_PUB
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "handshake.h"
#include "wire.h"

static int key_from(const char *b64, uint8_t key[WIRE_KEY_LEN])
{
	size_t len = 0;

	return sodium_base642bin(key, WIRE_KEY_LEN, b64, strlen(b64), " \n", &len, NULL,
				 sodium_base64_VARIANT_ORIGINAL) || len != WIRE_KEY_LEN;
}

int main(int argc, char **argv)
{
	static const uint8_t no_cookie[WIRE_COOKIE_LEN];
	uint8_t server[WIRE_KEY_LEN], buf[WIRE_MAX_LEN];
	struct wire_handshake_init m;
	struct hs_initiator hs;
	struct hs_keypair self;
	struct timespec ts;
	char line[128] = "";
	FILE *f;
	size_t i, len;

	if (argc != 3 || sodium_init() < 0) {
		fprintf(stderr, "usage: jumpd_mkinit KEYFILE SERVER_PUB\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f || !fgets(line, sizeof(line), f) || key_from(line, self.priv) ||
	    hs_public_key(self.priv, self.pub) || key_from(argv[2], server)) {
		fprintf(stderr, "jumpd_mkinit: bad key\n");
		return 1;
	}
	fclose(f);
	clock_gettime(CLOCK_REALTIME, &ts);
	if (hs_initiator_start(&hs, &self, server, randombytes_random(),
			       (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec, &m))
		return 1;
	len = wire_encode_handshake_init(buf, &m);
	hs_seal_init(buf, server, no_cookie);
	for (i = 0; i < len; i++)
		printf("%02x", buf[i]);
	putchar('\n');
	return 0;
}
