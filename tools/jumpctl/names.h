/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl help NAMES: the values a keyword takes (states, reasons, ...),
 * one per line, as lib/jump_names.c and lib/jump_audit.c spell them. For
 * people, and for the bash completion, which then needs no copy of them.
 */
#ifndef JUMPCTL_NAMES_H
#define JUMPCTL_NAMES_H

#include <stdio.h>

/* The NAMES words, in the order of the usage: NULL terminated. */
extern const char *const names_lists[];

/*
 * Prints the list that @word names (abbreviations as for keywords) on @out
 * and returns 0; -1, printing nothing, if @word names no list.
 */
int names_print(const char *word, FILE *out);

#endif /* JUMPCTL_NAMES_H */
