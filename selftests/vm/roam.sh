# SPDX-License-Identifier: GPL-2.0
# The roaming topology of the jumpd end-to-end tests. Sourced, not run.
#
# A client namespace ($C) with two uplinks, "wifi" (10.1.0.2, preferred) and
# "cell" (10.2.0.2), reaches a server namespace ($S, 10.3.0.2:51820) through
# a router ($R) that masquerades both, like a phone's carriers. Each end has
# a jump0 (10.9.0.2 and 10.9.0.1) driven by a real jumpd.
#
# roam_setup NAME builds it; server_conf and client_conf write the configs
# ($POLICY plus any lines given); start_server and start_client run the
# daemons, logging to $T_OUT/s.log and c.log, auditing to $SA and $CA.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The daemons run under ASan/UBSan when that build exists (make vm-test
# builds it), so that a memory error or a leak at exit fails the scenario;
# JUMP_PLAIN=1 keeps the plain build (the benchmarks measure it).
JUMPD_BUILD="plain build"
if [ -z "${JUMP_PLAIN:-}" ] && [ -x "$TOP/build/asan/jumpd" ]; then
	JUMPD=$TOP/build/asan/jumpd
	JUMPD_BUILD="ASan/UBSan build"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

POLICY="[Policy]
Keepalive = 200ms
VolatileAfter = 600ms
DegradedAfter = 1200ms
RecoveryWindow = 15s
RetryInitial = 200ms
RetryMax = 2s
PathValidationTimeout = 1s"

roam_setup() {	# NAME
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (run under tools/vm/run)"
	modprobe jump 2>/dev/null || skip_all "jump.ko is not installed for $(uname -r)"
	[ -x "$JUMPD" ] && [ -x "$JUMPCTL" ] || skip_all "jumpd/jumpctl not built"
	command -v conntrack >/dev/null || skip_all "conntrack(8) is not installed"
	C=jt-$1-c-$$ R=jt-$1-r-$$ S=jt-$1-s-$$
	SD_PID= CD_PID= JD_PID=
	trap roam_cleanup EXIT
	trap "exit 143" TERM INT
	# The VM runs no systemd: a journald of our own takes the daemons'
	# structured records, as on a real host.
	if [ ! -S /run/systemd/journal/socket ] && [ -x /lib/systemd/systemd-journald ]; then
		/lib/systemd/systemd-journald 2> "$T_OUT/journald.log" &
		JD_PID=$!
		wait_until 20 test -S /run/systemd/journal/socket
	fi

	for ns in $C $R $S; do ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1; done
	ip link add wifi netns "$C" type veth peer name wifi-r netns "$R"
	ip link add cell netns "$C" type veth peer name cell-r netns "$R"
	ip link add srv netns "$S" type veth peer name srv-r netns "$R"
	ip -n "$C" addr add 10.1.0.2/24 dev wifi
	ip -n "$C" addr add 10.2.0.2/24 dev cell
	ip -n "$R" addr add 10.1.0.1/24 dev wifi-r
	ip -n "$R" addr add 10.2.0.1/24 dev cell-r
	ip -n "$R" addr add 10.3.0.1/24 dev srv-r
	ip -n "$S" addr add 10.3.0.2/24 dev srv
	for l in wifi cell; do ip -n "$C" link set "$l" up; done
	for l in wifi-r cell-r srv-r; do ip -n "$R" link set "$l" up; done
	ip -n "$S" link set srv up
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$C" route add default via 10.1.0.1 dev wifi metric 100
	ip -n "$C" route add default via 10.2.0.1 dev cell metric 200
	ip -n "$S" route add default via 10.3.0.1
	# Both uplinks reach the server through one NAT, like a phone's carriers.
	ip netns exec "$R" nft -f - <<-EOF || exit 1
		table ip nat {
			chain post {
				type nat hook postrouting priority 100;
				oifname "srv-r" masquerade
			}
		}
	EOF
	for ns in $C $S; do ip -n "$ns" link add jump0 type jump && ip -n "$ns" link set jump0 up; done
	ip -n "$C" addr add 10.9.0.2/24 dev jump0
	ip -n "$S" addr add 10.9.0.1/24 dev jump0
	umask 077
	"$JUMPCTL" key genkey > "$T_OUT/c.key"
	"$JUMPCTL" key genkey > "$T_OUT/s.key"
	CPUB=$("$JUMPCTL" key pubkey < "$T_OUT/c.key")
	SPUB=$("$JUMPCTL" key pubkey < "$T_OUT/s.key")
}

