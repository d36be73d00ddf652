#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The numbers of tools/bench/handover.sh: traffic gaps from ping -D logs.

  handover_gaps.py [options] DIR

DIR has jump.ping, jump.marks, jump_sb.ping, jump_sb.marks (StandbyPath),
wg.ping and wg.marks: a probe's replies with
their arrival times, and per run "bbm|mbb START_NS END_NS" (START: the cut
or the return of wifi; END: the handover seen done). A run's gap is the
longest time between two consecutive replies across [START, END + 0.5 s]:
the last reply over the old path to the first over the new. With no loss it
is the probe interval. Prints the "handover_gap_ms" JSON object.
"""
import argparse
import datetime
import json
import os
import re

REPLY = re.compile(r"^\[(\d+\.\d+)\] .* icmp_seq=(\d+)")
TAIL_NS = 500_000_000


def replies(path):
    out = []
    try:
        for line in open(path, encoding="utf-8", errors="replace"):
            m = REPLY.match(line)
            if m:
                out.append((int(float(m.group(1)) * 1e9), int(m.group(2))))
    except OSError:
        pass
    return sorted(out)


def marks(path):
    out = []
    try:
        for line in open(path):
            kind, a, b = line.split()
            out.append((kind, int(a), int(b)))
    except OSError:
        pass
    return out


def gap(rep, start, end):
    """(longest inter-arrival ms, probes lost) across the run's window."""
    before = [r for r in rep if r[0] < start]
    inside = [r for r in rep if start <= r[0] <= end + TAIL_NS]
    if not before or not inside:
        return None, None
    win = [before[-1]] + inside
    longest = max(b[0] - a[0] for a, b in zip(win, win[1:]))
    seqs = {s for _, s in win}
    lost = (max(seqs) - min(seqs) + 1) - len(seqs)
    return longest / 1e6, lost


def stats(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return {"p50": None, "p99": None, "max": None}
    pick = lambda q: xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]
    return {"p50": round(pick(0.5), 2), "p99": round(pick(0.99), 2), "max": round(xs[-1], 2)}


def audit_times(path):
    """(time_ns, to, reason) of the client's transitions."""
    out = []
    try:
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            if r.get("event") != "transition":
                continue
            t = r["time"]
            base = datetime.datetime.strptime(t[:19], "%Y-%m-%dT%H:%M:%S").replace(
                tzinfo=datetime.timezone.utc)
            ns = int(base.timestamp()) * 10**9 + int(t[20:29])
            out.append((ns, r.get("to"), r.get("reason")))
    except (OSError, ValueError, KeyError):
        pass
    return out


TRACE = re.compile(r"^(client|server): debug: trace \S+ (\S+) (\d+)\.(\d+)")

# The steps of a reattach in jumpd's trace (ctl_trace), in order: each
# step's time is from the previous one, the first from the cut.
STEPS = [("cut_to_link_event", "client", ("link_event",)),
         ("link_event_to_request_sent", "client", ("request_sent",)),
         ("request_to_server", "server", ("request_received",)),
         ("server_to_challenge_sent", "server", ("challenge_sent",)),
         ("challenge_to_client", "client", ("challenge_received",)),
         ("client_to_confirm_sent", "client", ("confirm_sent",)),
         ("confirm_to_server", "server", ("confirm_received",)),
         ("server_commit", "server", ("commit",)),
         ("server_ack_sent", "server", ("ack_sent",)),
         ("ack_to_client", "client", ("ack_received",)),
         ("client_commit", "client", ("commit",))]


def trace_events(path):
    """(time_ns, side, step) of jumpd's trace lines (handover.sh: trace.log)."""
    out = []
    try:
        for line in open(path, encoding="utf-8", errors="replace"):
            m = TRACE.match(line)
            if m:
                out.append((int(m.group(3)) * 10**9 + int(m.group(4)), m.group(1),
                            m.group(2)))
    except OSError:
        pass
    return sorted(out)


def trace_split(trace, runs):
    """Per step of STEPS, p50/p99 over the runs where the whole chain was seen."""
    per = {name: [] for name, _, _ in STEPS}
    per["link_event_to_client_commit"] = []
    complete = 0
    for start, end in runs:
        ev = [e for e in trace if start <= e[0] <= end + TAIL_NS]
        # The link event that started it: the last one before the request
        # (bringing wifi back is a link event, then a route event).
        req = next((e for e in ev if e[1] == "client" and e[2] == "request_sent"), None)
        link = [e for e in ev if e[1] == "client" and e[2] == "link_event" and
                req is not None and e[0] <= req[0]]
        if not link:
            continue
        t_link = link[-1][0]
        times, ok = {"cut_to_link_event": (t_link - start) / 1e6}, True
        t_prev = t_link
        for name, side, steps in STEPS[1:]:
            # From the link event, not the previous step: a step's line
            # may be written after the next one's (the two daemons run at
            # once), and then that step counts negative.
            hit = next((e for e in ev if e[0] >= t_link and e[1] == side and
                        e[2] in steps), None)
            if hit is None:
                ok = False
                break
            times[name] = (hit[0] - t_prev) / 1e6
            t_prev = hit[0]
        if not ok:
            continue
        complete += 1
        for k, v in times.items():
            per[k].append(v)
        per["link_event_to_client_commit"].append((t_prev - t_link) / 1e6)
    out = {k: stats(v) for k, v in per.items()}
    out["runs_traced"] = complete
    return out


