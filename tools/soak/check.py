#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The soak's independent checker (Documentation/soak.rst).

  check.py [options] DIR

DIR holds what a soak run left (selftests/vm/97-soak.sh):
  {c,s}-events.jsonl   `jumpctl -j monitor` of the client's and the
                       server's kernel, from before the daemons started
  {c,s}-audit.jsonl    the two jumpd audit logs
  {c,s}-final.json     `jumpctl -j session show` at the end
  faults.jsonl         what the soak did: handovers asked for, netem
                       changes, injected packets and their source
It trusts neither the kernel nor jumpd: the legal transitions come from the
table of Documentation/state-machine.rst, the audit chain is re-hashed here.
Writes a JSON report (-o) and exits 1 if any invariant was violated, 2 if
the input cannot be read.
"""
import argparse
import hashlib
import json
import os
import re
import sys

SIDES = {"c": "client", "s": "server"}
ZERO_HASH = "0" * 64
CONTEXT = 4


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(2)


def spec_rules(path):
    """(from, to) -> set of reasons, from the "Legal transitions" table."""
    text = open(path, encoding="utf-8").read()
    try:
        table = text.split("Legal transitions", 1)[1].split("\n\n", 2)[1]
    except IndexError:
        die("check.py: %s: no \"Legal transitions\" table" % path)
    lines = table.splitlines()
    border = lines[0]
    cols = [m.span() for m in re.finditer(r"=+", border)]
    states = re.findall(r"^(\w+)\s", text.split("States", 1)[1].split("Diagram")[0], re.M)
    states = [s for s in states if s != "=" and not s.startswith("=")]
    rows, cur = [], None
    for line in lines[1:]:
        if line.startswith("="):
            continue
        cells = [line[a:(cols[i + 1][0] if i + 1 < len(cols) else None)].strip()
                 for i, (a, _) in enumerate(cols)]
        if cells[0] == "from":
            continue
        if cells[1]:                        # a new row
            cur = cells
            rows.append(cur)
        elif cur:                           # a continuation line
            for i in (0, 2):
                if cells[i]:
                    cur[i] = (cur[i] + " " + cells[i]).strip()
    rules = {}
    for frm, to, reasons, _origin in rows:
        if frm == "any but terminated":
            froms = [s for s in states if s != "terminated"]
        else:
            froms = [f.strip() for f in frm.split(",") if f.strip()]
        for f in froms:
            rules.setdefault((f, to), set()).update(
                r.strip() for r in reasons.split(",") if r.strip())
    if not rules:
        die("check.py: %s: the transition table is empty" % path)
    return rules


def read_jsonl(path, problems):
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    out.append(json.loads(line))
                except ValueError:
                    problems.append("%s:%d: not JSON" % (os.path.basename(path), n))
    except OSError as e:
        die("check.py: %s" % e)
    return out


class Report:
    def __init__(self):
        self.violations = []
        self.checked = {}

    def count(self, what, n=1):
        self.checked[what] = self.checked.get(what, 0) + n

    def violation(self, rule, detail, context=()):
        self.violations.append({"rule": rule, "detail": detail,
                                "context": list(context)})


def around(events, i):
    return events[max(0, i - CONTEXT):i + CONTEXT + 1]


def check_kernel(side, events, rules, rep):
    """One kernel's event stream: order, versions, transitions, bindings."""
    last_seq = None
    sessions = {}               # id -> {"state", "version", "epoch", "binding"}
    for i, e in enumerate(events):
        kind = e.get("event")
        if kind == "lost" or kind == "overrun":
            rep.violation("event_stream_complete",
                          "%s kernel: the monitor lost events, the record is incomplete" % side,
                          around(events, i))
            continue
        if kind not in ("created", "transition"):
            continue
        seq = e.get("seq")
        if last_seq is not None and seq is not None and seq <= last_seq:
            rep.violation("event_order", "%s kernel: seq %s after %s" % (side, seq, last_seq),
                          around(events, i))
        last_seq = seq if seq is not None else last_seq
        sid, ver, state = e.get("id"), e.get("version"), e.get("state")
        if kind == "created":
            rep.count("sessions_created")
            if sid in sessions:
                rep.violation("session_unique", "%s kernel: session %s created twice" % (side, sid),
                              around(events, i))
            sessions[sid] = {"state": state, "version": ver, "epoch": 0, "binding": None}
            continue
        rep.count("kernel_transitions")
        s = sessions.get(sid)
        if s is None:
            rep.violation("known_session", "%s kernel: transition of session %s never created" % (side, sid),
                          around(events, i))
            s = sessions[sid] = {"state": e.get("from"), "version": 0, "epoch": 0, "binding": None}
        frm, reason = e.get("from"), e.get("reason")
        if not isinstance(ver, int) or ver <= s["version"]:
            rep.violation("version_increases",
                          "%s kernel: session %s version %s after %s" % (side, sid, ver, s["version"]),
                          around(events, i))
        if frm != s["state"]:
            rep.violation("transition_continuity",
                          "%s kernel: session %s went %s -> %s but was %s" % (side, sid, frm, state, s["state"]),
                          around(events, i))
        if not reason or reason in ("none", "?"):
            rep.violation("transition_reason",
                          "%s kernel: session %s %s -> %s without a reason" % (side, sid, frm, state),
                          around(events, i))
        elif reason not in rules.get((frm, state), ()):
            rep.violation("transition_legal",
                          "%s kernel: session %s %s -> %s reason %s is not in the table" % (side, sid, frm, state, reason),
                          around(events, i))
        binding = e.get("binding")
        binds = state == "attached" and frm in ("birth", "recovering")
        if binds:
            rep.count("bindings_installed")
            if not binding:
                rep.violation("binding_on_attach", "%s kernel: session %s attached without a binding" % (side, sid),
                              around(events, i))
            elif binding.get("epoch", 0) <= s["epoch"]:
                rep.violation("epoch_increases",
                              "%s kernel: session %s epoch %s after %s" % (side, sid, binding.get("epoch"), s["epoch"]),
                              around(events, i))
        elif binding and s["binding"] and state != "terminated" and \
                (binding.get("local"), binding.get("remote"), binding.get("epoch")) != \
                (s["binding"].get("local"), s["binding"].get("remote"), s["binding"].get("epoch")):
            rep.violation("single_binding",
                          "%s kernel: session %s binding changed on %s -> %s (%s)" % (side, sid, frm, state, reason),
                          around(events, i))
        if binding:
            s["binding"], s["epoch"] = binding, max(s["epoch"], binding.get("epoch", 0))
        if state == "terminated":
            s["binding"] = None
        s["state"], s["version"] = state, ver if isinstance(ver, int) else s["version"]
        s.setdefault("events", []).append(i)
    return sessions


