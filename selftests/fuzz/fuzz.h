/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer harnesses share: the entry point libFuzzer calls, and
 * a reader of the framed inputs (a byte of flags, a byte of length, that
 * many bytes) that the harnesses of a conversation take apart.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* The next frame: its flags, and up to @cap bytes in @buf. -1 at the end. */
static inline int fuzz_frame(struct fuzz_in *in, uint8_t *flags, uint8_t *buf,
			     size_t cap, size_t *len)
{
	size_t n;

	if (in->left < 2)
		return -1;
	*flags = in->p[0];
	n = in->p[1];
	in->p += 2;
	in->left -= 2;
	if (n > in->left)
		n = in->left;
	if (n > cap)
		n = cap;
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	*len = n;
	return 0;
}

#endif /* FUZZ_H */
