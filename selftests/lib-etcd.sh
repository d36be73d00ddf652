# SPDX-License-Identifier: GPL-2.0
# An etcd cluster for the cluster tests and make bench (bash, sourced):
# members m1..mN in a scratch directory, each optionally in a network
# namespace, with short election timeouts so that a lost leader is noticed
# in about a second.
#
#   etcd_start DIR N IP...     member i listens on IP i (2379 for clients,
#                              2380 for peers), inside the namespace
#                              ETCD_NS[i] if that is set; on 127.0.0.1 all
#                              share one IP: ports ETCD_PORT + 2i and + 2i+1
#   ETCD_ENDPOINTS             "http://IP:PORT,..." once started
#   ETCD_PIDS[i], etcd_url I   member i's pid and client URL
#   etcd_wait_healthy          0 when every member answers, within 15 s
#   etcd_kill I                kill -9 member I (quietly: no job notice)
#   etcd_run I                 start member I again, on its data directory
#   ETCD_HEARTBEAT_MS, ETCD_ELECTION_MS   etcd's (100 and 1000 by default)
#   etcd_stop                  kill -9 every member still running

ETCD_PORT=${ETCD_PORT:-$((20000 + RANDOM % 20000))}
ETCD_PIDS=()
ETCD_URLS=()
ETCD_PEERS=()
ETCD_ENDPOINTS=
declare -a ETCD_NS 2>/dev/null || true

etcd_url() {
	echo "${ETCD_URLS[$1]}"
}

etcd_start() {
	local dir=$1 n=$2 i ip cport pport
	shift 2
	local ips=("$@")
	ETCD_URLS=()
	ETCD_PIDS=()
	ETCD_DIR=$dir
	ETCD_INITIAL=
	for ((i = 0; i < n; i++)); do
		ip=${ips[$i]:-${ips[0]}}
		if [ "$ip" = 127.0.0.1 ]; then
			cport=$((ETCD_PORT + 2 * i))
			pport=$((ETCD_PORT + 2 * i + 1))
		else
			cport=2379
			pport=2380
		fi
		ETCD_URLS[i]="http://$ip:$cport"
		ETCD_PEERS[i]="http://$ip:$pport"
		ETCD_INITIAL="$ETCD_INITIAL${ETCD_INITIAL:+,}m$((i + 1))=http://$ip:$pport"
	done
	for ((i = 0; i < n; i++)); do
		etcd_run "$i"
	done
	ETCD_ENDPOINTS=$(IFS=,; echo "${ETCD_URLS[*]}")
}

# etcd_run I: (re)starts member I with its data directory as it is.
etcd_run() {
	local i=$1 ns=()
	[ -n "${ETCD_NS[$i]:-}" ] && ns=(ip netns exec "${ETCD_NS[$i]}")
	mkdir -p "$ETCD_DIR/m$((i + 1))"
	"${ns[@]}" etcd --name "m$((i + 1))" --data-dir "$ETCD_DIR/m$((i + 1))/data" \
		--listen-client-urls "${ETCD_URLS[$i]}" \
		--advertise-client-urls "${ETCD_URLS[$i]}" \
		--listen-peer-urls "${ETCD_PEERS[$i]}" \
		--initial-advertise-peer-urls "${ETCD_PEERS[$i]}" \
		--initial-cluster "$ETCD_INITIAL" --initial-cluster-state new \
		--initial-cluster-token "jump-test-$$" \
		--heartbeat-interval "${ETCD_HEARTBEAT_MS:-100}" \
		--election-timeout "${ETCD_ELECTION_MS:-1000}" \
		--log-level error --logger zap \
		>> "$ETCD_DIR/m$((i + 1))/log" 2>&1 &
	ETCD_PIDS[i]=$!
}

# Every member answers a linearizable read (there is a leader).
etcd_wait_healthy() {
	local t
	for ((t = 0; t < 150; t++)); do
		ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINTS" --command-timeout=2s \
			endpoint health >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

etcd_kill() {
	{
		kill -9 "${ETCD_PIDS[$1]}"
		wait "${ETCD_PIDS[$1]}"
	} 2>/dev/null
	return 0
}

etcd_stop() {
	local i
	for i in "${!ETCD_PIDS[@]}"; do
		etcd_kill "$i"
	done
	return 0
}
