/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line parsing helpers: keywords, numbers, addresses, keys. */
#ifndef JUMPCTL_ARGS_H
#define JUMPCTL_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <linux/jump.h>

/* True if @arg is a non-empty prefix of @keyword, as ip(8) matches. */
bool matches(const char *arg, const char *keyword);

/*
 * Index of the first of @keywords (NULL terminated) that @arg abbreviates:
 * the list order is the priority, as in ip(8). -1 if none.
 */
int match_keyword(const char *arg, const char *const *keywords);

int parse_u64(const char *s, uint64_t *out);
int parse_u32(const char *s, uint32_t *out);
/* Session ids are hex, with or without 0x. */
int parse_session_id(const char *s, uint64_t *out);

struct endpoint {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host order */
};

/* "1.2.3.4:51820" or "[2001:db8::1]:51820". */
int parse_endpoint(const char *s, struct endpoint *ep);
/* Writes "addr:port" / "[addr]:port" into @buf. */
void format_endpoint(const struct endpoint *ep, char *buf, unsigned int len);

/* Base64 of exactly JUMP_PUBKEY_LEN bytes, as wg(8) prints keys. */
int parse_pubkey(const char *s, uint8_t key[JUMP_PUBKEY_LEN]);
void format_pubkey(const uint8_t key[JUMP_PUBKEY_LEN], char *buf, unsigned int len);
#define PUBKEY_B64_LEN 45

#endif /* JUMPCTL_ARGS_H */
