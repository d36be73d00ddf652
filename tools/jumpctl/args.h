/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line words: keywords, numbers, names, addresses, keys. */
#ifndef JUMPCTL_ARGS_H
#define JUMPCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include <linux/jump.h>

#include "jump_parse.h"

/* True if @arg is a non-empty prefix of @keyword, as ip(8) matches. */
bool matches(const char *arg, const char *keyword);

/*
 * Index of the first of @keywords (NULL terminated) that @arg abbreviates,
 * -1 if none. The list order is the priority, as in ip(8): an abbreviation
 * of several keywords means the first one listed.
 */
int match_keyword(const char *arg, const char *const *keywords);
/* The same, among the keywords whose bit (1 << index) is set in @mask. */
int match_keyword_mask(const char *arg, const char *const *keywords,
		       unsigned int mask);

#endif /* JUMPCTL_ARGS_H */
