#!/bin/bash
# unit_check.sh UNIT SBINDIR_IN_UNIT SIPCIDD FIREWALL MANDIR: sipcidd.service passes
# `systemd-analyze verify`, rates an exposure of 2.0 or less in
# `systemd-analyze security --offline=yes`, and sets what the service must;
# its `sipcidd --check` lines run before the firewall and before the HUP, and
# the command they run accepts a good configuration and names FILE:LINE of a
# broken one.
#   UNIT             the unit as installed (or as configured in the build tree)
#   SBINDIR_IN_UNIT  the directory its Exec lines name (/usr/sbin)
#   SIPCIDD FIREWALL the programs to check the Exec lines against
#   MANDIR           man pages: a man/ tree (man8/...) or a flat directory (docs/man)
set -u
unit=$1 from=$2 sipcidd=$3 firewall=$4 mandir=$5
fail() { echo "FAIL: $*"; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
[ -f "$unit" ] || fail "no unit at $unit"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Exec paths point at real programs; Documentation= man pages must be found.
mkdir "$tmp/sbin"
ln -s "$(realpath "$sipcidd")" "$tmp/sbin/sipcidd"
ln -s "$(realpath "$firewall")" "$tmp/sbin/sipcid-firewall"
sed "s|$from/|$tmp/sbin/|g" "$unit" >"$tmp/sipcidd.service"
if [ -d "$mandir/man8" ]; then
	man_path=$mandir
else
	man_path=$tmp/man
	for f in "$mandir"/*.[1-8]; do
		mkdir -p "$man_path/man${f##*.}"
		ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$man_path/man${f##*.}/"
	done
fi
out=$(MANPATH=$man_path systemd-analyze verify "$tmp/sipcidd.service" 2>&1)
rc=$?
echo "systemd-analyze verify: exit $rc${out:+, said: $out}"
[ $rc = 0 ] && [ -z "$out" ] || fail "systemd-analyze verify is not clean"

sec=$(systemd-analyze security --offline=yes "$tmp/sipcidd.service" 2>&1)
echo "$sec" | grep '✗'
score=$(echo "$sec" | sed -n 's/.*Overall exposure level for sipcidd.service: \([0-9.]*\).*/\1/p')
echo "exposure: $score"
[ -n "$score" ] || fail "no exposure level in: $sec"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score is above 2.0"

# What the service promises (sipcidd(8), SERVICE), line by line.
for line in \
	"User=sipcid" "Group=sipcid" \
	"AmbientCapabilities=CAP_NET_ADMIN" "CapabilityBoundingSet=CAP_NET_ADMIN" \
	"ProtectSystem=strict" "StateDirectory=sipcid" "RuntimeDirectory=sipcid" \
	"Restart=on-failure" "NoNewPrivileges=yes" \
	"RestrictAddressFamilies=AF_NETLINK AF_UNIX AF_INET AF_INET6" \
	"SystemCallFilter=@system-service" \
	"EnvironmentFile=-/etc/default/sipcid" \
	"ExecStartPre=$from/sipcidd --check --config /etc/sipcid/sipcid.conf" \
	"ExecStartPre=+$from/sipcid-firewall up" \
	"ExecReload=$from/sipcidd --check --config /etc/sipcid/sipcid.conf" \
	"ExecReload=/bin/kill -HUP \$MAINPID" \
	"ExecStopPost=+$from/sipcid-firewall down" \
	"ExecStart=$from/sipcidd --config /etc/sipcid/sipcid.conf --queue \${SIPCID_QUEUE}"; do
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
echo "PASS: sipcidd.service verifies and rates $score (at most 2.0)"
