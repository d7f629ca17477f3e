#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Blocking the last caller in one step (issue 15): a caller rings the phone,
# `sipcid-rules block-last busy` writes the rule from the call log that
# sipcidd keeps, sipcidd reloads the rule file by itself, and the same
# caller's next call reaches the provider as 486 Busy Here without ringing
# the phone. Real bridge, NFQUEUE, SIPp as the provider, baresip as the phone.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq sipp baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

caller=+15557770001
printf '# the household'"'"'s rules\nallow *\n' >"$LAB_TMP/rules"
printf '[rules]\nrules = %s\n[log]\ndatabase = %s\n' "$LAB_TMP/rules" "$LAB_TMP/calls.db" \
	>"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

mkdir -p "$LAB_TMP/phone"
cp "$LAB_SRC/tests/lab/data/baresip/callee/config" "$LAB_TMP/phone/config"
printf '<sip:bob@%s>;regint=0;answermode=manual\n' $LAB_PHONE_IP >"$LAB_TMP/phone/accounts"
LAB_ERR=$LAB_TMP/phone.err lab_start phone "$LAB_TMP/phone.log" \
	stdbuf -oL -eL baresip -f "$LAB_TMP/phone" -t 90
lab_wait_for "baresip to listen on 5060" 100 eval "lab_phone ss -lun | grep -q ':5060 '"
rang() { cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a "Incoming call" | grep -c -- "$1"; }

# call CODE TRACE: the caller's call, which must end with CODE at the provider.
call() {
	sed "s/CODE/$1/" "$LAB_SRC/tests/lab/data/sipp_uac_reject.xml" >"$LAB_TMP/uac-$1.xml"
	lab_prov sipp -sf "$LAB_TMP/uac-$1.xml" -set fromhdr "\"Pushy Seller\" <sip:$caller@$LAB_PROV_IP>" \
		-s bob -m 1 -i $LAB_PROV_IP -p 5062 -timeout 10s -timeout_error -nostdin \
		-trace_msg -message_file "$LAB_TMP/$2" $LAB_PHONE_IP:5060 >"$LAB_TMP/$2.out" 2>&1
}

# 1. The first call rings.
call 180 first.log || lab_fail "the first call did not ring: $(tail -3 "$LAB_TMP/first.log.out")"
lab_wait_for "the first call to ring at the phone" 100 eval '[ "$(rang "$caller")" -ge 1 ]'
# The call log has it (the writer commits in batches).
lab_wait_for "the call log to hold the call" 100 eval \
	'[ "$(sqlite3 "$LAB_TMP/calls.db" "SELECT count(*) FROM calls WHERE number = '"'$caller'"'" 2>/dev/null)" = 1 ]'

# 2. Block the last caller, as a user would, with busy.
"$LAB_BUILD/rules/sipcid-rules" block-last busy --config "$LAB_TMP/sipcid.conf" \
	>"$LAB_TMP/block-last.out" 2>&1 || lab_fail "block-last failed: $(cat "$LAB_TMP/block-last.out")"
cat "$LAB_TMP/block-last.out"
grep -q "^reject busy number $caller\$" "$LAB_TMP/rules" || lab_fail "no rule for $caller in: $(cat "$LAB_TMP/rules")"
grep -q "^# .*block-last" "$LAB_TMP/rules" || lab_fail "the rule has no dated comment: $(cat "$LAB_TMP/rules")"
"$LAB_BUILD/rules/sipcid-rules" check "$LAB_TMP/rules" >/dev/null || lab_fail "the edited rule file does not check"

# 3. sipcidd reloads by itself (its file watch); the repeat call then gets
# 486 and never rings.
lab_wait_for "sipcidd to reload the rules" 100 grep -q "rules reloaded: 2 rules" "$LAB_TMP/sipcidd.log"
rings_before=$(rang "$caller")
call 486 repeat.log || lab_fail "the repeat call was not answered 486: $(tail -5 "$LAB_TMP/repeat.log.out")"
grep -aq "^SIP/2.0 486 " "$LAB_TMP/repeat.log" || lab_fail "no 486 in SIPp's trace"
sleep 1
[ "$(rang "$caller")" = "$rings_before" ] || lab_fail "the phone rang for the blocked repeat call"
[ "$(lab_events_matching ".event == \"call\" and .number == \"$caller\" and .state == \"blocked\" and .outcome == \"busy\"")" -ge 1 ] ||
	lab_fail "no blocked call event with outcome busy: $(cat "$LAB_TMP/events.json")"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error: $(cat "$LAB_TMP/sipcidd.log")"
echo "PASS: block-last busy turned the caller's next call away with 486; the phone rang only the first time"
