#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGHUP reloads the configuration: calls after it follow the new file; a
# broken file is refused and the running configuration stays.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require jq
lab_setup
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
conf=$LAB_TMP/sipcid.conf
printf '[callerid]\ntrusted-sources = none\n' >"$conf"
lab_sipcidd --config "$conf"

invite() {  # invite CALL_ID: an INVITE whose PAI differs from its From
	lab_net sip INVITE --call-id "$1" --from-user +15551234567 \
		--header 'P-Asserted-Identity: <sip:+15557654321@10.77.0.1>' >"$LAB_TMP/$1"
	lab_prov python3 "$LAB_SRC/tests/lab/labnet.py" send-udp --src-port 5060 $LAB_PHONE_IP 5060 "$LAB_TMP/$1"
	lab_wait_for "the announcement of $1" 50 eval \
		"[ \"\$(lab_events_matching '.event == \"call\" and .call_id == \"$1\"')\" = 1 ]"
}
source_of() { jq -r "select(.event == \"call\" and .call_id == \"$1\") | .source" "$LAB_TMP/events.json"; }

invite before@lab
[ "$(source_of before@lab)" = from ] || lab_fail "PAI believed from an untrusted source"
printf '[callerid]\ntrusted-sources = 10.77.0.0/24\n' >"$conf"
kill -HUP "$LAB_SIPCIDD_PID"
lab_wait_for "the reload" 50 grep -q "reloaded" "$LAB_TMP/sipcidd.log"
invite after@lab
[ "$(source_of after@lab)" = pai ] || lab_fail "the reloaded trusted-sources were not used"

printf '[callerid]\nno-such-key = 1\n' >"$conf"
kill -HUP "$LAB_SIPCIDD_PID"
lab_wait_for "the refusal" 50 grep -q "not reloaded" "$LAB_TMP/sipcidd.log"
grep -q "sipcid.conf:2" "$LAB_TMP/sipcidd.log" || lab_fail "the refusal does not name FILE:LINE: $(cat "$LAB_TMP/sipcidd.log")"
invite broken@lab
[ "$(source_of broken@lab)" = pai ] || lab_fail "a broken file changed the running configuration"
kill -0 "$LAB_SIPCIDD_PID" || lab_fail "sipcidd died on a broken configuration"
lab_stop "$LAB_SIPCIDD_PID" || lab_fail "sipcidd exited with an error"
echo "PASS: SIGHUP applies a good file and refuses a broken one"
