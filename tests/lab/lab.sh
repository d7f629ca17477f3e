# SPDX-License-Identifier: GPL-2.0-or-later
# lab.sh: a three-namespace bridge lab for sipcid's tests and benchmarks.
# Source it from bash, then call lab_setup.
#
#   provider ns  (10.77.0.1, fd77::1)  --veth--  bridge ns: br0 (10.77.0.254)  --veth--  phone ns (10.77.0.2, fd77::2)
#
# Namespace names are unique per run; everything this file starts is killed by
# pid and every namespace deleted on EXIT. Needs root.
#
# Environment: SIPCID_SRC (source tree) and SIPCID_BUILD (build tree), set by meson.

LAB_SRC=${SIPCID_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LAB_BUILD=${SIPCID_BUILD:-$LAB_SRC/build}
LAB_PROV_IP=10.77.0.1
LAB_PHONE_IP=10.77.0.2
LAB_BRIDGE_IP=10.77.0.254
LAB_PROV_IP6=fd77::1
LAB_PHONE_IP6=fd77::2
LAB_QUEUE=${LAB_QUEUE:-0}
LAB_PIDS=()
LAB_NETNS=()

lab_log() { echo "lab: $*" >&2; }
lab_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

lab_require() {
	[ "$(id -u)" = 0 ] || lab_fail "lab tests need root (network namespaces, iptables)"
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || lab_fail "missing $tool (see tests/deps-debian.txt)"
	done
}

lab_prov() { ip netns exec "$LAB_NS_PROV" "$@"; }
lab_bridge() { ip netns exec "$LAB_NS_BRIDGE" "$@"; }
lab_phone() { ip netns exec "$LAB_NS_PHONE" "$@"; }

lab_setup() {
	lab_require ip iptables ip6tables python3
	local id
	id=$(printf '%s%04x' "$$" "$RANDOM")
	LAB_NS_PROV=sipcid-prov-$id
	LAB_NS_BRIDGE=sipcid-br-$id
	LAB_NS_PHONE=sipcid-phone-$id
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-lab.XXXXXX")
	# Whatever the lab starts keeps its call log and recordings here, never
	# in the host's /var/lib/sipcid.
	export STATE_DIRECTORY=$LAB_TMP/state
	mkdir -p "$STATE_DIRECTORY"
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM
	local ns
	for ns in "$LAB_NS_PROV" "$LAB_NS_BRIDGE" "$LAB_NS_PHONE"; do
		ip netns add "$ns" || lab_fail "ip netns add $ns"
		LAB_NETNS+=("$ns")
		ip -n "$ns" link set lo up
	done
	# veth pairs: provider <-> bridge port p0, phone <-> bridge port p1
	ip link add vprov netns "$LAB_NS_PROV" type veth peer name p0 netns "$LAB_NS_BRIDGE"
	ip link add vphone netns "$LAB_NS_PHONE" type veth peer name p1 netns "$LAB_NS_BRIDGE"
	ip -n "$LAB_NS_BRIDGE" link add br0 type bridge
	ip -n "$LAB_NS_BRIDGE" link set p0 master br0
	ip -n "$LAB_NS_BRIDGE" link set p1 master br0
	for ns in "$LAB_NS_PROV" "$LAB_NS_PHONE"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	done
	ip -n "$LAB_NS_PROV" addr add $LAB_PROV_IP/24 dev vprov
	ip -n "$LAB_NS_PROV" addr add $LAB_PROV_IP6/64 dev vprov nodad
	ip -n "$LAB_NS_PHONE" addr add $LAB_PHONE_IP/24 dev vphone
	ip -n "$LAB_NS_PHONE" addr add $LAB_PHONE_IP6/64 dev vphone nodad
	ip -n "$LAB_NS_PROV" link set vprov up
	ip -n "$LAB_NS_PHONE" link set vphone up
	ip -n "$LAB_NS_BRIDGE" link set p0 up
	ip -n "$LAB_NS_BRIDGE" link set p1 up
	ip -n "$LAB_NS_BRIDGE" link set br0 up
	# The bridge box has its own address on the LAN, as at home: sipcidd's
	# announcements go to its broadcast address (10.77.0.255).
	ip -n "$LAB_NS_BRIDGE" addr add $LAB_BRIDGE_IP/24 brd + dev br0
	LAB_P0_IFINDEX=$(ip netns exec "$LAB_NS_BRIDGE" cat /sys/class/net/p0/ifindex)
	LAB_P1_IFINDEX=$(ip netns exec "$LAB_NS_BRIDGE" cat /sys/class/net/p1/ifindex)
	lab_wait_for "bridge port p0 to forward" 100 lab_port_forwarding p0
	lab_wait_for "bridge port p1 to forward" 100 lab_port_forwarding p1
}

# lab_wait_for WHAT TENTHS CMD...: retries CMD every 0.1 s, at most TENTHS times.
lab_wait_for() {
	local what=$1 tries=$2 i
	shift 2
	for ((i = 0; i < tries; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	lab_fail "timed out waiting for $what"
}

lab_port_forwarding() {
	ip -n "$LAB_NS_BRIDGE" -d link show "$1" | grep -q 'bridge_slave state forwarding'
}

lab_firewall() {
	lab_bridge env SIPCID_FIREWALL_STATE_DIR="$LAB_TMP/fw" \
		"$LAB_SRC/packaging/sipcid-firewall" --bridge br0 --queue "$LAB_QUEUE" "$@"
}

# lab_start NS OUTFILE CMD...: starts CMD in namespace NS (prov, bridge or
# phone) in the background, output to OUTFILE; sets LAB_PID.
lab_start() {
	local ns=$1 out=$2
	shift 2
	case $ns in
	prov) ns=$LAB_NS_PROV ;;
	bridge) ns=$LAB_NS_BRIDGE ;;
	phone) ns=$LAB_NS_PHONE ;;
	esac
	ip netns exec "$ns" "$@" >"$out" 2>"${LAB_ERR:-$out}" </dev/null &
	LAB_PID=$!
	LAB_PIDS+=("$LAB_PID")
}

