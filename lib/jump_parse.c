// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Numbers, endpoints, prefixes and keys as people write them. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "jump_parse.h"

_Static_assert(JUMP_PUBKEY_LEN % 3 == 2 && PUBKEY_B64_LEN == JUMP_PUBKEY_LEN / 3 * 4 + 5,
	       "format_pubkey() pads two bytes left over");

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * By hand rather than strtoull(), which takes blanks, a sign and a second
 * "0x", and wraps negative numbers around.
 */
static int parse_unsigned(const char *s, unsigned int base, uint64_t max,
			  uint64_t *out)
{
	uint64_t v = 0;
	unsigned int d;

	if (!*s)
		return -1;
	for (; *s; s++) {
		d = digit_value(*s);
		if (d >= base || v > (max - d) / base)
			return -1;
		v = v * base + d;
	}
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

int parse_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (parse_unsigned(s, 10, UINT16_MAX, &v))
		return -1;
	*port = v;
	return 0;
}

int parse_session_id(const char *s, uint64_t *out)
{
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	/* Leading zeros are fine, as printed; more than 16 digits is not. */
	if (strlen(s) > 16)
		return -1;
	return parse_unsigned(s, 16, UINT64_MAX, out);
}

/* "%016" PRIx64 by hand: jumpd formats one per audit record. */
void format_session_id(uint64_t id, char buf[SESSION_ID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 15; i >= 0; i--, id >>= 4)
		buf[i] = hex[id & 0xf];
	buf[16] = '\0';
}

bool valid_ifname(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len < IF_NAMESIZE;
}

int parse_endpoint(const char *s, struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN];
	const char *port;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		s++;
		len = close - s;
		port = close + 2;
		ep->family = AF_INET6;
	} else {
		const char *colon = strchr(s, ':');

		if (!colon)
			return -1;
		len = colon - s;
		port = colon + 1;
		ep->family = AF_INET;
	}
	if (len == 0 || len >= sizeof(host))
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(ep->family, host, &ep->addr) != 1 ||
	    parse_port(port, &ep->port)) {
		memset(ep, 0, sizeof(*ep));
		return -1;
	}
	return 0;
}

/* "a.b.c.d:port" by hand, as inet_ntop() and snprintf() would write it. */
static void format_v4(const struct endpoint *ep, char *buf, size_t len)
{
	const uint8_t *a = (const uint8_t *)&ep->addr.v4;
	char tmp[sizeof("255.255.255.255:65535")], *p = tmp;	/* len fits it */
	unsigned int v, i;

	for (i = 0; i < 5; i++) {
		v = i < 4 ? a[i] : ep->port;
		if (i)
			*p++ = i < 4 ? '.' : ':';
		if (v >= 10000)
			*p++ = (char)('0' + v / 10000);
		if (v >= 1000)
			*p++ = (char)('0' + v / 1000 % 10);
		if (v >= 100)
			*p++ = (char)('0' + v / 100 % 10);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
	memcpy(buf, tmp, p - tmp + 1);
}

void format_endpoint(const struct endpoint *ep, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (ep->family == AF_INET && len >= sizeof("255.255.255.255:65535")) {
		format_v4(ep, buf, len);
		return;
	}

	if (!inet_ntop(ep->family, &ep->addr, host, sizeof(host))) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 host, ep->port);
}

static bool host_bits_clear(const uint8_t *addr, unsigned int bytes,
			    unsigned int len)
{
	unsigned int i;

	for (i = len / 8; i < bytes; i++) {
		uint8_t mask = i == len / 8 ? 0xff >> (len % 8) : 0xff;

		if (addr[i] & mask)
			return false;
	}
	return true;
}

int parse_prefix(const char *s, struct prefix *p)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max, bytes;
	uint64_t plen;

	memset(p, 0, sizeof(*p));
	if (len == 0 || len >= sizeof(host))
		return PREFIX_BAD;
	memcpy(host, s, len);
	host[len] = '\0';
	p->family = strchr(host, ':') ? AF_INET6 : AF_INET;
	max = p->family == AF_INET6 ? 128 : 32;
	bytes = max / 8;
	if (inet_pton(p->family, host, &p->addr) != 1)
		goto bad;
	plen = max;
	/* Decimal, at most 3 digits: "/032" is refused with the rest. */
	if (slash && (strlen(slash + 1) > 3 ||
		      parse_unsigned(slash + 1, 10, max, &plen)))
		goto bad;
	p->len = plen;
	if (!host_bits_clear((const uint8_t *)&p->addr, bytes, p->len)) {
		memset(p, 0, sizeof(*p));
		return PREFIX_HOST_BITS;
	}
	return 0;
bad:
	memset(p, 0, sizeof(*p));
	return PREFIX_BAD;
}

void format_prefix(const struct prefix *p, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, &p->addr, host, sizeof(host))) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%s/%u", host, p->len);
}

int parse_base64(const char *s, uint8_t *out, size_t len)
{
	size_t s_len = strlen(s), bin_len;
	const char *end;

	/*
	 * Exactly the padded length: sodium stops at the first character that
	 * is not base64 and reports where; anything left over is an error too.
	 */
	if (s_len != BASE64_LEN(len) - 1)
		return -1;
	if (sodium_base642bin(out, len, s, s_len, NULL, &bin_len, &end,
			      sodium_base64_VARIANT_ORIGINAL))
		return -1;
	return bin_len == len && *end == '\0' ? 0 : -1;
}

int parse_pubkey(const char *s, uint8_t key[JUMP_PUBKEY_LEN])
{
	return parse_base64(s, key, JUMP_PUBKEY_LEN);
}

/*
 * Standard base64 with padding, as sodium_bin2base64(ORIGINAL) writes it,
 * by table: a public key is not a secret, so libsodium's constant-time
 * encoder (10 times the instructions) buys nothing, and a dump of 100,000
 * sessions formats one each.
 */
void format_pubkey(const uint8_t key[JUMP_PUBKEY_LEN],
		   char buf[PUBKEY_B64_LEN])
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int i, v, n = 0;

	for (i = 0; i + 3 <= JUMP_PUBKEY_LEN; i += 3) {
		v = key[i] << 16 | key[i + 1] << 8 | key[i + 2];
		buf[n++] = b64[v >> 18];
		buf[n++] = b64[v >> 12 & 63];
		buf[n++] = b64[v >> 6 & 63];
		buf[n++] = b64[v & 63];
	}
	/* JUMP_PUBKEY_LEN % 3 == 2: two bytes left, one '='. */
	v = key[i] << 16 | key[i + 1] << 8;
	buf[n++] = b64[v >> 18];
	buf[n++] = b64[v >> 12 & 63];
	buf[n++] = b64[v >> 6 & 63];
	buf[n++] = '=';
	buf[n] = '\0';
}