def section(d, name, kind, audit=None):
    rep = replies(os.path.join(d, name + ".ping"))
    runs = [m for m in marks(os.path.join(d, name + ".marks")) if m[0] == kind]
    gaps, lost, det, rea, pro = [], [], [], [], []
    for _, start, end in runs:
        g, l = gap(rep, start, end)
        gaps.append(g)
        lost.append(l)
        if audit is not None:
            tr = [a for a in audit if start <= a[0] <= end + TAIL_NS]
            p = next((a[0] for a in tr if a[2] == "standby_promoted"), None)
            if p is not None:
                pro.append((p - start) / 1e6)
            rec = next((a[0] for a in tr if a[1] == "recovering"), None)
            att = next((a[0] for a in tr if a[1] == "attached" and a[2] == "reattach_complete"), None)
            if rec is not None:
                det.append((rec - start) / 1e6)
                if att is not None:
                    rea.append((att - rec) / 1e6)
    out = {"runs": len(runs), "gap": stats(gaps),
           "lost_probes": {"p50": stats(lost)["p50"], "max": stats(lost)["max"]},
           "samples": [None if g is None else round(g, 2) for g in gaps]}
    if pro:
        out["cut_to_promoted"] = stats(pro)
        out["promoted_runs"] = len(pro)
    if audit is not None and det:
        out["detection"] = stats(det)
        out["reattach"] = stats(rea)
        trace = trace_events(os.path.join(d, "trace.log"))
        if trace:
            out["trace_ms"] = trace_split(trace, [(s, e) for _, s, e in runs])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--probe-ms", type=float, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--failed-jump", type=int, default=0)
    ap.add_argument("--failed-wg", type=int, default=0)
    ap.add_argument("--failed-standby", type=int, default=0)
    ap.add_argument("--keepalive", default="0 0",
                    help="STANDBY_KEEPALIVE packets and IP bytes seen on the standby")
    ap.add_argument("--keepalive-window", type=float, default=0)
    ap.add_argument("--rtt-tunnel", type=float, default=0)
    ap.add_argument("--rtt-bare", type=float, default=0)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--policy", default="")
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    audit = audit_times(a.audit)
    pol = dict(re.findall(r"^(\w+) = (\S+)", a.policy, re.M))
    bbm = section(a.dir, "jump", "bbm", audit)
    bbm["failed_runs"] = a.failed_jump
    mbb = section(a.dir, "jump", "mbb", audit)
    mbb["failed_runs"] = a.failed_jump
    wg = section(a.dir, "wg", "bbm")
    wg["failed_runs"] = a.failed_wg
    wg_back = section(a.dir, "wg", "mbb")
    sb = section(a.dir, "jump_sb", "bbm", audit)
    sb["failed_runs"] = a.failed_standby
    ka_pkts, ka_bytes = (int(x) for x in a.keepalive.split())
    per_h = 3600 / a.keepalive_window if a.keepalive_window else 0
    sb["keepalive"] = {
        "interval_ms": pol.get("StandbyKeepalive", "15s (default)"),
        "window_s": a.keepalive_window, "packets": ka_pkts, "ip_bytes": ka_bytes,
        "ip_bytes_per_hour": round(ka_bytes * per_h) if per_h else None,
        "packets_per_hour": round(ka_pkts * per_h) if per_h else None}
    ratio = lambda x, y: round(x / y, 2) if x is not None and y else None
    out = {"handover_gap_ms": {
        "break_before_make": bbm,
        "make_before_break": mbb,
        "wireguard_cut": wg,
        "wireguard_return": wg_back,
        "break_before_make_standby": sb,
        "standby_vs_wireguard": {"p50": ratio(sb["gap"]["p50"], wg["gap"]["p50"]),
                                 "p99": ratio(sb["gap"]["p99"], wg["gap"]["p99"])},
        "standby_vs_reattach": {"p50": ratio(sb["gap"]["p50"], bbm["gap"]["p50"]),
                                "p99": ratio(sb["gap"]["p99"], bbm["gap"]["p99"])},
        "new_path_rtt_ms": a.rtt_tunnel or None,
        "new_path_rtt_bare_ms": a.rtt_bare or None,
        "detection_config_ms": {"keepalive": pol.get("Keepalive"),
                                "volatile_after": pol.get("VolatileAfter"),
                                "degraded_after": pol.get("DegradedAfter"),
                                "link_down": 0},
        "probe_interval_ms": a.probe_ms,
        # The cut is a link going down: jumpd sees the link event at
        # once, so the configured detection time is zero and the target
        # is one RTT of the new path (plus the probe interval, the
        # resolution of the measurement).
        "target_ms": round((a.rtt_tunnel or 0) + a.probe_ms, 2),
        "method": "ping -D every probe_interval_ms over the tunnel; gap = longest "
                  "inter-arrival of replies across the handover; detection/reattach "
                  "from the client's audit (cut -> recovering -> reattach_complete); "
                  "break_before_make_standby: the same cut with StandbyPath = yes, "
                  "cut_to_promoted from the client's audit (standby_promoted), keepalive: "
                  "STANDBY_KEEPALIVEs both ways on cell over window_s; "
                  "trace_ms: jumpd's debug trace (ctl_trace), step by step, "
                  "cut_to_link_event being the harness spawning ip(8) plus the "
                  "kernel's notification",
    }}
    if a.note:
        out["handover_gap_ms"]["notes"] = a.note
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