# lab_sipcidd [ARGS...]: starts sipcidd in the bridge namespace on the lab's
# queue, events as JSON lines in $LAB_TMP/events.json, log in
# $LAB_TMP/sipcidd.log, call log and recordings in $LAB_TMP/state (never the
# host's /var/lib/sipcid); waits until it is bound; sets LAB_SIPCIDD_PID.
# Announcements go to the bridge namespace's own br0 broadcast address.
LAB_CONTROL=
lab_sipcidd() {
	LAB_CONTROL=$LAB_TMP/control.sock
	# Started as root, sipcidd becomes the user 'sipcid' when that account
	# exists (installed package; sipcidd(8), SECURITY): it must still be able
	# to remove its control socket from this directory when it stops.
	if id sipcid >/dev/null 2>&1; then
		chown sipcid: "$LAB_TMP"
	fi
	LAB_ERR=$LAB_TMP/sipcidd.log lab_start bridge "$LAB_TMP/events.json" \
		"${SIPCIDD:-$LAB_BUILD/bridge-daemon/sipcidd}" --queue "$LAB_QUEUE" --json \
		--control-socket "$LAB_CONTROL" "$@"
	LAB_SIPCIDD_PID=$LAB_PID
	lab_wait_bound
	lab_wait_for "the control socket" 50 test -S "$LAB_CONTROL"
}

# lab_sipcidd_recording RULE...: the firewall with an NFLOG copy of the
# bridge's RTP to group $LAB_NFLOG_GROUP, and sipcidd with these rules
# recording from it; LAB_DB and LAB_RECDIR are its call log and recordings.
LAB_NFLOG_GROUP=7652
lab_sipcidd_recording() {
	lab_firewall --nflog-group $LAB_NFLOG_GROUP up >/dev/null || lab_fail "sipcid-firewall up"
	lab_bridge iptables -w -S SIPCID | grep -q -- "-j NFLOG .*--nflog-group $LAB_NFLOG_GROUP" ||
		lab_fail "sipcid-firewall added no NFLOG rule for group $LAB_NFLOG_GROUP"
	LAB_DB=$LAB_TMP/state/calls.db
	LAB_RECDIR=$LAB_TMP/state/recordings
	printf '%s\n' "$@" >"$LAB_TMP/rules"
	printf '[rules]\nrules = %s\n[record]\nnflog-group = %s\n' "$LAB_TMP/rules" $LAB_NFLOG_GROUP \
		>"$LAB_TMP/sipcid.conf"
	lab_sipcidd --no-notify -c "$LAB_TMP/sipcid.conf"
}

# lab_status: what the lab's sipcidd says to --status; lab_status_value KEY:
# the value on its KEY: line.
lab_status() { lab_bridge "${SIPCIDD:-$LAB_BUILD/bridge-daemon/sipcidd}" --status --control-socket "$LAB_CONTROL"; }
lab_status_value() { lab_status | awk -v k="$1:" '$1 == k { print $2 }'; }

