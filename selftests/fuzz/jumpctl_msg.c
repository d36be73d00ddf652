// SPDX-License-Identifier: GPL-2.0
/*
 * jumpctl's decoders of kernel messages (tools/jumpctl/msg.c) on any
 * netlink message, and its printers on what they decode: as text the
 * output holds no control character but the newlines ending its lines
 * (the message's strings reach a terminal), as JSON none at all.
 */
#include <stdlib.h>
#include <linux/netlink.h>

#include "fuzz.h"
#include "jumpctl.h"
#include "msg.h"
#include "output.h"

#define CAP 65536

static void clean(const char *text, size_t len, bool json)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			abort();
	(void)json;
}

static void print_all(const struct session_msg *s, const struct device_msg *d,
		      const char *ifname, bool json)
{
	struct listing l;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	opt.json = json;
	opt.details = opt.stats = opt.timestamp = true;
	listing_init(&l, f);
	if (s)
		listing_session(&l, s, ifname);
	if (d)
		listing_device(&l, d);
	listing_end(&l, true);
	if (s) {
		print_event(f, s, ifname);
		print_notice(f, s, ifname);
		print_lost(f, s, ifname, 3);
	}
	fclose(f);
	clean(text, len, json);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t buf[CAP / 8];
	static struct session_msg s;
	static struct device_msg d;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	bool has_s, has_d;

	if (size < sizeof(*nlh) || size > CAP)
		return 0;
	memcpy(buf, data, size);
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > size)
		nlh->nlmsg_len = size;
	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	has_s = parse_session_msg(nlh, &s) == 0;
	has_d = parse_device_msg(nlh, &d) == 0;
	if (has_d && !memchr(d.ifname, '\0', sizeof(d.ifname)))
		abort();
	if (has_s && (s.nprefixes > JUMP_MAX_PREFIXES || s.nkeys > __JUMP_KEY_SLOT_MAX))
		abort();
	if (!has_s && !has_d)
		return 0;
	/* The device's name is what monitor and show print for its sessions. */
	print_all(has_s ? &s : NULL, has_d ? &d : NULL, has_d ? d.ifname : "jump0", false);
	print_all(has_s ? &s : NULL, has_d ? &d : NULL, has_d ? d.ifname : "jump0", true);
	return 0;
}
