# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the live tests (web_live_*.sh); source it after lab.sh.

# live_sipcidd: the firewall with the NFLOG copy of RTP, and sipcidd with the
# rules 'record number +1555*' and 'allow *' and [record] on-demand off: only
# calls a rule marks record may be recorded or listened to.
live_sipcidd() {
	lab_firewall --nflog-group $LAB_NFLOG_GROUP up >/dev/null || lab_fail "sipcid-firewall up"
	printf '%s\n' 'record number +1555*' 'allow *' >"$LAB_TMP/rules"
	printf '[rules]\nrules = %s\n[record]\nnflog-group = %s\non-demand = no\n' "$LAB_TMP/rules" \
		$LAB_NFLOG_GROUP >"$LAB_TMP/sipcid.conf"
	lab_sipcidd --no-notify -c "$LAB_TMP/sipcid.conf"
}

# live_tone_call SECONDS: "Tone Caller" <+15551230000> (a recorded number)
# calls bob with baresip for SECONDS, playing a 1 kHz tone; bob answers at
# once and plays 440 Hz. Returns at once; sets LIVE_CALLER and LIVE_CALLEE.
live_tone_call() {
	local side
	sox -n -r 8000 -c 1 -b 16 "$LAB_TMP/tone.wav" synth $(($1 + 3)) sine 1000 vol 0.5 &&
		sox -n -r 8000 -c 1 -b 16 "$LAB_TMP/phone-tone.wav" synth $(($1 + 7)) sine 440 vol 0.5 ||
		lab_fail "sox could not make the tones"
	for side in caller callee; do
		mkdir -p "$LAB_TMP/$side"
		cp "$LAB_SRC/tests/lab/data/baresip/$side/config" "$LAB_TMP/$side/config"
		printf 'module\t\t\taufile.so\n' >>"$LAB_TMP/$side/config"
	done
	sed -i "s|^audio_source.*|audio_source\t\taufile,$LAB_TMP/tone.wav|" "$LAB_TMP/caller/config"
	sed -i "s|^audio_source.*|audio_source\t\taufile,$LAB_TMP/phone-tone.wav|" "$LAB_TMP/callee/config"
	printf '<sip:bob@%s>;regint=0;answermode=auto\n' $LAB_PHONE_IP >"$LAB_TMP/callee/accounts"
	printf '"Tone Caller" <sip:+15551230000@%s>;regint=0\n' $LAB_PROV_IP >"$LAB_TMP/caller/accounts"
	lab_start phone "$LAB_TMP/callee.log" baresip -f "$LAB_TMP/callee" -t $(($1 + 5))
	LIVE_CALLEE=$LAB_PID
	sleep 1
	lab_start prov "$LAB_TMP/caller.log" baresip -f "$LAB_TMP/caller" -t "$1" -e "/dial sip:bob@$LAB_PHONE_IP"
	LIVE_CALLER=$LAB_PID
}

# live_tone_call_end: waits for the caller to hang up, then stops bob
# (KILL: baresip with aufile sometimes hangs for a minute on TERM near its
# own -t timeout, and bob has nothing to save).
live_tone_call_end() {
	wait "$LIVE_CALLER"
	kill -KILL "$LIVE_CALLEE" 2>/dev/null
	wait "$LIVE_CALLEE" 2>/dev/null
}