roam_cleanup() {
	[ -n "$SD_PID" ] && kill "$SD_PID" 2>/dev/null
	[ -n "$CD_PID" ] && kill "$CD_PID" 2>/dev/null
	[ -n "$JD_PID" ] && kill "$JD_PID" 2>/dev/null
	wait 2>/dev/null
	# Under tools/vm/run --out, the logs and audit files stay for a look.
	if [ -n "${JUMP_VM_OUT:-}" ]; then
		mkdir -p "$JUMP_VM_OUT/$(basename "$0" .sh)"
		cp "$T_OUT"/*.log "$T_OUT"/*.jsonl "$JUMP_VM_OUT/$(basename "$0" .sh)/" 2>/dev/null
	fi
	# Ours is gone: the next test must not take its socket for a journald.
	[ -n "$JD_PID" ] && rm -f /run/systemd/journal/socket
	for ns in $C $R $S; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T_OUT"
}

# server_conf [LINE...]: the server's config, with extra [Policy] lines.
server_conf() {
	cat > "$T_OUT/s.conf" <<-EOF
	[Interface]
	Role = server
	PrivateKeyFile = $T_OUT/s.key
	ListenPort = 51820
	StateDirectory = $T_OUT/s-state
	AuditLog = $T_OUT/s-audit.jsonl
	$POLICY
	$(printf '%s\n' "$@")
	[Peer]
	PublicKey = $CPUB
	AllowedIPs = 10.9.0.2/32
	EOF
}

# client_conf [LINE...]: the client's config, with extra [Policy] lines.
client_conf() {
	cat > "$T_OUT/c.conf" <<-EOF
	[Interface]
	Role = client
	PrivateKeyFile = $T_OUT/c.key
	Uplink = wifi
	Uplink = cell
	StateDirectory = $T_OUT/c-state
	AuditLog = $T_OUT/c-audit.jsonl
	$POLICY
	$(printf '%s\n' "$@")
	[Peer]
	PublicKey = $SPUB
	Endpoint = 10.3.0.2:51820
	AllowedIPs = 10.9.0.0/24
	EOF
}

SA=$T_OUT/s-audit.jsonl
CA=$T_OUT/c-audit.jsonl

start_server() {
	ip netns exec "$S" "$JUMPD" -v -i jump0 -c "$T_OUT/s.conf" 2>> "$T_OUT/s.log" &
	SD_PID=$!
}
start_client() {
	ip netns exec "$C" "$JUMPD" -v -i jump0 -c "$T_OUT/c.conf" 2>> "$T_OUT/c.log" &
	CD_PID=$!
}

show() { ip netns exec "$1" "$JUMPCTL" -j session show dev jump0; }
sfield() { show "$1" | jq -r ".[0].$2 // empty"; }
is_state() { [ "$(sfield "$1" state)" = "$2" ]; }
bound_from() { is_state "$C" attached && sfield "$C" binding.local | grep -q "^$1:"; }
# audited FILE JQ-CONDITION: some record matches.
audited() { [ -n "$(jq -c "select($2)" "$1" 2>/dev/null | head -n 1)" ]; }
count() { jq -c "select($2)" "$1" 2>/dev/null | wc -l; }
# more FILE JQ-CONDITION N: more than N records match.
more() { [ "$(count "$1" "$2")" -gt "$3" ]; }
pings() { ip netns exec "$C" ping -c "${1:-3}" -i 0.2 -W 2 10.9.0.1 >/dev/null; }
evidence() {
	{ echo "client:"; show "$C"; echo "server:"; show "$S"
	  echo "--- client log"; tail -n 25 "$T_OUT/c.log"
	  echo "--- server log"; tail -n 25 "$T_OUT/s.log"; } >> "$T_OUT/last" 2>&1
}

# send_ctl NS SRC-ADDR HEX: one datagram to the server from SRC-ADDR.
send_ctl() {
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(bytes.fromhex(sys.argv[2]), ("10.3.0.2", 51820))' "$2" "$3"
}

# gone PID: exited (a child not yet reaped is a zombie, which kill -0 finds).
gone() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null)
	[ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

# roam_reap PID NAME: PID exits 0 within 20 s of its SIGTERM (else killed).
roam_reap() {
	wait_until 20 gone "$1" || {
		echo "$2 jumpd ignored SIGTERM" >> "$T_OUT/last"
		kill -9 "$1"
	}
	wait "$1" || { echo "$2 jumpd exited $?" >> "$T_OUT/last"; return 1; }
}

# roam_done: what every scenario ends with: both audit chains verify, both
# daemons survived it all, no sanitizer spoke; then the TAP plan.
roam_done() {
	"$JUMPCTL" audit verify file "$SA" > "$T_OUT/last" 2>&1 &&
	"$JUMPCTL" audit verify file "$CA" >> "$T_OUT/last" 2>&1
	ok $? "both audit chains verify"
	kill -0 "$SD_PID" && kill -0 "$CD_PID"
	ok $? "both daemons are still running"
	# A clean stop, so that LeakSanitizer looks at what is left at exit.
	kill "$SD_PID" "$CD_PID"
	roam_reap "$SD_PID" server && roam_reap "$CD_PID" client
	ok $? "both daemons stop cleanly on SIGTERM (exit 0 within 20 s)"
	SD_PID= CD_PID=
	grep -h -A12 "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error" \
		"$T_OUT/s.log" "$T_OUT/c.log" > "$T_OUT/last"
	[ ! -s "$T_OUT/last" ]
	ok $? "no sanitizer report in the daemons' logs (jumpd: $JUMPD_BUILD)"
	done_testing
}
