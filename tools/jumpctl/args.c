// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "args.h"

bool matches(const char *arg, const char *keyword)
{
	size_t len = strlen(arg);

	return len > 0 && len <= strlen(keyword) && !strncmp(arg, keyword, len);
}

int match_keyword_mask(const char *arg, const char *const *keywords,
		       unsigned int mask)
{
	int i;

	for (i = 0; keywords[i]; i++)
		if ((mask & 1U << i) && matches(arg, keywords[i]))
			return i;
	return -1;
}

int match_keyword(const char *arg, const char *const *keywords)
{
	return match_keyword_mask(arg, keywords, ~0U);
}
