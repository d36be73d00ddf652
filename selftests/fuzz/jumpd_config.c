// SPDX-License-Identifier: GPL-2.0
/*
 * jump.conf's parser (daemon/config*.c) on any file: it loads wholly or
 * fails with a message, and what loads is self-consistent enough to print
 * every [Policy] value and find every peer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "config.h"
#include "fuzz.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fd = memfd_create("jump.conf", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CONFIG_ERR_LEN], val[CONFIG_VALUE_LEN];
	struct config *c = calloc(1, sizeof(*c));
	size_t i;

	if (!c || ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	err[0] = '\0';
	if (config_load(path, "jump0", c, err) == 0) {
		for (i = 0; i < CONFIG_POLICY_KEYS; i++)
			if (!config_policy_name(i) ||
			    !config_policy_format(&c->policy, i, val))
				abort();
		for (i = 0; i < c->npeers; i++)
			if (config_find_peer(c, c->peers[i].pubkey) == NULL)
				abort();
		if (c->role == JUMP_ROLE_CLIENT && c->npeers != 1)
			abort();	/* a client has exactly one server */
		config_free(c);
	} else if (!err[0] || !memchr(err, '\0', sizeof(err))) {
		abort();	/* a refusal always says why */
	}
	free(c);
	return 0;
}