def check_one_binding_per_peer(side, events, rep):
    """At no point two live, bound sessions for one peer in one kernel."""
    live = {}                   # id -> (peer, bound)
    for i, e in enumerate(events):
        if e.get("event") not in ("created", "transition"):
            continue
        sid, state = e.get("id"), e.get("state")
        if state == "terminated":
            live.pop(sid, None)
            continue
        live[sid] = (e.get("peer"), bool(e.get("binding")))
        peer = e.get("peer")
        bound = [k for k, (p, b) in live.items() if p == peer and b]
        if len(bound) > 1:
            rep.violation("single_binding",
                          "%s kernel: peer %s has %d bound sessions at once: %s" % (side, peer, len(bound), ", ".join(sorted(bound))),
                          around(events, i))


def check_audit_chain(side, path, rep):
    """Re-hash the chain: seq + 1 and prev = SHA-256 of the line before."""
    prev_hash, prev_seq, n = ZERO_HASH, None, 0
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        die("check.py: %s" % e)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        rep.violation("audit_chain", "%s audit: the last line is cut short" % side)
    records = []
    for n, line in enumerate(lines, 1):
        try:
            r = json.loads(line)
        except ValueError:
            rep.violation("audit_chain", "%s audit line %d: not a record" % (side, n))
            break
        if prev_seq is not None and r.get("seq") != prev_seq + 1:
            rep.violation("audit_chain", "%s audit line %d: seq %s after %s" % (side, n, r.get("seq"), prev_seq),
                          [r])
        if prev_seq is not None and r.get("prev") != prev_hash:
            rep.violation("audit_chain", "%s audit line %d: prev is not the hash of line %d" % (side, n, n - 1),
                          [r])
        prev_seq, prev_hash = r.get("seq"), hashlib.sha256(line).hexdigest()
        records.append(r)
    rep.count("audit_records", len(records))
    return records


