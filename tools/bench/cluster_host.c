// SPDX-License-Identifier: GPL-2.0
/*
 * jumpd's cluster ownership (owner_etcd.c) on the host, without a kernel:
 * the very claim, move, release and lease keeper jumpd runs, driven from
 * the command line against a real etcd, for selftests/host/70-cluster.sh
 * and tools/bench/cluster.sh. Every ownership record the backend makes is
 * printed as "record ID REASON DETAIL" on stdout.
 *
 *   cluster_host ENDPOINTS NODE TTL_MS CMD...
 *     claim ID            0 if claimed
 *     move ID EPOCH       0 if moved (a claim of the same node first)
 *     claim-move ID       claim, then move to epoch 2: 0 if both held
 *     race ID             wait for the file ./go, then claim: 0 if won
 *     release ID          claim, then release: 0 if the record went
 *     hold ID SECONDS     claim, then every 50 ms judge the standing and
 *                         try a move; prints "commit MONO_NS" for each move
 *                         that held, "standing STATE MONO_NS" at each change
 *     hold-end ID SECONDS the same, but the session ends (a release) the
 *                         first time the node is frozen: "ended MONO_NS"
 *     claims SECONDS      claims of fresh ids for SECONDS: {"claims_per_s": N}
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "jump_names.h"
#include "owner.h"

static uint64_t mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool quiet;

static void print_record(void *ctx, uint64_t id, int reason, const char *detail)
{
	if (!quiet)
		printf("record %016" PRIx64 " %s %s\n", id, jump_owner_reason_name(reason), detail);
	fflush(stdout);
}

/* The state directory of owner files it made. */
static void remove_dir(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static const char *const standing_names[] = { "ok", "frozen", "fenced" };

static int hold(struct owner *o, uint64_t id, unsigned int seconds, bool end_frozen)
{
	uint64_t end = mono() + seconds * 1000000000ULL;
	enum owner_standing st, last = OWNER_OK;
	uint32_t epoch = 1;
	bool ended = false;

	if (owner_claim(o, id))
		return 1;
	printf("standing ok %" PRIu64 "\n", mono());
	while (mono() < end) {
		st = owner_standing(o, mono());
		if (st != last) {
			printf("standing %s %" PRIu64 "\n", standing_names[st], mono());
			last = st;
		}
		if (st == OWNER_FENCED)
			owner_release(o, id);	/* the session ends: as ctl_terminate() */
		if (st == OWNER_FROZEN && end_frozen && !ended) {
			owner_release(o, id);
			ended = true;
			printf("ended %" PRIu64 "\n", mono());
		}
		if (!ended && owner_owns(o, id) && !owner_move(o, id, epoch, epoch + 1)) {
			epoch++;
			printf("commit %" PRIu64 "\n", mono());
		}
		fflush(stdout);
		usleep(50000);
	}
	return 0;
}

static int claims(struct owner *o, unsigned int seconds)
{
	uint64_t start = mono(), end = start + seconds * 1000000000ULL, n = 0, id;

	quiet = true;
	id = ((uint64_t)getpid() << 32) | (uint64_t)(start & 0xffffffff);
	while (mono() < end)
		if (!owner_claim(o, id++))
			n++;
	printf("{\"claims_per_s\": %.1f}\n", n / ((mono() - start) / 1e9));
	return 0;
}

static int run(struct owner *o, int argc, char **argv)
{
	const char *cmd = argv[0];
	uint64_t id = argc > 1 ? strtoull(argv[1], NULL, 16) : 0;

	if (!strcmp(cmd, "claim") && argc == 2)
		return owner_claim(o, id) ? 1 : 0;
	if (!strcmp(cmd, "move") && argc == 3)
		return owner_move(o, id, 1, (uint32_t)atoi(argv[2])) ? 1 : 0;
	if (!strcmp(cmd, "claim-move") && argc == 2)
		return owner_claim(o, id) || owner_move(o, id, 1, 2) ? 1 : 0;
	if (!strcmp(cmd, "race") && argc == 2) {
		while (access("go", F_OK))
			usleep(1000);
		return owner_claim(o, id) ? 1 : 0;
	}
	if (!strcmp(cmd, "release") && argc == 2) {
		if (owner_claim(o, id))
			return 1;
		owner_release(o, id);
		return 0;
	}
	if (!strcmp(cmd, "hold") && argc == 3)
		return hold(o, id, (unsigned int)atoi(argv[2]), false);
	if (!strcmp(cmd, "hold-end") && argc == 3)
		return hold(o, id, (unsigned int)atoi(argv[2]), true);
	if (!strcmp(cmd, "claims") && argc == 2)
		return claims(o, (unsigned int)atoi(argv[1]));
	fprintf(stderr, "cluster_host: unknown command\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	struct owner o = { .record = print_record };
	char dir[] = "/tmp/cluster_host.XXXXXX";
	int ret;

	if (argc < 5) {
		fprintf(stderr, "usage: cluster_host ENDPOINTS NODE TTL_MS CMD...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(dir))
		return 2;
	snprintf(cfg.cluster.endpoints, sizeof(cfg.cluster.endpoints), "%s", argv[1]);
	snprintf(cfg.cluster.node, sizeof(cfg.cluster.node), "%s", argv[2]);
	cfg.cluster.lease_ttl_ms = (uint32_t)atoi(argv[3]);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", dir);
	if (owner_etcd_init(&o, &cfg, "jump0")) {
		printf("init refused\n");
		owner_free(&o);
		remove_dir(dir);
		return 3;
	}
	ret = run(&o, argc - 4, argv + 4);
	owner_free(&o);
	remove_dir(dir);
	return ret;
}
