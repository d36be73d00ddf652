#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A soak run's files, clean or with one violation planted, for the tests
of tools/soak/check.py (60-soak-check.sh).

  soak_fixture.py DIR [FLAW]

Without FLAW the run is clean: a birth, a cut and reattach, a silence that
resumes, a NAT rebinding, injected packets that were all refused. Each FLAW
breaks exactly one invariant; the names are check.py's rules.
"""
import hashlib
import json
import os
import sys

PEER_C, PEER_S = "C" * 43 + "=", "S" * 43 + "="
SID, SID2 = "00000000000000aa", "00000000000000bb"
WIFI, CELL = "10.1.0.2:40000", "10.2.0.2:40001"
SRV = "10.3.0.2:51820"
INJ = "10.3.0.1:61234"
THIEF = "10.3.0.1:61999"


def binding(local, remote, epoch):
    return {"local": local, "remote": remote, "epoch": epoch}


def stream(peer, role, bound_a, bound_b):
    """(event, from, to, reason, version, binding) of one session's life."""
    ev = [("created", None, "birth", "none", 1, None),
          ("transition", "birth", "attached", "handshake_complete", 2, bound_a(1)),
          ("transition", "attached", "volatile", "link_down", 3, bound_a(1)),
          ("transition", "volatile", "recovering", "transport_dead", 5, bound_a(1)),
          ("transition", "recovering", "attached", "reattach_complete", 6, bound_b(2)),
          ("transition", "attached", "volatile", "rx_silence", 7, bound_b(2)),
          ("transition", "volatile", "attached", "rx_resumed", 8, bound_b(2)),
          ("transition", "attached", "recovering", "planned_switch", 9, bound_b(2)),
          ("transition", "recovering", "attached", "reattach_complete", 10, bound_a(3))]
    out = []
    for seq, (kind, frm, to, reason, ver, b) in enumerate(ev, 1):
        e = {"seq": seq, "event": kind, "time_ns": seq * 1000, "ifname": "jump0",
             "ifindex": 5, "id": SID, "role": role, "peer": peer}
        if frm:
            e["from"] = frm
        e.update({"state": to, "version": ver, "reason": reason})
        if b:
            e["binding"] = b
        out.append(e)
    return out


def audit_of(events, extra=()):
    recs = [{"event": "start"}]
    for e in events:
        if e["event"] == "transition":
            recs.append({"event": "transition", "session": e["id"], "from": e["from"],
                         "to": e["state"], "reason": e["reason"], "version": e["version"]})
    recs.extend(extra)
    return recs


def write_audit(path, recs, tamper=False):
    prev, lines = "0" * 64, []
    for seq, r in enumerate(recs, 1):
        r = dict({"seq": seq, "time": "2026-12-02T00:00:00.000000000Z", "ifname": "jump0"}, **r)
        r["prev"] = prev
        line = json.dumps(r, separators=(",", ":"))
        lines.append(line)
        prev = hashlib.sha256(line.encode()).hexdigest()
    if tamper:
        lines[2] = lines[2].replace('"version":', '"version":1')
    with open(path, "w") as f:
        f.write("".join(l + "\n" for l in lines))


def main():
    d, flaw = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    os.makedirs(d, exist_ok=True)
    c = stream(PEER_S, "client", lambda e: binding(WIFI, SRV, e),
               lambda e: binding(CELL, SRV, e))
    s = stream(PEER_C, "server", lambda e: binding(SRV, "10.3.0.1:40000", e),
               lambda e: binding(SRV, "10.3.0.1:40500", e))
    faults = [{"kind": "round", "what": "cut_wifi"},
              {"kind": "inject", "what": "replay", "source": INJ},
              {"kind": "inject", "what": "forge", "source": INJ},
              {"kind": "inject", "what": "valid", "source": THIEF}]
    s_extra = [{"event": "reject", "reject": "stale_attempt", "source": INJ},
               {"event": "accept", "source": INJ,
                "detail": "reattach_request accepted: challenging the new path"},
               {"event": "reject", "reject": "auth_failed", "source": INJ},
               {"event": "accept", "source": THIEF,
                "detail": "reattach_request accepted: challenging the new path"},
               {"event": "reject", "reject": "path_validation", "source": THIEF}]
    final_c, final_s = [dict(c[-1])], [dict(s[-1])]
    tamper = False
    if flaw == "transition_legal":
        c[6]["from"], c[6]["state"], c[6]["reason"] = "volatile", "degraded", "rx_resumed"
        c[7]["from"] = "degraded"
    elif flaw == "transition_reason":
        s[5]["reason"] = "none"
    elif flaw == "version_increases":
        c[6]["version"] = 7
    elif flaw == "transition_continuity":
        c[5]["from"] = "degraded"
    elif flaw == "epoch_increases":
        c[8]["binding"]["epoch"] = 2
    elif flaw == "single_binding":
        # A binding moved without a reattach (rx_resumed to another address).
        c[6]["binding"] = binding(WIFI, SRV, 2)
    elif flaw == "two_sessions_bound":
        extra = dict(s[1], id=SID2, seq=100, version=2)
        s.insert(3, dict(s[0], id=SID2, seq=99))
        s.insert(4, extra)
        for i, e in enumerate(s, 1):
            e["seq"] = i
        final_s.append(dict(extra))
    elif flaw == "replay_rejected":
        s[4]["binding"] = binding(SRV, INJ, 2)
        s[5]["binding"] = s[6]["binding"] = s[7]["binding"] = binding(SRV, INJ, 2)
    elif flaw == "replay_accepted_audit":
        # A replay may be challenged (its attempt still open), never more.
        s_extra.append({"event": "accept", "source": INJ,
                        "detail": "path validated: new binding committed"})
    elif flaw == "stolen_key_commits":
        s_extra.append({"event": "accept", "source": THIEF,
                        "detail": "path validated: new binding committed"})
    elif flaw == "no_silent_loss":
        final_c = []
    elif flaw == "audit_chain":
        tamper = True
    elif flaw == "event_stream_complete":
        c.insert(4, {"seq": 5, "event": "lost", "lost": 3})
    elif flaw == "transition_audited":
        pass                                    # one audit record dropped below
    elif flaw:
        sys.exit("soak_fixture.py: unknown flaw %s" % flaw)
    c_audit, s_audit = audit_of(c), audit_of(s, s_extra)
    if flaw == "transition_audited":
        del s_audit[3]
    for name, evs in (("c-events.jsonl", c), ("s-events.jsonl", s)):
        with open(os.path.join(d, name), "w") as f:
            f.write("".join(json.dumps(e) + "\n" for e in evs))
    write_audit(os.path.join(d, "c-audit.jsonl"), c_audit, tamper)
    write_audit(os.path.join(d, "s-audit.jsonl"), s_audit)
    for name, fin in (("c-final.json", final_c), ("s-final.json", final_s)):
        json.dump(fin, open(os.path.join(d, name), "w"))
    with open(os.path.join(d, "faults.jsonl"), "w") as f:
        f.write("".join(json.dumps(x) + "\n" for x in faults))


if __name__ == "__main__":
    main()
