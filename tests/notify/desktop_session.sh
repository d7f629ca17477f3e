# Sourced by the desktop tests: a private X display (Xvfb), a private session
# bus and a real notification server (dunst), plus notify_monitor recording
# every Notify call on that bus. Everything started here is killed by pid on
# exit; nothing touches the host's own display or bus.
#   start_desktop MONITOR_PROGRAM   sets DISPLAY, DBUS_SESSION_BUS_ADDRESS, WORK, MONITOR_LOG
#   start_bus                       the session bus alone (start_desktop calls it)
#   start_notify PROGRAM ARGS...    sets NOTIFY_PORT, NOTIFY_LOG (stderr), NOTIFY_PID
#   stop_notify                     SIGTERM; fails unless it exits 0 without sanitizer reports
#   wait_for 'shell condition' WHAT
#   notify_count                    Notify calls answered so far
#   notification N                  the Nth (1-based) as JSON
set -u

PIDS=()
WORK=$(mktemp -d /tmp/sipcid-notify-test.XXXXXX)

cleanup() {
	local pid
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		pid=${PIDS[i]}
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in "$WORK"/*.log "$WORK"/*.err; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
	done
	exit 1
}

need() {
	for p in "$@"; do
		command -v "$p" >/dev/null || fail "$p is not installed (see tests/deps-debian.txt)"
	done
}

# Bounded: 200 x 0.05 s.
wait_for() {
	local cond=$1 what=$2
	for _ in $(seq 200); do
		eval "$cond" && return 0
		sleep 0.05
	done
	fail "timed out waiting for $what"
}

# start_bus: a private session bus; sets DBUS_SESSION_BUS_ADDRESS.
start_bus() {
	# A bus of our own, without service activation, so nothing but the
	# server the test starts can answer as the notification server.
	need dbus-daemon
	cat >"$WORK/bus.conf" <<-CONF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>session</type>
	  <listen>unix:path=$WORK/bus</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow send_destination="*" eavesdrop="true"/>
	    <allow eavesdrop="true"/>
	    <allow own="*"/>
	  </policy>
	</busconfig>
	CONF
	dbus-daemon --config-file="$WORK/bus.conf" --nofork --print-address=1 \
		>"$WORK/bus.address" 2>"$WORK/bus.err" &
	PIDS+=($!)
	wait_for '[ -s "$WORK/bus.address" ]' "the session bus"
	export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$WORK/bus.address")
}

start_desktop() {
	local monitor=$1
	need Xvfb dbus-daemon dunst dunstctl gdbus jq import
	# Xvfb picks a free display itself and tells us which.
	Xvfb -displayfd 3 -screen 0 1024x600x24 -nolisten tcp 3>"$WORK/display" \
		>"$WORK/xvfb.log" 2>&1 &
	PIDS+=($!)
	wait_for '[ -s "$WORK/display" ]' "Xvfb to start"
	export DISPLAY=":$(head -n1 "$WORK/display")"

	start_bus

	cat >"$WORK/dunstrc" <<-CONF
	[global]
	    monitor = 0
	    follow = none
	    width = 520
	    height = 300
	    origin = top-right
	    offset = 20x20
	    font = DejaVu Sans 12
	    markup = full
	    format = "<b>%s</b>\n%b"
	    icon_position = left
	    min_icon_size = 48
	    max_icon_size = 48
	    icon_path = /usr/share/icons/Adwaita/48x48/legacy:/usr/share/icons/Adwaita/48x48/status
	    show_age_threshold = -1
	    idle_threshold = 0
	    frame_width = 2
	    frame_color = "#4a90d9"
	    separator_height = 4
	    padding = 10
	    horizontal_padding = 10
	[urgency_low]
	    background = "#222222"
	    foreground = "#ffffff"
	    timeout = 0
	[urgency_normal]
	    background = "#222222"
	    foreground = "#ffffff"
	    timeout = 0
	[urgency_critical]
	    background = "#900000"
	    foreground = "#ffffff"
	    timeout = 0
	CONF
	dunst -config "$WORK/dunstrc" >"$WORK/dunst.log" 2>&1 &
	PIDS+=($!)
	wait_for 'gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null | grep -q true' \
		"dunst to own org.freedesktop.Notifications"

	MONITOR_LOG=$WORK/monitor.jsonl
	"$monitor" >"$MONITOR_LOG" 2>"$WORK/monitor.err" &
	PIDS+=($!)
	wait_for 'grep -q ready "$WORK/monitor.err"' "the D-Bus monitor"
}

start_notify() {
	local name=notify$((${#PIDS[@]}))
	NOTIFY_LOG=$WORK/$name.log
	"$@" --port 0 >"$WORK/$name.out" 2>"$NOTIFY_LOG" &
	NOTIFY_PID=$!
	PIDS+=($NOTIFY_PID)
	wait_for 'grep -q "listening on UDP port" "$NOTIFY_LOG" || ! kill -0 $NOTIFY_PID' \
		"sipcid-notify to listen"
	kill -0 $NOTIFY_PID 2>/dev/null || fail "sipcid-notify did not start: $(cat "$NOTIFY_LOG")"
	NOTIFY_PORT=$(sed -n 's/.*listening on UDP port \([0-9]*\).*/\1/p' "$NOTIFY_LOG" | head -n1)
}

# stop_notify: SIGTERM must end sipcid-notify cleanly (exit 0, and under
# ASan no leak or error report).
stop_notify() {
	local rc=0
	kill "$NOTIFY_PID" 2>/dev/null
	wait "$NOTIFY_PID" 2>/dev/null || rc=$?
	[ "$rc" = 0 ] || fail "sipcid-notify exited with status $rc on SIGTERM"
	grep -q "Sanitizer\|runtime error" "$NOTIFY_LOG" && fail "sanitizer report from sipcid-notify"
	return 0
}

notify_count() {
	wc -l <"$MONITOR_LOG"
}

notification() {
	sed -n "${1}p" "$MONITOR_LOG"
}

# assert_json N JQ-FILTER EXPECTED: the Nth notification's field.
assert_json() {
	local got
	got=$(notification "$1" | jq -r "$2")
	[ "$got" = "$3" ] || fail "notification $1: $2 is [$got], expected [$3]"
}

# assert_body N PRINTF-FORMAT: the Nth body, with %s the call's HH:MM. The
# minute may turn between sending and checking: either side is right.
assert_body() {
	local got a b
	got=$(notification "$1" | jq -r .body)
	a=$(printf "$2" "$T_BEFORE")
	b=$(printf "$2" "$(date +%H:%M)")
	[ "$got" = "$a" ] || [ "$got" = "$b" ] ||
		fail "notification $1: body is [$got], expected [$a]"
}

screenshot() {
	# The popup is drawn just after the server answers; give it a moment.
	sleep 1
	import -display "$DISPLAY" -window root "$1" || fail "cannot take a screenshot"
	echo "screenshot: $1"
}
