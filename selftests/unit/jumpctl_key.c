// SPDX-License-Identifier: GPL-2.0
/* jumpctl key: RFC 7748 test vectors, clamping, and refusals. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "jumpctl.h"
#include "key.h"
#include "tap.h"

/* RFC 7748, section 6.1: Alice's private and public key. */
static const char *const alice_priv_hex =
	"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char *const alice_pub_hex =
	"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

static void b64_of_hex(const char *hex, char out[PUBKEY_B64_LEN])
{
	unsigned char bin[JUMP_PUBKEY_LEN];

	sodium_hex2bin(bin, sizeof(bin), hex, strlen(hex), NULL, NULL, NULL);
	format_pubkey(bin, out);
}

/* Runs key_pubkey on @input; its output in @out (without newline). */
static int pubkey_of(const char *input, char *out, size_t out_len)
{
	char inbuf[256], outbuf[256] = "";
	FILE *in, *o;
	int rc;

	snprintf(inbuf, sizeof(inbuf), "%s", input);
	in = fmemopen(inbuf, strlen(inbuf), "r");
	o = fmemopen(outbuf, sizeof(outbuf), "w");
	rc = key_pubkey(in, o);
	fclose(in);
	fclose(o);
	outbuf[strcspn(outbuf, "\n")] = '\0';
	snprintf(out, out_len, "%s", outbuf);
	return rc;
}

int main(void)
{
	char priv[PUBKEY_B64_LEN], want[PUBKEY_B64_LEN], line[256], got[256];
	unsigned char key[JUMP_PUBKEY_LEN];
	FILE *o;
	int rc;

	if (sodium_init() < 0)
		return 1;
	b64_of_hex(alice_priv_hex, priv);
	b64_of_hex(alice_pub_hex, want);
	snprintf(line, sizeof(line), "%s\n", priv);
	rc = pubkey_of(line, got, sizeof(got));
	tap_ok(rc == EXIT_OK && !strcmp(got, want),
	       "pubkey of RFC 7748's Alice is her public key (%s)", got);

	o = fmemopen(line, sizeof(line), "w");
	rc = key_genkey(o);
	fclose(o);
	line[strcspn(line, "\n")] = '\0';
	tap_ok(rc == EXIT_OK && !parse_base64(line, key, sizeof(key)) &&
	       (key[0] & 7) == 0 && (key[31] & 0xc0) == 0x40,
	       "genkey prints a clamped 32-byte key in base64");
	rc = pubkey_of(line, got, sizeof(got));
	tap_ok(rc == EXIT_OK && strlen(got) == PUBKEY_B64_LEN - 1,
	       "its public key can be derived");

	tap_ok(pubkey_of("not a key\n", got, sizeof(got)) == EXIT_USAGE && !*got,
	       "a malformed private key is a usage error with no output");
	tap_ok(pubkey_of("", got, sizeof(got)) == EXIT_USAGE,
	       "no private key at all is a usage error");
	return tap_done();
}
