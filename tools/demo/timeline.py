#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The demo's timeline, from what the demo recorded (tools/demo/demo.sh).

  timeline.py show DIR T0 FROM TO   lines with a time in (FROM, TO], in order
  timeline.py gap DIR FROM TO       the longest wait between ping replies
                                    that ends after FROM (the cut) and
                                    starts before TO: last before, first after

Times are CLOCK_REALTIME nanoseconds: the kernel's events (time_ns of
`jumpctl -j -t monitor`), jumpd's audit records (time), `ping -D` and the
demo's own marks all use that clock, so one sort orders them.

DIR holds marks (NS<TAB>TEXT, what the demo did), c.events and s.events
(the monitors), c-audit.jsonl and s-audit.jsonl, ping.log (ping -D -i 0.1).
"""
import datetime
import json
import os
import re
import sys

PING = re.compile(r'^\[(\d+)\.(\d+)\] \d+ bytes from .* icmp_seq=(\d+)')


def jsonl(path):
	try:
		with open(path) as f:
			lines = f.readlines()
	except FileNotFoundError:
		return []
	out = []
	for line in lines:
		try:
			out.append(json.loads(line))
		except ValueError:
			pass	# a line being written as we read
	return out


def audit_ns(t):
	"""2026-11-25T11:30:00.123456789Z -> ns (datetime keeps only us)."""
	secs, frac = t.rstrip('Z').split('.')
	d = datetime.datetime.strptime(secs, '%Y-%m-%dT%H:%M:%S')
	d = d.replace(tzinfo=datetime.timezone.utc)
	return int(d.timestamp()) * 10**9 + int(frac.ljust(9, '0')[:9])


def replies(d):
	"""Times (ns) of the ping replies, in order."""
	out = []
	try:
		with open(os.path.join(d, 'ping.log')) as f:
			for line in f:
				m = PING.match(line)
				if m:
					out.append(int(m[1]) * 10**9 + int(m[2].ljust(9, '0')[:9]))
	except FileNotFoundError:
		pass
	return out


def events(d):
	for side, name in (('client', 'c'), ('server', 's')):
		for e in jsonl(os.path.join(d, name + '.events')):
			sid = e.get('id', '?')
			if e.get('event') == 'created':
				text = 'session %s created (role %s)' % (sid, e.get('role', '?'))
			elif e.get('event') == 'transition':
				text = 'session %s %s -> %s (%s) version %s' % (
					sid, e.get('from', '?'), e.get('state', '?'),
					e.get('reason', '?'), e.get('version', '?'))
				b = e.get('binding')
				if e.get('state') == 'attached' and isinstance(b, dict):
					text += ', bound %s -> %s' % (b.get('local'), b.get('remote'))
			else:
				text = '%s %s' % (e.get('event'), sid)
			yield e.get('time_ns', 0), '%-7s kernel  %s' % (side, text)
		# jumpd's transitions are in the kernel's stream already: from
		# the audit log, the decisions on control packets.
		for a in jsonl(os.path.join(d, name + '-audit.jsonl')):
			if a.get('event') not in ('accept', 'reject', 'rate_limit'):
				continue
			text = '%s' % a['event']
			if 'reject' in a:
				text += ' %s' % a['reject']
			if 'source' in a:
				text += ' from %s' % a['source']
			if 'detail' in a:
				text += ': %s' % a['detail']
			yield audit_ns(a['time']), '%-7s audit   %s' % (side, text)


def marks(d):
	try:
		with open(os.path.join(d, 'marks')) as f:
			for line in f:
				ns, text = line.rstrip('\n').split('\t', 1)
				yield int(ns), '>>>     demo    ' + text
	except FileNotFoundError:
		return


def counters(d, lo, hi):
	"""A line a second: how many ping replies have come back."""
	r = replies(d)
	if not r:
		return
	t = r[0] - r[0] % 10**9 + 10**9
	n = 0
	prev = 0
	while t <= hi:
		while n < len(r) and r[n] <= t:
			n += 1
		if t > lo:
			yield t, 'ping    traffic delivered %5d replies (+%d in 1 s)' % (n, n - prev)
		prev = n
		t += 10**9


def show(d, t0, lo, hi):
	rows = [x for x in list(marks(d)) + list(events(d)) if lo < x[0] <= hi]
	rows += list(counters(d, lo, hi))
	rows.sort(key=lambda x: x[0])
	for ns, text in rows:
		print('[%8.3fs] %s' % ((ns - t0) / 1e9, text))


def gap(d, lo, hi):
	"""The longest wait between two replies around (lo, hi]: the outage."""
	r = [x for x in replies(d) if x <= hi]
	pairs = [(a, b) for a, b in zip(r, r[1:]) if b > lo]
	if not pairs:
		print('none')
		return 1
	a, b = max(pairs, key=lambda p: p[1] - p[0])
	print('%d %d %.0f' % (a, b, (b - a) / 1e6))
	return 0


def main(argv):
	if len(argv) == 6 and argv[1] == 'show':
		show(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
		return 0
	if len(argv) == 5 and argv[1] == 'gap':
		return gap(argv[2], int(argv[3]), int(argv[4]))
	print(__doc__, file=sys.stderr)
	return 2


if __name__ == '__main__':
	sys.exit(main(sys.argv))