# lab_guard [ARGS...]: starts sipcid-guard in the bridge namespace on the
# lab's queue, log in $LAB_TMP/guard.log, its state in the lab's state
# directory (where sipcidd --status reads it); waits until it watches the
# queue; sets LAB_GUARD_PID.
lab_guard() {
	LAB_ERR=$LAB_TMP/guard.log lab_start bridge "$LAB_TMP/guard.out" \
		"${SIPCID_GUARD:-$LAB_BUILD/bridge-daemon/guard/sipcid-guard}" --queue "$LAB_QUEUE" "$@"
	LAB_GUARD_PID=$LAB_PID
	lab_wait_for "sipcid-guard to watch the queue" 100 grep -q "watching NFQUEUE" "$LAB_TMP/guard.log"
}

# lab_guard_state KEY: a value from the guard's state file (guard.state).
lab_guard_state() { sed -n "s/^$1=//p" "$STATE_DIRECTORY/guard.state"; }

# The monotonic clock in seconds, as labnet.py's --first-at and --first-sent write it.
lab_clock() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }

# lab_events_matching JQ_FILTER: how many events satisfy the jq filter.
lab_events_matching() {
	jq -c "select($1)" "$LAB_TMP/events.json" | wc -l
}

# lab_stop PID: SIGTERM, then SIGKILL after 10 s; returns the exit status.
lab_stop() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
}

# The bridge namespace's line for the queue in /proc/net/netfilter/nfnetlink_queue.
lab_queue_line() {
	lab_bridge awk -v q="$LAB_QUEUE" '$1 == q' /proc/net/netfilter/nfnetlink_queue
}
lab_queue_bound() { [ -n "$(lab_queue_line)" ]; }
lab_wait_bound() { lab_wait_for "a process to bind NFQUEUE queue $LAB_QUEUE" 100 lab_queue_bound; }
lab_wait_unbound() { lab_wait_for "queue $LAB_QUEUE to be unbound" 100 eval '! lab_queue_bound'; }
# Field N of the queue's /proc line (8 = id_sequence, 3 = waiting, 6/7 = drops).
lab_queue_field() { lab_queue_line | awk -v f="$1" '{ print $f }'; }

# Packets the NFQUEUE rules of the firewall helper matched (v4 + v6).
lab_rule_packets() {
	local t=0 n ipt
	for ipt in iptables ip6tables; do
		n=$(lab_bridge $ipt -w -nvxL SIPCID | awk '$3 == "NFQUEUE" { s += $1 } END { print s + 0 }')
		t=$((t + n))
	done
	echo $t
}

lab_net() { python3 "$LAB_SRC/tests/lab/labnet.py" "$@"; }

# lab_udp_receiver DIR PORT COUNT [BIND [ARGS...]]: a receiver in the phone namespace.
lab_udp_receiver() {
	local dir=$1 port=$2 count=$3 bind=${4:-0.0.0.0}
	shift 4 2>/dev/null || shift $#
	mkdir -p "$dir"
	lab_start phone "$dir.out" python3 "$LAB_SRC/tests/lab/labnet.py" recv-udp \
		--count "$count" --timeout 15 "$@" "$bind" "$port" "$dir"
	LAB_RECV_PID=$LAB_PID
	lab_wait_for "the receiver in $dir" 100 test -e "$dir/ready"
}

# lab_received DIR: how many datagrams the receiver in DIR has stored so far.
lab_received() { find "$1" -name '*.bin' | wc -l; }
lab_received_at_least() { [ "$(lab_received "$1")" -ge "$2" ]; }
# lab_wait_received DIR N [TENTHS]: waits until the receiver in DIR has N datagrams.
lab_wait_received() {
	lab_wait_for "$2 datagrams in $1" "${3:-100}" lab_received_at_least "$1" "$2"
}
lab_queue_waiting_is() { [ "$(lab_queue_field 3)" = "$1" ]; }

lab_cleanup() {
	local rc=$? pid ns
	for pid in "${LAB_PIDS[@]}"; do
		kill -CONT "$pid" 2>/dev/null
		kill -KILL "$pid" 2>/dev/null
	done
	for pid in "${LAB_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${LAB_NETNS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	if [ $rc -ne 0 ] && [ -n "${LAB_TMP:-}" ]; then
		echo "lab: exit status $rc; logs kept in $LAB_TMP" >&2
	elif [ -n "${LAB_TMP:-}" ]; then
		rm -rf "$LAB_TMP"
	fi
	exit $rc
}

