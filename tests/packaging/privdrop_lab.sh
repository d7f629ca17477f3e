#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Started as root with [datapath] user = nobody, sipcidd opens the queue and
# its sockets, then runs as nobody with CAP_NET_ADMIN and nothing else, in
# every thread; and it still does its job: an allowed INVITE reaches the
# phone and is announced, a blocked one never reaches it, the call log is
# written, SIGHUP reloads.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
id nobody >/dev/null 2>&1 || lab_fail "this test needs the account 'nobody'"
NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)
CAP_NET_ADMIN_MASK=0000000000001000   # 1 << 12
lab_setup
chmod 0755 "$LAB_TMP"  # nobody must reach its state directory and config inside
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

conf=$LAB_TMP/sipcid.conf
printf 'block number +15557770000\n' >"$LAB_TMP/rules"
cat >"$conf" <<EOF
[datapath]
user = nobody
[rules]
rules = $LAB_TMP/rules
phonebook =
EOF
chmod 0644 "$conf" "$LAB_TMP/rules"
lab_udp_receiver "$LAB_TMP/phone" 5060 1 $LAB_PHONE_IP
lab_sipcidd --config "$conf"
pid=$LAB_SIPCIDD_PID
lab_wait_for "the privilege drop" 50 grep -q "running as user nobody" "$LAB_TMP/sipcidd.log"

field() {  # field FILE NAME: the value(s) of a /proc status line
	awk -v k="$2:" '$1 == k { $1 = ""; print substr($0, 2) }' "$1" | sed 's/ *$//' 
}
st=/proc/$pid/status
cat "$st" | grep -E '^(Uid|Gid|Groups|Cap|NoNewPrivs)' >&2
[ "$(field "$st" Uid)" = "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID" ] ||
	lab_fail "Uid is '$(field "$st" Uid)', expected nobody ($NOBODY_UID) four times"
[ "$(field "$st" Gid)" = "$NOBODY_GID $NOBODY_GID $NOBODY_GID $NOBODY_GID" ] ||
	lab_fail "Gid is '$(field "$st" Gid)', expected $NOBODY_GID four times"
for g in $(field "$st" Groups); do
	[ "$g" = 0 ] && lab_fail "still in group root: Groups $(field "$st" Groups)"
done
for c in CapPrm CapEff CapBnd; do
	[ "$(field "$st" $c)" = $CAP_NET_ADMIN_MASK ] ||
		lab_fail "$c is $(field "$st" $c), expected CAP_NET_ADMIN only ($CAP_NET_ADMIN_MASK)"
done
for c in CapInh CapAmb; do
	[ "$(field "$st" $c)" = 0000000000000000 ] || lab_fail "$c is $(field "$st" $c), expected none"
done
[ "$(field "$st" NoNewPrivs)" = 1 ] || lab_fail "NoNewPrivs is not set"
# Every thread: the packet thread (started after the drop) and the ones
# started before it (call log writer, GLib's workers).
n_threads=0
for t in /proc/$pid/task/*/status; do
	n_threads=$((n_threads + 1))
	uid=$(field "$t" Uid)
	[ "$uid" = "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID" ] ||
		lab_fail "thread $(field "$t" Name) has Uid '$uid'"
	for c in CapPrm CapEff; do
		v=$(field "$t" $c)
		[ "$v" = $CAP_NET_ADMIN_MASK ] || [ "$v" = 0000000000000000 ] ||
			lab_fail "thread $(field "$t" Name) has $c $v"
	done
	# Per thread, not broadcast by setresuid: threads that existed before
	# the drop kept the full bounding set and no no_new_privs (issue 14,
	# finding 10).
	[ "$(field "$t" CapBnd)" = $CAP_NET_ADMIN_MASK ] ||
		lab_fail "thread $(field "$t" Name) has CapBnd $(field "$t" CapBnd), expected CAP_NET_ADMIN only"
	[ "$(field "$t" NoNewPrivs)" = 1 ] || lab_fail "thread $(field "$t" Name) lacks NoNewPrivs"
	echo "thread $(field "$t" Name): CapBnd $(field "$t" CapBnd) NoNewPrivs $(field "$t" NoNewPrivs)" >&2
done
# The thread the finding named, started before the drop, was among them.
grep -q '^Name:.*sipcid-calllog' /proc/$pid/task/*/status ||
	lab_fail "no call log writer thread (sipcid-calllog) to check"
[ $n_threads -ge 2 ] || lab_fail "expected the packet thread beside the main thread"
grep -l '^Name:.*sipcid-packets' /proc/$pid/task/*/status >/dev/null ||
	lab_fail "no packet thread"
pkt=$(grep -l '^Name:.*sipcid-packets' /proc/$pid/task/*/status | head -1)
[ "$(field "$pkt" CapEff)" = $CAP_NET_ADMIN_MASK ] ||
	lab_fail "the packet thread lacks CAP_NET_ADMIN, which every verdict needs"

