#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A real call through the lab bridge reaches an NCID client: sipcidd runs
# live with [ncid] listen on the bridge box's LAN address; a client written
# from NCID's API (ncid_client.py) connects from the phone side, gets the call
# log that a sipcidd --read run wrote, then a baresip call's CIDINFO:, CID:
# and END: lines. A client connecting after the call finds it in the log.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq baresip
lab_setup
export TZ=UTC
CLIENT=$SIPCID_SRC/tests/ncid/ncid_client.py

# The call log a --read of a capture wrote.
db=$STATE_DIRECTORY/calls.db
printf '[log]\ndatabase = %s\n' "$db" >"$LAB_TMP/read.conf"
"$SIPCIDD" --no-notify --read "$SIPCID_SRC/tests/captures/sngrep_aaa.pcap" -c "$LAB_TMP/read.conf" \
	--json >"$LAB_TMP/read.json" || lab_fail "sipcidd --read"
logged=$(jq -s 'map(select(has("call_id"))) | group_by(.call_id) | length' "$LAB_TMP/read.json")  # line events are not calls
[ "$logged" -ge 1 ] || lab_fail "the capture gave no calls; the log replay would prove nothing"
# sipcidd becomes the user sipcid when it exists: it writes this log next.
if id sipcid >/dev/null 2>&1; then
	chown -R sipcid: "$STATE_DIRECTORY"
fi
printf '[log]\ndatabase = %s\nbatch-ms = 50\n[ncid]\nlisten = %s:3333\n' "$db" $LAB_BRIDGE_IP \
	>"$LAB_TMP/sipcid.conf"

lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd -c "$LAB_TMP/sipcid.conf"

# The client waits for 5 call lines: CIDINFO RING 1, CID:, CIDINFO RING 0
# (answered), CIDINFO RING -2 and END: (hung up).
lab_start phone "$LAB_TMP/ncid1.out" python3 "$CLIENT" $LAB_BRIDGE_IP 3333 --lines 5 --timeout 60
client=$LAB_PID
lab_wait_for "the NCID client's connection startup" 100 grep -q '^300 ' "$LAB_TMP/ncid1.out"
cat "$LAB_TMP/ncid1.out"
[ "$(grep -c '^254 Start of call log' "$LAB_TMP/ncid1.out")" = 1 ] || lab_fail "no 254 at connect"
n=$(grep -cE '^(CID|BLK)LOG: ' "$LAB_TMP/ncid1.out")
[ "$n" = "$logged" ] || lab_fail "$n CIDLOG:/BLKLOG: lines for the $logged calls of the --read run"
grep -q '^250 End of call log' "$LAB_TMP/ncid1.out" || lab_fail "no 250 after the log"

lab_baresip_alice_calls
lab_wait_for "the call's end" 100 eval \
	'[ "$(lab_events_matching ".event == \"update\" and .state == \"ended\"")" -ge 1 ]'
wait "$client" || lab_fail "the NCID client did not get 5 call lines: $(tail -5 "$LAB_TMP/ncid1.out")"
cat "$LAB_TMP/events.json"
number=$(jq -r 'select(.event == "call") | .number' "$LAB_TMP/events.json")
[ -n "$number" ] || lab_fail "sipcidd announced no call"

# ncid_client.py prints the lines as they came; check each by its fields.
calls=$(sed -n '/^300 /,$p' "$LAB_TMP/ncid1.out" | tail -n +2)
echo "$calls"
field() { # field LINE LABEL
	python3 -c 'import sys; sys.path.insert(0, sys.argv[3]); import ncid_client as n; print(n.parse(sys.argv[1])[1].get(sys.argv[2], ""))' \
		"$1" "$2" "$SIPCID_SRC/tests/ncid"
}
mapfile -t l <<<"$calls"
[ "${#l[@]}" = 5 ] || lab_fail "${#l[@]} lines for the call, expected 5"
[[ ${l[0]} == CIDINFO:* ]] && [ "$(field "${l[0]}" RING)" = 1 ] || lab_fail "line 1: ${l[0]}"
[[ ${l[1]} == CID:* ]] || lab_fail "line 2 is not CID: ${l[1]}"
[ "$(field "${l[1]}" NMBR)" = "$number" ] || lab_fail "CID: NMBR is not $number: ${l[1]}"
[ "$(field "${l[1]}" NAME)" = "Alice Example" ] || lab_fail "CID: NAME is not Alice Example: ${l[1]}"
[ "$(field "${l[1]}" LINE)" = VOIP ] || lab_fail "CID: LINE is not VOIP"
[ "$(field "${l[1]}" DATE)" = "$(date -u +%m%d%Y)" ] || lab_fail "CID: DATE is not today (mmddyyyy)"
[[ ${l[2]} == CIDINFO:* ]] && [ "$(field "${l[2]}" RING)" = 0 ] || lab_fail "line 3 (answered): ${l[2]}"
[[ ${l[3]} == CIDINFO:* ]] && [ "$(field "${l[3]}" RING)" = -2 ] || lab_fail "line 4 (hung up): ${l[3]}"
[[ ${l[4]} == END:* ]] && [ "$(field "${l[4]}" HTYPE)" = BYE ] && [ "$(field "${l[4]}" CTYPE)" = IN ] ||
	lab_fail "line 5: ${l[4]}"

# A client connecting now gets the call from the log (sipcidd committed it).
sleep 0.5
lab_phone python3 "$CLIENT" $LAB_BRIDGE_IP 3333 --timeout 20 >"$LAB_TMP/ncid2.out" ||
	lab_fail "the second client's startup"
cat "$LAB_TMP/ncid2.out"
last=$(grep -E '^CIDLOG: ' "$LAB_TMP/ncid2.out" | tail -1)
[ "$(field "$last" NMBR)" = "$number" ] && [ "$(field "$last" NAME)" = "Alice Example" ] ||
	lab_fail "the newest CIDLOG: is not the call: $last"
grep -E '^ENDLOG: ' "$LAB_TMP/ncid2.out" | tail -1 | grep -q '\*HTYPE\*BYE\*' ||
	lab_fail "the call's ENDLOG: does not say BYE"
n=$(grep -cE '^(CID|BLK)LOG: ' "$LAB_TMP/ncid2.out")
[ "$n" = $((logged + 1)) ] || lab_fail "$n calls in the log, expected $((logged + 1))"
grep -q "\[ncid\] client 10.77.0.2:[0-9]* is client ncid_client.py" "$LAB_TMP/sipcidd.log" ||
	lab_fail "sipcidd did not log the client's HELLO: IDENT"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd did not stop cleanly"
echo "PASS: a baresip call reached the NCID client; the log replay had the --read run's $logged calls and then the call"