# lab_baresip_alice_calls: "Alice Example" <+15551234567> on the provider
# side calls bob on the phone side with baresip, who answers at once; they
# talk for a few seconds. Returns when both baresips have quit (logs:
# $LAB_TMP/caller.log, callee.log).
lab_baresip_alice_calls() {
	cp -r "$LAB_SRC/tests/lab/data/baresip/caller" "$LAB_SRC/tests/lab/data/baresip/callee" "$LAB_TMP/"
	printf '"Alice Example" <sip:+15551234567@%s>;regint=0\n' $LAB_PROV_IP >"$LAB_TMP/caller/accounts"
	printf '<sip:bob@%s>;regint=0;answermode=auto\n' $LAB_PHONE_IP >"$LAB_TMP/callee/accounts"
	lab_start phone "$LAB_TMP/callee.log" baresip -f "$LAB_TMP/callee" -t 10
	local callee=$LAB_PID
	sleep 1
	lab_start prov "$LAB_TMP/caller.log" baresip -f "$LAB_TMP/caller" -t 6 -e "/dial sip:bob@$LAB_PHONE_IP"
	wait "$LAB_PID"
	wait "$callee"
}

# lab_baresip_phone SECONDS [ACCOUNT_PARAMS [ADDRESS]]: baresip as the phone,
# bob at ADDRESS ($LAB_PHONE_IP; or $LAB_PHONE_IP6), listening on UDP and TCP
# (log: $LAB_TMP/phone/baresip.log, new each time), for at most SECONDS;
# returns once it listens on TCP; sets LAB_PID.
lab_baresip_phone() {
	local addr=${3:-$LAB_PHONE_IP} host
	host=$addr
	case $addr in *:*) host="[$addr]" ;; esac
	mkdir -p "$LAB_TMP/phone"
	sed "s/^sip_listen.*/sip_listen\t\t$host:5060/" "$LAB_SRC/tests/lab/data/baresip/callee/config" \
		>"$LAB_TMP/phone/config"
	printf '<sip:bob@%s>;regint=0%s\n' "$host" "${2:-}" >"$LAB_TMP/phone/accounts"
	lab_start phone "$LAB_TMP/phone/baresip.log" baresip -f "$LAB_TMP/phone" -t "$1"
	lab_wait_for "baresip to listen on TCP" 100 eval "lab_phone ss -Htln | grep -qF '$host:5060'"
}

# lab_tcp_rejects_are N: sipcidd's --status shows N blocked INVITEs over TCP
# turned away (tcp-rejects), every one with the chosen answer
# (tcp-rejects-as-sent 0), none left to ring (blocks-not-enforced 0), no
# packet dropped; prints those counters.
lab_tcp_rejects_are() {
	local status
	status=$(lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL")
	echo "$status" | grep -E '^(dropped|changed|tcp-rejects|tcp-rejects-as-sent|blocks-not-enforced):'
	echo "$status" | grep -q '^dropped: *0 ' || lab_fail "sipcidd dropped packets"
	echo "$status" | grep -q "^tcp-rejects: *$1 " || lab_fail "not $1 TCP rejects"
	echo "$status" | grep -q '^tcp-rejects-as-sent: *0 ' || lab_fail "a rejection reached the provider unchanged"
	echo "$status" | grep -q '^blocks-not-enforced: *0 ' || lab_fail "a block was not enforced"
}

# lab_ringing_phone [SECONDS [ANSWERMODE]]: baresip as the phone, bob at
# $LAB_PHONE_IP, that rings (manual answer; "auto" answers at once) for
# SECONDS (30) and logs each incoming call, line-buffered so the log is
# read while it runs ($LAB_TMP/phone.log, phone.err). Returns once it listens.
lab_ringing_phone() {
	mkdir -p "$LAB_TMP/phone"
	cp "$LAB_SRC/tests/lab/data/baresip/callee/config" "$LAB_TMP/phone/config"
	printf '<sip:bob@%s>;regint=0;answermode=%s\n' $LAB_PHONE_IP "${2:-manual}" >"$LAB_TMP/phone/accounts"
	LAB_ERR=$LAB_TMP/phone.err lab_start phone "$LAB_TMP/phone.log" \
		stdbuf -oL -eL baresip -f "$LAB_TMP/phone" -t "${1:-30}"
	lab_wait_for "baresip to listen on 5060" 100 eval \
		"lab_phone ss -lun | grep -q ':5060 '"
}

# lab_send_sip FILE: the raw SIP message in FILE from the provider's port 5060 to the phone.
lab_send_sip() {
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 --count 1 \
		$LAB_PHONE_IP 5060 "$1" || lab_fail "send $1"
}

# lab_phone_rang TEXT: how many incoming calls lab_ringing_phone logged that mention TEXT.
lab_phone_rang() {
	cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a "Incoming call" | grep -c -- "$1"
}