send() {  # send CALL_ID FROM_USER
	lab_net sip INVITE --call-id "$1" --from-user "$2" >"$LAB_TMP/$1"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/$1"
}
announced() { lab_events_matching ".event == \"call\" and .call_id == \"$1\""; }
send blocked@lab +15557770000
lab_wait_for "the blocked call's announcement" 50 eval '[ "$(announced blocked@lab)" = 1 ]'
send allowed@lab +15551234567
lab_wait_received "$LAB_TMP/phone" 1
lab_wait_for "the allowed call's announcement" 50 eval '[ "$(announced allowed@lab)" = 1 ]'
grep -rqa "allowed@lab" "$LAB_TMP/phone" || lab_fail "the phone did not receive the allowed INVITE"
grep -rqa "blocked@lab" "$LAB_TMP/phone" && lab_fail "the blocked INVITE reached the phone"
[ "$(jq -r 'select(.event == "call" and .call_id == "blocked@lab") | .action' "$LAB_TMP/events.json")" = block ] ||
	lab_fail "the blocked call was not marked block"
lab_wait_for "an empty queue" 50 lab_queue_waiting_is 0

# --status still shows the kernel's counters, which sipcidd reads in
# /proc/self/net as nobody.
lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL" >"$LAB_TMP/status" ||
	lab_fail "sipcidd --status failed"
grep -Eq '^queue-id-sequence: +2( |$)' "$LAB_TMP/status" ||
	lab_fail "--status lacks the kernel's queue counters: $(cat "$LAB_TMP/status")"
grep -Eq '^calls: +2( |$)' "$LAB_TMP/status" || lab_fail "--status does not count 2 calls: $(cat "$LAB_TMP/status")"
# ...and the nfacct object on the NFQUEUE rules, over netlink with CAP_NET_ADMIN.
grep -Eq '^rule-matches: +2 ' "$LAB_TMP/status" && grep -Eq '^bypassed-queue-full: +0 ' "$LAB_TMP/status" ||
	lab_fail "--status as nobody cannot read the nfacct object: $(cat "$LAB_TMP/status")"

# The control socket belongs to the user too, and to nobody else: mode 0700
# (sipcid-web, running as that user, may watch and listen; sipcidd(8)).
[ "$(stat -c '%U %a' "$LAB_CONTROL")" = "nobody 700" ] ||
	lab_fail "the control socket is not nobody's alone: $(stat -c '%U:%G %a' "$LAB_CONTROL")"

# SIGHUP: nobody reads the configuration again.
kill -HUP "$pid"
lab_wait_for "the reload" 50 grep -q "reloaded" "$LAB_TMP/sipcidd.log"
grep -q "not reloaded" "$LAB_TMP/sipcidd.log" && lab_fail "reload failed: $(cat "$LAB_TMP/sipcidd.log")"

lab_stop "$pid" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
db=$LAB_TMP/state/calls.db
[ "$(stat -c %u "$LAB_TMP/state")" = "$NOBODY_UID" ] || lab_fail "the state directory was not handed to nobody"
[ "$(stat -c %u "$db")" = "$NOBODY_UID" ] || lab_fail "the call log was not handed to nobody"
"$LAB_BUILD/calllog/sipcid-log" --database "$db" --json >"$LAB_TMP/log.json" ||
	lab_fail "sipcid-log failed"
jq -s -e 'any(.[]; .call_id == "allowed@lab")' "$LAB_TMP/log.json" >/dev/null ||
	lab_fail "the allowed call is not in the call log: $(cat "$LAB_TMP/log.json")"
jq -s -e 'any(.[]; .call_id == "blocked@lab")' "$LAB_TMP/log.json" >/dev/null ||
	lab_fail "the blocked call is not in the call log"
grep -E "cannot give|cannot write to|no_new_privs|running as root" "$LAB_TMP/sipcidd.log" &&
	lab_fail "the privilege drop warned (see above)"

# A user that does not exist is refused before anything runs as root.
printf '[datapath]\nuser = no-such-user-sipcid\n' >"$LAB_TMP/bad.conf"
lab_bridge "$SIPCIDD" --config "$LAB_TMP/bad.conf" --queue "$LAB_QUEUE" \
	--control-socket "$LAB_TMP/bad.sock" >/dev/null 2>"$LAB_TMP/bad.log" &&
	lab_fail "sipcidd started with a user that does not exist"
grep -q "no user named 'no-such-user-sipcid'" "$LAB_TMP/bad.log" ||
	lab_fail "unknown user message: $(cat "$LAB_TMP/bad.log")"
echo "PASS: root drops to nobody with CAP_NET_ADMIN only, and the bridge still works ($n_threads threads checked)"
