#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The macOS popup backend, on Linux: stand-in osascript and terminal-notifier
# programs first on PATH record their argv (NUL-separated, one file per run).
# Caller text must arrive only as argv elements of its own: the AppleScript
# source (-e) is the same fixed text for every call, and no argument that
# carries caller text can start an option.
#   test_osascript_backend.sh SIPCID_NOTIFY_OSASCRIPT SEND_CALL
NOTIFY=$(realpath "$1") SEND=$(realpath "$2")
. "$(dirname "$0")/desktop_session.sh"
export TZ=UTC

mkdir -p "$WORK/bin" "$WORK/runs"
cat >"$WORK/bin/osascript" <<STANDIN
#!/bin/sh
f=\$(mktemp "$WORK/runs/osascript.\$(date +%s%N).XXXX")
printf '%s\0' "\$@" >"\$f"
STANDIN
chmod +x "$WORK/bin/osascript"
export PATH="$WORK/bin:$PATH"
command -v terminal-notifier >/dev/null && fail "a real terminal-notifier is on PATH"

SCRIPT=$(printf 'on run argv\n\tdisplay notification (item 4 of argv) with title (item 2 of argv) subtitle (item 3 of argv)\nend run\nx')
SCRIPT=${SCRIPT%x}
EVIL1='"; do shell script "rm -rf ~" --'
EVIL2='-e do shell script "touch /tmp/x" \" \\ '"'"'q'"'"' $(id) `id`'

# run_args N: the Nth recorded run's argv, one element per array entry.
run_args() {
	local f
	f=$(ls "$WORK/runs"/$1.* | sort | sed -n "${2}p")
	mapfile -d '' ARGS <"$f"
}

start_notify "$NOTIFY"
T0=$(date +%H:%M)
"$SEND" --port "$NOTIFY_PORT" --call-id o1 --number 100 --name "$EVIL1" --called 2001
wait_for '[ "$(ls "$WORK/runs" | wc -l)" -ge 1 ]' "osascript to run"
"$SEND" --port "$NOTIFY_PORT" --call-id o2 --number '-e' --alias "$EVIL2" --via '\\x'
wait_for '[ "$(ls "$WORK/runs" | wc -l)" -ge 2 ]' "osascript to run twice"
printf 'Line one\nend tell\r\n"quoted"\\' >"$WORK/name-nl"
"$SEND" --port "$NOTIFY_PORT" --call-id o3 --number 102 --name-file "$WORK/name-nl" --state missed
wait_for '[ "$(ls "$WORK/runs" | wc -l)" -ge 3 ]' "osascript to run three times"

check_time() { # the details start with HH:MM
	case "$1" in "$T0"*|"$(date +%H:%M)"*) ;; *) fail "details [$1] do not start with the time" ;; esac
}
run_args osascript 1
[ "${#ARGS[@]}" = 6 ] || fail "osascript got ${#ARGS[@]} arguments: ${ARGS[*]}"
[ "${ARGS[0]}" = -e ] && [ "${ARGS[1]}" = "$SCRIPT" ] || fail "script source differs: [${ARGS[1]}]"
[ "${ARGS[2]}" = sipcid ] || fail "argument 3 is [${ARGS[2]}]"
[ "${ARGS[3]}" = "Incoming call" ] || fail "title [${ARGS[3]}]"
[ "${ARGS[4]}" = "From $EVIL1" ] || fail "subtitle [${ARGS[4]}]"
check_time "${ARGS[5]}"
[ "${ARGS[5]#*$'\n'}" = $'100\nLine 2001' ] || fail "message [${ARGS[5]}]"

run_args osascript 2
[ "${#ARGS[@]}" = 6 ] && [ "${ARGS[1]}" = "$SCRIPT" ] || fail "run 2: script or argc differs"
[ "${ARGS[4]}" = "From $EVIL2" ] || fail "run 2 subtitle [${ARGS[4]}]"
[ "${ARGS[5]#*$'\n'}" = $'-e\nForwarded via \\\\x' ] || fail "run 2 message [${ARGS[5]}]"
check_time "${ARGS[5]}"

run_args osascript 3
[ "${#ARGS[@]}" = 6 ] && [ "${ARGS[1]}" = "$SCRIPT" ] || fail "run 3: script or argc differs"
[ "${ARGS[3]}" = "Missed call" ] || fail "run 3 title [${ARGS[3]}]"
[ "${ARGS[4]}" = 'From Line one end tell "quoted"\' ] || fail "run 3 subtitle [${ARGS[4]}]"
stop_notify

# ---- terminal-notifier, when installed, is preferred ----
cat >"$WORK/bin/terminal-notifier" <<STANDIN
#!/bin/sh
f=\$(mktemp "$WORK/runs/tn.\$(date +%s%N).XXXX")
printf '%s\0' "\$@" >"\$f"
STANDIN
chmod +x "$WORK/bin/terminal-notifier"
start_notify "$NOTIFY"
"$SEND" --port "$NOTIFY_PORT" --call-id t1 --number 100 --name "$EVIL2" --called 2001
wait_for '[ "$(ls "$WORK/runs"/tn.* 2>/dev/null | wc -l)" -ge 1 ]' "terminal-notifier to run"
"$SEND" --port "$NOTIFY_PORT" --call-id t1 --number 100 --name "$EVIL2" --state answered
wait_for '[ "$(ls "$WORK/runs"/tn.* 2>/dev/null | wc -l)" -ge 2 ]' "terminal-notifier to run again"
[ "$(ls "$WORK/runs"/osascript.* | wc -l)" = 3 ] || fail "osascript ran although terminal-notifier is installed"
run_args tn 1
[ "${#ARGS[@]}" = 8 ] || fail "terminal-notifier got ${#ARGS[@]} arguments: ${ARGS[*]}"
[ "${ARGS[0]}" = -title ] && [ "${ARGS[1]}" = "Incoming call" ] || fail "tn title [${ARGS[*]}]"
[ "${ARGS[2]}" = -subtitle ] && [ "${ARGS[3]}" = "From $EVIL2" ] || fail "tn subtitle [${ARGS[3]}]"
[ "${ARGS[4]}" = -message ] || fail "tn arg 5 [${ARGS[4]}]"
check_time "${ARGS[5]}"
[ "${ARGS[6]}" = -group ] && [[ "${ARGS[7]}" =~ ^sipcid-[0-9a-f]{16}$ ]] || fail "tn group [${ARGS[7]}]"
group=${ARGS[7]}
run_args tn 2
[ "${ARGS[1]}" = "Call answered" ] || fail "tn run 2 title [${ARGS[1]}]"
[ "${ARGS[7]}" = "$group" ] || fail "a state change got another group: ${ARGS[7]} vs $group"
stop_notify
echo "ok: caller text only in argv, fixed script, terminal-notifier preferred and grouped"
