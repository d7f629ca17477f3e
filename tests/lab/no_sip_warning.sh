#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The "no SIP seen" warning (issue 19): while the bridge forwards traffic
# but nothing comes through sipcidd's queue for [datapath]
# no-sip-warning-seconds, sipcidd says so once in its log and in --status,
# and names the cure (sipcid-firewall discover). While SIP crosses on the
# firewall's port, it says nothing.
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"
lab_require python3
lab_setup
QUIET=3
printf '[datapath]\nno-sip-warning-seconds = %d\n' $QUIET >"$LAB_TMP/sipcid.conf"
lab_firewall up >/dev/null || lab_fail "sipcid-firewall up"
lab_sipcidd --no-notify --config "$LAB_TMP/sipcid.conf"
status() { lab_bridge "$SIPCIDD" --status --control-socket "$LAB_CONTROL"; }
words="no SIP seen on ports 5060 for $QUIET seconds while bridge br0 forwarded [0-9]* packets; run sipcid-firewall discover"
warnings() { grep -c "$words" "$LAB_TMP/sipcidd.log"; }

# Not SIP, on a port the firewall leaves alone: the phone's other traffic.
echo "not sip" >"$LAB_TMP/other.bin"
lab_start phone "$LAB_TMP/other.out" python3 "$LAB_SRC/tests/lab/labnet.py" send-udp \
	--count 200 --gap-ms 100 $LAB_PROV_IP 9999 "$LAB_TMP/other.bin"
lab_wait_for "the warning in the log" 150 grep -q "$words" "$LAB_TMP/sipcidd.log"
status >"$LAB_TMP/status1"
grep -q "^no-sip: *WARNING $words\$" "$LAB_TMP/status1" ||
	lab_fail "--status does not warn: $(grep '^no-sip' "$LAB_TMP/status1")"
grep "^no-sip" "$LAB_TMP/status1"
[ "$(warnings)" = 1 ] || lab_fail "the warning was logged $(warnings) times, expected once"

# SIP crosses on 5060, once a second, while the other traffic goes on.
lab_net sip OPTIONS --call-id keepalive-1 --src $LAB_PHONE_IP --dst $LAB_PROV_IP >"$LAB_TMP/options.sip"
lab_start phone "$LAB_TMP/sip.out" python3 "$LAB_SRC/tests/lab/labnet.py" send-udp \
	--src-port 5060 --count 8 --gap-ms 1000 $LAB_PROV_IP 5060 "$LAB_TMP/options.sip"
sip_sender=$LAB_PID
lab_wait_for "the warning to end once SIP crosses" 50 eval 'status | grep -q "^no-sip: *none"'
sleep $((QUIET + 2))
kill -0 "$sip_sender" 2>/dev/null || lab_fail "the SIP sender finished early: this part tests nothing"
status >"$LAB_TMP/status2"
grep -q "^no-sip: *none (the queue's last packet came [0-2] s ago)" "$LAB_TMP/status2" ||
	lab_fail "--status while SIP crosses: $(grep '^no-sip' "$LAB_TMP/status2")"
[ "$(warnings)" = 1 ] || lab_fail "warned again while SIP crossed ($(warnings) warnings)"
echo "PASS: no SIP for $QUIET s while the bridge forwards: one warning in the log and --status; none while SIP crosses"