def check_audit_versions(side, records, rep):
    last = {}
    for i, r in enumerate(records):
        if r.get("event") != "transition":
            continue
        sid, ver = r.get("session"), r.get("version")
        if sid in last and (not isinstance(ver, int) or ver <= last[sid]):
            rep.violation("version_increases",
                          "%s audit: session %s version %s after %s" % (side, sid, ver, last[sid]),
                          around(records, i))
        if not r.get("reason"):
            rep.violation("transition_reason", "%s audit: transition without a reason" % side,
                          around(records, i))
        last[sid] = ver if isinstance(ver, int) else last.get(sid, 0)


def audited_transitions(records):
    return {(r.get("session"), r.get("version"), r.get("to"), r.get("reason"))
            for r in records if r.get("event") == "transition"}


def check_every_step_audited(side, events, records, rep):
    """Each kernel transition has its record in that side's audit log."""
    have = audited_transitions(records)
    for i, e in enumerate(events):
        if e.get("event") != "transition":
            continue
        key = (e.get("id"), e.get("version"), e.get("state"), e.get("reason"))
        if key not in have:
            rep.violation("transition_audited",
                          "%s: kernel transition of %s to %s (%s) version %s has no audit record" %
                          (side, key[0], key[2], key[3], key[1]), around(events, i))


def check_no_loss(side, sessions, final, records, rep):
    """A session gone from the kernel ended in a TERMINATED event and record."""
    present = {s.get("id") for s in final}
    audited_end = {r.get("session") for r in records
                   if r.get("event") == "transition" and r.get("to") == "terminated"}
    for sid, s in sessions.items():
        if sid in present:
            continue
        if s["state"] != "terminated":
            rep.violation("no_silent_loss",
                          "%s: session %s disappeared in state %s without a terminated event" % (side, sid, s["state"]))
        elif sid not in audited_end:
            rep.violation("no_silent_loss",
                          "%s: session %s terminated without a TERMINATED audit record" % (side, sid))
    for s in final:
        if s.get("id") not in sessions:
            rep.violation("known_session", "%s: session %s at the end was never seen created" % (side, s.get("id")))


def check_injections(faults, s_events, s_records, rep):
    """No injected (replayed or forged) packet moved the server.

    A forged or garbage packet must be refused at the first step. A fresh
    request made with a stolen reattach key ("valid") is authentic, and so is
    a replayed request whose attempt is still being validated (each source
    of a copy gets a challenge of its own, protocol.rst): the server may
    challenge such a source, but nothing there answers, so it must never
    get further than that challenge.
    """
    injected = [f for f in faults if f.get("kind") == "inject" and f.get("source")]
    sources = {f["source"] for f in injected}
    stolen = {f["source"] for f in injected if f.get("what") == "valid"}
    replayed = {f["source"] for f in injected if f.get("what") == "replay"}
    rep.count("injected_packets", len(injected))
    for i, e in enumerate(s_events):
        b = e.get("binding") or {}
        if e.get("event") == "transition" and e.get("state") == "attached" and b.get("remote") in sources:
            rep.violation("replay_rejected",
                          "server bound session %s to %s, where only injected packets came from" % (e.get("id"), b["remote"]),
                          around(s_events, i))
    for i, r in enumerate(s_records):
        src = r.get("source")
        if r.get("event") != "accept" or src not in sources:
            continue
        if "challenging the new path" in (r.get("detail") or ""):
            if src in stolen:
                rep.count("stolen_key_requests_challenged")
                continue
            if src in replayed:
                rep.count("replayed_requests_challenged")
                continue
        rep.violation("replay_rejected",
                      "server accepted a packet from %s, an injected source: %s" % (src, r.get("detail")),
                      around(s_records, i))
    rejected = sum(1 for r in s_records if r.get("event") == "reject" and r.get("source") in sources)
    rep.count("injected_rejects_audited", rejected)


