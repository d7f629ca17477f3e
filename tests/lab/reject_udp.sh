#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Blocked calls over UDP are answered as the ATA (issue 15, part 2): SIPp as
# the provider gets the outcome's final response and sends its ACK, over
# IPv4 and IPv6; a retransmitted INVITE gets the identical response; a
# `drop` stays silent. baresip as the phone never shows the calls, and
# nothing of them (INVITE, ACK) reaches the phone's wire; an allowed call
# sent after them all rings (so the phone is live).
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq sipp baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

# One blocked number per outcome. When the rule file cannot name outcomes
# yet (before issue 15 part 1), `block` gives the default, decline.
printf 'reject busy number +15551230001\nreject decline number +15551230002\nreject gone number +15551230003\ndrop number +15551230004\nblock number +15551230005\nallow *\n' >"$LAB_TMP/rules"
if "$LAB_BUILD/rules/sipcid-rules" check "$LAB_TMP/rules" >/dev/null 2>&1; then
	# +15551230005: a plain block takes [rules] block-outcome, default decline
	OUTCOMES="busy:486:+15551230001 decline:603:+15551230002 gone:404:+15551230003 decline:603:+15551230005"
	DROP_NUMBER=+15551230004
	BLOCKED_STATE=blocked
else
	echo "note: this rule language has no outcomes yet: decline (block's default) only"
	OUTCOMES="decline:603:+15551230002"
	printf 'block number +15551230002\nallow *\n' >"$LAB_TMP/rules"
	DROP_NUMBER=
	BLOCKED_STATE=missed
fi
printf '[rules]\nrules = %s\n' "$LAB_TMP/rules" >"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

# What reaches the phone's wire, from now on.
lab_start phone "$LAB_TMP/sniff.out" python3 "$LAB_SRC/tests/lab/sniff_sip.py" vphone \
	"$LAB_TMP/phone-wire.txt" "$LAB_TMP/sniff.ready" 150
lab_wait_for "the sniffer in the phone namespace" 100 test -e "$LAB_TMP/sniff.ready"

# The phone: baresip that rings (manual answer) and logs each incoming call,
# listening on IPv4 and IPv6.
mkdir -p "$LAB_TMP/phone"
grep -v '^sip_listen' "$LAB_SRC/tests/lab/data/baresip/callee/config" >"$LAB_TMP/phone/config"
printf 'sip_listen\t\t[::]:5060\n' >>"$LAB_TMP/phone/config"
printf '<sip:bob@%s>;regint=0;answermode=manual\n' $LAB_PHONE_IP >"$LAB_TMP/phone/accounts"
LAB_ERR=$LAB_TMP/phone.err lab_start phone "$LAB_TMP/phone.log" \
	stdbuf -oL -eL baresip -f "$LAB_TMP/phone" -t 120
lab_wait_for "baresip to listen on 5060" 100 eval "lab_phone ss -lun | grep -q ':5060 '"
rang() { cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a "Incoming call" | grep -c -- "$1"; }

# sipp_reject IP-VERSION OUTCOME CODE NUMBER: one SIPp call that must end with CODE.
sipp_reject() {
	local v=$1 outcome=$2 code=$3 number=$4 local_ip=$LAB_PROV_IP remote=$LAB_PHONE_IP:5060
	if [ "$v" = 6 ]; then
		local_ip=$LAB_PROV_IP6
		remote="[$LAB_PHONE_IP6]:5060"
	fi
	sed "s/CODE/$code/" "$LAB_SRC/tests/lab/data/sipp_uac_reject.xml" >"$LAB_TMP/uac-$code.xml"
	lab_prov sipp -sf "$LAB_TMP/uac-$code.xml" -set fromhdr "\"Mallory\" <sip:$number@$local_ip>" \
		-s bob -m 1 -i "$local_ip" -p 5062 -timeout 15s -timeout_error -nostdin \
		-trace_stat -stf "$LAB_TMP/stat-$v-$outcome.csv" -trace_msg \
		-message_file "$LAB_TMP/msg-$v-$outcome.log" "$remote" >"$LAB_TMP/uac-$v-$outcome.out" 2>&1 ||
		lab_fail "UDPv$v $outcome: SIPp did not get $code then ACK: $(tail -5 "$LAB_TMP/uac-$v-$outcome.out")"
	# SIPp's statistics: one call, successful, none failed.
	local succ fail
	succ=$(tail -1 "$LAB_TMP/stat-$v-$outcome.csv" | awk -F';' '{ print $16 }')
	fail=$(tail -1 "$LAB_TMP/stat-$v-$outcome.csv" | awk -F';' '{ print $18 }')
	[ "$succ" = 1 ] && [ "$fail" = 0 ] ||
		lab_fail "UDPv$v $outcome: SIPp counted $succ successful and $fail failed calls"
	grep -aq "SIP/2.0 $code " "$LAB_TMP/msg-$v-$outcome.log" || lab_fail "UDPv$v $outcome: no $code in SIPp's trace"
	echo "ok: UDPv$v $outcome: the provider got $code and sent its ACK"
}

for v in 4 6; do
	for o in $OUTCOMES; do
		IFS=: read -r outcome code number <<<"$o"
		sipp_reject $v "$outcome" "$code" "$number"
	done
done

