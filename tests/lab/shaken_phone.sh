#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# STIR/SHAKEN on a real bridge with NFQUEUE and baresip as the phone: with
# the provider trusted and `block verstat failed` and `block neighbour-spoof`
# in force, a call the carrier marks as failed verification and an
# unverified call from the line's own exchange never ring, while a verified
# caller from that exchange rings; the events carry verstat and attest.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"

printf 'block verstat failed\nblock neighbour-spoof\nallow *\n' >"$LAB_TMP/rules"
printf '[callerid]\ntrusted-sources = %s\n[rules]\nrules = %s\n' $LAB_PROV_IP "$LAB_TMP/rules" \
	>"$LAB_TMP/sipcid.conf"
lab_sipcidd --config "$LAB_TMP/sipcid.conf"

lab_ringing_phone

python3 "$LAB_SRC/tests/hostile/make_shaken_capture.py" --lab "$LAB_TMP/msg" \
	$LAB_PROV_IP $LAB_PHONE_IP || lab_fail "cannot make the INVITEs"
send() { lab_send_sip "$LAB_TMP/msg/$1.sip"; }
event() { lab_events_matching ".event == \"call\" and .call_id == \"$1\" and ($2)"; }
rang() { lab_phone_rang "$1"; }

send failed
send neighbour
# The verified call goes last: once it rings, the two before it had their chance.
send verified
lab_wait_for "the verified neighbour's call to ring at the phone" 100 eval '[ "$(rang +12125550198)" -ge 1 ]'
sleep 0.5
cat "$LAB_TMP/events.json"
cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" | grep -a "Incoming call"

[ "$(rang +13135550102)" = 0 ] || lab_fail "the phone rang for a call that failed verification"
[ "$(rang +12125550199)" = 0 ] || lab_fail "the phone rang for an unverified caller from the line's exchange"
[ "$(event failed@lab '.action == "block" and .verstat == "failed" and .attest == null')" = 1 ] ||
	lab_fail "the failed call was not announced as blocked with verstat failed"
[ "$(event neighbour@lab '.action == "block" and .verstat == null and .called == "+12125551234"')" = 1 ] ||
	lab_fail "the neighbour-spoof call was not announced as blocked"
[ "$(event verified@lab '.action == "allow" and .verstat == "passed" and .attest == "A"')" = 1 ] ||
	lab_fail "the verified call was not announced with verstat passed, attest A"
echo "PASS: failed verification and neighbour spoofing never rang the phone; a verified neighbour did"