def handovers(events):
    return sum(1 for e in events if e.get("event") == "transition"
               and e.get("from") == "recovering" and e.get("state") == "attached")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("-o", "--output", help="write the JSON report here")
    ap.add_argument("--spec", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "../../Documentation/state-machine.rst"))
    args = ap.parse_args()
    path = lambda name: os.path.join(args.dir, name)
    rules = spec_rules(args.spec)
    rep, unreadable = Report(), []
    events, records, finals = {}, {}, {}
    for k, side in SIDES.items():
        events[k] = read_jsonl(path(k + "-events.jsonl"), unreadable)
        records[k] = check_audit_chain(side, path(k + "-audit.jsonl"), rep)
        try:
            finals[k] = json.load(open(path(k + "-final.json"), encoding="utf-8"))
        except (OSError, ValueError) as e:
            die("check.py: %s-final.json: %s" % (k, e))
    faults = read_jsonl(path("faults.jsonl"), unreadable)
    for u in unreadable:
        rep.violation("input", u)
    for k, side in SIDES.items():
        sessions = check_kernel(side, events[k], rules, rep)
        check_one_binding_per_peer(side, events[k], rep)
        check_audit_versions(side, records[k], rep)
        check_every_step_audited(side, events[k], records[k], rep)
        check_no_loss(side, sessions, finals[k], records[k], rep)
    check_injections(faults, events["s"], records["s"], rep)
    if not any(e.get("event") == "created" for e in events["c"]):
        rep.violation("input", "the client's kernel stream has no session: nothing was soaked")
    # What the soak did to the session, by kind: each cut, rebinding and
    # silence is a fault, as is each netem change and each hostile packet;
    # an administrator's reattach is a handover asked for, not a fault.
    kinds = {}
    for f in faults:
        k = f.get("kind")
        if k == "round":
            k = f.get("what")
        elif k in ("inject", "inject_skipped"):
            k = "%s_%s" % (k, f.get("what"))
        kinds[k] = kinds.get(k, 0) + 1
    not_faults = ("admin_reattach", "stuck")
    report = {
        "handovers": handovers(events["c"]),
        "faults": sum(n for k, n in kinds.items()
                      if k not in not_faults and not k.startswith("inject_skipped")),
        "violations": len(rep.violations),
        "faults_by_kind": kinds,
        "checked": rep.checked,
        "rules": ["single_binding", "version_increases", "epoch_increases", "transition_legal",
                  "transition_reason", "transition_continuity", "transition_audited",
                  "replay_rejected", "no_silent_loss", "audit_chain", "event_stream_complete"],
        "violation_list": rep.violations,
    }
    meta = path("meta.json")
    if os.path.exists(meta):
        report["meta"] = json.load(open(meta, encoding="utf-8"))
    text = json.dumps(report, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print("soak: %d handovers, %d faults, %d violations" %
          (report["handovers"], report["faults"], report["violations"]))
    for v in rep.violations[:20]:
        print("soak: violation %s: %s" % (v["rule"], v["detail"]))
    return 1 if rep.violations else 0


if __name__ == "__main__":
    sys.exit(main())
