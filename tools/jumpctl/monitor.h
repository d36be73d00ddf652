/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jumpctl monitor: the event stream, and the per-device sequence numbers
 * that reveal lost events.
 */
#ifndef JUMPCTL_MONITOR_H
#define JUMPCTL_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

/* Devices beyond this are printed but not checked for gaps. */
#define MONITOR_MAX_DEVICES 256

struct monitor_dev {
	uint32_t ifindex;
	/*
	 * The last sequence number accounted for. While @baseline is set it
	 * is the device's sequence number when we looked (DEV_GET), and
	 * events up to it may still be queued on our socket.
	 */
	uint64_t seq;
	bool baseline;
	char ifname[IF_NAMESIZE];
};

struct monitor {
	uint32_t filter;	/* ifindex of "dev NAME"; 0 for every device */
	unsigned int ndev;
	struct monitor_dev dev[MONITOR_MAX_DEVICES];
};

struct monitor_args {
	const char *dev;	/* NULL: every device */
	bool help;
};

/* Returns 0, or prints "Error: ..." and returns EXIT_USAGE. */
int monitor_parse(int argc, char **argv, struct monitor_args *a);

/* The device's entry, added if new; NULL when the table is full. */
struct monitor_dev *monitor_dev(struct monitor *m, uint32_t ifindex);
/* A device that existed when we started: its sequence number then. */
void monitor_baseline(struct monitor *m, uint32_t ifindex, const char *ifname,
		      uint64_t seq);
/*
 * Accounts for event @seq of @d: returns how many events of the device
 * were lost just before it. A device we never saw was created after we
 * started, so its events count from 1; a sequence that goes back means a
 * new device took the index, and counts from 1 again.
 */
uint64_t monitor_account(struct monitor_dev *d, uint64_t seq);

#endif /* JUMPCTL_MONITOR_H */
