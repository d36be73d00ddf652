// SPDX-License-Identifier: GPL-2.0
/* jumpctl key { genkey | pubkey | help } */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "jumpctl.h"
#include "key.h"

_Static_assert(crypto_scalarmult_SCALARBYTES == JUMP_PUBKEY_LEN &&
	       crypto_scalarmult_BYTES == JUMP_PUBKEY_LEN,
	       "X25519 keys are JUMP_PUBKEY_LEN bytes");

static void key_usage(FILE *f)
{
	fprintf(f,
		"Usage: jumpctl key genkey\n"
		"       jumpctl key pubkey < PRIVATE-KEY-FILE\n"
		"       jumpctl key help\n"
		"genkey prints a new X25519 private key, pubkey the public key of the\n"
		"private key on standard input; base64, one per line, as wg(8) does.\n"
		"Example: umask 077; jumpctl key genkey > jump0.key;\n"
		"         jumpctl key pubkey < jump0.key > jump0.pub\n");
}

static int put_key(FILE *out, const unsigned char key[JUMP_PUBKEY_LEN])
{
	char b64[PUBKEY_B64_LEN];

	format_pubkey(key, b64);
	fprintf(out, "%s\n", b64);
	sodium_memzero(b64, sizeof(b64));
	return fflush(out) ? EXIT_KERNEL : EXIT_OK;
}

int key_genkey(FILE *out)
{
	unsigned char key[JUMP_PUBKEY_LEN];
	int err;

	randombytes_buf(key, sizeof(key));
	/* RFC 7748 clamping, as wg genkey stores it. */
	key[0] &= 248;
	key[31] = (key[31] & 127) | 64;
	err = put_key(out, key);
	sodium_memzero(key, sizeof(key));
	return err;
}

int key_pubkey(FILE *in, FILE *out)
{
	unsigned char priv[JUMP_PUBKEY_LEN], pub[JUMP_PUBKEY_LEN];
	char line[128];
	size_t len;
	int err = EXIT_USAGE;

	if (!fgets(line, sizeof(line), in))
		return usage_error("no private key on standard input");
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	if (parse_base64(line, priv, sizeof(priv)))
		usage_error("the private key on standard input is not base64 of 32 bytes");
	else if (crypto_scalarmult_base(pub, priv))
		usage_error("the private key gives no valid public key");
	else
		err = put_key(out, pub);
	sodium_memzero(line, sizeof(line));
	sodium_memzero(priv, sizeof(priv));
	return err;
}

int do_key(int argc, char **argv)
{
	static const char *const cmds[] = { "genkey", "pubkey", "help", NULL };
	int cmd;

	if (sodium_init() < 0) {
		fputs("Error: libsodium cannot initialize.\n", stderr);
		return EXIT_KERNEL;
	}
	if (argc < 1)
		return usage_error("\"key\" needs a command; try \"jumpctl key help\"");
	cmd = match_keyword(argv[0], cmds);
	if (cmd < 0)
		return usage_error("unknown key command \"%s\"; try \"jumpctl key help\"",
				   argv[0]);
	/* "key genkey help" asks for help, as "help" does after any command. */
	if (argc == 2 && !strcmp(argv[1], "help"))
		cmd = 2;
	else if (argc > 1)
		return usage_error("unexpected \"%s\" after \"key %s\"", argv[1], argv[0]);
	switch (cmd) {
	case 0:
		return key_genkey(stdout);
	case 1:
		return key_pubkey(stdin, stdout);
	default:
		key_usage(stdout);
		return EXIT_OK;
	}
}
