/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl key: X25519 key pairs for jumpd, base64 one per line, the same
 * format and clamping as wg(8), so either tool reads the other's keys.
 */
#ifndef JUMPCTL_KEY_H
#define JUMPCTL_KEY_H

#include <stdio.h>

/* A fresh, clamped private key on @out. */
int key_genkey(FILE *out);
/* The public key of the private key read from @in, on @out. */
int key_pubkey(FILE *in, FILE *out);

#endif /* JUMPCTL_KEY_H */