# A retransmission gets the identical response (v4 and v6).
for o in $OUTCOMES; do
	IFS=: read -r outcome code number <<<"$o"
	lab_prov python3 "$LAB_SRC/tests/lab/reject_retrans.py" $LAB_PHONE_IP 5060 "retrans-$outcome-4@lab" \
		"$number" "$code" >>"$LAB_TMP/retrans.out" 2>&1 || lab_fail "UDPv4 retransmission: $(tail -3 "$LAB_TMP/retrans.out")"
	lab_prov python3 "$LAB_SRC/tests/lab/reject_retrans.py" $LAB_PHONE_IP6 5060 "retrans-$outcome-6@lab" \
		"$number" "$code" >>"$LAB_TMP/retrans.out" 2>&1 || lab_fail "UDPv6 retransmission: $(tail -3 "$LAB_TMP/retrans.out")"
done
echo "ok: retransmitted INVITEs got identical responses"

# A drop stays silent: SIPp hears nothing back (it times out).
if [ -n "$DROP_NUMBER" ]; then
	sed "s/CODE/603/" "$LAB_SRC/tests/lab/data/sipp_uac_reject.xml" >"$LAB_TMP/uac-drop.xml"
	if lab_prov sipp -sf "$LAB_TMP/uac-drop.xml" -set fromhdr "\"Mallory\" <sip:$DROP_NUMBER@$LAB_PROV_IP>" \
		-s bob -m 1 -i $LAB_PROV_IP -p 5062 -timeout 4s -timeout_error -nostdin \
		-trace_msg -message_file "$LAB_TMP/msg-drop.log" $LAB_PHONE_IP:5060 >"$LAB_TMP/uac-drop.out" 2>&1; then
		lab_fail "drop: SIPp's call succeeded"
	fi
	grep -aq "^SIP/2.0 " "$LAB_TMP/msg-drop.log" && lab_fail "drop: the provider got a response"
	echo "ok: drop stayed silent"
fi

# An allowed call after them all rings: the phone was live all along.
sed "s/CODE/180/" "$LAB_SRC/tests/lab/data/sipp_uac_reject.xml" >"$LAB_TMP/uac-ring.xml"
lab_prov sipp -sf "$LAB_TMP/uac-ring.xml" -set fromhdr "\"Allowed\" <sip:+15550009999@$LAB_PROV_IP>" \
	-s bob -m 1 -i $LAB_PROV_IP -p 5062 -timeout 10s -timeout_error -nostdin \
	$LAB_PHONE_IP:5060 >"$LAB_TMP/uac-ring.out" 2>&1 || lab_fail "the allowed call did not ring: $(tail -3 "$LAB_TMP/uac-ring.out")"
lab_wait_for "the allowed call to ring at the phone" 100 eval '[ "$(rang +15550009999)" -ge 1 ]'
touch "$LAB_TMP/phone-wire.txt.stop"
sleep 0.5
cat "$LAB_TMP/events.json"
echo "== the phone's wire"
cat "$LAB_TMP/phone-wire.txt"

for n in +15551230001 +15551230002 +15551230003 +15551230004 +15551230005; do
	[ "$(rang "$n")" = 0 ] || lab_fail "the phone rang for the blocked number $n"
done
# Nothing of the blocked calls crossed to the phone: every Call-ID on its
# wire is the allowed call's.
blocked_ids=$(jq -r 'select(.event == "call" and .action == "block") | .call_id' "$LAB_TMP/events.json")
[ -n "$blocked_ids" ] || lab_fail "no blocked calls announced"
for id in $blocked_ids; do
	grep -q " $id " "$LAB_TMP/phone-wire.txt" && lab_fail "a message of the blocked call $id reached the phone"
done
allowed=$(grep -c "^INVITE " "$LAB_TMP/phone-wire.txt")
[ "$allowed" -ge 1 ] || lab_fail "the sniffer saw no INVITE at all (is it live?)"

# Events: each blocked call once, with the outcome that was sent.
for o in $OUTCOMES; do
	IFS=: read -r outcome code number <<<"$o"
	n=$(lab_events_matching ".event == \"call\" and .action == \"block\" and .number == \"$number\" and .outcome == \"$outcome\" and .state == \"$BLOCKED_STATE\"")
	[ "$n" = 4 ] || lab_fail "$outcome: $n blocked call events with outcome $outcome, expected 4 (2 SIPp + 2 retransmission tests)"
done
if [ -n "$DROP_NUMBER" ]; then
	[ "$(lab_events_matching ".event == \"call\" and .number == \"$DROP_NUMBER\" and .outcome == \"drop\"")" = 1 ] ||
		lab_fail "drop: no event with outcome drop"
fi
status=$(lab_bridge "$LAB_BUILD/bridge-daemon/sipcidd" --status --control-socket "$LAB_CONTROL")
echo "$status" | grep -E "replies|reply"
sent=$(echo "$status" | awk '$1 == "replies-sent:" { print $2 }')
failures=$(echo "$status" | awk '$1 == "reply-failures:" { print $2 }')
absorbed=$(echo "$status" | awk '$1 == "replies-absorbed:" { print $2 }')
calls=$(( $(echo "$OUTCOMES" | wc -w) * 4 ))
[ "$failures" = 0 ] || lab_fail "$failures replies failed"
# one per INVITE: SIPp's calls once each, the retransmission tests twice each
[ "$sent" -ge $((calls + calls / 2)) ] || lab_fail "only $sent replies sent for $calls calls"
[ "$absorbed" -ge "$calls" ] || lab_fail "only $absorbed ACKs absorbed for $calls calls"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: blocked calls answered over UDPv4 and UDPv6, the phone never rang"
