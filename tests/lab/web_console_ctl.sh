#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's hands for the browser test (tests/web/browser/console.test.mjs):
# places real calls and reads what the lab saw, in the lab web_console.sh
# built (its LAB_* variables are in the environment).
#
#   web_console_ctl.sh call CODE NUMBER NAME   SIPp calls bob from NUMBER; CODE 200: the
#                                              phone answers; else the call must end with
#                                              CODE (486, 603...). Prints "sent_ms=EPOCH_MS"
#                                              taken just before the INVITE leaves
#   web_console_ctl.sh tone_call NUMBER NAME SECONDS   baresip calls bob playing a
#                                              1 kHz tone; returns when the call has ended
#   web_console_ctl.sh rang NUMBER             how many calls from NUMBER reached the phone
#   web_console_ctl.sh rules_sha               the rule file's SHA-256
#   web_console_ctl.sh rules                   the rule file
#   web_console_ctl.sh wav_seconds NAME        a recording's length (soxi)
set -u
. "$SIPCID_SRC/tests/lab/lab.sh"

# A SIP display name in quotes: backslash and quote escaped (RFC 3261 quoted-string).
quoted() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}

cmd=$1
shift
case $cmd in
call)
	code=$1 number=$2 name=$3
	tag=$(date +%s%N)
	if [ "$code" = 200 ]; then
		scenario=$LAB_SRC/tests/lab/data/sipp_uac_callerid.xml
		extra=(-set extra1 'X-Test: none' -set extra2 'X-Test: none')
	else
		scenario=$LAB_TMP/uac-$code.xml
		sed "s/CODE/$code/" "$LAB_SRC/tests/lab/data/sipp_uac_reject.xml" >"$scenario"
		extra=()
	fi
	echo "sent_ms=$(date +%s%3N)"
	lab_prov sipp -sf "$scenario" -set fromhdr "$(quoted "$name") <sip:$number@$LAB_PROV_IP>" \
		"${extra[@]}" -s bob -m 1 -i $LAB_PROV_IP -p 5062 -timeout 10s -timeout_error -nostdin \
		-trace_msg -message_file "$LAB_TMP/sipp-$tag.log" $LAB_PHONE_IP:5060 \
		>"$LAB_TMP/sipp-$tag.out" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		echo "SIPp exited with $rc; it saw:" >&2
		grep -a '^SIP/2.0' "$LAB_TMP/sipp-$tag.log" >&2
		exit 1
	fi
	grep -a '^SIP/2.0 [1-6]' "$LAB_TMP/sipp-$tag.log" | tail -1
	;;
tone_call)
	number=$1 name=$2 seconds=$3
	dir=$LAB_TMP/tone-caller
	mkdir -p "$dir"
	[ -f "$LAB_TMP/tone.wav" ] ||
		sox -n -r 8000 -c 1 -b 16 "$LAB_TMP/tone.wav" synth 30 sine 1000 vol 0.5 || exit 1
	sed "s|^audio_source.*|audio_source\t\taufile,$LAB_TMP/tone.wav|" \
		"$LAB_SRC/tests/lab/data/baresip/caller/config" >"$dir/config"
	printf 'module\t\t\taufile.so\n' >>"$dir/config"
	printf '%s <sip:%s@%s>;regint=0\n' "$(quoted "$name")" "$number" $LAB_PROV_IP >"$dir/accounts"
	lab_prov baresip -f "$dir" -t "$seconds" -e "/dial sip:bob@$LAB_PHONE_IP" \
		>"$LAB_TMP/tone-caller.log" 2>&1
	;;
rang)
	# baresip answering at once logs "answering call ... from sip:NUMBER@"
	cat "$LAB_TMP/phone.log" "$LAB_TMP/phone.err" 2>/dev/null |
		grep -aE "Incoming call|answering call" | grep -c -- "$1" || true
	;;
rules_sha)
	sha256sum <"$LAB_TMP/rules" | cut -d' ' -f1
	;;
rules)
	cat "$LAB_TMP/rules"
	;;
wav_seconds)
	case $1 in */* | .*) exit 2 ;; esac
	soxi -D "$LAB_RECDIR/$1"
	;;
*)
	echo "web_console_ctl.sh: no command $cmd" >&2
	exit 2
	;;
esac
