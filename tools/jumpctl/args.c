// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "args.h"

bool matches(const char *arg, const char *keyword)
{
	size_t len = strlen(arg);

	return len > 0 && len <= strlen(keyword) && !strncmp(arg, keyword, len);
}

int match_keyword(const char *arg, const char *const *keywords)
{
	int i;

	for (i = 0; keywords[i]; i++)
		if (matches(arg, keywords[i]))
			return i;
	return -1;
}

static int parse_unsigned(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts a sign and leading blanks: we do not. */
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	return parse_unsigned(s, 10, UINT64_MAX, out);
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_unsigned(s, 10, UINT32_MAX, &v))
		return -1;
	*out = v;
	return 0;
}

int parse_session_id(const char *s, uint64_t *out)
{
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (strlen(s) > 16)
		return -1;
	return parse_unsigned(s, 16, UINT64_MAX, out);
}

static int parse_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (parse_unsigned(s, 10, 65535, &v))
		return -1;
	*port = v;
	return 0;
}

int parse_endpoint(const char *s, struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		len = close - s - 1;
		colon = close + 1;
		s++;
		ep->family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		len = colon - s;
		ep->family = AF_INET;
	}
	if (len == 0 || len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(ep->family, host, &ep->addr) != 1)
		return -1;
	return parse_port(colon + 1, &ep->port);
}

void format_endpoint(const struct endpoint *ep, char *buf, unsigned int len)
{
	char host[INET6_ADDRSTRLEN];

	inet_ntop(ep->family, &ep->addr, host, sizeof(host));
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 host, ep->port);
}

int parse_pubkey(const char *s, uint8_t key[JUMP_PUBKEY_LEN])
{
	size_t len;

	if (strlen(s) != PUBKEY_B64_LEN - 1)
		return -1;
	if (sodium_base642bin(key, JUMP_PUBKEY_LEN, s, strlen(s), NULL, &len,
			      NULL, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	return len == JUMP_PUBKEY_LEN ? 0 : -1;
}

void format_pubkey(const uint8_t key[JUMP_PUBKEY_LEN], char *buf, unsigned int len)
{
	if (len < PUBKEY_B64_LEN) {
		*buf = '\0';
		return;
	}
	sodium_bin2base64(buf, len, key, JUMP_PUBKEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}
