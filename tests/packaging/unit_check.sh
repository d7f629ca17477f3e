#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unit_check.sh UNIT SBINDIR_IN_UNIT SIPCIDD FIREWALL MANDIR GUARD WEB: sipcidd.service,
# sipcid-guard.service and sipcid-web.service (beside it) pass `systemd-analyze verify`, rate an
# exposure of 2.0 or less in `systemd-analyze security --offline=yes`, and
# set what the services must; sipcidd's `sipcidd --check` lines run before the
# firewall and before the HUP, and the command they run accepts a good
# configuration and names FILE:LINE of a broken one.
#   UNIT             the unit as installed (or as configured in the build tree)
#   SBINDIR_IN_UNIT  the directory its Exec lines name (/usr/sbin)
#   SIPCIDD FIREWALL the programs to check the Exec lines against
#   MANDIR           man pages: a man/ tree (man8/...) or a flat directory (docs/man)
#   GUARD            sipcid-guard, the program
#   WEB              sipcid-web, the program
set -u
unit=$1 from=$2 sipcidd=$3 firewall=$4 mandir=$5 guard=$6 web=$7
guard_unit=$(dirname "$unit")/sipcid-guard.service
web_unit=$(dirname "$unit")/sipcid-web.service
fail() { echo "FAIL: $*"; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
[ -f "$unit" ] || fail "no unit at $unit"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Exec paths point at real programs; Documentation= man pages must be found.
mkdir "$tmp/sbin"
ln -s "$(realpath "$sipcidd")" "$tmp/sbin/sipcidd"
ln -s "$(realpath "$firewall")" "$tmp/sbin/sipcid-firewall"
ln -s "$(realpath "$guard")" "$tmp/sbin/sipcid-guard"
ln -s "$(realpath "$web")" "$tmp/sbin/sipcid-web"
[ -f "$guard_unit" ] || fail "no unit at $guard_unit"
[ -f "$web_unit" ] || fail "no unit at $web_unit"
sed "s|$from/|$tmp/sbin/|g" "$unit" >"$tmp/sipcidd.service"
sed "s|$from/|$tmp/sbin/|g" "$guard_unit" >"$tmp/sipcid-guard.service"
sed "s|$from/|$tmp/sbin/|g" "$web_unit" >"$tmp/sipcid-web.service"
if [ -d "$mandir/man8" ]; then
	man_path=$mandir
else
	man_path=$tmp/man
	for f in "$mandir"/*.[1-8]; do
		mkdir -p "$man_path/man${f##*.}"
		ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$man_path/man${f##*.}/"
	done
fi
out=$(MANPATH=$man_path systemd-analyze verify "$tmp/sipcidd.service" "$tmp/sipcid-guard.service" \
	"$tmp/sipcid-web.service" 2>&1)
rc=$?
echo "systemd-analyze verify: exit $rc${out:+, said: $out}"
[ $rc = 0 ] && [ -z "$out" ] || fail "systemd-analyze verify is not clean"

for u in sipcid-web sipcidd sipcid-guard; do
	sec=$(systemd-analyze security --offline=yes "$tmp/$u.service" 2>&1)
	echo "$sec" | grep '✗'
	score=$(echo "$sec" | sed -n "s/.*Overall exposure level for $u.service: \([0-9.]*\).*/\1/p")
	echo "$u exposure: $score"
	[ -n "$score" ] || fail "no exposure level in: $sec"
	awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "$u exposure $score is above 2.0"
	[ $u = sipcid-web ] && web_score=$score
done
guard_score=$score
score=$(systemd-analyze security --offline=yes "$tmp/sipcidd.service" 2>&1 |
	sed -n 's/.*Overall exposure level for sipcidd.service: \([0-9.]*\).*/\1/p')

# What the service promises (sipcidd(8), SERVICE), line by line.
for line in \
	"User=sipcid" "Group=sipcid" \
	"AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW" "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW" \
	"ProtectSystem=strict" "ReadWritePaths=/etc/sipcid" "StateDirectory=sipcid" "RuntimeDirectory=sipcid" \
	"Restart=on-failure" "NoNewPrivileges=yes" \
	"RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6 AF_PACKET" \
	"SystemCallFilter=@system-service" \
	"EnvironmentFile=-/etc/default/sipcid" \
	"ExecStartPre=$from/sipcidd --check --config /etc/sipcid/sipcid.conf" \
	"ExecStartPre=+$from/sipcid-firewall up" \
	"ExecReload=$from/sipcidd --check --config /etc/sipcid/sipcid.conf" \
	"ExecReload=/bin/kill -HUP \$MAINPID" \
	"ExecStopPost=+$from/sipcid-firewall down" \
	"ExecStart=$from/sipcidd --config /etc/sipcid/sipcid.conf --queue \${SIPCID_QUEUE}" \
	"Type=notify" "WatchdogSec=10" "Wants=sipcid-guard.service"; do
	grep -qxF "$line" "$unit" || fail "$unit lacks the line: $line"
done
# The check goes first: before the firewall changes, and before the HUP.
line_of() { grep -nxF "$1" "$unit" | head -1 | cut -d: -f1; }
[ "$(line_of "ExecStartPre=$from/sipcidd --check --config /etc/sipcid/sipcid.conf")" -lt \
  "$(line_of "ExecStartPre=+$from/sipcid-firewall up")" ] ||
	fail "ExecStartPre runs sipcid-firewall up before sipcidd --check"
[ "$(line_of "ExecReload=$from/sipcidd --check --config /etc/sipcid/sipcid.conf")" -lt \
  "$(line_of "ExecReload=/bin/kill -HUP \$MAINPID")" ] ||
	fail "ExecReload sends the HUP before sipcidd --check"
# The unit's own check command, pointed at files of ours: exit 0 with one
# OK line, then non-zero naming the line of a broken rule file.
check_cmd=$(sed -n "s|^ExecStartPre=$from/sipcidd |$tmp/sbin/sipcidd |p" "$unit")
mkdir "$tmp/etc"
printf '[rules]\nrules = %s\nphonebook = %s\n' "$tmp/etc/rules" "$tmp/etc/phonebook" \
	>"$tmp/etc/sipcid.conf"
printf 'block number 15550001111\n' >"$tmp/etc/rules"
printf '15550002222 Mom\n' >"$tmp/etc/phonebook"
out=$(${check_cmd//\/etc\/sipcid\/sipcid.conf/$tmp/etc/sipcid.conf} 2>&1)
rc=$?
echo "check of a good configuration: exit $rc, said: $out"
[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] &&
	echo "$out" | grep -qF "configuration OK: $tmp/etc/sipcid.conf; 1 rules from $tmp/etc/rules; 1 phonebook entries" ||
	fail "the unit's check did not pass a good configuration"
printf 'block number 15550001111\nblock numbr 1\n' >"$tmp/etc/rules"
out=$(${check_cmd//\/etc\/sipcid\/sipcid.conf/$tmp/etc/sipcid.conf} 2>&1)
rc=$?
echo "check of a broken rule file: exit $rc, said: $out"
[ $rc != 0 ] && echo "$out" | grep -qF "$tmp/etc/rules:2:" ||
	fail "the unit's check did not name the broken line"
# sipcid-guard(8), SERVICE.
for line in \
	"ExecStart=$from/sipcid-guard --queue \${SIPCID_QUEUE} --state /var/lib/sipcid/guard.state" \
	"EnvironmentFile=-/etc/default/sipcid" "Restart=always" "PartOf=sipcidd.service" \
	"CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW" "ProtectSystem=strict" \
	"NoNewPrivileges=yes" "SystemCallFilter=@system-service"; do
	grep -qxF "$line" "$guard_unit" || fail "$guard_unit lacks the line: $line"
done
# sipcid-web(8), SERVICE and SECURITY: no capabilities, a read-only system
# but where sipcid-rules writes the rule file and phonebook for the console.
for line in \
	"User=sipcid" "Group=sipcid" "NoNewPrivileges=yes" "ProtectSystem=strict" \
	"ReadWritePaths=/etc/sipcid /var/lib/sipcid" "PrivateTmp=yes" "ProtectHome=yes" \
	"RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK" "CapabilityBoundingSet=" \
	"SystemCallFilter=@system-service" "Restart=on-failure" \
	"ExecStartPre=$from/sipcid-web --check --config /etc/sipcid/sipcid.conf" \
	"ExecStart=$from/sipcid-web --config /etc/sipcid/sipcid.conf" "WantedBy=multi-user.target"; do
	grep -qxF "$line" "$web_unit" || fail "$web_unit lacks the line: $line"
done
# Its check command accepts a good configuration and names FILE:LINE of a bad one.
printf '[web]\nlisten = 192.168.1.2\n' >"$tmp/etc/web-good.conf"
"$tmp/sbin/sipcid-web" --check --config "$tmp/etc/web-good.conf" >/dev/null ||
	fail "sipcid-web --check refuses a good configuration"
printf '[web]\n\nlisten = nowhere\n' >"$tmp/etc/web-bad.conf"
"$tmp/sbin/sipcid-web" --check --config "$tmp/etc/web-bad.conf" 2>&1 |
	grep -qF "$tmp/etc/web-bad.conf:3: [web] listen" || fail "sipcid-web --check does not name FILE:LINE"
# The sandbox's properties as systemd reads them, not only as written.
props=$(systemd-analyze security --offline=yes --json=short "$tmp/sipcidd.service" 2>/dev/null)
command -v jq >/dev/null || fail "jq is missing"
[ -n "$props" ] || fail "systemd-analyze security --json gave nothing"
{
	for name in PrivateTmp ProtectHome ProtectKernelTunables ProtectKernelModules \
		RestrictNamespaces_user MemoryDenyWriteExecute PrivateDevices ProtectControlGroups; do
		v=$(echo "$props" | jq -r --arg n "$name" '.[] | select(.json_field == $n) | .set')
		[ "$v" = true ] || fail "security check $name is '$v', expected true"
	done
}
echo "PASS: sipcidd.service, sipcid-guard.service and sipcid-web.service verify and rate $score, $guard_score and $web_score (at most 2.0)"
