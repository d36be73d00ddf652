/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Numbers, endpoints, prefixes and keys as people write them, for jumpctl's
 * command line and jumpd's config: one parser for both.
 */
#ifndef JUMP_PARSE_H
#define JUMP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <linux/jump.h>

/* Decimal, no sign, no blanks, no overflow. 0 or -1. */
int parse_u64(const char *s, uint64_t *out);
int parse_u32(const char *s, uint32_t *out);
int parse_port(const char *s, uint16_t *port);
/* Session ids: 1 to 16 hex digits, with or without 0x. */
int parse_session_id(const char *s, uint64_t *out);
/* Always 16 lower-case hex digits. */
#define SESSION_ID_LEN 17
void format_session_id(uint64_t id, char buf[SESSION_ID_LEN]);

/* A name the kernel can look up: 1 to IFNAMSIZ - 1 bytes. */
bool valid_ifname(const char *name);

struct endpoint {
	int family;		/* AF_INET or AF_INET6; 0 if unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host order */
};

/* "1.2.3.4:51820" or "[2001:db8::1]:51820". */
int parse_endpoint(const char *s, struct endpoint *ep);
/* The same forms; "[2001:db8::1]:65535" fits in ENDPOINT_LEN. */
#define ENDPOINT_LEN (INET6_ADDRSTRLEN + 8)
void format_endpoint(const struct endpoint *ep, char *buf, size_t len);

/* An inner prefix: "10.0.0.0/24", "fd00::/64"; no length is a host. */
struct prefix {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint8_t len;
};

enum { PREFIX_BAD = -1, PREFIX_HOST_BITS = -2 };
/* 0, PREFIX_BAD (not a prefix) or PREFIX_HOST_BITS (bits after len set). */
int parse_prefix(const char *s, struct prefix *p);
#define PREFIX_LEN (INET6_ADDRSTRLEN + 4)
void format_prefix(const struct prefix *p, char *buf, size_t len);

/* Base64 (standard, padded) of exactly @len bytes: 0 or -1. */
int parse_base64(const char *s, uint8_t *out, size_t len);
#define BASE64_LEN(n) ((((n) + 2) / 3) * 4 + 1)

/* Base64 of exactly JUMP_PUBKEY_LEN bytes, as wg(8) prints keys. */
#define PUBKEY_B64_LEN BASE64_LEN(JUMP_PUBKEY_LEN)
int parse_pubkey(const char *s, uint8_t key[JUMP_PUBKEY_LEN]);
void format_pubkey(const uint8_t key[JUMP_PUBKEY_LEN],
		   char buf[PUBKEY_B64_LEN]);

#endif /* JUMP_PARSE_H */
